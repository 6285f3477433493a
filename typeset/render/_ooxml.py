"""Raw WordprocessingML for what python-docx has no API for.

In: lxml elements of a python-docx document — a paragraph ``w:p``, a run ``w:r``, the
``w:styles`` and ``w:numbering`` roots, the document part — and plain values (language
tags, ids, twips). Out: those elements changed in place, new elements, and, from
:func:`repack`, the bytes of a normalised package. Nothing here knows the document model:
:mod:`typeset.render.docx` decides what to write, this module only knows how Word spells it.

Word's child elements must follow the schema's order, so every insertion goes through
:func:`_child`, which places a new element before its first successor.
"""

from __future__ import annotations

import copy
import datetime as dt
import re
import zlib
from collections.abc import Iterable, Mapping
from functools import cache
from io import BytesIO
from typing import TYPE_CHECKING
from zipfile import ZIP_DEFLATED, ZipFile, ZipInfo

from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part, XmlPart
from docx.oxml.ns import nsdecls, qn
from docx.oxml.parser import OxmlElement, parse_xml
from docx.parts.numbering import NumberingPart
from lxml import etree

if TYPE_CHECKING:
    from docx.parts.document import DocumentPart

# -- schema order of the children we touch (ECMA-376 Part 1, 17.3.1.26, 17.3.2.28, 17.6.17) --

PPR_ORDER = (
    "pStyle", "keepNext", "keepLines", "pageBreakBefore", "framePr", "widowControl", "numPr",
    "suppressLineNumbers", "pBdr", "shd", "tabs", "suppressAutoHyphens", "kinsoku", "wordWrap",
    "overflowPunct", "topLinePunct", "autoSpaceDE", "autoSpaceDN", "bidi", "adjustRightInd",
    "snapToGrid", "spacing", "ind", "contextualSpacing", "mirrorIndents", "suppressOverlap", "jc",
    "textDirection", "textAlignment", "textboxTightWrap", "outlineLvl", "divId", "cnfStyle", "rPr",
    "sectPr", "pPrChange",
)
RPR_ORDER = (
    "rStyle", "rFonts", "b", "bCs", "i", "iCs", "caps", "smallCaps", "strike", "dstrike", "outline",
    "shadow", "emboss", "imprint", "noProof", "snapToGrid", "vanish", "webHidden", "color", "spacing",
    "w", "kern", "position", "sz", "szCs", "highlight", "u", "effect", "bdr", "shd", "fitText",
    "vertAlign", "rtl", "cs", "em", "lang", "eastAsianLayout", "specVanish", "oMath",
)
SECTPR_ORDER = (
    "headerReference", "footerReference", "footnotePr", "endnotePr", "type", "pgSz", "pgMar",
    "paperSrc", "pgBorders", "lnNumType", "pgNumType", "cols", "formProt", "vAlign", "noEndnote",
    "titlePg", "textDirection", "bidi", "rtlGutter", "docGrid", "printerSettings", "sectPrChange",
)

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
#: The ``w:jc`` values that fill a line (ECMA-376 Part 1, 17.18.44).
JUSTIFIED = frozenset({"both", "distribute", "lowKashida", "mediumKashida", "highKashida", "thaiDistribute"})


@cache
def _later(name: str, order: tuple[str, ...]) -> frozenset[str]:
    """The Clark names of the elements that follow ``w:<name>`` in ``order``."""
    return frozenset(f"{{{W_NS}}}{later}" for later in order[order.index(name) + 1:])


_R, _T, _TAB, _BR, _PPR, _RPR, _PSTYLE = (qn("w:r"), qn("w:t"), qn("w:tab"), qn("w:br"), qn("w:pPr"),
                                           qn("w:rPr"), qn("w:pStyle"))


def _child(parent: etree._Element, name: str, order: tuple[str, ...]) -> etree._Element:
    """The child ``w:<name>`` of ``parent``, added in schema order if it is missing."""
    tag = f"{{{W_NS}}}{name}"
    found = parent.find(tag)
    if found is not None:
        return found
    element = parent.makeelement(tag)
    later = _later(name, order)
    for sibling in parent:
        if sibling.tag in later:
            sibling.addprevious(element)
            return element
    parent.append(element)
    return element


def _ppr(p: etree._Element) -> etree._Element:
    ppr = p.find(_PPR)
    if ppr is None:
        ppr = p.makeelement(_PPR)
        p.insert(0, ppr)
    return ppr


def _rpr(r: etree._Element) -> etree._Element:
    rpr = r.find(_RPR)
    if rpr is None:
        rpr = r.makeelement(_RPR)
        r.insert(0, rpr)
    return rpr


# -- the body ---------------------------------------------------------------------------------


def clear_body(body: etree._Element) -> None:
    """Remove every paragraph and table of the template, keeping the final ``w:sectPr``."""
    for element in list(body):
        if element.tag != qn("w:sectPr"):
            body.remove(element)


_SPACE = "{http://www.w3.org/XML/1998/namespace}space"


def add_run(p: etree._Element, text: str | None) -> etree._Element:
    """Append a ``w:r`` holding ``text`` to ``p``: tabs become ``w:tab``, line feeds ``w:br``,
    and a ``w:t`` that starts or ends with a space keeps it (``xml:space``). The same XML as
    python-docx writes, without its character-by-character work."""
    r = etree.SubElement(p, _R)
    for index, piece in enumerate(re.split(r"(\t|\n)", text or "")):
        if index % 2:
            etree.SubElement(r, _TAB if piece == "\t" else _BR)
        elif piece:
            t = etree.SubElement(r, _T)
            t.text = piece
            if piece[0].isspace() or piece[-1].isspace():
                t.set(_SPACE, "preserve")
    return r


def add_break(r: etree._Element) -> None:
    """A line break at the end of run ``r``."""
    etree.SubElement(r, _BR)


