"""Typography of the printed text: quotation marks and apostrophes per language, bound last lines.

In: an :class:`~typeset.model.edition.Edition` as the source gives it, and the world (which holds
the quotation-mark table, :mod:`typeset.render.quotes`). Out: the same edition with the text the
three renderers print — PDF, HTML and DOCX all start from :func:`printed`, so they print the same
characters; the source files stay as written.

- **Quotation marks**: a straight double quote becomes the language's quotation marks (“…” in
  English, „…“ in German, «…» in Russian, 「…」 in Japanese), a straight single quote its inner
  ones (‘…’, ‚…‘, „…“, 『…』), each pair in the language of the text where it opens — a span or a
  name in another language takes that language's marks.
- **Apostrophes**: a straight apostrophe becomes U+2019 (’): inside a word (O’Brien, don’t,
  l’homme), before a digit (’90s), and after a word when no single quotation is open
  (workers’) — a trailing apostrophe closes a quotation only if one was opened. In Hebrew, the
  straight marks inside a word are geresh and gershayim (צ׳יפס, צה״ל), as Hebrew prints them.
  A single quote that opens and is never closed is an apostrophe too ('tis → ’tis).
- **Primes**: after a digit, with no quotation open, ' and " are the prime and double prime (5′10″).
- **Code** (inline code and code blocks) is left as it is.
- **Last lines**: a title, subtitle or slogan of three words or more in a language written with
  spaces between its words gets a no-break space between its last two words (when they are short
  enough to share a line), so that its last line never holds one word alone ("Arbeiter!"). The HTML
  edition also asks the browser to balance these lines (``text-wrap: balance`` in the layouts).
"""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

from typeset.model.document import (
    BlockQuote,
    BulletList,
    Code,
    CodeBlock,
    Div,
    Emphasis,
    Heading,
    LineBreak,
    Link,
    ListItem,
    OrderedList,
    Paragraph,
    Phrase,
    Span,
    Strong,
    Text,
    ThematicBreak,
)
from typeset.model.language import Language
from typeset.model.scripts import EAST_ASIAN, SA_SCRIPTS
from typeset.render.quotes import quotation_marks

if TYPE_CHECKING:
    from typeset.model.document import Block, Inline, Slogan
    from typeset.model.edition import Edition, EditionEntry, EditionGroup
    from typeset.world import World

APOSTROPHE = "\u2019"
NBSP = "\u00a0"
PRIME, DOUBLE_PRIME = "\u2032", "\u2033"
GERESH, GERSHAYIM = "\u05f3", "\u05f4"
#: At most this many characters in the last two words of a title or slogan for them to be bound:
#: a bound pair longer than a line of the leaflet's title (about 20 characters of 17 pt bold sans
#: in 118 mm) would run past the column instead of breaking.
BIND_LIMIT = 20
# Scripts written without spaces between words: no word to bind (Korean is written with spaces).
_UNSPACED = (SA_SCRIPTS | EAST_ASIAN) - {"Hang", "Kore"}
# What a quotation mark opens after: nothing, a space, an opening bracket or dash, another opening mark.
_OPENERS = set("([{\u2014\u2013-/\u00ab\u2039\u201c\u2018\u201e\u201a\u300c\u300e")
# What stands for code in the run of characters: neither a letter nor a space nor an opener, so a
# quote before code opens and one after it closes, and neither is taken for an apostrophe.
_CODE = "\ufffc"

_SPACE = re.compile(r"[ \t\n]")
_Marks = Callable[[Language], tuple[str, str, str, str]]


def printed(edition: Edition, world: World) -> Edition:
    """The edition with the typography of its printed text (see the module's docstring).

    Applying it twice gives the same edition: what it writes has no straight quote left to change,
    and a last space already bound is not bound again."""
    cache: dict[str, tuple[str, str, str, str]] = {}

    def marks(language: Language) -> tuple[str, str, str, str]:
        if language.tag not in cache:
            cache[language.tag] = quotation_marks(language, world)
        return cache[language.tag]

    language = edition.language

    def plain(text: str | None) -> str | None:
        if text is None:
            return None
        inline = _inline_content((Text(text),), language, marks)
        return "".join(node.text for node in inline if isinstance(node, Text))

    return dataclasses.replace(
        edition,
        organisation=plain(edition.organisation) or "",
        title=plain(edition.title) or "",  # the metadata's and running heads' title: not bound
        subtitle=plain(edition.subtitle),
        short_title=plain(edition.short_title) or "",
        place=plain(edition.place),
        body=_blocks(edition.body, language, marks),
        slogans=tuple(_slogan(slogan, language, marks) for slogan in edition.slogans),
        groups=tuple(_group(group, language, marks) for group in edition.groups),
        title_inline=_inline_content(edition.title_content, language, marks, bind=True),  # what is printed
        subtitle_inline=_inline_content(edition.subtitle_content, language, marks, bind=True),
    )


