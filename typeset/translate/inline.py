"""A segment's text with its markup: as Markdown, as inline codes, and back.

In: inline content of the model (:data:`~typeset.model.document.Inline`: text, emphasis, strong,
links, spans, line breaks, code). Out:

- :func:`markdown` — the Markdown the source format reads, on one logical line (hard breaks
  as ``\\`` and a new line), with every character that would be markup escaped: what a PO file
  shows translators (as Sphinx shows reStructuredText) and what an import writes into a
  language file; :func:`wrap` folds it at 100 columns where no line could start a block;
- :func:`tokens` — the same content as text and numbered **codes** (:class:`Code`: paired ones
  open and close around text, isolated ones stand alone), which XLIFF writes as ``<g>``/``<x/>``
  and a translator's DOCX as formatting; :func:`build` turns the codes a translator sent back into
  inline content again, after :func:`check_codes` has made sure that every one of them is one
  the source has, in the same kind, balanced and properly nested;
- :func:`digest` — the short hash of a source text that a translation records it was made from.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import TypeAlias

from typeset.model.document import Code as CodeNode
from typeset.model.document import (
    Emphasis,
    Inline,
    LineBreak,
    Link,
    Span,
    Strong,
    Text,
    plain_text,
)
from typeset.model.language import parse_language

ITALIC, BOLD, LINK, SPAN, BREAK, CODE = "italic", "bold", "link", "span", "lb", "code"
PAIRED = frozenset({ITALIC, BOLD, LINK, SPAN})
WIDTH = 100  # columns of a language file written by an import, as 'typeset import' writes them

# Markup characters anywhere in text, entity-like ampersands, and what starts a block at a line's start.
_INLINE = re.compile(r"([\\`*_\[\]<>])|&(?=#?\w+;)")
_BLOCK_START = re.compile(r"^(?:[#>+=\-*]|:::|\d{1,9}[.)](?:\s|$)|~~~|```)")
KEEP = "\x00"  # a space inside markup that a line may not break at


def digest(text: str) -> str:
    """The hash a translation records of the source text it was made from (12 hex digits)."""
    return hashlib.sha256(" ".join(text.split()).encode("utf-8")).hexdigest()[:12]


def plain(nodes: Sequence[Inline]) -> str:
    """The characters of inline content, white space collapsed."""
    return " ".join(plain_text(tuple(nodes)).split())


# -- Markdown --------------------------------------------------------------------------------


def markdown(nodes: Sequence[Inline], *, front_matter: bool = False) -> str:
    """Inline content as the source format writes it, on one line (a hard break is ``\\`` + new line).

    ``front_matter``: the text of a ``title``, where only spans are markup and nothing is escaped.
    """
    return "".join(_markdown(nodes, front_matter)).replace(KEEP, " ")


def markdown_keeping(nodes: Sequence[Inline]) -> str:
    """:func:`markdown`, with the spaces inside markup (a link's title, a span's attributes, code)
    written as :data:`KEEP`, for :func:`wrap`."""
    return "".join(_markdown(nodes, False))


def _markdown(nodes: Sequence[Inline], front: bool) -> Iterator[str]:
    for node in nodes:
        if isinstance(node, Text):
            yield node.text if front else _escape(node.text)
        elif isinstance(node, LineBreak):
            yield "\\\n" if not front else " "
        elif isinstance(node, CodeNode):
            ticks = "`" * (max((len(m) for m in re.findall(r"`+", node.text)), default=0) + 1)
            pad = " " if node.text.startswith("`") or node.text.endswith("`") else ""
            yield f"{ticks}{pad}{node.text}{pad}{ticks}".replace(" ", KEEP)
        elif isinstance(node, Emphasis | Strong):
            inner = "".join(_markdown(node.children, front))
            if front:
                yield inner
                continue
            mark = "*" if isinstance(node, Emphasis) else "**"
            core = inner.strip(" ")
            if not core:
                yield inner
                continue
            lead, trail = inner[:len(inner) - len(inner.lstrip(" "))], inner[len(inner.rstrip(" ")):]
            yield f"{lead}{mark}{core}{mark}{trail}"
        elif isinstance(node, Link):
            inner = "".join(_markdown(node.children, front))
            if front:
                yield inner
                continue
            href = node.href.replace(" ", "%20").replace("<", "%3C").replace(">", "%3E")
            title = ""
            if node.title:
                escaped = node.title.replace("\\", "\\\\").replace('"', '\\"')
                title = f' "{escaped}"'.replace(" ", KEEP)
            yield f"[{inner}](<{href}>{title})"
        elif isinstance(node, Span):
            inner = "".join(_markdown(node.children, front))
            yield f"[{inner}]{{{KEEP.join(span_attributes(node))}}}"


def span_attributes(node: Span) -> list[str]:
    """A span's attributes as the source format writes them: ``lang=fa``, ``dir=rtl``."""
    attributes = [f"lang={node.language.tag}"]
    if node.dir is not None:
        attributes.append(f"dir={node.dir}")
    return attributes


