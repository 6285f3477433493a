"""DOCX editions in complex scripts as Word and LibreOffice set them (issue 11, part 5).

Arabic letters that join, Devanagari clusters, Thai: no letter-spacing may pull them apart and no
face their family lacks may be faked (Word and LibreOffice slant a face that has no italic; the
PDF never does), whatever style a layout's template letter-spaces or italicises; list numbers
count in the edition's digits as far as Word and LibreOffice can; a place name or a page label
of the other direction keeps its place in a right-to-left line.

The fast tests read the XML back: every run's properties are resolved through its character
style, its paragraph style and the document defaults with the style resolution the font
embedding uses (:class:`typeset.render.docx_fonts.Styles`). The slow ones have LibreOffice lay
editions out on a machine with no font but DejaVu (the DOCX's embedded fonts draw everything
else) and read back the glyphs it drew (:func:`tests.pdfcheck.drawn_glyphs`): which glyph of
the original font each is, where it stands and whether it was slanted. Its text layer alone
would not tell: LibreOffice maps an Arabic-Indic digit it drew for "1" back to "1", and the
letters of a letter-spaced word keep their joining forms, only set apart.
"""

from __future__ import annotations

import functools
import shutil
import unicodedata
from collections import Counter
from dataclasses import replace
from io import BytesIO
from itertools import pairwise
from pathlib import Path
from zipfile import ZipFile

import pytest
import uharfbuzz as hb
from docx.oxml.ns import qn
from fontTools import unicodedata as ucd
from lxml import etree

from tests.conftest import REPO
from tests.docxcheck import embedded_fonts
from tests.libreoffice import libreoffice_convert
from tests.pdfcheck import DrawnGlyph, _installed, _installed_fonts, assert_print_ready, drawn_glyphs
from tests.support import BUILD_TIME, many_scripts
from typeset.fonts import load_fonts
from typeset.layout import load_layout
from typeset.model import make_edition, parse_language
from typeset.model.document import Div, Paragraph, Text
from typeset.model.edition import Edition, EditionGroup
from typeset.model.localize import digits, format_date, punctuation, to_digits
from typeset.model.scripts import COMPLEX
from typeset.render import RenderContext, _ooxml
from typeset.render.docx import render
from typeset.render.docx_fonts import Styles, _properties
from typeset.source import load_document
from typeset.world import World

FONTS = load_fonts(World([]))
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W}
LRM, RLM = "\u200e", "\u200f"
EXAMPLE = REPO / "examples" / "extreme-heat-2024"


@pytest.fixture(scope="module")
def context() -> RenderContext:
    layout = load_layout("resolution", World([]))
    return RenderContext(layout, FONTS, World([layout.root, REPO / "examples"]), BUILD_TIME)


@pytest.fixture(scope="module")
def xml_only(context: RenderContext) -> RenderContext:
    """The context without embedded fonts, for the tests that read the XML alone (faster)."""
    return replace(context, options=context.options.replace(docx_embed_fonts=False))


def example(tag: str) -> Edition:
    document = load_document(EXAMPLE, World([])).document
    assert document is not None
    return make_edition(document, tag)


def hebrew(place: str | None = None) -> Edition:
    """A Hebrew edition (Latin digits, right to left) of the many-scripts signatories."""
    language = parse_language("he")
    base = many_scripts("en")
    return replace(base, language=language, title="הצהרה משותפת", organisation="הסתדרות העובדים",
                   date_text=format_date(base.date, language), place=place, numerals="latn",
                   punctuation=punctuation(language),
                   body=(Paragraph((Text("אנו, החתומים מטה, דורשים הגנה מפני חום קיצוני."),)),),
                   slogans=(Paragraph((Text("הגנה מפני החום היא זכות!"),)),))


def thirty(tag: str, numerals: str | None = None) -> Edition:
    """The many-scripts edition with 28 signatories and a group of two that continues their
    count: 29 and 30."""
    base = many_scripts(tag, numerals)
    entries = [replace(entry, id=f"s{index}", number=index + 1) for index, entry in
               enumerate(entry for _ in range(2) for entry in base.entries)][:30]
    return replace(base, groups=(
        EditionGroup("signatories", base.groups[0].heading, "restart", 1, 1, tuple(entries[:28])),
        EditionGroup("later", base.title, "continue", 1, 29, tuple(entries[28:]))))


