"""Builds: the only loop over documents x languages x formats.

In: source folders, the languages and formats asked for, a layout and an output folder.
Steps: read and check every document (errors stop only that document); plan one job per
edition and format, each with a key of everything it depends on (:mod:`typeset.cache`); skip
the ones whose key and file are unchanged; send the rest to an executor — warm worker
processes by default (:mod:`typeset.workers`), or a Dask cluster — and write each result
atomically to ``OUT/<document id>/<document id>.<lang>.<ext>`` as it arrives (after the files
it needs beside it, such as an HTML edition's fonts). Out: an ``OUT/manifest.json`` listing every
artefact (merged with those of earlier builds that are still there), an ``OUT/index.html`` that
links them all, and a :class:`BuildResult`. A failing or killed edition does not stop the others.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Collection, Sequence
from concurrent.futures import Executor, Future, as_completed
from contextlib import ExitStack
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from typeset import __version__
from typeset.cache import BuildCache, code_digest, edition_key, folder_digest
from typeset.diagnostics import Diagnostics, Severity, Span
from typeset.errors import RenderError, TypesetError
from typeset.jobs import open_executor, render_job
from typeset.render import FORMATS, Output, RenderContext, RenderOptions
from typeset.workers import JobTimedOut, WorkerDied, cpu_count
from typeset.world import FONTS_DIR, LAYOUTS_DIR, World

if TYPE_CHECKING:
    from typeset.model.document import Document
    from typeset.model.edition import Edition
    from typeset.source import Loaded

# Reading and checking a document (pydantic, ruamel.yaml, markdown-it, fontTools, Babel) is
# imported when a document is read, not before: a rebuild with nothing to do reads none.

MANIFEST = "manifest.json"
INDEX = "index.html"


@dataclass(frozen=True, slots=True)
class Artefact:
    document: str
    language: str
    format: str
    path: str
    bytes: int
    sha256: str
    title: str = ""  # the edition's title (for the index)


@dataclass(frozen=True, slots=True)
class Failure:
    document: str
    language: str
    format: str
    message: str
    hint: str | None = None


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


def output_path(document_id: str, language: str, format_name: str) -> str:
    return f"{document_id}/{document_id}.{language}.{FORMATS[format_name].extension}"


class BuildEvents:
    """What a build tells its caller as it goes; the command line shows it. Does nothing here."""

    def planned(self, label: str) -> None:
        """An edition will be built (or found unchanged)."""

    def rendering(self, label: str) -> None:
        """An edition went to a worker."""

    def finished(self, label: str, outcome: Artefact | Failure, *, unchanged: bool = False) -> None:
        """An edition was written, found unchanged, or failed."""


@dataclass(frozen=True, slots=True)
class _Job:
    edition: Edition
    format: str
    context: RenderContext
    relative: str
    key: str
    source: str  # the document folder it comes from, resolved

    @property
    def label(self) -> str:
        return _label(self.edition.document_id, self.edition.language.tag, self.format)


def _label(document: str, language: str, format_name: str) -> str:
    return f"{document} [{language}, {format_name}]"


def build(
    sources: Sequence[Path],
    out: Path,
    *,
    languages: Sequence[str] = (),
    formats: Sequence[str] = (),
    layout: str | None = None,
    options: RenderOptions = RenderOptions(),
    allow_missing_glyphs: bool = False,
    force: bool = False,
    jobs: int | None = None,
    executor: str = "process",
    scheduler: str | None = None,
    world: World,
    events: BuildEvents | None = None,
) -> BuildResult:
    """Build every edition asked for; render only those whose inputs changed (unless ``force``)."""
    events = events or BuildEvents()
    result = BuildResult()
    formats = [name for name in FORMATS if name in formats] if formats else list(FORMATS)
    cache = BuildCache.load(out)
    with ExitStack() as stack:
        pool: Executor | None = None
        workers = jobs or cpu_count()
        one_edition = len(sources) == 1 and len(languages) == 1 and len(formats) == 1  # inline: no pool
        if executor == "process" and workers > 1 and not one_edition and (force or not cache.entries):
            # Everything will be rendered: the workers start (and import WeasyPrint) while this
            # process reads and checks the documents. Otherwise they start once it is known that
            # something changed, so that a no-op rebuild spawns none.
            pool = stack.enter_context(open_executor(executor, workers, formats, timeout=world.limits.render_seconds))
        request = _request_key(out, (tuple(languages), tuple(formats), layout, options, allow_missing_glyphs), world)
        planned: list[_Job] = []
        keys: dict[str, str] = {}  # source -> its key, for the documents read and planned now
        clean: set[str] = set()  # … of which those that gave no diagnostic at all
        for source in sources:
            name = str(Path(source).resolve())
            key = _source_key(source, out, request, world)
            listed = None if force or key is None else cache.unchanged_source(name, key)
            if listed is not None:  # nothing it depends on changed: not even read again
                for fields in listed:
                    artefact = Artefact(**fields)
                    _unchanged(_label(artefact.document, artefact.language, artefact.format), artefact, result, events)
                continue
            own = BuildResult()
            planned += _plan(source, name, languages, formats, layout, options, allow_missing_glyphs, world, own)
            result.diagnostics.extend(own.diagnostics)
            cache.forget_source(name)
            if key is not None:
                keys[name] = key
                if not own.diagnostics.items:
                    clean.add(name)
        to_render = []
        for job in planned:
            entry = None if force else _fresh(cache, job)
            if entry is not None:
                _unchanged(job.label, Artefact(job.edition.document_id, job.edition.language.tag, job.format,
                                               job.relative, entry.bytes, entry.sha256, job.edition.title),
                           result, events)
            else:
                events.planned(job.label)
                to_render.append(job)
        if to_render:
            if pool is None:
                pool = stack.enter_context(open_executor(executor, min(workers, len(to_render)), formats,
                                                         timeout=world.limits.render_seconds, scheduler=scheduler))
            futures = {}
            for job in sorted(to_render, key=_cost, reverse=True):  # the longest first: no straggler at the end
                futures[pool.submit(render_job, job.edition, job.format, job.context)] = job
                events.rendering(job.label)
            for future in as_completed(futures):
                job = futures[future]
                outcome = _collect(job, future, out, world)
                if isinstance(outcome, list):
                    for artefact in outcome:
                        result.artefacts.append(artefact)
                        cache.record(artefact.path, job.key, artefact.sha256, artefact.bytes)
                        events.finished(job.label, artefact)
                else:
                    result.failures.append(outcome)
                    events.finished(job.label, outcome)
    _record_sources(cache, planned, keys, clean, result)
    if result.artefacts or result.unchanged:
        rendered = {(a.document, a.language, a.format) for a in result.artefacts}
        listed, changed = write_manifest(out, [*result.unchanged, *result.artefacts], world, rendered=rendered)
        if changed or result.artefacts or not (out / INDEX).is_file():
            from typeset.render.index import index_html

            world.write_atomic(out / INDEX, index_html(listed))
        cache.save(world)
    return result


def _unchanged(label: str, artefact: Artefact, result: BuildResult, events: BuildEvents) -> None:
    events.planned(label)
    result.unchanged.append(artefact)
    events.finished(label, artefact, unchanged=True)


def _request_key(out: Path, request: tuple[object, ...], world: World) -> str | None:
    """What every document's key shares: typeset's code, the layouts (the bundled ones, or the one
    ``--layout`` names), the fonts' manifest, what was asked for and ``SOURCE_DATE_EPOCH``."""
    layout = request[2]
    layout_root = (Path(str(layout)) if layout and Path(str(layout)).is_dir() else LAYOUTS_DIR).resolve()
    reader = world.with_roots(layout_root)
    try:
        layouts = folder_digest(reader, layout_root)
        fonts = hashlib.sha256(reader.read_bytes(FONTS_DIR / "manifest.toml")).hexdigest()
    except (OSError, TypesetError):
        return None
    parts = (code_digest(), layouts, fonts, repr(request), world.environ.get("SOURCE_DATE_EPOCH"))
    return hashlib.sha256("\n".join(map(str, parts)).encode()).hexdigest()


