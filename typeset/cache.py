"""The incremental build cache: an edition is rendered again only when something it depends on changed.

In: everything an edition depends on — its document's shared files and its own language file,
the layout's files, the fonts' manifest, typeset's own code, the render options and the build
date. Out: a key per edition; ``OUT/.typeset-cache.json`` remembers the key and the checksum of
each file written, so an edition whose key is unchanged and whose file is still there, intact,
is not rendered again. Intact: its size and time of change are those recorded when it was written
or last checked, else its SHA-256 is the one recorded. A document whose last build was clean is
not even read again while its folder (typeset's own outputs left out, wherever OUT lies) and every
file it read last time — whatever its name, a hidden ``.en.md`` too — are unchanged.

The cache file is data from disk like any other: an entry that is not well formed, or that
names a file outside OUT, is dropped, and an unreadable cache is an empty one.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Collection, Iterable
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from typeset import __version__
from typeset.errors import TypesetError
from typeset.world import World

CACHE_FILE = ".typeset-cache.json"


def code_digest(world: World) -> str:
    """A digest of typeset's own source: a new version or a local change renders everything again.
    Made once a process, and kept in the world's persistent cache under the names, sizes and times
    of change of the files, so that a process whose code is as the last one's reads no file of it."""
    if not _code_digests:
        stamps = world.package_stamps("**/*.py")
        files = [relative for relative, _ in stamps]
        store = world.store
        key = store.key("code", stamps)
        stored = store.get("code", key)
        if stored is not None and len(stored) == 64 and all(c in b"0123456789abcdef" for c in stored):
            _code_digests.append(stored.decode("ascii"))
        else:
            digest = hashlib.sha256(__version__.encode())
            for relative in files:
                digest.update(relative.encode())
                digest.update(world.read_package(relative))
            _code_digests.append(digest.hexdigest())
            store.put("code", key, _code_digests[0].encode("ascii"))
    return _code_digests[0]


_code_digests: list[str] = []


def folder_digest(world: World, root: Path, *, skip: Collection[Path] = ()) -> str:
    """A digest of every file below ``root`` (a layout or a document folder), names and contents;
    hidden files and folders, and the files ``skip`` (typeset's own outputs, resolved), left out."""
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root)
        if any(part.startswith(".") for part in relative.parts) or not path.is_file():
            continue
        if skip and path.resolve() in skip:
            continue
        digest.update(relative.as_posix().encode())
        digest.update(hashlib.sha256(world.read_bytes(path)).digest())
    return digest.hexdigest()


def input_digests(world: World, paths: Iterable[Path]) -> dict[str, str]:
    """A digest per file or folder read for a document (its folder for a folder), by resolved path;
    ``"-"`` for one that cannot be read now."""
    digests = {}
    for path in paths:
        try:
            digests[str(path)] = (folder_digest(world, path) if path.is_dir()
                                  else hashlib.sha256(world.read_bytes(path)).hexdigest())
        except (OSError, RuntimeError, TypesetError):
            digests[str(path)] = "-"
    return digests


def written_files(cache: BuildCache, names: Iterable[str]) -> frozenset[Path]:
    """What typeset writes in OUT — the files it lists in its cache and ``names`` (the manifest, the
    index, the cache) — resolved: the part of a document folder that is not source when OUT lies
    inside it, is it, or holds it."""
    out = cache.out.resolve()
    return frozenset(out / relative for relative in (*cache.entries, *names))


def edition_key(*parts: Any, files: list[Path], world: World) -> str:
    digest = hashlib.sha256(code_digest(world).encode())
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
    stamp: str = ""  # the file's size and time of change when its SHA-256 was last checked


@dataclass
class SourceEntry:
    """A document whose last build was clean: its key, and what the build listed for it."""

    key: str
    artefacts: list[dict[str, Any]]  # as the manifest lists them
    files: list[str]  # every file written for it, relative to the output folder
    inputs: dict[str, str] = field(default_factory=dict)  # every file and folder it read: its digest


