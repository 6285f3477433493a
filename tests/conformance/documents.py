"""Conformance documents: the generated lines grouped per script, and written as typeset sources.

In: the served languages (:mod:`tests.conformance.cldr`) and their lines
(:mod:`tests.conformance.text`). Out: :class:`Plan` s — one document per script (Han-based
languages together: Chinese, Japanese, the Han of Korean share characters and must still each
get their own face), long scripts cut into several documents — and, for each plan, a source
folder. Few documents keep the run short: LibreOffice and Chromium are slow to start on each.

Where a line goes is decided by one function, :func:`signatory_source`: every line is a
signatory whose ``name`` is the line and whose ``lang`` is the line's language, one group per
language. The checks read back lines and languages, not signatories, so placing the lines as
body text instead (a fenced div ``::: {lang=xx}`` per language in the edition's Markdown) means
writing that one function again and passing it to :func:`write_sources`.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from babel import Locale
from fontTools import unicodedata as script_data

from tests.conformance.cldr import Exemplars, likely_language
from tests.conformance.text import Line, exemplar_lines, syllable_lines
from typeset.fonts import load_fonts
from typeset.model.language import parse_language
from typeset.world import World

MAX_LINES = 400  # per document: long scripts (Latin) are cut into several, rendered in parallel
DATE = dt.date(2024, 1, 1)


@dataclass(frozen=True)
class Plan:
    """One conformance document: an edition in ``edition`` whose signatories are ``lines``, each
    language's together (the document numbers them in this order from 1)."""

    id: str
    group: str  # the script (ISO 15924) its lines are in; "Hani" for the Han-based languages
    edition: str  # the language of its one edition
    lines: tuple[Line, ...]

    @property
    def languages(self) -> list[str]:
        return list(dict.fromkeys(line.language for line in self.lines))

    @property
    def rtl(self) -> bool:
        return script_data.script_horizontal_direction(self.group, "LTR") == "RTL"


def group_of(exemplars: Exemplars) -> str:
    """The script a language's document is for: Han for every language whose main exemplars hold
    Han characters (Chinese in both scripts, Japanese, Cantonese), else its own."""
    if any(script_data.script(char) == "Hani" for item in exemplars.main for char in item):
        return "Hani"
    return exemplars.language.script


def _grouped(lines: Iterable[Line]) -> tuple[Line, ...]:
    """The lines of each language together, languages in the order they first come: the order
    :func:`signatory_source` numbers them in."""
    by_language: dict[str, list[Line]] = {}
    for line in lines:
        by_language.setdefault(line.language, []).append(line)
    return tuple(line for own in by_language.values() for line in own)


def _chunked(lines: Sequence[Line], limit: int) -> list[list[Line]]:
    """Lines cut into runs of at most ``limit``, a language's lines kept together where they fit."""
    runs: list[list[Line]] = []
    current: list[Line] = []
    by_language: dict[str, list[Line]] = {}
    for line in lines:
        by_language.setdefault(line.language, []).append(line)
    for own in by_language.values():
        if current and len(current) + len(own) > limit:
            runs.append(current)
            current = []
        for start in range(0, len(own), limit):
            piece = own[start:start + limit]
            if current and len(current) + len(piece) > limit:
                runs.append(current)
                current = []
            current += piece
    if current:
        runs.append(current)
    return runs


def _distinct(lines: Iterable[Line]) -> list[Line]:
    """The lines less those that repeat an earlier one's text in the same fonts (most Latin
    languages share their punctuation and digits): the same text in the same stack renders the
    same, so each is checked once, in the first language that has it. A language keeps its first
    line in any case, so that every language is set and tagged."""
    fonts = load_fonts(World([]))
    seen: set[tuple[str, tuple[str, ...]]] = set()
    present: set[str] = set()
    kept = []
    for line in lines:
        key = (line.text, fonts.stack("serif", parse_language(line.language)))
        if key not in seen or line.language not in present:
            seen.add(key)
            present.add(line.language)
            kept.append(line)
    return kept


def plans(served: Iterable[Exemplars], limit: int = MAX_LINES) -> list[Plan]:
    """The conformance documents for the served languages, in a stable order."""
    groups: dict[str, list[Exemplars]] = {}
    for exemplars in served:
        groups.setdefault(group_of(exemplars), []).append(exemplars)
    found: list[Plan] = []
    for group, members in sorted(groups.items()):
        likely = likely_language(group)
        members.sort(key=lambda e: (e.language.language != likely, e.tag))
        edition = members[0].tag
        lines = [line for member in members for line in exemplar_lines(member)]
        if group != "Hani":
            lines += syllable_lines(members)
        runs = _chunked(_distinct(lines), limit)
        stem = f"conformance-{group.lower()}"
        for number, run in enumerate(runs, 1):
            found.append(Plan(stem if len(runs) == 1 else f"{stem}-{number}", group, edition, _grouped(run)))
    return found


def per_language(served: Iterable[Exemplars]) -> list[Plan]:
    """One document per language, its edition in that language, with every line of the language
    (no sample, nothing left out as shared): the long run's variant."""
    found = []
    for exemplars in served:
        group = group_of(exemplars)
        lines = exemplar_lines(exemplars, limit=None) + (syllable_lines([exemplars]) if group != "Hani" else [])
        found.append(Plan(f"conformance-{exemplars.tag.lower()}", group, exemplars.tag, _grouped(lines)))
    return found


# -- sources ----------------------------------------------------------------------------------------

Source = dict[str, str]  # file name → content
Placement = Callable[[Plan], Source]


def _names(plan: Plan) -> tuple[Locale, str, dict[str, str]]:
    """The edition's locale, the script's name in it, and each line language's name in it."""
    locale = Locale.parse(plan.edition.replace("-", "_"))
    script = locale.scripts.get(plan.group) or plan.group
    languages = {}
    for tag in plan.languages:
        parsed = Locale.parse(tag.replace("-", "_"))
        languages[tag] = parsed.get_display_name(locale) or tag
    return locale, script, languages


def signatory_source(plan: Plan) -> Source:
    """The lines as signatories: one group per language, headed by its name, each line an entry
    in that language. ``document.yaml`` is written as JSON (which YAML reads), so that no line
    needs YAML's quoting rules."""
    _, script, languages = _names(plan)
    groups = []
    for number, tag in enumerate(plan.languages):
        entries = [{"name": line.text, "lang": tag} for line in plan.lines if line.language == tag]
        groups.append({"id": f"g{number}", "numbering": "restart" if number == 0 else "continue",
                       "heading": {plan.edition: f"{languages[tag]} ({tag})"}, "entries": entries})
    document = {"id": plan.id, "organisation": "typeset", "date": DATE.isoformat(), "languages": [plan.edition],
                "source_language": plan.edition, "groups": groups}
    text = f"---\ntitle: {json.dumps(f'{script} ({plan.id})', ensure_ascii=False)}\n---\n\n{plan.id}\n"
    return {"document.yaml": json.dumps(document, ensure_ascii=False, indent=1) + "\n", f"{plan.edition}.md": text}


def write_sources(plans: Iterable[Plan], root: Path, placement: Placement = signatory_source) -> dict[str, Path]:
    """Each plan's source folder under ``root``, written with ``placement``."""
    folders = {}
    for plan in plans:
        folder = root / plan.id
        folder.mkdir(parents=True, exist_ok=True)
        for name, content in placement(plan).items():
            (folder / name).write_text(content, encoding="utf-8")
        folders[plan.id] = folder
    return folders
