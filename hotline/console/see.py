"""See the hotline: the diagram of the whole flow, and one node in every language.

Both show the coordinator's draft if they have one (and say so), else the published
revision. Neither shows anything about callers: there is none of it in a revision.
"""

from __future__ import annotations

from flask import abort, redirect, render_template, url_for
from flask_login import current_user

from ..flow.model import LanguageNode, TransferNode
from .blueprint import bp
from .catalogue import _
from .diagram import edges_of, layout
from .guard import require
from .sentences import sentences
from .usage import ended_here
from .working import working


@bp.get("/")
@require("viewer")
def flow():
    version = working(current_user.name)
    diagram = layout(version.flows, version.node_problems()) if version.flows else None
    return render_template("console/flow.html", title=_("Flow"), version=version, diagram=diagram,
                           dropoff=ended_here() if diagram else {})


@bp.get("/node/<node_id>")
@require("viewer")
def node(node_id: str):
    version = working(current_user.name)
    if version.flows is None:
        return redirect(url_for("console.draft"))
    flows = version.flows
    if node_id not in flows.flow.nodes:
        abort(404)
    the_node = flows.flow.nodes[node_id]
    languages = flows.languages.languages
    others = [code for code in languages if code != flows.languages.source]
    if current_user.account.role == "translator":  # a translator sees only the languages they translate
        others = [code for code in others if current_user.account.may_translate(code)]
    reached_from = sorted({(other, edge.label) for other, n in flows.flow.nodes.items()
                           for edge in edges_of(n) if edge.target == node_id})
    services = []
    if isinstance(the_node, TransferNode):
        services = [flows.directory.services.get(s) or s for s in the_node.services]
    return render_template(
        "console/node.html", title=_("Node %(node)s", node=node_id), version=version, node_id=node_id, node=the_node,
        sentences=sentences(version.files, node_id, others), languages=languages, others=others,
        source=flows.languages.source, reached_from=reached_from, services=services,
        edges=edges_of(the_node), problems=version.node_problems().get(node_id, []),
        is_language_menu=isinstance(the_node, LanguageNode),
        may_edit=current_user.account.can("editor"),
        may_translate={code: current_user.account.may_translate(code) for code in others},
    )
