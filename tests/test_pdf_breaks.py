"""Hyphenation and page breaks in the PDF editions, as a typesetter checks them (issue 14, parts 1
and 2): every edition of every example in both layouts, read line by line from the pages
WeasyPrint laid out in typeset's PDF renderer (each edition laid out once per test session).

- at most two hyphenated line ends in a row, none at the foot of a page or column, none in names,
  abbreviations, translations, titles, headings or slogans, at least three letters on each side;
- no widow or orphan in the text, no signatory entry split across pages, no group heading alone
  at a page's foot, no last page holding only a few entries where a tighter list takes them back.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import EDITIONS, Example
from tests.support import LAYOUTS, classes_of, laid_out

HYPHEN = "\u2010"  # WeasyPrint's hyphenate-character: the source's own hyphens are U+002D


@dataclass(frozen=True)
class PrintedLine:
    page: int
    left: float
    right: float
    top: float
    bottom: float
    text: str
    next_text: str  # the text of the line's first box on the next line (for the split word's end)
    block: int  # id() of the element of the block the line is in
    entry: str | None
    heading: bool
    where: frozenset[str]  # classes and tags of the elements around the line
    foot: bool = False  # the last line of its page or column

    @property
    def hyphenated(self) -> bool:
        return len(self.text) > 1 and self.text.endswith(HYPHEN) and _letter(self.text[-2])


def _letter(char: str) -> bool:
    return unicodedata.category(char)[0] in "LM"


@cache
def _printed(source: Path, language: str, layout: str) -> tuple[int, tuple[PrintedLine, ...]]:
    """The page count and the lines of an edition as typeset's PDF renderer lays it out."""
    from weasyprint.formatting_structure import boxes

    document = laid_out(source, language, layout)
    found: list[PrintedLine] = []
    for number, page in enumerate(document.pages):
        lines: list[dict[str, Any]] = []
        for line, around in _line_boxes(page._page_box, [], boxes):
            texts = [b for b in _inside(line, boxes) if isinstance(b, boxes.TextBox)]
            if not texts:
                continue
            entry = next((str(e.get("id")) for e, parent in zip(around[1:], around, strict=False)
                          if e is not None and e.tag == "li" and "signatories" in classes_of(parent)), None)
            heading = any(e is not None and str(e.get("id") or "").startswith("heading-") for e in around)
            lines.append({"page": number, "left": line.position_x, "right": line.position_x + line.width,
                          "top": line.position_y, "bottom": line.position_y + line.height,
                          "text": "".join(t.text for t in texts), "first": texts[0].text,
                          "block": id(around[-1]), "entry": entry, "heading": heading,
                          "where": frozenset(t for e in around if e is not None for t in (e.tag, *classes_of(e)))})
        for i, line in enumerate(lines):
            foot = not any(o["top"] >= line["bottom"] - 0.5 and o["left"] < line["right"] and o["right"] > line["left"]
                           for o in lines)
            following = lines[i + 1]["first"] if i + 1 < len(lines) else ""
            found.append(PrintedLine(**{k: v for k, v in line.items() if k != "first"},
                                     next_text=following, foot=foot))
    return len(document.pages), tuple(found)


def _line_boxes(box: Any, around: list[Any], boxes: Any) -> list[tuple[Any, list[Any]]]:
    """The line boxes in a page's body (not its margins), with the elements of the blocks around each."""
    found = []
    for child in getattr(box, "children", ()):
        if isinstance(child, boxes.MarginBox):
            continue
        if isinstance(child, boxes.LineBox):
            found.append((child, around))
        elif isinstance(child, boxes.ParentBox):
            found.extend(_line_boxes(child, [*around, child.element] if isinstance(child, boxes.BlockBox) else around,
                                     boxes))
    return found


def _inside(box: Any, boxes: Any) -> list[Any]:
    out = []
    for child in getattr(box, "children", ()):
        out.append(child)
        if isinstance(child, boxes.ParentBox):
            out.extend(_inside(child, boxes))
    return out


LAYOUT_EDITIONS = [pytest.param(*edition.values, layout, id=f"{edition.id}/{layout}")
                   for edition in EDITIONS for layout in LAYOUTS]


def printed(example: Example, language: str, layout: str) -> tuple[int, tuple[PrintedLine, ...]]:
    return _printed(example.path, language, layout)


# -- hyphenation ----------------------------------------------------------------------------------

@pytest.mark.parametrize(("example", "language", "layout"), LAYOUT_EDITIONS)
def test_no_three_hyphens_in_a_row_and_none_at_a_foot(example: Example, language: str, layout: str) -> None:
    _, lines = printed(example, language, layout)
    in_a_row, worst, feet = 0, 0, []
    for line in lines:
        in_a_row = in_a_row + 1 if line.hyphenated else 0
        worst = max(worst, in_a_row)
        if line.hyphenated and line.foot:
            feet.append(f"page {line.page + 1}: …{line.text[-20:]}/{line.next_text[:12]}")
    assert worst <= 2, f"{worst} hyphenated line ends in a row"
    assert not feet, f"a word split across a page turn or column: {feet}"


