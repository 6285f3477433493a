"""Every printed string of a source, with its language, its position and the editions it is in.

In: the strings the reader meets (YAML values, CSV cells, Markdown paragraphs). Out: each is
linted once, and kept as a :class:`TextSite` so that the glyph preflight can check its
characters against the fonts of its language and point at the exact line and column. A
Markdown text with spans or in a div is kept as one site per language it is marked in, and each
is checked for letters of a script its language is not written in.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from typeset.diagnostics import Diagnostics, Span
from typeset.source.lint import foreign_script, lint_text
from typeset.source.yamlfile import KeyPath, Positions

SpanAt = Callable[[int], Span]

# The keys whose values are printed; every other value (ids, codes, dates, file names) is not.
_PER_LANGUAGE = {"organisation", "place", "heading", "translation", "country_name", "note"}
_IN_NAME_LANGUAGE = {"name", "abbreviation"}


@dataclass(frozen=True, slots=True)
class TextSite:
    """A printed string: set in ``language``'s fonts, in the editions ``editions`` (None: all)."""

    text: str
    language: str
    editions: tuple[str, ...] | None
    span_at: SpanAt


@dataclass
class Texts:
    diagnostics: Diagnostics
    sites: list[TextSite] = field(default_factory=list)
    declared: tuple[str, ...] = ()  # the document's languages: the first guesses for a foreign script

    def add(self, text: str, language: str, span_at: SpanAt, editions: tuple[str, ...] | None = None) -> None:
        lint_text(text, span_at, self.diagnostics)
        self.sites.append(TextSite(text, language, editions, span_at))

    def add_marked(self, text: str, pieces: Sequence[tuple[int, int, str]], span_at: SpanAt,
                   editions: tuple[str, ...] | None = None, *, blocks: bool = True) -> None:
        """Text of a language file, whose pieces ``(start, end, language)`` are in the languages
        their spans and divs mark: linted as a whole, each piece a site of its own language, and
        checked for a script its language does not use (``blocks``: a div could mark it)."""
        lint_text(text, span_at, self.diagnostics)
        for start, end, language in pieces:
            def piece_at(index: int, start: int = start) -> Span:
                return span_at(start + index)

            piece = text[start:end]
            self.sites.append(TextSite(piece, language, editions, piece_at))
            foreign_script(piece, language, piece_at, self.diagnostics, self.declared, blocks=blocks)

    def add_yaml(self, data: Any, positions: Positions, prefix: KeyPath, languages: list[str],
                 entry_language: str | None = None) -> None:
        """The printed strings of ``data`` (a document, or one CSV row when ``prefix`` is empty)."""
        for where, value in _strings(data, prefix):
            relative = where[len(prefix):]
            keys = [k for k in relative if isinstance(k, str)]
            language = entry_language or _entry_language(data, relative)
            span_at = _char_span(positions, where)
            if any(k in _PER_LANGUAGE for k in keys[:-1]) and keys[-1] not in _PER_LANGUAGE:
                self.add(value, keys[-1], span_at, (keys[-1],))  # e.g. translation: {de: …}
            elif keys and keys[-1] in _PER_LANGUAGE:  # one text for every edition, in its language
                lint_text(value, span_at, self.diagnostics)
                self.sites.extend(TextSite(value, tag, (tag,), span_at) for tag in languages)
            elif keys and keys[-1] in _IN_NAME_LANGUAGE and language:
                self.add(value, language, span_at)
            elif keys and keys[-1] == "romanized" and language:
                self.add(value, f"{language.split('-')[0]}-Latn", span_at)


def _char_span(positions: Positions, where: KeyPath) -> SpanAt:
    return lambda index: positions.char(where, index)


def _entry_language(data: Any, where: KeyPath) -> str | None:
    """The ``lang`` of the entry that ``where`` lies in, if any."""
    if len(where) >= 4 and where[0] == "groups" and where[2] == "entries":
        try:
            value = data["groups"][where[1]]["entries"][where[3]].get("lang")
        except (KeyError, IndexError, TypeError, AttributeError):
            return None
        return value if isinstance(value, str) else None
    return None


def _strings(value: Any, where: KeyPath) -> Iterator[tuple[KeyPath, str]]:
    if isinstance(value, str):
        yield where, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(item, (*where, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _strings(item, (*where, index))