def _escape(text: str) -> str:
    return _INLINE.sub(lambda m: "\\" + (m[1] or "&"), text)


def wrap(text: str, first: str = "", rest: str = "", width: int = WIDTH) -> list[str]:
    """Markdown (from :func:`markdown_keeping`) folded at ``width`` columns after its prefixes,
    never before a word that would start a block (a list, a heading, a quote), never inside
    markup; each hard break starts a new line. The first line's own start is escaped if it
    would start a block."""
    lines: list[str] = []
    for number, piece in enumerate(text.split("\\\n")):
        words = [w for w in piece.split(" ") if w]
        line = ""
        start = len(lines)
        for word in words:
            prefix = first if not lines and not line else rest
            if not line:
                line = word
            elif len(prefix) + len(line) + 1 + len(word) > width and not _BLOCK_START.match(word.replace(KEEP, " ")):
                lines.append(line)
                line = word
            else:
                line += " " + word
        lines.append(line)
        if number:
            lines[start - 1] += "\\"  # the hard break ends the line before
        elif lines:
            lines[0] = _escape_start(lines[0])
    return [(first if i == 0 else rest) + line.replace(KEEP, " ") for i, line in enumerate(lines)]


def _escape_start(line: str) -> str:
    number = re.match(r"^(\d{1,9})([.)])(?=\s|$)", line)
    if number:
        return number[1] + "\\" + line[len(number[1]):]
    if re.match(r"^(?:[#+=\-]|:::|~~~)", line):
        return "\\" + line
    return line


# -- codes ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Code:
    """A piece of markup, numbered from 1 in its segment: ``italic``, ``bold``, ``link``, ``span``
    (paired: they hold text), ``lb`` (a line break) or ``code`` (inline code; its text stays)."""

    id: int
    kind: str
    href: str | None = None
    title: str | None = None
    lang: str | None = None
    dir: str | None = None
    text: str | None = None

    @property
    def paired(self) -> bool:
        return self.kind in PAIRED

    def describe(self) -> str:
        if self.kind == LINK:
            return f"link to {self.href}"
        if self.kind == SPAN:
            return "span {" + " ".join(filter(None, (f"lang={self.lang}" if self.lang else None,
                                                      f"dir={self.dir}" if self.dir else None))) + "}"
        return {ITALIC: "emphasis", BOLD: "strong emphasis", BREAK: "line break", CODE: "code"}[self.kind]


@dataclass(frozen=True, slots=True)
class Open:
    code: Code


@dataclass(frozen=True, slots=True)
class Close:
    code: Code


@dataclass(frozen=True, slots=True)
class Point:
    code: Code


Token: TypeAlias = str | Open | Close | Point


@dataclass
class Codes:
    """A segment's content as tokens, and its codes by id."""

    tokens: list[Token] = field(default_factory=list)
    codes: dict[int, Code] = field(default_factory=dict)


def tokens(nodes: Sequence[Inline]) -> Codes:
    """Inline content as text and numbered codes (in the order their openings stand)."""
    out = Codes()

    def add(kind: str, **data: str | None) -> Code:
        code = Code(len(out.codes) + 1, kind, **data)
        out.codes[code.id] = code
        return code

    def walk(items: Sequence[Inline]) -> None:
        for node in items:
            if isinstance(node, Text):
                if out.tokens and isinstance(out.tokens[-1], str):
                    out.tokens[-1] += node.text
                else:
                    out.tokens.append(node.text)
            elif isinstance(node, LineBreak):
                out.tokens.append(Point(add(BREAK)))
            elif isinstance(node, CodeNode):
                out.tokens.append(Point(add(CODE, text=node.text)))
            else:
                if isinstance(node, Emphasis):
                    code = add(ITALIC)
                elif isinstance(node, Strong):
                    code = add(BOLD)
                elif isinstance(node, Link):
                    code = add(LINK, href=node.href, title=node.title)
                else:
                    code = add(SPAN, lang=node.language.tag, dir=node.dir)
                out.tokens.append(Open(code))
                walk(node.children)
                out.tokens.append(Close(code))

    walk(nodes)
    return out


@dataclass(frozen=True, slots=True)
class CodeProblem:
    """What is wrong with the codes a translator sent back: an error, or a warning (a code left out)."""

    message: str
    error: bool = True


