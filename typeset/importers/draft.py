"""What the recogniser makes of a text, before it is written as a document folder.

In: nothing (:mod:`typeset.importers.recognise` fills these). Out: a :class:`Draft` — title,
organisation, date, the body as blocks of formatted runs, the slogans and the signatory groups —
that :mod:`typeset.importers.write` turns into ``document.yaml``, ``<lang>.md`` and CSV files.
Every entry keeps the input position it came from.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Literal

from typeset.diagnostics import Span
from typeset.importers.paragraphs import Run

Inlines = tuple[Run, ...]


@dataclass(frozen=True, slots=True)
class Block:
    kind: Literal["paragraph", "heading", "bullets", "numbers"]
    items: tuple[Inlines, ...]  # one for a paragraph or heading, one per item for a list
    level: int = 2  # of a heading
    start: int = 1  # of a numbered list


@dataclass
class Entry:
    name: str
    lang: str
    span: Span
    abbreviation: str | None = None
    romanized: str | None = None
    translation: str | None = None  # into the document's language
    country: str | None = None
    country_name: str | None = None  # as written, in the document's language
    number: int | None = None  # as the input numbered it


@dataclass
class Group:
    id: str
    heading: str
    span: Span
    entries: list[Entry] = field(default_factory=list)
    numbering: Literal["continue", "restart", "none"] = "continue"
    start: int | None = None


@dataclass
class Draft:
    id: str
    language: str
    title: str
    organisation: str
    date: dt.date
    place: str | None = None
    body: list[Block] = field(default_factory=list)
    slogans: list[Inlines] = field(default_factory=list)
    groups: list[Group] = field(default_factory=list)
