"""Lint of source text: problems that are not errors but are almost always mistakes.

In: a string and a function that turns a character index into a
:class:`~typeset.diagnostics.Span`. Out: warnings added to a
:class:`~typeset.diagnostics.Diagnostics` — a word that mixes scripts (a Greek or Cyrillic
look-alike inside a Latin word, as in "Haϊtien"), and brackets that never close or close
nothing (the traces of lost links).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable

from typeset.diagnostics import Diagnostics, Span
from typeset.model.language import script_name, script_of

SpanAt = Callable[[int], Span]

# Scripts that are written together in one word of one language.
_FAMILY = {"Hira": "Jpan", "Kana": "Jpan", "Hani": "Hani", "Hang": "Kore"}

# Look-alike letters across Latin, Greek and Cyrillic (base letters; marks are kept).
_GREEK_LATIN = dict(zip("αοικνρυχϲΑΒΕΖΗΙΚΜΝΟΡΤΥΧ", "aoikvpuxcABEZHIKMNOPTYX"))
_CYRILLIC_LATIN = dict(zip("аеорсухіјѕһԁԛԝАВЕКМНОРСТХІЈЅ", "aeopcyxijshdqwABEKMHOPCTXIJS"))
_LOOKALIKES: dict[str, dict[str, str]] = {
    "Latn": {**_GREEK_LATIN, **_CYRILLIC_LATIN},
    "Grek": {latin: greek for greek, latin in _GREEK_LATIN.items()},
    "Cyrl": {latin: cyrillic for cyrillic, latin in _CYRILLIC_LATIN.items()},
}

_OPEN = {"(": ")", "[": "]", "{": "}"}
_CLOSE = {v: k for k, v in _OPEN.items()}


def _script(char: str) -> str | None:
    code = script_of(char)
    if code in ("Zyyy", "Zinh", "Zzzz"):
        return None
    return _FAMILY.get(code, code)


def _words(text: str):
    start = None
    for i, char in enumerate(text + " "):
        letter = unicodedata.category(char)[0] in "LM"
        if letter and start is None:
            start = i
        elif not letter and start is not None:
            yield start, text[start:i]
            start = None


def _counterpart(char: str, script: str) -> str | None:
    base, *marks = unicodedata.normalize("NFD", char)
    swapped = _LOOKALIKES.get(script, {}).get(base)
    if swapped is None:
        return None
    return unicodedata.normalize("NFC", swapped + "".join(marks))


def mixed_scripts(text: str, span_at: SpanAt, diagnostics: Diagnostics) -> None:
    """Warn about each word whose letters come from more than one script."""
    for start, word in _words(text):
        scripts = [_script(c) for c in word]
        present = [s for s in scripts if s]
        if len(set(present)) < 2:
            continue
        main = max(set(present), key=present.count)
        for offset, (char, script) in enumerate(zip(word, scripts)):
            if script is None or script == main:
                continue
            fix = _counterpart(char, main)
            name = unicodedata.name(char, f"U+{ord(char):04X}")
            hint = (f"did you mean '{word[:offset]}{fix}{word[offset + 1:]}' with "
                    f"'{fix}' (U+{ord(fix):04X} {unicodedata.name(fix, '')})?" if fix and len(fix) == 1
                    else f"check whether this letter should be {script_name(main)}")
            diagnostics.warning(
                span_at(start + offset),
                f"mixed-script word '{word}': '{char}' (U+{ord(char):04X} {name}) is "
                f"{script_name(script)}, the rest is {script_name(main)}",
                hint, code="mixed-script")
            break


def brackets(text: str, span_at: SpanAt, diagnostics: Diagnostics) -> None:
    """Warn about brackets that are never closed or close nothing."""
    stack: list[tuple[int, str]] = []
    escaped = False
    for i, char in enumerate(text):
        if escaped:
            escaped = False
            continue
        if char == "\\":
            escaped = True
        elif char in _OPEN:
            stack.append((i, char))
        elif char in _CLOSE:
            if stack and stack[-1][1] == _CLOSE[char]:
                stack.pop()
            elif any(opener == _CLOSE[char] for _, opener in stack):
                while stack and stack[-1][1] != _CLOSE[char]:
                    _unclosed(*stack.pop(), span_at, diagnostics)
                stack.pop()
            else:
                diagnostics.warning(span_at(i), f"'{char}' closes nothing",
                                    f"remove it or add the matching '{_CLOSE[char]}'", code="brackets")
    for index, opener in stack:
        _unclosed(index, opener, span_at, diagnostics)


def _unclosed(index: int, opener: str, span_at: SpanAt, diagnostics: Diagnostics) -> None:
    diagnostics.warning(span_at(index), f"'{opener}' is never closed",
                        f"add the closing '{_OPEN[opener]}' or remove the '{opener}' "
                        "(a lost link often leaves one behind)", code="brackets")


def lint_text(text: str, span_at: SpanAt, diagnostics: Diagnostics) -> None:
    mixed_scripts(text, span_at, diagnostics)
    brackets(text, span_at, diagnostics)
