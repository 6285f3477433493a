"""DOCX: an edition as a Word document built on the layout's style template.

In: an :class:`~typeset.model.edition.Edition` and a :class:`~typeset.render.RenderContext`
(the layout names the template, ``reference.docx``, read through the World). Out: the bytes
of a .docx in which every paragraph and run carries a named style of the template (direct
formatting only for bold, italic and a font a style cannot give), signatory numbers are live
Word numbering — groups that continue one another share one list, so Word renumbers when a
name is inserted — and runs in another language carry their ``w:lang``. Rendering the same
edition twice gives the same bytes.

This module speaks python-docx; the raw XML it needs beyond that is in
:mod:`typeset.render._ooxml`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from functools import cache
from io import BytesIO
from zipfile import BadZipFile

from docx import Document
from docx.document import Document as DocxDocument
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.exceptions import PackageNotFoundError
from docx.text.paragraph import Paragraph as DocxParagraph
from docx.text.run import Run
from fontTools.ttLib import TTFont

from typeset.errors import RenderError
from typeset.model.document import (
    Block, BlockQuote, BulletList, Code, CodeBlock, Emphasis, Heading, Inline, LineBreak, Link,
    ListItem, OrderedList, Paragraph, Phrase, Strong, Text, ThematicBreak,
)
from typeset.model.edition import Edition, EditionEntry, EditionGroup
from typeset.model.language import Language
from typeset.render import RenderContext
from typeset.render import _ooxml

PARAGRAPH_STYLES = (
    "Organisation", "Title", "Subtitle", "Date Line", "Body Text", "Heading 2", "Heading 3", "Heading 4",
    "List Bullet", "List Number", "List Continue", "List Continue 2", "List Continue 3", "Quote",
    "HTML Preformatted", "Thematic Break", "Slogan", "Signatories Heading", "Signatory",
    "Signatory Unnumbered",
)
CHARACTER_STYLES = ("Abbreviation", "Translation", "Romanization", "Hyperlink", "HTML Code")
GAP_PT = 6.0  # the least white space between an abbreviation and the name column, in points


def render(edition: Edition, context: RenderContext) -> bytes:
    document = _open_template(context)
    _check_styles(document, context.layout.docx_template)
    _ooxml.clear_body(document.element.body)
    writer = _Writer(document, edition, _abbreviation_fits(document, context))
    writer.masthead()
    writer.blocks(edition.body)
    writer.slogans()
    writer.signatories()
    _ooxml.default_language(document.styles.element, _language_attributes(edition.language))
    if edition.direction == "rtl":
        _ooxml.sections_bidi(document.element.body)
    _set_properties(document, edition, context.build_time)
    out = BytesIO()
    document.save(out)
    return _ooxml.repack(out.getvalue(), context.build_time)


def _open_template(context: RenderContext) -> DocxDocument:
    path = context.layout.path(context.layout.docx_template)
    try:
        return Document(BytesIO(context.world.read_bytes(path)))
    except (BadZipFile, PackageNotFoundError, KeyError, ValueError, SyntaxError) as error:
        raise RenderError(f"{path}: not a Word document ({error})",
                          hint="save the template from Word as .docx, or run tools/make_reference_docx.py") from None


def _check_styles(document: DocxDocument, template: str) -> None:
    names = {style.name for style in document.styles}
    missing = [name for name in (*PARAGRAPH_STYLES, *CHARACTER_STYLES) if name not in names]
    if missing:
        raise RenderError(
            f"the layout's {template} lacks the style{'s' if len(missing) > 1 else ''} {', '.join(missing)}",
            hint="add them in Word, or start again from tools/make_reference_docx.py",
        )


def _language_attributes(language: Language) -> dict[str, str]:
    return _ooxml.language_attributes(language.tag, language.script, language.direction)


@dataclass(frozen=True, slots=True)
class _Format:
    """How inline content is set: the formatting that nesting adds up."""

    bold: bool = False
    italic: bool = False
    code: bool = False
    link: bool = False


class _Lists:
    """The list instances (``w:num``) of one document, made as the text asks for them."""

    def __init__(self, document: DocxDocument) -> None:
        self.root = _ooxml.numbering_root(document.part)
        self.abstract = {name: _ooxml.abstract_id(self.root, name) for name in ("Signatories", "Bullets", "Ordered")}
        self._bullets: int | None = None
        self._sequences: dict[int, int] = {}

    def bullets(self) -> int:
        """One instance serves every bullet list: bullets do not count."""
        if self._bullets is None:
            self._bullets = _ooxml.add_num(self.root, self.abstract["Bullets"])
        return self._bullets

    def ordered(self, level: int, start: int) -> int:
        """A fresh instance for each ordered list, starting where the text says."""
        return _ooxml.add_num(self.root, self.abstract["Ordered"], {level: start})

    def signatories(self, group: EditionGroup) -> int | None:
        """The instance of the group's sequence: groups that continue one another share it."""
        if group.sequence is None:
            return None
        if group.sequence not in self._sequences:
            self._sequences[group.sequence] = _ooxml.add_num(self.root, self.abstract["Signatories"], {0: group.start})
        return self._sequences[group.sequence]