def _source_key(source: Path, out: Path, request: str | None, world: World) -> str | None:
    """A key for everything a document's editions depend on, made without reading the document:
    its folder as it lies on disk (the output folder left out) and :func:`_request_key`."""
    folder = Path(source).resolve()
    folder = folder if folder.is_dir() else folder.parent
    if request is None:
        return None
    try:
        return hashlib.sha256(f"{request}\n{folder}\n{folder_digest(world.with_roots(folder), folder, skip=out)}"
                              .encode()).hexdigest()
    except (OSError, TypesetError):
        return None


def _record_sources(cache: BuildCache, planned: list[_Job], keys: dict[str, str], clean: set[str],
                    result: BuildResult) -> None:
    """Remember the documents whose editions all came out, with no diagnostic, for the next build."""
    failed = {(f.document, f.language, f.format) for f in result.failures}
    listed = [*result.unchanged, *result.artefacts]
    for name in clean:
        jobs = [job for job in planned if job.source == name]
        if not jobs or any((j.edition.document_id, j.edition.language.tag, j.format) in failed for j in jobs):
            continue
        mains = {job.relative for job in jobs}
        editions = [a for a in listed if a.path in mains]
        if len(editions) != len(mains):
            continue
        job_keys = {job.key for job in jobs}
        files = [path for path, entry in cache.entries.items() if entry.key in job_keys]  # fonts beside too
        cache.record_source(name, keys[name], [asdict(a) for a in editions], [*mains, *files])


