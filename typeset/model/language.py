"""Languages, scripts and writing directions, from CLDR (Babel) and Unicode (fontTools).

In: a BCP 47 tag such as ``en``, ``sr-Latn`` or ``fa``. Out: a :class:`Language` that
knows its script (explicit or the likely one) and its direction, and the Babel locale
that formats dates and country names for it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Literal

from babel import Locale
from babel.core import UnknownLocaleError, get_global
from fontTools import unicodedata as ucd

Direction = Literal["ltr", "rtl"]

_TAG = re.compile(
    r"^(?P<language>[a-zA-Z]{2,3})"
    r"(?:-(?P<script>[a-zA-Z]{4}))?"
    r"(?:-(?P<region>[a-zA-Z]{2}|[0-9]{3}))?"
    r"(?P<variants>(?:-(?:[a-zA-Z0-9]{5,8}|[0-9][a-zA-Z0-9]{3}))*)$"
)


class LanguageTagError(ValueError):
    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.hint = hint


@dataclass(frozen=True, slots=True)
class Language:
    """A BCP 47 language tag with its script and direction resolved."""

    tag: str
    language: str
    script: str
    region: str | None = None

    @property
    def direction(self) -> Direction:
        return "rtl" if ucd.script_horizontal_direction(self.script, "LTR") == "RTL" else "ltr"

    @property
    def locale(self) -> Locale:
        """The most specific Babel locale CLDR has for this tag."""
        return _locale(self.language, self.script, self.region)

    def display_name(self, in_language: Language | None = None) -> str:
        locale = (in_language or self).locale
        name: str = locale.languages.get(self.language, self.tag)
        return name[:1].upper() + name[1:]

    def __str__(self) -> str:
        return self.tag


@cache
def _likely_script(language: str, region: str | None = None) -> str:
    """CLDR's likely script: ``zh`` → Hans, ``zh-TW`` → Hant, ``sr`` → Cyrl, ``fa`` → Arab."""
    table = get_global("likely_subtags")
    likely = (region and table.get(f"{language}_{region}")) or table.get(language, "")
    parts = likely.split("_")
    return parts[1] if len(parts) > 1 and len(parts[1]) == 4 else "Latn"


@cache
def _locale(language: str, script: str, region: str | None) -> Locale:
    for candidate in (
        f"{language}_{script}_{region}" if region else None,
        f"{language}_{region}" if region else None,
        f"{language}_{script}",
        language,
    ):
        if candidate is None:
            continue
        try:
            return Locale.parse(candidate)
        except (UnknownLocaleError, ValueError):
            continue
    return Locale.parse("en")


@cache
def _known() -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    english = Locale("en")
    return frozenset(english.languages), frozenset(english.scripts), frozenset(english.territories)


#: The longest tag accepted: RFC 5646 (4.4.1) asks every implementation to hold 35 characters. A
#: tag names files (``<tag>.md``, ``<id>.<tag>.pdf``), which a file system limits to 255 bytes.
MAX_TAG_LENGTH = 35


@cache
def parse_language(tag: str) -> Language:
    """Parse and canonicalise a BCP 47 tag; raise :class:`LanguageTagError` if CLDR does not know it."""
    if len(tag.strip()) > MAX_TAG_LENGTH:
        raise LanguageTagError(
            f"the language tag '{tag.strip()[:20]}…' is {len(tag.strip())} characters long, more than "
            f"{MAX_TAG_LENGTH}", "write the language, script and region only, such as 'sr-Latn-RS'")
    match = _TAG.match(tag.strip())
    if not match:
        raise LanguageTagError(
            f"'{tag}' is not a BCP 47 language tag",
            "write a tag such as 'en', 'de', 'sr-Latn' or 'zh-Hans'",
        )
    languages, scripts, regions = _known()
    language = match["language"].lower()
    if language not in languages:
        raise LanguageTagError(
            f"unknown language '{language}' in '{tag}'",
            "use an ISO 639 code that CLDR knows, such as 'fr', 'fa' or 'bn'",
        )
    script = match["script"].title() if match["script"] else None
    if script is not None and script not in scripts:
        raise LanguageTagError(f"unknown script '{script}' in '{tag}'",
                               "use an ISO 15924 code such as 'Latn' or 'Cyrl'")
    region = match["region"].upper() if match["region"] else None
    if region is not None and region not in regions:
        raise LanguageTagError(f"unknown region '{region}' in '{tag}'", "use an ISO 3166 code such as 'DE' or 'BR'")
    canonical = "-".join(p for p in (language, script, region) if p) + (match["variants"] or "").lower()
    return Language(canonical, language, script or _likely_script(language, region), region)


@lru_cache(maxsize=1 << 16)  # asked for every character of every text: a table search each time otherwise
def script_of(char: str) -> str:
    """The ISO 15924 script of one character (``Zyyy`` common, ``Zinh`` inherited)."""
    script: str = ucd.script(char)
    return script


def script_name(code: str) -> str:
    name: str = ucd.script_name(code, code)
    return name


def match_tag(declared: Sequence[str], wanted: str) -> str | None:
    """The declared tag that ``wanted`` names: the same tag in any case, or — if exactly one
    declared tag has it as its language — the language alone (``en`` for a document whose English
    is ``en-GB``); ``None`` if none fits."""
    exact = next((tag for tag in declared if tag.lower() == wanted.lower()), None)
    same = [tag for tag in declared if tag.split("-")[0].lower() == wanted.lower()]
    return exact or (same[0] if len(same) == 1 else None)
