"""The benchmark's scenarios: the kinds of webhook the hotline answers, each measured apart.

- `new_call`: a new call's first webhook (a new CallSid from a new number: the flood
  counters, the number's remembered language, a new session);
- `call_step`: a later step of a call (a caller at the main menu pressing 1, then # to go
  back, and so on);
- `new_texter`: a text from a number never seen ("hi");
- `known_texter`: a text from a number already in a conversation (menu numbers and MENU);
- `mix`: whole conversations of both kinds, as `bench.conversations` scripts them.

Each scenario has `seed` requests, sent once before it is measured to put the callers and
texters where the measured requests expect them, and `requests`, every one different (its
own CallSid, turn or MessageSid), so that none is answered as a repeat. Steps of one
conversation are spread `SPACING` requests apart, so that with the benchmark's 16
connections a step is answered before the next one of the same conversation is sent.

Rules this module keeps: no I/O; fictional numbers only; numbers are unique within a
scenario (each starts from its own block of numbers).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass

from .conversations import Request, conversations, fictional_number, text_step, voice_step

SPACING = 64
#: Where each scenario's numbers start (fictional_number is unique for 80,000 numbers).
BLOCK = {"new_call": 0, "call_step": 30_000, "new_texter": 40_000, "known_texter": 70_000, "mix": 0}
TITLES = {
    "new_call": "(a) a new call's first webhook",
    "call_step": "(b) a later step of a call",
    "new_texter": "(c) a text from a new number",
    "known_texter": "(d) a text from a known number",
    "mix": "the conversation mix (calls and texts)",
}
NAMES = tuple(TITLES)
MENU = ("For English",)


@dataclass(frozen=True)
class Scenario:
    name: str
    seed: tuple[Request, ...]
    requests: tuple[Request, ...]

    @property
    def title(self) -> str:
        return TITLES[self.name]


def new_calls(count: int, first: int) -> Scenario:
    requests = [voice_step("start", None, f"CA{n:032x}", fictional_number(n), 0, expect=MENU)
                for n in range(first, first + count)]
    return Scenario("new_call", (), tuple(requests))


def call_steps(count: int, first: int, calls: int = SPACING) -> Scenario:
    """`calls` callers who chose English at the language menu, then press 1 and # in turn."""
    ids = [(f"CA{n:032x}", fictional_number(n)) for n in range(first, first + calls)]
    seed = [voice_step("start", None, sid, caller, 0) for sid, caller in ids]
    seed += [voice_step("key", "1", sid, caller, 1) for sid, caller in ids]
    requests = []
    for i in range(count):
        sid, caller = ids[i % calls]
        turn = 2 + i // calls
        requests.append(voice_step("key", "1" if turn % 2 == 0 else "#", sid, caller, turn, expect=("<Gather",)))
    return Scenario("call_step", tuple(seed), tuple(requests))


def new_texters(count: int, first: int) -> Scenario:
    requests = [text_step(fictional_number(n), "hi", f"SM{n:024x}{0:08x}", ("Reply with a number",))
                for n in range(first, first + count)]
    return Scenario("new_texter", (), tuple(requests))


def known_texters(count: int, first: int, texters: int = SPACING) -> Scenario:
    """`texters` who said hi, then send 1 (a submenu) and MENU (back) in turn."""
    numbers = [(n, fictional_number(n)) for n in range(first, first + texters)]
    seed = [text_step(texter, "hi", f"SM{n:024x}{0:08x}") for n, texter in numbers]
    requests = []
    for i in range(count):
        n, texter = numbers[i % texters]
        turn = 1 + i // texters
        requests.append(text_step(texter, "1" if turn % 2 else "MENU", f"SM{n:024x}{turn:08x}", ("<Message",)))
    return Scenario("known_texter", tuple(seed), tuple(requests))


def mix(count: int, first: int, together: int = SPACING) -> Scenario:
    """Whole conversations, `together` at a time: each next request is the next step of the
    next conversation in turn, and a conversation that ends is replaced by a new one."""
    generator = conversations(start=first)
    active: list[Iterator[Request]] = [iter(next(generator)) for _ in range(together)]
    requests: list[Request] = []
    for slot in itertools.cycle(range(together)):
        if len(requests) >= count:
            break
        step = next(active[slot], None)
        if step is None:
            active[slot] = iter(next(generator))
            step = next(active[slot])
        requests.append(step)
    return Scenario("mix", (), tuple(requests))


BUILD = {"new_call": new_calls, "call_step": call_steps, "new_texter": new_texters,
         "known_texter": known_texters, "mix": mix}


def build(name: str, count: int) -> Scenario:
    return BUILD[name](count, BLOCK[name])
