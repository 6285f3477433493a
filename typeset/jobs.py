"""What a worker does: render one edition to bytes (the executors that run it:
:mod:`typeset.executors`).

In: an :class:`~typeset.model.edition.Edition`, a format and a
:class:`~typeset.render.RenderContext` — all picklable, so a job can go to a warm worker
process on this machine (:class:`~typeset.workers.WarmPool`) or to a Dask cluster. Out: the
bytes of the file; writing them (atomically) stays with the build, on the machine that owns
the output folder.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING

from typeset.render import Output, RenderContext, renderer

if TYPE_CHECKING:
    from typeset.model.edition import Edition
    from typeset.world import World

EXECUTORS = ("process", "inline", "dask")


#: Python's cyclic garbage collector while an edition renders: a collection of the youngest
#: objects after this many allocations (Python's default: 700). A layout makes millions of boxes
#: and styles that live until the file is written, and each collection walks the young ones that
#: survived: at 1,000 signatories the PDF took 5 % less time (medians of 3, interleaved), and 3 %
#: less memory, at 50,000 (benchmarks/README.md).
RENDER_GC_THRESHOLD = 50_000


def render_job(edition: Edition, format_name: str, context: RenderContext) -> bytes | Output:
    if format_name == "pdf":  # WeasyPrint's C declarations from the store, before the renderer imports it
        from typeset.render.libraries import load_weasyprint

        load_weasyprint(context.world.store)
    with _fewer_collections():
        return renderer(format_name)(edition, context)


@contextmanager
def _fewer_collections() -> Iterator[None]:
    before = gc.get_threshold()
    gc.set_threshold(max(before[0], RENDER_GC_THRESHOLD), *before[1:])
    try:
        yield
    finally:
        gc.set_threshold(*before)


def warm(formats: Sequence[str], world: World | None = None) -> None:
    """Run once in each worker, while the build reads its documents: import what the formats need
    (WeasyPrint for PDF) and, given the world, pay what a first PDF render pays besides — the
    font configuration of the bundled fonts and Pango's loading of their faces (a small page in
    every bundled family, laid out and drawn). The faces stay loaded for the worker's editions."""
    if "pdf" in formats:
        from typeset.render.libraries import load_weasyprint

        load_weasyprint(world.store if world is not None else None)  # its C declarations from the store
    for name in formats:
        renderer(name)
    if "pdf" in formats:
        import weasyprint  # noqa: F401 - the expensive import, paid once per worker

        if world is not None:
            from typeset.fonts import load_fonts
            from typeset.render.pdf import warm_up

            warm_up(load_fonts(world))
