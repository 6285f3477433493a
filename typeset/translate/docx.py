"""A translator's DOCX: the source beside the translation, one table row per segment.

In: the :class:`~typeset.translate.segments.Segment`\\ s for one target language; or the bytes of
such a document after a translator saved it in Word or LibreOffice. Out: the document's bytes;
or a :class:`~typeset.translate.units.TranslationFile`.

The document is a table of three columns — what the segment is (and its id, small and grey),
the source text, the translation to type or overwrite — in the languages' directions, with
emphasis, strong emphasis and links as Word formatting and each span as a run of a character
style named for its attributes (``Span lang=ur``), so a translator formats the translation as
they would any Word text. Each row is tied to its segment three ways, none of them text in the
translation a translator could break:

- a **bookmark** around the source cell's text, named ``ts_`` and 16 hex digits of the id's
  SHA-256 (ECMA-376 Part 1 §17.13.6: names of at most 40 letters, digits and underscores). Word
  keeps bookmarks on save, and the source column is not edited; LibreOffice 7.4 keeps them too;
- a **content control** (``w:sdt``, §17.5.2) around the id in the first column, with the id as
  its ``w:tag``, the row's name as ``w:alias`` and its content locked (``w:lock``
  ``sdtContentLocked``, §17.5.2.23): Word keeps content controls and their tags through editing
  and saving (the control is not ``w:temporary``). It does not hold the translation: LibreOffice
  7.4 reads a content control in a cell as plain text (the translation's italics would be lost)
  and drops its tag on save, which is why the bookmark is there;
- the **id** in the first column, read when both are gone.

The package's core properties name the document and the languages
(``dc:identifier`` ``typeset-translation:<document>:<source>:<target>``, ``dc:language``).

Reading takes what Word or LibreOffice may have done into account: runs split anywhere,
revision ids and marks (``w:ins`` is read, ``w:del`` and ``w:moveFrom`` are not), bookmarks
moved or added, fields, smart tags and content controls around runs, tabs and non-breaking
hyphens. A translation typed as several paragraphs is joined (a segment is one paragraph).
"""

from __future__ import annotations

import hashlib
import re
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path
from typing import Any

from lxml import etree

from typeset.diagnostics import Diagnostics, Span
from typeset.model.document import Code as CodeNode
from typeset.model.document import Emphasis, Inline, LineBreak, Link, Strong, Text
from typeset.model.document import Span as SpanNode
from typeset.model.language import Language, LanguageTagError, parse_language
from typeset.translate.inline import BOLD, BREAK, CODE, ITALIC, LINK, SPAN, Close, Code, Codes, Open, Point
from typeset.translate.segments import BODY, FRONT_MARKUP, Segment
from typeset.translate.units import TranslationFile, Unit

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_W = f"{{{W}}}"
IDENTIFIER = "typeset-translation"
UNPACKED_BYTES = 64 * 1024 * 1024
_DECLARATION = re.compile(rb"<!(DOCTYPE|ENTITY)", re.IGNORECASE)
_FIXED_TIME = (2000, 1, 1, 0, 0, 0)  # zip entries' time: the same bytes on every export
SPAN_STYLE = "Span "  # a character style "Span lang=ur" marks a span
CODE_STYLE = "Code"
_ID_COLOUR = "808080"


def bookmark_name(segment_id: str) -> str:
    """The bookmark tying a row to its segment: letters, digits and '_' only, 19 characters."""
    return "ts_" + hashlib.sha256(segment_id.encode("utf-8")).hexdigest()[:16]


# -- writing --------------------------------------------------------------------------------


