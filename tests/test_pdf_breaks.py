"""Hyphenation and page breaks in the PDF editions, as a typesetter checks them (issue 14, parts 1
and 2): every edition of every example in both layouts, read line by line from the pages
WeasyPrint laid out in typeset's PDF renderer (each edition laid out once per test session).

- at most two hyphenated line ends in a row, none at the foot of a page or column, none in names,
  abbreviations, translations, titles, headings or slogans, at least three letters on each side;
- no widow or orphan in the text, no signatory entry split across pages, no group heading alone
  at a page's foot, no last page holding only a few entries where a tighter list takes them back;
- the same hyphenation rules where the source marks hyphenation points itself (soft hyphens),
  in a German text of its own set in narrow columns, and its words back whole from poppler.
"""

from __future__ import annotations

import re
import shutil
import unicodedata
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import EDITIONS, REPO, Example, edition_path, run_typeset
from tests.pdfcheck import text as pdf_text
from tests.support import LAYOUTS, classes_of, laid_out, narrow_layout
from typeset.render import pdf_breaks

HYPHEN = "\u2010"  # WeasyPrint's hyphenate-character: the source's own hyphens are U+002D
SOFT_HYPHEN = "\u00ad"  # a hyphenation point of the source's: WeasyPrint keeps it before the HYPHEN it adds


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
        before = self.text.removesuffix(HYPHEN).rstrip(SOFT_HYPHEN)
        return self.text.endswith(HYPHEN) and bool(before) and _letter(before[-1])

    @property
    def at_soft_hyphen(self) -> bool:
        """Broken at a soft hyphen of the source ("Schutz\u00ad‐")."""
        return self.hyphenated and self.text.endswith(SOFT_HYPHEN + HYPHEN)

    @property
    def split_word(self) -> str:
        """The word the line's hyphen splits, whole and without soft hyphens."""
        before, after = self.text.removesuffix(HYPHEN), self.next_text
        left = next((i for i, c in enumerate(reversed(before)) if not _in_word(c)), len(before))
        right = next((i for i, c in enumerate(after) if not _in_word(c)), len(after))
        return (before[len(before) - left:] + after[:right]).replace(SOFT_HYPHEN, "")


def _letter(char: str) -> bool:
    return unicodedata.category(char)[0] in "LM"


def _in_word(char: str) -> bool:
    return _letter(char) or char == SOFT_HYPHEN


@cache
def _printed(source: Path, language: str, layout: str | Path) -> tuple[int, tuple[PrintedLine, ...]]:
    """The page count and the lines of an edition as typeset's PDF renderer lays it out."""
    return _lines_of(laid_out(source, language, layout))


def _lines_of(document: Any) -> tuple[int, tuple[PrintedLine, ...]]:
    """The page count and the lines of a laid-out ``weasyprint.Document``."""
    from weasyprint.formatting_structure import boxes

    pages: list[list[dict[str, Any]]] = []
    for number, page in enumerate(document.pages):
        lines: list[dict[str, Any]] = []
        pages.append(lines)
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
    found: list[PrintedLine] = []
    every = [line for lines in pages for line in lines]
    for lines in pages:
        for line in lines:
            foot = not any(o["top"] >= line["bottom"] - 0.5 and o["left"] < line["right"] and o["right"] > line["left"]
                           for o in lines)
            # the next line, on the next page too: where the rest of a word split at a page's foot is
            following = every[len(found) + 1]["first"] if len(found) + 1 < len(every) else ""
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
        before = line.text[:-1].replace(SOFT_HYPHEN, "")
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


# -- soft hyphens of the source -------------------------------------------------------------------
#
# A soft hyphen (U+00AD) in a word makes WeasyPrint break that word there and nowhere else, also
# under ``hyphens: manual``. The German text of tests/data/hyphenation, as a document of its own in
# two narrow columns of an A5 page (as tests/test_pdf_words.py sets it), with soft hyphens in one
# word that then falls at a column's foot, or in every word: the rules must hold all the same.

HYPHENATION = REPO / "tests" / "data" / "hyphenation"
GERMAN_ONLY = """\
id: soft-hyphens
organisation: Internationale Arbeitersolidarität
date: 2024-07-24
languages: [de]
source_language: de
"""


def _german(folder: Path, soften: Callable[[str], str]) -> Path:
    """The German text of tests/data/hyphenation as a document of its own, its body (not its
    title) passed through ``soften``."""
    folder.mkdir(parents=True)
    (folder / "document.yaml").write_text(GERMAN_ONLY, encoding="utf-8")
    _, front, body = (HYPHENATION / "de.md").read_text(encoding="utf-8").split("---\n", 2)
    (folder / "de.md").write_text(f"---\n{front}---\n{soften(body)}", encoding="utf-8")
    return folder


