"""Locale data from CLDR through Babel: dates and country names in an edition's language."""

from __future__ import annotations

import datetime as dt
from functools import cache

from babel.dates import format_date as _babel_format_date

from typeset.model.language import Language


def format_date(date: dt.date, language: Language) -> str:
    """The long form of a date as the language writes it ("31 March 2017", "31. März 2017")."""
    return _babel_format_date(date, format="long", locale=language.locale)


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
