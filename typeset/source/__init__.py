"""Reading sources: YAML, Markdown and CSV with positions, validation against the schema, lint.

In: a document folder. Out: a :class:`~typeset.model.document.Document` and diagnostics.
"""

from typeset.source.loader import DOCUMENT_FILE, Loaded, find_documents, load_document, locate

__all__ = ["DOCUMENT_FILE", "Loaded", "find_documents", "load_document", "locate"]
