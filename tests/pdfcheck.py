"""Inspect a PDF the way a print shop would: fonts, extracted text and tofu glyphs.

The key check is :func:`missing_glyphs`. Text extraction cannot reveal tofu
(ToUnicode still yields the right characters), so every drawn character code is
mapped to a glyph of the *embedded* font program, and that glyph is compared
with ``.notdef``. :func:`drawn_glyphs` goes one step further: it names every glyph
drawn after the glyph of the original font that has its outline, with its position
and whether it was slanted — what a page shows, where the text layer only says what
the glyph stood for. :func:`broken_clusters` finds, the same way, the glyphs a
shaper draws only when a cluster is broken or the font lacks what shaping needs:
the font's U+25CC DOTTED CIRCLE, and the glyph of a two-part vowel left whole
(a shaper draws Tamil ொ as ெ + ா and Thai ำ as ํ + า; the glyph of ொ itself
is the vowel on a dotted circle). A Type 3 font (Chromium prints a CFF web font as one)
is read by its glyph procedures' names. :func:`scan_glyphs` lists each distinct glyph drawn (so
that two renderings of one text can be compared) and finds dotted circles by outline, also
those drawn into the glyph of another character.
"""

from __future__ import annotations

import functools
import io
import logging
import re
import subprocess
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import uharfbuzz as hb
from fontTools import agl
from fontTools.cffLib import CFFFontSet
from fontTools.pens.recordingPen import DecomposingRecordingPen
from fontTools.ttLib import TTFont
from pdfminer.cmapdb import CMapDB
from pdfminer.latin_enc import ENCODING
from pdfminer.pdfdevice import PDFDevice
from pdfminer.pdfdocument import PDFDocument
from pdfminer.pdffont import PDFFont, PDFUnicodeNotDefined
from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager, PDFTextState
from pdfminer.pdfpage import PDFPage
from pdfminer.pdfparser import PDFParser
from pdfminer.pdftypes import PDFStream, dict_value, list_value, resolve1
from pdfminer.psparser import PSLiteral, literal_name
from pdfminer.utils import decode_text

FONT_DIRS = (Path(__file__).resolve().parents[1] / "fonts", Path("/usr/share/fonts"))
_BASE_ENCODINGS = {
    name: {row[column]: row[0] for row in ENCODING if row[column] is not None}
    for column, name in enumerate(
        ("StandardEncoding", "MacRomanEncoding", "WinAnsiEncoding", "PDFDocEncoding"), 1
    )
}
_PDFFONTS_ROW = re.compile(
    r"(?P<name>.*?)\s+(?P<type>(?:CID )?(?:Type 1C|Type 1|Type 3|Type 0C|Type 0|TrueType)"
    r"(?: \(OT\))?|unknown)\s+(?P<encoding>\S+)\s+(?P<emb>yes|no)\s+(?P<sub>yes|no)"
    r"\s+(?P<uni>yes|no)\s+(?:\d+ +\d+|\[none\])"
)

logging.getLogger("fontTools.ttLib").setLevel(logging.ERROR)  # embedded subsets have odd head dates
logging.getLogger("pdfminer.pdffont").setLevel(logging.ERROR)  # Type 3 fonts from Chromium have no FontBBox


@dataclass(frozen=True)
class FontInfo:
    """One row of ``pdffonts``."""

    name: str
    type: str
    encoding: str
    embedded: bool
    subset: bool
    has_to_unicode: bool


@dataclass(frozen=True)
class MissingGlyph:
    """A character drawn with the .notdef ("tofu") glyph, or a glyph the font does not have."""

    page: int
    font: str
    cid: int
    gid: int
    text: str
    drawn_as: str = ".notdef"

    def __str__(self) -> str:
        codepoints = " ".join(f"U+{ord(char):04X}" for char in self.text) or "no Unicode"
        return (
            f"page {self.page}: {self.text!r} ({codepoints}) drawn as {self.drawn_as} in {self.font}"
            f" (cid {self.cid}, gid {self.gid})"
        )


def fonts(pdf_path: str | Path) -> list[FontInfo]:
    """Every font ``pdffonts`` finds in the PDF (Type 3 fonts count as embedded)."""
    found = []
    for line in _run("pdffonts", pdf_path).splitlines()[2:]:  # skip the two header lines
        row = _PDFFONTS_ROW.fullmatch(line.rstrip())
        if row is None:
            raise ValueError(f"unexpected pdffonts line: {line!r}")
        found.append(FontInfo(row["name"], row["type"], row["encoding"], row["emb"] == "yes",
                              row["sub"] == "yes", row["uni"] == "yes"))
    return found


