"""An exact PDF text layer for WeasyPrint: ``/ActualText`` marked content where glyphs mislead.

WeasyPrint 70 draws every script correctly, but gives each glyph one ToUnicode entry, taken
from the first cluster the glyph appears in (``Font.to_unicode``: the cluster's whole text on its
last glyph, nothing on the others; first use wins). Text extraction, search and copy-paste then
go wrong wherever a cluster has several glyphs (Indic conjuncts and vowel signs, a base with a
combining mark), its glyphs are reordered (the Devanagari i-matra ि is drawn before its
consonant), a mark is drawn over its base with no advance of its own (Thai, Indic, combining
accents), or a glyph serves in several contexts: "श्रमिकों … विप्लव" extracts as
"श्र मिकों … विप्लवि".

:func:`exact_text_layer` fixes the text layer without changing what is drawn. For the duration
of a render it wraps WeasyPrint's ``draw_first_line`` (module ``weasyprint.draw.text``; SVG text
goes through it too). The original runs unchanged and writes its operators; the wrapper then reads
the line's glyph clusters back from Pango (a cluster is the glyphs sharing one ``log_clusters``
value; its text runs from that value to the next larger one, so glyph order, visual or reversed,
does not matter), decides where the plain ToUnicode reading would be wrong, matches the line's
``TJ`` operators glyph for glyph against Pango's glyphs, and wraps the glyphs concerned in ::

    /Span <</ActualText <FEFF…>>> BDC  [<…>] TJ  EMC

with the text in logical order, UTF-16BE with a byte-order mark, as a hex string. A ``TJ`` is
only cut between two of its elements (a hex string between two glyph codes), which moves
nothing: the text matrix runs on from one ``TJ`` to the next exactly as inside one. Kerning,
offsets, text rise (its ``Ts`` operators may sit inside a span) and emoji images are untouched.
The spans lie inside the text object (``BT … ET``) and inside the ``/Span <</MCID n>> BDC … EMC``
of WeasyPrint's own tagging (``pdf_tags``, PDF/UA), so all marked content stays balanced.

Granularity:

- Left-to-right text: one span per *word* (the clusters between two white-space glyphs, across
  font changes) that contains a misread cluster; other words are left alone. Per cluster would
  be finer for selection, but a reader places a span's text over the extent from its first to its
  last drawn glyph, and a cluster ending in a mark (no advance) ends short of its base, so poppler
  reads the gap to the next cluster as a space ("दे शों"). Within a word there is no such gap.
- Right-to-left text: one span per cluster, and only where the glyphs' own reading is wrong
  (Nastaliq draws a letter's dots as glyphs of their own, for instance). Poppler and MuPDF lay a
  multi-character unit (an ActualText, or a ligature's ToUnicode entry) out left to right and then
  reverse the right-to-left line, so the unit comes out reversed; wider spans, or spans that add
  marks or ZWNJ, would scramble words that read correctly without them. Arabic, Persian, Urdu
  and Hebrew set in Naskh, Serif or Sans fonts need no span at all.

What is left alone, so that a Latin, Greek, Cyrillic or CJK document stays byte for byte what
WeasyPrint writes (no ``/ActualText`` at all) unless a line of it ends inside a word (below):

- clusters of one glyph, with an advance and on the baseline, whose ToUnicode entry already
  equals their text (a ligature included);
- white space: spaces and line breaks extract exactly as before (readers find words by spacing),
  except the space after the rest of a broken word;
- characters drawn as no glyph (soft hyphen, bidi controls, ZWSP), except ZWNJ and ZWJ inside a
  left-to-right word (Indic), which are part of its ActualText.

Words broken at a line end: with ``hyphens: auto`` (pyphen) or at a soft hyphen of the
source, WeasyPrint draws the first fragment of a word with a hyphen it adds
(``hyphenate-character``, U+2010 by default) and the rest on the next line, maybe on the next
page, after the running foot and head. Read glyph by glyph the word comes back split
("свобо‐" / "дата"), and so does a word that the line breaks after a hyphen of its own
("Maruti-" / "Suzuki": poppler even drops that hyphen, taking it for an added one). So the
first fragment's word, hyphen included, gets one span whose ActualText is the whole word as the
source has it ("свобода,", "Maruti-Suzuki"), and the first word of the next line, which
continues it, a span with an empty ActualText, its following space included: poppler and MuPDF
both give the word back whole where its first fragment is and nothing where the rest is drawn,
so no running foot or head can land inside it. Measured with poppler 22.12 and MuPDF 1.28
(PyMuPDF 2.0), the other ways read worse: a hyphen marked as an ``/Artifact`` is still read by
both; an ActualText of U+00AD (PDF 32000-1 14.8.2.2 asks tagged PDF to map an incidental hyphen
to the soft hyphen) is kept as text by both, the fragments on two lines; U+002D is joined by
poppler, not by MuPDF; an empty ActualText over the hyphen alone leaves two fragments. Which
hyphens WeasyPrint added is known only while it breaks lines, so its ``split_text_box``
(``weasyprint.layout.inline``) is wrapped too: a line counts as hyphenated when its text is the
source's up to the break plus the hyphenate character, so "COP-28" keeps its hyphen and an
unbroken "Trotz alledem!" is not touched. The rest of a word is emptied only once its first
fragment has been written with the whole word into the same PDF, so a page written alone, or a
first fragment whose line could not be matched, loses nothing. Lines that neither end inside a
word nor continue one are left as before.

When WeasyPrint writes ToUnicode maps from the fonts' ``cmap`` instead (``full_fonts=True``, or
``pdf_forms=True`` for fonts used in forms), the plain reading is taken from that ``cmap``; the
options are read from the ``write_pdf`` call, whose ``generate_pdf`` is wrapped for that.

If a line's operators cannot be matched with Pango's glyphs (a WeasyPrint change this module does
not know) or anything else fails while annotating it, the line keeps WeasyPrint's own operators,
a warning goes to the ``typeset`` logger and :attr:`TextLayerStats.unmatched_lines` counts it:
the PDF is then exactly WeasyPrint's for that line, never something in between. A WeasyPrint of
another major version is refused up front (:class:`RuntimeError`).

Hyphenation is recorded only for documents laid out inside a block (``HTML.render`` or
``write_pdf`` called there); a document laid out before it and drawn inside keeps its break
hyphens as WeasyPrint writes them.

Thread safety: the wrappers are installed in WeasyPrint's modules, which are process-wide, by
:mod:`typeset.render.weasypatch`. Nested or concurrent ``with exact_text_layer()`` blocks are safe
(it installs the wrappers once and restores the originals when the last block ends), but while any
block is open, every WeasyPrint render in the process gets the exact text layer, also renders in
other threads that did not ask for it. The statistics count only the lines drawn in the context
(thread or task) that opened the block.
"""

