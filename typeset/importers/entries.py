"""One signatory line taken apart: number, abbreviation, name, gloss, romanization, country.

In: a :class:`~typeset.importers.paragraphs.Para` under a signatory heading and the document's
language. Out: an :class:`~typeset.importers.draft.Entry`, and a warning at the input position
of every piece whose reading was a guess.

The shapes read: ``N. ABBR<two spaces or no-break spaces>Name (Gloss), Country`` (the seed),
``N. ABBR Name …`` where the abbreviation is the run of capitals before the name (checked
against the name's initials), tab-separated cells, ``1) Name – Country``, and lines with no
number or abbreviation. A parenthesised group at the end is a translation when it is in the
document's language and the name is not (Lingua, see :mod:`typeset.importers.identify`), a
romanization when it is the Latin transliteration of a name in another script (anyascii), and
part of the name otherwise ("Communist Party of South Africa (Marxist-Leninist)").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher

from anyascii import anyascii

from typeset.diagnostics import Diagnostics
from typeset.importers.countries import Country, countries_in, find_country
from typeset.importers.draft import Entry
from typeset.importers.identify import (
    Identifier,
    country_languages,
    language_script,
    main_script,
)
from typeset.importers.paragraphs import Para
from typeset.model.language import LanguageTagError, parse_language

_NUMBER = re.compile(r"^\s*\(?(\d{1,5})[.)]?(?:\s+|\t)")
_BULLET = re.compile(r"^\s*[•\-*–—‣◦▪●·]\s+")
_SEPARATOR = re.compile(r"\u00a0[\u00a0 ]*| {2,}")
_PAIRS = {"(": ")", "[": "]", "„": "“", "“": "”", "«": "»", "‚": "‘"}


@dataclass
class _Piece:
    """A piece of the line and the offset where it starts in the paragraph's text."""

    text: str
    start: int

    def strip(self) -> _Piece:
        stripped = self.text.lstrip()
        start = self.start + len(self.text) - len(stripped)
        return _Piece(stripped.rstrip(), start)

    def cut(self, begin: int, end: int | None = None) -> _Piece:
        return _Piece(self.text[begin:end], self.start + begin).strip()


def clean(text: str) -> str:
    """White space as printed: runs of spaces and no-break spaces become one space."""
    return " ".join(text.split())