def text(pdf_path: str | Path) -> str:
    """The text in reading order (``pdftotext -enc UTF-8``)."""
    return _run("pdftotext", "-enc", "UTF-8", pdf_path, "-")


def text_layout(pdf_path: str | Path) -> str:
    """The text laid out roughly as on the page (``pdftotext -layout``)."""
    return _run("pdftotext", "-layout", "-enc", "UTF-8", pdf_path, "-")


def missing_glyphs(pdf_path: str | Path) -> list[MissingGlyph]:
    """Every glyph drawn on the pages (Form XObjects included) that renders as tofu."""
    return _scan(pdf_path).missing


def broken_clusters(pdf_path: str | Path) -> list[MissingGlyph]:
    """Every glyph drawn on the pages whose outline is that of U+25CC DOTTED CIRCLE or of a two-part
    vowel (:data:`TWO_PART_VOWELS`) in its font — the embedded program, or the bundled or installed
    font of the same name."""
    return _scan(pdf_path).broken


# Characters a shaper never draws with their own glyph when the font has their parts: Thai and Lao
# SARA AM, which shapers split into NIKHAHIT and SARA AA, and the vowels whose canonical decomposition
# (Unicode's UnicodeData.txt) starts with a vowel sign written before the consonant — Bengali ে, Oriya
# େ, Tamil ெ ே, Malayalam െ േ, Sinhala ෙ —, which a shaper moves there (the vowel's own glyph,
# drawn after the consonant, is never right).
_PRE_BASE = "\u09c7\u0b47\u0bc6\u0bc7\u0d46\u0d47\u0dd9"
TWO_PART_VOWELS = frozenset(
    [0x0E33, 0x0EB3] + [code for code in range(0x0900, 0x0E00)
                        if len(parts := unicodedata.normalize("NFD", chr(code))) > 1 and parts[0] in _PRE_BASE])


# A consonant to shape each block's two-part vowels with, by block (code point >> 7), where it is not
# the block's U+xx15 (KA in the Indic blocks).
_CONSONANT = {0x0D80 >> 7: 0x0D9A, 0x0E00 >> 7: 0x0E01, 0x0E80 >> 7: 0x0E81}


def _scan(pdf_path: str | Path) -> _TofuFinder:
    with open(pdf_path, "rb") as fp:
        resources = _SpecRecorder()
        device = _TofuFinder(resources)
        interpreter = PDFPageInterpreter(resources, device)
        for number, page in enumerate(PDFPage.create_pages(PDFDocument(PDFParser(fp))), 1):
            device.page = number
            interpreter.process_page(page)
    return device


def assert_print_ready(pdf_path: str | Path, *, clusters: bool = True) -> None:
    """Fail unless every font is embedded, no glyph is drawn as .notdef and (unless ``clusters`` is
    false: for a text that writes U+25CC itself) no cluster is drawn broken."""
    problems = [f"font not embedded: {font.name} ({font.type})"
                for font in fonts(pdf_path) if not font.embedded]
    scan = _scan(pdf_path)
    problems += list(dict.fromkeys(str(glyph) for glyph in scan.missing))  # unique
    if clusters:
        problems += list(dict.fromkeys(str(glyph) for glyph in scan.broken))
    if problems:
        raise AssertionError(f"{pdf_path} is not print-ready:\n  " + "\n  ".join(problems))


def _run(*command: str | Path) -> str:
    return subprocess.run(command, check=True, capture_output=True, encoding="utf-8").stdout


