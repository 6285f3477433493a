"""Signatory numbers on the baseline (the layouts' print.css and typeset/render/css.py, ``page_css``).

A list number hangs outside its entry in a line of its own; the entry's first line has its
baseline where the fonts in it put it (a Devanagari, Nastaliq or CJK name used to lower it, and to
make that line taller than the entry's others). For every numbered entry of every PDF edition of
both examples in both layouts, from the glyphs the PDF draws (pdfminer: each glyph's origin): the
number stands on the baseline of the entry's first line, and the entry's lines are evenly spaced.
Where each entry, its number and its lines are comes from the layout's boxes (typeset's renderer),
which the PDF is written from.
"""

from __future__ import annotations

import io
import shutil
from collections import Counter
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path

import pytest

from tests.conftest import EDITIONS, REPO, Example, examples
from tests.support import LAYOUTS, all_boxes, classes_of, laid_out

PT = 0.75  # CSS px → PDF pt
BASELINE_TOLERANCE = 0.5  # pt, as asked of the number against the first line
# Line pitch: WeasyPrint places each line at a float position and writes it to six decimals, so the
# pitches of one entry agree to a few thousandths of a point; a line made taller by one script
# differs by a tenth of the font size or more (Devanagari in a Latin entry: 2.3 pt at 9.8 pt).
PITCH_TOLERANCE = 0.05  # pt


@dataclass(frozen=True)
class Entry:
    page: int
    number: str  # the number's text as drawn
    number_baselines: tuple[float, ...]
    line_baselines: tuple[float, ...]  # one per line, top to bottom


def glyph_origins(pdf: bytes) -> list[list[tuple[float, float, float, str]]]:
    """Per page: (x0, x1, baseline from the top, text) of every glyph drawn, the baseline being the
    glyph's origin (its text matrix, text rise included)."""
    from pdfminer.converter import PDFPageAggregator
    from pdfminer.layout import LTChar
    from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
    from pdfminer.pdfpage import PDFPage

    manager = PDFResourceManager()
    device = PDFPageAggregator(manager, laparams=None)
    interpreter = PDFPageInterpreter(manager, device)
    pages = []
    for page in PDFPage.get_pages(io.BytesIO(pdf)):
        interpreter.process_page(page)
        layout = device.get_result()
        pages.append([(c.x0, c.x1, layout.height - c.matrix[5], c.get_text()) for c in layout
                      if isinstance(c, LTChar)])
    return pages


def _line_baseline(glyphs: list[tuple[float, float, float, str]]) -> float:
    """The baseline most glyphs of a line stand on (Nastaliq draws some of its glyphs raised)."""
    counts = Counter(round(y, 2) for _, _, y, text in glyphs if text.strip())
    return counts.most_common(1)[0][0]


def numbered_entries(example: Example, language: str, layout: str) -> list[Entry]:
    from weasyprint.formatting_structure import boxes

    document = laid_out(example.path, language, layout)
    pages = glyph_origins(document.write_pdf())
    entries = []
    for number, page in enumerate(document.pages):
        glyphs = pages[number]
        lists = [box for box in all_boxes(page._page_box) if isinstance(box, boxes.BlockBox)
                 and box.element_tag == "ol" and "signatories" in classes_of(box.element)]
        items = [box for ol in lists for box in all_boxes(ol) if isinstance(box, boxes.BlockBox)
                 and box.element_tag == "li"]
        for item in items:
            marker = next((child for child in item.children if getattr(child, "is_outside_marker", False)), None)
            if marker is None:
                continue  # the rest of an entry split over a column or a page (not in these layouts)
            lines = [line for child in item.children if child is not marker for line in all_boxes(child)
                     if isinstance(line, boxes.LineBox)]
            left, right = item.content_box_x() * PT, (item.content_box_x() + item.width) * PT
            drawn = []
            for line in lines:
                top, bottom = line.position_y * PT, (line.position_y + line.height) * PT
                drawn.append([g for g in glyphs if left - 0.5 <= g[0] and g[1] <= right + 0.5
                              and top <= g[2] <= bottom])
            x0, y0 = marker.position_x * PT, marker.position_y * PT
            x1, y1 = x0 + marker.margin_width() * PT, y0 + marker.margin_height() * PT
            numeral = [g for g in glyphs if x0 - 0.5 <= g[0] and g[1] <= x1 + 0.5 and y0 <= g[2] <= y1
                       and g[3].strip()]
            entries.append(Entry(number + 1, "".join(g[3] for g in sorted(numeral)),
                                 tuple(sorted({round(g[2], 2) for g in numeral})),
                                 tuple(_line_baseline(line) for line in drawn if line)))
    return entries