def _slogan(slogan: Slogan, language: Language, marks: _Marks) -> Slogan:
    if isinstance(slogan, Div):
        return Div(_blocks(slogan.blocks, slogan.language, marks, bind=True), slogan.language, slogan.dir)
    return Paragraph(_inline_content(slogan.children, language, marks, bind=True))


def _group(group: EditionGroup, language: Language, marks: _Marks) -> EditionGroup:
    return dataclasses.replace(group, heading=_string(group.heading, language, marks),
                               entries=tuple(_entry(entry, language, marks) for entry in group.entries))


def _entry(entry: EditionEntry, language: Language, marks: _Marks) -> EditionEntry:
    def phrase(value: Phrase | None) -> Phrase | None:
        return None if value is None else Phrase(_string(value.text, value.language, marks), value.language)

    def string(value: str | None) -> str | None:
        return None if value is None else _string(value, language, marks)

    name = phrase(entry.name)
    assert name is not None
    return dataclasses.replace(entry, name=name, abbreviation=phrase(entry.abbreviation),
                               romanized=phrase(entry.romanized), translation=phrase(entry.translation),
                               country=string(entry.country), note=string(entry.note))


def _string(text: str, language: Language, marks: _Marks) -> str:
    if "'" not in text and '"' not in text:
        return text
    return _typeset([(text, language)], marks, bind=False)[0]


# -- blocks and inline content ---------------------------------------------------------------


def _blocks(blocks: tuple[Block, ...], language: Language, marks: _Marks, *, bind: bool = False) -> tuple[Block, ...]:
    return tuple(_block(block, language, marks, bind) for block in blocks)


def _block(block: Block, language: Language, marks: _Marks, bind: bool) -> Block:
    if isinstance(block, Paragraph):
        return Paragraph(_inline_content(block.children, language, marks, bind=bind))
    if isinstance(block, Heading):
        return Heading(block.level, _inline_content(block.children, language, marks))
    if isinstance(block, BulletList):
        return BulletList(tuple(ListItem(_blocks(item.blocks, language, marks)) for item in block.items), block.tight)
    if isinstance(block, OrderedList):
        return OrderedList(tuple(ListItem(_blocks(item.blocks, language, marks)) for item in block.items),
                           block.start, block.tight)
    if isinstance(block, BlockQuote):
        return BlockQuote(_blocks(block.blocks, language, marks))
    if isinstance(block, Div):
        return Div(_blocks(block.blocks, block.language, marks, bind=bind), block.language, block.dir)
    if isinstance(block, CodeBlock | ThematicBreak):
        return block
    raise TypeError(f"unknown block {block!r}")


def _texts(nodes: tuple[Inline, ...], language: Language) -> Iterator[tuple[str, Language]]:
    """Every text of inline content in reading order with its language; code as a neutral letter."""
    for node in nodes:
        if isinstance(node, Text):
            yield node.text, language
        elif isinstance(node, Code):
            yield "", language  # a place holder: code is kept as it is
        elif isinstance(node, LineBreak):
            yield "", language
        elif isinstance(node, Span):
            yield from _texts(node.children, node.language)
        else:  # Emphasis, Strong, Link
            yield from _texts(node.children, language)


def _inline_content(nodes: tuple[Inline, ...], language: Language, marks: _Marks, *,
                    bind: bool = False) -> tuple[Inline, ...]:
    """Inline content with its quotes, apostrophes (and, with ``bind``, its last space) typeset."""
    pieces = list(_texts(nodes, language))
    contexts = [_context(node) for node in _leaves(nodes)]
    changed = _typeset(pieces, marks, bind=bind, contexts=contexts)
    if changed == [text for text, _ in pieces]:
        return nodes
    replacements = iter(changed)
    return _rebuild(nodes, replacements)


def _leaves(nodes: tuple[Inline, ...]) -> Iterator[Inline]:
    for node in nodes:
        if isinstance(node, Text | Code | LineBreak):
            yield node
        else:
            yield from _leaves(node.children)


def _context(node: Inline) -> str:
    """What a leaf that is not text counts as, for the quotes beside it: code as a mark of its own
    (a quote after it closes), a line break as a space (a quote after it opens)."""
    return _CODE if isinstance(node, Code) else " " if isinstance(node, LineBreak) else ""


