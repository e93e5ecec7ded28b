"""`Alerts`: the one object through which texts, callbacks, the CLI, the console and the
worker reach subscriptions, reports, broadcasts and the queue.

Rules this module keeps:
- Built once per process by `create_app` when HOTLINE_ALERTS=on (`app.extensions["alerts"]`).
- Works on the current published bundle (flows, catalogues and alerts.yaml together).
- Web requests use the store's Redis client (short timeouts); the worker passes its own.
"""

from __future__ import annotations

import datetime as dt
import logging

from rq import Queue, Retry
from rq.exceptions import NoSuchJobError
from rq.job import Job, JobStatus

from ..channels.sms import render_sms, sms_plain
from ..flow.engine import begin
from ..i18n import fill
from ..state.sessions import PREFIX
from ..texting.forget import ForgetWords
from . import broadcasts as bc
from . import jobs
from .broadcasts import Broadcasts
from .reports import Reports
from .sender import AlertSender
from .subscriptions import NumberBox, Subscriptions
from .texting import Report, Subscribe, Unsubscribe, answer, needs_subscriber
from .words import STILL_WANTED, AlertWords, reserved_words

log = logging.getLogger("hotline.alerts")
QUEUE = "hotline-alerts"


class Alerts:
    def __init__(self, config, published, store, clock, client=None):
        self.config, self.published, self.store, self.clock = config, published, store, clock
        self.client = client if client is not None else store.client
        self.box = NumberBox(config.alerts_key) if config.alerts_key else None
        self.subscriptions = Subscriptions(self.client, store.digest, self.box)
        self.reports = Reports(self.client)
        self.broadcasts = Broadcasts(self.client)
        self.queue = Queue(QUEUE, connection=self.client)
        self.claim = self.client.register_script(jobs._CLAIM)
        self.settle = self.client.register_script(jobs._SETTLE)
        self.lease_seconds = 2 * config.HOTLINE_SMS_TIMEOUT + 2
        self._sender = None
        self._words = (None, None)

    # -- the published content -------------------------------------------------------

    def bundle(self):
        return self.published.current()

    def flows(self):
        return self.bundle().flows

    def plan(self):
        return self.bundle().alerts

    def now(self) -> dt.datetime:
        return self.clock()

    def words(self, bundle) -> AlertWords:
        """The alerts words of every language, rebuilt only when a new bundle is published."""
        cached, words = self._words
        if cached is not bundle:
            languages = bundle.flows.languages
            forget = ForgetWords(bundle.catalogues, languages.languages, languages.source).table
            words = AlertWords(bundle.catalogues, languages.languages, languages.source,
                               reserved_words(bundle.flows, forget))
            self._words = (bundle, words)
        return words

    # -- texters -----------------------------------------------------------------------

    def texting(self, bundle, number: str, body: str, message_sid: str | None, opt_out_type: str, now, lines):
        """The alerts step of one incoming text, for `Hotline.answer_text`: a function of the
        stored read giving (session, TwiML, person) if the text was an alerts text, else None;
        or None at once when it cannot be one (no plan; not a command and nothing waiting:
        decided inside the read). Only a command costs a look-up (its subscription)."""
        if bundle.alerts is None:
            return None
        words = self.words(bundle)
        command = words.match(body)
        subscriber = self.subscriptions.get(number) if needs_subscriber(command) else None
        flows = bundle.flows

        def turn(read):
            if not (command or (read.session and read.session.joining)) or read.person.opted_out or opt_out_type:
                return None
            session = read.session or begin(flows, "sms", remembered=read.person.lang)
            done = answer(flows, bundle.catalogues, bundle.alerts, words, session, command, subscriber, body, now,
                          lines)
            if done is None:
                return None
            if done.effect is not None:
                self.carry_out(done.effect, number, message_sid)
            return done.session, render_sms(done.reply), read.person

        return turn

    def carry_out(self, effect, number: str, message_sid: str | None) -> None:
        """Do what the texting step decided; safe to repeat (a retried update may)."""
        now = self.now().timestamp()
        if isinstance(effect, Subscribe):
            self.subscriptions.subscribe(number, effect.area, effect.lang, now, effect.confirmed_now)
        elif isinstance(effect, Unsubscribe):
            if self.subscriptions.unsubscribe(number):
                self._count_left()
        elif isinstance(effect, Report):
            self.reports.add(effect.text, effect.area, now, message_sid)

    def _count_left(self) -> None:
        latest = self.client.get(jobs.LATEST)
        if latest:
            self.client.hincrby(bc.part(latest.decode(), "counts"), "left", 1)

    def forget(self, number: str) -> None:
        """FORGET: the subscription goes with everything else."""
        self.subscriptions.unsubscribe(number)

    def status_callback(self, sid: str, status: str, error_code: str = "") -> bool:
        """A Twilio status callback for an alert; False if the MessageSid is not one of ours."""
        key = jobs.message_key(sid)
        known = self.client.hmget(key, "b", "s")
        if not known[0]:
            return False
        broadcast_id, digest = known[0].decode(), known[1].decode()
        moved = self._move_status(keys=[key, bc.part(broadcast_id, "counts")], args=[_STATUS.get(status, ""),
                                                                                      _RANK.get(status, -1)])
        if moved and error_code in ("21610", "21614") and self.subscriptions.end(digest):
            self.client.hincrby(bc.part(broadcast_id, "counts"),
                                "unsubscribed" if error_code == "21610" else "not_mobile", 1)
        return True

    @property
    def _move_status(self):
        return self.client.register_script(_MOVE_STATUS)

    # -- sending -------------------------------------------------------------------------

    @property
    def sender(self) -> AlertSender:
        if self._sender is None:
            config = self.config
            self._sender = AlertSender(
                config.TWILIO_ACCOUNT_SID, config.TWILIO_AUTH_TOKEN,
                config.HOTLINE_NUMBER or self.flows().settings.hotline_number,
                config.TWILIO_MESSAGING_SERVICE_SID, config.TWILIO_API_URL, config.HOTLINE_SMS_TIMEOUT,
            )
        return self._sender

    def status_url(self) -> str:
        public = self.config.HOTLINE_PUBLIC_URL.rstrip("/")
        return f"{public}/twilio/alerts/status" if public else ""

    def text_for(self, broadcast: bc.Broadcast, lang: str, flows) -> str:
        return bc.as_sent(broadcast, lang, flows) or ""

    def held_until(self, broadcast: bc.Broadcast, now: dt.datetime, scheduled: bool = True) -> dt.datetime | None:
        """When a start (or a batch) must wait until: its time, or the end of quiet hours."""
        if scheduled and broadcast.send_at > now.timestamp():
            return dt.datetime.fromtimestamp(broadcast.send_at, dt.UTC)
        plan = self.plan()
        if broadcast.urgent or plan is None or not plan.quiet(now):
            return None
        return plan.quiet_ends(now)

    def job_options(self, job_id: str) -> dict:
        batch_seconds = self.config.HOTLINE_ALERTS_BATCH / self.config.HOTLINE_ALERTS_RATE
        return {"job_id": job_id, "job_timeout": int(3 * batch_seconds + 300), "result_ttl": 3600,
                "failure_ttl": 7 * 86400, "ttl": 7 * 86400, "retry": Retry(max=5, interval=[5, 30, 60, 300, 900])}

    def enqueue_start(self, broadcast: bc.Broadcast) -> None:
        options = self.job_options(f"start-{broadcast.id}")
        held = self.held_until(broadcast, self.now())
        if held:
            self.queue.enqueue_at(held, jobs.start, broadcast.id, **options)
        else:
            self.queue.enqueue(jobs.start, broadcast.id, **options)

    def enqueue_batches(self, broadcast: bc.Broadcast, resuming: bool = False) -> int:
        """Enqueue the batches not done yet (when `resuming`, not those still waiting in the queue)."""
        done = {int(i) for i in self.client.smembers(bc.part(broadcast.id, "done"))}
        todo = [i for i in range(broadcast.batches) if i not in done
                and not (resuming and self._waiting(f"batch-{broadcast.id}-{i}"))]
        datas = []
        for i in todo:
            options = self.job_options(f"batch-{broadcast.id}-{i}")
            options["timeout"] = options.pop("job_timeout")
            datas.append(Queue.prepare_data(jobs.send_batch, (broadcast.id, i), **options))
        with self.client.pipeline() as pipe:
            self.queue.enqueue_many(datas, pipeline=pipe)
            pipe.execute()
        return len(todo)

    def finish(self, broadcast: bc.Broadcast | None) -> bc.Broadcast | None:
        if broadcast is None:
            return None
        return self.broadcasts.move(broadcast, (bc.SENDING,), state=bc.SENT, finished=int(self.now().timestamp()))

    def resume(self) -> int:
        """At a worker's start: enqueue again what a crash may have left (never sends twice)."""
        resumed = 0
        for broadcast in self.broadcasts.recent(200):
            if broadcast.state == bc.SENDING:
                resumed += self.enqueue_batches(broadcast, resuming=True)
            elif broadcast.state == bc.SCHEDULED and not self._waiting(f"start-{broadcast.id}"):
                self.enqueue_start(broadcast)
                resumed += 1
        return resumed

    def _waiting(self, job_id: str) -> bool:
        """Is this job queued, scheduled or retrying (so it will run without help)?

        A job a worker had just taken when it died still says QUEUED, but it sits in RQ's
        intermediate list, not in the queue: only a job really in the queue counts."""
        try:
            job = Job.fetch(job_id, connection=self.client)
        except NoSuchJobError:
            return False
        status = job.get_status()
        if status == JobStatus.QUEUED:
            return job.get_position() is not None
        return status in (JobStatus.SCHEDULED, JobStatus.DEFERRED)

    def ask_still_wanted(self) -> int:
        """Text "still want alerts? reply YES" to each subscriber with nothing for a year."""
        bundle = self.bundle()
        asked = 0
        for digest in self.subscriptions.due_for_asking(self.now().timestamp()):
            token, area, lang = self.client.hmget(f"{PREFIX}:alerts:sub:{digest}", "n", "a", "l")
            number = self.box.open(token) if token and self.box else None
            if number is None or self.store.is_opted_out(number):
                continue
            words, spoken = bundle.catalogues.translate(STILL_WANTED, lang.decode())
            # In GSM-7 as replies are; one message, which the check holds within the budget.
            body = sms_plain(fill(words, dict(bundle.flows.variables)), bundle.flows, spoken)
            if self.sender.send(number, body).kind == "queued":
                self.client.hset(f"{PREFIX}:alerts:sub:{digest}", "asked", int(self.now().timestamp()))
                self.client.expire(f"{PREFIX}:alerts:sub:{digest}", 7 * 86400)
                self._wait_for_yes(number, area.decode(), spoken)
                asked += 1
        return asked

    def _wait_for_yes(self, number: str, area: str, lang: str) -> None:
        """Put the texter's session in the state JOIN leaves it in, so that YES keeps them."""
        stamp = int(self.now().timestamp())
        flows = self.flows()

        def change(read):
            session = read.session or begin(flows, "sms", lang=lang)
            return session.update(joining=area, joining_at=stamp), read.reply

        self.store.update(self.store.texter_key(number), "sms", change)


_STATUS = {"accepted": "queued", "queued": "queued", "sending": "sent", "sent": "sent", "delivered": "delivered",
           "read": "delivered", "undelivered": "undelivered", "failed": "failed"}
_RANK = {"accepted": 0, "queued": 0, "sending": 1, "sent": 1, "delivered": 2, "read": 2, "undelivered": 2,
         "failed": 2}

# KEYS: the message, the broadcast's counts. ARGV: its new status, that status's rank.
# A message is counted under its latest status only; a late "sent" after "delivered" is ignored.
_MOVE_STATUS = """
local old = redis.call('HGET', KEYS[1], 'st')
if ARGV[1] == '' or old == ARGV[1] then return 0 end
local ranks = {queued = 0, sent = 1, delivered = 2, undelivered = 2, failed = 2}
if old and ranks[old] and ranks[old] >= tonumber(ARGV[2]) then return 0 end
redis.call('HSET', KEYS[1], 'st', ARGV[1])
if old then redis.call('HINCRBY', KEYS[2], old, -1) end
redis.call('HINCRBY', KEYS[2], ARGV[1], 1)
return 1
"""
