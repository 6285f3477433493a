"""Diagnostics are data: severity, position, message, hint — collected, then reported at once.

A stage appends to a :class:`Diagnostics` collector instead of raising at the first problem;
``raise_if_errors`` turns the collection into one :class:`~typeset.errors.InputError`.
:func:`problem_text` is the one way a problem becomes text for a terminal: a source's bytes
(escape sequences, carriage returns, bidi controls) are shown escaped, never obeyed.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path

from typeset.errors import InputError
from typeset.escape import terminal_text


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, slots=True)
class Span:
    """A position in a source file; line and column count from 1."""

    path: Path
    line: int = 1
    col: int = 1

    def shifted(self, chars: int) -> Span:
        return Span(self.path, self.line, self.col + chars)

    def __str__(self) -> str:
        return f"{_display(self.path)}:{self.line}:{self.col}"


@dataclass(frozen=True, slots=True)
class Diagnostic:
    severity: Severity
    span: Span
    message: str
    hint: str | None = None
    code: str = "source"

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def format(self) -> str:
        return problem_text(f"{self.span}: {self.severity.value}", self.message, self.hint)


def problem_text(head: str, message: str, hint: str | None = None) -> str:
    """``head: message`` and, on the next line, ``  hint: …``; every character a terminal would obey
    or reorder (controls, line breaks, bidi controls) escaped in each part (``\\x1b``, ``\\u202e``)."""
    text = f"{terminal_text(head)}: {terminal_text(message)}"
    if hint:
        text += f"\n  hint: {terminal_text(hint)}"
    return text


@dataclass
class Diagnostics:
    """A collector; stages add to it and the caller decides when to fail."""

    items: list[Diagnostic] = field(default_factory=list)

    def error(self, span: Span, message: str, hint: str | None = None, code: str = "source") -> None:
        self.items.append(Diagnostic(Severity.ERROR, span, message, hint, code))

    def warning(self, span: Span, message: str, hint: str | None = None, code: str = "lint") -> None:
        self.items.append(Diagnostic(Severity.WARNING, span, message, hint, code))

    def extend(self, other: Diagnostics) -> None:
        self.items.extend(other.items)

    @property
    def has_errors(self) -> bool:
        return any(d.is_error for d in self.items)

    def __iter__(self) -> Iterator[Diagnostic]:
        return iter(self.sorted())

    def __len__(self) -> int:
        return len(self.items)

    def sorted(self) -> list[Diagnostic]:
        return sorted(self.items, key=lambda d: (str(d.span.path), d.span.line, d.span.col))

    def raise_if_errors(self) -> None:
        if self.has_errors:
            raise InputError(self.sorted())


def _display(path: Path) -> str:
    """A path as a user typed it: relative to the working directory when it lies below it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except (ValueError, OSError, RuntimeError):  # elsewhere, or a path that does not resolve (a link loop)
        return str(path)
