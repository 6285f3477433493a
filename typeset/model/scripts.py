"""Script runs: text split where its writing system changes.

In: a string. Out: ``(text, script)`` runs, where ``script`` is an ISO 15924 code. Characters
common to several scripts (spaces, digits, punctuation) and combining marks join the run
they stand in, following Unicode's Script_Extensions (a danda stays with its Devanagari,
a prolonged sound mark with its kana). Renderers use the runs to choose fonts — in DOCX,
which of Word's four font slots a run needs.
"""

from __future__ import annotations

from enum import Enum
from functools import cache

from fontTools import unicodedata as ucd

COMMON = "Zyyy"
INHERITED = "Zinh"

# Scripts that Word sets with the East Asian font slot, and those it treats as complex.
EAST_ASIAN = frozenset({"Hani", "Hira", "Kana", "Hang", "Bopo", "Jpan", "Kore", "Hans", "Hant", "Yiii"})
COMPLEX = frozenset({
    "Arab", "Hebr", "Syrc", "Thaa", "Nkoo", "Adlm", "Rohg", "Deva", "Beng", "Guru", "Gujr", "Orya", "Taml",
    "Telu", "Knda", "Mlym", "Sinh", "Thai", "Laoo", "Tibt", "Mymr", "Khmr",
})
# Scripts written without spaces between words, whose letters are of Unicode's line-break class SA
# ("complex context dependent", UAX #14): a line may break between two words, which only a
# dictionary finds (typeset.render.linebreaks).
SA_SCRIPTS = frozenset({"Thai", "Laoo", "Khmr", "Mymr", "Tale", "Talu", "Lana", "Tavt", "Ahom"})


class Slot(str, Enum):
    """Word's font slots: ``w:ascii``/``w:hAnsi``, ``w:eastAsia`` and ``w:cs``."""

    LATIN = "latin"
    EAST_ASIAN = "eastAsia"
    COMPLEX = "cs"


def slot(script: str) -> Slot:
    if script in EAST_ASIAN:
        return Slot.EAST_ASIAN
    if script in COMPLEX:
        return Slot.COMPLEX
    return Slot.LATIN


@cache
def _extensions(char: str) -> frozenset[str]:
    return frozenset(ucd.script_extension(char))


def script_runs(text: str, default: str = "Latn") -> list[tuple[str, str]]:
    """Split ``text`` into maximal runs of one script.

    A run of only common characters (a number, punctuation) takes ``default``.
    """
    runs: list[list[str]] = []  # [script, text]
    pending = ""  # common characters not yet given to a run
    for char in text:
        extensions = _extensions(char)
        primary = ucd.script(char)
        if primary == INHERITED or (runs and runs[-1][0] in extensions) or primary == COMMON and (
                not runs or extensions == {COMMON}):
            if runs:
                runs[-1][1] += pending + char
                pending = ""
            else:
                pending += char
            continue
        script = primary if primary != COMMON else sorted(extensions)[0]
        if runs and runs[-1][0] == script:
            runs[-1][1] += pending + char
        else:
            runs.append([script, pending + char])
        pending = ""
    if pending:
        runs.append([default, pending])
    return [(chunk, script) for script, chunk in runs]


def scripts_of(text: str) -> set[str]:
    """The scripts with letters in ``text`` (common and inherited characters left out)."""
    return {script for script in map(ucd.script, text) if script not in (COMMON, INHERITED, "Zzzz")}