class _Program:
    """An embedded (or installed) font program: glyph names, outlines and cmap subtables."""

    def __init__(self, data: bytes, kind: str) -> None:
        self.builtin_encoding: dict[int, str]
        if kind == "CFF":
            cff = CFFFontSet()
            cff.decompile(io.BytesIO(data), None)
            top = cff[cff.fontNames[0]]
            self.order, self.glyphs, self.cmaps = top.charset, top.CharStrings, {}
            self.cid_keyed, self.ps_name = hasattr(top, "ROS"), cff.fontNames[0]
            encoding = getattr(top, "Encoding", None)
            self.builtin_encoding = (dict(enumerate(encoding)) if isinstance(encoding, list)
                                     else _BASE_ENCODINGS["StandardEncoding"])
        else:
            font = TTFont(io.BytesIO(data), lazy=True)
            self.order, self.glyphs = font.getGlyphOrder(), font.getGlyphSet()
            tables = font["cmap"].tables if "cmap" in font else []
            self.cmaps = {(table.platformID, table.platEncID): table.cmap for table in tables}
            self.ps_name = font["name"].getDebugName(6) if "name" in font else None
            top = font["CFF "].cff.topDictIndex[0] if "CFF " in font else None
            self.cid_keyed, self.builtin_encoding = hasattr(top, "ROS"), {}
        self.data = None if kind == "CFF" else data  # what HarfBuzz can shape with
        self.gids = {name: gid for gid, name in enumerate(self.order)}
        self.notdef_outline = self.outline(self.order[0]) if self.order else ()

    def outline(self, glyph: str) -> tuple[Any, ...]:
        """The glyph's drawing operations, components decomposed, as comparable tuples."""
        pen = DecomposingRecordingPen(self.glyphs)
        self.glyphs[glyph].draw(pen)
        return tuple((operator, tuple(arguments)) for operator, arguments in pen.value)

    @functools.cached_property
    def broken_outlines(self) -> frozenset[tuple[Any, ...]]:
        """The outlines of the glyphs the font maps U+25CC and the two-part vowels to."""
        names = {cmap[code] for cmap in self.cmaps.values() for code in (0x25CC, *TWO_PART_VOWELS)
                 if code in cmap and not (code != 0x25CC and self._shapes_to(code, cmap[code]))}
        return frozenset(outline for outline in (self.outline(n) for n in names if n in self.gids) if outline)

    def _shapes_to(self, code: int, glyph: str) -> bool:
        """Whether HarfBuzz, shaping a consonant with the two-part vowel ``code``, draws the vowel's
        own glyph: a font may compose the parts the shaper splits the vowel into back into it
        (Noto Serif Lao draws ກຳ with its SARA AM glyph), and then that glyph is right."""
        if self.data is None:
            return False
        face = hb.Face(self.data)
        buffer = hb.Buffer()
        buffer.add_str(chr(_CONSONANT.get(code >> 7, (code & ~0x7F) + 0x15)) + chr(code))
        buffer.guess_segment_properties()
        hb.shape(hb.Font(face), buffer)
        return any(self.order[info.codepoint] == glyph for info in buffer.glyph_infos
                   if info.codepoint < len(self.order))

    def looks_broken(self, gid: int, originals: list[_Program]) -> bool:
        """True if ``gid`` is drawn with the outline of the dotted circle or of a two-part vowel
        left whole, in an original of this font (which HarfBuzz can shape with) or, with none
        found, in this font."""
        if gid == 0 or gid >= len(self.order):
            return False
        outline = self.outline(self.order[gid])
        return any(outline in program.broken_outlines for program in (originals or [self]))

    def looks_like_notdef(self, gid: int, originals: list[_Program]) -> bool:
        """True if ``gid`` is .notdef, absent, or a copy of a (non-empty) .notdef outline."""
        if gid == 0 or gid >= len(self.order):
            return True
        outline = self.outline(self.order[gid])
        return bool(outline) and any(
            outline == program.notdef_outline for program in (self, *originals)
        )


