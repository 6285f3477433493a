"""Which characters an HTML page draws with which bundled face, as a browser would choose them.

In: a page as typeset writes it (its CSS in ``<style>`` elements) and the :class:`~typeset.fonts.FontSet`.
Out: :func:`face_usage`, a mapping from each bundled :class:`~typeset.fonts.Face` the page uses to the
code points drawn with it, and :func:`page_faces`, that and the words each face sets that shaping may
draw otherwise than character by character — what :mod:`typeset.render.webfonts` subsets each face to.

It follows the browser, on a small scale: the page's elements and text; the layout's CSS cascaded over
them (a user-agent sheet for headings, ``strong`` and ``em``; selectors, specificity, ``!important``,
inline styles, ``@media`` for screen and again for print, ``var()`` and inheritance) for the few
properties that decide glyphs — ``font-family``, ``font-weight``, ``font-style`` (and ``font``),
``text-transform``, ``font-variant``, ``hyphens``, ``list-style`` and ``content`` of ``::before``,
``::after`` and ``::marker``; then, cluster by cluster, the first family of the element's list that
has every character, and that family's face nearest the weight and style (CSS font matching). Where
it cannot be exact it takes more, never less: upper and lower case under a transform, both members of
a mirrored pair, the hyphens that hyphenation may add.
"""

from __future__ import annotations

import re
import unicodedata
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from html.parser import HTMLParser

import cssselect2
import tinycss2
from tinycss2.ast import (
    AtRule,
    Declaration,
    DimensionToken,
    FunctionBlock,
    IdentToken,
    LiteralToken,
    Node,
    NumberToken,
    PercentageToken,
    QualifiedRule,
    StringToken,
    WhitespaceToken,
)

from typeset.fonts import Face, Family, FontSet
from typeset.shaping import clusters, words_to_shape

Usage = dict[Face, set[str]]


@dataclass(frozen=True, slots=True)
class PageFaces:
    """The characters each face draws on a page, and its words that need shaping (by face)."""

    chars: Usage
    words: Usage

_VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
                   "track", "wbr"})
_NOT_RENDERED = frozenset({"head", "title", "style", "script", "template", "noscript", "meta", "link"})

# What browsers' own style sheets say about fonts (the rest of their defaults does not choose glyphs).
_USER_AGENT_CSS = """
h1, h2, h3, h4, h5, h6, th, b, strong { font-weight: bold; }
b, strong { font-weight: bolder; }
em, i, cite, var, dfn, address { font-style: italic; }
code, kbd, samp, pre, tt { font-family: monospace; }
ol { list-style-type: decimal; }
ul { list-style-type: disc; }
ul ul, ol ul { list-style-type: circle; }
ul ul ul, ol ul ul, ul ol ul, ol ol ul { list-style-type: square; }
head, script, style, template, [hidden] { display: none; }
"""

_SIZE_KEYWORDS = frozenset({"xx-small", "x-small", "small", "medium", "large", "x-large", "xx-large", "xxx-large",
                            "larger", "smaller", "math"})
_SYSTEM_FONTS = frozenset({"caption", "icon", "menu", "message-box", "small-caption", "status-bar"})
_COLLAPSIBLE = re.compile(r"[ \t\n\r\f]+")  # white space a browser collapses (not no-break spaces)
_HYPHENS = "\u2010-"  # what a browser adds where it hyphenates
# Glyphs a browser may draw for a list marker of these styles.
_MARKERS = {"disc": "• ", "circle": "◦ ", "square": "▪ ", "disclosure-open": "▾ ", "disclosure-closed": "▸ ",
            "decimal": "0123456789. -", "decimal-leading-zero": "0123456789. -",
            "lower-alpha": "abcdefghijklmnopqrstuvwxyz. ", "lower-latin": "abcdefghijklmnopqrstuvwxyz. ",
            "upper-alpha": "ABCDEFGHIJKLMNOPQRSTUVWXYZ. ", "upper-latin": "ABCDEFGHIJKLMNOPQRSTUVWXYZ. ",
            "lower-roman": "ivxlcdm. ", "upper-roman": "IVXLCDM. ", "lower-greek": "αβγδεζηθικλμνξοπρστυφχψω. "}