def paragraph_style_id(p: etree._Element) -> str | None:
    ppr = p.find(_PPR)
    style = ppr.find(_PSTYLE) if ppr is not None else None
    return style.get(qn("w:val")) if style is not None else None


def paragraph_style(p: etree._Element, style_id: str) -> None:
    _child(_ppr(p), "pStyle", PPR_ORDER).set(qn("w:val"), style_id)


def run_style(r: etree._Element, style_id: str) -> None:
    _child(_rpr(r), "rStyle", RPR_ORDER).set(qn("w:val"), style_id)


def paragraph_bidi(p: etree._Element) -> None:
    """Make a paragraph right-to-left.

    In a ``w:bidi`` paragraph Word (and LibreOffice) read ``w:jc``, ``w:ind``, the tab stops
    and a list level's ``w:lvlJc`` logically: ``left`` is the start edge — the right one — and
    ``right`` the end edge. Transitional WordprocessingML spells start and end that way, so the
    template's styles, written with ``left`` for start, mirror without a change.
    """
    _child(_ppr(p), "bidi", PPR_ORDER)


def paragraph_justification(p: etree._Element, value: str) -> None:
    """Align a paragraph: ``left`` (in a ``w:bidi`` paragraph, its start), ``center``, ``both`` …"""
    _child(_ppr(p), "jc", PPR_ORDER).set(qn("w:val"), value)


def style_lineage(styles: etree._Element, style_id: str | None) -> list[etree._Element]:
    """Word's style inheritance: the style ``style_id`` and the styles it is based on
    (``w:basedOn``), nearest first. A missing style or a loop ends the chain. Whatever a style
    gives — its run properties, its justification, its numbering — resolves along this list,
    the nearest style's own setting first."""
    by_id: dict[str | None, etree._Element] = {}
    for style in styles.iterchildren(qn("w:style")):
        by_id.setdefault(style.get(qn("w:styleId")), style)
    lineage: list[etree._Element] = []
    seen: set[str] = set()
    while style_id and style_id not in seen and style_id in by_id:
        seen.add(style_id)
        style = by_id[style_id]
        lineage.append(style)
        based = style.find(qn("w:basedOn"))
        style_id = based.get(qn("w:val")) if based is not None else None
    return lineage


def style_justification(styles: etree._Element, style_id: str | None) -> str | None:
    """The ``w:jc`` a paragraph style sets itself or through the styles it is based on, or
    else the document defaults' (``w:pPrDefault``)."""
    for style in style_lineage(styles, style_id):
        jc = style.find(f"{qn('w:pPr')}/{qn('w:jc')}")
        if jc is not None:
            return jc.get(qn("w:val"))
    jc = styles.find(f"{qn('w:docDefaults')}/{qn('w:pPrDefault')}/{qn('w:pPr')}/{qn('w:jc')}")
    return jc.get(qn("w:val")) if jc is not None else None


def justified(value: str | None) -> bool:
    """Whether a ``w:jc`` value fills the lines: ``both``, ``distribute``, the kashida ones
    (Word stretches Arabic letters to fill them) and Thai distribution."""
    return value in JUSTIFIED


def unjustify_styles(styles: etree._Element) -> None:
    """Every style (and the document defaults) that justifies its paragraphs aligns them at
    their start instead: ``left``, which in a ``w:bidi`` paragraph is the right edge."""
    for jc in (*styles.iterfind(f"{qn('w:style')}/{qn('w:pPr')}/{qn('w:jc')}"),
               *styles.iterfind(f"{qn('w:docDefaults')}/{qn('w:pPrDefault')}/{qn('w:pPr')}/{qn('w:jc')}")):
        if justified(jc.get(qn("w:val"))):
            jc.set(qn("w:val"), "left")


def paragraph_tabs(p: etree._Element, stops: Iterable[tuple[str, int]]) -> None:
    """Add tab stops (``(alignment, position in twips)``) to a paragraph, besides its style's."""
    tabs = _child(_ppr(p), "tabs", PPR_ORDER)
    for alignment, position in stops:
        tabs.append(OxmlElement("w:tab", {qn("w:val"): alignment, qn("w:pos"): str(position)}))


def columns_from(p: etree._Element, final: etree._Element, count: int, gap: int) -> None:
    """Start a section of ``count`` columns ``gap`` twips apart, with a rule between them, after
    the paragraph ``p``, on the same page (a continuous section break): ``p`` ends a section of
    one column laid out as the document's ``final`` section properties, and the final section,
    which holds whatever comes after ``p``, takes the columns. The new section has no header or
    footer references of its own: it takes the final section's, as Word links a section to the
    one before it."""
    inner = copy.deepcopy(final)
    for reference in inner.findall(qn("w:headerReference")) + inner.findall(qn("w:footerReference")):
        inner.remove(reference)
    for name in ("type", "cols"):
        found = inner.find(qn(f"w:{name}"))
        if found is not None:
            inner.remove(found)
    ppr = _ppr(p)
    ppr.replace(_child(ppr, "sectPr", PPR_ORDER), inner)
    _child(final, "type", SECTPR_ORDER).set(qn("w:val"), "continuous")
    cols = _child(final, "cols", SECTPR_ORDER)
    for attribute in list(cols.attrib):
        del cols.attrib[attribute]
    cols.set(qn("w:num"), str(count))
    cols.set(qn("w:space"), str(gap))
    cols.set(qn("w:sep"), "1")
    cols.set(qn("w:equalWidth"), "1")


def sections_bidi(body: etree._Element) -> None:
    """Lay every section out right to left (columns, gutter and page-number side)."""
    for sect_pr in body.iter(qn("w:sectPr")):
        _child(sect_pr, "bidi", SECTPR_ORDER)


