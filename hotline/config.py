"""Settings from the environment, checked once at start-up.

Rules this module keeps: every setting has a documented default (see README), and a
production start with a missing or weak secret, or no Twilio auth token, fails at once
with one clear line rather than at the first call. Development mode exists for the quick
start: it skips signature checks and says so loudly.
"""

from __future__ import annotations

import base64
import os
from dataclasses import dataclass, fields
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

ROOT = Path(__file__).resolve().parent.parent
DEV_SECRET = "development-only-secret-not-for-production"
MIN_SECRET_LENGTH = 16
_MAY_BE_ZERO = ("HOTLINE_PROXY_HOPS", "HOTLINE_RELOAD_SECONDS", "HOTLINE_LANGUAGE_TTL")
#: One server (or a proxy), or a Redis Cluster by any node's address (see hotline/state/client.py).
REDIS_SCHEMES = ("redis", "rediss", "unix", "redis+cluster", "rediss+cluster")
MIN_SECRET_SYMBOLS = 8  # distinct characters: "aaaaaaaaaaaaaaaa" is long but not secret
_SWITCHES = ("HOTLINE_ALERTS", "HOTLINE_ALERTS_TWO_PERSON")


class ConfigError(Exception):
    """A setting is missing or unusable; the message is one line naming it."""


#: A valid Fernet key for development only: numbers encrypted with it are as good as plain.
DEV_ALERTS_KEY = "ZGV2ZWxvcG1lbnQtb25seS1hbGVydHMta2V5LW5vdCE="


def check_alerts_key(key: str) -> None:
    """Raise `ConfigError` unless `key` is a Fernet key (32 bytes, URL-safe base64)."""
    try:
        valid = len(base64.urlsafe_b64decode(key.encode("ascii"))) == 32 and key != DEV_ALERTS_KEY
    except (ValueError, UnicodeEncodeError):
        valid = False
    if not valid:
        raise ConfigError(
            "HOTLINE_ALERTS_KEY must be set to a private Fernet key when HOTLINE_ALERTS=on (make one with: "
            "python3 -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())')"
        )


