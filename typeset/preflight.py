"""Glyph preflight: every character an edition will print, checked against its fonts first.

In: a loaded document (its printed strings, each with its language and position), the bundled
fonts, the layout, and how to read font files. Out: diagnostics — an error at ``path:line:col``
for each character that no font of its language's stack has (it would print as a box), an error
for each cluster that shaping draws with a box or on a dotted circle the text did not ask for (a
vowel sign with no consonant before it), a warning for each fixed word the layout lacks in an
edition's language — and the editions that must not be written.

The shaping check sets each printed word that shaping may draw otherwise than character by
character (combining marks, characters a shaper splits: :func:`typeset.shaping.needs_shaping`)
as the renderers do: cut where its script changes, each cluster in the first family of its
language's stack that has all of it, shaped with HarfBuzz in that family's regular face. Other
words cannot break, and each distinct word is shaped once.

Generated text is checked too: the date, CLDR's country names, the layout's fixed words and
the digits of the edition's numbering system, reported at the edition's language in
``document.yaml``.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from typeset.diagnostics import Diagnostics, Span
from typeset.fonts import Family, FontSet
from typeset.layout import Layout
from typeset.model.edition import make_edition
from typeset.model.language import Language, parse_language, script_name, script_of
from typeset.model.localize import digits
from typeset.model.scripts import script_runs
from typeset.shaping import DOTTED_CIRCLE, Kind, Shaper, clusters, needs_shaping, split_parts
from typeset.source.loader import Loaded


@dataclass
class Preflight:
    diagnostics: Diagnostics = field(default_factory=Diagnostics)
    refused: set[str] = field(default_factory=set)  # editions that would print a box


def _ignorable(char: str) -> bool:
    """Characters that need no glyph: spaces, controls, joiners, bidi marks, soft hyphens."""
    return char.isspace() or unicodedata.category(char) in ("Cc", "Cf", "Zl", "Zp")


class _Checker:
    def __init__(self, fonts: FontSet) -> None:
        self.fonts = fonts
        self.cache: dict[tuple[str, str], bool] = {}

    def has(self, language: Language, char: str) -> bool:
        key = (language.tag, char)
        if key not in self.cache:
            self.cache[key] = self.fonts.resolve("serif", language, char) is not None
        return self.cache[key]

    def missing(self, text: str, language: Language) -> list[tuple[int, str]]:
        """Each character of ``text`` no font of ``language`` has, with its index. Each distinct
        character is looked up once; the text is walked again only when one is missing."""
        absent = {c for c in set(text) if not _ignorable(c) and not self.has(language, c)}
        return [(i, c) for i, c in enumerate(text) if c in absent] if absent else []


@dataclass(frozen=True, slots=True)
class _Broken:
    """A cluster that prints wrong: ``cluster`` at ``start`` of the text, ``index`` the character to
    blame, set in ``family``, whose font lacks ``lacking`` (for a box)."""

    kind: Kind
    start: int
    cluster: str
    index: int
    family: str
    lacking: tuple[int, ...]

    def shifted(self, by: int) -> _Broken:
        return _Broken(self.kind, self.start + by, self.cluster, self.index + by, self.family, self.lacking)


# No cluster spans a space (a mark after one is broken either way): a text is shaped word by word.
_SPACES = str.maketrans("\t\n\r", "   ")


class _ShapingChecker:
    """Shapes words in the faces they will be set in; each distinct (language, word) once."""

    def __init__(self, fonts: FontSet, read: Callable[[Path], bytes]) -> None:
        self.fonts = fonts
        self.shaper = Shaper(read)
        self.families: dict[tuple[str, str], Family | None] = {}
        self.words: dict[str, dict[str, tuple[_Broken, ...]]] = {}  # language -> word -> clusters

    def broken(self, text: str, language: Language) -> list[_Broken]:
        """Every cluster of ``text`` that prints wrong in ``language``'s fonts, in text order."""
        if not needs_shaping(text):
            return []
        known = self.words.setdefault(language.tag, {})
        found = []
        offset = 0
        for word in text.translate(_SPACES).split(" "):
            broken = known.get(word)
            if broken is None:
                broken = known[word] = self._word(word, language) if needs_shaping(word) else ()
            if broken:
                found += [b.shifted(offset) for b in broken]
            offset += len(word) + 1
        return found

    def _word(self, word: str, language: Language) -> tuple[_Broken, ...]:
        found: list[_Broken] = []
        offset = 0
        for chunk, _script in script_runs(word, language.script):
            pieces: list[tuple[Family | None, str]] = []
            for cluster in clusters(chunk):
                family = self._family(language, cluster)
                if pieces and pieces[-1][0] == family:
                    pieces[-1] = (family, pieces[-1][1] + cluster)
                else:
                    pieces.append((family, cluster))
            for family, piece in pieces:
                if family is not None and needs_shaping(piece):
                    path = family.regular.path
                    cmap = self.shaper.cmap(path)
                    for flaw in self.shaper.flaws(path, piece, language.tag):
                        char = ord(piece[flaw.index])
                        lacking = tuple(c for c in (char, *split_parts(char)) if c not in cmap)
                        found.append(_Broken(flaw.kind, offset + flaw.start, piece[flaw.start:flaw.end],
                                             offset + flaw.index, family.name, lacking))
                offset += len(piece)
        return tuple(found)

    def _family(self, language: Language, cluster: str) -> Family | None:
        """The family a renderer sets the cluster in: the first of the stack that has all of it,
        else the one that has its first character (None: no font has it, reported already)."""
        key = (language.tag, cluster)
        if key not in self.families:
            visible = "".join(c for c in cluster if not _ignorable(c))
            stack = self.fonts.stack("serif", language)
            name = next((f for f in stack if self.fonts.covers(f, visible)), None)
            self.families[key] = (self.fonts.family(name) if name
                                  else self.fonts.resolve("serif", language, visible[:1] or cluster[:1]))
        return self.families[key]


