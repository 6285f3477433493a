"""Every HTML edition of every example in headless Chromium, on a machine whose only fonts are DejaVu:
every name shows, no text leaves its box on a desktop or a phone, every glyph is drawn with a bundled
face that the page carries itself (no box in Chromium's printout), and axe-core finds no serious or
critical accessibility problem. The index of the output folder is checked the same way."""

from __future__ import annotations

import json
import re
import subprocess
import tomllib
import unicodedata
from collections.abc import Iterator
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont

from tests.chromium import Browser, dejavu_only_fonts
from tests.conftest import EDITIONS, EXAMPLE, REPO, Example, edition_path, expected_entries, run_typeset, squash
from tests.pdfcheck import assert_print_ready

pytestmark = pytest.mark.slow

AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
DESKTOP, PHONE = (1280, 900), (390, 844)

# Text that does not fit its block: each text node's lines against the box of the block that holds it,
# and the page against the window (a sideways scroll bar on a phone).
OVERFLOW = r"""
(() => {
  const problems = [];
  const page = document.documentElement.scrollWidth;
  if (page > window.innerWidth + 1) problems.push(`the page is ${page}px wide in a ${window.innerWidth}px window`);
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const range = document.createRange();
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (!node.data.trim()) continue;
    let block = node.parentElement;
    while (block.parentElement && getComputedStyle(block).display.startsWith("inline")) block = block.parentElement;
    const box = block.getBoundingClientRect();
    range.selectNodeContents(node);
    for (const line of range.getClientRects()) {
      const over = Math.max(box.left - line.left, line.right - box.right);
      if (line.width > 0 && over > 1)
        problems.push(`${JSON.stringify(node.data.trim().slice(0, 50))} sticks out of its <${block.localName}>`
                      + ` by ${Math.round(over)}px`);
    }
  }
  return problems;
})()
"""


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Browser]:
    """Chromium that finds no font on the machine but DejaVu."""
    with Browser(dejavu_only_fonts(tmp_path_factory.mktemp("fonts"))) as chromium:
        chromium.send("DOM.enable")
        chromium.send("CSS.enable")
        yield chromium


def _bundled() -> tuple[set[str], set[str]]:
    """The bundled families' names and their faces' PostScript names."""
    manifest = tomllib.loads((REPO / "fonts" / "manifest.toml").read_text(encoding="utf-8"))
    families = {family["name"] for family in manifest["family"]}
    postscript = set()
    for family in manifest["family"]:
        for face in family["face"]:
            with TTFont(REPO / "fonts" / face["file"], lazy=True) as font:
                postscript.add(font["name"].getDebugName(6))
    return families, postscript


def platform_fonts(browser: Browser) -> dict[tuple[str, bool], int]:
    """Every font Chromium drew the page's text with: (family, whether the page supplied it) → glyphs."""
    root = browser.send("DOM.getDocument", depth=-1)["root"]
    used: dict[tuple[str, bool], int] = {}
    for node in browser.send("DOM.querySelectorAll", nodeId=root["nodeId"], selector="body, body *")["nodeIds"]:
        for font in browser.send("CSS.getPlatformFontsForNode", nodeId=node)["fonts"]:
            key = (font["familyName"], font["isCustomFont"])
            used[key] = used.get(key, 0) + font["glyphCount"]
    return used


def axe_violations(browser: Browser) -> list[dict[str, object]]:
    assert AXE.is_file(), "axe-core is not installed: run 'npm ci' in the repository (.ci/run does)"
    browser.evaluate(AXE.read_text(encoding="utf-8") + "\n;true")
    return browser.evaluate(  # type: ignore[no-any-return]
        "axe.run(document, {resultTypes: ['violations']}).then(r => r.violations.map(v => ({"
        "id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 3).map(n => n.html.slice(0, 160))})))")


def _shown(text: str) -> str:
    return squash(unicodedata.normalize("NFC", text))