from __future__ import annotations

import bisect
import functools
import logging
import re
import struct
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from typeset.render.pdf_breaks import SOFT_HYPHEN
from typeset.render.weasypatch import SUPPORTED_WEASYPRINT_MAJOR, Patch, Wrap, check_weasyprint_version

__all__ = ["SUPPORTED_WEASYPRINT_MAJOR", "TextLayerStats", "check_weasyprint_version", "exact_text_layer"]

LOGGER = logging.getLogger("typeset")

# Invisible characters that Pango draws as no glyph but that belong in the text.
_KEPT_INVISIBLE = frozenset("\u200c\u200d")  # ZWNJ, ZWJ

_EXPECTED_PARAMETERS = ("stream", "textbox", "text_overflow", "block_ellipsis", "matrix")
_EXPECTED_SPLIT_PARAMETERS = ("context", "box", "available_width", "skip", "is_line_start")
_SOURCE_HYPHENS = ("-", "\u2010")  # HYPHEN-MINUS, HYPHEN: a line may break after them inside a word

_TJ_TOKEN = re.compile(rb"<([0-9A-Fa-f]*)>|([^<>\s]+)")  # a hex string or a number in a TJ array
_TJ_HEX = re.compile(rb"<([0-9A-Fa-f]*)>")


@dataclass
class TextLayerStats:
    """What one ``with exact_text_layer()`` block did (the lines drawn in its thread or task)."""

    lines: int = 0  #: lines (text boxes) drawn
    spans: int = 0  #: ActualText spans written
    unmatched_lines: int = 0  #: lines left as WeasyPrint wrote them because they could not be matched
    problems: list[str] = field(default_factory=list)


# --- installing and removing the wrapper ------------------------------------------------------

_stats: ContextVar[TextLayerStats | None] = ContextVar("typeset_text_layer_stats", default=None)
_cmap_mode: ContextVar[tuple[bool, bool]] = ContextVar("typeset_text_layer_cmap_mode", default=(False, False))
# The broken words whose first fragment the PDF being written carries whole (one set per write_pdf).
_written: ContextVar[set[Any] | None] = ContextVar("typeset_text_layer_written", default=None)