@dataclass(frozen=True)
class Config:
    HOTLINE_ENV: str = "production"
    REDIS_URL: str = "redis://127.0.0.1:6379/0"
    TWILIO_AUTH_TOKEN: str = ""
    TWILIO_ACCOUNT_SID: str = ""
    HOTLINE_SECRET: str = ""
    HOTLINE_PUBLIC_URL: str = ""
    HOTLINE_FLOWS_DIR: str = str(ROOT / "flows")
    HOTLINE_LOCALES_DIR: str = str(ROOT / "locales")
    #: Recordings for languages Twilio cannot speak (docs/languages.md), served at /audio/.
    HOTLINE_AUDIO_DIR: str = str(ROOT / "audio")
    #: Where Twilio fetches them, if not from this app (e.g. a CDN); default: <public URL>/audio.
    HOTLINE_AUDIO_URL: str = ""
    HOTLINE_VOICE_TTL: int = 3600
    HOTLINE_SMS_TTL: int = 86400
    HOTLINE_MAX_BODY: int = 64 * 1024
    #: How long a STOP is kept (seconds; renewed while the number keeps texting). 2 years.
    HOTLINE_OPT_OUT_TTL: int = 2 * 365 * 86400
    #: How long a caller's or texter's language is remembered after their last contact
    #: (seconds). 90 days; 0 switches remembering off.
    HOTLINE_LANGUAGE_TTL: int = 90 * 86400
    #: Look for edited flows and catalogues at most this often, in seconds (0: on every request).
    HOTLINE_RELOAD_SECONDS: int = 5
    #: `on`: the coordinators' console at /console, and flows served from revisions in Redis
    #: (docs/console.md); `off`: flows served from the files on disk.
    HOTLINE_CONSOLE: str = "off"
    #: The hotline's own number (E.164), texts are sent from it; else the flow setting.
    HOTLINE_NUMBER: str = ""
    #: Base URL of Twilio's REST API; empty means https://api.twilio.com.
    TWILIO_API_URL: str = ""
    #: Seconds to wait for Twilio when sending a text during a call.
    HOTLINE_SMS_TIMEOUT: int = 5
    HOTLINE_PROXY_HOPS: int = 0  # trusted proxies in front that set X-Forwarded-* (werkzeug ProxyFix)
    HOTLINE_REDIS_TIMEOUT_MS: int = 500  # a slow Redis must not keep a caller waiting (it answers in < 1 ms)
    # Flood and toll-fraud limits, counted in Redis per window (seconds), per hashed number and overall.
    HOTLINE_LIMIT_WINDOW: int = 3600
    HOTLINE_TEXTS_PER_NUMBER: int = 60
    HOTLINE_TEXTS_TOTAL: int = 6000
    HOTLINE_CALLS_PER_NUMBER: int = 20
    HOTLINE_CALLS_TOTAL: int = 2000
    # Drug-supply alerts (docs/alerts.md): off unless switched on.
    HOTLINE_ALERTS: str = "off"
    #: Fernet key the subscribers' numbers are encrypted with; required when alerts are on.
    HOTLINE_ALERTS_KEY: str = ""
    #: Alerts sent per second, all workers together: the sending number's throughput.
    HOTLINE_ALERTS_RATE: int = 1
    #: "on": a second publisher approves every alert before it is sent.
    HOTLINE_ALERTS_TWO_PERSON: str = "on"
    #: Subscribers per sending job (a worker takes one job at a time).
    HOTLINE_ALERTS_BATCH: int = 100
    #: Send alerts through this Twilio Messaging Service (MG...) instead of the hotline number.
    TWILIO_MESSAGING_SERVICE_SID: str = ""
    #: Texts sent during calls ("text me this"): at most this many per call, this many by
    #: everyone per window, and only to numbers of these countries (ISO codes, comma-separated;
    #: empty: the country of the hotline's own number). Each also counts against the
    #: destination number's HOTLINE_TEXTS_PER_NUMBER.
    HOTLINE_TEXTS_PER_CALL: int = 3
    HOTLINE_CALL_TEXTS_TOTAL: int = 300
    HOTLINE_TEXT_COUNTRIES: str = ""
    # Usage figures (docs/privacy.md, "Usage figures").
    #: The programme's time zone: figures are counted per day and hour of this zone.
    HOTLINE_TIME_ZONE: str = "UTC"
    #: Numbers (E.164, comma-separated) whose calls and texts are test traffic, counted apart.
    HOTLINE_TEST_NUMBERS: str = ""
    #: Figures shown or exported below this are shown as "<N" (usage) or "fewer than N" (alerts).
    HOTLINE_SMALL_CELLS: int = 10
    #: On a Redis Cluster, each process writes its counts this often (seconds).
    HOTLINE_STATS_FLUSH: int = 5
    #: Bearer token of /metrics (Prometheus); without it /metrics is off (404).
    HOTLINE_METRICS_TOKEN: str = ""

    @property
    def development(self) -> bool:
        return self.HOTLINE_ENV == "development"

    @classmethod
    def from_mapping(cls, values) -> Config:
        """Build from the environment (or a test's dict); unset values keep their defaults."""
        given = {}
        for f in fields(cls):
            raw = values.get(f.name)
            if raw is None or raw == "":
                continue
            if f.type == "int":
                try:
                    given[f.name] = int(raw)
                except (TypeError, ValueError):
                    raise ConfigError(f"{f.name} must be a whole number, not {raw!r}") from None
            else:
                given[f.name] = str(raw)
        config = cls(**given)
        config.check()
        return config

    @classmethod
    def from_env(cls) -> Config:
        return cls.from_mapping(os.environ)

    def check(self) -> None:
        if self.HOTLINE_ENV not in ("production", "development"):
            raise ConfigError(f"HOTLINE_ENV must be 'production' or 'development', not {self.HOTLINE_ENV!r}")
        for f in fields(self):
            if f.type == "int" and f.name not in _MAY_BE_ZERO and getattr(self, f.name) <= 0:
                raise ConfigError(f"{f.name} must be greater than zero")
        for name in _MAY_BE_ZERO:
            if getattr(self, name) < 0:
                raise ConfigError(f"{name} must be zero or more")
        if self.HOTLINE_CONSOLE not in ("on", "off"):
            raise ConfigError(f"HOTLINE_CONSOLE must be 'on' or 'off', not {self.HOTLINE_CONSOLE!r}")
        if self.HOTLINE_PUBLIC_URL:
            parts = urlsplit(self.HOTLINE_PUBLIC_URL)
            if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
                raise ConfigError(
                    "HOTLINE_PUBLIC_URL must be the address Twilio calls, like https://hotline.example.org, "
                    f"not {self.HOTLINE_PUBLIC_URL!r}"
                )
        for name in _SWITCHES:
            if getattr(self, name) not in ("on", "off"):
                raise ConfigError(f"{name} must be 'on' or 'off', not {getattr(self, name)!r}")
        if self.alerts and not self.development:
            check_alerts_key(self.HOTLINE_ALERTS_KEY)
        if self.alerts and "+cluster" in self.REDIS_URL.partition("://")[0]:
            raise ConfigError("HOTLINE_ALERTS=on needs a single Redis server (or a proxy): RQ cannot use a cluster")
        try:
            ZoneInfo(self.HOTLINE_TIME_ZONE)
        except (ValueError, ZoneInfoNotFoundError):
            raise ConfigError(f"HOTLINE_TIME_ZONE must be a time zone like America/Los_Angeles, "
                              f"not {self.HOTLINE_TIME_ZONE!r}") from None
        if self.REDIS_URL.partition("://")[0] not in REDIS_SCHEMES:
            raise ConfigError(f"REDIS_URL must start with {', '.join(s + '://' for s in REDIS_SCHEMES)}")
        if self.development:
            return
        if not self.TWILIO_AUTH_TOKEN:
            raise ConfigError("TWILIO_AUTH_TOKEN is required in production (or set HOTLINE_ENV=development)")
        secret = self.HOTLINE_SECRET
        if len(secret) < MIN_SECRET_LENGTH or len(set(secret)) < MIN_SECRET_SYMBOLS or secret == DEV_SECRET:
            raise ConfigError(
                f"HOTLINE_SECRET must be a private random string of at least {MIN_SECRET_LENGTH} characters "
                "(for example: python3 -c 'import secrets; print(secrets.token_urlsafe(32))')"
            )

    @property
    def alerts(self) -> bool:
        return self.HOTLINE_ALERTS == "on"

    @property
    def alerts_key(self) -> str:
        """The Fernet key for numbers; in development without one, a fixed key (never for real numbers)."""
        return self.HOTLINE_ALERTS_KEY or (DEV_ALERTS_KEY if self.development else "")

    @property
    def test_numbers(self) -> tuple[str, ...]:
        return tuple(n.strip() for n in self.HOTLINE_TEST_NUMBERS.split(",") if n.strip())

    @property
    def console(self) -> bool:
        return self.HOTLINE_CONSOLE == "on"

    @property
    def audio_url(self) -> str:
        return self.HOTLINE_AUDIO_URL or f"{self.HOTLINE_PUBLIC_URL.rstrip('/')}/audio"

    @property
    def secret(self) -> str:
        return self.HOTLINE_SECRET or DEV_SECRET
