"""The coordinators' check: every flow and catalogue problem, each with file and line.

Rules this module keeps:
- One entry point, `run_check`, used by the `check` command, by start-up and by reloading,
  so "it passed the check" means the same thing everywhere.
- Errors mean "this cannot be served as it is"; warnings are advice. Loading problems
  (YAML, schema, targets, numbers) stop the deeper checks, which need a loaded flow.
- Nothing here needs Twilio credentials, Redis or a web server.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ...flow.loader import FlowError, Problem, load_with_documents
from ...flow.model import FlowSet
from ...i18n import Catalogues, add_catalogue_keywords
from ...outbound.plan import AlertsPlan, load_plan
from ...outbound.words import clash_problems
from ...texting.forget import ForgetWords
from ..recordings import Recordings, check_recordings, with_recordings
from .graph import check_graph
from .held import hold_incomplete
from .reading import NOT_CHECKED, available, check_reading
from .side_texts import check_side_texts
from .sms import check_sms
from .speech import MenuLength, check_speech
from .translations import Coverage, check_translations
from .voices import check_voices


@dataclass(frozen=True)
class Report:
    problems: tuple[Problem, ...]
    coverage: tuple[Coverage, ...] = ()
    flows: FlowSet | None = None
    catalogues: Catalogues | None = None
    #: Every menu's estimated spoken length per language (`check` prints them).
    menu_lengths: tuple[MenuLength, ...] = ()
    #: Things the check could not do here, said once (not problems in the files).
    notes: tuple[str, ...] = ()
    alerts: AlertsPlan | None = None  # flows/alerts.yaml, if there is one

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.level == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.level == "warning"]


def run_check(flows_dir: str | Path, locales_dir: str | Path, recordings: Recordings | None = None) -> Report:
    """Load and check everything; never raises for a problem in the files.

    The flows returned carry every catalogue's keywords, and know which languages being
    added (`until_complete`) are still held back. Given the `recordings` found, they
    also know which languages without a voice are fully recorded, and the report warns about
    the recordings still missing.
    """
    flows_dir, locales_dir = Path(flows_dir), Path(locales_dir)
    try:
        flows, flow_doc, lang_doc = load_with_documents(flows_dir)
    except FlowError as exc:
        return Report(tuple(exc.problems))
    languages = flows.languages
    catalogues = Catalogues(locales_dir, languages.languages, languages.source)
    problems = check_graph(flows, flow_doc) + check_voices(languages, lang_doc)
    found, coverage = check_translations(flow_doc, locales_dir, languages, lang_doc)
    problems += found + check_sms(flows, catalogues, flow_doc) + check_side_texts(flows, catalogues, flow_doc)
    flows, waiting = hold_incomplete(flows, coverage, lang_doc)
    problems += waiting
    flows, clashes = add_catalogue_keywords(flows, catalogues)
    problems += [Problem(str(locales_dir / lang / "LC_MESSAGES" / "messages.po"), 1, message, "warning")
                 for lang, message in clashes]
    spoken, lengths = check_speech(flows, catalogues, flow_doc)
    problems += spoken + check_reading(flows, flow_doc)
    notes = () if available() else (NOT_CHECKED,)
    alerts, found = load_plan(flows_dir)
    problems += found
    if alerts is not None:
        forget = ForgetWords(catalogues, languages.languages, languages.source).table
        problems += [Problem(str(locales_dir / lang / "LC_MESSAGES" / "messages.po"), 1, message, "warning")
                     for lang, message in clash_problems(flows, catalogues, forget)]
    if recordings is not None:
        flows = with_recordings(flows, catalogues, recordings)
        problems += check_recordings(flows, catalogues, recordings, lang_doc)
    ordered = sorted(problems, key=lambda p: (p.file, p.line))
    return Report(tuple(ordered), tuple(coverage), flows, catalogues, menu_lengths=tuple(lengths), notes=notes,
                  alerts=alerts)
