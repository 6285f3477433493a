"""A language file: YAML front matter, a CommonMark body and a ``::: slogans`` block.

In: the text of ``<lang>.md``. Out: a :class:`~typeset.model.document.LanguageText` and
diagnostics with exact positions. Raw HTML is never passed through: it stays text and is
escaped by every renderer. Links may point to ``http``, ``https`` and ``mailto`` only.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from markdown_it import MarkdownIt
from markdown_it.tree import SyntaxTreeNode
from mdit_py_plugins.container import container_plugin
from pydantic import ValidationError

from typeset.diagnostics import Span
from typeset.model.document import (
    Block, BlockQuote, BulletList, Code, CodeBlock, Emphasis, Heading, Inline, LanguageText,
    LineBreak, Link, ListItem, OrderedList, Paragraph, Strong, Text, ThematicBreak,
)
from typeset.model.language import Language
from typeset.source.lint import lint_text
from typeset.source.schema import TextSource
from typeset.source.texts import Texts
from typeset.source.validation import report_validation_error
from typeset.source.yamlfile import read_yaml
from typeset.world import Limits

SLOGANS = "slogans"
_SAFE_SCHEMES = ("http://", "https://", "mailto:")


def _parser() -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": False, "typographer": False}).use(container_plugin, SLOGANS)


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
        if kind == "bullet_list":
            return BulletList(self.items(node), tight=self._tight(node))
        if kind == "ordered_list":
            return OrderedList(self.items(node), start=int(node.attrs.get("start", 1)), tight=self._tight(node))
        if kind == "blockquote":
            return BlockQuote(self.blocks(node.children))
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

        def span_at(index: int) -> Span:
            for start, line, col in reversed(starts):
                if index >= start:
                    return Span(self.path, line, col + index - start)
            return Span(self.path, starts[0][1], starts[0][2])

        self.texts.add(content, self.language.tag, span_at, (self.language.tag,))


def _merge(nodes: Iterator[Inline] | tuple[Inline, ...]) -> tuple[Inline, ...]:
    merged: list[Inline] = []
    for node in nodes:
        if isinstance(node, Text) and merged and isinstance(merged[-1], Text):
            merged[-1] = Text(merged[-1].text + node.text)
        else:
            merged.append(node)
    return tuple(merged)


__all__ = ["read_language_file", "split_front_matter"]