@contextmanager
def exact_text_layer() -> Iterator[TextLayerStats]:
    """Make the text layer of the PDFs WeasyPrint writes inside this block exact.

    Yields a :class:`TextLayerStats`. Raises :class:`RuntimeError` on entry if the installed
    WeasyPrint is not the major version this module was written for, or if its
    ``draw_first_line`` no longer has the signature it wraps.
    """
    with _PATCH():
        stats = TextLayerStats()
        token = _stats.set(stats)
        try:
            yield stats
        finally:
            _stats.reset(token)


def _make_generate_pdf(original: Any) -> Any:
    @functools.wraps(original)
    def generate_pdf(document: Any, target: Any, zoom: Any, **options: Any) -> Any:
        token = _cmap_mode.set((bool(options.get("full_fonts")), bool(options.get("pdf_forms"))))
        written = _written.set(set())
        try:
            return original(document, target, zoom, **options)
        finally:
            _written.reset(written)
            _cmap_mode.reset(token)

    return generate_pdf


# --- hyphenation, recorded while WeasyPrint breaks lines ---------------------------------------


@dataclass(eq=False)
class _Break:
    """A word broken at a line end: its text after the break, and the hyphen WeasyPrint added at
    the break ("" after a hyphen of the source's own)."""

    rest: str
    added: str


# The line boxes that end in a hyphen WeasyPrint added, and those whose first word continues such a
# word; per source text box, the break (or None) where each of its lines last resumed. Weak keys:
# an entry lives as long as WeasyPrint's box.
_first_fragments: weakref.WeakKeyDictionary[Any, _Break] = weakref.WeakKeyDictionary()
_continuations: weakref.WeakKeyDictionary[Any, _Break] = weakref.WeakKeyDictionary()
_resumes: weakref.WeakKeyDictionary[Any, dict[int, _Break | None]] = weakref.WeakKeyDictionary()


def _make_split_text_box(original: Any) -> Any:
    @functools.wraps(original)
    def split_text_box(context: Any, box: Any, available_width: Any, skip: Any, is_line_start: bool = True) -> Any:
        result = original(context, box, available_width, skip, is_line_start=is_line_start)
        try:
            _note_break(box, skip or 0, result[0], result[1])
        except Exception as problem:  # noqa: BLE001 - the break hyphen then stays as WeasyPrint writes it
            LOGGER.warning("hyphenation not recorded for %r: %s: %s", box.text[:40], type(problem).__name__, problem)
        return result

    return split_text_box


def _note_break(box: Any, skip: int, line: Any, resume: int | None) -> None:
    """Record whether the line ``line`` cut from text box ``box`` (from byte ``skip``, up to byte
    ``resume``) ends in a hyphen WeasyPrint added, and whether its first word continues one."""
    if line is None:
        return
    resumes = _resumes.get(box)
    if skip and resumes and (earlier := resumes.get(skip)) is not None:
        _continuations[line] = earlier
    if resume is None:
        return
    utf8 = box.text.encode()
    source = utf8[skip:resume].decode()
    hyphen = box.style["hyphenate_character"]
    drawn = line.text
    added = None
    if hyphen and drawn != source and drawn.endswith(hyphen):
        kept = drawn[:-len(hyphen)]
        # the source up to the break, maybe with the soft hyphen WeasyPrint broke at
        if source.startswith(kept) and not source[len(kept):].strip("\xad"):
            added = hyphen
    elif (drawn == source and source.endswith(_SOURCE_HYPHENS)
          and not utf8[resume:resume + 4].decode(errors="ignore")[:1].isspace()):
        added = ""  # "Maruti-" / "Suzuki": poppler would drop the hyphen, MuPDF split the word
    found = None
    if added is not None:
        found = _first_fragments[line] = _Break(_word_at(utf8, resume).replace("\xad", ""), added)
    if resumes is None:
        resumes = _resumes[box] = {}
    resumes[resume] = found  # the last split of this box that resumed here decides


def _word_at(utf8: bytes, start: int) -> str:
    """The text from byte ``start`` up to the next white space (decoding only as much as needed:
    a paragraph may be one long text box)."""
    window = 256
    while True:
        text = utf8[start:start + window].decode(errors="ignore")  # a character cut at the end is dropped
        end = next((i for i, char in enumerate(text) if char.isspace()), None)
        if end is not None:
            return text[:end]
        if start + window >= len(utf8):
            return text
        window *= 4


