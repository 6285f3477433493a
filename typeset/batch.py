"""Builds: the only loop over documents x languages x formats.

In: source folders, the languages and formats asked for, a layout and an output folder.
Out: files written atomically to ``OUT/<document id>/<document id>.<lang>.<ext>``, an
``OUT/manifest.json`` listing every artefact (merged with the artefacts of earlier builds
that are still there), and a :class:`BuildResult` saying what was written and what failed.
A failing edition does not stop the others.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

from typeset import __version__
from typeset.diagnostics import Diagnostics, Severity, Span
from typeset.errors import TypesetError
from typeset.fonts import load_fonts
from typeset.layout import load_layout
from typeset.model.document import Document
from typeset.model.edition import Edition, make_edition
from typeset.render import FORMATS, RenderContext, RenderOptions, renderer
from typeset.preflight import preflight
from typeset.source import Loaded, load_document
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
    artefacts: list[Artefact] = field(default_factory=list)
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


def build(
    sources: Sequence[Path],
    out: Path,
    *,
    languages: Sequence[str] = (),
    formats: Sequence[str] = (),
    layout: str | None = None,
    options: RenderOptions = RenderOptions(),
    allow_missing_glyphs: bool = False,
    world: World | None = None,
    on_artefact: Callable[[Artefact], None] | None = None,
    on_failure: Callable[[Failure], None] | None = None,
) -> BuildResult:
    world = world or World([])
    result = BuildResult()
    formats = [name for name in FORMATS if name in formats] if formats else list(FORMATS)
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
        for language in _languages(document, languages, prepared.loaded.path, result):
            if language in prepared.refused and not allow_missing_glyphs:
                continue
            edition = make_edition(document, language)
            for format_name in formats:
                outcome = _build_one(edition, format_name, context, out, context.world)
                if isinstance(outcome, Artefact):
                    result.artefacts.append(outcome)
                    if on_artefact:
                        on_artefact(outcome)
                else:
                    result.failures.append(outcome)
                    if on_failure:
                        on_failure(outcome)
    if result.artefacts:
        write_manifest(out, result.artefacts, world)
    return result


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


def _build_one(edition: Edition, format_name: str, context: RenderContext, out: Path,
               world: World) -> Artefact | Failure:
    relative = output_path(edition.document_id, edition.language.tag, format_name)
    try:
        data = renderer(format_name)(edition, context)
        world.write_atomic(out / relative, data)
    except TypesetError as error:
        return Failure(edition.document_id, edition.language.tag, format_name, error.message, error.hint)
    except Exception as error:  # a renderer bug must not take the other editions down
        return Failure(edition.document_id, edition.language.tag, format_name,
                       f"{type(error).__name__}: {error}", "this is a bug in typeset; please report it")
    return Artefact(edition.document_id, edition.language.tag, format_name, relative, len(data),
                    hashlib.sha256(data).hexdigest())


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
