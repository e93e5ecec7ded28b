"""A node's sentences in every language, and the text changes that edit one in place.

Rules this module keeps:
- Pure text in, text out (a revision's files as a dict): no Flask, no Redis.
- English lives in the flow file. Changing it rewrites only that value on its line (the
  rest of the file, comments included, stays as written), and renames the entry in the
  template and every catalogue, keeping each translation but marking it fuzzy: a
  translator must look at it again, and until then callers hear the new English.
- A translation lives in its language's catalogue; setting one clears its fuzzy mark and
  adds the entry if the catalogue did not have it yet. Catalogues are written as
  `translate update` writes them (no locations), so one edit changes one entry.
- A value that cannot be found on its line (a sentence folded over several lines) is not
  guessed at: `EditError` says to use the file editor.
"""

from __future__ import annotations

import io
import json
import re
from dataclasses import dataclass, field

from babel.messages.pofile import read_po, write_po

from ..flow.yamlfile import read_yaml
from .marks import N_

FLOW_FILE = "flows/hotline.yaml"
POT = "locales/messages.pot"


class EditError(ValueError):
    """An edit that cannot be made as asked; the message says what to do instead.

    `message` is the English marked for the console's catalogue and `values` fill its
    `%(names)s`, so the view shows it in the coordinator's language."""

    def __init__(self, message: str, /, **values):
        super().__init__(message % values if values else message)
        self.message, self.values = message, values


@dataclass(frozen=True)
class Sentence:
    path: tuple  # where it is in the flow file, e.g. ("nodes", "overdose", "say", 0)
    where: str  # "Said %(number)s", "Texted %(number)s", "Option %(number)s": translated when shown
    number: str  # which one: "1", or the option's key
    english: str
    line: int
    translations: dict[str, tuple[str, str]] = field(default_factory=dict)  # lang -> (text, status)

    @property
    def field_name(self) -> str:
        return ".".join(str(part) for part in self.path[2:])


def catalogue_name(lang: str) -> str:
    return f"locales/{lang}/LC_MESSAGES/messages.po"


def _read(text: str, lang: str | None):
    return read_po(io.BytesIO(text.encode("utf-8")), locale=lang)


def _write(catalogue) -> str:
    out = io.BytesIO()
    write_po(out, catalogue, no_location=True, ignore_obsolete=True)
    return out.getvalue().decode("utf-8")


def sentences(files: dict[str, str], node_id: str, languages) -> list[Sentence]:
    """Every translatable sentence of `node_id`, with each language's translation and status
    ("translated", "needs review" for fuzzy, "missing")."""
    document = read_yaml(files[FLOW_FILE], FLOW_FILE)
    node = (document.data.get("nodes") or {}).get(node_id) if isinstance(document.data, dict) else None
    if not isinstance(node, dict) or node.get("type") == "language":
        return []
    found = []
    for name, label in (("say", N_("Said %(number)s")), ("sms_say", N_("Texted %(number)s"))):
        say = node.get(name)
        if say is None:
            continue
        for i, text in enumerate([say] if isinstance(say, str) else say):
            path = ("nodes", node_id, name) if isinstance(say, str) else ("nodes", node_id, name, i)
            found.append(Sentence(path, label, str(i + 1), str(text), document.line_of(path)))
    for i, option in enumerate(node.get("options") or []):
        if isinstance(option, dict) and "label" in option:
            path = ("nodes", node_id, "options", i, "label")
            found.append(Sentence(path, N_("Option %(number)s"), str(option.get("key")), str(option["label"]),
                                  document.line_of(path)))
    catalogues = {lang: {m.id: m for m in _read(files[catalogue_name(lang)], lang) if m.id}
                  for lang in languages if catalogue_name(lang) in files}
    for sentence in found:
        for lang in languages:
            entry = catalogues.get(lang, {}).get(sentence.english)
            if entry is None or not entry.string:
                sentence.translations[lang] = ("", "missing")
            else:
                sentence.translations[lang] = (entry.string, "needs review" if entry.fuzzy else "translated")
    return found


def _quoted(text: str) -> str:
    """A YAML double-quoted scalar (JSON's string syntax is valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


def set_english(files: dict[str, str], node_id: str, path: tuple, new: str) -> dict[str, str]:
    new = " ".join(new.split())
    if not new:
        raise EditError(N_("A sentence cannot be empty. To remove it, edit the flow file."))
    document = read_yaml(files[FLOW_FILE], FLOW_FILE)
    old = document.data
    for part in path:
        old = old[part]
    old = str(old)
    line_no = document.line_of(path)
    lines = files[FLOW_FILE].split("\n")
    line = lines[line_no - 1]
    for form in (_quoted(old), "'" + old.replace("'", "''") + "'", old):
        at = line.find(form)
        if at >= 0 and (form != old or re.search(r"[:\-]\s*$", line[:at])):
            lines[line_no - 1] = line[:at] + _quoted(new) + line[at + len(form):]
            break
    else:
        raise EditError(N_("This sentence is written over several lines in the flow file; change it in the "
                           "file editor instead."))
    changed = dict(files)
    changed[FLOW_FILE] = "\n".join(lines)
    check = read_yaml(changed[FLOW_FILE], FLOW_FILE).data
    for part in path:
        check = check[part]
    if str(check) != new:
        raise EditError(N_("This sentence could not be changed in place; change it in the file editor instead."))
    if old != new:
        for name in [POT, *(n for n in files if n.endswith("/messages.po"))]:
            if name in changed:
                changed[name] = _rename(changed[name], name, old, new)
    return changed


def _rename(text: str, name: str, old: str, new: str) -> str:
    lang = name.split("/")[1] if name != POT else None
    catalogue = _read(text, lang)
    entry = catalogue.get(old)
    if entry is None or catalogue.get(new) is not None:
        return text
    entry.id = new
    if lang:
        entry.flags.add("fuzzy")
    # The entry keeps its place in the file (Babel keeps file order in `_messages`): two
    # coordinators renaming two sentences then change two places, which merge cleanly.
    catalogue._messages = type(catalogue._messages)(
        (new if key == old else key, message) for key, message in catalogue._messages.items())
    return _write(catalogue)


def set_translation(files: dict[str, str], lang: str, english: str, translated: str) -> dict[str, str]:
    name = catalogue_name(lang)
    if name not in files:
        raise EditError(N_("There is no catalogue for '%(lang)s' yet; ask an editor to add the language."), lang=lang)
    catalogue = _read(files[name], lang)
    entry = catalogue.get(english)
    translated = translated.strip()
    if entry is None:
        template = _read(files[POT], None).get(english) if POT in files else None
        catalogue.add(english, translated, auto_comments=template.auto_comments if template else ())
    else:
        entry.string = translated
        entry.flags.discard("fuzzy")
    changed = dict(files)
    changed[name] = _write(catalogue)
    return changed
