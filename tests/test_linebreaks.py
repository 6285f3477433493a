"""Line breaks in Thai, Lao, Khmer and Burmese, written without spaces between words
(typeset/render/linebreaks.py): the PDF wraps them where ICU's dictionaries find a word boundary.

The document in ``tests/data/linebreaks`` has an edition in each of the four languages — long
paragraphs, a title, a subtitle, a slogan, a heading, an organisation and long names — built by the
real command line into narrow columns: the leaflet layout on A5 (the names in two columns of 57 mm)
and the resolution layout on A5. For every PDF:

- every glyph of the page's text lies inside the page's content box (pdfminer's glyph positions
  against the layout's margins), no name crosses the leaflet's column rule and no two lines drawn
  on one baseline overlap (the running heads of page 2);
- ``pdftotext`` gives every phrase back exactly, ignoring only where its lines end, with no U+200B
  (nor in the outline), no .notdef and no dotted circle;
- every line that ends inside a word run ends at one of ICU's line-break opportunities of the phrase
  and between two grapheme clusters — and there are many such lines.

Without a PDF: the ZWSPs go only between two letters of these scripts, never where HarfBuzz would
shape the text differently (a Khmer subscript, a Burmese stacked consonant, Thai SARA AM), and a
page in other scripts comes back as the very same string.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import subprocess
import unicodedata
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest
import uharfbuzz as hb
from fontTools import unicodedata as ucd
from hypothesis import given, settings
from hypothesis import strategies as st
from icu4py.breakers import CharacterBreaker, LineBreaker
from pdfminer.high_level import extract_pages
from pdfminer.layout import LTChar, LTContainer, LTRect
from ruamel.yaml import YAML

from tests.conftest import EXAMPLES, REPO, run_typeset
from tests.pdfcheck import assert_print_ready
from typeset.fonts import load_fonts
from typeset.layout import load_layout
from typeset.model import make_edition
from typeset.model.edition import Edition as ModelEdition
from typeset.model.language import parse_language
from typeset.model.scripts import SA_SCRIPTS
from typeset.render import RenderContext
from typeset.render.html import page
from typeset.render.linebreaks import ZWSP, break_opportunities, html_break_opportunities
from typeset.render.pdf import paged_html
from typeset.source import load_document
from typeset.world import World

DATA = REPO / "tests" / "data" / "linebreaks"
LANGUAGES = ("th", "km", "lo", "my")
BUILDS = ("leaflet", "resolution")  # both on A5
MM = 72 / 25.4
DOTTED_CIRCLE = "\u25cc"
FONTS = load_fonts(World([]))

# Words and names where a break in the wrong place would change the shaping: Khmer subscripts
# (coeng), Burmese stacked consonants (virama) and kinzi, Thai and Lao SARA AM, Lao subscript LO.
TRICKY = {
    "km": "ព្រះរាជាណាចក្រកម្ពុជាសហព័ន្ធស្ត្រីកម្មករនិយោជិតនៅក្នុងវិស័យកសិកម្មសង្គ្រាមសន្តិភាព",
    "my": "ပြဋ္ဌာန်းမန္တလေးအင်္ဂလိပ်သင်္ချိုင်းကမ္ဘာ့ကုလသမဂ္ဂဗုဒ္ဓဘာသာ",
    "th": "คำแนะนำสำหรับน้ำดื่มที่สะอาดกำลังทำงานกรุงเทพมหานคร",
    "lo": "ກຳມະບານຖະແຫຼງການນ້ຳດື່ມສຳລັບຫຼວງພະບາງ",
}


@dataclass(frozen=True)
class Edition:
    tag: str
    phrases: tuple[str, ...]  # every text the edition prints, as written

    def __str__(self) -> str:
        return self.tag


def _editions() -> list[Edition]:
    yaml = YAML(typ="safe")
    data = yaml.load((DATA / "document.yaml").read_text(encoding="utf-8"))
    group = data["groups"][0]
    names = [entry["name"] for entry in group["entries"]]
    found = []
    for tag in data["languages"]:
        front, body = (DATA / f"{tag}.md").read_text(encoding="utf-8").split("---\n", 2)[1:]
        meta = yaml.load(front)
        blocks = [b.strip() for b in body.split("\n\n") if b.strip()]
        texts = [line for block in blocks for line in block.splitlines() if not line.startswith(":::")]
        found.append(Edition(tag, (meta["title"], meta["subtitle"], data["organisation"][tag], group["heading"][tag],
                                   *texts, *names)))
    return found


EDITIONS = _editions()


# -- without a PDF -----------------------------------------------------------------------------


def _icu_boundaries(text: str) -> tuple[set[int], set[int]]:
    """ICU's line-break opportunities and grapheme-cluster boundaries in ``text``, in code points."""
    found = []
    for breaker in (LineBreaker(text, "und"), CharacterBreaker(text, "und")):
        ends, position = set(), 0
        for segment in breaker:
            position += len(segment)
            ends.add(position)
        found.append(ends)
    return found[0], found[1]


