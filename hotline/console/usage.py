"""The usage dashboard: a date range's figures as charts, each with its table beside it,
and every view as CSV; test traffic only in its own, labelled view.

Rules this module keeps:
- Viewer role and up. Every figure has gone through `usage.suppress`: a chart draws only
  what its table shows, and a view's CSV is its table.
- The charts are SVG drawn here on the server: no script, no CDN, nothing to vendor; the
  table beside each is what a screen reader reads and a coordinator copies.
"""

from __future__ import annotations

import datetime as dt

import redis
from flask import Response, abort, render_template, request

from ..usage import export
from ..usage.figures import read
from .blueprint import bp, console
from .catalogue import _
from .guard import require
from .usage_views import View, dropoff_by_node, views

DEFAULT_DAYS = 30
MAX_DAYS = 800
BAR_WIDTH, CHART_HEIGHT = 24, 120


def figures_asked():
    """The figures of the range the page (or CSV link) asks for: from, to, test."""
    hotline = console().hotline
    stats = hotline.store.stats
    today = dt.datetime.now(stats.zone).date()
    try:
        end = dt.date.fromisoformat(request.args.get("to") or today.isoformat())
        start = dt.date.fromisoformat(request.args.get("from") or "") if request.args.get("from") else (
            end - dt.timedelta(days=DEFAULT_DAYS - 1))
    except ValueError:
        abort(400, description=_("Give the days as YYYY-MM-DD, like 2026-01-31."))
    if start > end or (end - start).days > MAX_DAYS:
        abort(400, description=_("The first day must come before the last, at most %(max)s days apart.", max=MAX_DAYS))
    test = request.args.get("test") == "on"
    languages = tuple(hotline.published.bundle.flows.languages.languages)
    return read(stats, start, end, languages, test=test, today=today), hotline.config.HOTLINE_SMALL_CELLS


def chart(view: View) -> dict:
    """Bars of `view`'s chart, scaled to the tallest; a hidden value has no bar."""
    bars = view.bars()
    top = max([value for _, value in bars if value] or [1])
    drawn = []
    for index, (label, value) in enumerate(bars):
        height = round(CHART_HEIGHT * (value or 0) / top)
        drawn.append({"x": index * (BAR_WIDTH + 4), "y": CHART_HEIGHT - height, "height": height,
                      "label": label, "value": None if value is None else str(value)})
    return {"bars": drawn, "width": max(len(bars), 1) * (BAR_WIDTH + 4), "height": CHART_HEIGHT,
            "bar": BAR_WIDTH}


@bp.get("/usage")
@require("viewer")
def usage():
    figures, threshold = figures_asked()
    shown = views(figures, threshold)
    return render_template("console/usage.html", title=_("Usage figures"), figures=figures, threshold=threshold,
                           views=[(view, chart(view)) for view in shown], test=figures.test)


@bp.get("/usage.csv")
@require("viewer")
def usage_csv():
    figures, threshold = figures_asked()
    name = request.args.get("view", "all")
    if name == "all":
        body = export.to_csv(export.rows(figures, threshold))
    elif name == "quarterly":
        body = export.to_csv(export.quarterly(figures, threshold), export.QUARTERLY_HEADER)
    else:
        view = next((v for v in views(figures, threshold) if v.name == name), None)
        if view is None:
            abort(404)
        body = export.to_csv(view.rows, view.columns)
    label = "test-traffic-" if figures.test else ""
    filename = f"usage-{label}{name}-{figures.start}-{figures.end}.csv"
    return Response(body, mimetype="text/csv", headers={"Content-Disposition": f'attachment; filename="{filename}"'})


def ended_here() -> dict[str, str]:
    """For the flow diagram: how many calls ended at each node in the last 30 days, as shown
    (nothing if Redis does not answer: the diagram does not need it)."""
    hotline = console().hotline
    stats = hotline.store.stats
    today = dt.datetime.now(stats.zone).date()
    languages = tuple(hotline.published.bundle.flows.languages.languages)
    try:
        figures = read(stats, today - dt.timedelta(days=DEFAULT_DAYS - 1), today, languages, today=today)
    except redis.RedisError:
        return {}
    return dropoff_by_node(figures, hotline.config.HOTLINE_SMALL_CELLS)
