"""The CSS an edition needs beyond its layout's: font stacks per language, digits, quotation marks, pages.

In: an :class:`~typeset.model.edition.Edition` and the render context. Out: CSS text that the
HTML and PDF renderers add after the layout's stylesheets. :func:`edition_css` (both formats)
sets custom properties that layouts use — ``--serif`` and ``--sans`` (the bundled families for
each language present, so Japanese is set in a Japanese face and Urdu in Nastaliq) and
``--justify`` (``start`` for Arabic-script editions, which are not justified) — a counter style in
the edition's digits for numbered lists, and the quotation marks of each language (CLDR) for
``<q>`` and ``open-quote``. :func:`page_css` (the PDF only) sets the paper, the margins, what the
running heads and feet say, bleed and crop marks, and ``--signatory-columns``.
"""

from __future__ import annotations

import re

from typeset.escape import css_identifier, css_string
from typeset.layout import PAPERS
from typeset.model.edition import Edition
from typeset.model.language import Language
from typeset.model.localize import digits
from typeset.render import RenderContext
from typeset.render.quotes import quotation_marks

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


def font_stack(context: RenderContext, role: str, language: Language) -> str:
    """A CSS ``font-family`` value: the bundled families for ``language`` in ``role``."""
    return ", ".join(css_string(family) for family in context.fonts.stack(role, language))


def edition_css(edition: Edition, context: RenderContext) -> str:
    rules = []
    for language in edition_languages(edition):
        declarations = [f"--serif: {font_stack(context, 'serif', language)};",
                        f"--sans: {font_stack(context, 'sans', language)};"]
        if language == edition.language:
            unjustified = language.script in UNJUSTIFIED_SCRIPTS and not context.layout.options.get(
                "justify_arabic_script", False)
            justify = "start" if unjustified else "justify"
            declarations.append(f"--justify: {justify};")
            declarations.append(f"--tracking: {1 if language.script in TRACKED_SCRIPTS else 0};")
        declarations.append(f"quotes: {' '.join(css_string(mark) for mark in quotation_marks(language))};")
        rules.append(f":lang({css_identifier(language.tag)}) {{ {' '.join(declarations)} }}")
    rules.append("q[lang] { quotes: inherit; }")  # a quotation takes the marks of the text around it
    rules.append("[dir], bdi { unicode-bidi: isolate; }")
    rules.append(_counter_styles(edition.numerals))
    if edition.numerals != "latn":
        rules.append(f"ol {{ list-style-type: {NUMERALS}; }}")
    return "\n".join(rules) + "\n"


def _counter_styles(system: str) -> str:
    symbols = " ".join(css_string(d) for d in digits(system))
    return (f"@counter-style {NUMERALS} {{ system: numeric; symbols: {symbols}; suffix: \". \"; }}\n"
            f"@counter-style {DIGITS} {{ system: numeric; symbols: {symbols}; suffix: \"\"; }}")


BLEED_MM = 3  # the BleedBox: what a print shop expects beyond the trimmed page
MARKS_MM = 10  # the CSS bleed: the bleed plus room for crop marks outside it (WeasyPrint draws them
# in the outer half of the CSS bleed, here 5 to 10 mm from the trimmed edge); the PDF's BleedBox
# is then set to BLEED_MM by the PDF renderer


def page_css(edition: Edition, context: RenderContext) -> str:
    """``@page`` rules: paper and margins, the running heads and feet, print marks, columns."""
    layout, options = context.layout, context.options
    paper = PAPERS.get((options.paper or layout.paper).lower(), layout.paper)
    page = [f"size: {paper};"]
    if paper in layout.margins:
        page.append(f"margin: {layout.margins[paper]};")
    if options.print_marks:
        page.append(f"bleed: {MARKS_MM}mm; marks: crop cross;")
    rules = [f"@page {{ {' '.join(page)} }}"]
    for selector, boxes in (("@page", layout.running), ("@page :first", layout.running_first)):
        margin_rules = [f"@{_physical(box, edition)} {{ content: {running_content(template, edition, context)}; }}"
                        for box, template in boxes.items()]
        if margin_rules:
            rules.append(f"{selector} {{ {' '.join(margin_rules)} }}")
    # One column is no multi-column box at all: `columns: auto`. (`columns: 1` would make one, which
    # WeasyPrint lays out column by column: the same page, about twice the time.)
    columns = layout.options.get("signatory_columns", 1)
    rules.append(f":root {{ --signatory-columns: {columns if columns > 1 else 'auto'}; }}")
    return "\n".join(rules) + "\n"


def _physical(box: str, edition: Edition) -> str:
    """``top-start`` → ``top-left`` (``top-right`` in a right-to-left edition)."""
    start, end = ("right", "left") if edition.direction == "rtl" else ("left", "right")
    return box.replace("-start", f"-{start}").replace("-end", f"-{end}")


def running_content(template: str, edition: Edition, context: RenderContext) -> str:
    """A CSS ``content`` value for a running head or foot: "{short_title}" → ``"ICOR-Resolution"``,
    "{page}" → ``"Seite " counter(page, typeset-digits) " von " counter(pages, typeset-digits)``."""
    if not template:
        return "none"
    comma = edition.punctuation.comma
    texts = {
        "title": edition.title, "short_title": edition.short_title, "subtitle": edition.subtitle or "",
        "organisation": edition.organisation, "date": edition.date_text, "place": edition.place or "",
        "dateline": f"{edition.place}{comma}{edition.date_text}" if edition.place else edition.date_text,
    }
    keywords = {"page_number": f"counter(page, {DIGITS})", "pages": f"counter(pages, {DIGITS})",
                "open_quote": "open-quote", "close_quote": "close-quote"}
    parts = []
    for piece in re.split(r"(\{\w+\})", template):
        name = piece[1:-1] if piece.startswith("{") and piece.endswith("}") else None
        if name == "page":
            parts.append(running_content(context.layout.message("page", edition.language).replace(
                "{page}", "{page_number}"), edition, context))
        elif name in keywords:
            parts.append(keywords[name])
        elif name in texts:
            parts.append(css_string(texts[name]))
        elif piece:
            parts.append(css_string(piece))
    return " ".join(parts) or '""'
