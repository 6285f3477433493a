"""Long dates in the language of a document, read with CLDR's own words for them.

In: a string and a language tag. Out: the first date in it, as a :class:`Found` (the date and
where it stands), or ``None``.

Babel formats dates but parses only short numeric ones, so the patterns are built here from the
locale's own data: its long, full and medium date formats ("d MMMM y", "d. MMMM y",
"d MMMM y 'г'.", "y年M月d日") with its month names — format and stand-alone, wide and
abbreviated ("31 марта 2017 г.", "31. März 2017", "31 مارس 2017") — plus the two orders every
alphabetic language writes by hand ("31 March 2017", "March 31, 2017"). Digits of any script
(Arabic-Indic, Devanagari …) are read as digits, and a stray comma before the year
("31 March, 2017") is allowed.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from functools import cache

from babel import Locale

from typeset.model.language import parse_language

_DIGIT = r"\d"  # Python's \d matches every script's decimal digits


@dataclass(frozen=True, slots=True)
class Found:
    date: dt.date
    start: int
    end: int


def _months(locale: Locale) -> dict[str, int]:
    names: dict[str, int] = {}
    for context in ("format", "stand-alone"):
        for width in ("wide", "abbreviated"):
            for number, name in locale.months.get(context, {}).get(width, {}).items():
                names.setdefault(name.casefold().rstrip("."), number)
    return names


def _tokens(pattern: str) -> list[str]:
    """A CLDR date pattern split into fields ('d', 'MMMM', 'y') and literal text."""
    parts: list[str] = []
    for match in re.finditer(r"'([^']*)'|([a-zA-Z])\2*|[^a-zA-Z']+", pattern):
        if match[1] is not None:
            parts.append("'" + match[1])
        else:
            parts.append(match[0] if match[2] else "'" + match[0])
    return parts


def _days(locale: Locale) -> str:
    names = {name.casefold().rstrip(".") for context in ("format", "stand-alone")
             for width in ("wide", "abbreviated") for name in locale.days.get(context, {}).get(width, {}).values()}
    return "|".join(sorted((re.escape(name) for name in names), key=len, reverse=True))


def _regex(pattern: str, months: str, days: str) -> str:
    out: list[str] = []
    for token in _tokens(pattern):
        if token.startswith("'"):
            literal = token[1:]
            if not literal.strip():
                out.append(r"\s*,?\s*" if literal else "")
            elif re.fullmatch(r"[\s,.،、]+", literal):
                out.append(r"[\s,.،、]*")
            else:
                out.append(r"\s*" + re.escape(literal.strip()) + r"\s*")
        elif token[0] == "d":
            out.append(rf"(?P<d>{_DIGIT}{{1,2}})")
        elif token[0] in "ML":
            out.append(rf"(?P<m>{months})\.?" if len(token) >= 3 else rf"(?P<m>{_DIGIT}{{1,2}})")
        elif token[0] in "yY":
            out.append(rf"(?P<y>{_DIGIT}{{4}})")
        elif token[0] in "Ec":
            out.append(rf"(?:(?:{days})\.?)?")  # the weekday: optional, not checked
        elif token[0] == "G":
            out.append(r"(?:\S+)")
        else:
            return ""  # a field a long date does not need
    return r"(?<!\w)" + "".join(out) + r"(?!\w)"


@cache
def _patterns(tag: str) -> tuple[tuple[re.Pattern[str], dict[str, int]], ...]:
    locale = parse_language(tag).locale
    months = _months(locale)
    alternatives = "|".join(sorted((re.escape(name) for name in months), key=len, reverse=True))
    days = _days(locale)
    formats = [str(locale.date_formats[width].pattern) for width in ("full", "long", "medium")]
    formats += ["d MMMM y", "MMMM d, y"]
    compiled = []
    for pattern in dict.fromkeys(formats):
        regex = _regex(pattern, alternatives, days)
        if regex:
            compiled.append((re.compile(regex, re.IGNORECASE), months))
    return tuple(compiled)


def _number(text: str) -> int:
    return int("".join(str(unicodedata.decimal(char)) for char in text))


def find_date(text: str, language: str) -> Found | None:
    """The first long date in ``text`` written the way ``language`` writes dates."""
    best: Found | None = None
    for regex, months in _patterns(language):
        for match in regex.finditer(text):
            month = match["m"]
            number = _number(month) if month[0].isdigit() else months.get(month.casefold().rstrip("."))
            if number is None:
                continue
            try:
                date = dt.date(_number(match["y"]), number, _number(match["d"]))
            except ValueError:
                continue
            start = match.start() + len(match[0]) - len(match[0].lstrip(" ,،、\u00a0"))
            if best is None or start < best.start or (start == best.start and match.end() > best.end):
                best = Found(date, start, match.end())
            break
    return best
