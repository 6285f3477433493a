"""Text generated from CLDR's exemplars and Unicode's character data, one language per line.

In: the :class:`~tests.conformance.cldr.Exemplars` of the languages the fonts serve. Out:
:class:`Line` s — short runs of words, each in one language — of two kinds:

- **exemplar lines**: each of a language's sets (main, auxiliary, punctuation, numbers)
  arranged as words. Letters go six to a word (and again as capitals where the language's index
  is written in capitals); a combining mark (or a vowel sign Unicode counts as a letter, such
  as Thai ำ) is written after U+25CC DOTTED CIRCLE, as CLDR shows it (an invisible stacker with
  a letter of its script after it), and stands as a word of its own; a joiner stands between
  two letters; digits of one script make one word; every other item (punctuation, symbols) is a
  word by itself.
- **syllable lines**, for every script whose languages' exemplars hold consonants and dependent
  vowel signs (Unicode's Indic_Syllabic_Category: Devanagari, Bengali, Tamil, Sinhala, Thai …
  whatever the fonts serve): every consonant with every dependent vowel sign and with each
  virama or stacker of the script. A vowel that a shaper splits into parts — one with a
  canonical or compatibility decomposition (Tamil ொ, Bengali ো, Thai and Lao SARA AM) or
  written on more than one side of its consonant — is kept apart, on lines of its own
  (:attr:`Line.multipart`), so that what only those break shows as such.

Consonants, vowel signs and viramas come from Unicode's data (unicodedataplus: the
Indic_Syllabic_Category and Indic_Positional_Category properties) applied to the languages'
exemplars; nothing is typed in by hand. The same input gives the same lines.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

import unicodedataplus as ucd
from fontTools import unicodedata as script_data

from tests.conformance.cldr import Exemplars

LETTERS_PER_WORD = 6
WORDS_PER_LINE = 8
SAMPLE = 1200  # items of an exemplar set in the default run (CJK sets hold thousands); all in the long run
DOTTED_CIRCLE = "\u25cc"  # the base of a lone combining mark
STOPPERS = ("Virama", "Invisible_Stacker")  # Indic_Syllabic_Category of what ends a consonant's vowel


@dataclass(frozen=True)
class Line:
    """One generated line, all in one language."""

    language: str  # BCP 47 tag
    kind: str  # what it shows: "main", "auxiliary", "punctuation", "numbers", "syllables"
    text: str
    script: str  # the script its language is written in (ISO 15924)

    @property
    def words(self) -> list[str]:
        return self.text.split(" ")

    @property
    def multipart(self) -> bool:
        """Whether it holds a vowel sign a shaper takes apart."""
        return any(multipart_vowel(char) for char in self.text)


def multipart_vowel(char: str) -> bool:
    """A dependent vowel sign in more than one part: one that decomposes (canonically or for
    compatibility, as SARA AM does) or that sits on more than one side of its consonant."""
    return (ucd.indic_syllabic_category(char) == "Vowel_Dependent"
            and (bool(ucd.decomposition(char)) or "_And_" in ucd.indic_positional_category(char)))


def _vowel_sign_letter(char: str) -> bool:
    """A dependent vowel that Unicode counts as a letter and writes after its consonant (Thai and
    Lao ะ า ำ): after another vowel it has no consonant to belong to."""
    return (ucd.category(char) == "Lo" and ucd.indic_syllabic_category(char) == "Vowel_Dependent"
            and ucd.indic_positional_category(char) != "Visual_Order_Left")


def _kind(item: str) -> str:
    category = ucd.category(item[0])
    if category[0] == "M" or _vowel_sign_letter(item[0]):
        return "mark"
    if category[0] == "L":
        return "letter"
    if category == "Nd":
        return "digit"
    if category in ("Cf", "Zs"):
        return "joiner"
    return "other"


def _script(char: str) -> str:
    return script_data.script(char)


class _Bases:
    """The letters a language's marks and joiners are written on: for each script, a consonant
    of the language's main exemplars (else the first letter of its index, else its first
    letter: never an independent vowel where the script has consonants), and its virama."""

    def __init__(self, exemplars: Exemplars) -> None:
        self.letters: dict[str, str] = {}
        preferred: dict[str, str] = {}  # a consonant, else the first letter of CLDR's index
        for item in exemplars.main:
            if len(item) != 1 or _kind(item) != "letter":
                continue
            self.letters.setdefault(_script(item), item)
            if ucd.indic_syllabic_category(item) == "Consonant":
                preferred.setdefault(_script(item), item)
        for item in exemplars.index:
            if len(item) == 1 and item.lower() in exemplars.main and _kind(item) == "letter":
                preferred.setdefault(_script(item), item.lower())
        self.letters.update(preferred)
        self.home = exemplars.language.script
        self.virama = next((i for i in exemplars.main if len(i) == 1 and ucd.indic_syllabic_category(i) == "Virama"),
                           "")

    def base(self, mark: str) -> str:
        script = _script(mark[0])
        if script in self.letters:
            return self.letters[script]
        return next(iter(self.letters.values()), "o") if script in ("Zinh", "Zyyy") else self.letters.get(
            self.home, next(iter(self.letters.values()), "o"))

    def write(self, mark: str) -> str:
        """An exemplar that is a combining mark (or starts with one), as CLDR shows it: after
        U+25CC DOTTED CIRCLE, the base a shaper accepts any mark on (on a letter, a mark that does
        not belong there, such as a second vowel sign, is a broken cluster). An invisible stacker
        stands between the circle and a letter of its script. The syllable lines set every vowel
        sign and virama on real consonants."""
        if ucd.indic_syllabic_category(mark[0]) == "Invisible_Stacker":
            return DOTTED_CIRCLE + mark + self.base(mark)
        return DOTTED_CIRCLE + mark

    def join(self, joiner: str) -> str:
        """A joiner or space between two letters (after the virama, where the script has one)."""
        base = self.letters.get(self.home, next(iter(self.letters.values()), "o"))
        return base + self.virama + joiner + base


def _chunks(items: Sequence[str], size: int) -> Iterator[list[str]]:
    for start in range(0, len(items), size):
        yield list(items[start:start + size])


def arrange(items: Iterable[str], bases: _Bases, capitals: bool = False) -> list[str]:
    """An exemplar set as words (see the module's docstring)."""
    letters: list[str] = []
    words: list[str] = []
    digits: dict[str, list[str]] = {}
    for item in items:
        kind = _kind(item)
        if kind == "letter":
            letters.append(item)
        elif kind == "mark":
            words.append(bases.write(item))
        elif kind == "joiner":
            words.append(bases.join(item))
        elif kind == "digit" and len(item) == 1:
            digits.setdefault(_script(item), []).append(item)
        else:
            words.append(item)
    words[:0] = ["".join(chunk) for chunk in _chunks(letters, LETTERS_PER_WORD)]
    if capitals:
        upper = [item.upper() for item in letters if item.upper() != item]
        words += ["".join(chunk) for chunk in _chunks(upper, LETTERS_PER_WORD)]
    return ["".join(run) for run in digits.values()] + words


def _cased(exemplars: Exemplars) -> bool:
    """Whether the language writes capitals: its index (CLDR's headings) is in capitals."""
    return any(item != item.lower() for item in exemplars.index)


def _lines(words: list[str], language: Exemplars, kind: str) -> list[Line]:
    """Words as lines of at most :data:`WORDS_PER_LINE`; words with a multi-part vowel apart."""
    plain = [w for w in words if not any(map(multipart_vowel, w))]
    split = [w for w in words if any(map(multipart_vowel, w))]
    return [Line(language.tag, kind, unicodedata.normalize("NFC", " ".join(chunk)), language.language.script)
            for group in (plain, split) for chunk in _chunks(group, WORDS_PER_LINE)]


def sample(items: Sequence[str], limit: int | None) -> Sequence[str]:
    """At most ``limit`` items, evenly spread over the set (every one if ``limit`` is None)."""
    if limit is None or len(items) <= limit:
        return items
    step = len(items) / limit
    return [items[int(i * step)] for i in range(limit)]


def exemplar_lines(exemplars: Exemplars, limit: int | None = SAMPLE) -> list[Line]:
    """Every exemplar set of a language, as lines; a set of more than ``limit`` items (Han,
    Hangul) by an even sample of them."""
    bases = _Bases(exemplars)
    lines = []
    for name, items in exemplars.sets().items():
        capitals = name in ("main", "auxiliary") and _cased(exemplars)
        lines += _lines(arrange(sample(items, limit), bases, capitals), exemplars, name)
    return lines


def syllable_lines(languages: Sequence[Exemplars]) -> list[Line]:
    """For the languages of one script, first one first: every consonant of their main exemplars
    with every dependent vowel sign and with every virama or stacker of their main and auxiliary
    exemplars, a line per consonant (the multi-part vowels on lines of their own). Each line is
    in the first language whose exemplars have its consonant. No consonants or no vowel signs:
    no lines (not an abugida)."""
    def category(item: str) -> str:
        return ucd.indic_syllabic_category(item) if len(item) == 1 else ""

    owner: dict[str, Exemplars] = {}
    vowels: dict[str, None] = {}
    stoppers: dict[str, None] = {}
    for language in languages:
        for item in language.main:
            if category(item) == "Consonant":
                owner.setdefault(item, language)
        for item in (*language.main, *language.auxiliary):
            if category(item) == "Vowel_Dependent":
                vowels[item] = None
            elif category(item) in STOPPERS:
                stoppers[item] = None
    if not owner or not vowels:
        return []
    ordered_vowels = sorted(vowels)
    first = min(owner)
    lines: list[Line] = []
    split: dict[str, list[str]] = {}  # language → its multi-part syllables
    for consonant in sorted(owner):
        language = owner[consonant]
        syllables = [vowel + consonant if ucd.indic_positional_category(vowel) == "Visual_Order_Left"
                     else consonant + vowel for vowel in ordered_vowels if not multipart_vowel(vowel)]
        words = ["".join(syllables)]
        words += [first + stopper + consonant if category(stopper) == "Invisible_Stacker" else consonant + stopper
                  for stopper in sorted(stoppers)]
        lines.append(Line(language.tag, "syllables", unicodedata.normalize("NFC", " ".join(words)),
                          language.language.script))
        split.setdefault(language.tag, []).extend(consonant + vowel for vowel in ordered_vowels
                                                  if multipart_vowel(vowel))
    by_tag = {language.tag: language for language in languages}
    for tag, syllables in split.items():
        lines += _lines(syllables, by_tag[tag], "syllables")
    return lines
