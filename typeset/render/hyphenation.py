"""WeasyPrint's hyphenation dictionaries, parsed once a machine instead of once a process.

In: the HTML a PDF is laid out from (its ``lang`` attributes) and the
:class:`~typeset.world.World`. Out: Pyphen's dictionary cache (``pyphen.hdcache``, which
WeasyPrint's line breaking goes through) offering, for each language of the page, the patterns
kept in the world's persistent cache, read when WeasyPrint first hyphenates a word of that
language; and, after a layout, the patterns Pyphen had to parse stored there. Parsing a
``hyph_*.dic`` file is most of the cost of a first German or Russian edition (0.4 s for German's
66,000 patterns); reading them back is a tenth of it.

A pattern's values are kept as text (``"2,103"``: the offset of the first non-zero value, then
the values, one digit each) and made numbers only when a word looks the pattern up, so that
loading a dictionary is one ``json.loads``. A dictionary with the nonstandard hyphenation some
languages use (values that replace letters) is not kept: Pyphen parses it each time, as before.
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from typing import Any

from typeset.world import World

_LANG = re.compile(r"""\blang=["']?([A-Za-z0-9_-]{1,40})""")
_FORMAT = 1  # bump when the stored form changes


class _Patterns(dict[str, Any]):
    """Pyphen's pattern table, each value decoded on first use (``HyphDict.positions`` calls ``get``)."""

    def get(self, key: str, default: Any = None) -> Any:
        value = dict.get(self, key)
        if value is None:
            return default
        if isinstance(value, str):
            start, _, digits = value.partition(",")
            try:
                value = (int(start), tuple(map(int, digits)))
            except ValueError:  # not what typeset stores: as if the pattern were not there
                return default
            self[key] = value
        return value


def _dictionary_paths(html: str) -> dict[str, Path]:
    """The Pyphen dictionary file of each language the page names, by the language Pyphen picks."""
    import pyphen

    found: dict[str, Path] = {}
    for lang in set(_LANG.findall(html)):
        chosen = pyphen.language_fallback(lang.replace("-", "_"))
        if chosen and chosen in pyphen.LANGUAGES:
            found[chosen] = Path(pyphen.LANGUAGES[chosen])
    return found


def _key(world: World, path: Path) -> str:
    import pyphen

    return world.store.key("hyphenation", _FORMAT, getattr(pyphen, "__version__", "?"), path.name)


def _encode(dictionary: Any) -> bytes | None:
    patterns = {}
    for pattern, (start, values) in dictionary.patterns.items():
        if not all(type(v) is int and 0 <= v <= 9 for v in values):
            return None
        patterns[pattern] = f"{start},{''.join(map(str, values))}"
    return json.dumps({"maxlen": dictionary.maxlen, "patterns": patterns}, ensure_ascii=False,
                      separators=(",", ":")).encode("utf-8")


def _decode(data: bytes) -> Any | None:
    import pyphen

    try:
        loaded = json.loads(data)
        patterns, maxlen = loaded["patterns"], loaded["maxlen"]
    except (ValueError, TypeError, KeyError):
        return None
    if not isinstance(patterns, dict) or not isinstance(maxlen, int) or not patterns or not all(
            isinstance(v, str) for v in patterns.values()):
        return None
    dictionary = pyphen.HyphDict.__new__(pyphen.HyphDict)
    dictionary.patterns = _Patterns(patterns)
    dictionary.cache = {}
    dictionary.maxlen = maxlen
    return dictionary


class _LazyCache(dict[Path, Any]):
    """Pyphen's dictionary cache (``pyphen.hdcache``), which also holds, unread, the stored
    dictionaries of the languages a page names: one is decoded when Pyphen first asks for it (a
    word of that language is hyphenated). A page names many languages WeasyPrint never hyphenates
    — the signatories' names, set ``hyphens: manual`` — and decoding a dictionary costs 10 to 25 ms."""

    def __init__(self, parsed: dict[Path, Any]) -> None:
        super().__init__(parsed)
        self.stored: dict[Path, Callable[[], Any]] = {}
        self.lock = threading.Lock()

    def __contains__(self, path: object) -> bool:
        if dict.__contains__(self, path):
            return True
        with self.lock:
            read = self.stored.pop(path, None) if isinstance(path, Path) else None
            dictionary = read() if read is not None else None
            if dictionary is not None and isinstance(path, Path):
                self[path] = dictionary
                return True
        return dict.__contains__(self, path)


def _cache() -> _LazyCache:
    """Pyphen's dictionary cache, made lazy once a process."""
    import pyphen

    with _lock:
        if not isinstance(pyphen.hdcache, _LazyCache):
            pyphen.hdcache = _LazyCache(pyphen.hdcache)
        return pyphen.hdcache


@contextmanager
def stored_dictionaries(html: str, world: World) -> Iterator[None]:
    """Offer Pyphen the stored dictionaries of the page's languages for a layout (each decoded if a
    word of its language is hyphenated); store those Pyphen parsed during it."""
    cache = _cache()
    paths = _dictionary_paths(html)
    for path in paths.values():
        if not dict.__contains__(cache, path):
            key = _key(world, path)
            cache.stored[path] = partial(_read, world, key)
    yield
    for path in paths.values():
        dictionary = dict.get(cache, path)
        if dictionary is not None and not isinstance(dictionary.patterns, _Patterns) and path not in _stored:
            _stored.add(path)  # once a process
            encoded = _encode(dictionary)
            if encoded is not None:
                world.store.put("hyphenation", _key(world, path), encoded)


def _read(world: World, key: str) -> Any | None:
    data = world.store.get("hyphenation", key)
    return _decode(data) if data is not None else None


_stored: set[Path] = set()
_lock = threading.Lock()
