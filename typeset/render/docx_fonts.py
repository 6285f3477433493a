"""Fonts embedded in a DOCX: which faces draw which characters, subset and obfuscated.

In: the WordprocessingML of a finished document — its ``w:styles`` (document defaults and
the styles' ``w:rPr``), the parts that hold text (the body, footers and headers), its
``w:numbering`` (list labels) — and the bundled :class:`~typeset.fonts.FontSet`. Out:
:class:`EmbeddedFont` records, one per face, each holding the face subset to the characters
the document sets in it and obfuscated as ECMA-376 Part 1 §17.8.1 asks, with its key, ready
for ``word/fonts/`` and ``w:embedRegular`` … in ``word/fontTable.xml`` (written by
:mod:`typeset.render._ooxml`).

How a character finds its face (what Word and LibreOffice do): a run names four families,
one per font slot; a right-to-left or ``w:cs`` run sets every character with the ``cs``
slot, otherwise a character of a complex script takes ``cs``, Han, kana, Hangul and the
CJK punctuation take ``eastAsia``, anything else ``ascii``/``hAnsi``. Characters that
belong to no script (spaces, digits, punctuation) are set by LibreOffice in the slot of the
letters around them, so they go to every face the paragraph uses. Bold and italic are
``w:b``/``w:i`` for the Latin and East Asian slots and ``w:bCs``/``w:iCs`` for ``cs``; each
resolves through the run, its character style, its paragraph style and the defaults.

What is embedded, and how:

- only bundled families (a template's font that typeset does not ship is left to the reader's
  machine), one face per weight and style actually used — the face the manifest lists for it,
  never a synthetic one;
- subset by HarfBuzz (:func:`typeset.shaping.subset`) — once a machine: the subsets are kept in the
  world's persistent cache (:class:`~typeset.world.Store`) — to the characters used and every code point
  a shaper may look up to set them (Tamil ொ is drawn as its two parts, Thai ำ as ํ + า, a broken
  cluster on a dotted circle: Word and LibreOffice shape the text themselves, so these must be in
  the ``cmap``), the glyphs HarfBuzz draws the document's words with, and whatever OpenType layout
  reaches from them (Arabic joining forms, Indic conjuncts, Nastaliq's contextual forms, vertical
  forms), keeping every feature and the family name, so that the runs that name the family find
  it; the OS/2 weight class and style bits are set from the manifest (one bundled bold face calls
  itself weight 400, and a reader would take it for the regular);
- as TrueType outlines: a CFF-based subset (the CJK fonts are ``.otf``) is converted, since Word
  embeds TrueType fonts only (LibreOffice 7.4 would read CFF as well);
- only where the font's licence bits (OS/2 ``fsType``) allow an editable embedding: not for
  restricted-licence or bitmap-only fonts, nor for print-and-preview ones (the document is for
  editing, and LibreOffice ignores those); a font that forbids subsetting is embedded whole.

The obfuscation key is a GUID made from the subset font's bytes (so two builds give the same
document), written in upper case: LibreOffice cannot read a key in lower case.
"""

from __future__ import annotations

import hashlib
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from enum import Enum
from functools import lru_cache
from io import BytesIO
from pathlib import Path

import uharfbuzz as hb
from docx.oxml.ns import qn
from fontTools import unicodedata as ucd
from fontTools.pens.cu2quPen import Cu2QuPen
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib import TTFont, newTable
from lxml import etree

from typeset.fonts import Face, FontSet
from typeset.model.scripts import COMPLEX, EAST_ASIAN
from typeset.render import _ooxml
from typeset.render._ooxml import FORMAT_DIGITS, SLOTS
from typeset.shaping import library_versions, subset, words_to_shape

KINDS = ("Regular", "Bold", "Italic", "BoldItalic")  # w:embedRegular … in schema order

# The largest distance, in font units, between a CFF curve and its TrueType approximation.
MAX_CURVE_ERROR = 1.0


