"""An alert from the coordinator's first draft to its last text: what it says, to whom, when.

Rules this module keeps:
- Written in the source language (English), with one translation slot per language. A
  language without a translation is never sent English by accident: until the coordinator
  chooses "send the English" or "skip it", the alert cannot go.
- A translation must keep every `{placeholder}` of the English (a dropped {emergency} would
  drop the number from the warning); the English may only use the hotline's own values.
- States: draft -> awaiting (a second publisher's approval, when the two-person rule is on)
  -> scheduled (its time, or the end of quiet hours) -> sending -> sent; or cancelled from
  any of them. A change of state is a compare-and-set: two coordinators cannot both approve.
- Kept a year (`hotline:alerts:broadcast:<id>`); what was sent to whom, 30 days.
"""

from __future__ import annotations

import json
import secrets
from dataclasses import asdict, dataclass, field, replace

from ..i18n import fill, placeholders
from ..sentence import Sentence
from ..state.sessions import PREFIX
from ..texting.segments import measure, plain
from .subscriptions import Reach

DRAFT, AWAITING, SCHEDULED, SENDING, SENT, CANCELLED = "draft", "awaiting", "scheduled", "sending", "sent", "cancelled"
LIVE = (SCHEDULED, SENDING)
BROADCAST_TTL = 365 * 86400
SENDING_TTL = 30 * 86400
INDEX = f"{PREFIX}:alerts:broadcasts"
MAX_LENGTH = 1600  # characters: Twilio's longest message


@dataclass(frozen=True)
class Broadcast:
    id: str
    english: str
    author: str
    translations: dict[str, str] = field(default_factory=dict)  # language -> its text
    english_for: tuple[str, ...] = ()  # languages chosen to get the English
    skip: tuple[str, ...] = ()  # languages chosen to get nothing
    areas: tuple[str, ...] = ()  # empty: every area
    urgent: bool = False
    send_at: int = 0  # seconds since the epoch; 0: as soon as approved
    state: str = DRAFT
    approver: str = ""
    created: int = 0
    started: int = 0
    finished: int = 0
    waiting_until: int = 0  # held back by quiet hours until then
    batches: int = 0

    def to_json(self) -> str:
        return json.dumps(asdict(self), separators=(",", ":"), ensure_ascii=False)

    @classmethod
    def from_json(cls, raw: bytes | str) -> Broadcast:
        data = json.loads(raw)
        for name in ("english_for", "skip", "areas"):
            data[name] = tuple(data.get(name, ()))
        return cls(**{k: v for k, v in data.items() if k in cls.__dataclass_fields__})

    def body(self, lang: str, source: str) -> str | None:
        """The text `lang` gets before filling in (None: skipped, or not decided yet)."""
        if lang == source or lang in self.english_for:
            return self.english
        if lang in self.skip:
            return None
        return self.translations.get(lang) or None

    def undecided(self, languages, source: str) -> list[str]:
        """Languages with no translation and no choice between English and skipping."""
        return [lang for lang in languages if lang != source and lang not in self.english_for
                and lang not in self.skip and not self.translations.get(lang)]


def new_id() -> str:
    return secrets.token_hex(6)


def problems(broadcast: Broadcast, flows, plan) -> list[str]:
    """Why this alert cannot be sent as it is, in sentences a coordinator can act on
    (`Sentence`s: the console shows them in the coordinator's language)."""
    found: list[str] = []
    languages, source = flows.languages.languages, flows.languages.source
    known = set(flows.variables)
    english = broadcast.english.strip()
    if not english:
        found.append(Sentence("Write the alert in English first."))
    unknown = placeholders(english) - known
    if unknown:
        found.append(Sentence("The English uses %(unknown)s, which the hotline does not know; it knows %(known)s.",
                              unknown=_braced(unknown), known=_braced(known)))
    for lang, words in broadcast.translations.items():
        if lang not in languages:
            found.append(Sentence("'%(lang)s' is not one of the hotline's languages.", lang=lang))
            continue
        if not words.strip():
            continue
        lost = placeholders(english) - placeholders(words)
        extra = placeholders(words) - placeholders(english)
        name = languages[lang].name
        if lost:
            found.append(Sentence("The %(name)s text leaves out %(lost)s: put it back, exactly as in the English, "
                                  "or the warning loses it.", name=name, lost=_braced(lost)))
        if extra:
            found.append(Sentence("The %(name)s text has %(extra)s, which the English does not: use the same "
                                  "{names} as the English.", name=name, extra=_braced(extra)))
    for lang in broadcast.undecided(languages, source):
        found.append(Sentence("%(name)s has no translation: translate it, or choose to send it the English, or to "
                              "skip it.", name=languages[lang].name))
    for lang in languages:
        words = broadcast.body(lang, source)
        if words and len(fill(words, dict(flows.variables))) > MAX_LENGTH:
            found.append(Sentence("The %(name)s text is longer than %(max)s characters, the most one text can hold.",
                                  name=languages[lang].name, max=MAX_LENGTH))
    for area in broadcast.areas:
        if plan is None or area not in plan.areas:
            found.append(Sentence("'%(area)s' is not an area in alerts.yaml.", area=area))
    return found


