"""Transfers to services, their fallbacks, and "services near me", over signed webhooks.

Every path the issue names is walked in English and Spanish against a real Redis, at a
fixed moment (the hotline's clock is injected), with Twilio's REST API played by a local
HTTP server so the texts the hotline sends can be checked request by request.
"""

from __future__ import annotations

import datetime as dt
import shutil

import pytest

from hotline import create_app
from hotline.texting.segments import plain

from .conftest import CALLER, FIRST_HINT, FIXTURE, SETTINGS, Twilio, check_voice, redis_contents, spoken, words

SID = "AC" + "0123456789abcdef" * 2
MESSAGES = f"/2010-04-01/Accounts/{SID}/Messages.json"
HOTLINE_NUMBER = "+12025550100"
PT = dt.timezone(dt.timedelta(hours=-8))
WEDNESDAY_10AM = dt.datetime(2026, 11, 25, 10, tzinfo=PT)
WEDNESDAY_9PM = dt.datetime(2026, 11, 25, 21, tzinfo=PT)
SUNDAY_7AM = dt.datetime(2026, 11, 29, 7, tzinfo=PT)
LANG_KEY = {"en": "1", "es": "2"}
SAY_LANG = {"en": "en-US", "es": "es-US"}

P = {
    "en": {
        "treatment": "I will connect you to a treatment service.",
        "bayview": "Connecting you to Bayview Recovery Clinic. Please stay on the line.",
        "samhsa": "Connecting you to SAMHSA National Helpline. Please stay on the line.",
        "busy": "The line is busy.", "no-answer": "No one answered.", "failed": "The call could not go through.",
        "sent": "I sent you a text message.",
        "goodbye": "Thank you for calling.",
        "bayview_closed": "Bayview Recovery Clinic is closed now, opens tomorrow at 8:00 AM.",
        "peer_closed": "Tenderloin Peer Support is closed now, opens today at 8:00 AM.",
        "mission_closed": "Mission Street Syringe Access is closed now, opens tomorrow at 9:00 AM.",
        "none_open": "None of these services is open right now.",
        "numbers": "Numbers you can call:",
        "bayview_line": "Bayview Recovery Clinic: 1-415-555-0163, open until 6:00 PM.",
        "samhsa_line": "SAMHSA National Helpline: 1-800-662-4357, open 24 hours.",
        "988_line": "988 Suicide and Crisis Lifeline: 988, open 24 hours.",
        "consent": "You can leave a message after the tone.",
        "ask_zip": "To find services near you, enter your five-digit ZIP code.",
        "bad_zip": "Sorry, that is not a five-digit US ZIP code.",
        "open_near": "Open now near you:",
        "mission_near": "Mission Street Syringe Access, less than a mile away, open until 5:00 PM. "
                        "Call 1-415-555-0142.",
        "miles": "miles away",
        "none_near": "No service near you is open right now.",
        "mission_tomorrow": "Mission Street Syringe Access, less than a mile away, closed now, opens tomorrow "
                            "at 9:00 AM. Call 1-415-555-0142.",
        "not_near": "We do not know of services near that ZIP code yet.",
        "national": "Free lines that anyone can call:",
        "after_results": "To try another ZIP code, press 3.",
        "sms_after": "Reply with another ZIP code, or MENU for the menu.",
        "sms_ask": "To find services near you, reply with your five-digit ZIP code.",
        "calling_many": "Calling 2 services at once. You will talk to the first one that answers.",
    },
    "es": {
        "treatment": "Lo voy a comunicar con un servicio de tratamiento.",
        "bayview": "Lo estamos comunicando con Bayview Recovery Clinic. Por favor, no cuelgue.",
        "samhsa": "Lo estamos comunicando con SAMHSA National Helpline. Por favor, no cuelgue.",
        "busy": "La línea está ocupada.", "no-answer": "Nadie contestó.",
        "failed": "No se pudo completar la llamada.",
        "sent": "Le envié un mensaje de texto.",
        "goodbye": "Gracias por llamar.",
        "bayview_closed": "Bayview Recovery Clinic está cerrado ahora, abre mañana a las 8:00.",
        "peer_closed": "Tenderloin Peer Support está cerrado ahora, abre hoy a las 8:00.",
        "mission_closed": "Mission Street Syringe Access está cerrado ahora, abre mañana a las 9:00.",
        "none_open": "Ninguno de estos servicios está abierto ahora.",
        "numbers": "Números a los que puede llamar:",
        "bayview_line": "Bayview Recovery Clinic: 1-415-555-0163, abierto hasta las 18:00.",
        "samhsa_line": "SAMHSA National Helpline: 1-800-662-4357, abierto las 24 horas.",
        "988_line": "988 Suicide and Crisis Lifeline: 988, abierto las 24 horas.",
        "consent": "Puede dejar un mensaje después del tono.",
        "ask_zip": "Para buscar servicios cerca de usted, marque su código postal de cinco dígitos.",
        "bad_zip": "Lo siento, ese no es un código postal de Estados Unidos de cinco dígitos.",
        "open_near": "Abiertos ahora cerca de usted:",
        "mission_near": "Mission Street Syringe Access, a menos de una milla, abierto hasta las 17:00. "
                        "Llame al 1-415-555-0142.",
        "miles": "millas",
        "none_near": "Ningún servicio cerca de usted está abierto ahora.",
        "mission_tomorrow": "Mission Street Syringe Access, a menos de una milla, cerrado ahora, abre mañana "
                            "a las 9:00. Llame al 1-415-555-0142.",
        "not_near": "Todavía no conocemos servicios cerca de ese código postal.",
        "national": "Líneas gratis a las que cualquiera puede llamar:",
        "after_results": "Para probar otro código postal, oprima 3.",
        "sms_after": "Responda con otro código postal, o MENU para ver el menú.",
        "sms_ask": "Para buscar servicios cerca de usted, responda con su código postal de cinco dígitos.",
        "calling_many": "Estamos llamando a 2 servicios a la vez.",
    },
}