def _make_draw_first_line(original: Any) -> Any:
    @functools.wraps(original)
    def draw_first_line(stream: Any, textbox: Any, text_overflow: Any, block_ellipsis: Any, matrix: Any) -> Any:
        start = len(stream.stream)
        emojis = original(stream, textbox, text_overflow, block_ellipsis, matrix)
        if len(stream.stream) > start:
            stats = _stats.get()
            try:
                _annotate_line(stream, start, textbox, stats)
            except Exception as problem:  # noqa: BLE001 - the line keeps WeasyPrint's operators
                message = (f"text layer left as WeasyPrint wrote it for {textbox.text[:40]!r}: "
                           f"{type(problem).__name__}: {problem}")
                LOGGER.warning(message)
                if stats is not None:
                    stats.unmatched_lines += 1
                    stats.problems.append(message)
        return emojis

    return draw_first_line


# --- clusters of one line ---------------------------------------------------------------------


class _Unmatched(Exception):
    """The operators WeasyPrint wrote do not match the glyphs Pango laid out."""


class _Span:
    """One ActualText marked-content sequence."""

    __slots__ = ("completes", "text")

    def __init__(self, text: str, completes: _Break | None = None) -> None:
        self.text = text.replace(SOFT_HYPHEN, "")  # an invisible break opportunity is not text
        self.completes = completes  # the hyphenated word this span gives back whole, if any


class _Cluster:
    """The glyphs of one Pango cluster and the text they stand for."""

    __slots__ = ("ending", "glyphs", "misread", "namesakes", "positioned", "span", "text")

    def __init__(self, text: str, namesakes: tuple[Any, ...]) -> None:
        self.text = text
        self.ending: str | None = None  # ends a line inside a word: its text without the hyphen WeasyPrint added
        self.glyphs: list[int] = []  # glyph ids as drawn, empty glyphs left out
        self.namesakes = namesakes  # every Font written under this font's resource name
        self.positioned = False  # a glyph with no advance (a mark) or off the baseline
        self.misread = False  # left to right: readers would get it wrong from its glyphs
        self.span: _Span | None = None


_PANGO_ANALYSIS_FLAG_IS_ELLIPSIS = 1 << 1

# PangoGlyphInfo: PangoGlyph glyph; PangoGlyphGeometry (width, x_offset, y_offset); attr.
_GLYPH_INFO = struct.Struct("=Iiii4x")

_Drawn = tuple[int, int, _Cluster]  # glyph code as written in TJ, hex digits, cluster


