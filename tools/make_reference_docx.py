"""Generate each bundled layout's ``reference.docx``, the style template of its DOCX editions.

In: the :data:`LOOKS` below (one per layout: page, colours, sizes) and the numbering
definitions of :mod:`typeset.render._ooxml`. Out: a small, deterministic .docx per layout (same
bytes on every run) holding the page setup, the named styles the DOCX renderer uses, the list
definitions and a footer with page numbers. Its body shows every style once, so that a user can
restyle the template in Word (Home › Styles › Modify) and see the effect; the renderer discards
the body.

Run: ``python tools/make_reference_docx.py`` (every layout), or
``python tools/make_reference_docx.py LAYOUT [OUTPUT]``.
"""

from __future__ import annotations

import datetime as dt
import sys
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr
from zipfile import ZipFile

from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml.parser import parse_xml
from lxml import etree

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from typeset.render import _ooxml  # noqa: E402 - importable once the repository root is on sys.path

LAYOUTS = ROOT / "layouts"
WHEN = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NS = f'xmlns:w="{W}" xmlns:r="{R}"'

SERIF, SANS, MONO = "Noto Serif", "Noto Sans", "Courier New"  # Courier New: everywhere, or metric twins
# The document's default East Asian and complex-script fonts (the renderer puts the edition's own
# there: Noto Serif CJK JP for Japanese, Noto Nastaliq Urdu for Urdu …). Styles name only the
# Latin slots (ascii, hAnsi), so that every style takes these for the other scripts.
EAST_ASIAN, COMPLEX = "Noto Serif CJK SC", "Noto Naskh Arabic"


@dataclass(frozen=True)
class Look:
    """What differs between the layouts' templates: the page (twips), colours, sizes (points)."""

    page: tuple[int, int]  # width, height
    margins: tuple[float, float, float, float]  # top, right, bottom, left in mm
    ink: str = "1B1B1B"
    muted: str = "5A5A5A"
    accent: str = "8B1A1A"
    rule: str = "CDBFBF"
    foot: str = "6B6B6B"
    body: float = 10.5
    title: float = 22
    title_font: str | None = None  # None: the default serif
    signatory: float = 9.5
    band: str | None = None  # a fill behind organisation, title, subtitle and date line
    on_band: str = "FFFFFF"
    slogan_fill: str | None = None  # a tinted box behind the slogans, instead of rules
    # The leading as the PDF's stylesheet gives it (CSS line-height, a multiple of the size), set as
    # "at least" that many points: Word's and LibreOffice's multiples are of the face's own line
    # height (about 1.36 em for Noto Serif, 1.7 em for Noto Naskh Arabic), so 1.4 there is far
    # looser than the PDF's 1.4, and looser still in Arabic script. None: Word's multiples.
    leading: float | None = None
    signatory_leading: float | None = None
    signatory_after: float = 2  # points between signatory entries
    after: float = 6  # points after a paragraph of the text
    list_after: float | None = None  # points after a list item; None: as after a paragraph
    group_heading: float | None = None  # the size of a group's heading; None: scaled from the body
    # Where a signatory's number ends, its abbreviation starts and its name starts (and its wrapped
    # lines), in twips. A name at the abbreviation: no name column, the name follows the
    # abbreviation on its line, as the PDF sets an entry in a narrow column.
    entry: tuple[int, int, int] = (_ooxml.NUMBER_END, _ooxml.ABBREVIATION_AT, _ooxml.NAME_AT)


LOOKS = {
    # A4 with layout.toml's margins, and the metrics of print.css and edition.css: 10.5 pt text on
    # 1.45 leading, 0.7 em after a paragraph and 0.35 em after a list item, signatories at 9.5 pt
    # on the PDF's 1.4 leading of 0.93 em (9.765 pt), 0.3 em apart.
    "resolution": Look(page=(11906, 16838), margins=(22, 21, 25, 21), leading=1.45,
                       signatory_leading=1.4 * 9.765 / 9.5, signatory_after=2.93, after=7.35, list_after=3.675),
    # A5, compact, a cover band in the accent colour, slogans in a tinted box (as edition.css), and
    # the metrics of print.css: 9 pt text on 1.4 leading, 0.6 em after a paragraph, signatories at
    # 0.86 em (7.5 pt, Word's nearest half point) on 1.35 leading, 0.3 em apart, group headings at
    # 0.78 em, 0.25 em after a list item.
    "leaflet": Look(page=(8391, 11906), margins=(14, 13, 17, 13), ink="18201F", muted="56605E", accent="0C5A5E",
                    rule="B9CFCD", foot="56605E", body=9, title=17, title_font=SANS, signatory=7.5,
                    band="0C5A5E", slogan_fill="E7F0EF", leading=1.4, signatory_leading=1.35 * 7.74 / 7.5,
                    signatory_after=2.3, after=5.4, list_after=2.25, group_heading=7,
                    entry=(340, 454, 454)),
}