class EntryReader:
    """Reads the entries of one document; keeps what the lines before taught it."""

    def __init__(self, language: str, identifier: Identifier, diagnostics: Diagnostics) -> None:
        self.language = language
        self.base = language.split("-")[0]
        self.script = language_script(language)
        self.identifier = identifier
        self.diagnostics = diagnostics

    def warn(self, para: Para, offset: int, message: str, hint: str) -> None:
        self.diagnostics.warning(para.span_at(offset), message, hint, code="import")

    # -- the line ------------------------------------------------------------------------------

    def read(self, para: Para) -> Entry:
        text = para.text
        number = para.number if para.list == "number" else None
        piece = _Piece(text, 0).strip()
        match = _NUMBER.match(text)
        if match and para.list != "number":
            number = int("".join(str(int(d)) for d in match[1]))
            piece = _Piece(text[match.end():], match.end()).strip()
        elif bullet := _BULLET.match(text):  # "• Name, Country": a list without numbers
            piece = _Piece(text[bullet.end():], bullet.end()).strip()
        entry = Entry(name="", lang=self.language, span=para.span, number=number)
        if "\t" in piece.text:
            name = self._cells(para, piece, entry)
        else:
            name = self._abbreviation(para, piece, entry)
            name = self._country(para, name, entry)
        name = self._glosses(para, name, entry)
        entry.name = clean(name.text)
        if not entry.name:
            entry.name = entry.abbreviation or clean(piece.text)
            self.warn(para, piece.start, f"no name found in '{clean(piece.text)}'",
                      "write the entry as 'ABBR  Name (Translation), Country'")
        self._language(para, name, entry)
        return entry

    def _cells(self, para: Para, piece: _Piece, entry: Entry) -> _Piece:
        cells: list[_Piece] = []
        position = 0
        for part in piece.text.split("\t"):
            cell = _Piece(part, piece.start + position).strip()
            position += len(part) + 1
            if cell.text:
                cells.append(cell)
        if cells and cells[0].text.rstrip(".)").isdigit() and entry.number is None:
            entry.number = int(cells.pop(0).text.rstrip(".)"))
        if len(cells) >= 2:
            country = find_country(cells[-1].text, self.language)
            if country is not None:
                self._set_country(entry, cells.pop(), country)
            elif len(cells) >= 3:
                tail = cells.pop()
                entry.country_name = clean(tail.text)
                self.warn(para, tail.start, f"'{entry.country_name}' is not a country CLDR names in "
                          f"'{self.language}': kept as written (country_name)",
                          "if it is a country, write the code in 'country' (ISO 3166-1, such as 'DE')")
        if len(cells) >= 2:
            entry.abbreviation = clean(cells[0].text)
            return _Piece("\t".join(c.text for c in cells[1:]).replace("\t", " "), cells[1].start)
        return cells[0] if cells else piece

    def _abbreviation(self, para: Para, piece: _Piece, entry: Entry) -> _Piece:
        bold = para.bold_prefix()
        if bold and piece.text.startswith(bold) and len(bold) < len(piece.text):
            entry.abbreviation = clean(bold)
            return piece.cut(len(bold))
        separator = _SEPARATOR.search(piece.text)
        if separator and 0 < separator.start() <= 40 and len(piece.text[:separator.start()].split()) <= 6:
            entry.abbreviation = clean(piece.text[:separator.start()])
            return piece.cut(separator.end())
        # No separator: the run of capitals before the first word with small letters.
        tokens = list(re.finditer(r"\S+", piece.text))
        taken = 0
        for token in tokens:
            word = token[0].strip("(),")
            if any(c.islower() for c in word) or not any(c.isalpha() for c in word):
                break
            taken += 1
        if taken == 0 or taken == len(tokens) or sum(c.isalpha() for c in tokens[0][0]) < 2:
            return piece
        abbreviation = piece.text[:tokens[taken - 1].end()]
        rest = piece.cut(tokens[taken].start())
        if not _initials_fit(abbreviation, rest.text):
            self.warn(para, piece.start, f"'{clean(abbreviation)}' taken as the abbreviation: its letters do "
                      "not match the name's initials", "put two spaces (or a tab) between an abbreviation and "
                      "the name, or move it into the name in document.yaml")
        entry.abbreviation = clean(abbreviation)
        return rest

    def _country(self, para: Para, piece: _Piece, entry: Entry) -> _Piece:
        text = piece.text
        for separator in (",", " –", " —", " -"):
            cut = _last_top_level(text, separator)
            if cut is None:
                continue
            tail = piece.cut(cut + len(separator))
            head = piece.cut(0, cut)
            country = find_country(tail.text, self.language)
            if country is not None:
                self._set_country(entry, tail, country)
                return head
            if separator == "," and head.text.endswith(")") and _looks_like_a_place(tail.text):
                entry.country_name = clean(tail.text)
                self.warn(para, tail.start, f"'{entry.country_name}' is not a country CLDR names in "
                          f"'{self.language}': kept as written (country_name)",
                          "if it is a country today, set 'country' to its ISO 3166-1 code (such as 'RS')")
                return head
        return piece

    def _set_country(self, entry: Entry, piece: _Piece, country: Country) -> None:
        entry.country = country.code
        if not country.exact:  # print what the author wrote, not CLDR's form of it
            entry.country_name = clean(piece.text)

    # -- what stands in parentheses after the name ---------------------------------------------------

    def _glosses(self, para: Para, piece: _Piece, entry: Entry) -> _Piece:
        for _ in range(2):
            text = piece.text
            if not text.endswith(")"):
                break
            opening = _opening(text)
            if opening is None or opening == 0:
                break
            head, gloss = piece.cut(0, opening), piece.cut(opening + 1, len(text) - 1)
            if entry.translation is not None:  # before a translation only a romanization may stand
                kind = "romanized" if _romanization(head.text, gloss.text) else "name"
            else:
                kind = self._gloss_kind(para, head, gloss)
            if kind == "romanized" and entry.romanized is None:
                entry.romanized = clean(gloss.text)
            elif kind == "translation" and entry.translation is None and entry.romanized is None:
                entry.translation = clean(gloss.text)
            else:
                break
            piece = head
        return piece

    def _gloss_kind(self, para: Para, head: _Piece, gloss: _Piece) -> str:
        name_script = main_script(_bare(head.text)) or self.script
        gloss_script = main_script(gloss.text) or self.script
        if _romanization(head.text, gloss.text):
            return "romanized"
        if gloss_script != name_script:
            return "translation" if gloss_script == self.script else "name"
        if name_script != self.script:
            return "name"
        name_guess = self.identifier.guess(head.text)
        if name_guess.language == self.base and name_guess.confidence >= 0.5:
            return "name"  # "Communist Party of South Africa (Marxist-Leninist)"
        other = name_guess.language if name_guess.language != self.base else \
            self.identifier.guess(head.text, exclude=[self.base]).language
        # Of the two languages it can be in — the name's and the document's — which is the gloss in?
        gloss_doc = self._share(gloss.text, other)
        name_doc = self._share(head.text, other)
        words_gloss, words_name = len(gloss.text.split()), len(head.text.split())
        translation = gloss_doc > name_doc and words_gloss >= 2 and words_gloss >= words_name / 2
        if translation and gloss_doc >= 0.6 or not translation and gloss_doc < 0.2:
            return "translation" if translation else "name"
        shown = clean(gloss.text)
        if translation:
            self.warn(para, gloss.start, f"'({shown})' taken as the translation of '{clean(head.text)}'",
                      "if it is part of the name, move it into 'name' in document.yaml")
        else:
            self.warn(para, gloss.start, f"'({shown})' taken as part of the name, not as a translation",
                      f"if it translates the name, move it to 'translation: {{{self.base}: …}}'")
        return "translation" if translation else "name"

    def _share(self, text: str, other: str) -> float:
        """How much more ``text`` reads as the document's language than as ``other`` (0 … 1)."""
        ranked = dict(self.identifier.rank(text, among=[self.base, other]))
        return ranked.get(self.base, 0.0) / (sum(ranked.values()) or 1.0)

    # -- the language of the name --------------------------------------------------------------------

    def _language(self, para: Para, name: _Piece, entry: Entry) -> None:
        tagged = para.language_of(name.start, name.start + len(_bare(name.text)))
        if tagged is not None:  # the input says so (Word's w:lang)
            entry.lang = _tag(tagged)
            return
        hints = list(country_languages(entry.country))
        if not hints and entry.translation:
            for code in countries_in(entry.translation, self.language)[:1]:
                hints = list(country_languages(code))
        self.identifier.expect(h for h in hints if language_script(h) == "Latn")
        script = main_script(entry.name) or self.script
        foreign = entry.translation is not None or entry.romanized is not None
        guess = self.identifier.guess(entry.name, prefer=hints, exclude=[self.base] if foreign else [])
        tag, sure = guess.tag, guess.confidence >= 0.6
        if script == self.script and not foreign:
            # No gloss: the author expected readers of the document to read the name as it is.
            if guess.language != self.base and guess.confidence >= 0.9:
                tag, sure = guess.tag, True
            else:
                tag, sure = self.language, guess.language == self.base or guess.confidence < 0.75
        elif script == "Latn" and guess.confidence < 0.95:
            # A Latin name from a country whose languages are written in another script: a romanization.
            others = [h for h in hints if language_script(h) != "Latn"]
            latin = [h for h in hints if language_script(h) == "Latn" and h.split("-")[0] == guess.language]
            if others and not latin:
                tag, sure = f"{others[0].split('-')[0]}-Latn", False
        entry.lang = tag
        if not sure:
            self.warn(para, name.start, f"the language of '{entry.name}' is a guess: '{tag}'",
                      "set 'lang' to the name's BCP 47 tag (such as 'fr', or 'ru-Latn' for Russian in Latin "
                      "letters)")


