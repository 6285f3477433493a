"""Conformance: every language the bundled fonts serve, in text nobody wrote for typeset.

For each language CLDR knows whose main exemplar characters the bundled fonts cover (the list is
derived, and grows with the fonts), lines generated from its exemplars and, per abugida, every
consonant with every vowel sign and virama (tests/conformance/text.py) are set as the signatories
of one document per script and built in all three formats. Each format is read back as a reader
gets it — WeasyPrint's PDF with poppler, the DOCX through LibreOffice's PDF, the HTML through
Chromium's printout — and must show no box (a glyph compared with the font's .notdef by outline)
but for a character the preflight reported, no dotted circle the text did not contain, every line
back from the text layer (right to left: every word, letter for letter), each language in its own
face, and each line tagged with its language.

Run it alone with ``pytest -m conformance``.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable
from functools import cache
from html.parser import HTMLParser
from pathlib import Path
from zipfile import ZipFile

import pytest
from fontTools import unicodedata as script_data
from lxml import etree

from tests.conformance.cldr import CLDR_MAIN, CLDRMissing, coverage, inventory
from tests.conformance.conftest import FORMATS, ONLY, Build, Readback, all_plans
from tests.conformance.documents import Plan
from tests.conformance.text import Line
from tests.conftest import QUOTES
from typeset.fonts import FontSet, load_fonts
from typeset.model.language import parse_language
from typeset.model.scripts import COMPLEX
from typeset.world import World

pytestmark = pytest.mark.conformance

PLANS = all_plans()

# -- what is known to fail, each until the work that fixes it is merged ----------------------------

NASTALIQ = "poppler splits Nastaliq's cascading letters into other lines"
RTL_MARKS = ("poppler reorders combining marks in right-to-left lines (see the note in "
             "typeset/render/pdf_text.py); passes the day it does not")
NO_BREAK_HYPHEN = "LibreOffice's PDF gives U+2011 NON-BREAKING HYPHEN back as '-' (U+002D)"
INHERITED_MARKS = ("LibreOffice draws a combining mark of no script of its own (U+0300 …) as a glyph apart, and "
                   "poppler gives it back away from its letter")
LATIN_SLOT = ("LibreOffice sets U+FE59 ﹙, U+FE5C ﹜ and U+FE5F ﹟ (small form variants, in a Cantonese line) in "
              "the Latin font slot's Noto Serif, which lacks them, although their runs name Noto Serif CJK TC "
              "in the East Asian slot with w:hint=\"eastAsia\": boxes in the DOCX where the preflight says ok")
SYRIAC_DIGITS = ("the DOCX sets Arabic-Indic digits in a Syriac line in Noto Naskh Arabic (the Word slot of their "
                 "script), the PDF in Noto Sans Syriac (the first family of the language's stack that has them)")
POPPLER_RTL = ("poppler does not take Adlam and N'Ko for right-to-left scripts and gives their words back in "
               "the order drawn, reversed (MuPDF gives them back right)")
TIBETAN_STACKS = ("poppler puts Tibetan subjoined stacks that reach below the line (◌ྐྵ, ◌ྒྷ, ◌ྦྷ …) on a line "
                  "of their own, after the rest of their entry")
SPLIT_MARKS = ("poppler reads the vowel signs that LibreOffice positions apart above or below their consonant "
               "(Khmer ិ ី ឹ, Myanmar ၘ ၙ, Oriya ି ୁ) as lines of their own, out of their words")
TEXT_LAYER_KNOWN = {("conformance-adlm", f): POPPLER_RTL for f in FORMATS} | {
    ("conformance-nkoo", f): POPPLER_RTL for f in FORMATS} | {
    ("conformance-tibt", "pdf"): TIBETAN_STACKS, ("conformance-tibt", "html"): TIBETAN_STACKS,
    ("conformance-khmr", "docx"): SPLIT_MARKS, ("conformance-mymr", "docx"): SPLIT_MARKS,
    ("conformance-orya", "docx"): SPLIT_MARKS}
# Found where it happens (page breaks move with the text): the test is marked then, and only then.
SLICED = ("Chromium slices a signatory across a page break, half on each page, over the next one, when the "
          "list has 'columns: 1' (layouts/resolution: .signatories { columns: var(--signatory-columns, 1) })")

# Exemplars of CLDR languages written in a bundled script that no bundled font has.
FONT_GAPS = {
    "kxv-Telu": "Noto Serif Telugu has no U+0C3C TELUGU SIGN NUKTA (డ఼, CLDR's main Kuvi exemplars in Telugu)",
    "hu": "no bundled font has U+27E8 and U+27E9 (MATHEMATICAL ANGLE BRACKETS), CLDR's Hungarian punctuation",
    "oc": "no bundled font has U+22C5 DOT OPERATOR, CLDR's Occitan punctuation",
    "yue-Hans": ("no bundled font has 嘅 (U+5605, auxiliary), U+FE51 SMALL IDEOGRAPHIC COMMA, U+FE68 SMALL "
                 "REVERSE SOLIDUS (punctuation)"),
    "yue": ("the Traditional face (Big5) lacks 彞 U+5F5E and 糥 U+7CE5 of CLDR's main Cantonese exemplars: "
            "not served; also 嘅 U+5605, U+FE32, U+FE58, U+FE51, U+FE68"),
    "zh-Hant": ("the Traditional face (Big5) lacks 彞 U+5F5E of CLDR's main Traditional Chinese exemplars: "
                "not served; also U+FE32, U+FE58, U+FE51, U+FE68"),
}


def _params(plans: tuple[Plan, ...], formats: tuple[str, ...] = FORMATS,
            known: Callable[[Plan, str], str | None] = lambda plan, format_name: None) -> list:  # type: ignore[type-arg]
    """Each plan in each format; ``known`` gives the reason it is expected to fail, if it is. The
    DOCX and HTML ones are slow (LibreOffice, Chromium)."""
    found = []
    for plan in plans:
        for format_name in formats:
            reason = known(plan, format_name)
            marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
            if format_name != "pdf":
                marks.append(pytest.mark.slow)
            found.append(pytest.param(plan, format_name, id=f"{plan.id}-{format_name}", marks=marks))
    return found




@cache
def _fonts() -> FontSet:
    return load_fonts(World([]))


def _first_letter(line: Line) -> str:
    return next((c for c in line.text if unicodedata.category(c)[0] == "L"), line.text[0])


# -- the languages ---------------------------------------------------------------------------------


def test_cldr_is_installed() -> None:
    assert CLDR_MAIN.is_dir(), f"CLDR's JSON data is missing ({CLDR_MAIN}): run 'npm ci' (.ci/run does)"


def test_at_least_sixty_languages_are_served_and_each_is_set() -> None:
    served = inventory().served
    assert len(served) >= 60, [e.tag for e in served]
    served = tuple(e for e in served if not ONLY or e.tag in ONLY)
    lines = [line.language for plan in PLANS for line in plan.lines]
    assert {e.tag for e in served} <= set(lines), {e.tag for e in served} - set(lines)
    assert all(plan.lines for plan in PLANS)


def _languages_of_bundled_scripts() -> list:  # type: ignore[type-arg]
    """Every CLDR language written in a script the bundled fonts serve, whether or not they cover
    its main exemplars."""
    try:
        found = inventory()
    except CLDRMissing:  # test_cldr_is_installed says so
        return []
    tags = [e.tag for e in found.served] + list(found.unserved)
    return [pytest.param(tag, marks=[pytest.mark.xfail(strict=True, reason=FONT_GAPS[tag])] if tag in FONT_GAPS
                         else []) for tag in sorted(tags)]


@pytest.mark.parametrize("tag", _languages_of_bundled_scripts())
def test_fonts_have_every_exemplar_of_the_language(tag: str) -> None:
    """Main, auxiliary, punctuation and numbers: what CLDR says the language is written with."""
    from tests.conformance.cldr import _read, unicode_set

    characters = _read(tag)
    assert characters is not None
    has = coverage(_fonts(), parse_language(tag))
    missing = {key: [item for item in unicode_set(characters[key]) if not has(item)]
               for key in ("exemplarCharacters", "auxiliary", "punctuation", "numbers")}
    missing = {key: items for key, items in missing.items() if items}
    assert not missing, {key: [f"{i} ({' '.join(f'U+{ord(c):04X}' for c in i)})" for i in items]
                         for key, items in missing.items()}


# -- the preflight ---------------------------------------------------------------------------------


@pytest.mark.parametrize("plan", PLANS, ids=[plan.id for plan in PLANS])
def test_the_preflight_reports_exactly_what_no_font_has(build: Build, plan: Plan) -> None:
    fonts = _fonts()
    absent = {char for line in plan.lines for char in line.text
              if not char.isspace() and unicodedata.category(char) not in ("Cc", "Cf", "Zl", "Zp")
              and fonts.resolve("serif", parse_language(line.language), char) is None}
    assert build.refused[plan.id] == absent


# -- read back: glyphs -----------------------------------------------------------------------------


def _boxes(build: Build, plan: Plan, read: Readback) -> list[str]:
    """The boxes drawn but for those that stand for a character the preflight reported (as many
    boxes with no text as the text has reported characters: a printout may map several to one)."""
    reported = build.refused[plan.id]
    unexplained = [glyph for glyph in read.glyphs.missing if not set(glyph.text) & reported]
    allowance = sum(line.text.count(char) for line in plan.lines for char in reported)
    silent = [glyph for glyph in unexplained if not glyph.text]
    if silent and len(silent) <= allowance:
        unexplained = [glyph for glyph in unexplained if glyph.text]
    return list(dict.fromkeys(map(str, unexplained)))


def _circles(plan: Plan, read: Readback) -> list[str]:
    wanted = sum(line.text.count("\u25cc") for line in plan.lines)
    return list(dict.fromkeys(map(str, read.glyphs.dotted))) if len(read.glyphs.dotted) > wanted else []


def _strangers(plan: Plan, read: Readback, reference: Readback) -> list[str]:
    """Glyphs of complex scripts (the scripts Word sets with its complex-script font) drawn here
    but nowhere in the PDF, which WeasyPrint sets from the full fonts: the wrong glyph for a
    cluster, such as a two-part vowel drawn as the glyph of its code point."""
    drawn = {glyph.outline for glyph in reference.glyphs.drawn}

    def complex_script(text: str) -> bool:
        return any(script_data.script(c) in COMPLEX for c in text)

    return list(dict.fromkeys(str(glyph) for glyph in read.glyphs.drawn
                              if glyph.outline not in drawn and complex_script(glyph.text)))


def _strangers_known(plan: Plan, format_name: str) -> str | None:
    return SYRIAC_DIGITS if (plan.group, format_name) == ("Syrc", "docx") else None


def _box_known(plan: Plan, format_name: str) -> str | None:
    small_forms = any(char in line.text for line in plan.lines for char in "\ufe59\ufe5c\ufe5f")
    return LATIN_SLOT if format_name == "docx" and small_forms else None


@pytest.mark.parametrize(("plan", "format_name"), _params(PLANS, known=_box_known))
def test_no_box(build: Build, readback: Callable[[Plan, str], Readback], plan: Plan, format_name: str) -> None:
    """No glyph drawn as .notdef (compared by outline), but for a character the preflight reported."""
    boxes = _boxes(build, plan, readback(plan, format_name))
    assert not boxes, "\n".join(boxes[:40])


@pytest.mark.parametrize(("plan", "format_name"), _params(PLANS))
def test_no_dotted_circle(readback: Callable[[Plan, str], Readback], plan: Plan, format_name: str) -> None:
    """No broken cluster: no more dotted circles than the text has (none)."""
    circles = _circles(plan, readback(plan, format_name))
    assert not circles, "\n".join(circles[:40])


@pytest.mark.parametrize(("plan", "format_name"), _params(PLANS, ("docx", "html"), known=_strangers_known))
def test_docx_and_html_draw_the_glyphs_the_pdf_draws(readback: Callable[[Plan, str], Readback], plan: Plan,
                                                     format_name: str) -> None:
    strangers = _strangers(plan, readback(plan, format_name), readback(plan, "pdf"))
    assert not strangers, "\n".join(strangers[:40])


# -- read back: text -----------------------------------------------------------------------------------


# Default-ignorable marks, drawn as nothing: Khmer's inherent vowels U+17B4 and U+17B5 (readers drop them).
INVISIBLE = frozenset("\u17b4\u17b5")


def _flat(text: str) -> str:
    """Text as compared: NFC, without white space (line breaks fall anywhere) and without format
    characters (joiners, bidi marks: poppler drops them, and adds its own bidi controls) or
    invisible marks (:data:`INVISIBLE`)."""
    return "".join(c for c in unicodedata.normalize("NFC", text)
                   if not c.isspace() and unicodedata.category(c) not in ("Cf", "Cc") and c not in INVISIBLE)


def _without_marks(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", text) if unicodedata.category(c) != "Mn")


def _without_inherited_marks(text: str) -> str:
    """The text less the combining marks of no script of their own that stay apart in NFC (the
    acute of Greek Ϊ́, the grave of ɛ̀; not those composed into a letter, such as é's)."""
    return "".join(c for c in unicodedata.normalize("NFC", text)
                   if not (unicodedata.category(c) == "Mn" and script_data.script(c) == "Zinh"))


def _cascading(line: Line) -> bool:
    """Set in a Nastaliq face, whose letters cascade below the baseline."""
    family = _fonts().resolve("serif", parse_language(line.language), _first_letter(line))
    return family is not None and "Nastaliq" in family.name


def _rtl(line: Line) -> bool:
    return parse_language(line.language).direction == "rtl"


def _skipped(build: Build, plan: Plan, line: Line) -> bool:
    """Lines the text check leaves to others: Nastaliq (test_nastaliq_comes_back), and lines with a
    character the preflight reported (it is a box; the text layer may lose it)."""
    return _cascading(line) or bool(set(line.text) & build.refused[plan.id])


def _no_break_hyphen_as_hyphen(text: str) -> str:
    return text.replace("\u2011", "-")


def _quotes_as_one(text: str) -> str:
    """Every quotation mark and apostrophe as one: the editions print a straight one as the
    language's (typeset/render/typography.py), and a punctuation line's lone ' or " is taken for one."""
    return QUOTES.sub('"', text)


def _missing_lines(build: Build, plan: Plan, text: str, *, by_word: bool = False, marks: bool = False,
                   only: Callable[[Line], bool] = lambda line: True,
                   fold: Callable[[str], str] = lambda text: text) -> list[str]:
    """The lines that do not come back, both sides read through ``fold``. Left to right, unless
    ``by_word``: the line as written, right after its list number. Right to left, or ``by_word``:
    each word of the line, its letters exact (its combining marks too if ``marks``)."""
    from typeset.model.localize import numbering_system, to_digits

    text = _quotes_as_one(fold(text))
    flat, letters = _flat(text), _flat(_without_marks(text))
    edition = parse_language(plan.edition)
    missing = []
    for number, line in enumerate(plan.lines, 1):
        if _skipped(build, plan, line) or not only(line):
            continue
        expected = _quotes_as_one(fold(line.text))
        if by_word or _rtl(line):
            words = [w for w in expected.split(" ") if _flat(_without_marks(w))]
            lost = [w for w in words if (_flat(w) not in flat if marks else _flat(_without_marks(w)) not in letters)]
            missing += [f"{number}. {line.language} {line.kind}: {word}" for word in lost]
            continue
        numbers = {str(number), to_digits(str(number), numbering_system(edition))}
        if not any(f"{n}." + _flat(expected) in flat for n in numbers):
            missing.append(f"{number}. {line.language} {line.kind}: {line.text}")
    return missing


def _at_a_page_break(text: str, number: int, reach: int = 300) -> bool:
    """Whether list number ``number`` is printed within ``reach`` characters of a page break."""
    pages = text.split("\f")
    return any(re.search(rf"(^|\D){number}\.?\s", pages[i][-reach:] + "\n" + pages[i + 1][:reach])
               for i in range(len(pages) - 1))


def _sliced(build: Build, plan: Plan, text: str, missing: list[str]) -> bool:
    """Whether every line missing from Chromium's printout is one cut in two at a page break
    (SLICED): its words are all there, its number beside a page break."""
    numbers = [int(entry.split(".")[0]) for entry in missing]
    lines = {number: plan.lines[number - 1] for number in numbers}
    scattered = _missing_lines(build, plan, text, by_word=True, only=lambda line: line in lines.values())
    return not scattered and all(_at_a_page_break(text, number) for number in numbers)


def _text_layer_known(plan: Plan, format_name: str) -> str | None:
    return TEXT_LAYER_KNOWN.get((plan.id, format_name))


@pytest.mark.parametrize(("plan", "format_name"), _params(PLANS, known=_text_layer_known))
def test_every_line_comes_back_from_the_text_layer(build: Build, readback: Callable[[Plan, str], Readback],
                                                   plan: Plan, format_name: str) -> None:
    """PDF and HTML, left to right: every line exactly, after its number. Right to left: every word,
    its letters exact (poppler lifts combining marks out of right-to-left lines). DOCX: every word
    of every line, its letters exact, a non-breaking hyphen read as a hyphen; lines with combining
    marks that stay apart from their letters (ɛ̀, Ϊ́, а́) are left to
    test_libreoffice_gives_back_combining_marks_on_their_letters: LibreOffice draws such a mark as a
    glyph of its own, and poppler gives it back away from its letter, moving letters and list
    numbers of the lines around it (test_every_line_is_tagged… finds every line exactly in the
    DOCX itself)."""
    docx = format_name == "docx"
    missing = _missing_lines(build, plan, readback(plan, format_name).text, by_word=docx,
                             fold=_no_break_hyphen_as_hyphen if docx else lambda text: text,
                             only=(lambda line: not _apart_marks(line)) if docx else lambda line: True)
    if format_name == "html" and missing and _sliced(build, plan, readback(plan, format_name).text, missing):
        pytest.xfail(f"{SLICED}: " + "; ".join(missing))
    assert not missing, f"{len(missing)} not back from the {format_name} text layer:\n" + "\n".join(missing[:40])


def _with_no_break_hyphens() -> tuple[Plan, ...]:
    return tuple(plan for plan in PLANS if any("\u2011" in line.text for line in plan.lines))


@pytest.mark.slow
@pytest.mark.xfail(strict=True, reason=NO_BREAK_HYPHEN)
@pytest.mark.parametrize("plan", _with_no_break_hyphens(), ids=[plan.id for plan in _with_no_break_hyphens()])
def test_libreoffice_gives_back_no_break_hyphens(readback: Callable[[Plan, str], Readback], plan: Plan) -> None:
    wanted = sum(line.text.count("\u2011") for line in plan.lines)
    assert readback(plan, "docx").text.count("\u2011") >= wanted


def _apart_marks(line: Line) -> bool:
    """A left-to-right line of a script Word does not treat as complex (Latin, Cyrillic, Greek …)
    with a combining mark of no script of its own that stays apart in NFC on a letter (ɛ̀, Ϊ́, а́;
    not a lone mark on U+25CC, which LibreOffice and poppler keep in place)."""
    words = [word for word in line.words if not word.startswith("\u25cc")]
    text = unicodedata.normalize("NFC", " ".join(words))
    return not _rtl(line) and line.script not in COMPLEX and _without_inherited_marks(text) != text


def _with_apart_marks() -> tuple[Plan, ...]:
    return tuple(plan for plan in PLANS if any(map(_apart_marks, plan.lines)))


@pytest.mark.slow
@pytest.mark.xfail(strict=True, reason=INHERITED_MARKS)
@pytest.mark.parametrize("plan", _with_apart_marks(), ids=[plan.id for plan in _with_apart_marks()])
def test_libreoffice_gives_back_combining_marks_on_their_letters(build: Build,
                                                                 readback: Callable[[Plan, str], Readback],
                                                                 plan: Plan) -> None:
    missing = _missing_lines(build, plan, readback(plan, "docx").text, only=_apart_marks,
                             fold=_no_break_hyphen_as_hyphen)
    assert not missing, "\n".join(missing[:40])


def _rtl_marks_known(plan: Plan, format_name: str) -> str | None:
    """Chromium's printout of the Arabic document gives every mark back in place; the rest do not."""
    return None if (plan.id, format_name) == ("conformance-arab", "html") and not ONLY else RTL_MARKS


def _right_to_left_plans() -> tuple[Plan, ...]:
    return tuple(plan for plan in PLANS if any(_rtl(line) and not _cascading(line) for line in plan.lines))


@pytest.mark.parametrize(("plan", "format_name"),
                         _params(_right_to_left_plans(), known=_rtl_marks_known))
def test_right_to_left_words_come_back_with_their_marks(build: Build, readback: Callable[[Plan, str], Readback],
                                                       plan: Plan, format_name: str) -> None:
    missing = _missing_lines(build, plan, readback(plan, format_name).text, marks=True, only=_rtl)
    assert not missing, "\n".join(missing[:40])


def _nastaliq_plans() -> tuple[Plan, ...]:
    return tuple(plan for plan in PLANS if any(map(_cascading, plan.lines)))


@pytest.mark.parametrize(("plan", "format_name"),
                         _params(_nastaliq_plans(), known=lambda plan, format_name: NASTALIQ))
def test_nastaliq_comes_back(readback: Callable[[Plan, str], Readback], plan: Plan, format_name: str) -> None:
    letters = _flat(_without_marks(readback(plan, format_name).text))
    missing = [word for line in plan.lines if _cascading(line) for word in line.words
               if _flat(_without_marks(word)) and _flat(_without_marks(word)) not in letters]
    assert not missing, missing[:40]


# -- fonts and language tags -----------------------------------------------------------------------


def _face_name(name: str) -> str:
    """A font's name as compared: no subset prefix, no punctuation, no "Regular" (WeasyPrint writes
    "Noto-Serif-CJK-JP", LibreOffice and Chromium "NotoSerifCJKjp-Regular")."""
    bare = re.sub(r"[^a-z0-9]", "", re.sub(r"^[A-Z]{6}\+", "", name).lower())
    return bare.removesuffix("regular")


@pytest.mark.parametrize(("plan", "format_name"), _params(PLANS))
def test_each_language_is_set_in_its_own_face(readback: Callable[[Plan, str], Readback], plan: Plan,
                                             format_name: str) -> None:
    """The face the language's stack gives its letters draws: Japanese in the JP face, Urdu in
    Nastaliq, Chinese and Cantonese in the SC face, every script in its own."""
    fonts = _fonts()
    drawn = {_face_name(glyph.font) for glyph in readback(plan, format_name).glyphs.drawn}
    wanted: dict[str, set[str]] = defaultdict(set)
    for line in plan.lines:
        if line.kind != "main" or unicodedata.category(_first_letter(line))[0] != "L":
            continue
        family = fonts.resolve("serif", parse_language(line.language), _first_letter(line))
        if family is not None:
            wanted[_face_name(family.name)].add(line.language)
    missing = {name: sorted(tags) for name, tags in wanted.items() if name not in drawn}
    assert not missing, f"faces not drawing: {missing}; drawing: {sorted(drawn)}"


class _Tagged(HTMLParser):
    """The text of each element with the language it is in (the nearest ``lang``)."""

    VOID = frozenset({"meta", "link", "br", "hr", "img", "input", "wbr", "source"})

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str | None] = []
        self.texts: dict[str, set[str | None]] = defaultdict(set)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in self.VOID:
            self.stack.append(dict(attrs).get("lang") or (self.stack[-1] if self.stack else None))

    def handle_endtag(self, tag: str) -> None:
        if tag not in self.VOID and self.stack:
            self.stack.pop()

    def handle_data(self, data: str) -> None:
        if data.strip():
            self.texts[unicodedata.normalize("NFC", data.strip())].add(self.stack[-1] if self.stack else None)


