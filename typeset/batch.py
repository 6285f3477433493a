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

What a build guarantees about OUT: every file is written atomically and inside OUT (a manifest
entry, a cache entry or a folder link that leads out is refused); two documents of one build
never share an id (the second is an error); the manifest stops listing a file before that file
is written anew and lists it again once it is, and is written last — killed at any moment
(SIGKILL included), a build leaves a manifest whose every entry is true; stopped (Ctrl-C,
SIGTERM), it stops its workers and writes the manifest of what it finished.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Collection, Sequence
from concurrent.futures import Executor, Future, as_completed
from contextlib import ExitStack
from dataclasses import asdict, dataclass, field, fields, replace
from pathlib import Path
from typing import TYPE_CHECKING

from typeset import __version__
from typeset.cache import (
    CACHE_FILE, BuildCache, code_digest, edition_key, folder_digest, input_digests, inside, source_folder,
    written_files,
)
from typeset.diagnostics import Diagnostics, Severity, Span
from typeset.errors import OutputError, RenderError, Terminated, TypesetError, UsageError
from typeset.jobs import open_executor, render_job
from typeset.render import FORMATS, Output, RenderContext, RenderOptions
from typeset.source.folders import locate
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


@dataclass
class Prepared:
    """A document read, checked against its layout and fonts, and ready to render."""

    loaded: Loaded
    diagnostics: Diagnostics
    context: RenderContext | None = None
    refused: set[str] = field(default_factory=set)

    @property
    def document(self) -> Document | None:
        return self.loaded.document if self.context else None


def prepare(source: Path, world: World, layout: str | None = None,
            options: RenderOptions = RenderOptions()) -> Prepared:
    """Load, validate and lint a document, then preflight its glyphs against its fonts."""
    from typeset.fonts import load_fonts
    from typeset.layout import load_layout
    from typeset.preflight import preflight
    from typeset.source import load_document

    loaded = load_document(source, world)
    prepared = Prepared(loaded, Diagnostics(list(loaded.diagnostics.items)))
    document = loaded.document
    if document is None:
        return prepared
    try:
        edition_layout = load_layout(layout or _document_layout(document), world)
    except TypesetError as error:
        prepared.diagnostics.error(Span(loaded.path), error.message, error.hint, code="layout")
        return prepared
    document_world = world.with_roots(document.root or Path(source), edition_layout.root)
    fonts = load_fonts(document_world)
    checked = preflight(loaded, fonts, edition_layout, document_world.read_bytes)
    prepared.diagnostics.extend(checked.diagnostics)
    prepared.refused = checked.refused
    prepared.context = RenderContext(edition_layout, fonts, document_world, document_world.build_time(document.date),
                                     options)
    return prepared


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
    world: World | None = None,
    events: BuildEvents | None = None,
) -> BuildResult:
    """Build every edition asked for; render only those whose inputs changed (unless ``force``).

    Interrupted (Ctrl-C, or SIGTERM turned into :class:`~typeset.errors.Terminated` by the command
    line), it stops the workers, writes the manifest of what is done, and lets the interruption go on.
    """
    world = world or World([])
    events = events or BuildEvents()
    result = BuildResult()
    formats = [name for name in FORMATS if name in formats] if formats else list(FORMATS)
    sources = list(dict.fromkeys(Path(source).resolve() for source in sources))  # each document once
    cache = BuildCache.load(out)
    previous = read_manifest(out)
    written = written_files(cache, (MANIFEST, INDEX, CACHE_FILE))
    planned: list[_Job] = []
    to_render: list[_Job] = []
    keys: dict[str, str] = {}  # source -> its key, for the documents read and planned now
    clean: set[str] = set()  # … of which those that gave no diagnostic at all
    inputs: dict[str, dict[str, str]] = {}  # … and what each read
    interrupted: BaseException | None = None
    try:
        with ExitStack() as stack:
            pool: Executor | None = None
            workers = jobs or cpu_count()
            one_edition = len(sources) == 1 and len(languages) == 1 and len(formats) == 1  # inline: no pool
            if executor == "process" and workers > 1 and not one_edition and (force or not cache.entries):
                # Everything will be rendered: the workers start (and import WeasyPrint) while this
                # process reads and checks the documents. Otherwise they start once it is known that
                # something changed, so that a no-op rebuild spawns none.
                pool = stack.enter_context(open_executor(executor, workers, formats,
                                                         timeout=world.limits.render_seconds))
            request = _request_key((tuple(languages), tuple(formats), layout, options, allow_missing_glyphs), world)
            owners: dict[str, Path] = {}  # document id -> the document.yaml that has it
            for source in sources:
                name = str(source)
                key = _source_key(source, request, world, written)
                listed = None if force or key is None else _listed(cache.unchanged_source(name, key, world))
                if listed is not None:  # nothing it depends on changed: not even read again
                    if not _claim(owners, listed[0].document if listed else None, locate(source), None, result):
                        for artefact in listed:
                            _unchanged(_label(artefact.document, artefact.language, artefact.format), artefact,
                                       result, events)
                    continue
                plan = _plan(source, name, languages, formats, layout, options, allow_missing_glyphs, world)
                result.diagnostics.extend(plan.diagnostics)
                cache.forget_source(name)
                if _claim(owners, plan.document_id, locate(source), plan.id_span, result):
                    continue
                planned += plan.jobs
                if key is not None:
                    keys[name], inputs[name] = key, plan.inputs
                    if not plan.diagnostics.items:
                        clean.add(name)
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
                _retract(out, previous, _touched(to_render), world)
                if pool is None:
                    pool = stack.enter_context(open_executor(executor, min(workers, len(to_render)), formats,
                                                             timeout=world.limits.render_seconds, scheduler=scheduler))
                _render(pool, to_render, out, world, cache, result, events)
    except (KeyboardInterrupt, Terminated) as error:  # the workers are stopped: commit what is done
        interrupted = error
    _record_sources(cache, planned, keys, clean, inputs, result)
    if result.artefacts or result.unchanged or to_render or previous:
        _commit(out, previous, result, _touched(to_render), cache, world)
    if interrupted is not None:
        raise interrupted
    return result


