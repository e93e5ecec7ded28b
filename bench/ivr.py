"""A reference point: the stateless phone-tree pattern of Twilio's own Flask IVR tutorial.

The pattern (TwilioDevEd's `ivr-phone-tree-python`, written again here, not copied): a
welcome route answers with a `<Gather>` built by the twilio helper for every request, and
a menu route picks what to say from the pressed digit with a dictionary of handlers. It
keeps nothing between requests (no Redis), checks no signature and speaks one language.
It is what many real IVRs look like, and a sense of what building TwiML per request costs;
the benchmark runs it in the call-step scenario beside the ceiling app.
"""

from __future__ import annotations

from flask import Flask, request
from twilio.twiml.messaging_response import MessagingResponse
from twilio.twiml.voice_response import VoiceResponse

VOICE = {"voice": "Polly.Joanna-Neural", "language": "en-US"}
STEP = "/twilio/voice/step"

app = Flask(__name__)


def xml(response) -> tuple[str, int, dict]:
    return str(response), 200, {"Content-Type": "application/xml"}


def menu_prompt() -> VoiceResponse:
    response = VoiceResponse()
    gather = response.gather(num_digits=1, action=STEP, method="POST", timeout=6)
    gather.say("For an overdose or naloxone, press 1. For test strips, press 2. To talk to a person, press 0.",
               **VOICE)
    response.redirect(STEP, method="POST")
    return response


def overdose() -> VoiceResponse:
    response = VoiceResponse()
    gather = response.gather(num_digits=1, action=STEP, method="POST", timeout=6)
    gather.say("If someone will not wake up, call 911. Give naloxone. To go back, press the pound key.", **VOICE)
    response.redirect(STEP, method="POST")
    return response


def strips() -> VoiceResponse:
    response = VoiceResponse()
    response.say("Test strips show fentanyl in a drug. Ask a syringe program for them.", **VOICE)
    response.redirect("/twilio/voice", method="POST")
    return response


def person() -> VoiceResponse:
    response = VoiceResponse()
    response.say("Connecting you now.", **VOICE)
    response.dial("+12025550143", timeout=20)
    return response


HANDLERS = {"1": overdose, "2": strips, "0": person}


@app.post("/twilio/voice")
def welcome():
    return xml(menu_prompt())


@app.post(STEP)
def menu():
    return xml(HANDLERS.get(request.form.get("Digits", ""), menu_prompt)())


@app.post("/twilio/sms")
def sms():
    response = MessagingResponse()
    response.message("Reply with a number: 1 overdose, 2 test strips, 0 a person.")
    return xml(response)


@app.post("/<path:path>")
def other(path):
    response = VoiceResponse()
    response.hangup()
    return xml(response)
