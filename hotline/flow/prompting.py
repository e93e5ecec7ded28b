"""How the engine says things: prompts, menus, and the wait for an answer.

Rules this module keeps: it only appends actions and updates the session of the step it
belongs to (`engine._Run`, which it is mixed into); moving between nodes stays in the
engine, transfers in `transfer`, ZIP code lookups in `nearby`. Voice prompts end with a
`Gather` (keys, and speech with hints where the language
has a recogniser); SMS prompts end without one. A caller who asked for more time hears
every prompt at the slower rate and waits twice as long. A menu's own sentences (the
emergency line) are said every time it is asked; the fixed keys are announced once, at the
first prompt after the first main menu.
"""

from __future__ import annotations

from . import nearby, phrases
from .events import Action, Gather, Options, Say, Text, text
from .model import FlowSet, LanguageNode, MenuNode, MessageNode, ZipNode
from .session import Session
from .understand import hints


class Prompting:
    flows: FlowSet
    session: Session
    actions: list[Action]
    list_languages: bool  # add every language's SMS hint under the main menu

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
                self.say_choice(choice)
        elif isinstance(node, MenuNode):
            # A menu's own sentences (the emergency line) are said again when asking again.
            self.say_all(node.say if self.voice or node.sms_say is None else node.sms_say)
            options = tuple((o.key, text(o.label)) for o in node.options)
            self.actions.append(Options(options, self.session.lang, self.slowed))
            self.tell_keys(short)
            if not self.voice and self.session.node == self.flows.flow.menu and self.list_languages:
                for code, language in self.flows.languages.languages.items():
                    if code != self.session.lang and code not in self.flows.held:
                        self.say(language.sms_hint, source=code, lang=code)
        elif isinstance(node, MessageNode):
            if not short:
                self.say_all(node.say, slow=True)
            if not self.voice:
                self.say(phrases.SMS_AFTER_GUIDANCE)
                self.settle_sms()
                return
            self.say(phrases.AFTER_GUIDANCE)
            self.tell_keys(short)
        elif isinstance(node, ZipNode):
            nearby.prompt(self, node)
            return
        if self.voice:
            self.wait()

    def tell_keys(self, short: bool) -> None:
        """Announce the fixed keys once per call, after the caller's first choice or first
        silence: never inside the first main menu, which must stay short (a crisis call)."""
        if not self.voice or self.session.told_keys or (not short and self.session.node == self.flows.flow.menu):
            return
        self.say(phrases.FIXED_KEYS)
        if not self.session.more_time:
            self.say(phrases.MORE_TIME_KEY)
        self.session = self.session.update(told_keys=True)

    def wait(self, digits: int = 1) -> None:
        """Wait for the caller: twice as long after key 8; a one-key wait also listens for
        speech, with hints, where the language has a recogniser."""
        timeout = self.flows.settings.gather_timeout * (2 if self.session.more_time else 1)
        if digits != 1:
            self.actions.append(Gather(timeout, digits))
            return
        self.actions.append(Gather(timeout, 1, self.session.lang, hints(self.flows, self.session.node,
                                                                          self.session.lang)))

    def say_choice(self, choice) -> None:
        """A language-menu line, in its language: by its voice, its recording or the voice
        of its `spoken_by` language (a line nobody can say is left out, and so is a language
        still being added: it is not offered at all)."""
        if choice.lang in self.flows.held and not choice.goto:
            return
        language = self.flows.languages.languages[choice.lang]
        if choice.goto or self.flows.can_speak(choice.lang) or language.spoken_by:
            self.say(choice.say, source=choice.lang, lang=choice.lang)

    def before_wait(self, msgid: str) -> None:
        """Say `msgid` last before waiting for the caller (after the menu it belongs to)."""
        at = len(self.actions) - 1 if self.actions and isinstance(self.actions[-1], Gather) else len(self.actions)
        self.actions.insert(at, Say(text(msgid), self.session.lang, self.slowed))

    def settle_sms(self) -> None:
        """A texter who got an answer is back at the menu they came from, for the next number."""
        back = self.session.back
        self.session = self.session.update(node=back[-1] if back else self.flows.flow.menu, back=back[:-1])

    def say_text(self, words: Text) -> None:
        """Say a text already built (with its values), in the caller's language."""
        self.actions.append(Say(words, self.session.lang, self.slowed))

    def say_all(self, sentences, slow: bool = False) -> None:
        for sentence in sentences:
            self.say(sentence, slow=slow)
