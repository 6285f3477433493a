"""Batch builds: parallel, incremental, reproducible, isolated failures, and a Dask cluster."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.conftest import EXAMPLE, EXAMPLES, run_typeset
from tests.support import DOCUMENT, make
from typeset.world import LAYOUTS_DIR, World

ICOR = "icor-2017-maruti-suzuki"


def files(out: Path) -> dict[str, bytes]:
    """Every artefact of a build (not the cache), by path."""
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*"))
            if p.is_file() and not p.name.startswith(".")}


def said(result, word: str) -> list[str]:  # type: ignore[no-untyped-def]
    return [line.split()[1] for line in result.stdout.splitlines() if line.startswith(word + " ")]


def test_two_builds_are_byte_identical_in_every_format(tmp_path: Path) -> None:
    run_typeset("build", EXAMPLES, "--out", tmp_path / "a", "-j", "2", check=True)
    run_typeset("build", EXAMPLES, "--out", tmp_path / "b", "-j", "1", check=True)
    a, b = files(tmp_path / "a"), files(tmp_path / "b")
    assert a.keys() == b.keys() and len(a) == 38  # 36 editions, the manifest and the index
    assert [path for path in a if a[path] != b[path]] == []


def test_source_date_epoch_sets_the_dates_and_keeps_builds_identical(tmp_path: Path) -> None:
    for name in ("a", "b"):
        run_typeset("build", EXAMPLE, "-l", "de", "--out", tmp_path / name, env={"SOURCE_DATE_EPOCH": "1700000000"},
                    check=True)
    assert files(tmp_path / "a") == files(tmp_path / "b")
    default = tmp_path / "c"
    run_typeset("build", EXAMPLE, "-l", "de", "-f", "html", "--out", default, check=True)
    html = (tmp_path / "a" / ICOR / f"{ICOR}.de.html").read_text(encoding="utf-8")
    assert 'content="2023-11-14T22:13:20+00:00"' in html
    assert 'content="2017-03-31T00:00:00+00:00"' in (default / ICOR / f"{ICOR}.de.html").read_text(encoding="utf-8")


def test_an_unchanged_edition_is_not_rendered_again(tmp_path: Path) -> None:
    source = tmp_path / "icor"
    shutil.copytree(EXAMPLE, source)
    out = tmp_path / "out"
    first = run_typeset("build", source, "--out", out, check=True)
    assert len(said(first, "wrote")) == 10  # 9 editions and the manifest
    before = files(out)
    cache_file = out / ".typeset-cache.json"
    stamps = {path: path.stat().st_mtime_ns for path in (cache_file, out / "manifest.json", out / "index.html")}

    again = run_typeset("build", source, "--out", out, check=True)
    assert said(again, "wrote") == [] and len(said(again, "unchanged")) == 9
    assert again.stdout.splitlines()[-1] == f"up to date: {out / 'manifest.json'}: 9 unchanged"
    assert files(out) == before
    # nothing new: the build's own files are left as they were, not written again
    assert {path: path.stat().st_mtime_ns for path in stamps} == stamps

    german = source / "de.md"
    german.write_text(german.read_text(encoding="utf-8").replace("Stärkt die ICOR!", "Stärkt die ICOR!!"),
                      encoding="utf-8")
    changed = run_typeset("build", source, "--out", out, check=True)
    assert sorted(Path(p).name for p in said(changed, "wrote") if "manifest" not in p) == [
        f"{ICOR}.de.docx", f"{ICOR}.de.html", f"{ICOR}.de.pdf"]

    (out / ICOR / f"{ICOR}.ru.pdf").unlink()
    (out / ICOR / f"{ICOR}.en-GB.html").write_text("damaged", encoding="utf-8")
    repaired = run_typeset("build", source, "--out", out, check=True)
    assert sorted(Path(p).name for p in said(repaired, "wrote") if "manifest" not in p) == [
        f"{ICOR}.en-GB.html", f"{ICOR}.ru.pdf"]

    forced = run_typeset("build", source, "--out", out, "--force", check=True)
    assert len(said(forced, "wrote")) == 10
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert len(manifest["artefacts"]) == 9


def test_the_shared_metadata_and_the_layout_are_dependencies_too(tmp_path: Path) -> None:
    source = tmp_path / "icor"
    shutil.copytree(EXAMPLE, source)
    layout = tmp_path / "layout"
    shutil.copytree(LAYOUTS_DIR / "resolution", layout)
    out = tmp_path / "out"
    run_typeset("build", source, "--layout", layout, "-f", "html", "--out", out, check=True)
    css = layout / "edition.css"
    css.write_text(css.read_text(encoding="utf-8") + "\n/* darker */\n", encoding="utf-8")
    assert len(said(run_typeset("build", source, "--layout", layout, "-f", "html", "--out", out), "wrote")) == 4
    csv = source / "signed-later.csv"
    csv.write_text(csv.read_text(encoding="utf-8").replace("Russian Maoist Party", "Russian Maoist Party (RMP)"),
                   encoding="utf-8")
    assert len(said(run_typeset("build", source, "--layout", layout, "-f", "html", "--out", out), "wrote")) == 4


def test_a_broken_document_does_not_stop_the_others(tmp_path: Path) -> None:
    folder = tmp_path / "sources"
    shutil.copytree(EXAMPLE, folder / "icor")
    make(folder / "broken", DOCUMENT.replace("country: FR", "country: ZZ"))
    result = run_typeset("build", folder, "-f", "html", "--out", tmp_path / "out")
    assert result.returncode == 2
    assert "broken/document.yaml:15:18: error: unknown country code 'ZZ'" in result.stderr
    assert len(said(result, "wrote")) == 4  # the three editions of the good document and the manifest


def test_the_dask_executor_builds_the_same_files(tmp_path: Path) -> None:
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                                  dashboard_address=None) as cluster:
        result = run_typeset("build", EXAMPLE, "--out", tmp_path / "dask", "--executor", "dask",
                             "--scheduler", cluster.scheduler_address)
    assert result.returncode == 0, result.stderr
    run_typeset("build", EXAMPLE, "--out", tmp_path / "local", check=True)
    assert files(tmp_path / "dask") == files(tmp_path / "local")


def test_dask_without_a_scheduler_is_a_usage_error(tmp_path: Path) -> None:
    result = run_typeset("build", EXAMPLE, "--out", tmp_path, "--executor", "dask")
    assert result.returncode == 2 and "--scheduler tcp://HOST:PORT" in result.stderr


def test_a_no_op_rebuild_does_not_read_a_clean_document_again(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from typeset import batch
    from typeset import source as source_package
    from typeset.source.loader import find_documents

    folder = tmp_path / "sources"
    shutil.copytree(EXAMPLE, folder / "icor")
    make(folder / "warned", DOCUMENT.replace("name: Alpha", 'name: "Alpha\\u202eahplA"'))
    out = tmp_path / "out"
    first = batch.build(find_documents(folder), out, formats=["html"], executor="inline", world=World([]))
    assert len(first.artefacts) == 5 and len(first.diagnostics.items) == 1  # the bidi control: a warning

    read: list[str] = []
    load = source_package.load_document
    monkeypatch.setattr(source_package, "load_document",
                        lambda source, world: read.append(Path(source).name) or load(source, world))
    again = batch.build(find_documents(folder), out, formats=["html"], executor="inline", world=World([]))
    assert read == ["warned"], "only the document with a warning is read again, so that it is shown again"
    assert len(again.unchanged) == 5 and not again.artefacts and len(again.diagnostics.items) == 1
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert len(manifest["artefacts"]) == 5

    read.clear()
    (folder / "icor" / "de.md").write_text((folder / "icor" / "de.md").read_text(encoding="utf-8") + "\nNeu.\n",
                                           encoding="utf-8")
    edited = batch.build(find_documents(folder), out, formats=["html"], executor="inline", world=World([]))
    assert sorted(read) == ["icor", "warned"]
    assert [a.path for a in edited.artefacts] == [f"{ICOR}/{ICOR}.de.html"]

    read.clear()
    (out / ICOR / f"{ICOR}.ru.html").unlink()
    repaired = batch.build(find_documents(folder), out, formats=["html"], executor="inline", world=World([]))
    assert "icor" in read and [a.path for a in repaired.artefacts] == [f"{ICOR}/{ICOR}.ru.html"]
    read.clear()
    batch.build(find_documents(folder), out, formats=["html"], executor="inline", languages=["de"], world=World([]))
    assert "icor" in read, "another request (one language) is planned afresh"


def test_an_edition_is_known_intact_by_its_stamp_and_checked_again_once_touched(tmp_path: Path,
                                                                                  monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """A rebuild with nothing to do does not read the editions it wrote (their size and time of
    change are as recorded); an edition whose file was written to since is read and checked by its
    SHA-256 — rendered again if it changed, and known by its new stamp if only touched."""
    import os

    from typeset import batch
    from typeset.source.loader import find_documents

    out = tmp_path / "out"
    sources = find_documents(EXAMPLE)
    first = batch.build(sources, out, formats=["html"], executor="inline", world=World([]))
    assert len(first.artefacts) == 3
    german = out / ICOR / f"{ICOR}.de.html"

    read: list[str] = []
    original = World.read_output
    monkeypatch.setattr(World, "read_output", lambda self, path: read.append(Path(path).name) or original(self, path))
    again = batch.build(sources, out, formats=["html"], executor="inline", world=World([]))
    assert len(again.unchanged) == 3 and not again.artefacts
    assert not [name for name in read if name.endswith(".html")], read

    text = german.read_bytes()
    german.write_bytes(text.replace(b"ICOR", b"ICXR", 1))  # same size, another time of change
    read.clear()
    damaged = batch.build(sources, out, formats=["html"], executor="inline", world=World([]))
    assert german.name in read and [a.path for a in damaged.artefacts] == [f"{ICOR}/{ICOR}.de.html"]
    assert german.read_bytes() == text

    os.utime(german, ns=(german.stat().st_atime_ns, german.stat().st_mtime_ns + 10**9))  # touched only
    read.clear()
    touched = batch.build(sources, out, formats=["html"], executor="inline", world=World([]))
    assert german.name in read and not touched.artefacts  # read once, found intact
    read.clear()
    batch.build(sources, out, formats=["html"], executor="inline", world=World([]))
    assert german.name not in read  # and known by its new stamp since
