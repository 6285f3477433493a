"""WeasyPrint is left as it was: after every PDF render, also one that raises, its functions that
typeset wraps for the length of a render (the text layer's, the tags' and the font subsets') are
WeasyPrint's own; and the WeasyPrint versions pyproject.toml allows are the ones the wrappers
accept."""

from __future__ import annotations

import ast
import shutil
import sys
import tomllib
from pathlib import Path
from typing import Any

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from tests.conftest import REPO
from tests.support import render_pdf as render_pdf_of
from typeset.errors import RenderError
from typeset.render.weasypatch import SUPPORTED_WEASYPRINT_MAJOR, check_weasyprint_version, left_patched

DOCUMENT = REPO / "examples" / "extreme-heat-2024"
WRAPPED = (("weasyprint.draw.text", "draw_first_line"), ("weasyprint.document", "generate_pdf"),
           ("weasyprint.layout.inline", "split_text_box"), ("weasyprint.pdf.tags", "_build_box_tree"),
           ("weasyprint.pdf", "build_fonts_dictionary"))


def weasyprints_own() -> dict[str, Any]:
    """The functions as the WeasyPrint modules hold them now, by "module.name"."""
    import importlib

    return {f"{module}.{name}": getattr(importlib.import_module(module), name) for module, name in WRAPPED}


def render_pdf(layout_root: Path | None = None) -> bytes:
    return render_pdf_of(DOCUMENT, "hi", layout=str(layout_root) if layout_root else "resolution")


def wrappers_ran(pdf: bytes) -> bool:
    """Whether the PDF has what the wrappers add: ActualText spans in its content streams (the
    text layer) and ``/Lang`` on structure elements (the tags; the catalogue has its own)."""
    import pymupdf

    with pymupdf.open(stream=pdf, filetype="pdf") as document:
        objects = [document.xref_object(xref) for xref in range(1, document.xref_length())]
        streams = b"".join(document.xref_stream(xref) or b"" for xref in range(1, document.xref_length())
                           if document.xref_is_stream(xref))
    return b"/ActualText" in streams and sum("/Lang" in o for o in objects if "/S /" in o or "/S/" in o) > 0


def test_a_render_leaves_weasyprints_functions_as_they_were() -> None:
    before = weasyprints_own()
    pdf = render_pdf()
    assert wrappers_ran(pdf)
    assert weasyprints_own() == before
    assert left_patched() == []


def test_a_render_that_raises_leaves_weasyprints_functions_as_they_were(tmp_path: Path) -> None:
    layout = tmp_path / "hostile"
    shutil.copytree(REPO / "layouts" / "resolution", layout)
    with (layout / "print.css").open("a", encoding="utf-8") as css:
        css.write(f"\nbody {{ background: url('{(tmp_path / 'outside.png').as_uri()}') }}\n")
    before = weasyprints_own()
    with pytest.raises(RenderError, match="refuses to fetch"):
        render_pdf(layout)
    assert weasyprints_own() == before
    assert left_patched() == []


def test_pyproject_allows_the_weasyprint_the_wrappers_accept() -> None:
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    weasyprint = next(Requirement(r) for r in project["dependencies"] if Requirement(r).name == "weasyprint")
    major = SUPPORTED_WEASYPRINT_MAJOR
    for version in (f"{major}.0", f"{major}.3.1"):
        assert weasyprint.specifier.contains(version), version
        check_weasyprint_version(version)
    for version in (f"{major - 1}.2", f"{major + 1}.0"):
        assert not weasyprint.specifier.contains(version), version
        with pytest.raises(RuntimeError, match="hint"):
            check_weasyprint_version(version)


def test_every_package_typeset_imports_is_declared() -> None:
    """A package imported but installed only as another's dependency (rich through typer, lxml
    through python-docx) would go missing when that one stops needing it."""
    from importlib.metadata import packages_distributions

    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    extras = project["optional-dependencies"].values()
    requirements = [*project["dependencies"], *(r for extra in extras for r in extra)]
    declared = {canonicalize_name(Requirement(r).name) for r in requirements}
    distributions = packages_distributions()
    undeclared = {}
    for path in sorted((REPO / "typeset").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            for top in {name.split(".")[0] for name in names} - set(sys.stdlib_module_names) - {"typeset"}:
                providers = {canonicalize_name(d) for d in distributions.get(top, [top])}
                if not providers & declared:
                    undeclared.setdefault(top, path.relative_to(REPO).as_posix())
    assert not undeclared, f"imported but not in pyproject.toml: {undeclared}"
