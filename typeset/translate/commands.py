"""The translators' round trip as three steps the command line calls: export, import, status.

In: a document folder, a language, a format or translation files, and a
:class:`~typeset.world.World`. Out: the exported file (and the state it recorded); the files an
import wrote, or the diff it would write; every language's status. Bad input raises
:class:`~typeset.errors.InputError` (every problem at its ``file:line:col`` or segment) or
:class:`~typeset.errors.UsageError`; nothing is written then.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from typeset.diagnostics import Diagnostics, Span
from typeset.errors import InputError, UsageError
from typeset.model.language import Language, LanguageTagError, parse_language
from typeset.translate.segments import Segment, Sources, read_sources, segments
from typeset.translate.state import STATE_FILE, State, blocks_of
from typeset.translate.status import LanguageStatus, normalise, stale_ids, status
from typeset.translate.units import SUFFIXES, TranslationFile
from typeset.world import World

if TYPE_CHECKING:  # writeback loads when a translation comes in
    from typeset.translate.writeback import Incoming


def open_document(source: Path, world: World) -> Sources:
    """A document that loads without errors, with what translation needs."""
    from typeset.source import load_document

    loaded = load_document(source, world)
    if loaded.document is None:
        raise InputError(loaded.diagnostics.sorted())
    assert loaded.document.root is not None
    diagnostics = Diagnostics()
    sources = read_sources(loaded.document, world.with_roots(loaded.document.root), diagnostics)
    if diagnostics.has_errors:
        raise InputError(diagnostics.sorted())
    return sources


def language(tag: str, sources: Sources) -> Language:
    try:
        found = parse_language(tag)
    except LanguageTagError as error:
        raise UsageError(f"--lang {tag}: {error}", hint=error.hint) from None
    if found == sources.document.source_language:
        raise UsageError(f"'{tag}' is the document's source language", hint="export into another language")
    return found


# -- export ------------------------------------------------------------------------------------


@dataclass
class Exported:
    path: Path
    format: str
    language: str
    segments: int
    missing: int
    stale: int
    state: Path | None  # the state file, if the export wrote it


def export_translation(source: Path, tag: str, format_name: str, out: Path | None, world: World) -> Exported:
    """Write every segment of the document for ``tag`` in ``format_name`` (xliff, xliff2, po, docx)."""
    sources = open_document(source, world)
    target = language(tag, sources)
    found = segments(sources, target)
    from typeset.translate.status import language_status

    report = language_status(sources, target, found)
    stale = stale_ids(report)
    document = sources.document
    if format_name in ("xliff", "xliff2"):
        from typeset.translate.xliff import write_xliff

        data = write_xliff(found, document.id, document.source_language.tag, target.tag, stale,
                           "2.0" if format_name == "xliff2" else "1.2")
    elif format_name == "po":
        from typeset.translate.po import write_po

        data = write_po(found, document.id, document.source_language.tag, target.tag, stale)
    elif format_name == "docx":
        from typeset.translate.docx import write_docx

        title = document.texts[document.source_language.tag].title
        data = write_docx(found, document.id, title, document.source_language, target, stale)
    else:
        raise UsageError(f"unknown format '{format_name}'", hint="xliff, xliff2, po or docx")
    path = out or Path(f"{document.id}.{target.tag}{SUFFIXES[format_name]}")
    world.write_atomic(path, data)
    state_path = _record(sources, target, found)
    return Exported(path, format_name, target.tag, len(found), report.count("missing"), len(stale), state_path)


def _record(sources: Sources, target: Language, found: list[Segment]) -> Path | None:
    """Write the state: today's block ids, and every language's records as status sees them."""
    state = State(source_language=sources.source_tag, path=sources.state.path)
    state.blocks = blocks_of(sources.ids, sources.source_outline.texts)
    state.records = normalise(sources)
    if target.tag not in state.records:
        records = normalise(sources, only=target, found=found).get(target.tag, {})
        if records:
            state.records[target.tag] = records
    path = sources.folder / STATE_FILE
    data = state.dump()
    world = sources.world
    assert world is not None
    try:
        old = world.read_bytes(path) if world.is_file(path) else b""
    except Exception:  # noqa: BLE001 - an unreadable old state is written anew
        old = b""
    if old == data:
        return None
    world.write_atomic(path, data)
    return path


# -- import ------------------------------------------------------------------------------------


@dataclass
class Imported:
    diagnostics: Diagnostics = field(default_factory=Diagnostics)
    written: list[Path] = field(default_factory=list)
    diff: str = ""
    languages: dict[str, tuple[int, int, bool]] = field(default_factory=dict)  # tag → (imported, stale, declared)


def import_translations(source: Path, files: list[Path], world: World, *, dry_run: bool = False) -> Imported:
    """Read translation files and write their translations into the document (or, with
    ``dry_run``, give the diff of what would be written)."""
    from typeset.translate.writeback import plan_import, read_translation, resolve

    result = Imported()
    world = world.with_roots(*(f.resolve().parent for f in files))
    sources = open_document(source, world)
    diagnostics = result.diagnostics
    read = []
    for file in files:
        if not file.is_file():
            diagnostics.error(Span(file), "file not found", code="io")
            continue
        try:
            data = world.read_bytes(file)
        except Exception as error:  # noqa: BLE001 - the World says why in its own words
            diagnostics.error(Span(file), getattr(error, "message", str(error)), getattr(error, "hint", None),
                              code="io")
            continue
        translation = read_translation(data, file, diagnostics, _all_ids(sources))
        if translation is not None:
            read.append(translation)
    if diagnostics.has_errors:
        raise InputError(diagnostics.sorted())
    by_language: dict[str, list[tuple[Language, TranslationFile]]] = {}
    for translation in read:
        tag = translation.target_language
        try:
            target = parse_language(tag or "")
        except LanguageTagError:
            diagnostics.error(Span(translation.path), f"the file names no target language we know ('{tag}')",
                              "export the file again with 'typeset translate export SOURCE --lang LANG'",
                              code="translate")
            continue
        if target == sources.document.source_language:
            diagnostics.error(Span(translation.path), f"the file's target language '{tag}' is the document's source "
                                                      "language", code="translate")
            continue
        by_language.setdefault(target.tag, []).append((target, translation))
    if diagnostics.has_errors:
        raise InputError(diagnostics.sorted())
    diffs: list[str] = []
    for tag, items in by_language.items():
        if result.written and not dry_run:
            sources = open_document(source, world)  # the previous language changed document.yaml
        target = items[0][0]
        found = _segments_for(sources, target, world)
        incoming: dict[str, Incoming] = {}
        for _, translation in items:
            got = resolve(translation, found, sources.document.id, sources.document.source_language, target,
                          diagnostics)
            for key, value in got.items():
                if key in incoming and incoming[key].nodes != value.nodes:
                    diagnostics.error(value.where, f"segment '{key}' has another translation in "
                                                   f"{incoming[key].where.path.name}", code="translate")
                incoming[key] = value
        if diagnostics.has_errors:
            raise InputError(diagnostics.sorted())
        plan = plan_import(sources, target, incoming, diagnostics)
        if diagnostics.has_errors:
            raise InputError(diagnostics.sorted())
        result.languages[tag] = (plan.imported, plan.stale, plan.declared)
        for path, data in plan.files.items():
            if dry_run:
                diffs.append(_diff(path, plan.old.get(path, b""), data))
            else:
                world.write_atomic(path, data)
                result.written.append(path)
    result.diff = "".join(diffs)
    return result


def _segments_for(sources: Sources, target: Language, world: World) -> list[Segment]:
    from typeset.translate.writeback import _undeclared

    declared = any(language.tag == target.tag for language in sources.document.languages)
    path = sources.text_path(target.tag)
    text = None
    if not declared and world.is_file(path):
        from typeset.source.loader import read_source_text

        text = read_source_text(world, path, Diagnostics())
    return segments(sources, target, *_undeclared(sources, target, path, text, declared))


def _all_ids(sources: Sources) -> list[str]:
    """Every segment id the document has in any language (a DOCX row's bookmark is one of them)."""
    ids = {"title", "subtitle", "short_title", "keywords", "organisation", "place", *sources.ids}
    for group in sources.document.groups:
        ids.add(f"group.{group.id}.heading")
        for entry in group.entries:
            ids.update(f"entry.{entry.id}.{key}" for key in ("translation", "note", "country_name"))
    return sorted(ids)


def _diff(path: Path, old: bytes, new: bytes) -> str:
    return "".join(difflib.unified_diff(old.decode("utf-8").splitlines(keepends=True),
                                        new.decode("utf-8").splitlines(keepends=True),
                                        fromfile=f"a/{path.name}", tofile=f"b/{path.name}"))


# -- status ------------------------------------------------------------------------------------


def translation_status(source: Path, tags: list[str], world: World) -> dict[str, LanguageStatus]:
    sources = open_document(source, world)
    wanted = [language(tag, sources) for tag in tags] if tags else None
    return status(sources, wanted)


__all__ = ["Exported", "Imported", "export_translation", "import_translations", "open_document",
           "translation_status"]