def _render(pool: Executor, jobs: list[_Job], out: Path, world: World, cache: BuildCache, result: BuildResult,
            events: BuildEvents) -> None:
    """Send the jobs to the executor, the longest first (no straggler at the end), and write each
    result as it arrives."""
    futures = {}
    for job in sorted(jobs, key=_cost, reverse=True):
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


def _claim(owners: dict[str, Path], document_id: str | None, meta: Path, span: Span | None,
           result: BuildResult) -> bool:
    """Whether ``document_id`` is already another document's in this build (then an error here):
    two documents with one id would write the same files."""
    if document_id is None:
        return False
    first = owners.setdefault(document_id, meta)
    if first == meta:
        return False
    result.diagnostics.error(span or Span(meta), f"the id '{document_id}' is also the id of {first}, built before it",
                             "give each document its own id: its files are named after it", code="id")
    return True


def _listed(fields: list[dict[str, object]] | None) -> list[Artefact] | None:
    """The cached artefacts of an unchanged document, if every one is well formed."""
    if fields is None:
        return None
    listed = [artefact for artefact in map(_artefact, fields) if artefact is not None]
    return listed if len(listed) == len(fields) else None


def _touched(jobs: Collection[_Job]) -> set[tuple[str, str, str]]:
    """The manifest keys (document, language, format) this build writes anew."""
    return {(job.edition.document_id, job.edition.language.tag, job.format) for job in jobs}


def _commit(out: Path, previous: list[Artefact], result: BuildResult, touched: set[tuple[str, str, str]],
            cache: BuildCache, world: World) -> None:
    """The index, the cache, and last the manifest: what OUT holds after this build."""
    listed = merge_manifest(out, previous, [*result.unchanged, *result.artefacts], touched)
    data = manifest_bytes(listed)
    if data != _read_bytes(out / MANIFEST) or result.artefacts or not (out / INDEX).is_file():
        from typeset.render.index import index_html

        world.write_atomic(out / INDEX, index_html(listed))
    cache.save(world)
    write_manifest(out, listed, world)


def _retract(out: Path, previous: list[Artefact], touched: set[tuple[str, str, str]], world: World) -> None:
    """Before a file listed in the manifest is written anew, the manifest stops listing it: killed at
    any moment, a build leaves a manifest in which every entry is true (some may be missing)."""
    kept = [a for a in previous if not _superseded(a, touched)]
    if len(kept) != len(previous):
        write_manifest(out, kept, world)
        from typeset.render.index import index_html

        world.write_atomic(out / INDEX, index_html(kept))


def _superseded(artefact: Artefact, touched: set[tuple[str, str, str]]) -> bool:
    """Whether this build writes the artefact's file anew (an HTML edition's fonts go with it)."""
    fmt = "html" if artefact.format not in FORMATS else artefact.format
    return (artefact.document, artefact.language, fmt) in touched


