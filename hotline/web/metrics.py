"""`/metrics` for Prometheus, behind a bearer token, and the hooks that count requests.

Rules this module keeps:
- Off unless `HOTLINE_METRICS_TOKEN` is set: then `/metrics` does not exist (404) and no
  hook runs. With it, a scrape without `Authorization: Bearer <token>` gets 401 and no
  figures; the token is compared in constant time.
- Requests are counted by route template and status, never by URL (which could carry a
  query a caller influenced); Twilio webhooks' time is a histogram per route.
"""

from __future__ import annotations

import hmac
import time

from flask import Blueprint, Response, current_app, g, request

from .. import metrics

bp = Blueprint("metrics", __name__)


def install(app, token: str) -> None:
    """Count every request of `app` and serve `/metrics` to whoever shows `token`."""
    app.config["HOTLINE_METRICS_TOKEN"] = token
    app.before_request(_started)
    app.after_request(_counted)
    app.register_blueprint(bp)


def _started() -> None:
    g.hotline_started = time.perf_counter()


def _counted(response):
    route = request.url_rule.rule if request.url_rule is not None else "unmatched"
    metrics.REQUESTS.labels(route, str(response.status_code)).inc()
    started = g.get("hotline_started")
    if started is not None and route.startswith("/twilio/"):
        metrics.WEBHOOK_SECONDS.labels(route).observe(time.perf_counter() - started)
    return response


@bp.get("/metrics")
def scrape():
    token = current_app.config["HOTLINE_METRICS_TOKEN"]
    given = request.headers.get("Authorization", "")
    if not hmac.compare_digest(given.encode(), f"Bearer {token}".encode()):
        return Response("401: a bearer token (HOTLINE_METRICS_TOKEN) is needed\n", status=401, mimetype="text/plain",
                        headers={"WWW-Authenticate": "Bearer"})
    body, content_type = metrics.exposition()
    return Response(body, status=200, content_type=content_type)
