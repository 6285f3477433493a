"""Builds: the only loop over documents x languages x formats.

In: source folders, the languages and formats asked for, a layout and an output folder.
Steps: read and check every document (errors stop only that document); plan one job per
edition and format, each with a key of everything it depends on (:mod:`typeset.cache`); skip
the ones whose key and file are unchanged; send the rest to an executor — warm worker
processes by default (:mod:`typeset.workers`), or a Dask cluster — and write each result
atomically to ``OUT/<document id>/<document id>.<lang>.<ext>`` as it arrives. Out: an
``OUT/manifest.json`` listing every artefact (merged with those of earlier builds that are
still there) and a :class:`BuildResult`. A failing or killed edition does not stop the others.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from concurrent.futures import Future, as_completed
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

from typeset import __version__
from typeset.diagnostics import Diagnostics, Severity, Span
from typeset.errors import TypesetError
from typeset.fonts import load_fonts
from typeset.layout import load_layout
from typeset.model.document import Document
from typeset.model.edition import Edition, make_edition
from typeset.cache import BuildCache, edition_key, folder_digest
from typeset.jobs import open_executor, render_job
from typeset.render import FORMATS, RenderContext, RenderOptions
from typeset.preflight import preflight
from typeset.source import Loaded, load_document
from typeset.workers import JobTimedOut, WorkerDied, cpu_count
from typeset.world import World

MANIFEST = "manifest.json"


@dataclass(frozen=True, slots=True)
class Artefact:
    document: str
    language: str
    format: str
    path: str
    bytes: int
    sha256: str


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
    loaded = load_document(source, world)
    prepared = Prepared(loaded, Diagnostics(list(loaded.diagnostics.items)))
    document = loaded.document
    if document is None:
        return prepared
    try:
        edition_layout = load_layout(layout or _document_layout(document))
    except TypesetError as error:
        prepared.diagnostics.error(Span(loaded.path), error.message, error.hint, code="layout")
        return prepared
    document_world = world.with_roots(document.root or Path(source), edition_layout.root)
    fonts = load_fonts(document_world)
    checked = preflight(loaded, fonts, edition_layout)
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

    @property
    def label(self) -> str:
        return f"{self.edition.document_id} [{self.edition.language.tag}, {self.format}]"


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
    """Build every edition asked for; render only those whose inputs changed (unless ``force``)."""
    world = world or World([])
    events = events or BuildEvents()
    result = BuildResult()
    formats = [name for name in FORMATS if name in formats] if formats else list(FORMATS)
    cache = BuildCache.load(out)
    planned = _plan(sources, languages, formats, layout, options, allow_missing_glyphs, world, result)
    to_render = []
    for job in planned:
        events.planned(job.label)
        entry = None if force else cache.fresh(job.relative, job.key)
        if entry is not None:
            artefact = Artefact(job.edition.document_id, job.edition.language.tag, job.format, job.relative,
                                entry.bytes, entry.sha256)
            result.unchanged.append(artefact)
            events.finished(job.label, artefact, unchanged=True)
        else:
            to_render.append(job)
    if to_render:
        workers = min(jobs or cpu_count(), len(to_render))
        with open_executor(executor, workers, formats, timeout=world.limits.render_seconds,
                           scheduler=scheduler) as pool:
            futures = {}
            for job in to_render:
                futures[pool.submit(render_job, job.edition, job.format, job.context)] = job
                events.rendering(job.label)
            for future in as_completed(futures):
                job = futures[future]
                outcome = _collect(job, future, out, world)
                if isinstance(outcome, Artefact):
                    result.artefacts.append(outcome)
                    cache.record(job.relative, job.key, outcome.sha256, outcome.bytes)
                else:
                    result.failures.append(outcome)
                events.finished(job.label, outcome)
    if result.artefacts or result.unchanged:
        write_manifest(out, [*result.unchanged, *result.artefacts], world)
        cache.save(world)
    return result


def _plan(sources: Sequence[Path], languages: Sequence[str], formats: Sequence[str], layout: str | None,
          options: RenderOptions, allow_missing_glyphs: bool, world: World, result: BuildResult) -> list[_Job]:
    """Read and check every document; the editions to build, each with its cache key."""
    planned = []
    for source in sources:
        prepared = prepare(source, world, layout, options)
        document, context = prepared.document, prepared.context
        if document is None or context is None:
            result.diagnostics.extend(prepared.diagnostics)
            continue
        if allow_missing_glyphs:  # the missing glyphs are still reported, as warnings
            prepared.diagnostics.items = [
                replace(d, severity=Severity.WARNING) if d.code == "glyph" else d for d in prepared.diagnostics.items]
        result.diagnostics.extend(prepared.diagnostics)
        shared = [p for p in document.files if p not in {t.path for t in document.texts.values()}]
        layout_digest = folder_digest(context.world, context.layout.root)
        fonts_digest = hashlib.sha256(context.world.read_bytes(context.fonts.root / "manifest.toml")).hexdigest()
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
                                    output_path(edition.document_id, language, format_name), key))
    return planned


def _collect(job: _Job, future: Future[bytes], out: Path, world: World) -> Artefact | Failure:
    """Write what a worker rendered, atomically; or say why there is nothing to write."""
    edition = job.edition
    try:
        data = future.result()
        world.write_atomic(out / job.relative, data)
    except TypesetError as error:
        return Failure(edition.document_id, edition.language.tag, job.format, error.message, error.hint)
    except (WorkerDied, JobTimedOut) as error:
        return Failure(edition.document_id, edition.language.tag, job.format, str(error),
                       "the other editions were built; build again to retry this one")
    except Exception as error:  # a renderer bug must not take the other editions down
        return Failure(edition.document_id, edition.language.tag, job.format,
                       f"{type(error).__name__}: {error}", "this is a bug in typeset; please report it")
    return Artefact(edition.document_id, edition.language.tag, job.format, job.relative, len(data),
                    hashlib.sha256(data).hexdigest())


def _document_layout(document: Document) -> str | None:
    if document.layout and document.root and (document.root / document.layout).is_dir():
        return str(document.root / document.layout)
    return document.layout


def _languages(document: Document, wanted: Sequence[str], path: Path, result: BuildResult) -> list[str]:
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
            result.diagnostics.error(Span(path), f"document '{document.id}' has no '{tag}' edition",
                                     f"its languages are {', '.join(declared)}", code="usage")
        else:
            chosen.append(match)
    return chosen


def read_manifest(out: Path) -> list[Artefact]:
    path = out / MANIFEST
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return [Artefact(**item) for item in data.get("artefacts", [])]
    except (OSError, ValueError, TypeError):
        return []


def write_manifest(out: Path, artefacts: Sequence[Artefact], world: World) -> None:
    """Merge these artefacts into ``OUT/manifest.json``, keeping earlier ones whose files remain."""
    merged = {(a.document, a.language, a.format): a for a in read_manifest(out) if (out / a.path).is_file()}
    merged.update({(a.document, a.language, a.format): a for a in artefacts})
    ordered = [merged[key] for key in sorted(merged, key=lambda k: (k[0], k[1], list(FORMATS).index(k[2])))]
    payload = {"typeset": __version__, "artefacts": [asdict(a) for a in ordered]}
    world.write_atomic(out / MANIFEST, (json.dumps(payload, indent=2, ensure_ascii=False) + "\n").encode("utf-8"))