# Right-to-left runs show the mirror image of these (the shaper looks the mirrored character up).
_MIRRORS = dict(zip("()<>[]{}«»‹›⁅⁆⁽⁾₍₎≤≥", ")(><][}{»«›‹⁆⁅⁾⁽₎₍≥≤", strict=True))


@dataclass(frozen=True, slots=True)
class _Style:
    """The computed values that decide glyphs; the first six are inherited."""

    custom: tuple[tuple[str, tuple[Node, ...]], ...] = ()
    family: tuple[str, ...] = ()
    weight: int = 400
    italic: bool = False
    transform: str = "none"
    caps: bool = False
    hyphens: bool = False
    markers: str = ""
    hidden: bool = False
    content: str = ""

    def inherited(self) -> _Style:
        return _Style(self.custom, self.family, self.weight, self.italic, self.transform, self.caps,
                      self.hyphens, self.markers)


@dataclass
class _Sheet:
    """Rules of one origin, compiled for one medium, in a cssselect2 matcher."""

    matcher: cssselect2.Matcher = field(default_factory=cssselect2.Matcher)
    counter_styles: dict[str, str] = field(default_factory=dict)


def face_usage(html: str, fonts: FontSet) -> Usage:
    """The code points each bundled face draws in ``html`` (on screen or printed), by face."""
    return page_faces(html, fonts).chars


def page_faces(html: str, fonts: FontSet) -> PageFaces:
    """The code points each bundled face draws in ``html`` (on screen or printed), and the words of
    them that :func:`typeset.shaping.needs_shaping` (cut where the face changes), by face."""
    root, css = _parse_html(html)
    usage: Usage = {}
    words: Usage = {}
    resolver = _Resolver(fonts)
    for medium in ("screen", "print"):
        agent = _compile(_USER_AGENT_CSS, medium)
        author = _compile(css, medium)
        texts: dict[tuple[tuple[str, ...], int, bool], list[str]] = {}
        wrapper = cssselect2.ElementWrapper.from_html_root(root)
        _walk(wrapper, _Style(), (agent, author), texts)
        for (family, weight, italic), parts in texts.items():
            resolver.assign("".join(parts), family, weight, italic, usage)
            resolver.assign_words(words_to_shape(" ".join(parts)), family, weight, italic, words)
    return PageFaces(usage, words)


# -- the page ------------------------------------------------------------------------------------


