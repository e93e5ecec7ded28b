"""The README's terminal examples work as written against the development-mode app."""

from __future__ import annotations

import re
import shlex

from hotline import create_app

from .conftest import ROOT, SETTINGS

CURLS = [line for line in (ROOT / "README.md").read_text().splitlines() if line.startswith("curl ")]


def as_request(line: str) -> tuple[str, dict]:
    """`curl -s -d K=V --data-urlencode K=V URL` -> (path, form)."""
    words, form, path = shlex.split(line), {}, None
    for flag, value in zip(words, words[1:], strict=False):
        if flag in ("-d", "--data-urlencode"):
            key, _, val = value.partition("=")
            form[key] = val
    path = re.sub(r"^https?://[^/]+", "", words[-1])
    return path, form


def run_curls(client) -> list[bytes]:
    answers = []
    for line in CURLS:
        path, form = as_request(line)
        response = client.post(path, data=form)
        assert response.status_code == 200, (line, response.data)
        assert response.data.startswith(b'<?xml version="1.0" encoding="UTF-8"?><Response'), line
        assert b"this line is having a problem" not in response.data, line
        answers.append(response.data)
    return answers


def readme_app():
    return create_app({"HOTLINE_ENV": "development", "REDIS_URL": SETTINGS["REDIS_URL"]})


def test_every_curl_example_in_the_readme_gets_twiml(redis_client):
    assert len(CURLS) >= 6
    answers = run_curls(readme_app().test_client())
    step = [i for i, line in enumerate(CURLS) if "/twilio/voice/step" in line]
    assert b'language="es-US"' in answers[step[0]] and b"naloxona" in answers[step[2]], "2 then 1, 1 is Spanish"
    texts = [answers[i] for i, line in enumerate(CURLS) if "/twilio/sms" in line]
    assert texts and all(b"<Message>" in text for text in texts), "every text gets a reply"


def test_the_readmes_curl_block_gives_the_same_answers_when_pasted_again(redis_client):
    client = readme_app().test_client()
    first, again = run_curls(client), run_curls(client)
    assert first == again


def test_the_readmes_example_caller_is_not_the_hotlines_own_number(redis_client):
    app = readme_app()
    callers = {as_request(line)[1].get("From") for line in CURLS} - {None}
    own = app.extensions["hotline"].flows.settings.hotline_number
    assert len(callers) == 1 and own not in callers and "+12025550100" not in callers


def test_the_quick_start_is_two_commands_and_ci_runs_the_readmes_test_command():
    readme = (ROOT / "README.md").read_text()
    block = readme.split("## Quick start", 1)[1].split("```sh\n", 1)[1].split("```", 1)[0]
    commands = [line.split("#", 1)[0].strip() for line in block.splitlines() if line.strip()]
    assert commands == ["./dev serve", "./dev test"]
    ci = [line.strip() for line in (ROOT / ".ci" / "run").read_text().splitlines()]
    assert commands[1] in ci, ".ci/run runs exactly the README's test command"
