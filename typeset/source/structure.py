"""The block structure of a language file, and how two language files' structures line up.

In: the text of a ``<lang>.md`` file. Out: its :class:`Outline` — every block that holds text
(heading, paragraph, list item, quoted paragraph, slogan) and every block that is structure alone
(code block, thematic break), in reading order, each with its line, column and lines in the file,
the containers it stands in (lists, quotes, the slogans block, divs) and what a translation
keeps of it: its numbers, link addresses and the languages of its spans.

:func:`align` pairs the blocks of a translation with those of the source language's file. Words
cannot be compared across languages, so the pairing is a sequence alignment (dynamic
programming, as Gale and Church align sentences) over what survives translation: the kind of
block and where it stands (a list item pairs only with a list item), the numbers in it (digits of
any script, "35,000" and "35.000" alike), its links and spans, and its share of the file's text
(a long paragraph stays long in every language). A block with no partner is missing (from the
translation) or extra. :func:`compare_structure` turns that into warnings at ``file:line:col``.

Divs are containers, not blocks: a ``::: {lang=fa}`` quote in the English file is a plain
paragraph in the Persian one. Spans guide the pairing, and :func:`compare_spans` compares the
spans of each pair of blocks: a span in a third language (neither the source's nor the
translation's: an Urdu slogan quoted in the English text) stays in every language, so one the
translation lacks, one it has that the source does not, and one marked with another language are
warnings. A span in the source's language or the translation's is translated with the text
around it (or unwrapped) and is not compared.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from markdown_it.tree import SyntaxTreeNode

from typeset.diagnostics import Diagnostics, Span
from typeset.source.markdown import DIV, SLOGANS, _parser, split_front_matter  # the reader's own parser

# What a block is, as a translation must keep it.
HEADING, PARAGRAPH, ITEM, QUOTE = "heading", "paragraph", "item", "quote"
SLOGAN, CODE, BREAK = "slogan", "code", "break"
TEXT_KINDS = frozenset({HEADING, PARAGRAPH, ITEM, QUOTE, SLOGAN})
NAMES = {HEADING: "heading", PARAGRAPH: "paragraph", ITEM: "list item", QUOTE: "quoted paragraph",
         SLOGAN: "slogan", CODE: "code block", BREAK: "thematic break"}

_LANG = re.compile(r"(?:^|[\s{])lang=([A-Za-z0-9-]+)")
_LINK = re.compile(r"\]\(\s*<?([^)\s>]+)")
_LETTERS = re.compile(r"[a-z]+")
_WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9-]+")
_ENDINGS = {"?": "?", "؟": "?", "？": "?", "!": "!", "！": "!", ":": ":", "：": ":", ";": ";", "؛": ";", "；": ";"}
_SENTENCE = re.compile(r"[.!?。！？।۔؟](?=\s|$)")
_MARKUP = re.compile(r"\]\{[^}]*\}|\]\([^)]*\)|[\\*_`\[\]]")


@dataclass(frozen=True, slots=True)
class InlineSpan:
    """A bracketed span with a language, ``[text]{lang=fa}``, in a block: its tag as written, its
    text without markup, and where its ``[`` stands in the file."""

    language: str
    text: str
    line: int
    col: int
    path: Path

    @property
    def span(self) -> Span:
        return Span(self.path, self.line, self.col)

    @property
    def base(self) -> str:
        """The language subtag alone, in lower case: ``zh-Hant`` → ``zh``."""
        return base_language(self.language)

    def excerpt(self, width: int = 40) -> str:
        return self.text if len(self.text) <= width else self.text[:width - 1].rstrip() + "…"

    def markup(self) -> str:
        return f"[{self.excerpt()}]{{lang={self.language}}}"


def base_language(tag: str) -> str:
    return tag.split("-", 1)[0].lower()


@dataclass(frozen=True, eq=False)
class Block:
    """One block of a language file.

    ``start``/``end`` are the 0-based lines of the whole file the block's text takes (for a
    setext heading, without its underline); ``prefix`` is what stands before its text on its
    first line (a list marker, ``> ``, ``## ``), ``context`` the containers around it,
    outermost first (``bullet``, ``ordered``, ``quote``, ``slogans``, ``div:fa``).
    """

    kind: str
    level: int
    context: tuple[str, ...]
    source: str  # the Markdown of its inline content (code: the code), soft breaks kept
    line: int
    col: int
    start: int
    end: int
    prefix: str
    path: Path
    spans: tuple[InlineSpan, ...] = ()  # its bracketed spans with a language, in reading order

    @property
    def span(self) -> Span:
        return Span(self.path, self.line, self.col)

    @property
    def signature(self) -> tuple[str, int]:
        """What a partner must share: the kind, a heading's level, a list item's depth."""
        return self.kind, self.level

    @property
    def in_slogans(self) -> bool:
        return SLOGANS in self.context

    @property
    def div_languages(self) -> tuple[str, ...]:
        return tuple(c[4:] for c in self.context if c.startswith("div:"))

    @cached_property
    def plain(self) -> str:
        """The text without markup, white space collapsed (for lengths and excerpts)."""
        return " ".join(_MARKUP.sub("", self.source).split()) if self.kind != CODE else self.source

    @cached_property
    def numbers(self) -> frozenset[str]:
        return _numbers(self.source)

    @cached_property
    def links(self) -> frozenset[str]:
        return frozenset(_LINK.findall(self.source))

    @cached_property
    def names(self) -> frozenset[str]:
        """Words that a translation into any language written in Latin letters keeps as they are:
        abbreviations and names with capitals or digits inside ("ICOR", "MSWU", "COP28")."""
        return frozenset(w for w in _WORD.findall(self.plain) if sum(c.isupper() or c.isdigit() for c in w) >= 2)

    @cached_property
    def stems(self) -> frozenset[str]:
        """The first letters of its longer words, in Latin letters: what cognates and names share
        across languages ("temperatures", "Temperaturen", "температуры" → "tempe")."""
        from anyascii import anyascii

        return frozenset(w[:5] for w in _LETTERS.findall(anyascii(self.plain).lower()) if len(w) >= 5)

    @cached_property
    def ending(self) -> str:
        """How the block ends: a question, an exclamation, a colon, a semicolon or else."""
        text = self.plain.rstrip(" \u00a0»«\"'”“’)]")
        return _ENDINGS.get(text[-1], ".") if text else ""

    @cached_property
    def sentences(self) -> int:
        return len(_SENTENCE.findall(self.plain))

    @cached_property
    def span_languages(self) -> frozenset[str]:
        return frozenset(s.language for s in self.spans) | frozenset(self.div_languages)

    def excerpt(self, width: int = 60) -> str:
        text = self.plain
        return text if len(text) <= width else text[:width - 1].rstrip() + "…"

    def describe(self) -> str:
        return NAMES[self.kind] if self.kind != HEADING else f"heading (level {self.level})"


@dataclass(frozen=True, slots=True)
class Fence:
    """A fenced div: the 0-based lines of its opening and closing fences, and what it marks."""

    start: int
    end: int | None  # None: never closed (an error the reader reports)
    language: str | None
    slogans: bool


@dataclass(frozen=True)
class Outline:
    """The blocks of one language file, in reading order, its divs and the file's lines."""

    path: Path
    lines: tuple[str, ...]
    blocks: tuple[Block, ...]
    body_start: int  # 0-based line of the first line after the front matter
    front_end: int  # 0-based line of the closing '---' of the front matter (-1: none)
    fences: tuple[Fence, ...] = ()

    @property
    def texts(self) -> tuple[Block, ...]:
        """The blocks that hold text, in the model's order: the body first, then the slogans."""
        body = [b for b in self.blocks if b.kind in TEXT_KINDS and not b.in_slogans]
        return (*body, *(b for b in self.blocks if b.kind in TEXT_KINDS and b.in_slogans))

    @cached_property
    def total(self) -> int:
        return sum(len(b.plain) for b in self.blocks if b.kind != CODE) or 1

    def share(self, block: Block) -> float:
        """The block's share of the file's text."""
        return max(len(block.plain), 1) / self.total


def outline(text: str, path: Path) -> Outline:
    """The blocks of a language file (front matter left out)."""
    front, body, offset = split_front_matter(text)
    lines = tuple(text.split("\n"))
    tree = SyntaxTreeNode(_parser().parse(body))
    walker = _Walker(path, lines, offset, [])
    walker.walk(tree.children, ())
    return Outline(path, lines, tuple(walker.out), offset, offset - 1 if front is not None else -1,
                   tuple(walker.fences))


class _Walker:
    def __init__(self, path: Path, lines: tuple[str, ...], offset: int, out: list[Block]) -> None:
        self.path, self.lines, self.offset, self.out = path, lines, offset, out
        self.fences: list[Fence] = []

    def walk(self, nodes: Sequence[SyntaxTreeNode], context: tuple[str, ...], depth: int = 0) -> None:
        for node in nodes:
            kind = node.type
            if kind == "paragraph":
                self.leaf(node, self._paragraph_kind(context), depth, context, node.children[0].content,
                          node.children[0])
            elif kind == "heading":
                self.leaf(node, HEADING, int(node.tag[1]), context, node.children[0].content, node.children[0])
            elif kind in ("bullet_list", "ordered_list"):
                name = "bullet" if kind == "bullet_list" else "ordered"
                for item in node.children:
                    self.walk(item.children, (*context, name), depth + 1)
            elif kind == "blockquote":
                self.walk(node.children, (*context, "quote"), depth)
            elif kind in ("code_block", "fence"):
                self.leaf(node, CODE, 0, context, node.content.rstrip("\n"))
            elif kind == "hr":
                self.leaf(node, BREAK, 0, context, "")
            elif kind == DIV:
                info = node.info.strip(" \t:")
                inner: list[str] = []
                if info == SLOGANS or re.search(r"(?:^|[\s{])\.slogans\b", info):
                    inner.append(SLOGANS)
                language = _LANG.search(info)
                if language:
                    inner.append(f"div:{language[1]}")
                first, last = node.map if node.map else (0, 0)
                closing = last + self.offset
                closed = closing < len(self.lines) and re.fullmatch(r"\s*:{3,}\s*", self.lines[closing]) is not None
                self.fences.append(Fence(first + self.offset, closing if closed else None,
                                         language[1] if language else None, SLOGANS in inner))
                self.walk(node.children, (*context, *inner), depth)

    @staticmethod
    def _paragraph_kind(context: tuple[str, ...]) -> str:
        structural = [c for c in context if not c.startswith("div:")]
        if structural and structural[-1] in ("bullet", "ordered"):
            return ITEM
        if structural and structural[-1] == "quote":
            return QUOTE
        if SLOGANS in context:
            return SLOGAN
        return PARAGRAPH

    def leaf(self, node: SyntaxTreeNode, kind: str, level: int, context: tuple[str, ...], source: str,
             inline: SyntaxTreeNode | None = None) -> None:
        first, last = node.map if node.map else (0, 0)
        start, end = first + self.offset, last + self.offset
        if kind == HEADING and node.markup in ("=", "-"):
            end -= 1  # a setext heading: its underline is not its text
        raw = self.lines[start] if start < len(self.lines) else ""
        head = source.split("\n", 1)[0]
        if kind in (CODE, BREAK):
            col = len(raw) - len(raw.lstrip(" >")) + 1 if kind == BREAK else 1
            prefix = raw[:col - 1]
        else:
            found = raw.find(head) if head else len(raw.rstrip())
            col = max(found, 0) + 1
            prefix = raw[:col - 1]
        if kind == ITEM and level == 0:
            level = 1
        depth = sum(1 for c in context if c in ("bullet", "ordered"))
        spans = self._spans(inline, source, start) if inline is not None and "]{" in source else ()
        self.out.append(Block(kind, level if kind == HEADING else depth, context, source, start + 1, col,
                              start, end, prefix, self.path, spans))

    def _spans(self, inline: SyntaxTreeNode, source: str, start: int) -> tuple[InlineSpan, ...]:
        """The spans with a language in a block's inline content, each where its ``[`` stands (the
        reader's parser records where each span starts in the content)."""
        found: list[InlineSpan] = []
        for node in _descendants(inline):
            language = node.attrs.get("lang") if node.type == "span" else None
            if not language or "span_at" not in node.meta:
                continue
            line, col = _place(self.lines, source, start, node.meta["span_at"][0])
            found.append(InlineSpan(str(language), " ".join(_inline_text(node).split()), line, col, self.path))
        return tuple(found)


def _place(lines: Sequence[str], source: str, start: int, at: int) -> tuple[int, int]:
    """The 1-based line and column of character ``at`` of a block's inline content, whose first
    line is the file's line ``start`` (0-based)."""
    offset = 0
    for number, line_text in enumerate(source.split("\n")):
        if at <= offset + len(line_text) or number == source.count("\n"):
            raw = lines[start + number] if start + number < len(lines) else line_text
            col = max(raw.find(line_text), 0) + 1 if line_text else 1
            return start + number + 1, col + at - offset
        offset += len(line_text) + 1
    return start + 1, 1


def _descendants(node: SyntaxTreeNode) -> list[SyntaxTreeNode]:
    out: list[SyntaxTreeNode] = []
    for child in node.children:
        out.append(child)
        out += _descendants(child)
    return out


def _inline_text(node: SyntaxTreeNode) -> str:
    if node.type in ("text", "code_inline", "text_special"):
        return node.content
    if node.type in ("softbreak", "hardbreak"):
        return " "
    return "".join(_inline_text(child) for child in node.children)


def _numbers(text: str) -> frozenset[str]:
    """The digit groups of a text, in ASCII digits, wherever the digits come from ("٣١" → "31")."""
    found: list[str] = []
    current = ""
    for char in text:
        digit = unicodedata.decimal(char, None)
        if digit is not None:
            current += str(digit)
        elif current:
            found.append(current.lstrip("0") or "0")
            current = ""
    if current:
        found.append(current.lstrip("0") or "0")
    return frozenset(found)


# -- alignment ------------------------------------------------------------------------------------

GAP = 1.0  # what leaving a block without a partner costs
_MATCH = 2.0  # what pairing two blocks of the same kind earns before their differences
_SMOOTH = 30  # characters added to every length: short blocks' lengths say little


@dataclass(frozen=True, slots=True)
class Pair:
    """One step of an alignment: a source block and its partner; either may be ``None``."""

    source: Block | None
    target: Block | None


def _jaccard(a: frozenset[str], b: frozenset[str]) -> float | None:
    union = a | b
    return len(a & b) / len(union) if union else None


def pair_score(source: Outline, s: Block, target: Outline, t: Block, ratio: float) -> float | None:
    """What pairing ``s`` with ``t`` is worth; ``None`` if they cannot be partners. ``ratio`` is how
    much longer the translation's text is than the source's, over the whole file."""
    if s.kind != t.kind:
        return None
    score = _MATCH - (0.5 if s.level != t.level else 0.0)
    numbers = _jaccard(s.numbers, t.numbers)
    if numbers is not None:
        score += 1.5 * numbers - 0.5
    links = _jaccard(s.links, t.links)
    if links is not None:
        score += links - 0.25
    spans = _jaccard(s.span_languages, t.span_languages)
    if spans is not None:
        score += 0.25 * spans
    names = _jaccard(s.names, t.names)
    if names is not None:
        score += names - 0.25
    if len(s.plain) >= 10 and s.plain == t.plain:  # a piece in a third language, kept as it is
        score += 2.0
    stems = _jaccard(s.stems, t.stems)
    if stems:
        score += 3.0 * stems
    if s.ending != t.ending:
        score -= 0.4
    score -= 0.15 * abs(s.sentences - t.sentences)
    if s.kind != BREAK:  # Gale and Church: lengths keep their ratio, more reliably the longer they are
        expected = (len(s.plain) + _SMOOTH) * ratio
        score -= min(abs(math.log((len(t.plain) + _SMOOTH) / expected)), 2.0) * 2.0
    return score


def align(source: Outline, target: Outline, known: Mapping[int, int] | None = None) -> list[Pair]:
    """The best pairing of the source's blocks with the target's, in order (a global alignment).

    Twice: first with the ratio of the two files' lengths, then with the ratio of the lengths of
    the blocks that found a partner (a missing paragraph no longer skews it). ``known`` maps the
    index of a source block to that of a target block that is surely its partner (a translation
    recorded for it)."""
    a, b = source.blocks, target.blocks
    if len(a) * len(b) > 4_000_000:  # a book, not a resolution: pair by kind alone, in order
        return _align_by_kind(a, b)
    known = known or {}
    pairs = _align(source, target, _ratio(a, b), known)
    paired = [p for p in pairs if p.source is not None and p.target is not None]
    if len(paired) < len(pairs):
        ratio = _ratio([p.source for p in paired if p.source is not None],
                       [p.target for p in paired if p.target is not None])
        pairs = _align(source, target, ratio, known)
    return pairs


def _ratio(a: Sequence[Block], b: Sequence[Block]) -> float:
    return (sum(len(x.plain) for x in b if x.kind != CODE) + _SMOOTH) / (
        sum(len(x.plain) for x in a if x.kind != CODE) + _SMOOTH)


def _align(source: Outline, target: Outline, ratio: float, known: Mapping[int, int]) -> list[Pair]:
    a, b = source.blocks, target.blocks
    n, m = len(a), len(b)
    # score[i][j]: the best value of aligning a[:i] with b[:j]; move[i][j]: how it was reached
    score = [[0.0] * (m + 1) for _ in range(n + 1)]
    move = [[0] * (m + 1) for _ in range(n + 1)]  # 1: pair, 2: source block alone, 3: target block alone
    for i in range(1, n + 1):
        score[i][0], move[i][0] = score[i - 1][0] - GAP, 2
    for j in range(1, m + 1):
        score[0][j], move[0][j] = score[0][j - 1] - GAP, 3
    for i in range(1, n + 1):
        row, above = score[i], score[i - 1]
        for j in range(1, m + 1):
            best, how = above[j] - GAP, 2
            if row[j - 1] - GAP > best:
                best, how = row[j - 1] - GAP, 3
            value = pair_score(source, a[i - 1], target, b[j - 1], ratio)
            if value is not None and known.get(i - 1) == j - 1:
                value += 10.0
            if value is not None and above[j - 1] + value >= best:
                best, how = above[j - 1] + value, 1
            row[j], move[i][j] = best, how
    pairs: list[Pair] = []
    i, j = n, m
    while i or j:
        how = move[i][j]
        if how == 1:
            pairs.append(Pair(a[i - 1], b[j - 1]))
            i, j = i - 1, j - 1
        elif how == 2:
            pairs.append(Pair(a[i - 1], None))
            i -= 1
        else:
            pairs.append(Pair(None, b[j - 1]))
            j -= 1
    pairs.reverse()
    return pairs


def _align_by_kind(a: Sequence[Block], b: Sequence[Block]) -> list[Pair]:
    from difflib import SequenceMatcher

    pairs: list[Pair] = []
    matcher = SequenceMatcher(None, [x.signature for x in a], [y.signature for y in b], autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            pairs += [Pair(x, y) for x, y in zip(a[i1:i2], b[j1:j2], strict=True)]
        else:
            pairs += [Pair(x, None) for x in a[i1:i2]] + [Pair(None, y) for y in b[j1:j2]]
    return pairs


# -- the check ----------------------------------------------------------------------------------


@dataclass
class Comparison:
    """A translation's file against the source language's: the pairs and what is missing or extra."""

    pairs: list[Pair] = field(default_factory=list)

    @property
    def missing(self) -> list[Block]:
        return [p.source for p in self.pairs if p.target is None and p.source is not None]

    @property
    def extra(self) -> list[Block]:
        return [p.target for p in self.pairs if p.source is None and p.target is not None]

    def partner(self, block: Block) -> Block | None:
        for pair in self.pairs:
            if pair.source is block:
                return pair.target
        return None


def compare(source: Outline, target: Outline) -> Comparison:
    return Comparison(align(source, target))


def compare_structure(source: Outline, target: Outline, diagnostics: Diagnostics,
                      source_tag: str, target_tag: str, comparison: Comparison | None = None) -> Comparison:
    """Warn about every block of the source missing from the translation, and every block of the
    translation the source does not have, where each belongs; then about their spans
    (:func:`compare_spans`). ``comparison`` is the alignment to use, if one was made already (with
    the pairs a translation state is sure of, as ``typeset translate status`` makes it)."""
    comparison = comparison if comparison is not None else compare(source, target)
    following: Block | None = None
    last_line = len(target.lines)
    for pair in reversed(comparison.pairs):  # the next block of the translation, for a missing one
        if pair.target is not None:
            following = pair.target
            continue
        block = pair.source
        assert block is not None
        where = following.span if following else Span(target.path, max(last_line, 1), 1)
        place = "before this line" if following else "at the end of the file"
        diagnostics.warning(
            where,
            f"the {block.describe()} at {block.span.path.name}:{block.line} ('{block.excerpt()}') has no "
            f"counterpart in the '{target_tag}' text; it belongs {place}",
            f"translate it here, or get it with 'typeset translate export … --lang {target_tag}'",
            code="structure")
    for block in comparison.extra:
        diagnostics.warning(
            block.span, f"this {block.describe()} ('{block.excerpt()}') has no counterpart in the "
            f"'{source_tag}' text, the source language's",
            f"remove it, or add it to {source.path.name} too", code="structure")
    compare_spans(comparison, target, diagnostics, source_tag, target_tag)
    return comparison


def compare_spans(comparison: Comparison, target: Outline, diagnostics: Diagnostics, source_tag: str,
                  target_tag: str) -> None:
    """Warn, in each block of the translation paired with one of the source, about a span of a
    third language the source has and it lacks (at the span's text if it stands there unmarked),
    one marked with another language, and one of a third language the source does not have; and
    about a block the source holds in a div of a third language that the translation does not.

    A span in the source's language or the translation's is not compared: it is translated with
    the text around it (a German word marked in the English text is a German word in the German
    one, where the span is unwrapped), and a translation may mark a word of the source's language
    that the source needed no span for. A span of a third language may be transliterated or
    re-quoted: one with the same language counts as its counterpart, whatever its text."""
    own = {base_language(source_tag), base_language(target_tag)}
    for pair in comparison.pairs:
        s, t = pair.source, pair.target
        if s is None or t is None:
            continue
        _compare_divs(s, t, own, diagnostics, target_tag)
        if not (s.spans or t.spans):
            continue

        def unmarked(text: str, t: Block = t) -> Span | None:
            at = t.source.find(text) if text else -1
            return Span(target.path, *_place(target.lines, t.source, t.start, at)) if at >= 0 else None

        compare_span_lists(s.spans, t.spans, own, diagnostics, source=f"the {s.describe()} at {s.path.name}:{s.line}",
                           source_file=s.path.name, target=f"this {t.describe()} of the '{target_tag}' text",
                           at=t.span, unmarked=unmarked)


def compare_span_lists(source_spans: Sequence[InlineSpan], target_spans: Sequence[InlineSpan], own: set[str],
                       diagnostics: Diagnostics, *, source: str, source_file: str, target: str, at: Span,
                       unmarked: Callable[[str], Span | None]) -> None:
    """The spans of one piece of the source against those of its translation (see
    :func:`compare_spans`): ``own`` holds the language subtags not compared, ``source`` and
    ``target`` name the two pieces in the warnings (``source_file`` the source's file), ``at`` is
    where the translation's piece stands and ``unmarked`` finds a text standing in it unmarked."""
    expected = [x for x in source_spans if x.base not in own]
    offered = list(target_spans)
    partners: dict[int, InlineSpan] = {}
    for index, wanted in enumerate(expected):  # the same text first: the piece kept as it is
        found = next((x for x in offered if x.text == wanted.text), None)
        if found is not None:
            partners[index] = found
            offered.remove(found)
    for index, wanted in enumerate(expected):  # then the same language: the piece re-quoted
        if index not in partners:
            found = next((x for x in offered if x.language.lower() == wanted.language.lower()), None)
            if found is not None:
                partners[index] = found
                offered.remove(found)
    for index, wanted in enumerate(expected):
        found = partners.get(index)
        name = language_name(wanted.language)
        origin = f"{wanted.path.name}:{wanted.line}:{wanted.col}"
        if found is None:
            place = unmarked(wanted.text)
            if place is not None:  # kept, but no longer marked: set in the fonts, and read, of the text around it
                diagnostics.warning(place, f"'{wanted.excerpt()}' stands here without the span that marks it as "
                                    f"{name} at {origin}",
                                    f"mark it '{wanted.markup()}' so that it is set and read as {name}",
                                    code="structure")
            else:
                diagnostics.warning(at, f"the span in {name} '{wanted.markup()}' at {origin} has no counterpart in "
                                    f"{target}", "a piece in a third language stays as it is in every translation: "
                                    f"copy '{wanted.markup()}' into it", code="structure")
        elif found.language.lower() != wanted.language.lower():
            diagnostics.warning(
                found.span, f"this span is marked '{found.language}' ({language_name(found.language)}) where the "
                f"source marks the same text '{wanted.language}' ({name}), at {origin}",
                f"mark it '{{lang={wanted.language}}}' as the source does (or correct the source)", code="structure")
    for extra in offered:
        if extra.base in own:
            continue
        diagnostics.warning(
            extra.span, f"this span in {language_name(extra.language)} ('{extra.markup()}') has no counterpart in "
            f"{source}, the source language's",
            f"add it to {source_file} too if every language is to keep it, or remove "
            "the span", code="structure")


def _compare_divs(s: Block, t: Block, own: set[str], diagnostics: Diagnostics, t_tag: str) -> None:
    """A block the source holds in a div of a third language stays in one in the translation."""
    kept = {base_language(tag) for tag in t.div_languages}
    for tag in s.div_languages:
        if base_language(tag) in own or base_language(tag) in kept:
            continue
        name = language_name(tag)
        diagnostics.warning(
            t.span, f"this {t.describe()} stands in no '::: {{lang={tag}}}' div, and the {s.describe()} at "
            f"{s.path.name}:{s.line} it translates does: its {name} is set and read as the '{t_tag}' text",
            f"put it in '::: {{lang={tag}}}' … ':::' as the source does (a piece in a third language stays as "
            "it is in every translation)", code="structure")


def language_name(tag: str) -> str:
    """The language's name in English (the tag itself if it is not one typeset knows)."""
    from typeset.model.language import LanguageTagError, parse_language

    try:
        language = parse_language(tag)
        return language.display_name(parse_language("en"))
    except LanguageTagError:
        return tag


__all__ = ["Block", "Comparison", "Fence", "InlineSpan", "Outline", "Pair", "align", "base_language", "compare",
           "compare_span_lists", "compare_spans", "compare_structure", "language_name", "outline"]