class _EmbeddedFont:
    """Turns the character codes of one PDF font into glyph ids of its embedded program."""

    def __init__(self, spec: Mapping[str, Any], program: _Program) -> None:
        self.name = literal_name(spec.get("BaseFont", "unknown"))
        self.program = program
        self.composite = literal_name(spec["Subtype"]) == "Type0"
        if self.composite:
            cid_font = dict_value(list_value(spec["DescendantFonts"])[0])
            self.code_to_cid = _code_to_cid(resolve1(spec["Encoding"]))
            cid_to_gid = resolve1(cid_font.get("CIDToGIDMap"))
            self.cid_to_gid = cid_to_gid.get_data() if isinstance(cid_to_gid, PDFStream) else None
        else:
            self.glyph_names = _glyph_names(spec, program)
        ps_name = self.name.partition("+")[2] or self.name
        originals = (_installed(name) for name in {ps_name, program.ps_name})
        self.originals = [original for original in originals if original]
        self._glyphs: dict[int, tuple[int, int, bool]] = {}
        self._broken: dict[int, bool] = {}

    def glyph(self, code: int) -> tuple[int, int, bool]:
        """(CID, glyph id, whether it renders as .notdef) for a character code."""
        if code not in self._glyphs:
            cid, gid = self._cid_and_gid(code)
            self._glyphs[code] = cid, gid, self.program.looks_like_notdef(gid, self.originals)
        return self._glyphs[code]

    def broken(self, gid: int) -> bool:
        """Whether the glyph is the font's dotted circle or a two-part vowel left whole."""
        if gid not in self._broken:
            self._broken[gid] = self.program.looks_broken(gid, self.originals)
        return self._broken[gid]

    def codes(self, string: bytes) -> Iterator[int]:
        """Split a shown string into character codes (2-byte codes for Type0 fonts)."""
        if not self.composite:
            yield from string
            return
        for start in range(0, len(string) - 1, 2):
            yield int.from_bytes(string[start:start + 2], "big")

    def _cid_and_gid(self, code: int) -> tuple[int, int]:
        """Map a character code to (CID, glyph id); unmapped codes give .notdef (gid 0)."""
        if not self.composite:
            return code, self._simple_gid(code)
        cid = self.code_to_cid(code)
        if self.program.cid_keyed:
            return cid, self.program.gids.get(f"cid{cid:05d}", 0)
        if self.cid_to_gid is None:
            return cid, cid
        return cid, int.from_bytes(self.cid_to_gid[2 * cid:2 * cid + 2], "big")

    def _simple_gid(self, code: int) -> int:
        """PDF 32000 9.6.6.4, simplified: try each cmap subtable, then the glyph name."""
        name = self.glyph_names.get(code)
        unicode = agl.toUnicode(name) if name else ""
        cmaps = self.program.cmaps
        candidates = [
            cmaps.get((3, 1), {}).get(ord(unicode)) if len(unicode) == 1 else None,
            cmaps.get((3, 0), {}).get(code),
            cmaps.get((3, 0), {}).get(0xF000 + code),
            cmaps.get((1, 0), {}).get(code),
            name,
        ]
        return next((self.program.gids[c] for c in candidates if c in self.program.gids), 0)


def _code_to_cid(encoding: Any) -> Callable[[int], int]:
    """A Type0 font's /Encoding as a function; unmapped codes give CID 0 (.notdef).

    Embedded CMap streams are read here (pdfminer only understands ToUnicode CMaps);
    predefined names (Identity-H, UniGB-UCS2-H, ...) come from pdfminer's CMap database.
    """
    if not isinstance(encoding, PDFStream):
        cmap = CMapDB.get_cmap(literal_name(encoding))
        return lambda code: next(iter(cmap.decode(code.to_bytes(2, "big"))), 0)
    source = encoding.get_data().decode("latin-1")
    cids: dict[int, int] = {}
    for block in re.findall(r"begincidrange(.*?)endcidrange", source, re.DOTALL):
        for low, high, first in re.findall(r"<(\w+)>\s*<(\w+)>\s*(\d+)", block):
            cids.update((code, int(first) + code - int(low, 16))
                        for code in range(int(low, 16), int(high, 16) + 1))
    for block in re.findall(r"begincidchar(.*?)endcidchar", source, re.DOTALL):
        pairs = re.findall(r"<(\w+)>\s*(\d+)", block)
        cids.update((int(code, 16), int(cid)) for code, cid in pairs)
    return lambda code: cids.get(code, 0)


def _glyph_names(spec: Mapping[str, Any], program: _Program) -> dict[int, str]:
    """Glyph names a simple font's /Encoding (base encoding plus /Differences) gives its codes."""
    encoding = resolve1(spec.get("Encoding"))
    differences = list_value(encoding.get("Differences", [])) if isinstance(encoding, dict) else []
    base = encoding.get("BaseEncoding") if isinstance(encoding, dict) else encoding
    symbolic = int(resolve1(dict_value(spec.get("FontDescriptor", {})).get("Flags", 0))) & 4
    if base is None and literal_name(spec["Subtype"]) == "TrueType" and not symbolic:
        base = "WinAnsiEncoding"
    names = dict(_BASE_ENCODINGS.get(literal_name(base), program.builtin_encoding))
    code = 0
    for item in differences:
        if isinstance(item, int):
            code = item
        else:
            names[code], code = literal_name(item), code + 1
    return names


