"""Faults: a worker killed mid-batch, a read-only output folder, a full disk. Nothing truncated is
left behind, the previous good file survives, and the next build redoes only what is missing."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.conftest import EXAMPLES, REPO, run_typeset

ICOR = "icor-2017"
DOCUMENT_ID = "icor-2017-maruti-suzuki"


def snapshot(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*.*"))
            if p.is_file() and not p.name.startswith(".")}


def touch_every_language(folder: Path) -> None:
    """Change every language file, so that every edition must be rendered again."""
    for text in folder.glob("*.md"):
        with text.open("a", encoding="utf-8") as handle:
            handle.write("\n")


def _workers(pid: int) -> list[int]:
    """The worker processes of a build (not the helpers multiprocessing starts beside them)."""
    try:
        children = [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []
    found = []
    for child in children:
        try:
            if b"spawn_main" in Path(f"/proc/{child}/cmdline").read_bytes():
                found.append(child)
        except OSError:
            continue
    return found


def _rendering(pid: int) -> bool:
    """Whether a worker is busy (running on a CPU), not waiting for its next job."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(") ", 1)[1][0] == "R"
    except (OSError, IndexError):
        return False


def test_a_killed_worker_loses_its_edition_only(tmp_path: Path) -> None:
    source = tmp_path / ICOR
    shutil.copytree(EXAMPLES / ICOR, source)
    out = tmp_path / "out"
    run_typeset("build", source, "-f", "pdf", "--out", out, check=True)
    good = snapshot(out)
    touch_every_language(source)

    build = subprocess.Popen([sys.executable, "-m", "typeset", "build", source, "-f", "pdf", "-j", "2", "--out", out],
                             cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    victim = None
    started = time.time()
    deadline = time.monotonic() + 120
    while victim is None and time.monotonic() < deadline and build.poll() is None:
        # once an edition of this build is written the workers are warm: a running one is rendering
        warm = any(p.stat().st_mtime > started for p in out.rglob("*.pdf"))
        busy = [worker for worker in _workers(build.pid) if _rendering(worker)] if warm else []
        if busy:
            victim = busy[0]
            os.kill(victim, signal.SIGKILL)
        time.sleep(0.02)
    stdout, stderr = build.communicate(timeout=300)
    assert victim is not None, "no worker was caught rendering"
    assert build.returncode == 1, stderr
    assert "Traceback" not in stderr
    failed = [line for line in stderr.splitlines() if line.startswith("failed ")]
    assert len(failed) == 1 and f"the worker (pid {victim}) ended with exit code -9" in failed[0], stderr
    assert stdout.count("wrote ") == 3  # two editions and the manifest
    assert not list(out.rglob("*.part")), "a truncated file was left behind"
    after = snapshot(out)
    killed = failed[0].split("[")[1].split(",")[0]
    lost = f"{DOCUMENT_ID}/{DOCUMENT_ID}.{killed}.pdf"
    assert after[lost] == good[lost], "the previous good edition must survive untouched"

    again = run_typeset("build", source, "-f", "pdf", "--out", out, check=True)
    assert [line.split()[1] for line in again.stdout.splitlines() if line.startswith("wrote ") and "manifest" not in
            line] == [str(out / lost)]


@pytest.fixture
def mounted(tmp_path: Path) -> Iterator[Path]:
    """A small tmpfs of our own (needs root, as CI has); unmounted afterwards."""
    point = tmp_path / "mnt"
    point.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=400k", "tmpfs", str(point)],
                      capture_output=True).returncode != 0:
        pytest.skip("mounting a tmpfs needs root")
    try:
        yield point
    finally:
        subprocess.run(["umount", "-l", str(point)], check=False)


def test_a_read_only_output_folder_is_a_clear_error_and_loses_nothing(tmp_path: Path, mounted: Path) -> None:
    source = tmp_path / "icor"
    shutil.copytree(EXAMPLES / ICOR, source)
    run_typeset("build", source, "-f", "html", "--out", mounted, check=True)
    good = snapshot(mounted)
    touch_every_language(source)
    subprocess.run(["mount", "-o", "remount,ro", str(mounted)], check=True)
    result = run_typeset("build", source, "-f", "html", "--out", mounted)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "cannot write: Read-only file system" in result.stderr
    assert snapshot(mounted) == good


