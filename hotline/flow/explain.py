"""Pydantic's validation errors as sentences a coordinator can act on, at a path in the file.

Rules this module keeps:
- A message names the field as the coordinator wrote it (`nodes.overdose.say`), never
  pydantic's internal location, and suggests the nearest known field for a typo.
- A list item is counted from 1 and named (`say, sentence 3 ("Give naloxone…")`), as a
  coordinator counts lines, never by pydantic's index from 0.
- Where a field is required for a reason that is not obvious (a `source`), the message says why.
- It only words errors; finding where they are in the file (the line) is the loader's.
"""

from __future__ import annotations

import difflib

import phonenumbers

from . import directory as services
from . import languages, model
from .yamlwords import RULES

#: Where the programme's numbers are, for reading a number written without its country code.
REGION = "US"


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
    where = describe(path, data)
    kind, field = error["type"], path[-1] if path else ""
    if kind == "missing":
        return _missing(path, describe(path[:-1], data))
    if kind == "extra_forbidden":
        parent = _at(data, path[:-1])
        known = _allowed_fields(parent)
        hint = difflib.get_close_matches(str(field), known, n=1)
        return f"'{field}' is not a known field here" + (f" (did you mean '{hint[0]}'?)" if hint else "")
    if kind == "union_tag_invalid":
        return f"{describe(path[:-1], data)}: type must be one of {error['ctx']['expected_tags']}"
    if kind == "union_tag_not_found":
        return f"{where}: every node needs a 'type'"
    if kind == "too_long" and field == "options":
        return (f"{where}: this menu has {error['ctx']['actual_length']} options but a menu may have at most "
                f"{error['ctx']['max_length']}, callers cannot keep more in mind; split it into two menus")
    if kind == "string_pattern_mismatch" and field == "key":
        return f"{where}: a menu key must be one digit from 1 to 9 (0, * and # are fixed keys)"
    if kind == "string_pattern_mismatch" and len(path) == 2 and path[0] == "nodes":
        return f"node id '{field}' must use lower-case letters, digits and _ only"
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return _not_a_group(where, field, error.get("ctx", {}).get("class_name"), _at(data, path))
    if kind == "literal_error":
        return _not_a_choice(error["input"], error["ctx"]["expected"], "offers" in path)
    if kind == "string_type" and isinstance(error["input"], dict) and len(error["input"]) == 1:
        return (f"{where} contains ': ', so it is read as 'name: value' instead of as text; put the whole "
                f"sentence in double quotes ({RULES})")
    if kind == "string_too_short":
        return f"{where} is empty: write the text, or delete the line"
    plain = _PLAIN.get(kind)
    if plain:
        return f"{where} is '{error['input']}', but it {plain.format(**error.get('ctx', {}))}"
    return f"{where}: {error['msg'].removeprefix('Value error, ')}"


#: Pydantic's value errors said plainly: "{where} is '{value}', but it ..." (its limits filled in).
_PLAIN = {
    "int_parsing": "must be a whole number, like 20", "int_from_float": "must be a whole number, like 20",
    "float_parsing": "must be a number, like 5 or 2.5", "bool_parsing": "must be true or false",
    "greater_than_equal": "must be {ge:g} or more", "greater_than": "must be more than {gt:g}",
    "less_than_equal": "must be {le:g} or less", "less_than": "must be less than {lt:g}",
    "date_parsing": "must be a date written as YYYY-MM-DD, like 2026-11-20",
    "date_from_datetime_parsing": "must be a date written as YYYY-MM-DD, like 2026-11-20",
    "string_type": "must be text; put it in double quotes", "list_type": "must be a list, like [a, b]",
    "tuple_type": "must be a list, like [a, b]",
}

#: What one item of a list is called, by the list's field name (counted from 1).
_ITEMS = {"say": "sentence", "sms_say": "sentence", "options": "option", "keywords": "keyword",
          "offers": "offer", "services": "service", "serves": "ZIP code", "languages": "language"}