def _line_glyphs(stream: Any, textbox: Any) -> list[_Drawn] | None:
    """The drawn glyphs of the textbox's first line in drawing order with their clusters, or
    ``None`` when no cluster of the line needs an ActualText span."""
    from weasyprint.text.ffi import ffi, pango

    if _GLYPH_INFO.size != ffi.sizeof("PangoGlyphInfo"):
        raise _Unmatched("PangoGlyphInfo does not have the expected layout")
    empty, unknown = pango.PANGO_GLYPH_EMPTY, pango.PANGO_GLYPH_UNKNOWN_FLAG
    cmap_mode = any(_cmap_mode.get())
    layout = textbox.pango_layout
    line = pango.pango_layout_get_line_readonly(layout.layout, 0)
    utf8 = layout.text.encode()
    breaking = _first_fragments.get(textbox)
    hyphen_at = len(utf8)  # where the hyphen WeasyPrint added starts
    if breaking is not None:
        if layout.text.endswith(breaking.added) and layout.text == textbox.text:
            hyphen_at -= len(breaking.added.encode())
        else:
            breaking = None  # the text changed after layout (an ellipsis): left as WeasyPrint writes it
    continued = _continuations.get(textbox)
    if continued is not None and continued not in (_written.get() or ()):
        continued = None  # this PDF's first fragment does not carry the whole word: this one keeps its text

    # First pass: copy each run out of Pango, and see whether the whole line reads right as it is.
    raw_runs = []
    all_simple = True
    previous_pango_font = None
    font: Any = None  # WeasyPrint's pdf.fonts.Font (untyped), set by the first run
    namesakes: tuple[Any, ...] = ()
    run = line.runs
    while run != ffi.NULL:
        glyph_item = run.data
        run = run.next
        glyph_string = glyph_item.glyphs
        count = glyph_string.num_glyphs
        if not count:
            continue
        item = glyph_item.item
        pango_font = item.analysis.font
        if pango_font != previous_pango_font:
            previous_pango_font = pango_font
            font, _ = stream.add_font(pango_font)  # already added by draw_first_line: a lookup
            # WeasyPrint names a font resource font.hash and writes the ToUnicode map of the last
            # Font of that name; normally there is just one.
            namesakes = tuple(f for f in stream._fonts.values() if f.hash == font.hash)
        log_clusters = ffi.unpack(glyph_string.log_clusters, count)
        infos = list(_GLYPH_INFO.iter_unpack(ffi.buffer(glyph_string.glyphs, _GLYPH_INFO.size * count)))
        # PangoAnalysis has four guint8 (level, gravity, flags, script) where WeasyPrint's cdef
        # declares one guint "level": read the bytes themselves.
        level, _, flags, _ = bytes(ffi.buffer(ffi.addressof(item.analysis, "level"), 4))
        if flags & _PANGO_ANALYSIS_FLAG_IS_ELLIPSIS:
            level = -1  # "…" standing for the text cut off: left as WeasyPrint writes it
        raw_runs.append((font, namesakes, log_clusters, infos, level, item.offset, item.length))
        if all_simple:
            all_simple = level == -1 or (
                not level % 2 and len(namesakes) == 1 and not cmap_mode and
                _simple_run(font, log_clusters, infos, utf8, item.offset, item.length, empty, unknown))
    if all_simple and breaking is None and continued is None:
        return None  # the usual case for Latin, Cyrillic, Greek, CJK…: nothing to add

    # Second pass: clusters, and the spans they need.
    drawn: list[_Drawn] = []
    runs: list[tuple[list[_Cluster], int]] = []  # clusters in logical order, bidi level
    for font, namesakes, log_clusters, infos, level, base, length in raw_runs:
        digits = 2 if font.bitmap else 4
        # Clusters: the text from each distinct log_cluster value to the next larger one.
        starts = sorted(set(log_clusters))
        ends = [*starts[1:], length]
        clusters = {
            start: _Cluster(utf8[base + (start if i else 0):base + ends[i]].decode(), namesakes)
            for i, start in enumerate(starts)  # bytes before the first cluster belong to it
        }
        if breaking is not None and base + length >= min(hyphen_at + 1, len(utf8)):
            for i, start in enumerate(starts):  # the clusters ending the broken word's first fragment
                end_byte = base + ends[i]
                if end_byte > hyphen_at or end_byte == len(utf8):
                    first_byte = base + (start if i else 0)
                    clusters[start].ending = utf8[first_byte:max(first_byte, min(end_byte, hyphen_at))].decode()
        for log_cluster, (glyph_id, width, _, y_offset) in zip(log_clusters, infos, strict=True):
            if glyph_id == empty:
                continue
            if glyph_id & unknown:
                codepoint = glyph_id - unknown
                if codepoint not in font.missing:
                    raise _Unmatched(f"no glyph recorded for missing U+{codepoint:04X}")
                glyph_id = font.missing[codepoint]
            cluster = clusters[log_cluster]
            cluster.glyphs.append(glyph_id)
            if not width or y_offset:
                cluster.positioned = True
            drawn.append((glyph_id, digits, cluster))
        logical = [clusters[start] for start in starts]
        if level == -1 or level % 2:
            pass  # an ellipsis, or right to left: decided in _plan
        elif len(namesakes) == 1 and not cmap_mode:  # the usual case, _misread inlined
            reading = font.to_unicode.get
            for cluster in logical:
                glyph_ids = cluster.glyphs
                cluster.misread = bool(glyph_ids) and (
                    len(glyph_ids) != 1 or cluster.positioned or reading(glyph_ids[0]) != cluster.text
                    or SOFT_HYPHEN in cluster.text)
        else:
            for cluster in logical:
                cluster.misread = bool(cluster.glyphs) and _misread(cluster)
        runs.append((logical, level))
    return drawn if _plan(runs, breaking, continued is not None) else None


