"""Whole words in the PDF text layer (typeset/render/pdf_text.py): a word that a line breaks inside
(hyphenated by WeasyPrint, or after a hyphen of its own) comes back whole from poppler
(``pdftotext``) and from MuPDF (PyMuPDF), without the break hyphen, also across a column or page
turn, and words that have hyphens of their own keep them.

Read back as a user's tools read it: the words of the body, in order, must come out of the PDF as
the source has them, with nothing but the running heads, feet and title between them. Where a
test must know where the lines broke, it reads the glyphs as drawn (PyMuPDF with ActualText
ignored): a test must show that many lines and a page turn really end inside a word before it
says that they come back whole. The PDF keeps whole a word that hyphenation would break at the
foot of a page or column (typeset/render/pdf_breaks.py), so the page turn is made by a document
of its own (tests/data/page-turn): compounds broken after their own hyphens.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import groupby, pairwise
from pathlib import Path

import pytest

from tests.conftest import EDITIONS, QUOTES, REPO, Example, edition_path, examples, run_typeset
from tests.support import narrow_layout, source_paragraphs, without_marks
from typeset.world import World

pymupdf = pytest.importorskip("pymupdf")

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) is not installed")

HYPHENATION = REPO / "tests" / "data" / "hyphenation"  # ru, bg, uk, el, de
HYPHENATION_LANGUAGES = ("ru", "bg", "uk", "el", "de")
PAGE_TURN = REPO / "tests" / "data" / "page-turn"  # de: compounds broken after their own hyphens
ADDED_HYPHEN = "\u2010"  # WeasyPrint's hyphenate-character
HYPHENS = ("-", "\u2010", "\u00ad")
BIDI_CONTROLS = dict.fromkeys(map(ord, "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f"))
RTL = {"ar", "fa", "ur", "he"}
UNSPACED = {"ja", "zh", "th"}  # no spaces between words: lines break between any two characters
INDIC = {"hi", "bn", "ta", "si", "mr", "ne"}


def normalise(text: str) -> str:
    """NFC, without bidi controls, every quotation mark and apostrophe as ``"`` (the source's straight
    marks are printed as the language's: tests/test_typography.py)."""
    return QUOTES.sub('"', unicodedata.normalize("NFC", text).translate(BIDI_CONTROLS))


def poppler_pages(pdf: Path) -> list[str]:
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, check=True,
                          timeout=120).stdout.decode("utf-8")
    return [normalise(page) for page in text.split("\f")[:-1]]


def mupdf_pages(pdf: Path) -> list[str]:
    with pymupdf.open(pdf) as document:
        return [normalise(page.get_text()) for page in document]


READERS = {"poppler": poppler_pages, "mupdf": mupdf_pages}


@dataclass(frozen=True)
class Glyphs:
    """A word as drawn (its glyphs' own reading), where it is on the page."""

    page: int
    column: int  # 0 left, 1 right
    top: float
    left: float
    text: str


def drawn_words(pdf: Path, running: Around) -> list[Glyphs]:
    """The body's words as drawn, ActualText ignored, in reading order (page, column, line)."""
    found = []
    with pymupdf.open(pdf) as document:
        for number, page in enumerate(document):
            middle = page.rect.width / 2
            for x0, y0, _, _, text, *_ in page.get_text("words", flags=pymupdf.TEXT_IGNORE_ACTUALTEXT):
                text = normalise(text)
                if text not in running:
                    found.append(Glyphs(number, int(x0 > middle), round(y0), x0, text))
    return sorted(found, key=lambda g: (g.page, g.column, g.top, g.left))


@dataclass(frozen=True)
class Around:
    """What a page prints around the body: the title block and the running heads and feet."""

    words: frozenset[str]
    tracked: str  # the organisation in capitals, letter-spaced in the title block: read in pieces

    def __contains__(self, word: object) -> bool:
        return word in self.words or (isinstance(word, str) and word.isupper() and word in self.tracked)