def _embedded_program(spec: Mapping[str, Any]) -> _Program | None:
    """The font program embedded for a font dictionary; None for Type 3 and Type 1 fonts."""
    if literal_name(spec["Subtype"]) == "Type0":
        spec = dict_value(list_value(spec["DescendantFonts"])[0])
    descriptor = dict_value(spec.get("FontDescriptor", {}))
    if "FontFile2" in descriptor:
        return _Program(resolve1(descriptor["FontFile2"]).get_data(), "TrueType")
    stream = resolve1(descriptor.get("FontFile3"))
    if stream is None:
        return None
    kind = "TrueType" if literal_name(stream.get("Subtype")) == "OpenType" else "CFF"
    return _Program(stream.get_data(), kind)


@functools.cache
def _installed_fonts() -> dict[str, Path]:
    """PostScript name -> file, for the project's bundled fonts and the system fonts."""
    found: dict[str, Path] = {}
    files = (path for folder in FONT_DIRS for path in sorted(folder.rglob("*")))
    for path in (path for path in files if path.suffix.lower() in (".ttf", ".otf")):
        with TTFont(path, lazy=True) as font:
            found.setdefault(font["name"].getDebugName(6) or path.stem, path)
    return found


@functools.cache
def _installed(ps_name: str | None) -> _Program | None:
    path = _installed_fonts().get(ps_name or "")
    return _Program(path.read_bytes(), "TrueType") if path else None


class _SpecRecorder(PDFResourceManager):
    """A resource manager that remembers the font dictionary behind each font object."""

    def __init__(self) -> None:
        super().__init__()
        self.specs: dict[PDFFont, Mapping[str, Any]] = {}

    def get_font(self, objid: object, spec: Mapping[str, Any]) -> PDFFont:
        font = super().get_font(objid, spec)
        self.specs[font] = spec  # the Type0 dictionary overwrites its descendant's
        return font


class _TofuFinder(PDFDevice):
    """A device that checks every character shown, honouring /ActualText spans."""

    def __init__(self, resources: _SpecRecorder) -> None:
        super().__init__(resources)
        self.resources = resources
        self.page = 0
        self.missing: list[MissingGlyph] = []
        self.broken: list[MissingGlyph] = []
        self._fonts: dict[PDFFont, Any] = {}  # _EmbeddedFont, _Type3Font or None
        self._actual_texts: list[str | None] = []

    def begin_tag(self, tag: PSLiteral, props: Any = None) -> None:
        actual = props.get("ActualText") if isinstance(props, dict) else None
        self._actual_texts.append(decode_text(resolve1(actual)) if actual else None)

    def end_tag(self) -> None:
        if self._actual_texts:
            self._actual_texts.pop()

    def render_string(self, textstate: PDFTextState, seq: Any, ncs: Any, graphicstate: Any) -> None:
        font = self._embedded(textstate.font)
        if font is None:
            return
        for string in (item for item in seq if isinstance(item, bytes)):
            for code in font.codes(string):
                cid, gid, notdef = font.glyph(code)
                if notdef:
                    self.missing.append(MissingGlyph(self.page, font.name, cid, gid,
                                                     self._text(textstate.font, code)))
                elif font.broken(gid):
                    self.broken.append(MissingGlyph(self.page, font.name, cid, gid,
                                                    self._text(textstate.font, code), "a broken cluster"))

    def _embedded(self, pdf_font: PDFFont | None) -> Any:
        """The font's program (a :class:`_Type3Font` for a Type 3 font), or None if not embedded."""
        if pdf_font is None:
            return None
        if pdf_font not in self._fonts:
            spec = self.resources.specs[pdf_font]
            if literal_name(spec.get("Subtype")) == "Type3":
                self._fonts[pdf_font] = _Type3Font(spec)
            else:
                program = _embedded_program(spec)
                self._fonts[pdf_font] = _EmbeddedFont(spec, program) if program else None
        return self._fonts[pdf_font]

    def _text(self, pdf_font: PDFFont, code: int) -> str:
        actual = next((text for text in reversed(self._actual_texts) if text), None)
        if actual:
            return actual
        try:
            return pdf_font.to_unichr(code)  # pdfminer looks the code up in /ToUnicode
        except PDFUnicodeNotDefined:
            return ""


# -- dotted circles and Type 3 fonts ------------------------------------------------------------------

# Names fonts give the dotted circle (U+25CC) that shapers insert into a broken cluster.
_DOTTED_CIRCLE_NAMES = frozenset({"uni25CC", "dottedcircle", "dottedCircle", "dotted_circle"})
Contour = tuple[tuple[int, int], ...]


