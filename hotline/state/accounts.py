"""Console accounts in Redis: roles, argon2 passwords, TOTP, recovery codes, login limits.

Rules this module keeps:
- Passwords are kept only as argon2id hashes (argon2-cffi); recovery codes as SHA-256
  (each is 80 random bits, so a slow hash adds nothing) and each works once.
- Roles are ranked: viewer < translator < editor < publisher < admin; each can do what
  the ones before it can. A translator edits only the catalogues of their languages.
  Publishers and admins must use a TOTP second factor (pyotp); a code works once.
- Each account has a session token; a password reset or removal changes it, so every
  session signed in with the old one ends at its next request.
- Failed logins are counted per account and per client address (a keyed hash, never the
  address itself) for `LOCK_SECONDS`; at the limit, logins are refused until the count
  expires, and the refusal says when.
- Accounts never expire (they are removed by an admin); counters and used codes do.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import secrets
import time
from dataclasses import dataclass, field

import pyotp
import redis
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

ROLES = ("viewer", "translator", "editor", "publisher", "admin")
ROLE_LIST = ", ".join(ROLES)
NEEDS_TOTP = frozenset({"publisher", "admin"})
NAME = re.compile(r"^[a-z0-9][a-z0-9._-]{0,39}$")
MIN_PASSWORD = 12
RECOVERY_CODES = 8
ACCOUNT_LIMIT = 5  # wrong passwords or codes per account, per LOCK_SECONDS
ADDRESS_LIMIT = 20  # per client address
LOCK_SECONDS = 15 * 60
CONSOLE = "hotline:console"


class AccountError(ValueError):
    """A request about accounts that cannot be done; the message says why, plainly.

    The console shows it in each coordinator's language: `message` is the English with
    `%(names)s` (extracted into the console's catalogue: babel-console.cfg, `-k AccountError`)
    and `values` fill it; the terminal prints it filled in, in English."""

    def __init__(self, message: str, /, **values):
        super().__init__(message % values if values else message)
        self.message, self.values = message, values


@dataclass(frozen=True)
class Account:
    name: str
    role: str
    password_hash: str = field(repr=False)
    token: str = field(repr=False)
    totp_secret: str = field(default="", repr=False)
    recovery: tuple[str, ...] = field(default=(), repr=False)
    languages: tuple[str, ...] = ()
    must_change: bool = False
    created: float = 0.0
    console_language: str = "en"  # the language the console is shown in for this account

    def can(self, role: str) -> bool:
        """Whether this account has `role` or a higher one."""
        return ROLES.index(self.role) >= ROLES.index(role)

    def may_translate(self, lang: str) -> bool:
        return self.can("editor") or (self.role == "translator" and lang in self.languages)

    @property
    def needs_totp(self) -> bool:
        return self.role in NEEDS_TOTP


def new_password() -> str:
    return secrets.token_urlsafe(15)


def check_password_strength(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise AccountError("A password needs at least %(min)s characters.", min=MIN_PASSWORD)
    if len(set(password)) < 5:
        raise AccountError("That password repeats too few characters; choose a less predictable one.")


class Accounts:
    def __init__(self, client: redis.Redis, secret: str, clock=time.time, hasher: PasswordHasher | None = None):
        """`hasher`: argon2-cffi's defaults (RFC 9106's second recommendation) unless given."""
        self.client, self.secret, self.clock = client, secret.encode(), clock
        self.hasher = hasher or PasswordHasher()
        self._nobody: str | None = None

    def _key(self, name: str) -> str:
        return f"{CONSOLE}:user:{name}"

    # -- the accounts themselves -----------------------------------------------------

    def get(self, name: str) -> Account | None:
        raw = self.client.hgetall(self._key(name)) if NAME.match(name or "") else {}
        if not raw:
            return None
        f = {k.decode(): v.decode() for k, v in raw.items()}
        return Account(name, f["role"], f["password"], f["token"], f.get("totp", ""),
                       tuple(json.loads(f.get("recovery", "[]"))),
                       tuple(x for x in f.get("languages", "").split(",") if x), f.get("must_change") == "1",
                       float(f.get("created", 0)), f.get("console_language", "en"))

    def names(self) -> list[str]:
        return sorted(n.decode() for n in self.client.smembers(f"{CONSOLE}:users"))

    def all(self) -> list[Account]:
        return [a for a in (self.get(n) for n in self.names()) if a]

    def add(self, name: str, role: str, password: str | None = None, languages=()) -> tuple[Account, str]:
        """Create an account; returns it and its password (a new one-time password if none given,
        which must be changed at the first login)."""
        if not NAME.match(name):
            raise AccountError("A name is 1 to 40 lower-case letters, digits, dots, dashes or underscores.")
        if role not in ROLES:
            raise AccountError("The role must be one of: %(roles)s.", roles=ROLE_LIST)
        if self.client.exists(self._key(name)):
            raise AccountError("There is already an account called %(name)s.", name=name)
        one_time = password is None
        password = new_password() if one_time else password
        check_password_strength(password)
        self.client.hset(self._key(name), mapping={
            "role": role, "password": self.hasher.hash(password), "token": secrets.token_hex(16),
            "languages": ",".join(languages), "must_change": "1" if one_time else "0", "created": repr(self.clock()),
        })
        self.client.sadd(f"{CONSOLE}:users", name)
        return self.get(name), password

    def remove(self, name: str) -> None:
        if not self.client.delete(self._key(name)):
            raise AccountError("There is no account called %(name)s.", name=name)
        self.client.srem(f"{CONSOLE}:users", name)

    def reset(self, name: str, password: str | None = None) -> str:
        """A new password (one-time if none given) and no second factor: the person sets up
        TOTP again at their next login. Every session of the account ends."""
        if self.get(name) is None:
            raise AccountError("There is no account called %(name)s.", name=name)
        one_time = password is None
        password = new_password() if one_time else password
        check_password_strength(password)
        self.client.hset(self._key(name), mapping={
            "password": self.hasher.hash(password), "token": secrets.token_hex(16), "totp": "", "recovery": "[]",
            "must_change": "1" if one_time else "0",
        })
        return password

    def set_role(self, name: str, role: str, languages=()) -> None:
        if role not in ROLES:
            raise AccountError("The role must be one of: %(roles)s.", roles=ROLE_LIST)
        self.client.hset(self._key(name), mapping={"role": role, "languages": ",".join(languages),
                                                   "token": secrets.token_hex(16)})

    def set_console_language(self, name: str, lang: str) -> None:
        """Keep the language the console is shown in for `name` (the caller checks it is offered)."""
        if self.get(name) is None:
            raise AccountError("There is no account called %(name)s.", name=name)
        self.client.hset(self._key(name), "console_language", lang)

    def change_password(self, name: str, password: str) -> None:
        check_password_strength(password)
        self.client.hset(self._key(name), mapping={"password": self.hasher.hash(password), "must_change": "0"})

    def verify_password(self, account: Account | None, password: str) -> bool:
        """Whether `password` is the account's; for no account, as slow a False, so that the
        time taken does not tell whether a name exists."""
        if account is None:
            if self._nobody is None:
                self._nobody = self.hasher.hash(secrets.token_hex(16))
            hashed = self._nobody
        else:
            hashed = account.password_hash
        try:
            return self.hasher.verify(hashed, password) and account is not None
        except (VerificationError, InvalidHashError):
            return False

    # -- second factor ---------------------------------------------------------------

    def enrol_totp(self, name: str, secret: str) -> list[str]:
        """Keep a confirmed TOTP secret; returns new recovery codes (shown once)."""
        codes = [secrets.token_hex(5) for _ in range(RECOVERY_CODES)]
        self.client.hset(self._key(name), mapping={
            "totp": secret, "recovery": json.dumps([_digest(code) for code in codes])})
        return codes

    def verify_code(self, account: Account, code: str, secret: str | None = None) -> bool:
        """A TOTP code (of `secret`, while enrolling) not used before, or an unused recovery code."""
        code = re.sub(r"[\s-]", "", code or "").lower()
        secret = secret or account.totp_secret
        if not secret or not code:
            return False
        totp = pyotp.TOTP(secret)
        if code.isdigit() and len(code) == 6:
            for offset in (0, -1, 1):  # the code of now, or of the 30 s before or after
                when = self.clock() + offset * totp.interval
                if hmac.compare_digest(totp.at(when), code):
                    step = int(when // totp.interval)
                    # A code works once: remember its time step for as long as it is valid.
                    return bool(self.client.set(f"{CONSOLE}:used:{account.name}:{step}", "1", nx=True,
                                                ex=3 * totp.interval))
            return False
        digest = _digest(code)
        if digest in account.recovery:
            left = [d for d in account.recovery if d != digest]
            self.client.hset(self._key(account.name), "recovery", json.dumps(left))
            return True
        return False

    # -- login limits ----------------------------------------------------------------

    def _counters(self, name: str, address: str) -> list[str]:
        where = hmac.new(self.secret, address.encode(), hashlib.sha256).hexdigest()[:32]
        return [f"{CONSOLE}:fails:user:{name}", f"{CONSOLE}:fails:addr:{where}"]

    def locked_for(self, name: str, address: str) -> int:
        """Seconds until a login may be tried again for `name` from `address` (0: now)."""
        keys = self._counters(name, address)
        pipe = self.client.pipeline(transaction=False)
        for key in keys:
            pipe.get(key)
            pipe.ttl(key)
        user, user_ttl, addr, addr_ttl = pipe.execute()
        waits = [0]
        if int(user or 0) >= ACCOUNT_LIMIT:
            waits.append(max(user_ttl, 1))
        if int(addr or 0) >= ADDRESS_LIMIT:
            waits.append(max(addr_ttl, 1))
        return max(waits)

    def failed(self, name: str, address: str) -> None:
        pipe = self.client.pipeline(transaction=True)
        for key in self._counters(name, address):
            pipe.incr(key)
            pipe.expire(key, LOCK_SECONDS, nx=True)
        pipe.execute()

    def succeeded(self, name: str, address: str) -> None:
        self.client.delete(self._counters(name, address)[0])


def _digest(code: str) -> str:
    return hashlib.sha256(code.encode()).hexdigest()
