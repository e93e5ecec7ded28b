"""Accounts and security of the console over real HTTP: sign-in with TOTP, recovery codes,
roles, CSRF, login limits, idle timeout, headers, the audit log, and no caller data."""

from __future__ import annotations

import re
import time

import pyotp
import pytest

from hotline.state.accounts import ACCOUNT_LIMIT, ADDRESS_LIMIT
from hotline.state.audit import KEY as AUDIT_KEY
from hotline.state.revisions import RevisionStore

from .conftest import CALLER, Twilio
from .consolekit import PASSWORD, Browser, add_account, console_app, signed_in


@pytest.fixture
def app(redis_client):
    return console_app()


def test_a_publisher_needs_the_second_step_and_a_code_works_once(app):
    secret = add_account(app, "pat", "publisher")
    browser = Browser(app)
    response = browser.sign_in("pat")  # password only
    assert response.location.endswith("/console/login/code")
    assert browser.get("/console/").status_code == 302, "not signed in before the code"
    browser.get("/console/login/code")
    code = pyotp.TOTP(secret).now()
    assert browser.post("/console/login/code", {"code": "000000" if code != "000000" else "111111"}).status_code == 400
    assert browser.post("/console/login/code", {"code": code}).status_code == 302
    assert browser.get("/console/").status_code == 200
    again = Browser(app)
    again.sign_in("pat")
    again.get("/console/login/code")
    assert again.post("/console/login/code", {"code": code}).status_code == 400, "a code cannot be replayed"


def test_a_new_admin_sets_up_totp_gets_recovery_codes_and_a_recovery_code_works_once(app):
    app.extensions["console"].accounts.add("root", "admin", password=PASSWORD)
    browser = Browser(app)
    assert browser.sign_in("root").location.endswith("/console/login/enrol")
    page = browser.text("/console/login/enrol")
    secret = re.search(r'id="secret">([A-Z2-7 ]+)<', page).group(1).replace(" ", "")
    response = browser.post("/console/login/enrol", {"code": pyotp.TOTP(secret).now()})
    codes = re.findall(r"<li><code>([0-9a-f]{10})</code></li>", response.get_data(as_text=True))
    assert len(codes) == 8
    assert browser.get("/console/accounts").status_code == 200
    for expected in (302, 400):
        other = Browser(app)
        other.sign_in("root")
        other.get("/console/login/code")
        assert other.post("/console/login/code", {"code": codes[0]}).status_code == expected


def test_a_one_time_password_must_be_changed_first(app):
    _, password = app.extensions["console"].accounts.add("vic", "viewer")
    browser = Browser(app)
    browser.sign_in("vic", password)
    response = browser.get("/console/")
    assert response.status_code == 302 and response.location.endswith("/console/account/password")
    browser.get("/console/account/password")
    browser.post("/console/account/password", {"current": password, "new": "my own long password", "again":
                                               "my own long password"})
    assert browser.get("/console/").status_code == 200


def test_a_viewer_is_refused_an_edit_and_nothing_changes(app, redis_client):
    viewer = signed_in(app, "vic", "viewer")
    assert viewer.get("/console/").status_code == 200
    response = viewer.post("/console/node/overdose/sentence", {
        "path": '["nodes", "overdose", "say", 1]', "lang": "en", "text": "changed"})
    assert response.status_code == 403 and "needs the translator role" in response.get_data(as_text=True)
    assert viewer.get("/console/file/flows/hotline.yaml").status_code == 403
    assert viewer.post("/console/publish", {"note": "x"}).status_code == 403
    assert RevisionStore(redis_client).draft("vic") is None


def test_a_translator_changes_only_their_languages(app, redis_client):
    translator = signed_in(app, "tia", "translator", languages=["es"])
    base = {"path": '["nodes", "overdose", "say", 1]', "english": "Give naloxone: spray one dose into one nostril."}
    assert translator.post("/console/node/overdose/sentence", {**base, "lang": "fr", "text": "x"}).status_code == 403
    assert translator.post("/console/node/overdose/sentence", {**base, "lang": "en", "text": "x"}).status_code == 403
    assert RevisionStore(redis_client).draft("tia") is None
    answer = translator.post("/console/node/overdose/sentence", {**base, "lang": "es", "text": "Nuevo."})
    assert answer.status_code == 302
    assert 'msgstr "Nuevo."' in RevisionStore(redis_client).draft("tia").files["locales/es/LC_MESSAGES/messages.po"]


def test_a_request_without_a_csrf_token_is_refused_and_changes_nothing(app, redis_client):
    editor = signed_in(app, "eve", "editor")
    data = {"path": '["nodes", "overdose", "say", 1]', "lang": "en", "text": "forged"}
    for token in (None, "forged-token"):
        response = editor.post("/console/node/overdose/sentence", {**data, "csrf_token": token},
                               token=token is not None)
        assert response.status_code == 400
        assert "security token" in response.get_data(as_text=True)
    fetch = editor.client.post("/console/check/flows/hotline.yaml", data={"text": "x: 1"})
    assert fetch.status_code == 400
    assert RevisionStore(redis_client).draft("eve") is None
    sign_out = editor.client.post("/console/logout")
    assert sign_out.status_code == 400 and editor.get("/console/").status_code == 200


