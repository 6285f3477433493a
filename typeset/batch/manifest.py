"""The manifest: ``OUT/manifest.json``, every file a build wrote that is still there.

In: the artefacts of a build (each edition's file and the files beside it: path, size, SHA-256,
title) and what the manifest listed before. Out: the merged, ordered list (by document, language,
then format: editions first, then fonts), its JSON, and the file written atomically when it
changed. A manifest read from disk is data like any other: an entry that is not well formed, or
whose path leads out of OUT, is dropped. Files are read and written through the world.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Collection, Sequence
from dataclasses import asdict, dataclass, fields
from pathlib import Path

from typeset import __version__
from typeset.cache import inside
from typeset.render import FORMATS
from typeset.world import World

MANIFEST = "manifest.json"
INDEX = "index.html"

Touched = Collection[tuple[str, str, str]]  # (document, language, format) of the editions a build writes anew


@dataclass(frozen=True, slots=True)
class Artefact:
    document: str
    language: str
    format: str
    path: str
    bytes: int
    sha256: str
    title: str = ""  # the edition's title (for the index)


def output_path(document_id: str, language: str, format_name: str) -> str:
    """Where an edition goes, relative to OUT: ``<id>/<id>.<lang>.<ext>``."""
    return f"{document_id}/{document_id}.{language}.{FORMATS[format_name].extension}"


_SHA256 = re.compile(r"[0-9a-f]{64}")


def artefact(item: object) -> Artefact | None:
    """An artefact from the manifest or the cache, if it is well formed."""
    if not isinstance(item, dict) or not {"document", "language", "format", "path", "bytes", "sha256"} <= set(item):
        return None
    texts = [item.get(k, "") for k in ("document", "language", "format", "path", "sha256", "title")]
    size = item["bytes"]
    if not all(isinstance(t, str) for t in texts) or not isinstance(size, int) or isinstance(size, bool) \
            or size < 0 or not _SHA256.fullmatch(item["sha256"]) or set(item) - {f.name for f in fields(Artefact)}:
        return None
    return Artefact(**item)


def read_manifest(out: Path, world: World) -> list[Artefact]:
    """The artefacts ``OUT/manifest.json`` lists whose entry is well formed and whose path stays
    inside OUT; nothing if it is missing or not the JSON typeset writes."""
    try:
        items = json.loads(world.read_output(out / MANIFEST) or b"{}").get("artefacts", [])
    except (ValueError, AttributeError, RecursionError):
        return []
    found = [artefact(item) for item in (items if isinstance(items, list) else [])]
    return [a for a in found if a is not None and inside(out, a.path)]


def superseded(item: Artefact, touched: Touched) -> bool:
    """Whether this build writes the artefact's file anew (an HTML edition's fonts go with it)."""
    fmt = "html" if item.format not in FORMATS else item.format
    return (item.document, item.language, fmt) in touched


def merge_manifest(out: Path, previous: Sequence[Artefact], artefacts: Sequence[Artefact], world: World,
                   touched: Touched = ()) -> list[Artefact]:
    """These artefacts, and the earlier ones whose file is still there — but of those this build
    wrote anew (``touched``) only the ones whose file is untouched (the render failed), and no
    font of an HTML edition written now. Ordered by document, language, then format (editions
    first, then fonts)."""
    def kept(a: Artefact) -> bool:
        path = out / a.path
        if not path.is_file():
            return False
        if not superseded(a, touched):
            return True
        data = world.read_output(path)
        return a.format in FORMATS and data is not None and hashlib.sha256(data).hexdigest() == a.sha256

    merged = {(a.document, a.language, a.format, a.path): a for a in previous if kept(a)}
    merged.update({(a.document, a.language, a.format, a.path): a for a in artefacts})
    kinds = list(FORMATS)
    return [merged[key] for key in sorted(
        merged, key=lambda k: (k[0], k[1], kinds.index(k[2]) if k[2] in kinds else len(kinds), k[2], k[3]))]


def manifest_bytes(artefacts: Sequence[Artefact]) -> bytes:
    payload = {"typeset": __version__, "artefacts": [asdict(a) for a in artefacts]}
    return (json.dumps(payload, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def write_manifest(out: Path, artefacts: Sequence[Artefact], world: World) -> bool:
    """Write ``OUT/manifest.json`` (atomically) if it would change; whether it did."""
    data = manifest_bytes(artefacts)
    if data == world.read_output(out / MANIFEST):  # a build with nothing new leaves the file as it was
        return False
    world.write_atomic(out / MANIFEST, data)
    return True


def write_index(out: Path, artefacts: Sequence[Artefact], world: World) -> None:
    """``OUT/index.html``: a page that links every artefact listed."""
    from typeset.render.index import index_html

    world.write_atomic(out / INDEX, index_html(list(artefacts)))