@pytest.mark.parametrize("example,language", EDITIONS)
def test_every_name_shows_and_no_text_leaves_its_box(built: Path, browser: Browser, example: Example,
                                                     language: str) -> None:
    page = edition_path(built, language, "html", example.id)
    for width, height in (DESKTOP, PHONE):
        browser.resize(width, height)
        browser.load(page.as_uri())
        shown = _shown(browser.evaluate("document.body.innerText"))
        for entry in expected_entries(language, example.path):
            for part in (entry.abbreviation, entry.name, entry.translation):
                assert part is None or _shown(part) in shown, f"{part} is not on the {language} page at {width}px"
        assert browser.evaluate(OVERFLOW) == [], f"text overflows on the {language} page at {width}px"


@pytest.mark.parametrize("example,language", EDITIONS)
def test_the_page_carries_the_bundled_faces_and_prints_without_a_box(built: Path, browser: Browser,
                                                                     example: Example, language: str,
                                                                     tmp_path: Path) -> None:
    families, postscript = _bundled()
    browser.resize(*DESKTOP)
    browser.load(edition_path(built, language, "html", example.id).as_uri())
    used = platform_fonts(browser)
    assert used and {family for family, custom in used if custom} <= families, used
    assert not [family for family, custom in used if not custom], f"fonts of the machine were used: {used}"

    printed = tmp_path / "printed.pdf"
    printed.write_bytes(browser.pdf())
    rows = subprocess.run(["pdffonts", printed], capture_output=True, text=True, check=True).stdout.splitlines()[2:]
    named = {re.sub(r"^[A-Z]{6}\+", "", row.split()[0]) for row in rows if not row.startswith("[none]")}
    assert named and named <= postscript, f"not bundled faces: {named - postscript}"
    assert_print_ready(printed)


@pytest.mark.parametrize("example,language", EDITIONS)
def test_axe_finds_no_serious_or_critical_problem(built: Path, browser: Browser, example: Example,
                                                  language: str) -> None:
    for width, height in (DESKTOP, PHONE):
        browser.resize(width, height)
        browser.load(edition_path(built, language, "html", example.id).as_uri())
        violations = axe_violations(browser)
        serious = [v for v in violations if v["impact"] in ("serious", "critical")]
        assert not serious, json.dumps(violations, ensure_ascii=False, indent=1)


def test_the_index_links_every_edition_and_passes_axe(built: Path, browser: Browser) -> None:
    manifest = json.loads((built / "manifest.json").read_text(encoding="utf-8"))["artefacts"]
    browser.resize(*DESKTOP)
    browser.load((built / "index.html").as_uri())
    links = browser.evaluate("[...document.querySelectorAll('main a')].map(a => a.href)")
    assert sorted(links) == sorted((built / a["path"]).as_uri() for a in manifest)
    assert all(Path(link.removeprefix("file://")).is_file() for link in links)
    violations = axe_violations(browser)
    assert not [v for v in violations if v["impact"] in ("serious", "critical")], violations
    for width, height in (DESKTOP, PHONE):
        browser.resize(width, height)
        browser.load((built / "index.html").as_uri())
        assert browser.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


# -- the checks above can fail -------------------------------------------------------------------------


def test_the_checks_see_overflow_and_fonts_of_the_machine(browser: Browser, tmp_path: Path) -> None:
    """A page without its fonts (--html-fonts none) is drawn in DejaVu here, and a title that cannot
    wrap sticks out on a phone: the checks above report both."""
    out = tmp_path / "out"
    run_typeset("build", EXAMPLE, "-l", "de", "-f", "html", "--html-fonts", "none", "--out", out, check=True)
    page = edition_path(out, "de", "html")
    html = page.read_text(encoding="utf-8").replace("</style>", ".title { white-space: nowrap; }</style>")
    page.write_text(html.replace(">ICOR-Resolution</h1>", ">Resolution der Internationalen Koordinierung</h1>"),
                    encoding="utf-8")
    browser.resize(*PHONE)
    browser.load(page.as_uri())
    assert any("sticks out of its <h1>" in problem for problem in browser.evaluate(OVERFLOW))
    assert any(not custom and family.startswith("DejaVu") for family, custom in platform_fonts(browser))