# -- reading the XML back -----------------------------------------------------------------------


def part(data: bytes, name: str) -> etree._Element:
    with ZipFile(BytesIO(data)) as package:
        return etree.fromstring(package.read(name))


def text_parts(data: bytes) -> list[etree._Element]:
    with ZipFile(BytesIO(data)) as package:
        names = [n for n in package.namelist() if n == "word/document.xml"
                 or n.startswith(("word/footer", "word/header")) and n.endswith(".xml")]
        return [etree.fromstring(package.read(n)) for n in sorted(names, key=lambda n: n != "word/document.xml")]


def text_of(element: etree._Element) -> str:
    return "".join(t.text or "" for t in element.iter(qn("w:t")))


def style_of(element: etree._Element, path: str) -> str | None:
    found = element.find(path, NS)
    return found.get(qn("w:val")) if found is not None else None


def runs(data: bytes) -> list[tuple[str, dict[str, object]]]:
    """Every run of the body, footers and headers: its text and its properties as Word resolves
    them (direct formatting over the character style over the paragraph style over the
    defaults)."""
    styles = Styles(part(data, "word/styles.xml"))
    found = []
    for root in text_parts(data):
        for p in root.iter(qn("w:p")):
            paragraph_style = style_of(p, "w:pPr/w:pStyle")
            for r in p.iter(qn("w:r")):
                rpr = r.find("w:rPr", NS)
                found.append((text_of(r), styles.merged(paragraph_style, style_of(r, "w:rPr/w:rStyle"),
                                                        _properties(rpr))))
    return found


def joins(script: str) -> bool:
    """Whether a script's letters join or form clusters: the complex scripts, every
    right-to-left one, and Ethiopic and Mongolian, which LibreOffice sets as complex."""
    return script in COMPLEX or ucd.script_horizontal_direction(script, "LTR") == "RTL" or script in ("Ethi", "Mong")


def has_face(family: object, kind: str) -> bool:
    try:
        faces = FONTS.family(str(family)).faces
    except KeyError:
        return True  # not a bundled family: the reader's machine may have the face
    return any(face.style == "italic" if kind == "italic" else face.weight >= 600 for face in faces)


def synthetic(text: str, props: dict[str, object]) -> list[str]:
    """What Word or LibreOffice would do to the complex-script letters of a run that no face of
    their family does: letter-space them, slant or embolden them."""
    scripts = {ucd.script(c) for c in text} - {"Zyyy", "Zinh", "Zzzz"}
    if not any(joins(script) for script in scripts):
        return []
    problems = []
    if props.get("spacing"):
        problems.append(f"letter-spaced {props['spacing']}")
    # The complex toggles format the letters; LibreOffice sets the digits and punctuation of the
    # run with the Latin ones, Word and LibreOffice set Ethiopic with the Latin ones too.
    for toggle, kind in (("iCs", "italic"), ("i", "italic"), ("bCs", "bold"), ("b", "bold")):
        if props.get(f"{toggle}?") and not has_face(props.get("cs"), kind):
            problems.append(f"{toggle} on, {props.get('cs')} has no {kind} face")
    return problems


def complex_problems(data: bytes) -> list[str]:
    return [f"{text!r}: {problem}" for text, props in runs(data) for problem in synthetic(text, props)]