def running_words(example: Example, language: str, pages: int) -> Around:
    """The words that the title block and the running heads and feet print around the body."""
    from typeset.layout import load_layout
    from typeset.model.edition import make_edition
    from typeset.model.language import parse_language
    from typeset.model.localize import numbering_system, to_digits
    from typeset.source import load_document

    document = load_document(example.path, World([])).document
    assert document is not None
    edition = make_edition(document, language)
    lang = parse_language(language)
    label = load_layout(None, World([])).message("page", lang)

    def number(n: int) -> str:
        return to_digits(str(n), numbering_system(lang))

    texts = [edition.title, edition.short_title, edition.subtitle or "", edition.organisation,
             edition.organisation.upper(), edition.date_text, edition.place or "", "·", "•",
             *(label.format(page=number(page), pages=number(pages)) for page in range(1, pages + 1))]
    return Around(frozenset(word for text in texts for word in normalise(text).split()),
                  "".join(normalise(edition.organisation.upper()).split()))


def body_words(example: Example, language: str) -> list[str]:
    """The words of the source's paragraphs, list items and slogans, in order."""
    return [word for paragraph, _ in source_paragraphs(example, language) for word in normalise(paragraph).split()]


# -- pieces in the other direction ----------------------------------------------------------------------
#
# A right-to-left piece inside a left-to-right page (a Persian quotation, an Urdu span or slogan)
# is drawn in visual order, and each reader puts its words back in an order of its own: poppler
# resolves the line with the page's direction, clause by clause ("B، A" for "A، B"), MuPDF moves
# the closing marks to the line's left end ("».کامل" for "کامل … ایستیم.»"). Neither is in the PDF:
# its glyphs and their readings are the source's (see typeset/render/pdf_text.py on right-to-left
# text). So such a piece is compared as a multiset of words, its marks, ZWNJ and punctuation aside
# as in test_editions — every word must still come out whole. Nastaliq (Urdu) is compared letter by
# letter: poppler moves its cascading letters onto lines of their own (test_editions:
# test_nastaliq_survives_the_text_layer), and MuPDF reads a glyph that ToUnicode maps to no text
# (Nastaliq's dots and joins) as its glyph id or U+FFFD (test_mupdf_reads_nastaliq below).


def _right_to_left(word: str) -> bool:
    return any(unicodedata.bidirectional(c) in ("R", "AL") for c in word)


def _neutral(word: str) -> bool:
    return not re.search(r"\w", word)


def _rtl_words(words: Iterable[str]) -> list[str]:
    return [w for word in words for w in re.findall(r"\w+", without_marks(word))]


def _rtl_letters(words: Iterable[str]) -> Counter[str]:
    """The right-to-left letters (a reader's glyph ids and U+FFFD are no such letters)."""
    return Counter(c for word in words for c in without_marks(word) if unicodedata.bidirectional(c) in ("R", "AL"))


def split_directions(words: list[str]) -> tuple[list[str], list[int], list[tuple[int, int]]]:
    """The left-to-right words, the index of each in ``words``, and the spans (start, end) of the
    runs of right-to-left words (with the marks and dashes beside and between them, and a word
    alone between two of them: a reader's reading of a glyph without text, or a name in Latin
    letters inside a Persian sentence, which the source's run then holds as well)."""
    rtl = [_right_to_left(word) for word in words]
    inside = list(rtl)
    for i, word in enumerate(words):  # a neutral word joins the right-to-left words it touches
        if _neutral(word) and not inside[i]:
            j = i
            while j < len(words) and _neutral(words[j]) and not rtl[j]:
                j += 1
            k = i
            while k >= 0 and _neutral(words[k]) and not rtl[k]:
                k -= 1
            inside[i] = (j < len(words) and rtl[j]) or (k >= 0 and rtl[k])
    for i in range(1, len(words) - 1):  # and so does one word alone between two of them (MuPDF's "حف Ģ ظ")
        if not inside[i] and inside[i - 1] and inside[i + 1]:
            inside[i] = True
    ltr = [word for word, flag in zip(words, inside, strict=True) if not flag]
    index = [i for i, flag in enumerate(inside) if not flag]
    runs, start = [], None
    for i, flag in enumerate([*inside, False]):
        if flag and start is None:
            start = i
        elif not flag and start is not None:
            runs.append((start, i))
            start = None
    return ltr, index, runs


