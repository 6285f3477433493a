"""Names whose shaping splits characters, read back as the readers of each edition draw them (issue 11).

Thai คำ (SARA AM: NIKHAHIT + SARA AA), Tamil தொ (E + AA), Bengali কো and শ্রমিকৌ (E + AA, E + AU
length mark): the DOCX laid out by LibreOffice with no font of the machine but DejaVu (the embedded
subsets must do), the HTML printed by headless Chromium with no font but DejaVu (the WOFF2 subsets must
do), and the PDF. No glyph may be a .notdef and none a dotted circle or a two-part vowel left whole
(compared by outline with the bundled fonts: tests/pdfcheck.py), and the names come back from the text
layer.
"""

from __future__ import annotations

import shutil
import unicodedata
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.chromium import Browser, dejavu_only_fonts
from tests.conftest import run_typeset, squash
from tests.libreoffice import libreoffice_convert
from tests.pdfcheck import broken_clusters, missing_glyphs, text

pytestmark = pytest.mark.slow

NAMES = {
    "th": "ศูนย์คำปรึกษาแรงงาน",
    "ta": "தொழிலாளர் நலச் சங்கம்",
    "bn": "কোলকাতা শ্রমিকৌ সংঘ",
}
DOCUMENT = """\
id: split
organisation: Org
date: 2024-07-24
languages: [en]
source_language: en
groups:
  - id: g
    heading: {en: Signatories}
    entries:
""" + "".join(f"      - name: {name}\n        lang: {lang}\n        country: {country}\n"
              for (lang, name), country in zip(NAMES.items(), ("TH", "IN", "IN"), strict=True))
TEXT = "---\ntitle: Split vowels\n---\n\nText.\n"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("split")
    (folder / "document.yaml").write_text(DOCUMENT, encoding="utf-8")
    (folder / "en.md").write_text(TEXT, encoding="utf-8")
    out = folder / "out"
    run_typeset("build", folder, "--out", out, check=True)
    return out / "split"


def _shown(extracted: str) -> str:
    return squash(unicodedata.normalize("NFC", extracted))


def _assert_drawn_whole(pdf: Path) -> None:
    assert missing_glyphs(pdf) == [], [str(g) for g in missing_glyphs(pdf)]
    assert broken_clusters(pdf) == [], [str(g) for g in broken_clusters(pdf)]


def test_libreoffice_draws_the_docx_without_a_box_or_a_dotted_circle(built: Path, tmp_path: Path) -> None:
    if not shutil.which("soffice"):
        pytest.skip("needs LibreOffice (soffice)")
    (pdf,) = libreoffice_convert([built / "split.en.docx"], tmp_path)
    _assert_drawn_whole(pdf)
    shown = _shown(text(pdf))
    for name in NAMES.values():
        assert squash(name) in shown, f"{name} does not come back from LibreOffice's PDF"


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Browser]:
    with Browser(dejavu_only_fonts(tmp_path_factory.mktemp("fonts"))) as chromium:
        yield chromium


def test_chromium_draws_the_page_without_a_box_or_a_dotted_circle(built: Path, browser: Browser,
                                                                  tmp_path: Path) -> None:
    browser.load((built / "split.en.html").as_uri())
    shown = _shown(browser.evaluate("document.body.innerText"))
    assert all(squash(name) in shown for name in NAMES.values())
    printed = tmp_path / "printed.pdf"
    printed.write_bytes(browser.pdf())
    _assert_drawn_whole(printed)


def test_the_pdf_draws_the_names_whole(built: Path) -> None:
    pdf = built / "split.en.pdf"
    _assert_drawn_whole(pdf)
    shown = _shown(text(pdf))
    for name in NAMES.values():
        assert squash(name) in shown
