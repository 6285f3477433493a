"""Fixtures of the conformance suite: the generated sources, one real build of all their editions,
and each edition read back — the PDF as WeasyPrint wrote it, the DOCX as LibreOffice lays it out,
the HTML as Chromium prints it — each once for the whole session, one Chromium printing every
page.

``TYPESET_CONFORMANCE=full`` (``.ci/long`` sets it) adds one document per language, its edition in
that language, with every exemplar (not a sample of the large Han and Hangul sets) and every line
(not only those that differ from another language's in the same fonts).
``TYPESET_CONFORMANCE_LANGUAGES=th,ta,ur`` keeps those languages only (to look into one).
"""

from __future__ import annotations

import functools
import os
import re
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.chromium import Browser, dejavu_only_fonts
from tests.conformance.cldr import CLDRMissing, inventory
from tests.conformance.documents import Plan, per_language, plans, write_sources
from tests.conformance.readback import Readback, read_pdf
from tests.libreoffice import libreoffice_convert

FULL = os.environ.get("TYPESET_CONFORMANCE") == "full"
ONLY = {tag for tag in os.environ.get("TYPESET_CONFORMANCE_LANGUAGES", "").split(",") if tag}
FORMATS = ("pdf", "docx", "html")


@functools.cache
def all_plans() -> tuple[Plan, ...]:
    """The conformance documents (none if CLDR's data is missing: a test says so)."""
    try:
        served = [e for e in inventory().served if not ONLY or e.tag in ONLY]
    except CLDRMissing:
        return ()
    return tuple(plans(served) + (per_language(served) if FULL else []))


@dataclass(frozen=True)
class Build:
    out: Path
    sources: dict[str, Path]  # plan id → its source folder
    refused: dict[str, set[str]]  # plan id → the characters the preflight reported (no font has them)

    def edition(self, plan: Plan, format_name: str) -> Path:
        return self.out / plan.id / f"{plan.id}.{plan.edition}.{format_name}"


_GLYPH_ERROR = re.compile(r"no bundled font has '(.)' \(U\+[0-9A-F]+")


@pytest.fixture(scope="session")
def build(tmp_path_factory: pytest.TempPathFactory) -> Build:
    """Every conformance document built in all three formats by typeset's own batch build (warm
    workers, one per core), boxes allowed so that the preflight's findings can be compared with
    what each format shows."""
    from typeset.batch import build as typeset_build
    from typeset.world import World

    root = tmp_path_factory.mktemp("conformance")
    sources = write_sources(all_plans(), root / "sources")
    out = root / "out"
    result = typeset_build(list(sources.values()), out, allow_missing_glyphs=True, world=World([]))
    assert not result.failures, "\n".join(f"{f.document} [{f.language}, {f.format}]: {f.message}"
                                          for f in result.failures)
    refused: dict[str, set[str]] = {plan_id: set() for plan_id in sources}
    for diagnostic in result.diagnostics.items:
        found = _GLYPH_ERROR.match(diagnostic.message)
        if diagnostic.code == "glyph" and found:
            refused[Path(diagnostic.span.path).parent.name].add(found[1])
    return Build(out, sources, refused)


@pytest.fixture(scope="session")
def printed(build: Build, tmp_path_factory: pytest.TempPathFactory) -> Callable[[Plan, str], Path]:
    """The PDF of an edition as a reader sees it: WeasyPrint's PDF; the DOCX laid out by
    LibreOffice (one process per document, with DejaVu as the machine's only font, as
    tests/libreoffice.py does), the HTML printed by Chromium (one browser for all pages, DejaVu the
    only font it may find on the machine: a page shows what it carries). Each made once, at the
    first test that needs it."""
    folder = tmp_path_factory.mktemp("printed")

    @functools.cache
    def libreoffice() -> dict[str, Path]:
        plans_ = all_plans()
        # A process per document: one LibreOffice process that opens several typeset DOCX files keeps
        # the first one's embedded subset of a family for all of them (boxes in the others).
        pdfs = libreoffice_convert([build.edition(plan, "docx") for plan in plans_], folder / "libreoffice")
        return {plan.id: pdf for plan, pdf in zip(plans_, pdfs, strict=True)}

    @functools.cache
    def chromium() -> dict[str, Path]:
        target = folder / "chromium"
        target.mkdir()
        found = {}
        with Browser(dejavu_only_fonts(target)) as browser:
            for plan in all_plans():
                browser.load(build.edition(plan, "html").as_uri(), timeout=300)
                pdf = target / f"{plan.id}.pdf"
                pdf.write_bytes(browser.pdf())
                found[plan.id] = pdf
        return found

    def pdf(plan: Plan, format_name: str) -> Path:
        if format_name == "pdf":
            return build.edition(plan, "pdf")
        return (libreoffice() if format_name == "docx" else chromium())[plan.id]

    return pdf


@pytest.fixture(scope="session")
def readback(printed: Callable[[Plan, str], Path]) -> Callable[[Plan, str], Readback]:
    """Every edition's PDF read back, all at the first test that asks (pdfminer is slow: the PDFs
    are read on every core at once)."""
    found: dict[tuple[str, str], Readback] = {}

    def read(plan: Plan, format_name: str) -> Readback:
        if not found:
            pdfs = {(p.id, f): printed(p, f) for p in all_plans() for f in FORMATS}
            with ProcessPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
                found.update(zip(pdfs, pool.map(read_pdf, pdfs.values()), strict=True))
        return found[(plan.id, format_name)]

    return read
