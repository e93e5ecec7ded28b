"""Hand one alert to Twilio's REST API, and find out whether an earlier try got there.

Rules this module keeps:
- Sent from the Messaging Service when TWILIO_MESSAGING_SERVICE_SID is set (Twilio then
  picks the number and handles its throughput), else from the hotline's number.
- 429 (too many requests) and 5xx are tried again after a pause that doubles each time
  (1, 2, 4, 8 s); 21610 (the person texted STOP to Twilio) and 21614 (not a mobile) are
  outcomes of their own, so that the subscription can end; any other refusal is a failure.
- When a try may have reached Twilio without us hearing the answer (a timeout, a broken
  connection), Twilio's list of messages to that number is asked before trying again, so
  a slow network never makes a subscriber get the same alert twice.
- Logs carry error codes and HTTP statuses, never a number or the words.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from dataclasses import dataclass

from twilio.base.exceptions import TwilioException, TwilioRestException
from twilio.http.http_client import TwilioHttpClient
from twilio.rest import Client

from ..channels.messaging import NOT_MOBILE, OPTED_OUT

log = logging.getLogger("hotline.alerts")
QUEUED, FAILED = "queued", "failed"
_ENDS = {21610: OPTED_OUT, 21614: NOT_MOBILE}
PAUSES = (1, 2, 4, 8)  # seconds before each new try after a 429 or 5xx
SKEW = 120  # seconds: how far Twilio's clock may be behind ours when looking a message up


@dataclass(frozen=True)
class Outcome:
    kind: str  # queued, opted_out, not_mobile or failed
    sid: str = ""
    code: int | None = None


class AlertSender:
    def __init__(self, account_sid: str, auth_token: str, from_number: str, messaging_service: str = "",
                 api_url: str = "", timeout: float = 10, sleep=time.sleep):
        self.from_number, self.messaging_service, self.sleep = from_number, messaging_service, sleep
        self.client = None
        if account_sid and auth_token:
            self.client = Client(account_sid, auth_token, http_client=TwilioHttpClient(timeout=timeout))
            if api_url:
                self.client.api.base_url = api_url.rstrip("/")

    def send(self, to: str, body: str, status_callback: str = "", since: float | None = None,
             heartbeat=lambda: None) -> Outcome:
        """Text `body` to `to`; `since` (epoch seconds): when the first try of this text began.
        `heartbeat()` is called before each try and each second of a pause (a batch's lease)."""
        if self.client is None:
            log.warning("an alert could not be sent: TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN are not both set")
            return Outcome(FAILED)
        since = time.time() if since is None else since
        params = {"to": to, "body": body}
        if self.messaging_service:
            params["messaging_service_sid"] = self.messaging_service
        else:
            params["from_"] = self.from_number
        if status_callback:
            params["status_callback"] = status_callback
        for attempt in range(len(PAUSES) + 1):
            if attempt:
                heartbeat()  # the claim renewed the lease just before the first try
            try:
                message = self.client.messages.create(**params)
                return Outcome(QUEUED, message.sid)
            except TwilioRestException as exc:
                if exc.code in _ENDS:
                    return Outcome(_ENDS[exc.code], code=exc.code)
                if not (exc.status == 429 or exc.status >= 500) or attempt == len(PAUSES):
                    log.warning("Twilio refused an alert: error %s (HTTP %s)", exc.code, exc.status)
                    return Outcome(FAILED, code=exc.code)
                log.warning("Twilio answered HTTP %s; trying again in %s s", exc.status, PAUSES[attempt])
            except (TwilioException, OSError) as exc:
                log.warning("an alert may not have reached Twilio (%s); looking it up", type(exc).__name__)
                found = self.find(to, body, since)
                if found:
                    return Outcome(QUEUED, found)
                if attempt == len(PAUSES):
                    return Outcome(FAILED)
            for _ in range(PAUSES[attempt]):
                self.sleep(1)
                heartbeat()
        return Outcome(FAILED)  # not reached: the last attempt returns

    def find(self, to: str, body: str, since: float) -> str | None:
        """The sid of a message with `body` to `to` created since `since`, if Twilio has one."""
        if self.client is None:
            return None
        after = dt.datetime.fromtimestamp(since - SKEW, dt.UTC)
        try:
            for message in self.client.messages.list(to=to, limit=20):
                created = message.date_created
                if message.body == body and (created is None or created >= after):
                    return message.sid
        except (TwilioException, OSError) as exc:
            log.warning("could not look an alert up at Twilio (%s)", type(exc).__name__)
            raise
        return None
