"""Warm worker processes behind the ``concurrent.futures.Executor`` interface.

In: picklable callables with their arguments. Out: futures. Each worker runs an initializer
once (importing WeasyPrint costs ~0.5 s; a warm worker pays it once for many editions), then
takes one job at a time. Unlike ``ProcessPoolExecutor``, a worker that dies — killed, out of
memory — or overruns the time limit fails only the job it was running: the pool names that
job, starts a fresh worker and goes on with the rest. A worker asked to stop (SIGTERM) stops
quietly, and one whose build is gone (killed) ends itself: no orphan renders on, and none
prints a traceback.
"""

from __future__ import annotations

import itertools
import os
import signal
import threading
import time
import traceback
from collections import deque
from collections.abc import Callable
from concurrent.futures import Executor, Future
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from multiprocessing.connection import Connection

# multiprocessing is imported by the pool that starts processes, not with this module: a build
# with nothing to render, or one rendered in its own process, never needs it


class WorkerDied(RuntimeError):
    """The worker running a job ended without answering (killed, crashed, out of memory)."""


class JobTimedOut(RuntimeError):
    """A job ran longer than the pool's time limit; its worker was stopped."""


class RemoteError(RuntimeError):
    """An exception raised in a worker, carried back with its traceback as text."""


ORPHAN_SECONDS = 0.5  # how often a worker looks whether the build that started it is still there


def _worker(conn: Connection, initializer: Callable[..., None] | None, initargs: tuple[Any, ...]) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides when to stop
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # asked to stop: stop, quietly
    _exit_when_orphaned(os.getppid())
    if initializer is not None:
        initializer(*initargs)
    try:
        _serve(conn)
    except (EOFError, OSError):  # the build is gone: nobody to answer
        pass
    # done: ended at once, its atexit handlers run (typeset.ending); the build waits for its
    # workers, and freeing each of a worker's objects one by one would keep it waiting
    from typeset.ending import end_now

    end_now(0)


def _serve(conn: Connection) -> None:
    while True:
        message = conn.recv()
        if message is None:
            return
        job, fn, args, kwargs = message
        try:
            reply = (job, True, fn(*args, **kwargs))
        except BaseException as error:  # noqa: BLE001 - everything goes back to the parent
            try:
                conn.send((job, False, error))
                continue
            except (EOFError, OSError):
                raise
            except Exception:  # noqa: BLE001 - the exception itself would not pickle
                reply = (job, False, RemoteError(f"{type(error).__name__}: {error}\n{traceback.format_exc()}"))
        conn.send(reply)


def _exit_when_orphaned(parent: int) -> None:
    """A killed build (SIGKILL) cannot stop its workers: each one ends itself, quietly, once its
    parent is gone, rather than render on for nobody."""
    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(ORPHAN_SECONDS)
        os._exit(0)

    threading.Thread(target=watch, name="typeset-orphan-watch", daemon=True).start()


@dataclass
class _Slot:
    process: Any
    conn: Connection
    job: int | None = None
    started: float = 0.0


@dataclass
class _Job:
    id: int
    fn: Callable[..., Any]
    args: tuple[Any, ...]
    kwargs: dict[str, Any]
    future: Future[Any] = field(default_factory=Future)