def _cuts(marked: str) -> list[int]:
    """Where the ZWSPs of ``marked`` stand in the text without them."""
    cuts, position = [], 0
    for char in marked:
        if char == ZWSP:
            cuts.append(position)
        else:
            position += 1
    return cuts


def _is_sa(char: str) -> bool:
    return ucd.script(char) in SA_SCRIPTS or ucd.script(char) == "Zinh"


@pytest.mark.parametrize("text", [phrase for edition in EDITIONS for phrase in edition.phrases] + list(TRICKY.values()))
def test_opportunities_are_icus_inside_the_run(text: str) -> None:
    marked = break_opportunities(text)
    assert marked.replace(ZWSP, "") == text
    lines, clusters = _icu_boundaries(text)
    cuts = _cuts(marked)
    assert cuts, "no opportunity found"
    for cut in cuts:
        assert cut in lines and cut in clusters, f"{text[:cut]}|{text[cut:]}"
        assert _is_sa(text[cut - 1]) and _is_sa(text[cut]), f"{text[:cut]}|{text[cut:]}"
    # and every opportunity ICU has between two letters of these scripts is taken
    wanted = {b for b in lines & clusters if 0 < b < len(text) and _is_sa(text[b - 1]) and _is_sa(text[b])}
    assert set(cuts) == wanted


@pytest.mark.parametrize("tag", sorted(TRICKY))
def test_a_zwsp_never_changes_the_shaping(tag: str) -> None:
    """HarfBuzz gives the same glyphs in the same places with and without the ZWSPs (removed as
    default ignorables): none falls inside a cluster, a subscript or a stack."""
    language = parse_language(tag)
    family = FONTS.family_for_script("serif", language, language.script)
    assert family is not None
    face = hb.Face(family.regular.path.read_bytes())
    font = hb.Font(face)
    texts = [TRICKY[tag], *next(e for e in EDITIONS if e.tag == tag).phrases]

    def shaped(text: str) -> list[tuple[int, int, int]]:
        buffer = hb.Buffer()
        buffer.add_str(text)
        buffer.guess_segment_properties()
        buffer.flags = hb.BufferFlags.REMOVE_DEFAULT_IGNORABLES
        hb.shape(font, buffer)
        return [(info.codepoint, position.x_advance, position.y_offset)
                for info, position in zip(buffer.glyph_infos, buffer.glyph_positions, strict=True)]

    for text in texts:
        marked = break_opportunities(text)
        assert ZWSP in marked
        assert shaped(marked) == shaped(text), text


@pytest.mark.parametrize("text", [
    "Workers of all countries, unite!", "全世界劳动者的国际团结。", "世界中の労働者の国際的な連帯。",
    "التضامن الدولي بين العمال", "श्रमिकों अंतरराष्ट्रीय विप्लव", "བཀྲ་ཤིས་སྒྲོལ་མ", "ꦔꦪꦺꦴꦒꦾꦏꦂꦠ",
    "Tình đoàn kết quốc tế", "ᨠᨴᩣ᩠ᨿᨾᩦᨣᩴᩣ",  # Tai Tham: ICU has no dictionary for it, so no opportunity
])
def test_other_scripts_are_left_alone(text: str) -> None:
    assert break_opportunities(text) is text


def test_a_zwsp_already_written_stays_alone() -> None:
    """Khmer is often typed with a ZWSP between words: no second one goes beside it."""
    text = "កម្មករ\u200bទាំងអស់\u200bត្រូវការទឹកស្អាត"
    marked = break_opportunities(text)
    assert ZWSP * 2 not in marked and not marked.startswith(ZWSP)
    assert marked.count(ZWSP) > text.count(ZWSP)  # "ត្រូវការ|ទឹក|ស្អាត" gains its own
    assert marked.replace(ZWSP, "") == text.replace(ZWSP, "")


# Letters, marks, digits and punctuation of the four scripts, among anything else.
_SAMPLES = sorted(set("".join(TRICKY.values()) + "๑๒ฯๆ។៖០၁၊။ໆ໐ "))


@settings(max_examples=300, deadline=None)
@given(st.text(st.one_of(st.sampled_from(_SAMPLES), st.characters(codec="utf-8", exclude_characters=ZWSP)),
               max_size=60))