def _unchanged(label: str, artefact: Artefact, result: BuildResult, events: BuildEvents) -> None:
    events.planned(label)
    result.unchanged.append(artefact)
    events.finished(label, artefact, unchanged=True)


def _request_key(request: tuple[object, ...], world: World) -> str | None:
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


def _source_key(source: Path, request: str | None, world: World, written: frozenset[Path]) -> str | None:
    """A key for everything a document's editions depend on, made without reading the document:
    its folder as it lies on disk (the files typeset wrote left out, wherever OUT lies) and
    :func:`_request_key`. What it read last time, under any name, is checked beside it
    (:meth:`BuildCache.unchanged_source`)."""
    folder = source_folder(source)
    if request is None:
        return None
    try:
        digest = folder_digest(world.with_roots(folder), folder, skip=written)
    except (OSError, RuntimeError, TypesetError):
        return None
    return hashlib.sha256(f"{request}\n{folder}\n{digest}".encode()).hexdigest()


def _record_sources(cache: BuildCache, planned: list[_Job], keys: dict[str, str], clean: set[str],
                    inputs: dict[str, dict[str, str]], result: BuildResult) -> None:
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
        cache.record_source(name, keys[name], [asdict(a) for a in editions], [*mains, *files], inputs[name])


_FORMAT_COST = {"pdf": 10, "docx": 2, "html": 1}  # relative render times, from benchmarks/run


def _cost(job: _Job) -> int:
    """A rough guess of a job's render time: its format's weight × the signatories it lists."""
    return _FORMAT_COST.get(job.format, 1) * (len(job.edition.entries) + 20)


def _fresh(cache: BuildCache, job: _Job):  # type: ignore[no-untyped-def]
    """The cache entry of the job's file if it, and every file written beside it, is unchanged."""
    entry = cache.fresh(job.relative, job.key)
    beside = [path for path, e in cache.entries.items() if e.key == job.key and path != job.relative]
    return entry if entry is not None and all(cache.fresh(path, job.key) for path in beside) else None


@dataclass(frozen=True, slots=True)
class _Plan:
    """What reading one document gives: the jobs to run and what was found on the way."""

    jobs: list[_Job]
    diagnostics: Diagnostics
    document_id: str | None = None
    id_span: Span | None = None
    inputs: dict[str, str] = field(default_factory=dict)  # every file and folder read: its digest


def _plan(source: Path, name: str, languages: Sequence[str], formats: Sequence[str], layout: str | None,
          options: RenderOptions, allow_missing_glyphs: bool, world: World) -> _Plan:
    """Read and check a document; the editions to build, each with its cache key."""
    from typeset.model.edition import make_edition

    prepared = prepare(source, world, layout, options)
    document, context = prepared.document, prepared.context
    diagnostics = Diagnostics()
    if document is None or context is None:
        diagnostics.extend(prepared.diagnostics)
        return _Plan([], diagnostics)
    if allow_missing_glyphs:  # the missing glyphs are still reported, as warnings
        prepared.diagnostics.items = [
            replace(d, severity=Severity.WARNING) if d.code == "glyph" else d for d in prepared.diagnostics.items]
    diagnostics.extend(prepared.diagnostics)
    shared = [p for p in document.files if p not in {t.path for t in document.texts.values()}]
    layout_digest = folder_digest(context.world, context.layout.root)
    fonts_digest = hashlib.sha256(context.world.read_bytes(context.fonts.root / "manifest.toml")).hexdigest()
    planned = []
    for language in _languages(document, languages, prepared.loaded.path, diagnostics):
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
    folder = source_folder(source)
    read = [Path(p).resolve() for p in (*document.files, context.layout.root)]
    inputs = input_digests(context.world, [p for p in read if p.is_relative_to(folder)])
    return _Plan(planned, diagnostics, document.id, prepared.loaded.id_span, inputs)


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
            world.write_atomic(_confined(out, relative), beside.data)
            written.append(Artefact(edition.document_id, edition.language.tag, beside.kind, relative,
                                    len(beside.data), hashlib.sha256(beside.data).hexdigest(), edition.title))
        data = output.data
        world.write_atomic(_confined(out, job.relative), data)
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


