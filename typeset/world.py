"""The one gate to the outside world: confined file reads, atomic writes, the clock, limits.

Nothing else in typeset calls ``open()``, reads or sets the environment or asks for the time. A
:class:`World` knows the roots it may read (the document folder, the layouts, the fonts), the
data shipped inside typeset (:meth:`World.read_package`), what an earlier build wrote
(:meth:`World.read_output`), the build date (``SOURCE_DATE_EPOCH``) and the limits on input
sizes; it writes outputs atomically, and the files that only this process uses (the fontconfig
file) into a private folder; it sets the environment that a library reads (``FONTCONFIG_FILE``)
for the moment it is read. The command line builds one and passes it down; tests may build one
over a temporary tree. ``tests/test_world_gate.py`` runs a build under an audit hook and fails if
any other module of typeset opens a file.
"""

from __future__ import annotations

import atexit
import datetime as dt
import os
import shutil
import tempfile
import threading
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from typeset.errors import OutputError, TypesetError

PACKAGE_DIR = Path(__file__).resolve().parent


def data_dir(name: str) -> Path:
    """A folder shipped with typeset (``layouts`` or ``fonts``), installed or in a checkout."""
    installed = PACKAGE_DIR / "_data" / name
    return installed if installed.is_dir() else PACKAGE_DIR.parent / name


LAYOUTS_DIR = data_dir("layouts")
FONTS_DIR = data_dir("fonts")


class AccessDenied(TypesetError):
    """A read outside the allowed roots, or of something that is not a regular file."""

    exit_code = 2


class TooLarge(TypesetError):
    exit_code = 2


@dataclass(frozen=True, slots=True)
class Limits:
    """Upper bounds on what a source may make typeset read or build."""

    max_file_bytes: int = 16 * 1024 * 1024
    max_yaml_nodes: int = 200_000
    max_yaml_depth: int = 64
    max_csv_rows: int = 200_000
    max_entries: int = 200_000
    render_seconds: float = 600.0  # one edition, in one worker


