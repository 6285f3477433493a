"""Hyphenation and page-break rules WeasyPrint has no property for, kept by laying out again.

In: a parsed ``weasyprint.HTML`` (its element tree is changed in place) and a function that lays
it out. Out: a ``weasyprint.Document`` in which

- no three lines in a row end in a hyphen, and no line that ends a page or a column does (a word
  split across a page turn, "soci-/ety", makes the reader turn the page in mid-word);
- a last page holding only a few signatories (fewer than ``FEW_ENTRIES``, or under a third of the
  page) is taken back onto the pages before it where a slightly tighter signatory list does so,
  and where none does, filled with the last entries of the page before it (the page turns earlier)
  — in an edition of up to ``LONG_EDITION_PAGES`` pages.

CSS says the rest (layouts/*/print.css): widows and orphans, headings kept with what follows,
entries never split, names, headings and slogans never hyphenated, the letters on each side.

How: the laid-out pages are read line by line (:func:`read_pages`); a word whose hyphen breaks a
rule is wrapped in a span that may not be hyphenated (``hyphens: manual``), and the page is laid
out again, until no line breaks a rule or ``MAX_PASSES`` layouts are spent. Each layout costs as
much as the first, so most editions, which break no rule, cost one reading of their lines (a few
milliseconds); the others one to three layouts more (``benchmarks/pdf_edition.py``).
A soft hyphen (U+00AD) of the source is a hyphenation point like pyphen's, and WeasyPrint breaks
at it under ``hyphens: manual`` too: a line broken there counts whatever its ``hyphens``, its
word is found with or without soft hyphens between its letters, and it is wrapped in ``hyphens:
none`` instead, under which WeasyPrint drops the box's soft hyphens (they draw nothing, and the
source keeps them).
A tighter list is asked of the layout by ``--fit`` on the root element (0 as set, 1 the tightest
the layout allows): the layout's print.css decides what tighter means.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

#: How many layouts of one edition the hyphenation rules may cost at most, the first included.
MAX_PASSES = 4
#: A last page with fewer entries than this, or filled to less than ``SHORT_FILL``, is worth
#: taking back when a tighter list does it.
FEW_ENTRIES = 8
SHORT_FILL = 1 / 3
#: The values of ``--fit`` tried, in order: the first that saves the last page is kept. At 1 the
#: resolution's paragraphs are 0.5 em apart (not 0.7) and its signatories 1.34 em (not 1.4): 1.5
#: took back no page more in the examples, and a typesetter would not go further.
FIT_STEPS = (0.5, 1.0)
#: What the tightest ``--fit`` takes back, at most, per page before the last, as a share of a page:
#: a last page fuller than this times the pages before it is not tried (two layouts saved). In the
#: examples a last page filled to 20.1 % after two pages was taken back (zh-Hans resolution), one of
#: 20 % after two was not (hi), nor 34 % after three or 39 % after two (leaflets). The layouts'
#: spacing shrinks in proportion to ``--fit``, so a step takes back its share of this: a step of
#: 0.5 is not tried for a last page fuller than 5.25 % per page before it (one layout saved). In the
#: examples and icor-2017 in French, 0.5 took back 6.6 % after two pages and not 11 %, 14 % or 20 %.
TAKEN_BACK_PER_PAGE = 0.105
#: An edition longer than this (in its first layout) keeps its short last page: taking it back
#: costs one to three layouts of the whole edition, each as long as the first — at 10,000
#: signatories (441 pages) 130 s apiece — for a page that is under a twelfth of the edition.
#: The hyphenation rules still hold there (names, most of such an edition, are never hyphenated).
LONG_EDITION_PAGES = 12
#: A page before a short last page keeps at least this much of its height when entries move from
#: its foot to the last page: a rule kept by emptying another page is not kept.
KEPT_FILL = 0.5
#: How many places to turn the page before a short last page are tried, one entry apart.
REBALANCE_TRIES = 2
#: At most this many hyphenated line ends in a row.
MAX_HYPHENS_IN_A_ROW = 2
#: A hyphenation point the source marks itself: WeasyPrint breaks there even under ``hyphens: manual``.
SOFT_HYPHEN = "\u00ad"


@dataclass
class Line:
    """One laid-out line: its page, where it stands, its text and what holds it."""

    page: int
    left: float
    right: float
    top: float
    bottom: float
    text: str
    first: Any  # the line's first text box (weasyprint.formatting_structure.boxes.TextBox)
    last: Any  # its last text box: where a hyphen would be
    block: Any  # the element of the block the line is in (a p, an li, an h2)
    entry: str | None  # the id of the signatory entry the line is in, if any
    heading: str | None  # the id of the group heading the line is in, if any
    closing: bool  # in the source line at the end (the leaflet's colophon)
    hyphenated: bool = False
    ends_column: bool = False


@dataclass
class Pages:
    """What the rules look at in a laid-out document."""

    lines: list[Line]
    count: int
    content_top: list[float] = field(default_factory=list)
    content_height: list[float] = field(default_factory=list)

    def on_page(self, page: int) -> list[Line]:
        return [line for line in self.lines if line.page == page]

    def entries_on(self, page: int) -> list[str]:
        return list(dict.fromkeys(line.entry for line in self.on_page(page) if line.entry))

    def fill(self, page: int) -> float:
        """How much of the page's content area the lines on it use, 0 to 1."""
        lines = self.on_page(page)
        if not lines:
            return 0.0
        used = max(line.bottom for line in lines) - self.content_top[page]
        return max(0.0, used / self.content_height[page])

    def short_last_page(self) -> bool:
        """The last page holds a few signatories (or only the source line) and no text."""
        last = self.count - 1
        if last == 0:
            return False
        lines = self.on_page(last)
        if not lines or any(line.entry is None and line.heading is None and not line.closing for line in lines):
            return False
        return len(self.entries_on(last)) < FEW_ENTRIES or self.fill(last) < SHORT_FILL

    def offending_hyphens(self) -> list[Line]:
        """Lines whose hyphen breaks a rule: the third in a row, the last of a page or column."""
        offending = []
        in_a_row = 0
        for line in self.lines:
            in_a_row = in_a_row + 1 if line.hyphenated else 0
            if line.hyphenated and (line.ends_column or in_a_row > MAX_HYPHENS_IN_A_ROW):
                offending.append(line)
                in_a_row = 0  # the word will be kept whole: the count starts again after it
        return offending


