"""How the engine takes what someone said or typed: keywords, menu numbers, languages.

Rules this module keeps: it is mixed into the engine's one-step state (`engine._Run`) and
moves only through the engine's own `go`, `enter`, `fail` and `on_key`, so what a word
does is always what the key or node it stands for does.
- Speech is read like a text (`understand.read`). Speech the recogniser was unsure of, or a
  language no call can be heard in, asks for a key; emergency words are acted on whatever
  the confidence.
- A text is, in this order: a language name, a number of the menu the texter is at, a ZIP
  code or `SERVICES 94110` where one is expected, the person key, a keyword anywhere, and
  otherwise "not understood" and the menu, with how to switch language.
- A keyword of one language only sets the language of someone who has not chosen one.
- A caller who says only "forget me" (a catalogue's FORGET words), or presses a language
  menu's `forget` key, is forgotten (`Forget`, done by the service), told so, and asked again.
"""

from __future__ import annotations

from . import nearby, phrases
from .events import Action, Forget, LanguageChosen, Message, Speech
from .model import PERSON_KEY, EndNode, FlowSet, LanguageNode, MenuNode, TransferNode, ZipNode
from .session import Session
from .understand import Intent, read


class Listening:
    flows: FlowSet
    session: Session
    actions: list[Action]
    counted: list[str]
    list_languages: bool

    def on_speech(self, node, speech: Speech) -> None:
        if isinstance(node, (TransferNode, EndNode)):
            self.on_key(node, "")  # late speech after a transfer or goodbye: carry on, as for a key
            return
        intent = read(self.flows, speech.words, spoken=True)
        if intent.kind != "emergency" and speech.confidence < self.flows.settings.speech_confidence:
            intent = Intent("unknown")
        if intent.kind == "language" and not self.flows.can_speak(intent.value):
            intent = Intent("unknown")  # a language no call can be heard in: its line says to text
        if intent.kind == "key":
            self.on_key(node, intent.value)
        elif intent.kind == "language":
            self.choose_language(intent.value)
            if isinstance(node, LanguageNode):
                self.go(node.next)
            else:
                self.enter(self.session.node)
        elif intent.kind == "forget":
            self.forget(node)
        elif intent.kind == "unknown":
            self.fail(node, phrases.PRESS_A_KEY)
        else:
            self.follow(intent)

    def on_message(self, message: Message) -> None:
        fresh = self.session.node not in self.flow.nodes
        intent = read(self.flows, message.body)
        current = None if fresh else self.flow.nodes[self.session.node]
        option = intent.kind == "key" and isinstance(current, MenuNode) and next(
            (o for o in current.options if o.key == intent.value), None)
        asked = intent.kind in ("node", "unknown") and nearby.asked(self, current, intent, message.body)
        if intent.kind == "language":
            self.choose_language(intent.value)
            self.enter(self.flow.menu)
        elif option:
            self.go(option.goto)
        elif asked:
            self.adopt(intent)
            self.go(asked[0], prompt=False)
            nearby.answer(self, self.flow.nodes[asked[0]], asked[1])
        elif intent.kind == "key" and intent.value == PERSON_KEY:
            self.go(self.flow.person)
        elif intent.kind in ("node", "emergency"):
            self.follow(intent)
        elif isinstance(current, ZipNode):
            self.fail(current, phrases.INVALID_ZIP)
        else:
            if message.media and not message.body.strip():
                self.say(phrases.SMS_ONLY_TEXT)
            elif not fresh:
                self.say(phrases.SMS_NOT_UNDERSTOOD)
            self.list_languages = True
            self.enter(self.flow.menu)

    def choose_language(self, lang: str) -> None:
        self.session = self.session.update(lang=lang, chosen=True)
        self.actions.append(LanguageChosen(lang))

    def adopt(self, intent: Intent) -> None:
        """A keyword of one language only (`NALOXONA`, `纳洛酮`) sets the language of someone
        who has not chosen one."""
        if intent.lang and not self.session.chosen:
            self.session = self.session.update(lang=intent.lang)

    def follow(self, intent: Intent) -> None:
        """Go where a keyword leads; a menu given an argument that is one of its keys (`STRIPS 1`)
        goes on to that option at once."""
        self.adopt(intent)
        self.counted.append("emergency" if intent.kind == "emergency" else f"keyword:{intent.value}")
        node = self.flow.nodes[intent.value]
        words = intent.argument.split(" ")
        option = isinstance(node, MenuNode) and next((o for o in node.options if o.key == words[0]), None)
        if option:
            self.remember_here(intent.value)
            self.session = self.session.update(node=intent.value)
            self.go(option.goto)
        else:
            self.go(intent.value)

    def forget(self, node) -> None:
        """Have the service erase what is kept under the caller's number; say so; ask again."""
        self.actions.append(Forget())
        self.counted.append("forget")
        self.say(phrases.FORGOTTEN_CALL)
        self.prompt(node, short=True)