def nastaliq_words(example: Example, language: str) -> list[str]:
    """The words of the source's body and slogans that are set in a Nastaliq face (Urdu spans and divs)."""
    from typeset.fonts import load_fonts
    from typeset.model.document import BulletList, Div, OrderedList, Paragraph, Span, Text, plain_text
    from typeset.model.language import Language
    from typeset.source import load_document
    from typeset.world import World

    fonts = load_fonts(World([]))
    document = load_document(example.path, World([])).document
    assert document is not None

    def nastaliq(language: Language) -> bool:
        return "Nastaliq" in fonts.stack("serif", language)[0]

    def inlines(nodes, inside: bool) -> list[str]:  # type: ignore[no-untyped-def]
        found = []
        for node in nodes:
            if isinstance(node, Span):
                found += inlines(node.children, nastaliq(node.language))
            elif isinstance(node, Text):
                found += [node.text] if inside else []
            elif hasattr(node, "children"):
                found += inlines(node.children, inside)
        return found

    def blocks(items, inside: bool) -> list[str]:  # type: ignore[no-untyped-def]
        found = []
        for block in items:
            if isinstance(block, Paragraph):
                found += [plain_text(block.children)] if inside else inlines(block.children, False)
            elif isinstance(block, BulletList | OrderedList):
                found += blocks([b for item in block.items for b in item.blocks], inside)
            elif isinstance(block, Div):
                found += blocks(block.blocks, nastaliq(block.language))
        return found

    text = document.texts[language]
    return [word for piece in blocks((*text.body, *text.slogans), False) for word in normalise(piece).split()]


def assert_other_direction(extracted: list[str], expected: list[str], nastaliq: list[str], reader: str) -> None:
    """The right-to-left words of the body come out whole (Naskh) and letter for letter (all)."""
    read = _rtl_words(extracted)
    # only right-to-left words: a word of the page's script that touches the piece (Japanese has no
    # spaces: "（ウルドゥー語で «پانی،") is cut there by one reader and not by the other
    whole = [w for w in _rtl_words(w for w in expected if w not in nastaliq) if _right_to_left(w)]
    missing = Counter(whole) - Counter(read)
    assert not missing, f"{reader}: right-to-left words not read whole: {sorted(missing.elements())[:8]}"
    letters, written = _rtl_letters(extracted), _rtl_letters(expected)
    assert letters == written, (f"{reader}: right-to-left letters read but not written "
                                f"{sorted((letters - written).elements())[:8]}, written but not read "
                                f"{sorted((written - letters).elements())[:8]}")


def first_difference(extracted: list[str], expected: list[str]) -> str:
    """Where the body's words stop coming out as the source has them (for the failure message)."""
    start = max(range(len(extracted)), default=0,
                key=lambda i: sum(a == b for a, b in zip(extracted[i:i + len(expected)], expected, strict=False)))
    for k, (got, want) in enumerate(zip(extracted[start:start + len(expected)], expected, strict=False)):
        if got != want:
            before = max(0, k - 2)
            return f"word {k}: expected {expected[before:k + 3]}, read {extracted[start + before:start + k + 3]}"
    return f"the text stops after {len(extracted) - start} of {len(expected)} words"


def assert_whole_words(pages: list[str], words: list[str], running: Around, reader: str,
                       only_body: bool = False, nastaliq: Iterable[str] = ()) -> None:
    """Every word of the body comes out whole and as written, and no fragment of one.

    ``only_body``: the pages print nothing but the body and what ``running`` holds; then the words
    read must be the source's, each as often, in whatever order the reader puts the columns.
    Otherwise (a signatory list follows) the body's words must come out in one run, with nothing
    between two of them but what the page prints around the body (running heads and feet), and its
    right-to-left pieces as multisets of words and letters (``nastaliq``: the words set in Nastaliq,
    letters only; see above).
    """
    nastaliq = list(nastaliq)
    extracted = [word for page in pages for word in page.split() if word not in running]
    expected = [word for word in words if word not in running]
    assert expected, "no body text to compare"
    for word in extracted:
        assert "\u00ad" not in word, f"{reader}: a soft hyphen left in {word!r}"
    if only_body:
        read, written = Counter(extracted), Counter(expected)
        assert read == written, (f"{reader}: read but not written {sorted((read - written).elements())[:8]}, "
                                 f"written but not read {sorted((written - read).elements())[:8]}")
        return
    # right-to-left pieces: each reader orders them its own way (above); the rest word for word
    ltr_expected, expected_index, expected_runs = split_directions(expected)
    ltr, index, runs = split_directions(extracted)
    ltr_expected = _without_absorbed(ltr_expected, expected_index, expected_runs,
                                     [chunk for a, b in runs for w in extracted[a:b] for chunk in _ltr_chunks(w)])
    run = len(ltr_expected)
    start = next((i for i in range(len(ltr) - run + 1) if ltr[i:i + run] == ltr_expected), None)
    assert start is not None, f"{reader}: {first_difference(ltr, ltr_expected)}"
    if expected_runs:
        # the body's stretch of the text: from its first to its last left-to-right word, with the
        # right-to-left runs that touch it (the body may begin or end with one)
        first, last = index[start], index[start + run - 1] + 1
        first = next((a for a, b in runs if b == first), first)
        last = next((b for a, b in runs if a == last), last)
        body = [w for a, b in runs if first <= a and b <= last for w in extracted[a:b]]
        assert_other_direction(body, [w for a, b in expected_runs for w in expected[a:b]], nastaliq, reader)