def describe(path: tuple, data) -> str:
    """`nodes.overdose.say, sentence 3 ("Give naloxone…")`: list items counted from 1, named."""
    names: list[str] = []
    items: list[str] = []
    current, previous = data, ""
    for part in path:
        current = current[part] if isinstance(current, dict | list) and _has(current, part) else None
        if isinstance(part, int):
            items.append(f"{_ITEMS.get(previous, 'item')} {part + 1}")
        else:
            (items if items else names).append(str(part))
        previous = part
    text = ".".join(names) or "this file"
    if items:
        text += ", " + ", ".join(items)
        if isinstance(path[-1], int) and isinstance(current, str | dict) and current:
            sentence = current if isinstance(current, str) else "; ".join(f"{k}: {v}" for k, v in current.items())
            text += f' ("{sentence if len(sentence) <= 40 else sentence[:39] + "…"}")'
    return text


def _has(container, part) -> bool:
    return part in container if isinstance(container, dict) else isinstance(part, int) and part < len(container)


def _missing(path: tuple, parent: str) -> str:
    """A required field, and why it is required where the reason is not obvious."""
    field = path[-1] if path else ""
    if field == "source" and path[:1] == ("services",):
        return (f"{parent} needs 'source': where its details were checked (a website, or a phone call and "
                "its date), so whoever verifies it next knows where to look (see docs/services.md)")
    if field == "source":
        return (f"{parent} needs 'source': the public-health guideline its sentences follow (like SAMHSA's "
                "Overdose Prevention Toolkit), so a medical reviewer can check what callers are told "
                "(see docs/flows.md, 'message')")
    return f"{parent} needs '{field}': add a line '{field}: ...' under it"


def _not_a_group(where: str, field, class_name: str | None, value) -> str:
    """A list or a single value where 'name: value' lines belong."""
    found = "a list (lines starting with '-')" if isinstance(value, list) else f"the single value '{value}'"
    fields = [name for m in _models() if m.__name__ == class_name for name in m.model_fields if name != "schema_"]
    like = f", such as {', '.join(repr(f + ':') for f in fields[:3])}" if fields else ""
    return (f"{where} should be a group of 'name: value' lines indented under '{field}:'{like}; "
            f"here it is {found} ({RULES})")


def _not_a_choice(value, expected: str, is_offer: bool) -> str:
    return unknown_offer(value) if is_offer else f"'{value}' is not one of the choices here: {expected}"


def unknown_offer(value) -> str:
    """A service type the directory does not know, with the known ones (and the nearest)."""
    hint = difflib.get_close_matches(str(value), services.OFFERS, n=1)
    return (f"'{value}' is not a known service type" + (f" (did you mean '{hint[0]}'?)" if hint else "")
            + f"; known types are {', '.join(services.OFFERS)} (see docs/services.md)")


def number_problem(number: str, example: str = "+14155550188") -> str:
    """Why a number cannot be dialled, with the coordinator's own digits in E.164 when they can be read."""
    try:
        parsed = phonenumbers.parse(number, REGION)
    except phonenumbers.NumberParseException:
        parsed = None
    if parsed is not None and phonenumbers.is_valid_number(parsed) and not number.startswith("+"):
        written = phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
        return f"'{number}' must be written in international form: write it as {written}"
    return (f"'{number}' is not a phone number that can be dialled: check its digits, and write it with + and "
            f"the country code, like {example}")


def _at(data, path: tuple):
    for part in path:
        data = data[part]
    return data


def _models() -> list:
    """Every model a coordinator writes, for the fields to suggest or show."""
    return [model.Flow, model.Settings, model.MenuOption, model.LanguageChoice, languages.Languages,
            languages.Language, model.Emergency, languages.TextingWords, services.Service, services.Week]


def _allowed_fields(parent) -> list[str]:
    """Field names valid where an unknown key was found, for a 'did you mean' hint."""
    by_type = {
        "language": model.LanguageNode, "menu": model.MenuNode, "message": model.MessageNode,
        "transfer": model.TransferNode, "zip": model.ZipNode, "end": model.EndNode,
    }
    candidates = [by_type[parent["type"]]] if isinstance(parent, dict) and parent.get("type") in by_type else _models()
    return [name for m in candidates for name in m.model_fields]
