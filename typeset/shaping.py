"""Shaping with HarfBuzz: what setting a text takes from a font, for font subsets and the preflight.

A shaper does not look up only the characters of a text. It first decomposes some of them —
Unicode's canonical decompositions (Tamil ொ into ெ + ா, Bengali ৌ into ে + ৗ), and, without
Unicode's help, Thai and Lao SARA AM (ำ into ํ + า) and the Khmer split vowels (ើ into េ + ើ) —,
looks up its script's virama, mirrors brackets in right-to-left text, draws an invisible
character with the space glyph, and puts a mark that has nothing to sit on onto a dotted circle
(U+25CC). A font subset that keeps only the text's own characters draws these as boxes or
dotted circles in Word, LibreOffice and browsers, which shape the text themselves, although a
PDF made from the whole font is right.

In: characters and runs of text; font files' bytes. Out:

- :func:`cmap_closure`: every code point a shaper may look up in a font's ``cmap`` to set some
  characters — what the subsets of the DOCX and HTML editions keep;
- :func:`subset`: a font cut down by HarfBuzz (hb-subset) to that closure, to the glyphs
  HarfBuzz draws the given runs with, and to every glyph the kept layout features reach;
- :func:`needs_shaping` and :func:`words_to_shape`: whether a text holds anything shaping can get
  wrong (a combining mark, a character a shaper splits), and its words that do;
- :class:`Shaper`: a text shaped in a face, with the ``.notdef`` glyphs and the dotted circles
  the text did not ask for, cluster by cluster — what the shaping preflight reports.

Which code points HarfBuzz looks up is learnt from HarfBuzz itself: each character is shaped
alone with a font that has every glyph and records the code points it is asked for (and, for a
character the font lacks, with a font that lacks it, which shows the fallbacks). Decompositions
of other shapers and of older HarfBuzz versions, which LibreOffice and browsers may carry, are
added from a table.
"""

from __future__ import annotations

import threading
import unicodedata
from collections.abc import Callable, Collection, Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Literal

import uharfbuzz as hb

DOTTED_CIRCLE = 0x25CC

# Decompositions shapers make that Unicode's canonical ones do not give, or give in another form.
# HarfBuzz's Thai shaper splits SARA AM (Thai and Lao) before it looks glyphs up; its Khmer shaper
# splits the Khmer two-part vowels "Khmer-style", as Uniscribe does: the pre-base part, then the
# vowel itself. HarfBuzz 1.x and 2.x (still in some LibreOffice and browser builds) also split
# Tibetan vowels that only have compatibility decompositions, the Limbu and Balinese two-part
# vowels, and, like Uniscribe, the Sinhala ones Khmer-style.
_SPLITS: dict[int, tuple[int, ...]] = {
    0x0E33: (0x0E4D, 0x0E32),  # THAI CHARACTER SARA AM -> NIKHAHIT + SARA AA
    0x0EB3: (0x0ECD, 0x0EB2),  # LAO VOWEL SIGN AM -> NIGGAHITA + AA
    **{code: (0x17C1, code) for code in (0x17BE, 0x17BF, 0x17C0, 0x17C4, 0x17C5)},  # Khmer: + E
    0x0F77: (0x0FB2, 0x0F81),
    0x0F79: (0x0FB3, 0x0F81),
    0x1925: (0x1920, 0x1923),
    0x1926: (0x1920, 0x1924),
    0x1B3C: (0x1B42, 0x1B3C),
    **{code: (0x0DD9, code) for code in (0x0DDA, 0x0DDC, 0x0DDD, 0x0DDE)},  # Sinhala: KOMBUVA +
}

# What HarfBuzz draws, when a font lacks a character, with the glyph of another (hb-ot-shape-normalize):
# a space of another width with the space glyph, the non-breaking hyphen with the hyphen.
_FALLBACKS: dict[int, tuple[int, ...]] = {0x2011: (0x2010, 0x002D), 0x2007: (0x0020, 0x0030), 0x2008: (0x0020, 0x002E)}

# Code points HarfBuzz asks a font for only when the font has no layout tables for the script —
# Arabic presentation forms, the private-use glyphs of old Thai fonts (for each Thai mark) —; a
# subset of a font with layout tables does not need them.
_TABLELESS_FALLBACK = ((0xE000, 0xF8FF), (0xFB50, 0xFDFF), (0xFE70, 0xFEFF))

