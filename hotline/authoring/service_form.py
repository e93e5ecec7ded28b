"""The service form: what a coordinator types, made into a `services.yaml` entry or refused
field by field.

Rules this module keeps:
- Input is what a form sends: strings, and lists for the multiple choices. Each field is
  normalised as typed before it is judged: hours like `9-5pm` are not guessed, but
  `9:00 - 17:00`, `09:00–17:00` and `closed` are read; phone numbers go through
  `phonenumbers` ("(415) 555-0188" becomes +14155550188) and an impossible one is refused
  with an example of one that works; closures are dates (YYYY-MM-DD); offers and languages
  are chosen from those the hotline knows.
- Then the entry is validated by the directory's own model (`flow.directory.Service`), so
  the form accepts exactly what the check accepts; each error is put on its field.
- An accepted entry is written into the `services.yaml` text in place of the old one (or at
  the end): the rest of the file, comments included, stays as it was.
- `field_problems` puts the check's problems about one service on the fields they name,
  from their line in the file.
- The form's own reasons are `Sentence`s (English, which the console shows translated);
  the directory model's and the check's are their own English.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

import phonenumbers
import yaml
from pydantic import ValidationError

from ..flow.directory import DAYS, OFFERS, Service, _ranges
from ..flow.explain import explain
from ..flow.places import locate
from ..flow.yamlfile import read_yaml
from ..sentence import Sentence
from .services_view import week_preview

REGION = "US"
_DASHES = str.maketrans({"\u2013": "-", "\u2014": "-", "\u2212": "-"})
_TIME = re.compile(r"\b(\d{1,2})(?::(\d{2}))?\b")
_SPLIT = re.compile(r"[\s,;]+")


@dataclass
class FormResult:
    service_id: str
    data: dict = field(default_factory=dict)  # the services.yaml entry, when accepted
    errors: dict[str, str] = field(default_factory=dict)  # field -> what to fix
    preview: list[str] = field(default_factory=list)  # "Tuesday: 09:00–17:00"

    @property
    def accepted(self) -> bool:
        return not self.errors


def normalise_phone(typed: str, region: str = REGION) -> str:
    """E.164 form of a typed number, or `ValueError` saying what a dialable number looks like."""
    example = phonenumbers.format_number(phonenumbers.example_number(region), phonenumbers.PhoneNumberFormat.NATIONAL)
    try:
        number = phonenumbers.parse(typed, region)
    except phonenumbers.NumberParseException:
        number = None
    if number is None or not phonenumbers.is_valid_number(number):
        raise ValueError(Sentence("'%(typed)s' is not a phone number that can be dialled; write it like %(example)s, "
                                  "or with its country code like +1 415 555 0188", typed=typed.strip(),
                                  example=example))
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def normalise_hours(typed: str) -> str:
    """'9:00 - 17:00, 18:00–20:00' -> '09:00-17:00, 18:00-20:00'; '' and 'closed' -> 'closed'."""
    text = typed.translate(_DASHES).strip()
    if not text or text.lower() == "closed":
        return "closed"
    parts = []
    for part in text.split(","):
        times = _TIME.findall(part)
        if len(times) != 2 or not re.fullmatch(r"[\d:\s]+-[\d:\s]+", part.strip()):
            raise ValueError(Sentence("'%(part)s' should look like 09:00-17:00 (or write closed)", part=part.strip()))
        (h1, m1), (h2, m2) = times
        parts.append(f"{int(h1):02d}:{m1 or '00'}-{int(h2):02d}:{m2 or '00'}")
    value = ", ".join(parts)
    _ranges(value)  # raises ValueError with the directory's own words
    return value


def _words(value) -> list[str]:
    if isinstance(value, (list, tuple)):
        return [str(v).strip() for v in value if str(v).strip()]
    return [w for w in _SPLIT.split(str(value or "")) if w]


def read_form(form: dict, known_languages, today: dt.date) -> FormResult:
    """Normalise and validate one service's form (`known_languages`: the hotline's codes)."""
    service_id = str(form.get("id", "")).strip()
    result = FormResult(service_id)
    errors = result.errors
    if not re.fullmatch(r"[a-z][a-z0-9_]*", service_id):
        errors["id"] = Sentence("an id is lower-case letters, digits and _ (like mission_ssp), starting with a letter")
    data: dict = {"name": str(form.get("name", "")).strip()}
    try:
        data["phone"] = normalise_phone(str(form.get("phone", "")))
    except ValueError as exc:
        short = str(form.get("phone", "")).strip()
        if form.get("national") and re.fullmatch(r"\d{3}", short):
            data["phone"] = short  # a national short code (988): read out, never dialled
        else:
            errors["phone"] = exc.args[0]
    offers = _words_list(form.get("offers"))
    unknown = [o for o in offers if o not in OFFERS]
    if unknown:
        errors["offers"] = Sentence("choose from the known offers: %(offers)s", offers=", ".join(OFFERS))
    data["offers"] = offers
    languages = _words(form.get("languages"))
    strange = [code for code in languages if code not in known_languages]
    if strange or not languages:
        errors["languages"] = (Sentence("choose at least one of the hotline's languages") if not languages
                               else Sentence("the hotline has no language %(codes)s", codes=", ".join(strange)))
    data["languages"] = languages
    data["timezone"] = str(form.get("timezone") or "America/Los_Angeles").strip()
    week = _hours(form, data, errors)
    result.preview = week_preview(week)
    closures = []
    for word in _words(form.get("closed_on")):
        try:
            closures.append(dt.date.fromisoformat(word))
        except ValueError:
            errors["closed_on"] = Sentence("'%(word)s' is not a date: write closures as YYYY-MM-DD, like 2026-12-25",
                                           word=word)
    if closures:
        data["closed_on"] = sorted(set(closures))
    national = bool(form.get("national"))
    if national:
        data["national"] = True
    for name in ("address",):
        if str(form.get(name, "")).strip():
            data[name] = str(form[name]).strip()
    if str(form.get("zip", "")).strip():
        data["zip"] = str(form["zip"]).strip()
        if re.fullmatch(r"\d{5}", data["zip"]) and locate(data["zip"]) is None:
            errors["zip"] = Sentence("'%(zip)s' is not a known US ZIP code", zip=data["zip"])
    serves = _words(form.get("serves"))
    bad = [z for z in serves if not re.fullmatch(r"\d{5}", z) or locate(z) is None]
    if bad:
        errors["serves"] = Sentence("not known US ZIP codes: %(bad)s (five digits each, separated by commas)",
                                    bad=", ".join(bad))
    if serves:
        data["serves"] = serves
    if str(form.get("radius_miles", "")).strip():
        data["radius_miles"] = _number(form["radius_miles"], "radius_miles", errors)
    data["verified_on"] = _date(form.get("verified_on"), today, errors)
    data["verified_by"] = str(form.get("verified_by", "")).strip()
    data["source"] = str(form.get("source", "")).strip()
    if not errors:
        try:
            Service.model_validate(data)
        except ValidationError as exc:
            for error in exc.errors():
                path = tuple(error["loc"])
                name = _form_field(path)
                errors.setdefault(name, explain(error, path, data))
    if not errors:
        result.data = data
    return result


def _words_list(value) -> list[str]:
    if isinstance(value, (list, tuple)):
        return [str(v).strip() for v in value if str(v).strip()]
    return [w.strip() for w in str(value or "").split(",") if w.strip()]


def _hours(form: dict, data: dict, errors: dict) -> dict | None:
    if form.get("always"):
        data["hours"] = "always"
        return None
    week, hours = {}, {}
    for day in DAYS:
        try:
            value = normalise_hours(str(form.get(f"hours_{day}", "")))
        except ValueError as exc:
            errors[f"hours_{day}"] = exc.args[0]
            continue
        week[day] = _ranges(value)
        if value != "closed":
            hours[day] = value
    data["hours"] = hours
    return week


def _number(value, name: str, errors: dict):
    try:
        number = float(str(value).strip())
    except ValueError:
        errors[name] = Sentence("'%(value)s' is not a number of miles", value=value)
        return value
    return int(number) if number.is_integer() else number


def _date(value, today: dt.date, errors: dict):
    if not str(value or "").strip():
        return today
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        errors["verified_on"] = Sentence("'%(value)s' is not a date: write it as YYYY-MM-DD", value=value)
        return today


def _form_field(path: tuple) -> str:
    """The form field a model error (or a check problem) path is about."""
    if not path:
        return "zip"  # the entry as a whole: a local service needs the ZIP code of its address
    if path[0] == "hours" and len(path) > 1 and path[1] in DAYS:
        return f"hours_{path[1]}"
    return str(path[0])


# -- the file -----------------------------------------------------------------------------


def entry_yaml(service_id: str, data: dict) -> str:
    """One service as `services.yaml` writes it (two spaces in, under `services:`)."""
    dumped = yaml.safe_dump({service_id: data}, allow_unicode=True, sort_keys=False, default_flow_style=None,
                            width=1000)
    return "".join(f"  {line}\n" for line in dumped.splitlines())


def put_service(services_yaml: str, service_id: str, data: dict, replaces: str | None = None) -> str:
    """`services.yaml` with the entry `service_id` written in place of `replaces` (or itself), or added."""
    lines = services_yaml.splitlines(keepends=True)
    old = replaces or service_id
    span = _block(services_yaml, old)
    block = entry_yaml(service_id, data)
    if span is None:
        text = services_yaml.rstrip("\n") + "\n\n" + block
        if "services:" not in services_yaml:
            text = services_yaml.rstrip("\n") + "\nservices:\n" + block
        return text
    start, end = span
    return "".join(lines[:start]) + block + "".join(lines[end:])


def _block(services_yaml: str, service_id: str) -> tuple[int, int] | None:
    """(first line index, index after the last line) of a service's entry, without the blank
    and comment lines that lead into the next one."""
    doc = read_yaml(services_yaml, "services.yaml")
    services = (doc.data or {}).get("services") or {}
    if service_id not in services:
        return None
    starts = sorted(doc.line_of(("services", other)) for other in services)
    start = doc.line_of(("services", service_id))
    following = [line for line in starts if line > start]
    lines = services_yaml.splitlines()
    end = (following[0] - 1) if following else len(lines)
    while end > start and (not lines[end - 1].strip() or lines[end - 1].lstrip().startswith("#")):
        end -= 1
    return start - 1, end


def field_problems(problems, services_yaml: str, service_id: str, file_suffix: str = "services.yaml"):
    """The check's problems inside one service's entry, by form field: {field: [messages]}."""
    doc = read_yaml(services_yaml, "services.yaml")
    entry = ((doc.data or {}).get("services") or {}).get(service_id)
    span = _block(services_yaml, service_id)
    if not isinstance(entry, dict) or span is None:
        return {}
    starts = sorted((doc.line_of(("services", service_id, name)), name) for name in entry)
    found: dict[str, list[str]] = {}
    for problem in problems:
        if not str(problem.file).endswith(file_suffix) or not span[0] < problem.line <= span[1]:
            continue
        name = next((n for line, n in reversed(starts) if line <= problem.line), "name")
        if name == "hours":
            day = next((d for d in DAYS if doc.lines.get(("services", service_id, "hours", d)) == problem.line), None)
            name = f"hours_{day}" if day else "hours"
        found.setdefault(name, []).append(problem.message)
    return found
