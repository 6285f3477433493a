"""DOCX editions in every script: Word's four font slots, languages, right to left, numerals.

An edition with names in many scripts is rendered in several languages and read back with lxml:
each script run must resolve, slot by slot (the run's own ``w:rFonts``, else its character
style, its paragraph style and the document defaults), to the bundled family of its script and
language, carry its language in the right ``w:lang`` attribute and its direction. The slow
test has LibreOffice lay out every language of every example (and these editions) with the
bundled fonts and checks the PDFs for missing glyphs and for every name.
"""

from __future__ import annotations

import shutil
import unicodedata
from dataclasses import replace
from pathlib import Path

import pytest
from docx.oxml.ns import qn
from fontTools import unicodedata as ucd
from lxml import etree

from tests.conftest import QUOTES
from tests.docxcheck import Fonts, part
from tests.libreoffice import libreoffice_convert
from tests.pdfcheck import assert_print_ready, text
from tests.support import BUILD_TIME, NAMES, TEXTS, many_scripts
from typeset.fonts import load_fonts
from typeset.layout import load_layout
from typeset.model import make_edition, parse_language
from typeset.model.document import Phrase
from typeset.model.edition import Edition
from typeset.model.localize import to_digits
from typeset.model.scripts import scripts_of
from typeset.render import RenderContext, _ooxml
from typeset.render.docx import render
from typeset.source import load_document
from typeset.world import World

REPO = Path(__file__).resolve().parent.parent
FONTS = load_fonts(World([]))
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W}
SLOTS = ("ascii", "hAnsi", "eastAsia", "cs")
BIDI_MARKS = "\u200e\u200f"

RTL_NAMES = {"ar", "fa", "ur", "he"}


@pytest.fixture(scope="module")
def context() -> RenderContext:
    layout = load_layout("resolution", World([]))
    world = World([layout.root])
    return RenderContext(layout, load_fonts(world), world, BUILD_TIME)


@pytest.fixture(scope="module")
def rendered(context: RenderContext):  # type: ignore[no-untyped-def]
    cache: dict[str, bytes] = {}

    def get(tag: str) -> bytes:
        if tag not in cache:
            cache[tag] = render(many_scripts(tag), context)
        return cache[tag]

    return get


# -- reading a document back -----------------------------------------------------------------------


def text_of(element: etree._Element) -> str:
    return "".join(t.text or "" for t in element.iter(qn("w:t")))


def letter_run(data: bytes, wanted: str) -> etree._Element:
    """The run of ``wanted`` that holds its letters: the first, if a character their family lacks
    (a parenthesis in Arabic) splits them, and then every one is formatted alike."""
    runs = [r for r in runs_reading(data, wanted) if any(c.isalpha() for c in text_of(r))]
    assert runs, f"no run reads {wanted!r}"
    looks = {etree.tostring(r.find("w:rPr", NS)) if r.find("w:rPr", NS) is not None else b"" for r in runs}
    assert len(looks) == 1, f"{wanted!r}: its letters are formatted in {len(looks)} ways"
    return runs[0]


def runs_reading(data: bytes, wanted: str) -> list[etree._Element]:
    """The runs of the first paragraph that holds ``wanted``, whose text (bidi marks aside) is in it."""
    for p in part(data, "word/document.xml").iter(qn("w:p")):
        plain = text_of(p).translate({ord(m): None for m in BIDI_MARKS})
        if wanted in plain:
            runs = [r for r in p.iter(qn("w:r")) if text_of(r).strip(BIDI_MARKS + " ")]
            return [r for r in runs if text_of(r).strip(BIDI_MARKS + " ") in wanted]
    raise AssertionError(f"no paragraph reads {wanted!r}")


def level(numbering: etree._Element, name: str, ilvl: int = 0) -> etree._Element:
    """Level ``ilvl`` of the abstract numbering called ``name``."""
    (found,) = numbering.xpath(f"w:abstractNum[w:name/@w:val='{name}']/w:lvl[@w:ilvl='{ilvl}']", namespaces=NS)
    return found


def hint(r: etree._Element) -> str | None:
    fonts = r.find("w:rPr/w:rFonts", NS)
    return fonts.get(qn("w:hint")) if fonts is not None else None


def language(data: bytes, r: etree._Element, attribute: str) -> str | None:
    """The run's language for one ``w:lang`` attribute, else the document's."""
    own = r.find("w:rPr/w:lang", NS)
    if own is not None and own.get(qn(f"w:{attribute}")):
        return own.get(qn(f"w:{attribute}"))
    default = part(data, "word/styles.xml").find("w:docDefaults/w:rPrDefault/w:rPr/w:lang", NS)
    return default.get(qn(f"w:{attribute}"))


