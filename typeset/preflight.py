"""Glyph preflight: every character an edition will print, checked against its fonts first.

In: a loaded document (its printed strings, each with its language and position), the bundled
fonts and the layout. Out: diagnostics — an error at ``path:line:col`` for each character that
no font of its language's stack has (it would print as a box), a warning for each fixed word
the layout lacks in an edition's language — and the editions that must not be written.

Generated text is checked too: the date, CLDR's country names, the layout's fixed words and
the digits of the edition's numbering system, reported at the edition's language in
``document.yaml``.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field

from typeset.diagnostics import Diagnostics, Span
from typeset.fonts import FontSet
from typeset.layout import Layout
from typeset.model.edition import make_edition
from typeset.model.language import Language, parse_language, script_name, script_of
from typeset.model.localize import digits
from typeset.source.loader import Loaded


@dataclass
class Preflight:
    diagnostics: Diagnostics = field(default_factory=Diagnostics)
    refused: set[str] = field(default_factory=set)  # editions that would print a box


def _ignorable(char: str) -> bool:
    """Characters that need no glyph: spaces, controls, joiners, bidi marks, soft hyphens."""
    return char.isspace() or unicodedata.category(char) in ("Cc", "Cf", "Zl", "Zp")


class _Checker:
    def __init__(self, fonts: FontSet) -> None:
        self.fonts = fonts
        self.cache: dict[tuple[str, str], bool] = {}

    def has(self, language: Language, char: str) -> bool:
        key = (language.tag, char)
        if key not in self.cache:
            self.cache[key] = self.fonts.resolve("serif", language, char) is not None
        return self.cache[key]

    def missing(self, text: str, language: Language) -> list[tuple[int, str]]:
        """Each character of ``text`` no font of ``language`` has, with its index. Each distinct
        character is looked up once; the text is walked again only when one is missing."""
        absent = {c for c in set(text) if not _ignorable(c) and not self.has(language, c)}
        return [(i, c) for i, c in enumerate(text) if c in absent] if absent else []


def _describe(char: str) -> str:
    script = script_of(char)
    name = unicodedata.name(char, "unnamed")
    where = f", {script_name(script)} script" if script not in ("Zyyy", "Zinh", "Zzzz") else ""
    return f"'{char}' (U+{ord(char):04X} {name}{where})"


_HINT = ("add a font that has it to fonts/ (see fonts/README.md) or correct the character; "
         "'build --allow-missing-glyphs' writes the edition anyway, with a box")


def preflight(loaded: Loaded, fonts: FontSet, layout: Layout) -> Preflight:
    result = Preflight()
    document = loaded.document
    if document is None:
        return result
    checker = _Checker(fonts)
    tags = [language.tag for language in document.languages]
    for site in loaded.sites:
        editions = _editions(site.editions, tags)
        if not editions:
            continue
        language = parse_language(site.language)
        for index, char in checker.missing(site.text, language):
            result.diagnostics.error(site.span_at(index), f"no bundled font has {_describe(char)} for "
                                     f"'{language.tag}' text", _HINT, code="glyph")
            result.refused.update(editions)
    for language in document.languages:
        span = loaded.language_spans.get(language.tag, Span(loaded.path))
        edition = make_edition(document, language.tag)
        generated = {
            "the date": edition.date_text,
            "the digits": digits(edition.numerals),
            "a country name": " ".join(entry.country or "" for entry in edition.entries),
            "the layout's fixed words": " ".join(layout.message(key, language) for key in layout.messages.get("en", {})),
        }
        for what, text in generated.items():
            for char in dict.fromkeys(c for _, c in checker.missing(text, language)):
                result.diagnostics.error(span, f"no bundled font has {_describe(char)}, needed for {what} "
                                         f"of the '{language.tag}' edition", _HINT, code="glyph")
                result.refused.add(language.tag)
        for key in layout.missing_messages(language):
            result.diagnostics.warning(
                span, f"layout '{layout.name}' has no '{language.tag}' text for '{key}'; English is used",
                f"add a [{language.tag}] section to {layout.root / 'messages.toml'}", code="layout-words")
    return result


def _editions(wanted: tuple[str, ...] | None, tags: list[str]) -> list[str]:
    if wanted is None:
        return tags
    return [tag for tag in tags if tag in wanted or tag.split("-")[0] in wanted]
