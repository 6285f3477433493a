"""Planning a build: which editions to render, which are up to date, and the key of each.

In: the document folders, what was asked for (a :class:`Request`: languages, formats, layout,
render options), the build cache and the world. Out: a :class:`BuildPlan` — the artefacts still
up to date (a document whose folder and inputs are unchanged is not even read again: the cache
lists them; an edition whose key and file are unchanged is not rendered again), the
:class:`Job` of every edition to render with its key (:mod:`typeset.cache`), every diagnostic
found while reading, and what the cache should remember of each document read now. Two
documents of one build with one id are an error at the second: they would write the same files.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from typeset.batch.manifest import INDEX, MANIFEST, Artefact, artefact, output_path
from typeset.cache import (
    CACHE_FILE,
    BuildCache,
    Entry,
    code_digest,
    edition_key,
    folder_digest,
    input_digests,
    source_folder,
    written_files,
)
from typeset.diagnostics import Diagnostic, Diagnostics, Severity, Span
from typeset.errors import TypesetError
from typeset.render import FORMATS, RenderContext, RenderOptions
from typeset.source.folders import locate
from typeset.world import FONTS_DIR, LAYOUTS_DIR, World

if TYPE_CHECKING:
    from typeset.model.document import Document
    from typeset.model.edition import Edition


@dataclass(frozen=True, slots=True)
class Request:
    """What a build was asked for (``languages`` and ``formats`` empty: all)."""

    languages: tuple[str, ...] = ()
    formats: tuple[str, ...] = ()  # in FORMATS' order
    layout: str | None = None
    options: RenderOptions = RenderOptions()
    allow_missing_glyphs: bool = False
    force: bool = False  # render every edition, changed or not


@dataclass(frozen=True, slots=True)
class Job:
    """One edition in one format to render, and where it goes."""

    edition: Edition
    format: str
    context: RenderContext
    relative: str  # its path in OUT
    key: str  # everything it depends on (typeset.cache.edition_key)
    source: str  # the document folder it comes from, resolved

    @property
    def label(self) -> str:
        return label(self.edition.document_id, self.edition.language.tag, self.format)

    @property
    def cost(self) -> int:
        """A rough guess of its render time: its format's cost × the signatories it lists."""
        return FORMATS[self.format].cost * (len(self.edition.entries) + 20)


def label(document: str, language: str, format_name: str) -> str:
    return f"{document} [{language}, {format_name}]"


@dataclass(frozen=True, slots=True)
class Source:
    """A document read now, for the cache: its key, whether it gave no diagnostic, what it read."""

    key: str
    clean: bool
    inputs: dict[str, str]


@dataclass
class BuildPlan:
    unchanged: list[Artefact] = field(default_factory=list)  # up to date: listed, not rendered
    jobs: list[Job] = field(default_factory=list)  # every edition planned from a document read now
    to_render: list[Job] = field(default_factory=list)  # … of which those whose file is not up to date
    diagnostics: Diagnostics = field(default_factory=Diagnostics)
    sources: dict[str, Source] = field(default_factory=dict)  # the documents read now that have a key


def plan_build(sources: Sequence[Path], out: Path, request: Request, cache: BuildCache, world: World) -> BuildPlan:
    """Read what changed, and plan the editions to render."""
    plan = BuildPlan()
    written = written_files(cache, (MANIFEST, INDEX, CACHE_FILE))
    shared = request_key(request, world)
    owners: dict[str, Path] = {}  # document id -> the document.yaml that has it
    for source in sources:
        name = str(source)
        key = source_key(source, shared, world, written)
        listed = None if request.force or key is None else _listed(cache.unchanged_source(name, key, world))
        if listed is not None:  # nothing it depends on changed: not even read again
            clash = _claim(owners, listed[0].document if listed else None, locate(source), None)
            plan.diagnostics.items += [clash] if clash else []
            plan.unchanged += [] if clash else listed
            continue
        document = plan_document(source, request, world)
        plan.diagnostics.extend(document.diagnostics)
        cache.forget_source(name)
        clash = _claim(owners, document.document_id, locate(source), document.id_span)
        if clash is not None:
            plan.diagnostics.items.append(clash)
            continue
        plan.jobs += document.jobs
        if key is not None:
            plan.sources[name] = Source(key, not document.diagnostics.items, document.inputs)
    for job in plan.jobs:
        entry = None if request.force else _fresh(cache, job)
        if entry is None:
            plan.to_render.append(job)
        else:
            plan.unchanged.append(Artefact(job.edition.document_id, job.edition.language.tag, job.format,
                                           job.relative, entry.bytes, entry.sha256, job.edition.title))
    return plan


@dataclass(frozen=True, slots=True)
class DocumentPlan:
    """What reading one document gives: the jobs to run and what was found on the way."""

    jobs: list[Job]
    diagnostics: Diagnostics
    document_id: str | None = None
    id_span: Span | None = None
    inputs: dict[str, str] = field(default_factory=dict)  # every file and folder read: its digest


