"""The RQ jobs that send an alert: `start` splits it into batches, `send_batch` texts one batch.

Exactly once per subscriber and alert, whatever crashes:
- Before a text leaves, a claim is written for that subscriber in the alert's record (one
  Lua script, which also checks the alert was not cancelled, the subscription still
  exists, the number did not send STOP, and takes a slot of the shared rate). After
  Twilio answers, the claim becomes the message's id (or why it was not sent). A
  subscriber already in the record is never texted again.
- One worker at a time holds a batch (a lease renewed with every text). A worker that
  takes over a batch whose holder died finds at most one claim without an answer: it
  asks Twilio whether that text arrived before sending it again (see `sender.find`).
- A worker that starts re-enqueues the unfinished batches of every alert being sent
  (`resume`), and RQ retries a job whose worker vanished: both only ever finish work.
- Cancelling sets a flag that the claim script reads before every text.
- Alerts not marked urgent never start a batch during quiet hours: it waits for their end.
Jobs carry only the alert's id and a batch number; batches hold keyed hashes, not numbers.
Splitting keeps, beside the counts, the alert's reach as the figures show it then: it
decides what its progress may show (`progress`).
"""

from __future__ import annotations

import datetime as dt
import logging
import secrets
import time

from flask import current_app

from ..state.sessions import PREFIX
from . import broadcasts as bc
from . import desk
from .subscriptions import SUB_TTL, sub_key

log = logging.getLogger("hotline.alerts")
MESSAGE_TTL = 7 * 86400  # status callbacks come within hours
LATEST = f"{PREFIX}:alerts:latest"

# KEYS: record, cancelled flag, subscription, opt-out, rate slot, lease, counts.
# ARGV: hash, claim, rate per second, lease token, lease ms.
_CLAIM = """
if redis.call('GET', KEYS[6]) ~= ARGV[4] then return {'lost'} end
redis.call('PEXPIRE', KEYS[6], ARGV[5])
if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 1 then return {'done'} end
if redis.call('EXISTS', KEYS[2]) == 1 then return {'cancelled'} end
local n = redis.call('HGET', KEYS[3], 'n')
local outcome = nil
if not n then outcome = 'gone' elseif redis.call('EXISTS', KEYS[4]) == 1 then outcome = 'opted_out' end
if outcome then
  redis.call('HSET', KEYS[1], ARGV[1], 'x:' .. outcome)
  redis.call('HINCRBY', KEYS[7], outcome, 1)
  return {outcome}
end
local used = redis.call('INCR', KEYS[5])
if used == 1 then redis.call('PEXPIRE', KEYS[5], 2000) end
if used > tonumber(ARGV[3]) then return {'wait'} end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
return {'go', n}
"""

# KEYS: record, counts, subscription, message (or the record again when there is none).
# ARGV: hash, claim, result, counter, broadcast id, now, TTLs of sub, message, record.
_SETTLE = """
if redis.call('HGET', KEYS[1], ARGV[1]) ~= ARGV[2] then return 0 end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[3])
redis.call('HINCRBY', KEYS[2], ARGV[4], 1)
redis.call('EXPIRE', KEYS[1], ARGV[9])
redis.call('EXPIRE', KEYS[2], ARGV[9])
if ARGV[4] == 'queued' then
  redis.call('HSET', KEYS[4], 'b', ARGV[5], 's', ARGV[1], 'st', 'queued')
  redis.call('EXPIRE', KEYS[4], ARGV[8])
  if redis.call('EXISTS', KEYS[3]) == 1 then
    redis.call('HSET', KEYS[3], 'last', ARGV[6])
    redis.call('EXPIRE', KEYS[3], ARGV[7])
  end
end
return 1
"""


def context():
    """The `Alerts` of the app the worker runs jobs for (see `worker`)."""
    return current_app.extensions["alerts"]


def message_key(sid: str) -> str:
    return f"{PREFIX}:alerts:msg:{sid}"