def _ltr_chunks(word: str) -> list[str]:
    """The left-to-right words inside what a reader gave as one word: poppler glues the word after
    a right-to-left piece to its last letters ("نیмы")."""
    out = []
    for piece in re.findall(r"\w+", word):
        for rtl, chars in groupby(piece, key=lambda c: unicodedata.bidirectional(c) in ("R", "AL")):
            if not rtl:
                out.append("".join(chars))
    return out


def _without_absorbed(ltr: list[str], index: list[int], runs: list[tuple[int, int]], absorbed: list[str]
                      ) -> list[str]:
    """The left-to-right words of the source without those a reader put inside a right-to-left run:
    poppler orders a line that a right-to-left piece ends in clause by clause, and may take the
    word after it (and its dash) into the piece ("урду «پانی، — мы سایہ،»"). Only a word right
    beside a piece of the source, and only as often as the reader did so."""
    left = Counter(absorbed)
    edges = {i for a, b in runs for i in (a - 2, a - 1, b, b + 1)}
    kept = []
    for word, at in zip(ltr, index, strict=True):
        bare = re.sub(r"^\W+|\W+$", "", word)
        if at in edges and left[bare] > 0:  # a reader may glue it to the piece: "آرام»мы"
            left[bare] -= 1
            continue
        kept.append(word)
    return kept


def assert_no_break_hyphen(pages: list[str], words: Iterable[str], reader: str) -> None:
    """No line of the text ends in a hyphen that the source's word does not have there."""
    source = set(words)
    for page in pages:
        for line in page.splitlines():
            last = line.split()[-1] if line.split() else ""
            if last.endswith(HYPHENS) and last not in source:
                raise AssertionError(f"{reader}: a line ends in {last!r}")


# -- hyphen-heavy text in narrow columns ---------------------------------------------------------------


def narrow(document: Path, root: Path, margins: str = "15mm 14mm 18mm", css: str = "") -> Path:
    """``document`` built by the real command line in :func:`tests.support.narrow_layout` (with
    ``margins`` and ``css``); the folder of the editions."""
    layout = narrow_layout(root, margins, css)
    run_typeset("build", document, "--format", "pdf", "--layout", layout, "--out", root / "out", check=True)
    return root / "out"


@pytest.fixture(scope="module")
def narrow_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The hyphenation document in narrow columns (:func:`narrow`)."""
    return narrow(HYPHENATION, tmp_path_factory.mktemp("narrow"))


@pytest.fixture(scope="module")
def page_turn_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The page-turn document in narrow columns on pages 90 mm high, without automatic hyphenation:
    every line of its enumeration of compounds ends after a compound's own hyphen (its
    document.yaml says how), so each page turn inside the enumeration falls inside a word."""
    return narrow(PAGE_TURN, tmp_path_factory.mktemp("page-turn"), margins="60mm 14mm 60mm",
                  css=".text p { hyphens: manual; }")


def hyphenation_example() -> Example:
    return Example(HYPHENATION, "hyphenation", HYPHENATION_LANGUAGES)


def page_turn_example() -> Example:
    return Example(PAGE_TURN, "page-turn", ("de",))