def _measured(example: Example, language: str, layout: str) -> list[Entry]:
    entries = numbered_entries(example, language, layout)
    assert entries, f"no numbered entry found in the {language} edition"
    return entries


# Beside the examples: a Hebrew edition (Noto Serif Hebrew has no digits: the numbers are drawn in
# another face) and Arabic and Persian ones, with Nastaliq, Devanagari, CJK and Latin names; and a
# Burmese one (Myanmar digits from Noto Serif Myanmar, the full stop from Noto Serif: the number
# mixes two faces) and a Thai one, with Thai, Lao, Khmer and Burmese names.
RTL_RUNNING = Example(REPO / "tests" / "data" / "rtl-running", "rtl-running", ("he", "ar", "fa", "en"))
LINEBREAKS = Example(REPO / "tests" / "data" / "linebreaks", "linebreaks", ("my", "th"))
CASES = [*EDITIONS, *(pytest.param(other, language, id=f"{other.id}/{language}")
                      for other in (RTL_RUNNING, LINEBREAKS) for language in other.languages)]


@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("example,language", CASES)
def test_numbers_sit_on_the_first_lines_baseline_and_lines_are_evenly_spaced(example: Example, language: str,
                                                                            layout: str) -> None:
    problems = []
    for entry in _measured(example, language, layout):
        where = f"page {entry.page}, number {entry.number!r}"
        if len(entry.number_baselines) != 1:
            problems.append(f"{where}: the number's glyphs stand on {entry.number_baselines}")
            continue
        first = entry.line_baselines[0]
        if abs(entry.number_baselines[0] - first) > BASELINE_TOLERANCE:
            problems.append(f"{where}: the number stands at {entry.number_baselines[0]:.2f} pt, "
                            f"the first line at {first:.2f} pt")
        pitches = [b - a for a, b in pairwise(entry.line_baselines)]
        if pitches and max(pitches) - min(pitches) > PITCH_TOLERANCE:
            problems.append(f"{where}: lines {[f'{p:.2f}' for p in pitches]} pt apart")
    assert not problems, "\n".join(problems)


def test_without_the_rules_numbers_stood_above_the_line(tmp_path: Path) -> None:
    """The case is there: in a copy of the layout whose entry text keeps its own line height, the
    Hindi edition's numbers stand above their first line's baseline (Latin text in a line set in
    Devanagari lowers it by 2.3 pt) and lines with Latin text are taller than the others."""
    heat = next(e for e in examples() if e.path.name == "extreme-heat-2024")
    layout = tmp_path / "resolution"
    shutil.copytree(REPO / "layouts" / "resolution", layout)
    css = layout / "print.css"
    text, rule = css.read_text(encoding="utf-8"), ".signatories > li * {\n  line-height: 0;"
    assert rule in text
    css.write_text(text.replace(rule, rule.replace("0;", "inherit;")), encoding="utf-8")
    entries = numbered_entries(heat, "hi", str(layout))
    above = [e for e in entries if e.line_baselines[0] - e.number_baselines[0] > 1]
    pitches = {round(b - a, 1) for e in entries for a, b in pairwise(e.line_baselines)}
    assert len(above) > len(entries) / 2 and len(pitches) > 1, (len(above), len(entries), pitches)
