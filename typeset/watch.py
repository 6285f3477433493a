"""Watching sources: rebuild the selected editions every time a source, layout or font file changes.

In: the folders to watch (documents, layouts, fonts), what to ignore (typeset's own outputs), and what
to build — the same arguments as :func:`typeset.batch.build`. Out: :func:`changes` yields once per
change (a group of files saved together is one change; editors' swap and backup files, and what the
ignore test names, are not changes); :func:`watch_build` builds once, then again after each change —
the build cache renders only the editions whose inputs changed — and reports each round through a
callback, until its stop event is set or Ctrl-C. A round that fails (a full disk, a folder gone) is
reported as such and the watch goes on. When OUT is a document folder, lies inside one or holds one,
only the files typeset writes there are ignored, not the folder. :func:`watched_folders` names what a
build of these sources reads. Nothing here imports WeasyPrint: only a PDF build does.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from typeset.errors import TypesetError
from typeset.world import FONTS_DIR, LAYOUTS_DIR

if TYPE_CHECKING:  # the build loads when the first round starts
    from typeset.batch import BuildResult

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


def changes(folders: Sequence[Path], stop: threading.Event, *,
            ignore: Callable[[Path], bool] = lambda path: False) -> Iterator[set[Path]]:
    """The changed files, once per change, until ``stop`` is set (Ctrl-C raises KeyboardInterrupt).

    The first item, an empty set, comes as soon as the watcher runs: read the sources after it, and
    no change can fall between the reading and the watching (changes made while the caller works
    are kept for the next item, and tested against ``ignore`` as it is then)."""
    import watchfiles

    default = watchfiles.DefaultFilter()

    def interesting(change: watchfiles.Change, path: str) -> bool:
        return default(change, path) and not path.endswith(IGNORED_SUFFIXES) and not ignore(Path(path))

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
    result: BuildResult
    seconds: float
    changed: set[Path] = field(default_factory=set)
    error: TypesetError | None = None  # the round could not finish (the result is empty)


def watch_build(sources: Sequence[Path], out: Path, *, on_round: Callable[[Round], None],
                stop: threading.Event | None = None, layout: str | None = None,
                **build_options: object) -> None:
    """Build, then build again after each change to what the build reads, until ``stop`` is set."""
    from typeset.batch import INDEX, MANIFEST, BuildResult, build
    from typeset.cache import CACHE_FILE

    stop = stop or threading.Event()
    folders = watched_folders(sources, layout)
    is_output = _OutputFilter(Path(out), sources, {MANIFEST, INDEX, CACHE_FILE})
    number = 0

    def one(changed: set[Path]) -> None:
        nonlocal number
        number += 1
        started = time.monotonic()
        try:
            # build_options are build()'s own keywords, passed through from the command line
            result = build(list(sources), out, layout=layout, **build_options)  # type: ignore[arg-type]
        except TypesetError as error:
            on_round(Round(number, BuildResult(), time.monotonic() - started, changed, error))
            return
        is_output.add(a.path for a in [*result.artefacts, *result.unchanged])
        on_round(Round(number, result, time.monotonic() - started, changed))

    for changed in changes(folders, stop, ignore=is_output):  # the first, empty, once the watcher runs
        one(changed)


class _OutputFilter:
    """Whether a changed path is one typeset wrote: anything in OUT when OUT is apart from the
    sources; else (OUT is a document folder, inside one, or holds one) only the files it wrote and
    the folders it made for them."""

    def __init__(self, out: Path, sources: Sequence[Path], names: set[str]) -> None:
        self.out = out.resolve()
        self.apart = not any(self.out == s or self.out.is_relative_to(s) or s.is_relative_to(self.out)
                             for s in (Path(p).resolve() for p in sources))
        self.written: set[Path] = set()
        self.add(names)

    def add(self, relatives: Iterable[str]) -> None:
        """Files written in OUT (paths relative to it), and the folders between them and OUT."""
        for relative in relatives:
            path = self.out / relative
            self.written.add(path)
            self.written.update(p for p in path.parents if p.is_relative_to(self.out) and p != self.out)

    def __call__(self, path: Path) -> bool:
        if self.apart:
            return path == self.out or path.is_relative_to(self.out)
        return path in self.written
