"""Fonts embedded in the DOCX editions (ECMA-376 Part 1 §17.8): what a reader without our fonts
gets, read back from the package with the obfuscation undone by the spec's own rule.

Real renders of the examples; HarfBuzz shapes the names with the embedded subsets and with the
bundled fonts, and both must give the same glyphs. The slow tests in
``test_docx_libreoffice.py`` have LibreOffice draw the documents with the fonts hidden.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from io import BytesIO
from pathlib import Path
from zipfile import ZipFile

import pytest
import uharfbuzz as hb
from docx import Document
from docx.oxml.ns import qn
from fontTools.ttLib import TTFont
from lxml import etree

from tests.docxcheck import FONT_REL, OBFUSCATED, deobfuscate, embedded_fonts
from typeset.fonts import Face, FontSet, load_fonts
from typeset.layout import load_layout
from typeset.model import make_edition
from typeset.model.edition import Edition
from typeset.model.scripts import scripts_of
from typeset.render import RenderContext, RenderOptions
from typeset.render.docx import render
from typeset.render.docx_fonts import Permission, font_key, obfuscate, permission
from typeset.source import load_document
from typeset.world import World

REPO = Path(__file__).resolve().parent.parent
EXAMPLES = REPO / "examples"
BUILD_TIME = dt.datetime(2024, 7, 24, tzinfo=dt.UTC)
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W}
KIND = {"Regular": (False, False), "Bold": (True, False), "Italic": (False, True), "BoldItalic": (True, True)}


@pytest.fixture(scope="module")
def context() -> RenderContext:
    layout = load_layout("resolution", World([]))
    world = World([EXAMPLES, layout.root])
    return RenderContext(layout, load_fonts(world), world, BUILD_TIME)


@pytest.fixture(scope="module")
def editions() -> dict[str, Edition]:
    found = {}
    for folder in ("icor-2017", "extreme-heat-2024"):
        document = load_document(EXAMPLES / folder, World([])).document
        assert document is not None
        found.update({f"{folder}.{language.tag}": make_edition(document, language.tag)
                      for language in document.languages})
    return found


@pytest.fixture(scope="module")
def rendered(editions: dict[str, Edition], context: RenderContext):  # type: ignore[no-untyped-def]
    cache: dict[tuple[str, bool], bytes] = {}

    def get(stem: str, embed: bool = True) -> bytes:
        if (stem, embed) not in cache:
            options = RenderOptions(docx_embed_fonts=embed)
            cache[(stem, embed)] = render(editions[stem], replace(context, options=options))
        return cache[(stem, embed)]

    return get


def part(data: bytes, name: str) -> etree._Element:
    with ZipFile(BytesIO(data)) as package:
        return etree.fromstring(package.read(name))


def text_of(element: etree._Element) -> str:
    return "".join(t.text or "" for t in element.iter(qn("w:t")))


# -- the package -------------------------------------------------------------------------------------


@pytest.mark.parametrize("stem", ["icor-2017.de", "extreme-heat-2024.en", "extreme-heat-2024.ar",
                                  "extreme-heat-2024.ja", "extreme-heat-2024.hi"])
def test_every_embedded_face_is_a_font_the_reader_can_load(rendered, context: RenderContext,  # type: ignore[no-untyped-def]
                                                            stem: str) -> None:
    data = rendered(stem)
    fonts = embedded_fonts(data)
    assert fonts, "the fonts are embedded by default"
    assert len({(f.family, f.kind) for f in fonts}) == len(fonts), "one face per family and style"
    table = {font.get(qn("w:name")) for font in part(data, "word/fontTable.xml").iter(qn("w:font"))}
    for font in fonts:
        assert font.content_type == OBFUSCATED and font.part.endswith(".odttf")
        assert font.key == font.key.upper() and len(font.key) == 38 and font.key[0] == "{", \
            "LibreOffice reads only upper-case keys"
        ttf = font.font
        names = ttf["name"]
        assert font.family in table
        assert names.getDebugName(1) == font.family, "runs find a face by the family name of the font table"
        assert "glyf" in ttf and "CFF " not in ttf, "TrueType outlines: Word embeds no CFF font"
        bold, italic = KIND[font.kind]
        assert (ttf["OS/2"].usWeightClass >= 600) == bold and bool(ttf["OS/2"].fsSelection & 1) == italic
        assert ttf["OS/2"].fsType in (0, 8), "an editable embedding"
        assert font.subsetted
        bundled = context.fonts.family(font.family)
        source = next(f for f in bundled.faces if (f.weight >= 600, f.style == "italic") == (bold, italic))
        assert font.size < source.path.stat().st_size, "subset to what the document uses"
    settings = part(data, "word/settings.xml")
    assert settings.find("w:embedTrueTypeFonts", NS) is not None, "Word keeps them when it saves"
    assert settings.find("w:saveSubsetFonts", NS) is not None


def test_the_key_obfuscates_the_first_32_bytes() -> None:
    font = (REPO / "fonts" / "noto-serif" / "NotoSerif-Regular.ttf").read_bytes()
    key = font_key(font)
    hidden = obfuscate(font, key)
    assert hidden[32:] == font[32:] and hidden[:32] != font[:32]
    assert deobfuscate(hidden, key) == font, "the spec's rule undoes it"
    assert font_key(font) == key, "the same font, the same key"


def test_every_letter_a_run_sets_is_in_an_embedded_face_its_run_names(rendered) -> None:  # type: ignore[no-untyped-def]
    """A reader can only draw with the families a run names (slot by slot, through its styles):
    every letter of every signatory is in the embedded face of one of them."""
    from tests.docxcheck import Fonts

    data = rendered("extreme-heat-2024.en")
    faces: dict[str, set[int]] = {}
    for font in embedded_fonts(data):
        faces.setdefault(font.family, set()).update(font.font.getBestCmap())
    resolve = Fonts(data)
    checked = 0
    for paragraph in Document(BytesIO(data)).paragraphs:
        if paragraph.style.name != "Signatory":
            continue
        for r in paragraph._p.iter(qn("w:r")):
            families = set(resolve.of(r).values())
            for char in text_of(r):
                if char.isalpha():
                    assert any(ord(char) in faces.get(family, set()) for family in families), (char, families)
                    checked += 1
    assert checked > 500


@pytest.mark.parametrize(("stem", "name", "script", "language"), [
    ("extreme-heat-2024.en", "سندھ بھٹہ و زرعی مزدور اتحاد", "Arab", "ur"),
    ("extreme-heat-2024.en", "தூத்துக்குடி உப்பளத் தொழிலாளர் நலச் சங்கம்", "Taml", "ta"),
    ("extreme-heat-2024.en", "নারী পোশাক শ্রমিক অধিকার মঞ্চ", "Beng", "bn"),
    ("extreme-heat-2024.en", "दिल्ली रेहड़ी-पटरी कामगार एकता मंच", "Deva", "hi"),
    ("extreme-heat-2024.en", "外国人技能実習生サポートネットワーク東海", "Jpan", "ja"),
    ("extreme-heat-2024.ar", "جمعية عمال الزراعة في وادي الأردن", "Arab", "ar"),
])
def test_the_subsets_shape_names_as_the_bundled_fonts_do(rendered, context: RenderContext, stem: str, name: str,
                                                         script: str, language: str) -> None:  # type: ignore[no-untyped-def]
    """Joining forms, conjuncts, two-part vowels: HarfBuzz gives the same glyphs and positions with
    the embedded subset as with the bundled font."""
    edition_names = [e.name.text for e in _edition(stem).entries]
    assert any(name in n for n in edition_names), name
    wanted = {"Arab": "Noto Nastaliq Urdu" if language == "ur" else "Noto Naskh Arabic", "Taml": "Noto Serif Tamil",
              "Beng": "Noto Serif Bengali", "Deva": "Noto Serif Devanagari", "Jpan": "Noto Serif CJK JP"}[script]
    embedded = next(f for f in embedded_fonts(rendered(stem)) if (f.family, f.kind) == (wanted, "Regular"))
    out = BytesIO()
    embedded.font.save(out)
    bundled = context.fonts.family(wanted).regular.path.read_bytes()
    direction = "rtl" if script == "Arab" else "ltr"

    def shape(font: bytes) -> list[tuple[int, int, int]]:
        buffer = hb.Buffer()
        buffer.add_str(name)
        buffer.direction, buffer.script, buffer.language = direction, script if script != "Jpan" else "Hani", language
        face = hb.Font(hb.Face(hb.Blob(font)))
        hb.shape(face, buffer, {})
        return [(p.x_advance, p.x_offset, p.y_offset) for p in buffer.glyph_positions]

    assert shape(out.getvalue()) == shape(bundled)
    assert scripts_of(name)


def _edition(stem: str) -> Edition:
    folder, _, tag = stem.partition(".")
    document = load_document(EXAMPLES / folder, World([])).document
    assert document is not None
    return make_edition(document, tag)


def test_only_the_faces_the_document_uses(rendered) -> None:  # type: ignore[no-untyped-def]
    """The icor resolution is in Latin and Cyrillic: no Arabic, CJK or Indic face travels with it."""
    families = {f.family for f in embedded_fonts(rendered("icor-2017.de"))}
    assert families == {"Noto Serif", "Noto Sans"}
    kinds = {(f.family, f.kind) for f in embedded_fonts(rendered("icor-2017.de"))}
    assert ("Noto Serif", "Bold") in kinds and ("Noto Serif", "Italic") in kinds  # abbreviations, date line
    assert ("Noto Sans", "Bold") in kinds  # organisation and headings
    caps = next(f for f in embedded_fonts(rendered("icor-2017.de")) if (f.family, f.kind) == ("Noto Sans", "Bold"))
    organisation = "ICOR"
    assert all(ord(c) in caps.font.getBestCmap() for c in organisation.upper())


def test_no_embedding_when_switched_off(rendered) -> None:  # type: ignore[no-untyped-def]
    data = rendered("extreme-heat-2024.en", embed=False)
    with ZipFile(BytesIO(data)) as package:
        names = package.namelist()
    assert not [n for n in names if n.startswith("word/fonts/")]
    assert "word/_rels/fontTable.xml.rels" not in names
    table = part(data, "word/fontTable.xml")
    assert not [e for e in table.iter() if etree.QName(e).localname.startswith("embed")]
    listed = {font.get(qn("w:name")) for font in table.iter(qn("w:font"))}
    assert {"Noto Serif Devanagari", "Noto Nastaliq Urdu", "Noto Serif CJK JP"} <= listed, \
        "every family the runs name is in the font table"
    assert part(data, "word/settings.xml").find("w:embedTrueTypeFonts", NS) is None
    assert len(data) * 2 < len(rendered("extreme-heat-2024.en"))


def test_the_option_comes_from_the_command_line(tmp_path: Path) -> None:
    from tests.conftest import run_typeset

    for flag in ("--embed-fonts", "--no-embed-fonts"):
        out = tmp_path / flag
        run_typeset("build", EXAMPLES / "icor-2017", "-l", "de", "-f", "docx", "--out", out, flag, check=True)
        (docx,) = out.rglob("*.docx")
        assert bool(embedded_fonts(docx.read_bytes())) == (flag == "--embed-fonts")


# -- licences ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("fs_type", "allowed"), [
    (0x0000, Permission.SUBSET),  # installable
    (0x0008, Permission.SUBSET),  # editable
    (0x0004, Permission.NONE),  # preview and print: a read-only document
    (0x0002, Permission.NONE),  # restricted
    (0x000C, Permission.SUBSET),  # both bits: the least restrictive counts
    (0x0108, Permission.WHOLE),  # editable, no subsetting
    (0x0200, Permission.NONE),  # bitmaps only
])
def test_licence_bits(fs_type: int, allowed: Permission) -> None:
    assert permission(fs_type) is allowed


@pytest.mark.parametrize(("fs_type", "embedded", "whole"), [(0x0002, False, False), (0x0100, True, True)])
def test_a_font_whose_licence_says_no_is_left_out(editions: dict[str, Edition], context: RenderContext,
                                                   tmp_path: Path, fs_type: int, embedded: bool, whole: bool) -> None:
    """A restricted font is not embedded; one that forbids subsetting travels whole."""
    folder = tmp_path / "fonts" / "armenian"
    folder.mkdir(parents=True)
    faces = []
    for face in context.fonts.family("Noto Serif Armenian").faces:
        font = TTFont(face.path)
        font["OS/2"].fsType = fs_type
        target = folder / face.path.name
        font.save(target)
        faces.append(Face(face.family, target, face.weight, face.style, face.sha256 + f"-{fs_type}"))
    families = tuple(replace(f, faces=tuple(faces)) if f.name == "Noto Serif Armenian" else f
                     for f in context.fonts.families)
    world = World([EXAMPLES, context.layout.root, tmp_path / "fonts"])
    fonts = FontSet(tmp_path / "fonts", families, world)
    data = render(editions["extreme-heat-2024.en"], replace(context, fonts=fonts, world=world))
    armenian = [f for f in embedded_fonts(data) if f.family == "Noto Serif Armenian"]
    assert bool(armenian) == embedded
    if whole:
        assert not armenian[0].subsetted
        assert len(armenian[0].font.getGlyphOrder()) == len(TTFont(faces[0].path).getGlyphOrder())
    assert {f.family for f in embedded_fonts(data)} >= {"Noto Serif", "Noto Serif Devanagari"}


def test_relationships_and_content_types(rendered) -> None:  # type: ignore[no-untyped-def]
    data = rendered("extreme-heat-2024.hi")
    with ZipFile(BytesIO(data)) as package:
        rels = etree.fromstring(package.read("word/_rels/fontTable.xml.rels"))
    targets = [r.get("Target") for r in rels if r.get("Type") == FONT_REL]
    assert targets and all(t.startswith("fonts/font") and t.endswith(".odttf") for t in targets)
    assert len(targets) == len(embedded_fonts(data))


def test_an_edition_saved_as_the_template_works(rendered, editions: dict[str, Edition], context: RenderContext,
                                                tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """A user who saves an edition (fonts and all) as the layout's template gets editions whose
    embedded faces are their own: the template's are dropped, no relationship dangles."""
    (tmp_path / "reference.docx").write_bytes(rendered("extreme-heat-2024.ja"))
    layout = replace(context.layout, root=tmp_path)
    world = World([EXAMPLES, tmp_path])
    data = render(editions["icor-2017.de"], replace(context, layout=layout, world=world))
    families = {f.family for f in embedded_fonts(data)}  # every r:id resolves, every key opens its font
    assert families == {"Noto Serif", "Noto Sans"}
    with ZipFile(BytesIO(data)) as package:
        assert len([n for n in package.namelist() if n.startswith("word/fonts/")]) == len(embedded_fonts(data))
