"""Pydantic's validation errors as sentences a coordinator can act on, at a path in the file.

Rules this module keeps:
- A message names the field as the coordinator wrote it (`nodes.overdose.say`), never
  pydantic's internal location, and suggests the nearest known field for a typo.
- It only words errors; finding where they are in the file (the line) is the loader's.
"""

from __future__ import annotations

import difflib

from . import directory as services
from . import languages, model


def data_path(data, loc: tuple) -> tuple:
    """Pydantic puts a union's tag (`menu`) inside locations; drop it to get a data path."""
    path: list = []
    current = data
    for part in loc:
        in_dict = isinstance(current, dict) and part in current
        in_list = isinstance(current, list) and isinstance(part, int) and part < len(current)
        if in_dict or in_list:
            current = current[part]
        elif isinstance(current, dict) and current.get("type") == part:
            continue
        path.append(part)
    return tuple(path)


def explain(error: dict, path: tuple, data) -> str:
    """Turn a pydantic error into a sentence a coordinator can act on."""
    where = ".".join(str(p) for p in path) or "this file"
    kind, field = error["type"], path[-1] if path else ""
    if kind == "missing":
        return f"'{where}' is missing"
    if kind == "extra_forbidden":
        parent = _at(data, path[:-1])
        known = _allowed_fields(parent)
        hint = difflib.get_close_matches(str(field), known, n=1)
        return f"'{field}' is not a known field here" + (f" (did you mean '{hint[0]}'?)" if hint else "")
    if kind == "union_tag_invalid":
        return f"{'.'.join(map(str, path[:-1]))}: type must be one of {error['ctx']['expected_tags']}"
    if kind == "union_tag_not_found":
        return f"{where}: every node needs a 'type'"
    if kind == "too_long" and field == "options":
        return (f"{where}: this menu has {error['ctx']['actual_length']} options but a menu may have at most "
                f"{error['ctx']['max_length']}, callers cannot keep more in mind; split it into two menus")
    if kind == "string_pattern_mismatch" and field == "key":
        return f"{where}: a menu key must be one digit from 1 to 9 (0, * and # are fixed keys)"
    if kind == "string_pattern_mismatch" and len(path) == 2 and path[0] == "nodes":
        return f"node id '{field}' must use lower-case letters, digits and _ only"
    return f"{where}: {error['msg'].removeprefix('Value error, ')}"


def _at(data, path: tuple):
    for part in path:
        data = data[part]
    return data


def _allowed_fields(parent) -> list[str]:
    """Field names valid where an unknown key was found, for a 'did you mean' hint."""
    by_type = {
        "language": model.LanguageNode, "menu": model.MenuNode, "message": model.MessageNode,
        "transfer": model.TransferNode, "zip": model.ZipNode, "end": model.EndNode,
    }
    candidates = [by_type[parent["type"]]] if isinstance(parent, dict) and parent.get("type") in by_type else [
        model.Flow, model.Settings, model.MenuOption, model.LanguageChoice, languages.Languages,
        languages.Language, model.Emergency, languages.TextingWords, services.Service, services.Week,
    ]
    return [name for m in candidates for name in m.model_fields]
