"""The CSS an edition needs beyond its layout's: font stacks per language, digits, quotation marks, pages.

In: an :class:`~typeset.model.edition.Edition` and the render context. Out: CSS text that the
HTML and PDF renderers add after the layout's stylesheets. :func:`edition_css` (both formats)
sets custom properties that layouts use — ``--serif`` and ``--sans`` (the bundled families for
each language present — the edition's, its names', its spans' and divs' —, so Japanese is set in a
Japanese face and Urdu in Nastaliq), ``--justify`` (``start`` for text in Arabic and the other joined
scripts, and in the scripts written without spaces between words — Thai, Lao, Khmer, Burmese —, an
edition or a div, which is not justified) and ``--title-leading`` (Tibetan and Burmese titles need
their fonts' own) — a counter style in the edition's digits for numbered lists, and the quotation
marks of each language (CLDR) for ``<q>`` and ``open-quote``. :func:`page_css` (the PDF only) sets
the paper, the margins, what the running heads and feet say (with line-break opportunities in Thai,
Lao, Khmer and Burmese text, as in the rest of the PDF: :mod:`typeset.render.linebreaks`), bleed, and
``--signatory-columns``.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from typeset.escape import css_identifier, css_string
from typeset.fonts import FontSet
from typeset.layout import PAPERS
from typeset.model.edition import Edition
from typeset.model.language import Language
from typeset.model.localize import digits
from typeset.model.scripts import SA_SCRIPTS
from typeset.render import RenderContext
from typeset.render.linebreaks import break_opportunities
from typeset.render.quotes import quotation_marks
from typeset.render.typography import HALF_WIDTH_CLASS

NUMERALS = "typeset-numerals"  # list markers: "٢٩. "
DIGITS = "typeset-digits"  # bare digits: page numbers

# Joined (cursive) scripts: a reader expects a justified line to be filled by lengthening the
# joins (kashida), which the renderers do not do, so only the word spaces would grow. Thaana is
# written right to left but its letters do not join: Dhivehi is justified, as Hebrew is.
UNJUSTIFIED_SCRIPTS = frozenset({"Arab", "Syrc", "Nkoo", "Adlm", "Rohg"})
# Scripts written without spaces between words (SA_SCRIPTS: Thai, Lao, Khmer, Burmese …) are not
# justified either, whatever the layout says: WeasyPrint and Chromium fill a justified line only by
# widening its spaces, which these scripts have only between phrases. A line without one stays short
# and a line with one or two takes all the slack there: in a 60 mm column of 9 pt Noto Serif, Thai
# spaces grew from 0.26 em to 0.67-1.01 em and Khmer ones to 1.69 em, beside ragged lines. Their own
# justification (Thai distributed, between letters) is in neither renderer: ragged right is even.
TRACKED_SCRIPTS = frozenset({"Latn", "Grek", "Cyrl"})  # letter-spacing would break joined scripts
# Scripts whose stacks and vowel signs reach far above a Latin capital, set in fonts with a deep
# descent (Noto Serif Tibetan, Noto Serif Myanmar): a title's tight leading would put its marks
# into the line above it. Their titles take the font's own line height (--title-leading).
TALL_SCRIPTS = frozenset({"Tibt", "Mymr"})


def edition_languages(edition: Edition) -> list[Language]:
    """The edition's language, every language of a span or div of its text and of a name in it,
    least specific tags first."""
    found: dict[str, Language] = {edition.language.tag: edition.language}
    for language in edition.marked_languages:
        found.setdefault(language.tag, language)
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
        unjustified = language.script in SA_SCRIPTS or (language.script in UNJUSTIFIED_SCRIPTS and not
                                                        context.layout.options.get("justify_arabic_script", False))
        declarations.append(f"--justify: {'start' if unjustified else 'justify'};")  # a div's text too
        if language == edition.language:
            declarations.append(f"--tracking: {1 if language.script in TRACKED_SCRIPTS else 0};")
            if language.script in TALL_SCRIPTS:
                declarations.append("--title-leading: normal;")
        marks = quotation_marks(language, context.world)
        declarations.append(f"quotes: {' '.join(css_string(mark) for mark in marks)};")
        rules.append(f":lang({css_identifier(language.tag)}) {{ {' '.join(declarations)} }}")
    rules.append("q[lang] { quotes: inherit; }")  # a quotation takes the marks of the text around it
    rules.append("[dir], bdi { unicode-bidi: isolate; }")
    # Full-width punctuation beside another, in half its width (typography.compress_punctuation)
    rules.append(f".{HALF_WIDTH_CLASS} {{ font-feature-settings: \"halt\"; }}")
    rules.append(_counter_styles(edition.numerals))
    if edition.numerals != "latn":
        rules.append(f"ol {{ list-style-type: {NUMERALS}; }}")
    return "\n".join(rules) + "\n"


def _counter_styles(system: str) -> str:
    symbols = " ".join(css_string(d) for d in digits(system))
    return (f"@counter-style {NUMERALS} {{ system: numeric; symbols: {symbols}; suffix: \". \"; }}\n"
            f"@counter-style {DIGITS} {{ system: numeric; symbols: {symbols}; suffix: \"\"; }}")


BLEED_MM = 3  # the BleedBox: what a print shop expects beyond the trimmed page
MARKS_MM = 10  # the CSS bleed: the bleed plus room for crop and registration marks outside it (the PDF
# renderer draws them 5 to 10 mm from the trimmed edge, in the registration colour: typeset.render.pdfx,
# where WeasyPrint's `marks` would draw them in RGB) and sets the PDF's BleedBox to BLEED_MM


def page_css(edition: Edition, context: RenderContext) -> str:
    """``@page`` rules: paper and margins, the running heads and feet, print marks, columns."""
    layout, options = context.layout, context.options
    paper = PAPERS.get((options.paper or layout.paper).lower(), layout.paper)
    page = [f"size: {paper};"]
    if paper in layout.margins:
        page.append(f"margin: {layout.margins[paper]};")
    if options.print_marks:
        page.append(f"bleed: {MARKS_MM}mm;")
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
    rules.extend(_signatory_lines(edition, context))
    return "\n".join(rules) + "\n"


# An entry with text in a face whose ascent and descent together exceed the edition's face's by more
# than this (in em) gets half the difference as extra leading on every line: of the bundled faces only
# Nastaliq (2.50 em against Noto Serif's 1.36), whose letters reach far above and below the line.
_TALL_FACE_EM = 0.5


def _signatory_lines(edition: Edition, context: RenderContext) -> list[str]:
    """Rules that the layouts' signatory entries use (``--entry-leading``, ``--entry-line-height``).

    Entries with text in a tall face (see ``_TALL_FACE_EM``) get ``--entry-leading``. And the number
    hanging beside an entry is set in a line of its own whose baseline lies (line-height + ascent -
    descent) / 2 below its top for the face of its digits: where that is not the edition's face (no
    Latin digits in Noto Serif Hebrew or Thai), its line height is reduced by the difference so that
    it shares the baseline of the entry's first line, which the edition's face sets.
    """
    fonts = context.fonts
    own = _vertical_metrics(fonts.stack("serif", edition.language)[0], fonts)
    rules = []
    tall: dict[str, float] = {}
    for entry in edition.entries:
        for phrase in (entry.abbreviation, entry.name, entry.romanized, entry.translation):
            if phrase is None or phrase.language.tag in tall:
                continue
            ascent, descent = _vertical_metrics(fonts.stack("serif", phrase.language)[0], fonts)
            tall[phrase.language.tag] = (ascent + descent - sum(own)) / 2
    # a later rule wins where an entry has several tall languages: the tallest last
    for tag, extra in sorted(tall.items(), key=lambda item: item[1]):
        if extra > _TALL_FACE_EM / 2:
            rules.append(f".signatories > li:has(:lang({css_identifier(tag)})) {{ --entry-leading: {extra:.3f}em; }}")
    marker = f"{digits(edition.numerals)}."
    faces = {family.name for char in marker if (family := fonts.resolve("serif", edition.language, char))}
    # Pango's line holds the runs of all those faces: its top is the largest ascent, its bottom the
    # largest descent, and those two set the baseline. (The face with the largest ascent - descent
    # is not it: Burmese digits in Noto Serif Myanmar and the full stop in Noto Serif stand on the
    # baseline of Noto Serif Myanmar, whose ascent and descent are both the larger.)
    metrics = [_vertical_metrics(name, fonts) for name in faces] or [own]
    ascent, descent = max(m[0] for m in metrics), max(m[1] for m in metrics)
    lower = (ascent - descent) - (own[0] - own[1])  # how much lower the number would sit, x 2
    if lower > 0.001:
        rules.append("ol.signatories > li::marker { line-height: calc(var(--entry-line-height, 1.4em) "
                     f"+ var(--entry-leading, 0em) - {lower:.3f}em); }}")
    return rules


def _face_metrics(path: Path, fonts: FontSet) -> tuple[float, float]:
    """A face's ascent and descent, in ems; once a process."""
    if path not in _metrics:
        _metrics[path] = _read_metrics(fonts.read(path))
    return _metrics[path]


