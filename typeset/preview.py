"""The live preview: an HTML edition served on 127.0.0.1 that reloads itself when its sources change.

In: a document folder, the language to show first (default: the source language), a port (0: any free
one) and a layout. Out: a running :class:`Preview` — an HTTP server (standard library, one thread per
request) with

- ``/`` the edition's page, and every other edition at its file name (``<id>.<lang>.html``, where the
  page's language menu points);
- ``/_typeset/fonts/…`` the bundled font files themselves (the page names them with a
  ``unicode-range`` each, so the browser fetches only those it draws with: no subsetting to wait for);
- ``/_typeset/events`` server-sent events: ``reload`` whenever the page changed.

A watcher thread (:func:`typeset.watch.changes`) reads the document again, in this process, after
every change to the document folder, the layout or the fonts, and tells the pages to reload. Each
page carries a few lines of script that do that — the preview's only script; a published edition
has none. A source with errors shows them at the top of the page, each at its ``file:line:col``
(over the last good page, if there was one), until they are fixed.

What it accepts: ``GET`` requests whose ``Host`` is the address it serves (``127.0.0.1:PORT`` or
``localhost:PORT``; anything else — a page of another site that a rebinding DNS name points here
— gets 421), with a well-formed path and query (else 400): ``since`` (digits) on the event stream,
``v`` (digits) on a font, nothing on a page. At most :data:`MAX_CONNECTIONS` connections at once
(the next get 503); a connection that sends nothing for :data:`IDLE_SECONDS` is closed.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, quote, unquote, urlsplit

from markupsafe import Markup

from typeset.diagnostics import Diagnostic
from typeset.errors import TypesetError, UsageError
from typeset.render import RenderOptions

if TYPE_CHECKING:
    from typeset.fonts import Face
    from typeset.model.document import Document
    from typeset.render import RenderContext
    from typeset.world import World

HOST = "127.0.0.1"
PREFIX = "/_typeset"
PING_SECONDS = 10.0  # a comment on the event stream this often, so a closed tab is noticed
MAX_CONNECTIONS = 32  # open pages each hold one (their event stream)
IDLE_SECONDS = 15.0  # a connection waiting longer than this for the next bytes is closed
_QUERIES = {"events": {"since"}, "fonts": {"v"}, "page": set()}  # what each kind of request may ask

_RELOAD_SCRIPT = """<script>
(() => {{
  const events = new EventSource("{prefix}/events?since={generation}");
  events.addEventListener("reload", () => {{ events.close(); location.reload(); }});
}})();
</script>
"""

_PANEL_CSS = """
#typeset-problems { all: initial; display: block; box-sizing: border-box; position: fixed; z-index: 2147483647;
  top: 0.75rem; left: 0.75rem; right: 0.75rem; max-height: 60vh; overflow: auto; padding: 0.9rem 1.1rem;
  box-shadow: 0 4px 18px rgba(0, 0, 0, 0.18);
  border: 2px solid #b00020; border-radius: 6px; background: #fff4f4; color: #1b1b1b; direction: ltr; text-align: left;
  font: 15px/1.45 "Noto Sans", system-ui, sans-serif; }