@pytest.mark.parametrize("language", HYPHENATION_LANGUAGES)
@pytest.mark.parametrize("reader", READERS)
def test_broken_words_come_back_whole(narrow_build: Path, language: str, reader: str) -> None:
    example = hyphenation_example()
    pdf = edition_path(narrow_build, language, "pdf", example.id)
    pages = READERS[reader](pdf)
    running = running_words(example, language, len(pages))
    words = body_words(example, language)
    # the case is there: a fifth of the body's lines or more end in a hyphen WeasyPrint added
    drawn = drawn_words(pdf, running)
    lines = {(g.page, g.column, g.top) for g in drawn}
    broken = {(g.page, g.column, g.top) for g in drawn if g.text.endswith(ADDED_HYPHEN)}
    assert len(broken) >= len(lines) / 5, f"only {len(broken)} of {len(lines)} lines are hyphenated"
    assert_whole_words(pages, words, running, reader, only_body=True)
    assert_no_break_hyphen(pages, words, reader)


def test_words_with_hyphens_of_their_own_keep_them(narrow_build: Path) -> None:
    """"COP-28", "Maruti-Suzuki-Arbeiter", "Trotz alledem!" come back as written, also where a line
    breaks after one of their hyphens (poppler alone would drop that hyphen)."""
    example = hyphenation_example()
    after_own_hyphen = 0
    for language in HYPHENATION_LANGUAGES:
        pdf = edition_path(narrow_build, language, "pdf", example.id)
        words = body_words(example, language)
        running = running_words(example, language, len(poppler_pages(pdf)))
        after_own_hyphen += sum(g.text.endswith("-") for g in drawn_words(pdf, running))
        for reader, read in READERS.items():
            extracted = [word for page in read(pdf) for word in page.split()]
            for word in (w for w in words if "-" in w):
                assert extracted.count(word) == words.count(word), f"{reader}, {language}: {word!r}"
            if language == "de":
                assert "Trotz alledem!" in " ".join(extracted), reader
    assert after_own_hyphen >= 2, "no line breaks after a hyphen of the source: the case is not tested"


def test_a_word_broken_across_a_page_turn_comes_back_whole_before_the_footer(narrow_build: Path,
                                                                             page_turn_build: Path) -> None:
    """The last body line of a page ends inside a word, the rest is on the next page, the running
    foot and head between them: each reader gives the word whole at the end of the first page's
    body, and neither fragment anywhere, so the foot never lands inside it. A word broken by
    hyphenation is kept whole at a page's foot (tests/test_pdf_breaks.py), so the turns come from
    the page-turn document, where compounds break after their own hyphens (poppler alone would
    drop that hyphen); a turn inside a word of the hyphenation document would be checked too."""
    editions = [(build, example, language)
                for build, example in ((narrow_build, hyphenation_example()), (page_turn_build, page_turn_example()))
                for language in example.languages]
    turns = 0
    for build, example, language in editions:
        pdf = edition_path(build, language, "pdf", example.id)
        pages = poppler_pages(pdf)
        running = running_words(example, language, len(pages))
        drawn = drawn_words(pdf, running)
        words = body_words(example, language)
        for before, after in pairwise(drawn):
            if before.page == after.page or not before.text.endswith(HYPHENS):
                continue
            turns += 1
            fragment = before.text.removesuffix(ADDED_HYPHEN)
            whole = next(w for w in words if w.startswith(fragment) and w[len(fragment):].startswith(after.text[:3]))
            for reader, read in READERS.items():
                text = read(pdf)
                first, second = text[before.page].split(), text[after.page].split()
                body = [w for w in first if w not in running]
                assert body[-1] == whole, f"{reader}, {language}: page {before.page + 1} ends in {body[-1:]}"
                following = words[words.index(whole) + 1]
                assert [w for w in second if w not in running][0] == following, (reader, language, second[:8])
                footer = first[first.index(whole) + 1:]
                assert all(w in running for w in footer), f"{reader}, {language}: {footer} after {whole!r}"
    assert turns >= 1, "no page turn falls inside a word: the case is not tested"


# -- every edition of every example ---------------------------------------------------------------------


def _language(tag: str) -> str:
    return tag.split("-")[0]