def mm(value: float) -> int:
    """Millimetres in twips."""
    return round(value / 25.4 * 1440)


# -- formatting snippets, each in schema order ------------------------------------------------


def rpr(*, fonts: str | None = None, bold: bool | None = None, italic: bool | None = None,
        caps: bool = False, color: str | None = None, spacing: int | None = None,
        size: float | None = None, underline: bool = False, east_asian: str | None = None,
        complex_script: str | None = None) -> str:
    """Run properties; ``fonts`` names the Latin slots, ``east_asian`` and ``complex_script`` the others."""
    parts = []
    slots = {"ascii": fonts, "hAnsi": fonts, "eastAsia": east_asian, "cs": complex_script}
    if any(slots.values()):
        parts.append("<w:rFonts " + " ".join(f'w:{k}="{v}"' for k, v in slots.items() if v) + "/>")
    for flag, names in ((bold, ("b", "bCs")), (italic, ("i", "iCs"))):
        if flag is not None:
            parts.extend(f"<w:{n}/>" if flag else f'<w:{n} w:val="0"/>' for n in names)
    if caps:
        parts.append("<w:caps/>")
    if color:
        parts.append(f'<w:color w:val="{color}"/>')
    if spacing:
        parts.append(f'<w:spacing w:val="{spacing}"/>')
    if size:
        parts.append(f'<w:sz w:val="{round(size * 2)}"/><w:szCs w:val="{round(size * 2)}"/>')
    if underline:
        parts.append('<w:u w:val="single"/>')
    return f"<w:rPr>{''.join(parts)}</w:rPr>" if parts else ""


def ppr(*, keep_next: bool = False, keep_lines: bool = False, widows: bool = False,
        num: int | None = None, borders: dict[str, tuple[str, int, int]] | None = None, fill: str | None = None,
        tabs: tuple[int, ...] = (), hyphenate: bool = True, before: int | None = None,
        after: float | None = None, line: float | None = None, least: float | None = None, left: int | None = None,
        hanging: int | None = None, right: int | None = None, jc: str | None = None,
        outline: int | None = None) -> str:
    """Paragraph properties; spacing in points, line as a multiple (or ``least``, in points, the
    least line height), indents in twips."""
    parts = []
    if keep_next:
        parts.append("<w:keepNext/>")
    if keep_lines:
        parts.append("<w:keepLines/>")
    if widows:
        parts.append("<w:widowControl/>")
    if num is not None:
        parts.append(f'<w:numPr><w:ilvl w:val="0"/><w:numId w:val="{num}"/></w:numPr>')
    if borders:
        edges = "".join(
            f'<w:{edge} w:val="single" w:sz="{size}" w:space="{space}" w:color="{color}"/>'
            for edge in ("top", "left", "bottom", "right") if edge in borders
            for color, size, space in [borders[edge]]
        )
        parts.append(f"<w:pBdr>{edges}</w:pBdr>")
    if fill:
        parts.append(f'<w:shd w:val="clear" w:color="auto" w:fill="{fill}"/>')
    if tabs:
        parts.append("<w:tabs>" + "".join(f'<w:tab w:val="left" w:pos="{t}"/>' for t in tabs) + "</w:tabs>")
    if not hyphenate:
        parts.append("<w:suppressAutoHyphens/>")
    spacing = {}
    if before is not None:
        spacing["w:before"] = round(before * 20)
    if after is not None:
        spacing["w:after"] = round(after * 20)
    if least is not None:
        spacing.update({"w:line": round(least * 20), "w:lineRule": "atLeast"})
    elif line is not None:
        spacing.update({"w:line": round(line * 240), "w:lineRule": "auto"})
    if spacing:
        parts.append("<w:spacing " + " ".join(f'{k}="{v}"' for k, v in spacing.items()) + "/>")
    indent = {k: v for k, v in (("w:left", left), ("w:right", right), ("w:hanging", hanging)) if v is not None}
    if indent:
        parts.append("<w:ind " + " ".join(f'{k}="{v}"' for k, v in indent.items()) + "/>")
    if jc:
        parts.append(f'<w:jc w:val="{jc}"/>')
    if outline is not None:
        parts.append(f'<w:outlineLvl w:val="{outline}"/>')
    return f"<w:pPr>{''.join(parts)}</w:pPr>" if parts else ""


