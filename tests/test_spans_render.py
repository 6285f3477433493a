"""Spans and divs in every format, rendered for real and read back: an English edition holding Japanese,
Urdu and a Persian paragraph, and no name in those languages, so every face of theirs comes from a span
or div.

PDF (WeasyPrint): the span language's face (pdffonts), the words back (pdftotext), ``/Lang`` on the
structure elements (pypdf), the right-to-left div flush right, ragged, its final "!" at the left end
(word boxes from ``pdftotext -bbox-layout``). DOCX: ``w:lang`` in the slot of each script, the family of
the span language in that slot, ``w:rtl``, ``w:bidi`` paragraphs; LibreOffice's PDF with only the
embedded fonts: the Persian paragraph at the right, no box. HTML in Chromium with no font on the machine
but DejaVu: lang and dir, the faces drawn, the Persian lines at the right.
"""

from __future__ import annotations

import re
import subprocess
import unicodedata
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

import pytest
from lxml import etree
from pypdf import PdfReader

from tests.chromium import Browser, dejavu_only_fonts
from tests.conftest import squash
from tests.libreoffice import libreoffice_convert
from tests.pdfcheck import assert_print_ready, fonts, missing_glyphs
from tests.pdfcheck import text as pdf_text
from typeset.model.edition import make_edition
from typeset.prepare import prepare
from typeset.render import renderer
from typeset.world import World

pytestmark = pytest.mark.slow

DOCUMENT = """\
id: heat-words
organisation: Heat Network
date: 2024-07-24
languages: [en, fa]
source_language: en
groups:
  - id: s
    numbering: restart
    heading: {en: Signatories, fa: امضاکنندگان}
    entries:
      - name: Heat Union
        lang: en
"""
JAPANESE = "すべての労働者に水と日陰と休息を"
URDU = "مزدوروں کو آرام کا حق"
PERSIAN = ("ما کارگران ساختمانی، کشاورزی و بنادر اعلام می‌کنیم که هیچ کارگری نباید در گرمای بالای پنجاه درجه "
           "مجبور به کار شود. دولت و کارفرمایان باید آب آشامیدنی، سایه و استراحت با دستمزد کامل را برای همه "
           "تضمین کنند. کار در ساعت‌های داغ روز باید متوقف شود و هیچ کارگری به خاطر دست کشیدن از کار در گرمای "
           "خطرناک اخراج نشود. ما تا روزی که این حق به قانون تبدیل شود، در کنار یکدیگر خواهیم ایستاد!")
ENGLISH = ("Summer after summer, temperatures are breaking records across South Asia, the Middle East and far "
           "beyond. For the millions of people who build our cities, sew our clothes and harvest our food, "
           "extreme heat is not a weather report: it is a daily danger at work, and the hours lost to it are "
           "deducted from wages that were already too low.")
