"""What a PDF of the conformance suite gives back, read in a worker process: its text (poppler)
and its glyphs. In a module of its own, importable by its full name, so that a process pool can
pickle the function (a conftest's module name is not unique in a whole-suite run)."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from pathlib import Path

from tests.pdfcheck import GlyphScan, scan_glyphs
from tests.pdfcheck import text as pdf_text


@dataclass(frozen=True)
class Readback:
    """What a PDF gives back: its text (poppler) and its glyphs (boxes, dotted circles, each glyph
    drawn with its font and the text it stands for)."""

    text: str
    glyphs: GlyphScan


def read_pdf(pdf: Path) -> Readback:
    return Readback(unicodedata.normalize("NFC", pdf_text(pdf)), scan_glyphs(pdf))
