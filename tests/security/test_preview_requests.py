"""The preview against hostile requests, run under the audit hook: a Host that names another site
(DNS rebinding), malformed paths and queries, more connections than it holds, connections that
send nothing. Each is refused with its status, and the preview goes on serving."""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import REPO
from tests.support import make
from typeset.preview import IDLE_SECONDS, MAX_CONNECTIONS


@pytest.fixture
def port(tmp_path: Path, canary: Path) -> Iterator[int]:
    """``typeset preview`` under the audit hook; its port. Afterwards: nothing read outside the
    roots, no connection made, no traceback."""
    log = tmp_path / "audit.jsonl"
    environment = {**os.environ, "TYPESET_AUDIT_WATCH": str(canary.parent), "TYPESET_AUDIT_LOG": str(log)}
    process = subprocess.Popen([sys.executable, str(Path(__file__).with_name("audited.py")), "preview",
                                make(tmp_path / "doc"), "--port", "0"], cwd=REPO, env=environment,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert process.stdout is not None
    found = re.search(r"http://127\.0\.0\.1:(\d+)/", process.stdout.readline())
    assert found, process.stderr.read() if process.stderr else ""
    yield int(found[1])
    process.terminate()
    _, stderr = process.communicate(timeout=30)
    assert process.returncode == 143 and "Traceback" not in stderr, stderr
    events = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()] if log.exists() else []
    assert events == []


def request(port: int, raw: bytes, timeout: float = 30) -> bytes:
    """The status line of the answer to a raw request."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as connection:
        connection.sendall(raw)
        answer = b""
        while b"\r\n" not in answer:
            chunk = connection.recv(4096)
            if not chunk:
                break
            answer += chunk
    return answer.split(b"\r\n", 1)[0]


def get(port: int, target: str, host: str | None = "{local}") -> bytes:
    header = "" if host is None else f"Host: {host.format(local=f'127.0.0.1:{port}')}\r\n"
    return request(port, f"GET {target} HTTP/1.1\r\n{header}\r\n".encode("latin-1"))


REFUSED = [
    # (target, Host header, status)
    ("/", "evil.example:{port}", b"421"),
    ("/", "evil.example", b"421"),
    ("/", "127.0.0.1.evil.example:{port}", b"421"),
    ("/", "localhost.:{port}", b"421"),
    ("/", "127.0.0.1:1", b"421"),
    ("/", None, b"400"),
    ("/_typeset/events?since=%C2%B2", "{local}", b"400"),
    ("/_typeset/events?since=1&since=2", "{local}", b"400"),
    ("/_typeset/events?since=" + "9" * 5000, "{local}", b"400"),
    ("/_typeset/events?since=-1", "{local}", b"400"),
    ("/_typeset/events?since", "{local}", b"400"),
    ("/_typeset/events?other=1", "{local}", b"400"),
    ("/_typeset/fonts/x.ttf?v=abc", "{local}", b"400"),
    ("/?x=1", "{local}", b"400"),
    ("/%ff.html", "{local}", b"400"),
    ("/%00.html", "{local}", b"400"),
    ("/a%0d%0aSet-Cookie:%20x.html", "{local}", b"400"),
    ("/?" + "&".join(f"a{i}=1" for i in range(50)), "{local}", b"400"),
]


def test_a_hostile_request_gets_its_status_and_the_preview_serves_on(port: int) -> None:
    for target, host, status in REFUSED:
        host = None if host is None else host.replace("{port}", str(port))
        assert get(port, target, host).split(b" ")[1] == status, (target, host)
    assert get(port, "/", "{local}") == b"HTTP/1.0 200 OK"
    assert get(port, "/", f"localhost:{port}") == b"HTTP/1.0 200 OK"
    assert get(port, "/t.de.html", f"LOCALHOST:{port}") == b"HTTP/1.0 200 OK"
    assert request(port, f"GET / HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nHost: evil.example\r\n\r\n".encode()
                   ).split(b" ")[1] == b"400"


def test_connections_are_bounded_and_idle_ones_closed(port: int) -> None:
    # the idle time counts from the preview's accepting a connection, which is after this
    opened = time.monotonic()
    held = [socket.create_connection(("127.0.0.1", port), timeout=60) for _ in range(MAX_CONNECTIONS)]
    try:
        time.sleep(0.5)
        assert get(port, "/") == b"HTTP/1.0 503 Service Unavailable"
        assert held[0].recv(16) == b"", "an idle connection is closed"
        assert IDLE_SECONDS - 1 <= time.monotonic() - opened <= IDLE_SECONDS + 10
    finally:
        for connection in held:
            connection.close()
    time.sleep(0.5)
    assert get(port, "/") == b"HTTP/1.0 200 OK"