# Characters that never belong to a cluster of the characters around them, where a text can be
# cut into words without changing how it shapes: NBSP, dashes and U+25CC are bases a mark may
# sit on, a space is not.
_WORD_BREAKS = " \t\n\r"

# Thai and Lao consonants: the letters their marks and SARA AM sit on.
_THAI_LAO_CONSONANTS = frozenset([*range(0x0E01, 0x0E2F), *range(0x0E81, 0x0EAF), *range(0x0EDC, 0x0EE0)])


# -- which code points a shaper looks up -----------------------------------------------------------


class _Probe:
    """A font with no tables whose ``cmap`` lookups are recorded: it has every glyph (glyph id = code
    point), or every glyph but those of ``missing``."""

    def __init__(self) -> None:
        self.asked: list[int] = []
        self.missing: frozenset[int] = frozenset()
        self.funcs = hb.FontFuncs()
        self.funcs.set_nominal_glyph_func(self._nominal, None)
        self.lock = threading.Lock()

    def _nominal(self, font: hb.Font, code: int, data: None) -> int:
        self.asked.append(code)
        return 0 if code in self.missing else code

    def lookups(self, text: str, direction: str | None = None, missing: frozenset[int] = frozenset()) -> set[int]:
        """The code points HarfBuzz asks the font for when it shapes ``text`` alone.

        It is shaped twice with a new face. What HarfBuzz asks for the second time is what this
        text needs. What it asked only the first time, it asks once per shape plan: the virama of
        an Indic script (canonical combining class 9), which it asks a real font for too, and kept;
        and, because the probe has no layout tables, the letters, marks and presentation forms of
        the fallback it builds for Arabic fonts without them, which it never asks a font with
        layout tables for, and dropped.
        """
        with self.lock:
            self.missing = missing
            font = hb.Font(hb.Face(b""))
            font.funcs = self.funcs
            passes = []
            for _ in range(2):
                self.asked = []
                buffer = hb.Buffer()
                buffer.add_str(text)
                buffer.guess_segment_properties()
                if direction:
                    buffer.direction = direction
                hb.shape(font, buffer, {})
                passes.append(set(self.asked))
            first, second = passes
            return second | {code for code in first - second if unicodedata.combining(chr(code)) == 9}


_PROBE = _Probe()


def _tableless(code: int) -> bool:
    return any(low <= code <= high for low, high in _TABLELESS_FALLBACK)


@cache
def _canonical_parts(code: int) -> tuple[int, ...]:
    """Every code point of the character's canonical decomposition, each intermediate step included
    (Kannada ೋ is ೊ + ೕ, and ೊ is ೆ + ೂ: a shaper may stop at ೊ). Hangul syllables, decomposed by
    rule rather than by mapping, are left to the fallback probe: a shaper takes them apart only
    when the font lacks them."""
    mapping = unicodedata.decomposition(chr(code))
    if not mapping or mapping.startswith("<"):
        return ()
    parts: list[int] = []
    for part in (int(hex_, 16) for hex_ in mapping.split()):
        parts += [part, *_canonical_parts(part)]
    return tuple(dict.fromkeys(parts))


@cache
def _lookups(code: int) -> frozenset[int]:
    """What a shaper may look up to set the character (when the font has it), the character included."""
    char = chr(code)
    found = _PROBE.lookups(char)
    if unicodedata.mirrored(char):
        found |= _PROBE.lookups(char, "rtl")
    found |= {code, *_canonical_parts(code), *_SPLITS.get(code, ())}
    return frozenset(c for c in found if c and not _tableless(c))


@cache
def _fallback_lookups(code: int) -> frozenset[int]:
    """What a shaper looks up instead when the font lacks the character: its full decomposition (a
    Hangul syllable's jamo, é's e + ◌́), the space for another space, the hyphen for U+2011."""
    found = _PROBE.lookups(chr(code), missing=frozenset({code}))
    found |= {*map(ord, unicodedata.normalize("NFD", chr(code))), *_FALLBACKS.get(code, ())}
    if unicodedata.category(chr(code)) == "Zs":
        found.add(0x0020)
    return frozenset(c for c in found if c and c != code and not _tableless(c))


def _is_mark(code: int) -> bool:
    return unicodedata.category(chr(code)) in ("Mn", "Mc", "Me")