def hostile(context: RenderContext, folder: Path) -> RenderContext:
    """The layout's template with every paragraph and character style letter-spaced by 2 pt,
    bold and italic, as a user's own template may be."""
    source = context.layout.path(context.layout.docx_template)
    out = BytesIO()
    with ZipFile(source) as old, ZipFile(out, "w") as new:
        for info in old.infolist():
            data = old.read(info.filename)
            if info.filename == "word/styles.xml":
                styles = etree.fromstring(data)
                for style_id in _ooxml.style_ids(styles):
                    rpr = _ooxml.style_rpr(styles, style_id)
                    _ooxml.letter_spacing(rpr, 40)
                    for toggle in ("b", "bCs", "i", "iCs"):
                        _ooxml.toggles_off(rpr, [toggle])
                        rpr.find(qn(f"w:{toggle}")).attrib.pop(qn("w:val"))
                data = etree.tostring(styles, xml_declaration=True, encoding="UTF-8", standalone=True)
            new.writestr(info, data)
    (folder / "reference.docx").write_bytes(out.getvalue())
    return replace(context, layout=replace(context.layout, root=folder), world=World([folder, REPO / "examples"]))


# -- no letter-spacing, no synthetic faces ------------------------------------------------------------


EDITIONS = {
    **{f"many-scripts.{tag}": (lambda tag=tag: many_scripts(tag))
       for tag in ("ar", "fa", "ur", "hi", "bn", "th", "en")},
    **{f"extreme-heat-2024.{tag}": (lambda tag=tag: example(tag)) for tag in ("ar", "fa", "hi", "bn")},
    "hebrew": lambda: hebrew("Tel Aviv"),
}


@pytest.mark.parametrize("name", sorted(EDITIONS))
def test_complex_script_runs_are_neither_letter_spaced_nor_faked(xml_only: RenderContext, name: str) -> None:
    data = render(EDITIONS[name](), xml_only)
    assert not complex_problems(data)


@pytest.mark.parametrize("tag", ["ar", "hi", "th", "en"])
def test_whatever_styles_a_template_letter_spaces_or_italicises(xml_only: RenderContext, tmp_path: Path,
                                                                  tag: str) -> None:
    data = render(many_scripts(tag), hostile(xml_only, tmp_path))
    assert not complex_problems(data)
    # The template's italic still reaches the text it suits: Latin names and abbreviations, in
    # the italic face Noto Serif has; its letter-spacing too, in an edition of a script the PDF
    # tracks (an Arabic, Hindi or Thai edition tracks nothing, as its PDF).
    latin = [props for text, props in runs(data) if "MLPD" in text or "Marxistisch" in text]
    assert latin and all(props.get("i?") and props.get("spacing", 0) == (40 if tag == "en" else 0)
                         for props in latin), latin


def test_a_latin_edition_keeps_its_tracked_and_italic_styles(xml_only: RenderContext) -> None:
    german = load_german()
    by_text: dict[str, dict[str, object]] = {}
    for text, props in runs(render(german, xml_only)):  # the body's run, not the running head's
        by_text.setdefault(text, props)
    assert by_text["ICOR"].get("spacing") == 30, "the Organisation style letter-spaces Latin text"
    assert by_text[german.date_text].get("i?"), "the Date Line style slants it"


def load_german() -> Edition:
    document = load_document(REPO / "examples" / "icor-2017", World([])).document
    assert document is not None
    return make_edition(document, "de")


def test_the_styles_of_a_complex_edition_neither_track_nor_slant(xml_only: RenderContext) -> None:
    """What a translator types into the Arabic edition is set right too: its styles neither
    letter-space nor slant complex-script text (Noto Naskh Arabic has no italic), and the
    English edition's styles still letter-space and slant Latin text."""
    for tag, tracked in (("ar", False), ("en", True)):
        styles = part(render(many_scripts(tag), xml_only), "word/styles.xml")
        chains = Styles(styles)
        for style_id in _ooxml.style_ids(styles):
            props = {**chains.defaults, **chains.chain(style_id)}
            assert not props.get("iCs?") or has_face(props.get("cs"), "italic"), (tag, style_id)
            if not tracked:
                assert not props.get("spacing"), (tag, style_id)
        assert bool(chains.chain("Organisation").get("spacing")) is tracked, tag
        assert chains.chain("Subtitle").get("i?"), "Latin text keeps its italic"


# -- alignment ------------------------------------------------------------------------------------------


BODY_STYLES = ("BodyText", "ListBullet", "ListNumber", "Quote")


