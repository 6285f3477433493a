"""The quotation marks of a language, from CLDR (``quotes.json``, written by tools/make_quotes.py).

In: a :class:`~typeset.model.language.Language` (and the world, which reads the table once a
process). Out: ``(open, close, inner open, inner close)``
as that language prints them — „…‚…‘…“ in German, «…„…“…» in Russian, 「…『…』…」 in Japanese —
the locale's own marks if CLDR has them (``de-CH``, ``zh-Hant``), else its language's, else
CLDR's root marks. French sets its guillemets off with a narrow no-break space (« … »), as French
typography does (CLDR lists the marks alone); Swiss French does not.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from typeset.model.language import Language

if TYPE_CHECKING:
    from typeset.world import World

NARROW_NBSP = "\u202f"
_Table = tuple[tuple[str, ...], dict[str, tuple[str, ...]]]
_tables: list[_Table] = []  # read once


def _table(world: World) -> _Table:
    if not _tables:
        data = json.loads(world.read_package("render/quotes.json"))
        _tables.append((tuple(data["root"]), {locale: tuple(marks) for locale, marks in data["locales"].items()}))
    return _tables[0]


def quotation_marks(language: Language, world: World) -> tuple[str, str, str, str]:
    root, locales = _table(world)
    lang, script, region = language.language, language.script, language.region
    candidates = [f"{lang}_{script}_{region}" if region else "", f"{lang}_{script}",
                  f"{lang}_{region}" if region else "", lang]
    marks = next((locales[c] for c in candidates if c in locales), root)
    opening, closing, inner_opening, inner_closing = marks
    if lang == "fr" and region != "CH":
        spaced = {"«": "«" + NARROW_NBSP, "»": NARROW_NBSP + "»", "‹": "‹" + NARROW_NBSP, "›": NARROW_NBSP + "›"}
        opening, closing, inner_opening, inner_closing = (spaced.get(m, m) for m in marks)
    return opening, closing, inner_opening, inner_closing
