"""Committing a build to OUT: each edition's files, then the index, the cache and the manifest.

In: what a renderer gave for a job (:mod:`typeset.batch.render`), the build's artefacts and
failures, the manifest of before and the build cache. Out: every file written atomically and
inside OUT (the files beside an edition first, such as an HTML edition's fonts, then the edition),
the artefacts written — or a :class:`~typeset.batch.render.Failure` that says why not; and, once
all is done, ``OUT/index.html``, the cache (which documents came out clean, so that the next
build need not read them) and, last, ``OUT/manifest.json``. Before an edition listed in the
manifest is written anew, the manifest stops listing it: killed at any moment, a build leaves a
manifest whose every entry is true.
"""

from __future__ import annotations

import hashlib
from collections.abc import Collection, Sequence
from dataclasses import asdict
from pathlib import Path

from typeset.batch.manifest import (
    INDEX,
    MANIFEST,
    Artefact,
    Touched,
    manifest_bytes,
    merge_manifest,
    superseded,
    write_index,
    write_manifest,
)
from typeset.batch.plan import Job, Source
from typeset.batch.render import Failure, failure
from typeset.cache import BuildCache, inside
from typeset.errors import OutputError, RenderError, TypesetError
from typeset.render import Output
from typeset.world import World


def touched(jobs: Collection[Job]) -> set[tuple[str, str, str]]:
    """The manifest keys (document, language, format) of the editions these jobs write anew."""
    return {(job.edition.document_id, job.edition.language.tag, job.format) for job in jobs}


def write_edition(job: Job, output: Output, out: Path, world: World) -> list[Artefact] | Failure:
    """Write what a renderer gave, atomically, the files beside it first; the artefacts written, or
    why they could not be."""
    edition = job.edition
    written = []
    try:
        for beside in output.beside:
            if Path(beside.path).is_absolute() or ".." in Path(beside.path).parts:
                raise RenderError(f"a renderer asked to write {beside.path!r}, outside the edition's folder")
            relative = (Path(job.relative).parent / beside.path).as_posix()
            world.write_atomic(confined(out, relative), beside.data)
            written.append(Artefact(edition.document_id, edition.language.tag, beside.kind, relative,
                                    len(beside.data), hashlib.sha256(beside.data).hexdigest(), edition.title))
        world.write_atomic(confined(out, job.relative), output.data)
    except TypesetError as error:
        return failure(job, error.message, error.hint)
    return [*written, Artefact(edition.document_id, edition.language.tag, job.format, job.relative,
                               len(output.data), hashlib.sha256(output.data).hexdigest(), edition.title)]


def confined(out: Path, relative: str) -> Path:
    """``OUT/relative``, once it is sure to stay inside OUT (a folder on the way may be a link)."""
    if not inside(out, relative):
        raise OutputError(f"{out / relative}: outside the output folder {out}",
                          hint="a folder in OUT is a link to somewhere else: remove it")
    return out / relative


def retract(out: Path, previous: list[Artefact], rewritten: Touched, world: World) -> None:
    """Before a file listed in the manifest is written anew, the manifest stops listing it."""
    kept = [a for a in previous if not superseded(a, rewritten)]
    if len(kept) != len(previous):
        write_manifest(out, kept, world)
        write_index(out, kept, world)


def commit(out: Path, previous: list[Artefact], listed: Sequence[Artefact], rendered: bool, rewritten: Touched,
           cache: BuildCache, world: World) -> None:
    """The index, the cache, and last the manifest: what OUT holds after this build (``listed``:
    the artefacts written or found up to date now; ``rendered``: whether any was written)."""
    merged = merge_manifest(out, previous, listed, world, rewritten)
    if manifest_bytes(merged) != world.read_output(out / MANIFEST) or rendered or not (out / INDEX).is_file():
        write_index(out, merged, world)
    cache.save()
    write_manifest(out, merged, world)


def record_sources(cache: BuildCache, jobs: list[Job], sources: dict[str, Source], listed: Sequence[Artefact],
                   failures: Sequence[Failure]) -> None:
    """Remember the documents whose editions all came out, with no diagnostic, for the next build."""
    failed = {(f.document, f.language, f.format) for f in failures}
    for name, source in sources.items():
        own = [job for job in jobs if job.source == name]
        if not source.clean or not own or touched(own) & failed:
            continue
        mains = {job.relative for job in own}
        editions = [a for a in listed if a.path in mains]
        if len(editions) != len(mains):
            continue
        keys = {job.key for job in own}
        files = [path for path, entry in cache.entries.items() if entry.key in keys]  # fonts beside too
        cache.record_source(name, source.key, [asdict(a) for a in editions], [*mains, *files], source.inputs)
