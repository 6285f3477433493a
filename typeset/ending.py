"""Ending a process whose work is done, without tearing the interpreter down.

The command line (:func:`typeset.cli.leave`) and each warm worker (:mod:`typeset.workers`) end
this way: the ``atexit`` handlers run (the private folder holding a PDF render's fontconfig file
is removed), the standard streams are flushed, and the process exits at once — skipping the
interpreter's freeing of every object one by one, after a PDF build half a second of Pango's and
WeasyPrint's. Files are written through the World, closed and renamed into place before this.

A command whose reader goes away (``typeset build … | head -1``) goes on with its work:
:class:`Unheard` is the standard output that, once the pipe behind it is closed, writes what is
left to the null device instead of raising ``BrokenPipeError`` in the middle of a build.
"""

from __future__ import annotations

import atexit
import os
import sys
from typing import Any, NoReturn, TextIO


def end_now(code: int) -> NoReturn:
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a reader that went away (| head), a stream closed
            pass
    os._exit(code)


class Unheard:
    """A text stream that goes on writing once its reader has gone: on the first
    ``BrokenPipeError`` its file descriptor is pointed at the null device, and what follows is
    written there. Everything else is the wrapped stream's."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        try:
            return self._stream.write(text)
        except BrokenPipeError:
            self._reader_gone()
            return len(text)

    def flush(self) -> None:
        try:
            self._stream.flush()
        except BrokenPipeError:
            self._reader_gone()

    def _reader_gone(self) -> None:
        null = os.open(os.devnull, os.O_WRONLY)
        try:
            os.dup2(null, self._stream.fileno())
        finally:
            os.close(null)
        try:
            self._stream.flush()  # what the closed pipe refused, now to the null device
        except OSError:
            pass

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)