@dataclass(frozen=True)
class DottedCircle:
    """A dotted circle drawn on a page: what the text layer gives for it, and for the run it is in."""

    page: int
    font: str
    text: str
    run: str

    def __str__(self) -> str:
        codepoints = " ".join(f"U+{ord(char):04X}" for char in self.text)
        return f"page {self.page}: a dotted circle with {self.text!r} ({codepoints}) in {self.run!r}, {self.font}"


def _contours(operations: Iterable[tuple[str, tuple[Any, ...]]]) -> list[Contour]:
    """A pen recording (or a path) as contours of rounded points, the closing point dropped."""
    found: list[list[tuple[int, int]]] = []
    for operator, arguments in operations:
        if operator == "moveTo":
            found.append([])
        if found and arguments:
            # None stands for the implied on-curve point of a contour of off-curve points only
            found[-1] += [(round(point[0]), round(point[1])) for point in arguments
                          if isinstance(point, tuple) and isinstance(point[0], (int, float))]
    return [tuple(c[:-1] if len(c) > 1 and c[-1] == c[0] else c) for c in found if c]


def _shape(contour: Contour) -> Contour:
    x0, y0 = contour[0]
    return tuple((x - x0, y - y0) for x, y in contour)


@functools.cache
def _dotted_circles() -> dict[Contour, list[tuple[Contour, list[Contour]]]]:
    """The dotted circle (U+25CC) of every bundled and installed font, as its contours (the dots),
    indexed by the shape of its first dot."""
    index: dict[Contour, list[tuple[Contour, list[Contour]]]] = {}
    for path in _installed_fonts().values():
        with TTFont(path, lazy=True) as font:
            name = (font.getBestCmap() or {}).get(0x25CC)
            if not name:
                continue
            pen = DecomposingRecordingPen(font.getGlyphSet())
            font.getGlyphSet()[name].draw(pen)
            dots = _contours(pen.value)
            if dots:
                index.setdefault(_shape(dots[0]), []).append((dots[0], dots))
    return index


def _shows_dotted_circle(contours: list[Contour]) -> bool:
    """Whether the outline holds a font's dotted circle, wherever it is placed: alone, or drawn into
    the glyph of a mark meant for display on its own (Noto's glyph for Tamil ொ is the vowel around
    a dotted circle; a subset without the vowel's two parts leaves the shaper that glyph)."""
    present = set(contours)
    for contour in contours:
        for first, dots in _dotted_circles().get(_shape(contour), []):
            dx, dy = contour[0][0] - first[0][0], contour[0][1] - first[0][1]
            if all(tuple((x + dx, y + dy) for x, y in dot) in present for dot in dots):
                return True
    return False


class _Type3Font:
    """A Type 3 font, as Chromium prints a CFF web font: each glyph a drawing procedure named
    ``g`` + its glyph id in hex, ``g0`` being .notdef."""

    def __init__(self, spec: Mapping[str, Any]) -> None:
        descriptor = dict_value(spec.get("FontDescriptor", {}))
        self.name = literal_name(descriptor.get("FontName", spec.get("Name", "Type 3 font")))
        self.procedures = dict_value(spec.get("CharProcs", {}))
        self.names: dict[int, str] = {}
        encoding = resolve1(spec.get("Encoding"))
        code = 0
        for item in list_value(encoding.get("Differences", [])) if isinstance(encoding, dict) else []:
            if isinstance(item, int):
                code = item
            else:
                self.names[code], code = literal_name(item), code + 1
        self._glyphs: dict[int, tuple[int, int, bool]] = {}

    def codes(self, string: bytes) -> Iterator[int]:
        yield from string

    def glyph(self, code: int) -> tuple[int, int, bool]:
        """(code, glyph id, whether it is .notdef): a code with no procedure draws nothing visible
        either, so it counts as missing."""
        if code not in self._glyphs:
            name = self.names.get(code, "")
            found = re.fullmatch(r"g([0-9A-Fa-f]+)", name)
            gid = int(found[1], 16) if found else -1
            self._glyphs[code] = code, gid, gid == 0 or name == ".notdef" or name not in self.procedures
        return self._glyphs[code]

    def broken(self, gid: int) -> bool:
        """Whether the glyph shows a dotted circle (a Type 3 font keeps no cmap to say which glyph
        is the two-part vowel's own)."""
        code = next((code for code in self.names if self.glyph(code)[1] == gid), None)
        return gid > 0 and code is not None and _shows_dotted_circle(self.contours(code))

    def contours(self, code: int) -> list[Contour]:
        """The glyph procedure's path in font units (y upwards, as the font has it)."""
        procedure = self.procedures.get(self.names.get(code, ""))
        if procedure is None:
            return []
        tokens = resolve1(procedure).get_data().decode("latin-1").split()
        operations: list[tuple[str, tuple[Any, ...]]] = []
        numbers: list[float] = []
        names = {"m": "moveTo", "l": "lineTo", "c": "curveTo"}
        for token in tokens:
            if token in names:
                points = [(numbers[i], -numbers[i + 1]) for i in range(0, len(numbers), 2)]
                operations.append((names[token], tuple(points)))
                numbers = []
            else:
                try:
                    numbers.append(float(token))
                except ValueError:
                    numbers = []
        return _contours(operations)