def style(kind: str, style_id: str, name: str, *, based: str | None = "Normal", follow: str | None = None,
          custom: bool = False, default: bool = False, priority: int | None = None, hidden: bool = False,
          quick: bool = True, p: str = "", r: str = "", extra: str = "") -> str:
    attributes = f'w:type="{kind}" w:styleId="{style_id}"'
    if default:
        attributes += ' w:default="1"'
    if custom:
        attributes += ' w:customStyle="1"'
    body = f'<w:name w:val="{name}"/>'
    if based:
        body += f'<w:basedOn w:val="{based}"/>'
    if follow:
        body += f'<w:next w:val="{follow}"/>'
    if priority is not None:
        body += f'<w:uiPriority w:val="{priority}"/>'
    if hidden:
        body += "<w:semiHidden/><w:unhideWhenUsed/>"
    if quick:
        body += "<w:qFormat/>"
    return f"<w:style {attributes}>{body}{p}{r}{extra}</w:style>"


# -- the styles -------------------------------------------------------------------------------


def styles_xml(look: Look) -> str:
    number_end, a, n = look.entry
    step = _ooxml.LIST_STEP
    band = look.band
    body_least = look.leading * look.body if look.leading else None
    signatory_least = look.signatory_leading * look.signatory if look.signatory_leading else None
    on_band = look.on_band if band else None
    para = [
        style("paragraph", "Normal", "Normal", based=None, default=True, p=ppr(widows=True), r=rpr(color=look.ink)),
        style("paragraph", "Organisation", "Organisation", custom=True, follow="Title",
              p=ppr(keep_next=True, hyphenate=False, after=0 if band else 5, before=None, fill=band),
              r=rpr(fonts=SANS, bold=True, caps=True, color=on_band or look.accent, spacing=30, size=9)),
        style("paragraph", "Title", "Title", follow="Subtitle", priority=10,
              p=ppr(keep_next=True, keep_lines=True, hyphenate=False, after=0 if band else 4, line=1.05, fill=band),
              r=rpr(fonts=look.title_font, bold=bool(look.title_font), color=on_band or look.ink, size=look.title)),
        style("paragraph", "Subtitle", "Subtitle", follow="DateLine", priority=11,
              p=ppr(keep_next=True, hyphenate=False, after=0 if band else 4, fill=band),
              r=rpr(italic=True, color=on_band, size=13 * look.body / 10.5)),
        style("paragraph", "DateLine", "Date Line", custom=True, follow="BodyText",
              p=ppr(hyphenate=False, after=18, fill=band,
                    borders={"bottom": (band, 6, 9)} if band else {"bottom": (look.accent, 6, 9)}),
              r=rpr(italic=True, color=on_band or look.muted, size=look.body)),
        style("paragraph", "BodyText", "Body Text", follow="BodyText",
              p=ppr(after=look.after, line=1.4, least=body_least, jc="both"), r=rpr(size=look.body)),
        *(style("paragraph", f"Heading{level}", f"heading {level}", follow="BodyText", priority=9,
                p=ppr(keep_next=True, keep_lines=True, hyphenate=False, before=before, after=after,
                      line=1.15, outline=level - 1),
                r=rpr(fonts=SANS, bold=True, color=look.accent if band else look.ink, size=size * look.body / 10.5))
          for level, size, before, after in ((1, 14, 18, 6), (2, 12, 14, 5), (3, 11, 12, 4), (4, 10.5, 10, 3))),
        style("paragraph", "ListBullet", "List Bullet", based="BodyText",
              p=ppr(num=1, after=look.list_after, left=step, hanging=283)),
        style("paragraph", "ListNumber", "List Number", based="BodyText",
              p=ppr(num=2, after=look.list_after, left=step, hanging=step)),
        *(style("paragraph", f"ListContinue{'' if level == 1 else level}",
                f"List Continue{'' if level == 1 else f' {level}'}", based="BodyText",
                p=ppr(left=step * level))
          for level in (1, 2, 3)),
        style("paragraph", "Quote", "Quote", based="BodyText", priority=29,
              p=ppr(left=567, right=567), r=rpr(italic=True)),
        style("paragraph", "HTMLPreformatted", "HTML Preformatted", hidden=True, quick=False,
              p=ppr(hyphenate=False, after=6, left=284, jc="left"), r=rpr(fonts=MONO, size=9)),
        style("paragraph", "ThematicBreak", "Thematic Break", custom=True, follow="BodyText",
              p=ppr(borders={"bottom": (look.rule, 6, 1)}, before=6, after=12, left=mm(60), right=mm(60))),
        style("paragraph", "Slogan", "Slogan", custom=True, follow="Slogan",
              p=ppr(keep_next=True, keep_lines=True, hyphenate=False, after=0 if look.slogan_fill else 4, line=1.15,
                    jc="center", fill=look.slogan_fill,
                    borders=None if look.slogan_fill else {"top": (look.rule, 6, 8), "bottom": (look.rule, 6, 8)}),
              r=rpr(bold=True, color=look.accent if look.slogan_fill else None, size=11 * look.body / 10.5)),
        style("paragraph", "SignatoriesHeading", "Signatories Heading", custom=True, follow="Signatory",
              p=ppr(keep_next=True, keep_lines=True, hyphenate=False, before=14, after=6, line=1.15),
              r=rpr(fonts=SANS, bold=True, color=look.accent if band else None,
                    size=look.group_heading or 10 * look.body / 10.5)),
        style("paragraph", "Signatory", "Signatory", custom=True, follow="Signatory",
              p=ppr(keep_lines=True, tabs=(a, n) if n > a else (a,), hyphenate=False, after=look.signatory_after,
                    line=1.2, least=signatory_least, left=n, hanging=n - number_end, jc="left"),
              r=rpr(size=look.signatory)),
        style("paragraph", "SignatoryUnnumbered", "Signatory Unnumbered", based="Signatory", custom=True,
              follow="SignatoryUnnumbered", p=ppr(num=0, left=n, hanging=n - a if n > a else None)),
        # The running heads and feet (the layout's [pdf.running]), as print.css sets the margin boxes.
        style("paragraph", "Header", "header", hidden=True, quick=False,
              p=ppr(hyphenate=False, jc="center"), r=rpr(fonts=SANS, color=look.foot, size=7.5)),
        style("paragraph", "Footer", "footer", hidden=True, quick=False,
              p=ppr(hyphenate=False, jc="center"), r=rpr(fonts=SANS, color=look.foot, size=7.5)),
    ]
    chars = [
        style("character", "DefaultParagraphFont", "Default Paragraph Font", based=None, default=True,
              priority=1, hidden=True, quick=False),
        style("character", "Abbreviation", "Abbreviation", based="DefaultParagraphFont", custom=True,
              r=rpr(bold=True)),
        style("character", "Translation", "Translation", based="DefaultParagraphFont", custom=True,
              r=rpr(color=look.muted)),
        # Upright, as the PDF sets a romanization (.romanized in edition.css): only its colour differs.
        style("character", "Romanization", "Romanization", based="DefaultParagraphFont", custom=True,
              r=rpr(color=look.muted)),
        style("character", "SignatoryNote", "Signatory Note", based="DefaultParagraphFont", custom=True,
              r=rpr(color=look.muted)),
        style("character", "Strong", "Strong", based="DefaultParagraphFont", priority=22, r=rpr(bold=True)),
        style("character", "Emphasis", "Emphasis", based="DefaultParagraphFont", priority=20, r=rpr(italic=True)),
        style("character", "Hyperlink", "Hyperlink", based="DefaultParagraphFont", priority=99, hidden=True,
              quick=False, r=rpr(color=look.accent, underline=True)),
        style("character", "HTMLCode", "HTML Code", based="DefaultParagraphFont", hidden=True, quick=False,
              r=rpr(fonts=MONO, size=9.5)),
    ]
    others = [
        style("table", "TableNormal", "Normal Table", based=None, default=True, priority=99, hidden=True,
              quick=False, extra='<w:tblPr><w:tblInd w:w="0" w:type="dxa"/><w:tblCellMar>'
              '<w:top w:w="0" w:type="dxa"/><w:left w:w="108" w:type="dxa"/>'
              '<w:bottom w:w="0" w:type="dxa"/><w:right w:w="108" w:type="dxa"/></w:tblCellMar></w:tblPr>'),
        style("numbering", "NoList", "No List", based=None, default=True, priority=99, hidden=True, quick=False),
    ]
    defaults = (
        "<w:docDefaults><w:rPrDefault>"
        + rpr(fonts=SERIF, east_asian=EAST_ASIAN, complex_script=COMPLEX, size=look.body).replace(
            "</w:rPr>", '<w:lang w:val="en-GB" w:eastAsia="zh-CN" w:bidi="ar-SA"/></w:rPr>')
        + '</w:rPrDefault><w:pPrDefault><w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/>'
        "</w:pPr></w:pPrDefault></w:docDefaults>"
    )
    return f"<w:styles {NS}>{defaults}{''.join(para + chars + others)}</w:styles>"


