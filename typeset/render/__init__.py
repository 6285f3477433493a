"""Renderers: one module per format, the same signature, one registry.

In: an :class:`~typeset.model.edition.Edition` and a :class:`RenderContext` (the layout, the
fonts, the world, the build time). Out: the bytes of one file. Each module defines
``render(edition, context) -> bytes`` (or an :class:`Output` that carries files to write beside
it); adding a format is one module and one entry in :data:`FORMATS`, which also declares the
format's options (:class:`Option`: the command line's flags and :class:`RenderOptions` are made
from them) and its cost. Modules are imported only when their format is asked for, so a DOCX or
HTML build never loads WeasyPrint.
"""

from __future__ import annotations

import datetime as dt
import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from typeset.fonts import FontSet
    from typeset.layout import Layout
    from typeset.model.edition import Edition
    from typeset.world import World


@dataclass(frozen=True, slots=True)
class Option:
    """One option a format takes: its name in :class:`RenderOptions`, the command line's flag, its
    type (``str`` or ``bool``), the values it may take (``choices``; ``None`` as default: the
    layout's or the renderer's own), its default and the help the command line shows."""

    name: str
    flag: str  # "--paper"; a bool's "--embed-fonts/--no-embed-fonts" names both ways
    type: type
    default: object
    help: str
    choices: tuple[str, ...] = ()
    case_sensitive: bool = True

    def check(self, value: object) -> None:
        """Refuse a value of the wrong type, or not among the choices."""
        if value is None and self.default is None:
            return
        if not isinstance(value, self.type) or (self.choices and value not in self.choices):
            allowed = ", ".join(self.choices) if self.choices else self.type.__name__
            raise ValueError(f"option {self.name}={value!r}: expected {allowed}")


@dataclass(frozen=True, slots=True)
class Format:
    """A format: its file's extension and media type, the module that renders it, its options and
    its cost (its render time relative to the others', from ``benchmarks/run.py``: the build sends
    the costliest editions first, so that none is left running alone at the end)."""

    name: str
    extension: str
    media_type: str
    module: str
    cost: int
    options: tuple[Option, ...] = ()


FORMATS: dict[str, Format] = {
    f.name: f
    for f in (
        Format("pdf", "pdf", "application/pdf", "typeset.render.pdf", cost=10, options=(
            Option("paper", "--paper", str, None, "PDF paper size (default: the layout's).",
                   choices=("A4", "letter", "A5"), case_sensitive=False),
            Option("pdf_variant", "--pdf-variant", str, None,
                   "PDF/UA-1 (tagged, accessible), PDF/A-3u (archival) or plain.",
                   choices=("pdf/ua-1", "pdf/a-3u", "plain")),
            Option("print_marks", "--print", bool, False,
                   "PDF/X-4 for a print shop: CMYK, 3 mm bleed, crop and registration marks, TrimBox and BleedBox."),
        )),
        Format("docx", "docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
               "typeset.render.docx", cost=2, options=(
                   Option("docx_embed_fonts", "--embed-fonts/--no-embed-fonts", bool, True,
                          "DOCX: embed the fonts it uses, so any reader sees them."),
               )),
        Format("html", "html", "text/html", "typeset.render.html", cost=1, options=(
            Option("html_fonts", "--html-fonts", str, "inline",
                   "HTML: subset WOFF2 fonts inlined in the page, as files beside it, or none.",
                   choices=("inline", "files", "none")),
        )),
    )
}

#: Every format's options, by name: what :class:`RenderOptions` holds and the command line offers.
OPTIONS: dict[str, Option] = {option.name: option for f in FORMATS.values() for option in f.options}


class RenderOptions:
    """What the command line (or a batch) asks of the renderers, beyond the layout's defaults: a
    value for each of :data:`OPTIONS` (read as attributes: ``options.paper``), its default where
    none is given. Immutable, hashable and picklable; an unknown name or a bad value is refused."""

    __slots__ = ("_values",)
    _values: tuple[tuple[str, object], ...]

    def __init__(self, **values: object) -> None:
        unknown = set(values) - set(OPTIONS)
        if unknown:
            raise TypeError(f"no render option {', '.join(sorted(unknown))}; the options are {', '.join(OPTIONS)}")
        for name, value in values.items():
            OPTIONS[name].check(value)
        object.__setattr__(self, "_values", tuple((name, values.get(name, o.default)) for name, o in OPTIONS.items()))

    def __getattr__(self, name: str) -> Any:
        if name in OPTIONS:
            return dict(self._values)[name]
        raise AttributeError(name)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError("RenderOptions are immutable; use replace()")

    def replace(self, **changes: object) -> RenderOptions:
        return RenderOptions(**{**dict(self._values), **changes})

    def __eq__(self, other: object) -> bool:
        return isinstance(other, RenderOptions) and self._values == other._values

    def __hash__(self) -> int:
        return hash(self._values)

    def __repr__(self) -> str:
        return f"RenderOptions({', '.join(f'{name}={value!r}' for name, value in self._values)})"

    def __reduce__(self) -> tuple[type[RenderOptions], tuple[()], dict[str, object]]:
        return RenderOptions, (), dict(self._values)

    def __setstate__(self, state: dict[str, object]) -> None:
        object.__setattr__(self, "_values", RenderOptions(**state)._values)


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
    render: Render = importlib.import_module(FORMATS[name].module).render
    return render
