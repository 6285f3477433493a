"""HTML renderer: an edition as one standalone HTML5 page, through the layout's Jinja2 template.

In: an :class:`~typeset.model.edition.Edition` and a render context (``context.options.html_fonts``).
Out: UTF-8 HTML with the layout's CSS inlined (its print stylesheets under ``@media print``),
``lang``/``dir`` on the page, on every name in another language and on every span
(``<span lang="fa" dir="rtl">``, isolated by the edition CSS) and div (``<div lang dir>``) of the
text whose language or direction differs from the text around it, ``hreflang`` links to the
other editions, description and Open Graph metadata, and no script. Its fonts are WOFF2 subsets
of the bundled faces it draws with (:mod:`typeset.render.webfonts`): inlined as ``data:`` URLs
(``inline``, the default: one file that works offline), written beside the page as
``fonts/<lang>/<face>.woff2`` (``files``: :func:`render` returns an :class:`Output` with them), or
left out (``none``: the page names the bundled families and the reader's machine supplies them).

Templates run in Jinja2's sandbox with autoescape always on (whatever the file is called), so no
text from a source can become markup. The PDF renderer reuses :func:`build_html`; the live preview
uses :func:`page` with whole font files.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from jinja2 import BaseLoader, Environment, StrictUndefined, TemplateNotFound
from jinja2.sandbox import ImmutableSandboxedEnvironment
from markupsafe import Markup, escape

from typeset import __version__
from typeset.escape import css_identifier
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
    plain_text,
)
from typeset.model.edition import Edition
from typeset.model.language import Direction, Language
from typeset.render import Beside, Output, RenderContext
from typeset.render.css import edition_css, edition_languages, font_stack
from typeset.render.typography import compress_punctuation, printed
from typeset.world import World

FONTS_FOLDER = "fonts"  # --html-fonts files: OUT/<document>/fonts/<lang>/<face>.woff2
DESCRIPTION_LENGTH = 200  # characters of the first paragraph in the description metadata
# The PDF never slants or emboldens a face that has no italic or bold (Japanese, Arabic): nor does the page.
_NO_SYNTHESIS = ":root { font-synthesis: none; }"
# Full-width punctuation side by side is set in half its width by typeset, as in the PDF
# (typography.compress_punctuation): the browser's own trimming (text-spacing-trim: normal, in Chromium)
# would narrow the opening mark of "）（" too, to 1 em where the PDF gives 1.5 em.
_OWN_PUNCTUATION_SPACING = ":root { text-spacing-trim: space-all; }"


def render(edition: Edition, context: RenderContext) -> bytes | Output:
    """The edition's page, with its fonts as ``context.options.html_fonts`` asks."""
    mode = context.options.html_fonts
    if mode == "none":
        return page(edition, context).encode("utf-8")
    from typeset.render.webfonts import WebFont, font_face_css, web_fonts

    fonts = web_fonts(page(edition, context), context.fonts, context.world)
    if mode == "inline":
        return page(edition, context, font_css=font_face_css(fonts, WebFont.data_url)).encode("utf-8")
    folder = f"{FONTS_FOLDER}/{edition.language.tag}"
    css = font_face_css(fonts, lambda font: f"{folder}/{font.file_name}?v={font.sha256[:12]}")
    return Output(page(edition, context, font_css=css).encode("utf-8"),
                  tuple(Beside(f"{folder}/{font.file_name}", font.data, "font") for font in fonts))


def page(edition: Edition, context: RenderContext, *, font_css: str = "") -> str:
    """The standalone page: links to the other editions, the layout's print stylesheets for
    printing, and ``font_css`` (``@font-face`` rules) first."""
    layout = context.layout
    print_css = [context.world.read_text(layout.path(s)) for s in layout.print_stylesheets]
    extra = [_NO_SYNTHESIS, _OWN_PUNCTUATION_SPACING, _menu_css(edition, context)]
    if print_css:
        extra.append("@media print {\n" + "\n".join(print_css) + "\n}")
    return build_html(edition, context, extra_css=extra, font_css=font_css, alternates=alternates(edition))