@dataclass
class BuildCache:
    out: Path
    world: World  # what reads the files the cache lists, and writes the cache
    entries: dict[str, Entry] = field(default_factory=dict)
    sources: dict[str, SourceEntry] = field(default_factory=dict)

    @classmethod
    def load(cls, out: Path, world: World) -> BuildCache:
        """The cache of ``out``: its well-formed entries that stay inside ``out``; empty if the file
        is missing, unreadable or not the JSON typeset writes."""
        try:
            data = json.loads(world.read_output(out / CACHE_FILE) or b"")
        except (ValueError, RecursionError):
            return cls(out, world)
        entries = data.get("entries") if isinstance(data, dict) else None
        sources = data.get("sources") if isinstance(data, dict) else None
        cache = cls(out, world)
        for relative, fields in (entries.items() if isinstance(entries, dict) else ()):
            entry = _entry(fields)
            if entry is not None and inside(out, relative):
                cache.entries[relative] = entry
        for source, fields in (sources.items() if isinstance(sources, dict) else ()):
            found = _source_entry(fields)
            if found is not None and all(inside(out, relative) for relative in found.files) \
                    and all(Path(path).is_relative_to(source_folder(source)) for path in found.inputs):
                cache.sources[source] = found
        return cache

    def unchanged_source(self, source: str, key: str, world: World) -> list[dict[str, Any]] | None:
        """What the last build listed for this document, if its key matches, every file and folder
        it read is as it was, and every file written for it is still there, intact; else ``None``,
        and the document is read and planned again."""
        entry = self.sources.get(source)
        if entry is None or entry.key != key:
            return None
        if input_digests(world.with_roots(source_folder(source)), map(Path, entry.inputs)) != entry.inputs:
            return None
        for relative in entry.files:
            cached = self.entries.get(relative)
            if cached is None or self.fresh(relative, cached.key) is None:
                return None
        return entry.artefacts

    def record_source(self, source: str, key: str, artefacts: list[dict[str, Any]], files: list[str],
                      inputs: dict[str, str]) -> None:
        self.sources[source] = SourceEntry(key, artefacts, sorted(set(files)), inputs)

    def forget_source(self, source: str) -> None:
        self.sources.pop(source, None)

    def fresh(self, relative: str, key: str) -> Entry | None:
        """The cached entry, if its key matches and the file on disk is the one it wrote."""
        entry = self.entries.get(relative)
        if entry is None or entry.key != key:
            return None
        stamp = self.world.output_stamp(self.out / relative)
        if stamp is None:
            return None
        if stamp == entry.stamp:  # as it was when last checked: not read again (a 10 MB build's
            return entry          # editions took 25 ms to read and hash at every rebuild)
        data = self.world.read_output(self.out / relative)
        if data is None or len(data) != entry.bytes or hashlib.sha256(data).hexdigest() != entry.sha256:
            return None
        entry.stamp = stamp  # touched, not changed: checked once, then known by its stamp
        return entry

    def record(self, relative: str, key: str, sha256: str, size: int) -> None:
        """An edition (or a file beside it) just written, with its stamp as it lies now."""
        self.entries[relative] = Entry(key, sha256, size, self.world.output_stamp(self.out / relative) or "")

    def save(self) -> None:
        """Write the cache (atomically)."""
        payload = {"typeset": __version__, "entries": {p: asdict(e) for p, e in sorted(self.entries.items())},
                   "sources": {p: asdict(e) for p, e in sorted(self.sources.items())}}
        data = json.dumps(payload, indent=1).encode("utf-8")
        if data != self.world.read_output(self.out / CACHE_FILE):  # a build with nothing new leaves it
            self.world.write_atomic(self.out / CACHE_FILE, data)


def source_folder(source: str | Path) -> Path:
    """The folder of a document given as a folder or as its ``document.yaml``, resolved."""
    folder = Path(source).resolve()
    return folder if folder.is_dir() else folder.parent


def inside(out: Path, relative: object) -> bool:
    """Whether ``relative`` is a relative path that stays inside ``out`` (no ``..``, no absolute
    path, no link that leads out)."""
    if not isinstance(relative, str) or not relative or "\\" in relative or "\x00" in relative:
        return False
    path = Path(relative)
    if path.is_absolute() or ".." in path.parts:
        return False
    try:
        return (out / path).resolve().is_relative_to(_resolved(out))
    except (OSError, RuntimeError):
        return False


@lru_cache(maxsize=16)
def _resolved(folder: Path) -> Path:
    """``folder`` resolved: an output folder checks every entry of its cache and manifest against it."""
    return folder.resolve()


def _entry(fields: object) -> Entry | None:
    if not isinstance(fields, dict) or not {"key", "sha256", "bytes"} <= set(fields) <= {"key", "sha256", "bytes",
                                                                                        "stamp"}:
        return None
    key, sha256, size, stamp = fields["key"], fields["sha256"], fields["bytes"], fields.get("stamp", "")
    if isinstance(key, str) and isinstance(sha256, str) and isinstance(size, int) and not isinstance(size, bool) \
            and isinstance(stamp, str):
        return Entry(key, sha256, size, stamp)
    return None


def _source_entry(fields: object) -> SourceEntry | None:
    if not isinstance(fields, dict) or not {"key", "artefacts", "files"} <= set(fields) <= {
            "key", "artefacts", "files", "inputs"}:
        return None
    key, artefacts, files, inputs = fields["key"], fields["artefacts"], fields["files"], fields.get("inputs", {})
    if (isinstance(key, str) and isinstance(artefacts, list) and all(isinstance(a, dict) for a in artefacts)
            and isinstance(files, list) and all(isinstance(f, str) for f in files) and isinstance(inputs, dict)
            and all(isinstance(k, str) and isinstance(v, str) for k, v in inputs.items())):
        return SourceEntry(key, artefacts, files, inputs)
    return None
