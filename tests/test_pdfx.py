"""`typeset build --print`: the PDF/X-4 a print shop receives, read back with pikepdf, poppler and
Ghostscript's separations.

Four print PDFs are built by the real command line, once: the German resolution and the Hindi
edition of extreme-heat-2024 in the resolution layout (A4), its Arabic and Japanese editions in the
leaflet layout (A5, a cover band that runs into the bleed). They must carry the output intent (the
bundled FOGRA39 profile, embedded as it is in the package), the PDF/X-4 identification in the XMP
metadata and the document information, the page boxes, no RGB colour anywhere in page content,
crop and registration marks on every separation, and the text and fonts of the edition (no tofu).
The bundled profile's files, checksum and licence are checked as the fonts' are.
"""

from __future__ import annotations

import hashlib
import re
import subprocess
import tomllib
import unicodedata
from collections.abc import Iterator
from pathlib import Path

import pikepdf
import pytest
from PIL import Image, ImageCms

from tests.conftest import EXAMPLES, edition_path, expected_entries, run_typeset
from tests.pdfcheck import assert_print_ready
from tests.pdfcheck import text as pdf_text
from tests.support import BIDI_CONTROLS, assert_signatories_in_order, squash
from typeset.world import PACKAGE_DIR

MM = 72 / 25.4
PROFILES = PACKAGE_DIR / "render" / "icc"
PAPERS = {"A4": (595.276, 841.89), "A5": (419.528, 595.276)}
EPOCH = {"SOURCE_DATE_EPOCH": "1700000000"}
HEAT = "extreme-heat-2024"
# (example folder, document id, language, layout, paper)
PRINTED = [("icor-2017", "icor-2017-maruti-suzuki", "de", "resolution", "A4"),
           (HEAT, HEAT, "ar", "leaflet", "A5"),
           (HEAT, HEAT, "hi", "resolution", "A4"),
           (HEAT, HEAT, "ja", "leaflet", "A5")]
IDS = [f"{example}/{language}/{layout}" for example, _, language, layout, _ in PRINTED]
# The operators that set an RGB or gray colour. A print page may paint in CMYK (device or the
# output profile's) and the registration colour only; DeviceGray would be allowed by PDF/X-4, but
# the layouts do not use it, so any is reported too.
RGB_OPERATORS = {"rg", "RG", "g", "G"}