def _is_dotted_circle(font: _EmbeddedFont | _Type3Font, gid: int, code: int = -1) -> bool:
    if isinstance(font, _Type3Font):
        return gid > 0 and _shows_dotted_circle(font.contours(code))
    program = font.program
    if gid == 0 or gid >= len(program.order):
        return False
    name = program.order[gid]
    if name in _DOTTED_CIRCLE_NAMES or any(table.get(0x25CC) == name for table in program.cmaps.values()):
        return True
    return _shows_dotted_circle(_contours(program.outline(name)))


# -- which glyphs are drawn ------------------------------------------------------------------


@dataclass(frozen=True)
class DrawnGlyph:
    """One glyph on a page, named after the glyph of the original font that has its outline.

    A PDF's embedded subsets keep outlines but often lose glyph names, and its text layer gives
    the characters a glyph came from, not the glyph: LibreOffice maps an Arabic-Indic digit it
    substituted for "1" back to "1", and a letter in its joining form back to the letter.
    """

    page: int
    x: float  # the origin, in points from the page's lower left corner
    y: float
    width: float  # its advance, in points
    slanted: bool  # drawn with a sheared text matrix: a synthetic italic
    font: str  # PostScript name, subset prefix removed
    text: str  # what the text layer says
    names: frozenset[str]  # glyphs of the original font with this outline (empty if unknown)
    chars: frozenset[str]  # the characters the original font maps to any of them, or their
    # names stand for ("uni06F7.locl", the Persian form of a digit, stands for U+06F7)

    @property
    def name(self) -> str:
        return min(self.names) if self.names else ""


class _Outlines:
    """An original font's glyphs by outline, and the characters its cmap gives each glyph."""

    def __init__(self, program: _Program) -> None:
        self.by_outline: dict[tuple[Any, ...], set[str]] = {}
        for name in program.order:
            self.by_outline.setdefault(program.outline(name), set()).add(name)
        self.chars: dict[str, set[str]] = {}
        for table in program.cmaps.values():
            for code, name in table.items():
                if code > 0xFF or table is program.cmaps.get((3, 1)) or table is program.cmaps.get((3, 10)):
                    self.chars.setdefault(name, set()).add(chr(code))


@functools.cache
def _outlines(ps_name: str) -> _Outlines | None:
    program = _installed(ps_name)
    return _Outlines(program) if program else None


def drawn_glyphs(pdf_path: str | Path) -> list[DrawnGlyph]:
    """Every glyph drawn on the pages, in content order, identified in the original font (the
    bundled or installed font of the same PostScript name) by its outline."""
    from pdfminer.converter import PDFLayoutAnalyzer
    from pdfminer.layout import LTChar

    resources = _SpecRecorder()
    programs: dict[PDFFont, _EmbeddedFont | None] = {}
    found: list[DrawnGlyph] = []

    class Recorder(PDFLayoutAnalyzer):
        page = 0

        def render_char(self, matrix, font, fontsize, scaling, rise, cid, ncs, graphicstate):  # type: ignore[no-untyped-def]
            advance = super().render_char(matrix, font, fontsize, scaling, rise, cid, ncs, graphicstate)
            char = self.cur_item._objs[-1]
            assert isinstance(char, LTChar)
            if font not in programs:
                program = _embedded_program(resources.specs[font])
                programs[font] = _EmbeddedFont(resources.specs[font], program) if program else None
            embedded = programs[font]
            names: set[str] = set()
            chars: set[str] = set()
            ps_name = char.fontname.partition("+")[2] or char.fontname
            original = _outlines(ps_name)
            if embedded is not None and original is not None:
                _, gid, _ = embedded.glyph(cid)
                if 0 < gid < len(embedded.program.order):
                    names = original.by_outline.get(embedded.program.outline(embedded.program.order[gid]), set())
                    chars = set().union(*(original.chars.get(name) or set(agl.toUnicode(name)) for name in names))
            a, b, c, d = char.matrix[:4]
            found.append(DrawnGlyph(self.page, char.matrix[4], char.matrix[5], char.adv,
                                    abs(b * d + a * c) > 1e-3 * abs(a * d),
                                    ps_name, char.get_text(), frozenset(names), frozenset(chars)))
            return advance

    with open(pdf_path, "rb") as fp:
        device = Recorder(resources)
        interpreter = PDFPageInterpreter(resources, device)
        for number, page in enumerate(PDFPage.create_pages(PDFDocument(PDFParser(fp))), 1):
            device.page = number
            interpreter.process_page(page)
    return found


