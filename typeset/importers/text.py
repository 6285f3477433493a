"""Plain text and Markdown drafts read into paragraphs.

In: the text of a ``.txt`` or ``.md`` file. Out: :class:`~typeset.importers.paragraphs.Para`
objects with the line and column of every character.

A blank line ends a paragraph. A line that starts with a list mark (•, -, *, –, "1.", "1)")
starts a new one, so a list typed without blank lines stays a list. A line joins the one before
it only if that one was long (near the width the text is wrapped at), so a list of short lines —
one signatory per line — is never run together, while hard-wrapped prose is. In Markdown, ``#``
headings become headings and ``**bold**`` and ``*italic*`` become formatted runs; a front matter
block is skipped.
"""

from __future__ import annotations

import re
from pathlib import Path

from typeset.diagnostics import Span
from typeset.importers.paragraphs import Para, Run

# A list mark at the start of a line: bullets, or a number with "." or ")" (any script's digits).
LIST_MARK = re.compile(r"^\s*(?:[•\-*–—‣◦▪●·]\s+|\(?\d{1,4}[.)]\s+|\d{1,4}\t)")
_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_EMPHASIS = re.compile(r"(\*\*|__)(.+?)\1|(?<![\w*])([*_])(?!\s)(.+?)(?<!\s)\3(?![\w*])")


def read_text(text: str, path: Path, *, markdown: bool = False) -> list[Para]:
    lines = text.split("\n")
    first = 0
    if markdown and lines and lines[0].strip() == "---":  # front matter: not part of the text
        closing = next((i for i in range(1, len(lines)) if lines[i].strip() in ("---", "...")), None)
        if closing is not None:
            first = closing + 1
    width = max((len(line.rstrip()) for line in lines), default=0)
    paragraphs: list[Para] = []
    pending: list[tuple[int, int, str]] = []  # (line number, column, text) of the paragraph being read

    def flush() -> None:
        if pending:
            paragraphs.append(_paragraph(pending, path, markdown))
            pending.clear()

    for index in range(first, len(lines)):
        raw = lines[index].rstrip()
        stripped = raw.strip()
        if not stripped or (markdown and stripped.startswith(":::")):
            flush()
            continue
        col = len(raw) - len(raw.lstrip()) + 1
        heading = markdown and _HEADING.match(stripped)
        starts_new = bool(LIST_MARK.match(raw)) or heading or not pending or (
            len(pending[-1][2]) + pending[-1][1] < 0.6 * width)
        if starts_new:
            flush()
        pending.append((index + 1, col, stripped))
        if heading:
            flush()
    flush()
    return paragraphs


def _paragraph(lines: list[tuple[int, int, str]], path: Path, markdown: bool) -> Para:
    heading = None
    line, col, first = lines[0]
    match = _HEADING.match(first) if markdown else None
    if match:
        heading = len(match[1])
        col += first.index(match[2]) if match[2] else 0
        lines = [(line, col, match[2])]
    text = ""
    breaks: list[tuple[int, Span]] = []
    for number, (line, col, part) in enumerate(lines):
        if number:
            text += " "
            breaks.append((len(text), Span(path, line, col)))
        text += part
    runs = _runs(text) if markdown else (Run(text),)
    if markdown and len("".join(r.text for r in runs)) != len(text):
        breaks = []  # emphasis marks removed: positions inside are approximate from here on
    return Para(runs, Span(path, lines[0][0], lines[0][1]), tuple(breaks), heading=heading)


def _runs(text: str) -> tuple[Run, ...]:
    runs: list[Run] = []
    position = 0
    for match in _EMPHASIS.finditer(text):
        if match.start() > position:
            runs.append(Run(text[position:match.start()]))
        if match[1]:
            runs.append(Run(match[2], bold=True))
        else:
            runs.append(Run(match[4], italic=True))
        position = match.end()
    if position < len(text):
        runs.append(Run(text[position:]))
    return tuple(runs) or (Run(""),)
