"""The hotline's engine: `step(flows, session, input) -> (session, actions)`.

Rules this module keeps:
- Pure. No Flask, Redis, Twilio or clock; the same inputs always give the same outputs.
  A test enforces that this package imports none of them.
- Run until the conversation must wait (a key, a text, a transfer) or ends; a step limit
  stops a flow that loops without waiting.
- Emergency first: a new call hears one emergency sentence (in the default language and the
  `emergency_languages`) before the language menu; a remembered caller's main menu opens
  with its own emergency line.
- Never a dead end: a wrong key or silence apologises and asks again more briefly; after
  `max_failures` in a row the caller is given to a person, or else hears the most useful
  guidance and a goodbye. Every menu shares the fixed keys: * again, 0 person, # back.
- Voice and SMS share one flow. The engine says *what* to say; renderers decide *how*.
  Its one-step state is split by concern: what was said or typed in `listening`, what to
  say and the wait for an answer in `prompting`, transfers in `transfer`, ZIP codes in
  `nearby`; moving between nodes stays here.
- A caller may speak instead of pressing: speech is read like a text (`understand.read`);
  unsure or unknown speech asks for a key. Key 8 doubles every wait for the rest of the call.
- A call only continues in a language it can be heard in (`FlowSet.can_speak`). Choosing
  one that cannot (no voice, no recordings yet) puts the caller through to a person after
  one sentence in it (`transfer.voiceless`); a remembered one is asked again on a call.
- A texter sees how to switch language after a text that was not understood, not under
  every menu: other scripts would make every reply cost more (UCS-2). A text in their own
  language usually switches by itself (catalogue keywords).
- The time is an input (`now`), never read here: opening hours are decided on it, so a
  test can be any hour of any day. Without it every service counts as open.
"""

from __future__ import annotations

import datetime as dt

from . import nearby, phrases, transfer
from .events import Action, DialResult, Hangup, Input, Key, Message, Recorded, SendText, Silence, Speech, Start, text
from .listening import Listening
from .model import (
    AGAIN_KEY,
    BACK_KEY,
    MORE_TIME_KEY,
    PERSON_KEY,
    REPEAT_KEY,
    TEXT_KEY,
    EndNode,
    FlowSet,
    LanguageNode,
    MenuNode,
    MessageNode,
    TransferNode,
    ZipNode,
)
from .prompting import Prompting
from .session import Session

MAX_HOPS = 16  # nodes entered in one step before the flow is declared a loop
MAX_BACK = 8  # how many menus the back key remembers
LANGUAGE_TRIES = 2  # the language menu is said twice, then the default language is used


class FlowLoop(RuntimeError):
    """The flow moved through too many nodes without waiting for the caller."""


def begin(flows: FlowSet, channel: str, lang: str | None = None, remembered: str | None = None) -> Session:
    """A fresh session for a new call or texter: in the language `remembered` from their last
    contact (a call then skips the language menu), else in `lang` or the default language."""
    if remembered in flows.languages.languages and (channel != "voice" or flows.can_speak(remembered)):
        return Session(channel=channel, lang=remembered, chosen=True)
    return Session(channel=channel, lang=lang or flows.languages.default)


def step(
    flows: FlowSet, session: Session, event: Input, now: dt.datetime | None = None
) -> tuple[Session, tuple[Action, ...]]:
    """Feed one input (at the aware moment `now`) to a session; return the new session
    and what to say or do."""
    session, actions, _ = counted_step(flows, session, event, now)
    return session, actions


def counted_step(
    flows: FlowSet, session: Session, event: Input, now: dt.datetime | None = None
) -> tuple[Session, tuple[Action, ...], tuple[str, ...]]:
    """`step`, and what happened in it for the usage figures: measures named by the flow's
    own ids (`visit:<node>`, `heard:<node>`, `keyword:<node>`, `rung:<service>`, ...)."""
    return clocked_step(flows, session, event, now)[:3]