def is_letter(char: str) -> bool:
    """A letter, a mark on one, or a joiner inside a word (Indic conjuncts)."""
    return unicodedata.category(char)[0] in "LM" or char in "\u200c\u200d"


def is_hyphenated(box: Any) -> bool:
    """The text box ends its line in a hyphen WeasyPrint added: after a letter, where ``hyphens:
    auto`` let it break, or at a soft hyphen of the source (kept in the box's text before the
    added hyphen: "Schutz\u00ad‐"), whatever let it break there."""
    hyphen = box.style["hyphenate_character"]
    if not hyphen or not box.text.endswith(hyphen):
        return False
    before: str = box.text[: -len(hyphen)]
    word = before.rstrip(SOFT_HYPHEN)
    return bool(word) and is_letter(word[-1]) and (box.style["hyphens"] == "auto" or word != before)


def read_pages(document: Any) -> Pages:
    """The lines of a laid-out ``weasyprint.Document``, in reading order, page by page."""
    from weasyprint.formatting_structure import boxes

    lines: list[Line] = []
    tops, heights = [], []
    for number, page in enumerate(document.pages):
        page_box = page._page_box
        tops.append(page_box.content_box_y())
        heights.append(page_box.height)
        page_lines: list[Line] = []
        for root in page_box.children:
            if isinstance(root, boxes.MarginBox):
                continue
            for line_box, ancestors in _line_boxes(root, boxes):
                texts = [box for box in _descendants(line_box, boxes) if isinstance(box, boxes.TextBox)]
                if not texts:
                    continue
                last = texts[-1]
                page_lines.append(Line(
                    page=number, left=line_box.position_x, right=line_box.position_x + line_box.width,
                    top=line_box.position_y, bottom=line_box.position_y + line_box.height,
                    text="".join(box.text for box in texts), first=texts[0], last=last,
                    block=ancestors[-1] if ancestors else None, entry=_entry_of(ancestors),
                    heading=_heading_of(ancestors), hyphenated=is_hyphenated(last),
                    closing=any("colophon" in (e.get("class") or "").split() for e in ancestors)))
        for line in page_lines:
            # the last line of its column: no line below it that shares some of its width
            line.ends_column = not any(other.top >= line.bottom - 0.5 and other.left < line.right
                                       and other.right > line.left for other in page_lines)
        lines.extend(page_lines)
    return Pages(lines, len(document.pages), tops, heights)


