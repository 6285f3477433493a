"""The DOCX edition beside the PDF one: running heads and feet, hyphenation, the abbreviation
column, romanizations and the page count, for the examples in both bundled layouts.

In: the examples built by the real command line (PDF and DOCX), the DOCX laid out by LibreOffice
in one batch. Out: assertions on the DOCX XML and on what LibreOffice's PDF shows.
"""

from __future__ import annotations

import subprocess
from pathlib import Path
from zipfile import ZipFile

import pytest
from lxml import etree

from tests.conftest import REPO, run_typeset
from tests.libreoffice import libreoffice_convert

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W}
LAYOUTS = ("resolution", "leaflet")
# One edition per script direction and document; every edition of both examples is laid out by
# the whole-suite checks of the page count below.
EDITIONS = (("icor-2017", "icor-2017-maruti-suzuki", "en-GB"), ("extreme-heat-2024", "extreme-heat-2024", "ar"))


def _pages(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    return int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))


def _page_text(pdf: Path, page: int) -> str:
    return subprocess.run(["pdftotext", "-f", str(page), "-l", str(page), "-layout", str(pdf), "-"],
                          capture_output=True, text=True, check=True).stdout


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str], tuple[Path, Path, Path]]:
    """(layout, language) -> the PDF, the DOCX and LibreOffice's PDF of the DOCX."""
    out = tmp_path_factory.mktemp("parity")
    found: dict[tuple[str, str], tuple[Path, Path]] = {}
    for layout in LAYOUTS:
        for example, name, tag in EDITIONS:
            run_typeset("build", REPO / "examples" / example, "--lang", tag, "-f", "pdf", "-f", "docx",
                        "--layout", layout, "--out", out / layout, check=True)
            folder = out / layout / name
            found[(layout, tag)] = (folder / f"{name}.{tag}.pdf", folder / f"{name}.{tag}.docx")
    converted = libreoffice_convert([docx for _, docx in found.values()], out / "lo", fonts="bundled")
    return {key: (pdf, docx, lo) for (key, (pdf, docx)), lo in zip(found.items(), converted, strict=True)}


def _part(docx: Path, name: str) -> etree._Element:
    with ZipFile(docx) as package:
        return etree.fromstring(package.read(name))


@pytest.mark.slow
@pytest.mark.parametrize("layout", LAYOUTS)
def test_running_head_and_page_numbers_as_in_the_pdf(built, layout: str) -> None:  # type: ignore[no-untyped-def]
    pdf, _, lo = built[(layout, "en-GB")]
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
def test_a_right_to_left_running_foot_in_the_editions_digits(built, layout: str) -> None:  # type: ignore[no-untyped-def]
    _, docx, _ = built[(layout, "ar")]
    footer = "".join(t.text or "" for name in ("word/footer1.xml",) for t in _part(docx, name).iter(f"{{{W}}}t"))
    assert "٢٠٢٤" in footer, footer  # the date, in the edition's digits
    assert _part(docx, "word/footer1.xml").find(".//w:pPr/w:bidi", NS) is not None


LOOSER = pytest.mark.xfail(strict=True, reason="the Arabic leaflet's DOCX runs to two pages more than its PDF in "
                                              "LibreOffice: its lines and signatory entries are looser")


@pytest.mark.slow
@pytest.mark.parametrize("key", [pytest.param((layout, tag), id=f"{layout}-{tag}",
                                              marks=[LOOSER] if (layout, tag) == ("leaflet", "ar") else [])
                                 for layout in LAYOUTS for _, _, tag in EDITIONS])
def test_page_count_within_one_page_of_the_pdf(built, key: tuple[str, str]) -> None:  # type: ignore[no-untyped-def]
    pdf, _, lo = built[key]
    assert abs(_pages(lo) - _pages(pdf)) <= 1, (_pages(lo), _pages(pdf))


@pytest.mark.slow
def test_a_long_abbreviation_keeps_the_name_on_its_line(built) -> None:  # type: ignore[no-untyped-def]
    _, _, lo = built[("resolution", "en-GB")]
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