class Clock:
    """The hotline's clock, set by each test."""

    def __init__(self, now: dt.datetime):
        self.now = now

    def __call__(self) -> dt.datetime:
        return self.now


@pytest.fixture
def clock():
    return Clock(WEDNESDAY_10AM)


def make_app(httpserver, clock, **extra):
    settings = {**SETTINGS, "TWILIO_ACCOUNT_SID": SID, "TWILIO_API_URL": httpserver.url_for("/"),
                "HOTLINE_SMS_TIMEOUT": "1", **extra}
    return create_app(settings, clock=clock)


@pytest.fixture
def tw(redis_client, httpserver, clock):
    httpserver.expect_request(MESSAGES, method="POST").respond_with_json(
        {"sid": "SM" + "0" * 32, "status": "queued"}, status=201)
    return Twilio(make_app(httpserver, clock).test_client())


def texts(httpserver) -> list[dict]:
    """The texts the hotline asked Twilio to send, as Twilio would read them."""
    sent = []
    for request, _ in httpserver.log:
        assert request.path == MESSAGES and request.method == "POST"
        assert (request.authorization.username, request.authorization.password) == (SID, SETTINGS["TWILIO_AUTH_TOKEN"])
        sent.append(dict(request.form))
    return sent


def reach(tw, lang: str, *keys: str):
    call = tw.call()
    call.start()
    root = call.press(LANG_KEY[lang])
    for key in keys:
        root = call.press(key)
    return call, root


def in_language(root, lang: str) -> None:
    assert {language for language, _ in spoken(root)} == {SAY_LANG[lang]}, spoken(root)


def numbers_dialled(root) -> list[str]:
    return [number.text for number in root.iter("Number")]


# -- transfers ---------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["en", "es"])
def test_a_transfer_rings_the_open_service_and_completed_says_goodbye(tw, lang):
    call, root = reach(tw, lang, "5", "2")
    in_language(root, lang)
    assert words(root) == f"{P[lang]['treatment']} {P[lang]['bayview']}"
    dial = root.find("Dial")
    assert dial.get("action").split("?")[0] == "/twilio/voice/dial" and dial.get("timeout") == "20"
    assert numbers_dialled(root) == ["+14155550163"]
    end = call.dial_result("completed")
    assert P[lang]["goodbye"] in words(end) and end[-1].tag == "Hangup"


