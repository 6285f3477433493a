"""Web fonts for an HTML page: each bundled face it uses, cut down to the characters it draws, as WOFF2.

In: a page (HTML as typeset writes it), the :class:`~typeset.fonts.FontSet` and the
:class:`~typeset.world.World` to read font files through. Out: :func:`web_fonts` gives one
:class:`WebFont` per face the page draws with (:mod:`typeset.render.fontuse` decides which characters;
HarfBuzz cuts the face down to them with :func:`typeset.shaping.subset` — keeping every code point a
browser's shaper may look up for them, such as the two parts of Tamil ொ and Thai ำ and the dotted
circle, the glyphs HarfBuzz draws the page's words with, and every glyph layout reaches from them,
such as Arabic joining forms and Indic conjuncts —, and fontTools writes WOFF2); :func:`font_face_css`
the ``@font-face`` rules that name them, with a ``unicode-range`` each (the code points the subset
maps), at URLs the caller chooses (``data:`` URLs for a page that carries its fonts, relative paths for
fonts written beside it); :func:`full_font_face_css` the same for whole font files served as they are
(the live preview, which must not wait for subsetting).

Subsets are kept in memory (a few dozen, least recently used first out): the editions of a document
share their signatories' names, so most faces are cut once per build; and in the world's persistent
cache (:class:`~typeset.world.Store`), keyed by the face's SHA-256, the code points, the words and the
versions of typeset, HarfBuzz and fontTools, so a later build cuts none it has cut before.
"""

from __future__ import annotations

import base64
import hashlib
import io
import re
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from typeset.escape import css_string
from typeset.fonts import Face, FontSet, decode_codepoints, encode_codepoints
from typeset.render.fontuse import page_faces
from typeset.shaping import default_features, library_versions, subset
from typeset.world import World

MEDIA_TYPE = "font/woff2"
# Layout features kept besides HarfBuzz's defaults (those shapers apply unasked): tabular and lining
# figures for list numbers; vertical forms are dropped (pages are set horizontally).
_EXTRA_FEATURES = ("tnum", "lnum", "pnum", "onum")
_VERTICAL_FEATURES = frozenset({"vert", "vrt2", "vkrn", "vpal", "vhal", "valt", "vchw", "vjmo"})
_CACHE_SIZE = 64


@dataclass(frozen=True, slots=True)
class WebFont:
    """One face of a bundled family, cut down, as WOFF2 ``data`` whose ``cmap`` maps ``codepoints``."""

    face: Face
    data: bytes
    codepoints: frozenset[int]

    @property
    def family(self) -> str:
        return self.face.family

    @property
    def file_name(self) -> str:
        """``noto-serif-cjk-jp-700.woff2``, ``noto-serif-400-italic.woff2``."""
        slug = re.sub(r"[^a-z0-9]+", "-", self.face.family.lower()).strip("-")
        return f"{slug}-{self.face.weight}{'-italic' if self.face.style == 'italic' else ''}.woff2"

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()

    def data_url(self) -> str:
        return f"data:{MEDIA_TYPE};base64,{base64.b64encode(self.data).decode('ascii')}"


def web_fonts(html: str, fonts: FontSet, world: World) -> list[WebFont]:
    """A WOFF2 subset of every face ``html`` draws with, in the manifest's order of families and faces."""
    usage = page_faces(html, fonts)
    order = {face: i for i, face in enumerate(f for family in fonts.families for f in family.faces)}
    return [WebFont(face, *subset_woff2(face, frozenset(map(ord, chars)), world, frozenset(usage.words.get(face, ()))))
            for face, chars in sorted(usage.chars.items(), key=lambda item: order.get(item[0], len(order)))]


def font_face_css(webfonts: Iterable[WebFont], url: Callable[[WebFont], str]) -> str:
    """``@font-face`` rules for the subsets, each at ``url(font)`` and limited to the code points it maps
    (a browser looks up no other in it: the parts a shaper splits a character into must be in the range)."""
    return "\n".join(_rule(f.face, url(f), _ranges(f.codepoints)) for f in webfonts) + "\n"


