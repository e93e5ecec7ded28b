"""What coordinators do with alerts, shared by `flask hotline alerts` and the console.

Rules this module keeps:
- Every refusal is a `Refused` carrying sentences a coordinator can act on.
- The two-person rule (HOTLINE_ALERTS_TWO_PERSON, on by default): the author submits, and
  only a different publisher can approve; approval is what lets it go. With the rule off,
  submitting lets it go.
- What is checked at composing is checked again at approval: the flows, catalogues or
  alerts.yaml may have changed in between.
- Subscriber figures shown to anyone are suppressed below HOTLINE_SMALL_CELLS, the limit
  and the rule of the usage figures (`small_cells`, `usage.suppress`), and the reach and
  cost of an alert are worked out from those shown figures (`subscriptions.Reach`), so that
  no comparison of two alerts' areas gives a suppressed figure back; a sending's progress
  keeps to the same (`progress`).
"""

from __future__ import annotations

from ..sentence import Sentence
from . import broadcasts as bc
from .plan import EVERYWHERE
from .progress import Progress
from .subscriptions import Reach, figures, reach

CANCELLABLE = (bc.DRAFT, bc.AWAITING, bc.SCHEDULED, bc.SENDING)


class Refused(Exception):
    """The action cannot be done; `reasons` says why, in plain sentences (`Sentence`s, which
    the console translates)."""

    def __init__(self, *reasons: str):
        super().__init__(" ".join(reasons))
        self.reasons = list(reasons)


def new(alerts, by: str, english: str, translations: dict | None = None, english_for=(), skip=(), areas=(),
        urgent: bool = False, send_at: int = 0) -> bc.Broadcast:
    """A draft alert (saved even with problems, so nothing typed is lost)."""
    if not by.strip():
        raise Refused(Sentence("Say who you are: every alert names its author."))
    broadcast = bc.Broadcast(
        id=bc.new_id(), english=english.strip(), author=by.strip(),
        translations={k: v.strip() for k, v in (translations or {}).items() if v and v.strip()},
        english_for=tuple(english_for), skip=tuple(skip), areas=tuple(areas), urgent=urgent, send_at=int(send_at),
        created=int(alerts.now().timestamp()),
    )
    return alerts.broadcasts.save(broadcast)


def edit(alerts, broadcast_id: str, **changes) -> bc.Broadcast:
    broadcast = find(alerts, broadcast_id)
    if broadcast.state != bc.DRAFT:
        raise Refused(Sentence("Alert %(id)s is %(state)s: only a draft can be changed.", id=broadcast_id,
                               state=broadcast.state))
    moved = alerts.broadcasts.move(broadcast, (bc.DRAFT,), **changes)
    if moved is None:
        raise Refused(Sentence("Alert %(id)s was changed by someone else meanwhile; look at it again.",
                               id=broadcast_id))
    return moved


def find(alerts, broadcast_id: str) -> bc.Broadcast:
    broadcast = alerts.broadcasts.get(broadcast_id)
    if broadcast is None:
        raise Refused(Sentence("There is no alert '%(id)s'; `flask hotline alerts status` lists them.",
                               id=broadcast_id))
    return broadcast


def problems(alerts, broadcast: bc.Broadcast) -> list[str]:
    plan = alerts.plan()
    found = bc.problems(broadcast, alerts.flows(), plan)
    if plan is None:
        found.append(Sentence("flows/alerts.yaml is missing or has errors: run `python -m hotline check`."))
    return found


def subscribers_by_language(alerts, areas) -> dict[str, Reach]:
    """How many subscribers in each language an alert for `areas` (none: all) reaches, as it may be shown."""
    return reach(subscriber_figures(alerts), lambda area: not areas or area in areas or area == EVERYWHERE,
                 small_cells(alerts))


def costs(alerts, broadcast: bc.Broadcast) -> list[bc.Cost]:
    nobody = Reach(0, 0, small_cells(alerts))
    return bc.costs(broadcast, alerts.flows(), subscribers_by_language(alerts, broadcast.areas), nobody)


def submit(alerts, broadcast_id: str, by: str) -> bc.Broadcast:
    """Ask for the alert to be sent (approval first, under the two-person rule)."""
    broadcast = find(alerts, broadcast_id)
    _check(alerts, broadcast)
    if alerts.config.HOTLINE_ALERTS_TWO_PERSON == "on":
        moved = alerts.broadcasts.move(broadcast, (bc.DRAFT,), state=bc.AWAITING)
    else:
        moved = alerts.broadcasts.move(broadcast, (bc.DRAFT,), state=bc.SCHEDULED, approver=by.strip())
    if moved is None:
        raise Refused(Sentence("Alert %(id)s is %(state)s, not a draft: it was already submitted.",
                               id=broadcast_id, state=broadcast.state))
    if moved.state == bc.SCHEDULED:
        alerts.enqueue_start(moved)
    return moved


def approve(alerts, broadcast_id: str, by: str) -> bc.Broadcast:
    """A second publisher's yes: the alert goes at its time (or when quiet hours end)."""
    broadcast = find(alerts, broadcast_id)
    if broadcast.state != bc.AWAITING:
        raise Refused(Sentence("Alert %(id)s is %(state)s: only an alert waiting for approval can be approved.",
                               id=broadcast_id, state=broadcast.state))
    if by.strip().casefold() == broadcast.author.casefold():
        raise Refused(Sentence("You wrote this alert: a second publisher must approve it (the two-person rule)."))
    _check(alerts, broadcast)
    moved = alerts.broadcasts.move(broadcast, (bc.AWAITING,), state=bc.SCHEDULED, approver=by.strip())
    if moved is None:
        raise Refused(Sentence("Alert %(id)s was approved or cancelled by someone else meanwhile.", id=broadcast_id))
    alerts.enqueue_start(moved)
    return moved


def _check(alerts, broadcast: bc.Broadcast) -> None:
    found = problems(alerts, broadcast)
    if found:
        raise Refused(*found)


def cancel(alerts, broadcast_id: str) -> bc.Broadcast:
    """Stop it: nothing more leaves once the workers read the flag (before every text)."""
    broadcast = find(alerts, broadcast_id)
    moved = alerts.broadcasts.move(broadcast, CANCELLABLE, state=bc.CANCELLED)
    if moved is None:
        raise Refused(Sentence("Alert %(id)s is %(state)s: there is nothing left to cancel.", id=broadcast_id,
                               state=broadcast.state))
    return moved


def progress(alerts, broadcast_id: str) -> Progress:
    """Its counts, to be shown through `Progress.shown` (see `progress` for what is hidden)."""
    broadcast = find(alerts, broadcast_id)
    return Progress(broadcast, alerts.broadcasts.counts(broadcast_id), small_cells(alerts))


def run_reach(alerts, broadcast: bc.Broadcast) -> Reach:
    """How many the sending of `broadcast` reaches, as the figures show it now: its areas, and
    the languages it sends something to (kept when it begins, for its progress)."""
    source = alerts.flows().languages.source
    by_language = subscribers_by_language(alerts, broadcast.areas)
    nobody = Reach(0, 0, small_cells(alerts))
    return sum((reached for lang, reached in by_language.items() if broadcast.body(lang, source) is not None),
               nobody)


def small_cells(alerts) -> int:
    """The small-cell limit (HOTLINE_SMALL_CELLS): one setting for the usage figures and the alerts."""
    return alerts.config.HOTLINE_SMALL_CELLS


def subscriber_figures(alerts) -> dict[tuple[str, str], int | None]:
    return figures(alerts.subscriptions.counts(), small_cells(alerts))