W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _docx_languages(path: Path) -> dict[str, set[str | None]]:
    """Each paragraph's text with the languages its runs carry (``w:lang``, any attribute; the
    document default for a run without one)."""
    with ZipFile(path) as package:
        document = etree.fromstring(package.read("word/document.xml"))
        styles = etree.fromstring(package.read("word/styles.xml"))
    default = styles.find(f"{{{W}}}docDefaults/{{{W}}}rPrDefault/{{{W}}}rPr/{{{W}}}lang")
    found: dict[str, set[str | None]] = defaultdict(set)
    for paragraph in document.iter(f"{{{W}}}p"):
        runs = list(paragraph.iter(f"{{{W}}}r"))
        text = unicodedata.normalize("NFC", "".join(t.text or "" for r in runs for t in r.iter(f"{{{W}}}t")))
        for run in runs:
            if not "".join(t.text or "" for t in run.iter(f"{{{W}}}t")).strip():
                continue
            own = run.find(f"{{{W}}}rPr/{{{W}}}lang")
            lang = own if own is not None else default
            found[text.strip()] |= {lang.get(f"{{{W}}}{a}") for a in ("val", "eastAsia", "bidi")} - {None}
    return found


def _pdf_languages(path: Path) -> Counter[str]:
    from pypdf import PdfReader

    found: Counter[str] = Counter()
    stack = [PdfReader(path).trailer["/Root"]["/StructTreeRoot"].get_object()]
    while stack:
        node = stack.pop()
        if "/Lang" in node:
            found[str(node["/Lang"])] += 1
        kids = node.get("/K", [])
        for kid in kids if isinstance(kids, list) else [kids]:
            kid = kid.get_object() if hasattr(kid, "get_object") else kid
            if isinstance(kid, dict):
                stack.append(kid)
    return found


