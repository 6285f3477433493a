"""Headless Chromium driven through the DevTools protocol, for tests that look at pages as a reader would.

In: pages to load (``file:`` or ``http:`` URLs on this machine) and a fontconfig file that decides which
fonts the browser may find on the machine. Out: what Chromium made of a page — JavaScript values
evaluated in it (rendered text, box measurements, axe-core results) and its printout as PDF bytes.

The protocol runs over a pipe (``--remote-debugging-pipe``: commands on fd 3, answers on fd 4, each a
JSON message ended by a NUL byte), so no port is opened and nothing but the standard library is needed.
"""

from __future__ import annotations

import base64
import fcntl
import json
import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

CHROMIUM_FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run", "--hide-scrollbars",
                  "--mute-audio", "--remote-debugging-pipe")


class BrowserError(RuntimeError):
    """Chromium answered a command with an error, went away, or a wait ran out."""


def dejavu_only_fonts(folder: Path) -> Path:
    """A fontconfig file that lets the browser find DejaVu and nothing else on this machine: any glyph a
    page's own fonts lack shows up as DejaVu (or a box) in the printout."""
    conf = folder / "dejavu-only.conf"
    conf.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">\n<fontconfig>\n'
        "  <dir>/usr/share/fonts/truetype/dejavu</dir>\n"
        f"  <cachedir>{folder / 'fc-cache'}</cachedir>\n</fontconfig>\n", encoding="utf-8")
    return conf


class Browser:
    """One headless Chromium with one page (tab); a context manager that always ends the process."""

    def __init__(self, fontconfig: Path | None = None, *, width: int = 1280, height: int = 900) -> None:
        self.profile = Path(tempfile.mkdtemp(prefix="typeset-chromium-"))
        environment = {"PATH": "/usr/bin:/bin", "HOME": str(self.profile)}
        if fontconfig is not None:
            environment["FONTCONFIG_FILE"] = str(fontconfig)
        to_browser_r, self._to_browser = os.pipe()
        self._from_browser, from_browser_w = os.pipe()

        def wire() -> None:  # in the child: the protocol's two pipes as fds 3 and 4, inherited by exec
            high = [fcntl.fcntl(fd, fcntl.F_DUPFD, 10) for fd in (to_browser_r, from_browser_w)]
            os.dup2(high[0], 3)
            os.dup2(high[1], 4)

        self.process = subprocess.Popen(
            ["chromium", *CHROMIUM_FLAGS, f"--user-data-dir={self.profile}", f"--window-size={width},{height}",
             "about:blank"],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=environment,
            preexec_fn=wire, close_fds=False)
        os.close(to_browser_r)
        os.close(from_browser_w)
        self._buffer = b""
        self._next_id = 0
        self._events: list[dict[str, Any]] = []
        try:
            targets = self.command("Target.getTargets")["targetInfos"]
            page = next(t["targetId"] for t in targets if t["type"] == "page")
            self.session = self.command("Target.attachToTarget", targetId=page, flatten=True)["sessionId"]
            self.send("Page.enable")
            self.send("Runtime.enable")
            self.resize(width, height)
        except BaseException:
            self.close()
            raise

    # -- the protocol -----------------------------------------------------------------------------

    def command(self, method: str, session: str | None = None, timeout: float = 60, **params: Any) -> Any:
        """Send one command and wait for its answer (events that arrive meanwhile are kept)."""
        self._next_id += 1
        message: dict[str, Any] = {"id": self._next_id, "method": method, "params": params}
        if session:
            message["sessionId"] = session
        os.write(self._to_browser, json.dumps(message).encode() + b"\0")
        deadline = time.monotonic() + timeout
        while True:
            reply = self._read(deadline)
            if reply.get("id") == self._next_id:
                if "error" in reply:
                    raise BrowserError(f"{method}: {reply['error'].get('message')}")
                return reply.get("result", {})
            if "method" in reply:
                self._events.append(reply)

    def send(self, method: str, timeout: float = 60, **params: Any) -> Any:
        """A command to the page."""
        return self.command(method, self.session, timeout, **params)

    def _read(self, deadline: float) -> dict[str, Any]:
        import select

        while b"\0" not in self._buffer:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([self._from_browser], [], [], left)[0]:
                raise BrowserError("Chromium did not answer in time")
            chunk = os.read(self._from_browser, 1 << 20)
            if not chunk:
                raise BrowserError("Chromium went away")
            self._buffer += chunk
        message, self._buffer = self._buffer.split(b"\0", 1)
        return json.loads(message)  # type: ignore[no-any-return]

    def wait_event(self, method: str, timeout: float = 60) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while True:
            for event in self._events:
                if event["method"] == method:
                    self._events.remove(event)
                    return event
            message = self._read(deadline)
            if "method" in message:
                self._events.append(message)

    # -- what tests do ----------------------------------------------------------------------------

    def resize(self, width: int, height: int) -> None:
        """Lay the page out in a viewport of this size (a phone: 390 × 844)."""
        self.send("Emulation.setDeviceMetricsOverride", width=width, height=height, deviceScaleFactor=1,
                  mobile=width < 600)

    def load(self, url: str, timeout: float = 60) -> None:
        """Open a page and wait until it and its fonts are loaded."""
        self._events = [e for e in self._events if e["method"] != "Page.loadEventFired"]
        self.send("Page.navigate", url=url)
        self.wait_event("Page.loadEventFired", timeout)
        self.evaluate("document.fonts.ready.then(() => true)")

    def evaluate(self, expression: str, timeout: float = 60) -> Any:
        """The value of a JavaScript expression in the page (a promise is awaited)."""
        result = self.send("Runtime.evaluate", timeout, expression=expression, returnByValue=True,
                           awaitPromise=True)
        if "exceptionDetails" in result:
            details = result["exceptionDetails"]
            raise BrowserError(f"{details.get('text')}: {details.get('exception', {}).get('description')}")
        return result["result"].get("value")

    def pdf(self) -> bytes:
        """The page printed as a browser prints it (print media, no header or footer)."""
        result = self.send("Page.printToPDF", printBackground=True, displayHeaderFooter=False,
                           preferCSSPageSize=True)
        return base64.b64decode(result["data"])

    def screenshot(self, full_page: bool = True) -> bytes:
        """A PNG of the page as it shows on screen (the whole page, or the viewport)."""
        result = self.send("Page.captureScreenshot", format="png", captureBeyondViewport=full_page)
        return base64.b64decode(result["data"])

    def close(self) -> None:
        try:
            self.process.terminate()
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        finally:
            for fd in (self._to_browser, self._from_browser):
                try:
                    os.close(fd)
                except OSError:
                    pass
            shutil.rmtree(self.profile, ignore_errors=True)

    def __enter__(self) -> Browser:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