_metrics: dict[Path, tuple[float, float]] = {}


def _read_metrics(data: bytes) -> tuple[float, float]:
    import io

    from fontTools.ttLib import TTFont

    with TTFont(io.BytesIO(data), lazy=True, fontNumber=0) as font:
        units = font["head"].unitsPerEm
        os2 = font["OS/2"]
        if os2.fsSelection & (1 << 7):  # USE_TYPO_METRICS: what HarfBuzz, and so Pango, then use
            return os2.sTypoAscender / units, -os2.sTypoDescender / units
        return font["hhea"].ascent / units, -font["hhea"].descent / units


def _vertical_metrics(family: str, fonts: FontSet) -> tuple[float, float]:
    """Ascent and descent of a bundled family's regular face, in em."""
    return _face_metrics(fonts.family(family).regular.path, fonts)


def _physical(box: str, edition: Edition) -> str:
    """``top-start`` → ``top-left`` (``top-right`` in a right-to-left edition)."""
    start, end = ("right", "left") if edition.direction == "rtl" else ("left", "right")
    return box.replace("-start", f"-{start}").replace("-end", f"-{end}")


# Unicode bidi isolates (UAX #9, which Pango follows through FriBidi), written as CSS escapes: each
# field of a running head or foot is laid out on its own, so that in a right-to-left edition the
# day of a date does not join the organisation before it ("ICOR · 10 בדצמבר 1948" shown as
# "1948 בדצמבר ICOR · 10"). A field in the edition's language runs in the edition's direction; the
# organisation, a name in whatever script, takes the direction of its first letter. Where nothing
# runs right to left, isolates would change nothing but the PDF's bytes: there are none.
_ISOLATE = {"ltr": '"\\2066"', "rtl": '"\\2067"', "auto": '"\\2068"'}  # LRI, RLI, FSI
_POP_ISOLATE = '"\\2069"'  # PDI