@pytest.mark.parametrize(("example", "language", "layout"), LAYOUT_EDITIONS)
def test_no_hyphen_in_names_headings_titles_slogans(example: Example, language: str, layout: str) -> None:
    _, lines = printed(example, language, layout)
    kept_whole = {"signatories", "slogans", "masthead", "cover", "h1", "h2", "h3", "h4", "colophon"}
    hyphenated = [line.text[-30:] for line in lines if line.hyphenated and line.where & kept_whole]
    assert not hyphenated, hyphenated


@pytest.mark.parametrize(("example", "language", "layout"), LAYOUT_EDITIONS)
def test_three_letters_at_least_on_each_side_of_a_hyphen(example: Example, language: str, layout: str) -> None:
    _, lines = printed(example, language, layout)
    short = []
    for line in (line for line in lines if line.hyphenated):
        before = line.text[:-1]
        left = next((i for i, c in enumerate(reversed(before)) if not _letter(c)), len(before))
        right = next((i for i, c in enumerate(line.next_text) if not _letter(c)), len(line.next_text))
        if left < 3 or right < 3:
            short.append(f"{before[len(before) - left:]}{HYPHEN}{line.next_text[:right]}")
    assert not short, short


def test_the_examples_hyphenate_at_all() -> None:
    """The rules above would pass on editions never hyphenated: the German and the Greek are."""
    for example in (e.values[0] for e in EDITIONS):
        for language in ("de", "el"):
            if language in example.languages:
                _, lines = printed(example, language, "resolution")
                assert sum(line.hyphenated for line in lines) >= 3, (example, language)


# -- page breaks ----------------------------------------------------------------------------------

@pytest.mark.parametrize(("example", "language", "layout"), LAYOUT_EDITIONS)
def test_no_widow_or_orphan_in_the_text(example: Example, language: str, layout: str) -> None:
    _, lines = printed(example, language, layout)
    blocks: dict[int, list[PrintedLine]] = {}
    for line in lines:
        if "text" in line.where and line.where & {"p", "li", "blockquote"}:
            blocks.setdefault(line.block, []).append(line)
    lonely = []
    for block in blocks.values():
        pages = [line.page for line in block]
        if len(set(pages)) > 1:
            lonely.extend(f"page {p + 1}: {block[0].text[:30]}…" for p in set(pages) if pages.count(p) < 2)
    assert not lonely, lonely


@pytest.mark.parametrize(("example", "language", "layout"), LAYOUT_EDITIONS)
def test_entries_whole_and_headings_with_what_follows(example: Example, language: str, layout: str) -> None:
    _, lines = printed(example, language, layout)
    pages: dict[str, set[int]] = {}
    for line in lines:
        if line.entry:
            pages.setdefault(line.entry, set()).add(line.page)
    assert not [entry for entry, on in pages.items() if len(on) > 1], "an entry split across pages"
    for line, after in zip(lines, (*lines[1:], None), strict=True):
        if line.heading and "group" in line.where:
            assert after is not None and after.page == line.page, f"a group heading alone at a page's foot: {line.text}"
        if "text" in line.where and line.where & {"h2", "h3", "h4"}:
            assert after is not None and after.page == line.page, f"a heading alone at a page's foot: {line.text}"


@pytest.mark.parametrize(("example", "language", "layout"), LAYOUT_EDITIONS)
def test_no_last_page_with_only_a_few_entries(example: Example, language: str, layout: str) -> None:
    count, lines = printed(example, language, layout)
    last = [line for line in lines if line.page == count - 1]
    if count == 1 or any(line.entry is None and not line.heading and "colophon" not in line.where for line in last):
        return  # one page, or text on the last page: not a page of left-over entries
    entries = {line.entry for line in last if line.entry}
    first = min(line.top for line in lines if line.page == 0)
    page_height = max(line.bottom for line in lines if line.page == 0) - first
    fill = (max(line.bottom for line in last) - min(line.top for line in last)) / page_height
    assert len(entries) >= 8 and fill >= 1 / 3, f"the last page holds {len(entries)} entries, {fill:.0%} of a page"
    # nor kept by emptying the page before: entries moved from its foot leave it half full at least
    before = [line for line in lines if line.page == count - 2]
    kept = (max(line.bottom for line in before) - min(line.top for line in before)) / page_height
    assert kept >= 1 / 2, f"the page before the last is filled to {kept:.0%}"
