"""The language of a piece of text: from its script first, then an offline identifier.

In: a string (a signatory's name, a gloss, the body of a document) and, where known, hints —
the languages of a country, languages to leave out. Out: a :class:`Guess`: a BCP 47 tag and how
sure it is (0–1).

The script decides alone where one language owns it (Greek, Hebrew, Thai, Georgian …: CLDR's
likely language for the script); Han text is told apart by kana, hangul and the character sets
of the two Chinese standards. Where a script serves many languages (Latin, Cyrillic, Arabic,
Devanagari), Lingua (``lingua-language-detector``: n-gram models compiled into the package, no
network) ranks the candidates that CLDR says are written in that script — so Persian, Urdu and
Arabic names are told apart, Bulgarian from Russian, French from English. Lingua's trigram
("low accuracy") models load in about 70 ms per language and were as good as the full models
on organisation names; Arabic script uses the full models, which tell Urdu from Persian in short
names where trigrams do not (about 0.4 s per language, loaded only when such a name appears).
Without Lingua installed, the script alone decides and every guess is marked unsure.
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any

from babel.core import get_global
from babel.languages import get_official_languages

from typeset.model.language import LanguageTagError, parse_language, script_of
from typeset.model.scripts import COMMON, INHERITED

# Latin-script languages always among the candidates for a Latin name, besides the document's
# own language and the languages of the country an entry names: the languages most signatory
# lists are written in. Every candidate costs load time and adds a way to be wrong.
LATIN_CORE = ("en", "fr", "de", "es", "pt", "it", "nl", "tr", "pl", "hr", "bs", "ro", "cs", "sv")
# Scripts whose languages are ranked with Lingua's full models (see the module docstring).
_FULL_MODELS = frozenset({"Arab"})
_HAN = frozenset({"Hani", "Hira", "Kana", "Hang", "Bopo"})


@dataclass(frozen=True, slots=True)
class Guess:
    tag: str  # a BCP 47 tag: "fa", "ru-Latn", "zh-Hant"
    confidence: float  # 0 … 1
    script: str  # the ISO 15924 script of the text's letters

    @property
    def language(self) -> str:
        return self.tag.split("-")[0]


def main_script(text: str) -> str | None:
    """The script most of the letters of ``text`` are written in (kana and hangul count as Han)."""
    counts = Counter(_family(char) for char in text)
    counts.pop(None, None)
    return counts.most_common(1)[0][0] if counts else None


@cache
def _family(char: str) -> str | None:
    """The script of a letter, kana and hangul counted as Han; ``None`` for everything else."""
    if unicodedata.category(char)[0] not in "LM":
        return None
    script = script_of(char)
    if script in (COMMON, INHERITED, "Zzzz"):
        return None
    return "Hani" if script in _HAN else script


def language_script(language: str) -> str:
    """The script CLDR expects for a language tag ("ru" → Cyrl, "sr-Latn" → Latn)."""
    try:
        return parse_language(language.replace("_", "-")).script
    except LanguageTagError:
        return "Latn"


def country_languages(code: str | None) -> tuple[str, ...]:
    """The official (and de-facto) languages of a country, most spoken first, as BCP 47 tags."""
    if not code:
        return ()
    found = get_official_languages(code.upper(), de_facto=True)
    return tuple(dict.fromkeys(tag.replace("_", "-") for tag in found))


# -- Lingua --------------------------------------------------------------------------------


@cache
def _lingua() -> Any | None:
    try:
        import lingua
    except ImportError:  # an installation without the 'import' extra: the script decides alone
        return None
    return lingua


@cache
def _lingua_languages() -> dict[str, Any]:
    """Lingua's languages by ISO 639-1 code."""
    lingua = _lingua()
    if lingua is None:
        return {}
    return {language.iso_code_639_1.name.lower(): language for language in lingua.Language.all()}


@cache
def _by_script() -> dict[str, tuple[str, ...]]:
    """Lingua's languages grouped by the script CLDR writes them in."""
    grouped: dict[str, list[str]] = {}
    for code in sorted(_lingua_languages()):
        grouped.setdefault(language_script(code), []).append(code)
    return {script: tuple(codes) for script, codes in grouped.items()}


def script_languages(script: str) -> tuple[str, ...]:
    """Every language the identifier knows that CLDR writes in ``script`` (ISO 639-1 codes)."""
    return _by_script().get(script, ())


@cache
def _detector(codes: frozenset[str], full: bool) -> Any:
    lingua = _lingua()
    assert lingua is not None  # only called with languages Lingua has
    languages = [_lingua_languages()[code] for code in sorted(codes)]
    builder = lingua.LanguageDetectorBuilder.from_languages(*languages)
    return builder.build() if full else builder.with_low_accuracy_mode().build()


