"""The World is the one gate: no module of typeset but ``world.py`` opens a file.

A fresh interpreter runs ``typeset check``, ``typeset build`` (every format, inline, then again with
nothing changed, then HTML with its fonts as files) and the preview's reading and serving of a page and
a font, under an audit hook that sees every ``open`` (``open()``, ``io.open``, ``os.open``, pathlib,
tempfile). Each open is charged to the first frame that is neither the standard library nor the
import system: a module of typeset other than ``world.py`` fails the test; a library opening its own
data (WeasyPrint's stylesheets, Babel's locales, python-docx's template) is its own business.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.conftest import EXAMPLE, REPO

RUNNER = r'''
import json, os, sys

PACKAGE = os.path.realpath(sys.argv[1])
GATE = os.path.join(PACKAGE, "world.py")
STDLIB = os.path.dirname(os.path.realpath(os.__file__)) + os.sep  # not a virtual environment's site-packages
IMPORTS = ("<frozen importlib._bootstrap>", "<frozen importlib._bootstrap_external>", "<frozen zipimport>")
report = {"outside": [], "gate": 0}
active = [True]


def opener(frame):
    """The file and line that asked for the open: the first frame outside the standard library;
    None for the import system (reading a module's code)."""
    while frame is not None:
        name = frame.f_code.co_filename
        if name in IMPORTS:
            return None
        if not name.startswith("<") and not os.path.realpath(name).startswith(STDLIB):
            return os.path.realpath(name), frame.f_lineno
        frame = frame.f_back
    return None


def hook(event, args):
    if event != "open" or not active[0]:
        return
    where = opener(sys._getframe(1))
    if where is None or not where[0].startswith(PACKAGE + os.sep):
        return
    if where[0] == GATE:
        report["gate"] += 1
    else:
        target = args[0]
        shown = os.fsdecode(target) if isinstance(target, (str, bytes, os.PathLike)) else repr(target)
        report["outside"].append([os.path.relpath(where[0], PACKAGE), where[1], shown])


sys.addaudithook(hook)
from typeset.cli import app

for argv in json.loads(sys.argv[2]):
    try:
        app(argv, prog_name="typeset")
    except SystemExit as stop:
        if stop.code not in (0, None):
            report.setdefault("failed", []).append([argv, stop.code])

from typeset.preview import Preview
from typeset.world import World

preview = Preview(sys.argv[3], World([]), port=0)
try:
    preview.rebuild()
    page = preview.page(None) or b""
    fonts = preview._state.prepared.context.fonts
    face = fonts.families[0].regular
    font = preview.font(face.path.relative_to(fonts.root).as_posix())
    report["preview"] = [len(page), len(font[0]) if font else 0]
finally:
    preview.server.server_close()
active[0] = False
with open(sys.argv[4], "w", encoding="utf-8") as handle:
    json.dump(report, handle)
'''


def _run_gated(commands: list[list[str]], tmp_path: Path) -> dict[str, object]:
    report = tmp_path / "report.json"
    result = subprocess.run([sys.executable, "-c", RUNNER, str(REPO / "typeset"), json.dumps(commands), str(EXAMPLE),
                             str(report)], cwd=REPO, capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, result.stderr[-4000:]
    data: dict[str, object] = json.loads(report.read_text(encoding="utf-8"))
    return data


def test_only_the_world_opens_files_in_a_check_a_build_a_rebuild_and_the_preview(tmp_path: Path) -> None:
    out = str(tmp_path / "out")
    commands = [
        ["check", str(EXAMPLE)],
        ["build", str(EXAMPLE), "--out", out, "-l", "ru", "--executor", "inline"],
        ["build", str(EXAMPLE), "--out", out, "-l", "ru", "--executor", "inline"],  # nothing changed: the cache
        ["build", str(EXAMPLE), "--out", out, "-l", "de", "-f", "html", "--html-fonts", "files",
         "--executor", "inline"],
    ]
    report = _run_gated(commands, tmp_path)
    assert report.get("failed") is None, report
    assert report["outside"] == [], "opened outside the world:\n" + "\n".join(
        f"  typeset/{file}:{line} opened {path}" for file, line, path in report["outside"])  # type: ignore[union-attr]
    assert isinstance(report["gate"], int) and report["gate"] > 50  # the sources, layouts, fonts and outputs
    page, font = report["preview"]  # type: ignore[misc]
    assert page > 10_000 and font > 10_000
    for suffix in ("pdf", "docx", "html"):
        assert (tmp_path / "out" / "icor-2017-maruti-suzuki" / f"icor-2017-maruti-suzuki.ru.{suffix}").stat().st_size
    assert (tmp_path / "out" / "manifest.json").is_file()


def test_the_gate_test_sees_a_module_that_opens_a_file_itself(tmp_path: Path) -> None:
    """The hook charges an open to the module that asks for it: code that claims to be batch.py and
    reads a file with pathlib is caught (so an empty list above means something)."""
    runner = RUNNER.replace("from typeset.cli import app", "from typeset.cli import app\n"
                            "exec(compile('import pathlib; pathlib.Path(sys.argv[3], \"document.yaml\").read_bytes()', "
                            "os.path.join(PACKAGE, 'batch.py'), 'exec'))")
    report = tmp_path / "report.json"
    result = subprocess.run([sys.executable, "-c", runner, str(REPO / "typeset"), "[]", str(EXAMPLE), str(report)],
                            cwd=REPO, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-4000:]
    outside = json.loads(report.read_text(encoding="utf-8"))["outside"]
    assert [(file, Path(path).name) for file, _, path in outside] == [("batch.py", "document.yaml")]
