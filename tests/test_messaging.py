""""Text me this": the exact request Twilio gets, and every way a text can fail, told plainly.

Twilio's REST API is a local HTTP server (pytest-httpserver); the twilio `Client` is
pointed at it through `TWILIO_API_URL` (its `api.base_url`).
"""

from __future__ import annotations

import time

import pytest
from werkzeug import Response

from hotline.state.sessions import SessionStore

from .conftest import CALLER, SECRET, SETTINGS, Twilio, redis_contents, words
from .test_services import LANG_KEY, MESSAGES, SID, Clock, make_app

#: As texted: Spanish is made plain for GSM-7 (`sms_gsm7: letters`) like every reply.
OVERDOSE = {
    "en": ["Call 911 now.", "Give naloxone: spray one dose into one nostril."],
    "es": ["Llame al 911 ahora.", "Dele naloxona: rocie una dosis en un lado de la nariz."],
}
TOLD = {
    "en": {"sent": "I sent you a text message.",
           "opted_out": "This number asked not to get texts from us, so no text was sent.",
           "not_mobile": "This phone number cannot get text messages, so no text was sent.",
           "failed": "Sorry, the text could not be sent right now.",
           "again": "To hear this again, press 1. To get this by text, press 2. To go back, press pound."},
    "es": {"sent": "Le envié un mensaje de texto.",
           "opted_out": "Este número pidió no recibir nuestros mensajes de texto, así que no enviamos ninguno.",
           "not_mobile": "Este número de teléfono no puede recibir mensajes de texto, así que no enviamos ninguno.",
           "failed": "Lo siento, no pudimos enviar el mensaje de texto ahora.",
           "again": "Para volver a oír esto, oprima 1. Para recibirlo por mensaje de texto, oprima 2. "
                    "Para regresar, oprima numeral."},
}


@pytest.fixture
def app(redis_client, httpserver):
    return make_app(httpserver, Clock(None))


def twilio_error(code: int, status: int = 400):
    return {"code": code, "message": "refused", "more_info": f"https://www.twilio.com/docs/errors/{code}",
            "status": status}


def guidance_then_text(app, lang: str, caller: str = CALLER):
    """Choose `lang` at the language menu, then the overdose guidance, then ask for it by text."""
    call = Twilio(app.test_client()).call(caller)
    call.start()
    for key in (LANG_KEY[lang], "1", "1"):
        call.press(key)
    return call.press("2")


@pytest.mark.parametrize("lang", ["en", "es"])
def test_press_2_after_guidance_texts_it_from_the_hotline_number(app, httpserver, redis_client, lang):
    httpserver.expect_oneshot_request(MESSAGES, method="POST").respond_with_json({"sid": "SM1"}, status=201)
    root = guidance_then_text(app, lang)
    assert words(root) == f"{TOLD[lang]['sent']} {TOLD[lang]['again']}"
    assert root.find("Gather") is not None, "the caller stays at the guidance"
    [(request, _)] = httpserver.log
    assert request.method == "POST" and request.path == f"/2010-04-01/Accounts/{SID}/Messages.json"
    assert request.authorization.type == "basic"
    assert (request.authorization.username, request.authorization.password) == (SID, SETTINGS["TWILIO_AUTH_TOKEN"])
    assert request.content_type.startswith("application/x-www-form-urlencoded")
    assert set(request.form) == {"To", "From", "Body"}
    assert request.form["To"] == CALLER and request.form["From"] == "+12025550100"
    assert request.form["Body"].splitlines()[:2] == OVERDOSE[lang]
    assert len(request.form["Body"].splitlines()) == 6
    dump = b"".join(key + value for key, value in redis_contents(redis_client).items())
    assert CALLER[2:].encode() not in dump, "the caller's number is never stored"


@pytest.mark.parametrize("lang", ["en", "es"])
@pytest.mark.parametrize("code, outcome", [(21610, "opted_out"), (21614, "not_mobile"), (21211, "not_mobile"),
                                           (30001, "failed")])
def test_a_twilio_refusal_is_told_plainly(app, httpserver, lang, code, outcome):
    httpserver.expect_oneshot_request(MESSAGES, method="POST").respond_with_json(twilio_error(code), status=400)
    root = guidance_then_text(app, lang)
    assert words(root) == f"{TOLD[lang][outcome]} {TOLD[lang]['again']}"
    assert len(httpserver.log) == 1


def test_a_server_error_or_a_timeout_is_told_plainly(app, httpserver):
    httpserver.expect_oneshot_request(MESSAGES, method="POST").respond_with_data("oops", status=503)
    assert words(guidance_then_text(app, "en")).startswith(TOLD["en"]["failed"])

    def slow(_request):
        time.sleep(1.5)
        return Response("{}", status=201, content_type="application/json")

    httpserver.expect_oneshot_request(MESSAGES, method="POST").respond_with_handler(slow)
    started = time.monotonic()
    # another caller: this one's language is remembered now, and would skip the language menu
    assert words(guidance_then_text(app, "es", caller="+12025550188")).startswith(TOLD["es"]["failed"])
    assert time.monotonic() - started < 1.5, "the caller waits no longer than HOTLINE_SMS_TIMEOUT"
    while len(httpserver.log) < 2 and time.monotonic() - started < 5:
        time.sleep(0.05)  # let the slow answer finish, so it is not logged in the next test


@pytest.mark.parametrize("lang", ["en", "es"])
def test_an_opted_out_number_is_never_texted(app, httpserver, redis_client, lang):
    store = SessionStore(redis_client, SECRET, 60, 60, 60, 60)
    assert store.optout_key(CALLER).startswith("hotline:optout:") and CALLER[2:] not in store.optout_key(CALLER)
    redis_client.set(store.optout_key(CALLER), "1", ex=60)
    root = guidance_then_text(app, lang)
    assert words(root).startswith(TOLD[lang]["opted_out"])
    assert httpserver.log == []


def test_a_hidden_caller_id_is_not_texted(app, httpserver):
    assert words(guidance_then_text(app, "en", caller="anonymous")).startswith(TOLD["en"]["not_mobile"])
    assert httpserver.log == []


def test_without_an_account_sid_texts_are_not_sent_and_the_caller_is_told(redis_client, httpserver):
    app = make_app(httpserver, Clock(None), TWILIO_ACCOUNT_SID="")
    assert words(guidance_then_text(app, "en")).startswith(TOLD["en"]["failed"])
    assert httpserver.log == []


def test_the_hotline_number_can_come_from_the_environment(redis_client, httpserver):
    httpserver.expect_oneshot_request(MESSAGES, method="POST").respond_with_json({"sid": "SM1"}, status=201)
    app = make_app(httpserver, Clock(None), HOTLINE_NUMBER="+12025550199")
    guidance_then_text(app, "en")
    assert httpserver.log[0][0].form["From"] == "+12025550199"
