"""WeasyPrint imported without running a program: its native libraries found by looking, not asking.

In: the persistent store, if the caller has one. Out: :func:`load_weasyprint` imports
``weasyprint`` once per process. WeasyPrint
opens Pango, HarfBuzz, fontconfig and GObject through cffi, trying several names per library
(``libgobject-2.0-0``, ``gobject-2.0-0``, ``gobject-2.0``, ``libgobject-2.0.so.0``, …); for each
name the dynamic linker does not know, cffi asks ``ctypes.util.find_library``, which on Linux
runs ``/sbin/ldconfig -p``, then ``gcc`` and ``ld`` from ``PATH`` — some fifty programs before
the first page, any of which ``PATH`` may point elsewhere. For the length of the import,
``find_library`` is one that looks for the file in the linker's folders instead, and runs
nothing; it is put back afterwards.
"""

from __future__ import annotations

import ctypes.util
import os
import sys
import sysconfig
import threading
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from typeset.world import Store

_lock = threading.Lock()

# Where the dynamic linker looks on Linux, besides LD_LIBRARY_PATH (ld.so(8)): the multiarch
# folders of Debian and Ubuntu, then the usual ones.
_MULTIARCH = sysconfig.get_config_var("MULTIARCH") or ""
_FOLDERS = tuple(dict.fromkeys(p for p in (
    f"/lib/{_MULTIARCH}" if _MULTIARCH else "", f"/usr/lib/{_MULTIARCH}" if _MULTIARCH else "",
    "/lib64", "/usr/lib64", "/lib", "/usr/lib", "/usr/local/lib") if p))


def find_library(name: str) -> str | None:
    """The path of ``lib<name>.so`` with the lowest version suffix in the linker's folders, or
    ``None``; never runs a program (``ctypes.util.find_library`` may run ldconfig, gcc and ld)."""
    if "/" in name or not name:
        return None
    folders = [*os.environ.get("LD_LIBRARY_PATH", "").split(os.pathsep), *_FOLDERS]
    stem = name if name.startswith("lib") else f"lib{name}"
    for folder in filter(None, folders):
        found = sorted(entry for entry in _listing(folder) if entry == f"{stem}.so" or entry.startswith(f"{stem}.so."))
        if found:
            return str(Path(folder) / min(found, key=len))
    return None


def _listing(folder: str) -> tuple[str, ...]:
    """The names in ``folder`` (none if it cannot be read), read once while WeasyPrint loads: it
    looks for some twenty names, in folders of a thousand files."""
    listings = _listings[-1] if _listings else {}
    if folder not in listings:
        try:
            listings[folder] = tuple(os.listdir(folder))
        except OSError:
            return ()
    return listings[folder]


_listings: list[dict[str, tuple[str, ...]]] = []  # while WeasyPrint loads


@contextmanager
def _finding_without_programs() -> Iterator[None]:
    original = ctypes.util.find_library
    ctypes.util.find_library = find_library
    _listings.append({})
    try:
        yield
    finally:
        ctypes.util.find_library = original
        _listings.pop()


def load_weasyprint(store: Store | None = None) -> None:
    """Import WeasyPrint (once), its libraries found without a subprocess on Linux and, given the
    persistent ``store``, its C declarations read from there once they have been parsed
    (:mod:`typeset.render.cdecls`)."""
    if "weasyprint.text.ffi" in sys.modules:
        return
    from typeset.render.cdecls import kept_in

    with _lock, kept_in(store), warnings.catch_warnings():
        # WeasyPrint warns on import when the system has no libharfbuzz-subset; typeset cuts the
        # PDF's faces with uharfbuzz's HarfBuzz instead (typeset.render.pdf_subset)
        warnings.filterwarnings("ignore", message="HarfBuzz-Subset will be required", category=DeprecationWarning)
        if "weasyprint.text.ffi" in sys.modules:
            return
        if not sys.platform.startswith("linux"):  # macOS and Windows find libraries without programs
            import weasyprint
            return
        with _finding_without_programs():
            import weasyprint  # noqa: F401