@pytest.fixture(scope="module")
def printed(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("print")
    run_typeset("build", EXAMPLES / "icor-2017", "-l", "de", "-f", "pdf", "--print", "--force", "--out",
                out / "resolution", env=EPOCH, check=True)
    run_typeset("build", EXAMPLES / HEAT, "-l", "hi", "-f", "pdf", "--print", "--force", "--out", out / "resolution",
                env=EPOCH, check=True)
    run_typeset("build", EXAMPLES / HEAT, "-l", "ar", "-l", "ja", "-f", "pdf", "--print", "--layout", "leaflet",
                "--force", "--out", out / "leaflet", env=EPOCH, check=True)
    return {name: edition_path(out / layout, language, "pdf", document)
            for name, (_, document, language, layout, _) in zip(IDS, PRINTED, strict=True)}


def profile_manifest() -> dict[str, str]:
    (entry,) = tomllib.loads((PROFILES / "manifest.toml").read_text(encoding="utf-8"))["profile"]
    return dict(entry)


# -- the bundled profile: files, checksum, licence ---------------------------------------------------


def test_the_profile_matches_its_checksum_and_is_a_cmyk_output_profile() -> None:
    entry = profile_manifest()
    data = (PROFILES / entry["file"]).read_bytes()
    assert hashlib.sha256(data).hexdigest() == entry["sha256"]
    profile = ImageCms.getOpenProfile(str(PROFILES / entry["file"])).profile
    assert (profile.xcolor_space.strip(), profile.device_class) == ("CMYK", "prtr")
    assert "FOGRA39" in profile.profile_description
    # it converts as a FOGRA39 press does: paper white is not ink, sRGB black takes all four inks
    transform = ImageCms.buildTransform(ImageCms.createProfile("sRGB"), ImageCms.getOpenProfile(
        str(PROFILES / entry["file"])), "RGB", "CMYK")
    white, black = (ImageCms.applyTransform(Image.new("RGB", (1, 1), rgb), transform).getpixel((0, 0))
                    for rgb in ((255, 255, 255), (0, 0, 0)))
    assert white == (0, 0, 0, 0)
    assert all(ink > 100 for ink in black) and sum(black) / 255 <= 3.31  # 330 % total ink


def test_every_file_of_the_profile_folder_is_listed_and_the_licence_is_zlib() -> None:
    entry = profile_manifest()
    found = {p.name for p in PROFILES.iterdir() if p.is_file()}
    assert found == {"manifest.toml", entry["file"], entry["licence_file"]}
    assert entry["licence"] == "Zlib"
    text = (PROFILES / entry["licence_file"]).read_text(encoding="utf-8")
    assert text.startswith("Copyright Kai-Uwe Behrmann")
    assert "The zlib/libpng License" in text and "Altered source versions must be plainly marked" in text
    assert "icc-profiles-free" in entry["source"] and "Fogra" in entry["source"]


# -- the output intent and the PDF/X identification ----------------------------------------------------


@pytest.mark.parametrize("name", IDS)
def test_output_intent_is_the_bundled_fogra39_profile(printed: dict[str, Path], name: str) -> None:
    entry = profile_manifest()
    with pikepdf.open(printed[name]) as pdf:
        (intent,) = pdf.Root.OutputIntents
        assert intent.Type == "/OutputIntent" and intent.S == "/GTS_PDFX"
        assert str(intent.OutputConditionIdentifier) == "FOGRA39"
        assert str(intent.RegistryName) == "http://www.color.org"
        assert "ISO 12647-2" in str(intent.OutputCondition)
        profile = intent.DestOutputProfile
        assert profile.N == 4
        assert profile.read_bytes() == (PROFILES / entry["file"]).read_bytes()


@pytest.mark.parametrize("name", IDS)
def test_pdfx4_version_in_xmp_and_info_trapped_and_title(printed: dict[str, Path], name: str) -> None:
    with pikepdf.open(printed[name]) as pdf:
        assert pdf.pdf_version == "1.6"  # PDF/X-4 is PDF 1.6
        info = pdf.docinfo
        assert str(info["/GTS_PDFXVersion"]) == "PDF/X-4"
        assert str(info["/Trapped"]) == "/False"
        assert str(info["/Title"])
        with pdf.open_metadata() as xmp:
            assert xmp["pdfxid:GTS_PDFXVersion"] == "PDF/X-4"
            assert xmp["pdf:Trapped"] == "False"
            assert xmp["dc:title"] == str(info["/Title"])
            assert xmp["xmpMM:DocumentID"].startswith("uuid:") and xmp["xmpMM:RenditionClass"] == "proof:pdf"
        # the tags of the default variant are kept: the print PDF stays readable by assistive technology
        assert "/StructTreeRoot" in pdf.Root and pdf.Root.MarkInfo.Marked


def test_print_build_is_byte_identical_twice(printed: dict[str, Path], tmp_path: Path) -> None:
    """WeasyPrint writes a random XMP document ID for PDF/X; typeset's is drawn from the edition."""
    run_typeset("build", EXAMPLES / "icor-2017", "-l", "de", "-f", "pdf", "--print", "--out", tmp_path,
                env=EPOCH, check=True)
    assert edition_path(tmp_path, "de", "pdf").read_bytes() == printed[IDS[0]].read_bytes()


# -- page boxes ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("name,paper", [(name, spec[4]) for name, spec in zip(IDS, PRINTED, strict=True)])
def test_page_boxes_trim_is_the_paper_bleed_3mm_sheet_10mm(printed: dict[str, Path], name: str,
                                                           paper: str) -> None:
    width, height = PAPERS[paper]
    with pikepdf.open(printed[name]) as pdf:
        for page in pdf.pages:
            trim, bleed, media = ([float(v) for v in page.obj[box]] for box in ("/TrimBox", "/BleedBox", "/MediaBox"))
            assert trim == pytest.approx([0, 0, width, height], abs=0.01)
            assert bleed == pytest.approx([-3 * MM, -3 * MM, width + 3 * MM, height + 3 * MM], abs=0.01)
            assert media == pytest.approx([-10 * MM, -10 * MM, width + 10 * MM, height + 10 * MM], abs=0.01)


# -- colour: no RGB in page content, marks in the registration colour ---------------------------------


def _colour_space_components(space: object, resources: pikepdf.Dictionary) -> str:
    """A colour space as 'CMYK', 'RGB', 'Gray', 'Lab', 'All' (registration) or its name."""
    if isinstance(space, pikepdf.Name):
        named = resources.get("/ColorSpace", {}).get(str(space)) if "/ColorSpace" in resources else None
        if named is not None:
            return _colour_space_components(named, resources)
        return {"/DeviceCMYK": "CMYK", "/DeviceRGB": "RGB", "/DeviceGray": "Gray", "/Pattern": "Pattern"}.get(
            str(space), str(space))
    assert isinstance(space, pikepdf.Array)
    family = str(space[0])
    if family == "/ICCBased":
        return {1: "Gray", 3: "RGB", 4: "CMYK"}[int(space[1].N)]
    if family == "/Separation":
        return "All" if str(space[1]) == "/All" else f"Separation {space[1]}"
    if family in ("/CalRGB",):
        return "RGB"
    return family.lstrip("/")


def _walk(content: pikepdf.Object, resources: pikepdf.Dictionary, seen: set[tuple[int, int]]) -> Iterator[str]:
    """Every colour a content stream and the forms and images it draws use: 'rg', 'RG', 'g', 'G' for the
    RGB and gray operators, else the colour spaces ``cs``/``CS`` set, images and transparency groups."""
    for operands, operator in pikepdf.parse_content_stream(content):
        name = str(operator)
        if name in RGB_OPERATORS:
            yield name
        elif name in ("cs", "CS"):
            yield _colour_space_components(operands[0], resources)
    for shading in resources.get("/Shading", {}).values() if "/Shading" in resources else ():
        yield _colour_space_components(shading.ColorSpace, resources)
    for xobject in (resources.get("/XObject", {}).values() if "/XObject" in resources else ()):
        if xobject.objgen in seen:
            continue
        seen.add(xobject.objgen)
        if "/Group" in xobject and "/CS" in xobject.Group:
            yield _colour_space_components(xobject.Group.CS, resources)
        if xobject.Subtype == "/Form":
            yield from _walk(xobject, xobject.get("/Resources", resources), seen)
        else:
            yield "image " + _colour_space_components(xobject.get("/ColorSpace", pikepdf.Name.DeviceRGB), resources)


@pytest.mark.parametrize("name", IDS)
def test_no_rgb_colour_in_page_content_forms_or_images(printed: dict[str, Path], name: str) -> None:
    with pikepdf.open(printed[name]) as pdf:
        used: dict[str, int] = {}
        seen: set[tuple[int, int]] = set()
        pages = len(pdf.pages)
        for page in pdf.pages:
            if "/Group" in page.obj:
                used[_colour_space_components(page.obj.Group.CS, page.Resources)] = 1
            for colour in _walk(page.obj, page.Resources, seen):
                used[colour] = used.get(colour, 0) + 1
    assert set(used) <= {"CMYK", "All"}, used
    assert used.get("CMYK", 0) > 10 and used.get("All") == pages  # the marks: once a page


@pytest.mark.parametrize("name", [IDS[0], IDS[1]])
def test_marks_are_on_every_separation_and_outside_the_bleed(printed: dict[str, Path], name: str,
                                                             tmp_path: Path) -> None:
    """Ghostscript separates the first page into its four plates (36 dpi): crop and registration
    marks in the slug on each of C, M, Y and K; nothing else there; and the text on black only
    where the layout says black (the resolution's body text: K alone, no cyan anywhere)."""
    pdf = printed[name]
    with pikepdf.open(pdf) as document:
        registration = document.pages[0].Resources.ColorSpace["/Registration"]
        assert [str(v) for v in registration[:3]] == ["/Separation", "/All", "/DeviceCMYK"]
    subprocess.run(["gs", "-q", "-dNOPAUSE", "-dBATCH", "-dSAFER", "-sDEVICE=tiffsep", "-r36", "-dFirstPage=1",
                    "-dLastPage=1", f"-sOutputFile={tmp_path / 'page.tif'}", str(pdf)], check=True)
    dpi_mm = 36 / 25.4
    slug = int(7 * dpi_mm) - 1  # the 10 mm sheet margin less the 3 mm bleed, less a pixel
    inked: dict[str, tuple[int, int]] = {}
    for plate in ("Cyan", "Magenta", "Yellow", "Black"):
        image = Image.open(tmp_path / f"page({plate}).tif").convert("L")  # 0: full ink
        width, height = image.size
        in_slug = sum(1 for x in range(width) for y in range(height)
                      if (min(x, y, width - 1 - x, height - 1 - y) < slug) and image.getpixel((x, y)) < 128)
        inside = sum(1 for x in range(slug + 2, width - slug - 2) for y in range(slug + 2, height - slug - 2)
                     if image.getpixel((x, y)) < 128)
        inked[plate] = (in_slug, inside)
    slug_counts = {plate: counts[0] for plate, counts in inked.items()}
    assert min(slug_counts.values()) > 30, inked  # 8 crop marks and 4 targets on each plate
    assert len(set(slug_counts.values())) == 1, inked  # the same marks on every plate
    assert inked["Black"][1] > 1000, inked  # the text
    if name == IDS[0]:
        assert inked["Cyan"][1] == 0, inked  # the resolution: black text and a red accent, no cyan


def test_the_pdf_without_print_keeps_its_rgb_colours_and_pdf_ua(tmp_path: Path) -> None:
    run_typeset("build", EXAMPLES / "icor-2017", "-l", "de", "-f", "pdf", "--out", tmp_path, env=EPOCH, check=True)
    with pikepdf.open(edition_path(tmp_path, "de", "pdf")) as pdf:
        assert "/OutputIntents" not in pdf.Root and "/GTS_PDFXVersion" not in pdf.docinfo
        with pdf.open_metadata() as xmp:
            assert xmp["pdfuaid:part"] == "1"
        page = pdf.pages[0]
        assert "rg" in {str(op) for _, op in pikepdf.parse_content_stream(page.obj)}
        assert [float(v) for v in page.MediaBox] == pytest.approx([0, 0, *PAPERS["A4"]], abs=0.01)


def test_print_refuses_pdf_a(tmp_path: Path) -> None:
    result = run_typeset("build", EXAMPLES / "icor-2017", "-l", "de", "-f", "pdf", "--print", "--pdf-variant",
                         "pdf/a-3u", "--out", tmp_path, env=EPOCH)
    assert result.returncode != 0
    assert "--print writes PDF/X-4" in result.stdout + result.stderr
    assert not edition_path(tmp_path, "de", "pdf").exists()


# -- the text and the fonts survive -------------------------------------------------------------------


@pytest.mark.parametrize("name", IDS)
def test_print_pdf_has_the_editions_text_and_fonts_and_no_tofu(printed: dict[str, Path], name: str) -> None:
    pdf = printed[name]
    assert_print_ready(pdf)
    example, _, language, layout, _ = PRINTED[IDS.index(name)]
    entries = expected_entries(language, EXAMPLES / example)
    assert entries
    text = pdf_text(pdf)
    if layout == "resolution":  # one column: poppler reads the list in order
        assert_signatories_in_order(text, entries, language)  # every name, in order, with its number
    else:  # two narrow columns, whose lines poppler interleaves (test_pdf.py reads them column by column):
        # the title on the cover band, which stands alone on its lines
        flat = squash(unicodedata.normalize("NFC", text).translate(BIDI_CONTROLS))
        source = (EXAMPLES / example / f"{language}.md").read_text(encoding="utf-8")
        title = re.search(r"^title: (.+)$", source, re.MULTILINE)
        assert title and squash(unicodedata.normalize("NFC", title.group(1))) in flat, title
        assert len(flat) > 2000  # the text and the list, not only the title


def test_a_layout_naming_a_missing_press_stylesheet_is_refused(tmp_path: Path) -> None:
    import shutil

    from typeset.errors import UsageError
    from typeset.layout import load_layout
    from typeset.world import LAYOUTS_DIR, World

    layout = tmp_path / "mine"
    shutil.copytree(LAYOUTS_DIR / "resolution", layout)
    assert load_layout(layout, World([])).press_stylesheets == ("press.css",)
    (layout / "press.css").unlink()
    with pytest.raises(UsageError, match="names press.css"):
        load_layout(layout, World([]))
