"""Reading sources: YAML, Markdown and CSV with positions, validation against the schema, lint.

In: a document folder. Out: a :class:`~typeset.model.document.Document` and diagnostics.
The readers are imported on first use (``typeset.source.load_document``): finding documents
(:mod:`typeset.source.folders`) needs none of them.
"""

from typing import Any

from typeset.source.folders import DOCUMENT_FILE, find_documents, locate

__all__ = ["DOCUMENT_FILE", "Loaded", "find_documents", "load_document", "locate"]


def __getattr__(name: str) -> Any:
    if name in ("Loaded", "load_document"):
        from typeset.source import loader

        return getattr(loader, name)
    raise AttributeError(f"module 'typeset.source' has no attribute {name!r}")
