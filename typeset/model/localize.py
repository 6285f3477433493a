"""Locale data from CLDR through Babel: dates, country names and numerals in an edition's language.

In: a date, a country code or a number, and a :class:`~typeset.model.language.Language`.
Out: the text that edition prints ("31. März 2017", "Kongo-Kinshasa", "٢٩").
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache

from babel.dates import format_date as _babel_format_date

from typeset.model.language import Language

# The zero of each decimal numbering system CLDR names (its ten digits follow in Unicode).
ZEROS = {
    "latn": "0", "arab": "\u0660", "arabext": "\u06f0", "beng": "\u09e6", "deva": "\u0966",
    "gujr": "\u0ae6", "guru": "\u0a66", "knda": "\u0ce6", "khmr": "\u17e0", "laoo": "\u0ed0",
    "mlym": "\u0d66", "mymr": "\u1040", "orya": "\u0b66", "tamldec": "\u0be6", "telu": "\u0c66",
    "thai": "\u0e50", "tibt": "\u0f20", "fullwide": "\uff10",
    # CLDR's defaults for Santali (sat), N'Ko (nqo) and Fulah in Adlam (ff-Adlm); Javanese digits
    # for text in that script
    "olck": "\u1c50", "nkoo": "\u07c0", "adlm": "\U0001e950", "java": "\ua9d0",
}


def numbering_system(language: Language, override: str | None = None) -> str:
    """The digits an edition uses: the override, else CLDR's default for the language, else —
    for a language written in Arabic script — its native digits (Arabic-Indic for ``ar``,
    Extended Arabic-Indic for ``fa`` and ``ur``; not in the Maghreb), else Latin."""
    if override:
        return override
    locale = language.locale
    default = getattr(locale, "default_numbering_system", "latn") or "latn"
    if default != "latn" and default in ZEROS:
        return default
    native: str | None = locale.other_numbering_systems.get("native") if locale.other_numbering_systems else None
    if language.script == "Arab" and native in ZEROS and language.region not in _MAGHREB:
        return native
    return "latn"


_MAGHREB = frozenset({"MA", "DZ", "TN", "LY", "EH", "MR"})  # Arabic written with Latin digits


def digits(system: str) -> str:
    zero = ord(ZEROS[system])
    return "".join(chr(zero + i) for i in range(10))


def to_digits(text: str, system: str) -> str:
    """``text`` with its ASCII digits written in ``system``."""
    if system == "latn":
        return text
    return text.translate(str.maketrans("0123456789", digits(system)))


def format_date(date: dt.date, language: Language, system: str = "latn") -> str:
    """The long form of a date as the language writes it ("31 March 2017", "31. März 2017"); where
    CLDR names no month in the language (Dhivehi, Sámi, N'Ko Bambara … would print "24 M07 2024",
    CLDR root's stand-in), the ISO 8601 date CLDR's root uses for the short form ("2024-07-24")."""
    if _months_unnamed(str(language.locale), date.month):
        return to_digits(date.isoformat(), system)
    return to_digits(_babel_format_date(date, format="long", locale=language.locale), system)


@cache
def _months_unnamed(locale_name: str, month: int) -> bool:
    from babel import Locale

    return bool(Locale.parse(locale_name).months["format"]["wide"].get(month) == f"M{month:02d}")


@cache
def _territories(locale_name: str) -> dict[str, str]:
    from babel import Locale

    return dict(Locale.parse(locale_name).territories)


def country_name(code: str, language: Language) -> str | None:
    """The CLDR name of an ISO 3166-1 alpha-2 code in ``language``, or ``None`` if unknown."""
    return _territories(str(language.locale)).get(code.upper())


# CLDR region codes that are not countries: unknown, outlying Oceania, EU, Eurozone, UN, pseudo-locales.
_NOT_COUNTRIES = frozenset({"ZZ", "QO", "EU", "EZ", "UN", "XA", "XB"})


def is_country(code: str) -> bool:
    """Whether ``code`` is an ISO 3166-1 alpha-2 code CLDR names (Kosovo's XK included)."""
    code = code.upper()
    return len(code) == 2 and code.isalpha() and code not in _NOT_COUNTRIES and code in _territories("en")


@dataclass(frozen=True, slots=True)
class Punctuation:
    """The marks an edition joins its parts with: "Name (translation), country"."""

    comma: str = ", "
    open: str = "("
    close: str = ")"
    space: str = " "  # before an opening parenthesis


_PUNCTUATION = {
    "Arab": Punctuation(comma="\u060c "),  # ،
    "Hans": Punctuation(comma="\uff0c", open="\uff08", close="\uff09", space=""),  # ，（）
    "Hant": Punctuation(comma="\uff0c", open="\uff08", close="\uff09", space=""),
    "Jpan": Punctuation(comma="\u3001", open="\uff08", close="\uff09", space=""),  # 、（）
    "Ethi": Punctuation(comma="\u1363 "),  # ፣
    "Mymr": Punctuation(comma="\u104a "),  # ၊
}


def punctuation(language: Language) -> Punctuation:
    return _PUNCTUATION.get(language.script, Punctuation())
