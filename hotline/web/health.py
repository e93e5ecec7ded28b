"""GET /healthz: the process is alive; says whether Redis answers and which flow is served."""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz():
    hotline = current_app.extensions["hotline"]
    redis_ok = hotline.store.ping()
    # 200 even when degraded: the hotline still answers every call with the safe message,
    # so a load balancer must not take it out of service.
    return jsonify(
        status="ok" if redis_ok else "degraded",
        redis=redis_ok,
        nodes=len(hotline.flows.flow.nodes),
        languages=sorted(hotline.flows.languages.languages),
    )