def _last_top_level(text: str, separator: str) -> int | None:
    """The index of the last ``separator`` outside brackets and quotation marks."""
    depth: list[str] = []
    found = None
    for index, char in enumerate(text):
        if depth and char == _PAIRS[depth[-1]]:
            depth.pop()
        elif char in _PAIRS and not (char == "“" and depth and depth[-1] == "„"):
            depth.append(char)
        elif not depth and text.startswith(separator, index) and (separator != "," or text[index + 1:index + 2] == " "):
            if separator == "," or text[index + len(separator):index + len(separator) + 1] == " ":
                found = index
    return found


def _opening(text: str) -> int | None:
    """The index of the '(' that the final ')' of ``text`` closes."""
    depth = 0
    for index in range(len(text) - 1, -1, -1):
        if text[index] == ")":
            depth += 1
        elif text[index] == "(":
            depth -= 1
            if depth == 0:
                return index
    return None


def _looks_like_a_place(text: str) -> bool:
    words = text.split()
    return 0 < len(words) <= 5 and text[:1].isupper() and not text.endswith((".", "!", "?"))


def _tag(tag: str) -> str:
    """A language tag from the input, canonical and without its region ("fr-FR" → "fr")."""
    try:
        language = parse_language(tag)
    except LanguageTagError:
        return tag
    explicit = language.script if f"-{language.script.lower()}" in tag.lower() else None
    return "-".join(p for p in (language.language, explicit) if p)


def _bare(text: str) -> str:
    """A name without the parenthesised groups at its end (a romanization before a translation)."""
    while text.endswith(")") and (opening := _opening(text)):
        text = text[:opening].rstrip()
    return text


def _romanization(name: str, gloss: str) -> bool:
    """Whether ``gloss`` is the Latin transliteration of a name in another script."""
    script = main_script(name)
    if script in (None, "Latn") or main_script(gloss) != "Latn":
        return False
    latin = anyascii(name)
    similarity = _similar(latin, gloss)
    if script in ("Arab", "Hebr", "Syrc", "Thaa"):  # abjads write few vowels: compare the consonants
        similarity = max(similarity, _similar(re.sub(r"[aeiouy]", "", latin, flags=re.I),
                                              re.sub(r"[aeiouy]", "", gloss, flags=re.I)))
    return similarity >= 0.8


def _similar(a: str, b: str) -> float:
    return SequenceMatcher(None, a.casefold(), b.casefold()).ratio()


def _initials_fit(abbreviation: str, name: str) -> bool:
    """Whether the capitals of ``abbreviation`` are initials of the name's words, in order."""
    letters = [c for c in anyascii(re.sub(r"\(.*?\)", "", abbreviation)).upper() if c.isalpha()]
    initials = [w[0].upper() for w in re.split(r"[\s\-–/]+", anyascii(name)) if w and w[0].isalpha()]
    position = 0
    for letter in letters:
        while position < len(initials) and initials[position] != letter:
            position += 1
        if position == len(initials):
            return False
        position += 1
    return bool(letters)