def write_docx(found: Sequence[Segment], document: str, title: str, source: Language, target: Language,
               stale: set[str]) -> bytes:
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.shared import Cm, Pt

    doc = Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Cm(29.7), Cm(21.0)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(1.5))
    styles = _Styles(doc)
    properties = doc.core_properties
    properties.identifier = f"{IDENTIFIER}:{document}:{source.tag}:{target.tag}"
    properties.language = target.tag
    properties.title = f"{title}: translation into {target.display_name(parse_language('en'))}"
    properties.subject = f"{document}: {source.tag} → {target.tag}"
    properties.author = properties.last_modified_by = "typeset"
    properties.comments = "Type the translation in the right-hand column; 'typeset translate import' reads it."

    doc.add_heading(title, level=1)
    english = parse_language("en")
    intro = doc.add_paragraph(
        f"Translate from {source.display_name(english)} ({source.tag}) into {target.display_name(english)} "
        f"({target.tag}): type or overwrite the translation in the right-hand column, with italics, bold and links "
        "where the source has them. Leave the other two columns and the table's rows as they are. "
        "Rows marked 'source changed' hold a translation of an earlier source text.")
    intro.runs[0].font.size = Pt(9)
    table = doc.add_table(rows=1, cols=3)
    table.style = "Table Grid"
    table.autofit = False
    widths = (Cm(5.0), Cm(11.3), Cm(11.3))
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width  # w:gridCol, which LibreOffice lays out by
    header = table.rows[0]
    _repeat_header(header._tr)
    for cell, text, width in zip(header.cells, ("Segment", f"{source.display_name(english)} ({source.tag})",
                                                f"{target.display_name(english)} ({target.tag})"), widths, strict=True):
        cell.width = width
        cell.paragraphs[0].add_run(text).bold = True
    for number, segment in enumerate(found, start=1):
        row = table.add_row()
        label, source_cell, target_cell = row.cells
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = width
        _label(label.paragraphs[0], segment, stale)
        source_language = parse_language(segment.language)
        paragraph = source_cell.paragraphs[0]
        _write_inlines(paragraph, segment.source, source_language, styles, doc)
        _bookmark(paragraph, number, bookmark_name(segment.id))
        nodes = segment.target if segment.target is not None else (segment.source if segment.keep else ())
        target_paragraph = target_cell.paragraphs[0]
        _write_inlines(target_paragraph, nodes, source_language if segment.keep and segment.target is None else target,
                       styles, doc, empty_language=target)
        _content_control(label._tc, segment)
    out = BytesIO()
    doc.save(out)
    return _repack(out.getvalue())


def _repeat_header(tr: Any) -> None:
    properties = tr.get_or_add_trPr()
    properties.append(etree.Element(f"{_W}tblHeader"))


def _label(paragraph: Any, segment: Segment, stale: set[str]) -> None:
    from docx.shared import Pt, RGBColor

    run = paragraph.add_run(segment.label + (" (required)" if segment.required else ""))
    run.font.size = Pt(9)
    if segment.id in stale:
        flag = paragraph.add_run(" — source changed: check the translation")
        flag.bold = True
        flag.font.size = Pt(9)
    if segment.keep:
        note = paragraph.add_run(" — in its own language: keep it, or translate it")
        note.font.size = Pt(9)
    if segment.kept_spans:  # a piece in a third language stays in every language (docs/translation.md)
        kept = ", ".join(f"{text} ({language})" for text, language in segment.kept_spans)
        note = paragraph.add_run(f" — keep {kept} as it is")
        note.font.size = Pt(9)
    ident = paragraph._parent.add_paragraph().add_run(segment.id)
    ident.font.size = Pt(7)
    ident.font.color.rgb = RGBColor.from_string(_ID_COLOUR)


def _bookmark(paragraph: Any, number: int, name: str) -> None:
    start = etree.Element(f"{_W}bookmarkStart")
    start.set(f"{_W}id", str(number))
    start.set(f"{_W}name", name)
    end = etree.Element(f"{_W}bookmarkEnd")
    end.set(f"{_W}id", str(number))
    p = paragraph._p
    ppr = p.find(f"{_W}pPr")
    if ppr is not None:
        ppr.addnext(start)
    else:
        p.insert(0, start)
    p.append(end)


def _content_control(tc: Any, segment: Segment) -> None:
    """The first cell's id into a content control tagged with the segment's id (§17.5.2). Not the
    translation's cell: LibreOffice 7.4 reads a cell's content control as plain text and loses the
    translation's italics and bold."""
    paragraph = tc.findall(f"{_W}p")[-1]
    sdt = etree.Element(f"{_W}sdt")
    paragraph.addprevious(sdt)
    properties = etree.SubElement(sdt, f"{_W}sdtPr")
    etree.SubElement(properties, f"{_W}alias").set(f"{_W}val", segment.label[:64])
    etree.SubElement(properties, f"{_W}tag").set(f"{_W}val", segment.id)
    etree.SubElement(properties, f"{_W}lock").set(f"{_W}val", "sdtContentLocked")
    etree.SubElement(sdt, f"{_W}sdtContent").append(paragraph)


