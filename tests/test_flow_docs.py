"""The examples in docs/flows.md are valid flow YAML, so the documentation cannot drift."""

from __future__ import annotations

import re

import pytest
from pydantic import TypeAdapter

from hotline.flow.languages import Language
from hotline.flow.model import Node, Settings
from hotline.flow.yamlfile import read_yaml

from .conftest import ROOT

BLOCKS = re.findall(r"```yaml\n(.*?)```", (ROOT / "docs" / "flows.md").read_text(), re.S)
NODE = TypeAdapter(Node)


@pytest.mark.parametrize("block", BLOCKS)
def test_every_yaml_example_in_the_flow_docs_is_valid(block):
    data = read_yaml(block, "docs/flows.md").data
    if "settings" in data:
        Settings.model_validate(data["settings"])
    elif "languages" in data:
        for language in data["languages"].values():
            Language.model_validate(language)
    else:
        for node in data.values():
            NODE.validate_python(node)


def test_the_docs_show_every_node_type():
    shown = {m for block in BLOCKS for m in re.findall(r"type: (\w+)", block)}
    assert shown == {"language", "menu", "message", "transfer", "zip", "end"}
