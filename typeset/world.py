"""The one gate to the outside world: confined file reads, atomic writes, the clock, limits.

Nothing else in typeset calls ``open()``, reads or sets the environment or asks for the time. A
:class:`World` knows the roots it may read (the document folder, the layouts, the fonts), the
data shipped inside typeset (:meth:`World.read_package`), what an earlier build wrote
(:meth:`World.read_output`), the build date (``SOURCE_DATE_EPOCH``) and the limits on input
sizes; it gives out the persistent cache of what a first render computes (:class:`Store`, in the
user's cache folder); it writes outputs atomically, and the files that only this process uses (the fontconfig
file) into a private folder; it sets the environment that a library reads (``FONTCONFIG_FILE``)
for the moment it is read. The command line builds one and passes it down; tests may build one
over a temporary tree. ``tests/test_world_gate.py`` runs a build under an audit hook and fails if
any other module of typeset opens a file.
"""

from __future__ import annotations

import atexit
import datetime as dt
import errno
import hashlib
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
    render_processes: int = 2  # one edition's layout (a long PDF's two parts: typeset.render.pdf_parts)


class World:
    """Confined access to files, fonts, layouts and the clock for one build."""

    def __init__(
        self,
        roots: Iterable[Path],
        *,
        environ: Mapping[str, str] | None = None,
        limits: Limits = Limits(),
        cache_dir: Path | None = None,
    ) -> None:
        self.roots = tuple(dict.fromkeys(Path(r).resolve() for r in (*roots, FONTS_DIR)))
        self.environ = dict(os.environ if environ is None else environ)
        self.limits = limits
        self.epoch = source_date_epoch(self.environ)
        self.cache_dir = cache_dir
        self._store: Store | None = None

    @property
    def store(self) -> Store:
        """The persistent cache: ``cache_dir`` if given, else ``TYPESET_CACHE_DIR``, else
        ``$XDG_CACHE_HOME/typeset`` (``~/.cache/typeset``); ``TYPESET_CACHE_MAX_MB`` bounds its size."""
        if self._store is None:
            self._store = Store(cache_folder(self.environ, self.cache_dir), max_bytes=cache_limit(self.environ))
        return self._store

    # -- reading -------------------------------------------------------------------------

    def with_roots(self, *roots: Path) -> World:
        """The same world, allowed to read below these roots too."""
        return self._same(World((*self.roots, *roots), environ=self.environ, limits=self.limits))

    def only(self, *roots: Path) -> World:
        """The same world, allowed to read below these roots only (and the bundled fonts)."""
        return self._same(World(roots, environ=self.environ, limits=self.limits))

    def _same(self, other: World) -> World:
        """``other`` with this world's cache."""
        other.cache_dir, other._store = self.cache_dir, self._store
        return other

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

    def stamp(self, path: Path) -> str:
        """A cheap mark of a file's version, its size and time of change: with the SHA-256 a
        manifest lists for it, what keys the cache's entries made from it without reading it."""
        return _stamp(self.regular_file(path).stat())

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

    def package_stamps(self, pattern: str) -> list[tuple[str, str]]:
        """The files inside typeset that match a glob (``**/*.py``), relative and sorted, each with
        its size and time of change (see :meth:`stamp`). A link is followed only to a file that is
        itself inside typeset (the glob follows no linked folder)."""
        stamps = []
        for relative in self.package_files(pattern):
            path = PACKAGE_DIR / relative
            if path.is_symlink() and not path.resolve().is_relative_to(PACKAGE_DIR):
                raise AccessDenied(relative, "is outside typeset's own folder")
            stamps.append((relative, _stamp(path.stat())))
        return stamps

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

    def output_stamp(self, path: Path) -> str | None:
        """The size and time of change of a file a build wrote (see :meth:`stamp`); ``None`` if it
        is missing or not a regular file."""
        try:
            info = Path(path).stat()
        except OSError:
            return None
        return _stamp(info) if stat.S_ISREG(info.st_mode) else None

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


def _stamp(info: os.stat_result) -> str:
    """A file's size and time of change, as :meth:`World.stamp` and its kin give them."""
    return f"{info.st_size}:{info.st_mtime_ns}"


_ENVIRONMENT = threading.Lock()  # os.environ is the process's: one change at a time
_PRIVATE: list[Path] = []  # the private folder, once made
_PRIVATE_LOCK = threading.Lock()


def _private_folder() -> Path:
    with _PRIVATE_LOCK:
        if not _PRIVATE:
            _PRIVATE.append(Path(tempfile.mkdtemp(prefix="typeset-")))
            atexit.register(shutil.rmtree, _PRIVATE[0], ignore_errors=True)
        return _PRIVATE[0]


# -- the persistent cache ------------------------------------------------------------------

DEFAULT_CACHE_BYTES = 512 * 1024 * 1024
_MAGIC = b"typeset-cache 1\n"  # then the SHA-256 of the payload (32 bytes), then the payload


def cache_folder(environ: Mapping[str, str], chosen: Path | None = None) -> Path | None:
    """Where the persistent cache lives: ``chosen`` (``--cache-dir``), else ``TYPESET_CACHE_DIR``,
    else ``$XDG_CACHE_HOME/typeset``, else ``~/.cache/typeset``; ``None`` if there is no home to
    put it in. XDG says a relative ``XDG_CACHE_HOME`` is to be ignored."""
    if chosen is not None:
        return Path(chosen)
    if environ.get("TYPESET_CACHE_DIR"):
        return Path(environ["TYPESET_CACHE_DIR"])
    xdg = environ.get("XDG_CACHE_HOME", "")
    if xdg and Path(xdg).is_absolute():
        return Path(xdg) / "typeset"
    home = environ.get("HOME", "")
    return Path(home) / ".cache" / "typeset" if home else None


