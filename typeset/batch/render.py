"""Rendering a build's jobs on an executor, the costliest first.

In: the :class:`~typeset.batch.plan.Job` of every edition to render and an executor (warm worker
processes, inline, or a Dask cluster: :mod:`typeset.jobs`). Out: as each job finishes, in the
order they finish, the job and what its renderer gave (an :class:`~typeset.render.Output`) — or a
:class:`Failure` that says why there is none (a renderer's error, a worker that died or ran out
of time, a bug). Sending the costliest first leaves no long edition running alone at the end.
Nothing is written here: :mod:`typeset.batch.commit` does that.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Executor, Future, as_completed
from dataclasses import dataclass

from typeset.batch.plan import Job
from typeset.errors import TypesetError
from typeset.jobs import render_job
from typeset.render import Output
from typeset.workers import JobTimedOut, WorkerDied


@dataclass(frozen=True, slots=True)
class Failure:
    document: str
    language: str
    format: str
    message: str
    hint: str | None = None


def render(pool: Executor, jobs: Sequence[Job], sent: Callable[[Job], None]) -> Iterator[tuple[Job, Output | Failure]]:
    """Send every job (telling ``sent`` of each), then yield each as it finishes, with its outcome."""
    futures = {}
    for job in sorted(jobs, key=lambda job: job.cost, reverse=True):
        futures[pool.submit(render_job, job.edition, job.format, job.context)] = job
        sent(job)
    for future in as_completed(futures):
        job = futures[future]
        yield job, outcome(job, future)


def outcome(job: Job, future: Future[bytes | Output]) -> Output | Failure:
    """What the renderer gave, or why it gave nothing."""
    try:
        output = future.result()
    except TypesetError as error:
        return failure(job, error.message, error.hint)
    except (WorkerDied, JobTimedOut) as error:
        return failure(job, str(error), "the other editions were built; build again to retry this one")
    except Exception as error:  # noqa: BLE001 - a renderer bug must not take the other editions down
        return failure(job, f"{type(error).__name__}: {error}", "this is a bug in typeset; please report it")
    return output if isinstance(output, Output) else Output(output)


def failure(job: Job, message: str, hint: str | None) -> Failure:
    return Failure(job.edition.document_id, job.edition.language.tag, job.format, message, hint)