def test_repeated_wrong_passwords_lock_the_account_and_say_when(app):
    add_account(app, "eve", "editor")
    browser = Browser(app)
    for _ in range(ACCOUNT_LIMIT):
        browser.sign_in("eve", "wrong password!")
    response = browser.sign_in("eve")  # the right password, while locked
    text = response.get_data(as_text=True)
    assert response.status_code == 400 and "locked" in text and "try again in 15 minutes" in text
    assert browser.get("/console/").status_code == 302


def test_wrong_passwords_from_one_address_lock_every_account_from_it(app):
    for i in range(3):
        add_account(app, f"user{i}", "viewer")
    browser = Browser(app)
    for i in range(ADDRESS_LIMIT):
        browser.sign_in(f"nobody{i}", "wrong password!")
    assert "locked" in browser.sign_in("user1").get_data(as_text=True)
    elsewhere = Browser(app)
    elsewhere.client.environ_base["REMOTE_ADDR"] = "192.0.2.7"
    assert elsewhere.sign_in("user1").status_code == 302, "another address is not locked out"


def test_thirty_idle_minutes_sign_out(app):
    viewer = signed_in(app, "vic", "viewer")
    with viewer.client.session_transaction("/console/") as session:
        session["seen"] = time.time() - 31 * 60
    response = viewer.get("/console/")
    assert response.status_code == 302 and "/console/login" in response.location
    assert "30 minutes" in viewer.text("/console/login")


def test_cookies_and_headers(app):
    browser = Browser(app)
    response = browser.get("/console/login")
    cookie = response.headers["Set-Cookie"]
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self';" in csp and "unsafe-inline" not in csp and "frame-ancestors 'none'" in csp
    assert response.headers["X-Frame-Options"] == "DENY" and response.headers["Cache-Control"] == "no-store"
    assert "<script>" not in response.get_data(as_text=True), "no inline scripts"
    webhook = Twilio(app.test_client()).post("/twilio/sms", {"From": CALLER, "Body": "hi", "MessageSid": "SM1"})
    assert webhook.status_code == 200
    assert "Set-Cookie" not in webhook.headers and "Content-Security-Policy" not in webhook.headers, \
        "webhooks run no console code"


def test_the_audit_log_records_who_did_what_and_only_admins_read_it(app, redis_client):
    admin = signed_in(app, "root", "admin")
    Browser(app).sign_in("root", "wrong password!")
    admin.post("/console/accounts/add", {"name": "newbie", "role": "editor"})
    admin.post("/console/accounts/newbie/role", {"role": "viewer"})
    admin.post("/console/accounts/newbie/reset")
    admin.post("/console/accounts/newbie/remove")
    page = admin.text("/console/audit")
    for what in ("login", "login-failed", "user-add", "user-role", "user-reset", "user-remove"):
        assert f"<td>{what}</td>" in page, what
    assert 0 < redis_client.ttl(AUDIT_KEY) <= 366 * 86400
    editor = signed_in(app, "eve", "editor")
    assert editor.get("/console/audit").status_code == 403
    assert editor.get("/console/accounts").status_code == 403


def test_no_caller_data_appears_in_the_console(app):
    twilio = Twilio(app.test_client())
    twilio.text("my friend took 3 pills at 94110", caller="+12025550142")
    call = twilio.call(caller="+12025550143")
    call.start()
    admin = signed_in(app, "root", "admin")
    for path in ("/console/", "/console/node/main", "/console/draft", "/console/history", "/console/try",
                 "/console/audit", "/console/accounts"):
        page = admin.text(path)
        for secret in ("2025550142", "5550142", "took 3 pills", call.sid):
            assert secret not in page, (path, secret)


def test_the_terminal_manages_accounts(app):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["hotline", "user", "add", "root", "--role", "admin"])
    assert result.exit_code == 0, result.output
    password = re.search(r"one-time password: (\S+)", result.output).group(1)
    browser = Browser(app)
    assert browser.sign_in("root", password).location.endswith("/console/login/enrol")
    result = runner.invoke(args=["hotline", "user", "add", "tia", "--role", "translator", "--languages", "es",
                                 "--password-stdin"], input="a scripted long password\n")
    assert result.exit_code == 0 and "one-time" not in result.output
    assert Browser(app).sign_in("tia", "a scripted long password").status_code == 302
    listed = runner.invoke(args=["hotline", "user", "list"]).output
    assert "root\tadmin" in listed and "tia\ttranslator [es]" in listed
    assert "one-time password" in runner.invoke(args=["hotline", "user", "reset", "tia"]).output
    assert runner.invoke(args=["hotline", "user", "remove", "tia"]).exit_code == 0
    assert runner.invoke(args=["hotline", "user", "remove", "tia"]).exit_code != 0
    assert "tia" not in runner.invoke(args=["hotline", "user", "list"]).output
    assert runner.invoke(args=["hotline", "user", "add", "x y", "--role", "admin"]).exit_code != 0


def test_a_removed_account_is_signed_out_at_its_next_request(app):
    viewer = signed_in(app, "vic", "viewer")
    app.extensions["console"].accounts.remove("vic")
    assert viewer.get("/console/").status_code == 302