def _canonical(part: object) -> object:
    """``part`` with every set, at any depth, as a sorted list: a set's ``repr`` follows its hash
    order, which changes from one process to the next for strings."""
    if isinstance(part, (set, frozenset)):
        return ["set", *sorted((_canonical(item) for item in part), key=repr)]
    if isinstance(part, (tuple, list)):
        return [type(part).__name__, *map(_canonical, part)]
    return part


def cache_limit(environ: Mapping[str, str]) -> int:
    """The cache's size bound in bytes: ``TYPESET_CACHE_MAX_MB`` mebibytes, else 512 MiB."""
    raw = environ.get("TYPESET_CACHE_MAX_MB", "").strip()
    if raw.isascii() and raw.isdigit():
        return int(raw) * 1024 * 1024
    return DEFAULT_CACHE_BYTES


class Store:
    """A persistent, content-addressed cache of what first renders compute (font subsets, font
    coverage, hyphenation patterns), shared by every build of the user.

    An entry is named by its kind (``woff2``) and a key, a SHA-256 of everything its content depends
    on (the font's SHA-256, the characters, typeset's version, the versions of the libraries that
    made it: see :meth:`key`). Its file holds the SHA-256 of its payload, checked on every read: a
    file that does not match (cut short, overwritten, tampered with) is removed and the caller
    computes the value again. Entries are written to a temporary file and renamed, so builds that
    run at once never see half an entry; when the folder grows beyond ``max_bytes`` the entries
    read longest ago go first (a read touches the entry's time). A folder that cannot be made or
    written is no cache at all: every read misses, every write is dropped, nothing fails.
    """

    def __init__(self, root: Path | None, *, max_bytes: int = DEFAULT_CACHE_BYTES) -> None:
        self.root = root
        self.max_bytes = max_bytes
        self.writable = root is not None

    def __getstate__(self) -> dict[str, object]:
        return {"root": self.root, "max_bytes": self.max_bytes, "writable": self.writable}

    def __setstate__(self, state: dict[str, object]) -> None:
        self.__dict__.update(state)

    @staticmethod
    def key(*parts: object) -> str:
        """The key of an entry: a SHA-256 over typeset's version and ``parts`` (their ``repr``;
        sets are sorted first, so that the same set always gives the same key)."""
        from typeset import __version__

        digest = hashlib.sha256(f"typeset {__version__}".encode())
        for part in parts:
            digest.update(b"\0" + repr(_canonical(part)).encode("utf-8", "surrogatepass"))
        return digest.hexdigest()

    def path(self, kind: str, key: str) -> Path | None:
        if self.root is None or not kind.replace("-", "_").isidentifier() or len(key) != 64 or not key.isalnum():
            return None
        return self.root / kind / key[:2] / key

    def folder(self, kind: str, key: str) -> Path | None:
        """A folder of the cache that a library fills itself (fontconfig's cache of the bundled
        fonts), made if need be; ``None`` if the cache cannot be written. Its files count towards
        the size bound like entries (the library makes again what is trimmed)."""
        path = self.path(kind, key)
        if path is None or not self.writable:
            return None
        try:
            path.mkdir(parents=True, exist_ok=True)
        except OSError:
            self.writable = False
            return None
        return path if os.access(path, os.W_OK) else None

    def get(self, kind: str, key: str) -> bytes | None:
        """The payload of an entry, if there is one and it is intact; else ``None`` (and a broken
        entry is removed)."""
        path = self.path(kind, key)
        if path is None:
            return None
        try:
            with open(path, "rb") as handle:
                data = handle.read(self.max_bytes + 64)
        except OSError:
            return None
        header = len(_MAGIC) + 32
        payload = data[header:]
        if data[:len(_MAGIC)] != _MAGIC or hashlib.sha256(payload).digest() != data[len(_MAGIC):header]:
            self._remove(path)
            return None
        try:
            os.utime(path)  # the least recently used go first
        except OSError:
            pass
        return payload

    def put(self, kind: str, key: str, payload: bytes) -> None:
        """Store an entry (atomically), then keep the folder within its bound; silently nothing if
        the folder cannot be written."""
        path = self.path(kind, key)
        if path is None or not self.writable or len(payload) + 64 > self.max_bytes:
            return
        data = _MAGIC + hashlib.sha256(payload).digest() + payload
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=f".{key[:16]}.", suffix=".part", dir=path.parent)
        except OSError:
            self.writable = False  # a read-only or full cache folder: work without one
            return
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
            os.replace(tmp, path)
        except OSError:
            self._remove(Path(tmp))
            return
        self.trim()

    def entries(self) -> list[tuple[float, int, Path]]:
        """Every entry file: its time of last use, its size and its path (unfinished ones left out)."""
        found: list[tuple[float, int, Path]] = []
        if self.root is None:
            return found
        for folder, _, names in os.walk(self.root):
            for name in names:
                if name.startswith("."):
                    continue
                path = Path(folder) / name
                try:
                    info = path.stat()
                except OSError:
                    continue
                found.append((info.st_mtime, info.st_size, path))
        return found

    def size(self) -> int:
        """The bytes the entries take."""
        return sum(size for _, size, _ in self.entries())

    def trim(self) -> None:
        """Remove the entries used longest ago until the rest fit within ``max_bytes``."""
        entries = self.entries()
        total = sum(size for _, size, _ in entries)
        for _, size, path in sorted(entries):
            if total <= self.max_bytes:
                break
            self._remove(path)
            total -= size

    @staticmethod
    def _remove(path: Path) -> None:
        try:
            path.unlink()
        except OSError:  # gone already (another build trimmed it), or a read-only folder
            pass
