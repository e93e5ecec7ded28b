"""`N_`: marks words for the console's catalogue without translating them (no Flask here).

The pure helpers (the diagram, a node's sentences) and words written before any request
(the navigation) mark their English with it; the template or view translates it when shown,
in the coordinator's language (`catalogue._`, Jinja's `_`).
"""


def N_(message: str) -> str:
    return message
