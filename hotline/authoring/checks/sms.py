"""Check that every SMS reply fits the segment budget, in every language.

Rules this module keeps: the replies are produced by the real engine, SMS renderer and
pager (the same code that answers texters), one for each way a texter can arrive at a
node: the first text, each menu number, the person key, and a message the hotline does
not understand. A long reply is sent in pages ("reply MORE"), each within the budget, so
only a page the pager cannot fit (one word longer than the budget) is a warning: it
still arrives, split by the carrier, and costs more.
- The main menu, with all its options, must fit the first message in every language: a
  texter in a crisis must not have to reply MORE to see "talk to a person". A main menu
  that needs a second page is an error.
"""

from __future__ import annotations

from ...channels.bidi import LRM, RLM
from ...channels.sms import more_line, paginate, reply_lines
from ...flow.engine import begin, menu_prompt, step
from ...flow.events import Message
from ...flow.loader import Problem
from ...flow.model import PERSON_KEY, FlowSet, MenuNode
from ...flow.yamlfile import YamlDocument
from ...texting.segments import is_gsm7, measure

NOT_UNDERSTOOD = "?"


def sms_replies(flows: FlowSet, catalogues, lang: str):
    """Yield (node id the reply is about, page texted) for every distinct way into a node."""
    fresh = begin(flows, "sms", lang)
    at_menu = fresh.update(node=flows.flow.menu)
    arrivals = [(flows.flow.menu, fresh, "HI"), (flows.flow.menu, at_menu, NOT_UNDERSTOOD),
                (flows.flow.person, at_menu, PERSON_KEY)]
    for node_id, node in flows.flow.nodes.items():
        if isinstance(node, MenuNode):
            arrivals += [(option.goto, fresh.update(node=node_id), option.key) for option in node.options]
    seen, more = set(), more_line(catalogues, flows, lang)
    for target, session, body in arrivals:
        _, actions = step(flows, session, Message(body))
        for page in paginate(list(reply_lines(actions, catalogues, flows)), flows.settings.max_sms_segments, more):
            if (target, page) not in seen:
                seen.add((target, page))
                yield target, page


def check_sms(flows: FlowSet, catalogues, doc: YamlDocument) -> list[Problem]:
    budget = flows.settings.max_sms_segments
    problems = []
    for lang in flows.languages.languages:
        menu = list(reply_lines(menu_prompt(flows, flows.flow.menu, lang, "sms"), catalogues, flows))
        pages = paginate(menu, budget, more_line(catalogues, flows, lang))
        if len(pages) > 1:
            whole = "\n".join(menu)
            size, why = measure(whole), _why_ucs2(whole)
            problems.append(Problem(doc.file, doc.line_of(("nodes", flows.flow.menu)), (
                f"{lang}: the texted main menu is {len(whole)} characters, {size.segments} SMS segments in "
                f"{size.encoding}{why}, so its last options only come after MORE; the budget is {budget} "
                "(settings.max_sms_segments): shorten its labels or 'sms_say', or raise the budget")))
        worst: dict[str, tuple] = {}
        for node_id, reply in sms_replies(flows, catalogues, lang):
            size = measure(reply)
            if size.segments > budget and size.segments > worst.get(node_id, (0,))[0]:
                worst[node_id] = (size.segments, size, reply)
        for node_id, (_, size, reply) in worst.items():
            problems.append(Problem(doc.file, doc.line_of(("nodes", node_id)), (
                f"{lang}: a page of the text reply for '{node_id}' is {len(reply)} characters, {size.segments} SMS "
                f"segments in {size.encoding}{_why_ucs2(reply)}, even cut between words; the budget is {budget} "
                "(settings.max_sms_segments); shorten it"
            ), "warning"))
    return problems


def _why_ucs2(texted: str) -> str:
    """Why `texted` goes as UCS-2, naming a character the coordinator can see: every right-to-left
    line starts with an invisible mark (channels/bidi.py), which would be named first otherwise."""
    odd = next((ch for ch in texted if not is_gsm7(ch) and ch not in (RLM, LRM)), "")
    if odd:
        return f" ('{odd}' is not in the basic SMS alphabet, so each segment holds only 67)"
    if not is_gsm7(texted):
        return (" (the right-to-left marks the hotline puts on each line are not in the basic SMS alphabet, "
                "so each segment holds only 67)")
    return ""
