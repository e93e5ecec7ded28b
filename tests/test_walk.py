"""Walk every path of the shipped flow, in every language, on both channels, over HTTP.

Each reachable conversation state is forked and every possible input is tried from it.
Every answer must be valid TwiML that speaks in the caller's language and leads
somewhere: no dead end, no silence, no error. A language Twilio cannot speak is walked
on calls with a full set of recordings. To stay fast, the walks in every language chain
the engine and the renderers as the service does; the English call walk goes through
signed webhooks and the Redis store (its sessions copied under new call ids).
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections import deque

import pytest

from hotline import create_app
from hotline import text_reply as texting
from hotline.channels.bidi import LRM, RLM
from hotline.channels.sms import sms_plain
from hotline.channels.voice import render_voice
from hotline.flow import phrases
from hotline.flow.engine import begin, step
from hotline.flow.events import DialResult, Key, Say, SendText, Silence, Start, text
from hotline.flow.model import EndNode, LanguageNode, MenuNode, MessageNode, TransferNode
from hotline.flow.session import Person, Session
from hotline.i18n import fill

from .conftest import NOW, SETTINGS, check_voice, spoken

VOICE_KEYS = ["1", "2", "3", "4", "5", "6", "9", "*", "0", "#", None]  # None: silence
VOICE_INPUTS = [Key(k) if k else Silence() for k in VOICE_KEYS]
DIAL_RESULTS = ["completed", "busy", "no-answer", "failed", "canceled"]


def session_of(redis_client, key: str) -> dict:
    return json.loads(redis_client.hget(key, "s"))


def fork(redis_client, saved: dict, target_key: str) -> None:
    """Copy a saved session under a new key, in one round trip (the walk makes thousands)."""
    pipe = redis_client.pipeline(transaction=False)
    pipe.delete(target_key).hset(target_key, mapping=saved).expire(target_key, 600)
    pipe.execute()


def state(session: Session) -> tuple:
    return session.node, session.lang, session.failures, session.person_tried


def language_keys(flows) -> dict[str, list[str]]:
    """The keys that choose each language from the start of a call, through "other languages"."""
    found: dict[str, list[str]] = {}

    def visit(node_id: str, keys: list[str]) -> None:
        for choice in flows.node(node_id).options:
            if choice.goto and choice.goto != node_id:
                visit(choice.goto, [*keys, choice.key])
            elif not choice.goto and flows.can_speak(choice.lang):
                found.setdefault(choice.lang, [*keys, choice.key])

    visit(flows.flow.start, [])
    return found


class Calls:
    """The hotline's call handling without HTTP and Redis (those are walked in English below):
    the engine, then the voice renderer, exactly as `Hotline.answer_call` chains them."""

    def __init__(self, hotline):
        self.hotline, self.bundle = hotline, hotline.published.bundle
        self.flows, self.now = self.bundle.flows, hotline.clock()

    def answer(self, session: Session, event) -> tuple[Session, ET.Element]:
        session, actions = step(self.flows, session, event, self.now)
        bundle = self.bundle
        # "Text me this": texts are off in tests, so the caller is told it could not be sent.
        actions = [Say(text(phrases.TEXT_FAILED), a.lang) if isinstance(a, SendText) else a for a in actions]
        twiml = render_voice(actions, bundle.catalogues, self.flows, recordings=bundle.recordings)
        return session, ET.fromstring(twiml)

    def begin(self, keys: list[str]) -> Session:
        session, _ = self.answer(begin(self.flows, "voice"), Start())
        for key in keys:
            session, _ = self.answer(session, Key(key))
        return session


def walk_calls(hotline, only: set | None = None) -> set:
    """Every call state reachable in every language a call can be held in (or `only` these)."""
    calls, flows = Calls(hotline), hotline.flows
    languages = flows.languages.languages
    # Each voiceless language's sentences that need no value filled in: all of them must be recorded.
    fixed = {code: [t for m, t in hotline.catalogues.messages.get(code, {}).items() if "{" not in m and len(t) > 15]
             for code, lang in languages.items() if lang.voice is None}
    seen_nodes, seen_states, hangups = set(), set(), 0
    queue = deque(calls.begin(keys) for lang, keys in language_keys(flows).items() if not only or lang in only)
    while queue:
        current = queue.popleft()
        if state(current) in seen_states:
            continue
        seen_states.add(state(current))
        node = flows.node(current.node)
        inputs = [DialResult(s) for s in DIAL_RESULTS] if isinstance(node, TransferNode) else VOICE_INPUTS
        for event in inputs:
            after, root = calls.answer(current, event)
            check_voice(root)
            seen_nodes.add(after.node)
            at_language_menu = isinstance(flows.node(after.node), LanguageNode)
            if not at_language_menu:
                language = languages[after.lang]
                heard = {lang for lang, _ in spoken(root)}
                if language.voice is None:  # recorded; only sentences made during the call are read aloud
                    assert heard <= {languages[language.spoken_by].say_language}, (current, event, spoken(root))
                    plays = [play.text for play in root.iter("Play")]
                    assert plays and all(f"/audio/{after.lang}/" in url for url in plays), (current, event)
                    read = " ".join(words for _, words in spoken(root))
                    assert not [s for s in fixed[after.lang] if s in read], "a fixed sentence was not recorded"
                else:
                    assert heard <= {language.say_language}, (current, event, spoken(root))
            if root[-1].tag == "Hangup":
                hangups += 1
                assert isinstance(flows.node(after.node), EndNode), "only a goodbye hangs up"
            elif not only or after.lang in only or at_language_menu:
                queue.append(after)
    reachable = {n for n in flows.flow.nodes if not only or not isinstance(flows.node(n), LanguageNode)}
    assert reachable <= seen_nodes, f"never reached: {reachable - seen_nodes}"
    assert hangups > 0
    return seen_states


def test_every_voice_path_in_every_spoken_language_leads_somewhere(app):
    hotline = app.extensions["hotline"]
    states = walk_calls(hotline)
    spoken_languages = {code for code, lang in hotline.flows.languages.languages.items() if lang.voice}
    assert {lang for _, lang, _, _ in states} == spoken_languages


@pytest.fixture
def recorded_app(redis_client, tmp_path):
    """The app with a recording of every call sentence in every language Twilio cannot speak."""
    plain = create_app(SETTINGS).extensions["hotline"]
    for code, language in plain.flows.languages.languages.items():
        if language.voice is None:
            (tmp_path / code).mkdir()
            for name, _ in plain.published.bundle.recordings.missing(plain.flows, plain.catalogues, code):
                (tmp_path / name).write_bytes(b"ID3 test recording")
    return create_app({**SETTINGS, "HOTLINE_AUDIO_DIR": str(tmp_path)}, clock=lambda: NOW)


def test_every_voice_path_in_a_recorded_language_is_played(recorded_app):
    hotline = recorded_app.extensions["hotline"]
    voiceless = {code for code, lang in hotline.flows.languages.languages.items() if lang.voice is None}
    assert voiceless and hotline.flows.recorded == voiceless
    states = walk_calls(hotline, only=voiceless)
    assert {lang for _, lang, _, _ in states} == voiceless


def test_every_english_voice_path_over_http_leads_somewhere(app, twilio, redis_client):
    """The same walk through signed webhooks and the Redis store, in the source language."""
    flows, store = app.extensions["hotline"].flows, app.extensions["hotline"].store
    first = twilio.call()
    first.start()
    first.press(language_keys(flows)["en"][0])
    queue, seen_states, seen_nodes = deque([first.sid]), set(), set()
    while queue:
        sid = queue.popleft()
        current = session_of(redis_client, store.call_key(sid))
        key = (current["node"], current["lang"], current["failures"], current["person_tried"])
        if key in seen_states:
            continue
        seen_states.add(key)
        saved = redis_client.hgetall(store.call_key(sid))
        transfer = isinstance(flows.node(current["node"]), TransferNode)
        for item in DIAL_RESULTS if transfer else VOICE_KEYS:
            call = twilio.call()
            fork(redis_client, saved, store.call_key(call.sid))
            root = call.dial_result(item) if transfer else call.press(item) if item else call.silence()
            after = session_of(redis_client, store.call_key(call.sid))
            seen_nodes.add(after["node"])
            if root[-1].tag != "Hangup" and after["lang"] == "en":
                queue.append(call.sid)
    assert seen_nodes == set(flows.flow.nodes)


def lines_of(catalogues, flows, lang: str) -> set[str]:
    """Every long catalogue line as texted in `lang` (English: the msgids that have translations)."""
    if lang == flows.languages.source:
        entries = {msgid for messages in catalogues.messages.values() for msgid in messages}
    else:
        entries = set(catalogues.messages[lang].values())
    return {fill(entry, flows.variables) for entry in entries if len(entry) > 15}


def text_reply(hotline, session: Session | None, body: str) -> tuple[Session, str]:
    """A texter's next reply, as `Hotline.answer_text` makes it (without HTTP and Redis)."""
    session, _, reply = texting.answer(hotline.flows, hotline.catalogues, session, Person(), body)
    assert reply and reply.strip(), "every text gets exactly one reply, never empty"
    pages = [reply]
    while session.more:  # a long reply comes in pages: read them all, as a texter would with MORE
        session, _, page = texting.answer(hotline.flows, hotline.catalogues, session, Person(), "MORE")
        pages.append(page.rsplit("\n", 1)[0] if session.more else page)
    pages[0] = pages[0].rsplit("\n", 1)[0] if len(pages) > 1 else pages[0]
    return session, "\n".join(pages)