def plan_document(source: Path, request: Request, world: World) -> DocumentPlan:
    """Read and check a document; the editions to build, each with its cache key."""
    from typeset.model.edition import make_edition
    from typeset.prepare import prepare

    prepared = prepare(source, world, request.layout, request.options)
    document, context = prepared.document, prepared.context
    diagnostics = Diagnostics()
    if document is None or context is None:
        diagnostics.extend(prepared.diagnostics)
        return DocumentPlan([], diagnostics)
    found = prepared.diagnostics.items
    if request.allow_missing_glyphs:  # the missing glyphs are still reported, as warnings
        found = [replace(d, severity=Severity.WARNING) if d.code == "glyph" else d for d in found]
    diagnostics.items += found
    shared = [p for p in document.files if p not in {t.path for t in document.texts.values()}]
    layout_digest = folder_digest(context.world, context.layout.root)
    fonts_digest = hashlib.sha256(context.world.read_bytes(context.fonts.root / "manifest.toml")).hexdigest()
    languages, unknown = choose_languages(document, request.languages, prepared.loaded.path)
    diagnostics.items += unknown
    jobs = []
    for language in languages:
        if language in prepared.refused and not request.allow_missing_glyphs:
            continue
        edition = make_edition(document, language)
        own = document.texts[language].path
        files = [*shared, *([own] if own else [])]
        for format_name in request.formats:
            key = edition_key(format_name, language, request.options, context.build_time.isoformat(), layout_digest,
                              fonts_digest, files=files, world=context.world)
            jobs.append(Job(edition, format_name, context, output_path(edition.document_id, language, format_name),
                            key, str(source)))
    folder = source_folder(source)
    read = [Path(p).resolve() for p in (*document.files, context.layout.root)]
    inputs = input_digests(context.world, [p for p in read if p.is_relative_to(folder)])
    return DocumentPlan(jobs, diagnostics, document.id, prepared.loaded.id_span, inputs)


def choose_languages(document: Document, wanted: Sequence[str], path: Path) -> tuple[list[str], list[Diagnostic]]:
    """The declared tags ``wanted`` names (all, if none is wanted), and an error for each that
    names none (:func:`~typeset.model.language.match_tag`: ``--lang en`` finds ``en-GB``)."""
    from typeset.model.language import match_tag

    declared = [language.tag for language in document.languages]
    if not wanted:
        return declared, []
    chosen, errors = [], []
    for tag in wanted:
        match = match_tag(declared, tag)
        if match is None:
            errors.append(Diagnostic(Severity.ERROR, Span(path), f"document '{document.id}' has no '{tag}' edition",
                                     f"its languages are {', '.join(declared)}", code="usage"))
        else:
            chosen.append(match)
    return chosen, errors


def request_key(request: Request, world: World) -> str | None:
    """What every document's key shares: typeset's code, the layouts (the bundled ones, or the one
    ``--layout`` names), the fonts' manifest, what was asked for and ``SOURCE_DATE_EPOCH``."""
    layout = request.layout
    layout_root = (Path(layout) if layout and Path(layout).is_dir() else LAYOUTS_DIR).resolve()
    reader = world.with_roots(layout_root)
    try:
        layouts = folder_digest(reader, layout_root)
        fonts = hashlib.sha256(reader.read_bytes(FONTS_DIR / "manifest.toml")).hexdigest()
    except (OSError, TypesetError):
        return None
    asked = (request.languages, request.formats, layout, request.options, request.allow_missing_glyphs)
    parts = (code_digest(world), layouts, fonts, repr(asked), world.environ.get("SOURCE_DATE_EPOCH"))
    return hashlib.sha256("\n".join(map(str, parts)).encode()).hexdigest()


def source_key(source: Path, request: str | None, world: World, written: frozenset[Path]) -> str | None:
    """A key for everything a document's editions depend on, made without reading the document:
    its folder as it lies on disk (the files typeset wrote left out, wherever OUT lies) and
    :func:`request_key`. What it read last time, under any name, is checked beside it
    (:meth:`~typeset.cache.BuildCache.unchanged_source`)."""
    folder = source_folder(source)
    if request is None:
        return None
    try:
        digest = folder_digest(world.with_roots(folder), folder, skip=written)
    except (OSError, RuntimeError, TypesetError):
        return None
    return hashlib.sha256(f"{request}\n{folder}\n{digest}".encode()).hexdigest()


def _claim(owners: dict[str, Path], document_id: str | None, meta: Path, span: Span | None) -> Diagnostic | None:
    """An error if ``document_id`` is already another document's in this build: two documents with
    one id would write the same files."""
    if document_id is None:
        return None
    first = owners.setdefault(document_id, meta)
    if first == meta:
        return None
    return Diagnostic(Severity.ERROR, span or Span(meta), f"the id '{document_id}' is also the id of {first}, "
                      "built before it", "give each document its own id: its files are named after it", code="id")


def _listed(fields: list[dict[str, object]] | None) -> list[Artefact] | None:
    """The cached artefacts of an unchanged document, if every one is well formed."""
    if fields is None:
        return None
    listed = [item for item in map(artefact, fields) if item is not None]
    return listed if len(listed) == len(fields) else None


def _fresh(cache: BuildCache, job: Job) -> Entry | None:
    """The cache entry of the job's file if it, and every file written beside it, is unchanged."""
    entry = cache.fresh(job.relative, job.key)
    beside = [path for path, e in cache.entries.items() if e.key == job.key and path != job.relative]
    return entry if entry is not None and all(cache.fresh(path, job.key) for path in beside) else None
