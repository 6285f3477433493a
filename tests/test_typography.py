"""Typography of what is printed (typeset/render/typography.py), read back from what a reader gets.

- Quotation marks and apostrophes: no straight quote or apostrophe in the PDF text of any edition
  of the examples in either layout; in tests/data/quotes (straight marks in seven languages) each
  edition prints its language's marks in the PDF, the HTML and the DOCX, and code as written.
- Last lines: no title or slogan whose last line holds one word alone, when it takes more than one.
- CJK punctuation: in the Chinese and Japanese editions two full-width marks side by side ("），")
  take 1.5 em, not 2 em, measured on the glyphs' positions in the PDF; a lone comma keeps its em.
"""

from __future__ import annotations

import re
import subprocess
import unicodedata
from html import unescape
from pathlib import Path
from zipfile import ZipFile

import pytest
from lxml import etree
from pdfminer.high_level import extract_pages
from pdfminer.layout import LTChar, LTTextLine

from tests.conftest import EDITIONS, EXAMPLES, REPO, Example, edition_path, run_typeset
from tests.pdfcheck import assert_print_ready
from typeset.model.edition import make_edition
from typeset.model.language import parse_language
from typeset.render.quotes import quotation_marks
from typeset.source import load_document
from typeset.world import World

QUOTES = REPO / "tests" / "data" / "quotes"
STRAIGHT = re.compile("['\"]")
UNSPACED = {"ja", "zh"}


def _pdf_text(pdf: Path) -> str:
    return subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, check=True,
                          timeout=120).stdout.decode("utf-8")