def test_only_zwsp_is_added(text: str) -> None:
    marked = break_opportunities(text)
    assert marked.replace(ZWSP, "") == text
    cuts = _cuts(marked)
    assert all(_is_sa(text[cut - 1]) and _is_sa(text[cut]) for cut in cuts)


def test_only_the_text_of_the_body_is_touched() -> None:
    head = ('<!DOCTYPE html><html lang="th"><head><title>คนงานทุกคน</title>'
            '<style>p::before { content: "คนงานทุกคน" }</style></head>')
    body = ('<body class="a>b"><p title="คนงานทุกคน">คนงานทุกคน<!-- คนงานทุกคน --> <em lang="km">កម្មករទាំងអស់</em>'
            '</p><script>"คนงานทุกคน"</script><textarea>คนงานทุกคน</textarea></body></html>')
    marked = html_break_opportunities(head + body)
    assert marked.replace(ZWSP, "") == head + body
    assert marked.startswith(head)
    assert ('<body class="a>b"><p title="คนงานทุกคน">คน\u200bงาน\u200bทุก\u200bคน<!-- คนงานทุกคน --> '
            '<em lang="km">កម្មករ\u200bទាំងអស់</em></p><script>"คนงานทุกคน"</script>'
            '<textarea>คนงานทุกคน</textarea>') in marked


@dataclass(frozen=True)
class Examples:
    context: RenderContext
    editions: dict[str, ModelEdition]  # "folder.tag"
    names: dict[str, tuple[str, ...]]  # folder -> the signatories' names written in these scripts


@pytest.fixture(scope="module")
def examples() -> Examples:
    layout = load_layout("resolution", World([]))
    world = World([EXAMPLES, layout.root])
    context = RenderContext(layout, load_fonts(world), world, dt.datetime(2024, 7, 24, tzinfo=dt.UTC))
    editions, names = {}, {}
    for folder in ("icor-2017", "extreme-heat-2024"):
        document = load_document(EXAMPLES / folder, World([])).document
        assert document is not None
        editions.update({f"{folder}.{language.tag}": make_edition(document, language.tag)
                         for language in document.languages})
        names[folder] = tuple(entry.name.text for group in document.groups for entry in group.entries
                              if any(ucd.script(char) in SA_SCRIPTS for char in entry.name.text))
    return Examples(context, editions, names)


def test_pages_without_these_scripts_stay_the_same(examples: Examples) -> None:
    """The PDF of an edition in other scripts is laid out from exactly the page it was before: the
    transformation gives back the very same string. The examples' pages, in English, German, Russian,
    Arabic, Persian, Hindi, Bengali, Chinese, Japanese and Greek, with names in 17 scripts (the
    names in these scripts taken out)."""
    assert not examples.names["icor-2017"]
    for key, edition in examples.editions.items():
        html = page(edition, examples.context)
        for name in examples.names[key.split(".")[0]]:
            html = html.replace(name, "Thai")
        assert html_break_opportunities(html) is html, key
        if key.startswith("icor-2017."):
            assert ZWSP not in paged_html(edition, examples.context), key


def test_a_thai_name_among_other_scripts(examples: Examples) -> None:
    """extreme-heat-2024 has one Thai name (with SARA AM: คนทำงาน): in each edition's PDF page it
    gains ZWSPs, nothing else does."""
    names = examples.names["extreme-heat-2024"]
    assert len(names) == 1 and ucd.script(names[0][0]) == "Thai" and "\u0e33" in names[0], names
    marked_name = break_opportunities(names[0])
    for key, edition in examples.editions.items():
        if key.startswith("extreme-heat-2024."):
            html = page(edition, examples.context)
            marked = html_break_opportunities(html)
            assert marked.replace(ZWSP, "") == html, key
            assert marked.count(ZWSP) == marked_name.count(ZWSP) > 0, key
            assert marked_name in marked and marked_name in paged_html(edition, examples.context), key