def _rebuild(nodes: tuple[Inline, ...], replacements: Iterator[str]) -> tuple[Inline, ...]:
    out: list[Inline] = []
    for node in nodes:
        if isinstance(node, Text):
            out.append(Text(next(replacements)))
        elif isinstance(node, Code | LineBreak):
            next(replacements)
            out.append(node)
        elif isinstance(node, Emphasis):
            out.append(Emphasis(_rebuild(node.children, replacements)))
        elif isinstance(node, Strong):
            out.append(Strong(_rebuild(node.children, replacements)))
        elif isinstance(node, Link):
            out.append(Link(node.href, _rebuild(node.children, replacements), node.title))
        elif isinstance(node, Span):
            out.append(Span(_rebuild(node.children, replacements), node.language, node.dir))
        else:
            raise TypeError(f"unknown inline {node!r}")
    return tuple(out)


# -- the characters ----------------------------------------------------------------------------


def _is_word(char: str | None) -> bool:
    return char is not None and unicodedata.category(char)[0] in "LMN"


def _opens_after(char: str | None) -> bool:
    return char is None or char.isspace() or char in _OPENERS


def _typeset(pieces: list[tuple[str, Language]], marks: _Marks, *, bind: bool,
             contexts: list[str] | None = None) -> list[str]:
    """The texts of ``pieces`` (one run of inline content, in reading order) typeset."""
    # One string with an owner for every character; a placeholder stands for code and line breaks.
    chars: list[str] = []
    owners: list[int] = []
    languages: list[Language] = []
    fixed: list[bool] = []  # a placeholder: never changed, never written back
    for index, (text, language) in enumerate(pieces):
        context = contexts[index] if contexts else ""
        if not text and context:
            chars.append(context)
            owners.append(index)
            languages.append(language)
            fixed.append(True)
        for char in text:
            chars.append(char)
            owners.append(index)
            languages.append(language)
            fixed.append(False)
    out = list(chars)
    stack: list[tuple[str, int, str]] = []  # open quotations: kind (' or "), position, closing mark
    apostrophes: set[int] = set()  # where an apostrophe ends a word (workers', l')
    for i, char in enumerate(chars):
        if fixed[i] or char not in "'\"":
            continue
        before = chars[i - 1] if i else None
        after = chars[i + 1] if i + 1 < len(chars) else None
        language = languages[i]
        opening, closing, inner_opening, inner_closing = marks(language)
        if language.language in ("he", "yi") and _is_word(before) and _is_word(after):
            out[i] = GERESH if char == "'" else GERSHAYIM
            continue
        kinds = [kind for kind, _, _ in stack]
        if language.script in _UNSPACED and char not in kinds:  # no spaces to tell: the first opens
            stack.append((char, i, closing if char == '"' else inner_closing))
            out[i] = opening if char == '"' else inner_opening
        elif language.script in _UNSPACED:
            _close(stack, out, i, char)
        elif char == "'":
            if before is not None and before.isdigit() and after is not None and after.isdigit():
                out[i] = PRIME  # 5'10"
            elif _is_word(before) and _is_word(after):
                out[i] = APOSTROPHE  # O'Brien, don't, l'homme
            elif _opens_after(before) and after is not None and after.isdigit():
                out[i] = APOSTROPHE  # '90s
            elif _opens_after(before) and after is not None and not after.isspace():
                stack.append(("'", i, inner_closing))
                out[i] = inner_opening
            elif "'" in kinds:
                _close(stack, out, i, "'")
            elif before is not None and before.isdigit():
                out[i] = PRIME
            else:
                out[i] = APOSTROPHE  # workers', a lone mark
                apostrophes.add(i)
        else:
            elided = i - 1 in apostrophes and '"' not in kinds  # after an elided article: l'"union"
            if (_opens_after(before) or elided) and after is not None and not after.isspace():
                stack.append(('"', i, closing))
                out[i] = opening
            elif '"' in kinds:
                _close(stack, out, i, '"')
            elif before is not None and before.isdigit():
                out[i] = DOUBLE_PRIME
            else:  # a closing mark that nothing opened: the language's closing mark
                out[i] = closing
    for kind, position, _ in stack:  # never closed
        if kind == "'":
            out[position] = APOSTROPHE  # 'tis, rock 'n' roll
    if bind:
        _bind_last_space(out, fixed, languages)
    texts = ["" for _ in pieces]
    for i, char in enumerate(out):
        if not fixed[i]:
            texts[owners[i]] += char
    return texts