def _braced(names) -> str:
    return ", ".join("{" + n + "}" for n in sorted(names))


@dataclass(frozen=True)
class Cost:
    lang: str
    text: str | None  # as it will be sent; None: skipped
    segments: int
    subscribers: Reach  # as it may be shown: from the suppressed figures, never the exact counts

    @property
    def segments_total(self) -> Reach:
        return self.subscribers * self.segments


def as_sent(broadcast: Broadcast, lang: str, flows) -> str | None:
    """The words `lang` gets: filled in, and kept in GSM-7 as the language's `sms_gsm7` allows
    (curly quotes made plain, and for Spanish á -> a), as every reply of the hotline is."""
    words = broadcast.body(lang, flows.languages.source)
    if not words:
        return None
    mode = flows.languages.languages[lang].sms_gsm7
    return plain(fill(words, dict(flows.variables)), punctuation=mode != "off", letters=mode == "letters")


def costs(broadcast: Broadcast, flows, subscribers: dict[str, Reach], nobody: Reach) -> list[Cost]:
    """Per language: the text as sent, its segments, and segments times `subscribers[lang]`."""
    out = []
    for lang in flows.languages.languages:
        sent = as_sent(broadcast, lang, flows)
        out.append(Cost(lang, sent, measure(sent).segments if sent else 0, subscribers.get(lang, nobody)))
    return out


def key(broadcast_id: str) -> str:
    return f"{PREFIX}:alerts:broadcast:{broadcast_id}"


def part(broadcast_id: str, what: str) -> str:
    """A key of the sending of one broadcast (`sent`, `counts`, `done`, `batch:<n>`, `cancelled`)."""
    return f"{PREFIX}:alerts:b:{broadcast_id}:{what}"


class Broadcasts:
    def __init__(self, client):
        self.client = client
        self._move = client.register_script(_MOVE)

    def save(self, broadcast: Broadcast) -> Broadcast:
        pipe = self.client.pipeline()
        pipe.hset(key(broadcast.id), mapping={"d": broadcast.to_json(), "state": broadcast.state})
        pipe.expire(key(broadcast.id), BROADCAST_TTL)
        pipe.zadd(INDEX, {broadcast.id: broadcast.created})
        pipe.expire(INDEX, BROADCAST_TTL)
        pipe.execute()
        return broadcast

    def get(self, broadcast_id: str) -> Broadcast | None:
        raw = self.client.hget(key(broadcast_id), "d") if broadcast_id.isalnum() else None
        return Broadcast.from_json(raw) if raw else None

    def recent(self, limit: int = 50) -> list[Broadcast]:
        ids = [i.decode() for i in self.client.zrevrange(INDEX, 0, limit - 1)]
        found = [self.get(i) for i in ids]
        return [b for b in found if b is not None]

    def move(self, broadcast: Broadcast, frm: tuple[str, ...], **changes) -> Broadcast | None:
        """Save `broadcast` with `changes` if its stored state is still one of `frm`; else None."""
        changed = replace(broadcast, **changes)
        done = self._move(keys=[key(broadcast.id)], args=[changed.state, changed.to_json(), *frm])
        if not done:
            return None
        if changed.state == CANCELLED:
            self.client.set(part(broadcast.id, "cancelled"), "1", ex=SENDING_TTL)
        return changed

    def counts(self, broadcast_id: str) -> dict[str, int]:
        return {k.decode(): int(v) for k, v in self.client.hgetall(part(broadcast_id, "counts")).items()}


_MOVE = """
local current = redis.call('HGET', KEYS[1], 'state')
if not current then return 0 end
for i = 3, #ARGV do
  if ARGV[i] == current then
    redis.call('HSET', KEYS[1], 'state', ARGV[1], 'd', ARGV[2])
    return 1
  end
end
return 0
"""
