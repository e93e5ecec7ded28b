"""What a webhook's body must be before anything else looks at it.

Twilio always POSTs `application/x-www-form-urlencoded` UTF-8. Anything else is refused
with a 4xx that says what was wrong, before the signature is checked and before Redis is
touched, so a broken or hostile request never changes a conversation. Werkzeug on its own
would quietly read a wrong content type as an empty form and replace bytes that are not
UTF-8; the strict parse here is what turns those into clear answers.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, unquote_to_bytes

from flask import abort, request

FORM = "application/x-www-form-urlencoded"
MAX_FIELDS = 200  # Twilio sends about 40
CALL_SID = re.compile(r"CA[0-9a-fA-F]{32}")
MAX_NUMBER = 64  # "whatsapp:+..." and the longest E.164 numbers fit easily


def check_body() -> None:
    """Abort with 415, 400 or 413 unless the body is a well-formed UTF-8 form."""
    if request.mimetype != FORM:
        abort(415, description=f"the body must be {FORM}, as Twilio sends it")
    try:  # the query string too: a server may pass a raw byte through, and Werkzeug would replace it
        unquote_to_bytes(request.environ.get("QUERY_STRING", "").encode("latin-1")).decode("utf-8")
    except (UnicodeDecodeError, UnicodeEncodeError):
        abort(400, description="the query string is not valid UTF-8")
    body = request.get_data(cache=True)  # 413 past MAX_CONTENT_LENGTH
    try:
        fields = parse_qsl(body.decode("utf-8"), keep_blank_values=True, strict_parsing=bool(body),
                           encoding="utf-8", errors="strict", max_num_fields=MAX_FIELDS)
    except UnicodeDecodeError:
        abort(400, description="the body is not valid UTF-8")
    except ValueError:
        abort(400, description="the body is not a well-formed form (name=value&name=value)")
    # This strict parse is `request.form`, as Werkzeug would give it for such a body (it
    # stores its own parse the same way): the form is not parsed a second time.
    request.__dict__["form"] = request.parameter_storage_class(fields)
    request.__dict__["files"] = request.parameter_storage_class()


def required(name: str) -> str:
    value = request.form.get(name, "")
    if not value:
        abort(400, description=f"missing {name}")
    return value


def call_sid() -> str:
    value = required("CallSid")
    if not CALL_SID.fullmatch(value):
        abort(400, description="CallSid is not a Twilio call id")
    return value


def number(name: str) -> str:
    value = required(name)
    if len(value) > MAX_NUMBER:
        abort(400, description=f"{name} is too long to be a phone number")
    return value