@pytest.fixture(scope="module")
def leaflet(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every edition of every example in the leaflet layout (PDF)."""
    out = tmp_path_factory.mktemp("typography-leaflet")
    run_typeset("build", EXAMPLES, "--layout", "leaflet", "--format", "pdf", "--out", out, check=True)
    return out


@pytest.fixture(scope="module")
def quotes(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """tests/data/quotes in every language and format."""
    out = tmp_path_factory.mktemp("quotes")
    run_typeset("build", QUOTES, "--out", out, check=True)
    return out


def _layouts(built: Path, leaflet: Path) -> dict[str, Path]:
    return {"resolution": built, "leaflet": leaflet}


# -- quotation marks and apostrophes ------------------------------------------------------------------


@pytest.mark.parametrize("example,language", EDITIONS)
def test_no_straight_quote_or_apostrophe_is_printed(built: Path, leaflet: Path, example: Example,
                                                     language: str) -> None:
    source = "".join(path.read_text(encoding="utf-8") for path in example.path.glob(f"{language}.md"))
    for layout, out in _layouts(built, leaflet).items():
        text = _pdf_text(edition_path(out, language, "pdf", example.id))
        assert not STRAIGHT.findall(text), f"{layout}: {[line for line in text.splitlines() if STRAIGHT.search(line)]}"
        # every apostrophe of the source's text comes back as U+2019 (workers' → workers’)
        for word in re.findall(r"\w+'\w*", source):
            assert word.replace("'", "\u2019") in text, f"{layout}: {word}"


# (language, the title as printed, marks the body must hold in order)
QUOTED = [
    ("en", "The “right to rest” is the workers’ right",
     ["union’s", "“no work above 40 degrees”", "members’", "‘yes’", "O’Brien", "“We will not accept the word ‘later’"]),
    ("de", "Das „Recht auf Ruhe“ ist ein Recht der Arbeiter",
     ["„keine Arbeit über 40 Grad“", "‚ja‘", "O’Brien", "„Wir nehmen das Wort ‚später‘"]),
    ("fr", "Le «\u202fdroit au repos\u202f» est le droit des travailleurs",
     ["L’appel", "«\u202fpas de travail", "O’Brien", "n’acceptons"]),
    ("ru", "«Право на отдых» — право рабочих",
     ["«никакой работы выше 40 градусов»", "„да“", "О’Брайен", "«Мы больше не примем слово „потом“"]),
    ("ja", "「休む権利」は労働者の権利", ["「40度を超える労働の禁止」", "『賛成』", "「もう『後で』"]),
    ("zh-Hans", "“休息权”是工人的权利", ["“气温超过40度停止工作”", "‘同意’", "“我们不再接受‘以后’"]),
]


@pytest.mark.parametrize(("language", "title", "marks"), QUOTED, ids=[row[0] for row in QUOTED])
def test_each_language_prints_its_own_quotation_marks_in_every_format(quotes: Path, language: str, title: str,
                                                                      marks: list[str]) -> None:
    def flat(text: str) -> str:  # line breaks and the no-break space of a bound last line as spaces
        return re.sub(r"[\s\u00a0]+", " ", text)

    pdf = _pdf_text(edition_path(quotes, language, "pdf", "quotes"))
    html = (edition_path(quotes, language, "html", "quotes")).read_text(encoding="utf-8")
    with ZipFile(edition_path(quotes, language, "docx", "quotes")) as docx:
        root = etree.fromstring(docx.read("word/document.xml"))
    docx_text = "\n".join("".join(t.text or "" for t in p.iter("{*}t")) for p in root.iter("{*}p"))
    html_body = unescape(re.sub(r"<[^>]+>", "", html.split("<body>", 1)[1]))
    for name, text in (("pdf", pdf), ("html", html_body), ("docx", docx_text)):
        text = flat(text)
        if language in ("ja", "zh-Hans"):
            text = text.replace(" ", "")  # poppler breaks lines of Chinese and Japanese without a space
        expected = [flat(m) for m in (title, *marks)]
        assert all(m in text for m in expected), f"{name}: {[m for m in expected if m not in text]}"
        assert 'limit="40"' in text, f"{name}: code must stay as written"
        assert not STRAIGHT.findall(text.replace('limit="40"', "")), name
    assert_print_ready(edition_path(quotes, language, "pdf", "quotes"))  # every mark drawn, none a .notdef box
    world = World([])
    opening, closing = quotation_marks(parse_language(language), world)[:2]
    assert pdf.count(opening.strip()) >= 3 and pdf.count(closing.strip()) >= 3


def test_arabic_prints_the_arabic_marks_and_keeps_them_in_order(quotes: Path) -> None:
    """CLDR's Arabic marks: ” before and “ after the quoted words (in logical order)."""
    html = edition_path(quotes, "ar", "html", "quotes").read_text(encoding="utf-8")
    assert "”لا عمل فوق 40 درجة“" in html and "’نعم‘" in html and "”الحق في الراحة“" in html
    pdf = _pdf_text(edition_path(quotes, "ar", "pdf", "quotes"))
    # poppler reorders the left-to-right code in the right-to-left line ("limit="40): only its two marks are straight
    assert "limit=" in pdf and len(STRAIGHT.findall(pdf)) == 2
    assert_print_ready(edition_path(quotes, "ar", "pdf", "quotes"))


def test_the_source_stays_as_written(quotes: Path) -> None:
    document = load_document(QUOTES, World([])).document
    assert document is not None
    assert make_edition(document, "en").title == 'The "right to rest" is the workers\' right'
    assert '"right to rest"' in (QUOTES / "en.md").read_text(encoding="utf-8")


# -- last lines of titles and slogans -----------------------------------------------------------------


def _blocks(example: Example, language: str) -> list[str]:
    """The title and each slogan of an edition, as plain text."""
    from typeset.model.document import Div, Paragraph, plain_text

    document = load_document(example.path, World([])).document
    assert document is not None
    text = document.texts[language]
    found = [text.title]
    stack = list(text.slogans)
    while stack:
        block = stack.pop(0)
        if isinstance(block, Paragraph):
            found.append(plain_text(block.children))
        elif isinstance(block, Div):
            stack[:0] = block.blocks
    return found


_IGNORED = re.compile(r"[\s\u00a0\u202f'\"\u2018\u2019\u201a\u201c\u201d\u201e«»!?.,،؛؟"
                      r"\u200e\u200f\u202a-\u202e\u2066-\u2069]+")


def _squash_spaces(text: str) -> str:
    """A line's words, without the bidi controls poppler puts around right-to-left runs."""
    return re.sub(r"[\u200e\u200f\u202a-\u202e\u2066-\u2069]", "", text).replace("\u00a0", " ")


def _squash(text: str) -> str:
    """Text to find a title or slogan by: without spaces, quotation marks, end punctuation, bidi
    controls and combining marks (poppler reorders marks and lifts them off right-to-left words)."""
    text = "".join(c for c in text if unicodedata.category(c) != "Mn" and c not in "\u200c\u200d")
    return _IGNORED.sub("", text)


@pytest.mark.parametrize("example,language", [e for e in EDITIONS if e.values[1].split("-")[0] not in UNSPACED])
def test_no_title_or_slogan_ends_on_a_line_of_one_word(built: Path, leaflet: Path, example: Example,
                                                        language: str) -> None:
    blocks = _blocks(example, language)
    for layout, out in _layouts(built, leaflet).items():
        lines = [line.strip() for line in _pdf_text(edition_path(out, language, "pdf", example.id)).splitlines()]
        seen = 0
        for block in blocks:
            if len(block.split()) < 3:
                continue
            target = _squash(block)
            for start in range(len(lines)):
                joined = ""
                for end in range(start, min(start + 6, len(lines))):
                    joined += _squash(lines[end])
                    if joined == target:
                        seen += 1
                        if end > start:
                            last = _squash_spaces(lines[end]).split()
                            assert len(last) >= 2, f"{layout}: {block!r} ends on {lines[end]!r}"
                        break
                    if not target.startswith(joined):
                        break
        assert seen, f"{layout}: no title or slogan found in the PDF text"


# -- CJK punctuation ----------------------------------------------------------------------------------

_CLOSING = set("，、。：；！？）」』】》")
_PUNCTUATION = _CLOSING | set("（「『【《")


def _advances(pdf: Path) -> tuple[list[float], list[float]]:
    """Advances (in em) of full-width marks followed by another mark, and of lone commas."""
    paired, lone = [], []
    for page in extract_pages(pdf):
        stack = list(page)
        while stack:
            item = stack.pop()
            if isinstance(item, LTTextLine):
                chars = [c for c in item if isinstance(c, LTChar)]
                for a, b in zip(chars, chars[1:], strict=False):
                    if a.get_text() in _CLOSING and b.get_text() in _PUNCTUATION:
                        paired.append((b.x0 - a.x0) / a.size)
                    elif a.get_text() == "，" and "\u4e00" <= b.get_text() <= "\u9fff":
                        lone.append((b.x0 - a.x0) / a.size)
            elif hasattr(item, "__iter__"):
                stack.extend(item)
    return paired, lone


@pytest.mark.parametrize("language", ["zh-Hans", "ja"])
def test_cjk_punctuation_side_by_side_takes_half_its_width(built: Path, leaflet: Path, language: str) -> None:
    heat = next(e for e in EDITIONS if e.values[1] == language).values[0]
    for layout, out in _layouts(built, leaflet).items():
        paired, lone = _advances(edition_path(out, language, "pdf", heat.id))
        assert paired, f"{layout}: no two marks side by side"
        assert max(paired) < 0.6, f"{layout}: {sorted(paired)[-5:]}"  # half an em, not a whole one
        if language == "zh-Hans":
            assert lone and min(lone) > 0.95, f"{layout}: a comma before a letter keeps its em"


_ADVANCES_JS = """(() => {
  const closing = "，、。：；！？）」』】》", opening = "（「『【《", found = {first: [], opening: []};
  const width = (node, i) => {
    const range = document.createRange();
    range.setStart(node, i);
    range.setEnd(node, i + 1);
    return range.getBoundingClientRect().width / parseFloat(getComputedStyle(node.parentElement).fontSize);
  };
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  let previous = null;
  while (walker.nextNode()) {
    const node = walker.currentNode;
    for (let i = 0; i < node.data.length; i++) {
      const char = node.data[i];
      if (previous && closing.includes(previous.char) && (closing + opening).includes(char)) {
        found.first.push(width(previous.node, previous.i));
        if (opening.includes(char)) found.opening.push(width(node, i));
      }
      previous = {node, i, char};
    }
  }
  return found;
})()"""


def test_cjk_punctuation_side_by_side_takes_half_its_width_in_the_browser(built: Path) -> None:
    """Chromium sets "），" and "）（" as the PDF does: the first mark half an em wide, the opening
    mark after it whole (Chromium's own text-spacing-trim would narrow it too: 1 em for the pair)."""
    from tests.chromium import Browser

    heat = next(e for e in EDITIONS if e.values[1] == "zh-Hans").values[0]
    with Browser() as chromium:
        chromium.load(edition_path(built, "zh-Hans", "html", heat.id).as_uri())
        found = chromium.evaluate(_ADVANCES_JS)
    assert found["first"] and max(found["first"]) < 0.6, sorted(found["first"])[-5:]
    assert found["opening"] and min(found["opening"]) > 0.95, sorted(found["opening"])[:5]


# -- the rules, on text alone (no render) -------------------------------------------------------------

RULES = [
    ("en", "O'Brien's union and the workers' day", "O’Brien’s union and the workers’ day"),
    ("en", "He said 'no' in the '90s", "He said ‘no’ in the ’90s"),
    ("en", "'Tis a 5'10\" man", "’Tis a 5′10″ man"),
    ("en", "\"She said 'stop'\"", "“She said ‘stop’”"),
    ("de", "\"Arbeiter\" und 'Bauern'", "„Arbeiter“ und ‚Bauern‘"),
    ("fr", "l'\"union\"", "l’«\u202funion\u202f»"),
    ("he", "צה\"ל צ'יפס", "צה״ל צ׳יפס"),
    ("zh-Hans", "他说\"你好\"", "他说“你好”"),
]


@pytest.mark.parametrize(("tag", "source", "printed_text"), RULES, ids=[f"{r[0]}-{i}" for i, r in enumerate(RULES)])
def test_quotation_and_apostrophe_rules(tag: str, source: str, printed_text: str) -> None:
    from dataclasses import replace

    from typeset.model.document import Code, Paragraph, Text
    from typeset.render.typography import printed

    document = load_document(QUOTES, World([])).document
    assert document is not None
    edition = replace(make_edition(document, "en"), language=parse_language(tag),
                      body=(Paragraph((Text(source), Code('x="1"'))),))
    once = printed(edition, World([]))
    assert once.body == (Paragraph((Text(printed_text), Code('x="1"'))),)
    assert printed(once, World([])) == once  # a second pass changes nothing


def test_the_last_two_words_of_a_slogan_are_bound_once() -> None:
    from dataclasses import replace

    from typeset.model.document import Paragraph, Text
    from typeset.render.typography import printed

    document = load_document(QUOTES, World([])).document
    assert document is not None
    edition = replace(make_edition(document, "de"), slogans=(
        Paragraph((Text("Proletarier aller Länder, vereinigt euch!"),)), Paragraph((Text("Stärkt die ICOR!"),)),
        Paragraph((Text("Zwei Worte"),)), Paragraph((Text("Für die Rechte aller Landarbeiterinnenorganisationen!"),))))
    once = printed(edition, World([]))
    assert [s.children for s in once.slogans] == [  # type: ignore[union-attr]
        (Text("Proletarier aller Länder, vereinigt\u00a0euch!"),), (Text("Stärkt die\u00a0ICOR!"),),
        (Text("Zwei Worte"),), (Text("Für die Rechte aller Landarbeiterinnenorganisationen!"),)]  # too long to bind
    assert printed(once, World([])) == once
    assert "\u00a0" not in once.title  # the title of the metadata and running heads: not bound
    assert "Recht der\u00a0Arbeiter" in "".join(n.text for n in once.title_content if isinstance(n, Text))
