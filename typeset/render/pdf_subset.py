"""The PDF's fonts cut by the HarfBuzz that comes with typeset, on every machine alike.

In: nothing; :func:`harfbuzz_subsets` is a context manager (and decorator) around a WeasyPrint
render. Out: in the PDFs written inside it, each embedded face is cut down to the glyphs its
pages draw by hb-subset through uharfbuzz (a dependency of typeset, which carries its own
HarfBuzz), with the flags WeasyPrint gives hb-subset itself: glyph ids kept, tables it does not
know passed through, CFF charstrings written out in full, the layout tables (GSUB, GPOS, …)
dropped, and a ``.notdef`` outline where a character had no glyph.

Why: WeasyPrint 70 cuts a face with hb-subset only if it finds the system's
``libharfbuzz-subset`` (Debian's ``libharfbuzz-subset0``, which a machine has when something
else, such as Chromium, brought it); without it, it falls back to fontTools' subsetter, which
reads every layout table of every face into Python objects. On a machine without the library the
PDF of the 1,000-signatory benchmark spent 16 of its 20 profiled seconds of ``write_pdf`` there
(``benchmarks/README.md``). And the bytes of an edition then depended on the machine: which
subsetter ran and which HarfBuzz it was. Here one HarfBuzz, pinned by the uharfbuzz wheel,
cuts every face, so the same edition gives the same bytes wherever it is built.

How: for the duration of the block, ``weasyprint.pdf.build_fonts_dictionary`` (called once per
PDF with the document's fonts, before any face is cut) is wrapped; the wrapper gives each font
an instance attribute ``subset`` that replaces WeasyPrint's method of that name for that font
only. The wrapper goes in and comes out through :mod:`typeset.render.weasypatch`.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from functools import partial
from typing import TYPE_CHECKING, Any

import uharfbuzz as hb

from typeset.render.weasypatch import Patch, Wrap

if TYPE_CHECKING:
    from contextlib import _GeneratorContextManager

LOGGER = logging.getLogger("typeset")

_EXPECTED_PARAMETERS = ("pdf", "fonts", "compress", "subset", "options")

#: The tables WeasyPrint drops from an embedded face (weasyprint/pdf/fonts.py): a PDF viewer
#: draws glyphs by id and never shapes, so it needs no layout tables, and no bitmaps or SVG.
DROPPED_TABLES = ("BASE", "DSIG", "EBDT", "EBLC", "EBSC", "GPOS", "GSUB", "JSTF", "LTSH", "PCLT", "SVG ")


def cut_face(data: bytes, index: int, glyphs: Iterable[int], *, hinting: bool, notdef_outline: bool) -> bytes | None:
    """Face ``index`` of the font file ``data`` cut down to the glyph ids ``glyphs`` (which keep
    their ids: the PDF's text draws them by id), as WeasyPrint asks hb-subset for: one pass keeps
    the glyphs with their ids, a second drops the empty glyphs after the last one kept, and
    hinting only if ``hinting``. ``None`` if HarfBuzz cannot cut the face."""
    kept = sorted(set(glyphs))
    if not kept:
        return None
    flags = hb.SubsetFlags.PASSTHROUGH_UNRECOGNIZED | hb.SubsetFlags.DESUBROUTINIZE
    if notdef_outline:
        flags |= hb.SubsetFlags.NOTDEF_OUTLINE
    request = hb.SubsetInput()
    request.glyph_set.update(kept)
    request.sets(hb.SubsetInputSets.DROP_TABLE_TAG).update(sorted(map(_tag, DROPPED_TABLES)))
    request.flags = flags | hb.SubsetFlags.RETAIN_GIDS
    face = hb.subset(hb.Face(hb.Blob(data), index), request)
    if face is None:
        return None
    request.glyph_set.add_range(0, kept[-1])
    request.flags = flags if hinting else flags | hb.SubsetFlags.NO_HINTING
    face = hb.subset(face, request)
    if face is None:
        return None
    return bytes(face.blob.data) or None


def _subset_font(font: Any, to_unicode: dict[int, str], hinting: bool) -> None:
    """What ``weasyprint.pdf.fonts.Font.subset`` does, with uharfbuzz's HarfBuzz."""
    if not to_unicode:
        return
    data = cut_face(font.file_content, font.index, to_unicode, hinting=hinting, notdef_outline=bool(font.missing))
    if data is None:  # WeasyPrint embeds the whole face then, and so does this
        LOGGER.warning("HarfBuzz could not cut the face %s; the PDF embeds all of it", font.family)
        return
    font.file_content = data


def _make_wrapper(original: Any) -> Any:
    # WeasyPrint's PDF and font objects: untyped, hence Any
    def build_fonts_dictionary(pdf: Any, fonts: Any, compress: bool, subset: bool, options: Any) -> Any:
        for font in fonts.values():
            font.subset = partial(_subset_font, font)
        return original(pdf, fonts, compress, subset, options)

    return build_fonts_dictionary


_PATCH = Patch("typeset/render/pdf_subset.py",
               [Wrap("weasyprint.pdf", "build_fonts_dictionary", _EXPECTED_PARAMETERS, _make_wrapper)],
               hint="check that weasyprint/pdf/fonts.py::Font.clean still cuts a face through Font.subset")


def harfbuzz_subsets() -> _GeneratorContextManager[None]:
    """The faces of the PDFs written inside this block cut by uharfbuzz (also a decorator)."""
    return _PATCH()


def _tag(tag: str) -> int:
    return int.from_bytes(tag.encode("ascii"), "big")
