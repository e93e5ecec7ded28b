"""Transfers: put a caller through to a person's number or to services from the directory.

Rules this module keeps (it works on the engine's running step, `run`):
- Only services open now are rung; those that speak the caller's language go first, in
  the order the flow lists them. `in_turn` rings one at a time; `together` rings the
  group at once (up to 10 numbers, Twilio's limit for one `<Dial>`).
- A closed service is named with when it opens, in the caller's language, before the next
  one is tried. Busy, no answer or failed: the next service; when none is left, the
  optional voicemail (with its consent notice), then a text with the numbers, then the
  transfer's `no_answer` node; without one the person line (if not tried yet), else the
  last-resort guidance. Never a hangup without something offered: no dead end.
- A texter gets the numbers to call, with whether each is open, instead of a transfer, and
  then "Reply MENU", as after guidance: a reply never leaves a texter without a next step.
- A caller in a language no call can be held in yet (no voice, not recorded) hears one
  sentence in it, and whoever answers is screened ("Haitian Creole speaker") so that they
  can bring in an interpreter. If nobody answers, the caller gets the overdose steps and the
  national lines by text, in their language.
"""

from __future__ import annotations

from . import hours, phrases
from .events import Dial, Record, SendText, Text, text
from .model import FlowSet, TransferNode

MAX_NUMBERS_PER_DIAL = 10
_DIAL_PHRASES = {"busy": phrases.DIAL_BUSY, "no-answer": phrases.DIAL_NO_ANSWER}
#: A transfer's DialCallStatus as counted in the usage figures (anything else: failed).
_OUTCOMES = {"completed": "connected", "busy": "busy", "no-answer": "no-answer", "canceled": "failed"}


def number_of(flows: FlowSet, node: TransferNode) -> str:
    """The number a `number:` transfer dials (`person_number` is read from the settings)."""
    if node.number == "person_number":
        return flows.settings.person_number
    return node.number or ""


def voiceless(run) -> bool:
    """Is this a call in a language it cannot be held in (no voice, no recordings yet)?"""
    return run.voice and not run.flows.can_speak(run.session.lang)


def announce(run, node: TransferNode) -> None:
    """What the caller hears before ringing: the node's words, or for a caller in a language
    no call can be held in, the one sentence saying a person will take the call."""
    if voiceless(run):
        run.say(phrases.VOICELESS_PERSON)
    else:
        run.say_all(node.say)


def text_steps(run) -> None:
    """Nobody took a caller no call can be held in: the overdose steps and the national
    lines by text, in their language (the adapter says whether the text went)."""
    steps = (text(sentence) for sentence in run.flow.nodes[run.flow.last_resort].say)
    national = (line(run, s) for s in run.flows.settings.national_lines)
    run.actions.append(SendText((*steps, text(phrases.NUMBERS_INTRO), *national), run.session.lang, run.session.node))


def to_number(run, node: TransferNode) -> None:
    """The simple transfer: one number, then `no_answer`."""
    number = number_of(run.flows, node)
    if not number:
        run.say(phrases.NO_PERSON)
        if voiceless(run):
            text_steps(run)
        run.enter(node.no_answer)
        return
    run.session = run.session.update(person_tried=True)
    if run.voice:
        run.counted.append(f"transfer:{run.session.node}:attempted")
        announce(run, node)
        run.actions.append(Dial((number,), node.timeout, run.session.lang, screen=node.screen or voiceless(run)))
    else:
        run.say(phrases.SMS_CALL_PERSON, person=run.flows.spoken(number))
        run.say(phrases.SMS_AFTER_GUIDANCE)
        run.settle_sms()


def start(run, node: TransferNode) -> None:
    """Entering a transfer to services: name the closed ones, then ring the first open."""
    is_person = run.session.node == run.flow.person
    run.session = run.session.update(tried=(), person_tried=run.session.person_tried or is_person)
    if not run.voice:
        run.say(phrases.SMS_CALL_SERVICES)
        for service_id in _by_preference(run, node.services):
            run.say_text(line(run, service_id))
        run.say(phrases.SMS_AFTER_GUIDANCE)
        run.settle_sms()
        return
    run.counted.append(f"transfer:{run.session.node}:attempted")
    announce(run, node)
    for service_id in node.services:
        service = run.flows.service(service_id)
        if not hours.is_open(service, run.now):
            run.counted.append(f"closed:{service_id}")
            status = hours.status(service, run.now, run.session.lang)
            run.say(phrases.SERVICE_CLOSED, name=service.name, status=status)
    ring_next(run, node)


