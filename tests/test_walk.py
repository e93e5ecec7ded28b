"""Walk every path of the shipped flow, in every language, on both channels, over HTTP.

Each reachable conversation state is forked (its Redis session copied under a new id)
and every possible input is tried from it. Every answer must be valid TwiML that speaks
in the caller's language and leads somewhere: no dead end, no silence, no error.
"""

from __future__ import annotations

import json
from collections import deque

from hotline.channels.sms import sms_plain
from hotline.flow.events import text
from hotline.flow.model import EndNode, MenuNode, MessageNode, TransferNode
from hotline.i18n import fill

from .conftest import check_voice, spoken

VOICE_KEYS = ["1", "2", "3", "4", "5", "6", "9", "*", "0", "#", None]  # None: silence
DIAL_RESULTS = ["completed", "busy", "no-answer", "failed", "canceled"]


def session_of(redis_client, key: str) -> dict:
    return json.loads(redis_client.hget(key, "s"))


def fork(redis_client, source_key: str, target_key: str) -> None:
    redis_client.delete(target_key)
    redis_client.hset(target_key, mapping=redis_client.hgetall(source_key))
    redis_client.expire(target_key, 600)


def state(session: dict) -> tuple:
    return session["node"], session["lang"], session["failures"], session["person_tried"]


def test_every_voice_path_in_every_language_leads_somewhere(app, twilio, redis_client):
    flows = app.extensions["hotline"].flows
    say_language = {code: lang.say_language for code, lang in flows.languages.languages.items()}
    store = app.extensions["hotline"].store
    seen_nodes, hangups = set(), 0
    queue: deque[str] = deque()
    for key in ["1", "2"]:
        call = twilio.call()
        call.start()
        call.press(key)
        queue.append(call.sid)
    seen_states = set()
    while queue:
        sid = queue.popleft()
        current = session_of(redis_client, store.call_key(sid))
        if state(current) in seen_states:
            continue
        seen_states.add(state(current))
        node = flows.flow.nodes[current["node"]]
        inputs = [("dial", s) for s in DIAL_RESULTS] if isinstance(node, TransferNode) else VOICE_KEYS
        for item in inputs:
            call = twilio.call()
            fork(redis_client, store.call_key(sid), store.call_key(call.sid))
            if isinstance(item, tuple):
                root = call.dial_result(item[1])
            else:
                root = call.press(item) if item else call.silence()
            check_voice(root)
            after = session_of(redis_client, store.call_key(call.sid))
            seen_nodes.add(after["node"])
            if after["node"] != flows.flow.start:
                languages = {lang for lang, _ in spoken(root)}
                assert languages == {say_language[after["lang"]]}, (current, item, spoken(root))
            if root[-1].tag == "Hangup":
                hangups += 1
                assert isinstance(flows.flow.nodes[after["node"]], EndNode), "only a goodbye hangs up"
            else:
                queue.append(call.sid)
    assert seen_nodes == set(flows.flow.nodes), f"never reached: {set(flows.flow.nodes) - seen_nodes}"
    assert {lang for _, lang, _, _ in seen_states} == {"en", "es"}
    assert hangups > 0


def test_every_sms_path_in_every_language_answers_in_that_language(app, twilio, redis_client):
    hotline = app.extensions["hotline"]
    flows, catalogues, store = hotline.flows, hotline.catalogues, hotline.store
    english = {
        fill(msgid, flows.variables) for msgid, translated in catalogues.messages["es"].items()
        if len(msgid) > 15 and msgid != translated
    }
    spanish = {sms_plain(fill(catalogues.messages["es"][msgid], flows.variables), flows, "es")
               for msgid in catalogues.messages["es"] if fill(msgid, flows.variables) in english}
    one_keyword = {node: word for word, (node, _) in flows.keywords.entries.items()}
    inputs = ["1", "2", "3", "4", "5", "0", "9", "", "what?", "EN", "ES", "MORE", *one_keyword.values()]
    numbers = iter(f"+1202555{n:04d}" for n in range(100, 10000))
    seen_states, texted = set(), {"en": set(), "es": set()}
    queue = deque()
    for first in ["hello", "ES"]:
        number = next(numbers)
        twilio.text(first, caller=number)
        queue.append(number)
    while queue:
        number = queue.popleft()
        current = session_of(redis_client, store.texter_key(number))
        if (current["node"], current["lang"]) in seen_states:
            continue
        seen_states.add((current["node"], current["lang"]))
        for body in inputs:
            other = next(numbers)
            fork(redis_client, store.texter_key(number), store.texter_key(other))
            reply = twilio.text(body, caller=other)
            after = session_of(redis_client, store.texter_key(other))
            wrong = english if after["lang"] == "es" else spanish
            assert not [line for line in reply.splitlines() if line in wrong], (body, reply)
            texted[after["lang"]].add(reply)
            queue.append(other)
    assert {lang for _, lang in seen_states} == {"en", "es"}
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
