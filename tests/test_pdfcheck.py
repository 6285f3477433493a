"""Prove that each check in tests/pdfcheck.py passes clean files and catches broken ones."""

import re
import subprocess
from pathlib import Path

import pytest
from docx import Document
from pypdf import PdfWriter
from pypdf.generic import ContentStream, DictionaryObject, NameObject
from weasyprint import HTML

from tests.libreoffice import libreoffice_convert
from tests.pdfcheck import assert_print_ready, fonts, missing_glyphs, text, text_layout

NOTO_SERIF = Path(__file__).resolve().parents[1] / "fonts" / "noto-serif" / "NotoSerif-Regular.ttf"
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
