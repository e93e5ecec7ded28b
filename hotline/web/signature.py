"""Check that a request really comes from Twilio (`X-Twilio-Signature`).

Twilio signs the URL it called plus the POST parameters. Behind a TLS-terminating proxy
the URL Flask sees differs from the one Twilio called, so the URL is rebuilt from
`HOTLINE_PUBLIC_URL` when it is set.

The answer is exactly `RequestValidator.validate`'s, which accepts the URL signed with or
without its port. It is only reached in two steps: the URL as called (no port, the usual
case) is checked first, and only a request that fails it pays for the full check. The
validator itself is built once per token, not per request.
"""

from __future__ import annotations

from functools import lru_cache
from urllib.parse import urlparse

from twilio.request_validator import RequestValidator, compare, get_signature_algorithm, remove_port


@lru_cache(maxsize=4)
def validator(token: str) -> RequestValidator:
    return RequestValidator(token)


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
    check, url = validator(token), public_url(request, base)
    try:
        if compare(check.compute_signature(remove_port(urlparse(url)), request.form, algorithm), signature):
            return True
    except ValueError:
        pass  # an algorithm the library does not know: `validate` refuses it and logs why
    return check.validate(url, request.form, signature, algorithm)
