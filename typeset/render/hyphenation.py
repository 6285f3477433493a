"""WeasyPrint's hyphenation dictionaries, parsed once a machine instead of once a process.

In: the HTML a PDF is laid out from (its ``lang`` attributes) and the
:class:`~typeset.world.World`. Out: Pyphen's dictionary cache (``pyphen.hdcache``, which
WeasyPrint's line breaking goes through) holding, for each language of the page, the patterns
kept in the world's persistent cache; and, after a layout, the patterns Pyphen had to parse
stored there. Parsing a ``hyph_*.dic`` file is most of the cost of a first German or Russian
edition (0.4 s for German's 66,000 patterns); reading them back is a tenth of it.

A pattern's values are kept as text (``"2,103"``: the offset of the first non-zero value, then
the values, one digit each) and made numbers only when a word looks the pattern up, so that
loading a dictionary is one ``json.loads``. A dictionary with the nonstandard hyphenation some
languages use (values that replace letters) is not kept: Pyphen parses it each time, as before.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
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


@contextmanager
def stored_dictionaries(html: str, world: World) -> Iterator[None]:
    """Put the stored dictionaries of the page's languages in Pyphen's cache for a layout; store
    those Pyphen parsed during it."""
    import pyphen

    paths = _dictionary_paths(html)
    for path in paths.values():
        if path not in pyphen.hdcache:
            data = world.store.get("hyphenation", _key(world, path))
            dictionary = _decode(data) if data is not None else None
            if dictionary is not None:
                pyphen.hdcache[path] = dictionary
    yield
    for path in paths.values():
        dictionary = pyphen.hdcache.get(path)
        if dictionary is not None and not isinstance(dictionary.patterns, _Patterns) and path not in _stored:
            _stored.add(path)  # once a process
            encoded = _encode(dictionary)
            if encoded is not None:
                world.store.put("hyphenation", _key(world, path), encoded)


_stored: set[Path] = set()
