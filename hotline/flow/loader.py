"""Load a flow directory (`hotline.yaml`, `languages.yaml`, optional `services.yaml`) into
a checked `FlowSet`.

Rules this module keeps:
- Either the whole set loads, or `FlowError` lists every problem found, each with file,
  line and a plain-language message. A half-loaded flow is never returned.
- A problem here means "this flow cannot be served": schema errors, unknown targets,
  unknown languages, numbers that cannot be dialled, services the directory lacks, ZIP
  codes that do not exist. Softer advice (unreachable nodes,
  missing translations) belongs to the coordinators' check, not to loading.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

import phonenumbers
from pydantic import BaseModel, ValidationError

from . import directory as services
from . import directory_checks
from .explain import data_path, explain, number_problem
from .keywords import KeywordTable, keep_written, normalize
from .languages import Languages, TextingWords
from .model import (
    MAX_OPTIONS,
    MORE_TIME_KEY,
    EndNode,
    Flow,
    FlowSet,
    LanguageNode,
    MenuNode,
    MessageNode,
    TransferNode,
)
from .yamlfile import YamlDocument, YamlError, read_yaml

FLOW_FILE, LANGUAGES_FILE, SERVICES_FILE = "hotline.yaml", "languages.yaml", "services.yaml"


@dataclass(frozen=True)
class Problem:
    file: str
    line: int
    message: str
    level: str = "error"

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.level}: {self.message}"


class FlowError(Exception):
    """The flows cannot be served; `problems` says where and why."""

    def __init__(self, problems: list[Problem]):
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems


def load_flowset(directory: str | Path) -> FlowSet:
    """Read, validate and cross-check the flow directory, or raise `FlowError`."""
    return load_with_documents(directory)[0]


def load_with_documents(directory: str | Path) -> tuple[FlowSet, YamlDocument, YamlDocument]:
    """`load_flowset`, plus the two files as read (for checks that point at their lines)."""
    directory = Path(directory)
    problems: list[Problem] = []
    flow_doc = _read(directory / FLOW_FILE, problems)
    lang_doc = _read(directory / LANGUAGES_FILE, problems)
    # The directory is optional: a hotline may have no services to send callers to.
    has_directory = (directory / SERVICES_FILE).exists()
    dir_doc = _read(directory / SERVICES_FILE, problems) if has_directory else None
    flow = _validate(flow_doc, Flow, problems) if flow_doc else None
    languages = _validate(lang_doc, Languages, problems) if lang_doc else None
    listing = _validate(dir_doc, services.Directory, problems) if dir_doc else services.Directory()
    if flow is None or languages is None or listing is None:
        raise FlowError(problems)
    found, places = directory_checks.check(listing, _is_number)
    problems += [Problem(dir_doc.file, dir_doc.line_of(path), message) for path, message in found]
    locations = {
        node_id: (flow_doc.file, flow_doc.lines.get(("nodes", node_id), 1)) for node_id in flow.nodes
    }
    problems += _cross_check(flow, languages, flow_doc, lang_doc)
    problems += [Problem(flow_doc.file, flow_doc.line_of(path), message)
                 for path, message in directory_checks.check_links(flow, listing, _is_number)]
    written: dict[str, str] = {}
    tables = _keyword_tables(flow, languages, flow_doc, lang_doc, problems, written)
    if problems:
        raise FlowError(problems)
    numbers = {flow.settings.person_number, flow.settings.helpline_number, flow.settings.support_contact} | {
        node.number for node in flow.nodes.values() if isinstance(node, TransferNode) and node.number
    } | {service.phone for service in listing.services.values()}
    flowset = FlowSet(
        flow=flow, languages=languages, locations=locations,
        **{name: KeywordTable(table) for name, table in tables.items()}, written=MappingProxyType(written),
        display_numbers=MappingProxyType({n: _display(n) for n in numbers if n.startswith("+")}),
        directory=listing, places=MappingProxyType(places),
    )
    return flowset, flow_doc, lang_doc


def _display(number: str) -> str:
    """How a number is written and read out: 1-800-662-4357 in North America, else national form."""
    parsed = phonenumbers.parse(number)
    if parsed.country_code == 1:
        international = phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
        return international.lstrip("+").replace(" ", "-")
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.NATIONAL)


_TABLES = {"keywords": "node keywords", "language_keywords": "language keywords",
           "emergency_keywords": "emergency keywords", "texting_words": "texting words (stop, start, help, more)"}


def _keyword_tables(flow: Flow, languages: Languages, fdoc: YamlDocument, ldoc: YamlDocument,
                    problems: list[Problem], written: dict[str, str]) -> dict[str, dict]:
    """Every keyword table of a FlowSet (and in `written`, each word as written). A word may
    mean one thing only, across all tables: `INFO` cannot both ask for help and name a node."""
    def each(words, lang=None):
        return [(word, lang, (i,)) for i, word in enumerate(words)]

    owners = {
        "keywords": [(fdoc, ("nodes", node_id, "keywords"), node_id, each(getattr(node, "keywords", ())))
                     for node_id, node in flow.nodes.items()],
        "language_keywords": [(ldoc, ("languages", code, "keywords"), code, each(lang.keywords))
                              for code, lang in languages.languages.items()],
        "emergency_keywords": [(fdoc, ("emergency", "keywords"), flow.emergency.goto,
                                each(flow.emergency.keywords))] if flow.emergency else [],
        "texting_words": [
            (ldoc, ("languages", code, "words", kind), kind,
             each(getattr(lang.words, kind), code))
            for code, lang in languages.languages.items() for kind in TextingWords.model_fields
        ],
    }
    tables: dict[str, dict] = {}
    claimed: dict[str, str] = {}  # word -> the table that has it
    for name, groups in owners.items():
        table: dict[str, tuple[str, str | None]] = {}
        for doc, path, owner, words in groups:
            for word, lang, where in words:
                key, line = normalize(word), doc.line_of((*path, *where))
                if not key:
                    problems.append(Problem(doc.file, line, "an empty keyword"))
                elif key in table and table[key][0] != owner:
                    problems.append(Problem(doc.file, line, f"keyword '{word}' is already used by '{table[key][0]}'"))
                elif claimed.get(key, name) != name:
                    problems.append(Problem(doc.file, line, f"'{word}' is already one of the {_TABLES[claimed[key]]}"))
                else:
                    known = table.get(key, (owner, lang))[1]
                    table[key] = (owner, lang if known == lang else None)
                    claimed[key] = name
                    keep_written(written, key, word)
        tables[name] = table
    return tables


def _read(path: Path, problems: list[Problem]) -> YamlDocument | None:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        problems.append(Problem(str(path), 1, "this file is missing"))
        return None
    except (OSError, UnicodeDecodeError) as exc:
        problems.append(Problem(str(path), 1, f"this file cannot be read ({exc})"))
        return None
    try:
        doc = read_yaml(text, str(path))
    except YamlError as exc:
        problems.append(Problem(exc.file, exc.line, exc.message))
        return None
    if not isinstance(doc.data, dict):
        problems.append(Problem(str(path), 1, "this file should be a set of 'name: value' lines"))
        return None
    return doc


def _validate(doc: YamlDocument, model: type[BaseModel], problems: list[Problem]):
    try:
        return model.model_validate(doc.data)
    except ValidationError as exc:
        for error in exc.errors():
            path = data_path(doc.data, error["loc"])
            if error["type"] == "union_tag_invalid":
                path = (*path, "type")
            problems.append(Problem(doc.file, doc.line_of(path), explain(error, path, doc.data)))
        return None


def _cross_check(flow: Flow, languages: Languages, fdoc: YamlDocument, ldoc: YamlDocument) -> list[Problem]:
    problems: list[Problem] = []

    def bad(path: tuple, message: str, doc: YamlDocument = fdoc) -> None:
        problems.append(Problem(doc.file, doc.line_of(path), message))

    def target(path: tuple, node_id: str) -> None:
        if node_id not in flow.nodes:
            hint = difflib.get_close_matches(node_id, flow.nodes, n=1)
            bad(path, f"there is no node '{node_id}'" + (f" (did you mean '{hint[0]}'?)" if hint else ""))

    for name, kind in (("start", None), ("menu", MenuNode), ("person", TransferNode),
                       ("last_resort", MessageNode), ("goodbye", EndNode)):
        node_id = getattr(flow, name)
        target((name,), node_id)
        if kind and node_id in flow.nodes and not isinstance(flow.nodes[node_id], kind):
            bad((name,), f"'{name}' must name a {kind.model_fields['type'].annotation.__args__[0]} node")
    if flow.emergency:
        target(("emergency", "goto"), flow.emergency.goto)
    if languages.default not in languages.languages:
        bad(("default",), f"the default language '{languages.default}' is not listed", ldoc)
    if languages.source not in languages.languages:
        bad(("source",), f"the source language '{languages.source}' is not listed", ldoc)
    for i, code in enumerate(flow.settings.emergency_languages):
        if code not in languages.languages:
            bad(("settings", "emergency_languages", i),
                f"'{code}' is not in languages.yaml: the first sentence of a call cannot be said in it")
    _check_number(flow.settings.person_number, ("settings", "person_number"), bad, allow_empty=True)
    _check_number(flow.settings.helpline_number, ("settings", "helpline_number"), bad, allow_empty=False)
    if flow.settings.support_contact.startswith("+"):
        _check_number(flow.settings.support_contact, ("settings", "support_contact"), bad, allow_empty=False)

    _check_languages(languages, ldoc, problems)

    for node_id, node in flow.nodes.items():
        here = ("nodes", node_id)
        if isinstance(node, LanguageNode):
            _check_language_menu(flow, languages, node, here, bad, target)
        if isinstance(node, MenuNode):
            seen: dict[str, int] = {}
            for i, option in enumerate(node.options):
                if option.key == MORE_TIME_KEY:
                    bad((*here, "options", i, "key"), f"key {MORE_TIME_KEY} is the fixed 'more time' key")
                if option.key in seen:
                    bad((*here, "options", i, "key"), f"key {option.key} is used twice in this menu")
                seen[option.key] = i
                target((*here, "options", i, "goto"), option.goto)
        if isinstance(node, TransferNode):
            if node.no_answer:
                target((*here, "no_answer"), node.no_answer)
            if node.number and node.number != "person_number":
                _check_number(node.number, (*here, "number"), bad, allow_empty=False)
    return problems


def _check_languages(languages: Languages, ldoc: YamlDocument, problems: list[Problem]) -> None:
    """A language without a voice must be readable some other way, and never be the fallback."""
    known = languages.languages
    for code in {languages.default, languages.source} & set(known):
        if known[code].voice is None:
            problems.append(Problem(ldoc.file, ldoc.line_of(("languages", code)),
                                    f"'{code}' is the default or source language, so it needs a voice"))
    for code, language in known.items():
        if language.spoken_by and (language.spoken_by not in known or known[language.spoken_by].voice is None):
            problems.append(Problem(
                ldoc.file, ldoc.line_of(("languages", code, "spoken_by")),
                f"spoken_by '{language.spoken_by}' must be a listed language that has a voice",
            ))


def _check_language_menu(flow: Flow, languages: Languages, node: LanguageNode, here: tuple, bad, target) -> None:
    """Known languages; `goto` leads to another language menu; lines share a key only to share a goto."""
    target((*here, "next"), node.next)
    gotos: dict[str, str | None] = {}
    for i, choice in enumerate(node.options):
        if choice.lang not in languages.languages:
            bad((*here, "options", i, "lang"), f"language '{choice.lang}' is not in languages.yaml")
        if choice.goto:
            target((*here, "options", i, "goto"), choice.goto)
            language = languages.languages.get(choice.lang)
            if language and language.voice is None and language.spoken_by is None:
                bad((*here, "options", i, "lang"),
                    f"'{choice.lang}' has no voice and no spoken_by: nobody can say this")
            if choice.goto in flow.nodes and not isinstance(flow.nodes[choice.goto], LanguageNode):
                bad((*here, "options", i, "goto"), f"'{choice.goto}' must be a language menu (type: language)")
        aim = "(forget)" if choice.forget and not choice.goto else choice.goto  # what a shared key must share
        if choice.key in gotos and (aim is None or gotos[choice.key] != aim) or choice.forget and choice.goto:
            bad((*here, "options", i, "key"), "a line cannot both forget and go to another menu" if choice.forget
                and choice.goto else f"key {choice.key} is used twice in this menu")
        gotos.setdefault(choice.key, aim)
    if len([aim for aim in gotos.values() if aim != "(forget)"]) > MAX_OPTIONS:  # the forget key is extra
        bad((*here, "options"), f"a menu has at most {MAX_OPTIONS} keys; put more languages in another language menu")


def _check_number(number: str, path: tuple, bad, allow_empty: bool) -> None:
    if not number:
        if not allow_empty:
            bad(path, "a number is needed here: write it with + and the country code, like +14155550188")
        return
    if not _is_number(number):
        bad(path, number_problem(number))


def _is_number(number: str) -> bool:
    try:
        return number.startswith("+") and phonenumbers.is_valid_number(phonenumbers.parse(number))
    except phonenumbers.NumberParseException:
        return False