class _TreeBuilder(HTMLParser):
    """HTML into an ElementTree (enough for pages typeset writes), and the text of its style elements."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = ET.Element("html")
        self.stack: list[ET.Element] = []
        self.css: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if tag == "html" and not self.stack:
            self.root.attrib.update(values)
            self.stack.append(self.root)
            return
        if not self.stack:
            self.stack.append(self.root)
        element = ET.SubElement(self.stack[-1], tag, values)
        if tag not in _VOID:
            self.stack.append(element)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in _VOID and self.stack and self.stack[-1].tag == tag:
            self.stack.pop()

    def handle_endtag(self, tag: str) -> None:
        for index in range(len(self.stack) - 1, 0, -1):
            if self.stack[index].tag == tag:
                del self.stack[index:]
                return

    def handle_data(self, data: str) -> None:
        if not self.stack:
            return
        current = self.stack[-1]
        if current.tag == "style":
            self.css.append(data)
        elif len(current):
            current[-1].tail = (current[-1].tail or "") + data
        else:
            current.text = (current.text or "") + data


def _parse_html(html: str) -> tuple[ET.Element, str]:
    builder = _TreeBuilder()
    builder.feed(html)
    builder.close()
    return builder.root, "\n".join(builder.css)


# -- the style sheets ---------------------------------------------------------------------------


def _compile(css: str, medium: str) -> _Sheet:
    sheet = _Sheet()
    _add_rules(tinycss2.parse_stylesheet(css, skip_whitespace=True, skip_comments=True), medium, sheet)
    return sheet


def _add_rules(rules: Iterable[Node], medium: str, sheet: _Sheet) -> None:
    for rule in rules:
        if isinstance(rule, QualifiedRule):
            try:
                selectors = cssselect2.compile_selector_list(rule.prelude)
            except cssselect2.SelectorError:
                continue
            declarations = _declarations(rule.content)
            normal = [d for d in declarations if not d.important]
            important = [d for d in declarations if d.important]
            for selector in selectors:
                sheet.matcher.add_selector(selector, (normal, important))
        elif isinstance(rule, AtRule) and rule.content is not None:
            keyword = rule.lower_at_keyword
            if keyword == "media" and not _media_applies(rule.prelude, medium):
                continue
            if keyword in ("media", "supports", "layer", "container", "scope"):
                _add_rules(tinycss2.parse_rule_list(rule.content, skip_whitespace=True, skip_comments=True),
                           medium, sheet)
            elif keyword == "counter-style":
                name = next((t.value for t in rule.prelude if isinstance(t, IdentToken)), None)
                if name:
                    sheet.counter_styles[name] = _counter_style_glyphs(_declarations(rule.content))


def _declarations(content: Iterable[Node] | None) -> list[Declaration]:
    return [d for d in tinycss2.parse_blocks_contents(content or [], skip_whitespace=True, skip_comments=True)
            if isinstance(d, Declaration)]


def _media_applies(prelude: Iterable[Node], medium: str) -> bool:
    """Whether a media query list holds for ``medium`` (width and other features count as holding)."""
    queries: list[list[str]] = [[]]
    for token in prelude:
        if isinstance(token, LiteralToken) and token.value == ",":
            queries.append([])
        elif isinstance(token, IdentToken):
            queries[-1].append(token.lower_value)
    for words in queries:
        types = [w for w in words if w in ("all", "screen", "print", "speech")]
        holds = not types or types[0] in ("all", medium)
        if (not holds) if words[:1] == ["not"] else holds:
            return True
    return False


def _counter_style_glyphs(declarations: list[Declaration]) -> str:
    glyphs = []
    for declaration in declarations:
        if declaration.lower_name in ("symbols", "additive-symbols", "suffix", "prefix", "negative", "pad"):
            glyphs += [t.value for t in declaration.value if isinstance(t, StringToken)]
    return "".join(glyphs) if any(d.lower_name == "suffix" for d in declarations) else "".join(glyphs) + ". "


# -- the cascade ---------------------------------------------------------------------------------


def _walk(element: cssselect2.ElementWrapper, parent: _Style, sheets: tuple[_Sheet, _Sheet],
          texts: dict[tuple[tuple[str, ...], int, bool], list[str]]) -> None:
    tag = element.local_name
    matched = _matches(element, sheets)
    style = _compute(matched.get(None, []), parent)
    if style.hidden or tag in _NOT_RENDERED:
        return
    if tag == "li" and style.markers != "none":
        marker = _compute(matched.get("marker", []), style)
        _add(texts, marker, _marker_glyphs(style.markers, sheets[1]) + marker.content)
    before = _compute(matched.get("before", []), style)
    _add(texts, before, before.content)
    _add(texts, style, element.etree_element.text or "")
    for child in element.iter_children():
        _walk(child, style, sheets, texts)
        _add(texts, style, child.etree_element.tail or "")
    after = _compute(matched.get("after", []), style)
    _add(texts, after, after.content)


def _matches(element: cssselect2.ElementWrapper, sheets: tuple[_Sheet, _Sheet]) -> dict[str | None, list[Declaration]]:
    """The declarations that apply to the element and to each of its pseudo-elements, in cascade order."""
    ranked: dict[str | None, list[tuple[tuple[int, ...], list[Declaration]]]] = {}
    for origin, sheet in enumerate(sheets):
        for specificity, order, pseudo, (normal, important) in sheet.matcher.match(element):
            ranked.setdefault(pseudo, []).append(((0, origin, 0, *specificity, order), normal))
            ranked.setdefault(pseudo, []).append(((1, -origin, 0, *specificity, order), important))
    inline = element.etree_element.get("style")
    if inline:
        declarations = [d for d in tinycss2.parse_blocks_contents(inline, skip_whitespace=True)
                        if isinstance(d, Declaration)]
        ranked.setdefault(None, []).append(((0, 1, 1), [d for d in declarations if not d.important]))
        ranked.setdefault(None, []).append(((1, -1, 1), [d for d in declarations if d.important]))
    return {pseudo: [d for _, group in sorted(entries, key=lambda e: e[0]) for d in group]
            for pseudo, entries in ranked.items()}


def _compute(declarations: list[Declaration], parent: _Style) -> _Style:
    """The element's computed style from its declarations (cascade order) and its parent's style."""
    custom = dict(parent.custom)
    own = {d.name: d.value for d in declarations if d.name.startswith("--")}
    for name in own:
        custom[name] = tuple(_substitute(own[name], custom, own, depth=0))
    style = replace(parent.inherited(), custom=tuple(custom.items()))
    for declaration in declarations:
        if declaration.name.startswith("--"):
            continue
        tokens = [t for t in _substitute(declaration.value, custom, {}, 0) if not isinstance(t, WhitespaceToken)]
        if len(tokens) == 1 and isinstance(tokens[0], IdentToken) and tokens[0].lower_value in (
                "inherit", "unset", "initial", "revert", "revert-layer"):
            source = parent if tokens[0].lower_value in ("inherit", "unset") else _Style()
            style = _inherit(style, declaration.lower_name, source)
        else:
            style = _apply(style, declaration.lower_name, tokens, parent)
    return style


_FIELDS = {"font-family": ("family",), "font-weight": ("weight",), "font-style": ("italic",),
           "font": ("family", "weight", "italic", "caps"), "text-transform": ("transform",),
           "font-variant": ("caps",), "font-variant-caps": ("caps",), "hyphens": ("hyphens",),
           "list-style-type": ("markers",), "list-style": ("markers",)}


def _inherit(style: _Style, name: str, source: _Style) -> _Style:
    """``inherit`` (or ``initial``, with a default style as ``source``) for one property."""
    return replace(style, **{f: getattr(source, f) for f in _FIELDS.get(name, ())})


def _substitute(tokens: Iterable[Node], custom: dict[str, tuple[Node, ...]], own: dict[str, list[Node]],
                depth: int) -> Iterator[Node]:
    """Tokens with every ``var(--name, fallback)`` replaced by the custom property's value."""
    for token in tokens:
        if isinstance(token, FunctionBlock) and token.lower_name == "var" and depth < 16:
            arguments = [t for t in token.arguments if not isinstance(t, WhitespaceToken)]
            name = arguments[0].value if arguments and isinstance(arguments[0], IdentToken) else ""
            comma = next((i for i, t in enumerate(token.arguments) if isinstance(t, LiteralToken) and t.value == ","),
                         None)
            if name in own and depth < 15:
                yield from _substitute(own[name], custom, {}, depth + 1)
            elif name in custom:
                yield from custom[name]
            elif comma is not None:
                yield from _substitute(token.arguments[comma + 1:], custom, own, depth + 1)
        else:
            yield token


