"""Lint of source text: problems that are almost always mistakes, and characters that are not text.

In: a string and a function that turns a character index into a
:class:`~typeset.diagnostics.Span`. Out: warnings added to a
:class:`~typeset.diagnostics.Diagnostics` — a word that mixes scripts (a Greek or Cyrillic
look-alike inside a Latin word, as in "Haϊtien"); brackets and quotation marks that never
close or close nothing (the traces of lost links); invisible characters and bidirectional
controls that change what a reader sees without showing themselves ("Trojan source"); and
letters of a script that the language a text is tagged with is not written in (a Persian
sentence in an English paragraph), with the span that would mark it. And errors for what is not
printable text at all: control characters, lone surrogates, non-characters.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterator, Mapping, Sequence
from functools import cache

from typeset.diagnostics import Diagnostics, Span
from typeset.escape import NONCHARACTERS
from typeset.model.language import Language, LanguageTagError, parse_language, script_name, script_of

SpanAt = Callable[[int], Span]

# Scripts that are written together in one word: kanji with kana (労働者に), hanja with hangul.
_FAMILY = {"Hira": "Hani", "Kana": "Hani", "Bopo": "Hani", "Hang": "Hani"}

# Look-alike letters across Latin, Greek and Cyrillic (base letters; marks are kept).
_GREEK_LATIN = dict(zip("αοικνρυχϲΑΒΕΖΗΙΚΜΝΟΡΤΥΧ", "aoikvpuxcABEZHIKMNOPTYX", strict=True))
_CYRILLIC_LATIN = dict(zip("аеорсухіјѕһԁԛԝАВЕКМНОРСТХІЈЅ", "aeopcyxijshdqwABEKMHOPCTXIJS", strict=True))
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


def _words(text: str) -> Iterator[tuple[int, str]]:
    start = None
    for i, char in enumerate(text + " "):
        letter = unicodedata.category(char)[0] in "LM"
        if letter and start is None:
            start = i
        elif not letter and start is not None:
            yield start, text[start:i]
            start = None


def _counterpart(char: str, script: str) -> str | None:
    decomposed = unicodedata.normalize("NFD", char)
    base, marks = decomposed[:1], decomposed[1:]
    swapped = _LOOKALIKES.get(script, {}).get(base)
    if swapped is None:
        return None
    return unicodedata.normalize("NFC", swapped + marks)


def mixed_scripts(text: str, span_at: SpanAt, diagnostics: Diagnostics) -> None:
    """Warn about each word whose letters come from more than one script."""
    for start, word in _words(text):
        scripts = [_script(c) for c in word]
        present = [s for s in scripts if s]
        if len(set(present)) < 2:
            continue
        main = max(set(present), key=present.count)
        for offset, (char, script) in enumerate(zip(word, scripts, strict=True)):
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


# Quotation marks: each opener and the closers it accepts ("„…“" and "„…”" in German, "«…»").
_QUOTES = {"“": "”", "„": "“”", "«": "»", "‹": "›", "「": "」", "『": "』", "‚": "‘’"}
_QUOTE_CLOSERS = {"”", "»", "›", "」", "』"}


def quotes(text: str, span_at: SpanAt, diagnostics: Diagnostics) -> None:
    """Warn about quotation marks that are opened and never closed, or closed and never opened."""
    stack: list[tuple[int, str]] = []
    for i, char in enumerate(text):
        if stack and char in _QUOTES[stack[-1][1]]:
            stack.pop()
        elif char in _QUOTES and char != "‚":
            stack.append((i, char))
        elif char in _QUOTE_CLOSERS:
            diagnostics.warning(span_at(i), f"closing quotation mark '{char}' without an opening one",
                                "add the opening mark or remove this one", code="quotes")
    for index, opener in stack:
        diagnostics.warning(span_at(index), f"quotation mark '{opener}' is never closed",
                            f"close it with '{_QUOTES[opener][0]}'", code="quotes")


# Characters that change what a reader sees while showing nothing themselves.
_BIDI_CONTROLS = {
    "\u202a": "LEFT-TO-RIGHT EMBEDDING", "\u202b": "RIGHT-TO-LEFT EMBEDDING", "\u202c": "POP DIRECTIONAL FORMATTING",
    "\u202d": "LEFT-TO-RIGHT OVERRIDE", "\u202e": "RIGHT-TO-LEFT OVERRIDE", "\u2066": "LEFT-TO-RIGHT ISOLATE",
    "\u2067": "RIGHT-TO-LEFT ISOLATE", "\u2068": "FIRST STRONG ISOLATE", "\u2069": "POP DIRECTIONAL ISOLATE",
    "\u200e": "LEFT-TO-RIGHT MARK", "\u200f": "RIGHT-TO-LEFT MARK", "\u061c": "ARABIC LETTER MARK",
}
_INVISIBLE = {
    "\u200b": "ZERO WIDTH SPACE", "\u2060": "WORD JOINER", "\ufeff": "ZERO WIDTH NO-BREAK SPACE",
    "\u2061": "FUNCTION APPLICATION", "\u2062": "INVISIBLE TIMES", "\u2063": "INVISIBLE SEPARATOR",
    "\u2064": "INVISIBLE PLUS", "\u180e": "MONGOLIAN VOWEL SEPARATOR", "\u115f": "HANGUL CHOSEONG FILLER",
    "\u3164": "HANGUL FILLER",
}
# Joiners are part of the spelling of these scripts (Persian می‌خواهیم, Devanagari half forms).
_JOINING_SCRIPTS = frozenset({"Arab", "Syrc", "Deva", "Beng", "Guru", "Gujr", "Orya", "Taml", "Telu", "Knda",
                              "Mlym", "Sinh", "Mymr", "Khmr", "Mong"})


def invisible(text: str, span_at: SpanAt, diagnostics: Diagnostics) -> None:
    """Warn about bidi controls, invisible characters, and joiners outside the scripts that use them;
    refuse what is not printable text at all (see :func:`not_text`)."""
    for i, char in enumerate(text):
        if _suspect(char):
            not_text(char, span_at(i), diagnostics)
        elif char in _BIDI_CONTROLS:
            diagnostics.warning(
                span_at(i), f"bidirectional control U+{ord(char):04X} {_BIDI_CONTROLS[char]} in the text",
                "it can make text display in another order than it is read; typeset isolates names "
                "itself, so remove it", code="bidi-control")
        elif char in _INVISIBLE:
            diagnostics.warning(span_at(i), f"invisible character U+{ord(char):04X} {_INVISIBLE[char]}",
                                "remove it unless it is wanted", code="invisible")
        elif char in "\u200c\u200d":
            neighbours = text[max(0, i - 1):i + 2]
            emoji = any(ord(c) >= 0x1F000 for c in neighbours)  # joined emoji sequences
            if not {_script(c) for c in neighbours} & _JOINING_SCRIPTS and not emoji:
                name = "ZERO WIDTH NON-JOINER" if char == "\u200c" else "ZERO WIDTH JOINER"
                diagnostics.warning(span_at(i), f"invisible character U+{ord(char):04X} {name} outside a script "
                                                "that uses it", "remove it unless it is wanted", code="invisible")
        elif char in "\u2028\u2029":
            name = "LINE SEPARATOR" if char == "\u2028" else "PARAGRAPH SEPARATOR"
            diagnostics.warning(span_at(i), f"U+{ord(char):04X} {name} in the text",
                                "break the line or the paragraph in the source instead", code="invisible")


def _suspect(char: str) -> bool:
    return unicodedata.category(char) in ("Cc", "Cs") or char in NONCHARACTERS


def not_text(char: str, span: Span, diagnostics: Diagnostics) -> bool:
    """An error if ``char`` is not printable text: a control character (other than a tab or a line
    break), a lone surrogate (half of a character), a non-character. Whether it was one.

    Why an error rather than a silent repair: each edition would do something else with it — the
    HTML page shows nothing, WeasyPrint nothing or a box, and XML, so the DOCX edition, cannot
    hold C0 controls, U+FFFE or U+FFFF at all — and a form feed or escape character in a name is
    always a slip (a copied terminal line, a spreadsheet's line break) that its author should see.
    """
    if not _suspect(char) or char in "\n\t":
        return False
    code = ord(char)
    if unicodedata.category(char) == "Cs":
        diagnostics.error(span, f"a lone surrogate U+{code:04X} (half of a character) in the text",
                          "write the whole character; in YAML, '\\U0001F600' rather than '\\uD83D\\uDE00'",
                          code="control")
    elif char in NONCHARACTERS:
        diagnostics.error(span, f"the non-character U+{code:04X} in the text", "remove it", code="control")
    else:
        name = _CONTROL_NAMES.get(code, "")
        diagnostics.error(span, f"control character U+{code:04X}{' ' + name if name else ''} in the text",
                          "remove it: an edition cannot print it (a line break in a spreadsheet cell is sometimes "
                          "saved as one)", code="control")
    return True


_CONTROL_NAMES = {0x0: "NULL", 0x8: "BACKSPACE", 0xB: "LINE TABULATION", 0xC: "FORM FEED", 0xD: "CARRIAGE RETURN",
                  0x1B: "ESCAPE", 0x7F: "DELETE", 0x85: "NEXT LINE"}


def not_nfc(text: str, span_at: SpanAt, diagnostics: Diagnostics) -> None:
    """Warn once where text is not in Unicode NFC (typeset normalises it; the source should too)."""
    for i in range(len(text)):
        pair = text[max(0, i - 1):i + 1]
        if unicodedata.normalize("NFC", pair) != pair:
            diagnostics.warning(span_at(max(0, i - 1)), "text not in Unicode NFC (typeset normalises it)",
                                "save the file with composed characters (NFC)", code="nfc")
            return


def lint_text(text: str, span_at: SpanAt, diagnostics: Diagnostics) -> None:
    mixed_scripts(text, span_at, diagnostics)
    brackets(text, span_at, diagnostics)
    quotes(text, span_at, diagnostics)
    invisible(text, span_at, diagnostics)


# -- text in a script its language is not written in ---------------------------------------------

# The scripts of a language tagged with a union of scripts (Japanese: kanji and kana).
_WRITTEN_WITH = {"Jpan": frozenset({"Hani", "Hira", "Kana"}), "Kore": frozenset({"Hang", "Hani"}),
                 "Hans": frozenset({"Hani"}), "Hant": frozenset({"Hani"}), "Hrkt": frozenset({"Hira", "Kana"})}
# Scripts that run together in one foreign phrase (労働者に: kanji and kana).
_CJK = frozenset({"Hani", "Hira", "Kana", "Hang", "Bopo"})
_NAMES = {"Hira": "Japanese kana", "Kana": "Japanese kana", "Hang": "Hangul", "Hani": "Han"}
EXCERPT = 24  # characters of the foreign text quoted in the warning


def written_with(language: Language) -> frozenset[str]:
    """The scripts a language's letters may be in: its own, and Latin (abbreviations, names)."""
    return _WRITTEN_WITH.get(language.script, frozenset({language.script})) | {"Latn"}


def foreign_script(text: str, tag: str, span_at: SpanAt, diagnostics: Diagnostics,
                   declared: Sequence[str] = (), *, blocks: bool = True) -> None:
    """Warn about each run of letters in a script that ``tag``'s language is not written in, and
    show the span that marks it, in the language guessed from the script (one of ``declared``,
    the document's languages, if one is written in it).

    Only letters count: digits, punctuation and symbols belong to every script, Latin letters
    (abbreviations such as "COP28", names) are at home in every language, and a lone letter (a
    Greek α in a formula) is no phrase.
    """
    try:
        language = parse_language(tag)
    except LanguageTagError:
        return
    own = written_with(language)
    runs: list[tuple[int, int, int, set[str]]] = []  # (start, end, letters, scripts)
    current: tuple[int, int, int, set[str]] | None = None  # the run being read
    for index, char in enumerate(text):
        if not unicodedata.category(char).startswith("L"):
            continue
        script = script_of(char)
        if script in own:  # a letter of its own ends a foreign run
            if current is not None:
                runs.append(current)
            current = None
        elif script in ("Zyyy", "Zinh", "Zzzz"):
            continue
        elif current is not None and (script in current[3] or script in _CJK and current[3] <= _CJK):
            current[3].add(script)
            current = (current[0], index + 1, current[2] + 1, current[3])
        else:
            if current is not None:
                runs.append(current)
            current = (index, index + 1, 1, {script})
    if current is not None:
        runs.append(current)
    for start, end, letters, found in runs:
        if letters < 2:
            continue
        excerpt = text[start:end] if end - start <= EXCERPT else text[start:start + EXCERPT - 1].rstrip() + "…"
        name = _run_name(found)
        guess = guess_language(text[start:end], found, declared)
        where = "a paragraph" if blocks else "a text"
        if guess is None:
            hint = "mark it with its language as '[…]{lang=…}'" + (" or '::: {lang=…}' … ':::'" if blocks else "")
        else:
            hint = (f"if it is {guess.display_name(parse_language('en'))}, mark it as '[…]{{lang={guess.tag}}}'"
                    + (f" or put its block in '::: {{lang={guess.tag}}}' … ':::'" if blocks else ""))
        diagnostics.warning(span_at(start), f"text in {name} script in {where} tagged '{language.tag}': "
                                            f"'{excerpt}'", hint, code="script")


def _run_name(scripts: set[str]) -> str:
    if scripts <= _CJK:
        for script in ("Hira", "Kana", "Hang", "Hani"):
            if script in scripts:
                return _NAMES[script]
    return script_name(sorted(scripts)[0])


def guess_language(text: str, scripts: set[str], declared: Sequence[str] = ()) -> Language | None:
    """The language ``text`` (letters of ``scripts``) is most likely in: of the ``declared``
    languages written in those scripts, the one whose CLDR names (of languages, countries,
    months) use most of its letters — Persian's پ and ی, Arabic's ة and ي —, else CLDR's likely
    language for the script."""
    candidates = []
    for tag in declared:
        try:
            language = parse_language(tag)
        except LanguageTagError:
            continue
        if scripts <= _WRITTEN_WITH.get(language.script, frozenset({language.script})):
            candidates.append(language)
    if candidates:
        letters = [char for char in text if unicodedata.category(char).startswith("L")]
        return max(candidates, key=lambda c: (sum(ch in _repertoire(c) for ch in letters), -candidates.index(c)))
    from babel.core import get_global

    likely: Mapping[str, str] = get_global("likely_subtags")
    script = "Jpan" if scripts & {"Hira", "Kana"} else "Kore" if "Hang" in scripts else sorted(scripts)[0]
    found = likely.get(f"und_{script}") or likely.get(f"und_{sorted(scripts)[0]}")
    if not found:
        return None
    try:
        return parse_language(found.split("_")[0])
    except LanguageTagError:
        return None


@cache
def _repertoire(language: Language) -> frozenset[str]:
    """The letters of a language as CLDR writes it: in its names of languages, countries,
    scripts, months and days."""
    locale = language.locale
    texts = [*locale.languages.values(), *locale.territories.values(), *locale.scripts.values()]
    for table in (locale.months, locale.days):
        for widths in table.get("format", {}).values():
            texts += list(widths.values())
    return frozenset(char for text in texts for char in text)
