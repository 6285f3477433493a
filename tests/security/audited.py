"""Run the typeset command line under an audit hook (used by the hostile-input suite).

Every ``open`` of a path below ``TYPESET_AUDIT_WATCH`` (a folder holding canary files), every
attempt at a network connection (socket connect, name lookup, urllib request) and every program
started (``subprocess.Popen``, ``os.posix_spawn``, ``os.exec*``, ``os.system``, ``os.fork``) is
written, as JSON lines, to ``TYPESET_AUDIT_LOG``. Audit hooks see what the interpreter does, whichever
library does it (WeasyPrint, python-docx, Jinja2, fontTools), so an empty log is a proof.
"""

from __future__ import annotations

import json
import os
import sys

WATCH = os.path.realpath(os.environ["TYPESET_AUDIT_WATCH"])
LOG = os.environ["TYPESET_AUDIT_LOG"]
NETWORK = {"socket.connect", "socket.getaddrinfo", "socket.gethostbyname", "urllib.Request", "http.client.connect"}
PROGRAMS = {"subprocess.Popen", "os.posix_spawn", "os.exec", "os.spawn", "os.system", "os.fork", "os.forkpty",
            "pty.spawn"}


def _record(event: str, detail: str) -> None:
    with open(LOG, "a", encoding="utf-8") as handle:  # the log file is not below WATCH
        handle.write(json.dumps({"event": event, "detail": detail}) + "\n")


def _hook(event: str, args: tuple) -> None:  # type: ignore[type-arg]
    if event == "open" and args and isinstance(args[0], (str, bytes, os.PathLike)):
        path = os.fsdecode(args[0])
        if os.path.realpath(path).startswith(WATCH + os.sep):
            _record(event, path)
    elif event in PROGRAMS:
        _record(event, repr(args[0] if args else "")[:200])
    elif event in NETWORK:
        address = args[1] if event == "socket.connect" and len(args) > 1 else args[0] if args else ""
        if event == "socket.connect" and isinstance(address, str):  # a Unix socket (fontconfig, D-Bus)
            return
        _record(event, repr(address))


if __name__ == "__main__":
    sys.addaudithook(_hook)
    from typeset.cli import main

    sys.argv = ["typeset", *sys.argv[1:]]
    main()