class World:
    """Confined access to files, fonts, layouts and the clock for one build."""

    def __init__(
        self,
        roots: Iterable[Path],
        *,
        environ: Mapping[str, str] | None = None,
        limits: Limits = Limits(),
    ) -> None:
        self.roots = tuple(dict.fromkeys(Path(r).resolve() for r in (*roots, FONTS_DIR)))
        self.environ = dict(os.environ if environ is None else environ)
        self.limits = limits

    # -- reading -------------------------------------------------------------------------

    def with_roots(self, *roots: Path) -> World:
        """The same world, allowed to read below these roots too."""
        return World((*self.roots, *roots), environ=self.environ, limits=self.limits)

    def only(self, *roots: Path) -> World:
        """The same world, allowed to read below these roots only (and the bundled fonts)."""
        return World(roots, environ=self.environ, limits=self.limits)

    def confine(self, path: Path) -> Path:
        """The resolved path, if it lies below one of the roots (symlinks followed)."""
        resolved = Path(path).resolve()
        if not any(resolved == root or resolved.is_relative_to(root) for root in self.roots):
            raise AccessDenied(
                f"{path}: outside the folders typeset may read",
                hint="sources may only refer to files inside their own document folder",
            )
        return resolved

    def is_file(self, path: Path) -> bool:
        try:
            return self.confine(path).is_file()
        except AccessDenied:
            return False

    def read_bytes(self, path: Path) -> bytes:
        resolved = self.confine(path)
        if not resolved.is_file():
            raise AccessDenied(f"{path}: no such file")
        size = resolved.stat().st_size
        if size > self.limits.max_file_bytes:
            raise TooLarge(
                f"{path}: {size:,} bytes, more than the limit of {self.limits.max_file_bytes:,}"
            )
        return resolved.read_bytes()

    def read_text(self, path: Path) -> str:
        """UTF-8 text (a leading byte-order mark is dropped); bad bytes raise UnicodeDecodeError."""
        return self.read_bytes(path).decode("utf-8-sig")

    def fetch_url(self, url: str) -> tuple[bytes, str | None]:
        """The bytes behind a ``file:`` or ``data:`` URL inside the roots; nothing else."""
        parts = urlsplit(url)
        if parts.scheme == "file" and parts.netloc in ("", "localhost"):
            path = Path(unquote(parts.path))
            return self.read_bytes(path), None
        raise AccessDenied(f"refused to fetch {url}: only files inside the document, layout and font folders")

    # -- typeset's own files, and what an earlier build wrote ------------------------------

    def read_package(self, relative: str) -> bytes:
        """A file shipped inside typeset (``render/quotes.json``, its own code)."""
        path = (PACKAGE_DIR / relative).resolve()
        if not path.is_relative_to(PACKAGE_DIR):
            raise AccessDenied(f"{relative}: outside typeset's own folder")
        return path.read_bytes()

    def package_files(self, pattern: str) -> list[str]:
        """The files inside typeset that match a glob (``**/*.py``), relative, sorted."""
        return sorted(path.relative_to(PACKAGE_DIR).as_posix() for path in PACKAGE_DIR.glob(pattern))

    def read_output(self, path: Path) -> bytes | None:
        """A file a build wrote (the manifest, the cache, an edition to check); ``None`` if it is
        missing or cannot be read. The output folder is typeset's own: no root confines it."""
        try:
            return Path(path).read_bytes()
        except OSError:
            return None

    # -- files of this process, and the environment of the libraries it calls ------------

    @contextmanager
    def scratch(self, prefix: str = "typeset-") -> Iterator[Path]:
        """A temporary folder for a program typeset runs (LibreOffice), removed afterwards."""
        with tempfile.TemporaryDirectory(prefix=prefix) as folder:
            yield Path(folder)

    def private_folder(self) -> Path:
        """A folder only this process uses (made on first use, removed at exit)."""
        return _private_folder()

    def write_private(self, relative: str, data: bytes) -> Path:
        """Write a file below :meth:`private_folder` (the fontconfig file); its path."""
        path = self.private_folder() / relative
        self.write_atomic(path, data)
        return path

    @contextmanager
    def environment(self, **values: str) -> Iterator[None]:
        """Set process environment variables while a library reads them (``FONTCONFIG_FILE`` while
        WeasyPrint loads its font configuration), then put back what was there. One at a time:
        the environment is the process's."""
        with _ENVIRONMENT:
            previous = {name: os.environ.get(name) for name in values}
            os.environ.update(values)
            try:
                yield
            finally:
                for name, value in previous.items():
                    if value is None:
                        os.environ.pop(name, None)
                    else:
                        os.environ[name] = value

    # -- the clock -----------------------------------------------------------------------

    def build_time(self, fallback: dt.date) -> dt.datetime:
        """``SOURCE_DATE_EPOCH`` if set, else midnight UTC of ``fallback`` (the document's date)."""
        epoch = self.environ.get("SOURCE_DATE_EPOCH", "").strip()
        if epoch.isdigit():
            return dt.datetime.fromtimestamp(int(epoch), tz=dt.timezone.utc)
        return dt.datetime(fallback.year, fallback.month, fallback.day, tzinfo=dt.timezone.utc)

    def now(self) -> dt.datetime:
        """The time now (UTC), whatever ``SOURCE_DATE_EPOCH`` says: for what is not in an output."""
        return dt.datetime.now(dt.timezone.utc)

    def today(self) -> dt.date:
        """The build date: ``SOURCE_DATE_EPOCH``'s day if set, else today (UTC)."""
        return self.build_time(self.now().date()).date()

    # -- writing -------------------------------------------------------------------------

    def write_atomic(self, path: Path, data: bytes) -> None:
        """Write ``data`` to a temporary file beside ``path``, then rename it over ``path``.

        A failure at any point leaves the previous file, if any, as it was.
        """
        path = Path(path)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
        except OSError as error:
            raise OutputError(f"{path}: cannot write: {error.strerror or error}") from None
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            os.chmod(tmp, 0o644)
            os.replace(tmp, path)
        except BaseException as error:
            try:
                os.unlink(tmp)
            except FileNotFoundError:
                pass
            if isinstance(error, OSError):
                raise OutputError(f"{path}: cannot write: {error.strerror or error}") from None
            raise


_ENVIRONMENT = threading.Lock()  # os.environ is the process's: one change at a time
_PRIVATE: list[Path] = []  # the private folder, once made
_PRIVATE_LOCK = threading.Lock()


def _private_folder() -> Path:
    with _PRIVATE_LOCK:
        if not _PRIVATE:
            _PRIVATE.append(Path(tempfile.mkdtemp(prefix="typeset-")))
            atexit.register(shutil.rmtree, _PRIVATE[0], ignore_errors=True)
        return _PRIVATE[0]