@pytest.mark.parametrize("lang", ["en", "es"])
@pytest.mark.parametrize("status", ["busy", "no-answer", "failed"])
def test_busy_no_answer_or_failed_rings_the_next_then_texts_the_numbers_then_the_person(tw, httpserver, lang, status):
    call, _ = reach(tw, lang, "5", "2")
    second = call.dial_result(status)
    in_language(second, lang)
    assert words(second) == f"{P[lang][status]} {P[lang]['samhsa']}"
    assert numbers_dialled(second) == ["+18006624357"]
    assert texts(httpserver) == []
    last = call.dial_result(status)
    in_language(last, lang)
    said = words(last)
    assert said.startswith(f"{P[lang][status]} {P[lang]['sent']}") and P[lang]["goodbye"] not in said
    assert numbers_dialled(last) == ["+12025550143"], "never a hangup: the person line is tried next"
    [sent] = texts(httpserver)
    assert sent["To"] == CALLER and sent["From"] == HOTLINE_NUMBER
    texted = [plain(P[lang][name], letters=lang == "es") for name in ("numbers", "bayview_line", "samhsa_line")]
    assert sent["Body"].splitlines()[:3] == texted, "made plain for GSM-7 like every text"
    assert plain(P[lang]["988_line"], letters=lang == "es") in sent["Body"].splitlines()


@pytest.mark.parametrize("lang", ["en", "es"])
def test_a_closed_service_is_named_with_its_hours_and_the_next_option_is_rung(tw, clock, lang):
    clock.now = WEDNESDAY_9PM
    _, root = reach(tw, lang, "5", "2")
    in_language(root, lang)
    assert words(root) == f"{P[lang]['treatment']} {P[lang]['bayview_closed']} {P[lang]['samhsa']}"
    assert numbers_dialled(root) == ["+18006624357"]


@pytest.mark.parametrize("lang", ["en", "es"])
def test_when_every_service_is_closed_the_caller_hears_the_hours_and_gets_the_numbers(tw, clock, httpserver, lang):
    clock.now = SUNDAY_7AM
    call, root = reach(tw, lang, "5", "3")
    in_language(root, lang)
    said = words(root)
    for phrase in ("peer_closed", "mission_closed", "none_open", "sent"):
        assert P[lang][phrase] in said, phrase
    assert said.index(P[lang]["peer_closed"]) < said.index(P[lang]["none_open"]) < said.index(P[lang]["sent"])
    assert P[lang]["goodbye"] not in said and root.find("Hangup") is None, "no dead end when all are closed"
    assert numbers_dialled(root) == ["+12025550143"], "put through to the person line"
    assert len(texts(httpserver)) == 1
    after = call.dial_result("no-answer")  # nobody there either: the national lines, and a menu to go on
    assert "1-800-662-4357" in words(after) and after.find("Gather") is not None


def test_together_rings_every_open_service_at_once_with_screening(tw):
    _, root = reach(tw, "en", "5", "3")
    assert P["en"]["calling_many"] in words(root)
    assert numbers_dialled(root) == ["+14155550157", "+14155550142"]
    for number in root.iter("Number"):
        assert number.get("url") == "/twilio/voice/screen?lang=en" and number.get("method") == "POST"


def test_services_speaking_the_callers_language_are_rung_first(tw):
    call, root = reach(tw, "es", "5", "3")
    assert numbers_dialled(root) == ["+14155550142"], "only Mission speaks Spanish"
    assert root.find("Dial/Number").get("url") == "/twilio/voice/screen?lang=es"
    after = call.dial_result("no-answer")
    assert numbers_dialled(after) == ["+14155550157"], "then the others"