def number(p: etree._Element, num_id: int, level: int = 0) -> None:
    """Attach a paragraph to the list instance ``num_id`` at ``level``."""
    num_pr = _child(_ppr(p), "numPr", PPR_ORDER)
    num_pr.clear()
    ilvl = OxmlElement("w:ilvl", {qn("w:val"): str(level)})
    num = OxmlElement("w:numId", {qn("w:val"): str(num_id)})
    num_pr.extend([ilvl, num])


def level_indent(numbering: etree._Element, abstract: int, level: int) -> tuple[int, int]:
    """``(left, hanging)`` of one level of an abstract numbering (``w:lvl/w:pPr/w:ind``), in twips;
    ``(0, 0)`` where it gives none."""
    definition = _abstract_element(numbering, abstract)
    found = definition.find(f"{qn('w:lvl')}[@{qn('w:ilvl')}='{level}']") if definition is not None else None
    ind = found.find(f"{qn('w:pPr')}/{qn('w:ind')}") if found is not None else None
    if ind is None:
        return 0, 0
    left = ind.get(qn("w:left")) or ind.get(qn("w:start")) or "0"
    return int(left), int(ind.get(qn("w:hanging")) or "0")


def literal_label(p: etree._Element, left: int, hanging: int, tabs: Iterable[tuple[str, int]]) -> None:
    """Set paragraph ``p`` out for a label written as its text (``١.⇥``) instead of a list
    number: no numbering (``w:numId`` 0 turns off what its style gives), the indents ``left``
    and ``hanging``, and tab stops (``(alignment, position)``) besides its style's."""
    ppr = _ppr(p)
    num_pr = _child(ppr, "numPr", PPR_ORDER)
    num_pr.clear()
    num_pr.extend([OxmlElement("w:ilvl", {qn("w:val"): "0"}), OxmlElement("w:numId", {qn("w:val"): "0"})])
    paragraph_tabs(p, tabs)
    ind = _child(ppr, "ind", PPR_ORDER)
    ind.set(qn("w:left"), str(left))
    ind.set(qn("w:hanging"), str(hanging))


def paragraph_before(body: etree._Element, end: etree._Element | None) -> etree._Element:
    """A new, empty ``w:p`` placed before ``end`` (the body's final ``w:sectPr``), or at the end
    of ``body`` if it has none."""
    p = OxmlElement("w:p")
    if end is not None:
        end.addprevious(p)
    else:
        body.append(p)
    return p


def bookmark_name(wanted: str) -> str:
    """A valid Word bookmark name for ``wanted`` (an id such as ``group-signed-later``): letters,
    digits and underscores, starting with a letter, at most 40 characters."""
    name = re.sub(r"\W+", "_", wanted).strip("_") or "bookmark"
    if not name[0].isalpha():
        name = f"b_{name}"
    return name[:40]


class Bookmarks:
    """The bookmarks of one document: ids in order, names valid and unique (Word compares them
    without case)."""

    def __init__(self) -> None:
        self.count = 0
        self.names: set[str] = set()

    def mark(self, p: etree._Element, wanted: str, exact: bool = False) -> str:
        """Bookmark the content of paragraph ``p`` as ``wanted`` (made a valid name; a heading's
        text is lower-cased, an ``exact`` id is kept as it is). Returns the name."""
        base = bookmark_name(wanted if exact else wanted.lower())
        name, n = base, 2
        while name.lower() in self.names:
            suffix = f"_{n}"
            name, n = base[:40 - len(suffix)] + suffix, n + 1
        self.names.add(name.lower())
        start = OxmlElement("w:bookmarkStart", {qn("w:id"): str(self.count), qn("w:name"): name})
        end = OxmlElement("w:bookmarkEnd", {qn("w:id"): str(self.count)})
        self.count += 1
        ppr = p.find(qn("w:pPr"))
        if ppr is not None:
            ppr.addnext(start)
        else:
            p.insert(0, start)
        p.append(end)
        return name


def hyperlink(p: etree._Element, r_id: str | None, runs: Iterable[etree._Element], tooltip: str | None,
              anchor: str | None = None) -> None:
    """Move ``runs`` (already in ``p``) into a ``w:hyperlink`` to relationship ``r_id`` (an
    external target) or to the bookmark ``anchor``."""
    runs = list(runs)
    if not runs:
        return
    link = OxmlElement("w:hyperlink", {qn("w:history"): "1"})
    if r_id is not None:
        link.set(qn("r:id"), r_id)
    if anchor is not None:
        link.set(qn("w:anchor"), anchor)
    if tooltip:
        link.set(qn("w:tooltip"), tooltip)
    runs[0].addprevious(link)
    link.extend(runs)


# -- runs -------------------------------------------------------------------------------------


def _toggles_on(r: etree._Element, toggles: Iterable[str]) -> None:
    toggles = tuple(toggles)
    if not toggles:
        return
    rpr = _rpr(r)
    for name in toggles:
        _child(rpr, name, RPR_ORDER).attrib.pop(qn("w:val"), None)


def bold(r: etree._Element, toggles: Iterable[str] = ("b", "bCs")) -> None:
    """Bold for every script: ``w:b`` and its complex-script twin ``w:bCs`` (or only those
    of ``toggles``)."""
    _toggles_on(r, toggles)


def italic(r: etree._Element, toggles: Iterable[str] = ("i", "iCs")) -> None:
    """Italic for every script: ``w:i`` and ``w:iCs`` (or only those of ``toggles``)."""
    _toggles_on(r, toggles)


def toggles_off(parent: etree._Element, toggles: Iterable[str]) -> None:
    """Turn toggle properties (``w:b``, ``w:iCs`` …) off in a run (``w:r``) or in a ``w:rPr``
    itself, whatever its styles say: ``<w:iCs w:val="0"/>``."""
    toggles = tuple(toggles)
    if not toggles:
        return
    rpr = parent if parent.tag == _RPR else _rpr(parent)
    for name in toggles:
        _child(rpr, name, RPR_ORDER).set(qn("w:val"), "0")