# -- fonts: one family per slot, by script and language --------------------------------------------


@pytest.mark.parametrize("edition", ["en", "ar", "ja", "hi"])
@pytest.mark.parametrize(("tag", "name", "slot", "family"), NAMES, ids=[n[0] for n in NAMES])
def test_each_name_has_its_family_in_its_slot(rendered, edition: str, tag: str, name: str, slot: str,
                                              family: str) -> None:  # type: ignore[no-untyped-def]
    data = rendered(edition)
    runs = runs_reading(data, name)
    assert runs and "".join(text_of(r).strip(BIDI_MARKS) for r in runs) == name, "one run per script"
    r = letter_run(data, name)  # kanji and kana, letters and their punctuation: one run
    for other in runs:  # a character the name's family lacks: a run of its own, in a family that has it
        if other is not r:
            own = Fonts(data).of(other)[slot if slot != "latin" else "ascii"]
            assert all(FONTS.covers(own, c) for c in text_of(other).strip(BIDI_MARKS)), (text_of(other), own)
    fonts = Fonts(data).of(r)
    if slot == "latin":
        assert fonts["ascii"] == fonts["hAnsi"] == family
        assert hint(r) is None
    else:
        assert fonts[slot] == family, fonts
        assert hint(r) == slot, "shared punctuation and digits take the script's font"
    if tag == "ja":
        assert fonts["eastAsia"] == "Noto Serif CJK JP"


def test_headings_take_the_sans_role_and_body_text_the_serif(rendered) -> None:  # type: ignore[no-untyped-def]
    data = rendered("ja")
    fonts = Fonts(data)
    heading = runs_reading(data, "ICOR")[0]  # the organisation line, in the sans style
    assert fonts.of(heading)["ascii"] == "Noto Sans"
    title = runs_reading(data, TEXTS["ja"][0])[0]
    assert fonts.of(title)["eastAsia"] == "Noto Serif CJK JP"


def test_edition_defaults_carry_its_families(rendered) -> None:  # type: ignore[no-untyped-def]
    expected = {"ja": ("Noto Serif CJK JP", "Noto Naskh Arabic"), "zh-Hans": ("Noto Serif CJK SC", "Noto Naskh Arabic"),
                "ur": ("Noto Serif CJK SC", "Noto Nastaliq Urdu"), "hi": ("Noto Serif CJK SC", "Noto Serif Devanagari"),
                "bn": ("Noto Serif CJK SC", "Noto Serif Bengali"), "th": ("Noto Serif CJK SC", "Noto Serif Thai"),
                "ar": ("Noto Serif CJK SC", "Noto Naskh Arabic")}
    for tag, (east_asian, complex_script) in expected.items():
        defaults = part(rendered(tag), "word/styles.xml").find("w:docDefaults/w:rPrDefault/w:rPr/w:rFonts", NS)
        assert (defaults.get(qn("w:eastAsia")), defaults.get(qn("w:cs"))) == (east_asian, complex_script), tag
        assert defaults.get(qn("w:ascii")) == "Noto Serif", "Latin text keeps the template's font"


def test_latin_text_gets_no_direct_formatting(rendered) -> None:  # type: ignore[no-untyped-def]
    (r,) = runs_reading(rendered("en"), TEXTS["en"][1])
    assert r.find("w:rPr", NS) is None


def test_bold_is_the_strong_style_and_covers_complex_scripts(rendered) -> None:  # type: ignore[no-untyped-def]
    for tag in ("hi", "ar"):
        data = rendered(tag)
        bold = [r for r in part(data, "word/document.xml").iter(qn("w:r"))
                if text_of(r).strip(BIDI_MARKS) == TEXTS[tag][0] and r.find("w:rPr/w:rStyle", NS) is not None]
        assert bold, tag
        assert bold[0].find("w:rPr/w:rStyle", NS).get(qn("w:val")) == "Strong"
        assert bold[0].find("w:rPr/w:b", NS) is None, "the style makes it bold, not direct formatting"
        strong = part(data, "word/styles.xml").find("w:style[@w:styleId='Strong']/w:rPr", NS)
        assert strong.find("w:b", NS) is not None and strong.find("w:bCs", NS) is not None
        assert hint(bold[0]) == "cs"


# -- languages -------------------------------------------------------------------------------------


