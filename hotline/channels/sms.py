"""Render engine actions as an SMS reply (TwiML `<Message>`), plain text for any phone.

Rules this module keeps:
- A menu is a list of "1 Label" lines; nothing needs a smartphone; actions that only make
  sense on a call (waiting for a key, dialling) are not texted.
- Each line is made plain for GSM-7 as its language allows (`sms_gsm7` in languages.yaml),
  so one curly quote does not turn the whole reply into UCS-2 (70 characters a part).
- A reply longer than the segment budget is cut into pages between lines (between words
  only for a line too long on its own, between characters in Chinese, written without
  spaces); every page but the last ends with "Reply MORE".
  A text sent whole (during a call, or a notice) is cut the same way into several messages.
- Lines in a right-to-left language are marked so that they lay out well (see bidi.py),
  and a line cut between pages is marked again on its next page.
- No reply at all is an empty `<Response/>`: after STOP, nothing is sent.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

from twilio.twiml.messaging_response import MessagingResponse

from ..flow import phrases
from ..flow.events import Options, Say, text
from ..flow.keywords import unspaced
from ..texting.segments import is_gsm7, plain, segments
from .bidi import RLM, readable


def reply_lines(actions, catalogues, flows) -> tuple[str, ...]:
    """The words of the reply, one sentence or menu line per line."""
    lines: list[str] = []

    def add(item, lang: str) -> None:
        words, spoken = catalogues.render(item, lang, flows.variables)
        lines.append(readable(sms_plain(words, flows, spoken), spoken))

    for action in actions:
        if isinstance(action, Say):
            add(action.text, action.lang)
        elif isinstance(action, Options):
            add(text(phrases.SMS_CHOOSE), action.lang)
            for key, label in action.items:
                words = catalogues.render(label, action.lang, flows.variables)[0]
                add(text(phrases.SMS_OPTION, key=key, label=words[:1].upper() + words[1:]), action.lang)
    return tuple(lines)


def reply_text(actions, catalogues, flows) -> str:
    return "\n".join(reply_lines(actions, catalogues, flows))


def more_line(catalogues, flows, lang: str) -> str:
    """"Reply MORE for the rest." in `lang`, as it ends every page but the last."""
    words, spoken = catalogues.render(text(phrases.SMS_MORE), lang, flows.variables)
    return readable(sms_plain(words, flows, spoken), spoken)


def languages_line(catalogues, flows, lang: str) -> str:
    """"For your language, text: ES ZH VI ..." in `lang`: for each other language offered, the
    first of its switch words that is plain GSM-7, so the line costs a few bytes and no UCS-2."""
    words = []
    for code, language in flows.languages.languages.items():
        if code != lang and code not in flows.held:
            words.append(next((word for word in language.keywords if is_gsm7(word)), language.keywords[0]))
    rendered, spoken = catalogues.render(text(phrases.SMS_OTHER_LANGUAGES, words=" ".join(words)), lang,
                                         flows.variables)
    return readable(sms_plain(rendered, flows, spoken), spoken)


def with_line(pages: list[str], line: str, budget: int, more: str) -> list[str]:
    """`line` added to the first page that has room for it, before its "Reply MORE": it never
    pushes what the reply says to a later page (the overdose steps come first)."""
    for i, page in enumerate(pages):
        body = page.removesuffix(f"\n{more}") if i < len(pages) - 1 else page
        added = f"{body}\n{line}" + (f"\n{more}" if i < len(pages) - 1 else "")
        if segments(added)[1] <= budget:
            return [*pages[:i], added, *pages[i + 1:]]
    return pages


def sms_plain(words: str, flows, lang: str) -> str:
    mode = flows.languages.languages[lang].sms_gsm7
    return plain(words, punctuation=mode != "off", letters=mode == "letters")


def paginate(lines: list[str], budget: int, more: str | None) -> list[str]:
    """Pages of at most `budget` segments each; all but the last end with the `more` line
    (None: several whole messages, with no such line)."""
    whole = "\n".join(lines)
    if segments(whole)[1] <= budget:
        return [whole]
    tail = [more] if more else []

    def fits(page: list[str]) -> bool:
        return segments("\n".join([*page, *tail]))[1] <= budget

    pages: list[list[str]] = [[]]
    for line in lines:
        for piece in _pieces(line, fits):
            if pages[-1] and not fits([*pages[-1], piece]):
                pages.append([])
            pages[-1].append(piece)
    texts = ["\n".join(page) for page in pages]
    return [f"{page}\n{more}" if more else page for page in texts[:-1]] + texts[-1:]


def _pieces(line: str, fits) -> list[str]:
    """`line`, cut between words into pieces that each fit on a page of their own; in a
    script written without spaces (Chinese), a piece still too long is cut between
    characters. A link or a number is never cut: a page holding one that is too long on its
    own is the only page over the budget, and the check reports it."""
    if fits([line]):
        return [line]
    mark = RLM if line.startswith(RLM) else ""  # a right-to-left line stays marked on every page
    pieces = [""]
    for word in line.split(" "):
        joined = f"{pieces[-1]} {word}".strip()
        if fits([joined]) or not pieces[-1]:
            pieces[-1] = joined
        else:
            pieces.append(word if word.startswith(mark) else mark + word)
    return [cut for piece in pieces
            for cut in (_characters(piece, fits, mark) if not fits([piece]) and any(map(unspaced, piece)) else [piece])]


def _characters(piece: str, fits, mark: str) -> list[str]:
    """`piece` cut between characters (never before a combining accent) into parts that fit."""
    parts = [""]
    for ch in piece:
        if parts[-1] and parts[-1] != mark and not unicodedata.combining(ch) and not fits([parts[-1] + ch]):
            parts.append(mark)
        parts[-1] += ch
    return parts


def text_lines(texts, catalogues, flows, variables=None) -> list[str]:
    """(Text, language) pairs as SMS lines, each made plain for GSM-7 as its language allows."""
    lines = []
    for item, lang in texts:
        words, spoken = catalogues.render(item, lang, variables or flows.variables)
        lines.append(readable(sms_plain(words, flows, spoken), spoken))
    return lines


def whole_texts(texts, catalogues, flows) -> list[str]:
    """(Text, language) pairs sent whole, not as a reply (during a call, a notice, the safe
    text), as the messages to send: made plain for GSM-7 and paged like replies, in as many
    messages as the segment budget needs (with no "Reply MORE": each is sent). `{fallback}`
    names the line a notice sends people to when the hotline is in trouble."""
    variables = {**flows.variables, "fallback": flows.spoken(flows.fallback_number)}
    lines = text_lines(texts, catalogues, flows, variables)
    return paginate(lines, flows.settings.max_sms_segments, None)


@lru_cache(maxsize=4096)
def render_sms(reply: str | None, *more: str) -> str:
    """A reply (None: nothing at all), or several messages when a text sent whole needs them.
    Remembered per process: most replies are the same few menus, and building the TwiML
    document was a tenth of a text's own work."""
    response = MessagingResponse()
    for message in (reply, *more):
        if message:
            response.message(message)
    return str(response)
