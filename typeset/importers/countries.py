"""Country names, as a document writes them, mapped to ISO 3166-1 codes through CLDR.

In: a piece of text and the document's language. Out: a :class:`Country` — the code, and
whether the text is exactly CLDR's name in that language (if not, the importer keeps the
written form as ``country_name``, so the edition prints what the author wrote) — or ``None``.

Names come from CLDR's territory names in the language (Babel ``Locale.territories``), with
its parenthesised and dashed forms split ("Myanmar (Burma)", "Congo - Kinshasa"), case,
accents and "&" ignored ("Bosnia & Herzegovina", "Türkiye"/"Turkiye"), and a short list of
common names CLDR does not give, such as "Democratic Republic of the Congo" or "Turkey".
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache

from babel import Locale

from typeset.model.language import parse_language
from typeset.model.localize import is_country

# Names in common use that CLDR does not list, by language. CLDR's own names need no entry.
_VARIANTS: dict[str, dict[str, str]] = {
    "en": {
        "democratic republic of the congo": "CD", "democratic republic of congo": "CD", "dr congo": "CD",
        "drc": "CD", "republic of the congo": "CG", "republic of congo": "CG", "turkey": "TR",
        "ivory coast": "CI", "czech republic": "CZ", "burma": "MM", "swaziland": "SZ",
        "macedonia": "MK", "east timor": "TL", "holland": "NL", "great britain": "GB", "britain": "GB",
        "usa": "US", "united states of america": "US", "america": "US", "russian federation": "RU",
        "south korea": "KR", "north korea": "KP", "republic of korea": "KR", "vatican": "VA",
        "cape verde": "CV", "palestine": "PS", "uae": "AE", "uk": "GB",
    },
    "de": {"demokratische republik kongo": "CD", "republik kongo": "CG", "turkei": "TR", "tschechische republik": "CZ",
           "holland": "NL", "usa": "US", "vereinigte staaten von amerika": "US", "russische foderation": "RU",
           "elfenbeinkuste": "CI", "birma": "MM", "burma": "MM"},
    "fr": {"republique democratique du congo": "CD", "rdc": "CD", "republique du congo": "CG", "turquie": "TR",
           "etats-unis d'amerique": "US", "usa": "US", "republique tcheque": "CZ", "birmanie": "MM"},
    "es": {"republica democratica del congo": "CD", "republica del congo": "CG", "turquia": "TR", "eeuu": "US",
           "estados unidos de america": "US", "birmania": "MM"},
    "ru": {"демократическая республика конго": "CD", "республика конго": "CG", "сша": "US",
           "соединенные штаты америки": "US", "россия": "RU", "российская федерация": "RU"},
}


@dataclass(frozen=True, slots=True)
class Country:
    code: str
    exact: bool  # the text is CLDR's name in the document's language


def fold(text: str) -> str:
    """Text compared without case, accents, punctuation spacing or a leading article."""
    text = unicodedata.normalize("NFKD", text.casefold())
    text = "".join(char for char in text if not unicodedata.combining(char))
    text = re.sub(r"[’'`]", "'", text)
    text = re.sub(r"[\s\u00a0]+", " ", text).strip(" .,;:")
    return re.sub(r"^(the|la|le|les|el|los|las|die|der|das) ", "", text)


@cache
def _and_word(tag: str) -> str:
    """The language's word for "and", from CLDR's list patterns ("{0} und {1}")."""
    pattern = parse_language(tag).locale.list_patterns.get("standard", {}).get("2", "{0}, {1}")
    word = pattern.replace("{0}", "").replace("{1}", "").strip()
    return fold(word) if word.isalpha() else ""


@cache
def _index(tag: str) -> dict[str, str]:
    """Folded name → code for one language."""
    language = parse_language(tag)
    names: dict[str, str] = {}
    parts: dict[str, set[str]] = {}
    and_word = _and_word(tag)
    for code, name in Locale.parse(str(language.locale)).territories.items():
        if not is_country(code):
            continue
        names[fold(name)] = code
        if "&" in name and and_word:
            names[fold(name.replace("&", and_word))] = code
        for part in re.split(r"\s+[-–]\s+|\s*\(|\)", name):
            if len(fold(part)) >= 2:
                parts.setdefault(fold(part), set()).add(code)
    for key, codes in parts.items():  # "Myanmar (Burma)": "Burma"; not "Congo", which names two
        if len(codes) == 1:
            names.setdefault(key, next(iter(codes)))
    for key, code in _VARIANTS.get(language.language, {}).items():
        names.setdefault(fold(key), code)
    return names


def find_country(text: str, tag: str) -> Country | None:
    """The country ``text`` names in language ``tag``, if it names exactly one."""
    key = fold(text)
    code = _index(tag).get(key)
    if code is None:
        return None
    official = Locale.parse(str(parse_language(tag).locale)).territories.get(code, "")
    return Country(code, fold(official) == key and text.strip() == official)


def countries_in(text: str, tag: str) -> list[str]:
    """The codes of countries named anywhere in ``text`` ("Proletarian Party of Iran" → IR)."""
    folded = f" {fold(text)} "
    found: list[str] = []
    for key, code in _index(tag).items():
        if len(key) >= 4 and re.search(rf"(?<![\w-]){re.escape(key)}(?![\w-])", folded) and code not in found:
            found.append(code)
    return found