def test_a_full_disk_is_a_clear_error_and_loses_nothing(tmp_path: Path, mounted: Path) -> None:
    source = tmp_path / "icor"
    shutil.copytree(EXAMPLES / ICOR, source)
    run_typeset("build", source, "-f", "html", "--out", mounted, check=True)
    good = snapshot(mounted)
    filler = mounted / "filler"
    subprocess.run(["dd", "if=/dev/zero", f"of={filler}", "bs=4k", "count=1000"], capture_output=True)
    touch_every_language(source)
    result = run_typeset("build", source, "-f", "html", "--out", mounted)
    filler.unlink()
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "cannot write: No space left on device" in result.stderr
    assert snapshot(mounted) == good
    assert not list(mounted.rglob("*.part"))


# -- stopping a build: SIGTERM (to the build or its whole process group) and SIGKILL -------------------


def _alive(pid: int) -> bool:
    """Whether a process still runs (a zombie waiting for its parent to read its status does not)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(") ", 1)[1][0] != "Z"
    except (OSError, IndexError):
        return False


def _true_manifest(out: Path) -> list[dict[str, object]]:
    """The manifest's entries, each checked against the file it names (size and SHA-256)."""
    import hashlib
    import json

    artefacts = json.loads((out / "manifest.json").read_text(encoding="utf-8"))["artefacts"]
    for artefact in artefacts:
        data = (out / str(artefact["path"])).read_bytes()
        assert (len(data), hashlib.sha256(data).hexdigest()) == (artefact["bytes"], artefact["sha256"]), artefact
    return artefacts


def _stopped_while_rendering(source: Path, out: Path, stop: Callable[[subprocess.Popen[str]], None]
                             ) -> tuple[subprocess.Popen[str], str, list[int]]:
    """Start a PDF and HTML build with two workers, ``stop`` it once a worker renders; its stderr and
    the workers it had."""
    build = subprocess.Popen([sys.executable, "-m", "typeset", "build", source, "-f", "pdf", "-f", "html", "-j", "2",
                              "--force", "--out", out], cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             text=True, start_new_session=True)
    started, workers = time.time(), []
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline and build.poll() is None:
        workers = _workers(build.pid) or workers
        warm = any(p.stat().st_mtime > started for p in out.rglob("*.pdf"))
        if warm and any(_rendering(worker) for worker in workers):
            stop(build)
            break
        time.sleep(0.02)
    else:
        build.kill()
        pytest.fail("no worker was caught rendering")
    _, stderr = build.communicate(timeout=120)
    return build, stderr, workers


@pytest.mark.parametrize("group", [False, True], ids=["the build", "its process group"])
def test_sigterm_stops_every_worker_quietly_and_leaves_a_true_manifest(tmp_path: Path, group: bool) -> None:
    source = tmp_path / ICOR
    shutil.copytree(EXAMPLES / ICOR, source)
    out = tmp_path / "out"
    run_typeset("build", source, "-f", "pdf", "-f", "html", "--out", out, check=True)

    def terminate(build: subprocess.Popen[str]) -> None:
        os.killpg(build.pid, signal.SIGTERM) if group else os.kill(build.pid, signal.SIGTERM)

    build, stderr, workers = _stopped_while_rendering(source, out, terminate)
    assert build.returncode == 143, stderr
    assert "Traceback" not in stderr and stderr.strip().endswith("terminated"), stderr
    time.sleep(1)
    assert workers and not any(_alive(worker) for worker in workers), "a worker renders on after SIGTERM"
    listed = _true_manifest(out)
    assert {a["format"] for a in listed} <= {"pdf", "html"} and listed
    assert not list(out.rglob("*.part"))
    assert (out / "index.html").is_file()


def test_sigkill_leaves_a_true_manifest_and_no_worker(tmp_path: Path) -> None:
    source = tmp_path / ICOR
    shutil.copytree(EXAMPLES / ICOR, source)
    out = tmp_path / "out"
    run_typeset("build", source, "-f", "pdf", "-f", "html", "--out", out, check=True)
    build, stderr, workers = _stopped_while_rendering(source, out, lambda b: os.kill(b.pid, signal.SIGKILL))
    assert build.returncode == -9
    deadline = time.monotonic() + 10
    while any(_alive(worker) for worker in workers) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert workers and not any(_alive(worker) for worker in workers), "orphaned workers render on"
    assert "Traceback" not in stderr
    _true_manifest(out)  # the entries of the files being written were taken out before writing them
    again = run_typeset("build", source, "-f", "pdf", "-f", "html", "--out", out, check=True)
    assert len(_true_manifest(out)) == 6 and "Traceback" not in again.stderr
