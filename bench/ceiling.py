"""The ceiling app: the least a Flask webhook on this stack can honestly do per request.

It does only what no stateful, signed webhook can skip:
- parse the form (Flask's own parse);
- check the signature with the twilio `RequestValidator`, the cheapest honest way: one
  `compute_signature` of the URL as called, the form handed over as the validator reads it
  fastest (by `getall`), and the library's full `validate` only if that does not match;
- one HGETALL of a small hash (the conversation, keyed by CallSid or by the number);
- one atomic write with a TTL, by a Lua script, over a connection the process keeps;
- answer a TwiML string built once.

It keeps no state worth the name, knows no flow and no language: the hotline at this
app's throughput would be paying nothing for its own work. `python bench/run.py` reports
each of the hotline's scenarios as a ratio to it (the target is at least 0.9), measured in
the same rounds under the same gunicorn settings.

    BENCH_REDIS_URL=redis://... TWILIO_AUTH_TOKEN=... HOTLINE_PUBLIC_URL=... \
        gunicorn 'bench.ceiling:from_environment()'
"""

from __future__ import annotations

import os
import threading

import redis
from flask import Flask, Response, abort, request
from twilio.request_validator import RequestValidator, compare

from .baseline import TWIML

TTL = 3600
# The session's version and state, written together and made to expire, atomically.
WRITE = """
redis.call('HSET', KEYS[1], 'v', ARGV[1], 's', ARGV[2])
redis.call('EXPIRE', KEYS[1], ARGV[3])
return 1
"""
SMS_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response><Message>Reply with a number.</Message></Response>'


class Fields(dict):
    """The form as {name: [values]}, read by the validator through `getall` (given Flask's
    MultiDict or a plain dict, it raises and catches an exception for every field)."""

    getall = dict.__getitem__


class Held(threading.local):
    """One Redis connection per process and thread (a forked worker makes its own, and so
    does each of a threaded server's threads)."""

    def __init__(self, url: str):
        self.pool = redis.Redis.from_url(url).connection_pool
        self.pid, self.connection = None, None
        self.sha = redis.Redis.from_url(url).script_load(WRITE)

    def call(self, *args):
        if self.pid != os.getpid():
            self.pid, self.connection = os.getpid(), self.pool.make_connection()
        self.connection.send_command(*args)
        return self.connection.read_response()


def create_app(redis_url: str, token: str, public_url: str) -> Flask:
    app = Flask(__name__)
    validator, held, base = RequestValidator(token), Held(redis_url), public_url.rstrip("/")

    @app.post("/<path:path>")
    def answer(path):
        form = request.form
        url, signature, fields = base + request.full_path.rstrip("?"), request.headers.get("X-Twilio-Signature", ""), \
            Fields(form.lists())
        if not (compare(validator.compute_signature(url, fields), signature)
                or validator.validate(url, fields, signature)):
            abort(403)
        key = "ceiling:" + (form.get("CallSid") or form.get("From", ""))
        stored = held.call("HGETALL", key)
        fields = stored if isinstance(stored, dict) else dict(zip(stored[::2], stored[1::2], strict=True))
        version = int(fields.get(b"v", 0))
        held.call("EVALSHA", held.sha, 1, key, version + 1, form.get("Digits") or form.get("Body", ""), TTL)
        return Response(SMS_TWIML if path == "twilio/sms" else TWIML, mimetype="application/xml")

    return app


def from_environment() -> Flask:
    return create_app(os.environ["BENCH_REDIS_URL"], os.environ["TWILIO_AUTH_TOKEN"],
                      os.environ["HOTLINE_PUBLIC_URL"])