def _menu_css(edition: Edition, context: RenderContext) -> str:
    """Font stacks for the languages that only the language menu uses ("日本語" in the Japanese face)."""
    present = {language.tag for language in edition_languages(edition)}
    rules = []
    for language in edition.languages:
        if language.tag not in present:
            stacks = {role: font_stack(context, role, language) for role in ("serif", "sans")}
            rules.append(f":lang({css_identifier(language.tag)}) "
                         f"{{ --serif: {stacks['serif']}; --sans: {stacks['sans']}; }}")
    return "\n".join(rules)


@dataclass(frozen=True, slots=True)
class Alternate:
    """Another (or this) edition of the document, for ``hreflang`` links and the language menu."""

    tag: str
    href: str
    name: str  # the language's name in itself: "Deutsch", "Русский"
    direction: str
    og_locale: str  # "de_DE"
    current: bool
    default: bool  # the source language's edition: hreflang="x-default"


def alternates(edition: Edition) -> tuple[Alternate, ...]:
    """Every edition of the document, this one included, with its file name beside this page."""
    names = {language.tag: language.display_name() for language in edition.languages}
    found = []
    for language in edition.languages:
        name = names[language.tag]
        if list(names.values()).count(name) > 1:  # zh-Hans and zh-Hant: "中文 (简体)", "中文 (繁體)"
            full = language.locale.get_display_name(language.locale) or name
            name = full[:1].upper() + full[1:]
        found.append(Alternate(language.tag, f"{edition.document_id}.{language.tag}.html", name,
                               language.direction, og_locale(language), language == edition.language,
                               language == edition.source_language))
    return tuple(found)


def og_locale(language: Language) -> str:
    """Open Graph's ``language_TERRITORY``: ``en_GB``, ``de_DE``, ``zh_CN``, ``ar_EG``."""
    from babel.core import get_global

    likely: Mapping[str, str] = get_global("likely_subtags")
    guess = likely.get(f"{language.language}_{language.script}") or likely.get(language.language, "")
    territory = language.region or next((p for p in reversed(guess.split("_")[1:]) if len(p) != 4), None)
    return f"{language.language}_{territory}" if territory else language.language


