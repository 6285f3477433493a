"""Line-break opportunities in scripts written without spaces between words, for the PDF.

In: the HTML that WeasyPrint lays out (or one text). Out: the same HTML with a U+200B ZERO WIDTH
SPACE at every line-break opportunity that ICU's dictionary-based line breaker finds *inside* a run
of the scripts whose words are not separated by spaces — those of Unicode's line-break class SA
(Thai, Lao, Khmer, Myanmar, Tai Tham, New Tai Lue, Tai Le, Tai Viet, Ahom: :data:`SA_SCRIPTS`).

Why: Pango finds line breaks in these scripts only at spaces, except Thai through libthai where it
was built with it; a Khmer, Lao or Burmese sentence then runs past its column and off the page.
Chromium and LibreOffice break them with ICU's dictionaries, so the HTML and DOCX editions wrap
already; the PDF gets ICU's opportunities as ZWSP, which Pango breaks after and draws as no glyph
(:func:`html_break_opportunities` for the page, :func:`break_opportunities` for a running head).
Thai gets them too, so that its PDF wraps where Pango was built without libthai; where it was, a
Thai line may also end at one of libthai's boundaries, a finer cut in places ("ไม่|มี" where ICU
keeps "ไม่มี"). ICU has dictionaries for Thai, Lao, Khmer and Burmese only: a run of Tai Tham or
New Tai Lue gets no opportunity from it, and stays as it is.

What is left alone: everything outside the HTML's ``<body>``, comments, the contents of
``<script>``, ``<style>``, ``<textarea>`` and ``<title>``, tags and their attributes, and all text
in other scripts — a page without an SA character comes back as the very same string. An opportunity
is used only where ICU's line breaker and its grapheme-cluster breaker agree (never inside a
cluster: a Khmer subscript consonant stays with its base) and both neighbours are SA letters or
marks (at a space, or between Khmer and Latin, Pango's own rules already apply).

The source, the HTML edition and the DOCX are not touched; the PDF's text layer leaves the ZWSP out
(:mod:`typeset.render.pdf_text` draws it as no glyph and keeps no glyphless character but ZWNJ and
ZWJ). ICU comes from ``icu4py`` (a wheel bundling ICU with its break dictionaries), imported on first
use: a page without SA text never loads it.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable
from functools import lru_cache

from fontTools import unicodedata as ucd

from typeset.model.scripts import SA_SCRIPTS

ZWSP = "\u200b"

# What in an HTML page is not text: a comment, an element whose content is not markup (kept whole),
# a tag (quoted attribute values may hold ">"). One group around it all, for re.split.
_ATTRIBUTES = r"(?:[^>\"']++|\"[^\"]*+\"|'[^']*+')*+"  # possessive: never backtracks
_MARKUP = re.compile(
    "(<!--.*?-->"
    + "".join(f"|<{name}\\b{_ATTRIBUTES}>.*?</{name}\\s*>" for name in ("script", "style", "textarea", "title"))
    + f"|<[!/?a-zA-Z]{_ATTRIBUTES}>)",
    re.DOTALL | re.IGNORECASE)
_BODY = re.compile(f"<body\\b{_ATTRIBUTES}>", re.IGNORECASE)


@lru_cache(maxsize=1)
def _patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """Letters of the SA scripts in a row; a run of two or more SA letters and combining marks
    (whose script is "inherited": a mark, ZWJ or ZWNJ belongs to the run it stands in)."""
    letters: list[str] = []
    marks: list[str] = []
    starts = ucd.Scripts.RANGES
    for index, script in enumerate(ucd.Scripts.VALUES):
        if script in SA_SCRIPTS or script == "Zinh":
            end = starts[index + 1] - 1 if index + 1 < len(starts) else 0x10FFFF
            (marks if script == "Zinh" else letters).append(f"{re.escape(chr(starts[index]))}-{re.escape(chr(end))}")
    letter = "".join(letters)
    return re.compile(f"[{letter}]+"), re.compile(f"[{letter}{''.join(marks)}]{{2,}}")


def break_opportunities(text: str) -> str:
    """``text`` with a ZWSP at each of ICU's line-break opportunities inside its runs of SA scripts."""
    letter, run = _patterns()
    if not letter.search(text):
        return text
    runs = [match.span() for match in run.finditer(text) if letter.search(match.group())]
    if not runs:
        return text
    from icu4py.breakers import CharacterBreaker, LineBreaker

    # The line breaker's boundaries that are also grapheme-cluster boundaries, inside a run. The
    # locale makes no difference to SA text: ICU picks its dictionary by script.
    candidates = sorted(_boundaries(LineBreaker(text, "und")) & _boundaries(CharacterBreaker(text, "und")))
    cuts = []
    for start, end in runs:
        cuts.extend(candidates[bisect.bisect_right(candidates, start):bisect.bisect_left(candidates, end)])
    if not cuts:
        return text
    return ZWSP.join(text[start:end] for start, end in zip([0, *cuts], [*cuts, len(text)], strict=True))


def _boundaries(segments: Iterable[str]) -> set[int]:
    """Where the segments end, in code points (icu4py's ``segments()`` counts UTF-16 units)."""
    found = set()
    position = 0
    for segment in segments:
        position += len(segment)
        found.add(position)
    return found


def html_break_opportunities(html: str) -> str:
    """The page with :func:`break_opportunities` applied to each text in its ``<body>``."""
    body = _BODY.search(html)
    letters = _patterns()[0]
    if body is None or not letters.search(html, body.end()):
        return html  # no SA text: the very same page
    parts = _MARKUP.split(html[body.end():])  # text, markup, text, …, text
    for index in range(0, len(parts), 2):
        if letters.search(parts[index]):
            parts[index] = break_opportunities(parts[index])
    return html[:body.end()] + "".join(parts)