def _simple_run(font: Any, log_clusters: list[int], infos: list[tuple[int, int, int, int]], utf8: bytes,
                base: int, length: int, empty: int, unknown: int) -> bool:
    """Whether a left-to-right run has one advancing glyph on the baseline per cluster, each
    read right by its ToUnicode entry (then no word of the run needs a span)."""
    reading = font.to_unicode.get
    previous = -1
    for index, (log_cluster, (glyph_id, width, _, y_offset)) in enumerate(zip(log_clusters, infos, strict=True)):
        if log_cluster <= previous or not width or y_offset or glyph_id == empty or glyph_id & unknown:
            return False
        if index == 0 and log_cluster:
            return False
        end = log_clusters[index + 1] if index + 1 < len(log_clusters) else length
        if reading(glyph_id) != utf8[base + log_cluster:base + end].decode():
            return False
        previous = log_cluster
    return True


def _plan(runs: list[tuple[list[_Cluster], int]], breaking: _Break | None = None,
          continued: bool = False) -> bool:
    """Give ActualText spans to the clusters of one line that need them.

    ``runs`` are the line's Pango runs in drawing (visual) order, each with its clusters in
    logical order and its bidi level (-1 for the "…" Pango puts in place of cut-off text).
    ``breaking``: the line ends inside a word (its last clusters are marked ``ending``), with a
    hyphen WeasyPrint added or after a hyphen of the source, and this is the rest of the word;
    ``continued``: the line's first word is the rest of a word broken on the line before, whose
    span there gives it back whole.

    Left to right: one span per word (the clusters between two white-space clusters; a word
    goes on across runs of the paragraph's own left-to-right level, for instance across a font
    change) that has a cluster needing one. A reader then sees the word as one unit spread over
    the extent of all its glyphs. With a span per cluster, a cluster whose last drawn glyph is a
    mark (no advance) ends short of its base's right edge, and poppler takes the gap to the next
    cluster for a space ("दे शों"). A broken word's first fragment, hyphen included, gets the whole
    word; the continuing word on the next line (and the space after it) an empty ActualText.

    Right to left: one span per cluster, only where its glyphs' own reading is wrong: poppler
    and MuPDF lay a multi-character unit out left to right and then reverse the line, so wider
    spans (or spans adding marks or ZWNJ) would scramble words that read correctly without them.
    """
    spans = False
    word: list[_Cluster] = []
    leading = continued  # the next word ended is the line's first

    def end_word() -> None:
        nonlocal spans, leading
        if word:
            spans |= _flush_word(word, leading, breaking)
            leading = False

    for clusters, level in runs:
        if level == -1:
            end_word()  # an ellipsis run: no span, and a word boundary
            leading = False
            continue
        if level % 2:
            end_word()
            leading = False
            for cluster in clusters:
                if cluster.glyphs and not cluster.text.isspace() and _plain_concat(cluster) != cluster.text:
                    cluster.span = _Span(cluster.text)
                    spans = True
            continue
        if level:
            end_word()  # left-to-right text inside right-to-left: words stay in their run
        for cluster in clusters:
            if cluster.glyphs and cluster.text.isspace():
                if leading and word:
                    word.append(cluster)  # its space too: MuPDF would start the line with it
                end_word()
                leading = False
            else:
                word.append(cluster)
        if level:
            end_word()
    end_word()
    return spans


def _flush_word(word: list[_Cluster], leading: bool = False, breaking: _Break | None = None) -> bool:
    """Give one span to a left-to-right word if a cluster in it needs one, then empty the list.

    ``leading``: the word continues one hyphenated on the line before (an empty ActualText);
    ``breaking``: the rest of the word if the line breaks inside it (the whole word).
    """
    ends_broken = breaking is not None and word[-1].ending is not None
    if leading:
        span = _Span("", breaking if ends_broken else None)  # also the middle line of a word broken twice
    elif ends_broken:
        assert breaking is not None
        text = "".join(c.ending if c.ending is not None else c.text if c.glyphs else _kept(c.text)
                       for c in word)
        span = _Span(text + breaking.rest, breaking)
    elif any(c.misread for c in word):
        span = _Span("".join(c.text if c.glyphs else _kept(c.text) for c in word))
    else:
        word.clear()
        return False
    for cluster in word:
        cluster.span = span
    word.clear()
    return True


def _kept(text: str) -> str:
    """The characters of a cluster drawn as no glyph that belong in the text layer."""
    return "".join(c for c in text if c in _KEPT_INVISIBLE)


def _misread(cluster: _Cluster) -> bool:
    """Whether readers would get this left-to-right cluster wrong from its glyphs' ToUnicode."""
    if len(cluster.glyphs) != 1:
        return True  # several glyphs: readers order and merge them by position
    if cluster.positioned:
        return True  # a mark or a glyph off the baseline: readers reorder or split it
    if SOFT_HYPHEN in cluster.text:
        return True  # drawn as one glyph with its letters (a ligature): its ToUnicode holds it
    return _plain_text(cluster) != cluster.text


