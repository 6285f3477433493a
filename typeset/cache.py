"""The incremental build cache: an edition is rendered again only when something it depends on changed.

In: everything an edition depends on — its document's shared files and its own language file,
the layout's files, the fonts' manifest, typeset's own code, the render options and the build
date. Out: a key per edition; ``OUT/.typeset-cache.json`` remembers the key and the checksum of
each file written, so an edition whose key is unchanged and whose file is still there, intact,
is not rendered again.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from typeset import __version__
from typeset.world import PACKAGE_DIR, World

CACHE_FILE = ".typeset-cache.json"


@cache
def code_digest() -> str:
    """A digest of typeset's own source: a new version or a local change renders everything again."""
    digest = hashlib.sha256(__version__.encode())
    for path in sorted(PACKAGE_DIR.rglob("*.py")):
        digest.update(path.relative_to(PACKAGE_DIR).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def folder_digest(world: World, root: Path, *, skip: Path | None = None) -> str:
    """A digest of every file below ``root`` (a layout or a document folder), names and contents;
    hidden files and folders, and the folder ``skip`` (the output folder), left out."""
    skip = skip.resolve() if skip else None
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root)
        if any(part.startswith(".") for part in relative.parts) or not path.is_file():
            continue
        if skip is not None and path.resolve().is_relative_to(skip):
            continue
        digest.update(relative.as_posix().encode())
        digest.update(hashlib.sha256(world.read_bytes(path)).digest())
    return digest.hexdigest()


def edition_key(*parts: Any, files: list[Path], world: World) -> str:
    digest = hashlib.sha256(code_digest().encode())
    for part in parts:
        digest.update(repr(part).encode())
    for path in files:
        digest.update(str(path).encode())
        digest.update(hashlib.sha256(world.read_bytes(path)).digest())
    return digest.hexdigest()


@dataclass
class Entry:
    key: str
    sha256: str
    bytes: int


@dataclass
class SourceEntry:
    """A document whose last build was clean: its key, and what the build listed for it."""

    key: str
    artefacts: list[dict[str, Any]]  # as the manifest lists them
    files: list[str]  # every file written for it, relative to the output folder


@dataclass
class BuildCache:
    out: Path
    entries: dict[str, Entry] = field(default_factory=dict)
    sources: dict[str, SourceEntry] = field(default_factory=dict)

    @classmethod
    def load(cls, out: Path) -> BuildCache:
        try:
            data = json.loads((out / CACHE_FILE).read_text(encoding="utf-8"))
            return cls(out, {path: Entry(**entry) for path, entry in data.get("entries", {}).items()},
                       {path: SourceEntry(**entry) for path, entry in data.get("sources", {}).items()})
        except (OSError, ValueError, TypeError):
            return cls(out)

    def unchanged_source(self, source: str, key: str) -> list[dict[str, Any]] | None:
        """What the last build listed for this document, if its key matches and every file written
        for it is still there, intact; else ``None``, and the document is read and planned again."""
        entry = self.sources.get(source)
        if entry is None or entry.key != key:
            return None
        for relative in entry.files:
            cached = self.entries.get(relative)
            if cached is None or self.fresh(relative, cached.key) is None:
                return None
        return entry.artefacts

    def record_source(self, source: str, key: str, artefacts: list[dict[str, Any]], files: list[str]) -> None:
        self.sources[source] = SourceEntry(key, artefacts, sorted(set(files)))

    def forget_source(self, source: str) -> None:
        self.sources.pop(source, None)

    def fresh(self, relative: str, key: str) -> Entry | None:
        """The cached entry, if its key matches and the file on disk is the one it wrote."""
        entry = self.entries.get(relative)
        if entry is None or entry.key != key:
            return None
        path = self.out / relative
        try:
            if path.stat().st_size != entry.bytes or hashlib.sha256(path.read_bytes()).hexdigest() != entry.sha256:
                return None
        except OSError:
            return None
        return entry

    def record(self, relative: str, key: str, sha256: str, size: int) -> None:
        self.entries[relative] = Entry(key, sha256, size)

    def save(self, world: World) -> None:
        payload = {"typeset": __version__, "entries": {p: asdict(e) for p, e in sorted(self.entries.items())},
                   "sources": {p: asdict(e) for p, e in sorted(self.sources.items())}}
        world.write_atomic(self.out / CACHE_FILE, json.dumps(payload, indent=1).encode("utf-8"))
