"""``/Lang`` on the tagged PDF's structure elements for text in another language than the edition.

In: nothing; :func:`language_tags` is a context manager (and decorator) around a WeasyPrint
render. Out: in tagged PDFs (PDF/UA) written inside it, every structure element made from an
HTML element with a ``lang`` attribute carries that language as ``/Lang`` (PDF 32000 14.9.2), so
that a screen reader reads a Bulgarian name with a Bulgarian voice in an English edition, as
PDF/UA-1 (7.2) asks. WeasyPrint 70 writes the document's language only, in the catalogue.

How: for the duration of the block, WeasyPrint's ``weasyprint.pdf.tags._build_box_tree`` (the
generator that makes one structure element per box, and calls itself through the module's
global name for the children) is wrapped; the wrapper sets ``/Lang`` on the element it yields for
the box it was given. Untagged PDFs never call it. The wrapper goes in and comes out through
:mod:`typeset.render.weasypatch`: nested and concurrent blocks share one installation; while one
is open, every WeasyPrint render in the process gets the entries.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from typeset.render.weasypatch import Patch, Wrap

if TYPE_CHECKING:
    from contextlib import _GeneratorContextManager

_EXPECTED_PARAMETERS = ("box", "parent", "pdf", "page_number", "nums", "annotations", "tags")
_SKIPPED = frozenset({"html", "body"})  # WeasyPrint yields their children's elements for them


def _make_wrapper(original: Any) -> Any:
    import pydyf
    from weasyprint.formatting_structure import boxes

    # WeasyPrint's boxes, PDF objects and tag tree: untyped, hence Any
    def build_box_tree(box: Any, parent: Any, pdf: Any, page_number: int, nums: Any, annotations: Any,
                       tags: Any) -> Iterator[Any]:
        element = getattr(box, "element", None)
        lang = None
        if element is not None and not isinstance(box, boxes.PageBox | boxes.MarginBox):
            lang = element.get("lang") if box.element_tag not in _SKIPPED else None
        for structure in original(box, parent, pdf, page_number, nums, annotations, tags):
            if lang:
                structure["Lang"] = pydyf.String(lang)
            yield structure

    return build_box_tree


_PATCH = Patch("typeset/render/pdf_tags.py",
               [Wrap("weasyprint.pdf.tags", "_build_box_tree", _EXPECTED_PARAMETERS, _make_wrapper)])


def language_tags() -> _GeneratorContextManager[None]:
    """``/Lang`` on the tagged elements of the PDFs written inside this block (also a decorator)."""
    return _PATCH()