def check_codes(found: Sequence[Token], source: Codes) -> list[CodeProblem]:
    """Every code in ``found`` must be one of the source's, of the same kind, opened before it is
    closed and closed inside what it opened in; a source code left out is a warning."""
    problems: list[CodeProblem] = []
    stack: list[Code] = []
    seen: set[int] = set()
    reported: set[int] = set()
    for token in found:
        if isinstance(token, str):
            continue
        code = token.code
        known = source.codes.get(code.id)
        if known is None or code.kind and known.kind != code.kind:  # a tool may drop a code's kind: the id says it
            if code.id not in reported:
                problems.append(CodeProblem(f"inline code {code.id} is not in the source text" if known is None else
                                            f"inline code {code.id} is {known.describe()} in the source, "
                                            f"but {_kind_name(code.kind)} here"))
            reported.add(code.id)
            seen.add(code.id)
            continue
        seen.add(code.id)
        if isinstance(token, Open):
            stack.append(known)
        elif isinstance(token, Close):
            if not stack or stack[-1].id != code.id:
                where = f"inside {stack[-1].describe()} (code {stack[-1].id})" if stack else "that was never opened"
                problems.append(CodeProblem(f"the end of {known.describe()} (code {code.id}) stands {where}"))
                if code.id in (c.id for c in stack):
                    while stack and stack[-1].id != code.id:
                        stack.pop()
                    stack.pop()
            else:
                stack.pop()
        elif known.paired:
            problems.append(CodeProblem(f"inline code {code.id} ({known.describe()}) must hold text"))
    for code in stack:
        problems.append(CodeProblem(f"{code.describe()} (code {code.id}) is opened but never closed"))
    for missing in sorted(set(source.codes) - seen):
        problems.append(CodeProblem(f"{source.codes[missing].describe()} (code {missing}) of the source is not "
                                    "in the translation", error=False))
    return problems


def _kind_name(kind: str) -> str:
    return {ITALIC: "emphasis", BOLD: "strong emphasis", LINK: "a link", SPAN: "a span", BREAK: "a line break",
            CODE: "code"}.get(kind, kind)


def build(found: Sequence[Token], source: Codes) -> tuple[Inline, ...]:
    """Inline content from checked tokens; each code means what the source's code of its id means."""
    stack: list[tuple[Code | None, list[Inline]]] = [(None, [])]
    for token in found:
        if isinstance(token, str):
            if token:
                children = stack[-1][1]
                if children and isinstance(children[-1], Text):
                    children[-1] = Text(children[-1].text + token)
                else:
                    children.append(Text(token))
            continue
        code = source.codes[token.code.id]
        if isinstance(token, Open):
            stack.append((code, []))
        elif isinstance(token, Close):
            opened, children = stack.pop()
            assert opened is not None
            stack[-1][1].append(_node(opened, tuple(children)))
        elif code.kind == BREAK:
            stack[-1][1].append(LineBreak())
        else:
            stack[-1][1].append(CodeNode(code.text or ""))
    return tuple(stack[0][1])


def _node(code: Code, children: tuple[Inline, ...]) -> Inline:
    if code.kind == ITALIC:
        return Emphasis(children)
    if code.kind == BOLD:
        return Strong(children)
    if code.kind == LINK:
        return Link(code.href or "", children, code.title)
    # a source's code (build() looks each up by id): its dir came from a model Span, a Direction
    return Span(children, parse_language(code.lang or "und"), code.dir)  # type: ignore[arg-type]


def without_language(nodes: Sequence[Inline], tag: str) -> tuple[Inline, ...]:
    """Inline content with the spans in language ``tag`` (and no direction of their own) unwrapped:
    in the language file of ``tag`` they mark nothing."""
    out: list[Inline] = []
    for node in nodes:
        if isinstance(node, Span) and node.language.tag == tag and node.dir is None:
            out.extend(without_language(node.children, tag))
        elif isinstance(node, Emphasis):
            out.append(Emphasis(without_language(node.children, tag)))
        elif isinstance(node, Strong):
            out.append(Strong(without_language(node.children, tag)))
        elif isinstance(node, Link):
            out.append(Link(node.href, without_language(node.children, tag), node.title))
        elif isinstance(node, Span):
            out.append(Span(without_language(node.children, tag), node.language, node.dir))
        else:
            out.append(node)
    merged: list[Inline] = []
    for node in out:
        if isinstance(node, Text) and merged and isinstance(merged[-1], Text):
            merged[-1] = Text(merged[-1].text + node.text)
        else:
            merged.append(node)
    return tuple(merged)
