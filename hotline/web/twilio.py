"""The webhooks Twilio calls: /twilio/voice, /voice/step, /voice/dial, /voice/recorded,
/voice/screen (what the person answering a screened transfer hears), /sms, /status.

Rules this module keeps:
- Every route checks the body's form first (see `form`), then the signature: a broken
  body gets a clear 4xx, a bad or missing signature 403, and neither changes anything.
- A request without the ids it needs gets 400 and changes nothing. Other parameters,
  even unknown ones (Twilio adds new ones without notice), are ignored.
- Otherwise the answer is always 200 and valid TwiML. If anything inside breaks (Redis
  away or slow, a flow bug), the caller hears the emergency advice in their language if
  the URL says which, else in two, and is put through to the fallback line; a texter
  reads the same advice. Logs name the failure, never the caller: a Redis failure in one
  line with its reason, anything unexpected with its traceback. Screening is the
  exception: if it breaks, the call is connected unscreened rather than dropped.
"""

from __future__ import annotations

import functools
import logging
import math

import redis
from flask import Blueprint, Response, current_app, request
from werkzeug.exceptions import HTTPException

from .. import metrics
from ..flow.events import DialResult, Key, Recorded, Silence, Speech, Start
from ..service import START_TURN
from ..state.breaker import OUTAGES
from .form import call_sid, check_body, number
from .signature import is_signed

bp = Blueprint("twilio", __name__, url_prefix="/twilio")
log = logging.getLogger("hotline.web")
FINAL_CALL_STATUSES = {"completed", "busy", "failed", "no-answer", "canceled"}
MAX_DIGITS = 8  # more than any Gather asks for (a ZIP code is 5)
EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response />'
#: Redis away, stalled or refusing (read-only, out of memory): logged as one line, not a traceback.
REDIS_FAILURES = (redis.RedisError, *OUTAGES)


def hotline():
    return current_app.extensions["hotline"]


@bp.before_request
def check_request():
    check_body()
    config = hotline().config
    if config.development:
        return None
    if not is_signed(request._get_current_object(), config.TWILIO_AUTH_TOKEN, config.HOTLINE_PUBLIC_URL):
        log.warning("refused a request with a bad or missing Twilio signature on %s", request.path)
        return refuse(403, "the X-Twilio-Signature is missing or does not match this URL and body")
    return None


@bp.errorhandler(HTTPException)
def refused(error: HTTPException):
    if error.code in (400, 413, 415):
        log.warning("refused a request to %s: %s %s", request.path, error.code, error.name)
    if error.code == 413:
        return refuse(413, f"the body is larger than the {current_app.config['MAX_CONTENT_LENGTH']} bytes accepted")
    return refuse(error.code or 400, error.description or error.name)


def refuse(code: int, why: str) -> Response:
    """A short plain-text 4xx: whoever reads Twilio's debugger sees at once what was wrong."""
    return Response(f"{code}: {why}\n", status=code, mimetype="text/plain")


def twiml(document: str) -> Response:
    return Response(document, status=200, mimetype="application/xml")


def safely(trouble):
    """Answer with `trouble(hotline)` TwiML instead of an error if the handler raises."""

    def decorate(handler):
        @functools.wraps(handler)
        def wrapper():
            try:
                return twiml(handler())
            except HTTPException:
                raise
            except REDIS_FAILURES as exc:  # expected in an outage: one line with its reason, no traceback
                metrics.REDIS_ERRORS.inc()
                reason = (str(exc).splitlines() or [""])[0][:200]
                log.warning("answered %s with the safe message after %s: %s", request.path, type(exc).__name__, reason)
                return twiml(trouble(hotline()))
            except Exception as exc:  # noqa: BLE001 - the caller must never hear an error
                log.exception("answered %s with the safe message after %s", request.path, type(exc).__name__)
                return twiml(trouble(hotline()))

        return wrapper

    return decorate


def call_trouble(hotline_):
    return hotline_.trouble_call(request.args.get("lang"), request.form.get("From", ""))


def text_trouble(hotline_):
    """The safe text, unless the text was STOP: then nothing, even now."""
    return hotline_.trouble_text(request.form.get("Body", ""), request.form.get("OptOutType", ""),
                                 request.form.get("From", ""))


@bp.post("/voice")
@safely(call_trouble)
def voice():
    form = request.form
    sid, caller = call_sid(form), number(form, "From")
    return hotline().answer_call(sid, Start(), caller=caller, turn=START_TURN)


def caller(form) -> str:
    """The caller's number, used only to send a text they asked for; never stored."""
    return form.get("From", "")


@bp.post("/voice/step")
@safely(call_trouble)
def voice_step():
    form = request.form
    return hotline().answer_call(call_sid(form), heard(form), caller(form), turn=request.args.get("n"))


def heard(form):
    """Keys if any were pressed, else what the caller said, else silence."""
    digits = form.get("Digits", "").strip()
    if digits:
        return Key(digits[:MAX_DIGITS])
    words = form.get("SpeechResult", "").strip()
    if not words:
        return Silence()
    try:
        # A recogniser that gives no score is not doubting; a score that is not a number is.
        confidence = float(form.get("Confidence", "1"))
    except ValueError:
        confidence = 0.0
    if not math.isfinite(confidence) or confidence < 0:  # nan, inf, -1: not a score to trust
        confidence = 0.0
    return Speech(words[:200], confidence)


@bp.post("/voice/dial")
@safely(call_trouble)
def voice_dial():
    form = request.form
    status = DialResult(form.get("DialCallStatus", "failed"))
    return hotline().answer_call(call_sid(form), status, caller(form), turn=request.args.get("n"))


@bp.post("/voice/recorded")
@safely(call_trouble)
def voice_recorded():
    form = request.form
    return hotline().answer_call(call_sid(form), Recorded(), caller(form), turn=request.args.get("n"))


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
@safely(text_trouble)
def sms():
    form = request.form
    sender = number(form, "From")
    try:
        media = int(form.get("NumMedia", "0"))
    except ValueError:
        media = 0
    return hotline().answer_text(sender, form.get("Body", ""), form.get("MessageSid") or None, media=media,
                                 opt_out_type=form.get("OptOutType", ""))


def duration() -> int:
    """The call's length in seconds as Twilio reports it (0 if it does not say)."""
    try:
        return max(int(request.form.get("CallDuration", "0")), 0)
    except ValueError:
        return 0


@bp.post("/status")
def status():
    sid = call_sid(request.form)
    if request.form.get("CallStatus") in FINAL_CALL_STATUSES:
        try:
            hotline().call_ended(sid, request.form.get("From", ""), duration())
        except Exception:  # noqa: BLE001 - the session expires on its own anyway
            log.warning("could not forget a finished call; its session will expire by TTL")
    return twiml(EMPTY_TWIML)
