"""Prove that each check in tests/pdfcheck.py passes clean files and catches broken ones."""

import re
import subprocess
from pathlib import Path

import pytest
from docx import Document
from pypdf import PdfWriter
from pypdf.generic import ContentStream, DictionaryObject, NameObject
from weasyprint import HTML

from tests.chromium import Browser, dejavu_only_fonts
from tests.libreoffice import libreoffice_convert
from tests.pdfcheck import (
    assert_print_ready,
    dotted_circles,
    fonts,
    missing_glyphs,
    scan_glyphs,
    text,
    text_layout,
)

NOTO_SERIF = Path(__file__).resolve().parents[1] / "fonts" / "noto-serif" / "NotoSerif-Regular.ttf"
NOTO_DEVANAGARI = NOTO_SERIF.parents[1] / "noto-serif-devanagari" / "NotoSerifDevanagari-Regular.ttf"
NOTO_CJK_SC = NOTO_SERIF.parents[1] / "noto-serif-cjk-sc" / "NotoSerifCJKsc-Regular.otf"
LATIN_CYRILLIC = "Print ready: Готово к печати"
DEVANAGARI = "क्षत्रिय"
CJK = "中文"


def require_tofu(chars: str) -> None:
    """Skip unless no installed font covers ``chars``: font fallback would draw them."""
    for char in chars:
        query = ["fc-list", f":charset={ord(char):x}", "family"]
        if subprocess.run(query, capture_output=True, text=True, check=True).stdout.strip():
            pytest.skip(f"an installed font covers {char!r}, so it cannot become tofu")


def weasyprint_pdf(tmp_path: Path, body: str) -> Path:
    """Render ``body`` with the bundled Noto Serif as the only declared font."""
    css = (f"@font-face {{ font-family: Bundled; src: url({NOTO_SERIF.as_uri()}) }}"
           " body { font-family: Bundled }")
    pdf = tmp_path / "weasyprint.pdf"
    HTML(string=f"<style>{css}</style>{body}").write_pdf(pdf)
    return pdf


def drawn_texts(pdf: Path) -> set[str]:
    return {glyph.text for glyph in missing_glyphs(pdf)}


def test_weasyprint_bundled_font_is_print_ready(tmp_path: Path) -> None:
    pdf = weasyprint_pdf(tmp_path, f"<p>{LATIN_CYRILLIC}</p>")

    assert fonts(pdf) and all(font.embedded and font.has_to_unicode for font in fonts(pdf))
    assert missing_glyphs(pdf) == []
    assert_print_ready(pdf)
    assert LATIN_CYRILLIC in text(pdf)
    assert LATIN_CYRILLIC in text_layout(pdf)


def test_weasyprint_tofu_is_found_although_the_text_extracts(tmp_path: Path) -> None:
    require_tofu(DEVANAGARI + CJK)
    pdf = weasyprint_pdf(tmp_path, f"<p>{LATIN_CYRILLIC}</p><p>{DEVANAGARI} {CJK}</p>")

    assert DEVANAGARI in text(pdf) and CJK in text(pdf)  # ToUnicode hides the tofu
    assert {"क", *CJK} <= drawn_texts(pdf)
    assert not drawn_texts(pdf) & set(LATIN_CYRILLIC)
    assert {glyph.page for glyph in missing_glyphs(pdf)} == {1}
    with pytest.raises(AssertionError, match="page 1: 'क' \\(U\\+0915\\) drawn as .notdef"):
        assert_print_ready(pdf)


def test_tofu_inside_a_form_xobject_is_found(tmp_path: Path) -> None:
    require_tofu(CJK)
    pdf = weasyprint_pdf(tmp_path, f"<p>Latin</p><p style='opacity: 0.5'>{CJK}</p>")

    assert drawn_texts(pdf) == set(CJK)


def test_glyph_id_past_the_end_of_the_subset_is_tofu(tmp_path: Path) -> None:
    """WeasyPrint may also encode a missing character as a glyph id the font does not have."""
    require_tofu(CJK)
    writer = PdfWriter(clone_from=weasyprint_pdf(tmp_path, f"<p>Latin {CJK}</p>"))
    font = next(iter(writer.pages[0]["/Resources"]["/Font"].values())).get_object()
    cmap = font["/Encoding"].get_object()
    # Map each code WeasyPrint sent to CID 0 to CID = code instead (gid 3256+ with Identity).
    cmap.set_data(re.sub(rb"<(\w+)> 0\n", lambda m: b"<%s> %d\n" % (m[1], int(m[1], 16)),
                         cmap.get_data()))
    pdf = tmp_path / "past-the-end.pdf"
    writer.write(pdf)

    assert drawn_texts(pdf) == set(CJK)
    assert all(glyph.gid > 0 for glyph in missing_glyphs(pdf))


def test_non_embedded_font_is_reported(tmp_path: Path) -> None:
    writer = PdfWriter()
    page = writer.add_blank_page(200, 100)
    helvetica = DictionaryObject({NameObject("/Type"): NameObject("/Font"),
                                  NameObject("/Subtype"): NameObject("/Type1"),
                                  NameObject("/BaseFont"): NameObject("/Helvetica")})
    page[NameObject("/Resources")] = DictionaryObject(
        {NameObject("/Font"): DictionaryObject({NameObject("/F1"): helvetica})})
    content = ContentStream(None, None)
    content.set_data(b"BT /F1 12 Tf 10 50 Td (Hello) Tj ET")
    page.replace_contents(content)
    pdf = tmp_path / "helvetica.pdf"
    writer.write(pdf)

    assert [(font.name, font.embedded) for font in fonts(pdf)] == [("Helvetica", False)]
    assert missing_glyphs(pdf) == []  # nothing embedded to inspect
    with pytest.raises(AssertionError, match="font not embedded: Helvetica"):
        assert_print_ready(pdf)


