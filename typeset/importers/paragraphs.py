"""Paragraphs as a reader sees them: the one shape every reader hands to the recogniser.

In: nothing (the readers in :mod:`typeset.importers.text` and :mod:`typeset.importers.docx`
build these). Out: :class:`Para` — a paragraph's runs of text with what the reader knew about
them (bold, italic, a language tag), its style (a heading level, Word's list kind and the number
Word computed for it) and where each of its characters stands in the input, so that a warning
about any piece of it points at ``path:line:col`` (for a DOCX: the paragraph's number).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from typeset.diagnostics import Span

ListKind = Literal["bullet", "number"]


@dataclass(frozen=True, slots=True)
class Run:
    """A piece of a paragraph in one format and language."""

    text: str
    bold: bool = False
    italic: bool = False
    lang: str | None = None  # a language tag the input carried (Word's w:lang), if any
    href: str | None = None  # the target of a link the run is part of


@dataclass(frozen=True, slots=True)
class Para:
    """One paragraph of the input."""

    runs: tuple[Run, ...]
    span: Span  # where its first character stands
    # (character offset, span) where the paragraph continues on a new input line
    breaks: tuple[tuple[int, Span], ...] = ()
    heading: int | None = None  # 0: the document's title style; 1, 2 …: a heading level
    list: ListKind | None = None  # from the input's own list structure (Word's numbering), not typed marks
    number: int | None = None  # the number the input's numbering gives this paragraph
    level: int = 0  # list nesting, 0 for the outermost

    @property
    def text(self) -> str:
        return "".join(run.text for run in self.runs)

    def span_at(self, index: int) -> Span:
        """The input position of character ``index`` of :attr:`text`."""
        start, span = 0, self.span
        for offset, where in self.breaks:
            if offset > index:
                break
            start, span = offset, where
        return span.shifted(max(0, index - start))

    def bold_prefix(self) -> str:
        """The text of the leading bold runs (a DOCX's bold abbreviation), stripped."""
        parts: list[str] = []
        for run in self.runs:
            if not run.bold:
                if run.text.strip():
                    break
                parts.append(run.text)
                continue
            parts.append(run.text)
        return "".join(parts).strip() if any(run.bold and run.text.strip() for run in self.runs) else ""

    def language_of(self, start: int, end: int) -> str | None:
        """The one language tag the runs between ``start`` and ``end`` carry, if they carry one."""
        tags: set[str] = set()
        position = 0
        for run in self.runs:
            stop = position + len(run.text)
            if stop > start and position < end and run.text.strip():
                if run.lang is None and any(c.isalpha() for c in run.text[max(0, start - position):end - position]):
                    return None
                if run.lang:
                    tags.add(run.lang)
            position = stop
        return tags.pop() if len(tags) == 1 else None
