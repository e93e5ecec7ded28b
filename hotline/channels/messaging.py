"""Texts the hotline sends on its own ("text me this"), through Twilio's REST API.

Rules this module keeps:
- One outcome per text, as a word the caller can be told about in plain language:
  `sent`, `opted_out` (Twilio error 21610: the person replied STOP), `not_mobile` (21614
  and friends: the number cannot get texts), or `failed` (anything else: a timeout, no
  network, Twilio down, texts not configured). Sending never raises.
- Logs say what went wrong (an error code), never the number or the words.
- `TWILIO_API_URL` points the client elsewhere than api.twilio.com (tests use a local
  HTTP server); the request itself is exactly the one Twilio would get.
"""

from __future__ import annotations

import logging

import phonenumbers
from twilio.base.exceptions import TwilioException, TwilioRestException
from twilio.http.http_client import TwilioHttpClient
from twilio.rest import Client

log = logging.getLogger("hotline.messaging")
SENT, OPTED_OUT, NOT_MOBILE, FAILED = "sent", "opted_out", "not_mobile", "failed"
#: Twilio error codes: 21610 unsubscribed recipient; 21614 not a mobile number; 21211
#: invalid 'To'; 21612 not reachable by SMS; 21408 region not enabled for SMS.
_BY_CODE = {21610: OPTED_OUT, 21614: NOT_MOBILE, 21211: NOT_MOBILE, 21612: NOT_MOBILE, 21408: NOT_MOBILE}


class TextSender:
    def __init__(self, account_sid: str, auth_token: str, from_number: str, api_url: str = "",
                 timeout: float = 5):
        self.from_number = from_number
        self.client = None
        if account_sid and auth_token and from_number:
            self.client = Client(account_sid, auth_token, http_client=TwilioHttpClient(timeout=timeout))
            if api_url:
                self.client.api.base_url = api_url.rstrip("/")

    @property
    def ready(self) -> bool:
        return self.client is not None

    def send(self, to: str, body: str) -> str:
        """Text `body` to `to` from the hotline's number; return the outcome."""
        if self.client is None:
            log.warning("a text was asked for, but TWILIO_ACCOUNT_SID or the hotline number is not set")
            return FAILED
        if not _textable(to):
            return NOT_MOBILE
        try:
            self.client.messages.create(from_=self.from_number, to=to, body=body)
        except TwilioRestException as exc:
            log.warning("Twilio refused a text: error %s (HTTP %s)", exc.code, exc.status)
            return _BY_CODE.get(exc.code, FAILED)
        except (TwilioException, OSError) as exc:  # requests' errors (timeouts, no route) are OSErrors
            log.warning("a text could not be sent: %s", type(exc).__name__)
            return FAILED
        return SENT


def _textable(number: str) -> bool:
    """A real phone number (a withheld or anonymous caller id is not one)."""
    try:
        return number.startswith("+") and phonenumbers.is_valid_number(phonenumbers.parse(number))
    except phonenumbers.NumberParseException:
        return False
