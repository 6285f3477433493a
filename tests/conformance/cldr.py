"""CLDR's languages and their exemplar characters, and which of them the bundled fonts serve.

In: the languages whose script the bundled fonts serve (``FontSet.languages()``: CLDR's locales
without a region), CLDR's exemplar sets and the fonts themselves. Out: one
:class:`Exemplars` per language the fonts serve — a language is served when every character of
its *main* exemplar set is covered by its font stack (``FontSet.stack('serif', language)`` and
``covers``), so the list grows by itself when a font is added.

Babel carries CLDR's locales but not their exemplar characters (its CLDR import leaves them
out), so these come from CLDR's own JSON release, the npm package ``cldr-misc-full`` that
``npm ci`` installs next to axe-core (package.json). Its sets are written in the UnicodeSet
syntax of UTS #35 (``[a b {ch} \\u200C]``), read by :func:`unicode_set`.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from babel.core import get_global

from typeset.fonts import FontSet, load_fonts
from typeset.model.language import Language
from typeset.world import World

REPO = Path(__file__).resolve().parents[2]
CLDR_MAIN = REPO / "node_modules" / "cldr-misc-full" / "main"
SETS = ("main", "auxiliary", "punctuation", "numbers")
_JSON_KEYS = {"main": "exemplarCharacters", "auxiliary": "auxiliary", "punctuation": "punctuation",
              "numbers": "numbers"}


# UAX #31 Pattern_White_Space: ignored between the items of a UnicodeSet unless escaped.
_PATTERN_WHITE_SPACE = frozenset("\t\n\v\f\r \x85\u200e\u200f\u2028\u2029")


class CLDRMissing(RuntimeError):
    """CLDR's JSON data is not installed."""


@dataclass(frozen=True)
class Exemplars:
    """A language's exemplar sets, each a tuple of items (a character or a short string)."""

    language: Language
    main: tuple[str, ...]
    auxiliary: tuple[str, ...]
    punctuation: tuple[str, ...]
    numbers: tuple[str, ...]
    index: tuple[str, ...]

    @property
    def tag(self) -> str:
        return self.language.tag

    def sets(self) -> dict[str, tuple[str, ...]]:
        return {name: getattr(self, name) for name in SETS}


def unicode_set(pattern: str) -> tuple[str, ...]:
    """The items of a flat UnicodeSet: ``[a b-d {ch} \\u0300 \\-]`` → a, b, c, d, ch, ◌̀, -."""
    if not (pattern.startswith("[") and pattern.endswith("]")):
        raise ValueError(f"not a UnicodeSet: {pattern!r}")
    body, items, i = pattern[1:-1], [], 0
    ranged = False

    def one(at: int) -> tuple[str, int]:
        """The character at ``at`` (an escape read), and where the next token starts."""
        if body[at] != "\\":
            return body[at], at + 1
        if body[at + 1] == "u":
            return chr(int(body[at + 2:at + 6], 16)), at + 6
        if body[at + 1] == "x" and body[at + 2] == "{":
            end = body.index("}", at)
            return chr(int(body[at + 3:end], 16)), end + 1
        return body[at + 1], at + 2

    while i < len(body):
        char = body[i]
        if char in _PATTERN_WHITE_SPACE:  # literal white space separates; other spaces are members
            i += 1
        elif char == "[":
            raise ValueError(f"nested UnicodeSets are not read here: {pattern!r}")
        elif char == "{":
            end, text = i + 1, []
            while body[end] != "}":
                letter, end = one(end)
                text.append(letter)
            items.append("".join(text))
            i = end + 1
        elif char == "-" and items and i + 1 < len(body) and body[i + 1] not in _PATTERN_WHITE_SPACE:
            ranged, i = True, i + 1
        else:
            letter, i = one(i)
            if ranged:
                first = items.pop()
                items += [chr(c) for c in range(ord(first), ord(letter) + 1)]
                ranged = False
            else:
                items.append(letter)
    return tuple(dict.fromkeys(items))


def _read(tag: str) -> dict[str, str] | None:
    path = CLDR_MAIN / tag / "characters.json"
    if not path.is_file():
        return None
    data = json.loads(path.read_text(encoding="utf-8"))["main"]
    return next(iter(data.values()))["characters"]  # type: ignore[no-any-return]


@dataclass(frozen=True)
class Inventory:
    """What CLDR holds against what the fonts serve, for the languages whose script a bundled
    family serves (``FontSet.languages()``)."""

    served: tuple[Exemplars, ...]
    unserved: dict[str, tuple[str, ...]]  # tag → the main exemplars no bundled font has
    no_exemplars: tuple[str, ...]  # locales with no main exemplars in CLDR's JSON release


def coverage(fonts: FontSet, language: Language) -> Callable[[str], bool]:
    """Whether some family of the language's stack has every code point of an item."""
    stack = fonts.stack("serif", language)
    return lambda item: any(fonts.covers(family, item) for family in stack)


@cache
def inventory() -> Inventory:
    """Every language whose script the bundled fonts serve (``FontSet.languages()``: CLDR's
    locales without a region), sorted into served and unserved by its main exemplars; one tag per
    language and script (``zh`` and ``zh-Hans`` are one: the shorter tag is kept)."""
    if not CLDR_MAIN.is_dir():
        raise CLDRMissing(f"CLDR's JSON data is not installed ({CLDR_MAIN}): run 'npm ci' in the repository")
    fonts = load_fonts(World([]))
    served: list[Exemplars] = []
    unserved: dict[str, tuple[str, ...]] = {}
    no_exemplars: list[str] = []
    seen: set[tuple[str, str]] = set()
    for language in sorted(fonts.languages(), key=lambda lang: (len(lang.tag), lang.tag)):
        tag = language.tag
        if (language.language, language.script) in seen:
            continue
        seen.add((language.language, language.script))
        characters = _read(tag)
        sets = {name: unicode_set(characters[key]) for name, key in _JSON_KEYS.items()} if characters else {}
        if not characters or not sets.get("main"):
            no_exemplars.append(tag)
            continue
        has = coverage(fonts, language)
        missing = tuple(item for item in sets["main"] if not has(item))
        if missing:
            unserved[tag] = missing
            continue
        served.append(Exemplars(language, sets["main"], sets["auxiliary"], sets["punctuation"], sets["numbers"],
                                unicode_set(characters.get("index", "[]"))))
    served.sort(key=lambda e: e.tag)
    return Inventory(tuple(served), unserved, tuple(sorted(no_exemplars)))


def likely_language(script: str) -> str | None:
    """CLDR's likely language for text in a script (``und_Deva`` → ``hi``; Latin is ``und``'s
    own script: ``en``), or None."""
    table = get_global("likely_subtags")
    likely = table.get(f"und_{script}") or next((t for t in [table["und"]] if t.split("_")[1] == script), None)
    return likely.split("_")[0] if likely else None
