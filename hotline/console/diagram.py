"""The flow as a diagram a person can read: nodes in columns by how many steps from the start.

Rules this module keeps:
- Pure: a `FlowSet` in, plain data out; the template draws it as HTML (lists and links), so
  a screen reader, the keyboard and a 360 px screen work with it like with any page.
- Column n holds the nodes n steps from the start (the language menu), following keys,
  a language menu's next node, a transfer's fallback. Nodes no key leads to (reached by a
  keyword, the emergency words or a setting) come after, in a column of their own.
- Every node shows its type, its first words and where each key or keyword leads; the
  keys every menu shares are shown once, in the legend, not on every node.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field

from ..flow.model import LanguageNode, MenuNode, TransferNode
from .marks import N_

FIRST_WORDS = 60  # characters


@dataclass(frozen=True)
class Edge:
    label: str  # a key ("1"), or words the template translates ("then", "no answer")
    target: str  # a node id
    note: str = ""  # the option's label or language


@dataclass(frozen=True)
class Box:
    id: str
    type: str
    words: str
    edges: tuple[Edge, ...]
    services: tuple[str, ...] = ()
    number: str = ""
    keywords: tuple[str, ...] = ()
    problems: int = 0


@dataclass(frozen=True)
class Diagram:
    columns: tuple[tuple[Box, ...], ...]
    unreached: tuple[Box, ...]
    fixed: tuple[tuple[str, str], ...]  # (key, what it does), shown once; words translated when shown
    roles: tuple[tuple[str, str], ...] = field(default=())  # (setting, node): start, menu, person...
    person: str = ""  # the node "0" leads to, named in the legend


def first_words(sentences) -> str:
    text = " ".join(sentences or ())
    return text if len(text) <= FIRST_WORDS else text[:FIRST_WORDS].rsplit(" ", 1)[0] + "…"


def edges_of(node) -> list[Edge]:
    found: list[Edge] = []
    if isinstance(node, LanguageNode):
        for option in node.options:
            found.append(Edge(option.key, option.goto or node.next, option.lang))
        found.append(Edge(N_("then"), node.next))
    elif isinstance(node, MenuNode):
        found += [Edge(option.key, option.goto, option.label) for option in node.options]
    elif isinstance(node, TransferNode) and node.no_answer:
        found.append(Edge(N_("no answer"), node.no_answer))
    return found


def layout(flows, problems: dict[str, list] | None = None) -> Diagram:
    flow, problems = flows.flow, problems or {}
    depth = {flow.start: 0}
    queue = deque([flow.start])
    while queue:
        here = queue.popleft()
        for edge in edges_of(flow.nodes[here]):
            if edge.target in flow.nodes and edge.target not in depth:
                depth[edge.target] = depth[here] + 1
                queue.append(edge.target)

    def box(node_id: str) -> Box:
        node = flow.nodes[node_id]
        words = ", ".join(o.say for o in node.options) if isinstance(node, LanguageNode) else getattr(node, "say", ())
        return Box(
            node_id, node.type, first_words([words] if isinstance(words, str) else words),
            tuple(e for e in edges_of(node) if e.target in flow.nodes),
            tuple(getattr(node, "services", ()) or ()), getattr(node, "number", "") or "",
            tuple(getattr(node, "keywords", ()) or ()), len(problems.get(node_id, ())),
        )

    columns: list[list[Box]] = [[] for _ in range(max(depth.values()) + 1)]
    for node_id in flow.nodes:  # file order within a column
        if node_id in depth:
            columns[depth[node_id]].append(box(node_id))
    unreached = tuple(box(node_id) for node_id in flow.nodes if node_id not in depth)
    fixed = (("*", N_("hear the menu again")), ("0", N_("talk to a person (%(person)s)")),
             ("#", N_("go back")), ("8", N_("more time to answer, for the rest of the call")))
    roles = [(N_("starts at"), flow.start), (N_("main menu"), flow.menu), (N_("a person"), flow.person),
             (N_("last resort"), flow.last_resort), (N_("goodbye"), flow.goodbye)]
    if flow.emergency:
        roles.append((N_("emergency words"), flow.emergency.goto))
    if flow.near_me:
        roles.append((N_("a texted ZIP code"), flow.near_me))
    return Diagram(tuple(tuple(c) for c in columns), unreached, fixed, tuple(roles), flow.person)