def _compositions(codes: set[int]) -> set[int]:
    """The characters a base and a mark of ``codes`` compose into (e + ◌́ → é): a shaper draws the
    composed character when the font has it, so a subset made for decomposed text needs it too.
    ``codes`` are the text's own characters: the parts of a precomposed letter compose back into it
    only."""
    marks = [chr(c) for c in codes if _is_mark(c)]
    if not marks:
        return set()
    found: set[int] = set()
    bases = [chr(c) for c in codes if not _is_mark(c)]
    while bases:
        new = []
        for base in bases:
            for mark in marks:
                composed = unicodedata.normalize("NFC", base + mark)
                if len(composed) == 1 and ord(composed) not in codes and ord(composed) not in found:
                    found.add(ord(composed))
                    new.append(composed)  # ệ is ẹ + ◌̂, and ẹ is e + ◌̣
        bases = new
    return found


def cmap_closure(chars: Iterable[str], cmap: Collection[int] | None = None) -> frozenset[int]:
    """Every code point a shaper may look up in a font's ``cmap`` to set ``chars``.

    The characters; their canonical decompositions, every step; the splits of :data:`_SPLITS`;
    whatever HarfBuzz looks up when it shapes each of them (the virama of its script, the mirror
    image of a bracket, the space for an invisible character); the characters a base and a mark
    of ``chars`` compose into; U+25CC DOTTED CIRCLE if there is a mark; and, for a character that
    ``cmap`` (the font's code points, if given) lacks, what a shaper looks up instead. Closed:
    the parts of the parts are in it too.
    """
    wanted: set[int] = set()
    pending = [ord(c) for text in chars for c in text]
    own = set(pending)
    while pending:
        code = pending.pop()
        if code in wanted:
            continue
        wanted.add(code)
        pending += _lookups(code) - wanted
        if cmap is not None and code not in cmap:
            pending += _fallback_lookups(code) - wanted
    composed = _compositions(own) - wanted
    wanted |= composed.union(*(_lookups(code) for code in composed))
    if any(_is_mark(c) for c in wanted):
        wanted.add(DOTTED_CIRCLE)
    return frozenset(wanted)


# -- what may go wrong -----------------------------------------------------------------------------


def _risky(char: str) -> bool:
    """A combining mark (the Indic two-part vowels are marks), or a character a shaper splits without
    Unicode's help (SARA AM): what can make a broken cluster, or a box in a font that has the
    character but not its parts. A precomposed letter (é) cannot: a shaper takes it apart only when
    the font lacks it, and then draws its parts if the font has them."""
    code = ord(char)
    return _is_mark(code) or code in _SPLITS


# The characters :func:`_risky` has answered for, so that a text is judged with set operations.
_SAFE: set[str] = set()
_RISKY: set[str] = set()


def needs_shaping(text: str) -> bool:
    """Whether shaping may draw ``text`` otherwise than character by character (marks, split vowels)."""
    chars = set(text)
    if chars <= _SAFE:
        return False
    if not chars.isdisjoint(_RISKY):
        return True
    for char in chars - _SAFE:
        (_RISKY if _risky(char) else _SAFE).add(char)
    return not chars.isdisjoint(_RISKY)


def _joins(char: str) -> bool:
    """Whether the character belongs to the cluster before it (marks, joiners, variation selectors)."""
    code = ord(char)
    return (unicodedata.category(char) in ("Mn", "Mc", "Me") or code in (0x200C, 0x200D)
            or 0xFE00 <= code <= 0xFE0F or 0xE0100 <= code <= 0xE01EF)


def clusters(text: str) -> Iterator[str]:
    """``text`` cut into clusters as font fallback sees them: a character with the marks, joiners and
    variation selectors after it, and the character after a zero-width joiner where it is of the
    cluster's script or of none (an emoji sequence, a Devanagari half form), not where a font
    fallback changes fonts anyway (an apostrophe, a joiner, then an Arabic letter)."""
    from typeset.model.language import script_of

    start = 0
    for index in range(1, len(text)):
        if _joins(text[index]):
            continue
        if text[index - 1] == "\u200d" and _same_script(script_of(text[index]), text[start:index], script_of):
            continue
        yield text[start:index]
        start = index
    if text:
        yield text[start:]


_SCRIPTLESS = frozenset({"Zyyy", "Zinh", "Zzzz"})