def start(broadcast_id: str) -> str:
    """Split an approved alert into batches and enqueue them (or wait for quiet hours to end)."""
    alerts = context()
    broadcast = alerts.broadcasts.get(broadcast_id)
    if broadcast is None or broadcast.state not in bc.LIVE:
        return "nothing to do"
    now = alerts.now()
    if broadcast.state == bc.SCHEDULED:
        held = alerts.held_until(broadcast, now)
        if held:
            alerts.broadcasts.move(broadcast, (bc.SCHEDULED,), waiting_until=int(held.timestamp()))
            alerts.queue.enqueue_at(held, start, broadcast_id, **alerts.job_options(f"start-{broadcast_id}"))
            return f"waiting until {held.isoformat()}"
        broadcast = _split(alerts, broadcast, now)
        if broadcast is None:
            return "cancelled meanwhile"
    alerts.enqueue_batches(broadcast)
    return f"{broadcast.batches} batches"


def _split(alerts, broadcast: bc.Broadcast, now: dt.datetime) -> bc.Broadcast | None:
    flows = alerts.flows()
    source = flows.languages.source
    areas = set(broadcast.areas) or None
    batches: list[list[str]] = []
    for lang in flows.languages.languages:
        if broadcast.body(lang, source) is None:
            continue
        members = alerts.subscriptions.members(areas, lang)
        size = alerts.config.HOTLINE_ALERTS_BATCH
        batches += [[lang, *members[i:i + size]] for i in range(0, len(members), size)]
    pipe = alerts.client.pipeline()
    for i, batch in enumerate(batches):
        pipe.delete(bc.part(broadcast.id, f"batch:{i}"))
        pipe.rpush(bc.part(broadcast.id, f"batch:{i}"), *batch)
        pipe.expire(bc.part(broadcast.id, f"batch:{i}"), bc.SENDING_TTL)
    shown = desk.run_reach(alerts, broadcast)  # what its progress may show of its size (`progress`)
    pipe.hset(bc.part(broadcast.id, "counts"), mapping={"total": sum(len(b) - 1 for b in batches),
                                                        "low": shown.low, "high": shown.high})
    pipe.expire(bc.part(broadcast.id, "counts"), bc.SENDING_TTL)
    pipe.set(LATEST, broadcast.id, ex=MESSAGE_TTL)
    pipe.execute()
    moved = alerts.broadcasts.move(broadcast, (bc.SCHEDULED,), state=bc.SENDING, batches=len(batches),
                                   started=int(now.timestamp()), waiting_until=0)
    if moved is not None and not batches:
        return alerts.finish(moved)
    return moved


def send_batch(broadcast_id: str, index: int) -> str:
    """Text every subscriber of batch `index` who has not been texted this alert yet."""
    alerts = context()
    client = alerts.client
    broadcast = alerts.broadcasts.get(broadcast_id)
    if broadcast is None or client.sismember(bc.part(broadcast_id, "done"), index):
        return "already done"
    now = alerts.now()
    held = alerts.held_until(broadcast, now, scheduled=False)
    if held:
        alerts.queue.enqueue_at(held, send_batch, broadcast_id, index,
                                **alerts.job_options(f"batch-{broadcast_id}-{index}"))
        return f"waiting until {held.isoformat()}"
    lease = Lease(client, bc.part(broadcast_id, f"lease:{index}"), alerts.lease_seconds)
    if not lease.take():
        return "another worker holds this batch"
    try:
        lang, *digests = [item.decode() for item in client.lrange(bc.part(broadcast_id, f"batch:{index}"), 0, -1)]
        flows = alerts.flows()
        body = alerts.text_for(broadcast, lang, flows)
        _resolve_doubts(alerts, broadcast, digests, body, lease)
        outcome = "sent"
        for digest in digests:
            if _send_one(alerts, broadcast, digest, body, lease) in ("cancelled", "lost"):
                outcome = "stopped"
                break
        else:
            client.sadd(bc.part(broadcast_id, "done"), index)
            client.expire(bc.part(broadcast_id, "done"), bc.SENDING_TTL)
            if client.scard(bc.part(broadcast_id, "done")) >= broadcast.batches:
                alerts.finish(alerts.broadcasts.get(broadcast_id))
        return outcome
    finally:
        lease.release()