class _Writer:
    def __init__(self, document: DocxDocument, edition: Edition, fits: Callable[[str], bool]) -> None:
        self.document = document
        self.edition = edition
        self.rtl = edition.direction == "rtl"
        self.lists = _Lists(document)
        self.fits = fits
        self.mono = document.styles["HTML Code"].font.name
        # Style ids, looked up once: python-docx looks a name up anew on every use.
        self.ids = {style.name: style.style_id for style in document.styles}

    # -- paragraphs and runs --------------------------------------------------------------

    def paragraph(self, style: str) -> DocxParagraph:
        paragraph = self.document.add_paragraph()
        _ooxml.paragraph_style(paragraph._p, self.ids[style])
        if self.rtl:
            _ooxml.paragraph_bidi(paragraph._p)
        return paragraph

    def run(self, paragraph: DocxParagraph, text: str | None, *, style: str | None = None,
            language: Language | None = None, form: _Format = _Format()) -> Run:
        run = paragraph.add_run(text)
        r = run.element
        if style:
            _ooxml.run_style(r, self.ids[style])
        if form.bold:
            _ooxml.bold(r)
        if form.italic:
            _ooxml.italic(r)
        if form.code and form.link and self.mono:
            _ooxml.fonts(r, self.mono)  # the Hyperlink style does not give the code font
        if form.code:
            _ooxml.preserve_space(r)
        language = language or self.edition.language
        if language.tag != self.edition.language.tag:
            _ooxml.run_language(r, _language_attributes(language))
        if language.direction == "rtl":
            _ooxml.run_rtl(r)
        return run

    # -- the title block --------------------------------------------------------------------

    def masthead(self) -> None:
        edition = self.edition
        if edition.organisation:
            self.run(self.paragraph("Organisation"), edition.organisation)
        self.run(self.paragraph("Title"), edition.title)
        if edition.subtitle:
            self.run(self.paragraph("Subtitle"), edition.subtitle)
        date_line = f"{edition.place}, {edition.date_text}" if edition.place else edition.date_text
        self.run(self.paragraph("Date Line"), date_line)

    # -- the text ---------------------------------------------------------------------------

    def blocks(self, blocks: Iterable[Block], depth: int = 0, quote: bool = False) -> None:
        for block in blocks:
            self.block(block, depth, quote)

    def block(self, block: Block, depth: int, quote: bool) -> None:
        match block:
            case Paragraph(children):
                self.inlines(self.paragraph("Quote" if quote else "Body Text"), children)
            case Heading(level, children):
                self.inlines(self.paragraph(f"Heading {min(level + 1, 4)}"), children)
            case BulletList(items):
                self.items(items, "List Bullet", self.lists.bullets(), depth, quote)
            case OrderedList(items, start):
                self.items(items, "List Number", self.lists.ordered(depth, start), depth, quote)
            case BlockQuote(blocks):
                self.blocks(blocks, depth, quote=True)
            case CodeBlock(text):
                paragraph = self.paragraph("HTML Preformatted")
                for index, line in enumerate(text.rstrip("\n").split("\n")):
                    if index:
                        self.run(paragraph, None).add_break()
                    self.run(paragraph, line, form=_Format(code=True))
            case ThematicBreak():
                self.paragraph("Thematic Break")

    def items(self, items: Iterable[ListItem], style: str, num_id: int, depth: int, quote: bool) -> None:
        level = min(depth, 8)
        further = "List Continue" if level == 0 else f"List Continue {min(level + 1, 3)}"
        for item in items:
            blocks = list(item.blocks)
            first = self.paragraph(style)
            _ooxml.number(first._p, num_id, level)
            if blocks and isinstance(blocks[0], Paragraph):
                self.inlines(first, blocks.pop(0).children)
            for block in blocks:
                if isinstance(block, Paragraph):
                    self.inlines(self.paragraph(further), block.children)
                else:
                    self.block(block, depth + 1, quote)

    def inlines(self, paragraph: DocxParagraph, nodes: Iterable[Inline], form: _Format = _Format()) -> list[Run]:
        runs: list[Run] = []
        for node in nodes:
            match node:
                case Text(text):
                    runs.append(self.run(paragraph, text, style=self._inline_style(form), form=form))
                case Code(text):
                    code = replace(form, code=True)
                    runs.append(self.run(paragraph, text, style=self._inline_style(code), form=code))
                case Emphasis(children):
                    runs += self.inlines(paragraph, children, replace(form, italic=True))
                case Strong(children):
                    runs += self.inlines(paragraph, children, replace(form, bold=True))
                case Link(href, children, title):
                    linked = self.inlines(paragraph, children, replace(form, link=True))
                    r_id = self.document.part.relate_to(href, RT.HYPERLINK, is_external=True)
                    _ooxml.hyperlink(paragraph._p, r_id, [run.element for run in linked], title)
                    runs += linked
                case LineBreak():
                    run = self.run(paragraph, None, style=self._inline_style(form), form=form)
                    run.add_break()
                    runs.append(run)
        return runs

    @staticmethod
    def _inline_style(form: _Format) -> str | None:
        return "Hyperlink" if form.link else "HTML Code" if form.code else None

    # -- slogans and signatories ------------------------------------------------------------

    def slogans(self) -> None:
        for slogan in self.edition.slogans:
            self.inlines(self.paragraph("Slogan"), slogan.children)

    def signatories(self) -> None:
        for group in self.edition.groups:
            if group.heading:
                self.run(self.paragraph("Signatories Heading"), group.heading)
            num_id = self.lists.signatories(group)
            for entry in group.entries:
                paragraph = self.paragraph("Signatory" if num_id is not None else "Signatory Unnumbered")
                if num_id is not None:
                    _ooxml.number(paragraph._p, num_id)
                self.signatory(paragraph, entry)

    def signatory(self, paragraph: DocxParagraph, entry: EditionEntry) -> None:
        """``ABBR⇥Name (romanized) (translation), country — note``, every part in its language."""
        if entry.abbreviation:
            self.run(paragraph, entry.abbreviation.text, style="Abbreviation", language=entry.abbreviation.language)
        if entry.abbreviation is None or self.fits(entry.abbreviation.text):
            self.run(paragraph, "\t")
        else:  # too wide for its column: the name starts the next line, at the name column
            self.run(paragraph, None).add_break()
        self.phrase(paragraph, entry.name)
        for part, style in ((entry.romanized, "Romanization"), (entry.translation, "Translation")):
            if part is not None:
                self.run(paragraph, " (")
                self.phrase(paragraph, part, style)
                self.run(paragraph, ")")
        tail = "".join(
            f"{separator}{text}" for separator, text in ((", ", entry.country), (" \u2014 ", entry.note)) if text
        )
        if tail:
            self.run(paragraph, tail)

    def phrase(self, paragraph: DocxParagraph, phrase: Phrase, style: str | None = None) -> None:
        self.run(paragraph, phrase.text, style=style, language=phrase.language)


