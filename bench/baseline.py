"""The baseline: a bare Flask app answering every POST with one fixed TwiML document.

It does what any Flask webhook must do (route, parse the form, build a response) and
nothing the hotline adds (signature check, Redis, engine, catalogues, TwiML rendering),
so the ratio of the two throughputs is the price of the hotline's own work.
"""

from flask import Flask, Response, request

TWIML = (
    '<?xml version="1.0" encoding="UTF-8"?><Response><Gather action="/twilio/voice/step" finishOnKey="" '
    'input="dtmf" method="POST" numDigits="1" timeout="6"><Say language="en-US" voice="Polly.Joanna-Neural">'
    "For an overdose or naloxone, press 1.</Say></Gather>"
    '<Redirect method="POST">/twilio/voice/step</Redirect></Response>'
)

app = Flask(__name__)


@app.post("/<path:path>")
def answer(path):
    request.form  # noqa: B018 - parse the body, as any webhook must
    return Response(TWIML, mimetype="application/xml")
