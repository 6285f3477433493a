"""A language file: YAML front matter, a CommonMark body and a ``::: slogans`` block.

In: the text of ``<lang>.md``. Out: a :class:`~typeset.model.document.LanguageText` and
diagnostics with exact positions. Raw HTML is never passed through: it stays text and is
escaped by every renderer. Links may point to ``http``, ``https`` and ``mailto`` only.
Lists and block quotes nest at most :data:`MAX_NESTING` deep; deeper is an error at the line
that goes too deep, never a silent cut (markdown-it stops reading at its own limit, dropping
the rest of the file: a guard rule takes over before that).
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Iterator
from pathlib import Path

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock
from markdown_it.tree import SyntaxTreeNode
from mdit_py_plugins.container import container_plugin
from pydantic import ValidationError

from typeset.diagnostics import Span
from typeset.model.document import (
    Block, BlockQuote, BulletList, Code, CodeBlock, Emphasis, Heading, Inline, LanguageText,
    LineBreak, Link, ListItem, OrderedList, Paragraph, Strong, Text, ThematicBreak,
)
from typeset.model.language import Language
from typeset.model.numbering import MAX_START
from typeset.escape import REPLACEMENT
from typeset.source.lint import invisible, lint_text
from typeset.source.schema import TextSource
from typeset.source.texts import Texts
from typeset.source.validation import report_validation_error
from typeset.source.yamlfile import read_yaml
from typeset.world import Limits

SLOGANS = "slogans"
_SAFE_SCHEMES = ("http://", "https://", "mailto:")
#: Lists and block quotes inside one another: Word has nine list levels (``w:ilvl`` 0 to 8).
MAX_NESTING = 9
# markdown-it's nesting level grows by 2 per list (list, item) and by 1 per quote; at its
# ``maxNesting`` it stops reading and drops the rest of the file. Below that, at the level of the
# text inside a tenth list, the guard rule takes each line as a token of its own: the converter
# has reported the list or quote past MAX_NESTING that holds it, and nothing is dropped.
_GUARD_LEVEL = 2 * MAX_NESTING + 2
_TOO_DEEP = "typeset_too_deep"


def _parser() -> MarkdownIt:
    parser = MarkdownIt("commonmark", {"html": False, "typographer": False, "maxNesting": _GUARD_LEVEL + 1})
    parser.block.ruler.before(parser.block.ruler.get_all_rules()[0], _TOO_DEEP, _too_deep)
    parser.core.ruler.disable("text_join")  # keep character references apart, to lint what they print
    return parser.use(container_plugin, SLOGANS)


def _too_deep(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    """Past the guard level, each line becomes one token, kept rather than dropped."""
    if state.level < _GUARD_LEVEL or silent:
        return False
    token = state.push(_TOO_DEEP, "", 0)
    token.map = [start, start + 1]
    token.content = state.getLines(start, start + 1, state.blkIndent, False)
    state.line = start + 1
    return True


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
            for key in ("title", "subtitle", "short_title"):
                if isinstance(data.get(key), str):
                    texts.add(data[key], language.tag, lambda i, k=key: positions.char((k,), i), (language.tag,))
            keywords = data.get("keywords")
            for n, keyword in enumerate(keywords if isinstance(keywords, list) else []):
                if isinstance(keyword, str):  # metadata, not printed: linted, not preflighted
                    lint_text(keyword, lambda i, n=n: positions.char(("keywords", n), i), diagnostics)
    converter = _Converter(path, body.split("\n"), body_offset, texts, language)
    tree = SyntaxTreeNode(_parser().parse(body))
    blocks, slogans = converter.document(tree)
    if meta is None:
        return None
    return LanguageText(language=language, title=meta.title, subtitle=meta.subtitle,
                        short_title=meta.short_title, keywords=tuple(meta.keywords),
                        body=blocks, slogans=slogans, path=path)


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

    def span(self, node: SyntaxTreeNode, col: int = 1) -> Span:
        line = (node.map[0] if node.map else 0) + 1 + self.offset
        return Span(self.path, line, col)

    def document(self, root: SyntaxTreeNode) -> tuple[tuple[Block, ...], tuple[Paragraph, ...]]:
        body: list[Block] = []
        slogans: list[Paragraph] = []
        for node in root.children:
            if node.type == f"container_{SLOGANS}":
                if slogans:
                    self.diagnostics.error(self.span(node), "a second '::: slogans' block",
                                           "put all slogans into one block")
                for child in node.children:
                    block = self.block(child)
                    if isinstance(block, Paragraph):
                        slogans.append(block)
                    elif block is not None:
                        self.diagnostics.error(self.span(child), "a slogans block holds paragraphs only",
                                               "write one slogan per paragraph, separated by blank lines")
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
            if inline.content.startswith(":::"):
                self.diagnostics.warning(self.span(node), f"unknown block '{inline.content.split()[0]}…'",
                                         "the only block typeset knows is '::: slogans'", code="markdown")
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
                    self.span(node, self._indent(node) + 1), "blocks are nested too deep here",
                    "write this part flatter", code="nesting")
            return None
        if kind in ("code_block", "fence"):
            return CodeBlock(node.content.rstrip("\n"))
        if kind == "hr":
            return ThematicBreak()
        if kind.startswith("container_"):
            self.diagnostics.error(self.span(node), "a '::: slogans' block must stand at the top level",
                                   "move it out of the list or quote")
            return None
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

    # -- inline ------------------------------------------------------------------------------

    def inline_content(self, inline: SyntaxTreeNode) -> tuple[Inline, ...]:
        self._lint(inline)
        return _merge(self.inlines(inline.children, inline))

    def inlines(self, nodes: list[SyntaxTreeNode], block: SyntaxTreeNode) -> Iterator[Inline]:
        for node in nodes:
            kind = node.type
            if kind == "text":
                yield Text(node.content)
            elif kind == "softbreak":
                yield Text(" ")
            elif kind == "hardbreak":
                yield LineBreak()
            elif kind == "em":
                yield Emphasis(_merge(self.inlines(node.children, block)))
            elif kind == "strong":
                yield Strong(_merge(self.inlines(node.children, block)))
            elif kind == "code_inline":
                yield Code(node.content)
            elif kind == "link":
                href = str(node.attrs.get("href", ""))
                children = _merge(self.inlines(node.children, block))
                if href.lower().startswith(_SAFE_SCHEMES):
                    title = node.attrs.get("title")
                    yield Link(href, children, str(title) if title else None)
                else:
                    self.diagnostics.error(
                        self.span(block), f"link to '{href}': only http, https and mailto links are allowed",
                        "write the full address, such as 'https://example.org/page'", code="markdown")
                    yield from children
            elif kind == "image":
                self.diagnostics.error(self.span(block), "images are not supported in the text",
                                       "remove the image; a layout may add a logo", code="markdown")
            else:
                yield Text(node.content)

    def _lint(self, inline: SyntaxTreeNode) -> None:
        """Lint the raw source of a paragraph or heading, mapping offsets back to the file."""
        if inline.map is None:
            return
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

        self.texts.add(content, self.language.tag, span_at, (self.language.tag,))
        self._lint_references(inline, content, span_at)

    def _lint_references(self, inline: SyntaxTreeNode, content: str, span_at: Callable[[int], Span]) -> None:
        """Lint what a character reference prints (``&#x202E;`` is a bidi control, ``&#12;`` a form
        feed), at the reference: the raw text shows neither."""
        cursor = 0
        for node in _walk(inline):
            if node.type != "text_special" or node.info != "entity":
                continue
            at = content.find(node.markup, cursor)
            at = at if at >= 0 else cursor
            cursor = at + len(node.markup)
            code = _reference_code(node.markup)
            if node.content == REPLACEMENT and code is not None and code != ord(REPLACEMENT):
                self.diagnostics.error(span_at(at), f"'{node.markup}' refers to U+{code:04X}, which is not a "
                                       "character that can be printed (Markdown prints U+FFFD instead)",
                                       "remove the reference", code="control")
            else:
                invisible(node.content, lambda index, at=at: span_at(at), self.diagnostics)


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


__all__ = ["read_language_file", "split_front_matter"]
