"""Check that every SMS reply fits the segment budget, in every language.

Rules this module keeps: the replies are produced by the real engine and SMS renderer
(the same code that answers texters), one for each way a texter can arrive at a node:
the first text, each menu number, the person key, and a message the hotline does not
understand. Over budget is a warning: the text still arrives, split, and costs more.
"""

from __future__ import annotations

from ..channels.sms import reply_text
from ..flow.engine import begin, step
from ..flow.events import Message
from ..flow.loader import Problem
from ..flow.model import PERSON_KEY, FlowSet, MenuNode
from ..flow.yamlfile import YamlDocument
from ..segments import is_gsm7, measure

NOT_UNDERSTOOD = "?"


def sms_replies(flows: FlowSet, catalogues, lang: str):
    """Yield (node id the reply is about, reply text) for every distinct way into a node."""
    fresh = begin(flows, "sms", lang)
    at_menu = fresh.update(node=flows.flow.menu)
    arrivals = [(flows.flow.menu, fresh, "HI"), (flows.flow.menu, at_menu, NOT_UNDERSTOOD),
                (flows.flow.person, at_menu, PERSON_KEY)]
    for node_id, node in flows.flow.nodes.items():
        if isinstance(node, MenuNode):
            arrivals += [(option.goto, fresh.update(node=node_id), option.key) for option in node.options]
    seen = set()
    for target, session, body in arrivals:
        _, actions = step(flows, session, Message(body))
        reply = reply_text(actions, catalogues, flows)
        if (target, reply) not in seen:
            seen.add((target, reply))
            yield target, reply


def check_sms(flows: FlowSet, catalogues, doc: YamlDocument) -> list[Problem]:
    budget = flows.settings.max_sms_segments
    problems = []
    for lang in flows.languages.languages:
        worst: dict[str, tuple] = {}
        for node_id, reply in sms_replies(flows, catalogues, lang):
            size = measure(reply)
            if size.segments > budget and size.segments > worst.get(node_id, (0,))[0]:
                worst[node_id] = (size.segments, size, reply)
        for node_id, (_, size, reply) in worst.items():
            odd = next((ch for ch in reply if not is_gsm7(ch)), "")
            why = f" ('{odd}' is not in the basic SMS alphabet, so each segment holds only 67)" if odd else ""
            problems.append(Problem(doc.file, doc.line_of(("nodes", node_id)), (
                f"{lang}: the text reply for '{node_id}' is {len(reply)} characters, {size.segments} SMS segments "
                f"in {size.encoding}{why}; the budget is {budget} (settings.max_sms_segments); shorten it"
            ), "warning"))
    return problems