def alignments(data: bytes) -> list[tuple[str, str | None, str]]:
    """Every body paragraph of a justified style in the template (Body Text, the lists, Quote):
    its style, its alignment as Word resolves it (its own ``w:jc`` over its style's, through
    the styles it is based on) and its text."""
    styles = part(data, "word/styles.xml")
    found = []
    for p in part(data, "word/document.xml").iter(qn("w:p")):
        style = style_of(p, "w:pPr/w:pStyle")
        if style in BODY_STYLES:
            own = style_of(p, "w:pPr/w:jc")
            found.append((style, own or _ooxml.style_justification(styles, style), text_of(p)))
    return found


def with_div(edition: Edition, tag: str, text: str) -> Edition:
    """The edition with a paragraph in another language (``::: {lang=…}``) after its first."""
    div = Div((Paragraph((Text(text),)),), parse_language(tag))
    return replace(edition, body=(edition.body[0], div, *edition.body[1:]))


def arabic(text: str) -> bool:
    """Whether a text's first letter is in Arabic script (a quotation mark may come first)."""
    return ucd.script(next(c for c in text if c.isalpha())) == "Arab"


ENGLISH_PARAGRAPH = "Summer after summer, temperatures are breaking records across South Asia and the Middle East."


@pytest.mark.parametrize("tag", ["fa", "ar"])
def test_arabic_script_editions_are_aligned_at_the_start_not_justified(xml_only: RenderContext, tag: str) -> None:
    """As the PDF, which sets Arabic script ragged (the layout's ``justify_arabic_script =
    false``): in Word and LibreOffice a justified Arabic line is filled with kashida. Every body
    paragraph of the Persian and Arabic editions is aligned at its start (``left``, the right
    edge of a ``w:bidi`` paragraph), and so is what a translator types in their Body Text; an
    English div among them stays justified."""
    data = render(with_div(example(tag), "en", ENGLISH_PARAGRAPH), xml_only)
    found = alignments(data)
    own = [(style, jc) for style, jc, text in found if text != ENGLISH_PARAGRAPH]
    assert len(own) >= 8 and {style for style, _ in own} >= {"BodyText", "ListBullet"}, own
    assert {jc for _, jc in own} == {"left"}, own
    assert [jc for _, jc, text in found if text == ENGLISH_PARAGRAPH] == ["both"]
    styles = part(data, "word/styles.xml")
    assert not [s for s in _ooxml.style_ids(styles, ("paragraph",))
                if _ooxml.justified(_ooxml.style_justification(styles, s))], "a style still justifies"


@pytest.mark.parametrize("tag", ["th", "km", "lo", "my"])
def test_scripts_without_word_spaces_are_ragged_whatever_the_layout(xml_only: RenderContext, tag: str) -> None:
    """Thai, Khmer, Lao and Burmese have spaces only between phrases: a justified line would put
    all its slack into the one or two there. The PDF never justifies them; nor does the DOCX, even
    in a layout that justifies Arabic script."""
    document = load_document(REPO / "tests" / "data" / "linebreaks", World([])).document
    assert document is not None
    layout = replace(xml_only.layout, options={**xml_only.layout.options, "justify_arabic_script": True})
    data = render(make_edition(document, tag), replace(xml_only, layout=layout))
    found = alignments(data)
    assert len(found) >= 3 and {jc for _, jc, _ in found} == {"left"}, found
    styles = part(data, "word/styles.xml")
    assert not [s for s in _ooxml.style_ids(styles, ("paragraph",))
                if _ooxml.justified(_ooxml.style_justification(styles, s))], "a style still justifies"


def test_latin_editions_and_a_layout_that_justifies_arabic_stay_justified(xml_only: RenderContext) -> None:
    """The English edition's body is justified, its Persian divs aligned at their start; with
    ``justify_arabic_script = true`` the Persian edition is justified as its template says."""
    persian = example("fa").body[0]
    assert isinstance(persian, Paragraph)
    english = render(replace(example("en"), body=(Div((persian,), parse_language("fa")), *example("en").body)),
                     xml_only)
    found = [(jc, arabic(text)) for _, jc, text in alignments(english)]
    assert found[0] == ("left", True) and len(found) >= 10, found
    assert {jc for jc, persian in found if persian} == {"left"} and {jc for jc, persian in found if not persian} \
        == {"both"}, found
    layout = replace(xml_only.layout, options={**xml_only.layout.options, "justify_arabic_script": True})
    justified = alignments(render(example("fa"), replace(xml_only, layout=layout)))
    assert len(justified) >= 8 and {jc for _, jc, _ in justified} == {"both"}, justified