def clocked_step(
    flows: FlowSet, session: Session, event: Input, now: dt.datetime | None = None
) -> tuple[Session, tuple[Action, ...], tuple[str, ...], bool]:
    """`counted_step`, and whether it read `now` (opening hours): one that did not gives the
    same at any moment, so it may be remembered (`memo`)."""
    run = _Run(flows, session, now)
    run.handle(event)
    return run.session, tuple(run.actions), tuple(run.counted), run.clocked


def menu_prompt(flows: FlowSet, node_id: str, lang: str, channel: str = "voice") -> tuple[Action, ...]:
    """What a caller hears (or a texter reads) arriving at the menu `node_id` in `lang`,
    without the fixed keys said once per call: for the check's lengths."""
    run = _Run(flows, Session(channel=channel, lang=lang, node=node_id, chosen=True, told_keys=True))
    run.prompt(flows.node(node_id), short=False)
    return tuple(run.actions)


class _Run(Listening, Prompting):
    """One step's working state: the session as it changes, and the actions emitted."""

    def __init__(self, flows: FlowSet, session: Session, now: dt.datetime | None = None):
        self.flows, self.flow, self.session, self._now = flows, flows.flow, session, now
        self.clocked = False  # `now` was read
        self.actions: list[Action] = []
        self.counted: list[str] = []  # measures for the usage figures (see `counted_step`)
        self.hops = 0
        self.list_languages = False  # add every language's SMS hint under the main menu

    @property
    def now(self) -> dt.datetime | None:
        self.clocked = True
        return self._now

    # -- inputs ---------------------------------------------------------------------

    def handle(self, event: Input) -> None:
        node_id = self.session.node
        if isinstance(event, Message):
            self.on_message(event)
        elif isinstance(event, Start) or node_id is None:
            self.on_start()
        elif node_id not in self.flow.nodes:
            # The flows were edited under a live call: start again at the menu, same language.
            self.enter(self.flow.menu)
        elif isinstance(event, DialResult):
            transfer.on_result(self, event.status)
        elif isinstance(event, Recorded):
            node = self.flow.nodes[node_id]
            if isinstance(node, TransferNode) and node.services:
                transfer.finish(self, node, recorded=True)
            else:
                self.enter(self.flow.menu)
        elif isinstance(event, Key):
            self.on_key(self.flow.nodes[node_id], event.digits)
        elif isinstance(event, Speech):
            self.on_speech(self.flow.nodes[node_id], event)
        elif isinstance(event, Silence):
            self.fail(self.flow.nodes[node_id], phrases.NOTHING_HEARD)

    def on_key(self, node, digits: str) -> None:
        here = self.session.node
        if isinstance(node, ZipNode) and nearby.on_key(self, node, digits):
            return
        key = digits[:1]
        if isinstance(node, (TransferNode, EndNode)):
            # A late key after a transfer or goodbye: carry on somewhere useful.
            late = node.no_answer if isinstance(node, TransferNode) else None
            self.enter(late or self.flow.menu)
            return
        if isinstance(node, LanguageNode):
            choice = next((c for c in node.options if c.key == key), None)
            if choice and choice.forget:
                self.forget(node)
                return
            if choice and choice.goto:
                self.go(choice.goto)
                return
            if choice and self.flows.can_speak(choice.lang):
                self.choose_language(choice.lang)
                self.go(node.next)
                return
            if choice and self.flows.languages.languages[choice.lang].spoken_by:
                # No voice and no recordings yet: one sentence in it, then a person, who is
                # told the caller's language so they can bring in an interpreter.
                self.choose_language(choice.lang)
                self.go(self.flow.person)
                return
        elif isinstance(node, MenuNode):
            option = next((o for o in node.options if o.key == key), None)
            if option:
                self.go(option.goto)
                return
        elif isinstance(node, MessageNode) and key == AGAIN_KEY:
            self.enter(here)
            return
        elif isinstance(node, MessageNode) and key == TEXT_KEY:
            self.actions.append(SendText(tuple(text(sentence) for sentence in node.say), self.session.lang, here))
            self.prompt(node, short=True)
            return
        if key == REPEAT_KEY:
            self.enter(here)
        elif key == PERSON_KEY:
            self.go(self.flow.person)
        elif key == BACK_KEY:
            self.go_back()
        elif key == MORE_TIME_KEY:
            self.session = self.session.update(more_time=True)
            self.say(phrases.MORE_TIME_ON)
            self.prompt(node, short=True)
        else:
            self.fail(node, phrases.NOT_AN_OPTION)

    def on_start(self) -> None:
        """A new call: the language menu, or straight to the menu in a remembered language
        (# goes back to the language menu, and the caller is told so)."""
        if not (self.voice and self.session.chosen and isinstance(self.flow.nodes[self.flow.start], LanguageNode)):
            if self.voice:
                self.say_emergency_first()
            self.enter(self.flow.start if self.voice else self.flow.menu)
            return
        self.session = self.session.update(back=(self.flow.start,))
        self.enter(self.flow.menu)
        self.before_wait(phrases.OTHER_LANGUAGE)

    def say_emergency_first(self) -> None:
        """Before anything else on a new call: one emergency sentence in each of the
        `emergency_languages` (default: the default language), each in its own voice."""
        langs = self.flows.settings.emergency_languages or (self.flows.languages.default,)
        for lang in langs:
            self.say(phrases.EMERGENCY_FIRST, lang=lang)

    # -- moving ---------------------------------------------------------------------

    def go(self, node_id: str, prompt: bool = True) -> None:
        """Move forward, remembering where the back key should return to; without
        `prompt`, only move (the caller already said what they want there)."""
        self.remember_here(node_id)
        if prompt:
            self.enter(node_id)
        else:
            self.session = self.session.update(node=node_id, failures=0)

    def remember_here(self, node_id: str) -> None:
        here = self.session.node
        if here in self.flow.nodes and here != node_id and isinstance(
            self.flow.nodes[here], (MenuNode, LanguageNode)
        ):
            self.session = self.session.update(back=(*self.session.back, here)[-MAX_BACK:])

    def go_back(self) -> None:
        back = self.session.back
        if not back:
            self.enter(self.session.node)
            return
        self.session = self.session.update(back=back[:-1])
        self.enter(back[-1])

    def enter(self, node_id: str) -> None:
        self.hops += 1
        if self.hops > MAX_HOPS:
            raise FlowLoop(f"more than {MAX_HOPS} nodes without waiting, last '{node_id}'")
        node = self.flow.nodes[node_id]
        self.session = self.session.update(node=node_id, failures=0, found=())
        self.counted.append(f"visit:{node_id}")
        if isinstance(node, MessageNode):
            self.counted.append(f"heard:{node_id}")
        if isinstance(node, TransferNode) and node.services:
            transfer.start(self, node)
        elif isinstance(node, TransferNode):
            transfer.to_number(self, node)
        elif isinstance(node, EndNode):
            self.say_all(node.say)
            if self.voice:
                self.actions.append(Hangup())
            else:
                self.session = self.session.update(node=self.flow.menu, back=())
        else:
            self.prompt(node, short=False)

    def fail(self, node, sorry: str) -> None:
        """A wrong key, silence or speech not understood: `sorry`, then the prompt again, briefly."""
        failures = self.session.failures + 1
        if isinstance(node, LanguageNode):
            if failures >= LANGUAGE_TRIES:
                back = self.session.back
                if back and isinstance(self.flow.nodes.get(back[-1]), LanguageNode):
                    self.go_back()  # "other languages" was a wrong turn: the first menu again
                else:
                    self.session = self.session.update(lang=self.flows.languages.default)
                    self.go(node.next)
                return
        elif failures >= self.flows.settings.max_failures:
            self.give_up()
            return
        else:
            self.say(sorry)
            if sorry == phrases.NOTHING_HEARD and not self.session.more_time:
                self.say(phrases.MORE_TIME_OFFER)
        self.session = self.session.update(failures=failures)
        self.prompt(node, short=True)

    def give_up(self) -> None:
        """Repeated failures: a person if one can be tried, else guidance and a goodbye."""
        person = self.flow.nodes[self.flow.person]
        if not self.session.person_tried and (person.services or transfer.number_of(self.flows, person)):
            self.go(self.flow.person)
            return
        self.say_all(self.flow.nodes[self.flow.last_resort].say, slow=True)
        self.enter(self.flow.goodbye)
