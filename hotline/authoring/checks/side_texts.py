"""Check the texts the hotline sends outside the reply path against the segment budget.

Rules this module keeps:
- Each text is made by the code that sends it (`channels.sms.whole_texts`: GSM-7 as the
  language's `sms_gsm7` allows, then the pager), so the check measures what is sent.
- Texts sent whole (during a call, the notices) are paged into several messages where they
  must, so a message over the budget can only be one the pager cannot cut (a link longer
  than the budget): an error, as is the alerts' "still want alerts?" question over budget,
  which is sent as one message because its answer is awaited.
- A notice (the safe text when Redis is down, the flood notices, FORGET's answer) that needs
  more than one message is a warning: messages can arrive out of order, and the first one
  must already say to call the emergency number.
"""

from __future__ import annotations

from ...channels.sms import sms_plain, whole_texts
from ...flow import phrases
from ...flow.events import text
from ...flow.loader import Problem
from ...flow.model import TEXT_KEY, MessageNode
from ...i18n import fill
from ...outbound.words import STILL_WANTED
from ...state.limits import LIMIT_SMS, LIMIT_SMS_BUSY
from ...texting.forget import FORGOTTEN
from ...texting.segments import measure

#: The notices sent whole, by what a coordinator would call them, and whether each is sent in
#: the two first languages (to a person whose language is not known), in one, or both.
NOTICES = {phrases.TROUBLE_SMS: ("the safe text sent when the line is in trouble", True, False),
           LIMIT_SMS: ("the notice to a number past its limit", True, True),
           LIMIT_SMS_BUSY: ("the notice during a flood", True, True), FORGOTTEN: ("the answer to FORGET", False, True)}


def check_side_texts(flows, catalogues, doc) -> list[Problem]:
    budget, problems = flows.settings.max_sms_segments, []
    languages, at = flows.languages, doc.line_of(("settings", "max_sms_segments"))

    def over(messages: list[str]) -> str | None:
        worst = max(messages, key=lambda message: measure(message).segments)
        return str(measure(worst)) if measure(worst).segments > budget else None

    for msgid, (name, unknown, known) in NOTICES.items():
        pair = [languages.notice_langs(None)] if unknown else []
        for langs in [*pair, *([lang] for lang in languages.languages if known)]:
            messages = whole_texts([(text(msgid), lang) for lang in langs], catalogues, flows)
            where = "+".join(langs)
            if over(messages):
                problems.append(Problem(doc.file, at, f"{where}: a message of {name} is {over(messages)}, over the "
                                        f"budget of {budget} (settings.max_sms_segments): shorten it"))
            elif len(messages) > 1:
                problems.append(Problem(doc.file, at, (
                    f"{where}: {name} takes {len(messages)} messages (the budget is {budget} SMS segments a message, "
                    "settings.max_sms_segments); texts can arrive out of order, so shorten it to fit one"), "warning"))
    for node_id, node in flows.flow.nodes.items():
        if isinstance(node, MessageNode):
            for lang in languages.languages:
                messages = whole_texts([(text(s), lang) for s in node.say], catalogues, flows)
                if over(messages):
                    problems.append(Problem(doc.file, doc.line_of(("nodes", node_id)), (
                        f"{lang}: the text of '{node_id}' sent during a call (key {TEXT_KEY}) has a message of "
                        f"{over(messages)}, over the budget of {budget}, even cut between words: shorten it")))
    for lang in languages.languages:
        words, spoken = catalogues.translate(STILL_WANTED, lang)
        size = measure(sms_plain(fill(words, dict(flows.variables)), flows, spoken))
        if size.segments > budget:
            problems.append(Problem(doc.file, at, (
                f"{lang}: the alerts' question 'still want alerts?' is {size}, over the budget of {budget}; "
                "it is sent as one message: shorten its translation")))
    return problems
