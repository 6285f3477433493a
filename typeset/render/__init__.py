"""Renderers: one module per format, the same signature, one registry.

In: an :class:`~typeset.model.edition.Edition` and a :class:`RenderContext` (the layout, the
fonts, the world, the build time). Out: the bytes of one file. Each module defines
``render(edition, context) -> bytes``; adding a format is one module and one line in
:data:`FORMATS`. Modules are imported only when their format is asked for, so a DOCX or HTML
build never loads WeasyPrint.
"""

from __future__ import annotations

import datetime as dt
import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from typeset.fonts import FontSet
    from typeset.layout import Layout
    from typeset.model.edition import Edition
    from typeset.world import World


@dataclass(frozen=True, slots=True)
class Format:
    name: str
    extension: str
    media_type: str
    module: str


FORMATS: dict[str, Format] = {
    f.name: f
    for f in (
        Format("pdf", "pdf", "application/pdf", "typeset.render.pdf"),
        Format("docx", "docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
               "typeset.render.docx"),
        Format("html", "html", "text/html", "typeset.render.html"),
    )
}


@dataclass(frozen=True, slots=True)
class RenderContext:
    """Everything a renderer may use besides the edition itself."""

    layout: Layout
    fonts: FontSet
    world: World
    build_time: dt.datetime


Render = Callable[["Edition", RenderContext], bytes]


def renderer(name: str) -> Render:
    """The ``render`` function of a format, importing its module on first use."""
    return importlib.import_module(FORMATS[name].module).render  # type: ignore[no-any-return]