def _cost(job: _Job) -> int:
    """A rough guess of a job's render time: its format's cost × the signatories it lists."""
    return FORMATS[job.format].cost * (len(job.edition.entries) + 20)


def _fresh(cache: BuildCache, job: _Job):  # type: ignore[no-untyped-def]
    """The cache entry of the job's file if it, and every file written beside it, is unchanged."""
    entry = cache.fresh(job.relative, job.key)
    beside = [path for path, e in cache.entries.items() if e.key == job.key and path != job.relative]
    return entry if entry is not None and all(cache.fresh(path, job.key) for path in beside) else None


def _plan(source: Path, name: str, languages: Sequence[str], formats: Sequence[str], layout: str | None,
          options: RenderOptions, allow_missing_glyphs: bool, world: World, result: BuildResult) -> list[_Job]:
    """Read and check a document; the editions to build, each with its cache key."""
    from typeset.model.edition import make_edition

    from typeset.prepare import prepare

    prepared = prepare(source, world, layout, options)
    document, context = prepared.document, prepared.context
    if document is None or context is None:
        result.diagnostics.extend(prepared.diagnostics)
        return []
    if allow_missing_glyphs:  # the missing glyphs are still reported, as warnings
        prepared.diagnostics.items = [
            replace(d, severity=Severity.WARNING) if d.code == "glyph" else d for d in prepared.diagnostics.items]
    result.diagnostics.extend(prepared.diagnostics)
    shared = [p for p in document.files if p not in {t.path for t in document.texts.values()}]
    layout_digest = folder_digest(context.world, context.layout.root)
    fonts_digest = hashlib.sha256(context.world.read_bytes(context.fonts.root / "manifest.toml")).hexdigest()
    planned = []
    for language in _languages(document, languages, prepared.loaded.path, result):
        if language in prepared.refused and not allow_missing_glyphs:
            continue
        edition = make_edition(document, language)
        own = document.texts[language].path
        files = [*shared, *([own] if own else [])]
        for format_name in formats:
            key = edition_key(format_name, language, options, context.build_time.isoformat(), layout_digest,
                              fonts_digest, files=files, world=context.world)
            planned.append(_Job(edition, format_name, context,
                                output_path(edition.document_id, language, format_name), key, name))
    return planned