def _sign(char: str) -> str:
    """What kind of sign a character is, for a message: "a vowel sign", "a virama", …"""
    name = unicodedata.name(char, "")
    if any(word in name for word in ("VIRAMA", "AL-LAKUNA", "COENG", "ASAT", "HALANT")):
        return "a virama"
    if "NUKTA" in name:
        return "a nukta"
    if "VOWEL" in name or "SARA" in name:
        return "a vowel sign"
    if 0x0E48 <= ord(char) <= 0x0E4B or 0x0EC8 <= ord(char) <= 0x0ECB or "TONE" in name:
        return "a tone mark"
    return "a combining mark" if unicodedata.category(char).startswith("M") else "a sign"


def _code_points(codes: tuple[int, ...]) -> str:
    return " + ".join(f"U+{code:04X}" for code in codes)


def _broken_message(broken: _Broken, text: str) -> tuple[str, str]:
    """The message and the hint for a cluster that prints wrong."""
    char = text[broken.index]
    shown = f"'{broken.cluster}'" if broken.cluster.strip() else repr(broken.cluster)
    if broken.kind == "notdef":
        parts = split_parts(ord(char))
        if parts and ord(char) not in broken.lacking and broken.lacking:
            why = (f"{_describe(char)} prints as a box in {broken.family}: shaping splits it into "
                   f"{_code_points(parts)}, and the font has no {_code_points(broken.lacking)}")
        else:
            why = f"{shown} prints as a box in {broken.family}: the font cannot draw what shaping makes of it"
        return why, ("use a font that has every part (see fonts/README.md) or write the text another way; "
                     "'build --allow-missing-glyphs' writes the edition anyway, with a box")
    before = text[broken.index - 1] if broken.index > 0 else ""
    kind = _sign(char)
    if not before or not unicodedata.category(before).startswith(("L", "M")) or script_of(before) != script_of(char):
        reason = f"{kind} with no consonant before it"
    else:
        reason = f"{kind} that cannot follow {_describe(before)}"
    effect = ("it prints on a dotted circle" if broken.kind == "dotted-circle"
              else "it has nothing to sit on (readers draw it over the character before it, or on a dotted circle)")
    where = "" if broken.cluster == char else f" {shown}"
    return (f"broken cluster{where}: {_describe(char)} is {reason}; {effect}",
            f"write the consonant it belongs to before it, or leave it out (to show the sign on its own, write "
            f"U+25CC DOTTED CIRCLE before it: '{chr(DOTTED_CIRCLE)}{char}'); "
            "'build --allow-missing-glyphs' writes the edition anyway")


