"""Ending a process whose work is done, without tearing the interpreter down.

The command line (:func:`typeset.cli.leave`) and each warm worker (:mod:`typeset.workers`) end
this way: the ``atexit`` handlers run (the private folder holding a PDF render's fontconfig file
is removed), the standard streams are flushed, and the process exits at once — skipping the
interpreter's freeing of every object one by one, after a PDF build half a second of Pango's and
WeasyPrint's. Files are written through the World, closed and renamed into place before this.
"""

from __future__ import annotations

import atexit
import os
import sys
from typing import NoReturn


def end_now(code: int) -> NoReturn:
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a reader that went away (| head), a stream closed
            pass
    os._exit(code)