# -- numbering, settings, fonts, footer -------------------------------------------------------


def numbering_xml(look: Look) -> bytes:
    """The three list definitions; num 1 and 2 back the list styles, num 3 the sample signatories."""
    root = parse_xml(f'<w:numbering xmlns:w="{W}"/>')
    bullets = _ooxml.add_abstract(root, _ooxml.bullet_numbering())
    ordered = _ooxml.add_abstract(root, _ooxml.ordered_numbering())
    signatories = _ooxml.add_abstract(root, _ooxml.signatory_numbering(*look.entry))
    for abstract in (bullets, ordered, signatories):
        _ooxml.add_num(root, abstract)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def settings_xml() -> str:
    return (
        f"<w:settings {NS}>"
        '<w:zoom w:percent="100"/><w:defaultTabStop w:val="567"/><w:autoHyphenation/>'
        '<w:consecutiveHyphenLimit w:val="2"/><w:hyphenationZone w:val="284"/><w:doNotHyphenateCaps/>'
        '<w:characterSpacingControl w:val="doNotCompress"/>'
        # Lines ended by a manual line break are not stretched in justified paragraphs.
        '<w:compat><w:doNotExpandShiftReturn/>'
        '<w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word"'
        ' w:val="15"/></w:compat>'
        '<w:decimalSymbol w:val="."/><w:listSeparator w:val=","/>'
        "</w:settings>"
    )


