"""Read a coordinator's YAML file into plain data plus the line of every value.

Rules this module keeps:
- Safe loading only: no Python objects, no custom tags.
- `yes`, `no`, `on`, `off` (any case) stay strings. Coordinators write menu answers and
  keywords like `YES` or `NO`; YAML 1.1 would silently turn them into booleans.
- A mapping that repeats a key is an error, not "last one wins": a duplicated node id
  would otherwise hide the first node without a word.
- Every problem is a `YamlError` carrying file and line (1-based), so nobody reads a traceback.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import yaml

from .yamlwords import RULES, plain


class YamlError(Exception):
    """A problem in a YAML file, located at file:line."""

    def __init__(self, file: str, line: int, message: str):
        super().__init__(f"{file}:{line}: {message}")
        self.file, self.line, self.message = file, line, message


class _StringsLoader(yaml.SafeLoader):
    """SafeLoader whose booleans are only true/false, never yes/no/on/off."""


class _FastStringsLoader(getattr(yaml, "CSafeLoader", _StringsLoader)):
    """The same, parsing with libyaml when PyYAML has it (its wheels do): a flow set of a
    thousand nodes loads in a fifth of the time. Its error messages are worded differently,
    so a file it cannot parse is parsed again by `_StringsLoader` to explain why."""


for _loader in (_StringsLoader, _FastStringsLoader):
    _loader.yaml_implicit_resolvers = {
        first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:bool"]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }
    _loader.add_implicit_resolver(
        "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
    )


@dataclass(frozen=True)
class YamlDocument:
    """Plain data (dicts, lists, scalars) and the 1-based line of each path in it.

    A path is a tuple of mapping keys and list indexes, as pydantic reports error locations.
    """

    file: str
    data: object
    lines: dict[tuple, int]

    def line_of(self, path: tuple) -> int:
        """The line of the deepest known part of `path` (1 if nothing is known)."""
        for end in range(len(path), -1, -1):
            line = self.lines.get(tuple(path[:end]))
            if line is not None:
                return line
        return 1


def read_yaml(text: str, file: str) -> YamlDocument:
    """Parse one YAML document; raise `YamlError` with its line on any problem."""
    try:
        return _read(text, file, _FastStringsLoader)
    except YamlError:
        return _read(text, file, _StringsLoader)


def _read(text: str, file: str, loader_class) -> YamlDocument:
    loader = loader_class(text)
    try:
        root = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        raise YamlError(file, *plain(exc, text)) from None
    except yaml.YAMLError:
        raise YamlError(file, 1, f"this file cannot be read: check its quotes, brackets and indentation ({RULES})") \
            from None
    finally:
        loader.dispose()
    lines: dict[tuple, int] = {}
    data = _build(root, (), lines, file, loader) if root is not None else None
    return YamlDocument(file, data, lines)


def _build(node: yaml.Node, path: tuple, lines: dict[tuple, int], file: str, loader) -> object:
    lines[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        result: dict = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise YamlError(file, key_node.start_mark.line + 1, "a key must be a plain word")
            key = loader.construct_object(key_node)
            if key == "<<":
                raise YamlError(file, key_node.start_mark.line + 1, "merge keys (<<) are not supported")
            if key in result:
                first = lines[(*path, key)]
                raise YamlError(
                    file, key_node.start_mark.line + 1, f"'{key}' is written twice (first on line {first})"
                )
            lines[(*path, key)] = key_node.start_mark.line + 1
            result[key] = _build(value_node, (*path, key), lines, file, loader)
            lines[(*path, key)] = key_node.start_mark.line + 1
        return result
    if isinstance(node, yaml.SequenceNode):
        return [_build(item, (*path, i), lines, file, loader) for i, item in enumerate(node.value)]
    try:
        return loader.construct_object(node)
    except yaml.YAMLError as exc:
        raise YamlError(file, node.start_mark.line + 1, f"this value cannot be read ({exc})") from None