def full_font_face_css(fonts: FontSet, url: Callable[[Face], str], families: Iterable[str] | None = None) -> str:
    """``@font-face`` rules for whole font files (every face of the named families, default all), each
    limited to the characters it has, so a browser fetches only the files it needs."""
    names = None if families is None else set(families)
    rules = [_rule(face, url(face), _face_ranges(face, fonts))
             for family in fonts.families if names is None or family.name in names for face in family.faces]
    return "\n".join(rules) + "\n"


def _rule(face: Face, url: str, ranges: str) -> str:
    kind = "woff2" if url.startswith(f"data:{MEDIA_TYPE}") or ".woff2" in url else (
        "opentype" if face.path.suffix == ".otf" else "truetype")
    return (f'@font-face {{ font-family: {css_string(face.family)}; src: url("{url}") format("{kind}"); '
            f"font-weight: {face.weight}; font-style: {face.style}; font-display: swap; unicode-range: {ranges}; }}")


def _ranges(codepoints: Iterable[int], gap: int = 1) -> str:
    """``U+20-7E, U+A0, …``: the code points as CSS unicode-range, those less than ``gap`` apart joined
    (a wider range only costs a browser a look at a font that lacks a character)."""
    ranges: list[list[int]] = []
    for code in sorted(set(codepoints)):
        if ranges and code <= ranges[-1][1] + gap:
            ranges[-1][1] = code
        else:
            ranges.append([code, code])
    return ", ".join(f"U+{a:X}" if a == b else f"U+{a:X}-{b:X}" for a, b in ranges) or "U+0"


def _face_ranges(face: Face, fonts: FontSet) -> str:
    """The code points a face maps, as a CSS unicode-range; once a process."""
    if face not in _ranges_of:
        from fontTools.ttLib import TTFont

        with TTFont(io.BytesIO(fonts.read(face.path)), lazy=True, fontNumber=0) as font:
            _ranges_of[face] = _ranges(font.getBestCmap(), gap=256)
    return _ranges_of[face]


_ranges_of: dict[Face, str] = {}


# -- subsetting ------------------------------------------------------------------------------------

_subsets: OrderedDict[tuple[str, str, frozenset[int], frozenset[str]], tuple[bytes, frozenset[int]]] = OrderedDict()
_lock = threading.Lock()


def subset_woff2(face: Face, codepoints: frozenset[int], world: World,
                 words: frozenset[str] = frozenset()) -> tuple[bytes, frozenset[int]]:
    """The face cut down to ``codepoints`` (those it has), what shaping them and ``words`` takes and
    every glyph layout reaches from them, as WOFF2 (no hinting, CFF desubroutinized: it compresses
    better, the name table kept), and the code points it maps."""
    key = (str(face.path), face.sha256, codepoints, words)
    with _lock:
        if key in _subsets:
            _subsets.move_to_end(key)
            return _subsets[key]
    store = world.store
    stored = store.key("woff2", 1, face.sha256, world.stamp(face.path), codepoints, words, library_versions())
    made = _from_store(store.get("woff2", stored))
    if made is None:
        made = _subset(world.read_bytes(face.path), codepoints, words)
        store.put("woff2", stored, encode_codepoints(made[1]) + b"\n" + made[0])
    with _lock:
        _subsets[key] = made
        while len(_subsets) > _CACHE_SIZE:
            _subsets.popitem(last=False)
    return made


def _from_store(entry: bytes | None) -> tuple[bytes, frozenset[int]] | None:
    """A subset as the persistent cache holds it: its code points, a newline, the WOFF2 file."""
    if entry is None:
        return None
    head, _, data = entry.partition(b"\n")
    codepoints = decode_codepoints(head)
    if codepoints is None or not data.startswith(b"wOF2"):
        return None
    return data, codepoints


def _subset(font_file: bytes, codepoints: frozenset[int],
            words: frozenset[str] = frozenset()) -> tuple[bytes, frozenset[int]]:
    from fontTools.ttLib import TTFont

    features = (default_features() | set(_EXTRA_FEATURES)) - _VERTICAL_FEATURES
    cut = subset(font_file, map(chr, codepoints), sorted(words), features=features, desubroutinize=True)
    with TTFont(io.BytesIO(cut.data), recalcBBoxes=False, recalcTimestamp=False) as font:
        font.flavor = "woff2"
        output = io.BytesIO()
        font.save(output, reorderTables=False)
    return output.getvalue(), cut.codepoints