def _document_layout(document: Document) -> str | None:
    """The layout ``document.yaml`` names: a bundled one, or a folder inside the document's folder
    (a source may not make typeset read a layout elsewhere; ``--layout`` on the command line may)."""
    if not document.layout or not document.root:
        return document.layout
    folder = document.root / document.layout
    if folder.is_dir() or "/" in document.layout or "\\" in document.layout:
        if not folder.resolve().is_relative_to(document.root.resolve()):
            raise UsageError(f"layout '{document.layout}' is outside the document's folder",
                             hint="copy the layout into the document's folder, or name it with --layout")
        return str(folder)
    return document.layout


def _languages(document: Document, wanted: Sequence[str], path: Path, diagnostics: Diagnostics) -> list[str]:
    declared = [language.tag for language in document.languages]
    if not wanted:
        return declared
    chosen = []
    for tag in wanted:
        match = next((d for d in declared if d.lower() == tag.lower()), None)
        same_language = [d for d in declared if d.split("-")[0].lower() == tag.lower()]
        if match is None and len(same_language) == 1:
            match = same_language[0]  # "--lang en" for a document whose English is en-GB
        if match is None:
            diagnostics.error(Span(path), f"document '{document.id}' has no '{tag}' edition",
                              f"its languages are {', '.join(declared)}", code="usage")
        else:
            chosen.append(match)
    return chosen


def _confined(out: Path, relative: str) -> Path:
    """``OUT/relative``, once it is sure to stay inside OUT (a folder on the way may be a link)."""
    if not inside(out, relative):
        raise OutputError(f"{out / relative}: outside the output folder {out}",
                          hint="a folder in OUT is a link to somewhere else: remove it")
    return out / relative


_SHA256 = re.compile(r"[0-9a-f]{64}")


def _artefact(item: object) -> Artefact | None:
    """An artefact from the manifest or the cache, if it is well formed."""
    if not isinstance(item, dict) or not {"document", "language", "format", "path", "bytes", "sha256"} <= set(item):
        return None
    texts = [item.get(k, "") for k in ("document", "language", "format", "path", "sha256", "title")]
    size = item["bytes"]
    if not all(isinstance(t, str) for t in texts) or not isinstance(size, int) or isinstance(size, bool) \
            or size < 0 or not _SHA256.fullmatch(item["sha256"]) or set(item) - {f.name for f in fields(Artefact)}:
        return None
    return Artefact(**item)


def read_manifest(out: Path) -> list[Artefact]:
    """The artefacts ``OUT/manifest.json`` lists whose entry is well formed and whose path stays
    inside OUT; nothing if it is missing or not the JSON typeset writes."""
    try:
        items = json.loads(_read_bytes(out / MANIFEST) or b"{}").get("artefacts", [])
    except (ValueError, AttributeError, RecursionError):
        return []
    found = [_artefact(item) for item in (items if isinstance(items, list) else [])]
    return [a for a in found if a is not None and inside(out, a.path)]


def _read_bytes(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except OSError:
        return None


def merge_manifest(out: Path, previous: Sequence[Artefact], artefacts: Sequence[Artefact],
                   touched: Collection[tuple[str, str, str]] = ()) -> list[Artefact]:
    """These artefacts, and the earlier ones whose file is still there — but of those this build
    wrote anew (``touched``) only the ones whose file is untouched (the render failed), and no
    font of an HTML edition written now. Ordered by document, language, then format (editions
    first, then fonts)."""
    def kept(a: Artefact) -> bool:
        path = out / a.path
        if not path.is_file():
            return False
        if not _superseded(a, set(touched)):
            return True
        return a.format in FORMATS and _sha256(path) == a.sha256

    merged = {(a.document, a.language, a.format, a.path): a for a in previous if kept(a)}
    merged.update({(a.document, a.language, a.format, a.path): a for a in artefacts})
    kinds = list(FORMATS)
    return [merged[key] for key in sorted(
        merged, key=lambda k: (k[0], k[1], kinds.index(k[2]) if k[2] in kinds else len(kinds), k[2], k[3]))]


def _sha256(path: Path) -> str | None:
    data = _read_bytes(path)
    return hashlib.sha256(data).hexdigest() if data is not None else None


def manifest_bytes(artefacts: Sequence[Artefact]) -> bytes:
    payload = {"typeset": __version__, "artefacts": [asdict(a) for a in artefacts]}
    return (json.dumps(payload, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def write_manifest(out: Path, artefacts: Sequence[Artefact], world: World) -> bool:
    """Write ``OUT/manifest.json`` (atomically) if it would change; whether it did."""
    data = manifest_bytes(artefacts)
    if data == _read_bytes(out / MANIFEST):  # a build with nothing new leaves the file as it was
        return False
    world.write_atomic(out / MANIFEST, data)
    return True
