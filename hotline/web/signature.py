"""Check that a request really comes from Twilio (`X-Twilio-Signature`).

Twilio signs the URL it called plus the POST parameters. Behind a TLS-terminating proxy
the URL Flask sees differs from the one Twilio called, so the URL is rebuilt from
`HOTLINE_PUBLIC_URL` when it is set.

The answer is exactly `RequestValidator.validate`'s, which accepts the URL signed with or
without its port. It is only reached in two steps: the URL as called (no port, the usual
case) is checked first, and only a request that fails it pays for the full check. The
validator is built once per token and the public base's port-less form once per base,
not per request.

The first check signs the form pairs `web/form.py` already parsed, as Twilio does and the
library would (the URL, then each name and value: names sorted, each name's distinct values
sorted), with one `hmac.digest` under a key encoded once per token. A request with
`X-Twilio-Webhooks-Signature-Settings` (another algorithm) goes through the library instead.
"""

from __future__ import annotations

import base64
import hmac
from functools import lru_cache
from urllib.parse import urlparse

from twilio.request_validator import RequestValidator, compare, get_signature_algorithm, remove_port


@lru_cache(maxsize=4)
def validator(token: str) -> RequestValidator:
    return RequestValidator(token)


class _Params(dict):
    """The form as {name: [values]}, read by the validator through `getall`. (Given a
    Werkzeug MultiDict, it raises and catches an AttributeError for every field.)"""

    getall = dict.__getitem__


@lru_cache(maxsize=4)
def _key(token: str) -> bytes:
    return token.encode("utf-8")


def sign(token: str, url: str, pairs) -> bytes:
    """The HMAC-SHA1 signature (base64) Twilio sends for `url` and the form's `pairs`."""
    signed = url + "".join(map("".join, sorted(set(pairs))))
    return base64.b64encode(hmac.digest(_key(token), signed.encode("utf-8"), "sha1"))


@lru_cache(maxsize=4)
def _portless_base(base: str) -> str:
    return remove_port(urlparse(base.rstrip("/")))


def _portless_url(request, base: str) -> str:
    """The URL as called, without a port: the form Twilio usually signs."""
    if not base:
        return remove_port(urlparse(request.url))
    return _portless_base(base) + _path(request)


def public_url(request, base: str) -> str:
    """The URL as Twilio called it: the configured public base plus path and query."""
    if not base:
        return request.url
    return base.rstrip("/") + _path(request)


def _path(request) -> str:
    """The path and query as called ("?" only if a query was given)."""
    path = request.full_path
    return path[:-1] if path.endswith("?") else path


def is_signed(request, token: str, base: str) -> bool:
    signature = request.headers.get("X-Twilio-Signature", "")
    if not signature or not token:
        return False
    settings = request.headers.get("X-Twilio-Webhooks-Signature-Settings")
    if settings is None and signature.isascii():
        pairs = request.__dict__.get("form_pairs")
        if pairs is None:
            pairs = list(request.form.items(multi=True))
        if hmac.compare_digest(sign(token, _portless_url(request, base), pairs), signature.encode("ascii")):
            return True
        algorithm = None
    else:
        algorithm = get_signature_algorithm(settings)
    check, params = validator(token), _Params(request.form.lists())
    if algorithm is not None:
        try:
            if compare(check.compute_signature(_portless_url(request, base), params, algorithm), signature):
                return True
        except ValueError:
            pass  # an algorithm the library does not know: `validate` refuses it and logs why
    return check.validate(public_url(request, base), params, signature, algorithm)
