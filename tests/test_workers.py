"""The warm worker pool: results, errors, a killed worker, a job over its time limit."""

from __future__ import annotations

import os
import signal
import time

import pytest

from typeset.workers import JobTimedOut, WarmPool, WorkerDied


def square(x: int) -> int:
    time.sleep(0.1)
    return x * x


def fail() -> None:
    raise ValueError("a renderer failed")


def sleep(seconds: float) -> float:
    time.sleep(seconds)
    return seconds


def pid() -> int:
    return os.getpid()


def mark(path: str) -> None:
    with open(path, "a", encoding="utf-8") as handle:
        handle.write("warm\n")


def test_results_come_back_in_their_futures() -> None:
    with WarmPool(2) as pool:
        assert [f.result() for f in [pool.submit(square, i) for i in range(8)]] == [i * i for i in range(8)]


def test_an_error_in_a_job_reaches_its_future_only() -> None:
    with WarmPool(2) as pool:
        failing, fine = pool.submit(fail), pool.submit(square, 3)
        with pytest.raises(ValueError, match="a renderer failed"):
            failing.result()
        assert fine.result() == 9


def test_workers_are_warmed_once_and_reused(tmp_path) -> None:  # type: ignore[no-untyped-def]
    marks = tmp_path / "marks"
    with WarmPool(2, mark, (str(marks),)) as pool:
        pids = {f.result() for f in [pool.submit(pid) for _ in range(12)]}
    assert len(pids) == 2
    assert marks.read_text(encoding="utf-8").count("warm") == 2


def test_a_killed_worker_fails_only_its_own_job() -> None:
    with WarmPool(1) as pool:
        victim = pool.submit(sleep, 30)
        others = [pool.submit(square, i) for i in range(4)]
        time.sleep(1.0)  # the worker has taken the long job
        os.kill(pool.pids()[0], signal.SIGKILL)
        with pytest.raises(WorkerDied, match="ended with exit code -9"):
            victim.result(timeout=20)
        assert [f.result(timeout=30) for f in others] == [0, 1, 4, 9]  # a fresh worker did the rest


def test_a_job_over_the_time_limit_is_stopped_and_the_rest_go_on() -> None:
    with WarmPool(1, timeout=1) as pool:
        slow, after = pool.submit(sleep, 30), pool.submit(square, 4)
        with pytest.raises(JobTimedOut, match="took longer than 1 s"):
            slow.result(timeout=20)
        assert after.result(timeout=20) == 16
