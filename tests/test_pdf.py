"""The PDF edition as a print shop, a library and a reader meet it: paper and pages, running heads,
signatory columns without split entries or stranded headings, no overfull lines, hyphenation,
justification and quotation marks per language, metadata, outline, links, PDF/UA and PDF/A,
print marks, byte-identical builds — in both bundled layouts and in a user's copy of one.

PDFs are built by the real command line and read back with pypdf and poppler; where a test must
know where the layout engine put each box (an entry, a heading, a line), it lays the edition out
with WeasyPrint through typeset's own renderer and walks the pages' boxes — the very boxes the PDF
draws.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import unicodedata
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader
from ruamel.yaml import YAML

from tests.conftest import EDITIONS, EXAMPLES, REPO, Example, edition_path, examples, expected_entries, run_typeset
from tests.pdfcheck import assert_print_ready
from tests.pdfcheck import text as pdf_text
from tests.support import BIDI_CONTROLS, LAYOUTS, all_boxes, assert_signatories_in_order, classes_of, laid_out
from typeset.world import World

MM = 72 / 25.4
PAPER_POINTS = {"A4": (595.276, 841.89), "letter": (612.0, 792.0), "A5": (419.528, 595.276)}
RTL = {"ar", "fa", "ur", "he"}


# -- reading the sources and the PDFs ------------------------------------------------------------


def front_matter(example: Example, language: str) -> dict[str, Any]:
    text = (example.path / f"{language}.md").read_text(encoding="utf-8")
    return YAML(typ="safe").load(text.split("---")[1])


def document_yaml(example: Example) -> dict[str, Any]:
    return YAML(typ="safe").load((example.path / "document.yaml").read_text(encoding="utf-8"))


def localized(value: Any, language: str) -> str | None:
    if isinstance(value, dict):
        return value.get(language) or value.get(language.split("-")[0])
    return value


def page_size(page: Any, box: str = "/MediaBox") -> tuple[float, float]:
    left, bottom, right, top = (float(v) for v in page[box])
    return right - left, top - bottom


def words(pdf: Path, page: int | None = None) -> list[tuple[int, float, float, float, float, str]]:
    """(page, xMin, yMin, xMax, yMax, word) for every word poppler finds, y from the top."""
    args = ["pdftotext", "-bbox", "-enc", "UTF-8"] + (["-f", str(page), "-l", str(page)] if page else [])
    html = subprocess.run([*args, str(pdf), "-"], check=True, capture_output=True, encoding="utf-8").stdout
    found = []
    number = (page or 1) - 1
    for line in html.splitlines():
        if "<page " in line:
            number += 1
        match = re.search(r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<', line)
        if match:
            found.append((number, *(float(match[i]) for i in range(1, 5)), _unescape(match[5])))
    return found


def _unescape(text: str) -> str:
    return text.replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"')


def squash(text: str) -> str:
    return re.sub(r"[\s\u00ad\u2010\u2011-]+", "", unicodedata.normalize("NFC", text).translate(BIDI_CONTROLS))


def xmp(reader: PdfReader) -> str:
    return reader.trailer["/Root"]["/Metadata"].get_object().get_data().decode("utf-8")


def build(*args: str | Path, env: dict[str, str] | None = None) -> None:
    run_typeset("build", *args, "--force", env=env, check=True)


# -- laying an edition out with typeset's renderer, and walking its boxes -----------------------


def entry_fragments(document: Any) -> dict[Any, list[tuple[int, float]]]:
    """Every signatory entry (``li`` of a ``.signatories`` list) → the (page, column's x) of each
    piece of it the layout made: one piece unless it was split across a column or a page."""
    from weasyprint.formatting_structure import boxes

    pieces: dict[Any, list[tuple[int, float]]] = defaultdict(list)
    for number, page in enumerate(document.pages, 1):
        for box in all_boxes(page._page_box):
            if not isinstance(box, boxes.BlockBox) or box.element_tag != "ol" and box.element_tag != "ul":
                continue
            if "signatories" not in classes_of(box.element):
                continue
            for child in box.children:  # a column (an anonymous copy of the list), or the items
                items = child.children if child.element is box.element else [child]
                x = child.position_x
                for item in items:
                    if item.element_tag == "li":
                        pieces[item.element].append((number, round(x, 1)))
    return {element: sorted(set(where)) for element, where in pieces.items()}


def heading_pages(document: Any) -> list[tuple[str, int, int | None, bool]]:
    """Per signatory group: (heading, its page, the page of the group's first entry, whether
    anything of the group follows the heading on its page)."""
    from weasyprint.formatting_structure import boxes

    root = next(b.element for b in all_boxes(document.pages[0]._page_box) if b.element_tag == "html")
    parent = {child: element for element in root.iter() for child in element}
    first_entry: dict[Any, int] = {}
    headings: list[tuple[Any, str, int]] = []
    for number, page in enumerate(document.pages, 1):
        for box in all_boxes(page._page_box):
            if not isinstance(box, boxes.BlockBox) or box.element is None:
                continue
            if box.element_tag == "h2" and "group" in classes_of(parent.get(box.element)):
                headings.append((parent[box.element], "".join(box.element.itertext()), number))
            if box.element_tag == "li" and "signatories" in classes_of(parent.get(box.element)):
                first_entry.setdefault(parent[parent[box.element]], number)
    return [(text, page, first_entry.get(section), first_entry.get(section) == page)
            for section, text, page in headings]


def overfull_lines(document: Any) -> list[str]:
    """Every piece of text that sticks out of the block it is set in (its column, its cell, its
    margin box) by more than a quarter of a point; list markers hang outside by design."""
    from weasyprint.formatting_structure import boxes

    problems = []
    for number, page in enumerate(document.pages, 1):
        for block in all_boxes(page._page_box):
            if not isinstance(block, boxes.ParentBox) or isinstance(block, boxes.LineBox | boxes.InlineBox):
                continue
            left, right = block.content_box_x(), block.content_box_x() + block.width
            for line in (c for c in block.children if isinstance(c, boxes.LineBox)):
                for text in (b for b in all_boxes(line) if isinstance(b, boxes.TextBox)):
                    if (text.element_tag or "").endswith("::marker") or not text.text.strip():
                        continue  # markers hang outside by design; an empty box draws nothing
                    over = max(left - text.position_x, text.position_x + text.width - right)
                    if over > 0.33:  # CSS px: a quarter of a point
                        problems.append(f"page {number}: {text.text!r} sticks out by {over * 0.75:.1f} pt")
    return problems


# -- fixtures ----------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def leaflet(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every edition of every example in the leaflet layout, in every format."""
    out = tmp_path_factory.mktemp("leaflet")
    build(EXAMPLES, "--layout", "leaflet", "--out", out)
    return out


def many_groups(folder: Path, groups: int = 9) -> Path:
    """A document whose signatory groups end and begin all over the pages: 9 groups of 1 to 17
    entries of one to six lines, in English and Arabic."""
    folder.mkdir(parents=True, exist_ok=True)
    lines = ["id: many-groups", "organisation: Test Network", "date: 2024-05-01", "languages: [en, ar]",
             "source_language: en", "groups:"]
    words_en = "Union Federation Workers Association of the Garment Textile Transport and Allied Sectors".split()
    for g in range(groups):
        lines += [f"  - id: g{g}", f"    heading: {{en: Group {g + 1} of the signatories, ar: المجموعة {g + 1}}}",
                  "    entries:"]
        for e in range((g * 7) % 17 + 1):
            length = 2 + (e * 5 + g) % 11 + (30 if (e + g) % 5 == 0 else 0)
            name = " ".join(words_en[(g + e + k) % len(words_en)] for k in range(length))
            lines += [f"      - name: {name}", "        lang: en", "        country: KE"]
    (folder / "document.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (folder / "en.md").write_text("---\ntitle: Many groups\n---\n\n" + "A paragraph of text. " * 120 + "\n",
                                  encoding="utf-8")
    (folder / "ar.md").write_text("---\ntitle: مجموعات كثيرة\n---\n\n" + "فقرة من النص. " * 120 + "\n",
                                  encoding="utf-8")
    return folder


def copy_layout(name: str, target: Path, **edits: tuple[str, str]) -> Path:
    """A user's copy of a bundled layout, with ``file=(old, new)`` text replacements."""
    shutil.copytree(REPO / "layouts" / name, target)
    for file, (old, new) in edits.items():
        path = target / file.rstrip("_").replace("_", ".")  # layout_toml_: a second edit of layout.toml
        text = path.read_text(encoding="utf-8")
        assert old in text, f"{old!r} not in {path}"
        path.write_text(text.replace(old, new), encoding="utf-8")
    return target


# -- 1. paper and pages --------------------------------------------------------------------------------


@pytest.mark.parametrize("example,language", EDITIONS)
def test_resolution_is_a4_and_leaflet_a5_with_trim_and_bleed_at_the_page(built: Path, leaflet: Path,
                                                                          example: Example, language: str) -> None:
    for out, paper in ((built, "A4"), (leaflet, "A5")):
        reader = PdfReader(edition_path(out, language, "pdf", example.id))
        for page in reader.pages:
            assert page_size(page) == pytest.approx(PAPER_POINTS[paper], abs=0.01)
            assert page_size(page, "/TrimBox") == page_size(page, "/BleedBox") == page_size(page)


@pytest.mark.parametrize("layout,paper", [("resolution", "letter"), ("resolution", "A5"), ("leaflet", "A4")])
def test_paper_on_request(tmp_path: Path, layout: str, paper: str) -> None:
    build(EXAMPLES / "icor-2017", "-l", "de", "-f", "pdf", "--layout", layout, "--paper", paper, "--out", tmp_path)
    pdf = edition_path(tmp_path, "de", "pdf")
    for page in PdfReader(pdf).pages:
        assert page_size(page) == pytest.approx(PAPER_POINTS[paper], abs=0.01)
    assert overfull_lines(laid_out(EXAMPLES / "icor-2017", "de", layout, paper=paper)) == []


def test_print_mode_has_3mm_bleed_trim_box_and_crop_marks(tmp_path: Path) -> None:
    build(EXAMPLES / "icor-2017", "-l", "de", "-f", "pdf", "--print", "--out", tmp_path / "print")
    build(EXAMPLES / "icor-2017", "-l", "de", "-f", "pdf", "--out", tmp_path / "plain")
    printed = edition_path(tmp_path / "print", "de", "pdf")
    for page in PdfReader(printed).pages:
        trim = [float(v) for v in page["/TrimBox"]]
        bleed = [float(v) for v in page["/BleedBox"]]
        media = [float(v) for v in page["/MediaBox"]]
        assert trim == pytest.approx([0, 0, *PAPER_POINTS["A4"]], abs=0.01)
        assert bleed == pytest.approx([-3 * MM, -3 * MM, trim[2] + 3 * MM, trim[3] + 3 * MM], abs=0.01)
        assert media[0] < bleed[0] and media[1] < bleed[1] and media[2] > bleed[2] and media[3] > bleed[3]
    # crop marks: dark strokes in the slug (outside the bleed), on the lines of the trimmed edges
    assert _marks_in_slug(printed) > 0
    plain = PdfReader(edition_path(tmp_path / "plain", "de", "pdf")).pages[0]
    assert page_size(plain, "/MediaBox") == page_size(plain, "/TrimBox")


def _marks_in_slug(pdf: Path) -> int:
    """Dark pixels in the top-left corner of page 1 outside the BleedBox (at 72 dpi: 1 px = 1 pt)."""
    from PIL import Image

    subprocess.run(["pdftoppm", "-r", "72", "-f", "1", "-l", "1", "-png", "-singlefile", str(pdf),
                    str(pdf.with_suffix(""))], check=True)
    image = Image.open(pdf.with_suffix(".png")).convert("L")
    slug = int(10 * MM - 3 * MM) - 1  # the MediaBox is 10 mm beyond the trim, the bleed 3 mm
    return sum(1 for x in range(slug) for y in range(int(10 * MM) + 3) if image.getpixel((x, y)) < 128)


@pytest.mark.parametrize("example,language", EDITIONS)
def test_running_head_from_page_2_footer_and_page_label_on_every_page(built: Path, example: Example,
                                                                      language: str) -> None:
    from typeset.layout import load_layout
    from typeset.model.language import parse_language
    from typeset.model.localize import numbering_system, to_digits

    pdf = edition_path(built, language, "pdf", example.id)
    meta, doc = front_matter(example, language), document_yaml(example)
    lang = parse_language(language)
    label = load_layout(None, World([])).message("page", lang)
    pages = len(PdfReader(pdf).pages)
    right_to_left = language.split("-")[0] in RTL
    for number in range(1, pages + 1):
        found = words(pdf, number)
        heads = [w for w in found if w[2] < 22 * MM]  # above the top margin
        feet = [w for w in found if w[2] > PAPER_POINTS["A4"][1] - 25 * MM]
        digits = lambda n: to_digits(str(n), numbering_system(lang))  # noqa: E731
        shows(feet, label.format(page=digits(number), pages=digits(pages)), right_to_left)
        shows(feet, localized(doc["organisation"], language) or "", right_to_left)
        if number == 1:
            assert heads == [], f"page 1 has a running head: {heads}"
        else:
            shows(heads, meta.get("short_title") or meta["title"], right_to_left)
            width = PAPER_POINTS["A4"][0]
            start = width - max(w[3] for w in heads) if right_to_left else min(w[1] for w in heads)
            assert start < 25 * MM, "the running head belongs where the lines begin"


def shows(found: list[tuple[int, float, float, float, float, str]], text: str, right_to_left: bool) -> None:
    """The words (with their boxes) hold ``text``; poppler gives a right-to-left line's words in
    visual order, each spelled backwards, and lifts combining marks out of them (see
    test_editions) and drops the zero-width non-joiner, so there each word is looked for on its own,
    without its marks."""
    if not right_to_left:
        assert squash(text) in squash("".join(w[5] for w in found)), f"{text!r} not in {[w[5] for w in found]}"
        return

    def bare(word: str) -> str:
        return "".join(c for c in squash(word) if unicodedata.category(c) != "Mn" and c not in "\u200c\u200d")

    seen = {bare(w[5]) for w in found} | {bare(w[5])[::-1] for w in found}
    missing = [word for word in text.split() if bare(word) not in seen]
    assert not missing, f"{missing} of {text!r} not in {[w[5] for w in found]}"


# -- 2. the signatory list in columns --------------------------------------------------------------------------


@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("example,language", EDITIONS)
def test_no_entry_split_no_heading_stranded_no_overfull_line(example: Example, language: str, layout: str) -> None:
    document = laid_out(example.path, language, layout)
    split = {"".join(e.itertext()).strip()[:50]: where for e, where in entry_fragments(document).items()
             if len(where) > 1}
    assert not split, f"entries split across columns or pages: {split}"
    assert len(entry_fragments(document)) == len(expected_entries(language, example.path))
    for heading, page, entry_page, followed in heading_pages(document):
        assert followed, f"'{heading}' ends page {page}; its first entry is on page {entry_page}"
    assert overfull_lines(document) == []


@pytest.mark.parametrize("columns", [1, 2, 3])
@pytest.mark.parametrize("language", ["en", "ar"])
def test_columns_keep_entries_whole_and_headings_with_their_entries(tmp_path: Path, columns: int,
                                                                   language: str) -> None:
    source = many_groups(tmp_path / "doc")
    layout = copy_layout("leaflet", tmp_path / "layout", layout_toml=(
        "signatory_columns = 2", f"signatory_columns = {columns}"))
    document = laid_out(source, language, layout)
    pieces = entry_fragments(document)
    assert pieces and all(len(where) == 1 for where in pieces.values())
    used = {x for where in pieces.values() for _, x in where}
    assert len(used) == columns, f"entries sit in {len(used)} columns, not {columns}"
    assert all(followed for _, _, _, followed in heading_pages(document))
    assert overfull_lines(document) == []


def test_the_column_checks_see_split_entries_and_stranded_headings(tmp_path: Path) -> None:
    """The checks above are not blind: without the layout's rule that keeps an entry whole, the
    same document splits entries; a heading made to end its page is seen as stranded."""
    source = many_groups(tmp_path / "doc")
    splitting = copy_layout("leaflet", tmp_path / "splitting")
    stranding = copy_layout("leaflet", tmp_path / "stranding")
    for css in ("print.css", "edition.css"):
        text = (splitting / css).read_text(encoding="utf-8").replace("break-inside: avoid;", "")
        (splitting / css).write_text(text + "\nli { orphans: 1; widows: 1; }\n", encoding="utf-8")
    with open(stranding / "print.css", "a", encoding="utf-8") as css:
        css.write("\n.group h2 { break-after: page; }\n")
    for language in ("en", "ar"):
        assert any(len(where) > 1 for where in entry_fragments(laid_out(source, language, splitting)).values())
        assert not any(followed for *_, followed in heading_pages(laid_out(source, language, stranding)))


def test_the_overfull_check_sees_a_word_wider_than_its_column(tmp_path: Path) -> None:
    source = many_groups(tmp_path / "doc", groups=2)
    text = (source / "document.yaml").read_text(encoding="utf-8")
    (source / "document.yaml").write_text(text.replace("name: ", "name: Donaudampfschifffahrtselektrizitäts"
                                                                  "hauptbetriebswerkbauunterbeamtengesellschaft ", 1),
                                          encoding="utf-8")
    narrow = {"layout_toml": ("signatory_columns = 2", "signatory_columns = 3")}
    guarded = copy_layout("leaflet", tmp_path / "guarded", **narrow)  # overflow-wrap: break-word
    unguarded = copy_layout("leaflet", tmp_path / "unguarded", print_css=(
        "  overflow-wrap: break-word;\n", ""), **narrow)
    assert overfull_lines(laid_out(source, "en", guarded)) == []
    assert overfull_lines(laid_out(source, "en", unguarded))


# -- 3. typography ---------------------------------------------------------------------------------------------


def _body_lines(pdf: Path, page: int = 1) -> list[tuple[float, float, str]]:
    """(left, right, text) of each line of the main text block on a page (pdftotext -bbox-layout)."""
    html = subprocess.run(["pdftotext", "-bbox-layout", "-f", str(page), "-l", str(page), str(pdf), "-"],
                          check=True, capture_output=True, encoding="utf-8").stdout
    lines = []
    for block in re.findall(r"<line (.*?)</line>", html, re.S):
        box = re.match(r'xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)"', block)
        text = " ".join(_unescape(w) for w in re.findall(r">([^<]*)</word>", block))
        if box:
            lines.append((float(box[1]), float(box[2]), text))
    return lines


def _drawn_lines(pdf: Path, page: int = 1) -> list[str]:
    """The text of each line of a page as its glyphs read, ActualText ignored (PyMuPDF): what the
    page shows, such as the hyphens of hyphenation, which the text layer leaves out."""
    import pymupdf

    with pymupdf.open(pdf) as document:
        blocks = document[page - 1].get_text("dict", flags=pymupdf.TEXT_IGNORE_ACTUALTEXT)["blocks"]
    return ["".join(span["text"] for span in line["spans"]).strip()
            for block in blocks for line in block.get("lines", [])]


def test_german_text_is_justified_and_hyphenated(built: Path) -> None:
    pdf = edition_path(built, "de", "pdf")
    lines = _body_lines(pdf)
    right = max(r for _, r, _ in lines)
    flush = [t for _, r, t in lines if abs(r - right) < 0.8]
    assert len(flush) >= 20, "the German text is not justified"
    # the hyphens are drawn, not text: the text layer gives each broken word back whole
    assert not [t for t in flush if t.endswith("\u2010")], "a hyphen WeasyPrint added is in the text layer"
    hyphenated = [t for t in _drawn_lines(pdf) if t.endswith(("-", "\u2010"))]
    source = (EXAMPLES / "icor-2017" / "de.md").read_text(encoding="utf-8")
    broken = [t.split()[-1].rstrip("-\u2010") for t in hyphenated]
    assert any(word and not re.search(re.escape(word) + r"-", source) for word in broken), \
        f"no word is hyphenated at a line end: {hyphenated}"


def test_arabic_text_is_set_ragged_and_right_to_left(built: Path) -> None:
    heat = next(e for e in examples() if e.path.name == "extreme-heat-2024")
    lines = [(left, right) for left, right, text in _body_lines(edition_path(built, "ar", "pdf", heat.id))
             if re.search("[\u0600-\u06ff]", text)]
    edge = max(right for _, right in lines)
    full = [left for left, right in lines if abs(right - edge) < 1 and right - left > 300]
    assert len(full) >= 10, "Arabic lines must begin at the right edge"
    assert max(full) - min(full) > 10, "Arabic lines must end ragged on the left (not justified)"


QUOTES = {"de": "„{}“", "en-GB": "“{}”", "ru": "«{}»", "en": "“{}”", "ar": "”{}“", "fa": "«{}»", "ja": "「{}」",
          "zh-Hans": "“{}”", "el": "«{}»", "hi": "“{}”", "bn": "“{}”"}


@pytest.mark.parametrize("example,language", EDITIONS)
def test_leaflet_quotes_the_title_in_the_marks_of_the_language(leaflet: Path, example: Example,
                                                               language: str) -> None:
    text = squash(pdf_text(edition_path(leaflet, language, "pdf", example.id)))
    title = squash(front_matter(example, language)["title"])
    quoted = squash(QUOTES[language].format(title))
    if language.split("-")[0] in RTL:  # poppler reorders the marks of a right-to-left line
        assert title in text and all(mark in text for mark in QUOTES[language].split("{}"))
    else:
        assert quoted in text, f"{quoted} not in the {language} leaflet"


def test_french_guillemets_get_a_narrow_no_break_space_and_a_quote_takes_the_marks_around_it() -> None:
    from typeset.model.language import parse_language
    from typeset.render.quotes import quotation_marks

    assert quotation_marks(parse_language("fr"), World([])) == ("«\u202f", "\u202f»", "«\u202f", "\u202f»")
    assert quotation_marks(parse_language("fr-CH"), World([]))[:2] == ("«", "»")
    assert quotation_marks(parse_language("zh-Hant"), World([]))[:2] == ("「", "」")
    assert quotation_marks(parse_language("zh-Hans"), World([]))[:2] == ("“", "”")


# -- 4. metadata and navigation --------------------------------------------------------------------------------


@pytest.mark.parametrize("example,language", EDITIONS)
def test_metadata_title_author_subject_keywords_language_and_dates(built: Path, example: Example,
                                                                   language: str) -> None:
    reader = PdfReader(edition_path(built, language, "pdf", example.id))
    info, meta, doc = reader.metadata, front_matter(example, language), document_yaml(example)
    organisation = localized(doc["organisation"], language)
    assert info.title == meta["title"]
    assert info.author == organisation
    assert (meta.get("subtitle") or meta["title"]) in info.subject and organisation in info.subject
    keywords = meta.get("keywords") or [k for k in (organisation, localized(doc.get("place"), language)) if k]
    assert info["/Keywords"] == ", ".join(keywords)
    date = doc["date"].strftime("%Y%m%d")
    assert info["/CreationDate"] == info["/ModDate"] == f"D:{date}000000+00'00"
    assert reader.trailer["/Root"]["/Lang"] == language
    packet = xmp(reader)  # the default variant (PDF/UA-1) repeats them in XMP
    assert f"<rdf:li xml:lang=\"x-default\">{_xml(meta['title'])}</rdf:li>" in packet
    assert f"<rdf:li>{_xml(organisation)}</rdf:li>" in packet
    assert f"<xmp:CreateDate>{doc['date'].isoformat()}T00:00:00+00:00</xmp:CreateDate>" in packet


def _xml(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def test_source_date_epoch_dates_the_pdf_and_two_builds_are_byte_identical(tmp_path: Path) -> None:
    epoch = {"SOURCE_DATE_EPOCH": "1700000000"}  # 2023-11-14 22:13:20 UTC
    for variant in ("pdf/ua-1", "pdf/a-3u", "plain"):
        for run in ("one", "two"):
            build(EXAMPLES / "extreme-heat-2024", "-l", "ar", "-l", "hi", "-f", "pdf", "--pdf-variant", variant,
                  "--out", tmp_path / variant.replace("/", "-") / run, env=epoch)
        for language in ("ar", "hi"):
            one, two = (edition_path(tmp_path / variant.replace("/", "-") / run, language, "pdf",
                                     "extreme-heat-2024") for run in ("one", "two"))
            assert one.read_bytes() == two.read_bytes(), f"{variant} {language}: two builds differ"
            info = PdfReader(one).metadata
            assert info["/CreationDate"] == info["/ModDate"] == "D:20231114221320+00'00"
    for run in ("one", "two"):
        build(EXAMPLES / "icor-2017", "-l", "ru", "-f", "pdf", "--print", "--layout", "leaflet",
              "--out", tmp_path / "print" / run)
    assert edition_path(tmp_path / "print" / "one", "ru", "pdf").read_bytes() == \
        edition_path(tmp_path / "print" / "two", "ru", "pdf").read_bytes()


@pytest.mark.parametrize("example,language", EDITIONS)
def test_outline_has_the_title_the_slogans_and_every_group(built: Path, example: Example, language: str) -> None:
    from typeset.layout import load_layout
    from typeset.model.language import parse_language

    reader = PdfReader(edition_path(built, language, "pdf", example.id))
    outline = reader.outline
    assert len(outline) == 2 and not isinstance(outline[0], list), "one top entry: the title"
    title, children = outline
    # as printed: the title's last two words joined by a no-break space (tests/test_typography.py)
    assert title.title.replace("\u00a0", " ") == front_matter(example, language)["title"]
    names = [child.title for child in children if not isinstance(child, list)]
    headings = [localized(group["heading"], language) for group in document_yaml(example)["groups"]]
    slogans = load_layout(None, World([])).message("slogans", parse_language(language))
    assert names == [slogans, *headings]
    pages = [reader.get_destination_page_number(child) for child in children if not isinstance(child, list)]
    assert pages == sorted(pages) and reader.get_destination_page_number(title) == 0


def test_links_are_live_and_where_their_text_is(tmp_path: Path) -> None:
    source = tmp_path / "doc"
    run_typeset("new", source, "--lang", "en", "--lang", "de", check=True)
    url = "https://example.org/heat/declaration?lang=en"
    for language in ("en", "de"):
        path = source / f"{language}.md"
        path.write_text(path.read_text(encoding="utf-8") + f"\nRead the [full text]({url}) online.\n",
                        encoding="utf-8")
    build(source, "-f", "pdf", "--out", tmp_path / "out")
    pdf = next((tmp_path / "out").rglob("*.en.pdf"))
    reader = PdfReader(pdf)
    links = [(number, annotation.get_object()) for number, page in enumerate(reader.pages, 1)
             for annotation in page.get("/Annots", [])
             if annotation.get_object()["/Subtype"] == "/Link"]
    number, link = next((n, a) for n, a in links if a["/A"]["/URI"] == url)
    height = float(reader.pages[number - 1].mediabox.top)
    x1, y1, x2, y2 = (float(v) for v in link["/Rect"])  # two opposite corners, in either order
    left, right, bottom, top = min(x1, x2), max(x1, x2), min(y1, y2), max(y1, y2)
    found = words(pdf, number)
    at = next(i for i, w in enumerate(found) if w[5] == "full" and found[i + 1][5] == "text")
    for word in found[at:at + 2]:  # the link's rectangle is around its text
        assert left - 1 <= word[1] and word[3] <= right + 1 and height - top - 1 <= word[2] <= height - bottom + 1


# -- 5. variants -----------------------------------------------------------------------------------------------


def _structure_languages(reader: PdfReader) -> dict[str, int]:
    found: dict[str, int] = defaultdict(int)
    stack = [reader.trailer["/Root"]["/StructTreeRoot"].get_object()]
    while stack:
        node = stack.pop()
        if "/Lang" in node:
            found[str(node["/Lang"])] += 1
        kids = node.get("/K", [])
        for kid in kids if isinstance(kids, list) else [kids]:
            kid = kid.get_object() if hasattr(kid, "get_object") else kid
            if isinstance(kid, dict):
                stack.append(kid)
    return found


def test_default_variant_is_tagged_pdf_ua_with_languages_of_names(built: Path) -> None:
    from typeset.render.pdf import DEFAULT_VARIANT

    assert DEFAULT_VARIANT == "pdf/ua-1"
    reader = PdfReader(edition_path(built, "en-GB", "pdf"))
    root = reader.trailer["/Root"]
    assert root["/MarkInfo"]["/Marked"] and root["/ViewerPreferences"]["/DisplayDocTitle"]
    assert "/StructTreeRoot" in root and root["/Lang"] == "en-GB"
    assert 'pdfuaid:part="1"' in xmp(reader) or "<pdfuaid:part>1</pdfuaid:part>" in xmp(reader)
    languages = _structure_languages(reader)
    assert languages.get("bg") and languages.get("fr") and languages.get("tr"), dict(languages)  # the names


def test_pdf_a_3u_is_archival(tmp_path: Path) -> None:
    build(EXAMPLES / "extreme-heat-2024", "-l", "ar", "-f", "pdf", "--pdf-variant", "pdf/a-3u", "--out", tmp_path)
    pdf = edition_path(tmp_path, "ar", "pdf", "extreme-heat-2024")
    reader = PdfReader(pdf)
    packet = xmp(reader)
    assert re.search(r'pdfaid:part="3"|<pdfaid:part>3<', packet)
    assert re.search(r'pdfaid:conformance="U"|<pdfaid:conformance>U<', packet)
    intent = reader.trailer["/Root"]["/OutputIntents"][0].get_object()
    assert intent["/S"] == "/GTS_PDFA1" and intent["/DestOutputProfile"].get_object().get_data()
    assert reader.trailer["/ID"][0] and reader.metadata.title
    assert_print_ready(pdf)


# -- 6. layouts are pluggable -----------------------------------------------------------------------------------


@pytest.mark.parametrize("example,language", EDITIONS)
def test_leaflet_has_every_signatory_in_order_and_no_box(leaflet: Path, example: Example, language: str) -> None:
    """Read column by column (poppler's own reading order takes two narrow columns for one and
    interleaves their lines; a tagged PDF gives readers the order of the tags)."""
    pdf = edition_path(leaflet, language, "pdf", example.id)
    document = laid_out(example.path, language, "leaflet")
    text = columns_text(pdf, document, right_to_left=language.split("-")[0] in RTL)
    # poppler lifts single Nastaliq letters out of a narrow column's line onto lines of their own,
    # between the words of the romanized name (see test_editions): leave those lines out
    text = "\n".join(line for line in text.splitlines()
                     if not re.fullmatch(r"[\u0600-\u06ff\s\u202a-\u202e]*", line)
                     or len(re.sub(r"[\s\u202a-\u202e]", "", line)) > 2)
    assert_signatories_in_order(text, expected_entries(language, example.path), language)
    assert_print_ready(pdf)
    for format_name in ("docx", "html"):
        assert edition_path(leaflet, language, format_name, example.id).stat().st_size > 0


def columns_text(pdf: Path, document: Any, right_to_left: bool) -> str:
    """The text of the signatory lists, column after column, page after page: poppler reads each
    column's area (``pdftotext -x -y -W -H``), found where the layout put the column."""
    from weasyprint.formatting_structure import boxes

    parts = []
    for number, page in enumerate(document.pages, 1):
        for box in all_boxes(page._page_box):
            if not (isinstance(box, boxes.BlockBox) and box.element_tag in ("ol", "ul")
                    and "signatories" in classes_of(box.element)):
                continue
            columns = [c for c in box.children if c.element is box.element] or [box]
            marker = (box.padding_right if right_to_left else box.padding_left) * 0.75  # the numbers hang there
            for column in sorted(columns, key=lambda c: c.position_x, reverse=right_to_left):
                x, y = column.content_box_x() * 0.75, column.content_box_y() * 0.75
                width, height = column.width * 0.75, column.height * 0.75
                area = {"-x": x - (0 if right_to_left else marker), "-y": y - 8, "-W": width + marker,
                        "-H": height + 16}  # Nastaliq reaches far above and below its lines
                parts.append(subprocess.run(
                    ["pdftotext", "-f", str(number), "-l", str(number),
                     *(str(v) for item in area.items() for v in (item[0], round(item[1]))), "-enc", "UTF-8",
                     str(pdf), "-"], check=True, capture_output=True, encoding="utf-8").stdout)
    return "\n".join(parts)


def test_a_copied_and_edited_layout_is_used(tmp_path: Path) -> None:
    mine = copy_layout(
        "leaflet", tmp_path / "my-layout",
        layout_toml=("signatory_columns = 2", "signatory_columns = 3"),
        layout_toml_=("top-start = \"{short_title}\"", "top-start = \"{open_quote}{short_title}{close_quote}\""),
        edition_html_j2=('<footer class="colophon">',
                         '<p class="motto"><q lang="fr">{{ edition.organisation }}</q></p>\n<footer class="colophon">'),
        edition_css=("--accent: #0c5a5e;", "--accent: #7a1f5c;"))
    build(EXAMPLES / "icor-2017", "-l", "de", "-f", "pdf", "--layout", mine, "--out", tmp_path / "out")
    pdf = edition_path(tmp_path / "out", "de", "pdf")
    assert "„ICOR“" in pdf_text(pdf)  # the quotation takes the marks of the German text around it
    assert "„ICOR-Resolution“" in "".join(w[5] for w in words(pdf, 2) if w[2] < 14 * MM)  # the running head
    document = laid_out(EXAMPLES / "icor-2017", "de", mine)
    assert len({x for where in entry_fragments(document).values() for _, x in where}) == 3
    from PIL import Image

    subprocess.run(["pdftoppm", "-r", "20", "-f", "1", "-l", "1", "-png", "-singlefile", str(pdf),
                    str(tmp_path / "page")], check=True)
    assert Image.open(tmp_path / "page.png").convert("RGB").getpixel((20, 10)) == pytest.approx((0x7a, 0x1f, 0x5c),
                                                                                                 abs=12)


@pytest.mark.parametrize("edit,message", [
    (("paper = \"A5\"", "paper = \"B5\""), "unknown paper 'B5'"),
    (("top-end = \"{organisation}\"", "top-end = \"{author}\""), "names author"),
    (("top-end = \"{organisation}\"", "top-middle = \"x\""), "no page margin box 'top-middle'"),
    (("signatory_columns = 2", "signatory_columns = 4"), "signatory_columns = 4"),
])
def test_a_broken_layout_is_reported(tmp_path: Path, edit: tuple[str, str], message: str) -> None:
    mine = copy_layout("leaflet", tmp_path / "layout", layout_toml=edit)
    result = run_typeset("build", EXAMPLES / "icor-2017", "-f", "pdf", "--layout", mine, "--out", tmp_path / "out")
    assert result.returncode == 2
    assert message in result.stderr and "Traceback" not in result.stderr


HEBREW_DOCUMENT = """\
id: histadrut
organisation: Histadrut
date: 1948-12-10
place:
  he: Tel Aviv
languages: [he]
source_language: he
groups:
  - id: signatories
    numbering: restart
    heading:
      he: החותמים
    entries:
      - name: הסתדרות העובדים
        lang: he
"""


@pytest.mark.parametrize("layout", ["resolution", "leaflet"])
def test_running_footer_fields_keep_their_places_in_a_right_to_left_edition(tmp_path: Path, layout: str) -> None:
    """Issue 11: the Hebrew footer "{organisation} · {date}" of an organisation with a Latin name
    read "1948 בדצמבר Histadrut · 10", the day drawn after the name. Each field is an isolate:
    right to left, the name comes first and every digit of the date stands left of it (and
    the leaflet's "{dateline}" keeps the day away from the Latin place in the same way)."""
    from tests.pdfcheck import drawn_glyphs

    source = tmp_path / "histadrut"
    source.mkdir()
    (source / "document.yaml").write_text(HEBREW_DOCUMENT, encoding="utf-8")
    (source / "he.md").write_text("---\ntitle: הצהרה משותפת\n---\n\nאנו דורשים הגנה מפני חום קיצוני.\n",
                                  encoding="utf-8")
    build(source, "-f", "pdf", "--layout", layout, "--out", tmp_path / "out")
    glyphs = [g for g in drawn_glyphs(tmp_path / "out" / "histadrut" / "histadrut.he.pdf") if g.page == 1]
    width = max(g.x for g in glyphs) + min(g.x for g in glyphs)
    foot = [g for g in glyphs if g.y < 20 * MM and g.x > width / 2]  # the box where the lines begin: the right
    latin = [g.x for g in foot if g.text.isascii() and g.text.isalpha()]
    numbers = [g.x for g in foot if unicodedata.category(g.text[:1]) == "Nd"]
    assert latin and numbers, "".join(g.text for g in foot)
    assert min(latin) > max(numbers), "".join(g.text for g in sorted(foot, key=lambda g: g.x))