@pytest.mark.parametrize("example,language", EDITIONS)
@pytest.mark.parametrize("reader", READERS)
def test_every_body_word_of_every_edition_comes_back_whole(built: Path, example: Example, language: str,
                                                           reader: str) -> None:
    """Both readers give back the body of every PDF edition word for word, no word split at a
    line end and no break hyphen left. Right-to-left editions: letters in order per word (both
    readers move punctuation and marks, whatever the PDF says: see test_editions); Chinese and
    Japanese: the text without its line breaks; right-to-left pieces in a left-to-right edition
    (a Persian quotation, Urdu in Nastaliq) as multisets (see "pieces in the other direction");
    MuPDF on Indic scripts: see the xfail below."""
    if reader == "mupdf" and _language(language) in INDIC:
        pytest.skip("MuPDF misreads Indic ActualText spans: test_mupdf_reads_indic_actualtext")
    pdf = edition_path(built, language, "pdf", example.id)
    pages = READERS[reader](pdf)
    words = body_words(example, language)
    nastaliq = nastaliq_words(example, language)
    assert_no_break_hyphen(pages, words, reader)
    if _language(language) in RTL:
        letters = re.sub(r"\s+", "", without_marks("".join(pages)))
        naskh = [w for w in words if w not in nastaliq]
        missing = [w for w in re.findall(r"\w+", without_marks(" ".join(naskh))) if w not in letters]
        assert not missing, f"{reader}: {missing[:5]}"
        # Nastaliq comes back letter for letter (see above), beside the letters of the other words
        spare = _rtl_letters(pages) - _rtl_letters(naskh)
        assert not _rtl_letters(nastaliq) - spare, f"{reader}: {sorted((_rtl_letters(nastaliq) - spare).elements())}"
    elif _language(language) in UNSPACED:
        flat = re.sub(r"\s+", "", "".join(pages))
        read = [word for page in pages for word in page.split()]
        for paragraph, _ in source_paragraphs(example, language):
            if _right_to_left(paragraph):
                words = normalise(paragraph).split()
                naskh = [w for w in words if w not in nastaliq]
                missing = Counter(w for w in _rtl_words(naskh) if _right_to_left(w)) - Counter(_rtl_words(read))
                assert not missing, f"{reader}: right-to-left words not read whole: {sorted(missing.elements())}"
                for piece in (w for w in words if not _right_to_left(w)):  # the Japanese around the piece,
                    bare = re.sub(r"^\W+|\W+$", "", piece)  # without the brackets the reader may move
                    assert bare in flat, f"{reader}: {piece[:40]}…"
                lost = _rtl_letters(w for w in words if w in nastaliq) - _rtl_letters(read)
                assert not lost, f"{reader}: {sorted(lost.elements())} of {paragraph[:40]}…"
            else:
                assert re.sub(r"\s+", "", normalise(paragraph)) in flat, f"{reader}: {paragraph[:40]}…"
    else:
        assert_whole_words(pages, words, running_words(example, language, len(pages)), reader, nastaliq=nastaliq)


@pytest.mark.xfail(strict=True, reason="MuPDF matches the glyphs of an ActualText span against its text and, "
                                       "where the last glyph's reading equals the text's last character, counts "
                                       "the rest in bytes, not characters: Devanagari and Bengali words come out "
                                       "with letters twice (गर्मीर्मी); poppler reads them exactly")
def test_mupdf_reads_indic_actualtext(built: Path) -> None:
    heat = next(e for e in examples() if e.path.name == "extreme-heat-2024")
    pages = mupdf_pages(edition_path(built, "hi", "pdf", heat.id))
    assert_whole_words(pages, body_words(heat, "hi"), running_words(heat, "hi", len(pages)), "mupdf")


@pytest.mark.xfail(strict=True, reason="MuPDF reads a glyph that the font's ToUnicode map gives no text (Nastaliq "
                                       "draws dots and joins as glyphs of their own, read with the letter's "
                                       "cluster) as its glyph id or as U+FFFD: «پانی» comes out as «Ĝόپاŉύنی»; "
                                       "poppler reads no character there")
def test_mupdf_reads_nastaliq(built: Path) -> None:
    heat = next(e for e in examples() if e.path.name == "extreme-heat-2024")
    read = [word for page in mupdf_pages(edition_path(built, "en", "pdf", heat.id)) for word in page.split()]
    nastaliq = nastaliq_words(heat, "en")
    assert nastaliq and not Counter(_rtl_words(nastaliq)) - Counter(_rtl_words(read))