def _line_boxes(box: Any, boxes: Any, ancestors: tuple[Any, ...] = ()) -> Iterator[tuple[Any, list[Any]]]:
    """Every line box under ``box``, with the elements of the block boxes around it."""
    for child in getattr(box, "children", ()):
        if isinstance(child, boxes.LineBox):
            yield child, list(ancestors)
        elif isinstance(child, boxes.ParentBox):
            element = child.element if isinstance(child, boxes.BlockBox) and child.element is not None else None
            inner = ancestors + (element,) if element is not None and element not in ancestors else ancestors
            yield from _line_boxes(child, boxes, inner)


def _descendants(box: Any, boxes: Any) -> Iterator[Any]:
    for child in getattr(box, "children", ()):
        yield child
        if isinstance(child, boxes.ParentBox):
            yield from _descendants(child, boxes)


def _entry_of(ancestors: list[Any]) -> str | None:
    for element, parent in zip(ancestors[1:], ancestors, strict=False):
        if element.tag == "li" and "signatories" in (parent.get("class") or "").split():
            return str(element.get("id") or id(element))
    return None


def _heading_of(ancestors: list[Any]) -> str | None:
    for element in ancestors:
        if element.tag == "h2" and str(element.get("id") or "").startswith("heading-"):
            return str(element.get("id"))
    return None


# -- keeping a word whole -------------------------------------------------------------------------

def split_word(line: Line, next_line: Line | None) -> str:
    """The word a hyphenated line splits: its end on this line and its start on the next, without
    the soft hyphens it may have ("Schutz\u00ad‐" / "vorschriften": "Schutzvorschriften")."""
    hyphen = line.last.style["hyphenate_character"]
    before: str = line.last.text[: -len(hyphen)]
    start = len(before)
    while start > 0 and _in_word(before[start - 1]):
        start -= 1
    after: str = next_line.first.text if next_line is not None else ""
    end = 0
    while end < len(after) and _in_word(after[end]):
        end += 1
    return (before[start:] + after[:end]).replace(SOFT_HYPHEN, "")


def _in_word(char: str) -> bool:
    return is_letter(char) or char == SOFT_HYPHEN


def keep_whole(element: Any, word: str) -> int:
    """Wrap each occurrence of ``word`` in the text of ``element`` itself (not of its children)
    in a span that is not hyphenated; the number wrapped. Case is ignored (``text-transform``),
    and so are soft hyphens between its letters: an occurrence that has them is wrapped in
    ``hyphens: none``, since ``manual`` would still break it there; one without them, as ever,
    in ``hyphens: manual``."""
    letters = word.replace(SOFT_HYPHEN, "")
    if not letters:
        return 0
    inside = f"\u200c\u200d{SOFT_HYPHEN}"  # what may stand next to a word's letters without ending it
    spelt = f"{SOFT_HYPHEN}*".join(map(re.escape, letters))
    pattern = re.compile(rf"(?<![\w{inside}]){spelt}(?![\w{inside}])", re.IGNORECASE)
    wrapped = 0
    # element.text, then each child's tail: the text nodes that belong to the element itself
    index = -1
    while index < len(element):
        holder = element if index < 0 else element[index]
        text = holder.text if index < 0 else holder.tail
        match = pattern.search(text or "")
        if match is None or text is None:
            index += 1
            continue
        hyphens = "none" if SOFT_HYPHEN in match.group(0) else "manual"
        span = element.makeelement("span", {"style": f"hyphens: {hyphens}"})
        span.text = match.group(0)
        span.tail = text[match.end():]
        if index < 0:
            element.text = text[: match.start()]
        else:
            holder.tail = text[: match.start()]
        element.insert(index + 1, span)
        wrapped += 1
        index += 1  # go on in the span's tail
    return wrapped


# -- the loop -------------------------------------------------------------------------------------