@pytest.mark.parametrize(("plan", "format_name"), _params(PLANS))
def test_every_line_is_tagged_with_its_language(build: Build, plan: Plan, format_name: str) -> None:
    """HTML: the ``lang`` of each name's element; DOCX: the ``w:lang`` of its runs; PDF: the
    ``/Lang`` of the structure elements (a language per name in another language)."""
    path = build.edition(plan, format_name)
    if format_name == "pdf":
        tagged = _pdf_languages(path)
        others = {line.language for line in plan.lines} - {plan.edition}
        assert others <= set(tagged), others - set(tagged)
        return
    if format_name == "html":
        parser = _Tagged()
        parser.feed(path.read_text(encoding="utf-8"))
        languages = parser.texts
    else:
        languages = _docx_languages(path)
    wrong = []
    # Compared without spaces (French sets a narrow no-break space before ! and ?), and in a list,
    # not a dict: two languages' punctuation lines can print alike once the quotation marks are
    # folded, and each must still find its own element.
    shown_as_written = [("".join(_quotes_as_one(shown).split()), langs) for shown, langs in languages.items()]
    for line in plan.lines:
        text = "".join(_quotes_as_one(unicodedata.normalize("NFC", line.text)).split())
        carriers = [langs for shown, langs in shown_as_written if text in shown]
        if not carriers or not any(line.language in langs for langs in carriers):
            wrong.append(f"{line.language}: {line.text} ({carriers})")
    assert not wrong, "\n".join(wrong[:30])
