"""Check that a request really comes from Twilio (`X-Twilio-Signature`).

Twilio signs the URL it called plus the POST parameters. Behind a TLS-terminating proxy
the URL Flask sees differs from the one Twilio called, so the URL is rebuilt from
`HOTLINE_PUBLIC_URL` when it is set.
"""

from __future__ import annotations

from twilio.request_validator import RequestValidator, get_signature_algorithm


def public_url(request, base: str) -> str:
    """The URL as Twilio called it: the configured public base plus path and query."""
    if not base:
        return request.url
    path = request.full_path[:-1] if request.full_path.endswith("?") else request.full_path
    return base.rstrip("/") + path


def is_signed(request, token: str, base: str) -> bool:
    signature = request.headers.get("X-Twilio-Signature", "")
    if not signature or not token:
        return False
    algorithm = get_signature_algorithm(request.headers.get("X-Twilio-Webhooks-Signature-Settings"))
    return RequestValidator(token).validate(public_url(request, base), request.form, signature, algorithm)