def keep_rules(html: Any, render: Callable[[], Any]) -> Any:
    """``render()`` laid out again until the hyphens and the last page keep the rules (above)."""
    document, pages = _hyphens_kept(html, render)
    if pages.count > LONG_EDITION_PAGES:
        return document
    root = html.etree_element
    style = root.get("style")
    for step in FIT_STEPS:
        if not pages.short_last_page():
            break
        if pages.fill(pages.count - 1) > step * TAKEN_BACK_PER_PAGE * (pages.count - 1):
            continue  # more than this step can take back: the next one, if any
        root.set("style", f"{style + '; ' if style else ''}--fit: {step}")
        # a layout that keeps the page count is dropped before its hyphens are looked at (keeping
        # a word whole never shortens the text): a step that fails costs one layout
        tighter = render()
        if len(tighter.pages) < pages.count:
            tighter, tighter_pages = _hyphens_kept(html, render, tighter)
            if tighter_pages.count < pages.count:
                document, pages = tighter, tighter_pages
    if pages.short_last_page():
        document, pages = _rebalanced(html, render, document, pages)
    return document


def _rebalanced(html: Any, render: Callable[[], Any], document: Any, pages: Pages) -> tuple[Any, Pages]:
    """A short last page that no tighter list takes back, filled from the page before it: the
    page turns before as many of that page's last entries as make the last page long enough
    (``FEW_ENTRIES`` and ``SHORT_FILL``), at the group heading if the first of them opens a group.
    The page before keeps at least ``KEPT_FILL`` of its height, else nothing is moved. The height
    an entry takes on the last page is estimated from the page before: a layout that does not
    keep the page count and the rule is dropped, and one entry more is tried once (a layout
    each, and the hyphens')."""
    last = pages.count - 1
    before = pages.on_page(last - 1)
    for line, height in _moves(before, pages)[:REBALANCE_TRIES]:
        element = _break_element(html.etree_element, before, line)
        if element is None or pages.fill(last - 1) - height / pages.content_height[last - 1] < KEPT_FILL:
            break
        style = element.get("style")
        element.set("style", f"{style + '; ' if style else ''}break-before: page")
        moved, moved_pages = _hyphens_kept(html, render)
        if moved_pages.count == pages.count and not moved_pages.short_last_page():
            return moved, moved_pages
        if style is None:  # as it was, for the next try and whatever the caller lays out next
            del element.attrib["style"]
        else:
            element.set("style", style)
    return document, pages


def _moves(before: list[Line], pages: Pages) -> list[tuple[Line, float]]:
    """Where the page before could turn, from the foot up, beginning where the last page would
    hold ``FEW_ENTRIES`` and be filled to ``SHORT_FILL``: the first line of an entry and the
    height from it to the page's foot."""
    last = pages.count - 1
    entries = list(dict.fromkeys(line.entry for line in before if line.entry))
    if not before or not entries or before[-1].entry is None:
        return []  # text, not a list, ends the page before: nothing to move
    fill = pages.fill(last)
    foot = max(line.bottom for line in before)
    count = len(pages.entries_on(last))
    moves: list[tuple[Line, float]] = []
    for entry in reversed(entries):
        first = next(line for line in before if line.entry == entry)
        count += 1
        height = foot - first.top
        if moves or (count >= FEW_ENTRIES and fill + height / pages.content_height[last] >= SHORT_FILL):
            moves.append((first, height))
    return moves


def _break_element(root: Any, before: list[Line], first: Line) -> Any:
    """The element to turn the page before: the entry's, or its group heading's if the heading
    is right above the entry on the page (a heading never ends a page)."""
    index = before.index(first)
    wanted = first.entry
    if index > 0 and before[index - 1].heading:
        wanted = before[index - 1].heading
        while index > 0 and before[index - 1].heading == wanted:
            index -= 1
    if wanted is None or index == 0:
        return None  # it opens the page: moving it would leave the page empty
    return next((element for element in root.iter() if element.get("id") == wanted), None)


def _hyphens_kept(html: Any, render: Callable[[], Any], document: Any = None) -> tuple[Any, Pages]:
    """``document`` (or a new layout) laid out again until no hyphen breaks a rule, and its lines."""
    document = render() if document is None else document
    pages = read_pages(document)
    for _ in range(MAX_PASSES - 1):
        offending = pages.offending_hyphens()
        if not offending:
            break
        following = {id(line): pages.lines[i + 1] if i + 1 < len(pages.lines) else None
                     for i, line in enumerate(pages.lines)}
        wrapped = sum(keep_whole(line.last.element, split_word(line, following[id(line)])) for line in offending)
        if not wrapped:
            break
        document = render()
        pages = read_pages(document)
    return document, pages
