"""How the engine says things: prompts, menus, transfers, and the wait for an answer.

Rules this module keeps: it only appends actions and updates the session of the step it
belongs to (`engine._Run`, which it is mixed into); moving between nodes stays in the
engine. Voice prompts end with a `Gather` (keys, and speech with hints where the language
has a recogniser); SMS prompts end without one. A caller who asked for more time hears
every prompt at the slower rate and waits twice as long.
"""

from __future__ import annotations

from . import phrases
from .events import Action, Dial, Gather, Options, Say, text
from .model import FlowSet, LanguageNode, MenuNode, MessageNode, TransferNode
from .session import Session
from .understand import hints


class Prompting:
    flows: FlowSet
    session: Session
    actions: list[Action]

    @property
    def voice(self) -> bool:
        return self.session.channel == "voice"

    @property
    def slowed(self) -> bool:
        """A caller who asked for more time hears everything at the slower rate."""
        return self.voice and self.session.more_time

    def say(self, msgid: str, source: str | None = None, slow: bool = False, lang: str | None = None, **values):
        self.actions.append(Say(text(msgid, source, **values), lang or self.session.lang, slow or self.slowed))

    def prompt(self, node, short: bool) -> None:
        """Say a waiting node's prompt (briefly when asking again) and wait for a key."""
        if isinstance(node, LanguageNode):
            for choice in node.options:
                self.say(choice.say, source=choice.lang, lang=choice.lang)
        elif isinstance(node, MenuNode):
            if not short:
                self.say_all(node.say if self.voice or node.sms_say is None else node.sms_say)
            options = tuple((o.key, text(o.label)) for o in node.options)
            self.actions.append(Options(options, self.session.lang, self.slowed))
            if self.voice and not self.session.told_keys:
                self.say(phrases.FIXED_KEYS)
                self.say(phrases.MORE_TIME_KEY)
                self.session = self.session.update(told_keys=True)
            if not self.voice and self.session.node == self.flows.flow.menu:
                for code, language in self.flows.languages.languages.items():
                    if code != self.session.lang:
                        self.say(language.sms_hint, source=code, lang=code)
        elif isinstance(node, MessageNode):
            if not short:
                self.say_all(node.say, slow=True)
            if not self.voice:
                self.say(phrases.SMS_AFTER_GUIDANCE)
                self.settle_sms()
                return
            self.say(phrases.AFTER_GUIDANCE)
        if self.voice:
            timeout = self.flows.settings.gather_timeout * (2 if self.session.more_time else 1)
            self.actions.append(Gather(timeout, self.session.lang, hints(self.flows, self.session.node,
                                                                           self.session.lang)))

    def before_wait(self, msgid: str) -> None:
        """Say `msgid` last before waiting for the caller (after the menu it belongs to)."""
        at = len(self.actions) - 1 if self.actions and isinstance(self.actions[-1], Gather) else len(self.actions)
        self.actions.insert(at, Say(text(msgid), self.session.lang, self.slowed))

    def transfer(self, node: TransferNode) -> None:
        number = self.number_of(node)
        if not number:
            self.say(phrases.NO_PERSON)
            self.enter(node.no_answer)
            return
        self.session = self.session.update(person_tried=True)
        if self.voice:
            self.say_all(node.say)
            self.actions.append(Dial(number, node.timeout, self.session.lang))
        else:
            self.say(phrases.SMS_CALL_PERSON, person=self.flows.spoken(number))
            self.settle_sms()

    def settle_sms(self) -> None:
        """A texter who got an answer is back at the menu they came from, for the next number."""
        back = self.session.back
        self.session = self.session.update(node=back[-1] if back else self.flows.flow.menu, back=back[:-1])

    def say_all(self, sentences, slow: bool = False) -> None:
        for sentence in sentences:
            self.say(sentence, slow=slow)

    def number_of(self, node: TransferNode) -> str:
        if node.number == "person_number":
            return self.flows.settings.person_number
        return node.number
