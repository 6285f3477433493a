"""The build: the only loop over documents × languages × formats.

In: document folders, what was asked for, an output folder, the world and an executor. Out: a
:class:`BuildResult` — the artefacts written and those found up to date, the failures, and every
diagnostic — with OUT committed (:mod:`typeset.batch.commit`). The steps, one module each:
:mod:`~typeset.batch.plan` (read what changed, plan a job per edition and format),
:mod:`~typeset.batch.render` (run the jobs), :mod:`~typeset.batch.commit` (write each edition as it
arrives; then the index, the cache and the manifest). A failing or killed edition does not stop the
others; interrupted (Ctrl-C, or SIGTERM turned into :class:`~typeset.errors.Terminated` by the
command line), a build stops its workers, commits what is done, and lets the interruption go on.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Executor
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from typeset.batch.commit import commit, record_sources, retract, touched, write_edition
from typeset.batch.manifest import Artefact, read_manifest
from typeset.batch.plan import BuildPlan, Job, Request, label, plan_build
from typeset.batch.render import Failure, render
from typeset.cache import BuildCache
from typeset.diagnostics import Diagnostics
from typeset.errors import Terminated
from typeset.executors import open_executor
from typeset.render import FORMATS, RenderOptions
from typeset.workers import cpu_count
from typeset.world import World


@dataclass
class BuildResult:
    artefacts: list[Artefact] = field(default_factory=list)  # rendered and written now
    unchanged: list[Artefact] = field(default_factory=list)  # up to date from an earlier build
    failures: list[Failure] = field(default_factory=list)
    diagnostics: Diagnostics = field(default_factory=Diagnostics)

    @property
    def input_errors(self) -> bool:
        return self.diagnostics.has_errors

    @property
    def exit_code(self) -> int:
        return 2 if self.input_errors else 1 if self.failures else 0


class BuildEvents:
    """What a build tells its caller as it goes; the command line shows it. Does nothing here."""

    def planned(self, label: str) -> None:
        """An edition will be built (or found unchanged)."""

    def rendering(self, label: str) -> None:
        """An edition went to a worker."""

    def finished(self, label: str, outcome: Artefact | Failure, *, unchanged: bool = False) -> None:
        """An edition was written, found unchanged, or failed."""


def build(
    sources: Sequence[Path],
    out: Path,
    *,
    world: World,
    languages: Sequence[str] = (),
    formats: Sequence[str] = (),
    layout: str | None = None,
    options: RenderOptions = RenderOptions(),
    allow_missing_glyphs: bool = False,
    force: bool = False,
    jobs: int | None = None,
    executor: str = "process",
    scheduler: str | None = None,
    events: BuildEvents | None = None,
) -> BuildResult:
    """Build every edition asked for; render only those whose inputs changed (unless ``force``)."""
    events = events or BuildEvents()
    request = Request(tuple(languages), tuple(name for name in FORMATS if not formats or name in formats), layout,
                      options, allow_missing_glyphs, force)
    sources = list(dict.fromkeys(Path(source).resolve() for source in sources))  # each document once
    cache = BuildCache.load(out, world)
    previous = read_manifest(out, world)
    result, plan = BuildResult(), BuildPlan()
    interrupted: BaseException | None = None
    try:
        with _executor(executor, jobs, scheduler, request, len(sources), bool(cache.entries), world) as pool:
            plan = plan_build(sources, out, request, cache, world)
            result.diagnostics.extend(plan.diagnostics)
            for artefact in plan.unchanged:
                name = label(artefact.document, artefact.language, artefact.format)
                events.planned(name)
                result.unchanged.append(artefact)
                events.finished(name, artefact, unchanged=True)
            for job in plan.to_render:
                events.planned(job.label)
            if plan.to_render:
                retract(out, previous, touched(plan.to_render), world)
                for job, outcome in render(pool(len(plan.to_render)), plan.to_render,
                                           lambda j: events.rendering(j.label)):
                    _written(job, outcome if isinstance(outcome, Failure) else write_edition(job, outcome, out, world),
                             result, cache, events)
    except (KeyboardInterrupt, Terminated) as error:  # the workers are stopped: commit what is done
        interrupted = error
    listed = [*result.unchanged, *result.artefacts]
    record_sources(cache, plan.jobs, plan.sources, listed, result.failures)
    if listed or plan.to_render or previous:
        commit(out, previous, listed, bool(result.artefacts), touched(plan.to_render), cache, world)
    if interrupted is not None:
        raise interrupted
    return result


def _written(job: Job, outcome: list[Artefact] | Failure, result: BuildResult, cache: BuildCache,
             events: BuildEvents) -> None:
    if isinstance(outcome, Failure):
        result.failures.append(outcome)
        events.finished(job.label, outcome)
        return
    for artefact in outcome:
        result.artefacts.append(artefact)
        cache.record(artefact.path, job.key, artefact.sha256, artefact.bytes)
        events.finished(job.label, artefact)


@contextmanager
def _executor(kind: str, jobs: int | None, scheduler: str | None, request: Request, documents: int, cached: bool,
              world: World) -> Iterator[Callable[[int], Executor]]:
    """The executor, opened when first asked for (with as many workers as there are jobs, at most),
    and closed — its workers stopped — when the build is done or interrupted. When everything will be
    rendered (nothing cached, or ``--force``), warm workers start at once and import WeasyPrint
    while this process reads the documents; otherwise only once something is known to have changed,
    so that a rebuild with nothing to do spawns none."""
    workers = jobs or cpu_count()
    timeout = world.limits.render_seconds
    with ExitStack() as stack:
        opened: list[Executor] = []

        def pool(count: int) -> Executor:
            if not opened:
                opened.append(stack.enter_context(open_executor(kind, min(workers, count), request.formats,
                                                                timeout=timeout, scheduler=scheduler, world=world)))
            return opened[0]

        one_edition = documents == 1 and len(request.languages) == 1 and len(request.formats) == 1  # inline
        if kind == "process" and workers > 1 and not one_edition and (request.force or not cached):
            pool(workers)
        yield pool
