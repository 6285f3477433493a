"""Where documents are: finding document folders without reading them.

In: a path given on the command line. Out: the document folders at or below it, and the
``document.yaml`` of each. Only :mod:`pathlib`: a build that finds nothing changed never
imports the readers.
"""

from __future__ import annotations

from pathlib import Path

DOCUMENT_FILE = "document.yaml"
# Files that hold a text to import, not a document: 'typeset import' makes a folder of them.
IMPORTABLE_SUFFIXES = frozenset({".txt", ".text", ".md", ".markdown", ".docx", ".odt", ".doc", ".rtf"})


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


def not_a_document(path: Path) -> tuple[str, str] | None:
    """Why ``path`` cannot be read as a document, with a hint, if it is a text or Word file."""
    path = Path(path)
    if not path.is_file() or path.suffix.lower() not in IMPORTABLE_SUFFIXES:
        return None
    if (path.parent / DOCUMENT_FILE).is_file():
        return (f"'{path.name}' is one language file of the document in '{path.parent}'",
                f"give the folder instead: {path.parent}")
    return (f"'{path.name}' is a {'Word' if path.suffix.lower() in ('.docx', '.odt', '.doc', '.rtf') else 'text'} "
            "file, not a document folder",
            f"make a document folder from it first: typeset import {path} -o FOLDER")
