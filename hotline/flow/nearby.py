"""Find services near me: a ZIP code in, the nearest services open now out.

Rules this module keeps (it works on the engine's running step, `run`):
- A caller types five digits (`Gather` of 5); a texter sends a ZIP code alone or after a
  ZIP node's keyword (`SERVICES 94110`, `SERVICIOS 94110`). Anything else is "not a ZIP
  code", said in the caller's language, and counts as a wrong answer.
- The answer: the nearest three local services open now that serve that ZIP code (name,
  number, until when, distance in miles). When none is open: the nearest closed one with
  when it opens, then the national lines; when none serves the ZIP code at all: the
  national lines.
- The ZIP code is never kept: the session holds only the services listed and their
  distance, so "1 again" and "2 by text" work after it is gone.
"""

from __future__ import annotations

from babel.numbers import format_decimal

from . import hours, phrases, transfer
from .events import SendText, Text, text
from .keywords import normalize
from .model import AGAIN_KEY, FIXED_KEYS, REPEAT_KEY, TEXT_KEY, ZipNode
from .places import Place, locate, miles

NEARBY_COUNT = 3
ANOTHER_KEY = "3"
ZIP_DIGITS = 5


def asked(run, current, intent, body: str) -> tuple[str, str] | None:
    """(ZIP node id, what was given as the ZIP code) if a text asks for services near a place:
    a ZIP code alone, or a ZIP node's keyword with its argument (`understand.read`), anywhere
    in the text and with spelling slips like any keyword (`where are servises 94110`)."""
    words = normalize(body)
    if words.isdigit() and len(words) == ZIP_DIGITS:
        node_id = run.session.node if isinstance(current, ZipNode) else run.flow.near_me
        return (node_id, words) if node_id else None
    if intent.kind == "node" and intent.argument and isinstance(run.flow.nodes[intent.value], ZipNode):
        given = intent.argument.split(" ")  # "NEAR 94110", "CERCA DE 94110": the ZIP code among them
        return intent.value, next((w for w in given if w.isdigit() and len(w) == ZIP_DIGITS), intent.argument)
    return None


def on_key(run, node: ZipNode, digits: str) -> bool:
    """Handle keys at a ZIP node; False leaves a fixed or wrong key to the engine."""
    if run.session.found:
        key = digits[:1]
        if key in (AGAIN_KEY, REPEAT_KEY):
            for line in result_lines(run):
                run.say_text(line)
        elif key == TEXT_KEY:
            run.actions.append(SendText(tuple(result_lines(run)), run.session.lang, run.session.node))
        elif key == ANOTHER_KEY:
            run.session = run.session.update(found=())
        else:
            return False
        prompt(run, node)
        return True
    if digits in FIXED_KEYS:
        return False
    answer(run, node, digits)
    return True


def answer(run, node: ZipNode, zip_code: str) -> None:
    place = locate(zip_code)
    if place is None:
        run.fail(node, phrases.INVALID_ZIP)
        return
    local = _serving(run, place, node.offers)
    found = [pair for pair in local if hours.is_open(run.flows.service(pair[0]), run.now)][:NEARBY_COUNT]
    # Counted by the kind of service asked for, never by the ZIP code.
    run.counted.append(f"zip:{'found' if found else 'none'}:{'+'.join(sorted(node.offers)) or 'any'}")
    if not found:
        found = local[:1] + [(service_id, None) for service_id in run.flows.settings.national_lines]
    run.session = run.session.update(found=tuple(found), failures=0)
    for line in result_lines(run):
        run.say_text(line)
    if run.voice:
        prompt(run, node)
    else:
        run.say(phrases.SMS_AFTER_RESULTS)
        run.session = run.session.update(found=())


def prompt(run, node: ZipNode) -> None:
    """Ask for a ZIP code (5 keys), or, after a list, what to do with it (1 key)."""
    if run.session.found:
        run.say(phrases.AFTER_RESULTS)
        run.wait()
        return
    run.say_all(node.say if run.voice or node.sms_say is None else node.sms_say)
    if run.voice:
        run.wait(digits=ZIP_DIGITS)


def result_lines(run) -> list[Text]:
    """The list the caller hears (and can get by text), rebuilt from the session."""
    lang, flows = run.session.lang, run.flows
    local = [(service_id, distance) for service_id, distance in run.session.found if distance is not None]
    national = [service_id for service_id, distance in run.session.found if distance is None]
    if any(hours.is_open(flows.service(service_id), run.now) for service_id, _ in local):
        lines = [text(phrases.NEARBY_INTRO)]
    else:
        lines = [text(phrases.NONE_OPEN_NEARBY if local else phrases.NOT_NEAR)]
    for service_id, distance in local:
        service = flows.service(service_id)
        lines.append(text(
            phrases.NEARBY_LINE if distance >= 1 else phrases.NEARBY_LINE_CLOSE, name=service.name,
            distance=format_decimal(distance, "0.0", locale=lang),
            status=hours.status(service, run.now, lang), phone=flows.spoken(service.phone),
        ))
    if national:
        lines.append(text(phrases.NATIONAL_INTRO))
        lines += [transfer.line(run, service_id) for service_id in national]
    return lines


def _serving(run, place: Place, offers) -> list[tuple[str, float]]:
    """Local services whose area includes `place` (listed ZIP codes, else a radius), nearest first."""
    found = []
    for service_id, service in run.flows.directory.services.items():
        where = run.flows.places.get(service_id)
        if service.national or where is None or (offers and not set(offers) & set(service.offers)):
            continue
        distance = miles(place, where)
        serves = place.zip_code in service.serves if service.serves else distance <= service.radius_miles
        if serves:
            found.append((service_id, round(distance, 1)))
    return sorted(found, key=lambda pair: pair[1])
