"""A large generated flow set, for timing what coordinators wait for when they check flows.

    python -m bench.flowset DIR [--nodes 1000] [--languages 6]   write the set into DIR
    python -m bench.flowset --time DIR                             time loading it, print JSON

The set has the shape of a real programme's, only bigger: a language menu, a main menu
and a tree of menus five options wide whose leaves are guidance (two sentences, one with
a placeholder, a keyword each), a transfer, national lines and a goodbye; every prompt is
translated into every other language in its own `messages.po`. The texts are filler and
never served to anyone. Arabic and Chinese filler is written in their own scripts (the English
letter for letter in Arabic letters, two CJK ideographs a word), as a real translation is: Latin filler
there would draw the check's warning that a translation has none of its language's letters, and
in Arabic be wrapped in direction marks (channels/bidi.py) that push its texted main menu past
the SMS budget, findings about the filler, not the set.
"""

from __future__ import annotations

import argparse
import json
import re
import time
import zlib
from pathlib import Path

import yaml
from babel.messages.catalog import Catalog
from babel.messages.pofile import write_po

from hotline.authoring.writing_systems import script_of

#: (code, name, say_language, voice): voices from Twilio's list (shared/twilio-tts.json).
LANGUAGES = (
    ("en", "English", "en-US", "Polly.Joanna-Neural"),
    ("es", "Español", "es-US", "Polly.Lupe-Neural"),
    ("fr", "Français", "fr-FR", "Polly.Lea-Neural"),
    ("pt", "Português", "pt-BR", "Polly.Camila-Neural"),
    ("zh", "中文", "cmn-CN", "Polly.Zhiyu-Neural"),
    ("ar", "العربية", "arb", "Polly.Hala-Neural"),
)
WIDTH = 5  # options per menu, the most a menu may have
FIXED_NODES = 4  # language, person, national_lines, goodbye
#: One Arabic letter for each English one, all different, so no two filler keywords become one.
ARABIC_LETTERS = str.maketrans("abcdefghijklmnopqrstuvwxyz", "ابكدعفغهيجقلمنوثضرستظذطخصز")
_PLACEHOLDER = re.compile(r"(\{[^{}]*\})")
_WORD = re.compile(r"[A-Za-z]+")