def _send_one(alerts, broadcast, digest: str, body: str, lease) -> str:
    claim = f"c:{time.time():.3f}"
    while True:
        slot = f"{PREFIX}:alerts:rate:{int(time.time())}"
        keys = [bc.part(broadcast.id, "sent"), bc.part(broadcast.id, "cancelled"), sub_key(digest),
                f"{PREFIX}:optout:{digest}", slot, lease.key, bc.part(broadcast.id, "counts")]
        answer = alerts.claim(keys=keys, args=[digest, claim, alerts.config.HOTLINE_ALERTS_RATE, lease.token,
                                               lease.ms])
        verdict = answer[0].decode()
        if verdict != "wait":
            break
        time.sleep(1.001 - time.time() % 1)  # the next second's slots
    if verdict == "opted_out":
        alerts.subscriptions.end(digest)  # STOP ends the alerts too
    if verdict != "go":
        return verdict
    return _deliver(alerts, broadcast, digest, body, claim, answer[1], lease)


def _deliver(alerts, broadcast, digest: str, body: str, claim: str, token, lease, since: float | None = None) -> str:
    number = alerts.box.open(token)
    if number is None:
        log.warning("a subscriber's number cannot be decrypted with HOTLINE_ALERTS_KEY (was the key changed?)")
        return _settle(alerts, broadcast, digest, claim, "x:undecryptable", "error")
    outcome = alerts.sender.send(number, body, alerts.status_url(), since=since, heartbeat=lease.renew)
    if outcome.kind == "queued":
        return _settle(alerts, broadcast, digest, claim, f"s:{outcome.sid}", "queued", outcome.sid)
    if outcome.kind in ("opted_out", "not_mobile"):
        alerts.subscriptions.end(digest)
        return _settle(alerts, broadcast, digest, claim, f"x:{outcome.kind}",
                       "unsubscribed" if outcome.kind == "opted_out" else "not_mobile")
    return _settle(alerts, broadcast, digest, claim, "x:error", "error")


def _settle(alerts, broadcast, digest, claim, result, counter, sid: str = "") -> str:
    record = bc.part(broadcast.id, "sent")
    keys = [record, bc.part(broadcast.id, "counts"), sub_key(digest), message_key(sid) if sid else record]
    alerts.settle(keys=keys, args=[digest, claim, result, counter, broadcast.id, int(time.time()), SUB_TTL,
                                   MESSAGE_TTL, bc.SENDING_TTL])
    return counter


def _resolve_doubts(alerts, broadcast, digests: list[str], body: str, lease) -> None:
    """Claims left without an answer by a worker that died mid-text: ask Twilio, then finish them."""
    if not digests:
        return
    records = alerts.client.hmget(bc.part(broadcast.id, "sent"), digests)
    for digest, record in zip(digests, records, strict=True):
        if not (record and record.startswith(b"c:")):
            continue
        claim = record.decode()
        token = alerts.client.hget(sub_key(digest), "n")
        number = alerts.box.open(token) if token else None
        if number is None:
            _settle(alerts, broadcast, digest, claim, "x:gone", "gone")
            continue
        since = float(claim[2:])
        found = alerts.sender.find(number, body, since)
        if found:
            _settle(alerts, broadcast, digest, claim, f"s:{found}", "queued", found)
        else:
            _deliver(alerts, broadcast, digest, body, claim, token, lease, since)


class Lease:
    """One worker at a time per batch: a key holding this worker's token, renewed as it works."""

    def __init__(self, client, key: str, seconds: float):
        self.client, self.key, self.seconds = client, key, seconds
        self.token, self.ms = secrets.token_hex(8), int(seconds * 1000)

    def take(self) -> bool:
        """The lease, waiting while another holds it; False if its holder is still alive
        after two lease times (it renews, so it is working on the batch and will finish it)."""
        deadline = time.monotonic() + 2 * self.seconds
        while not self.client.set(self.key, self.token, nx=True, px=self.ms):
            if time.monotonic() > deadline:
                return False
            time.sleep(min(0.25, self.seconds / 4))
        return True

    def renew(self) -> None:
        if self.client.get(self.key) == self.token.encode():
            self.client.pexpire(self.key, self.ms)

    def release(self) -> None:
        if self.client.get(self.key) == self.token.encode():
            self.client.delete(self.key)


def sweep() -> str:
    """Daily: ask subscribers who have had nothing for a year whether they still want alerts."""
    alerts = context()
    if not alerts.client.set(f"{PREFIX}:alerts:swept", "1", nx=True, ex=23 * 3600):
        return "already swept today"
    asked = alerts.ask_still_wanted()
    alerts.queue.enqueue_in(dt.timedelta(days=1), sweep, **alerts.job_options("sweep"))
    return f"asked {asked}"