def test_every_name_carries_its_language_in_the_attribute_of_its_slot(rendered) -> None:  # type: ignore[no-untyped-def]
    data = rendered("en")
    attribute = {"latin": "val", "eastAsia": "eastAsia", "cs": "bidi"}
    for tag, name, slot, _ in NAMES:
        r = letter_run(data, name)
        assert language(data, r, attribute[slot]) == tag, name
    own = letter_run(data, NAMES[-1][1])
    assert own.find("w:rPr/w:lang", NS) is None, "the edition's language is the document's"


@pytest.mark.parametrize(("tag", "attributes"), [
    ("en", {"val": "en"}), ("ja", {"val": "ja", "eastAsia": "ja"}),
    ("zh-Hans", {"val": "zh-Hans", "eastAsia": "zh-Hans"}),
    ("ar", {"val": "ar", "bidi": "ar"}), ("ur", {"val": "ur", "bidi": "ur"}), ("hi", {"val": "hi", "bidi": "hi"}),
    ("th", {"val": "th", "bidi": "th"}), ("el", {"val": "el"}),
])
def test_the_document_default_language_is_the_editions(rendered, tag: str,
                                                       attributes: dict[str, str]) -> None:  # type: ignore[no-untyped-def]
    lang = part(rendered(tag), "word/styles.xml").find("w:docDefaults/w:rPrDefault/w:rPr/w:lang", NS)
    for name, value in attributes.items():
        assert lang.get(qn(f"w:{name}")) == value


def test_text_in_the_editions_own_language_needs_no_language_mark(rendered) -> None:  # type: ignore[no-untyped-def]
    for tag in ("ja", "ar", "hi"):
        data = rendered(tag)
        for r in runs_reading(data, TEXTS[tag][1]):
            assert r.find("w:rPr/w:lang", NS) is None, tag


# -- right to left -----------------------------------------------------------------------------------


@pytest.mark.parametrize("tag", ["ar", "fa", "ur"])
def test_right_to_left_editions(rendered, tag: str) -> None:  # type: ignore[no-untyped-def]
    data = rendered(tag)
    document = part(data, "word/document.xml")
    paragraphs = document.findall("w:body/w:p", NS)
    assert all(p.find("w:pPr/w:bidi", NS) is not None for p in paragraphs)
    assert document.find("w:body/w:sectPr/w:bidi", NS) is not None
    for name_tag, name, _, _ in NAMES:
        r = letter_run(data, name)
        assert (r.find("w:rPr/w:rtl", NS) is not None) == (name_tag in RTL_NAMES), name
    title = letter_run(data, TEXTS[tag][1])
    assert title.find("w:rPr/w:rtl", NS) is not None
    # A Latin abbreviation and name that end in a parenthesis keep it: a left-to-right mark follows.
    latin = [r for r in document.iter(qn("w:r")) if text_of(r).startswith("CPSA (ML)")]
    assert text_of(latin[0]) == "CPSA (ML)\u200e"
    assert (latin[0].find("w:rPr/w:rtl", NS)) is None
    # Bullets end at the start margin: LibreOffice places labels by lvlJc's visual side. Numbers
    # are text: their end at a tab stop of that alignment, which LibreOffice reads logically.
    numbering = part(data, "word/numbering.xml")
    assert level(numbering, "Bullets").find("w:lvlJc", NS).get(qn("w:val")) == "right"
    first = next(p for p in paragraphs if p.find("w:pPr/w:pStyle[@w:val='Signatory']", NS) is not None)
    assert first.find("w:pPr/w:tabs/w:tab[@w:val='right']", NS).get(qn("w:pos")) == str(_ooxml.NUMBER_END)
    assert part(data, "word/styles.xml").find("w:docDefaults/w:rPrDefault/w:rPr/w:lang", NS).get(qn("w:bidi")) == tag


def test_left_to_right_editions_keep_their_labels_and_mark_right_to_left_names(rendered) -> None:  # type: ignore[no-untyped-def]
    data = rendered("en")
    numbering = part(data, "word/numbering.xml")
    signatories = level(numbering, "Signatories")
    assert signatories.find("w:lvlJc", NS).get(qn("w:val")) == "right"
    assert signatories.find("w:rPr", NS) is None
    arabic = "".join(text_of(r) for r in runs_reading(data, NAMES[10][1]))
    assert arabic == NAMES[10][1] + "\u200f", "its closing parenthesis stays with it"
    (latin,) = runs_reading(data, NAMES[-1][1])
    assert text_of(latin) == NAMES[-1][1]


# -- numerals ------------------------------------------------------------------------------------------