def _same_script(script: str, cluster: str, script_of: Callable[[str], str]) -> bool:
    """Whether a character of ``script`` continues ``cluster``: it has no script of its own, or the
    cluster's first character with one has the same (a cluster of none takes only another such)."""
    if script in _SCRIPTLESS:
        return True
    return next((own for own in map(script_of, cluster) if own not in _SCRIPTLESS), "Zyyy") == script


def words_to_shape(text: str) -> set[str]:
    """The distinct words of ``text`` that :func:`needs_shaping`, cut where no cluster can span."""
    if not needs_shaping(text):
        return set()
    for space in _WORD_BREAKS[1:]:
        text = text.replace(space, " ")
    return {word for word in set(text.split(" ")) if word and needs_shaping(word)}


# -- subsets ------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Subset:
    """A font cut down: the OpenType file, and the code points its ``cmap`` maps."""

    data: bytes
    codepoints: frozenset[int]


def subset(data: bytes, chars: Iterable[str], runs: Iterable[str] = (), *, features: Iterable[str] | None = None,
           all_names: bool = False, desubroutinize: bool = False) -> Subset:
    """HarfBuzz's subset of the font ``data`` (an OpenType file): the glyphs of :func:`cmap_closure`
    of ``chars`` that the font maps, those HarfBuzz draws each of ``runs`` with in it, and every
    glyph a kept layout feature reaches from them; no hinting; ``.notdef`` with its outline.
    The ``cmap`` of the subset maps the closure (and the mirror images of what it maps): a browser
    looks a character up in a web font only if the font's ``unicode-range`` has it, so the range
    must be these code points, not only the text's.

    ``features``: the layout features to keep (default: every one); ``all_names``: every name
    record, Macintosh ones too (default: IDs 0–6 in English); ``desubroutinize``: CFF charstrings
    written out in full (a compressed file is smaller so).
    """
    face = hb.Face(hb.Blob(data))
    cmap = frozenset(face.unicodes)
    kept = cmap_closure(chars, cmap) & cmap
    request = hb.SubsetInput()
    request.unicode_set.update(sorted(kept))
    glyphs = shaped_glyphs(face, runs)
    if glyphs:
        request.glyph_set.update(sorted(glyphs))
    chosen = request.sets(hb.SubsetInputSets.LAYOUT_FEATURE_TAG)
    chosen.clear()
    if features is None:
        chosen.invert()  # all of them
    else:
        chosen.update(sorted(map(_tag, features)))
    flags = hb.SubsetFlags.NO_HINTING | hb.SubsetFlags.NOTDEF_OUTLINE
    if all_names:
        for kind in (hb.SubsetInputSets.NAME_ID, hb.SubsetInputSets.NAME_LANG_ID):
            names = request.sets(kind)
            names.clear()
            names.invert()
        flags |= hb.SubsetFlags.NAME_LEGACY
    if desubroutinize:
        flags |= hb.SubsetFlags.DESUBROUTINIZE
    request.flags = flags
    result = hb.subset(face, request)
    if result is None:
        raise ValueError("HarfBuzz could not subset the font")
    return Subset(bytes(result.blob.data), frozenset(result.unicodes))


@cache
def library_versions() -> str:
    """The versions of what makes a subset (HarfBuzz, uharfbuzz, fontTools): part of the key of a
    subset in the persistent cache, since another version may cut a font otherwise."""
    import fontTools

    return f"harfbuzz {hb.version_string()} uharfbuzz {getattr(hb, '__version__', '?')} fonttools {fontTools.version}"


def _tag(tag: str) -> int:
    return int.from_bytes(tag.encode("ascii").ljust(4, b" "), "big")


def default_features() -> frozenset[str]:
    """The layout features hb-subset keeps unless told otherwise (those shapers apply by default)."""
    return frozenset(_tag_name(t) for t in hb.SubsetInput().sets(hb.SubsetInputSets.LAYOUT_FEATURE_TAG))


def _tag_name(tag: int) -> str:
    return tag.to_bytes(4, "big").decode("latin-1")


def shaped_glyphs(face: hb.Face, runs: Iterable[str]) -> set[int]:
    """The glyph ids HarfBuzz draws each run with in ``face`` (script and direction guessed per run)."""
    font = None
    glyphs: set[int] = set()
    for run in runs:
        if font is None:
            font = hb.Font(face)
        buffer = hb.Buffer()
        buffer.add_str(run)
        buffer.guess_segment_properties()
        hb.shape(font, buffer, {})
        glyphs.update(info.codepoint for info in buffer.glyph_infos)
    return glyphs


