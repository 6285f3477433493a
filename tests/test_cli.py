"""The command line as a user meets it: help, version, new, check, build, the manifest, failures."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.conftest import DOCUMENT_ID, EXAMPLE, REPO, edition_path, run_typeset
from tests.support import imports_of
from typeset import __version__
from typeset.world import LAYOUTS_DIR


@pytest.mark.parametrize("args", [("--help",), ("build", "--help"), ("check", "--help"), ("new", "--help")])
def test_help_is_helpful_and_does_not_load_weasyprint(args: tuple[str, ...]) -> None:
    result, modules = imports_of(*args)
    assert result.returncode == 0
    assert "Usage:" in result.stdout
    assert "weasyprint" not in modules


def test_check_and_docx_html_builds_do_not_load_weasyprint(tmp_path: Path) -> None:
    result, modules = imports_of("check", EXAMPLE)
    assert result.returncode == 0
    assert "weasyprint" not in modules
    result, modules = imports_of("build", EXAMPLE, "-f", "html", "-f", "docx", "--out", tmp_path)
    assert result.returncode == 0, result.stderr
    assert "weasyprint" not in modules
    assert "docx" in modules  # the DOCX edition was really rendered in this process
    result, modules = imports_of("build", EXAMPLE, "-f", "pdf", "-l", "de", "--out", tmp_path)
    assert "weasyprint" in modules  # and the check above can fail


def test_version() -> None:
    result = run_typeset("--version", check=True)
    assert result.stdout.strip() == f"typeset {__version__}"


def test_build_writes_one_file_per_language_and_format_and_says_so(tmp_path: Path) -> None:
    result = run_typeset("build", EXAMPLE, "--lang", "de", "-f", "html", "-f", "docx", "--out", tmp_path, check=True)
    written = [line.split()[1] for line in result.stdout.splitlines()
               if line.startswith("wrote ") and "manifest.json" not in line]
    assert written == [str(edition_path(tmp_path, "de", "docx")), str(edition_path(tmp_path, "de", "html"))]
    manifest = json.loads((tmp_path / "manifest.json").read_text(encoding="utf-8"))
    assert [(a["language"], a["format"]) for a in manifest["artefacts"]] == [("de", "docx"), ("de", "html")]


def test_a_build_ends_with_everything_said_and_its_private_folder_removed(tmp_path: Path) -> None:
    """The command ends without tearing the interpreter down (typeset.cli.leave): what it printed
    still reaches a pipe, the exit code is the command's, and its atexit handlers still run — the
    private folder that held the PDF build's fontconfig file is gone."""
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    result = run_typeset("build", EXAMPLE, "-l", "de", "-f", "pdf", "-j", "1", "--out", tmp_path / "out",
                         env={"TMPDIR": str(scratch)}, check=True)
    assert result.stdout.splitlines()[-1].startswith("wrote ") and "manifest.json" in result.stdout.splitlines()[-1]
    assert edition_path(tmp_path / "out", "de", "pdf").is_file()
    assert list(scratch.iterdir()) == []
    failed = run_typeset("build", EXAMPLE, "-l", "fr", "--out", tmp_path / "out", env={"TMPDIR": str(scratch)})
    assert failed.returncode == 2 and "has no 'fr' edition" in failed.stderr


def test_a_parallel_build_leaves_no_private_folder_of_its_workers(tmp_path: Path) -> None:
    """Each warm worker ends at once as well (typeset.ending) and still runs its atexit handlers:
    the private folder holding its fontconfig file is gone with it."""
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    run_typeset("build", EXAMPLE, "-l", "de", "-l", "ru", "-f", "pdf", "-j", "2", "--out", tmp_path / "out",
                env={"TMPDIR": str(scratch)}, check=True)
    assert edition_path(tmp_path / "out", "ru", "pdf").is_file()
    assert list(scratch.iterdir()) == []


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_build_whose_reader_goes_away_finishes_every_edition(tmp_path: Path, jobs: str) -> None:
    """`typeset build … | head -1`: the pipe closes after the first line; the build goes on
    (what it says goes to the null device), writes every edition and the manifest, and ends
    with the build's own exit code, without a traceback."""
    import os
    import subprocess
    import sys

    out = tmp_path / "out"
    build = subprocess.Popen([sys.executable, "-m", "typeset", "build", EXAMPLE, "-f", "html", "-f", "pdf", "-j", jobs,
                              "--out", out], cwd=REPO, env=os.environ, stdout=subprocess.PIPE,
                             stderr=subprocess.STDOUT)
    assert build.stdout is not None
    first = build.stdout.readline()
    build.stdout.close()  # as `head -1` does
    assert build.wait(timeout=600) == 0
    assert first.startswith(b"wrote ")
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert len(manifest["artefacts"]) == 6
    for language in ("en-GB", "de", "ru"):
        for kind in ("html", "pdf"):
            assert edition_path(out, language, kind).is_file()