def on_result(run, status: str) -> None:
    """How a `<Dial>` ended: connected (then the goodbye), else the next service or a fallback."""
    node = run.flow.nodes[run.session.node]
    if not isinstance(node, TransferNode):
        run.enter(run.flow.menu)
        return
    run.counted.append(f"transfer:{run.session.node}:{_OUTCOMES.get(status, 'failed')}")
    if status == "completed":
        run.enter(run.flow.goodbye)
        return
    run.say(_DIAL_PHRASES.get(status, phrases.DIAL_FAILED))
    if node.services:
        ring_next(run, node)
    else:
        if voiceless(run):
            text_steps(run)
        run.enter(node.no_answer)


def ring_next(run, node: TransferNode) -> None:
    """Ring the next group of open services not tried yet, or fall back."""
    remaining = [
        service_id for service_id in _by_preference(run, node.services)
        if service_id not in run.session.tried and hours.is_open(run.flows.service(service_id), run.now)
    ]
    if not remaining:
        if not run.session.tried:
            run.say(phrases.NONE_OPEN)
        _fall_back(run, node)
        return
    speakers = [s for s in remaining if run.flows.service(s).speaks(run.session.lang)] or remaining
    group = speakers[:1] if node.ring == "in_turn" else speakers[:MAX_NUMBERS_PER_DIAL]
    run.session = run.session.update(tried=(*run.session.tried, *group))
    run.counted += [f"rung:{service_id}" for service_id in group]
    if len(group) == 1:
        run.say(phrases.CONNECTING, name=run.flows.service(group[0]).name)
    else:
        run.say(phrases.CONNECTING_ANY, count=str(len(group)))
    numbers = tuple(run.flows.service(s).phone for s in group)
    run.actions.append(Dial(numbers, node.timeout, run.session.lang, screen=node.screen or voiceless(run)))


def _fall_back(run, node: TransferNode) -> None:
    if node.voicemail:
        run.counted.append(f"transfer:{run.session.node}:voicemail")
        run.say(phrases.VOICEMAIL_CONSENT)
        run.actions.append(Record(run.flows.settings.voicemail_seconds))
        return
    finish(run, node)


def finish(run, node: TransferNode, recorded: bool = False) -> None:
    """Nobody could take the call: text the numbers (a caller in a language no call can be
    held in: the overdose steps), then move on (after a voicemail was `recorded`, to the
    goodbye: the caller was offered something)."""
    if voiceless(run):
        text_steps(run)
    else:
        national = [s for s in run.flows.settings.national_lines if s not in node.services]
        lines = (text(phrases.NUMBERS_INTRO), *(line(run, s) for s in (*node.services, *national)))
        run.counted.append(f"transfer:{run.session.node}:numbers")
        run.actions.append(SendText(lines, run.session.lang, run.session.node))
    run.enter(node.no_answer or (run.flow.goodbye if recorded else after_nobody(run)))


def after_nobody(run) -> str:
    """Where a transfer without `no_answer` goes when nobody could take the call: never a
    hangup. The person line if it was not tried yet (its own `no_answer` leads on to the
    national lines), else the last-resort guidance, which waits for a key."""
    flow = run.flow
    if run.session.node != flow.person and not run.session.person_tried:
        return flow.person
    return flow.last_resort


def _by_preference(run, service_ids) -> list[str]:
    """Open services first, then those speaking the caller's language; otherwise as listed."""
    def rank(service_id: str) -> tuple[bool, bool]:
        service = run.flows.service(service_id)
        return not hours.is_open(service, run.now), not service.speaks(run.session.lang)

    return sorted(service_ids, key=rank)


def line(run, service_id: str) -> Text:
    """"Name: number, open until 5:00 PM." in the caller's language."""
    service = run.flows.service(service_id)
    return text(phrases.SERVICE_LINE, name=service.name, phone=run.flows.spoken(service.phone),
                status=hours.status(service, run.now, run.session.lang))
