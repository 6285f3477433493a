"""What ``typeset build`` shows while it works: each edition's state, then a summary.

In: :class:`~typeset.batch.BuildEvents` from a build. Out: on a terminal, a live table (rich)
of every edition — waiting, rendering, written, unchanged, failed — and a summary table; when
the output is not a terminal (a log, CI), one plain line per edition as it finishes.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, TextIO

from typeset.batch import Artefact, BuildEvents, BuildResult, Failure
from typeset.diagnostics import problem_text

if TYPE_CHECKING:  # rich is imported when a live table is shown, not before
    from rich.table import Table


def _size(count: int) -> str:
    return f"{count / 1024:.0f} KiB" if count >= 1024 else f"{count} B"


class PlainProgress(BuildEvents):
    """One line per finished edition, on stdout (written) or stderr (failed)."""

    def __init__(self, out: Path, stream: TextIO | None = None, errors: TextIO | None = None) -> None:
        self.out = out
        self.stream = stream or sys.stdout
        self.errors = errors or sys.stderr

    def finished(self, label: str, outcome: Artefact | Failure, *, unchanged: bool = False) -> None:
        if isinstance(outcome, Failure):
            print(problem_text(f"failed {label}", outcome.message, outcome.hint), file=self.errors, flush=True)
        elif unchanged:
            print(f"unchanged {self.out / outcome.path}", file=self.stream, flush=True)
        else:
            print(f"wrote {self.out / outcome.path} ({_size(outcome.bytes)})", file=self.stream, flush=True)


class LiveProgress(PlainProgress):
    """A live table of editions on a terminal; failures still go to stderr as lines."""

    STYLES = {"waiting": "dim", "rendering": "yellow", "written": "green", "unchanged": "cyan", "failed": "bold red"}

    def __init__(self, out: Path) -> None:
        super().__init__(out)
        from rich.console import Console
        from rich.live import Live

        self.console = Console(stderr=False)
        self.states: dict[str, tuple[str, str, float]] = {}
        self.started = time.monotonic()
        self.live = Live(console=self.console, refresh_per_second=8, transient=True)

    def __enter__(self) -> LiveProgress:
        self.live.__enter__()
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self.live.__exit__(kind, error, trace)

    def _table(self) -> Table:
        from rich.markup import escape
        from rich.table import Table

        table = Table(box=None, show_header=False, pad_edge=False)
        counts: dict[str, int] = {}
        for state, _, _ in self.states.values():
            counts[state] = counts.get(state, 0) + 1
        rows = [item for item in self.states.items() if item[1][0] in ("rendering", "failed")][-12:]
        for label, (state, detail, _) in rows:
            table.add_row(f"[{self.STYLES[state]}]{state}[/]", escape(label), escape(detail))
        summary = ", ".join(f"{n} {state}" for state, n in counts.items())
        table.add_row("", f"[bold]{summary}[/] — {time.monotonic() - self.started:.1f} s", "")
        return table

    def _set(self, label: str, state: str, detail: str = "") -> None:
        self.states[label] = (state, detail, time.monotonic())
        self.live.update(self._table())

    def planned(self, label: str) -> None:
        self._set(label, "waiting")

    def rendering(self, label: str) -> None:
        self._set(label, "rendering")

    def finished(self, label: str, outcome: Artefact | Failure, *, unchanged: bool = False) -> None:
        if isinstance(outcome, Failure):
            self._set(label, "failed", outcome.message)
            super().finished(label, outcome)
        else:
            self._set(label, "unchanged" if unchanged else "written", _size(outcome.bytes))


def summary(result: BuildResult, out: Path, *, terminal: bool) -> None:
    """The table of what a build did, per document: written, unchanged, failed, sizes."""
    rows: dict[str, list[int]] = {}
    for kind, items in (("written", result.artefacts), ("unchanged", result.unchanged), ("failed", result.failures)):
        for item in items:
            counts = rows.setdefault(item.document, [0, 0, 0, 0])
            counts[("written", "unchanged", "failed").index(kind)] += 1
            counts[3] += getattr(item, "bytes", 0)
    if not rows:
        return
    if terminal:
        from rich.console import Console
        from rich.table import Table

        table = Table(title=f"typeset build → {out}", title_justify="left")
        for column in ("document", "written", "unchanged", "failed", "size"):
            table.add_column(column, justify="left" if column == "document" else "right")
        for document, (written, unchanged, failed, size) in sorted(rows.items()):
            table.add_row(document, str(written), str(unchanged), f"[red]{failed}[/]" if failed else "0", _size(size))
        Console().print(table)
    else:
        for document, (written, unchanged, failed, size) in sorted(rows.items()):
            print(f"{document}: {written} written, {unchanged} unchanged, {failed} failed, {_size(size)}")