@lru_cache(maxsize=4096)
def _ranked(text: str, codes: frozenset[str], full: bool) -> tuple[tuple[str, float], ...]:
    """Lingua's confidence for each of ``codes``, best first (kept: a name is asked about more than once)."""
    detector = _detector(codes, full)
    return tuple((value.language.iso_code_639_1.name.lower(), value.value)
                 for value in detector.compute_language_confidence_values(text))


def available() -> bool:
    """Whether the offline identifier is installed."""
    return _lingua() is not None


class Identifier:
    """Ranks the languages a text may be in; one per import, so its detectors are built once."""

    def __init__(self, document_language: str) -> None:
        self.document = document_language
        self.extra: set[str] = set()  # Latin-script languages the document gives reason to expect

    def expect(self, languages: Iterable[str]) -> None:
        """Add languages (a country's) to the Latin candidates."""
        self.extra.update(lang.split("-")[0] for lang in languages)

    def candidates(self, script: str) -> tuple[str, ...]:
        pool = _by_script().get(script, ())
        if script != "Latn":
            return pool
        wanted = {*LATIN_CORE, self.document.split("-")[0], *self.extra}
        return tuple(code for code in pool if code in wanted)

    def rank(self, text: str, *, script: str | None = None, among: Iterable[str] | None = None
             ) -> list[tuple[str, float]]:
        """Candidate languages of ``text`` with Lingua's confidence, best first (empty without Lingua)."""
        script = script or main_script(text) or "Latn"
        codes = frozenset(among) if among is not None else frozenset(self.candidates(script))
        codes = frozenset(c for c in codes if c in _lingua_languages())
        if not codes or not text.strip():
            return []
        if len(codes) == 1:
            return [(next(iter(codes)), 1.0)]
        return list(_ranked(text, codes, script in _FULL_MODELS))

    def confidence(self, text: str, language: str, *, script: str | None = None) -> float:
        for code, value in self.rank(text, script=script):
            if code == language.split("-")[0]:
                return value
        return 0.0

    def guess(self, text: str, *, prefer: Iterable[str] = (), exclude: Iterable[str] = ()) -> Guess:
        """The most likely language of ``text``; ``prefer`` (a country's languages) wins a close call."""
        script = main_script(text) or "Latn"
        if script == "Hani":
            return _han(text, tuple(prefer))
        excluded = {lang.split("-")[0] for lang in exclude}
        ranked = [(code, value) for code, value in self.rank(text, script=script) if code not in excluded]
        if not ranked:
            return Guess(_script_language(script, self.document), 0.0 if script == "Latn" else 0.5, script)
        total = sum(value for _, value in ranked) or 1.0
        ranked = [(code, value / total) for code, value in ranked]
        code, value = ranked[0]
        if value < 0.9:  # a country's language beats a guess Lingua is not sure of
            for tag in prefer:
                if language_script(tag) != script:
                    continue
                for candidate, share in ranked:
                    if candidate == tag.split("-")[0] and share >= 0.01:
                        return Guess(candidate, max(share, 0.6), script)
        return Guess(code, value, script)


def _script_language(script: str, document: str) -> str:
    """CLDR's likely language for a script ("Grek" → el, "Deva" → hi); the document's for its own script."""
    if language_script(document) == script:
        return document
    likely = get_global("likely_subtags").get(f"und_{script}", "")
    return likely.split("_")[0] or "und"


# Han: kana is Japanese, hangul Korean; else the country, else the character sets.
_HAN_COUNTRIES = {"JP": "ja", "KR": "ko", "KP": "ko", "TW": "zh-Hant", "HK": "zh-Hant", "MO": "zh-Hant",
                  "CN": "zh-Hans", "SG": "zh-Hans"}


def _han(text: str, prefer: tuple[str, ...]) -> Guess:
    scripts = {script_of(char) for char in set(text)}
    if scripts & {"Hira", "Kana"}:
        return Guess("ja", 0.95, "Hani")
    if "Hang" in scripts:
        return Guess("ko", 0.95, "Hani")
    for tag in prefer:
        if tag.split("-")[0] in ("ja", "ko", "zh"):
            return Guess(tag if tag != "zh" else "zh-Hans", 0.7, "Hani")
    han = "".join(char for char in text if script_of(char) == "Hani")
    simplified, traditional = _encodes(han, "gb2312"), _encodes(han, "big5")
    if simplified and not traditional:
        return Guess("zh-Hans", 0.8, "Hani")
    if traditional and not simplified:
        return Guess("zh-Hant", 0.8, "Hani")
    if not simplified and not traditional:  # Japanese forms (労, 働 …) are in neither Chinese standard
        return Guess("ja", 0.5, "Hani")
    return Guess("zh-Hans", 0.4, "Hani")


def _encodes(text: str, codec: str) -> bool:
    try:
        text.encode(codec)
    except UnicodeEncodeError:
        return False
    return True
