"""The webhooks Twilio calls: /twilio/voice, /voice/step, /voice/dial, /voice/recorded,
/voice/screen (what the person answering a screened transfer hears), /sms, /status.

Rules this module keeps:
- Every route checks the signature first: a bad or missing one gets 403 and changes nothing.
- A request without the ids it needs gets 400 and changes nothing.
- Otherwise the answer is always 200 and valid TwiML. If anything inside breaks (Redis
  away, a flow bug), the caller hears the emergency advice and is put through to the
  fallback line; a texter reads the same advice. Logs name the failure, never the caller.
  Screening is the exception: if it breaks, the call is connected unscreened rather
  than dropped.
"""

from __future__ import annotations

import functools
import logging

from flask import Blueprint, Response, abort, current_app, request

from ..flow.events import DialResult, Key, Recorded, Silence, Start
from .signature import is_signed

bp = Blueprint("twilio", __name__, url_prefix="/twilio")
log = logging.getLogger("hotline.web")
FINAL_CALL_STATUSES = {"completed", "busy", "failed", "no-answer", "canceled"}
MAX_DIGITS = 8  # more than any Gather asks for (a ZIP code is 5)
EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response />'


def hotline():
    return current_app.extensions["hotline"]


@bp.before_request
def check_signature():
    config = hotline().config
    if config.development:
        return None
    if not is_signed(request, config.TWILIO_AUTH_TOKEN, config.HOTLINE_PUBLIC_URL):
        log.warning("refused a request with a bad or missing Twilio signature on %s", request.path)
        abort(403)
    return None


def required(name: str) -> str:
    value = request.form.get(name, "")
    if not value:
        abort(400, description=f"missing {name}")
    return value


def twiml(document: str) -> Response:
    return Response(document, status=200, mimetype="application/xml")


def safely(trouble: str):
    """Answer with `trouble` TwiML instead of an error if the handler raises."""

    def decorate(handler):
        @functools.wraps(handler)
        def wrapper():
            try:
                return twiml(handler())
            except Exception as exc:  # noqa: BLE001 - the caller must never hear an error
                if getattr(exc, "code", None) in (400, 403, 413):
                    raise
                log.exception("answered %s with the safe message after %s", request.path, type(exc).__name__)
                return twiml(getattr(hotline(), trouble)())

        return wrapper

    return decorate


@bp.post("/voice")
@safely("trouble_call")
def voice():
    return hotline().answer_call(required("CallSid"), Start())


def caller() -> str:
    """The caller's number, used only to send a text they asked for; never stored."""
    return request.form.get("From", "")


@bp.post("/voice/step")
@safely("trouble_call")
def voice_step():
    call_sid = required("CallSid")
    digits = request.form.get("Digits", "").strip()
    return hotline().answer_call(call_sid, Key(digits[:MAX_DIGITS]) if digits else Silence(), caller())


@bp.post("/voice/dial")
@safely("trouble_call")
def voice_dial():
    call_sid = required("CallSid")
    return hotline().answer_call(call_sid, DialResult(request.form.get("DialCallStatus", "failed")), caller())


@bp.post("/voice/recorded")
@safely("trouble_call")
def voice_recorded():
    return hotline().answer_call(required("CallSid"), Recorded(), caller())


@bp.post("/voice/screen")
def voice_screen():
    try:
        return twiml(hotline().screen_call(request.args.get("lang", "")))
    except Exception:  # noqa: BLE001 - connect unscreened rather than lose the caller
        log.exception("screening failed; connecting the call unscreened")
        return twiml(EMPTY_TWIML)


@bp.post("/voice/screen/answer")
def voice_screen_answer():
    try:
        return twiml(hotline().screen_answer(request.form.get("Digits", "").strip()))
    except Exception:  # noqa: BLE001
        log.exception("screening failed; connecting the call unscreened")
        return twiml(EMPTY_TWIML)


@bp.post("/sms")
@safely("trouble_text")
def sms():
    return hotline().answer_text(required("From"), request.form.get("Body", ""))


@bp.post("/status")
def status():
    call_sid = required("CallSid")
    if request.form.get("CallStatus") in FINAL_CALL_STATUSES:
        try:
            hotline().call_ended(call_sid)
        except Exception:  # noqa: BLE001 - the session expires on its own anyway
            log.warning("could not forget a finished call; its session will expire by TTL")
    return twiml(EMPTY_TWIML)