def test_lang_may_name_the_language_without_region(tmp_path: Path) -> None:
    run_typeset("build", EXAMPLE, "-l", "en", "-f", "html", "--out", tmp_path, check=True)
    assert edition_path(tmp_path, "en-GB", "html").is_file()


def test_unknown_language_is_a_usage_error(tmp_path: Path) -> None:
    result = run_typeset("build", EXAMPLE, "-l", "fr", "-f", "html", "--out", tmp_path)
    assert result.returncode == 2
    assert "has no 'fr' edition" in result.stderr and "Traceback" not in result.stderr


def test_manifest_keeps_earlier_artefacts_that_are_still_there(tmp_path: Path) -> None:
    run_typeset("build", EXAMPLE, "-l", "de", "-f", "html", "--out", tmp_path, check=True)
    run_typeset("build", EXAMPLE, "-l", "ru", "-f", "html", "--out", tmp_path, check=True)
    manifest = json.loads((tmp_path / "manifest.json").read_text(encoding="utf-8"))
    assert [a["language"] for a in manifest["artefacts"]] == ["de", "ru"]


def test_new_scaffolds_a_document_that_builds(tmp_path: Path) -> None:
    folder = tmp_path / "open-letter"
    result = run_typeset("new", folder, "-l", "en", "-l", "fr", check=True)
    assert "created" in result.stdout
    assert run_typeset("check", "--strict", folder).returncode == 0
    run_typeset("build", folder, "--out", tmp_path / "out", check=True)
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text(encoding="utf-8"))
    assert len(manifest["artefacts"]) == 6
    again = run_typeset("new", folder)
    assert again.returncode == 2 and "not empty" in again.stderr


def test_a_failed_build_keeps_the_previous_good_file(tmp_path: Path) -> None:
    out = tmp_path / "out"
    run_typeset("build", EXAMPLE, "-l", "de", "-f", "html", "--out", out, check=True)
    good = edition_path(out, "de", "html").read_bytes()
    broken = tmp_path / "broken-layout"
    shutil.copytree(LAYOUTS_DIR / "resolution", broken)
    (broken / "edition.html.j2").write_text("{{ edition.title }} {% for %}", encoding="utf-8")
    result = run_typeset("build", EXAMPLE, "-l", "de", "-f", "html", "--layout", broken, "--out", out)
    assert result.returncode == 1
    assert "failed icor-2017-maruti-suzuki [de, html]" in result.stderr
    assert "Traceback" not in result.stderr
    assert edition_path(out, "de", "html").read_bytes() == good
    assert sorted(p.name for p in (out / DOCUMENT_ID).iterdir()) == [f"{DOCUMENT_ID}.de.html"]


def test_pdf_fetches_nothing_outside_the_document_layout_and_fonts(tmp_path: Path) -> None:
    hostile = tmp_path / "layout"
    shutil.copytree(LAYOUTS_DIR / "resolution", hostile)
    secret = tmp_path / "secret.svg"
    secret.write_text('<svg xmlns="http://www.w3.org/2000/svg" width="9" height="9"/>', encoding="utf-8")
    with (hostile / "print.css").open("a", encoding="utf-8") as css:
        css.write(f'\nbody {{ background-image: url("{secret.as_uri()}"); }}\n'
                  '@font-face { font-family: X; src: url("http://127.0.0.1:9/x.ttf"); }\nh1 { font-family: X; }\n')
    result = run_typeset("build", EXAMPLE, "-l", "de", "-f", "pdf", "--layout", hostile, "--out", tmp_path / "out")
    assert result.returncode == 1
    assert "refuses to fetch" in result.stderr
    assert secret.as_uri() in result.stderr and "http://127.0.0.1:9/x.ttf" in result.stderr
    assert not edition_path(tmp_path / "out", "de", "pdf").exists()


def test_unknown_layout_names_the_bundled_ones(tmp_path: Path) -> None:
    result = run_typeset("build", EXAMPLE, "--layout", "nope", "--out", tmp_path)
    assert result.returncode == 2
    assert "no layout 'nope'" in result.stderr and "resolution" in result.stderr