def test_latin_digits_are_live_word_numbering(context: RenderContext) -> None:
    data = render(many_scripts("en"), context)
    numbering = part(data, "word/numbering.xml")
    for name in ("Signatories", "Ordered"):
        assert level(numbering, name).find("w:numFmt", NS).get(qn("w:val")) == "decimal", name
    document = part(data, "word/document.xml")
    numbered = document.findall("w:body/w:p/w:pPr/w:numPr/w:numId", NS)
    assert numbered and all(n.get(qn("w:val")) != "0" for n in numbered)


@pytest.mark.parametrize(("tag", "numerals"), [
    ("ar", "arab"), ("fa", "arabext"), ("ur", "arabext"), ("bn", "beng"), ("hi", "deva"), ("th", "thai"),
])
def test_numbers_in_other_digits_are_text_in_the_editions_digits(context: RenderContext, tag: str,
                                                                 numerals: str) -> None:
    """Signatory and ordered-list numbers in the edition's digits, as text, in paragraphs that
    Word numbering leaves alone (``w:numId`` 0 over the List Number style's list)."""
    data = render(many_scripts(tag, numerals), context)
    document = part(data, "word/document.xml")
    by_style: dict[str, list[str]] = {}
    for p in document.findall("w:body/w:p", NS):
        style = p.find("w:pPr/w:pStyle", NS).get(qn("w:val"))
        if style in ("Signatory", "ListNumber"):
            num = p.find("w:pPr/w:numPr/w:numId", NS)
            assert num is not None and num.get(qn("w:val")) == "0"
            shown = "".join("\t" if e.tag == qn("w:tab") else e.text or ""
                        for e in p.xpath(".//w:r/w:t | .//w:r/w:tab", namespaces=NS))
            by_style.setdefault(style, []).append(shown.lstrip("\t").split("\t")[0])
    count = len(by_style["Signatory"])
    assert by_style["Signatory"] == [f"{to_digits(str(n), numerals)}." for n in range(1, count + 1)]
    assert by_style["ListNumber"] == [f"{to_digits(str(n), numerals)}." for n in (1, 2)]


# -- the page label --------------------------------------------------------------------------------------


def footer_text(data: bytes) -> tuple[str, list[str]]:
    footer = part(data, "word/footer1.xml")
    instructions = [i.text.strip() for i in footer.iter(qn("w:instrText"))]
    return text_of(footer), instructions


def test_page_label_in_the_editions_language_with_live_fields(rendered, context: RenderContext) -> None:  # type: ignore[no-untyped-def]
    shown, fields = footer_text(rendered("en"))
    # the running foot: "{organisation} · {date}" at its start, the page label at its end
    assert shown.endswith("Page 1 of 1") and fields == ["PAGE", "NUMPAGES"], shown
    shown, fields = footer_text(rendered("ar"))
    assert shown.endswith("الصفحة ١ من ١") and fields == ["PAGE", "NUMPAGES"], shown
    footer = part(rendered("ar"), "word/footer1.xml")
    assert footer.find("w:p/w:pPr/w:bidi", NS) is not None
    assert all(r.find("w:rPr/w:rtl", NS) is not None for r in footer.iter(qn("w:r"))
               if not any("a" <= c.lower() <= "z" for c in text_of(r)))  # all but the Latin organisation
    assert context.layout.message("page", parse_language("de")) == "Seite {page} von {pages}"
    german = replace(many_scripts("en"), language=parse_language("de"))
    assert footer_text(render(german, context))[0].endswith("Seite 1 von 1")


# -- LibreOffice lays them out --------------------------------------------------------------------------


def squash(value: str) -> str:
    """Text without white space, hyphens, bidi controls and brackets (pdftotext moves the
    brackets of right-to-left text), in NFC, to compare across lines and directions."""
    value = QUOTES.sub('"', unicodedata.normalize("NFC", value))  # printed quotation marks as one
    return "".join(c for c in value if not c.isspace() and unicodedata.category(c) != "Cf"
                   and c not in "-\u00ad\u2010\u2011()（）[]")


def _without_marks(value: str) -> str:
    return "".join(c for c in value if unicodedata.category(c) != "Mn")