def letter_spacing(parent: etree._Element, twentieths: int) -> None:
    """The letter-spacing (``w:spacing``, in twentieths of a point) of a run or a ``w:rPr``."""
    rpr = parent if parent.tag == _RPR else _rpr(parent)
    _child(rpr, "spacing", RPR_ORDER).set(qn("w:val"), str(twentieths))


SLOTS = ("ascii", "hAnsi", "eastAsia", "cs")


def run_fonts(r: etree._Element, families: Mapping[str, str], hint: str | None = None) -> None:
    """Set the given slots of a run's ``w:rFonts`` (``ascii``, ``hAnsi``, ``eastAsia``, ``cs``).

    ``hint`` (``eastAsia`` or ``cs``) tells Word which slot formats the characters several
    scripts share — spaces, digits, punctuation — in this run.
    """
    if not families and not hint:
        return
    element = _child(_rpr(r), "rFonts", RPR_ORDER)
    for slot, family in families.items():
        element.set(qn(f"w:{slot}"), family)
    if hint:
        element.set(qn("w:hint"), hint)


def run_rtl(r: etree._Element) -> None:
    """Mark a run's text right to left (and formatted with the complex-script properties)."""
    _child(_rpr(r), "rtl", RPR_ORDER)


def run_language(r: etree._Element, attributes: Mapping[str, str]) -> None:
    element = _child(_rpr(r), "lang", RPR_ORDER)
    for name, value in attributes.items():
        element.set(qn(f"w:{name}"), value)


def preserve_space(r: etree._Element) -> None:
    """Keep every space of a run's text (code), not only leading and trailing ones."""
    for t in r.iter(qn("w:t")):
        t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")


# -- styles -----------------------------------------------------------------------------------


def _default_rpr(styles: etree._Element) -> etree._Element:
    """``w:docDefaults/w:rPrDefault/w:rPr``, made if the template lacks it."""
    defaults = styles.find(qn("w:docDefaults"))
    if defaults is None:
        defaults = OxmlElement("w:docDefaults")
        styles.insert(0, defaults)
    r_default = defaults.find(qn("w:rPrDefault"))
    if r_default is None:
        r_default = OxmlElement("w:rPrDefault")
        defaults.insert(0, r_default)
    rpr = r_default.find(qn("w:rPr"))
    if rpr is None:
        rpr = OxmlElement("w:rPr")
        r_default.append(rpr)
    return rpr


def style_rpr(styles: etree._Element, style_id: str | None) -> etree._Element | None:
    """The ``w:rPr`` of a style (of ``w:docDefaults`` for ``None``), made if the style has
    none; ``None`` if there is no such style."""
    if style_id is None:
        return _default_rpr(styles)
    style = styles.find(f"{qn('w:style')}[@{qn('w:styleId')}='{style_id}']")
    return _child(style, "rPr", STYLE_ORDER) if style is not None else None


def style_ids(styles: etree._Element, kinds: Iterable[str] = ("paragraph", "character")) -> list[str]:
    """The ids of the styles of ``kinds`` (paragraph, character …), in document order."""
    wanted = set(kinds)
    return [ident for style in styles.findall(qn("w:style"))
            if style.get(qn("w:type")) in wanted and (ident := style.get(qn("w:styleId")))]


def default_language(styles: etree._Element, attributes: Mapping[str, str]) -> None:
    """The document's language (``w:docDefaults``), which spell checkers and hyphenation use."""
    lang = _child(_default_rpr(styles), "lang", RPR_ORDER)
    for name in ("val", "eastAsia", "bidi"):
        if name in attributes:
            lang.set(qn(f"w:{name}"), attributes[name])


def default_languages(styles: etree._Element) -> dict[str, str]:
    """The ``w:lang`` attributes of ``w:docDefaults`` (``val``, ``eastAsia``, ``bidi``)."""
    lang = _default_rpr(styles).find(qn("w:lang"))
    if lang is None:
        return {}
    return {name: value for name in ("val", "eastAsia", "bidi") if (value := lang.get(qn(f"w:{name}")))}


def default_fonts(styles: etree._Element, families: Mapping[str, str]) -> None:
    """Set slots of the document's default font (``w:docDefaults``), which styles inherit."""
    element = _child(_default_rpr(styles), "rFonts", RPR_ORDER)
    for slot, family in families.items():
        element.set(qn(f"w:{slot}"), family)


