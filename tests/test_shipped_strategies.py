"""The shipped content (not the fixture): each of the six harm-reduction strategies the hotline
exists to explain is reachable by key from the main menu, by a keyword in every language, and by
the ZIP lookup of a service type that a listed service offers.

This holds the demo content that ships; a programme that rewrites flows/ and locales/ re-points
the table below at its own nodes (or drops this file with the demo).
"""

from __future__ import annotations

import pytest
from babel.messages.pofile import read_po

from hotline.authoring.checks import run_check
from hotline.flow.yamlfile import read_yaml

from .conftest import ROOT

#: strategy -> (guidance node, ZIP-lookup node, the service type that lookup asks for)
STRATEGIES = {
    "naloxone distribution": ("naloxone", "find_naloxone", "naloxone"),
    "syringe services": ("syringe_services", "find_syringes", "syringes"),
    "supervised consumption / overdose prevention centres": ("supervised_consumption", "find_opc",
                                                              "overdose prevention"),
    "safer-use education": ("fentanyl_strips", "find_supplies", "test strips"),
    "health care, mental health and social services": ("health_care", "find_care", "testing"),
    "treatment and recovery": ("treatment_info", "find_treatment", "treatment"),
}
REPORT = run_check(ROOT / "flows", ROOT / "locales")
NODES = read_yaml((ROOT / "flows" / "hotline.yaml").read_text(encoding="utf-8"), "hotline.yaml").data["nodes"]
SERVICES = read_yaml((ROOT / "flows" / "services.yaml").read_text(encoding="utf-8"), "services.yaml").data


def reachable_by_key(start: str = "main") -> set[str]:
    seen, todo = set(), [start]
    while todo:
        node = todo.pop()
        if node in seen or node not in NODES:
            continue
        seen.add(node)
        todo += [option["goto"] for option in NODES[node].get("options", []) if option.get("goto")]
    return seen


@pytest.mark.parametrize("strategy", list(STRATEGIES))
def test_each_strategy_is_reachable_by_key_keyword_and_zip_lookup(strategy):
    guidance, lookup, offer = STRATEGIES[strategy]
    assert REPORT.errors == []
    by_key = reachable_by_key()
    assert guidance in by_key and lookup in by_key, f"{strategy}: reachable from the main menu by keys"
    assert NODES[guidance].get("source"), f"{strategy}: the guidance cites its public-health source"
    assert NODES[guidance].get("keywords"), f"{strategy}: English keywords"
    for lang in REPORT.flows.languages.languages:
        if lang == REPORT.flows.languages.source:
            continue
        with (ROOT / "locales" / lang / "LC_MESSAGES" / "messages.po").open("rb") as source:
            entry = read_po(source).get(guidance, context="keywords")
        assert entry is not None and entry.string.strip(), f"{strategy}: keywords in {lang}"
    assert offer in NODES[lookup].get("offers", []), f"{strategy}: the ZIP lookup asks for '{offer}'"
    offering = [name for name, service in SERVICES["services"].items() if offer in service.get("offers", [])]
    assert offering, f"{strategy}: some listed service offers '{offer}'"


def test_docs_content_lists_every_node_that_cites_a_source():
    page = (ROOT / "docs" / "content.md").read_text(encoding="utf-8")
    for node, data in NODES.items():
        if data.get("source"):
            assert f"| `{node}` " in page, f"docs/content.md: add '{node}' for the medical reviewer"