# -- licence bits --------------------------------------------------------------------------------


class Permission(Enum):
    """What a font's OS/2 ``fsType`` lets a document do with it (OpenType spec, OS/2 table)."""

    SUBSET = "subset"  # installable or editable embedding, subsetting allowed
    WHOLE = "whole"  # editable, but the font may not be subset (bit 8)
    NONE = "none"  # restricted (bit 1), print-and-preview only (bit 2), or bitmaps only (bit 9)


def permission(fs_type: int) -> Permission:
    """The embedding a document meant for editing may make of a font with this ``fsType``.

    The usage bits 0–3 are exclusive in OpenType 1.8, but older fonts set several: the least
    restrictive one counts, as the spec asks. Bit 2 alone (preview and print) allows only a
    read-only document, which is not what a translator gets.
    """
    usage = fs_type & 0x000F
    if usage and not usage & 0x0008 and (usage & 0x0002 or usage & 0x0004):
        return Permission.NONE
    if fs_type & 0x0200:  # bitmap embedding only: there are no bitmaps to embed here
        return Permission.NONE
    if fs_type & 0x0100:
        return Permission.WHOLE
    return Permission.SUBSET


# -- which characters each face draws ------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Look:
    """A run's resolved character properties: its four families, bold and italic per slot
    group, and whether every character takes the complex-script slot."""

    fonts: tuple[str | None, str | None, str | None, str | None]  # SLOTS order
    hint: str | None
    bold: bool
    italic: bool
    bold_cs: bool
    italic_cs: bool
    complex_run: bool  # w:rtl or w:cs
    capitals: bool  # w:caps or w:smallCaps: shown in capitals, whatever the text says


_ON = {None, "1", "true", "on"}


def _properties(rpr: etree._Element | None) -> dict[str, object]:
    """The properties of one ``w:rPr`` that choose a face, as a partial mapping, and its
    letter-spacing (``spacing``, in twentieths of a point)."""
    found: dict[str, object] = {}
    if rpr is None:
        return found
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is not None:
        found.update(_ooxml.font_slots(fonts))  # a theme font: None, not one typeset knows
        if fonts.get(qn("w:hint")) is not None:
            found["hint"] = fonts.get(qn("w:hint"))
    for name in ("b", "i", "bCs", "iCs", "rtl", "cs", "caps", "smallCaps"):
        element = rpr.find(qn(f"w:{name}"))
        if element is not None:
            found[f"{name}?"] = element.get(qn("w:val")) in _ON  # "cs?": the flag, "cs": the font
    spacing = rpr.find(qn("w:spacing"))
    if spacing is not None:
        try:
            found["spacing"] = int(spacing.get(qn("w:val")) or 0)
        except ValueError:
            found["spacing"] = 0
    return found