# -- the PDFs ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The document in the leaflet layout and in the resolution layout, both on A5 (PDF), and in
    the resolution layout as HTML and DOCX."""
    out = {}
    for layout in BUILDS:
        folder = tmp_path_factory.mktemp(layout)
        formats = ["--format", "pdf"] + (["--format", "html", "--format", "docx"] if layout == "resolution" else [])
        run_typeset("build", DATA, "--out", folder, "--layout", layout, "--paper", "A5", *formats, check=True)
        out[layout] = folder / "linebreaks"
    return out


def _pdf(built: dict[str, Path], layout: str, tag: str) -> Path:
    return built[layout] / f"linebreaks.{tag}.pdf"


def _glyphs(pdf: Path) -> list[tuple[float, float, list[LTChar], list[LTRect]]]:
    """Each page's width, height, glyphs and rectangles, as pdfminer reads them."""
    def walk(item: object, chars: list[LTChar], rects: list[LTRect]) -> None:
        if isinstance(item, LTChar):
            chars.append(item)
        elif isinstance(item, LTRect):
            rects.append(item)
        elif isinstance(item, LTContainer):
            for child in item:
                walk(child, chars, rects)

    pages = []
    for layout_page in extract_pages(pdf, laparams=None):
        chars: list[LTChar] = []
        rects: list[LTRect] = []
        walk(layout_page, chars, rects)
        pages.append((layout_page.width, layout_page.height, chars, rects))
    return pages


def _margins(layout: str) -> tuple[float, float, float, float]:
    """The layout's A5 page margins in points: top, right, bottom, left (CSS shorthand)."""
    margins = load_layout(layout, World([])).margins["A5"]
    values = [float(v[:-2]) * (72 if v.endswith("in") else MM) for v in margins.split()]
    top = values[0]
    right = values[1] if len(values) > 1 else top
    bottom = values[2] if len(values) > 2 else top
    return top, right, bottom, values[3] if len(values) > 3 else right


@pytest.mark.slow
@pytest.mark.parametrize("tag", LANGUAGES)
@pytest.mark.parametrize("layout", BUILDS)
def test_every_line_stays_in_its_column(built: dict[str, Path], layout: str, tag: str) -> None:
    top, right, bottom, left = _margins(layout)
    pages = _glyphs(_pdf(built, layout, tag))
    lines = _bbox_lines(_pdf(built, layout, tag))
    assert len(pages) >= 2
    for number, (width, height, chars, rects) in enumerate(pages, 1):
        inside = [c for c in chars if bottom <= c.matrix[5] <= height - top]  # baselines in the content box
        assert len(inside) > 20
        outside = [(round(c.x0 - left, 1), round(c.x1 - (width - right), 1), c.get_text()) for c in inside
                   if c.x0 < left - 0.5 or c.x1 > width - right + 0.5]
        assert not outside, f"page {number}: glyphs past the content box (pt beyond left, right): {outside[:10]}"
        # The leaflet's column rule, a thin rectangle between the two columns of names: a line of
        # the left column (as poppler finds it) ends 1 mm before it at least. (The right column's
        # numbers stand in the gap; a name running past the right column leaves the content box.)
        for rule in (r for r in rects if r.width < 1 and r.height > 50):
            middle = (rule.x0 + rule.x1) / 2
            left_column = [(x0, x1) for x0, y0, x1, y1 in lines[number - 1]
                           if x0 < middle - 5 * MM and rule.y0 <= height - y1 and height - y0 <= rule.y1]
            assert left_column, f"page {number}: no names beside the column rule"
            crossing = [(round(x0), round(x1)) for x0, x1 in left_column if x1 > middle - MM]
            assert not crossing, f"page {number}: a name runs into the column rule at {middle:.0f}: {crossing}"
    if layout == "leaflet":
        assert any(r.width < 1 and r.height > 50 for _, _, _, rects in pages for r in rects), "no column rule"


def _bbox_lines(pdf: Path) -> list[list[tuple[float, float, float, float]]]:
    """Per page, the lines poppler finds (xMin, yMin, xMax, yMax)."""
    xml = subprocess.run(["pdftotext", "-bbox-layout", pdf, "-"], capture_output=True, text=True, check=True).stdout
    pages = []
    for page_xml in xml.split("<page ")[1:]:
        pages.append([(float(x0), float(y0), float(x1), float(y1)) for x0, y0, x1, y1 in re.findall(
            r'<line xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)"', page_xml)])
    return pages


@pytest.mark.slow
@pytest.mark.parametrize("tag", LANGUAGES)
@pytest.mark.parametrize("layout", BUILDS)
def test_no_two_lines_on_one_baseline_overlap(built: dict[str, Path], layout: str, tag: str) -> None:
    """Two lines side by side — the running heads of page 2, the names in two columns — do not
    run into each other (a title without break opportunities ran over the organisation)."""
    for number, lines in enumerate(_bbox_lines(_pdf(built, layout, tag)), 1):
        for i, (x0, y0, x1, y1) in enumerate(lines):
            for a0, b0, a1, b1 in lines[i + 1:]:
                shared = min(y1, b1) - max(y0, b0)
                if shared > 0.9 * min(y1 - y0, b1 - b0):  # one baseline
                    assert x1 <= a0 + 0.5 or a1 <= x0 + 0.5, f"page {number}: lines overlap at y {y0:.0f}"