class WarmPool(Executor):
    """``workers`` processes, each initialised once; jobs may run at most ``timeout`` seconds."""

    def __init__(self, workers: int, initializer: Callable[..., None] | None = None,
                 initargs: tuple[Any, ...] = (), *, timeout: float | None = None, start_method: str = "spawn") -> None:
        import multiprocessing

        self._context = multiprocessing.get_context(start_method)
        self._initializer, self._initargs = initializer, initargs
        self._timeout = timeout
        self._queue: deque[_Job] = deque()
        self._jobs: dict[int, _Job] = {}
        self._ids = itertools.count()
        self._lock = threading.Lock()
        self._closing = False
        self._wake_read, self._wake_write = self._context.Pipe(duplex=False)
        self._slots = [self._spawn() for _ in range(max(1, workers))]
        self._thread = threading.Thread(target=self._run, name="typeset-workers", daemon=True)
        self._thread.start()

    # -- the Executor interface ------------------------------------------------------------

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        with self._lock:
            if self._closing:
                raise RuntimeError("cannot submit to a pool that is shutting down")
            job = _Job(next(self._ids), fn, args, kwargs)
            self._jobs[job.id] = job
            self._queue.append(job)
        self._wake()
        return job.future

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        with self._lock:
            self._closing = True
            if cancel_futures:
                while self._queue:
                    self._queue.popleft().future.cancel()
        self._wake()
        if wait:
            self._thread.join()

    def terminate(self) -> None:
        """Stop at once: cancel the jobs that wait, kill the workers (the jobs they run fail with
        :class:`WorkerDied`), and wait for the dispatcher to finish."""
        with self._lock:
            self._closing = True
            while self._queue:
                self._queue.popleft().future.cancel()
            slots = list(self._slots)
        for slot in slots:
            slot.process.kill()
        self._wake()
        self._thread.join()

    def pids(self) -> list[int]:
        """The process ids of the workers (for tests and for a progress display)."""
        return [slot.process.pid for slot in self._slots]

    # -- the dispatcher thread -------------------------------------------------------------

    def _spawn(self) -> _Slot:
        parent, child = self._context.Pipe()
        # every concrete context has Process; typeshed's BaseContext, which get_context(str) returns, does not
        process = self._context.Process(  # type: ignore[attr-defined]
            target=_worker, args=(child, self._initializer, self._initargs), daemon=True, name="typeset-worker")
        process.start()
        child.close()
        return _Slot(process, parent)

    def _wake(self) -> None:
        try:
            self._wake_write.send(None)
        except OSError:
            pass

    def _run(self) -> None:
        from multiprocessing.connection import wait

        while True:
            with self._lock:
                self._assign()
                busy = any(slot.job is not None for slot in self._slots)
                if self._closing and not self._queue and not busy:
                    break
            ready = wait([self._wake_read, *(s.conn for s in self._slots), *(s.process.sentinel for s in self._slots)],
                         timeout=self._poll())
            with self._lock:
                if self._wake_read in ready:
                    while self._wake_read.poll():
                        self._wake_read.recv()
                alive = []
                for slot in self._slots:
                    if self._collect(slot, ready):
                        alive.append(slot)
                    elif not self._closing or self._queue:
                        alive.append(self._spawn())
                self._slots = alive
        for slot in self._slots:
            try:
                slot.conn.send(None)
            except OSError:
                pass
        for slot in self._slots:
            slot.process.join(timeout=5)
            if slot.process.is_alive():
                slot.process.kill()
                slot.process.join()

    def _poll(self) -> float | None:
        if self._timeout is None:
            return None
        started = [s.started for s in self._slots if s.job is not None]
        return max(0.05, min(started) + self._timeout - time.monotonic()) if started else None

    def _assign(self) -> None:
        for slot in self._slots:
            while slot.job is None and self._queue:
                job = self._queue.popleft()
                if not job.future.set_running_or_notify_cancel():
                    del self._jobs[job.id]
                    continue
                try:
                    slot.conn.send((job.id, job.fn, job.args, job.kwargs))
                except Exception as error:  # noqa: BLE001 - the job does not pickle, or the worker is gone
                    del self._jobs[job.id]
                    job.future.set_exception(error)
                    continue
                slot.job, slot.started = job.id, time.monotonic()

    def _collect(self, slot: _Slot, ready: list[Any]) -> bool:
        """Take a worker's answer, or bury it if it died or overran; whether it lives on."""
        if slot.conn in ready:
            try:
                job_id, ok, value = slot.conn.recv()
            except (EOFError, OSError):
                pass
            else:
                job = self._jobs.pop(job_id)
                slot.job = None
                job.future.set_result(value) if ok else job.future.set_exception(value)
                return True
        overdue = (self._timeout is not None and slot.job is not None
                   and time.monotonic() - slot.started > self._timeout)
        if slot.process.sentinel in ready or not slot.process.is_alive() or overdue:
            if overdue:
                slot.process.kill()
            slot.process.join()
            if slot.job is not None:
                job = self._jobs.pop(slot.job)
                error: Exception = (JobTimedOut(f"took longer than {self._timeout:g} s") if overdue else
                                    WorkerDied(f"the worker (pid {slot.process.pid}) ended with exit code "
                                               f"{slot.process.exitcode}"))
                job.future.set_exception(error)
            slot.conn.close()
            return False
        return True


def cpu_count() -> int:
    """The CPUs this process may use (the affinity mask, not the machine's total)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1