def _collect(job: _Job, future: Future[bytes | Output], out: Path, world: World) -> list[Artefact] | Failure:
    """Write what a worker rendered, atomically, the files beside it first; or say why there is
    nothing to write."""
    edition = job.edition
    written = []
    try:
        output = future.result()
        output = output if isinstance(output, Output) else Output(output)
        for beside in output.beside:
            if Path(beside.path).is_absolute() or ".." in Path(beside.path).parts:
                raise RenderError(f"a renderer asked to write {beside.path!r}, outside the edition's folder")
            relative = (Path(job.relative).parent / beside.path).as_posix()
            world.write_atomic(out / relative, beside.data)
            written.append(Artefact(edition.document_id, edition.language.tag, beside.kind, relative,
                                    len(beside.data), hashlib.sha256(beside.data).hexdigest(), edition.title))
        data = output.data
        world.write_atomic(out / job.relative, data)
    except TypesetError as error:
        return Failure(edition.document_id, edition.language.tag, job.format, error.message, error.hint)
    except (WorkerDied, JobTimedOut) as error:
        return Failure(edition.document_id, edition.language.tag, job.format, str(error),
                       "the other editions were built; build again to retry this one")
    except Exception as error:  # a renderer bug must not take the other editions down
        return Failure(edition.document_id, edition.language.tag, job.format,
                       f"{type(error).__name__}: {error}", "this is a bug in typeset; please report it")
    return [*written, Artefact(edition.document_id, edition.language.tag, job.format, job.relative, len(data),
                               hashlib.sha256(data).hexdigest(), edition.title)]


def _languages(document: Document, wanted: Sequence[str], path: Path, result: BuildResult) -> list[str]:
    from typeset.model.language import match_tag

    declared = [language.tag for language in document.languages]
    if not wanted:
        return declared
    chosen = []
    for tag in wanted:
        match = match_tag(declared, tag)  # "--lang en" for a document whose English is en-GB
        if match is None:
            result.diagnostics.error(Span(path), f"document '{document.id}' has no '{tag}' edition",
                                     f"its languages are {', '.join(declared)}", code="usage")
        else:
            chosen.append(match)
    return chosen


def _parse_manifest(data: bytes | None) -> list[Artefact]:
    try:
        return [Artefact(**item) for item in json.loads(data or b"{}").get("artefacts", [])]
    except (ValueError, TypeError, AttributeError):
        return []


def _read_bytes(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except OSError:
        return None


def write_manifest(out: Path, artefacts: Sequence[Artefact], world: World,
                   rendered: Collection[tuple[str, str, str]] = ()) -> tuple[list[Artefact], bool]:
    """Merge these artefacts into ``OUT/manifest.json``, keeping earlier ones whose files remain —
    but not the files that were beside an HTML edition ``rendered`` now (its fonts of before).
    Artefacts are ordered by document, language, then format (editions first, then fonts); returns them,
    and whether the file changed."""
    def kept(a: Artefact) -> bool:
        return (out / a.path).is_file() and (a.format in FORMATS or (a.document, a.language, "html") not in rendered)

    previous = _read_bytes(out / MANIFEST)
    merged = {(a.document, a.language, a.format, a.path): a for a in _parse_manifest(previous) if kept(a)}
    merged.update({(a.document, a.language, a.format, a.path): a for a in artefacts})
    kinds = list(FORMATS)
    ordered = [merged[key] for key in sorted(
        merged, key=lambda k: (k[0], k[1], kinds.index(k[2]) if k[2] in kinds else len(kinds), k[2], k[3]))]
    payload = {"typeset": __version__, "artefacts": [asdict(a) for a in ordered]}
    data = (json.dumps(payload, indent=2, ensure_ascii=False) + "\n").encode("utf-8")
    changed = previous != data
    if changed:  # a build with nothing new leaves the file as it was
        world.write_atomic(out / MANIFEST, data)
    return ordered, changed
