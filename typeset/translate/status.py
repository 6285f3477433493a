"""Where each language's translation stands: segments translated, missing and stale.

In: a document's :class:`~typeset.translate.segments.Sources` (its state included). Out: per
language a :class:`LanguageStatus` — for every segment whether it is **translated** (the
language has it, made from today's source as far as the state knows), **missing** (the language
has nothing for it: no value in ``document.yaml``, or no block of its file lines up with the
source's — so a block deleted from a translation counts here) or **stale** (the state records
that the translation was made from another source text than today's, and the translation has
not changed since) — and the counts, for the table and the JSON that ``typeset translate status``
prints. The three are disjoint: segments = translated + missing + stale.

A language the state has no record of is taken as translated from today's source wherever it
has a text; :func:`normalise` gives the records an export or import then writes, so that a later
change of the source shows as stale.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from typeset.model.language import Language
from typeset.translate.segments import Segment, Sources, segments
from typeset.translate.state import Record

TRANSLATED, MISSING, STALE = "translated", "missing", "stale"


def state_of(segment: Segment, record: Record | None) -> str:
    if segment.target is None:
        return MISSING
    if record is not None and record.source != segment.digest and record.target == segment.target_digest:
        return STALE
    return TRANSLATED


@dataclass
class LanguageStatus:
    language: str
    items: list[tuple[Segment, str]] = field(default_factory=list)

    def count(self, state: str) -> int:
        return sum(1 for _, s in self.items if s == state)

    @property
    def segments(self) -> int:
        return len(self.items)

    def as_json(self) -> dict[str, int]:
        return {"segments": self.segments, TRANSLATED: self.count(TRANSLATED), MISSING: self.count(MISSING),
                STALE: self.count(STALE)}


def language_status(sources: Sources, language: Language, found: Sequence[Segment] | None = None) -> LanguageStatus:
    found = found if found is not None else segments(sources, language)
    records = sources.state.records.get(language.tag, {})
    return LanguageStatus(language.tag, [(s, state_of(s, records.get(s.id))) for s in found])


def status(sources: Sources, languages: Iterable[Language] | None = None) -> dict[str, LanguageStatus]:
    """Every language's status but the source's (or those asked for), in the document's order."""
    wanted = list(languages) if languages is not None else [
        language for language in sources.document.languages if language != sources.document.source_language]
    return {language.tag: language_status(sources, language) for language in wanted}


def stale_ids(report: LanguageStatus) -> set[str]:
    return {segment.id for segment, state in report.items if state == STALE}


def normalise(sources: Sources, only: Language | None = None, found: Sequence[Segment] | None = None
              ) -> dict[str, dict[str, Record]]:
    """The records as ``status`` sees them: a translated segment made from today's source, a stale
    one as it was recorded, a missing one not at all."""
    languages = [only] if only is not None else [
        language for language in sources.document.languages if language != sources.document.source_language]
    out: dict[str, dict[str, Record]] = {}
    for language in languages:
        report = language_status(sources, language, found if only is not None else None)
        records = sources.state.records.get(language.tag, {})
        per: dict[str, Record] = {}
        for segment, state in report.items:
            if state == STALE:
                per[segment.id] = records[segment.id]
            elif state == TRANSLATED:
                per[segment.id] = Record(segment.digest, segment.target_digest or "")
        out[language.tag] = per
    return out


def table(reports: dict[str, LanguageStatus]) -> str:
    """The counts as a plain-text table, one language a line."""
    rows = [("language", "segments", TRANSLATED, MISSING, STALE)]
    rows += [(tag, str(r.segments), str(r.count(TRANSLATED)), str(r.count(MISSING)), str(r.count(STALE)))
             for tag, r in reports.items()]
    widths = [max(len(row[i]) for row in rows) for i in range(5)]
    return "\n".join("  ".join(cell.ljust(widths[0]) if i == 0 else cell.rjust(widths[i]) for i, cell in enumerate(row))
                     for row in rows)


__all__ = ["LanguageStatus", "language_status", "normalise", "stale_ids", "status", "table"]
