"""The document model: immutable, typed, format-neutral.

In: nothing (the ``source`` stage builds these objects). Out: a :class:`Document` holding
every language of one text, and — through :func:`typeset.model.edition.make_edition` — the
:class:`~typeset.model.edition.Edition` of one language that every renderer reads.

Every piece of text knows its language (and so its script and direction): body text takes
the language of its file, a :class:`Span` (``[text]{lang=fa}``) or a :class:`Div`
(``::: {lang=fa}``) the language it is marked with, a signatory's name carries its own tag.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
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

    def __iter__(self) -> Iterator[str]:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)

    def __hash__(self) -> int:
        if self._hash is None:
            self._hash = hash(tuple(self._items.items()))
        return self._hash

    def __repr__(self) -> str:
        return f"FrozenMap({self._items!r})"

    def __reduce__(self) -> tuple[type[FrozenMap], tuple[dict[str, Any]]]:
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


@dataclass(frozen=True, slots=True)
class Span:
    """Inline content in its own language (and direction): pandoc's ``[text]{lang=fa}``.

    ``dir`` is the direction the source gives (``{dir=rtl}``); without it the span runs in its
    language's direction (CLDR: its script's).
    """

    children: tuple[Inline, ...]
    language: Language
    dir: Direction | None = None

    @property
    def direction(self) -> Direction:
        return self.dir or self.language.direction


Inline: TypeAlias = Text | Emphasis | Strong | Code | Link | LineBreak | Span


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


@dataclass(frozen=True, slots=True)
class Div:
    """Blocks in their own language (and direction): pandoc's ``::: {lang=fa}`` … ``:::``."""

    blocks: tuple[Block, ...]
    language: Language
    dir: Direction | None = None

    @property
    def direction(self) -> Direction:
        return self.dir or self.language.direction


Block: TypeAlias = Paragraph | Heading | BulletList | OrderedList | BlockQuote | CodeBlock | ThematicBreak | Div


def plain_text(nodes: tuple[Inline, ...]) -> str:
    """The characters of inline content, without markup."""
    parts: list[str] = []
    for node in nodes:
        if isinstance(node, Text | Code):
            parts.append(node.text)
        elif isinstance(node, LineBreak):
            parts.append("\n")
        else:  # Emphasis, Strong, Link, Span
            parts.append(plain_text(node.children))
    return "".join(parts)


def inline_languages(nodes: tuple[Inline, ...]) -> Iterator[Language]:
    """The language of every span in inline content, outermost first."""
    for node in nodes:
        if isinstance(node, Span):
            yield node.language
        if isinstance(node, Emphasis | Strong | Link | Span):
            yield from inline_languages(node.children)


def block_languages(blocks: tuple[Block, ...]) -> Iterator[Language]:
    """The language of every div and span in blocks, in reading order."""
    for block in blocks:
        if isinstance(block, Div):
            yield block.language
            yield from block_languages(block.blocks)
        elif isinstance(block, Paragraph | Heading):
            yield from inline_languages(block.children)
        elif isinstance(block, BulletList | OrderedList):
            for item in block.items:
                yield from block_languages(item.blocks)
        elif isinstance(block, BlockQuote):
            yield from block_languages(block.blocks)


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


Slogan: TypeAlias = Paragraph | Div  # one slogan, or slogans in another language


@dataclass(frozen=True, slots=True)
class LanguageText:
    """What one language file gives: title, subtitle, body and slogans.

    ``title``, ``subtitle`` and ``short_title`` are plain text (for metadata and running heads);
    ``title_inline`` and ``subtitle_inline`` hold the same text as inline content, with the spans
    that mark a piece in another language — what the renderers print.
    """

    language: Language
    title: str
    body: tuple[Block, ...]
    slogans: tuple[Slogan, ...] = ()
    subtitle: str | None = None
    path: Path | None = None
    short_title: str | None = None
    keywords: tuple[str, ...] = ()
    title_inline: tuple[Inline, ...] = ()
    subtitle_inline: tuple[Inline, ...] = ()


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