def _everywhere(body: str) -> str:
    """Every word of six letters or more with a soft hyphen at each of pyphen's hyphenation points
    (three letters at least on each side, as print.css asks of ``hyphens: auto``)."""
    import pyphen

    dictionary = pyphen.Pyphen(lang="de_DE", left=3, right=3)
    return re.sub(r"\w{6,}", lambda word: dictionary.inserted(word.group(0), hyphen=SOFT_HYPHEN), body)


@dataclass(frozen=True)
class Softened:
    source: Path
    layout: Path
    pdf: Path  # the edition built by the command line
    words: tuple[str, ...]  # the body's words as a reader should give them back (no soft hyphens)


@pytest.fixture(scope="module")
def softened(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Softened]:
    """``one``: a soft hyphen in "Schutzvorschriften" alone, the word a column's last line splits
    there; ``everywhere``: a soft hyphen at every hyphenation point of the body."""
    root = tmp_path_factory.mktemp("soft-hyphens")
    layout = narrow_layout(root)
    found = {}
    for name, soften in (("one", lambda body: body.replace("Schutzvorschriften", f"Schutz{SOFT_HYPHEN}vorschriften")),
                         ("everywhere", _everywhere)):
        source = _german(root / name, soften)
        body = (source / "de.md").read_text(encoding="utf-8").split("---\n", 2)[2]
        assert SOFT_HYPHEN in body
        run_typeset("build", source, "--format", "pdf", "--layout", layout, "--out", root / f"{name}-out", check=True)
        found[name] = Softened(source, layout, edition_path(root / f"{name}-out", "de", "pdf", "soft-hyphens"),
                               tuple(body.replace(SOFT_HYPHEN, "").split()))
    return found


def _without_the_rules(case: Softened, monkeypatch: pytest.MonkeyPatch) -> tuple[PrintedLine, ...]:
    """The lines as WeasyPrint lays them out before the rules take a word back (one layout)."""
    monkeypatch.setattr(pdf_breaks, "MAX_PASSES", 1)
    return _lines_of(laid_out(case.source, "de", case.layout))[1]


def _broken_rules(lines: tuple[PrintedLine, ...]) -> list[str]:
    """Each hyphenated line at the foot of a page or column, and each third in a row."""
    broken, in_a_row = [], 0
    for line in lines:
        in_a_row = in_a_row + 1 if line.hyphenated else 0
        if line.hyphenated and line.foot:
            broken.append(f"page {line.page + 1}, at the foot: …{line.text[-20:]!r}/{line.next_text[:12]!r}")
        if in_a_row > 2:
            broken.append(f"page {line.page + 1}, {in_a_row} in a row: …{line.text[-20:]!r}")
    return broken


def _poppler_words(pdf: Path) -> list[str]:
    return unicodedata.normalize("NFC", pdf_text(pdf)).split()


needs_poppler = pytest.mark.skipif(shutil.which("pdftotext") is None,
                                   reason="pdftotext (poppler-utils) is not installed")