# -- the abbreviation column --------------------------------------------------------------------


def _abbreviation_fits(document: DocxDocument, context: RenderContext) -> Callable[[str], bool]:
    """Whether an abbreviation leaves room before the name column (the Signatory style's
    second tab stop), measured with the bundled face of the Abbreviation style's font.

    When the template's font is not bundled, or the style has no column, every abbreviation
    is taken to fit and gets its tab.
    """
    signatory = document.styles["Signatory"]
    abbreviation = document.styles["Abbreviation"]
    stops = [stop.position for stop in signatory.paragraph_format.tab_stops]
    size = abbreviation.font.size or signatory.font.size
    family = abbreviation.font.name or signatory.font.name or _ooxml.default_font(document.styles.element)
    face = _bold_face(context, family) if family else None
    if len(stops) < 2 or size is None or face is None:
        return lambda text: True
    room = (stops[1] - stops[0]) / 12700 - GAP_PT  # EMU to points
    widths = _advances(context.world.read_bytes(face))

    def fits(text: str) -> bool:
        return sum(widths(ch) for ch in text) * size.pt <= room

    return fits


def _bold_face(context: RenderContext, family: str):  # type: ignore[no-untyped-def]
    try:
        faces = context.fonts.family(family).faces
    except KeyError:
        return None
    bold = [face for face in faces if face.weight >= 600 and face.style == "normal"]
    return bold[0].path if bold else None


@cache
def _advances(font: bytes) -> Callable[[str], float]:
    """Advance widths in em of the characters of one font (unknown ones count as 0.6 em)."""
    ttf = TTFont(BytesIO(font), lazy=True)
    cmap, metrics, units = ttf.getBestCmap(), ttf["hmtx"], ttf["head"].unitsPerEm
    return lambda ch: metrics[cmap[ord(ch)]][0] / units if ord(ch) in cmap else 0.6


# -- document properties ------------------------------------------------------------------------


def _set_properties(document: DocxDocument, edition: Edition, build_time: dt.datetime) -> None:
    when = build_time.astimezone(dt.timezone.utc).replace(tzinfo=None)
    date_line = f"{edition.place}, {edition.date_text}" if edition.place else edition.date_text
    properties = document.core_properties
    properties.title = edition.title
    properties.subject = edition.subtitle or f"{edition.organisation}, {date_line}"
    properties.author = edition.organisation
    properties.last_modified_by = edition.organisation
    properties.language = edition.language.tag
    properties.keywords = f"resolution, {edition.organisation}, {edition.document_id}"
    properties.identifier = f"{edition.document_id}.{edition.language.tag}"
    for stale in ("comments", "category", "content_status", "version"):  # the template's own, if any
        if getattr(properties, stale):
            setattr(properties, stale, "")
    properties.revision = 1
    properties.created = when
    properties.modified = when
    properties.last_printed = when