# -- isolation ------------------------------------------------------------------------------------------


def paragraph_reading(data: bytes, style: str) -> str:
    document = part(data, "word/document.xml")
    return next(text_of(p) for p in document.iter(qn("w:p")) if style_of(p, "w:pPr/w:pStyle") == style)


def test_a_place_of_the_other_direction_stands_apart_from_the_date(xml_only: RenderContext) -> None:
    persian = replace(example("fa"), place="Geneva")
    assert paragraph_reading(render(persian, xml_only), "DateLine") == f"{RLM}Geneva{RLM}\u060c {persian.date_text}"
    english = replace(example("en"), place="القاهرة")
    assert paragraph_reading(render(english, xml_only), "DateLine") == f"{LRM}القاهرة{LRM}, {english.date_text}"


def test_left_to_right_editions_and_places_of_their_own_direction_are_unchanged(xml_only: RenderContext) -> None:
    for edition in (example("en"), example("ar"), hebrew("תל אביב")):
        document = part(render(edition, xml_only), "word/document.xml")
        line = next(p for p in document.iter(qn("w:p")) if style_of(p, "w:pPr/w:pStyle") == "DateLine")
        assert text_of(line) == f"{edition.place}{edition.punctuation.comma}{edition.date_text}", "no marks"


def test_a_page_label_of_the_other_direction_keeps_its_numbers(xml_only: RenderContext) -> None:
    """Central Kurdish has no words in the layout: its right-to-left footer says "Page 1 of 1" in
    English, and each Arabic-Indic number stands between left-to-right marks, the label between
    right-to-left ones; the Arabic label needs none."""
    kurdish = replace(many_scripts("ar"), language=parse_language("ckb"), numerals="arab")
    footer = part(render(kurdish, xml_only), "word/footer1.xml")
    one = to_digits("1", "arab")
    assert text_of(footer).endswith(f"{RLM}Page {LRM}{one}{LRM} of {LRM}{one}{LRM}{RLM}")
    assert [i.text.strip() for i in footer.iter(qn("w:instrText"))] == ["PAGE", "NUMPAGES"]
    assert text_of(part(render(many_scripts("ar"), xml_only), "word/footer1.xml")).endswith(f"الصفحة {one} من {one}")


# -- numbers -------------------------------------------------------------------------------------------


def level(data: bytes, name: str) -> etree._Element:
    numbering = part(data, "word/numbering.xml")
    (found,) = numbering.xpath(f"w:abstractNum[w:name/@w:val='{name}']/w:lvl[@w:ilvl='0']", namespaces=NS)
    return found


@pytest.mark.parametrize(("tag", "numerals", "digit_family"), [
    ("ar", "arab", "Noto Naskh Arabic"),
    ("fa", "arabext", "Noto Naskh Arabic"),
    ("ur", "arabext", "Noto Nastaliq Urdu"),
    ("hi", "deva", "Noto Serif Devanagari"),
    ("bn", "beng", "Noto Serif Bengali"),
    ("th", "thai", "Noto Serif Thai"),
])
def test_numbers_and_the_faces_that_draw_their_digits(context: RenderContext, tag: str, numerals: str,
                                                      digit_family: str) -> None:
    """No number format gives these digits in both Word and LibreOffice: the labels are text in
    the edition's digits, set in a face that has them (the complex-script one of the run), and
    the embedded face has all ten."""
    data = render(many_scripts(tag, numerals), context)
    document = part(data, "word/document.xml")
    labels = [p for p in document.iter(qn("w:p")) if p.find("w:pPr/w:pStyle[@w:val='Signatory']", NS) is not None]
    shown = "".join("\t" if e.tag == qn("w:tab") else e.text or ""
                        for e in labels[0].xpath(".//w:r/w:t | .//w:r/w:tab", namespaces=NS))
    assert shown.startswith(f"\t{to_digits('1', numerals)}.\t")
    first = labels[0].find("w:r", NS)
    assert first.find("w:rPr/w:rFonts", NS).get(qn("w:cs")) in (digit_family, None)
    faces = [font for font in embedded_fonts(data) if font.family == digit_family and font.kind == "Regular"]
    assert faces, [(font.family, font.kind) for font in embedded_fonts(data)]
    cmap = faces[0].font.getBestCmap()
    assert all(ord(char) in cmap for char in digits(numerals)), f"{digit_family} lacks some of {digits(numerals)}"


