"""One error base with an exit code; the CLI maps it, nothing else prints tracebacks.

Exit codes: 0 success, 1 an edition failed to render or write, 2 bad input or usage.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from typeset.diagnostics import Diagnostic


class TypesetError(Exception):
    """Base of every error typeset reports to a user."""

    exit_code = 1

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


class InputError(TypesetError):
    """The source, the layout or the command line is wrong; carries every diagnostic found."""

    exit_code = 2

    def __init__(self, diagnostics: Sequence[Diagnostic]) -> None:
        self.diagnostics = tuple(diagnostics)
        count = sum(1 for d in self.diagnostics if d.is_error)
        super().__init__(f"{count} error{'s' if count != 1 else ''} in the source")


class UsageError(TypesetError):
    """The command line asks for something that cannot be done."""

    exit_code = 2


class RenderError(TypesetError):
    """A renderer failed on an edition."""

    exit_code = 1


class OutputError(TypesetError):
    """An output file could not be written; the previous file, if any, is untouched."""

    exit_code = 1


class Terminated(BaseException):
    """The process was asked to stop (SIGTERM): like Ctrl-C, it unwinds the build, which stops its
    workers and writes the manifest of what is done; the command line exits with 143."""
