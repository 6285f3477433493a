"""Where documents are: finding document folders without reading them.

In: a path given on the command line. Out: the document folders at or below it, and the
``document.yaml`` of each. Only :mod:`pathlib`: a build that finds nothing changed never
imports the readers.
"""

from __future__ import annotations

from pathlib import Path

DOCUMENT_FILE = "document.yaml"


def find_documents(path: Path, *, depth: int = 3) -> list[Path]:
    """The document folders at or below ``path``: itself if it holds a ``document.yaml``."""
    path = Path(path)
    if path.is_file() or (path / DOCUMENT_FILE).is_file() or not path.is_dir():
        return [path]
    found: list[Path] = []
    if depth > 0:
        for child in sorted(p for p in path.iterdir() if p.is_dir() and not p.name.startswith(".")):
            found.extend(d for d in find_documents(child, depth=depth - 1) if (d / DOCUMENT_FILE).is_file())
    return found or [path]


def locate(path: Path) -> Path:
    """The ``document.yaml`` of a folder, or the file itself."""
    path = Path(path)
    return path / DOCUMENT_FILE if path.is_dir() else path
