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
import errno
import os
import shutil
import stat
import tempfile
import threading
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from typeset.errors import OutputError, TypesetError, UsageError

PACKAGE_DIR = Path(__file__).resolve().parent


def data_dir(name: str) -> Path:
    """A folder shipped with typeset (``layouts`` or ``fonts``), installed or in a checkout."""
    installed = PACKAGE_DIR / "_data" / name
    return installed if installed.is_dir() else PACKAGE_DIR.parent / name


LAYOUTS_DIR = data_dir("layouts")
FONTS_DIR = data_dir("fonts")


class AccessDenied(TypesetError):
    """A file typeset may not or cannot read: outside the allowed roots, missing, not a regular
    file, a loop of symbolic links, or refused by the system (permissions)."""

    exit_code = 2

    def __init__(self, path: Path | str, detail: str, *, reason: str = "outside", hint: str | None = None) -> None:
        super().__init__(f"{path}: {detail}", hint=hint)
        self.detail = detail  # "is outside the folders typeset may read", "cannot be read: Permission denied"
        self.reason = reason  # "outside", "missing", "not-a-file", "loop", "unreadable"


class TooLarge(TypesetError):
    exit_code = 2


#: The largest SOURCE_DATE_EPOCH: 9999-12-31T23:59:59Z, the last second of a four-digit year.
MAX_EPOCH = 253_402_300_799


def source_date_epoch(environ: Mapping[str, str]) -> int | None:
    """``SOURCE_DATE_EPOCH`` as a number of seconds, ``None`` if unset or empty; anything else than
    ASCII digits for a time from 1970 to 9999 is a usage error, as reproducible-builds.org asks."""
    raw = environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not raw:
        return None
    if not (raw.isascii() and raw.isdigit()) or len(raw) > 12 or int(raw) > MAX_EPOCH:
        raise UsageError(f"SOURCE_DATE_EPOCH='{raw[:40]}' is not a time typeset can use",
                         hint=f"set it to whole seconds since 1970-01-01 UTC, from 0 to {MAX_EPOCH:,} (the year 9999), "
                              "such as $(git log -1 --format=%ct), or unset it")
    return int(raw)


@dataclass(frozen=True, slots=True)
class Limits:
    """Upper bounds on what a source may make typeset read or build."""

    max_file_bytes: int = 16 * 1024 * 1024
    max_line_chars: int = 100_000  # a paragraph of some 15,000 words on one line
    max_yaml_nodes: int = 200_000
    max_yaml_depth: int = 64
    max_csv_rows: int = 200_000
    max_csv_columns: int = 1_000  # 8 plain columns and 3 per language: room for 330 languages
    max_entries: int = 200_000
    max_languages: int = 200
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
        self.epoch = source_date_epoch(self.environ)

    # -- reading -------------------------------------------------------------------------

    def with_roots(self, *roots: Path) -> World:
        """The same world, allowed to read below these roots too."""
        return World((*self.roots, *roots), environ=self.environ, limits=self.limits)

    def only(self, *roots: Path) -> World:
        """The same world, allowed to read below these roots only (and the bundled fonts)."""
        return World(roots, environ=self.environ, limits=self.limits)

    def confine(self, path: Path) -> Path:
        """The resolved path, if it lies below one of the roots (symlinks followed)."""
        try:
            resolved = Path(path).resolve()
        except RuntimeError:  # Python 3.11 says "Symlink loop" so; later versions raise OSError
            raise AccessDenied(path, "is a loop of symbolic links", reason="loop") from None
        except OSError as error:
            raise AccessDenied(path, f"cannot be read: {error.strerror or error}", reason="unreadable") from None
        if not any(resolved == root or resolved.is_relative_to(root) for root in self.roots):
            raise AccessDenied(path, "is outside the folders typeset may read",
                               hint="sources may only refer to files inside their own document folder")
        return resolved

    def regular_file(self, path: Path) -> Path:
        """The resolved path of a regular file below the roots; else :class:`AccessDenied` saying why."""
        resolved = self.confine(path)
        try:
            mode = resolved.stat().st_mode
        except FileNotFoundError:
            if os.path.lexists(resolved):
                raise AccessDenied(path, "is a link to nothing", reason="missing") from None
            raise AccessDenied(path, "does not exist", reason="missing") from None
        except OSError as error:
            reason = "loop" if error.errno == errno.ELOOP else "unreadable"
            detail = "is a loop of symbolic links" if reason == "loop" else f"cannot be read: {error.strerror}"
            raise AccessDenied(path, detail, reason=reason) from None
        if not stat.S_ISREG(mode):
            raise AccessDenied(path, "is not a regular file", reason="not-a-file")
        return resolved

    def refusal(self, path: Path) -> AccessDenied | None:
        """Why ``path`` cannot be read as a file (``None``: it can), without reading it."""
        try:
            self.regular_file(path)
        except AccessDenied as error:
            return error
        return None

    def is_file(self, path: Path) -> bool:
        return self.refusal(path) is None

    def read_bytes(self, path: Path) -> bytes:
        resolved = self.regular_file(path)
        try:
            with open(resolved, "rb") as handle:
                size = os.fstat(handle.fileno()).st_size
                if size > self.limits.max_file_bytes:
                    raise TooLarge(f"{path}: {size:,} bytes, more than the limit of {self.limits.max_file_bytes:,}")
                data = handle.read(self.limits.max_file_bytes + 1)
        except OSError as error:
            raise AccessDenied(path, f"cannot be read: {error.strerror or error}", reason="unreadable") from None
        if len(data) > self.limits.max_file_bytes:  # it grew while being read
            raise TooLarge(f"{path}: more than the limit of {self.limits.max_file_bytes:,} bytes")
        return data

    def read_text(self, path: Path) -> str:
        """UTF-8 text (a leading byte-order mark is dropped); bad bytes raise UnicodeDecodeError."""
        return self.read_bytes(path).decode("utf-8-sig")

    def fetch_url(self, url: str) -> tuple[bytes, str | None]:
        """The bytes behind a ``file:`` or ``data:`` URL inside the roots; nothing else."""
        parts = urlsplit(url)
        if parts.scheme == "file" and parts.netloc in ("", "localhost"):
            path = Path(unquote(parts.path))
            return self.read_bytes(path), None
        raise AccessDenied(url, "refused: typeset fetches only files inside the document, layout and font folders")

    # -- typeset's own files, and what an earlier build wrote ------------------------------

    def read_package(self, relative: str) -> bytes:
        """A file shipped inside typeset (``render/quotes.json``, its own code)."""
        path = (PACKAGE_DIR / relative).resolve()
        if not path.is_relative_to(PACKAGE_DIR):
            raise AccessDenied(relative, "is outside typeset's own folder")
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
        if self.epoch is not None:
            return dt.datetime(1970, 1, 1, tzinfo=dt.UTC) + dt.timedelta(seconds=self.epoch)
        return dt.datetime(fallback.year, fallback.month, fallback.day, tzinfo=dt.UTC)

    def now(self) -> dt.datetime:
        """The time now (UTC), whatever ``SOURCE_DATE_EPOCH`` says: for what is not in an output."""
        return dt.datetime.now(dt.UTC)

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
