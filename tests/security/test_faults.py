"""Faults: a worker killed mid-batch, a read-only output folder, a full disk. Nothing truncated is
left behind, the previous good file survives, and the next build redoes only what is missing."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
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