def running_content(template: str, edition: Edition, context: RenderContext) -> str:
    """A CSS ``content`` value for a running head or foot: "{short_title}" → ``"ICOR-Resolution"``,
    "{page}" → ``"Seite " counter(page, typeset-digits) " von " counter(pages, typeset-digits)``.
    In a right-to-left edition, and around a field with right-to-left letters, each field is
    isolated (LRI or RLI … PDI in the edition's direction, FSI … PDI for the organisation); the
    template's own text and the page counters stay between them."""
    if not template:
        return "none"
    right_to_left = edition.direction == "rtl"

    def field(text: str, direction: str = edition.direction) -> str:
        if right_to_left or any(unicodedata.bidirectional(char) in ("R", "AL") for char in text):
            return f"{_ISOLATE[direction]} {css_string(break_opportunities(text))} {_POP_ISOLATE}"
        return css_string(break_opportunities(text))

    date = field(edition.date_text)
    texts = {
        "title": field(edition.title), "short_title": field(edition.short_title),
        "subtitle": field(edition.subtitle or ""), "organisation": field(edition.organisation, "auto"),
        "date": date, "place": field(edition.place or ""),
        "dateline": f" {css_string(edition.punctuation.comma)} ".join(map(field, edition.date_line_parts)),
    }
    keywords = {"page_number": f"counter(page, {DIGITS})", "pages": f"counter(pages, {DIGITS})",
                "open_quote": "open-quote", "close_quote": "close-quote"}
    parts = []
    for piece in re.split(r"(\{\w+\})", template):
        name = piece[1:-1] if piece.startswith("{") and piece.endswith("}") else None
        if name == "page":
            label = running_content(context.layout.message("page", edition.language).replace(
                "{page}", "{page_number}"), edition, context)
            parts.append(f"{_ISOLATE['rtl']} {label} {_POP_ISOLATE}" if right_to_left else label)
        elif name in keywords:
            parts.append(keywords[name])
        elif name in texts:
            parts.append(texts[name])
        elif piece:
            parts.append(css_string(break_opportunities(piece)))
    return " ".join(parts) or '""'