#typeset-problems h2 { all: unset; display: block; font-weight: 700; color: #b00020; margin-bottom: 0.4rem; }
#typeset-problems ol { margin: 0; padding-left: 1.2rem; }
#typeset-problems li { margin: 0.25rem 0; }
#typeset-problems code { font: inherit; font-weight: 700; }
#typeset-problems .hint { color: #4a4a4a; }
#typeset-problems details { margin-top: 0.4rem; color: #4a4a4a; }
#typeset-problems.warnings { border-color: #8a6d00; background: #fffbea; }
#typeset-problems.warnings h2 { color: #6b5400; }
"""


@dataclass(frozen=True)
class _Ready:
    """A document read and checked, with what its pages render with."""

    document: Document
    context: RenderContext


@dataclass
class _State:
    """What one reading of the sources gave; replaced whole on every change."""

    generation: int
    prepared: _Ready | None = None  # None: the document could not be read
    diagnostics: list[Diagnostic] = field(default_factory=list)
    pages: dict[str, bytes] = field(default_factory=dict)  # rendered on request, per language


class Preview:
    """The preview server of one document; :meth:`start` it, :meth:`stop` it (or use ``with``)."""

    def __init__(self, source: Path, world: World, *, language: str | None = None, port: int = 8000,
                 layout: str | None = None, log: Callable[[str], None] | None = None) -> None:
        self.source = Path(source)
        self.world = world
        self.wanted_language = language
        self.layout = layout
        self.log = log or (lambda message: None)
        self._stop = threading.Event()
        self._watching = threading.Event()
        self._changed = threading.Condition()
        self._lock = threading.Lock()
        self._state = _State(0)
        self._good: _State | None = None  # the last reading that gave a document
        self._threads: list[threading.Thread] = []
        try:
            self.server = _BoundedServer((HOST, port), _handler(self), log=self.log)
        except OSError as error:
            raise UsageError(f"cannot serve on {HOST}:{port}: {error.strerror or error}",
                             hint="choose another port with --port, or --port 0 for any free one") from None

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.server.server_address[1]}/"

    # -- running ---------------------------------------------------------------------------------

    def start(self) -> Preview:
        """Watch, read the sources, then serve — watching and serving in background threads."""
        watcher = threading.Thread(target=self._watch, name="typeset-preview-watch", daemon=True)
        watcher.start()
        self._threads.append(watcher)
        if not self._watching.wait(timeout=30):
            self.stop()
            raise UsageError("could not watch the sources for changes",
                             hint="set WATCHFILES_FORCE_POLLING=1 where file system events are not available")
        self.rebuild()
        prepared = self._state.prepared
        if prepared is not None and self.wanted_language and self._language(self._state, self.wanted_language) is None:
            self.stop()
            declared = [language.tag for language in prepared.document.languages]
            raise UsageError(f"document '{prepared.document.id}' has no '{self.wanted_language}' edition",
                             hint=f"its languages are {', '.join(declared)}")
        server = threading.Thread(target=self.server.serve_forever, name="typeset-preview-http", daemon=True)
        server.start()
        self._threads.append(server)
        return self

    def stop(self) -> None:
        self._stop.set()
        with self._changed:
            self._changed.notify_all()
        if any(t.name == "typeset-preview-http" for t in self._threads):
            self.server.shutdown()
        self.server.server_close()
        for thread in self._threads:
            thread.join(timeout=5)

    def __enter__(self) -> Preview:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _watch(self) -> None:
        from typeset.watch import changes, watched_folders

        while not self._stop.is_set():
            folders = self._folders(watched_folders)
            for changed in changes(folders, self._stop):
                if not changed:  # the watcher runs
                    self._watching.set()
                    continue
                self.rebuild()
                if self._folders(watched_folders) != folders:  # document.yaml names another layout
                    break
            else:
                return

    def _folders(self, watched_folders: Callable[..., list[Path]]) -> list[Path]:
        prepared = self._state.prepared
        layout = prepared.context.layout.root if prepared is not None else self.layout
        return watched_folders([self.source], layout)

    # -- reading the sources ---------------------------------------------------------------------

    def rebuild(self) -> None:
        """Read the document again (validate, lint, preflight) and tell every open page to reload."""
        from typeset.prepare import prepare

        started = time.monotonic()
        prepared: _Ready | None = None
        try:
            read = prepare(self.source, self.world, self.layout, RenderOptions(html_fonts="none"))
            diagnostics = read.diagnostics.sorted()
            if read.document is not None and read.context is not None:
                prepared = _Ready(read.document, read.context)
        except TypesetError as error:
            from typeset.diagnostics import Severity, Span

            prepared, diagnostics = None, [Diagnostic(Severity.ERROR, Span(self.source), error.message, error.hint)]
        with self._lock:
            state = _State(self._state.generation + 1, prepared, diagnostics)
            self._state = state
            if prepared is not None:
                self._good = state
        with self._changed:
            self._changed.notify_all()
        errors = sum(1 for d in diagnostics if d.is_error)
        self.log(f"read {self.source} in {time.monotonic() - started:.2f} s: "
                 + (f"{errors} error(s), see the page" if errors else "ok"))
        for diagnostic in diagnostics:
            self.log(diagnostic.format())

    def wait_for_change(self, since: int, timeout: float) -> int:
        """The current generation, once it differs from ``since`` or after ``timeout`` seconds."""
        with self._changed:
            self._changed.wait_for(lambda: self._state.generation != since or self._stop.is_set(), timeout)
        return self._state.generation

    # -- pages -----------------------------------------------------------------------------------

    def page(self, language: str | None) -> bytes | None:
        """The page of an edition (``None``: the one asked for on the command line), with the
        problems found at the top; ``None`` if the document has no such edition."""
        with self._lock:
            state, good = self._state, self._good
        source = state if state.prepared is not None else good
        tag = self._language(source, language)
        if source is not None and tag is None:
            return None
        key = tag or ""
        if key not in state.pages:
            state.pages[key] = self._render(state, source, tag)
        return state.pages[key]

    def _language(self, source: _State | None, wanted: str | None) -> str | None:
        if source is None or source.prepared is None:
            return wanted
        document = source.prepared.document
        declared, default = [lang.tag for lang in document.languages], document.source_language.tag
        if wanted:
            return match_language(declared, wanted, default)
        return match_language(declared, self.wanted_language, default) or default  # "/": the one asked for

    def _render(self, state: _State, source: _State | None, tag: str | None) -> bytes:
        problems = _panel(state.diagnostics)
        html = None
        if source is not None and source.prepared is not None and tag is not None:
            try:
                html = self._edition_html(source.prepared, tag)
            except TypesetError as error:
                problems += _panel_message(f"{error.message}" + (f" (hint: {error.hint})" if error.hint else ""))
            except Exception as error:  # noqa: BLE001 - a template error shows where it is, as a source error does
                problems += _panel_message(_describe(error))
        script = _RELOAD_SCRIPT.format(prefix=PREFIX, generation=state.generation)
        head = f"<style>{_PANEL_CSS}</style>\n"
        if html is None:
            html = ('<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
                    "<title>typeset preview</title>\n</head>\n<body>\n</body>\n</html>\n")
        html = _insert(html, "</head>", head)
        html = _insert_after_body(html, str(problems))
        return _insert(html, "</body>", script).encode("utf-8")

    def _edition_html(self, prepared: _Ready, tag: str) -> str:
        from typeset.model.edition import make_edition
        from typeset.render.html import page
        from typeset.render.webfonts import full_font_face_css

        context = prepared.context
        edition = make_edition(prepared.document, tag)
        root = context.fonts.root

        def url(face: Face) -> str:
            version = int(face.path.stat().st_mtime_ns) if face.path.exists() else 0
            return f"{PREFIX}/fonts/{quote(face.path.relative_to(root).as_posix())}?v={version}"

        return page(edition, context, font_css=full_font_face_css(context.fonts, url))

    def font(self, relative: str) -> tuple[bytes, str] | None:
        """A bundled font file named in the manifest, and its media type."""
        with self._lock:
            ready = self._state.prepared or (self._good.prepared if self._good is not None else None)
        if ready is None:
            from typeset.fonts import load_fonts

            world = self.world
            fonts = load_fonts(world)
        else:
            world, fonts = ready.context.world, ready.context.fonts
        for family in fonts.families:
            for face in family.faces:
                if face.path.relative_to(fonts.root).as_posix() == relative:
                    media = "font/otf" if face.path.suffix == ".otf" else "font/ttf"
                    return world.read_bytes(face.path), media
        return None


def match_language(declared: list[str], wanted: str | None, default: str) -> str | None:
    """The declared tag ``wanted`` names (:func:`~typeset.model.language.match_tag`); ``default`` if
    nothing is wanted; ``None`` if none fits."""
    from typeset.model.language import match_tag

    return match_tag(declared, wanted) if wanted else default


def _insert(html: str, marker: str, text: str) -> str:
    at = html.rfind(marker)
    return html[:at] + text + html[at:] if at >= 0 else html + text


def _insert_after_body(html: str, text: str) -> str:
    start = html.find("<body")
    end = html.find(">", start)
    return html[:end + 1] + "\n" + text + html[end + 1:] if start >= 0 and end >= 0 else text + html


def _panel(diagnostics: list[Diagnostic]) -> Markup:
    """The problems as a block at the top of the page: errors listed, warnings folded away."""
    errors = [d for d in diagnostics if d.is_error]
    warnings = [d for d in diagnostics if not d.is_error]
    if not errors and not warnings:
        return Markup("")
    items = Markup("").join(_item(d) for d in errors)
    folded = Markup("")
    if warnings:
        listed = Markup("").join(_item(d) for d in warnings)
        folded = Markup("<details{open}><summary>{count} warning{s}</summary><ol>{items}</ol></details>").format(
            open=Markup(" open") if not errors else Markup(""), count=len(warnings), s="s" * (len(warnings) != 1),
            items=listed)
    title = (f"{len(errors)} error{'s' * (len(errors) != 1)} in the source" if errors
             else f"{len(warnings)} warning{'s' * (len(warnings) != 1)}")
    return Markup('<aside id="typeset-problems" class="{kind}" role="alert" lang="en" dir="ltr"><h2>{title}</h2>'
                  "{errors}{folded}</aside>\n").format(
        kind="errors" if errors else "warnings", title=title,
        errors=Markup("<ol>{}</ol>").format(items) if errors else Markup(""), folded=folded)


def _item(diagnostic: Diagnostic) -> Markup:
    hint = Markup('<br><span class="hint">hint: {}</span>').format(diagnostic.hint) if diagnostic.hint else Markup("")
    return Markup("<li><code>{span}</code>: {severity}: {message}{hint}</li>").format(
        span=str(diagnostic.span), severity=diagnostic.severity.value, message=diagnostic.message, hint=hint)


def _panel_message(message: str) -> Markup:
    return Markup('<aside id="typeset-problems" class="errors" role="alert" lang="en" dir="ltr">'
                  "<h2>The page could not be made</h2><p>{}</p></aside>\n").format(message)


def _describe(error: Exception) -> str:
    """A template or other rendering error, with its file and line when it has them."""
    filename, line = getattr(error, "filename", None), getattr(error, "lineno", None)
    where = f"{filename}:{line}: " if filename and line else ""
    return f"{where}{type(error).__name__}: {error}"


class _BoundedServer(ThreadingHTTPServer):
    """A thread per connection, at most :data:`MAX_CONNECTIONS` at once; errors logged as one line."""

    daemon_threads = True

    def __init__(self, address: tuple[str, int], handler: type[BaseHTTPRequestHandler],
                 log: Callable[[str], None]) -> None:
        self.slots = threading.BoundedSemaphore(MAX_CONNECTIONS)
        self.log = log
        super().__init__(address, handler)

    def process_request(self, request: Any, client_address: Any) -> None:
        if not self.slots.acquire(blocking=False):
            try:
                request.sendall(b"HTTP/1.0 503 Service Unavailable\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
            except OSError:
                pass
            self.shutdown_request(request)
            return
        try:
            super().process_request(request, client_address)
        except BaseException:
            self.slots.release()
            raise

    def process_request_thread(self, request: Any, client_address: Any) -> None:
        try:
            super().process_request_thread(request, client_address)
        finally:
            self.slots.release()

    def handle_error(self, request: Any, client_address: Any) -> None:
        import sys

        error = sys.exc_info()[1]
        if not isinstance(error, (ConnectionError, TimeoutError)):  # a closed tab is not news
            self.log(f"preview: a request failed: {type(error).__name__}: {error}")


def _host_allowed(host: str | None, port: int) -> bool:
    """Whether a ``Host`` header names this server (not a rebinding DNS name that points here)."""
    if host is None:
        return False
    names = {f"{HOST}:{port}", f"localhost:{port}"} | ({HOST, "localhost"} if port == 80 else set())
    return host.strip().lower() in names


def _request(target: str) -> tuple[str, dict[str, str]] | None:
    """The decoded path and query of a request target; ``None`` if either is malformed (not UTF-8,
    control characters, a query that is not ``name=value&…`` with each name once)."""
    parts = urlsplit(target)
    try:
        path = unquote(parts.path, errors="strict")
        pairs = parse_qsl(parts.query, keep_blank_values=True, strict_parsing=True, max_num_fields=8,
                          errors="strict") if parts.query else []
    except (UnicodeDecodeError, ValueError):
        return None
    query = dict(pairs)
    if len(query) != len(pairs) or not path.startswith("/") or any(
            not c.isprintable() for c in path + "".join(map("".join, pairs))):
        return None
    return path, query


def _handler(preview: Preview) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        server_version = "typeset-preview"
        timeout = IDLE_SECONDS  # reading a request, or writing to a reader that has stopped

        def log_message(self, format: str, *args: object) -> None:  # the base class's names
            pass  # requests are not news; rebuilds are logged by the preview

        def do_GET(self) -> None:  # the base class's name
            hosts = self.headers.get_all("Host") or []
            if len(hosts) != 1:
                self._send(HTTPStatus.BAD_REQUEST, b"one Host header, please\n", "text/plain; charset=utf-8")
                return
            if not _host_allowed(hosts[0], preview.server.server_port):
                self._send(HTTPStatus.MISDIRECTED_REQUEST, b"this preview answers to its own address only\n",
                           "text/plain; charset=utf-8")
                return
            request = _request(self.path)
            kind = None if request is None else (
                "events" if request[0] == f"{PREFIX}/events" else
                "fonts" if request[0].startswith(f"{PREFIX}/fonts/") else "page")
            if request is None or kind is None or not set(request[1]) <= _QUERIES[kind] or not all(
                    value.isascii() and value.isdigit() and len(value) <= 20 for value in request[1].values()):
                self._send(HTTPStatus.BAD_REQUEST, b"malformed request\n", "text/plain; charset=utf-8")
                return
            path, query = request
            if kind == "events":
                self._events(int(query.get("since", "0")))
            elif kind == "fonts":
                found = preview.font(path[len(f"{PREFIX}/fonts/"):])
                if found is None:
                    self._send(HTTPStatus.NOT_FOUND, b"no such font\n", "text/plain; charset=utf-8")
                else:
                    self._send(HTTPStatus.OK, found[0], found[1], cache="max-age=31536000, immutable")
            elif path in ("/", "/index.html") or path.endswith(".html"):
                language = None if path in ("/", "/index.html") else path.rsplit(".", 2)[-2]
                body = preview.page(language)
                if body is None:
                    self._send(HTTPStatus.NOT_FOUND, b"no such edition\n", "text/plain; charset=utf-8")
                else:
                    self._send(HTTPStatus.OK, body, "text/html; charset=utf-8")
            elif path == "/favicon.ico":
                self._send(HTTPStatus.NO_CONTENT, b"", "image/x-icon")
            else:
                self._send(HTTPStatus.NOT_FOUND, b"not found\n", "text/plain; charset=utf-8")

        def _send(self, status: HTTPStatus, body: bytes, media: str, cache: str = "no-store") -> None:
            self.send_response(status)
            self.send_header("Content-Type", media)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", cache)
            self.end_headers()
            if body:
                self.wfile.write(body)

        def _events(self, since: int) -> None:
            self.send_response(HTTPStatus.OK)
            self.send_header("Content-Type", "text/event-stream")
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            try:
                self.wfile.write(b"retry: 500\n\n")
                self.wfile.flush()
                while not preview._stop.is_set():
                    generation = preview.wait_for_change(since, PING_SECONDS)
                    if preview._stop.is_set():
                        return
                    if generation != since:
                        self.wfile.write(f"event: reload\ndata: {generation}\n\n".encode())
                        since = generation
                    else:
                        self.wfile.write(b": still here\n\n")
                    self.wfile.flush()
            except (ConnectionError, TimeoutError):  # the tab was closed, or stopped reading
                return

    return Handler