class _Styles:
    """The character styles spans and code take, made when first needed."""

    def __init__(self, doc: Any) -> None:
        self.doc = doc
        self.made: dict[str, Any] = {}

    def span(self, language: Language | None, direction: str | None) -> Any:
        name = SPAN_STYLE + " ".join(filter(None, (f"lang={language.tag}" if language else None,
                                                   f"dir={direction}" if direction else None)))
        return self._get(name, language)

    def code(self) -> Any:
        return self._get(CODE_STYLE, None, mono=True)

    def _get(self, name: str, language: Language | None, mono: bool = False) -> Any:
        from docx.enum.style import WD_STYLE_TYPE

        if name not in self.made:
            style = self.doc.styles.add_style(name, WD_STYLE_TYPE.CHARACTER)
            if mono:
                style.font.name = "Courier New"
            if language is not None:
                rpr = style.element.get_or_add_rPr()
                rpr.append(_lang(language))
            self.made[name] = style
        return self.made[name]


def _lang(language: Language) -> Any:
    from typeset.model.scripts import Slot, slot

    element = etree.Element(f"{_W}lang")
    attribute = {Slot.LATIN: "val", Slot.EAST_ASIAN: "eastAsia", Slot.COMPLEX: "bidi"}[slot(language.script)]
    element.set(f"{_W}{attribute}", language.tag)
    return element


def _write_inlines(paragraph: Any, nodes: Sequence[Inline], language: Language, styles: _Styles, doc: Any,
                   *, empty_language: Language | None = None) -> None:
    """Inline content as runs: formatting for emphasis, character styles for spans and code."""
    ppr = paragraph._p.get_or_add_pPr()
    if (empty_language or language).direction == "rtl" or language.direction == "rtl":
        etree.SubElement(ppr, f"{_W}bidi")
    rpr = etree.SubElement(ppr, f"{_W}rPr")
    rpr.append(_lang(empty_language or language))

    def emit(items: Sequence[Inline], italic: bool, bold: bool, span: Any, rtl: bool, parent: Any) -> None:
        for node in items:
            if isinstance(node, Text):
                _run(parent, node.text, italic=italic, bold=bold, style=span, rtl=rtl, language=language)
            elif isinstance(node, LineBreak):
                run = etree.SubElement(parent, f"{_W}r")
                etree.SubElement(run, f"{_W}br")
            elif isinstance(node, CodeNode):
                _run(parent, node.text, style=styles.code().style_id)
            elif isinstance(node, Emphasis):
                emit(node.children, True, bold, span, rtl, parent)
            elif isinstance(node, Strong):
                emit(node.children, italic, True, span, rtl, parent)
            elif isinstance(node, Link):
                emit(node.children, italic, bold, span, rtl, _hyperlink(paragraph, node.href, parent))
            elif isinstance(node, SpanNode):
                style = styles.span(node.language, node.dir).style_id
                emit(node.children, italic, bold, style, node.direction == "rtl", parent)

    emit(nodes, False, False, None, language.direction == "rtl", paragraph._p)


def _run(parent: Any, text: str, *, italic: bool = False, bold: bool = False, style: str | None = None,
         rtl: bool = False, language: Language | None = None) -> None:
    run = etree.SubElement(parent, f"{_W}r")
    rpr = etree.SubElement(run, f"{_W}rPr")
    if style:
        etree.SubElement(rpr, f"{_W}rStyle").set(f"{_W}val", style)
    if bold:
        etree.SubElement(rpr, f"{_W}b")
        etree.SubElement(rpr, f"{_W}bCs")
    if italic:
        etree.SubElement(rpr, f"{_W}i")
        etree.SubElement(rpr, f"{_W}iCs")
    if rtl:
        etree.SubElement(rpr, f"{_W}rtl")
    if language is not None and style is None:
        rpr.append(_lang(language))
    t = etree.SubElement(run, f"{_W}t")
    t.text = text
    t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")


