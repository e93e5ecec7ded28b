"""SMS rules applied around the engine: consent words, FORGET, and counting segments.

Rules this package keeps:
- Pure, like `flow/`: imports no Flask, redis or twilio and never reads the clock
  (tests/test_layout.py enforces it); decisions are functions of the words and what is
  kept about the number.
- STOP, START, HELP (`consent`) and FORGET (`forget`) are answered before the engine sees
  a text, in every language; `segments` counts a reply as carriers bill it.
- Depends only on `flow/`; the service and the renderers depend on it, never the reverse.
"""