@needs_poppler
def test_a_word_with_a_soft_hyphen_is_kept_whole_at_a_column_foot(softened: dict[str, Softened],
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    case = softened["one"]
    before = _without_the_rules(case, monkeypatch)
    assert any(line.foot and line.at_soft_hyphen and line.split_word == "Schutzvorschriften" for line in before), \
        "Schutz-/vorschriften no longer ends a column without the rules: the case is not tested"
    monkeypatch.undo()
    _, lines = _printed(case.source, "de", case.layout)
    assert not _broken_rules(lines)
    assert any(re.search(r"(?<!\w)Schutzvorschriften(?!\w)", line.text) for line in lines), \
        "Schutzvorschriften not printed whole on one line (nor without its soft hyphen)"
    words = _poppler_words(case.pdf)
    assert "Schutzvorschriften" in words, [w for w in words if "Schutz" in w or "schriften" in w]
    assert not [w for w in words if SOFT_HYPHEN in w or w.endswith(HYPHEN)]


@needs_poppler
def test_soft_hyphens_everywhere_keep_the_hyphenation_rules(softened: dict[str, Softened],
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    case = softened["everywhere"]
    before = _without_the_rules(case, monkeypatch)
    soft = [line for line in before if line.at_soft_hyphen]
    assert len(soft) >= 10 and len(soft) == sum(line.hyphenated for line in before), \
        "the lines do not break at the source's soft hyphens: the case is not tested"
    broken_before = _broken_rules(before)
    assert any("at the foot" in b for b in broken_before) and any("in a row" in b for b in broken_before), \
        f"without the rules no soft hyphen ends a column or comes third in a row: {broken_before}"
    kept = {line.split_word for line in before if line.hyphenated and line.foot}
    monkeypatch.undo()
    _, lines = _printed(case.source, "de", case.layout)
    assert not _broken_rules(lines)
    assert sum(line.at_soft_hyphen for line in lines) >= 10, "the rules took back more than the words they had to"
    # the soft hyphens a ligature swallows are read back (test below): the letters must be whole
    words = [word.replace(SOFT_HYPHEN, "") for word in _poppler_words(case.pdf)]
    assert not [w for w in words if w.endswith(HYPHEN)]
    missing = Counter(case.words) - Counter(words)
    assert not missing, f"words not read back whole: {sorted(missing.elements())[:8]}"
    assert kept <= set(re.sub(r"\W", " ", " ".join(words)).split()), kept


@needs_poppler
def test_no_soft_hyphen_is_read_back(softened: dict[str, Softened]) -> None:
    """A soft hyphen between two letters that the font draws as one ligature ("betref\u00adfen":
    ff) is in that glyph's ToUnicode text; the word's ActualText gives it back without it, to
    poppler and to MuPDF (which read "betref\u00adfen" and "betre\ufffden" from the glyph)."""
    pymupdf = pytest.importorskip("pymupdf")
    pdf = softened["everywhere"].pdf
    words = _poppler_words(pdf)
    assert any("betreffen" in word.lower() for word in words), "no ligature over a soft hyphen: not tested"
    assert not [word for word in words if SOFT_HYPHEN in word]
    with pymupdf.open(pdf) as document:
        text = unicodedata.normalize("NFC", "".join(page.get_text() for page in document))
    assert not [word for word in text.split() if SOFT_HYPHEN in word or "\ufffd" in word]


def test_a_word_is_found_with_or_without_soft_hyphens_and_only_a_whole_word() -> None:
    """What the rules wrap: the word as the line split it, whether the source has soft hyphens in
    it or not, in any case, and never inside a longer word (soft hyphens join it to that word)."""
    from xml.etree import ElementTree

    paragraph = ElementTree.fromstring(
        f"<p>Schutz{SOFT_HYPHEN}vor{SOFT_HYPHEN}schriften, SCHUTZVORSCHRIFTEN; Arbeits{SOFT_HYPHEN}"
        f"schutz{SOFT_HYPHEN}vorschriften, Schutzvor{SOFT_HYPHEN}schriftenwesen</p>")
    assert pdf_breaks.keep_whole(paragraph, "Schutzvorschriften") == 2
    spans = paragraph.findall("span")
    assert [(span.text, span.get("style")) for span in spans] == [
        (f"Schutz{SOFT_HYPHEN}vor{SOFT_HYPHEN}schriften", "hyphens: none"),  # manual would break it there
        ("SCHUTZVORSCHRIFTEN", "hyphens: manual")]
    assert "".join(paragraph.itertext()) == (
        f"Schutz{SOFT_HYPHEN}vor{SOFT_HYPHEN}schriften, SCHUTZVORSCHRIFTEN; Arbeits{SOFT_HYPHEN}"
        f"schutz{SOFT_HYPHEN}vorschriften, Schutzvor{SOFT_HYPHEN}schriftenwesen")


def _list_of(folder: Path, count: int) -> Path:
    """A document in English whose one group lists ``count`` organisations."""
    from tests.support import DOCUMENT, make

    entries = "".join(f"      - name: Organisation number {i}\n        lang: en\n        country: FR\n"
                      for i in range(1, count + 1))
    document = DOCUMENT.split("    entries:\n")[0].replace("languages: [en, de]", "languages: [en]")
    return make(folder, document + "    entries:\n" + entries, files={"de.md": None})


@pytest.mark.parametrize("count,pages,long", [
    (460, 12, False),  # 12 pages, the last 14 % full: laid out again, tighter, and taken back
    (505, 13, True),  # 13 pages, the last 21 % full: kept as it is, one layout
])
def test_a_long_edition_keeps_its_short_last_page_and_is_laid_out_once(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, count: int, pages: int, long: bool) -> None:
    """Taking back a short last page costs a layout of the whole edition (130 s at 10,000
    signatories): an edition longer than LONG_EDITION_PAGES keeps it."""
    import weasyprint

    assert pdf_breaks.LONG_EDITION_PAGES == 12
    rendered: list[int] = []
    render = weasyprint.HTML.render

    def counted(self: Any, *args: Any, **kwargs: Any) -> Any:
        document = render(self, *args, **kwargs)
        rendered.append(len(document.pages))
        return document

    monkeypatch.setattr(weasyprint.HTML, "render", counted)
    document = laid_out(_list_of(tmp_path / "list", count), "en")
    assert rendered[0] == pages, rendered
    if long:
        assert rendered == [pages]
        assert pdf_breaks.read_pages(document).short_last_page()  # the rule would apply: its length keeps it
    else:
        assert len(rendered) > 1 and len(document.pages) < pages, rendered  # taken back
