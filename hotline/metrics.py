"""Operators' figures in the Prometheus text format, through `prometheus_client`: totals only.

Rules this module keeps:
- Totals only, and no label ever holds a number, a CallSid, a body or a ZIP code: labels
  are route templates (`/twilio/voice/step`), status codes, channels and outcomes.
- Counting costs nothing unless `HOTLINE_METRICS_TOKEN` is set: without it `/metrics` is
  a 404 and the request hooks are not installed (`web.metrics`).
- Several worker processes (gunicorn `--workers 2`): with `PROMETHEUS_MULTIPROC_DIR` set to
  an empty folder before the app starts, each worker writes its counts there and every
  scrape adds them all up (prometheus_client's multiprocess mode; docs/deploy.md has the
  gunicorn hook that tidies up after a worker). Without it each scrape sees only the
  worker that answered it.
"""

from __future__ import annotations

import os

from prometheus_client import REGISTRY, CollectorRegistry, Counter, Histogram, generate_latest, multiprocess
from prometheus_client.exposition import CONTENT_TYPE_LATEST

REQUESTS = Counter("hotline_requests", "Requests answered, by route template and HTTP status.", ["route", "status"])
WEBHOOK_SECONDS = Histogram(
    "hotline_webhook_seconds", "Time to answer a Twilio webhook, by route template.", ["route"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0),
)
SAFE_ANSWERS = Counter("hotline_safe_answers", "Safe answers given because something was broken.", ["channel"])
REDIS_ERRORS = Counter("hotline_redis_errors", "Webhooks answered without Redis (away, stalled or refusing).")
RELOADS = Counter("hotline_reloads", "Edited flows and catalogues looked at: served, or refused by the check.",
                  ["result"])
REVISIONS_PUBLISHED = Counter("hotline_revisions_published", "Console revisions published (rollbacks included).")


def exposition() -> tuple[bytes, str]:
    """(body, content type) of a scrape: every worker's counts in multiprocess mode."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
    else:
        registry = REGISTRY
    return generate_latest(registry), CONTENT_TYPE_LATEST