def _apply(style: _Style, name: str, tokens: list[Node], parent: _Style) -> _Style:
    words = [t.lower_value for t in tokens if isinstance(t, IdentToken)]
    if name == "font-family":
        return replace(style, family=_families(tokens) or style.family)
    if name == "font-weight" and tokens:
        return replace(style, weight=_weight(tokens[0], parent.weight))
    if name == "font-style" and words:
        return replace(style, italic=words[0] in ("italic", "oblique"))
    if name == "font":
        return _font_shorthand(style, tokens, parent)
    if name == "text-transform" and words:
        return replace(style, transform=words[0])
    if name in ("font-variant", "font-variant-caps"):
        return replace(style, caps=any(w.endswith("caps") for w in words))
    if name in ("hyphens", "-webkit-hyphens") and words:
        return replace(style, hyphens=words[0] == "auto")
    if name in ("list-style-type", "list-style"):
        strings = [t.value for t in tokens if isinstance(t, StringToken)]
        kinds = [w for w in words if w not in ("inside", "outside")]
        if strings or kinds or name == "list-style-type":
            return replace(style, markers="".join(strings) or (kinds[0] if kinds else "none"))
    if name == "display" and words:
        return replace(style, hidden=words[0] == "none")
    if name == "content":
        return replace(style, content=_content(tokens))
    return style


