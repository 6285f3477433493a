"""Preparing a document: read, checked against its layout and fonts, ready to render.

In: a document folder (or its ``document.yaml``), the :class:`~typeset.world.World`, a layout (the
one ``--layout`` names; default: the document's own, else ``resolution``) and the render options.
Out: a :class:`Prepared` — the document as loaded, every diagnostic (source, lint, layout, glyphs
no bundled font has), the languages refused for missing glyphs, and the
:class:`~typeset.render.RenderContext` its editions render with. ``typeset build`` plans from it,
``typeset check`` reports it, the preview renders it; none of them needs the build's loop.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from typeset.diagnostics import Diagnostics, Span
from typeset.errors import TypesetError, UsageError
from typeset.render import RenderContext, RenderOptions

if TYPE_CHECKING:
    from typeset.model.document import Document
    from typeset.source import Loaded
    from typeset.world import World

# Reading and checking a document (pydantic, ruamel.yaml, markdown-it, fontTools, Babel) is
# imported when a document is read, not before: a rebuild with nothing to do reads none.


@dataclass
class Prepared:
    """A document read, checked against its layout and fonts, and ready to render."""

    loaded: Loaded
    diagnostics: Diagnostics
    context: RenderContext | None = None
    refused: set[str] = field(default_factory=set)

    @property
    def document(self) -> Document | None:
        return self.loaded.document if self.context else None


def prepare(source: Path, world: World, layout: str | None = None,
            options: RenderOptions = RenderOptions()) -> Prepared:
    """Load, validate and lint a document, then preflight its glyphs against its fonts."""
    from typeset.fonts import load_fonts
    from typeset.layout import load_layout
    from typeset.preflight import preflight
    from typeset.source import load_document

    loaded = load_document(source, world)
    prepared = Prepared(loaded, Diagnostics(list(loaded.diagnostics.items)))
    document = loaded.document
    if document is None:
        return prepared
    try:
        edition_layout = load_layout(layout or document_layout(document), world)
    except TypesetError as error:
        prepared.diagnostics.error(Span(loaded.path), error.message, error.hint, code="layout")
        return prepared
    document_world = world.with_roots(document.root or Path(source), edition_layout.root)
    fonts = load_fonts(document_world)
    checked = preflight(loaded, fonts, edition_layout, document_world.read_bytes)
    prepared.diagnostics.extend(checked.diagnostics)
    prepared.refused = checked.refused
    prepared.context = RenderContext(edition_layout, fonts, document_world, document_world.build_time(document.date),
                                     options)
    return prepared


def document_layout(document: Document) -> str | None:
    """The layout ``document.yaml`` names: a bundled one, or a folder inside the document's folder
    (a source may not make typeset read a layout elsewhere; ``--layout`` on the command line may)."""
    if not document.layout or not document.root:
        return document.layout
    folder = document.root / document.layout
    if folder.is_dir() or "/" in document.layout or "\\" in document.layout:
        if not folder.resolve().is_relative_to(document.root.resolve()):
            raise UsageError(f"layout '{document.layout}' is outside the document's folder",
                             hint="copy the layout into the document's folder, or name it with --layout")
        return str(folder)
    return document.layout
