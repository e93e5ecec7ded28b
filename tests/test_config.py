"""Start-up: a production start with unusable settings stops at once with one clear line."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from hotline import create_app
from hotline.config import ConfigError

from .conftest import FIXTURE, ROOT, SETTINGS

GOOD = {"TWILIO_AUTH_TOKEN": "a-real-looking-token", "HOTLINE_SECRET": "k3J9-vQ2x_Lm8Pz4Rt6Wn1",
        "TWILIO_ACCOUNT_SID": "AC" + "0" * 32}


def start(**env) -> subprocess.CompletedProcess:
    """`import wsgi` in a fresh process, as gunicorn would, with only these settings."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("HOTLINE_", "TWILIO_", "REDIS_"))}
    clean.update(HOTLINE_FLOWS_DIR=str(FIXTURE / "flows"), HOTLINE_LOCALES_DIR=str(FIXTURE / "locales"))
    return subprocess.run([sys.executable, "-c", "import wsgi"], cwd=ROOT, env={**clean, **env},
                          capture_output=True, text=True, timeout=60)


@pytest.mark.parametrize("env, why", [
    ({"HOTLINE_SECRET": GOOD["HOTLINE_SECRET"]}, "TWILIO_AUTH_TOKEN is required in production"),
    ({"TWILIO_AUTH_TOKEN": "t"}, "HOTLINE_SECRET must be a private random string"),
    ({**GOOD, "HOTLINE_SECRET": "a" * 40}, "HOTLINE_SECRET must be a private random string"),
])
def test_a_bad_production_start_fails_at_once_with_one_clear_line(env, why):
    result = start(**env)
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("hotline cannot start: ") and why in lines[0]


@pytest.mark.parametrize("env, why", [
    ({"HOTLINE_SECRET": "short"}, "HOTLINE_SECRET must be a private random string"),
    ({"HOTLINE_SECRET": "development-only-secret-not-for-production"}, "HOTLINE_SECRET must be"),
    ({"HOTLINE_PUBLIC_URL": "hotline.example.org"}, "HOTLINE_PUBLIC_URL must be the address"),
    ({"HOTLINE_PUBLIC_URL": "https://hotline.example.org/?x=1"}, "HOTLINE_PUBLIC_URL must be the address"),
    ({"HOTLINE_PROXY_HOPS": "-1"}, "HOTLINE_PROXY_HOPS must be zero or more"),
    ({"HOTLINE_TEXTS_PER_NUMBER": "many"}, "HOTLINE_TEXTS_PER_NUMBER must be a whole number"),
    ({"HOTLINE_ENV": "staging"}, "HOTLINE_ENV must be 'production' or 'development'"),
    ({"HOTLINE_LIMIT_WINDOW": "0"}, "HOTLINE_LIMIT_WINDOW must be greater than zero"),
    ({"HOTLINE_CALLS_TOTAL": "0"}, "HOTLINE_CALLS_TOTAL must be greater than zero"),
    ({"HOTLINE_REDIS_TIMEOUT_MS": "-5"}, "HOTLINE_REDIS_TIMEOUT_MS must be greater than zero"),
])
def test_every_unusable_setting_is_named(env, why):
    with pytest.raises(ConfigError, match=why):
        create_app({**SETTINGS, **env})


def test_a_good_production_start_is_quiet():
    result = start(**GOOD)
    assert (result.returncode, result.stderr) == (0, "")


def test_the_development_default_says_loudly_that_signatures_are_not_checked():
    result = start(HOTLINE_ENV="development")
    assert result.returncode == 0
    assert "WARNING" in result.stderr and "Twilio signatures are NOT checked" in result.stderr