def fonts_xml() -> str:
    fonts = ((SERIF, "02020502060505020204", "00", "roman", "variable"),
             (SANS, "020B0502040504020204", "00", "swiss", "variable"),
             (MONO, "02070309020205020404", "00", "modern", "fixed"),
             (EAST_ASIAN, None, "86", "roman", "variable"),
             (COMPLEX, None, "B2", "roman", "variable"))
    return f"<w:fonts {NS}>" + "".join(
        f'<w:font w:name="{name}">' + (f'<w:panose1 w:val="{panose}"/>' if panose else "")
        + f'<w:charset w:val="{charset}"/>'
        f'<w:family w:val="{family}"/><w:pitch w:val="{pitch}"/></w:font>'
        for name, panose, charset, family, pitch in fonts
    ) + "</w:fonts>"


def field(instruction: str, shown: str) -> str:
    return (
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
        f'<w:r><w:instrText xml:space="preserve"> {instruction} </w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
        f"<w:r><w:t>{shown}</w:t></w:r>"
        '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
    )


def footer_xml() -> str:
    return (f'<w:ftr {NS}><w:p><w:pPr><w:pStyle w:val="Footer"/></w:pPr>'
            '<w:r><w:t xml:space="preserve">Page </w:t></w:r>'
            f'{field("PAGE", "1")}<w:r><w:t xml:space="preserve"> of </w:t></w:r>{field("NUMPAGES", "1")}'
            "</w:p></w:ftr>")


