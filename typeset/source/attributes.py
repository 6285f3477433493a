"""Pandoc's attributes on bracketed spans and fenced divs: ``{lang=fa}``, ``{dir=rtl}``, ``{.slogans lang=ur}``.

In: the text of one attribute block (``{…}``) and where it stands. Out: :class:`Marks` — the
language (a :class:`~typeset.model.language.Language`), the direction and the classes it gives
— or ``None`` with an error at its ``file:line:col``: a block that is malformed, names an
attribute or class typeset does not know, an unknown language tag, a direction other than
``rtl`` and ``ltr``, or nothing at all.

It also sets a markdown-it parser up for spans (:func:`use_spans`): mdit_py_plugins' attrs
plugin reads ``[text]{…}``, and each span's opening token is given the offsets of its brackets
and attributes in the inline source (``meta["span_at"]``), so that the reader can point at them
and knows which characters a span's language covers. The attribute syntax itself is the
plugin's (djot's, as pandoc writes it).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from markdown_it import MarkdownIt
from markdown_it.rules_inline import StateInline
from mdit_py_plugins.attrs import attrs_plugin
from mdit_py_plugins.attrs.parse import ParseError, parse

from typeset.diagnostics import Diagnostics, Span
from typeset.model.language import Direction, Language, LanguageTagError, parse_language

SpanAt = Callable[[int], Span]

KEYS = ("lang", "dir")
DIRECTIONS: tuple[Direction, ...] = ("rtl", "ltr")
_HINT = "a span or div takes 'lang' (a BCP 47 tag such as fa, ur or zh-Hant) and 'dir' (rtl or ltr): {lang=fa}"
_POSITION = re.compile(r"at position (\d+)")


@dataclass(frozen=True, slots=True)
class Marks:
    """What an attribute block says: a language, a direction, classes (only ``slogans``, on a div)."""

    language: Language | None = None
    dir: Direction | None = None
    classes: tuple[str, ...] = ()


def read_attributes(text: str, span_at: SpanAt, diagnostics: Diagnostics, *,
                    classes: frozenset[str] = frozenset(), what: str = "span") -> tuple[Marks | None, int]:
    """The marks of the attribute block that ``text`` starts with, and the index just after it
    (0 if it is malformed). ``span_at(i)`` is the position of ``text[i]``; ``classes`` are the
    classes allowed (``.slogans`` on a div)."""
    try:
        end, found = parse(text)
    except ParseError as error:
        where = _POSITION.search(str(error))
        at = int(where[1]) if where else 0
        diagnostics.error(span_at(min(at, max(len(text) - 1, 0))), f"malformed attributes '{_short(text)}'",
                          "write them as pandoc does, in braces right after the text: "
                          "[text]{lang=fa} or [text]{lang=ar dir=rtl}", code="markdown")
        return None, 0
    block = text[:end + 1]
    ok = True
    language: Language | None = None
    direction: Direction | None = None
    for key, value in found.items():
        span = span_at(_offset(block, key, value))
        if key == "lang":
            try:
                language = parse_language(value)
            except LanguageTagError as error:
                diagnostics.error(span, f"{block}: {error}", error.hint, code="markdown")
                ok = False
        elif key == "dir":
            if value in DIRECTIONS:
                direction = value
            else:
                diagnostics.error(span, f"'dir' must be 'rtl' or 'ltr', not '{value}'",
                                  "leave it out: the direction follows the language", code="markdown")
                ok = False
        elif key == "class":
            unknown = [name for name in value.split() if name not in classes]
            if unknown:
                known = " or ".join(f"'.{name}'" for name in sorted(classes))
                diagnostics.error(span_at(_offset(block, ".", unknown[0])),
                                  f"unknown class '.{unknown[0]}' on a {what}",
                                  f"a {what} takes {known}" if classes else _HINT, code="markdown")
                ok = False
        elif key == "id":
            diagnostics.error(span_at(_offset(block, "#", value)), f"an id ('#{value}') on a {what} is not used",
                              f"remove it; {_HINT}", code="markdown")
            ok = False
        else:
            diagnostics.error(span, f"unknown attribute '{key}' in {block}", _HINT, code="markdown")
            ok = False
    given = tuple(found.get("class", "").split())
    if ok and language is None and direction is None and not given:
        diagnostics.error(span_at(0), f"'{block}' marks nothing", f"give the language: {_HINT}", code="markdown")
        ok = False
    return (Marks(language, direction, given) if ok else None), end + 1


def looks_like_attributes(text: str) -> bool:
    """Whether ``text`` starts with what was meant as an attribute block (``{lang=…``, ``{dir=…``,
    ``{.name``, ``{#name``), well formed or not: ordinary braces ("{1, 2}") are not."""
    return re.match(r"\{\s*(?:(?:lang|dir)\s*=|[.#][\w-])", text) is not None


def _offset(block: str, key: str, value: str) -> int:
    """Where ``key`` (or a class or id marker followed by ``value``) stands in ``block``."""
    if key in (".", "#"):
        found = block.find(key + value)
    else:
        found = block.find(key + "=")
    return max(found, 0)


def _short(text: str) -> str:
    line = text.split("\n", 1)[0]
    return line if len(line) <= 40 else line[:39] + "…"


# -- the markdown-it set-up ----------------------------------------------------------------------


def use_spans(md: MarkdownIt) -> None:
    """Read ``[text]{…}`` spans, recording where each stands. Attributes after other elements
    (a link, code, emphasis) are not read: they stay text, which the reader reports."""
    attrs_plugin(md, spans=True, after=(), allowed=KEYS)  # other attributes are reported, never applied
    ruler = md.inline.ruler
    original = ruler.__rules__[ruler.__find__("span")].fn

    def span(state: StateInline, silent: bool) -> bool:
        start, count = state.pos, len(state.tokens)
        label_end = state.md.helpers.parseLinkLabel(state, start, False)
        if not original(state, silent):
            return False
        if not silent:  # "[" at start, "]" at label_end, the attributes up to state.pos
            opening = next(t for t in state.tokens[count:] if t.type == "span_open")
            opening.meta["span_at"] = (start, label_end, state.pos)
        return True

    ruler.at("span", span)
