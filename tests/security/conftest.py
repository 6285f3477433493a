"""Fixtures of the hostile-input suite: a canary outside every root, a listener that counts
connections, and the command line run under an audit hook."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


@dataclass
class Listener:
    """A TCP server on 127.0.0.1 that counts the connections made to it."""

    port: int
    connections: int = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"


@pytest.fixture
def listener() -> Iterator[Listener]:
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    server.settimeout(0.2)
    found = Listener(server.getsockname()[1])
    stop = threading.Event()

    def accept() -> None:
        while not stop.is_set():
            try:
                connection, _ = server.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            found.connections += 1
            connection.close()

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield found
    stop.set()
    thread.join()
    server.close()


@dataclass
class Audited:
    returncode: int
    stdout: str
    stderr: str
    events: list[dict[str, str]]


@pytest.fixture
def canary(tmp_path: Path) -> Path:
    """A secret outside the document, layout and font folders; no input may make typeset read it."""
    folder = tmp_path / "outside"
    folder.mkdir()
    secret = folder / "canary.txt"
    secret.write_text("CANARY-7f3a secret that must never be read\n", encoding="utf-8")
    (folder / "canary.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    (folder / "canary.css").write_text("body { color: red }", encoding="utf-8")
    return secret


@pytest.fixture
def audited(tmp_path: Path, canary: Path):  # type: ignore[no-untyped-def]
    def run(*args: str | Path, env: dict[str, str] | None = None) -> Audited:
        log = tmp_path / f"audit-{len(list(tmp_path.glob('audit-*')))}.jsonl"
        environment = {**os.environ, "TYPESET_AUDIT_WATCH": str(canary.parent), "TYPESET_AUDIT_LOG": str(log),
                       **(env or {})}
        result = subprocess.run([sys.executable, str(Path(__file__).with_name("audited.py")), *map(str, args)],
                                cwd=REPO, env=environment, capture_output=True, text=True, timeout=300)
        events = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()] if log.exists() else []
        return Audited(result.returncode, result.stdout, result.stderr, events)

    return run