def description(edition: Edition) -> str:
    """The first paragraph of the text, cut at a word after :data:`DESCRIPTION_LENGTH` characters."""
    first = next((block for block in edition.body if isinstance(block, Paragraph)), None)
    text = " ".join(plain_text(first.children).split()) if first else ""
    if not text:
        return edition.full_title
    if len(text) <= DESCRIPTION_LENGTH:
        return text
    cut = text[:DESCRIPTION_LENGTH]
    space = cut.rfind(" ")
    return (cut[:space] if space > DESCRIPTION_LENGTH // 2 else cut).rstrip(" .,;:、，。") + "…"


def build_html(edition: Edition, context: RenderContext, *, extra_css: Iterable[str] = (), font_css: str = "",
               alternates: Sequence[Alternate] = ()) -> str:
    layout = context.layout
    world = context.world
    edition = printed(edition, world)
    css = "\n".join([*([font_css] if font_css else []), *(world.read_text(layout.path(s)) for s in layout.stylesheets),
                     edition_css(edition, context), *extra_css])
    template = _environment(layout.root, world).get_template(layout.html_template)
    around = Around(edition.language, edition.direction)
    return compress_punctuation(template.render(
        edition=edition,
        css=Markup(css),
        body=blocks_html(edition.body, around),
        title=inline_html(edition.title_content, around),
        subtitle=inline_html(edition.subtitle_content, around),
        slogans=blocks_html(edition.slogans, around),
        inline=lambda nodes: inline_html(nodes, around),
        attrs=lambda phrase: phrase_attrs(phrase, edition),
        message=lambda key: layout.message(key, edition.language),
        build_time=context.build_time.isoformat(),
        version=__version__,
        description=description(edition),
        og_locale=og_locale(edition.language),
        alternates=alternates,
    ))


class _WorldLoader(BaseLoader):
    """Templates read through the world, from the layout folder only."""

    def __init__(self, root: Path, world: World) -> None:
        self.root = root
        self.world = world

    def get_source(self, environment: Environment, template: str) -> tuple[str, str, Callable[[], bool]]:
        path = self.root / template
        if not self.world.is_file(path):
            raise TemplateNotFound(template)
        return self.world.read_text(path), str(path), lambda: True


@lru_cache(maxsize=8)  # a preview makes a new world on every change
def _environment(root: Path, world: World) -> ImmutableSandboxedEnvironment:
    return ImmutableSandboxedEnvironment(
        loader=_WorldLoader(root, world), autoescape=True, undefined=StrictUndefined,
        keep_trailing_newline=True,
    )


def phrase_attrs(phrase: Phrase, edition: Edition) -> Markup:
    """`` lang="…"`` (and ``dir``) when the phrase's language or direction differs from the edition's."""
    parts = []
    if phrase.language.tag != edition.language.tag:
        parts.append(Markup(' lang="{}"').format(phrase.language.tag))
    if phrase.direction != edition.direction:
        parts.append(Markup(' dir="{}"').format(phrase.direction))
    return Markup("").join(parts)


# -- the body ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Around:
    """The language and direction of the text around a piece: the edition's, a div's or a span's."""

    language: Language
    direction: Direction


def marks(language: Language, direction: Direction, around: Around | None) -> Markup:
    """`` lang`` and `` dir`` where they differ from the text around (always, when that is unknown)."""
    parts = []
    if around is None or language.tag != around.language.tag:
        parts.append(Markup(' lang="{}"').format(language.tag))
    if around is None or direction != around.direction:
        parts.append(Markup(' dir="{}"').format(direction))
    return Markup("").join(parts)


def blocks_html(blocks: Iterable[Block], around: Around | None = None, *, tight: bool = False) -> Markup:
    return Markup("\n").join(_block(block, around, tight) for block in blocks)


def _block(block: Block, around: Around | None, tight: bool) -> Markup:
    if isinstance(block, Paragraph):
        content = inline_html(block.children, around)
        return content if tight else Markup("<p>{}</p>").format(content)
    if isinstance(block, Heading):
        level = min(block.level + 1, 6)
        return Markup("<h{0}>{1}</h{0}>").format(level, inline_html(block.children, around))
    if isinstance(block, BulletList):
        return Markup("<ul>\n{}\n</ul>").format(_items(block.items, around, block.tight))
    if isinstance(block, OrderedList):
        # --digits: how many digits the widest number has, so that the layout's hanging numbers get
        # room for them (a list that starts at 32767 printed "67." with the rest cut off)
        last = max(block.start, block.start + len(block.items) - 1)
        return Markup('<ol start="{0}" style="counter-reset: list-item {1}; --digits: {2}">\n{3}\n</ol>').format(
            block.start, block.start - 1, len(str(last)), _items(block.items, around, block.tight))
    if isinstance(block, BlockQuote):
        return Markup("<blockquote>\n{}\n</blockquote>").format(blocks_html(block.blocks, around))
    if isinstance(block, Div):
        inner = Around(block.language, block.direction)
        return Markup("<div{0}>\n{1}\n</div>").format(marks(block.language, block.direction, around),
                                                       blocks_html(block.blocks, inner, tight=tight))
    if isinstance(block, CodeBlock):
        return Markup("<pre><code>{}</code></pre>").format(block.text)
    if isinstance(block, ThematicBreak):
        return Markup("<hr>")
    raise TypeError(f"unknown block {block!r}")


def _items(items: tuple[ListItem, ...], around: Around | None, tight: bool) -> Markup:
    return Markup("\n").join(Markup("<li>{}</li>").format(blocks_html(item.blocks, around, tight=tight))
                             for item in items)


def inline_html(nodes: Iterable[Inline], around: Around | None = None) -> Markup:
    return Markup("").join(_inline(node, around) for node in nodes)


def _inline(node: Inline, around: Around | None) -> Markup:
    if isinstance(node, Text):
        return escape(node.text)
    if isinstance(node, Emphasis):
        return Markup("<em>{}</em>").format(inline_html(node.children, around))
    if isinstance(node, Strong):
        return Markup("<strong>{}</strong>").format(inline_html(node.children, around))
    if isinstance(node, Code):
        return Markup("<code>{}</code>").format(node.text)
    if isinstance(node, Link):
        title = Markup(' title="{}"').format(node.title) if node.title else Markup("")
        return Markup('<a href="{0}"{1}>{2}</a>').format(node.href, title, inline_html(node.children, around))
    if isinstance(node, Span):
        inner = Around(node.language, node.direction)
        return Markup("<span{0}>{1}</span>").format(marks(node.language, node.direction, around),
                                                    inline_html(node.children, inner))
    if isinstance(node, LineBreak):
        return Markup("<br>")
    raise TypeError(f"unknown inline {node!r}")