class Styles:
    """Run properties resolved through ``w:styles``: defaults, then a paragraph style and a
    character style with the styles each is based on. Properties are keyed as
    :func:`_properties` gives them: a slot's family by the slot's name (``cs``), a toggle by
    its name and a question mark (``iCs?``), letter-spacing as ``spacing``."""

    def __init__(self, styles: etree._Element) -> None:
        self.root = styles
        self._chains: dict[str | None, dict[str, object]] = {}
        self._numbering: dict[str | None, etree._Element | None] = {}
        self.defaults = _properties(styles.find(f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{qn('w:rPr')}"))
        default = [s for s in styles.iter(qn("w:style"))
                   if s.get(qn("w:type")) == "paragraph" and s.get(qn("w:default")) in ("1", "true", "on")]
        self.default_paragraph = default[0].get(qn("w:styleId")) if default else None

    def chain(self, style_id: str | None) -> dict[str, object]:
        """The properties a style gives, its own over those of the styles it is based on."""
        if style_id not in self._chains:
            merged: dict[str, object] = {}
            for style in reversed(_ooxml.style_lineage(self.root, style_id)):
                merged.update(_properties(style.find(qn("w:rPr"))))
            self._chains[style_id] = merged
        return self._chains[style_id]

    def numbering(self, style_id: str | None) -> etree._Element | None:
        """The ``w:numPr`` a paragraph style (or one it is based on) gives its paragraphs."""
        if style_id not in self._numbering:
            self._numbering[style_id] = self._find_numbering(style_id)
        return self._numbering[style_id]

    def _find_numbering(self, style_id: str | None) -> etree._Element | None:
        for style in _ooxml.style_lineage(self.root, style_id):
            found = style.find(f"{qn('w:pPr')}/{qn('w:numPr')}")
            if found is not None:
                return found
        return None

    def merged(self, paragraph_style: str | None, run_style: str | None,
               direct: dict[str, object] | None = None) -> dict[str, object]:
        """The properties of a run of ``run_style`` in a paragraph of ``paragraph_style``."""
        return {**self.defaults, **self.chain(paragraph_style or self.default_paragraph),
                **self.chain(run_style), **(direct or {})}

    def look(self, paragraph_style: str | None, run_style: str | None, direct: dict[str, object]) -> _Look:
        merged = self.merged(paragraph_style, run_style, direct)
        # the properties are names (str) for the font slots and the hint, flags for the toggles
        return _Look(
            tuple(merged.get(slot) for slot in SLOTS),  # type: ignore[arg-type]
            merged.get("hint"),  # type: ignore[arg-type]
            bool(merged.get("b?")), bool(merged.get("i?")), bool(merged.get("bCs?")), bool(merged.get("iCs?")),
            bool(merged.get("rtl?")) or bool(merged.get("cs?")),
            bool(merged.get("caps?")) or bool(merged.get("smallCaps?")),
        )


def _east_asian_char(char: str, script: str) -> bool:
    if script in EAST_ASIAN:
        return True
    code = ord(char)
    return (0x3000 <= code <= 0x303F or 0xFF00 <= code <= 0xFFEF or 0x3200 <= code <= 0x33FF
            or 0xFE30 <= code <= 0xFE4F or 0x31C0 <= code <= 0x31EF)


@lru_cache(maxsize=65536)
def _script(char: str) -> str:
    script: str = ucd.script(char)
    return script


@dataclass
class Usage:
    """The characters each face of each family draws: ``(family, bold, italic) -> characters``, and
    the words it sets that shaping may draw otherwise than character by character."""

    faces: dict[tuple[str, bool, bool], set[str]] = field(default_factory=dict)
    words: dict[FaceKey, set[str]] = field(default_factory=dict)

    def add(self, family: str | None, bold: bool, italic: bool, chars: Iterable[str]) -> None:
        if family:
            self.faces.setdefault((family, bold, italic), set()).update(chars)


FaceKey = tuple[str | None, bool, bool]  # family, bold, italic


@lru_cache(maxsize=1 << 16)
def _faces_of(look: _Look, char: str) -> tuple[tuple[FaceKey, ...], bool]:
    """The faces that may draw ``char`` in a run with ``look``, and whether it belongs to no
    script (then the faces of the whole paragraph may draw it too)."""
    ascii_, h_ansi, east_asian, complex_ = look.fonts
    latin: FaceKey = (ascii_ if ord(char) < 0x80 else h_ansi, look.bold, look.italic)
    complex_face: FaceKey = (complex_, look.bold_cs, look.italic_cs)
    east: FaceKey = (east_asian, look.bold, look.italic)
    if look.complex_run:
        return (complex_face,), False
    script = _script(char)
    if script in ("Zyyy", "Zinh", "Zzzz") and not _east_asian_char(char, script):
        hinted = {"eastAsia": (east,), "cs": (complex_face,)}.get(look.hint or "", ())
        return (latin, *hinted), True
    if script in COMPLEX:
        return (complex_face,), False
    if _east_asian_char(char, script):
        return (east,), False
    return ((latin, east) if look.hint == "eastAsia" and ord(char) >= 0x80 else (latin,)), False


def _labels(numbering: etree._Element | None,
            digits: str = "") -> dict[tuple[str | None, str | None], tuple[str, dict[str, object]]]:
    """``(numId, ilvl)`` -> the characters that level's labels may show (the literal text of
    ``w:lvlText`` and, for a counted level, the ten ASCII digits, those its format counts in
    — Devanagari for ``hindiNumbers`` — and ``digits``) and the properties of its ``w:rPr``."""
    if numbering is None:
        return {}
    # (ids Word always writes; a template without one files its levels under None)
    abstracts: dict[str | None, dict[str | None, tuple[str, dict[str, object]]]] = {}
    for abstract in numbering.iter(qn("w:abstractNum")):
        levels: dict[str | None, tuple[str, dict[str, object]]] = {}
        for level in abstract.iter(qn("w:lvl")):
            text = level.find(qn("w:lvlText"))
            fmt = level.find(qn("w:numFmt"))
            literal = (text.get(qn("w:val")) or "") if text is not None else ""
            chars = {c for c in literal if c != "%" and not c.isdigit()}
            if fmt is not None and fmt.get(qn("w:val")) not in ("bullet", "none"):
                chars.update("0123456789" + FORMAT_DIGITS.get(fmt.get(qn("w:val")) or "", "") + digits)
            levels[level.get(qn("w:ilvl"))] = ("".join(sorted(chars)), _properties(level.find(qn("w:rPr"))))
        abstracts[abstract.get(qn("w:abstractNumId"))] = levels
    labels: dict[tuple[str | None, str | None], tuple[str, dict[str, object]]] = {}
    for num in numbering.iter(qn("w:num")):
        ref = num.find(qn("w:abstractNumId"))
        if ref is not None:
            for ilvl, label in abstracts.get(ref.get(qn("w:val")), {}).items():
                labels[(num.get(qn("w:numId")), ilvl)] = label
    return labels


_P, _R, _T, _PPR, _RPR = qn("w:p"), qn("w:r"), qn("w:t"), qn("w:pPr"), qn("w:rPr")
_INSTR, _SIMPLE = qn("w:instrText"), qn("w:fldSimple")
_ANY_INSTR, _ANY_SIMPLE = f".//{_INSTR}", f".//{_SIMPLE}"
_PSTYLE, _RSTYLE, _NUMID, _VAL = qn("w:pStyle"), qn("w:rStyle"), qn("w:numId"), qn("w:val")
_NUMPR, _ILVL, _BIDI = qn("w:numPr"), qn("w:ilvl"), qn("w:bidi")


def _field_digits(p: etree._Element) -> set[str]:
    """The digits a field of the paragraph may show once updated (a page number grows):
    the ten ASCII digits and the ten of each other digit set its current text uses."""
    digits = set("0123456789")
    for t in p.iter(_T):
        for char in t.text or "":
            value = unicodedata.digit(char, None)
            if value is not None and unicodedata.category(char) == "Nd":
                zero = ord(char) - value
                digits.update(chr(zero + n) for n in range(10))
    return digits


def _pieces(look: _Look, word: str) -> list[tuple[FaceKey, str]]:
    """A word cut where the face that draws it changes (a character of no script stays with the
    letters before it)."""
    pieces: list[tuple[FaceKey, str]] = []
    for char in word:
        drawing, is_weak = _faces_of(look, char)
        if pieces and (is_weak or pieces[-1][0] == drawing[0]):
            pieces[-1] = (pieces[-1][0], pieces[-1][1] + char)
        else:
            pieces.append((drawing[0], char))
    return [(face, piece) for face, piece in pieces if face[0]]


def characters_by_face(styles: etree._Element, parts: Iterable[etree._Element],
                       numbering: etree._Element | None = None, label_digits: str = "") -> Usage:
    """The characters each ``(family, bold, italic)`` draws in ``parts`` (the body and the
    footers and headers), list labels included (``label_digits``: digits a counted label may
    show besides those of its format, such as the edition's, which Word and LibreOffice draw
    when their numerals option asks for the text's own)."""
    resolved = Styles(styles)
    labels = _labels(numbering, label_digits)
    looks: dict[tuple[object, ...], _Look] = {}
    usage = Usage()
    for part in parts:
        for p in part.iter(_P):
            ppr = p.find(_PPR)
            p_style = None
            label: tuple[str, dict[str, object]] | None = None
            if ppr is not None:
                found = ppr.find(_PSTYLE)
                p_style = found.get(_VAL) if found is not None else None
            num_pr = ppr.find(_NUMPR) if ppr is not None else None
            if num_pr is None:
                num_pr = resolved.numbering(p_style)
            if num_pr is not None:
                num, ilvl = num_pr.find(_NUMID), num_pr.find(_ILVL)
                label = labels.get((num.get(_VAL) if num is not None else "",
                                    ilvl.get(_VAL) if ilvl is not None else "0"))
            weak: set[str] = set(label[0]) if label else set()
            if p.find(_ANY_INSTR) is not None or p.find(_ANY_SIMPLE) is not None:
                weak |= _field_digits(p)
            faces: set[FaceKey] = set()
            if label and label[0]:
                # Set like the paragraph mark, with the level's own properties; in a
                # right-to-left paragraph a bullet is drawn in the Latin or the complex-script
                # face, depending on the reader.
                mark = _properties(ppr.find(_RPR) if ppr is not None else None)
                label_look = resolved.look(p_style, None, {**mark, **label[1]})
                label_faces = [(label_look.fonts[0], label_look.bold, label_look.italic)]
                if ppr is not None and ppr.find(_BIDI) is not None:
                    label_faces.append((label_look.fonts[3], label_look.bold_cs, label_look.italic_cs))
                for face in label_faces:
                    faces.add(face)
                    usage.add(*face, label[0])
            for r in p.iter(_R):
                chars = "".join([t.text or "" for t in r.iterchildren(_T)])
                if not chars:
                    continue
                rpr = r.find(_RPR)
                key: tuple[object, ...] = (p_style, etree.tostring(rpr) if rpr is not None else None)
                look = looks.get(key)
                if look is None:
                    found = rpr.find(_RSTYLE) if rpr is not None else None
                    r_style = found.get(_VAL) if found is not None else None
                    look = looks[key] = resolved.look(p_style, r_style, _properties(rpr))
                distinct = set(chars)
                if look.capitals:
                    distinct |= set(chars.upper())
                for char in distinct:
                    drawing, is_weak = _faces_of(look, char)
                    if is_weak:
                        weak.add(char)
                    for face in drawing:
                        faces.add(face)
                        usage.add(*face, char)  # a run with no family is Word's to fill: nothing to embed
                for word in words_to_shape(chars):
                    for face, piece in _pieces(look, word):
                        usage.words.setdefault(face, set()).add(piece)
            if weak:
                for family, bold, italic in faces:
                    usage.add(family, bold, italic, weak)
    usage.faces = {face: chars for face, chars in usage.faces.items() if face[0]}
    return usage


# -- subsetting ------------------------------------------------------------------------------------


def _to_truetype(font: TTFont, data: bytes) -> None:
    """Replace the CFF outlines of ``font`` (read from ``data``) by TrueType ones: quadratic
    curves within :data:`MAX_CURVE_ERROR` units, drawn by HarfBuzz, with the tables TrueType
    needs."""
    order = font.getGlyphOrder()
    drawer = hb.Font(hb.Face(hb.Blob(data)))
    glyf = newTable("glyf")
    glyf.glyphOrder = order
    glyf.glyphs = {}
    for gid, name in enumerate(order):
        pen = TTGlyphPen(None)
        drawer.draw_glyph_with_pen(gid, Cu2QuPen(pen, MAX_CURVE_ERROR, reverse_direction=True))
        glyf.glyphs[name] = pen.glyph()
    font["glyf"] = glyf
    font["loca"] = newTable("loca")
    maxp = newTable("maxp")  # version 1.0; the point and contour maxima are computed on save
    maxp.tableVersion = 0x00010000
    maxp.numGlyphs = len(order)
    maxp.maxZones = 1
    for attribute in ("maxTwilightPoints", "maxStorage", "maxFunctionDefs", "maxInstructionDefs",
                      "maxStackElements", "maxSizeOfInstructions", "maxComponentElements", "maxPoints",
                      "maxContours", "maxCompositePoints", "maxCompositeContours", "maxComponentDepth"):
        setattr(maxp, attribute, 0)
    font["maxp"] = maxp
    post = font["post"]
    post.formatType = 3.0
    for table in ("CFF ", "VORG"):
        if table in font:
            del font[table]
    font["head"].glyphDataFormat = 0
    font.sfntVersion = "\x00\x01\x00\x00"


def _set_style(font: TTFont, weight: int, italic: bool) -> None:
    """The OS/2 weight class and the style bits of OS/2 and ``head`` as the manifest says."""
    os2, head = font["OS/2"], font["head"]
    bold = weight >= 600
    os2.usWeightClass = weight
    selection = os2.fsSelection & ~(0x0001 | 0x0020 | 0x0040)
    selection |= (0x0001 if italic else 0) | (0x0020 if bold else 0) | (0x0040 if not (bold or italic) else 0)
    os2.fsSelection = selection
    head.macStyle = (head.macStyle & ~0x0003) | (0x0001 if bold else 0) | (0x0002 if italic else 0)


def subset_face(data: bytes, chars: frozenset[str], weight: int, italic: bool, whole: bool = False,
                words: frozenset[str] = frozenset()) -> bytes:
    """A TrueType font with what setting ``chars`` and ``words`` takes (all glyphs if ``whole``),
    every layout feature, every name record, and the weight and style given. The same input gives
    the same bytes."""
    sfnt = data if whole else subset(data, chars, words, all_names=True).data
    font = TTFont(BytesIO(sfnt), recalcTimestamp=False)
    if "CFF " in font:
        _to_truetype(font, sfnt)
    _set_style(font, weight, italic)
    out = BytesIO()
    font.save(out)
    return out.getvalue()


# -- obfuscation -----------------------------------------------------------------------------------


def font_key(data: bytes) -> str:
    """A GUID for a font, ``{XXXXXXXX-XXXX-XXXX-XXXX-XXXXXXXXXXXX}`` in upper case, made from
    its bytes (SHA-256), so that the same font always gets the same key."""
    digest = hashlib.sha256(data).hexdigest()[:32].upper()
    return f"{{{digest[:8]}-{digest[8:12]}-{digest[12:16]}-{digest[16:20]}-{digest[20:]}}}"


def _key_bytes(key: str) -> bytes:
    """The 16 bytes of a GUID in the order §17.8.1 XORs them: the hex digits of the key read
    from the last pair to the first."""
    digits = key.strip("{}").replace("-", "")
    return bytes(int(digits[i:i + 2], 16) for i in range(30, -2, -2))


def obfuscate(data: bytes, key: str) -> bytes:
    """The font as ``.odttf``: its first 32 bytes XORed with the key bytes, twice over.
    The same call with the same key undoes it."""
    mask = _key_bytes(key) * 2
    head = bytes(b ^ m for b, m in zip(data[:32], mask, strict=False))
    return head + data[32:]


# -- the faces to embed ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class EmbeddedFont:
    """One face as it goes into the package."""

    family: str
    kind: str  # one of KINDS
    key: str  # the GUID of w:fontKey
    data: bytes  # the obfuscated font
    characters: int  # how many characters it was asked to draw
    subset: bool  # False: embedded whole (its licence forbids subsetting)
    source: Path  # the bundled file it comes from
    source_size: int


def _kind(face: Face) -> str:
    bold, italic = face.weight >= 600, face.style == "italic"
    return KINDS[(1 if bold else 0) + (2 if italic else 0)]


def _pick(faces: tuple[Face, ...], bold: bool, italic: bool) -> Face:
    """The face for a run: the wanted weight and style, else the nearest the family has (the
    style matters more: no italic, the upright of the weight; no bold, the regular)."""
    def distance(face: Face) -> tuple[int, int, int, str]:
        return (face.style == "italic") != italic, (face.weight >= 600) != bold, face.weight, face.style

    return min(faces, key=distance)


def faces_to_embed(usage: Usage, fonts: FontSet) -> dict[Face, tuple[set[str], set[str]]]:
    """Each bundled face the document uses, with the characters it draws and the words of them
    that shaping may draw otherwise than character by character."""
    chosen: dict[Face, tuple[set[str], set[str]]] = {}
    for key, chars in sorted(usage.faces.items(), key=lambda item: repr(item[0])):
        family, bold, italic = key
        try:
            faces = fonts.family(family).faces
        except KeyError:
            continue  # not a bundled family: the reader's machine sets it
        if not faces or not any(not c.isspace() for c in chars):
            continue
        drawn, words = chosen.setdefault(_pick(faces, bold, italic), (set(), set()))
        drawn.update(chars)
        words.update(usage.words.get(key, ()))
    return chosen


# Subsets made in this process, by face checksum and request: the editions of one document
# share most of their names, and a build makes them one after another.
_MADE: dict[tuple[str, frozenset[str], int, bool, bool, frozenset[str]], bytes] = {}
_MADE_LIMIT = 256


def embed(usage: Usage, fonts: FontSet, read: Callable[[Path], bytes]) -> list[EmbeddedFont]:
    """The faces of ``usage`` that may be embedded, subset, converted and obfuscated, in a
    fixed order (family, then Regular, Bold, Italic, BoldItalic)."""
    embedded = []
    for face, (chars, words) in faces_to_embed(usage, fonts).items():
        data = read(face.path)
        if face.sha256 not in _FS_TYPES:
            _FS_TYPES[face.sha256] = int(TTFont(BytesIO(data), lazy=True)["OS/2"].fsType)
        allowed = permission(_FS_TYPES[face.sha256])
        if allowed is Permission.NONE:
            continue
        whole = allowed is Permission.WHOLE
        request = (face.sha256, frozenset(chars), face.weight, face.style == "italic", whole, frozenset(words))
        font = _MADE.get(request)
        if font is None:
            font = _stored_subset(fonts, face, data, request)
            if len(_MADE) >= _MADE_LIMIT:
                _MADE.pop(next(iter(_MADE)))
            _MADE[request] = font
        key = font_key(font)
        embedded.append(EmbeddedFont(face.family, _kind(face), key, obfuscate(font, key), len(chars), not whole,
                                     face.path, len(data)))
    embedded.sort(key=lambda e: (e.family, KINDS.index(e.kind)))
    return embedded


_FS_TYPES: dict[str, int] = {}  # face checksum -> OS/2 fsType


def _stored_subset(fonts: FontSet, face: Face, data: bytes,
                   request: tuple[str, frozenset[str], int, bool, bool, frozenset[str]]) -> bytes:
    """:func:`subset_face` for ``request``, from the world's persistent cache if it was made before
    (keyed by the face's SHA-256 and the versions of typeset, HarfBuzz and fontTools), else made and
    stored there."""
    world = fonts.gate()
    store = world.store
    key = store.key("docx-font", 1, request, world.stamp(face.path), library_versions())
    font = store.get("docx-font", key)
    if font is None or font[:4] != b"\x00\x01\x00\x00":  # a TrueType font, as subset_face makes
        font = subset_face(data, *request[1:])
        store.put("docx-font", key, font)
    return font
