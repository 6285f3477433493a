"""A language file: YAML front matter, a CommonMark body and a ``::: slogans`` block.

In: the text of ``<lang>.md``. Out: a :class:`~typeset.model.document.LanguageText` and
diagnostics with exact positions. Raw HTML is never passed through: it stays text and is
escaped by every renderer. Links may point to ``http``, ``https`` and ``mailto`` only.

A piece in another language is marked as pandoc marks it: a bracketed span ``[text]{lang=fa}``
(in the body, and in the ``title``, ``subtitle`` and ``short_title`` of the front matter) or a
fenced div ``::: {lang=fa}`` … ``:::`` around blocks; ``::: {.slogans lang=ur}`` is a slogans
block in another language. The attributes are read by :mod:`typeset.source.attributes`; every
character is registered with the language it is marked in, for the glyph preflight and the
check of its script.

Lists and block quotes nest at most :data:`MAX_NESTING` deep; deeper is an error at the line
that goes too deep, never a silent cut (markdown-it stops reading at its own limit, dropping
the rest of the file: a guard rule takes over before that).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import partial
from pathlib import Path

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock
from markdown_it.tree import SyntaxTreeNode
from mdit_py_plugins.container import container_plugin
from pydantic import ValidationError

from typeset.diagnostics import Diagnostics, Span
from typeset.escape import REPLACEMENT
from typeset.model.document import (
    Block,
    BlockQuote,
    BulletList,
    Code,
    CodeBlock,
    Div,
    Emphasis,
    Heading,
    Inline,
    LanguageText,
    LineBreak,
    Link,
    ListItem,
    OrderedList,
    Paragraph,
    Slogan,
    Strong,
    Text,
    ThematicBreak,
    plain_text,
)
from typeset.model.document import Span as SpanNode
from typeset.model.language import Language
from typeset.model.numbering import MAX_START
from typeset.source.attributes import Marks, looks_like_attributes, read_attributes, use_spans
from typeset.source.lint import invisible, lint_text
from typeset.source.schema import TextSource
from typeset.source.texts import Texts
from typeset.source.validation import report_validation_error
from typeset.source.yamlfile import read_yaml
from typeset.world import Limits

SLOGANS = "slogans"
DIV = "container_div"  # markdown-it's node for every fenced div: '::: slogans', '::: {lang=fa}'
FRONT_MATTER_TEXTS = ("title", "subtitle", "short_title")  # printed: may hold spans
_SAFE_SCHEMES = ("http://", "https://", "mailto:")
_CLOSING_FENCE = re.compile(r"^\s*(:{3,})\s*$")
_DIV_HINT = ("end it with a line ':::'; a div inside another needs a longer fence around the outer one: "
             "':::: {lang=fa}' … '::::'")
_STRAY_HINT = ("attributes go right after a bracketed span within one paragraph: [text]{lang=fa} "
               "(a link inside one: [[text](https://…)]{lang=fa}); a whole block goes in '::: {lang=fa}' … ':::'")
#: Lists and block quotes inside one another: Word has nine list levels (``w:ilvl`` 0 to 8).
MAX_NESTING = 9
# markdown-it's nesting level grows by 2 per list (list, item) and by 1 per quote or div; at its
# ``maxNesting`` it stops reading and drops the rest of the file. Below that the guard rule takes
# each line as a token of its own, which the converter reports: the text inside a tenth list is at
# level 20, and divs around and in lists get room for twenty more. A list or quote past
# MAX_NESTING is reported by the converter itself, at its marker, and nothing is dropped.
_GUARD_LEVEL = 2 * MAX_NESTING + 2 + 20
_TOO_DEEP = "typeset_too_deep"


def _parser() -> MarkdownIt:
    # two above the guard: a list rule at the level below it opens a list and an item at once, and
    # markdown-it reads nothing at all at maxNesting, not even the guard
    md = MarkdownIt("commonmark", {"html": False, "typographer": False, "maxNesting": _GUARD_LEVEL + 2})
    md.block.ruler.before(md.block.ruler.get_all_rules()[0], _TOO_DEEP, _too_deep)
    md.core.ruler.disable("text_join")  # keep character references apart, to lint what they print
    # Every '::: …' line opens one; a line of colons alone closes one (or, where none is open, is an error).
    md.use(container_plugin, "div", validate=lambda params, markup: bool(params.strip(" \t:")))
    use_spans(md)
    return md


def _too_deep(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    """Past the guard level, each line becomes one token, kept rather than dropped."""
    if state.level < _GUARD_LEVEL or silent:
        return False
    token = state.push(_TOO_DEEP, "", 0)
    token.map = [start, start + 1]
    token.content = state.getLines(start, start + 1, state.blkIndent, False)
    state.line = start + 1
    return True


def _front_matter_parser() -> MarkdownIt:
    """Text fields of the front matter: plain text and spans, no other Markdown."""
    md = MarkdownIt("zero")
    use_spans(md)
    return md


def split_front_matter(text: str) -> tuple[str | None, str, int]:
    """``(front matter or None, body, line number of the body's first line - 1)``."""
    lines = text.split("\n")
    if not lines or lines[0].rstrip() != "---":
        return None, text, 0
    for index in range(1, len(lines)):
        if lines[index].rstrip() in ("---", "..."):
            return "\n".join(lines[1:index]), "\n".join(lines[index + 1:]), index + 1
    return "\n".join(lines[1:]), "", len(lines)


def read_language_file(
    text: str, path: Path, language: Language, texts: Texts, limits: Limits = Limits()
) -> LanguageText | None:
    diagnostics = texts.diagnostics
    front, body, body_offset = split_front_matter(text)
    if front is None:
        diagnostics.error(Span(path, 1, 1), "the file has no front matter with the title",
                          "start the file with three lines: '---', 'title: …', '---'")
        return None
    meta = None
    converter = _Converter(path, body.split("\n"), body_offset, texts, language)
    inline: dict[str, tuple[Inline, ...]] = {}
    read = read_yaml(front, path, diagnostics, line_offset=1, limits=limits)
    if read is not None:
        data, positions = read
        if not isinstance(data, dict):
            diagnostics.error(Span(path, 2, 1), "the front matter must be a mapping such as 'title: …'")
        else:
            try:
                meta = TextSource.model_validate(data)
            except ValidationError as error:
                report_validation_error(error, data, positions, diagnostics)
            for key in FRONT_MATTER_TEXTS:
                if isinstance(data.get(key), str):
                    inline[key] = converter.front_matter(data[key], partial(positions.char, (key,)))
            keywords = data.get("keywords")
            for n, keyword in enumerate(keywords if isinstance(keywords, list) else []):
                if isinstance(keyword, str):  # metadata, not printed: linted, not preflighted
                    lint_text(keyword, partial(positions.char, ("keywords", n)), diagnostics)
    tree = SyntaxTreeNode(_parser().parse(body))
    blocks, slogans = converter.document(tree)
    if meta is None:
        return None
    title, subtitle, short_title = (_plain(inline.get(key), getattr(meta, key)) for key in FRONT_MATTER_TEXTS)
    return LanguageText(language=language, title=title or meta.title, subtitle=subtitle,
                        short_title=short_title, keywords=tuple(meta.keywords),
                        body=blocks, slogans=slogans, path=path,
                        title_inline=_marked(inline.get("title")), subtitle_inline=_marked(inline.get("subtitle")))


def read_inline(text: str, path: Path, language: Language, texts: Texts, *, front_matter: bool = False
                ) -> tuple[Inline, ...]:
    """One paragraph's inline content — emphasis, links, spans — read as the body's (or, with
    ``front_matter``, as a title's: spans only), never as a block: a translation that begins
    with "1. Mai" stays a sentence. Problems go to ``texts.diagnostics`` at ``path``."""
    converter = _Converter(path, [text], 0, texts, language)
    if front_matter:
        return converter.front_matter(text, lambda index: Span(path, 1, index + 1))
    tokens = _parser().parseInline(text)
    return converter.inline_content(SyntaxTreeNode(tokens).children[0]) if tokens else ()


def _marked(nodes: tuple[Inline, ...] | None) -> tuple[Inline, ...]:
    """Inline content worth keeping beside its plain text: one with a span."""
    return nodes if nodes and any(isinstance(node, SpanNode) for node in nodes) else ()


def _plain(nodes: tuple[Inline, ...] | None, validated: str | None) -> str | None:
    """A front-matter text without its span markup (the validated value when it has none)."""
    if validated is None or not _marked(nodes):
        return validated
    return plain_text(nodes or ()).strip()


class _Converter:
    """From markdown-it's syntax tree to model blocks, linting the raw text on the way."""

    def __init__(self, path: Path, lines: list[str], offset: int, texts: Texts, language: Language) -> None:
        self.path = path
        self.lines = lines
        self.offset = offset
        self.texts = texts
        self.language = language
        self.diagnostics = texts.diagnostics
        self.depth = 0  # lists and quotes open around the block being read
        self.too_deep = False  # whether lines kept by the guard rule were reported
        self.around = language  # the language of what is being read: the file's, a div's or a span's
        self.slogans_seen = False
        # The inline source being read, where each of its characters is, and the spans in it:
        # (first character, end, language tag), outermost first.
        self.source = ""
        self.at: Callable[[int], Span] = lambda index: Span(path)
        self.ranges: list[tuple[int, int, str]] = []
        self.attributes: set[int] = set()  # where an attribute block of the source stands, read or reported

    def span(self, node: SyntaxTreeNode, col: int = 1) -> Span:
        line = (node.map[0] if node.map else 0) + 1 + self.offset
        return Span(self.path, line, col)

    @contextmanager
    def within(self, language: Language) -> Iterator[None]:
        outer, self.around = self.around, language
        try:
            yield
        finally:
            self.around = outer

    def document(self, root: SyntaxTreeNode) -> tuple[tuple[Block, ...], tuple[Slogan, ...]]:
        body: list[Block] = []
        slogans: list[Slogan] = []
        for node in root.children:
            block: Block | None
            if node.type == DIV:
                marks = self.fence(node)
                if marks is not None and SLOGANS in marks.classes:
                    slogans += self.slogans(node, marks)
                    continue
                block = self.div(node, marks)
            else:
                block = self.block(node)
            if block is not None:
                body.append(block)
        return tuple(body), tuple(slogans)

    def blocks(self, nodes: list[SyntaxTreeNode]) -> tuple[Block, ...]:
        return tuple(b for b in (self.block(n) for n in nodes) if b is not None)

    def block(self, node: SyntaxTreeNode) -> Block | None:
        kind = node.type
        if kind == "paragraph":
            inline = node.children[0]
            for number, line in enumerate(inline.content.split("\n")):
                if _CLOSING_FENCE.match(line):  # a fence that closes nothing stays text: said, not printed unseen
                    at = self.span(node)
                    self.diagnostics.error(Span(self.path, at.line + number, at.col),
                                           f"'{line.strip()}' closes no block",
                                           "remove it, or open a block with its language: '::: {lang=fa}'",
                                           code="markdown")
            return Paragraph(self.inline_content(inline))
        if kind == "heading":
            return Heading(int(node.tag[1]), self.inline_content(node.children[0]))
        if kind in ("bullet_list", "ordered_list", "blockquote"):
            if self.depth >= MAX_NESTING:
                self._too_deep_error(node)
                return None
            self.depth += 1
            try:
                return self.container(node)
            finally:
                self.depth -= 1
        if kind == _TOO_DEEP:
            # A list or quote past MAX_NESTING is reported and never read into, so a line that the
            # guard kept here sits in blocks of another kind nested that deep: reported, not dropped.
            if not self.too_deep:
                self.too_deep = True  # once: the guard keeps every line of the part as a token
                self.diagnostics.error(
                    self.span(node, self._indent(node) + 1), "lists, block quotes and divs are nested too deep here",
                    f"write this part flatter: typeset reads blocks inside one another up to {_GUARD_LEVEL} "
                    "levels (a list counts two)", code="nesting")
            return None
        if kind in ("code_block", "fence"):
            return CodeBlock(node.content.rstrip("\n"))
        if kind == "hr":
            return ThematicBreak()
        if kind == DIV:
            marks = self.fence(node)
            if marks is not None and SLOGANS in marks.classes:
                self.diagnostics.error(self.span(node), "a '::: slogans' block must stand at the top level",
                                       "move it out of the list, quote or div")
                return None
            return self.div(node, marks)
        self.diagnostics.error(self.span(node), f"unsupported Markdown block '{kind}'")
        return None

    def container(self, node: SyntaxTreeNode) -> Block:
        if node.type == "bullet_list":
            return BulletList(self.items(node), tight=self._tight(node))
        if node.type == "ordered_list":
            start = int(node.attrs.get("start", 1))
            if start > MAX_START:
                self.diagnostics.error(self.span(node, self._indent(node) + 1),
                                       f"a numbered list that starts at {start}, more than {MAX_START}",
                                       f"Word and LibreOffice cannot start a list above {MAX_START}; if this is "
                                       f"not a list, write '{start}\\.' to keep the full stop", code="markdown")
            return OrderedList(self.items(node), start=start, tight=self._tight(node))
        return BlockQuote(self.blocks(node.children))

    def _indent(self, node: SyntaxTreeNode) -> int:
        """How many characters of quote markers and white space open the node's first line."""
        raw = self.lines[node.map[0]] if node.map and node.map[0] < len(self.lines) else ""
        return len(raw) - len(raw.lstrip(" \t>"))

    def _too_deep_error(self, node: SyntaxTreeNode) -> None:
        raw = self.lines[node.map[0]] if node.map and node.map[0] < len(self.lines) else ""
        quotes = [i for i, char in enumerate(raw) if char == ">"]
        col = quotes[MAX_NESTING] + 1 if node.type == "blockquote" and len(quotes) > MAX_NESTING \
            else self._indent(node) + 1
        self.diagnostics.error(
            self.span(node, col), f"lists and block quotes are nested more than {MAX_NESTING} levels deep here",
            f"write this part flatter: Word, and so the DOCX edition, has {MAX_NESTING} list levels",
            code="nesting")

    def items(self, node: SyntaxTreeNode) -> tuple[ListItem, ...]:
        return tuple(ListItem(self.blocks(item.children)) for item in node.children)

    @staticmethod
    def _tight(node: SyntaxTreeNode) -> bool:
        return all(
            para.nester_tokens is None or para.nester_tokens.opening.hidden
            for item in node.children for para in item.children if para.type == "paragraph"
        )

    # -- fenced divs -------------------------------------------------------------------------

    def fence(self, node: SyntaxTreeNode) -> Marks | None:
        """What a '::: …' line says (``None`` after an error): the slogans class, a language,
        a direction. A fence that is never closed is an error too: the block would run on to
        the end of the file (or of the list item it stands in)."""
        first = node.map[0] if node.map else 0
        raw = self.lines[first] if first < len(self.lines) else ""
        params = node.info
        column = raw.index(node.markup) + len(node.markup) if node.markup in raw else 0
        text = re.sub(r"\s*:*\s*$", "", params)  # pandoc allows colons after the attributes
        lead = len(text) - len(text.lstrip())
        text = text.strip()

        def at(index: int) -> Span:
            return self.span(node, column + lead + index + 1)

        self._closed(node, raw.strip())
        if text == SLOGANS:
            return Marks(classes=(SLOGANS,))
        if not text.startswith("{"):
            self.diagnostics.error(at(0), f"unknown block '{node.markup} {text}'",
                                   "typeset knows '::: slogans' and pandoc's fenced divs: '::: {lang=fa}', "
                                   "'::: {.slogans lang=ur}'", code="markdown")
            return None
        marks, end = read_attributes(text, at, self.diagnostics, classes=frozenset({SLOGANS}), what="div")
        if end and text[end:].strip():
            self.diagnostics.error(at(end + len(text[end:]) - len(text[end:].lstrip())),
                                   f"unexpected '{text[end:].strip()}' after the attributes",
                                   "a fence holds the colons and one {…}, such as '::: {lang=fa}'", code="markdown")
            return None
        return marks

    def _closed(self, node: SyntaxTreeNode, opening: str) -> None:
        end = node.map[1] if node.map else len(self.lines)
        closing = _CLOSING_FENCE.match(self.lines[end]) if end < len(self.lines) else None
        parent = node.parent
        shared = parent is not None and parent.type == DIV and parent.map is not None and parent.map[1] == end
        if closing is None or len(closing[1]) < len(node.markup) or shared:  # shared: the outer div's end
            self.diagnostics.error(self.span(node), f"'{opening}' is never closed", _DIV_HINT, code="markdown")

    def div(self, node: SyntaxTreeNode, marks: Marks | None) -> Div:
        """A fenced div; after an error in its fence, its blocks in the language around it."""
        language = marks.language if marks is not None and marks.language else self.around
        with self.within(language):
            blocks = self.blocks(node.children)
        return Div(blocks, language, marks.dir if marks is not None else None)

    def slogans(self, node: SyntaxTreeNode, marks: Marks) -> list[Slogan]:
        """A '::: slogans' block: its paragraphs (and divs of paragraphs); in a div of its own
        when it is marked with a language or direction."""
        if self.slogans_seen:
            self.diagnostics.error(self.span(node), "a second '::: slogans' block", "put all slogans into one block")
        self.slogans_seen = True
        if marks.language is None and marks.dir is None:
            return self.slogan_items(node.children)
        with self.within(marks.language or self.around):
            return [Div(tuple(self.slogan_items(node.children)), self.around, marks.dir)]

    def slogan_items(self, nodes: list[SyntaxTreeNode]) -> list[Slogan]:
        found: list[Slogan] = []
        for child in nodes:
            if child.type == "paragraph":
                found.append(Paragraph(self.inline_content(child.children[0])))
                continue
            if child.type == DIV:
                marks = self.fence(child)
                if marks is None:  # reported; its slogans still read, in the language around them
                    found += self.slogan_items(child.children)
                    continue
                if SLOGANS not in marks.classes:
                    with self.within(marks.language or self.around):
                        found.append(Div(tuple(self.slogan_items(child.children)), self.around, marks.dir))
                    continue
            else:
                self.block(child)  # its own problems first
            self.diagnostics.error(self.span(child), "a slogans block holds paragraphs only",
                                   "write one slogan per paragraph, separated by blank lines; a div "
                                   "'::: {lang=…}' of slogans in another language may stand in it")
        return found

    # -- inline ------------------------------------------------------------------------------

    def inline_content(self, inline: SyntaxTreeNode) -> tuple[Inline, ...]:
        """A paragraph's or heading's inline content; its source is linted, and each of its
        characters registered in the language it is marked in."""
        self.source, self.at, self.ranges, self.attributes = inline.content, self._positions(inline), [], set()
        nodes = _merge(self.inlines(inline.children))
        if inline.map is not None:
            self.texts.add_marked(self.source, self._pieces(), self.at, (self.language.tag,))
            self._lint_references(inline)
        return nodes

    def front_matter(self, value: str, at: Callable[[int], Span]) -> tuple[Inline, ...]:
        """A text field of the front matter (``title: Joint [Erklärung]{lang=de}``)."""
        tokens = _front_matter_parser().parseInline(value)
        self.source, self.at, self.ranges, self.attributes = value, at, [], set()
        nodes = _merge(self.inlines(SyntaxTreeNode(tokens).children[0].children)) if tokens else ()
        self.texts.add_marked(value, self._pieces(), at, (self.language.tag,), blocks=False)
        return nodes

    def _pieces(self) -> list[tuple[int, int, str]]:
        """The source cut where its language changes: (start, end, language tag)."""
        tags = [self.around.tag] * len(self.source)
        for start, end, tag in self.ranges:  # outermost first: an inner span overrides
            tags[start:end] = [tag] * (end - start)
        pieces: list[tuple[int, int, str]] = []
        for index, tag in enumerate(tags):
            if pieces and pieces[-1][2] == tag:
                pieces[-1] = (pieces[-1][0], index + 1, tag)
            else:
                pieces.append((index, index + 1, tag))
        return pieces or [(0, 0, self.around.tag)]

    def inlines(self, nodes: list[SyntaxTreeNode]) -> Iterator[Inline]:
        for node in nodes:
            kind = node.type
            if kind == "text":
                self._stray_attributes(node.content)
                yield Text(node.content)
            elif kind == "softbreak":
                yield Text(" ")
            elif kind == "hardbreak":
                yield LineBreak()
            elif kind == "em":
                yield Emphasis(_merge(self.inlines(node.children)))
            elif kind == "strong":
                yield Strong(_merge(self.inlines(node.children)))
            elif kind == "code_inline":
                yield Code(node.content)
            elif kind == "span":
                yield from self.span_node(node)
            elif kind == "link":
                href = str(node.attrs.get("href", ""))
                children = _merge(self.inlines(node.children))
                if href.lower().startswith(_SAFE_SCHEMES):
                    title = node.attrs.get("title")
                    yield Link(href, children, str(title) if title else None)
                else:
                    self.diagnostics.error(
                        self.at(0), f"link to '{href}': only http, https and mailto links are allowed",
                        "write the full address, such as 'https://example.org/page'", code="markdown")
                    yield from children
            elif kind == "image":
                self.diagnostics.error(self.at(0), "images are not supported in the text",
                                       "remove the image; a layout may add a logo", code="markdown")
            else:
                yield Text(node.content)

    def span_node(self, node: SyntaxTreeNode) -> Iterator[Inline]:
        """``[text]{lang=fa}``: its text in its language (the language around it if it gives
        only a direction); after an error in its attributes, its text as it is."""
        start, label_end, end = node.meta["span_at"]
        self.attributes.add(label_end + 1)
        marks, _ = read_attributes(self.source[label_end + 1:end], lambda i: self.at(label_end + 1 + i),
                                   self.diagnostics)
        language = marks.language if marks is not None and marks.language else self.around
        self.ranges.append((start + 1, label_end, language.tag))
        with self.within(language):
            children = _merge(self.inlines(node.children))
        if marks is None:
            yield from children
        else:
            yield SpanNode(children, language, marks.dir)

    def _stray_attributes(self, text: str) -> None:
        """Attributes that markdown-it left as text mark nothing: after something other than a
        bracketed span, a span that does not close in its paragraph, or malformed. Said, never
        dropped in silence."""
        for brace in (m.start() for m in re.finditer(r"\{", text)):
            rest = text[brace:]
            if not looks_like_attributes(rest):
                continue
            fragment = rest.split("\n", 1)[0]
            offset = next((m.start() for m in re.finditer(re.escape(fragment), self.source)
                           if m.start() not in self.attributes), 0)
            self.attributes.add(offset)
            marks, end = read_attributes(rest, _shifted(self.at, offset), Diagnostics())
            if marks is None and end == 0:  # malformed: say where
                read_attributes(rest, _shifted(self.at, offset), self.diagnostics)
                continue
            self.diagnostics.error(self.at(offset), f"'{rest[:end]}' marks nothing here", _STRAY_HINT,
                                   code="markdown")

    def _positions(self, inline: SyntaxTreeNode) -> Callable[[int], Span]:
        """Where each character of an inline's source is in the file."""
        if inline.map is None:
            return lambda index: self.span(inline)
        first = inline.map[0]
        content = inline.content
        starts: list[tuple[int, int, int]] = []  # (offset in content, file line, column of its start)
        offset = 0
        for number, line_text in enumerate(content.split("\n")):
            raw = self.lines[first + number] if first + number < len(self.lines) else line_text
            col = raw.find(line_text) if line_text else 0
            starts.append((offset, first + number + 1 + self.offset, max(col, 0) + 1))
            offset += len(line_text) + 1

        offsets = [start for start, _, _ in starts]

        def span_at(index: int) -> Span:  # a binary search: a long paragraph with many warnings stays linear
            start, line, col = starts[max(0, bisect_right(offsets, index) - 1)]
            return Span(self.path, line, col + max(0, index - start))

        return span_at

    def _lint_references(self, inline: SyntaxTreeNode) -> None:
        """Lint what a character reference prints (``&#x202E;`` is a bidi control, ``&#12;`` a form
        feed), at the reference: the raw text shows neither."""
        cursor = 0
        for node in _walk(inline):
            if node.type != "text_special" or node.info != "entity":
                continue
            at = self.source.find(node.markup, cursor)
            at = at if at >= 0 else cursor
            cursor = at + len(node.markup)
            code = _reference_code(node.markup)
            if node.content == REPLACEMENT and code is not None and code != ord(REPLACEMENT):
                self.diagnostics.error(self.at(at), f"'{node.markup}' refers to U+{code:04X}, which is not a "
                                       "character that can be printed (Markdown prints U+FFFD instead)",
                                       "remove the reference", code="control")
            else:
                invisible(node.content, _shifted(self.at, at, whole=True), self.diagnostics)


def _shifted(span_at: Callable[[int], Span], by: int, *, whole: bool = False) -> Callable[[int], Span]:
    """Where character ``index`` of a piece that starts ``by`` characters on stands (with ``whole``:
    where the piece starts, whatever the index)."""
    return lambda index: span_at(by if whole else by + index)


def _walk(node: SyntaxTreeNode) -> Iterator[SyntaxTreeNode]:
    for child in node.children:
        yield child
        yield from _walk(child)


def _reference_code(markup: str) -> int | None:
    """The code point a numeric character reference names (``&#x1B;`` → 27), else ``None``."""
    digits = markup[2:-1]
    try:
        return int(digits[1:], 16) if digits[:1] in ("x", "X") else int(digits)
    except ValueError:
        return None


def _merge(nodes: Iterator[Inline] | tuple[Inline, ...]) -> tuple[Inline, ...]:
    merged: list[Inline] = []
    for node in nodes:
        if isinstance(node, Text) and merged and isinstance(merged[-1], Text):
            merged[-1] = Text(merged[-1].text + node.text)
        else:
            merged.append(node)
    return tuple(merged)


__all__ = ["read_inline", "read_language_file", "split_front_matter"]
