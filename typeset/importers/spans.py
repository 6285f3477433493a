"""Pieces of the body in another language than the document, as the source format marks them.

In: Markdown text of a piece and its BCP 47 tag. Out: the piece marked as pandoc marks it —
``[text]{lang=fa}`` inline, ``::: {lang=fa}`` … ``:::`` around whole paragraphs — or unmarked.

The source format reads these marks (docs/source-format.md, "Spans and divs"); ``enabled=False``
writes a piece as plain text, for a caller that wants the text without its language.
"""

from __future__ import annotations

# Whether pieces in another language are marked by default.
INLINE_SPANS = True


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