def test_screening_asks_whoever_answers_to_accept_and_hangs_up_a_voicemail_box(tw):
    params = {"CallSid": "CA" + "7" * 32, "From": CALLER, "To": "+14155550142"}
    root = tw.twiml("/twilio/voice/screen?lang=es", params)
    gather = root.find("Gather")
    assert gather.get("action") == "/twilio/voice/screen/answer" and gather.get("numDigits") == "1"
    assert spoken(root)[0] == ("en-US", "Hotline call, Spanish speaker. Press 1 to accept.")
    assert [verb.tag for verb in root] == ["Gather", "Hangup"], "no key: that leg hangs up, not the caller"
    accepted = tw.twiml("/twilio/voice/screen/answer", {**params, "Digits": "1"})
    assert [verb.tag for verb in accepted] == ["Say"] and words(accepted) == "Connecting."
    refused = tw.twiml("/twilio/voice/screen/answer", {**params, "Digits": "7"})
    assert [verb.tag for verb in refused] == ["Hangup"]
    assert tw.post("/twilio/voice/screen?lang=es", params, signed=False).status_code == 403
    assert tw.post("/twilio/voice/screen/answer", {**params, "Digits": "1"}, signed=False).status_code == 403


@pytest.fixture
def voicemail_tw(redis_client, httpserver, clock, tmp_path):
    flows = tmp_path / "flows"
    shutil.copytree(FIXTURE / "flows", flows)
    path = flows / "hotline.yaml"
    path.write_text(path.read_text().replace("    ring: in_turn\n", "    ring: in_turn\n    voicemail: true\n", 1))
    httpserver.expect_request(MESSAGES, method="POST").respond_with_json({"sid": "SM1"}, status=201)
    return Twilio(make_app(httpserver, clock, HOTLINE_FLOWS_DIR=str(flows)).test_client())


@pytest.mark.parametrize("lang", ["en", "es"])
def test_voicemail_when_switched_on_comes_with_consent_then_the_text_then_goodbye(voicemail_tw, httpserver, lang):
    call, _ = reach(voicemail_tw, lang, "5", "2")
    call.dial_result("busy")
    root = call.dial_result("no-answer")
    in_language(root, lang)
    assert P[lang]["consent"] in words(root)
    record = root.find("Record")
    assert record.get("maxLength") == "120" and record.get("action").split("?")[0] == "/twilio/voice/recorded"
    assert record.get("finishOnKey") == "#"
    assert root[-1].tag == "Redirect" and root[-1].text.split("?")[0] == "/twilio/voice/recorded"
    assert texts(httpserver) == []
    end = call.recorded()
    in_language(end, lang)
    assert words(end).startswith(P[lang]["sent"]) and end[-1].tag == "Hangup"
    assert len(texts(httpserver)) == 1


# -- services near me --------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["en", "es"])
def test_a_zip_code_gives_the_nearest_three_open_services_then_again_text_and_another(tw, httpserver, lang):
    call, ask = reach(tw, lang, "5", "1")
    assert words(ask) == P[lang]["ask_zip"]
    assert ask.find("Gather").get("numDigits") == "5"
    root = call.press("94110")
    in_language(root, lang)
    said = words(root)
    assert said.startswith(f"{P[lang]['open_near']} {P[lang]['mission_near']}")
    assert said.count(P[lang]["miles"]) == 2 and "Tenderloin Peer Support" in said and "Bayview" in said
    assert "Eastlake" not in said, "Oakland's van does not serve 94110"
    assert P[lang]["after_results"] in said and root.find("Gather").get("numDigits") == "1"
    assert words(call.press("1")) == said, "1 says the list again"
    texted = call.press("2")
    assert words(texted).startswith(P[lang]["sent"])
    [sent] = texts(httpserver)
    assert sent["Body"].splitlines()[:2] == [P[lang]["open_near"], P[lang]["mission_near"]]
    again = call.press("3")
    assert words(again) == P[lang]["ask_zip"] and again.find("Gather").get("numDigits") == "5"


@pytest.mark.parametrize("lang", ["en", "es"])
def test_when_nothing_near_is_open_the_nearest_and_the_national_lines_are_given(tw, clock, lang):
    clock.now = WEDNESDAY_9PM
    call, _ = reach(tw, lang, "5", "1")
    said = words(call.press("94110"))
    assert said.startswith(f"{P[lang]['none_near']} {P[lang]['mission_tomorrow']} {P[lang]['national']} "
                           f"{P[lang]['samhsa_line']} {P[lang]['988_line']}")
    assert "Never Use Alone" in said


