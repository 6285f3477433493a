"""Golden files: two small editions (tests/data/rtl-running in Arabic and English) built by the
command line, their DOCX's XML parts, HTML page and PDF text compared with tests/golden/.

A change in what typeset writes shows here as a diff; if it is meant, ``pytest --update-golden``
writes the new files and the commit shows the change.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.conftest import REPO, edition_path, run_typeset
from tests.golden import assert_golden, docx_part, html_page, pdf_text

DOCUMENT = REPO / "tests" / "data" / "rtl-running"
EDITIONS = ("ar", "en")
DOCX_PARTS = {"document": "word/document.xml", "styles": "word/styles.xml", "numbering": "word/numbering.xml",
              "core": "docProps/core.xml"}

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) is not installed")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("golden")
    languages = [argument for tag in EDITIONS for argument in ("--lang", tag)]
    run_typeset("build", DOCUMENT, *languages, "--out", out, env={"SOURCE_DATE_EPOCH": "913248000"}, check=True)
    return out


@pytest.mark.parametrize("part", DOCX_PARTS)
@pytest.mark.parametrize("language", EDITIONS)
def test_docx_parts(built: Path, language: str, part: str, update_golden: bool) -> None:
    docx = edition_path(built, language, "docx", "rtl-running").read_bytes()
    assert_golden(f"rtl-running.{language}.{part}.xml", docx_part(docx, DOCX_PARTS[part]), update_golden)


@pytest.mark.parametrize("language", EDITIONS)
def test_html(built: Path, language: str, update_golden: bool) -> None:
    html = edition_path(built, language, "html", "rtl-running").read_text(encoding="utf-8")
    assert_golden(f"rtl-running.{language}.html", html_page(html), update_golden)


@pytest.mark.parametrize("language", EDITIONS)
def test_pdf_text(built: Path, language: str, update_golden: bool) -> None:
    text = pdf_text(edition_path(built, language, "pdf", "rtl-running"))
    assert_golden(f"rtl-running.{language}.pdf.txt", text, update_golden)


def test_a_changed_output_fails_with_a_readable_diff(built: Path) -> None:
    """The comparison can fail, and says where: one word changed in the Arabic page."""
    html = html_page(edition_path(built, "ar", "html", "rtl-running").read_text(encoding="utf-8"))
    changed = html.replace("باريس", "القاهرة", 1)
    assert changed != html
    with pytest.raises(AssertionError) as failure:
        assert_golden("rtl-running.ar.html", changed, update=False)
    message = str(failure.value)
    assert "--update-golden" in message and "-" in message and "+" in message and "القاهرة" in message
