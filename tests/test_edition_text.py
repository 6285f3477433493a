"""What is printed of an edition as a whole — the date line, the full title, the metadata's
description, subject and keywords — composed once in the model (typeset/model/edition.py) with the
edition's own comma, and what each renderer and both templates print of it."""

from __future__ import annotations

from io import BytesIO
from pathlib import Path
from zipfile import ZipFile

import pytest
from lxml import etree

from tests.conftest import EXAMPLES, REPO, edition_path, run_typeset
from typeset.model.edition import Edition, make_edition
from typeset.source import load_document
from typeset.world import World

RTL_RUNNING = REPO / "tests" / "data" / "rtl-running"
HEAT = EXAMPLES / "extreme-heat-2024"


def edition(folder: Path, tag: str) -> Edition:
    document = load_document(folder, World([])).document
    assert document is not None
    return make_edition(document, tag)


@pytest.mark.parametrize(("folder", "tag", "date_line", "full_title_end", "keywords"), [
    (RTL_RUNNING, "en", "Paris, December 10, 1948", "— ICOR, December 10, 1948", "ICOR, Paris, rtl-running"),
    (RTL_RUNNING, "ar", "باريس، ١٠ ديسمبر ١٩٤٨", "— ICOR، ١٠ ديسمبر ١٩٤٨", "ICOR، باريس، rtl-running"),
    (RTL_RUNNING, "fa", "پاریس، ۱۰ دسامبر ۱۹۴۸", "— ICOR، ۱۰ دسامبر ۱۹۴۸", "ICOR، پاریس، rtl-running"),
    (HEAT, "ja", "カトマンズ、2024年7月24日", "ネットワーク、2024年7月24日", "カトマンズ、extreme-heat-2024"),
    (HEAT, "zh-Hans", "加德满都，2024年7月24日", "国际网络，2024年7月24日", "加德满都，extreme-heat-2024"),
])
def test_the_printed_lines_use_the_editions_comma(folder: Path, tag: str, date_line: str, full_title_end: str,
                                                  keywords: str) -> None:
    found = edition(folder, tag)
    assert found.date_line == date_line
    assert found.date_line_parts == (found.place, found.date_text)
    assert found.full_title.startswith(found.title) and found.full_title.endswith(full_title_end)
    assert found.keyword_line.endswith(keywords)
    assert found.description == \
        f"{found.subtitle or found.title} — {found.organisation}{found.punctuation.comma}{date_line}"
    assert found.subject == found.subtitle or found.subject.endswith(date_line)


def test_without_a_place_the_date_line_is_the_date() -> None:
    from dataclasses import replace

    found = replace(edition(RTL_RUNNING, "ar"), place=None)
    assert found.date_line_parts == (found.date_text,) and found.date_line == "١٠ ديسمبر ١٩٤٨"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = {}
    for layout in ("resolution", "leaflet"):
        out[layout] = tmp_path_factory.mktemp(layout)
        run_typeset("build", RTL_RUNNING, "--lang", "ar", "--format", "docx", "--format", "html", "--layout", layout,
                    "--out", out[layout], check=True)
    return out


@pytest.mark.parametrize("layout", ["resolution", "leaflet"])
def test_both_templates_print_the_models_lines(built: dict[str, Path], layout: str) -> None:
    expected = edition(RTL_RUNNING, "ar")
    html = etree.HTML(edition_path(built[layout], "ar", "html", "rtl-running").read_bytes())
    assert html.findtext(".//title") == expected.full_title
    dateline = html.find(".//*[@class='dateline']")
    assert "".join(dateline.itertext()) == expected.date_line
    assert dateline.find(".//time").get("datetime") == "1948-12-10"


def test_the_docx_prints_and_describes_itself_with_the_models_lines(built: dict[str, Path]) -> None:
    expected = edition(RTL_RUNNING, "ar")
    with ZipFile(BytesIO(edition_path(built["resolution"], "ar", "docx", "rtl-running").read_bytes())) as docx:
        core, body = etree.fromstring(docx.read("docProps/core.xml")), etree.fromstring(docx.read("word/document.xml"))
    ns = {"dc": "http://purl.org/dc/elements/1.1/", "w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
          "cp": "http://schemas.openxmlformats.org/package/2006/metadata/core-properties"}
    assert core.findtext("dc:subject", namespaces=ns) == expected.subject == f"ICOR، {expected.date_line}"
    assert core.findtext("cp:keywords", namespaces=ns) == expected.keyword_line
    date_line = body.xpath("//w:p[w:pPr/w:pStyle/@w:val='DateLine']", namespaces=ns)[0]
    assert "".join(date_line.itertext()) == expected.date_line
