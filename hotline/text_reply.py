"""One incoming text, from consent rules to the pages of the reply. Pure: no Redis, no HTTP.

Rules this module keeps:
- Consent first (`consent.decide`): STOP, START and HELP work wherever the texter is, and
  an opted-out number gets nothing at all.
- MORE sends the next page of the last long reply; with nothing left, "that was all" and the
  menu. Any other text starts a new reply.
- A first texter who has not chosen a language learns that others exist: one short line of
  the words that switch language ("For your language, text: ES ZH VI"), on the first page
  that has room for it without pushing anything the reply says to a later page.
- Every reply fits the segment budget (`max_sms_segments`); the rest waits in the session.
- A language the texter chooses is handed to the store to remember (if remembering is on).
"""

from __future__ import annotations

from .channels.sms import languages_line, more_line, paginate, reply_lines, sms_plain, with_line
from .flow import phrases
from .flow.engine import begin, counted_step, menu_prompt
from .flow.events import LanguageChosen, Message, Say, text
from .flow.session import Person, Session
from .texting import consent


def answer(flows, catalogues, session: Session | None, person: Person, body: str, media: int = 0,
           opt_out_type: str = "", now=None, lines=None, counted: list | None = None,
           step=None) -> tuple[Session, Person, str | None]:
    """(session, person, reply or None for no reply at all) for one text at the moment `now`.

    `lines(actions)` gives a reply's lines (default `reply_lines`; the service passes one
    that remembers replies already rendered; `step(session, input, now)` the engine's, one that
    remembers steps taken). What the engine counted goes into `counted`."""
    word = consent.texting_word(flows, body)
    decision = consent.decide(word and word.value, person.opted_out, opt_out_type, consent.twilio_answers(body))
    first = session is None
    session = session or begin(flows, "sms", remembered=person.lang)
    if not decision.converse:
        reply = None
        if decision.reply:
            lang = session.lang if session.chosen or not word or not word.lang else word.lang
            words, spoken = catalogues.render(text(decision.reply), lang, flows.variables)
            reply = sms_plain(words, flows, spoken)
        return session, person.update(opted_out=decision.opted_out), reply
    if word and word.value == consent.MORE and session.more:
        return session.update(more=session.more[1:]), person, session.more[0]
    if word and word.value == consent.MORE:  # nothing left: say so, then the menu
        actions = (Say(text(phrases.SMS_NOTHING_MORE), session.lang),
                   *menu_prompt(flows, flows.flow.menu, session.lang, "sms"))
        session = session.update(node=flows.flow.menu, back=(), failures=0)
    else:
        message = Message(body, media)
        session, actions, measures = step(session, message, now) if step else counted_step(flows, session, message, now)
        if counted is not None:
            counted += measures
    chosen = [action.lang for action in actions if isinstance(action, LanguageChosen)]
    rendered = lines(actions) if lines else reply_lines(actions, catalogues, flows)
    first = first and not session.chosen and not chosen
    budget, more = flows.settings.max_sms_segments, more_line(catalogues, flows, session.lang)
    pages = paginate(list(rendered), budget, more)
    if first:
        pages = with_line(pages, languages_line(catalogues, flows, session.lang), budget, more)
    person = person.update(lang=chosen[-1]) if chosen else person
    return session.update(more=tuple(pages[1:])), person, pages[0]
