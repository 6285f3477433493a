"""The live preview and the watcher, run as a user runs them: ``typeset preview`` serving on 127.0.0.1
with the page open in Chromium while the source is edited, and ``typeset watch`` rebuilding files."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.chromium import Browser, BrowserError, dejavu_only_fonts
from tests.conftest import DOCUMENT_ID, EXAMPLE, REPO, edition_path
from tests.support import Running, imports_of


@pytest.fixture
def source(tmp_path: Path) -> Path:
    folder = tmp_path / "icor"
    shutil.copytree(EXAMPLE, folder)
    return folder


@pytest.fixture
def preview(source: Path) -> Iterator[tuple[Running, str]]:
    running = Running("preview", source, "--port", "0")
    url = running.wait_for_line(r"at (http://127\.0\.0\.1:\d+/)")[1]
    yield running, url
    running.stop()


def shows(browser: Browser, expression: str, seconds: float) -> float | None:
    """How long until a JavaScript condition holds on the page (reloads included), or None."""
    started = time.monotonic()
    while time.monotonic() - started < seconds:
        try:
            if browser.evaluate(expression, timeout=seconds):
                return time.monotonic() - started
        except BrowserError:  # the page is being replaced
            pass
        time.sleep(0.02)
    return None


def get(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, b""


@pytest.mark.slow
def test_an_edit_shows_in_the_open_page_within_a_second_and_an_error_with_its_line(
        preview: tuple[Running, str], source: Path, tmp_path: Path) -> None:
    running, url = preview
    with Browser(dejavu_only_fonts(tmp_path)) as browser:
        browser.load(url)
        assert browser.evaluate("document.querySelector('h1').textContent") == "ICOR resolution"

        text = source / "en-GB.md"
        original = text.read_text(encoding="utf-8")
        text.write_text(original.replace("title: ICOR resolution", "title: ICOR resolution, second draft"),
                        encoding="utf-8")
        # as printed: the title's last two words joined by a no-break space (tests/test_typography.py)
        title = "document.querySelector('h1').textContent.replaceAll('\\u00a0', ' ')"
        took = shows(browser, f"{title} === 'ICOR resolution, second draft'", 1.0)
        assert took is not None, \
            f"the page did not show the new title within a second: {browser.evaluate('document.title')!r}"

        meta = source / "document.yaml"
        lines = meta.read_text(encoding="utf-8").splitlines(keepends=True)
        number = next(i for i, line in enumerate(lines) if line.startswith("date: ")) + 1
        lines[number - 1] = "date: 2017-13-31\n"
        meta.write_text("".join(lines), encoding="utf-8")
        where = f"document.yaml:{number}:7"
        panel = "(document.getElementById('typeset-problems') || {}).innerText || ''"
        assert shows(browser, f"{panel}.includes({where!r})", 5.0) is not None, browser.evaluate(panel)
        shown = browser.evaluate(panel)
        assert "error: 'date' must be a date such as 2017-03-31, not '2017-13-31'" in shown
        assert browser.evaluate(title) == "ICOR resolution, second draft"

        lines[number - 1] = "date: 2017-03-31\n"
        meta.write_text("".join(lines), encoding="utf-8")
        assert shows(browser, "!document.getElementById('typeset-problems')", 5.0) is not None
    assert running.interrupt() == 130
    assert "Traceback" not in running.stderr and "stopped" in running.stderr
    assert f"{where}: error:" in running.stderr  # the terminal says it too


def test_the_preview_serves_every_edition_and_the_bundled_fonts_and_nothing_else(preview: tuple[Running, str]) -> None:
    _, url = preview
    status, page = get(url)
    html = page.decode("utf-8")
    assert status == 200 and '<html lang="en-GB"' in html
    assert "new EventSource(" in html and html.count("<script>") == 1  # the preview's only script
    fonts = re.findall(r'url\("(/_typeset/fonts/[^"]+)"\)', html)
    assert "/_typeset/fonts/noto-serif/NotoSerif-Regular.ttf" in {f.split("?")[0] for f in fonts}
    status, data = get(url.rstrip("/") + fonts[0])
    bundled = REPO / "fonts" / fonts[0].split("?")[0].removeprefix("/_typeset/fonts/")
    assert status == 200 and data == bundled.read_bytes()
    status, german = get(f"{url}{DOCUMENT_ID}.de.html")
    assert status == 200 and '<html lang="de"' in german.decode("utf-8")
    for missing in (f"{DOCUMENT_ID}.fr.html", "_typeset/fonts/../manifest.toml", "_typeset/fonts/%2e%2e/manifest.toml",
                    "pyproject.toml"):
        assert get(url + missing)[0] == 404, missing


def test_a_language_the_document_lacks_is_a_usage_error(source: Path) -> None:
    result = subprocess.run([sys.executable, "-m", "typeset", "preview", str(source), "-l", "fr", "--port", "0"],
                            cwd=REPO, capture_output=True, text=True, timeout=120)
    assert result.returncode == 2
    assert "has no 'fr' edition" in result.stderr and "en-GB, de, ru" in result.stderr


def test_a_taken_port_is_a_usage_error(preview: tuple[Running, str], source: Path) -> None:
    _, url = preview
    port = url.rsplit(":", 1)[1].strip("/")
    result = subprocess.run([sys.executable, "-m", "typeset", "preview", str(source), "--port", port],
                            cwd=REPO, capture_output=True, text=True, timeout=120)
    assert result.returncode == 2
    assert f"cannot serve on 127.0.0.1:{port}" in result.stderr and "--port 0" in result.stderr


@pytest.mark.slow
def test_watch_rebuilds_each_format_on_every_change_and_stops_on_ctrl_c(source: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    running = Running("watch", source, "-l", "de", "-f", "html", "-f", "docx", "--out", out)
    try:
        running.wait_for_line(r"^build 1: 2 written, 0 unchanged, 0 failed")
        html = edition_path(out, "de", "html")
        assert "ICOR-Resolution" in html.read_text(encoding="utf-8")
        before = edition_path(out, "de", "docx").read_bytes()

        german = source / "de.md"
        german.write_text(german.read_text(encoding="utf-8").replace("title: ICOR-Resolution",
                                                                     "title: ICOR-Entschließung"), encoding="utf-8")
        running.wait_for_line(r"^build 2: 2 written, 0 unchanged, 0 failed")
        assert "ICOR-Entschließung" in html.read_text(encoding="utf-8")
        assert edition_path(out, "de", "docx").read_bytes() != before

        (source / "en-GB.md").write_text("no front matter\n", encoding="utf-8")  # not a selected edition,
        running.wait_for_line(r"^build 3: 0 written")  # but the document no longer loads
    finally:
        code = running.interrupt()
    assert code == 130 and "Traceback" not in running.stderr and "stopped" in running.stderr
    assert re.search(r"en-GB\.md:1:1: error: ", running.stderr), running.stderr


def test_preview_and_watch_do_not_load_weasyprint(source: Path, tmp_path: Path) -> None:
    for command in ("preview", "watch"):
        result, modules = imports_of(command, "--help")
        assert result.returncode == 0 and "Usage:" in result.stdout
        assert "weasyprint" not in modules
    for args in (("preview", source, "--port", "0"), ("watch", source, "-f", "html", "-l", "de", "--out", tmp_path)):
        running = Running(*args, python_flags=("-X", "importtime"))
        started = running.wait_for_line(r"^previewing .* at (\S+)|^build 1: ")
        if started[1]:
            assert get(started[1])[0] == 200  # a page rendered
        running.interrupt()
        modules = "\n".join(line.split("|")[-1].strip() for line in running.stderr.splitlines()
                            if line.startswith("import time:"))
        assert "typeset.render.webfonts" in modules and "weasyprint" not in modules, args[0]  # a page was made
