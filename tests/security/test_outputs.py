"""Output and cache integrity: an edit is always rendered again, whatever the file is called and
wherever OUT lies; one id, one document; nothing written or listed outside OUT; a corrupt cache or
manifest is a cold start, never a traceback; ``watch`` goes on through a round that fails."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import REPO, run_typeset
from tests.support import DOCUMENT, TEXT, make
from typeset import batch
from typeset.batch import BuildResult
from typeset.cache import CACHE_FILE
from typeset.world import World


def build(folder: Path, out: Path, **options: object) -> BuildResult:
    return batch.build([folder], out, formats=["html"], executor="inline", world=World([]), **options)  # type: ignore[arg-type]


def edit(path: Path, words: str) -> None:
    """The language file says ``words`` where it said what it said before."""
    path.write_text(TEXT.replace("Body text.", words), encoding="utf-8")


def _out_is_the_folder(tmp: Path) -> tuple[Path, Path, Path]:
    folder = make(tmp / "doc")
    return folder, folder, folder / "de.md"


def _out_inside(tmp: Path) -> tuple[Path, Path, Path]:
    folder = make(tmp / "doc")
    return folder, folder / "build", folder / "de.md"


def _out_above(tmp: Path) -> tuple[Path, Path, Path]:
    folder = make(tmp / "out" / "doc")
    return folder, tmp / "out", folder / "de.md"


def _out_above_named_as_the_id(tmp: Path) -> tuple[Path, Path, Path]:
    folder = make(tmp / "out" / "t")  # OUT/t/ is the document folder and the edition's folder
    return folder, tmp / "out", folder / "de.md"


def _hidden_language_file(tmp: Path) -> tuple[Path, Path, Path]:
    folder = make(tmp / "doc", DOCUMENT.replace("source_language: en", "source_language: en\ntexts: {de: .de.md}"),
                  {".de.md": TEXT, "de.md": None})
    return folder, tmp / "out", folder / ".de.md"


def _language_file_in_a_hidden_folder(tmp: Path) -> tuple[Path, Path, Path]:
    folder = make(tmp / "doc", DOCUMENT.replace("source_language: en", "source_language: en\ntexts: {de: .t/de.md}"),
                  {"de.md": None})
    (folder / ".t").mkdir()
    (folder / ".t" / "de.md").write_text(TEXT, encoding="utf-8")
    return folder, tmp / "out", folder / ".t" / "de.md"


def _hidden_layout(tmp: Path) -> tuple[Path, Path, Path]:
    from typeset.world import LAYOUTS_DIR

    folder = make(tmp / "doc", DOCUMENT.replace("source_language: en", "source_language: en\nlayout: .layout"))
    shutil.copytree(LAYOUTS_DIR / "resolution", folder / ".layout")
    return folder, tmp / "out", folder / ".layout" / "edition.css"


PLACES: dict[str, Callable[[Path], tuple[Path, Path, Path]]] = {
    "OUT is the document folder": _out_is_the_folder, "OUT inside the document folder": _out_inside,
    "OUT holds the document folder": _out_above, "OUT holds it under the document's id": _out_above_named_as_the_id,
    "a language file whose name starts with a dot": _hidden_language_file,
    "a language file in a hidden folder": _language_file_in_a_hidden_folder,
    "a layout in a hidden folder": _hidden_layout,
}


@pytest.mark.parametrize("place", PLACES.values(), ids=PLACES.keys())
def test_an_edit_is_rendered_again_and_only_then(tmp_path: Path, place: Callable[[Path], tuple[Path, Path, Path]]
                                                 ) -> None:
    folder, out, changed = place(tmp_path)
    first = build(folder, out)
    assert first.exit_code == 0 and len(first.artefacts) == 2, first.diagnostics.sorted()
    again = build(folder, out)
    assert not again.artefacts and len(again.unchanged) == 2, "nothing changed: nothing rendered"

    if changed.suffix == ".css":
        changed.write_text(changed.read_text(encoding="utf-8") + "\nbody { color: #123456; }\n", encoding="utf-8")
        edited = build(folder, out)
        assert sorted(a.language for a in edited.artefacts) == ["de", "en"]
        assert "#123456" in (out / "t" / "t.de.html").read_text(encoding="utf-8")
    else:
        edit(changed, "Ein neuer Satz.")
        edited = build(folder, out)
        assert [a.path for a in edited.artefacts] == ["t/t.de.html"], "the edit was not rendered"
        assert "Ein neuer Satz." in (out / "t" / "t.de.html").read_text(encoding="utf-8")
    assert not build(folder, out).artefacts


def test_two_documents_with_one_id_are_an_error_and_do_not_overwrite_each_other(tmp_path: Path) -> None:
    first = make(tmp_path / "sources" / "a")
    second = make(tmp_path / "sources" / "b", files={"en.md": TEXT.replace("Body text.", "The second.")})
    out = tmp_path / "out"
    result = batch.build([first, second], out, formats=["html"], executor="inline", world=World([]))
    assert result.exit_code == 2
    [error] = [d for d in result.diagnostics.items if d.is_error]
    assert (error.span.path, error.span.line, error.span.col) == (second / "document.yaml", 1, 5)
    assert f"the id 't' is also the id of {first / 'document.yaml'}" in error.message
    assert "The second." not in (out / "t" / "t.en.html").read_text(encoding="utf-8")
    # the first is now unchanged
    again = batch.build([first, second], out, formats=["html"], executor="inline", world=World([]))
    assert again.exit_code == 2 and len(again.unchanged) == 2 and not again.artefacts

    cli = run_typeset("build", tmp_path / "sources", "-f", "html", "--out", tmp_path / "cli")
    assert cli.returncode == 2 and "b/document.yaml:1:5: error: the id 't' is also the id of" in cli.stderr


def test_a_manifest_entry_outside_out_is_dropped_and_never_linked(tmp_path: Path, canary: Path) -> None:
    folder = make(tmp_path / "doc")
    out = tmp_path / "out"
    build(folder, out)
    (out / "link").symlink_to(canary.parent, target_is_directory=True)
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    good = manifest["artefacts"][0]
    hostile = [os.path.relpath(canary, out), str(canary), f"link/{canary.name}", "t/../../outside/canary.txt"]
    manifest["artefacts"] += [dict(good, path=path, document=f"evil{i}") for i, path in enumerate(hostile)]
    manifest["artefacts"] += [dict(good, bytes="many", document="evil-bytes"),
                              dict(good, sha256=1, document="evil-sha"), {"document": "evil-short"}, "not an entry"]
    (out / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    edit(folder / "de.md", "Neu.")
    result = build(folder, out)
    assert result.exit_code == 0
    written = (out / "manifest.json").read_text(encoding="utf-8") + (out / "index.html").read_text(encoding="utf-8")
    assert "evil" not in written and "canary" not in written
    assert len(json.loads((out / "manifest.json").read_text(encoding="utf-8"))["artefacts"]) == 2


def test_an_edition_folder_that_links_outside_out_is_not_written_through(tmp_path: Path) -> None:
    folder = make(tmp_path / "doc")
    out = tmp_path / "out"
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    out.mkdir()
    (out / "t").symlink_to(elsewhere, target_is_directory=True)
    result = build(folder, out)
    assert result.exit_code == 1 and not list(elsewhere.iterdir())
    assert all("outside the output folder" in failure.message for failure in result.failures)


CORRUPT_CACHES: dict[str, bytes | None] = {
    "empty": b"", "truncated": b'{"entries": {', "a list": b"[1, 2]", "entries as a list": b'{"entries": [1]}',
    "wrong field types": b'{"entries": {"t/t.en.html": {"key": 1, "sha256": [], "bytes": "x"}}}',
    "an entry outside OUT": b'{"entries": {"../../etc/passwd": {"key": "k", "sha256": "s", "bytes": 1}}}',
    "a source of the wrong shape": b'{"sources": {"/x": {"key": 1}}, "entries": {}}',
    "nested a million deep": b"[" * 1_000_000, "not UTF-8": b"\xff\xfe{}", "a folder": None,
}


@pytest.mark.parametrize("content", CORRUPT_CACHES.values(), ids=CORRUPT_CACHES.keys())
def test_a_corrupt_cache_is_a_cold_start(tmp_path: Path, content: bytes | None) -> None:
    folder = make(tmp_path / "doc")
    out = tmp_path / "out"
    build(folder, out)
    cache = out / CACHE_FILE
    cache.unlink()
    if content is None:
        cache.mkdir()
    else:
        cache.write_bytes(content)
    result = run_typeset("build", folder, "-f", "html", "--out", out)
    assert "Traceback" not in result.stderr
    if content is None:  # the cache cannot be written where a folder is: said so, once
        assert result.returncode == 1 and "cannot write" in result.stderr
    else:
        assert result.returncode == 0, result.stderr
        assert json.loads(cache.read_text(encoding="utf-8"))["entries"].keys() == {"t/t.en.html", "t/t.de.html"}


def test_watch_rebuilds_when_out_is_the_document_folder_and_outlives_failing_rounds(tmp_path: Path) -> None:
    from tests.support import Running

    folder = make(tmp_path / "doc")
    watch = Running("watch", folder, "-f", "html", "--out", folder)
    try:
        watch.wait_for_line(r"^build 1: 2 written")
        edit(folder / "de.md", "Zweite Fassung.")
        watch.wait_for_line(r"^build 2: 1 written, 1 unchanged")  # its own files in the folder are no change
        assert "Zweite Fassung." in (folder / "t" / "t.de.html").read_text(encoding="utf-8")

        (folder / "de.md").rename(folder / "de.saved")
        (folder / "de.md").symlink_to("de.md")  # a loop
        watch.wait_for_line(r"^build 3: 0 written, 0 unchanged")
        (folder / "manifest.json").unlink()
        (folder / "manifest.json").mkdir()  # the manifest cannot be written: the round fails
        (folder / "de.md").unlink()
        (folder / "de.saved").rename(folder / "de.md")
        edit(folder / "de.md", "Dritte Fassung.")
        watch.wait_for_line(r"^build 4: 0 written, 0 unchanged")
        (folder / "manifest.json").rmdir()
        edit(folder / "de.md", "Vierte Fassung.")
        watch.wait_for_line(r"^build 5: 1 written, 1 unchanged")
        assert "Vierte Fassung." in (folder / "t" / "t.de.html").read_text(encoding="utf-8")
    finally:
        code = watch.interrupt()
    assert code == 130 and "Traceback" not in watch.stderr, watch.stderr
    assert "error: the text file 'de.md' for 'de' is a loop of symbolic links" in watch.stderr
    assert "manifest.json: cannot write" in watch.stderr


def test_unreadable_files_are_errors_at_their_place(tmp_path: Path) -> None:
    """Permission denied, as an ordinary user meets it (root, as CI runs, is made to obey file modes)."""
    folder = make(tmp_path / "doc", DOCUMENT + "  - id: later\n    heading: {en: L, de: S}\n    csv: rows.csv\n",
                  {"rows.csv": "name,lang\nBeta,fr\n"})
    (folder / "de.md").chmod(0)
    (folder / "rows.csv").chmod(0)
    prefix: list[str] = []
    if os.geteuid() == 0:
        if not shutil.which("setpriv"):
            pytest.skip("setpriv (util-linux) is needed to make root obey file modes")
        prefix = ["setpriv", "--bounding-set", "-dac_override,-dac_read_search"]
    result = subprocess.run([*prefix, sys.executable, "-m", "typeset", "check", folder], cwd=REPO,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 2 and "Traceback" not in result.stderr, result.stderr
    assert "de.md:1:1: error: the file cannot be read: Permission denied" in result.stderr
    assert "rows.csv:1:1: error: the file cannot be read: Permission denied" in result.stderr
