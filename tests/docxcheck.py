"""Read a DOCX edition back as a reader without our fonts would: its embedded fonts, its XML,
and LibreOffice's layout of it (converted by :mod:`tests.libreoffice`).

- :func:`embedded_fonts` opens the package's ``word/fontTable.xml``, follows each
  ``w:embedRegular`` … through ``word/_rels/fontTable.xml.rels`` to its ``.odttf`` part and
  undoes the obfuscation (ECMA-376 Part 1 §17.8.1, written here from the spec, not taken from
  typeset), giving the fonts as a reader gets them.
- :func:`numbered_lines` finds, in LibreOffice's PDF of it, each list number with the text on its line.
- :func:`part` parses one XML part; :class:`Fonts` resolves the family of each slot of a run as
  Word does, written here from the spec, not taken from typeset.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path
from zipfile import ZipFile

from docx.oxml.ns import qn
from fontTools.ttLib import TTFont
from lxml import etree

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PR = "http://schemas.openxmlformats.org/package/2006/relationships"
CT = "http://schemas.openxmlformats.org/package/2006/content-types"
FONT_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/font"
OBFUSCATED = "application/vnd.openxmlformats-officedocument.obfuscatedFont"
NS = {"w": W}
SLOTS = ("ascii", "hAnsi", "eastAsia", "cs")  # the font slots of a w:rFonts
KINDS = {"embedRegular": "Regular", "embedBold": "Bold", "embedItalic": "Italic", "embedBoldItalic": "BoldItalic"}


@dataclass(frozen=True)
class Embedded:
    family: str  # the w:font's name
    kind: str  # Regular, Bold, Italic or BoldItalic
    part: str  # the .odttf part's name in the package
    key: str  # w:fontKey
    subsetted: bool
    content_type: str | None
    font: TTFont  # the font, obfuscation undone
    size: int  # bytes of the part


def deobfuscate(data: bytes, key: str) -> bytes:
    """§17.8.1: the GUID's 32 hex digits, read as 16 bytes from the last pair to the first,
    XORed over the first 32 bytes of the font (twice over)."""
    digits = key.strip("{}").replace("-", "")
    mask = bytes.fromhex(digits)[::-1]
    return bytes(b ^ mask[i % 16] for i, b in enumerate(data[:32])) + data[32:]


def embedded_fonts(docx: bytes) -> list[Embedded]:
    with ZipFile(BytesIO(docx)) as package:
        names = set(package.namelist())
        if "word/fontTable.xml" not in names:
            return []
        table = etree.fromstring(package.read("word/fontTable.xml"))
        rels = {}
        if "word/_rels/fontTable.xml.rels" in names:
            for rel in etree.fromstring(package.read("word/_rels/fontTable.xml.rels")):
                rels[rel.get("Id")] = (rel.get("Type"), "word/" + rel.get("Target"))
        types = etree.fromstring(package.read("[Content_Types].xml"))
        overrides = {o.get("PartName").lstrip("/"): o.get("ContentType") for o in types.iter(f"{{{CT}}}Override")}
        defaults = {d.get("Extension"): d.get("ContentType") for d in types.iter(f"{{{CT}}}Default")}
        found = []
        for font in table.iter(f"{{{W}}}font"):
            for element in font:
                kind = KINDS.get(etree.QName(element).localname)
                if kind is None:
                    continue
                rel_type, target = rels[element.get(f"{{{R}}}id")]
                assert rel_type == FONT_REL, rel_type
                key = element.get(f"{{{W}}}fontKey")
                data = package.read(target)
                found.append(Embedded(
                    font.get(f"{{{W}}}name"), kind, target, key, element.get(f"{{{W}}}subsetted") in ("1", "true"),
                    overrides.get(target, defaults.get(target.rsplit(".", 1)[-1])),
                    TTFont(BytesIO(deobfuscate(data, key))), len(data)))
        return found


@dataclass(frozen=True)
class Line:
    page: int
    number: int | None  # the list number at the line's start, if it has one
    text: str  # the line's other characters, left to right as drawn
    fonts: frozenset[str]
    start: float  # where its text (after the number) starts: its left edge, or right edge if right to left


MIN_LABEL_GAP = 5.0  # points between a list number and its text: a tab, wider than a space


def numbered_lines(pdf: Path, rtl: bool = False) -> list[Line]:
    """Every line of every page, top to bottom, with the list number that starts it (at the
    left of a left-to-right line, at the right of a right-to-left one) taken apart.

    Characters share a line when their baselines do (LibreOffice sets a number and the first
    line of its paragraph on one baseline, whichever fonts draw them).
    """
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LTChar, LTContainer

    def walk(item, chars: list[LTChar]) -> list[LTChar]:  # type: ignore[no-untyped-def]
        if isinstance(item, LTChar):
            chars.append(item)
        elif isinstance(item, LTContainer):
            for child in item:
                walk(child, chars)
        return chars

    lines: list[Line] = []
    for page_number, page in enumerate(extract_pages(pdf), start=1):
        chars = walk(page, [])
        rows: dict[float, list[LTChar]] = {}
        for char in chars:
            baseline = round(char.matrix[5], 0)
            row = next((y for y in rows if abs(y - baseline) <= 1.5), baseline)
            rows.setdefault(row, []).append(char)
        for y in sorted(rows, reverse=True):
            row = [c for c in sorted(rows[y], key=lambda c: c.x0) if not c.get_text().isspace()]
            tokens = row[::-1] if rtl else row  # from the side the line starts on
            label: list[LTChar] = []
            for char in tokens:
                text = char.get_text()
                if len(text) == 1 and (unicodedata.category(text) == "Nd" or text == "."):
                    label.append(char)
                    continue
                break
            number = None
            if label and len(label) < len(tokens):
                after = tokens[len(label)]
                gap = (after.x0 - max(c.x1 for c in label)) if not rtl else (min(c.x0 for c in label) - after.x1)
                shown = "".join(c.get_text() for c in sorted(label, key=lambda c: c.x0))
                digits = "".join(str(unicodedata.digit(c)) for c in shown if c != ".")
                if digits and "." in shown and gap > MIN_LABEL_GAP:  # a number, then the tab to the name
                    number = int(digits)
            rest = tokens[len(label):] if number is not None else tokens
            rest = sorted(rest, key=lambda c: c.x0)
            start = (rest[-1].x1 if rtl else rest[0].x0) if rest else 0.0
            lines.append(Line(page_number, number, "".join(c.get_text() for c in rest),
                              frozenset(c.fontname.partition("+")[2] or c.fontname for c in row), start))
    return lines


def fonts_drawing(pdf: Path) -> set[str]:
    """The fonts that draw glyphs on the pages (PostScript names, subset prefix removed)."""
    return {font for line in numbered_lines(pdf) for font in line.fonts}


# -- reading Word's XML -------------------------------------------------------------------


def part(data: bytes, name: str) -> etree._Element:
    with ZipFile(BytesIO(data)) as package:
        return etree.fromstring(package.read(name))


class Fonts:
    """The family of each slot of a run as Word resolves it: the run, its character style, its
    paragraph style (each with the styles it is based on), the document defaults."""

    def __init__(self, data: bytes) -> None:
        self.styles = part(data, "word/styles.xml")

    def _chain(self, style_id: str | None) -> dict[str, str]:
        found: dict[str, str] = {}
        while style_id:
            style = self.styles.find(f"w:style[@w:styleId='{style_id}']", NS)
            if style is None:
                break
            fonts = style.find("w:rPr/w:rFonts", NS)
            for slot in SLOTS:
                if fonts is not None and fonts.get(qn(f"w:{slot}")):
                    found.setdefault(slot, fonts.get(qn(f"w:{slot}")))
            based = style.find("w:basedOn", NS)
            style_id = based.get(qn("w:val")) if based is not None else None
        return found

    def of(self, r: etree._Element) -> dict[str, str]:
        p = next(a for a in r.iterancestors() if a.tag == qn("w:p"))
        p_style = p.find("w:pPr/w:pStyle", NS)
        r_style = r.find("w:rPr/w:rStyle", NS)
        defaults = self.styles.find("w:docDefaults/w:rPrDefault/w:rPr/w:rFonts", NS)
        resolved = {slot: defaults.get(qn(f"w:{slot}")) for slot in SLOTS}
        resolved.update(self._chain(p_style.get(qn("w:val")) if p_style is not None else "Normal"))
        resolved.update(self._chain(r_style.get(qn("w:val")) if r_style is not None else None))
        own = r.find("w:rPr/w:rFonts", NS)
        for slot in SLOTS:
            if own is not None and own.get(qn(f"w:{slot}")):
                resolved[slot] = own.get(qn(f"w:{slot}"))
        return resolved
