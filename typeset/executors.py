"""The executors a build runs its jobs on (:func:`typeset.jobs.render_job`): inline in this
process, on warm local worker processes (:class:`~typeset.workers.WarmPool`) or on a Dask cluster.

Apart from :mod:`typeset.jobs` so that the command line, which names the executors, does not
import ``concurrent.futures`` (and ``logging`` with it) for ``--help``.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Executor, Future
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from typeset.errors import UsageError
from typeset.jobs import EXECUTORS, warm

if TYPE_CHECKING:
    from typeset.world import World


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
