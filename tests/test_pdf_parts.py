"""A long edition written in two parts (typeset/render/pdf_parts.py) is the edition one layout
makes, page for page: the same pages (rastered), the same text on each, the same structure tree,
outline and catalogue; and the same bytes whether two processes lay it out, one does, or the
second process fails and the first finishes alone.

The document: benchmarks/generate.py's 700 signatories in 17 scripts (26 to 31 pages), written in parts
from 400 signatories on (``TYPESET_SPLIT_ENTRIES``; 1,500 by default).
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pikepdf
import pytest

from tests.conftest import REPO
from tests.support import render_pdf as render_pdf_of


@pytest.fixture(scope="module")
def long_document(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("parts") / "long"
    subprocess.run([sys.executable, str(REPO / "benchmarks" / "generate.py"), str(folder), "-n", "700", "-l", "en",
                    "-l", "ar"], check=True, capture_output=True)
    return folder


def render_pdf(folder: Path, language: str = "en") -> bytes:
    return render_pdf_of(folder, language, when=dt.datetime(2024, 7, 24, tzinfo=dt.UTC))


# Renders in a process of its own, as the command line does: a test run's process has threads
# (other tests leave theirs), and a process with threads never forks (pdf_parts.splittable).
# argv: FOLDER LANGUAGE OUT MODE; MODE "two" (the usual), "one" (this process may not fork) or
# "failing" (the second process ends at once). Prints how many parts were joined and the
# second processes started, each checked to be reaped.
IN_PARTS = r"""
import datetime as dt, json, os, sys
from pathlib import Path
import typeset.render.pdf_parts as parts
from tests.support import render_pdf

folder, language, out, mode = Path(sys.argv[1]), sys.argv[2], Path(sys.argv[3]), sys.argv[4]
started, joined = [], []
start, join = parts._Child.start.__func__, parts.join
def recorded(cls, *args):
    child = start(cls, *args)
    started.append(child.pid)
    return child
parts._Child.start = classmethod(recorded)
parts.join = lambda *args: joined.append(1) or join(*args)
if mode == "one":
    parts.splittable = lambda: False
elif mode == "failing":
    parts._second_part = lambda *args: 1
out.write_bytes(render_pdf(folder, language, when=dt.datetime(2024, 7, 24, tzinfo=dt.UTC)))
reaped = []
for pid in started:
    try:
        os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        reaped.append(pid)
print(json.dumps({"joined": len(joined), "started": len(started), "reaped": len(reaped)}))
"""


def in_parts(folder: Path, language: str = "en", mode: str = "two") -> tuple[bytes, dict[str, int]]:
    """The edition written in parts by a process of its own, and what that process counted."""
    out = folder.parent / f"{folder.name}.{language}.{mode}.pdf"
    result = subprocess.run([sys.executable, "-c", IN_PARTS, str(folder), language, str(out), mode], cwd=REPO,
                            env={**os.environ, "TYPESET_SPLIT_ENTRIES": "400"}, capture_output=True, text=True,
                            timeout=600)
    assert result.returncode == 0, result.stderr
    counted = json.loads(result.stdout.strip().splitlines()[-1])
    assert counted["joined"] == 1, "the edition was not written in parts"
    return out.read_bytes(), counted


def one_layout(folder: Path, monkeypatch: pytest.MonkeyPatch, language: str = "en") -> bytes:
    with monkeypatch.context() as patch:
        patch.setenv("TYPESET_SPLIT_ENTRIES", "0")
        return render_pdf(folder, language)


def rasters(pdf: bytes, folder: Path, name: str) -> list[bytes]:
    path = folder / f"{name}.pdf"
    path.write_bytes(pdf)
    subprocess.run(["pdftoppm", "-r", "24", "-png", str(path), str(folder / name)], check=True)
    return [page.read_bytes() for page in sorted(folder.glob(f"{name}-*.png"))]


def page_texts(pdf: bytes) -> list[str]:
    """Each page's text as poppler reads it, without the white space (where poppler puts a space
    between two glyphs depends on the widths a part's subset lists)."""
    result = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True)
    return ["".join(page.split()) for page in result.stdout.decode("utf-8").split("\f")]