# -- shaping a text in a face: the preflight -----------------------------------------------------------


Kind = Literal["notdef", "dotted-circle", "orphan"]


@dataclass(frozen=True, slots=True)
class Flaw:
    """A cluster of a shaped text that prints wrong: ``text[start:end]`` (``index``: the character to
    blame) drawn with ``.notdef`` (a box), on a dotted circle the text did not ask for, or (Thai and
    Lao, whose shaper draws no dotted circle) a mark with no consonant under it."""

    kind: Kind
    start: int
    end: int
    index: int


@dataclass(frozen=True, slots=True)
class _Font:
    font: hb.Font
    cmap: frozenset[int]
    dotted_circle: int | None


class Shaper:
    """Texts shaped in font files with HarfBuzz; each distinct (file, text, language) once.

    ``read`` gives a font file's bytes (:meth:`typeset.world.World.read_bytes`)."""

    def __init__(self, read: Callable[[Path], bytes]) -> None:
        self.read = read
        self.fonts: dict[Path, _Font] = {}
        self.cache: dict[tuple[Path, str, str], tuple[Flaw, ...]] = {}

    def font(self, path: Path) -> _Font:
        if path not in self.fonts:
            face = hb.Face(hb.Blob(self.read(path)))
            font = hb.Font(face)
            self.fonts[path] = _Font(font, frozenset(face.unicodes), font.get_nominal_glyph(DOTTED_CIRCLE))
        return self.fonts[path]

    def cmap(self, path: Path) -> frozenset[int]:
        return self.font(path).cmap

    def flaws(self, path: Path, text: str, language: str = "") -> tuple[Flaw, ...]:
        """What prints wrong when ``text`` (one script) is shaped in the font at ``path``."""
        key = (path, text, language)
        if key not in self.cache:
            self.cache[key] = self._flaws(self.font(path), text, language)
        return self.cache[key]

    def _flaws(self, font: _Font, text: str, language: str) -> tuple[Flaw, ...]:
        buffer = hb.Buffer()
        buffer.add_str(text)
        buffer.guess_segment_properties()
        if language:
            buffer.language = language
        # Each glyph keeps the index of the character it comes from: an inserted dotted circle that
        # of the mark it carries, the two halves of SARA AM that of SARA AM.
        buffer.cluster_level = hb.BufferClusterLevel.CHARACTERS
        script = buffer.script
        hb.shape(font.font, buffer, {})
        found: dict[int, Kind] = {}
        for info in buffer.glyph_infos:
            if info.codepoint == 0:
                found[info.cluster] = "notdef"
            elif info.codepoint == font.dotted_circle and text[info.cluster] != chr(DOTTED_CIRCLE):
                found.setdefault(info.cluster, "dotted-circle")
        if script in ("Thai", "Laoo"):
            for index in _orphans(text):
                found.setdefault(index, "orphan")
        bounds = []
        start = 0
        for cluster in clusters(text):
            bounds.append((start, start + len(cluster)))
            start += len(cluster)
        return tuple(Flaw(kind, *next(b for b in bounds if b[0] <= index < b[1]), index)
                     for index, kind in sorted(found.items()))


def _orphans(text: str) -> Iterator[int]:
    """The Thai and Lao marks (and SARA AM, whose first half is one) with no consonant before them, the
    first of each cluster: HarfBuzz's Thai shaper draws them over whatever came before, Word on a
    dotted circle."""
    for index, char in enumerate(text):
        code = ord(char)
        if not (_is_mark(code) or code in (0x0E33, 0x0EB3)) or index and _is_mark(ord(text[index - 1])):
            continue
        base = ord(text[index - 1]) if index else None
        if base not in _THAI_LAO_CONSONANTS and base not in (DOTTED_CIRCLE, 0x00A0):
            yield index


def split_parts(code: int) -> tuple[int, ...]:
    """The parts a shaper splits the character into, first step (empty if none): for messages."""
    mapping = unicodedata.decomposition(chr(code))
    return _SPLITS.get(code) or (() if mapping.startswith("<") else tuple(int(h, 16) for h in mapping.split()))