def _close(stack: list[tuple[str, int, str]], out: list[str], i: int, kind: str) -> None:
    """Close the innermost open quotation of ``kind`` (and any opened inside it and left open)."""
    while stack:
        open_kind, position, closing = stack.pop()
        if open_kind == kind:
            out[i] = closing
            return
        if open_kind == "'":
            out[position] = APOSTROPHE


def _bind_last_space(out: list[str], fixed: list[bool], languages: list[Language]) -> None:
    """A no-break space for the last space of a text of three words or more, in a language
    written with spaces, when its last two words are short enough to share a line.

    Words already bound by a no-break space count as one ("travailleurs\u00a0!" is one word, and
    "des\u00a0travailleurs\u00a0!" two): a text bound once is not bound again."""
    # out holds one slot per source character (a French mark and its narrow space share one)
    filled = [i for i, slot in enumerate(out) if slot.strip()]
    if not filled:
        return
    end = filled[-1] + 1
    spaces = [i for i in range(end) if out[i] in (" ", "\t", "\n")]
    if len(spaces) < 2 or languages[spaces[-1]].script in _UNSPACED or fixed[spaces[-1]]:
        return
    last = spaces[-1]
    tail = "".join(out[last + 1:end])
    if sum(1 for part in tail.split(NBSP) if any(_is_word(c) for c in part)) >= 2:
        return  # the last line already holds two words
    pair = "".join(out[spaces[-2] + 1:end])
    if len(pair) > BIND_LIMIT or not any(_is_word(c) for c in "".join(out[spaces[-2] + 1:last])):
        return
    out[last] = NBSP


# -- CJK punctuation ---------------------------------------------------------------------------

#: The class of a full-width punctuation mark set in half its width (the ``halt`` feature of
#: Noto CJK, which the edition's CSS turns on for it: :mod:`typeset.render.css`).
HALF_WIDTH_CLASS = "typeset-halt"
# Full-width marks whose glyph fills one half of the em and leaves the other blank: those that
# close (the blank after them) and those that open (the blank before them).
_CLOSING = set("，、。．：；！？）」』】〕〉》〗〙〛｝］")
_OPENING = set("（「『【〔〈《〖〘〚｛［")
_CJK_PUNCTUATION = _CLOSING | _OPENING
# Tags that end a line of text: a pair of marks on either side of one is not adjacent.
_BLOCK_TAG = re.compile(r"</?(?:p|li|ol|ul|div|h[1-6]|section|header|main|article|nav|blockquote|br|hr|pre)\b",
                        re.IGNORECASE)


def compress_punctuation(html: str) -> str:
    """The page with each full-width punctuation mark that stands beside another in half its width.

    Two marks side by side leave the blank halves of both between them — "），" or "。」" look like
    a gap of a whole character. As Chinese and Japanese typesetting does (JIS X 4051, the W3C's
    requirements for Chinese and Japanese layout), the first of two closing marks, a closing mark
    before an opening one, and the second of two opening marks are set in half their width: each
    goes in a ``<span class="typeset-halt">``, whose ``font-feature-settings: "halt"`` the bundled
    Noto CJK faces carry (they have ``halt`` and ``palt``, not the contextual ``chws``, which would
    do this by itself). Marks count as side by side across inline tags (the closing bracket of a
    translation and the comma before the country); a block tag parts them. Everything outside
    ``<body>``, tags, comments, styles and the title are left as they are; a page without two such
    marks side by side comes back as the very same string.
    """
    from typeset.render.linebreaks import _BODY, _MARKUP

    body = _BODY.search(html)
    if body is None or not any(char in _CJK_PUNCTUATION for char in html[body.end():]):
        return html
    parts = _MARKUP.split(html[body.end():])  # text, markup, text, …, text
    marked: dict[int, set[int]] = {}
    previous: tuple[int, int, str] | None = None  # the last character: part, index, character
    for number, part in enumerate(parts):
        if number % 2:
            if _BLOCK_TAG.match(part):
                previous = None
            continue
        for index, char in enumerate(part):
            if previous is not None:
                before = previous[2]
                if before in _CLOSING and char in _CJK_PUNCTUATION:
                    marked.setdefault(previous[0], set()).add(previous[1])
                elif before in _OPENING and char in _OPENING:
                    marked.setdefault(number, set()).add(index)
            previous = (number, index, char)
    if not marked:
        return html
    for number, indexes in marked.items():
        text = parts[number]
        parts[number] = "".join(f'<span class="{HALF_WIDTH_CLASS}">{char}</span>' if i in indexes else char
                                for i, char in enumerate(text))
    return html[:body.end()] + "".join(parts)