def _describe(char: str) -> str:
    script = script_of(char)
    name = unicodedata.name(char, "unnamed")
    where = f", {script_name(script)} script" if script not in ("Zyyy", "Zinh", "Zzzz") else ""
    return f"'{char}' (U+{ord(char):04X} {name}{where})"


_HINT = ("add a font that has it to fonts/ (see fonts/README.md) or correct the character; "
         "'build --allow-missing-glyphs' writes the edition anyway, with a box")


def preflight(loaded: Loaded, fonts: FontSet, layout: Layout,
              read: Callable[[Path], bytes] = Path.read_bytes) -> Preflight:
    """Check every printed string of ``loaded`` against the fonts it will be set in; ``read`` gives a
    font file's bytes (the build's :meth:`~typeset.world.World.read_bytes`)."""
    result = Preflight()
    document = loaded.document
    if document is None:
        return result
    checker = _Checker(fonts)
    shaping = _ShapingChecker(fonts, read)
    tags = [language.tag for language in document.languages]
    for site in loaded.sites:
        editions = _editions(site.editions, tags)
        if not editions:
            continue
        language = parse_language(site.language)
        for index, char in checker.missing(site.text, language):
            result.diagnostics.error(site.span_at(index), f"no bundled font has {_describe(char)} for "
                                     f"'{language.tag}' text", _HINT, code="glyph")
            result.refused.update(editions)
        for broken in shaping.broken(site.text, language):
            message, hint = _broken_message(broken, site.text)
            result.diagnostics.error(site.span_at(broken.index), message, hint, code="glyph")
            result.refused.update(editions)
    for language in document.languages:
        span = loaded.language_spans.get(language.tag, Span(loaded.path))
        edition = make_edition(document, language.tag)
        generated = {
            "the date": edition.date_text,
            "the digits": digits(edition.numerals),
            "a country name": " ".join(entry.country or "" for entry in edition.entries),
            "the layout's fixed words": " ".join(layout.message(key, language)
                                                 for key in layout.messages.get("en", {})),
        }
        for what, text in generated.items():
            for char in dict.fromkeys(c for _, c in checker.missing(text, language)):
                result.diagnostics.error(span, f"no bundled font has {_describe(char)}, needed for {what} "
                                         f"of the '{language.tag}' edition", _HINT, code="glyph")
                result.refused.add(language.tag)
            for broken in shaping.broken(text, language):
                message, hint = _broken_message(broken, text)
                result.diagnostics.error(span, f"{message}, in {what} of the '{language.tag}' edition", hint,
                                         code="glyph")
                result.refused.add(language.tag)
        for key in layout.missing_messages(language):
            result.diagnostics.warning(
                span, f"layout '{layout.name}' has no '{language.tag}' text for '{key}'; English is used",
                f"add a [{language.tag}] section to {layout.root / 'messages.toml'}", code="layout-words")
    return result


def _editions(wanted: tuple[str, ...] | None, tags: list[str]) -> list[str]:
    if wanted is None:
        return tags
    return [tag for tag in tags if tag in wanted or tag.split("-")[0] in wanted]