def default_font(styles: etree._Element) -> str | None:
    """The font of ``w:docDefaults`` (its ``ascii`` slot), which every style inherits."""
    fonts = styles.find(f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{qn('w:rPr')}/{qn('w:rFonts')}")
    return fonts.get(qn("w:ascii")) if fonts is not None else None


def font_slots(rfonts: etree._Element | None) -> dict[str, str | None]:
    """The families a ``w:rFonts`` names; a slot given by a theme font counts as unknown (None)."""
    if rfonts is None:
        return {}
    found: dict[str, str | None] = {}
    for slot in SLOTS:
        if rfonts.get(qn(f"w:{slot}Theme")) is not None:
            found[slot] = None
        elif rfonts.get(qn(f"w:{slot}")) is not None:
            found[slot] = rfonts.get(qn(f"w:{slot}"))
    return found


def style_fonts(styles: etree._Element, style_id: str | None) -> dict[str, str | None]:
    """The font slots a style sets itself or through the styles it is based on (not the defaults)."""
    found: dict[str, str | None] = {}
    for style in style_lineage(styles, style_id):
        for slot, family in font_slots(style.find(f"{qn('w:rPr')}/{qn('w:rFonts')}")).items():
            found.setdefault(slot, family)
    return found


def effective_fonts(styles: etree._Element, paragraph_style: str | None,
                    run_style: str | None) -> dict[str, str | None]:
    """The family each slot of a run gets without direct formatting: the character style over
    the paragraph style over the document defaults."""
    defaults = font_slots(styles.find(f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{qn('w:rPr')}/{qn('w:rFonts')}"))
    return {**defaults, **style_fonts(styles, paragraph_style), **style_fonts(styles, run_style)}


def style_numbering(styles: etree._Element, style_id: str, num_id: int, level: int = 0) -> None:
    """Give the paragraph style ``style_id`` the list instance ``num_id``: a paragraph a user
    gives that style is numbered in that list (Word's "List Number" works so)."""
    style = styles.find(f"{qn('w:style')}[@{qn('w:styleId')}='{style_id}']")
    if style is None:
        return
    ppr = _child(style, "pPr", STYLE_ORDER)
    num_pr = _child(ppr, "numPr", PPR_ORDER)
    num_pr.clear()
    num_pr.extend([OxmlElement("w:ilvl", {qn("w:val"): str(level)}),
                   OxmlElement("w:numId", {qn("w:val"): str(num_id)})])


STYLE_ORDER = (
    "name", "aliases", "basedOn", "next", "link", "autoRedefine", "hidden", "uiPriority", "semiHidden",
    "unhideWhenUsed", "qFormat", "locked", "personal", "personalCompose", "personalReply", "rsid", "pPr", "rPr",
    "tblPr", "trPr", "tcPr", "tblStylePr",
)


# -- numbering --------------------------------------------------------------------------------

# Where a signatory line's parts stand, in twips from the text margin: the number ends at
# NUMBER_END (numbers are right-aligned, so 9. and 29. line up), the abbreviation starts at
# ABBREVIATION_AT and the name at NAME_AT, where wrapped lines start too.
NUMBER_END = 397
ABBREVIATION_AT = 567
NAME_AT = 2098
LIST_STEP = 425  # one level of a body list


def numbering_root(document_part: DocumentPart) -> etree._Element:
    """The ``w:numbering`` element of a document, adding ``word/numbering.xml`` if absent.

    python-docx's ``NumberingPart.new()`` is not implemented, so the part is made here with
    its content type (written to ``[Content_Types].xml`` on save) and its relationship.
    """
    try:
        found = document_part.part_related_by(RT.NUMBERING)
    except KeyError:
        element = parse_xml(f"<w:numbering {nsdecls('w')}/>")
        part = NumberingPart(PackURI("/word/numbering.xml"), CT.WML_NUMBERING, element, document_part.package)
        document_part.relate_to(part, RT.NUMBERING)
        return element
    assert isinstance(found, XmlPart), "python-docx reads word/numbering.xml as XML"
    root: etree._Element = found.element
    return root


def _ids(numbering: etree._Element, tag: str, attribute: str) -> list[int]:
    return [_int(e, attribute) for e in numbering.findall(qn(tag))]


def _int(element: etree._Element, attribute: str) -> int:
    """An integer attribute Word always writes (``w:abstractNumId``, ``w:ilvl`` …)."""
    value = element.get(qn(attribute))
    if value is None:
        raise ValueError(f"a w:{etree.QName(element).localname} without {attribute}")
    return int(value)


def find_abstract(numbering: etree._Element, name: str) -> int | None:
    """The id of the abstract numbering called ``name`` (``w:abstractNum/w:name``), if any."""
    for abstract in numbering.findall(qn("w:abstractNum")):
        label = abstract.find(qn("w:name"))
        if label is not None and label.get(qn("w:val")) == name:
            return _int(abstract, "w:abstractNumId")
    return None


def add_abstract(numbering: etree._Element, definition: etree._Element) -> int:
    """Add an abstract numbering (before every ``w:num``, as the schema asks) with a free id."""
    new_id = max(_ids(numbering, "w:abstractNum", "w:abstractNumId"), default=-1) + 1
    definition.set(qn("w:abstractNumId"), str(new_id))
    first_num = numbering.find(qn("w:num"))
    if first_num is not None:
        first_num.addprevious(definition)
    else:
        numbering.append(definition)
    return new_id


def add_num(numbering: etree._Element, abstract_id: int, starts: Mapping[int, int] | None = None) -> int:
    """Add a list instance of ``abstract_id``; ``starts`` maps levels to restart values.

    Word continues the count of every instance of one abstract numbering unless the
    instance overrides the start, so each list that must begin afresh carries a
    ``w:lvlOverride/w:startOverride``.
    """
    new_id = max(_ids(numbering, "w:num", "w:numId"), default=0) + 1
    num = OxmlElement("w:num", {qn("w:numId"): str(new_id)})
    num.append(OxmlElement("w:abstractNumId", {qn("w:val"): str(abstract_id)}))
    for level, start in sorted((starts or {}).items()):
        override = OxmlElement("w:lvlOverride", {qn("w:ilvl"): str(level)})
        override.append(OxmlElement("w:startOverride", {qn("w:val"): str(start)}))
        num.append(override)
    numbering.append(num)
    return new_id


def _nsid(name: str) -> str:
    return f"{zlib.crc32(name.encode()) & 0xFFFFFFFF:08X}"


def _level(ilvl: int, fmt: str, text: str, jc: str, left: int, hanging: int, tab: int) -> str:
    return (
        f'<w:lvl w:ilvl="{ilvl}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/>'
        f'<w:lvlText w:val="{text}"/><w:lvlJc w:val="{jc}"/>'
        f'<w:pPr><w:tabs><w:tab w:val="num" w:pos="{tab}"/></w:tabs>'
        f'<w:ind w:left="{left}" w:hanging="{hanging}"/></w:pPr></w:lvl>'
    )


def _abstract(name: str, kind: str, levels: Iterable[str]) -> etree._Element:
    return parse_xml(
        f'<w:abstractNum {nsdecls("w")} w:abstractNumId="0"><w:nsid w:val="{_nsid(name)}"/>'
        f'<w:multiLevelType w:val="{kind}"/><w:name w:val="{name}"/>{"".join(levels)}</w:abstractNum>'
    )


def signatory_numbering(number_end: int = NUMBER_END, abbreviation_at: int = ABBREVIATION_AT,
                        name_at: int = NAME_AT) -> etree._Element:
    """Signatories: ``1.`` right-aligned in a hanging indent, a tab to the abbreviation; wrapped
    lines start at ``name_at`` (where the abbreviation does, when there is no name column)."""
    level = _level(0, "decimal", "%1.", "right", name_at, name_at - number_end, abbreviation_at)
    return _abstract("Signatories", "singleLevel", [level])


def bullet_numbering() -> etree._Element:
    marks = ("\u2022", "\u2013", "\u2023")
    return _abstract("Bullets", "hybridMultilevel", [
        _level(i, "bullet", marks[i % 3], "left", LIST_STEP * (i + 1), 283, LIST_STEP * (i + 1))
        for i in range(9)
    ])


def ordered_numbering() -> etree._Element:
    formats = (("decimal", "%{}."), ("lowerLetter", "%{})"), ("lowerRoman", "%{}."))
    return _abstract("Ordered", "hybridMultilevel", [
        _level(i, formats[i % 3][0], formats[i % 3][1].format(i + 1), "left",
               LIST_STEP * (i + 1), LIST_STEP, LIST_STEP * (i + 1))
        for i in range(9)
    ])


DEFINITIONS = {"Signatories": signatory_numbering, "Bullets": bullet_numbering, "Ordered": ordered_numbering}


def abstract_id(numbering: etree._Element, name: str) -> int:
    """The template's abstract numbering ``name`` (restyled in Word, perhaps), else ours."""
    found = find_abstract(numbering, name)
    return found if found is not None else add_abstract(numbering, DEFINITIONS[name]())


def numeral_format(numbering: etree._Element, abstract: int, fmt: str, language: Mapping[str, str] | None = None,
                   rtl: bool = False) -> None:
    """Count the decimal levels of an abstract numbering with ``fmt`` (``hindiNumbers`` …).

    Levels in letters, Roman numerals or bullets keep their format. ``language`` (``w:lang``
    attributes) and ``rtl`` go to the level's run properties, so that the label is set as
    text of the edition's language: Word and LibreOffice shape its digits by that language
    when their "context" numerals option is on.
    """
    definition = numbering.find(f"{qn('w:abstractNum')}[@{qn('w:abstractNumId')}='{abstract}']")
    if definition is None:
        return
    for level in definition.findall(qn("w:lvl")):
        current = level.find(qn("w:numFmt"))
        if current is None or current.get(qn("w:val")) != "decimal":
            continue
        current.set(qn("w:val"), fmt)
        rpr = _child(level, "rPr", LVL_ORDER)
        if rtl:
            _child(rpr, "rtl", RPR_ORDER)
        if language:
            run_language(level, language)


def mirror_label_alignment(numbering: etree._Element, abstract: int) -> None:
    """Swap ``left`` and ``right`` in the label alignment (``w:lvlJc``) of every level, for
    right-to-left paragraphs.

    LibreOffice reads a paragraph's ``w:jc`` in a ``w:bidi`` paragraph as start and end, but a
    level's ``w:lvlJc`` as the visual side of the label: ``left`` puts a label's left edge at
    the number position, in the margin of a right-to-left line. Swapped, the labels mirror the
    left-to-right layout: a bullet or ``١.`` ends at the margin, signatory numbers end at the
    same place whatever their width (checked in LibreOffice 7.4).
    """
    definition = numbering.find(f"{qn('w:abstractNum')}[@{qn('w:abstractNumId')}='{abstract}']")
    if definition is None:
        return
    for jc in definition.iter(qn("w:lvlJc")):
        side = jc.get(qn("w:val"))
        if side is not None:
            jc.set(qn("w:val"), {"left": "right", "right": "left"}.get(side, side))


def mirrored_copy(numbering: etree._Element, abstract: int, name: str) -> int:
    """A copy of an abstract numbering, called ``name``, whose labels are aligned for paragraphs of
    the other direction (:func:`mirror_label_alignment`): for a list in a div whose direction is not
    the document's."""
    found = find_abstract(numbering, name)
    if found is not None:
        return found
    definition = _abstract_element(numbering, abstract)
    if definition is None:
        raise KeyError(abstract)
    duplicate = copy.deepcopy(definition)
    for child, value in ((qn("w:name"), name), (qn("w:nsid"), _nsid(name))):
        element = duplicate.find(child)
        if element is not None:
            element.set(qn("w:val"), value)
    for link in [*duplicate.findall(qn("w:numStyleLink")), *duplicate.findall(qn("w:styleLink"))]:
        duplicate.remove(link)  # a style names one definition
    new = add_abstract(numbering, duplicate)
    mirror_label_alignment(numbering, new)
    return new


def _abstract_element(numbering: etree._Element, abstract: int) -> etree._Element | None:
    return numbering.find(f"{qn('w:abstractNum')}[@{qn('w:abstractNumId')}='{abstract}']")


# The digits of the number formats that count in another script's digits, as Word draws them
# ([MS-DOCX] 2.4: hindiNumbers is U+0967, U+0968, U+0969, …). LibreOffice 7.4 reads both as
# decimal and draws ASCII digits.
FORMAT_DIGITS = {"hindiNumbers": "\u0966\u0967\u0968\u0969\u096a\u096b\u096c\u096d\u096e\u096f",
                 "thaiNumbers": "\u0e50\u0e51\u0e52\u0e53\u0e54\u0e55\u0e56\u0e57\u0e58\u0e59"}
DECIMAL_FORMATS = ("decimal", "decimalZero", *FORMAT_DIGITS)


def label_characters(numbering: etree._Element, abstract: int, digits: str = "") -> dict[int, str]:
    """Level -> the characters its label may show: the literal text of ``w:lvlText`` and, for
    a level that counts in digits, the ten ASCII digits, those of its format and ``digits``
    (the edition's, which Word and LibreOffice draw for the ASCII ones when their numerals
    option says so)."""
    definition = _abstract_element(numbering, abstract)
    found: dict[int, str] = {}
    if definition is None:
        return found
    for level in definition.findall(qn("w:lvl")):
        text = level.find(qn("w:lvlText"))
        fmt = level.find(qn("w:numFmt"))
        literal = re.sub(r"%\d", "", text.get(qn("w:val")) or "") if text is not None else ""
        kind = fmt.get(qn("w:val")) if fmt is not None else None
        counted = "0123456789" + FORMAT_DIGITS.get(kind or "", "") + digits if kind in DECIMAL_FORMATS else ""
        found[_int(level, "w:ilvl")] = "".join(dict.fromkeys(literal + counted))
    return found


def level_fonts(numbering: etree._Element, abstract: int, level: int, families: Mapping[str, str]) -> None:
    """Set font slots of one level's label (``w:lvl/w:rPr/w:rFonts``)."""
    definition = _abstract_element(numbering, abstract)
    found = definition.find(f"{qn('w:lvl')}[@{qn('w:ilvl')}='{level}']") if definition is not None else None
    if found is None:
        return
    fonts = _child(_child(found, "rPr", LVL_ORDER), "rFonts", RPR_ORDER)
    for slot, family in families.items():
        fonts.set(qn(f"w:{slot}"), family)


LVL_ORDER = (
    "start", "numFmt", "lvlRestart", "pStyle", "isLgl", "suff", "lvlText", "lvlPicBulletId", "legacy",
    "lvlJc", "pPr", "rPr",
)


def field_runs(instruction: str, shown: str, rpr: etree._Element | None = None) -> list[etree._Element]:
    """The runs of a simple field (``PAGE``, ``NUMPAGES``) showing ``shown`` until updated, each
    with a copy of ``rpr``."""
    runs = []
    for kind, text in (("begin", None), ("instr", f" {instruction} "), ("separate", None), ("shown", shown),
                       ("end", None)):
        r = OxmlElement("w:r")
        if rpr is not None:
            r.append(copy.deepcopy(rpr))
        if kind == "instr":
            child = OxmlElement("w:instrText")
            child.text = text
            child.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
        elif kind == "shown":
            child = OxmlElement("w:t")
            child.text = text
        else:
            child = OxmlElement("w:fldChar", {qn("w:fldCharType"): kind})
        r.append(child)
        runs.append(r)
    return runs


def has_field(p: etree._Element, name: str) -> bool:
    """Whether a paragraph holds a field whose instruction starts with ``name``."""
    instructions = "".join(i.text or "" for i in p.iter(qn("w:instrText")))
    simple = [f.get(qn("w:instr"), "") for f in p.iter(qn("w:fldSimple"))]
    return any(text.split()[:1] == [name] for text in (instructions, *simple))


def clear_runs(p: etree._Element) -> None:
    """Remove a paragraph's content, keeping its properties."""
    for child in list(p):
        if child.tag != qn("w:pPr"):
            p.remove(child)


# -- fonts: the font table and embedded faces ---------------------------------------------------

FONT_RELATIONSHIP = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/font"
OBFUSCATED_FONT = "application/vnd.openxmlformats-officedocument.obfuscatedFont"

FONT_ORDER = (
    "altName", "panose1", "charset", "family", "notTrueType", "pitch", "sig", "embedRegular", "embedBold",
    "embedItalic", "embedBoldItalic",
)
SETTINGS_ORDER = (
    "writeProtection", "view", "zoom", "removePersonalInformation", "removeDateAndTime",
    "doNotDisplayPageBoundaries", "displayBackgroundShape", "printPostScriptOverText",
    "printFractionalCharacterWidth", "printFormsData", "embedTrueTypeFonts", "embedSystemFonts",
    "saveSubsetFonts", "saveFormsData", "mirrorMargins", "alignBordersAndEdges", "bordersDoNotSurroundHeader",
    "bordersDoNotSurroundFooter", "gutterAtTop", "hideSpellingErrors", "hideGrammaticalErrors",
    "activeWritingStyle", "proofState", "formsDesign", "attachedTemplate", "linkStyles",
    "stylePaneFormatFilter", "stylePaneSortMethod", "documentType", "mailMerge", "revisionView",
    "trackRevisions", "doNotTrackMoves", "doNotTrackFormatting", "documentProtection", "autoFormatOverride",
    "styleLockTheme", "styleLockQFSet", "defaultTabStop", "autoHyphenation", "consecutiveHyphenLimit",
    "hyphenationZone", "doNotHyphenateCaps", "showEnvelope", "summaryLength", "clickAndTypeStyle",
    "defaultTableStyle", "evenAndOddHeaders", "bookFoldRevPrinting", "bookFoldPrinting",
    "bookFoldPrintingSheets", "drawingGridHorizontalSpacing", "drawingGridVerticalSpacing",
    "displayHorizontalDrawingGridEvery", "displayVerticalDrawingGridEvery", "doNotUseMarginsForDrawingGridOrigin",
    "drawingGridHorizontalOrigin", "drawingGridVerticalOrigin", "doNotShadeFormData", "noPunctuationKerning",
    "characterSpacingControl", "printTwoOnOne", "strictFirstAndLastChars", "noLineBreaksAfter",
    "noLineBreaksBefore", "savePreviewPicture", "doNotValidateAgainstSchema", "saveInvalidXml",
    "ignoreMixedContent", "alwaysShowPlaceholderText", "doNotDemarcateInvalidXml", "saveXmlDataOnly",
    "useXSLTWhenSaving", "saveThroughXslt", "showXMLTags", "alwaysMergeEmptyNamespace", "updateFields",
    "hdrShapeDefaults", "footnotePr", "endnotePr", "compat", "docVars", "rsids", "mathPr", "attachedSchema",
    "themeFontLang", "clrSchemeMapping", "doNotIncludeSubdocsInStats", "doNotAutoCompressPictures",
    "forceUpgrade", "captions", "readModeInkLockDown", "smartTagType", "schemaLibrary", "shapeDefaults",
    "doNotEmbedSmartTags", "decimalSymbol", "listSeparator",
)


def font_table(document_part: DocumentPart) -> XmlPart:
    """The part ``word/fontTable.xml`` as XML that can hold relationships (python-docx reads it
    as opaque bytes), made if the template has none. Its ``element`` is the ``w:fonts`` root.
    Faces the template itself embeds are dropped (their relationships are the old part's): the
    renderer embeds what the edition uses."""
    try:
        part = document_part.part_related_by(RT.FONT_TABLE)
    except KeyError:
        part = None
    if isinstance(part, XmlPart):
        return part
    blob = part.blob if part is not None else f"<w:fonts {nsdecls('w', 'r')}/>".encode()
    table: XmlPart = XmlPart.load(PackURI("/word/fontTable.xml"), CT.WML_FONT_TABLE, blob, document_part.package)
    for font in table.element.findall(qn("w:font")):  # a template's own embedded faces stay behind
        for kind in ("embedRegular", "embedBold", "embedItalic", "embedBoldItalic"):
            for embedded in font.findall(qn(f"w:{kind}")):
                font.remove(embedded)
    for r_id, rel in list(document_part.rels.items()):
        if rel.reltype == RT.FONT_TABLE:
            document_part.drop_rel(r_id)
    document_part.relate_to(table, RT.FONT_TABLE)
    return table


def font_entry(fonts: etree._Element, name: str, charset: str = "00") -> etree._Element:
    """The ``w:font`` called ``name``, added (with its character set, a variable pitch and no
    family class) if the table lacks it."""
    for font in fonts.findall(qn("w:font")):
        if font.get(qn("w:name")) == name:
            return font
    font = OxmlElement("w:font", {qn("w:name"): name})
    font.append(OxmlElement("w:charset", {qn("w:val"): charset}))
    font.append(OxmlElement("w:family", {qn("w:val"): "auto"}))
    font.append(OxmlElement("w:pitch", {qn("w:val"): "variable"}))
    fonts.append(font)
    return font


def embed_font(table: XmlPart, name: str, kind: str, data: bytes, key: str, *, subsetted: bool,
               charset: str = "00") -> str:
    """Add one obfuscated face (``kind``: Regular, Bold, Italic or BoldItalic) of the family
    ``name`` as ``word/fonts/fontN.odttf``, referenced from its ``w:font`` by a
    ``w:embed<kind>`` with the relationship (in ``word/_rels/fontTable.xml.rels``) and the key.
    Returns the part's name."""
    entry = font_entry(table.element, name, charset)
    count = sum(1 for rel in table.rels.values() if rel.reltype == FONT_RELATIONSHIP) + 1
    font_part = Part(PackURI(f"/word/fonts/font{count}.odttf"), OBFUSCATED_FONT, data, table.package)
    r_id = table.relate_to(font_part, FONT_RELATIONSHIP)
    embed = _child(entry, f"embed{kind}", FONT_ORDER)
    embed.attrib.clear()
    embed.set(qn("r:id"), r_id)
    embed.set(qn("w:fontKey"), key)
    if subsetted:
        embed.set(qn("w:subsetted"), "1")
    return str(font_part.partname)


def settings_embed_fonts(settings: etree._Element, subsetted: bool) -> None:
    """Ask Word to keep the embedded fonts when it saves (and to subset them again)."""
    _child(settings, "embedTrueTypeFonts", SETTINGS_ORDER)
    if subsetted:
        _child(settings, "saveSubsetFonts", SETTINGS_ORDER)



def settings_compress_punctuation(settings: etree._Element) -> None:
    """Ask Word (and LibreOffice) to set full-width punctuation narrower where it meets more
    punctuation or a line's end ("Asian typography: compress punctuation only")."""
    _child(settings, "characterSpacingControl", SETTINGS_ORDER).set(qn("w:val"), "compressPunctuation")


# -- the package ------------------------------------------------------------------------------

_FIRST = ("[Content_Types].xml", "_rels/.rels")


def zip_time(when: dt.datetime) -> tuple[int, int, int, int, int, int]:
    """A ZIP timestamp (UTC, two-second steps) for ``when``, clamped to 1980–2107."""
    utc = when.astimezone(dt.UTC).replace(tzinfo=None) if when.tzinfo else when
    utc = min(max(utc, dt.datetime(1980, 1, 1)), dt.datetime(2107, 12, 31, 23, 59, 58))
    return (utc.year, utc.month, utc.day, utc.hour, utc.minute, utc.second - utc.second % 2)


def repack(data: bytes, when: dt.datetime) -> bytes:
    """The same package with its entries in a fixed order and every timestamp ``when``.

    ``[Content_Types].xml`` stays first (some readers sniff it there), then the package
    relationships, then every other part by name.
    """
    stamp = zip_time(when)
    out = BytesIO()
    with ZipFile(BytesIO(data)) as source, ZipFile(out, "w") as target:
        names = sorted(source.namelist(), key=lambda n: (_FIRST.index(n) if n in _FIRST else len(_FIRST), n))
        for name in names:
            info = ZipInfo(name, stamp)
            info.compress_type = ZIP_DEFLATED
            info.create_system = 0
            info.external_attr = 0
            target.writestr(info, source.read(name), compresslevel=9)
    return out.getvalue()