@pytest.mark.parametrize("lang", ["en", "es"])
def test_an_out_of_area_zip_code_gets_the_national_lines(tw, lang):
    call, _ = reach(tw, lang, "5", "1")
    root = call.press("10001")
    in_language(root, lang)
    assert words(root).startswith(f"{P[lang]['not_near']} {P[lang]['national']} {P[lang]['samhsa_line']}")


@pytest.mark.parametrize("lang", ["en", "es"])
@pytest.mark.parametrize("digits", ["00000", "941", "99999"])
def test_an_invalid_zip_code_is_explained_and_asked_again(tw, lang, digits):
    call, _ = reach(tw, lang, "5", "1")
    root = call.press(digits)
    in_language(root, lang)
    assert words(root) == f"{P[lang]['bad_zip']} {P[lang]['ask_zip']}"
    assert root.find("Gather").get("numDigits") == "5"


def test_repeated_invalid_zip_codes_end_somewhere_useful(tw):
    call, _ = reach(tw, "en", "5", "1")
    call.press("123")
    call.silence()
    root = call.press("000")
    assert numbers_dialled(root) == ["+12025550143"], "after three failures, a person"


def test_the_syringe_lookup_lists_only_syringe_services(tw):
    call, _ = reach(tw, "en", "4", "4")
    said = words(call.press("94110"))
    assert "Mission Street Syringe Access" in said
    assert "Tenderloin" not in said and "Bayview" not in said


@pytest.mark.parametrize("body", ["94110", "SERVICES 94110", "services: 94110", "zip 94110"])
def test_texting_a_zip_code_alone_or_after_services_gets_the_list(tw, body):
    reply = tw.text(body)
    lines = reply.splitlines()
    assert lines[:2] == [P["en"]["open_near"], P["en"]["mission_near"]]
    assert lines[-2:] == [P["en"]["sms_after"], FIRST_HINT] and len(lines) == 6


def texted(lang: str, name: str) -> str:
    """A phrase as texted: Spanish without the accents GSM-7 lacks (languages.yaml `sms_gsm7`)."""
    return plain(P[lang][name], letters=lang == "es")


def test_texting_servicios_in_spanish(tw):
    tw.text("ES")
    reply = tw.text("where are the servicos near 94110")  # a keyword anywhere, with a slip
    assert reply.splitlines()[:2] == [texted("es", "open_near"), texted("es", "mission_near")]
    assert reply.splitlines()[-1] == texted("es", "sms_after")
    assert tw.text("SERVICIOS 94110") == reply


@pytest.mark.parametrize("lang", ["en", "es"])
def test_texting_an_invalid_or_out_of_area_zip_code(tw, lang):
    if lang == "es":
        tw.text("ES")
    first = [FIRST_HINT] if lang == "en" else []  # "ES" was the Spanish texter's first text
    assert tw.text("SERVICES 1234").splitlines() == [texted(lang, "bad_zip"), texted(lang, "sms_ask"), *first]
    assert tw.text("SERVICES").splitlines() == [texted(lang, "sms_ask")]
    assert tw.text("no sé").splitlines() == [texted(lang, "bad_zip"), texted(lang, "sms_ask")]
    far = tw.text("10001").splitlines()
    assert far[:3] == [texted(lang, "not_near"), texted(lang, "national"), texted(lang, "samhsa_line")]


def test_a_texter_at_a_transfer_to_services_gets_the_numbers(tw):
    reply = tw.text("TREATMENT")
    assert reply.splitlines() == ["You can call:", P["en"]["bayview_line"], P["en"]["samhsa_line"],
                                  "Reply MENU for the menu.", FIRST_HINT], "a next step, as after guidance"


def test_every_answer_is_valid_voice_twiml_and_no_number_or_zip_is_stored(tw, redis_client):
    call, _ = reach(tw, "en", "5", "1")
    check_voice(call.press("94110"))
    call.press("2")
    tw.text("SERVICES 94110")
    dump = b"".join(key + value for key, value in redis_contents(redis_client).items())
    assert CALLER.encode() not in dump and CALLER[2:].encode() not in dump and b"94110" not in dump
    for key in redis_client.keys("*"):
        assert redis_client.ttl(key) > 0
