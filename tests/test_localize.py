"""CLDR's numbering systems and dates for an edition's language (typeset/model/localize.py)."""

from __future__ import annotations

import datetime as dt

import pytest

from typeset.model.language import parse_language
from typeset.model.localize import ZEROS, digits, format_date, numbering_system, to_digits

DATE = dt.date(2024, 7, 24)


@pytest.mark.parametrize(("tag", "system", "twenty_four"), [
    ("en", "latn", "24"), ("ar", "arab", "٢٤"), ("fa", "arabext", "۲۴"), ("hi", "latn", "24"),
    ("my", "mymr", "၂၄"), ("dz", "tibt", "༢༤"), ("sat", "olck", "᱒᱔"), ("nqo", "nkoo", "߂߄"),
    ("ff-Adlm", "adlm", "𞥒𞥔"), ("bo", "latn", "24"), ("km", "latn", "24"), ("lo", "latn", "24"),
    ("gu", "latn", "24"), ("dv", "latn", "24"), ("mni", "beng", "২৪"),
])
def test_the_default_digits_are_cldrs(tag: str, system: str, twenty_four: str) -> None:
    assert numbering_system(parse_language(tag)) == system
    assert to_digits("24", system) == twenty_four


def test_every_numbering_system_has_ten_decimal_digits() -> None:
    import unicodedata

    for system in ZEROS:
        assert [unicodedata.digit(d) for d in digits(system)] == list(range(10)), system


@pytest.mark.parametrize(("tag", "date"), [
    ("en", "July 24, 2024"), ("de", "24. Juli 2024"), ("my", "၂၀၂၄ ဇူလိုင် ၂၄"),
    ("sat", "᱒᱔ ᱡᱩᱞᱟᱭ ᱒᱐᱒᱔"), ("km", "24 កក្កដា 2024"),
    # CLDR names no month in these languages: the ISO date, not "24 M07 2024"
    ("dv", "2024-07-24"), ("bm-Nkoo", "2024-07-24"), ("mni-Mtei", "2024-07-24"),
])
def test_dates_in_the_editions_language(tag: str, date: str) -> None:
    language = parse_language(tag)
    assert format_date(DATE, language, numbering_system(language)) == date
