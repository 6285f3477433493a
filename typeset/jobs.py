"""What a worker does: render one edition to bytes. And the executors that run it.

In: an :class:`~typeset.model.edition.Edition`, a format and a
:class:`~typeset.render.RenderContext` — all picklable, so a job can go to a warm worker
process on this machine (:class:`~typeset.workers.WarmPool`) or to a Dask cluster. Out: the
bytes of the file; writing them (atomically) stays with the build, on the machine that owns
the output folder.
"""

from __future__ import annotations

import gc
import signal
import threading
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Executor, Future
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from typeset.errors import UsageError
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


class InlineExecutor(Executor):
    """Runs each job at once, in this process; the time limit uses SIGALRM where it can."""

    def __init__(self, timeout: float | None = None) -> None:
        self.timeout = timeout

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        future: Future[Any] = Future()
        future.set_running_or_notify_cancel()
        try:
            with _alarm(self.timeout):
                future.set_result(fn(*args, **kwargs))
        except Exception as error:  # noqa: BLE001 - the caller sees it through the future
            future.set_exception(error)  # (Ctrl-C and SIGTERM go on up: they stop the build)
        return future


@contextmanager
def _alarm(seconds: float | None) -> Iterator[None]:
    if not seconds or threading.current_thread() is not threading.main_thread():
        yield
        return

    from typeset.workers import JobTimedOut

    def expired(signum: int, frame: Any) -> None:
        raise JobTimedOut(f"took longer than {seconds:g} s")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@contextmanager
def open_executor(kind: str, workers: int, formats: Sequence[str], *, timeout: float | None,
                  scheduler: str | None = None, world: World | None = None) -> Iterator[Executor]:
    """The executor a build runs its jobs on, closed when the build is done; warm workers warm up
    for ``world`` (:func:`warm`)."""
    if kind == "inline" or (kind == "process" and workers <= 1):
        yield InlineExecutor(timeout)
    elif kind == "process":
        from typeset.workers import WarmPool  # multiprocessing: not for `--help` or a rebuild with nothing to do

        pool = WarmPool(workers, warm, (tuple(formats), world), timeout=timeout)
        try:
            yield pool
        except BaseException:  # interrupted (Ctrl-C, SIGTERM) or failed: stop the workers now
            pool.terminate()
            raise
        pool.shutdown(wait=True, cancel_futures=True)
    elif kind == "dask":
        try:
            from distributed import Client
        except ImportError:
            raise UsageError("the dask executor needs the 'distributed' package",
                             hint="pip install 'typeset[dask]'") from None
        if not scheduler:
            raise UsageError("--executor dask needs --scheduler tcp://HOST:PORT",
                             hint="start one with 'dask scheduler' and workers with 'dask worker HOST:PORT'")
        client = Client(scheduler, timeout=30)
        try:
            yield client.get_executor(pure=False)
        finally:
            client.close()
    else:
        raise UsageError(f"no executor '{kind}'", hint=f"choose one of {', '.join(EXECUTORS)}")
