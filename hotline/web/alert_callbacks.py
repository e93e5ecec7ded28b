"""/twilio/alerts/status: Twilio's status callbacks for the alerts the workers sent.

Rules this module keeps:
- Checked like every Twilio webhook (the body's form, then the signature: `twilio.check_request`).
- A callback names a message by its MessageSid only. One that is not an alert of ours (or
  whose record has expired) is answered 200 and changes nothing, so Twilio does not retry
  it; the log says so without the sid's recipient, which is not known here anyway.
- A callback reporting 21610 or 21614 ends that subscriber's alerts, as a refusal would.
"""

from __future__ import annotations

import logging
import re

from flask import Blueprint, Response, abort, current_app, request

from .form import required
from .twilio import check_request, refused

bp = Blueprint("alert_callbacks", __name__, url_prefix="/twilio/alerts")
bp.before_request(check_request)
bp.register_error_handler(Exception, lambda error: _error(error))
log = logging.getLogger("hotline.alerts")
MESSAGE_SID = re.compile(r"(SM|MM)[0-9a-fA-F]{32}")


def _error(error):
    from werkzeug.exceptions import HTTPException

    if isinstance(error, HTTPException):
        return refused(error)
    log.exception("a status callback could not be recorded (%s); Twilio will send it again", type(error).__name__)
    return Response("503: the status could not be recorded; try again\n", status=503, mimetype="text/plain")


@bp.post("/status")
def status():
    alerts = current_app.extensions.get("alerts")
    if alerts is None:
        abort(404, description="alerts are off on this hotline (HOTLINE_ALERTS)")
    sid = required("MessageSid")
    if not MESSAGE_SID.fullmatch(sid):
        abort(400, description="MessageSid is not a Twilio message id")
    state = request.form.get("MessageStatus", "")
    if not alerts.status_callback(sid, state, request.form.get("ErrorCode", "")):
        log.info("a status callback for a message that is not a current alert was ignored")
    return Response(status=204)