# -- the sample body --------------------------------------------------------------------------


def run(text: str, char_style: str | None = None) -> str:
    props = f'<w:rPr><w:rStyle w:val="{char_style}"/></w:rPr>' if char_style else ""
    if text == "\t":
        return f"<w:r>{props}<w:tab/></w:r>"
    return f'<w:r>{props}<w:t xml:space="preserve">{escape(text)}</w:t></w:r>'


def paragraph(style_id: str, *runs: str, num: int | None = None) -> str:
    numbering = f'<w:numPr><w:ilvl w:val="0"/><w:numId w:val="{num}"/></w:numPr>' if num else ""
    return f'<w:p><w:pPr><w:pStyle w:val="{style_id}"/>{numbering}</w:pPr>{"".join(runs)}</w:p>'


def document_xml(look: Look) -> str:
    def signatory(abbreviation: str, name: str, *rest: str, style_id: str = "Signatory",
                  num: int | None = 3) -> str:
        first = [run(abbreviation, "Abbreviation")] if abbreviation else []
        column = look.entry[2] > look.entry[1]  # a name column: a tab to it; else a space after the abbreviation
        gap = [run("\t")] if column else [run(" ")] if abbreviation else []
        return paragraph(style_id, *first, *gap, run(name), *rest, num=num)

    body = [
        paragraph("Organisation", run("Organisation")),
        paragraph("Title", run("Title of the resolution")),
        paragraph("Subtitle", run("Subtitle")),
        paragraph("DateLine", run("Place, 31 March 2017")),
        paragraph("BodyText", run("Body Text: the paragraphs of the text. This document is the style "
                                  "template of the DOCX editions: change the styles (Home › Styles › "
                                  "Modify), keep their names, save, and every edition built with this "
                                  "layout takes the new look. A "), run("link", "Hyperlink"),
                  run(" and "), run("inline code", "HTMLCode"), run(", "), run("strong", "Strong"), run(" and "),
                  run("emphasised", "Emphasis"), run(" words.")),
        paragraph("Heading2", run("Heading 2 (a # heading of the text)")),
        paragraph("Heading3", run("Heading 3")),
        paragraph("Heading4", run("Heading 4")),
        paragraph("ListBullet", run("List Bullet")),
        paragraph("ListBullet", run("List Bullet")),
        paragraph("ListContinue", run("List Continue: a further paragraph of a list item.")),
        paragraph("ListNumber", run("List Number")),
        paragraph("ListNumber", run("List Number")),
        paragraph("Quote", run("Quote: a block quotation.")),
        paragraph("HTMLPreformatted", run("HTML Preformatted: a code block")),
        paragraph("ThematicBreak"),
        paragraph("Slogan", run("Slogan")),
        paragraph("Slogan", run("Slogan")),
        paragraph("SignatoriesHeading", run("Signatories Heading")),
        signatory("ABC", "Name in its own language", run(" ("), run("Translation", "Translation"), run(")"),
                  run(", Country"), run(" \u2014 "), run("Signatory Note", "SignatoryNote")),
        signatory("DEF", "Имя на своём языке", run(" ("), run("Romanization", "Romanization"), run(")"),
                  run(" ("), run("Translation", "Translation"), run(")")),
        signatory("", "Signatory Unnumbered", style_id="SignatoryUnnumbered", num=None),
    ]
    top, right, bottom, left = look.margins
    section = (
        f'<w:sectPr><w:footerReference w:type="default" r:id="rId5"/>'
        f'<w:pgSz w:w="{look.page[0]}" w:h="{look.page[1]}"/>'
        f'<w:pgMar w:top="{mm(top)}" w:right="{mm(right)}" w:bottom="{mm(bottom)}" w:left="{mm(left)}"'
        f' w:header="{mm(top / 2)}" w:footer="{mm(top / 2)}" w:gutter="0"/>'
        '<w:cols w:space="720"/><w:docGrid w:linePitch="360"/></w:sectPr>'
    )
    return f"<w:document {NS}><w:body>{''.join(body)}{section}</w:body></w:document>"


# -- the package ------------------------------------------------------------------------------


