"""Running heads and feet in right-to-left editions (typeset/render/css.py, ``running_content``).

A foot such as "{organisation} · {date}" puts a Latin name, a date and a page label side by side
in a right-to-left line. Without isolation the Unicode bidi algorithm joins the day to the name
before it (Hebrew: "1948 בדצמבר ICOR · 10"). Read back where poppler finds each word
(``pdftotext -bbox``), from the line's start on the right: the fields and the words of each field
must come in the order the edition writes them, in both bundled layouts.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
import unicodedata
from dataclasses import replace
from pathlib import Path

import pytest

from tests.conftest import REPO, edition_path, run_typeset
from typeset.fonts import load_fonts
from typeset.layout import load_layout
from typeset.model.edition import Edition, make_edition
from typeset.model.language import parse_language
from typeset.model.localize import numbering_system, to_digits
from typeset.render import RenderContext
from typeset.render.css import running_content
from typeset.source import load_document
from typeset.world import World

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) is not installed")

DOCUMENT = REPO / "tests" / "data" / "rtl-running"
RIGHT_TO_LEFT = ("he", "ar", "fa")
FEET = {"resolution": ("{organisation} · {date}", "{page}"), "leaflet": ("{dateline}", "{page_number} / {pages}")}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = {}
    for layout in FEET:
        out[layout] = tmp_path_factory.mktemp(layout)
        run_typeset("build", DOCUMENT, "--format", "pdf", "--layout", layout, "--out", out[layout], check=True)
    return out


def context(layout: str) -> RenderContext:
    loaded = load_layout(layout, World([]))
    world = World([DOCUMENT, loaded.root])
    return RenderContext(loaded, load_fonts(world), world, dt.datetime(1948, 12, 10, tzinfo=dt.UTC))


def edition(language: str) -> Edition:
    document = load_document(DOCUMENT, World([])).document
    assert document is not None
    return make_edition(document, language)


def bare(word: str) -> str:
    """A word without its combining marks: poppler lifts them out of right-to-left words (see
    test_editions), the Persian hamza of "صفحهٔ" becoming a word of its own."""
    return "".join(c for c in unicodedata.normalize("NFC", word) if unicodedata.category(c) != "Mn")


def foot_words(pdf: Path) -> list[tuple[float, float, str]]:
    """(xMin, xMax, word) of the words in the lowest tenth of page 1, in logical spelling, without
    combining marks."""
    html = subprocess.run(["pdftotext", "-bbox", "-f", "1", "-l", "1", "-enc", "UTF-8", str(pdf), "-"], check=True,
                          capture_output=True, encoding="utf-8").stdout
    height = float(re.search(r'<page width="[\d.]+" height="([\d.]+)"', html)[1])  # type: ignore[index]
    found = []
    for x0, y0, x1, word in re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)<',
                                       html):
        word = bare(word)
        if float(y0) > 0.9 * height and word:
            if any(unicodedata.bidirectional(c) in ("R", "AL") for c in word):
                word = word[::-1]  # poppler spells a right-to-left word as it is drawn, from the left
            found.append((float(x0), float(x1), word))
    return found


def expected(template: str, language: str, pages: int = 1) -> list[str]:
    """The words of a foot as the edition writes them (logical order)."""
    written = edition(language)
    lang = parse_language(language)

    def number(n: int) -> str:
        return to_digits(str(n), numbering_system(lang))

    label = load_layout(None, World([])).message("page", lang).format(page=number(1), pages=number(pages))
    values = {"{organisation}": written.organisation, "{date}": written.date_text, "{page}": label,
              "{dateline}": f"{written.place}{written.punctuation.comma}{written.date_text}",
              "{page_number}": number(1), "{pages}": number(pages)}
    for key, value in values.items():
        template = template.replace(key, value)
    return [bare(word) for word in template.split()]


@pytest.mark.parametrize("layout", FEET)
@pytest.mark.parametrize("language", RIGHT_TO_LEFT)
def test_right_to_left_feet_read_in_order_from_the_right(built: dict[str, Path], layout: str, language: str) -> None:
    words = foot_words(edition_path(built[layout], language, "pdf", "rtl-running"))
    middle = max(x1 for _, x1, _ in words) / 2
    start = [w for x0, _, w in sorted((w for w in words if w[0] > middle), reverse=True)]  # on the right
    end = [w for x0, _, w in sorted((w for w in words if w[0] <= middle), reverse=True)]
    start_template, end_template = FEET[layout]
    assert start == expected(start_template, language), f"the foot on the right reads {start}"
    assert end == expected(end_template, language), f"the foot on the left reads {end}"


@pytest.mark.parametrize("layout", FEET)
def test_left_to_right_feet_are_unchanged(built: dict[str, Path], layout: str) -> None:
    """No isolates where nothing runs right to left: the English foot reads as it always did, and
    its content value holds no bidi control."""
    words = foot_words(edition_path(built[layout], "en", "pdf", "rtl-running"))
    middle = max(x1 for _, x1, _ in words) / 2
    start_template, end_template = FEET[layout]
    assert [w for _, _, w in sorted(w for w in words if w[0] < middle)] == expected(start_template, "en")
    assert [w for _, _, w in sorted(w for w in words if w[0] >= middle)] == expected(end_template, "en")
    for template in (*FEET[layout], "{short_title}", "{title}"):
        assert not re.search(r"\\206[6-9]", running_content(template, edition("en"), context(layout))), template


def test_a_right_to_left_name_is_isolated_in_a_left_to_right_edition() -> None:
    """A Hebrew organisation in an English foot: "ארגון · 10 December 1948" would show the day
    before the name; the name is isolated (FSI … PDI), the date left as it was."""
    english = edition("en")
    hebrew_name = replace(english, organisation="ארגון העובדים")
    content = running_content("{organisation} · {date}", hebrew_name, context("resolution"))
    assert content == f'"\\2068" "ארגון העובדים" "\\2069" " · " "{english.date_text}"'
