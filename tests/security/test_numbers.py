"""List numbers at the limit: a signatory group and a numbered list in the text that start at
32767, the largest start typeset accepts (``MAX_START``), print 32767, 32768, 32769 … in every
format as a reader sees it — the PDF as WeasyPrint draws it, the DOCX as LibreOffice lays it out,
the HTML as Chromium prints it — and a later group that continues the count goes on past the
16-bit start that Word and LibreOffice keep. One above the limit is an error (see test_hostile)."""

from __future__ import annotations

import re
from pathlib import Path

from tests.chromium import Browser, dejavu_only_fonts
from tests.conftest import run_typeset
from tests.docxcheck import numbered_lines
from tests.libreoffice import libreoffice_convert
from tests.pdfcheck import text as pdf_text
from tests.support import make
from typeset.model.numbering import MAX_START

DOCUMENT = f"""\
id: t
organisation: Org
date: 2020-01-02
languages: [en, de]
source_language: en
groups:
  - id: g
    numbering: restart
    start: {MAX_START}
    heading: {{en: Signatories, de: Unterzeichner}}
    entries:
      - {{name: Alpha, lang: en}}
      - {{name: Bravo, lang: en}}
      - {{name: Charlie, lang: en}}
  - id: h
    numbering: continue
    heading: {{en: Supporters, de: Unterstützer}}
    entries:
      - {{name: Delta, lang: en}}
"""
TEXT = f"---\ntitle: Title\n---\n\nBody text.\n\n{MAX_START}. first\n1. second\n1. third\n"
EXPECTED = [(MAX_START, "first"), (MAX_START + 1, "second"), (MAX_START + 2, "third"),
            (MAX_START, "Alpha"), (MAX_START + 1, "Bravo"), (MAX_START + 2, "Charlie"), (MAX_START + 3, "Delta")]


def _numbered(text: str) -> list[tuple[int, str]]:
    """Each '12345. word' of a page's text, in order."""
    return [(int(number), word) for number, word in re.findall(r"(\d{5})\.\s+(\w+)", text)]


def test_numbers_at_the_limit_print_in_every_format(tmp_path: Path) -> None:
    assert MAX_START == 32767
    folder = make(tmp_path / "doc", DOCUMENT, {"en.md": TEXT, "de.md": TEXT})
    out = tmp_path / "out"
    result = run_typeset("build", folder, "-l", "en", "--out", out)
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr

    assert _numbered(pdf_text(out / "t" / "t.en.pdf")) == EXPECTED, "PDF"

    [laid_out] = libreoffice_convert([out / "t" / "t.en.docx"], tmp_path / "lo")
    lines = [(line.number, line.text) for line in numbered_lines(laid_out) if line.number is not None]
    assert lines == EXPECTED, "DOCX in LibreOffice"

    with Browser(dejavu_only_fonts(tmp_path)) as chromium:
        chromium.load((out / "t" / "t.en.html").as_uri())
        printed = tmp_path / "chromium.pdf"
        printed.write_bytes(chromium.pdf())
    assert _numbered(pdf_text(printed)) == EXPECTED, "HTML in Chromium"