@dataclass(frozen=True)
class DistinctGlyph:
    """A glyph drawn on a page: its outline (contours in font units) and the text it stands for."""

    page: int
    font: str
    text: str
    outline: tuple[Contour, ...]

    def __str__(self) -> str:
        codepoints = " ".join(f"U+{ord(char):04X}" for char in self.text)
        return f"page {self.page}: {self.text!r} ({codepoints}) in {self.font}"


def _outline(font: _EmbeddedFont | _Type3Font, gid: int, code: int) -> tuple[Contour, ...]:
    if isinstance(font, _Type3Font):
        return tuple(font.contours(code)) if gid > 0 else ()
    if gid <= 0 or gid >= len(font.program.order):
        return ()
    return tuple(_contours(font.program.outline(font.program.order[gid])))


class _GlyphScanner(_TofuFinder):
    """The tofu finder that also notes every dotted circle drawn and every distinct glyph (by
    outline and text)."""

    def __init__(self, resources: _SpecRecorder) -> None:
        super().__init__(resources)
        self.dotted: list[DottedCircle] = []
        self.drawn: dict[tuple[tuple[Contour, ...], str], DistinctGlyph] = {}
        self._circles: dict[tuple[int, int], bool] = {}
        self._outlines: dict[tuple[int, int], tuple[Contour, ...]] = {}

    def render_string(self, textstate: PDFTextState, seq: Any, ncs: Any, graphicstate: Any) -> None:
        super().render_string(textstate, seq, ncs, graphicstate)
        font = self._embedded(textstate.font)
        if font is None:
            return
        codes = [code for item in seq if isinstance(item, bytes) for code in font.codes(item)]
        circles = []
        for code in codes:
            key = (id(font), code)
            if key not in self._circles:
                gid = font.glyph(code)[1]
                self._circles[key] = _is_dotted_circle(font, gid, code)
                self._outlines[key] = _outline(font, gid, code)
            if self._circles[key]:
                circles.append(code)
            if self._outlines[key]:
                text = self._text(textstate.font, code)
                self.drawn.setdefault((self._outlines[key], text),
                                      DistinctGlyph(self.page, font.name, text, self._outlines[key]))
        if circles:
            actual = next((text for text in reversed(self._actual_texts) if text), None)
            run = actual or "".join(self._text(textstate.font, code) for code in codes)
            self.dotted += [DottedCircle(self.page, font.name, self._text(textstate.font, code), run)
                            for code in circles]


@dataclass(frozen=True)
class GlyphScan:
    missing: list[MissingGlyph]  # drawn as .notdef
    dotted: list[DottedCircle]  # dotted circles drawn
    drawn: list[DistinctGlyph]  # every distinct glyph with ink, with the text it stands for


def scan_glyphs(pdf_path: str | Path) -> GlyphScan:
    """Every glyph drawn on the pages, once: those that render as tofu, those that show a dotted
    circle, and each distinct one drawn."""
    with open(pdf_path, "rb") as fp:
        resources = _SpecRecorder()
        device = _GlyphScanner(resources)
        interpreter = PDFPageInterpreter(resources, device)
        for number, page in enumerate(PDFPage.create_pages(PDFDocument(PDFParser(fp))), 1):
            device.page = number
            interpreter.process_page(page)
    return GlyphScan(device.missing, device.dotted, list(device.drawn.values()))


def dotted_circles(pdf_path: str | Path) -> list[DottedCircle]:
    """Every dotted circle (U+25CC) drawn: the glyph by its name, the subset's cmap or its outline (a
    subset may rename it and drop its cmap entry), or any glyph whose outline holds one."""
    return scan_glyphs(pdf_path).dotted