def _plain_concat(cluster: _Cluster) -> str:
    """The plain reading of a cluster's glyphs in drawing order (right to left: a reader that
    reverses the line reverses glyphs, so only a cluster with one non-empty reading is sure)."""
    texts = [t for t in (_plain_text(cluster, g) for g in cluster.glyphs) if t]
    return texts[0] if len(texts) == 1 else "\0"


def _plain_text(cluster: _Cluster, glyph: int | None = None) -> str:
    """What a reader gets for one glyph through the ToUnicode map WeasyPrint will write.

    ``"\\0"`` (never equal to text) when that cannot be known for sure: with ``pdf_forms`` a
    font may get either of two maps, and fonts sharing a resource name may disagree.
    """
    glyph = cluster.glyphs[0] if glyph is None else glyph
    full_fonts, pdf_forms = _cmap_mode.get()
    if len(cluster.namesakes) == 1 and not (full_fonts or pdf_forms):
        reading: str = cluster.namesakes[0].to_unicode.get(glyph, "")  # the usual case
        return reading
    readings = set()
    for font in cluster.namesakes:
        if not full_fonts:
            readings.add(font.to_unicode.get(glyph))
        if full_fonts or pdf_forms:
            readings.add(_cmap_to_unicode(font).get(glyph))
    if len(readings) != 1:
        return "\0"
    return readings.pop() or ""


_cmap_maps: weakref.WeakKeyDictionary[Any, dict[int, str]] = weakref.WeakKeyDictionary()


def _cmap_to_unicode(font: Any) -> dict[int, str]:
    """The ToUnicode map WeasyPrint writes for a font it does not subset (pdf/fonts.py)."""
    mapping = _cmap_maps.get(font)
    if mapping is None:
        import io

        from fontTools.ttLib import TTFont

        ttfont = TTFont(io.BytesIO(font.file_content), fontNumber=font.index, lazy=True)
        mapping = {}
        for letter, name in ttfont.getBestCmap().items():
            glyph_id = ttfont.getGlyphID(name)
            if glyph_id not in mapping:
                mapping[glyph_id] = chr(letter)
        _cmap_maps[font] = mapping
    return mapping


# --- rewriting the operators ------------------------------------------------------------------


def _annotate_line(stream: Any, start: int, textbox: Any, stats: TextLayerStats | None) -> None:
    drawn = _line_glyphs(stream, textbox)
    if stats is not None:
        stats.lines += 1
    if drawn is None:
        return  # nothing to add: WeasyPrint's operators stay exactly as they are
    new_ops, spans = _rewrite(stream.stream[start:], drawn)
    stream.stream[start:] = new_ops
    written = _written.get()
    if written is not None:
        for _, _, cluster in drawn:
            if cluster.span is not None and cluster.span.completes is not None:
                written.add(cluster.span.completes)  # the next line may now leave the rest of the word out
    if stats is not None:
        stats.spans += spans


