"""The document model: immutable, typed, format-neutral.

In: nothing (the ``source`` stage builds these objects). Out: a :class:`Document` holding
every language of one text, and — through :func:`typeset.model.edition.make_edition` — the
:class:`~typeset.model.edition.Edition` of one language that every renderer reads.

Every piece of text knows its language (and so its script and direction): body text takes
the language of its file, a signatory's name carries its own tag.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, TypeAlias

from typeset.model.language import Direction, Language

NumberingMode: TypeAlias = Literal["continue", "restart", "none"]


class FrozenMap(Mapping[str, Any]):
    """A read-only, hashable, picklable mapping: the model never changes after it is built, and
    editions travel to worker processes."""

    __slots__ = ("_items", "_hash")

    def __init__(self, items: Mapping[str, Any] | None = None) -> None:
        self._items = dict(items or {})
        self._hash: int | None = None

    def __getitem__(self, key: str) -> Any:
        return self._items[key]

    def __iter__(self):  # type: ignore[no-untyped-def]
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)

    def __hash__(self) -> int:
        if self._hash is None:
            self._hash = hash(tuple(self._items.items()))
        return self._hash

    def __repr__(self) -> str:
        return f"FrozenMap({self._items!r})"

    def __reduce__(self):  # type: ignore[no-untyped-def]
        return (FrozenMap, (self._items,))


def frozen_map(items: Mapping[str, Any] | None = None) -> Mapping[str, Any]:
    """A read-only mapping (the model never changes after it is built)."""
    return FrozenMap(items)


# -- inline content ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Text:
    text: str


@dataclass(frozen=True, slots=True)
class Emphasis:
    children: tuple[Inline, ...]


@dataclass(frozen=True, slots=True)
class Strong:
    children: tuple[Inline, ...]


@dataclass(frozen=True, slots=True)
class Code:
    text: str


@dataclass(frozen=True, slots=True)
class Link:
    href: str
    children: tuple[Inline, ...]
    title: str | None = None


@dataclass(frozen=True, slots=True)
class LineBreak:
    pass


Inline: TypeAlias = Text | Emphasis | Strong | Code | Link | LineBreak


# -- blocks --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Paragraph:
    children: tuple[Inline, ...]


@dataclass(frozen=True, slots=True)
class Heading:
    level: int
    children: tuple[Inline, ...]


@dataclass(frozen=True, slots=True)
class ListItem:
    blocks: tuple[Block, ...]


@dataclass(frozen=True, slots=True)
class BulletList:
    items: tuple[ListItem, ...]
    tight: bool = True


@dataclass(frozen=True, slots=True)
class OrderedList:
    items: tuple[ListItem, ...]
    start: int = 1
    tight: bool = True


@dataclass(frozen=True, slots=True)
class BlockQuote:
    blocks: tuple[Block, ...]


@dataclass(frozen=True, slots=True)
class CodeBlock:
    text: str


@dataclass(frozen=True, slots=True)
class ThematicBreak:
    pass


Block: TypeAlias = Paragraph | Heading | BulletList | OrderedList | BlockQuote | CodeBlock | ThematicBreak


def plain_text(nodes: tuple[Inline, ...]) -> str:
    """The characters of inline content, without markup."""
    parts: list[str] = []
    for node in nodes:
        if isinstance(node, Text | Code):
            parts.append(node.text)
        elif isinstance(node, LineBreak):
            parts.append("\n")
        else:
            parts.append(plain_text(node.children))
    return "".join(parts)


# -- text in its language ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Phrase:
    """A short text in a known language, such as a signatory's name."""

    text: str
    language: Language

    @property
    def direction(self) -> Direction:
        return self.language.direction


# -- signatories ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Signatory:
    id: str
    name: Phrase
    abbreviation: Phrase | None = None
    romanized: str | None = None
    translations: Mapping[str, str] = field(default_factory=frozen_map)
    country: str | None = None
    country_names: Mapping[str, str] = field(default_factory=frozen_map)
    signed: dt.date | None = None
    note: Mapping[str, str] = field(default_factory=frozen_map)
    number: int | None = None


@dataclass(frozen=True, slots=True)
class Group:
    """Signatories under one heading.

    ``sequence`` names the numbered run the group belongs to: groups with the same sequence
    continue one another (Word: one list instance). It is ``None`` for an unnumbered group.
    """

    id: str
    headings: Mapping[str, str]
    numbering: NumberingMode
    entries: tuple[Signatory, ...]
    sequence: int | None = None
    start: int = 1


# -- the document --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class LanguageText:
    """What one language file gives: title, subtitle, body and slogans."""

    language: Language
    title: str
    body: tuple[Block, ...]
    slogans: tuple[Paragraph, ...] = ()
    subtitle: str | None = None
    path: Path | None = None
    short_title: str | None = None
    keywords: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Document:
    id: str
    organisation: Mapping[str, str]
    date: dt.date
    languages: tuple[Language, ...]
    source_language: Language
    texts: Mapping[str, LanguageText]
    groups: tuple[Group, ...]
    place: Mapping[str, str] = field(default_factory=frozen_map)
    numerals: Mapping[str, str] = field(default_factory=frozen_map)
    layout: str | None = None
    root: Path | None = None
    files: tuple[Path, ...] = ()

    def language(self, tag: str) -> Language:
        for language in self.languages:
            if language.tag == tag:
                return language
        raise KeyError(tag)