def _ideographs(word: re.Match) -> str:
    """Two CJK ideographs for an English word, the same for the same word: about as long to say
    (each is a syllable), and different words stay different keywords."""
    number = zlib.crc32(word.group().lower().encode())
    return chr(0x4E00 + number % 20000) + chr(0x4E00 + (number // 20000) % 20000)


def filler(msgid: str, code: str) -> str:
    """The benchmark's "translation" of `msgid` into `code`: marked, or in the letters of the
    language's own script when it is not written in Latin ones (the check warns of a translation
    without any): Arabic letter for letter, Chinese two ideographs a word; its `{placeholders}`
    are kept as they are."""
    script = script_of(code)
    if script not in ("Arab", "Hans"):
        return f"[{code}] {msgid}"
    return "".join(part if _PLACEHOLDER.fullmatch(part) else part.lower().translate(ARABIC_LETTERS)
                   if script == "Arab" else _WORD.sub(_ideographs, part) for part in _PLACEHOLDER.split(msgid))


def generate(directory: str | Path, nodes: int = 1000, languages: int = 6) -> int:
    """Write hotline.yaml, languages.yaml and locales/ into `directory`; return the node count."""
    directory = Path(directory)
    menus = max(1, (nodes - FIXED_NODES - 1) // WIDTH)
    flow_nodes: dict[str, dict] = {}
    queue, made_menus, made_messages = ["main"], 0, 0
    while queue:
        menu_id = queue.pop(0)
        made_menus += 1
        options = []
        for key in range(1, WIDTH + 1):
            if made_menus + len(queue) < menus:
                child = f"menu_{made_menus + len(queue)}"
                queue.append(child)
            else:
                made_messages += 1
                child = f"guide_{made_messages}"
                flow_nodes[child] = {
                    "type": "message", "source": "generated filler for the benchmark",
                    "say": [f"Guidance {made_messages}, first step: stay with the person.",
                            f"Guidance {made_messages}, second step: call {{emergency}} if they do not wake up."],
                    "keywords": [f"TOPIC{made_messages}"],
                }
            options.append({"key": key, "label": f"topic {menu_id} {key}", "goto": child})
        flow_nodes[menu_id] = {"type": "menu", "options": options}
    flow_nodes["main"]["say"] = "If someone is not breathing, call {emergency} now."
    flow_nodes["main"]["keywords"] = ["MENU"]
    chosen = LANGUAGES[:languages]
    flow_nodes["language"] = {
        "type": "language", "next": "main",
        "options": [{"key": i, "lang": code, "say": f"{name}: {i}"} for i, (code, name, _, _) in
                    enumerate(chosen[:WIDTH], start=1)],
    }
    flow_nodes["person"] = {"type": "transfer", "say": "Connecting you to a person.", "number": "person_number",
                            "no_answer": "national_lines", "keywords": ["PERSON"]}
    flow_nodes["national_lines"] = {"type": "message", "source": "generated filler for the benchmark",
                                    "say": ["Call {helpline} any time."]}
    flow_nodes["goodbye"] = {"type": "end", "say": "Goodbye."}
    flow = {
        "start": "language", "menu": "main", "person": "person", "last_resort": "national_lines",
        "goodbye": "goodbye",
        "settings": {"person_number": "+12025550143", "helpline_number": "+18006624357"},
        "nodes": flow_nodes,
    }
    langs = {
        "source": "en", "default": "en",
        "languages": {code: {"name": name, "say_language": say, "voice": voice, "rate": "90%",
                             "keywords": [code.upper()], "sms_hint": f"{code.upper()} = {name}"}
                      for code, name, say, voice in chosen},
    }
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "hotline.yaml").write_text(yaml.safe_dump(flow, allow_unicode=True, sort_keys=False), "utf-8")
    (directory / "languages.yaml").write_text(yaml.safe_dump(langs, allow_unicode=True, sort_keys=False), "utf-8")
    # Every text the coordinators' check asks for, with its context, translated in every
    # catalogue: the set is big, not broken.
    from hotline.authoring.checks.translations import needed_messages
    from hotline.flow.yamlfile import read_yaml

    flow_doc = read_yaml((directory / "hotline.yaml").read_text("utf-8"), str(directory / "hotline.yaml"))
    messages = list(needed_messages(flow_doc))
    template = Catalog(project="hotline-bench")
    for msgid, context in messages:
        template.add(msgid, context=context)
    (directory / "locales").mkdir(parents=True, exist_ok=True)
    with (directory / "locales" / "messages.pot").open("wb") as out:
        write_po(out, template)
    for code, _, _, _ in chosen[1:]:
        catalog = Catalog(locale=code, project="hotline-bench")
        for msgid, context in messages:
            catalog.add(msgid, filler(msgid, code), context=context)
        path = directory / "locales" / code / "LC_MESSAGES" / "messages.po"
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("wb") as out:
            write_po(out, catalog)
    return len(flow_nodes)


def time_loading(directory: str | Path) -> dict:
    """Seconds to load and check the flows, then to read every catalogue."""
    began = time.perf_counter()
    from hotline.flow.loader import load_flowset
    from hotline.i18n import Catalogues

    imported = time.perf_counter()
    flows = load_flowset(directory)
    loaded = time.perf_counter()
    Catalogues(Path(directory) / "locales", flows.languages.languages, flows.languages.source)
    done = time.perf_counter()
    return {"nodes": len(flows.flow.nodes), "languages": len(flows.languages.languages),
            "import_s": round(imported - began, 3), "flows_s": round(loaded - imported, 3),
            "catalogues_s": round(done - loaded, 3)}


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("directory")
    parser.add_argument("--nodes", type=int, default=1000)
    parser.add_argument("--languages", type=int, default=6, choices=range(1, len(LANGUAGES) + 1))
    parser.add_argument("--time", action="store_true", help="time loading an existing set instead")
    args = parser.parse_args(argv)
    if args.time:
        print(json.dumps(time_loading(args.directory)))
    else:
        print(f"{generate(args.directory, args.nodes, args.languages)} nodes written to {args.directory}")


if __name__ == "__main__":
    main()
