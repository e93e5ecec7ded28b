"""GET /healthz: the process is alive; says whether Redis answers and takes writes, and
whether the flows on disk are the ones being served.

Rules this module keeps:
- 200 even when degraded: the hotline still answers every call (with the safe message if
  need be), so a load balancer must not take it out of service. Alert on `degraded`.
- Degraded when Redis does not answer PING, when it answers but refuses writes (maxmemory
  with noeviction, a read-only replica: every caller would get the safe message), or when
  the flows on disk fail the check and the last good version is still being served.
- The write is checked at most once every `WRITE_CHECK_SECONDS` per process, on one key
  that expires by itself (`hotline:health`).
"""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify

bp = Blueprint("health", __name__)
WRITE_CHECK_SECONDS = 5


@bp.get("/healthz")
def healthz():
    hotline = current_app.extensions["hotline"]
    redis_ok = hotline.store.ping()
    writes_ok = redis_ok and hotline.store.can_write(every=WRITE_CHECK_SECONDS)
    hotline.published.current()  # looks at the files when a look is due
    published = hotline.published
    flows_ok = not published.refused
    return jsonify(
        status="ok" if redis_ok and writes_ok and flows_ok else "degraded",
        redis=redis_ok,
        redis_writes=writes_ok,
        flows=published.SERVED if flows_ok else published.REFUSED,
        nodes=len(hotline.flows.flow.nodes),
        languages=sorted(hotline.flows.languages.languages),
    )
