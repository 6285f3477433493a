"""The DOCX editions: named styles, live Word numbering, languages, properties, same bytes.

Real renders of the example (and of editions derived from it), read back with python-docx
and lxml; the slow test has LibreOffice lay the documents out to prove the numbering is live.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import os
import re
import shutil
import subprocess
import sys
from dataclasses import replace
from io import BytesIO
from pathlib import Path
from zipfile import ZipFile

import pytest
from docx import Document
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml.ns import qn
from lxml import etree

from tests.libreoffice import libreoffice_convert
from typeset.errors import RenderError
from typeset.fonts import load_fonts
from typeset.layout import load_layout
from typeset.model import make_edition, parse_language
from typeset.model.document import (
    BlockQuote,
    BulletList,
    Code,
    CodeBlock,
    Emphasis,
    Heading,
    LineBreak,
    Link,
    ListItem,
    OrderedList,
    Paragraph,
    Strong,
    Text,
    ThematicBreak,
)
from typeset.model.edition import Edition
from typeset.render import RenderContext
from typeset.render.docx import render
from typeset.source import load_document
from typeset.world import World

REPO = Path(__file__).resolve().parent.parent
EXAMPLE = REPO / "examples" / "icor-2017"
BUILD_TIME = dt.datetime(2017, 3, 31, 12, 30, tzinfo=dt.UTC)
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W, "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships"}


# -- fixtures and helpers -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def context() -> RenderContext:
    layout = load_layout("resolution", World([]))
    world = World([EXAMPLE, layout.root])
    return RenderContext(layout, load_fonts(world), world, BUILD_TIME)


@pytest.fixture(scope="module")
def source():  # type: ignore[no-untyped-def]
    document = load_document(EXAMPLE, World([])).document
    assert document is not None
    return document


@pytest.fixture(scope="module")
def german(source) -> Edition:  # type: ignore[no-untyped-def]
    return make_edition(source, "de")


@pytest.fixture(scope="module")
def german_docx(german: Edition, context: RenderContext) -> bytes:
    return render(german, context)


def part(data: bytes, name: str) -> etree._Element:
    with ZipFile(BytesIO(data)) as package:
        return etree.fromstring(package.read(name))


def body_paragraphs(data: bytes) -> list[etree._Element]:
    return part(data, "word/document.xml").findall("w:body/w:p", NS)


def style_names(data: bytes) -> dict[str, str]:
    """Style ids to names (python-docx's names, so 'Heading 2' rather than 'heading 2')."""
    return {style.style_id: style.name for style in Document(BytesIO(data)).styles}


def paragraph_style(p: etree._Element, names: dict[str, str]) -> str:
    style = p.find("w:pPr/w:pStyle", NS)
    return names[style.get(qn("w:val"))] if style is not None else "Normal"


def text_of(element: etree._Element) -> str:
    return "".join(t.text or "" for t in element.iter(qn("w:t")))


def num_id(p: etree._Element) -> int | None:
    found = p.find("w:pPr/w:numPr/w:numId", NS)
    return int(found.get(qn("w:val"))) if found is not None else None


def run_with(data: bytes, text: str) -> etree._Element:
    runs = [r for r in part(data, "word/document.xml").iter(qn("w:r")) if text_of(r) == text]
    assert runs, f"no run reads {text!r}"
    return runs[0]


def abstract_of(numbering: etree._Element, num: int) -> etree._Element:
    abstract_id = numbering.find(f"w:num[@w:numId='{num}']/w:abstractNumId", NS).get(qn("w:val"))
    return numbering.find(f"w:abstractNum[@w:abstractNumId='{abstract_id}']", NS)


def start_override(numbering: etree._Element, num: int, level: int = 0) -> int | None:
    found = numbering.find(f"w:num[@w:numId='{num}']/w:lvlOverride[@w:ilvl='{level}']/w:startOverride", NS)
    return int(found.get(qn("w:val"))) if found is not None else None


# -- styles and structure ---------------------------------------------------------------------------


def test_every_paragraph_has_the_style_of_its_part(german: Edition, german_docx: bytes) -> None:
    names = style_names(german_docx)
    styles = [paragraph_style(p, names) for p in body_paragraphs(german_docx)]
    body: list[str] = []
    for block in german.body:
        assert isinstance(block, Paragraph | BulletList), "the example's text has paragraphs and bullets only"
        body += ["Body Text"] if isinstance(block, Paragraph) else ["List Bullet"] * len(block.items)
    signatories = []
    for group in german.groups:
        signatories.append("Signatories Heading")
        signatories += ["Signatory" if group.numbered else "Signatory Unnumbered"] * len(group.entries)
    assert styles == ["Organisation", "Title", "Date Line", *body, *["Slogan"] * len(german.slogans), *signatories]


def test_title_block_and_signatory_text(german: Edition, german_docx: bytes) -> None:
    paragraphs = body_paragraphs(german_docx)
    assert [text_of(p) for p in paragraphs[:3]] == ["ICOR", german.title, german.date_text]
    names = style_names(german_docx)
    entries = [p for p in paragraphs if paragraph_style(p, names).startswith("Signatory")]
    first = entries[0]
    assert text_of(first) == ("ORCOrganisation Révolutionnaire du Congo (Revolutionäre Organisation des Kongo), "
                              "Demokratische Republik Kongo")
    assert first.find("w:r/w:tab", NS) is not None, "a tab leads from the abbreviation to the name"
    abbreviation = first.find("w:r", NS)
    assert abbreviation.find("w:rPr/w:rStyle", NS).get(qn("w:val")) == "Abbreviation"
    assert text_of(entries[29]) == ("RMPРоссийская маоистская партия (Rossijskaya maoistskaya partiya) "
                                    "(Russische Maoistische Partei)")
    assert text_of(entries[30]) == "Trotz alledem!, Deutschland"
    assert entries[30].find("w:r/w:tab", NS) is not None, "a name without abbreviation stands in the name column"
    wide = entries[6]  # "CPI (ML) Red Star" is wider than the abbreviation column: the name follows on its line
    assert wide.find("w:r/w:br", NS) is None and wide.find("w:r/w:tab", NS) is None
    assert text_of(wide).startswith("CPI (ML) Red Star Communist Party")
    for p in entries:  # the numbers are Word's, never typed
        assert not re.match(r"\s*\d+[.)]", text_of(p))


def test_the_template_body_is_gone_but_its_section_stays(german_docx: bytes) -> None:
    body = part(german_docx, "word/document.xml").find("w:body", NS)
    assert body[-1].tag == qn("w:sectPr")
    assert len(body.findall("w:sectPr", NS)) == 1
    assert "Title of the resolution" not in text_of(body)
    size = body.find("w:sectPr/w:pgSz", NS)
    assert (size.get(qn("w:w")), size.get(qn("w:h"))) == ("11906", "16838")  # A4


# -- numbering --------------------------------------------------------------------------------------


def test_signatories_share_one_word_list_and_the_unnumbered_have_none(german_docx: bytes) -> None:
    names = style_names(german_docx)
    paragraphs = body_paragraphs(german_docx)
    numbered = [p for p in paragraphs if paragraph_style(p, names) == "Signatory"]
    unnumbered = [p for p in paragraphs if paragraph_style(p, names) == "Signatory Unnumbered"]
    bullets = [p for p in paragraphs if paragraph_style(p, names) == "List Bullet"]
    assert len(numbered) == 30 and len(unnumbered) == 1
    ids = {num_id(p) for p in numbered}
    assert len(ids) == 1 and None not in ids, "28 + 2 continue one list instance"
    assert all(p.find("w:pPr/w:numPr/w:ilvl", NS).get(qn("w:val")) == "0" for p in numbered)
    assert unnumbered[0].find("w:pPr/w:numPr", NS) is None
    bullet_ids = {num_id(p) for p in bullets}
    assert len(bullet_ids) == 1 and bullet_ids.isdisjoint(ids) and None not in bullet_ids


def test_numbering_part_defines_the_lists(german_docx: bytes) -> None:
    names = style_names(german_docx)
    paragraphs = body_paragraphs(german_docx)
    signatory_num = next(num_id(p) for p in paragraphs if paragraph_style(p, names) == "Signatory")
    bullet_num = next(num_id(p) for p in paragraphs if paragraph_style(p, names) == "List Bullet")
    numbering = part(german_docx, "word/numbering.xml")
    kinds = [etree.QName(child).localname for child in numbering]
    assert kinds == sorted(kinds), "every w:abstractNum comes before every w:num"
    level = abstract_of(numbering, signatory_num).find("w:lvl[@w:ilvl='0']", NS)
    assert level.find("w:numFmt", NS).get(qn("w:val")) == "decimal"
    assert level.find("w:lvlText", NS).get(qn("w:val")) == "%1."
    assert level.find("w:lvlJc", NS).get(qn("w:val")) == "right"
    indent = level.find("w:pPr/w:ind", NS)
    assert int(indent.get(qn("w:hanging"))) > 0
    assert start_override(numbering, signatory_num) == 1
    bullet_level = abstract_of(numbering, bullet_num).find("w:lvl[@w:ilvl='0']", NS)
    assert bullet_level.find("w:numFmt", NS).get(qn("w:val")) == "bullet"
    ids = [n.get(qn("w:numId")) for n in numbering.findall("w:num", NS)]
    assert len(ids) == len(set(ids))


def test_a_restarted_sequence_is_a_new_list_and_a_continued_one_is_not(
        german: Edition, context: RenderContext) -> None:
    first, later, extra = german.groups
    groups = (
        first,
        replace(later, numbering="restart", sequence=2, start=1),
        replace(extra, numbering="continue", sequence=2, start=3, entries=later.entries),
        replace(first, id="fresh", numbering="restart", sequence=3, start=100, entries=later.entries),
    )
    data = render(replace(german, groups=groups), context)
    names = style_names(data)
    numbered = [p for p in body_paragraphs(data) if paragraph_style(p, names) == "Signatory"]
    sizes = [len(g.entries) for g in groups]
    chunks, at = [], 0
    for size in sizes:
        chunks.append({num_id(p) for p in numbered[at:at + size]})
        at += size
    assert all(len(chunk) == 1 for chunk in chunks)
    ids = [chunk.pop() for chunk in chunks]
    assert ids[0] != ids[1] and ids[1] == ids[2] and ids[3] not in (ids[0], ids[1])
    numbering = part(data, "word/numbering.xml")
    assert [start_override(numbering, i) for i in (ids[0], ids[1], ids[3])] == [1, 1, 100]


# -- the text: inline formatting, links, lists ------------------------------------------------------


RICH_BODY = (
    Heading(1, (Text("Erste Ebene"),)),
    Paragraph((Text("Ganz "), Strong((Text("fett"),)), Text(" und "), Emphasis((Text("kursiv"),)),
               Text(", "), Code("x  = 1"), LineBreak(), Text("neue Zeile, "),
               Link("https://example.org/icor", (Text("ein Verweis"),), "Titel"), Text(", "),
               Link("#group-signatories", (Text("die Unterzeichner"),)), Text("."))),
    OrderedList((ListItem((Paragraph((Text("drei"),)),)), ListItem((Paragraph((Text("vier"),)),))), start=3),
    OrderedList((ListItem((Paragraph((Text("eins"),)),
                           BulletList((ListItem((Paragraph((Text("innen"),)),)),)),
                           Paragraph((Text("weiter"),)))),)),
    BlockQuote((Paragraph((Text("Zitat"),)),)),
    CodeBlock("a = 1\n  b = 2\n"),
    ThematicBreak(),
    Heading(5, (Text("Tief"),)),
)


@pytest.fixture(scope="module")
def rich_docx(german: Edition, context: RenderContext) -> bytes:
    return render(replace(german, body=RICH_BODY), context)


def test_blocks_map_to_styles(rich_docx: bytes) -> None:
    names = style_names(rich_docx)
    styles = [paragraph_style(p, names) for p in body_paragraphs(rich_docx)][3:14]
    assert styles == ["Heading 2", "Body Text", "List Number", "List Number", "List Number", "List Bullet",
                      "List Continue", "Quote", "HTML Preformatted", "Thematic Break", "Heading 4"]


def test_bold_and_italic_are_character_styles_for_every_script(rich_docx: bytes) -> None:
    """**fett** and *kursiv* take Word's Strong and Emphasis styles, whose bold and italic cover
    the complex scripts too (w:bCs, w:iCs): restyling Strong changes every bold word."""
    styles = part(rich_docx, "word/styles.xml")
    for text, style, flags in (("fett", "Strong", ("b", "bCs")), ("kursiv", "Emphasis", ("i", "iCs"))):
        rpr = run_with(rich_docx, text).find("w:rPr", NS)
        assert rpr.find("w:rStyle", NS).get(qn("w:val")) == style
        assert [child for child in rpr if etree.QName(child).localname in flags] == [], "no direct formatting"
        defined = styles.find(f"w:style[@w:styleId='{style}']/w:rPr", NS)
        assert all(defined.find(f"w:{flag}", NS) is not None for flag in flags)
    plain = run_with(rich_docx, "Ganz ")
    assert plain.find("w:rPr", NS) is None, "no direct formatting where the style does it"


def test_only_scripts_and_combinations_get_direct_formatting(german_docx: bytes, rich_docx: bytes) -> None:
    """Direct run formatting: fonts, language and direction for a script, and bold or italic only
    inside a link or code (a run has one character style)."""
    allowed = {"rStyle", "rFonts", "lang", "rtl", "b", "bCs", "i", "iCs"}
    for data in (german_docx, rich_docx):
        for r in part(data, "word/document.xml").iter(qn("w:r")):
            rpr = r.find("w:rPr", NS)
            if rpr is None:
                continue
            kinds = {etree.QName(child).localname for child in rpr}
            assert kinds <= allowed, kinds
            if kinds & {"b", "bCs", "i", "iCs"}:
                assert rpr.find("w:rStyle", NS).get(qn("w:val")) in ("Hyperlink", "HTMLCode"), text_of(r)


def test_code_line_breaks_and_links(rich_docx: bytes) -> None:
    code = run_with(rich_docx, "x  = 1")
    assert code.find("w:rPr/w:rStyle", NS).get(qn("w:val")) == "HTMLCode"
    assert code.find("w:t", NS).get("{http://www.w3.org/XML/1998/namespace}space") == "preserve"
    paragraph = code.getparent()
    assert paragraph.find("w:r/w:br", NS) is not None
    link = paragraph.find("w:hyperlink", NS)
    assert link is not None and text_of(link) == "ein Verweis"
    assert link.find("w:r/w:rPr/w:rStyle", NS).get(qn("w:val")) == "Hyperlink"
    assert link.get(qn("w:tooltip")) == "Titel"
    relationship = Document(BytesIO(rich_docx)).part.rels[link.get(qn("r:id"))]
    assert relationship.is_external and relationship.reltype == RT.HYPERLINK
    assert relationship.target_ref == "https://example.org/icor"
    block = [p for p in body_paragraphs(rich_docx) if text_of(p).startswith("a = 1")][0]
    assert text_of(block) == "a = 1  b = 2" and len(block.findall("w:r/w:br", NS)) == 1


def test_headings_are_bookmarked_and_internal_links_go_to_them(rich_docx: bytes) -> None:
    document = part(rich_docx, "word/document.xml")
    marks = {m.get(qn("w:name")): m for m in document.iter(qn("w:bookmarkStart"))}
    ends = {e.get(qn("w:id")) for e in document.iter(qn("w:bookmarkEnd"))}
    assert {"erste_ebene", "tief", "group_signatories", "group_signed_later"} <= set(marks)
    assert {m.get(qn("w:id")) for m in marks.values()} == ends and len(ends) == len(marks), "ids pair up"
    for name, mark in marks.items():
        assert len(name) <= 40 and name[0].isalpha() and " " not in name
        heading = mark.getparent()
        assert heading.find("w:pPr/w:pStyle", NS).get(qn("w:val")) in ("Heading2", "Heading4", "SignatoriesHeading")
    internal = [link for link in document.iter(qn("w:hyperlink")) if link.get(qn("w:anchor"))]
    assert [(link.get(qn("w:anchor")), text_of(link)) for link in internal] == [
        ("group_signatories", "die Unterzeichner")]
    assert internal[0].get(qn("r:id")) is None


def test_a_signatory_note_has_its_own_style(german: Edition, context: RenderContext) -> None:
    group = german.groups[0]
    noted = replace(group, entries=(replace(group.entries[0], note="Gründungsmitglied"), *group.entries[1:]))
    data = render(replace(german, groups=(noted, *german.groups[1:])), context)
    note = run_with(data, "Gründungsmitglied")
    assert note.find("w:rPr/w:rStyle", NS).get(qn("w:val")) == "SignatoryNote"
    assert text_of(note.getparent()).endswith(", Demokratische Republik Kongo \u2014 Gründungsmitglied")


def test_the_signatory_style_numbers_a_paragraph_given_it(german_docx: bytes) -> None:
    """A translator who gives a new paragraph the Signatory style gets a number in the first list;
    the unnumbered style says "no list" even though it is based on Signatory."""
    styles = part(german_docx, "word/styles.xml")
    names = style_names(german_docx)
    first = next(num_id(p) for p in body_paragraphs(german_docx) if paragraph_style(p, names) == "Signatory")
    linked = styles.find("w:style[@w:styleId='Signatory']/w:pPr/w:numPr/w:numId", NS)
    assert int(linked.get(qn("w:val"))) == first
    unnumbered = styles.find("w:style[@w:styleId='SignatoryUnnumbered']/w:pPr/w:numPr/w:numId", NS)
    assert unnumbered.get(qn("w:val")) == "0"


def test_each_ordered_list_is_its_own_instance_with_its_start(rich_docx: bytes) -> None:
    names = style_names(rich_docx)
    paragraphs = body_paragraphs(rich_docx)
    ordered = [p for p in paragraphs if paragraph_style(p, names) == "List Number"]
    first, second = num_id(ordered[0]), num_id(ordered[2])
    assert num_id(ordered[1]) == first and second != first
    numbering = part(rich_docx, "word/numbering.xml")
    assert start_override(numbering, first) == 3 and start_override(numbering, second) == 1
    assert abstract_of(numbering, first).find("w:lvl[@w:ilvl='0']/w:numFmt", NS).get(qn("w:val")) == "decimal"
    inner = next(p for p in paragraphs if text_of(p) == "innen")
    assert inner.find("w:pPr/w:numPr/w:ilvl", NS).get(qn("w:val")) == "1"


# -- languages -------------------------------------------------------------------------------------


def test_languages_are_marked(
        german_docx: bytes, source, context: RenderContext) -> None:  # type: ignore[no-untyped-def]
    styles = part(german_docx, "word/styles.xml")
    default = styles.find("w:docDefaults/w:rPrDefault/w:rPr", NS)
    assert default.find("w:lang", NS).get(qn("w:val")) == "de"
    fonts = default.find("w:rFonts", NS)
    assert [fonts.get(qn(f"w:{slot}")) for slot in ("ascii", "hAnsi", "eastAsia", "cs")] == [
        "Noto Serif", "Noto Serif", "Noto Serif CJK SC", "Noto Naskh Arabic"]

    def lang(data: bytes, text: str) -> str | None:
        found = run_with(data, text).find("w:rPr/w:lang", NS)
        return found.get(qn("w:val")) if found is not None else None

    assert lang(german_docx, "Organisation Révolutionnaire du Congo") == "fr"
    assert lang(german_docx, "Revolutionäre Organisation des Kongo") is None
    assert lang(german_docx, "Marxistisch-Leninistische Partei Deutschlands") is None
    assert lang(german_docx, "Българска Комунистическа Партия") == "bg"
    assert lang(german_docx, "Российская маоистская партия") == "ru"
    assert lang(german_docx, "Rossijskaya maoistskaya partiya") == "ru-Latn"
    russian = render(make_edition(source, "ru"), context)
    assert lang(russian, "Российская маоистская партия") is None
    assert lang(russian, "Marxistisch-Leninistische Partei Deutschlands") == "de"


def test_a_right_to_left_edition_mirrors(german: Edition, context: RenderContext) -> None:
    arabic = replace(german, language=parse_language("ar"), title="قرار", date_text="٣١ مارس ٢٠١٧")
    data = render(arabic, context)
    document = part(data, "word/document.xml")
    paragraphs = document.findall("w:body/w:p", NS)
    assert all(p.find("w:pPr/w:bidi", NS) is not None for p in paragraphs)
    assert document.find("w:body/w:sectPr/w:bidi", NS) is not None
    assert run_with(data, "قرار").find("w:rPr/w:rtl", NS) is not None
    french = run_with(data, "Organisation Révolutionnaire du Congo").find("w:rPr", NS)
    assert french.find("w:rtl", NS) is None, "left-to-right names keep their direction"
    assert french.find("w:lang", NS).get(qn("w:val")) == "fr"
    assert run_with(data, "Revolutionäre Organisation des Kongo").find("w:rPr/w:lang", NS).get(qn("w:val")) == "de"
    lang = part(data, "word/styles.xml").find("w:docDefaults/w:rPrDefault/w:rPr/w:lang", NS)
    assert (lang.get(qn("w:val")), lang.get(qn("w:bidi"))) == ("ar", "ar")
    # Alignment comes from the styles, whose "left" a bidi paragraph reads as its start edge.
    assert document.find(".//w:jc", NS) is None


# -- properties and reproducibility ------------------------------------------------------------------


def test_core_properties(german: Edition, german_docx: bytes) -> None:
    properties = Document(BytesIO(german_docx)).core_properties
    when = BUILD_TIME.replace(tzinfo=None)
    assert properties.title == german.title
    assert properties.author == properties.last_modified_by == "ICOR"
    assert properties.language == "de"
    assert properties.keywords == ", ".join((*german.keywords, "icor-2017-maruti-suzuki"))
    assert "ICOR" in properties.keywords
    assert properties.subject
    assert properties.revision == 1
    assert properties.created.replace(tzinfo=None) == when
    assert properties.modified.replace(tzinfo=None) == when
    assert properties.last_printed.replace(tzinfo=None) == when


def test_two_renders_give_the_same_bytes(german: Edition, german_docx: bytes, context: RenderContext) -> None:
    assert render(german, context) == german_docx
    with ZipFile(BytesIO(german_docx)) as package:
        infos = package.infolist()
    assert [i.filename for i in infos[:2]] == ["[Content_Types].xml", "_rels/.rels"]
    assert {i.date_time for i in infos} == {(2017, 3, 31, 12, 30, 0)}
    old = render(german, replace(context, build_time=dt.datetime(1970, 1, 1, tzinfo=dt.UTC)))
    with ZipFile(BytesIO(old)) as package:
        assert {i.date_time for i in package.infolist()} == {(1980, 1, 1, 0, 0, 0)}


def _template_tool():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("make_reference_docx", REPO / "tools" / "make_reference_docx.py")
    assert spec and spec.loader
    tool = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = tool  # its dataclasses look their module up
    spec.loader.exec_module(tool)
    return tool


def test_two_builds_in_two_processes_give_the_same_bytes(tmp_path: Path) -> None:
    """Whole builds from the command line, with different hash seeds: fonts, zip entries and
    properties come out the same, and the dates are SOURCE_DATE_EPOCH's."""
    from tests.conftest import run_typeset

    outputs = []
    for seed in ("1", "2"):
        out = tmp_path / seed
        run_typeset("build", REPO / "examples" / "extreme-heat-2024", "-l", "hi", "-f", "docx", "--out", out,
                    env={"PYTHONHASHSEED": seed, "SOURCE_DATE_EPOCH": "1721779200"}, check=True)
        (docx,) = out.rglob("*.docx")
        outputs.append(docx.read_bytes())
    assert outputs[0] == outputs[1]
    with ZipFile(BytesIO(outputs[0])) as package:
        assert {i.date_time for i in package.infolist()} == {(2024, 7, 24, 0, 0, 0)}
        assert any(name.startswith("word/fonts/") for name in package.namelist())
    properties = Document(BytesIO(outputs[0])).core_properties
    assert properties.created.replace(tzinfo=None) == dt.datetime(2024, 7, 24)
    assert properties.modified.replace(tzinfo=None) == dt.datetime(2024, 7, 24)
    assert properties.language == "hi"


def test_without_source_date_epoch_the_dates_are_the_documents(tmp_path: Path) -> None:
    environment = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    out = tmp_path / "out"
    subprocess.run([sys.executable, "-m", "typeset", "build", str(EXAMPLE), "-l", "de", "-f", "docx", "--out",
                    str(out)], cwd=REPO, env=environment, check=True, capture_output=True)
    (docx,) = out.rglob("*.docx")
    properties = Document(BytesIO(docx.read_bytes())).core_properties
    assert properties.created.replace(tzinfo=None) == dt.datetime(2017, 3, 31)
    assert properties.title and properties.author == "ICOR" and properties.language == "de"


@pytest.mark.parametrize("layout", ["resolution", "leaflet"])
def test_the_committed_template_is_what_the_tool_makes(layout: str) -> None:
    assert _template_tool().build(layout) == (REPO / "layouts" / layout / "reference.docx").read_bytes(), \
        "run python tools/make_reference_docx.py"


@pytest.mark.parametrize(("layout", "size"), [("resolution", ("11906", "16838")), ("leaflet", ("8391", "11906"))])
def test_each_layout_has_its_own_template_with_every_style(german: Edition, layout: str, size: tuple[str, str]) -> None:
    """Each bundled layout names a real .docx holding every style the renderer uses, on its paper."""
    from typeset.render.docx import CHARACTER_STYLES, PARAGRAPH_STYLES

    loaded = load_layout(layout, World([]))
    data = (loaded.root / loaded.docx_template).read_bytes()
    names = {style.name for style in Document(BytesIO(data)).styles}
    assert set(PARAGRAPH_STYLES) | set(CHARACTER_STYLES) <= names
    page = part(data, "word/document.xml").find("w:body/w:sectPr/w:pgSz", NS)
    assert (page.get(qn("w:w")), page.get(qn("w:h"))) == size
    world = World([EXAMPLE, loaded.root])
    rendered = render(german, RenderContext(loaded, load_fonts(world), world, BUILD_TIME))
    page = part(rendered, "word/document.xml").find("w:body/w:sectPr/w:pgSz", NS)
    assert (page.get(qn("w:w")), page.get(qn("w:h"))) == size


def test_rendering_docx_does_not_load_weasyprint() -> None:
    code = "import sys, typeset.render.docx; sys.exit('weasyprint' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], cwd=REPO).returncode == 0


# -- other templates --------------------------------------------------------------------------------


def rewrite_template(context: RenderContext, folder: Path, change) -> RenderContext:  # type: ignore[no-untyped-def]
    """A copy of the layout's template, changed part by part, as the template of a new context."""
    source = context.layout.path(context.layout.docx_template)
    out = BytesIO()
    with ZipFile(source) as old, ZipFile(out, "w") as new:
        for info in old.infolist():
            data = change(info.filename, old.read(info.filename).decode("utf-8"))
            if data is not None:
                new.writestr(info.filename, data)
    (folder / "reference.docx").write_bytes(out.getvalue())
    layout = replace(context.layout, root=folder)
    return replace(context, layout=layout, world=World([EXAMPLE, folder]))


def test_a_template_without_numbering_gets_a_numbering_part(
        german: Edition, context: RenderContext, tmp_path: Path) -> None:
    def strip(name: str, text: str) -> str | None:
        if name == "word/numbering.xml":
            return None
        text = re.sub(r"<Relationship [^>]*numbering[^>]*/>", "", text)
        text = re.sub(r'<Override PartName="/word/numbering.xml"[^>]*/>', "", text)
        return re.sub(r"<w:numPr>.*?</w:numPr>", "", text)

    data = render(german, rewrite_template(context, tmp_path, strip))
    with ZipFile(BytesIO(data)) as package:
        assert "word/numbering.xml" in package.namelist()
        assert 'PartName="/word/numbering.xml"' in package.read("[Content_Types].xml").decode()
    document = Document(BytesIO(data))
    assert document.part.part_related_by(RT.NUMBERING).partname == "/word/numbering.xml"
    names = style_names(data)
    numbered = [p for p in body_paragraphs(data) if paragraph_style(p, names) == "Signatory"]
    assert len({num_id(p) for p in numbered}) == 1
    level = abstract_of(part(data, "word/numbering.xml"), num_id(numbered[0])).find("w:lvl", NS)
    assert level.find("w:lvlText", NS).get(qn("w:val")) == "%1."


def test_a_template_without_a_style_is_refused(german: Edition, context: RenderContext, tmp_path: Path) -> None:
    def strip(name: str, text: str) -> str:
        return re.sub(r'<w:style [^>]*w:styleId="Slogan".*?</w:style>', "", text) if name == "word/styles.xml" else text

    with pytest.raises(RenderError, match="Slogan"):
        render(german, rewrite_template(context, tmp_path, strip))


def test_a_broken_template_is_reported(german: Edition, context: RenderContext, tmp_path: Path) -> None:
    (tmp_path / "reference.docx").write_bytes(b"not a zip file")
    broken = replace(context, layout=replace(context.layout, root=tmp_path), world=World([EXAMPLE, tmp_path]))
    with pytest.raises(RenderError, match="not a Word document"):
        render(german, broken)


# -- LibreOffice lays the numbers out ------------------------------------------------------------------


@pytest.mark.slow
def test_libreoffice_shows_live_numbers_beside_the_right_names(
        source, context: RenderContext, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    soffice, pdftotext = shutil.which("soffice"), shutil.which("pdftotext")
    if not soffice or not pdftotext:
        pytest.skip("needs LibreOffice (soffice) and poppler (pdftotext)")
    editions = {language.tag: make_edition(source, language.tag) for language in source.languages}
    files = []
    for tag, edition in editions.items():
        path = tmp_path / f"{tag}.docx"
        path.write_bytes(render(edition, context))
        files.append(path)
    pdfs = dict(zip(editions, libreoffice_convert(files, tmp_path / "pdf", fonts="system"), strict=True))
    for tag, edition in editions.items():
        text = subprocess.run([pdftotext, "-layout", str(pdfs[tag]), "-"], check=True,
                              capture_output=True, text=True).stdout
        lines = text.splitlines()
        start = next(i for i, line in enumerate(lines) if edition.groups[0].heading[:25] in line)
        numbered = [re.match(r"^\s*(\d+)\.\s+(\S.*)$", line) for line in lines[start:]]
        found = [(int(m[1]), m[2]) for m in numbered if m]
        entries = [entry for entry in edition.entries if entry.number is not None]
        assert [n for n, _ in found] == [entry.number for entry in entries] == list(range(1, 31)), tag
        for (_, rest), entry in zip(found, entries, strict=True):
            assert entry.abbreviation is not None and rest.startswith(entry.abbreviation.text), (tag, rest)
        unnumbered = next(line for line in lines[start:] if "Trotz alledem!" in line)
        assert not re.match(r"^\s*\d+\.", unnumbered), tag
        assert re.match(r"^\s*29\.\s+NPCH \(ML\)", next(line for line in lines if "NPCH (ML)" in line))
        assert re.match(r"^\s*30\.\s+RMP\b", next(line for line in lines if re.search(r"\bRMP\b", line)))