LIBREOFFICE_TEXTS = {"latin": LATIN_CYRILLIC, "tofu": f"Hello {DEVANAGARI} {CJK}"}


@pytest.fixture(scope="module")
def libreoffice_pdfs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Each text of :data:`LIBREOFFICE_TEXTS` in a .docx in DejaVu Sans, converted by LibreOffice
    (the machine's fonts; one call for both)."""
    folder = tmp_path_factory.mktemp("libreoffice")
    documents = []
    for name, content in LIBREOFFICE_TEXTS.items():
        document = Document()
        document.add_paragraph().add_run(content).font.name = "DejaVu Sans"
        document.save(folder / f"{name}.docx")
        documents.append(folder / f"{name}.docx")
    return dict(zip(LIBREOFFICE_TEXTS, libreoffice_convert(documents, folder, fonts="system"), strict=True))


@pytest.mark.slow
def test_libreoffice_latin_is_print_ready(libreoffice_pdfs: dict[str, Path]) -> None:
    pdf = libreoffice_pdfs["latin"]

    assert missing_glyphs(pdf) == []
    assert_print_ready(pdf)


@pytest.mark.slow
def test_libreoffice_tofu_is_found(libreoffice_pdfs: dict[str, Path]) -> None:
    require_tofu(DEVANAGARI + CJK)
    pdf = libreoffice_pdfs["tofu"]

    assert {"क", *CJK} <= drawn_texts(pdf)
    assert not drawn_texts(pdf) & set("Hello")
    # LibreOffice copies the .notdef outline into a fresh slot: only the outline check sees it.
    assert all(glyph.gid > 0 for glyph in missing_glyphs(pdf))
    with pytest.raises(AssertionError, match="'क'"):
        assert_print_ready(pdf)


# -- dotted circles ------------------------------------------------------------------------------


def devanagari_page(body: str) -> str:
    css = (f"@font-face {{ font-family: Deva; src: url({NOTO_DEVANAGARI.as_uri()}) }}"
           " body { font-family: Deva; font-size: 20pt }")
    return f"<html lang='hi'><style>{css}</style><body>{body}</body></html>"


def test_a_broken_cluster_shows_a_dotted_circle_and_a_whole_one_none(tmp_path: Path) -> None:
    whole = tmp_path / "whole.pdf"
    HTML(string=devanagari_page("<p>का कि क्ष</p>")).write_pdf(whole)
    broken = tmp_path / "broken.pdf"
    HTML(string=devanagari_page("<p>का</p><p>ि</p>")).write_pdf(broken)  # a vowel sign on no consonant

    assert dotted_circles(whole) == []
    circles = dotted_circles(broken)
    assert len(circles) == 1 and circles[0].page == 1 and "ि" in circles[0].run
    assert scan_glyphs(broken).missing == []  # a dotted circle is not tofu


def test_a_renamed_dotted_circle_with_no_cmap_entry_is_found_by_its_outline() -> None:
    """A PDF writer's subset may call the glyph "glyph00003" and map no code point to it."""
    from io import BytesIO
    from types import SimpleNamespace

    from fontTools import subset
    from fontTools.ttLib import TTFont

    from tests.pdfcheck import _is_dotted_circle, _Program

    font = TTFont(NOTO_DEVANAGARI)
    options = subset.Options(glyph_names=False, notdef_outline=True)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=[0x0915, 0x093F, 0x25CC])
    subsetter.subset(font)
    circle, ka = (font.getGlyphID(font.getBestCmap()[c]) for c in (0x25CC, 0x0915))
    for table in font["cmap"].tables:
        table.cmap.pop(0x25CC, None)
    data = BytesIO()
    font.save(data)
    program = _Program(data.getvalue(), "TrueType")
    embedded = SimpleNamespace(program=program)

    assert program.order[circle] == f"glyph{circle:05d}" and not any(0x25CC in t for t in program.cmaps.values())
    assert _is_dotted_circle(embedded, circle)  # type: ignore[arg-type]
    assert not _is_dotted_circle(embedded, ka)  # type: ignore[arg-type]


@pytest.mark.slow
def test_a_dotted_circle_is_found_in_chromiums_printout(tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    page.write_text(devanagari_page("<p>का</p><p>ि</p>"), encoding="utf-8")
    with Browser(dejavu_only_fonts(tmp_path)) as browser:
        browser.load(page.as_uri())
        pdf = tmp_path / "chromium.pdf"
        pdf.write_bytes(browser.pdf())

    circles = dotted_circles(pdf)
    assert len(circles) == 1 and "ि" in circles[0].run


@pytest.mark.slow
def test_tofu_in_a_type_3_font_is_found(tmp_path: Path) -> None:
    """Chromium prints a CFF web font as Type 3 fonts; a glyph it has not is drawn as g0."""
    assert NOTO_CJK_SC.is_file()
    css = f"@font-face {{ font-family: SC; src: url({NOTO_CJK_SC.as_uri()}) }} body {{ font-family: SC }}"
    page = tmp_path / "page.html"
    # 嘅 is not in the bundled SC face (nor in DejaVu, the only font Chromium finds on the machine)
    page.write_text(f"<html lang='zh'><style>{css}</style><p>中文</p><p>嘅</p></html>", encoding="utf-8")
    with Browser(dejavu_only_fonts(tmp_path)) as browser:
        browser.load(page.as_uri())
        pdf = tmp_path / "chromium.pdf"
        pdf.write_bytes(browser.pdf())

    assert "Type 3" in {font.type for font in fonts(pdf)}
    missing = missing_glyphs(pdf)
    assert len(missing) == 1 and missing[0].text in ("嘅", "")
    assert "中文" in text(pdf)
