"""The pure core: the flow format, its loader and the engine that walks a conversation.

Rules this package keeps:
- Pure: imports no Flask, redis or twilio, and never reads the clock; the time is an input
  of `engine.step` (tests/test_layout.py enforces it).
- Everything a coordinator writes is checked data: frozen models (`model`, `languages`,
  `directory`), loaded whole or not at all, every problem at file:line.
- Nothing here knows about a channel's markup or where a session is kept: it takes inputs
  and returns a new session and actions.
"""
