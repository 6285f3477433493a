"""The PDF's faces are cut by the HarfBuzz typeset ships (uharfbuzz), whatever the machine has.

WeasyPrint cuts a face with the system's libharfbuzz-subset when it finds one and falls back to
fontTools' subsetter when it does not; an edition's bytes then depended on the machine. These
tests render one edition as on a machine with the library and as on one without it (WeasyPrint's
handle on the library set to ``None``, fontTools' subsetter forbidden), and read the faces back.
"""

from __future__ import annotations

import io
from typing import Any

import pytest
from fontTools.pens.boundsPen import BoundsPen
from fontTools.ttLib import TTFont
from pypdf import PdfReader

from tests.conftest import REPO
from tests.support import render_pdf as render_pdf_of
from typeset.render.pdf_subset import cut_face

DOCUMENT = REPO / "examples" / "extreme-heat-2024"


def render_pdf(language: str) -> bytes:
    return render_pdf_of(DOCUMENT, language)


def embedded_faces(pdf: bytes) -> dict[str, tuple[bytes, set[int]]]:
    """Each embedded face by its PDF name: the font program and the glyph ids its widths list
    (WeasyPrint lists the glyphs the pages draw, and only those)."""
    faces: dict[str, tuple[bytes, set[int]]] = {}
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for font in (page["/Resources"].get("/Font") or {}).values():
            font = font.get_object()
            if font.get("/Subtype") != "/Type0":
                continue
            descendant = font["/DescendantFonts"][0].get_object()
            descriptor = descendant["/FontDescriptor"].get_object()
            program = descriptor.get("/FontFile2") or descriptor.get("/FontFile3")
            faces[str(font["/BaseFont"])] = (program.get_object().get_data(), widths_ids(descendant.get("/W", [])))
    return faces


def widths_ids(widths: Any) -> set[int]:
    """The glyph ids of a CIDFont's /W array: ``c [w …]`` and ``first last w`` entries."""
    ids: set[int] = set()
    items = list(widths)
    index = 0
    while index < len(items):
        first = int(items[index])
        following = items[index + 1].get_object() if hasattr(items[index + 1], "get_object") else items[index + 1]
        if isinstance(following, list):
            ids.update(range(first, first + len(following)))
            index += 2
        else:
            ids.update(range(first, int(following) + 1))
            index += 3
    return ids


def with_components(program: bytes, glyph_ids: set[int]) -> set[int]:
    """``glyph_ids`` and every glyph their composite glyphs are drawn from (TrueType outlines)."""
    font = TTFont(io.BytesIO(program))
    if "glyf" not in font:
        return set(glyph_ids)
    order, glyf = font.getGlyphOrder(), font["glyf"]
    ids = {name: gid for gid, name in enumerate(order)}
    found, todo = set(), [gid for gid in glyph_ids if gid < len(order)]
    while todo:
        gid = todo.pop()
        if gid not in found:
            found.add(gid)
            todo.extend(ids[name] for name in glyf[order[gid]].getComponentNames(glyf))
    return found


def drawn_glyphs(program: bytes) -> set[int]:
    """The glyph ids of a font program that have an outline."""
    font = TTFont(io.BytesIO(program))
    glyphs = font.getGlyphSet()
    drawn = set()
    for gid, name in enumerate(font.getGlyphOrder()):
        pen = BoundsPen(glyphs)
        glyphs[name].draw(pen)
        if pen.bounds is not None:
            drawn.add(gid)
    return drawn


@pytest.fixture(scope="module")
def hindi() -> bytes:
    return render_pdf("hi")


def test_a_pdf_is_the_same_byte_for_byte_on_a_machine_without_libharfbuzz_subset(
        hindi: bytes, monkeypatch: pytest.MonkeyPatch) -> None:
    import fontTools.subset
    import weasyprint.pdf.fonts

    def forbidden(*args: object, **kwargs: object) -> None:
        raise AssertionError("fontTools' subsetter cut a face of the PDF")

    monkeypatch.setattr(weasyprint.pdf.fonts, "harfbuzz_subset", None)
    monkeypatch.setattr(fontTools.subset.Subsetter, "subset", forbidden)
    assert render_pdf("hi") == hindi


def test_every_face_is_cut_to_the_glyphs_its_pages_draw(hindi: bytes) -> None:
    faces = embedded_faces(hindi)
    assert len(faces) >= 3, sorted(faces)  # Devanagari, Latin and others in the Hindi edition
    for name, (program, listed) in faces.items():
        drawn = drawn_glyphs(program)
        assert drawn, f"{name}: no glyph has an outline"
        needed = with_components(program, listed | {0})
        assert drawn <= needed, f"{name}: glyphs the pages never draw are embedded: {sorted(drawn - needed)[:10]}"
        assert len(listed - drawn) < len(listed) / 2, f"{name}: most glyphs the pages draw have no outline"


def test_a_face_cut_keeps_each_glyph_under_its_id_and_its_outline() -> None:
    face = REPO / "fonts" / "noto-serif-devanagari" / "NotoSerifDevanagari-Regular.ttf"
    data = face.read_bytes()
    whole = TTFont(io.BytesIO(data))
    kept = {0, 5, 77, 140}
    cut = cut_face(data, 0, kept, hinting=False, notdef_outline=True)
    assert cut is not None and len(cut) < len(data) / 4
    font = TTFont(io.BytesIO(cut))
    assert len(font.getGlyphOrder()) == max(kept) + 1  # ids kept, nothing after the last
    assert "GSUB" not in font and "GPOS" not in font
    assert drawn_glyphs(cut) == drawn_glyphs(data) & kept
    for gid in kept - {0}:
        name, whole_name = font.getGlyphOrder()[gid], whole.getGlyphOrder()[gid]
        assert font["hmtx"][name][0] == whole["hmtx"][whole_name][0]