def structure(pdf: pikepdf.Pdf) -> list[tuple[str, str | None, int | None]]:
    """The structure elements in order: type, language, and the page of the first content."""
    pages = {page.objgen: number for number, page in enumerate(pdf.pages)}
    found: list[tuple[str, str | None, int | None]] = []

    def walk(element: Any) -> None:
        page = element.get("/Pg")
        found.append((str(element.get("/S")), str(element["/Lang"]) if "/Lang" in element else None,
                      pages.get(page.objgen) if page is not None else None))
        kids = element.get("/K")
        for kid in (kids if isinstance(kids, pikepdf.Array) else [kids]):
            if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
                walk(kid)

    root = pdf.Root.StructTreeRoot
    walk(root.K[0] if isinstance(root.K, pikepdf.Array) else root.K)
    return found


def outline(pdf: pikepdf.Pdf) -> list[tuple[int, str, int, float, float]]:
    """The outline's entries: depth, title, page, and where on it."""
    pages = {page.objgen: number for number, page in enumerate(pdf.pages)}
    found: list[tuple[int, str, int, float, float]] = []

    def walk(items: Any, depth: int) -> None:
        for item in items:
            destination = item.destination
            found.append((depth, item.title, pages[destination[0].objgen], round(float(destination[2]), 2),
                          round(float(destination[3]), 2)))
            walk(item.children, depth + 1)

    with pdf.open_outline() as tree:
        walk(tree.root, 0)
    return found


@pytest.mark.parametrize("language", ["en", "ar"])
def test_a_long_edition_in_two_parts_is_page_for_page_one_layout(long_document: Path, tmp_path: Path, language: str,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    parts, counted = in_parts(long_document, language)
    assert counted == {"joined": 1, "started": 1, "reaped": 1}  # laid out by two processes
    whole = one_layout(long_document, monkeypatch, language)
    assert rasters(parts, tmp_path, "parts") == rasters(whole, tmp_path, "whole")
    assert page_texts(parts) == page_texts(whole)
    with pikepdf.open(io.BytesIO(parts)) as split, pikepdf.open(io.BytesIO(whole)) as single:
        assert len(split.pages) == len(single.pages) > 24
        assert structure(split) == structure(single)
        assert outline(split) == outline(single) and len(outline(split)) >= 4
        for key in ("/Lang", "/MarkInfo", "/ViewerPreferences"):
            assert split.Root[key] == single.Root[key], key
        assert split.open_metadata()["dc:title"] == single.open_metadata()["dc:title"]
        # every page's and every link's key in the parent tree, as one layout numbers them
        for number, page in enumerate(split.pages):
            assert int(page.obj.StructParents) == number
        keys = list(split.Root.StructTreeRoot.ParentTree.Nums)[::2]
        assert [int(key) for key in keys] == list(range(len(keys)))


def test_the_parts_are_the_same_bytes_laid_out_by_two_processes_or_one(long_document: Path) -> None:
    two, by_two = in_parts(long_document)
    one, by_one = in_parts(long_document, mode="one")  # no fork: one process lays out both
    alone, by_alone = in_parts(long_document, mode="failing")  # the second process ends at once
    assert two == one == alone
    assert by_two == by_alone == {"joined": 1, "started": 1, "reaped": 1}  # each reaped
    assert by_one == {"joined": 1, "started": 0, "reaped": 0}


def test_a_build_with_one_job_lays_the_parts_out_in_one_process_into_the_same_bytes(long_document: Path,
                                                                                     tmp_path: Path) -> None:
    """`-j 1`: one process lays out both parts (World.limits.render_processes); `-j 2`: two. The
    edition is the same bytes."""
    from tests.conftest import run_typeset

    files = []
    for jobs in ("1", "2"):
        out = tmp_path / f"j{jobs}"
        run_typeset("build", long_document, "-l", "en", "-f", "pdf", "-j", jobs, "--out", out,
                    env={"TYPESET_SPLIT_ENTRIES": "400", "SOURCE_DATE_EPOCH": "1721779200"}, check=True)
        files.append(next(out.rglob("*.pdf")).read_bytes())
    assert files[0] == files[1]
    with pikepdf.open(io.BytesIO(files[0])) as pdf:
        assert len(pdf.pages) > 24


def test_a_list_in_columns_is_laid_out_in_one_piece(long_document: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The leaflet sets its signatories in two columns, which WeasyPrint balances by laying them
    out again and again: such a list is not split, and the edition is one layout's."""
    import typeset.render.pdf_parts as parts

    joined: list[int] = []
    original = parts.join
    monkeypatch.setattr(parts, "join", lambda *args: joined.append(1) or original(*args))
    with monkeypatch.context() as patch:
        patch.setenv("TYPESET_SPLIT_ENTRIES", "400")
        asked = render_pdf_of(long_document, "en", layout="leaflet")
    assert joined == []
    assert asked == render_pdf_of(long_document, "en", layout="leaflet")
