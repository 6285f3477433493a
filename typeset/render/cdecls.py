"""WeasyPrint's C declarations parsed once per machine, not once per process.

In: the persistent :class:`~typeset.world.Store`. Out: :func:`kept_in` — for the length of
WeasyPrint's import, cffi's parser takes the declarations of Pango, HarfBuzz, fontconfig and
GObject (one ``ffi.cdef`` of some 450 lines) from the store instead of parsing them with
pycparser — and :func:`remember`, which stores them, with the C types WeasyPrint has named since
(``ffi.new("PangoRectangle *")``, ``ffi.cast("gchar *", …)``). cffi parses each such name with
all the declared type names before it, some 20 ms apiece, and a PDF render names about twenty:
with the first cdef, about 0.45 s of every PDF process (``benchmarks/translate.py``).

What is stored is cffi's own model of the declarations (``cffi.model``: struct, pointer, function
types), pickled in one piece so that a type named later is the very object the declarations hold.
It is read back by an unpickler that builds nothing but those classes, under a key made of the
declarations' SHA-256, cffi's and Python's versions and typeset's; an entry that does not load
is ignored and the declarations are parsed as before. A struct's "completed" mark (cffi sets it
once it has built the struct's native type, which is per process) is not stored.
"""

from __future__ import annotations

import hashlib
import io
import pickle
import re
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from typeset.world import Store

KIND = "cffi-declarations"

_lock = threading.RLock()  # held through WeasyPrint's import, which may name a type
_SIZED_ARRAY = re.compile(r"(.*\S)\s*\[\s*([0-9]+)\s*\]")


class _Kept:
    """The one cffi parser whose declarations the store holds, in this process."""

    def __init__(self) -> None:
        self.store: Store | None = None
        self.key = ""
        self.parser: Any = None
        self.state: dict[str, Any] = {}  # the parser's attributes right after the cdef
        self.types: dict[str, Any] = {}  # type name -> cffi's (type, qualifiers)
        self.stored = True  # whether the store has all of it


_kept = _Kept()


@contextmanager
def kept_in(store: Store | None) -> Iterator[None]:
    """For the block (WeasyPrint's import), the first ``ffi.cdef`` of a fresh FFI is read from
    ``store`` when it holds that declaration, else parsed and remembered; type names parsed later
    on that FFI are looked up first. With no store, nothing changes."""
    if store is None or store.root is None:
        yield
        return
    from cffi import __version__ as cffi_version
    from cffi import cparser

    if not all(callable(getattr(cparser.Parser, name, None)) for name in ("parse", "parse_type_and_quals")):
        yield  # a cffi whose parser typeset does not know: parse as it does
        return
    original = cparser.Parser.parse

    def parse(parser: Any, csource: str, override: bool = False, packed: bool = False, pack: Any = None,
              dllexport: bool = False) -> None:
        if (_kept.parser is not None or getattr(parser, "_declarations", None) != {}
                or getattr(parser, "_int_constants", None) != {}):
            original(parser, csource, override=override, packed=packed, pack=pack, dllexport=dllexport)
            return
        key = store.key(KIND, cffi_version, sys.version_info[:2],
                        hashlib.sha256(csource.encode("utf-8", "surrogatepass")).hexdigest(),
                        override, packed, pack, dllexport)
        loaded = _load(store.get(KIND, key))
        if loaded is not None:
            vars(parser).update(loaded["state"])
            _kept.types = loaded["types"]
            _kept.stored = True
        else:
            original(parser, csource, override=override, packed=packed, pack=pack, dllexport=dllexport)
            _kept.types, _kept.stored = {}, False
        _kept.state = {name: (list(value) if name == "_recomplete" else value)
                       for name, value in vars(parser).items() if name != "_structnode2type"}
        _kept.store, _kept.key, _kept.parser = store, key, parser

    with _lock:
        _named_types_kept()
        cparser.Parser.parse = parse
        try:
            yield
        finally:
            cparser.Parser.parse = original


def remember() -> None:
    """Store the declarations and every type named since, if the store lacks any of them (after a
    render: the types a render names are then known)."""
    with _lock:
        if _kept.stored or _kept.store is None:
            return
        buffer = io.BytesIO()
        try:
            _Pickler(buffer).dump({"state": _kept.state, "types": dict(_kept.types)})
        except (pickle.PicklingError, TypeError, AttributeError, RecursionError):
            _kept.stored = True  # something cffi holds does not pickle: parse as before
            return
        _kept.store.put(KIND, _kept.key, buffer.getvalue())
        _kept.stored = True


def _named_types_kept() -> None:
    """cffi's parser looks a type name up among the kept ones before parsing it (once a process)."""
    from cffi import cparser

    if getattr(cparser.Parser.parse_type_and_quals, "_typeset_kept", False):
        return
    original = cparser.Parser.parse_type_and_quals

    def parse_type_and_quals(parser: Any, cdecl: str) -> Any:
        if parser is not _kept.parser:
            return original(parser, cdecl)
        sized = _SIZED_ARRAY.fullmatch(cdecl)
        if sized:  # "hb_codepoint_t[2650]": one parse of "hb_codepoint_t[]" for every length
            from cffi import model

            unsized, quals = parse_type_and_quals(parser, sized[1] + "[]")
            return model.ArrayType(unsized.item, int(sized[2])), quals
        found = _kept.types.get(cdecl)
        if found is None:
            found = original(parser, cdecl)
            with _lock:
                _kept.types[cdecl] = found
                _kept.stored = False
        return found

    parse_type_and_quals._typeset_kept = True  # type: ignore[attr-defined]
    cparser.Parser.parse_type_and_quals = parse_type_and_quals


class _Pickler(pickle.Pickler):
    """Pickles cffi's model without the per-process "completed" mark of its structs."""

    def reducer_override(self, obj: Any) -> Any:
        from cffi import model

        if isinstance(obj, model.StructOrUnion) and "completed" in vars(obj):
            reduced = list(obj.__reduce_ex__(5))
            state = dict(reduced[2])
            del state["completed"]
            reduced[2] = state
            return tuple(reduced)
        return NotImplemented


class _Unpickler(pickle.Unpickler):
    """Builds cffi's model classes and nothing else."""

    def find_class(self, module: str, name: str) -> Any:
        from cffi import model

        if module == "cffi.model" and isinstance(getattr(model, name, None), type):
            return getattr(model, name)
        if module == "copyreg" and name == "__newobj__":
            import copyreg

            return copyreg.__newobj__  # type: ignore[attr-defined]
        raise pickle.UnpicklingError(f"{module}.{name} is not part of cffi's model")


def _load(payload: bytes | None) -> dict[str, Any] | None:
    if payload is None:
        return None
    try:
        loaded = _Unpickler(io.BytesIO(payload)).load()
    except Exception:  # noqa: BLE001 - any entry that does not load is parsed again
        return None
    if (not isinstance(loaded, dict) or not isinstance(loaded.get("state"), dict)
            or not isinstance(loaded.get("types"), dict) or "_declarations" not in loaded["state"]):
        return None
    return loaded
