"""`flask hotline worker`: one RQ worker that sends alerts, inside the app it was started for.

Rules this module keeps:
- A `SimpleWorker` (jobs run in the worker's own process, not a fork per job): the
  Twilio connection and the decrypted key stay warm, and killing the worker kills what
  it was doing with it, which the exactly-once record is built for.
- Jobs run inside the app's context, so they reach `app.extensions["alerts"]`; the worker
  uses its own Redis connection, without the webhooks' short timeout (RQ blocks on it).
- On start it re-enqueues what a crash may have left unfinished (`Alerts.resume`) and
  starts the daily sweep; its scheduler runs scheduled alerts and those waiting for quiet
  hours to end. Add workers, on any machine, to send faster (up to the rate setting).
"""

from __future__ import annotations

import logging

import redis
from rq import SimpleWorker

from . import jobs
from .alerts import QUEUE, Alerts

log = logging.getLogger("hotline.alerts")
REDIS_TIMEOUT = 10  # seconds, for the jobs' own commands


class AppWorker(SimpleWorker):
    """Runs each job inside `app`'s context."""

    app = None

    def perform_job(self, job, queue):
        with self.app.app_context():
            return super().perform_job(job, queue)


def run(app, burst: bool = False) -> None:
    config = app.extensions["hotline"].config
    hotline = app.extensions["hotline"]
    client = redis.Redis.from_url(config.REDIS_URL, socket_timeout=REDIS_TIMEOUT,
                                  socket_connect_timeout=REDIS_TIMEOUT, health_check_interval=30)
    alerts = app.extensions["alerts"] = Alerts(config, hotline.published, hotline.store, hotline.clock, client)
    hotline.alerts = alerts
    resumed = alerts.resume()
    if resumed:
        log.info("re-enqueued %d unfinished alert jobs", resumed)
    alerts.queue.enqueue(jobs.sweep, **alerts.job_options("sweep"))
    blocking = redis.Redis.from_url(config.REDIS_URL)  # RQ waits on BLPOP: no read timeout
    AppWorker.app = app
    worker = AppWorker([QUEUE], connection=blocking)
    worker.work(burst=burst, with_scheduler=True, logging_level="INFO")
