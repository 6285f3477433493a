"""Renderers: one module per format, the same signature, one registry.

In: an :class:`~typeset.model.edition.Edition` and a :class:`RenderContext` (the layout, the
fonts, the world, the build time). Out: the bytes of one file. Each module defines
``render(edition, context) -> bytes`` (or an :class:`Output` that carries files to write beside
it); adding a format is one module and one line in
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


PAPERS = ("A4", "letter", "A5")
PDF_VARIANTS = ("pdf/ua-1", "pdf/a-3u", "plain")
HTML_FONTS = ("inline", "files", "none")


@dataclass(frozen=True, slots=True)
class RenderOptions:
    """What the command line (or a batch) asks of the renderers, beyond the layout's defaults."""

    paper: str | None = None  # one of PAPERS; None: the layout's
    pdf_variant: str | None = None  # one of PDF_VARIANTS; None: the default variant
    print_marks: bool = False  # PDF: 3 mm bleed, crop marks, TrimBox and BleedBox
    html_fonts: str = "inline"  # one of HTML_FONTS: subset WOFF2 inlined, written beside, or none
    docx_embed_fonts: bool = True  # DOCX: embed (subset, obfuscated) the fonts the document uses


@dataclass(frozen=True, slots=True)
class RenderContext:
    """Everything a renderer may use besides the edition itself."""

    layout: Layout
    fonts: FontSet
    world: World
    build_time: dt.datetime
    options: RenderOptions = RenderOptions()


@dataclass(frozen=True, slots=True)
class Beside:
    """A file that goes beside a rendered one: ``path`` relative to that file's folder, and its kind
    (what the manifest calls its format), such as ``font``."""

    path: str
    data: bytes
    kind: str


@dataclass(frozen=True, slots=True)
class Output:
    """What a renderer returns when one file is not enough: the file, and the files it needs beside it
    (the HTML edition with ``--html-fonts files``: its fonts)."""

    data: bytes
    beside: tuple[Beside, ...] = ()


Render = Callable[["Edition", RenderContext], "bytes | Output"]


def renderer(name: str) -> Render:
    """The ``render`` function of a format, importing its module on first use."""
    return importlib.import_module(FORMATS[name].module).render  # type: ignore[no-any-return]