def relationships(*rels: tuple[str, str, str]) -> str:
    return ('<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            + "".join(f"<Relationship Id={quoteattr(i)} Type={quoteattr(t)} Target={quoteattr(target)}/>"
                      for i, t, target in rels)
            + "</Relationships>")


def content_types() -> str:
    overrides = (
        ("/word/document.xml", CT.WML_DOCUMENT_MAIN), ("/word/styles.xml", CT.WML_STYLES),
        ("/word/numbering.xml", CT.WML_NUMBERING), ("/word/settings.xml", CT.WML_SETTINGS),
        ("/word/fontTable.xml", CT.WML_FONT_TABLE), ("/word/footer1.xml", CT.WML_FOOTER),
        ("/docProps/core.xml", CT.OPC_CORE_PROPERTIES), ("/docProps/app.xml", CT.OFC_EXTENDED_PROPERTIES),
    )
    return ('<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            f'<Default Extension="rels" ContentType="{CT.OPC_RELATIONSHIPS}"/>'
            f'<Default Extension="xml" ContentType="{CT.XML}"/>'
            + "".join(f'<Override PartName="{p}" ContentType="{c}"/>' for p, c in overrides)
            + "</Types>")


def core_xml(name: str) -> str:
    stamp = WHEN.strftime("%Y-%m-%dT%H:%M:%SZ")
    return (
        '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties"'
        ' xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/"'
        ' xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        f"<dc:title>typeset: the {escape(name)} layout</dc:title><dc:creator>typeset</dc:creator>"
        "<cp:lastModifiedBy>typeset</cp:lastModifiedBy><cp:revision>1</cp:revision>"
        f'<dcterms:created xsi:type="dcterms:W3CDTF">{stamp}</dcterms:created>'
        f'<dcterms:modified xsi:type="dcterms:W3CDTF">{stamp}</dcterms:modified>'
        "</cp:coreProperties>"
    )


def app_xml() -> str:
    return ('<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
            "<Application>typeset</Application><DocSecurity>0</DocSecurity></Properties>")


def build(name: str = "resolution") -> bytes:
    """The template of the layout ``name`` (a key of :data:`LOOKS`)."""
    look = LOOKS[name]
    declaration = b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    parts: dict[str, bytes] = {
        "[Content_Types].xml": content_types().encode(),
        "_rels/.rels": relationships(
            ("rId1", RT.OFFICE_DOCUMENT, "word/document.xml"),
            ("rId2", RT.CORE_PROPERTIES, "docProps/core.xml"),
            ("rId3", RT.EXTENDED_PROPERTIES, "docProps/app.xml"),
        ).encode(),
        "word/_rels/document.xml.rels": relationships(
            ("rId1", RT.STYLES, "styles.xml"), ("rId2", RT.NUMBERING, "numbering.xml"),
            ("rId3", RT.SETTINGS, "settings.xml"), ("rId4", RT.FONT_TABLE, "fontTable.xml"),
            ("rId5", RT.FOOTER, "footer1.xml"),
        ).encode(),
        "word/document.xml": document_xml(look).encode(),
        "word/styles.xml": styles_xml(look).encode(),
        "word/settings.xml": settings_xml().encode(),
        "word/fontTable.xml": fonts_xml().encode(),
        "word/footer1.xml": footer_xml().encode(),
        "docProps/core.xml": core_xml(name).encode(),
        "docProps/app.xml": app_xml().encode(),
    }
    buffer = BytesIO()
    with ZipFile(buffer, "w") as package:
        for part, data in parts.items():
            etree.fromstring(data)  # every part must be well-formed
            package.writestr(part, declaration + data)
        package.writestr("word/numbering.xml", numbering_xml(look))
    return _ooxml.repack(buffer.getvalue(), WHEN)


def main(argv: list[str]) -> int:
    layouts = [argv[1]] if len(argv) > 1 else sorted(LOOKS)
    for layout in layouts:
        if layout not in LOOKS:
            print(f"no layout {layout!r}: one of {', '.join(sorted(LOOKS))}", file=sys.stderr)
            return 2
        target = Path(argv[2]) if len(argv) > 2 else LAYOUTS / layout / "reference.docx"
        data = build(layout)
        target.write_bytes(data)
        print(f"wrote {target} ({len(data):,} bytes)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