def test_every_sms_path_in_every_language_answers_in_that_language(app):
    hotline = app.extensions["hotline"]
    flows, catalogues = hotline.flows, hotline.catalogues
    codes = list(flows.languages.languages)
    own = {code: lines_of(catalogues, flows, code) for code in codes}
    foreign = {code: set().union(*(own[other] for other in codes if other != code)) - own[code] for code in codes}
    one_keyword = [node.keywords[0] for node in flows.flow.nodes.values() if getattr(node, "keywords", ())]
    switches = [lang.keywords[0] for lang in flows.languages.languages.values()]
    # and a word from each catalogue (e.g. 纳洛酮), which also switches to its language
    native = list({lang: word for word, (_, lang) in flows.keywords.entries.items() if lang}.values())
    assert len(native) == len(codes) - 1
    inputs = ["1", "2", "3", "4", "5", "0", "9", "", "what?", "٣", *switches, *one_keyword, *native]
    seen_states, texted = set(), {code: [] for code in codes}
    queue = deque(text_reply(hotline, None, first)[0] for first in ["hello", *switches])
    while queue:
        current = queue.popleft()
        if (current.node, current.lang) in seen_states:
            continue
        seen_states.add((current.node, current.lang))
        for body in inputs:
            after, reply = text_reply(hotline, current, body)
            bare = [line.replace(RLM, "").replace(LRM, "") for line in reply.splitlines()]
            assert not [line for line in bare if line in foreign[after.lang]], (after.lang, body, reply)
            texted[after.lang].append("\n".join(bare))
            queue.append(after)
    assert {lang for _, lang in seen_states} == set(codes)
    for lang, replies in texted.items():
        everything = "\n".join(replies)
        for node_id, node in flows.flow.nodes.items():
            if isinstance(node, MessageNode):
                first = sms_plain(catalogues.render(text(node.say[0]), lang, flows.variables)[0], flows, lang)
                assert first in everything, f"{node_id} never texted in {lang}"
            elif isinstance(node, MenuNode):
                label = sms_plain(catalogues.render(text(node.options[-1].label), lang, flows.variables)[0],
                                  flows, lang)
                assert label[:1].upper() + label[1:] in everything, f"menu {node_id} never texted in {lang}"