def _rewrite(ops: list[Any], glyphs: list[_Drawn]) -> tuple[list[Any], int]:
    """The operators with ActualText spans around the glyphs of the clusters that need them.

    A ``TJ`` is cut only between two of its elements (a hex string may be cut between two glyph
    codes): drawing and positions stay the same. A ``TJ`` without span boundaries is kept as it
    is. Raises :class:`_Unmatched` unless the ``TJ`` operators draw exactly the glyphs Pango
    laid out, in the same order.
    """
    count_glyphs = len(glyphs)
    spans_at = [cluster.span for _, _, cluster in glyphs]
    begins = {i: span for i, span in enumerate(spans_at)  # glyph index -> span starting there
              if span is not None and (i == 0 or spans_at[i - 1] is not span)}
    ends = {i for i, span in enumerate(spans_at)  # glyph indexes that end a span
            if span is not None and (i == count_glyphs - 1 or spans_at[i + 1] is not span)}
    cuts = sorted({*begins, *(i + 1 for i in ends)})  # where a TJ must be cut: before glyph i
    expected = b"".join(b"%0*x" % (digits, code) for code, digits, _ in glyphs)  # as WeasyPrint writes
    offsets = [0]  # offsets[i]: where glyph i starts in ``expected``
    for _, digits, _ in glyphs:
        offsets.append(offsets[-1] + digits)

    new_ops: list[Any] = []
    pieces: list[bytes] = []  # elements of the TJ being built
    codes: list[bytes] = []  # glyph codes of the hex string being built
    position = count = cut_index = 0

    def close_tj() -> None:
        if codes:
            pieces.append(b"<" + b"".join(codes) + b">")
            codes.clear()
        if pieces:
            new_ops.append(b"[" + b"".join(pieces) + b"] TJ")
            pieces.clear()

    for op in ops:
        if not (isinstance(op, bytes) and op.startswith(b"[") and op.endswith(b"] TJ")):
            new_ops.append(op)
            continue
        body = op[1:-4]

        # The glyphs this TJ draws must be the next ones Pango laid out.
        drawn = b"".join(_TJ_HEX.findall(body)).lower()
        first = position
        position = bisect.bisect_left(offsets, offsets[first] + len(drawn))
        if position > count_glyphs or offsets[position] != offsets[first] + len(drawn):
            raise _Unmatched(f"{len(drawn)} hex digits drawn where Pango has {offsets[-1] - offsets[first]} left")
        if drawn != expected[offsets[first]:offsets[position]]:
            raise _Unmatched(f"glyphs {drawn[:40].decode()} drawn where Pango has "
                             f"{expected[offsets[first]:offsets[first] + 40].decode()}")
        while cut_index < len(cuts) and cuts[cut_index] <= first and cuts[cut_index] not in begins:
            cut_index += 1  # only an EMC, written after the previous TJ's last glyph
        upcoming = cuts[cut_index] if cut_index < len(cuts) else count_glyphs + 1
        if upcoming > position or (upcoming == position and position - 1 not in ends):
            new_ops.append(op)  # no span starts or ends in this TJ: as WeasyPrint wrote it
            continue

        # Rebuild it, cut at the span boundaries: EMC after a span's last glyph, BDC before a
        # span's first glyph.
        index = first
        previous_number = False
        for hex_digits, number in _TJ_TOKEN.findall(body):
            if number:
                if previous_number:
                    pieces.append(b" ")  # two numbers that an empty string used to part
                pieces.append(number)
                previous_number = True
                continue
            if not hex_digits:
                continue  # an empty string
            previous_number = False
            digits = glyphs[index][1]
            end = index + len(hex_digits) // digits
            if cut_index == len(cuts) or cuts[cut_index] > end:
                pieces.append(b"<" + hex_digits + b">")  # no cut in this string
                index = end
                continue
            cut = index
            while cut_index < len(cuts) and cuts[cut_index] <= end:
                boundary = cuts[cut_index]
                if boundary > cut:
                    codes.append(hex_digits[(cut - index) * digits:(boundary - index) * digits])
                    cut = boundary
                if boundary > index and boundary - 1 in ends:
                    close_tj()
                    new_ops.append(b"EMC")
                if boundary == end:
                    break  # a span starting at ``end`` opens with the next string
                if boundary in begins:
                    close_tj()
                    new_ops.append(b"/Span <</ActualText " + _utf16_hex(begins[boundary].text) + b">> BDC")
                    count += 1
                cut_index += 1
            if end > cut:
                codes.append(hex_digits[(cut - index) * digits:])
            if codes:
                pieces.append(b"<" + b"".join(codes) + b">")
                codes.clear()
            index = end
        close_tj()
    if position != count_glyphs:
        raise _Unmatched(f"{position} glyphs drawn where Pango has {count_glyphs}")
    return new_ops, count


def _utf16_hex(text: str) -> bytes:
    """A PDF text string as a hex string: UTF-16BE with byte-order mark, ``<FEFF…>``."""
    return b"<FEFF" + text.encode("utf-16-be").hex().upper().encode("ascii") + b">"


# The wrappers, installed by ``exact_text_layer`` through the one patch helper (made last: the
# factories above are defined by now).
_PATCH = Patch("typeset/render/pdf_text.py", [
    Wrap("weasyprint.draw.text", "draw_first_line", _EXPECTED_PARAMETERS, _make_draw_first_line),
    Wrap("weasyprint.document", "generate_pdf", None, _make_generate_pdf),
    Wrap("weasyprint.layout.inline", "split_text_box", _EXPECTED_SPLIT_PARAMETERS, _make_split_text_box),
], hint="check the installed WeasyPrint version against SUPPORTED_WEASYPRINT_MAJOR")
