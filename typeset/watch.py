"""Watching sources: rebuild the selected editions every time a source, layout or font file changes.

In: the folders to watch (documents, layouts, fonts), folders to ignore (the output), and what to build
— the same arguments as :func:`typeset.batch.build`. Out: :func:`changes` yields once per change (a
group of files saved together is one change; editors' swap and backup files, and anything below an
ignored folder, are not changes); :func:`watch_build` builds once, then again after each change —
the build cache renders only the editions whose inputs changed — and reports each round through a
callback, until its stop event is set or Ctrl-C. :func:`watched_folders` names what a build of these
sources reads. Nothing here imports WeasyPrint: only a PDF build does.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from typeset.world import FONTS_DIR, LAYOUTS_DIR

STEP_MS = 50  # how long the files must stay still before a change is reported
DEBOUNCE_MS = 1_000  # the longest a burst of saves is gathered into one change
TIMEOUT_MS = 100  # how often the watcher looks whether it should stop
IGNORED_SUFFIXES = (".part",)  # typeset's own half-written files (World.write_atomic)


def watched_folders(sources: Sequence[Path], layout: str | Path | None = None) -> list[Path]:
    """The folders whose files a build of ``sources`` reads: the documents, the bundled layouts (and a
    layout folder given by path), the bundled fonts."""
    folders = [Path(s).resolve() for s in sources]
    if layout is not None and Path(layout).is_dir():
        folders.append(Path(layout).resolve())
    folders += [LAYOUTS_DIR.resolve(), FONTS_DIR.resolve()]
    unique: list[Path] = []
    for folder in sorted(set(folders), key=lambda p: len(p.parts)):
        if not any(folder == u or folder.is_relative_to(u) for u in unique):
            unique.append(folder)
    return unique


def changes(folders: Sequence[Path], stop: threading.Event, *, ignore: Sequence[Path] = ()) -> Iterator[set[Path]]:
    """The changed files, once per change, until ``stop`` is set (Ctrl-C raises KeyboardInterrupt).

    The first item, an empty set, comes as soon as the watcher runs: read the sources after it, and
    no change can fall between the reading and the watching (changes made while the caller works
    are kept for the next item)."""
    import watchfiles

    ignored = [Path(p).resolve() for p in ignore]
    default = watchfiles.DefaultFilter()

    def interesting(change: watchfiles.Change, path: str) -> bool:
        resolved = Path(path)
        return (default(change, path) and not path.endswith(IGNORED_SUFFIXES)
                and not any(resolved == i or resolved.is_relative_to(i) for i in ignored))

    existing = [str(f) for f in folders if f.exists()]
    ready = False
    for found in watchfiles.watch(*existing, watch_filter=interesting, stop_event=stop, step=STEP_MS,
                                  debounce=DEBOUNCE_MS, rust_timeout=TIMEOUT_MS, yield_on_timeout=True):
        if found or not ready:
            ready = True
            yield {Path(path) for _, path in found}


@dataclass
class Round:
    """One build of a watch: what it wrote, what failed, the problems found, how long it took."""

    number: int
    result: object  # a typeset.batch.BuildResult
    seconds: float
    changed: set[Path] = field(default_factory=set)


def watch_build(sources: Sequence[Path], out: Path, *, on_round: Callable[[Round], None],
                stop: threading.Event | None = None, layout: str | None = None,
                **build_options: object) -> None:
    """Build, then build again after each change to what the build reads, until ``stop`` is set."""
    from typeset.batch import build

    stop = stop or threading.Event()
    folders = watched_folders(sources, layout)
    number = 0

    def one(changed: set[Path]) -> None:
        nonlocal number
        number += 1
        started = time.monotonic()
        result = build(list(sources), out, layout=layout, **build_options)  # type: ignore[arg-type]
        on_round(Round(number, result, time.monotonic() - started, changed))

    for changed in changes(folders, stop, ignore=[out]):  # the first, empty, once the watcher runs
        one(changed)