def missing_words(phrase: Phrase, page: str) -> list[str]:
    """The words of ``phrase`` that the page's text (squashed) lacks.

    Word by word, because a right-to-left line that wraps a left-to-right part comes out of
    pdftotext in pieces. Allowances for LibreOffice's text layer, not for what is drawn: a
    combining mark drawn apart from its letter (Persian hamza above) may stand elsewhere;
    letters of other scripts may interrupt a word (pdftotext puts a Nastaliq letter that
    rises above the line between lines); and Nastaliq itself, whose words pdftotext splits,
    only has to have its letters on the page.
    """
    missing = []
    for word in filter(None, map(squash, phrase.text.split())):
        if phrase.language.language == "ur":
            found = all(page.count(char) >= word.count(char) for char in set(word))
        else:
            own = scripts_of(word) | {"Zyyy", "Zinh"}
            only_own = "".join(c for c in page if ucd.script(c) in own)
            found = any(w in p for w, p in ((word, page), (word, only_own),
                                               (_without_marks(word), _without_marks(only_own))))
        if not found:
            missing.append(word)
    return missing


def example_editions() -> list[tuple[str, Edition]]:
    editions = []
    for folder in sorted(p.parent for p in (REPO / "examples").glob("*/document.yaml")):
        document = load_document(folder, World([])).document
        assert document is not None, folder
        editions += [(f"{folder.name}.{language.tag}", make_edition(document, language.tag))
                     for language in document.languages]
    return editions


def fonts_drawing(pdf: Path, chars: str, *, objects: bool = False) -> set[str]:
    """The fonts that draw any of ``chars`` on the pages: their names, or (``objects``) the
    font objects of the PDF, told apart by their subset prefix."""
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LTChar, LTContainer

    found: set[str] = set()

    def walk(item) -> None:  # type: ignore[no-untyped-def]
        if isinstance(item, LTChar) and any(c in chars for c in item.get_text()):
            found.add(item.fontname if objects else item.fontname.partition("+")[2] or item.fontname)
        elif isinstance(item, LTContainer):
            for child in item:
                walk(child)

    for page in extract_pages(pdf):
        walk(page)
    return found


@pytest.mark.slow
def test_libreoffice_sets_every_script_with_the_bundled_fonts(context: RenderContext, tmp_path: Path) -> None:
    if not shutil.which("soffice") or not shutil.which("pdftotext"):
        pytest.skip("needs LibreOffice (soffice) and poppler (pdftotext)")
    editions = example_editions() + [(f"many-scripts.{tag}", many_scripts(tag)) for tag in TEXTS]
    files = []
    for stem, edition in editions:
        path = tmp_path / f"{stem}.docx"
        path.write_bytes(render(edition, replace(context, world=World([REPO / "examples", context.layout.root]))))
        files.append(path)
    pdfs = dict(zip((stem for stem, _ in editions), libreoffice_convert(files, tmp_path / "pdf", fonts="bundled"),
                    strict=True))
    problems = []
    for stem, edition in editions:
        pdf = pdfs[stem]
        try:
            assert_print_ready(pdf)
        except AssertionError as error:
            problems.append(str(error))
        page_text = squash(text(pdf))
        for entry in edition.entries:
            for phrase in (entry.name, entry.abbreviation, entry.romanized, entry.translation):
                if phrase is not None and missing_words(phrase, page_text):
                    problems.append(f"{stem}: {phrase.text!r} lacks {missing_words(phrase, page_text)}")
    assert not problems, "\n".join(problems)
    # The faces Word's slots name are the ones drawn: Urdu in Nastaliq, Persian in Naskh,
    # Devanagari in its own. (The four CJK faces cannot be told apart this way: they share one
    # CFF font, named NotoSerifCJKjp, and differ in their cmap.)
    for stem, chars, face in (("many-scripts.ur", "ہ", "Nastaliq"),  # heh goal: only in Urdu here
                              ("many-scripts.fa", "ه", "Naskh"),  # heh: only in Persian here
                              ("many-scripts.hi", "संयुक्तघोषणा", "Devanagari")):
        drawn = fonts_drawing(pdfs[stem], chars)
        assert drawn and all(face in name for name in drawn), (stem, drawn)
    # The four CJK faces share one CFF font name (NotoSerifCJKjp) but each is its own font in
    # the PDF: Japanese, Simplified, Traditional and Korean names are drawn by four fonts, and
    # the Japanese edition's own text by the Japanese name's.
    cjk = [name for tag, name, _, _ in NAMES if tag in ("ja", "zh-Hans", "zh-Hant", "ko")]
    own = ["".join(c for c in name if c not in "（）" and sum(c in other for other in cjk) == 1) for name in cjk]
    drawn = [fonts_drawing(pdfs["many-scripts.en"], chars, objects=True) for chars in own]
    assert all(len(fonts) == 1 for fonts in drawn) and len(set.union(*drawn)) == 4, drawn
    japanese = pdfs["many-scripts.ja"]
    assert fonts_drawing(japanese, "共同宣言", objects=True) >= fonts_drawing(japanese, "労働者党", objects=True)
