"""Pieces of the body in another language than the document, as the source format marks them.

In: Markdown text of a piece and its BCP 47 tag. Out: the piece marked as pandoc marks it —
``[text]{lang=fa}`` inline, ``::: {lang=fa}`` … ``:::`` around whole paragraphs — or unmarked.

The source format reads these marks from the release that adds them; until then the importer
writes the pieces as plain text, so that what it writes is always a document ``check`` accepts.
Switching :data:`INLINE_SPANS` on is the only change the importer needs when the reader lands.
"""

from __future__ import annotations

# Whether the source format reads pandoc's language spans and divs (see the module docstring).
INLINE_SPANS = False


def language_span(markdown: str, tag: str, *, enabled: bool | None = None) -> str:
    """``markdown`` marked as being in ``tag``, if the source format reads such marks."""
    if not (INLINE_SPANS if enabled is None else enabled):
        return markdown
    return f"[{markdown}]{{lang={tag}}}"


def language_div(markdown: str, tag: str, *, enabled: bool | None = None) -> str:
    """Whole blocks (``markdown``, one or more paragraphs) marked as being in ``tag``."""
    if not (INLINE_SPANS if enabled is None else enabled):
        return markdown
    return f"::: {{lang={tag}}}\n{markdown}\n:::"