SOURCE = f"""---
title: Rest in the heat — [حق استراحت]{{lang=fa}}
---

The federation in Osaka answered: [{JAPANESE}]{{lang=ja}}. The Sindh alliance wrote [{URDU}]{{lang=ur}} on
its banners.

{ENGLISH}

::: {{lang=fa}}
{PERSIAN}
:::

::: {{.slogans lang=ur}}
گرمی سے تحفظ ہمارا حق ہے!
:::
"""
PERSIAN_TEXT = "---\ntitle: اعلامیه\n---\n\nمتن.\n"


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The English edition in the three formats."""
    folder = tmp_path_factory.mktemp("spans") / "doc"
    folder.mkdir()
    (folder / "document.yaml").write_text(DOCUMENT, encoding="utf-8")
    (folder / "en.md").write_text(SOURCE, encoding="utf-8")
    (folder / "fa.md").write_text(PERSIAN_TEXT, encoding="utf-8")
    prepared = prepare(folder, World([]))
    assert prepared.document is not None and prepared.context is not None
    assert not prepared.diagnostics.items, [d.format() for d in prepared.diagnostics.items]
    edition = make_edition(prepared.document, "en")
    out = {}
    for format_name in ("pdf", "docx", "html"):
        data = renderer(format_name)(edition, prepared.context)
        path = folder.parent / f"edition.{format_name}"
        path.write_bytes(data if isinstance(data, bytes) else data.data)
        out[format_name] = path
    return out


# -- lines on a page ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Line:
    left: float
    right: float
    words: tuple[tuple[float, str], ...]  # (left edge, text), as poppler reads them


def page_lines(pdf: Path) -> list[Line]:
    xml = subprocess.run(["pdftotext", "-bbox-layout", "-f", "1", "-l", "1", str(pdf), "-"], capture_output=True,
                         text=True, check=True).stdout
    namespace = {"x": "http://www.w3.org/1999/xhtml"}
    root = ET.fromstring(xml)
    lines = []
    for line in root.iterfind(".//x:line", namespace):
        words = tuple((float(w.get("xMin", 0)), w.text or "") for w in line.iterfind("x:word", namespace))
        lines.append(Line(float(line.get("xMin", 0)), float(line.get("xMax", 0)), words))
    return lines


def _letters(word: str) -> str:
    return "".join(c for c in word if unicodedata.category(c)[0] == "L")


def _english_lines(lines: list[Line]) -> list[Line]:
    """Lines of the English paragraph: at least three words, all of them words of it."""
    words = set(re.findall(r"[A-Za-z]+", ENGLISH))
    return [line for line in lines if len(line.words) >= 3
            and all(_letters(w) in words for _, w in line.words if _letters(w))]


def _persian_lines(lines: list[Line]) -> list[Line]:
    """Lines of the Persian paragraph: at least three words, nearly all of them its words (poppler
    may give a word's letters in either order, and lifts a mark out of one now and then)."""
    words = {_letters(w) for w in PERSIAN.split()}

    def persian(word: str) -> bool:
        letters = _letters(word)
        return letters in words or letters[::-1] in words

    return [line for line in lines if len(line.words) >= 3
            and sum(persian(w) for _, w in line.words) >= 0.8 * len(line.words)]


def assert_right_to_left_paragraph(pdf: Path) -> None:
    """The Persian paragraph's lines end at the right margin, are not justified, and its "!"
    ends the last line on the left, where a Persian reader finishes it."""
    lines = page_lines(pdf)
    english = _english_lines(lines)
    persian = _persian_lines(lines)
    assert len(english) >= 3 and len(persian) >= 3, (english, persian)
    left, right = min(line.left for line in english), max(line.right for line in english)
    assert all(abs(line.right - right) < 2 for line in persian), [(line.left, line.right) for line in persian]
    assert any(line.left - left > 2 for line in persian[:-1]), "the Persian lines are justified"
    assert persian[-1].left - left > 50, "the last Persian line does not end short of the left margin"
    last = min(persian[-1].words)
    assert "!" in last[1], f"the final '!' is not at the left end of the last line: {persian[-1].words}"
    assert all(abs(line.left - left) < 2 for line in english), "the English lines do not start at the margin"


# -- PDF ------------------------------------------------------------------------------------------------------


def test_pdf_sets_each_span_in_its_languages_face(rendered: dict[str, Path]) -> None:
    pdf = rendered["pdf"]
    families = {font.name.partition("+")[2] for font in fonts(pdf)}
    assert "Noto-Serif-CJK-JP" in families, families  # not the Chinese face of the English stack
    assert "Noto-Nastaliq-Urdu" in families and "Noto-Naskh-Arabic" in families
    assert not any("CJK-SC" in family or "CJK-TC" in family for family in families)
    assert_print_ready(pdf)


def test_pdf_gives_the_words_back(rendered: dict[str, Path]) -> None:
    text = unicodedata.normalize("NFC", pdf_text(rendered["pdf"]))
    assert squash(JAPANESE) in squash(text)
    flat = squash("".join(c for c in text if unicodedata.category(c) not in ("Mn", "Cf")))
    persian = "".join(c for c in PERSIAN if unicodedata.category(c) not in ("Mn", "Cf"))
    missing = [word for word in re.findall(r"\w+", persian) if word not in flat]
    assert not missing, missing
    assert all(word in flat for word in ("حق", "استراحت"))  # the span in the title


def test_pdf_tags_spans_and_divs_with_their_language(rendered: dict[str, Path]) -> None:
    reader = PdfReader(rendered["pdf"])
    assert reader.trailer["/Root"]["/Lang"] == "en"
    tagged: list[tuple[str, str]] = []

    def walk(node) -> None:  # type: ignore[no-untyped-def]
        node = node.get_object()
        if not hasattr(node, "get"):
            return
        if node.get("/Lang") is not None:
            tagged.append((str(node.get("/S")), str(node["/Lang"])))
        kids = node.get("/K")
        for kid in kids if isinstance(kids, list) else [kids] if kids is not None else []:
            walk(kid)

    walk(reader.trailer["/Root"]["/StructTreeRoot"])
    assert ("/Span", "fa") in tagged and ("/Span", "ja") in tagged and ("/Span", "ur") in tagged
    assert ("/Div", "fa") in tagged and ("/Div", "ur") in tagged
    assert not any(lang == "en" for _, lang in tagged)  # the edition's own language is the document's


def test_pdf_right_to_left_div_is_flush_right_and_ragged(rendered: dict[str, Path], tmp_path: Path) -> None:
    assert_right_to_left_paragraph(rendered["pdf"])
    subprocess.run(["pdftoppm", "-r", "70", "-png", "-f", "1", "-l", "1", str(rendered["pdf"]),
                    str(tmp_path / "page")], check=True)
    assert (tmp_path / "page-1.png").stat().st_size > 0


# -- DOCX -----------------------------------------------------------------------------------------------------

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _document(docx: Path) -> etree._Element:
    import zipfile

    with zipfile.ZipFile(docx) as package:
        return etree.fromstring(package.read("word/document.xml"))


def _run_of(root: etree._Element, text: str) -> etree._Element:
    for run in root.iter(f"{W}r"):
        # a title's last two words are bound by a no-break space (typeset/render/typography.py)
        if text in "".join(t.text or "" for t in run.iter(f"{W}t")).replace("\u00a0", " "):
            return run
    raise AssertionError(f"no run holds {text!r}")


def test_docx_runs_of_spans_carry_their_language_in_their_scripts_slot(rendered: dict[str, Path]) -> None:
    root = _document(rendered["docx"])
    japanese = _run_of(root, JAPANESE)
    assert japanese.find(f"{W}rPr/{W}lang").get(f"{W}eastAsia") == "ja"
    assert japanese.find(f"{W}rPr/{W}rFonts").get(f"{W}eastAsia") == "Noto Serif CJK JP"
    assert japanese.find(f"{W}rPr/{W}rtl") is None
    urdu = _run_of(root, URDU)
    assert urdu.find(f"{W}rPr/{W}lang").get(f"{W}bidi") == "ur"
    assert urdu.find(f"{W}rPr/{W}rFonts").get(f"{W}cs") == "Noto Nastaliq Urdu"
    assert urdu.find(f"{W}rPr/{W}rtl") is not None
    title = _run_of(root, "حق استراحت")
    assert title.find(f"{W}rPr/{W}lang").get(f"{W}bidi") == "fa" and title.find(f"{W}rPr/{W}rtl") is not None


def test_docx_paragraphs_of_a_right_to_left_div_are_bidi_and_start_aligned(rendered: dict[str, Path]) -> None:
    root = _document(rendered["docx"])
    persian = _run_of(root, PERSIAN[:20]).getparent()
    assert persian.find(f"{W}pPr/{W}bidi") is not None
    assert persian.find(f"{W}pPr/{W}jc").get(f"{W}val") == "left"  # the start of a bidi paragraph: not justified
    english = _run_of(root, ENGLISH[:20]).getparent()
    assert english.find(f"{W}pPr/{W}bidi") is None
    slogan = _run_of(root, "گرمی سے تحفظ").getparent()
    assert slogan.find(f"{W}pPr/{W}bidi") is not None and slogan.find(f"{W}pPr/{W}jc") is None  # still centred


def test_docx_in_libreoffice_puts_the_persian_paragraph_at_the_right_without_a_box(
        rendered: dict[str, Path], tmp_path: Path) -> None:
    (pdf,) = libreoffice_convert([rendered["docx"]], tmp_path)  # only DejaVu and the embedded fonts
    assert_right_to_left_paragraph(pdf)
    assert not missing_glyphs(pdf)
    families = {font.name.partition("+")[2] or font.name for font in fonts(pdf)}
    assert any("Nastaliq" in family for family in families), families
    assert any("cjkjp" in family.lower() for family in families), families  # NotoSerifCJKjp, not SC
    text = squash(unicodedata.normalize("NFC", pdf_text(pdf)))
    assert squash(JAPANESE) in text


# -- HTML in Chromium -----------------------------------------------------------------------------------------

PERSIAN_LINES = r"""
(() => {
  const p = document.querySelector('div[lang="fa"] p');
  const box = p.getBoundingClientRect();
  const range = document.createRange();
  range.selectNodeContents(p);
  const rows = {};
  for (const r of range.getClientRects()) {
    if (r.width < 1) continue;
    const key = Math.round(r.top);
    rows[key] = rows[key] || {left: r.left, right: r.right};
    rows[key].left = Math.min(rows[key].left, r.left);
    rows[key].right = Math.max(rows[key].right, r.right);
  }
  return {box: {left: box.left, right: box.right}, lines: Object.keys(rows).sort((a, b) => a - b).map(k => rows[k])};
})()
"""


def _fonts_of(browser: Browser, selector: str) -> set[str]:
    root = browser.send("DOM.getDocument", depth=-1)["root"]
    found = set()
    for node in browser.send("DOM.querySelectorAll", nodeId=root["nodeId"], selector=selector)["nodeIds"]:
        for font in browser.send("CSS.getPlatformFontsForNode", nodeId=node)["fonts"]:
            found.add((font["familyName"], font["isCustomFont"]))
    return {family for family, custom in found if custom} | {f"{family} (machine)" for family, custom in found
                                                              if not custom}


def test_html_in_chromium_marks_directions_and_draws_the_languages_faces(
        rendered: dict[str, Path], tmp_path: Path) -> None:
    with Browser(dejavu_only_fonts(tmp_path)) as browser:
        browser.send("DOM.enable")
        browser.send("CSS.enable")
        browser.load(rendered["html"].as_uri())
        style = browser.evaluate(
            "[...document.querySelectorAll('[lang]:not(html):not(nav *)')].map(e => [e.localName, e.lang, e.dir,"
            " getComputedStyle(e).direction, getComputedStyle(e).unicodeBidi])")
        assert ["span", "fa", "rtl", "rtl", "isolate"] in style
        assert ["span", "ja", "", "ltr", "normal"] in style
        assert ["span", "ur", "rtl", "rtl", "isolate"] in style
        assert ["div", "fa", "rtl", "rtl", "isolate"] in style
        assert _fonts_of(browser, 'span[lang="ja"]') == {"Noto Serif CJK JP"}
        assert _fonts_of(browser, 'p span[lang="ur"]') == {"Noto Nastaliq Urdu"}
        assert _fonts_of(browser, 'div[lang="ur"] p') == {"Noto Nastaliq Urdu"}
        assert "Noto Naskh Arabic" in _fonts_of(browser, 'div[lang="fa"] p')
        measured = browser.evaluate(PERSIAN_LINES)
        lines, box = measured["lines"], measured["box"]
        assert len(lines) >= 2
        assert all(abs(line["right"] - box["right"]) < 1.5 for line in lines), measured
        assert any(line["left"] - box["left"] > 2 for line in lines[:-1]), measured  # ragged, not justified
        printout = tmp_path / "printed.pdf"
        printout.write_bytes(browser.pdf())
    assert not missing_glyphs(printout)