def _families(tokens: list[Node]) -> tuple[str, ...]:
    names: list[str] = []
    current: list[str] = []
    for token in [*tokens, LiteralToken(0, 0, ",")]:
        if isinstance(token, LiteralToken) and token.value == ",":
            if current:
                names.append(" ".join(current))
            current = []
        elif isinstance(token, StringToken):
            current.append(token.value)
        elif isinstance(token, IdentToken):
            current.append(token.value)
    return tuple(names)


def _weight(token: Node, inherited: int) -> int:
    if isinstance(token, NumberToken):
        return max(1, min(1000, int(token.value)))
    word = token.lower_value if isinstance(token, IdentToken) else "normal"
    if word == "bold":
        return 700
    if word == "bolder":
        return 400 if inherited < 350 else 700 if inherited < 550 else 900
    if word == "lighter":
        return inherited if inherited < 100 else 100 if inherited < 550 else 400 if inherited < 750 else 700
    return 400


def _font_shorthand(style: _Style, tokens: list[Node], parent: _Style) -> _Style:
    """``font: [style || variant || weight || stretch] size[/line-height] family``; system fonts leave the
    family to the browser."""
    words = [t.lower_value for t in tokens if isinstance(t, IdentToken)]
    if len(tokens) == 1 and words and words[0] in _SYSTEM_FONTS:
        return replace(style, family=(), weight=400, italic=False)
    weight, italic, caps = 400, False, False
    for index, token in enumerate(tokens):
        if isinstance(token, (DimensionToken, PercentageToken)) or (
                isinstance(token, IdentToken) and token.lower_value in _SIZE_KEYWORDS):
            rest = tokens[index + 1:]
            if rest and isinstance(rest[0], LiteralToken) and rest[0].value == "/":
                rest = rest[2:]
            return replace(style, family=_families(rest) or style.family, weight=weight, italic=italic, caps=caps)
        if isinstance(token, NumberToken):
            weight = _weight(token, parent.weight)
        elif isinstance(token, IdentToken):
            if token.lower_value in ("italic", "oblique"):
                italic = True
            elif token.lower_value in ("bold", "bolder", "lighter"):
                weight = _weight(token, parent.weight)
            elif token.lower_value == "small-caps":
                caps = True
    return style


def _content(tokens: list[Node]) -> str:
    parts = []
    for token in tokens:
        if isinstance(token, StringToken):
            parts.append(token.value)
        elif isinstance(token, FunctionBlock) and token.lower_name in ("counter", "counters"):
            parts.append("0123456789. ")
    return "".join(parts)


def _marker_glyphs(kind: str, author: _Sheet) -> str:
    if kind in author.counter_styles:
        return author.counter_styles[kind]
    return _MARKERS.get(kind, kind if kind not in ("none", "") and not kind.isascii() else "")


def _add(texts: dict[tuple[tuple[str, ...], int, bool], list[str]], style: _Style, text: str) -> None:
    if not text:
        return
    text = _COLLAPSIBLE.sub(" ", text)
    if style.transform in ("uppercase", "capitalize") or style.caps:
        text += text.upper() + _unaccented(text.upper()) + ("İ" if "i" in text else "")  # Turkish capitals
    if style.transform == "lowercase":
        text += text.lower() + ("ı" if "I" in text else "")
    if style.hyphens or "\u00ad" in text:
        text += _HYPHENS
    text += "".join(_MIRRORS[c] for c in set(text) if c in _MIRRORS)
    texts.setdefault((style.family, style.weight, style.italic), []).append(text)