# -- LibreOffice lays them out --------------------------------------------------------------------------


def lines(glyphs: list[DrawnGlyph], page: int) -> list[list[DrawnGlyph]]:
    """The glyphs of a page by baseline, top to bottom, each line left to right."""
    rows: dict[float, list[DrawnGlyph]] = {}
    for glyph in (g for g in glyphs if g.page == page):
        row = next((y for y in rows if abs(y - glyph.y) <= 1.5), glyph.y)
        rows.setdefault(row, []).append(glyph)
    return [sorted(rows[y], key=lambda g: g.x) for y in sorted(rows, reverse=True)]


def shaped(text: str, font_file: Path, language: str) -> Counter[str]:
    """The glyphs HarfBuzz sets ``text`` with (what LibreOffice shapes with too), blanks aside."""
    blob = hb.Blob.from_file_path(str(font_file))
    font = hb.Font(hb.Face(blob))
    buffer = hb.Buffer()
    buffer.add_str(text)
    buffer.guess_segment_properties()
    buffer.language = language
    hb.shape(font, buffer)
    original = _installed(font_file.stem)
    assert original is not None
    names = [font.glyph_to_string(info.codepoint) for info in buffer.glyph_infos]
    return Counter(name for name in names if original.outline(name))


@pytest.fixture(scope="module")
def laid_out(context: RenderContext, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """LibreOffice's PDFs (default options, DejaVu the only font installed) of the Arabic and
    Persian example editions, of Persian with a Latin place and of Hebrew with a Latin place."""
    if not shutil.which("soffice"):
        pytest.skip("needs LibreOffice (soffice)")
    folder = tmp_path_factory.mktemp("complex")
    editions = {"ar": example("ar"), "fa": example("fa"), "fa-geneva": replace(example("fa"), place="Geneva"),
                "he-tel-aviv": hebrew("Tel Aviv")}
    files = []
    for name, edition in editions.items():
        path = folder / f"{name}.docx"
        path.write_bytes(render(edition, context))
        files.append(path)
    return dict(zip(editions, libreoffice_convert(files, folder / "pdf"), strict=True))


@pytest.mark.slow
@pytest.mark.parametrize("tag", ["ar", "fa"])
def test_libreoffice_joins_the_letters_of_the_organisation_line(laid_out: dict[str, Path], tag: str) -> None:
    """The Organisation style letter-spaces Latin capitals; in an Arabic-script edition the
    letters stay joined: LibreOffice draws the contextual forms HarfBuzz gives the line, and
    each glyph of a word touches the next (letter-spaced, they kept their forms but stood
    1.5 pt apart)."""
    glyphs = drawn_glyphs(laid_out[tag])
    organisation = lines(glyphs, 1)[0]
    drawn = [g for g in organisation if g.text.strip()]
    assert {g.font for g in drawn} == {"NotoNaskhArabic-Bold"}, {g.font for g in drawn}
    expected = shaped(example(tag).organisation, REPO / "fonts" / "noto-naskh-arabic" / "NotoNaskhArabic-Bold.ttf",
                      tag)
    unmatched = []
    for glyph in drawn:
        name = next((n for n in sorted(glyph.names) if expected[n] > 0), None)
        if name is None:
            unmatched.append(glyph.name or glyph.text)
        else:
            expected[name] -= 1
    assert not unmatched and not +expected, (unmatched, +expected)
    assert any(name.endswith((".init", ".medi", ".fina")) or name.startswith("uniFE") for g in drawn
               for name in g.names), "joining forms"
    spaced = [g for g in organisation if g.width > 0]  # marks (the hamza above of ۀ) take no room
    gaps = [round(b.x - (a.x + a.width), 2) for a, b in pairwise(spaced) if a.text.strip() and b.text.strip()]
    assert max(gaps) < 0.3, gaps


@pytest.mark.slow
@pytest.mark.parametrize("tag", ["ar", "fa"])
def test_libreoffice_sets_arabic_script_ragged(laid_out: dict[str, Path], tag: str) -> None:
    """The body's lines on page 1 begin at the right margin and end where their last word does,
    as in the PDF: justified, LibreOffice widened them to the left margin, every line but a
    paragraph's last."""
    rows = [[g for g in row if g.width > 0 and g.text.strip()] for row in lines(drawn_glyphs(laid_out[tag]), 1)]
    edges = [(min(g.x for g in row), max(g.x + g.width for g in row)) for row in rows
             if len(row) > 20 and any(ucd.script(c) == "Arab" for g in row for c in g.text)]
    right = max(end for _, end in edges)
    left = min(start for start, _ in edges)
    full = [start for start, end in edges if abs(end - right) < 1 and end - start > (right - left) / 2]
    assert len(full) >= 12, edges  # the lines that begin at the right margin: most of the page
    flush = [start for start in full if start - left < 1]
    assert len(flush) <= 2 and max(full) - min(full) > 10, (flush, full)


@pytest.mark.slow
@pytest.mark.parametrize("tag", ["ar", "fa"])
def test_libreoffice_sets_complex_text_upright(laid_out: dict[str, Path], tag: str) -> None:
    """The Subtitle and Date Line styles are italic: Arabic-script text in them is not slanted
    (Noto Naskh Arabic has no italic face)."""
    glyphs = [g for g in drawn_glyphs(laid_out[tag]) if g.page == 1]
    arabic = [g for g in glyphs if any(ucd.script(c) == "Arab" for c in g.text)]
    assert arabic and not [g.text for g in arabic if g.slanted]
    subtitle = example(tag).subtitle
    assert subtitle and any(g.text in subtitle for g in arabic)


@pytest.mark.slow
@pytest.mark.parametrize(("name", "place"), [("fa-geneva", "Geneva"), ("he-tel-aviv", "Tel Aviv")])
def test_libreoffice_keeps_a_latin_place_apart_from_the_date(laid_out: dict[str, Path], name: str,
                                                            place: str) -> None:
    """Right to left, the date line reads place, comma, day, month, year: every letter of the
    Latin place stands right of every digit (run together, the day joined the place)."""
    line = next(row for row in lines(drawn_glyphs(laid_out[name]), 1) if any(g.text == place[0] for g in row))
    latin = [g.x for g in line if g.text.isascii() and g.text.isalpha()]
    numbers = [g.x for g in line if unicodedata.category(g.text[:1]) == "Nd"]
    assert len(latin) == len(place.replace(" ", "")) and numbers
    assert min(latin) > max(numbers), "".join(g.text for g in line)


@pytest.mark.slow
@pytest.mark.parametrize("name", ["ar", "fa", "he-tel-aviv"])
def test_libreoffice_reads_the_footer_right_to_left(laid_out: dict[str, Path], name: str) -> None:
    """Read from the right, the footer of page 1 is the page label (LibreOffice shows the page
    fields in ASCII digits)."""
    pdf = laid_out[name]
    glyphs = drawn_glyphs(pdf)
    pages = max(g.page for g in glyphs)
    footer = lines(glyphs, 1)[-1]
    read = "".join(g.text for g in sorted(footer, key=lambda g: -g.x) if g.width > 0)  # marks aside
    language = parse_language("he" if name.startswith("he") else name)
    label = load_layout("resolution", World([])).message("page", language).format(page="1", pages=str(pages))
    printed = "".join(c for c in label if not c.isspace() and unicodedata.category(c) != "Mn")
    assert read.replace(" ", "").endswith(printed), read  # after "{organisation} · {date}"


# -- numbers in LibreOffice ---------------------------------------------------------------------------


NUMBERED = {"ar": ("ar", None), "fa": ("fa", None), "hi": ("hi", "deva"), "bn": ("bn", None)}


@functools.cache
def digit_glyphs(ps_name: str, language: str, numerals: str) -> dict[str, str]:
    """Glyph name -> the digit of ``numerals`` HarfBuzz sets with it in the font and language
    (Noto Naskh Arabic sets the Persian six with the Arabic-Indic six's glyph)."""
    path = _installed_fonts().get(ps_name)
    if path is None:
        return {}
    font = hb.Font(hb.Face(hb.Blob.from_file_path(str(path))))
    found = {}
    for char in digits(numerals):
        buffer = hb.Buffer()
        buffer.add_str(char)
        buffer.guess_segment_properties()
        buffer.language = language
        hb.shape(font, buffer)
        found.update((font.glyph_to_string(info.codepoint), char) for info in buffer.glyph_infos)
    return found


def native_labels(pdf: Path, numerals: str, language: str) -> tuple[set[str], list[str]]:
    """The list numbers LibreOffice drew (digits beside a full stop), each as the digits it drew,
    and the ASCII digits among them. An ASCII digit of the text may be drawn as another script's
    (the text layer keeps the "1"; its glyph is the Arabic-Indic one): each glyph counts as the
    digit whose glyph in the original font has its outline."""
    glyphs = drawn_glyphs(pdf)
    found: set[str] = set()
    ascii_drawn: list[str] = []
    ours = digits(numerals)

    def digit(glyph: DrawnGlyph) -> str | None:
        if glyph.text not in tuple("0123456789" + ours):
            return None
        shaped_as = digit_glyphs(glyph.font, language, numerals)
        native = sorted({shaped_as[name] for name in glyph.names if name in shaped_as}
                        | {c for c in glyph.chars if c in ours})
        return native[0] if native else "#" + glyph.text  # "#": drawn as an ASCII digit

    for page in range(1, max(g.page for g in glyphs) + 1):
        for row in lines(glyphs, page):
            shown = [digit(glyph) or ("." if glyph.text == "." else " ") for glyph in row]
            for run in "".join(shown).split():
                number = run.strip(".")
                if number and run != number and "." not in number:  # a label: digits beside a full stop
                    ascii_drawn += [c for previous, c in pairwise("." + number) if previous == "#"]
                    found.add(number.replace("#", ""))
    return found, ascii_drawn


BY_DEFAULT = {**NUMBERED, "th": ("th", "thai")}


@pytest.fixture(scope="module")
def numbered_by_default(context: RenderContext, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """LibreOffice's PDFs of 30 signatories in Arabic, Persian, Hindi with Devanagari digits,
    Bengali and Thai with Thai digits, its options as installed, DejaVu the only font of the
    machine: the labels are drawn from the fonts the documents embed."""
    if not shutil.which("soffice"):
        pytest.skip("needs LibreOffice (soffice)")
    folder = tmp_path_factory.mktemp("numbers-by-default")
    files = []
    for name, (tag, numerals) in BY_DEFAULT.items():
        path = folder / f"{name}.docx"
        path.write_bytes(render(thirty(tag, numerals), context))
        files.append(path)
    return dict(zip(BY_DEFAULT, libreoffice_convert(files, folder / "pdf"), strict=True))


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(BY_DEFAULT))
def test_libreoffice_counts_in_the_editions_digits_by_default(numbered_by_default: dict[str, Path],
                                                              name: str) -> None:
    """The labels are text in the edition's digits: LibreOffice shows them so whatever its numerals
    option, in the embedded face that has them, with no box and no broken cluster."""
    tag, numerals = BY_DEFAULT[name]
    system = numerals or many_scripts(tag).numerals
    pdf = numbered_by_default[name]
    assert_print_ready(pdf)
    found, ascii_drawn = native_labels(pdf, system, tag)
    assert not ascii_drawn, ascii_drawn
    wanted = {to_digits(str(n), system) for n in range(1, 31)}
    assert wanted <= found, sorted(wanted - found)
