"""HTML renderer: an edition as one standalone HTML5 page, through the layout's Jinja2 template.

In: an :class:`~typeset.model.edition.Edition` and a render context. Out: UTF-8 HTML with the
layout's CSS inlined, ``lang``/``dir`` on the page and on every name in another language.
Templates run in Jinja2's sandbox with autoescape always on (whatever the file is called),
so no text from a source can become markup. The PDF renderer reuses :func:`build_html`.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from pathlib import Path

from jinja2 import BaseLoader, StrictUndefined, TemplateNotFound
from jinja2.sandbox import ImmutableSandboxedEnvironment
from markupsafe import Markup, escape

from typeset import __version__
from typeset.model.document import (
    Block, BlockQuote, BulletList, Code, CodeBlock, Emphasis, Heading, Inline, LineBreak, Link,
    ListItem, OrderedList, Paragraph, Phrase, Strong, Text, ThematicBreak,
)
from typeset.model.edition import Edition
from typeset.render import RenderContext
from typeset.render.css import edition_css
from typeset.world import World


def render(edition: Edition, context: RenderContext) -> bytes:
    return build_html(edition, context).encode("utf-8")


def build_html(edition: Edition, context: RenderContext, *, extra_css: Iterable[str] = ()) -> str:
    layout = context.layout
    world = context.world
    css = "\n".join([*(world.read_text(layout.path(s)) for s in layout.stylesheets),
                     edition_css(edition, context), *extra_css])
    template = _environment(layout.root, world).get_template(layout.html_template)
    return template.render(
        edition=edition,
        css=Markup(css),
        body=blocks_html(edition.body),
        inline=inline_html,
        attrs=lambda phrase: phrase_attrs(phrase, edition),
        message=lambda key: layout.message(key, edition.language),
        build_time=context.build_time.isoformat(),
        version=__version__,
    )


class _WorldLoader(BaseLoader):
    """Templates read through the world, from the layout folder only."""

    def __init__(self, root: Path, world: World) -> None:
        self.root = root
        self.world = world

    def get_source(self, environment, template):  # type: ignore[no-untyped-def]
        path = self.root / template
        if not self.world.is_file(path):
            raise TemplateNotFound(template)
        return self.world.read_text(path), str(path), lambda: True


@cache
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


def blocks_html(blocks: Iterable[Block], *, tight: bool = False) -> Markup:
    return Markup("\n").join(_block(block, tight) for block in blocks)


def _block(block: Block, tight: bool) -> Markup:
    if isinstance(block, Paragraph):
        content = inline_html(block.children)
        return content if tight else Markup("<p>{}</p>").format(content)
    if isinstance(block, Heading):
        level = min(block.level + 1, 6)
        return Markup("<h{0}>{1}</h{0}>").format(level, inline_html(block.children))
    if isinstance(block, BulletList):
        return Markup("<ul>\n{}\n</ul>").format(_items(block.items, block.tight))
    if isinstance(block, OrderedList):
        return Markup('<ol start="{0}" style="counter-reset: list-item {1}">\n{2}\n</ol>').format(
            block.start, block.start - 1, _items(block.items, block.tight))
    if isinstance(block, BlockQuote):
        return Markup("<blockquote>\n{}\n</blockquote>").format(blocks_html(block.blocks))
    if isinstance(block, CodeBlock):
        return Markup("<pre><code>{}</code></pre>").format(block.text)
    if isinstance(block, ThematicBreak):
        return Markup("<hr>")
    raise TypeError(f"unknown block {block!r}")


def _items(items: tuple[ListItem, ...], tight: bool) -> Markup:
    return Markup("\n").join(Markup("<li>{}</li>").format(blocks_html(item.blocks, tight=tight)) for item in items)


def inline_html(nodes: Iterable[Inline]) -> Markup:
    return Markup("").join(_inline(node) for node in nodes)


def _inline(node: Inline) -> Markup:
    if isinstance(node, Text):
        return escape(node.text)
    if isinstance(node, Emphasis):
        return Markup("<em>{}</em>").format(inline_html(node.children))
    if isinstance(node, Strong):
        return Markup("<strong>{}</strong>").format(inline_html(node.children))
    if isinstance(node, Code):
        return Markup("<code>{}</code>").format(node.text)
    if isinstance(node, Link):
        title = Markup(' title="{}"').format(node.title) if node.title else Markup("")
        return Markup('<a href="{0}"{1}>{2}</a>').format(node.href, title, inline_html(node.children))
    if isinstance(node, LineBreak):
        return Markup("<br>")
    raise TypeError(f"unknown inline {node!r}")
