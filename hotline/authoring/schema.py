"""JSON Schemas of the flow files (hotline, languages, alerts), for editors with a YAML language server.

Rules this module keeps: the schemas are generated from the pydantic model (never written
by hand), then adjusted to what the loader really accepts: a number wherever text is
expected (`key: 1`, `emergency_number: 911`), and menu keys 1 to 9 either way. The files
are committed under `docs/` and referenced from the top of each flow file; a test keeps
them up to date.
"""

from __future__ import annotations

import json

from ..flow.languages import Languages
from ..flow.model import Flow
from ..outbound.plan import AlertsFile

SCHEMA_FILES = {"flow.schema.json": Flow, "languages.schema.json": Languages, "alerts.schema.json": AlertsFile}
DIALECT = "https://json-schema.org/draft/2020-12/schema"


def json_schema(model) -> dict:
    schema = {"$schema": DIALECT, **model.model_json_schema(by_alias=True)}
    _accept_numbers(schema)
    return schema


def schema_texts() -> dict[str, str]:
    """File name -> the schema as committed (sorted keys, two-space indent, final newline)."""
    return {
        name: json.dumps(json_schema(model), indent=2, ensure_ascii=False, sort_keys=True) + "\n"
        for name, model in SCHEMA_FILES.items()
    }


def _accept_numbers(node) -> None:
    if isinstance(node, dict):
        if node.get("type") == "string" and "const" not in node:
            node["type"] = ["string", "number"]
            if node.get("pattern") == "^[1-9]$":
                node.update(minimum=1, maximum=9, multipleOf=1)
        for value in node.values():
            _accept_numbers(value)
    elif isinstance(node, list):
        for item in node:
            _accept_numbers(item)