def _unaccented(text: str) -> str:
    """Upper case without accents, as browsers write Greek in capitals."""
    return unicodedata.normalize("NFC", "".join(c for c in unicodedata.normalize("NFD", text)
                                                if unicodedata.category(c) != "Mn"))


# -- fonts for characters ----------------------------------------------------------------------------


def _ignorable(char: str) -> bool:
    return unicodedata.category(char) in ("Cc", "Cf") or char in "\n\t\r"


class _Resolver:
    """The face a browser draws each cluster with: the first family of the list whose face has all of it."""

    def __init__(self, fonts: FontSet) -> None:
        self.fonts = fonts
        self.families = {family.name.lower(): family for family in fonts.families}
        self.cache: dict[tuple[tuple[str, ...], int, bool, str], tuple[Face | None, ...]] = {}

    def assign(self, text: str, family_names: tuple[str, ...], weight: int, italic: bool, usage: Usage) -> None:
        families = [self.families[n.lower()] for n in family_names if n.lower() in self.families]
        if not families:
            return
        for cluster in set(clusters(text)):
            key = (family_names, weight, italic, cluster)
            faces = self.cache.get(key)
            if faces is None:
                faces = self.cache[key] = self._resolve(cluster, families, weight, italic)
            for char, face in zip(cluster, faces, strict=True):
                if face is not None:
                    usage.setdefault(face, set()).add(char)

    def assign_words(self, words: Iterable[str], family_names: tuple[str, ...], weight: int, italic: bool,
                     usage: Usage) -> None:
        """Each word, cut where the face that draws its clusters changes, to that face."""
        families = [self.families[n.lower()] for n in family_names if n.lower() in self.families]
        if not families:
            return
        for word in words:
            pieces: list[tuple[Face | None, str]] = []
            for cluster in clusters(word):
                key = (family_names, weight, italic, cluster)
                faces = self.cache.get(key)
                if faces is None:
                    faces = self.cache[key] = self._resolve(cluster, families, weight, italic)
                face = next((f for f in faces if f is not None), None)
                if pieces and pieces[-1][0] == face:
                    pieces[-1] = (face, pieces[-1][1] + cluster)
                else:
                    pieces.append((face, cluster))
            for face, piece in pieces:
                if face is not None:
                    usage.setdefault(face, set()).add(piece)

    def _resolve(self, cluster: str, families: list[Family], weight: int, italic: bool) -> tuple[Face | None, ...]:
        visible = [c for c in cluster if not _ignorable(c)]
        for family in families:
            if all(self.fonts.covers(family.name, c) for c in visible):
                face = best_face(family, weight, italic)
                return tuple(face if self.fonts.covers(family.name, c) else None for c in cluster)
        found: list[Face | None] = []  # no family has the whole cluster: each character on its own
        for char in cluster:
            covering = next((f for f in families if self.fonts.covers(f.name, char)), None)
            found.append(best_face(covering, weight, italic) if covering else None)
        return tuple(found)


def best_face(family: Family, weight: int, italic: bool) -> Face:
    """The face of ``family`` a browser takes for this weight and style (CSS Fonts 4 font matching)."""
    wanted = "italic" if italic else "normal"
    styles = [f for f in family.faces if f.style == wanted] or [f for f in family.faces if f.style == "oblique"] \
        or list(family.faces)

    def distance(face: Face) -> tuple[int, int]:
        w = face.weight
        if 400 <= weight <= 500:
            if weight <= w <= 500:
                return (0, w - weight)
            return (1, weight - w) if w < weight else (2, w - weight)
        if weight < 400:
            return (0, weight - w) if w <= weight else (1, w - weight)
        return (0, w - weight) if w >= weight else (1, weight - w)

    return min(styles, key=distance)
