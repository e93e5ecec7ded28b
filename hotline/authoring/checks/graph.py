"""Checks on the shape of a flow: what callers can reach, and whether they can always move on.

Rules this module keeps:
- It works on a loaded `FlowSet` (the loader has already refused unknown targets), and
  reports advice the loader leaves out: nodes nobody reaches, dead ends, loops.
- "Moving on" is judged the way the engine moves: menus and the language menu wait for a
  key and are remembered for the back key; guidance waits too, and `#` returns to the menu
  the caller came from; a transfer moves on by itself to `no_answer` when nobody answers.
"""

from __future__ import annotations

from ...flow.loader import Problem
from ...flow.model import EndNode, FlowSet, LanguageNode, MenuNode, MessageNode, TransferNode
from ...flow.yamlfile import YamlDocument


def forward(node) -> list[str]:
    """The nodes a node leads to by itself or through its own options (not the fixed keys)."""
    if isinstance(node, LanguageNode):
        return [node.next] + [choice.goto for choice in node.options if choice.goto]
    if isinstance(node, MenuNode):
        return [option.goto for option in node.options]
    if isinstance(node, TransferNode):
        return [node.no_answer]
    return []


def check_graph(flows: FlowSet, doc: YamlDocument) -> list[Problem]:
    problems: list[Problem] = []
    problems += _unreachable(flows, doc)
    problems += _dead_ends(flows, doc)
    problems += _transfer_circles(flows, doc)
    problems += _closed_menus(flows, doc)
    problems += _hangups(flows, doc)
    return problems


def _hangups(flows: FlowSet, doc: YamlDocument) -> list[Problem]:
    """Transfers whose `no_answer` (through other transfers) is an end node: when nobody can take
    the call (every service closed, nobody answering) the caller is hung up on with nothing offered."""
    nodes = flows.flow.nodes
    problems = []
    for node_id, node in nodes.items():
        if not isinstance(node, TransferNode) or not node.no_answer:
            continue
        seen, following = {node_id}, node.no_answer
        while isinstance(nodes.get(following), TransferNode) and following not in seen:
            seen.add(following)
            following = nodes[following].no_answer or flows.flow.last_resort
        if isinstance(nodes.get(following), EndNode):
            problems.append(Problem(doc.file, doc.line_of(("nodes", node_id, "no_answer")), (
                f"dead end: when nobody can take a call at '{node_id}' (all closed or nobody answers), callers "
                f"are hung up on at '{following}' with nothing offered; point 'no_answer' at the person line, "
                "guidance or a menu, or leave it out (then the person line, then the last-resort guidance)")))
    return problems


def _closure(flows: FlowSet, starts) -> set[str]:
    seen: set[str] = set()
    todo = list(starts)
    while todo:
        node_id = todo.pop()
        if node_id in seen or node_id not in flows.flow.nodes:
            continue
        seen.add(node_id)
        todo += forward(flows.flow.nodes[node_id])
    return seen


def _unreachable(flows: FlowSet, doc: YamlDocument) -> list[Problem]:
    flow = flows.flow
    by_call = _closure(flows, [flow.start, flow.menu, flow.person, flow.last_resort, flow.goodbye])
    by_text = _closure(flows, [flow.menu, flow.person, *flows.keywords.values()])
    problems = []
    for node_id in flow.nodes:
        line = doc.line_of(("nodes", node_id))
        if node_id not in by_call and node_id not in by_text:
            problems.append(Problem(doc.file, line, (
                f"node '{node_id}' is never reached: no menu option, 'next' or 'no_answer' leads to it "
                "and it has no keywords"), "warning"))
        elif node_id not in by_call:
            problems.append(Problem(doc.file, line, (
                f"node '{node_id}' can only be reached by texting one of its keywords: callers never hear it"
            ), "warning"))
    return problems


def _dead_ends(flows: FlowSet, doc: YamlDocument) -> list[Problem]:
    """Guidance heard before any menu (nowhere to go back to), and menus that only loop on themselves."""
    flow = flows.flow
    problems = []
    node_id, seen = flow.start, set()
    while isinstance(flow.nodes.get(node_id), TransferNode) and node_id not in seen:
        seen.add(node_id)
        node_id = flow.nodes[node_id].no_answer
    if isinstance(flow.nodes.get(node_id), MessageNode):
        problems.append(Problem(doc.file, doc.line_of(("start",)), (
            f"dead end: callers reach the guidance '{node_id}' before any menu, so afterwards they have no menu "
            "to go back to; start with the language menu or a menu instead")))
    for node_id, node in flow.nodes.items():
        if isinstance(node, MenuNode) and all(option.goto == node_id for option in node.options):
            problems.append(Problem(doc.file, doc.line_of(("nodes", node_id, "options")), (
                f"dead end: every option of menu '{node_id}' comes back to '{node_id}' itself; "
                "point the options at guidance, another menu or a person")))
    return problems


def _transfer_circles(flows: FlowSet, doc: YamlDocument) -> list[Problem]:
    """Transfers whose `no_answer` chain comes back round without a menu or guidance between."""
    nodes = flows.flow.nodes
    problems, reported = [], set()
    for first, node in nodes.items():
        if not isinstance(node, TransferNode) or first in reported:
            continue
        chain = [first]
        while isinstance(nodes.get(nodes[chain[-1]].no_answer), TransferNode):
            following = nodes[chain[-1]].no_answer
            if following in chain:
                circle = chain[chain.index(following):]
                if not reported & set(circle):
                    path = " -> ".join([*circle, following])
                    problems.append(Problem(doc.file, doc.line_of(("nodes", circle[-1], "no_answer")), (
                        f"loop with no exit: when nobody answers, transfers go round in a circle ({path}) and "
                        "the caller never gets a menu or guidance; point one 'no_answer' at a menu or guidance")))
                reported.update(circle)
                break
            chain.append(following)
    return problems


def _closed_menus(flows: FlowSet, doc: YamlDocument) -> list[Problem]:
    """Menus from which no option path ever leads to guidance, a person or an end."""
    nodes = flows.flow.nodes
    groups: dict[frozenset, str] = {}
    for node_id, node in nodes.items():
        if not isinstance(node, MenuNode):
            continue
        reach = frozenset(_closure(flows, forward(node)))
        if all(isinstance(nodes[other], MenuNode) for other in reach) and len(reach) > 1:
            groups.setdefault(reach, node_id)
    problems = []
    for reach, first in groups.items():
        names = ", ".join(f"'{n}'" for n in sorted(reach))
        problems.append(Problem(doc.file, doc.line_of(("nodes", first)), (
            f"loop with no exit: the menus {names} only lead to each other, never to guidance, a person "
            "or an end; callers can leave only with # or 0"), "warning"))
    return problems