def _hyperlink(paragraph: Any, href: str, parent: Any) -> Any:
    from docx.opc.constants import RELATIONSHIP_TYPE

    rel = paragraph.part.relate_to(href, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
    link = etree.SubElement(parent, f"{_W}hyperlink")
    link.set(f"{{{R}}}id", rel)
    return link


def _repack(data: bytes) -> bytes:
    """The package with fixed times and its entries in a fixed order: the same bytes every time."""
    source = zipfile.ZipFile(BytesIO(data))
    names = sorted(source.namelist(), key=lambda n: (n != "[Content_Types].xml", n != "_rels/.rels", n))
    out = BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name in names:
            info = zipfile.ZipInfo(name, _FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            content = source.read(name)
            if name == "docProps/core.xml":
                content = re.sub(rb"<dcterms:(created|modified)([^>]*)>[^<]*<",
                                 rb"<dcterms:\1\2>2000-01-01T00:00:00Z<", content)
            target.writestr(info, content)
    return out.getvalue()


# -- reading --------------------------------------------------------------------------------


def is_docx(data: bytes) -> bool:
    if not data.startswith(b"PK"):
        return False
    try:
        with zipfile.ZipFile(BytesIO(data)) as package:
            return "word/document.xml" in package.namelist()
    except zipfile.BadZipFile:
        return False


@dataclass
class _Package:
    document: etree._Element
    styles: dict[str, str]  # style id → name
    links: dict[str, str]  # relationship id → target
    identifier: str | None
    language: str | None


def _parser() -> etree.XMLParser:
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


def _open(data: bytes, path: Path, diagnostics: Diagnostics) -> _Package | None:
    hint = "save it again from Word or LibreOffice as a Word document (.docx)"
    try:
        with zipfile.ZipFile(BytesIO(data)) as package:
            parts = package.infolist()
            if sum(part.file_size for part in parts) > UNPACKED_BYTES:
                diagnostics.error(Span(path), f"the document unpacks to more than {UNPACKED_BYTES:,} bytes", hint,
                                  code="translate")
                return None
            names = {part.filename for part in parts}
            for name in names:
                if name.endswith((".xml", ".rels")) and _DECLARATION.search(package.read(name)):
                    diagnostics.error(Span(path), f"{name} declares a document type or entities",
                                      "Word never writes them; " + hint, code="translate")
                    return None
            document = etree.fromstring(package.read("word/document.xml"), _parser())
            styles: dict[str, str] = {}
            if "word/styles.xml" in names:
                for style in etree.fromstring(package.read("word/styles.xml"), _parser()).iter(f"{_W}style"):
                    label = style.find(f"{_W}name")
                    styles[style.get(f"{_W}styleId") or ""] = label.get(f"{_W}val", "") if label is not None else ""
            links: dict[str, str] = {}
            if "word/_rels/document.xml.rels" in names:
                for rel in etree.fromstring(package.read("word/_rels/document.xml.rels"), _parser()):
                    if (rel.get("Type") or "").endswith("/hyperlink"):
                        links[rel.get("Id") or ""] = rel.get("Target") or ""
            identifier = language = None
            if "docProps/core.xml" in names:
                core = etree.fromstring(package.read("docProps/core.xml"), _parser())
                for element in core:
                    local = etree.QName(element).localname
                    if local == "identifier":
                        identifier = (element.text or "").strip()
                    elif local == "language":
                        language = (element.text or "").strip()
    except (zipfile.BadZipFile, KeyError, etree.XMLSyntaxError, OSError, ValueError) as error:
        diagnostics.error(Span(path), f"not a Word document ({error.__class__.__name__}: {error})", hint,
                          code="translate")
        return None
    return _Package(document, styles, links, identifier, language)


def read_docx(data: bytes, path: Path, diagnostics: Diagnostics, known_ids: Sequence[str]) -> TranslationFile | None:
    """The rows of a translator's DOCX, each tied to a segment id (from ``known_ids`` for a bookmark)."""
    package = _open(data, path, diagnostics)
    if package is None:
        return None
    document = source = target = None
    if package.identifier and package.identifier.startswith(IDENTIFIER + ":"):
        parts = package.identifier.split(":")
        if len(parts) == 4:
            document, source, target = parts[1:]
    if document is None:
        diagnostics.error(Span(path), "this Word document is not a translator's document typeset wrote",
                          "export one with 'typeset translate export SOURCE --lang LANG --format docx'; "
                          "its properties name the document and the languages", code="translate")
        return None
    out = TranslationFile(path, "docx", document, source, target or package.language)
    by_bookmark = {bookmark_name(i): i for i in known_ids}
    for number, row in enumerate(_rows(package.document), start=1):
        cells = _cells(row)
        if len(cells) < 3 or number == 1 or row.find(f"{_W}trPr/{_W}tblHeader") is not None:
            continue  # the header
        where = Span(path, number, 1)  # DOCX positions: the table row
        segment_id = _row_id(cells, by_bookmark)
        if segment_id is None:
            if number > 1 and _text_of(cells[2]).strip():
                diagnostics.error(where, f"row {number} of the table is tied to no segment",
                                  "keep the rows as exported; rows added by hand are not read", code="translate")
            continue
        reader = _Runs(package)
        source_codes, _ = reader.read(cells[1])
        target_codes, paragraphs = reader.read(cells[2])
        target_value = target_codes if any(not isinstance(t, str) or t.strip() for t in target_codes.tokens) else None
        out.units.append(Unit(segment_id, source_codes, target_value, where, None, paragraphs))
    return out


def _rows(document: etree._Element) -> Iterator[etree._Element]:
    for table in document.iter(f"{_W}tbl"):
        yield from (row for row in table.iter(f"{_W}tr") if _table_of(row) is table)


def _table_of(row: etree._Element) -> etree._Element | None:
    parent = row.getparent()
    while parent is not None and parent.tag != f"{_W}tbl":
        parent = parent.getparent()
    return parent


def _cells(row: etree._Element) -> list[etree._Element]:
    return [cell for cell in row.iter(f"{_W}tc") if _row_of(cell) is row]


def _row_of(cell: etree._Element) -> etree._Element | None:
    parent = cell.getparent()
    while parent is not None and parent.tag != f"{_W}tr":
        parent = parent.getparent()
    return parent


def _row_id(cells: Sequence[etree._Element], by_bookmark: dict[str, str]) -> str | None:
    for cell in cells:  # a content control's tag (Word keeps it)
        for tag in cell.iter(f"{_W}tag"):
            value = tag.get(f"{_W}val")
            if value:
                return value
    for cell in cells:  # a bookmark (LibreOffice keeps it)
        for bookmark in cell.iter(f"{_W}bookmarkStart"):
            found = by_bookmark.get(bookmark.get(f"{_W}name") or "")
            if found:
                return found
    lines = _text_of(cells[0]).split("\n")  # the id, shown small under the row's name
    candidate = lines[-1].strip() if lines else ""
    return candidate if candidate in by_bookmark.values() else None


def _text_of(cell: etree._Element) -> str:
    return "\n".join("".join(t.text or "" for t in p.iter(f"{_W}t")) for p in cell.iter(f"{_W}p")).replace(
        "\n\n", "\n")


class _Runs:
    """A cell's runs as text and codes: italic, bold, links and spans by their formatting."""

    def __init__(self, package: _Package) -> None:
        self.package = package

    def read(self, cell: etree._Element) -> tuple[Codes, int]:
        pieces: list[tuple[str, tuple[tuple[str, str], ...]]] = []
        paragraphs = 0
        for paragraph in (p for p in cell.iter(f"{_W}p") if not _inside(p, ("del", "moveFrom"))):
            found = list(self._paragraph(paragraph))
            if not any(text.strip() for text, _ in found):
                continue
            if paragraphs:
                pieces.append((" ", ()))
            paragraphs += 1
            pieces += found
        return _codes(pieces), paragraphs

    def _paragraph(self, paragraph: etree._Element) -> Iterator[tuple[str, tuple[tuple[str, str], ...]]]:
        in_field = False  # between a complex field's 'begin' and 'separate': its instructions, not text
        for run in paragraph.iter(f"{_W}r"):
            if _inside(run, ("del", "moveFrom")):
                continue
            formats = self._formats(run)
            for child in run:
                local = etree.QName(child).localname
                if local == "fldChar":
                    kind = child.get(f"{_W}fldCharType")
                    in_field = kind == "begin"
                elif in_field:
                    continue
                elif local == "t":
                    yield child.text or "", formats
                elif local == "tab":
                    yield " ", formats
                elif local in ("br", "cr"):
                    yield "\n", formats
                elif local == "noBreakHyphen":
                    yield "\u2011", formats
                elif local == "softHyphen":
                    yield "\u00ad", formats
                elif local == "sym":
                    char = child.get(f"{_W}char")
                    if char and re.fullmatch(r"[0-9A-Fa-f]{4}", char) and int(char, 16) >= 0x20:
                        yield chr(int(char, 16)), formats

    def _formats(self, run: etree._Element) -> tuple[tuple[str, str], ...]:
        """What a run is set as: a link (outermost), a span or code (its character style), bold, italic."""
        formats: list[tuple[str, str]] = []
        link = run.getparent()
        while link is not None and link.tag != f"{_W}hyperlink" and link.tag != f"{_W}p":
            link = link.getparent()
        if link is not None and link.tag == f"{_W}hyperlink":
            href = self.package.links.get(link.get(f"{{{R}}}id") or "")
            if href:
                formats.append((LINK, href))
        rpr = run.find(f"{_W}rPr")
        style = ""
        if rpr is not None:
            style_element = rpr.find(f"{_W}rStyle")
            if style_element is not None:
                style = self.package.styles.get(style_element.get(f"{_W}val") or "", "")
        if style.startswith(SPAN_STYLE):
            formats.append((SPAN, style[len(SPAN_STYLE):]))
        elif style == CODE_STYLE:
            formats.append((CODE, ""))
        if _on(rpr, "b") or _on(rpr, "bCs") or style == "Strong":
            formats.append((BOLD, ""))
        if _on(rpr, "i") or _on(rpr, "iCs") or style == "Emphasis":
            formats.append((ITALIC, ""))
        return tuple(formats)


def _on(rpr: etree._Element | None, name: str) -> bool:
    if rpr is None:
        return False
    element = rpr.find(f"{_W}{name}")
    return element is not None and (element.get(f"{_W}val") or "true").lower() not in ("false", "0", "off")


def _inside(element: etree._Element, names: tuple[str, ...]) -> bool:
    parent = element.getparent()
    while parent is not None:
        if parent.tag in tuple(f"{_W}{n}" for n in names):
            return True
        parent = parent.getparent()
    return False


def _codes(pieces: Sequence[tuple[str, tuple[tuple[str, str], ...]]]) -> Codes:
    """Formatted pieces as well-nested codes, numbered in order, with their data."""
    out = Codes()
    stack: list[tuple[tuple[str, str], Code]] = []
    for text, formats in pieces:
        if text == "\n":
            code = Code(len(out.codes) + 1, BREAK)
            out.codes[code.id] = code
            out.tokens.append(Point(code))
            continue
        if any(kind == CODE for kind, _ in formats):
            # inline code is one token, whatever formatting it sits in
            if out.tokens and isinstance(out.tokens[-1], Point) and out.tokens[-1].code.kind == CODE:
                previous = out.tokens[-1].code
                merged = Code(previous.id, CODE, text=(previous.text or "") + text)
                out.codes[previous.id] = merged
                out.tokens[-1] = Point(merged)
            else:
                code = Code(len(out.codes) + 1, CODE, text=text)
                out.codes[code.id] = code
                out.tokens.append(Point(code))
            continue
        keep = 0
        while keep < len(stack) and keep < len(formats) and stack[keep][0] == formats[keep]:
            keep += 1
        while len(stack) > keep:
            out.tokens.append(Close(stack.pop()[1]))
        for kind, value in formats[keep:]:
            code = Code(len(out.codes) + 1, kind, **_data(kind, value))
            out.codes[code.id] = code
            out.tokens.append(Open(code))
            stack.append(((kind, value), code))
        if out.tokens and isinstance(out.tokens[-1], str):
            out.tokens[-1] += text
        else:
            out.tokens.append(text)
    while stack:
        out.tokens.append(Close(stack.pop()[1]))
    return out


def _data(kind: str, value: str) -> dict[str, str | None]:
    if kind == LINK:
        return {"href": value}
    if kind == SPAN:
        attributes = dict(part.split("=", 1) for part in value.split() if "=" in part)
        return {"lang": attributes.get("lang"), "dir": attributes.get("dir")}
    return {}


def language_of(tag: str | None) -> Language | None:
    try:
        return parse_language(tag) if tag else None
    except LanguageTagError:
        return None


__all__ = ["BODY", "FRONT_MARKUP", "bookmark_name", "is_docx", "read_docx", "write_docx"]
