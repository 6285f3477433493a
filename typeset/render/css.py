"""The CSS an edition needs beyond its layout's: font stacks per language, digits, page labels.

In: an :class:`~typeset.model.edition.Edition` and the render context. Out: CSS text that the
HTML and PDF renderers add after the layout's stylesheets. It sets custom properties that
layouts use — ``--serif`` and ``--sans`` (the bundled families for each language present, so
Japanese is set in a Japanese face and Urdu in Nastaliq) and ``--justify`` (``start`` for
Arabic-script editions, which are not justified) — a counter style in the edition's digits
for numbered lists, and, for paged media, the page label in the edition's language.
"""

from __future__ import annotations

import re

from typeset.model.edition import Edition
from typeset.model.language import Language
from typeset.model.localize import digits
from typeset.render import RenderContext

NUMERALS = "typeset-numerals"  # list markers: "٢٩. "
DIGITS = "typeset-digits"  # bare digits: page numbers

UNJUSTIFIED_SCRIPTS = frozenset({"Arab", "Syrc", "Thaa", "Nkoo", "Adlm", "Rohg"})
TRACKED_SCRIPTS = frozenset({"Latn", "Grek", "Cyrl"})  # letter-spacing would break joined scripts


def edition_languages(edition: Edition) -> list[Language]:
    """The edition's language and every language of a name in it, least specific tags first."""
    found: dict[str, Language] = {edition.language.tag: edition.language}
    for entry in edition.entries:
        for phrase in (entry.abbreviation, entry.name, entry.romanized, entry.translation):
            if phrase is not None:
                found.setdefault(phrase.language.tag, phrase.language)
    return sorted(found.values(), key=lambda language: (language.tag.count("-"), language.tag))


def _quote(family: str) -> str:
    return '"' + family.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _stack(context: RenderContext, role: str, language: Language) -> str:
    return ", ".join(_quote(family) for family in context.fonts.stack(role, language))


def edition_css(edition: Edition, context: RenderContext) -> str:
    rules = []
    for language in edition_languages(edition):
        declarations = [f"--serif: {_stack(context, 'serif', language)};",
                        f"--sans: {_stack(context, 'sans', language)};"]
        if language == edition.language:
            unjustified = language.script in UNJUSTIFIED_SCRIPTS and not context.layout.options.get(
                "justify_arabic_script", False)
            justify = "start" if unjustified else "justify"
            declarations.append(f"--justify: {justify};")
            declarations.append(f"--tracking: {1 if language.script in TRACKED_SCRIPTS else 0};")
        rules.append(f":lang({language.tag}) {{ {' '.join(declarations)} }}")
    rules.append("[dir], bdi { unicode-bidi: isolate; }")
    rules.append(_counter_styles(edition.numerals))
    if edition.numerals != "latn":
        rules.append(f"ol {{ list-style-type: {NUMERALS}; }}")
    return "\n".join(rules) + "\n"


def _counter_styles(system: str) -> str:
    symbols = " ".join(f'"{d}"' for d in digits(system))
    return (f"@counter-style {NUMERALS} {{ system: numeric; symbols: {symbols}; suffix: \". \"; }}\n"
            f"@counter-style {DIGITS} {{ system: numeric; symbols: {symbols}; suffix: \"\"; }}")


def page_label_css(edition: Edition, context: RenderContext) -> str:
    """``@page`` content for the layout's page-label box: "Seite 2 von 3" in the edition's digits."""
    box = context.layout.page_label
    if not box:
        return ""
    label = context.layout.message("page", edition.language)
    parts = []
    for piece in re.split(r"(\{page\}|\{pages\})", label):
        if piece == "{page}":
            parts.append(f"counter(page, {DIGITS})")
        elif piece == "{pages}":
            parts.append(f"counter(pages, {DIGITS})")
        elif piece:
            parts.append('"' + piece.replace("\\", "\\\\").replace('"', '\\"') + '"')
    return f"@page {{ @{box} {{ content: {' '.join(parts)}; }} }}\n"
