"""The DOCX edition beside the PDF one: running heads and feet, hyphenation, the abbreviation
column, romanizations and the page count, for the examples in both bundled layouts.

In: the examples built by the real command line (PDF and DOCX), the DOCX laid out by LibreOffice
in one batch. Out: assertions on the DOCX XML and on what LibreOffice's PDF shows.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path
from zipfile import ZipFile

import pytest
from lxml import etree

from tests.conftest import EXAMPLES, REPO, run_typeset
from tests.libreoffice import libreoffice_convert

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W}
LAYOUTS = ("resolution", "leaflet")
ICOR, HEAT = "icor-2017-maruti-suzuki", "extreme-heat-2024"


def _pages(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    return int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))


def _page_text(pdf: Path, page: int) -> str:
    return subprocess.run(["pdftotext", "-f", str(page), "-l", str(page), "-layout", str(pdf), "-"],
                          capture_output=True, text=True, check=True).stdout


Edition = tuple[str, str, str]  # layout, document, language


@pytest.fixture(scope="module")
def parity(built: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[Edition, tuple[Path, Path, Path]]:
    """(layout, document, language) -> the PDF, the DOCX and LibreOffice's PDF of the DOCX, for
    every edition of every example in both layouts: the resolution's are the session's build
    (the examples' own layout), the leaflet's are built here, and LibreOffice lays out all the
    DOCX in one batch."""
    out = tmp_path_factory.mktemp("parity")
    run_typeset("build", EXAMPLES, "--layout", "leaflet", "-f", "pdf", "-f", "docx", "--out", out / "leaflet",
                check=True)
    found: dict[Edition, tuple[Path, Path]] = {}
    for layout, root in (("resolution", built), ("leaflet", out / "leaflet")):
        for docx in sorted(root.glob("*/*.docx")):
            name, _, tag = docx.name.removesuffix(".docx").partition(".")
            found[(layout, name, tag)] = (docx.with_suffix(".pdf"), docx)
    converted = libreoffice_convert([docx for _, docx in found.values()], out / "lo", fonts="bundled")
    return {key: (pdf, docx, lo) for (key, (pdf, docx)), lo in zip(found.items(), converted, strict=True)}


def _part(docx: Path, name: str) -> etree._Element:
    with ZipFile(docx) as package:
        return etree.fromstring(package.read(name))


@pytest.mark.slow
@pytest.mark.parametrize("layout", LAYOUTS)
def test_running_head_and_page_numbers_as_in_the_pdf(parity, layout: str) -> None:  # type: ignore[no-untyped-def]
    pdf, _, lo = parity[(layout, ICOR, "en-GB")]
    pages = _pages(lo)
    first, second = _page_text(lo, 1), _page_text(lo, 2)
    assert "ICOR resolution" in _page_text(pdf, 2).split("\n")[0]
    assert "ICOR resolution" in second.strip().split("\n")[0], "the running head on page 2"
    assert "ICOR resolution" not in first.strip().split("\n")[0], "no running head on the title page"
    foot = [line for line in second.strip().split("\n") if line.strip()][-1]
    wanted = f"Page 2 of {pages}" if layout == "resolution" else f"2 / {pages}"
    assert wanted.replace(" ", "") in foot.replace(" ", "") and "31 March 2017" in foot, foot


@pytest.mark.slow
@pytest.mark.parametrize("layout", LAYOUTS)
def test_a_right_to_left_running_foot_in_the_editions_digits(parity, layout: str) -> None:  # type: ignore[no-untyped-def]
    _, docx, _ = parity[(layout, HEAT, "ar")]
    footer = "".join(t.text or "" for name in ("word/footer1.xml",) for t in _part(docx, name).iter(f"{{{W}}}t"))
    assert "٢٠٢٤" in footer, footer  # the date, in the edition's digits
    assert _part(docx, "word/footer1.xml").find(".//w:pPr/w:bidi", NS) is not None


@pytest.mark.slow
@pytest.mark.parametrize("layout", LAYOUTS)
def test_page_count_within_one_page_of_the_pdf(parity, layout: str) -> None:  # type: ignore[no-untyped-def]
    """Every edition of both examples: LibreOffice's pages of the DOCX, within one of the PDF's."""
    counts = {f"{name}.{tag}": (_pages(pdf), _pages(lo)) for (shown, name, tag), (pdf, _, lo) in parity.items()
              if shown == layout}
    assert len(counts) >= 12, sorted(counts)  # both examples, every language
    apart = {edition: pages for edition, pages in counts.items() if abs(pages[0] - pages[1]) > 1}
    assert not apart, f"(PDF, DOCX) pages: {apart}"


@pytest.mark.slow
def test_a_long_abbreviation_keeps_the_name_on_its_line(parity) -> None:  # type: ignore[no-untyped-def]
    _, _, lo = parity[("resolution", ICOR, "en-GB")]
    text = "\n".join(_page_text(lo, page) for page in range(1, _pages(lo) + 1))
    line = next(line for line in text.split("\n") if "CPI (ML) Red Star" in line)
    assert "Communist Party of India" in line, line


def test_hyphenation_and_romanizations_as_in_the_pdf(tmp_path: Path) -> None:
    for layout in LAYOUTS:
        template = REPO / "layouts" / layout / "reference.docx"
        settings = _part(template, "word/settings.xml")
        assert settings.find("w:autoHyphenation", NS) is not None
        assert settings.find("w:consecutiveHyphenLimit", NS).get(f"{{{W}}}val") == "2"
        assert settings.find("w:hyphenationZone", NS) is not None
        styles = _part(template, "word/styles.xml")
        for style in ("Organisation", "Title", "Subtitle", "DateLine", "Heading2", "Slogan", "SignatoriesHeading",
                      "Signatory", "Header", "Footer"):
            found = styles.find(f"w:style[@w:styleId='{style}']", NS)
            assert found.find("w:pPr/w:suppressAutoHyphens", NS) is not None, (layout, style)
        romanization = styles.find("w:style[@w:styleId='Romanization']", NS)
        assert romanization.find("w:rPr/w:i", NS) is None, "upright, as the PDF's"


def _css_points(css: str, selector: str, prop: str) -> float:
    """A length of print.css in points: ``font-size`` in pt, or ``line-height`` (a multiple)."""
    block = re.search(rf"(?m)^{re.escape(selector)} \{{([^}}]*)\}}", css)
    assert block is not None, selector
    value = re.search(rf"{prop}:\s*([0-9.]+)(pt)?;", block.group(1))
    assert value is not None, (selector, prop)
    return float(value.group(1))


@pytest.mark.parametrize("layout", LAYOUTS)
def test_the_text_has_the_pdfs_leading_in_points(layout: str) -> None:
    """The text's leading is print.css's, as "at least" so many points: a multiple ("auto") is of
    the face's own line height, 1.36 em for Noto Serif and 1.7 em for Noto Naskh Arabic, and set
    a Persian resolution on twice its PDF's pages."""
    css = (REPO / "layouts" / layout / "print.css").read_text(encoding="utf-8")
    size, leading = _css_points(css, "html", "font-size"), _css_points(css, "html", "line-height")
    styles = _part(REPO / "layouts" / layout / "reference.docx", "word/styles.xml")
    for style in ("BodyText", "Signatory"):
        spacing = styles.find(f"w:style[@w:styleId='{style}']/w:pPr/w:spacing", NS)
        assert spacing.get(f"{{{W}}}lineRule") == "atLeast", (layout, style)
    body = styles.find("w:style[@w:styleId='BodyText']/w:pPr/w:spacing", NS)
    assert abs(int(body.get(f"{{{W}}}line")) / 20 - size * leading) <= 0.05, (layout, size * leading)