def _wrapped(phrase: str, text: str) -> list[list[tuple[int, bool]]]:
    """Every place where ``text`` holds ``phrase`` with line ends in it: for each, where its lines
    end (offsets in ``phrase``) and whether at a space (which the line end stands for)."""
    pattern = r"\n?".join(r"(?: |\n)" if char == " " else re.escape(char) for char in phrase)
    found = []
    for match in re.finditer(pattern, text):
        ends, position = [], 0
        for char in match.group():
            if char == "\n" and position < len(phrase) and phrase[position] == " ":
                ends.append((position, True))
                position += 1
            elif char == "\n":
                ends.append((position, False))
            else:
                position += 1
        found.append(ends)
    return found


def _pango_opportunities(text: str, tag: str) -> set[int]:
    """Where Pango itself may break ``text`` (for Thai, where it was built with libthai, at
    libthai's word boundaries: a finer cut than ICU's in places, "ไม่|มี" where ICU keeps "ไม่มี")."""
    from weasyprint.text.line_break import get_log_attrs

    attrs = get_log_attrs(text, tag)
    return {i for i in range(1, len(text)) if attrs[i].is_line_break}


def _pdftotext(pdf: Path, *crop: str) -> str:
    return unicodedata.normalize("NFC", subprocess.run(["pdftotext", "-enc", "UTF-8", *crop, pdf, "-"],
                                                       capture_output=True, text=True, check=True).stdout)


def _texts(pdf: Path) -> list[str]:
    """The text of the pages, and of their left and right halves: poppler's reading order can pair
    the lines of two columns of names when they stand at different heights (Burmese), so a name
    in a column is looked for in its half of the page as well."""
    width, height = (round(v) for v in next(extract_pages(pdf, maxpages=1)).bbox[2:])
    half = width // 2
    return [_pdftotext(pdf), _pdftotext(pdf, "-x", "0", "-y", "0", "-W", str(half), "-H", str(height)),
            _pdftotext(pdf, "-x", str(half), "-y", "0", "-W", str(width - half), "-H", str(height))]


@pytest.mark.slow
@pytest.mark.parametrize("edition", EDITIONS, ids=str)
@pytest.mark.parametrize("layout", BUILDS)
def test_lines_end_at_icus_opportunities(built: dict[str, Path], layout: str, edition: Edition) -> None:
    pdf = _pdf(built, layout, edition.tag)
    texts = _texts(pdf)
    text = texts[0]
    assert ZWSP not in text
    assert DOTTED_CIRCLE not in text
    assert_print_ready(pdf)
    inside_words: dict[str, int] = defaultdict(int)  # script -> lines that end between two letters
    for phrase in edition.phrases:
        occurrences = next((found for found in map(functools.partial(_wrapped, phrase), texts) if found), [])
        assert occurrences, f"pdftotext does not give back {phrase!r}"
        lines, clusters = _icu_boundaries(phrase)
        if edition.tag == "th":
            lines |= _pango_opportunities(phrase, edition.tag)
        for ends in occurrences:
            for offset, at_space in ends:
                if at_space:
                    continue
                assert offset in lines, f"a line ends where ICU has no opportunity: {phrase[:offset]}|{phrase[offset:]}"
                assert offset in clusters, f"a line ends inside a cluster: {phrase[:offset]}|{phrase[offset:]}"
                inside_words[ucd.script(phrase[offset])] += 1
    script = parse_language(edition.tag).script
    assert inside_words[script] >= 5, dict(inside_words)  # the paragraphs and names wrap between words


@pytest.mark.slow
def test_nothing_else_carries_a_zwsp(built: dict[str, Path]) -> None:
    """The outline (taken from the headings) has none, nor have the HTML edition and the DOCX."""
    from zipfile import ZipFile

    import pypdf

    def flat(items: Sequence[object], titles: list[str]) -> None:
        for item in items:
            if isinstance(item, list):
                flat(item, titles)
            else:
                titles.append(item.title)  # type: ignore[attr-defined]

    for layout in BUILDS:
        for tag in LANGUAGES:
            titles: list[str] = []
            flat(pypdf.PdfReader(_pdf(built, layout, tag)).outline, titles)
            assert len(titles) >= 3 and not [t for t in titles if ZWSP in t], titles
    for tag in LANGUAGES:
        assert ZWSP not in (built["resolution"] / f"linebreaks.{tag}.html").read_text(encoding="utf-8")
        with ZipFile(built["resolution"] / f"linebreaks.{tag}.docx") as docx:
            assert ZWSP not in docx.read("word/document.xml").decode("utf-8")
