"""PO (gettext) files through polib: segments out, translations back in.

In: the :class:`~typeset.translate.segments.Segment`\\ s for one target language; or the bytes of
a PO file. Out: the file's bytes; or a :class:`~typeset.translate.units.TranslationFile`.

One entry per segment: ``msgctxt`` is the segment's id, ``msgid`` the source text, ``msgstr`` the
translation (empty while it is missing), the segment's description an extracted comment
(``#.``) and its place in the source a reference (``#:``). Markup is shown as the source format
writes it — ``*emphasis*``, ``**strong**``, ``[a link](<https://…>)``, ``[a piece]{lang=fa}``, a
line break as ``\\`` at a line's end — as Sphinx shows reStructuredText in its catalogs. A stale
translation is ``fuzzy``; one still fuzzy when it comes back is imported and stays stale.

The header names the document (``X-Typeset-Document``), the source language
(``X-Typeset-Source-Language``) and the target (``Language``); it carries no dates, so two
exports of the same document give the same bytes.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

from typeset import __version__
from typeset.diagnostics import Diagnostics, Span
from typeset.translate.inline import digest
from typeset.translate.segments import Segment
from typeset.translate.units import NOT_CONFIRMED, TranslationFile, Unit

DOCUMENT_HEADER = "X-Typeset-Document"
SOURCE_HEADER = "X-Typeset-Source-Language"
_ENTRY = re.compile(rb"^\s*(msgid|msgctxt)\s+\"", re.MULTILINE)


def write_po(found: Sequence[Segment], document: str, source: str, target: str, stale: set[str]) -> bytes:
    import polib

    po = polib.POFile(wrapwidth=0, check_for_duplicates=False)
    po.metadata = {
        "Project-Id-Version": document,
        "Language": target,
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "X-Generator": f"typeset {__version__}",
        DOCUMENT_HEADER: document,
        SOURCE_HEADER: source,
    }
    for segment in found:
        target_text = segment.target_text
        if target_text is None and segment.keep:
            target_text = segment.text
        flags = ["fuzzy"] if segment.id in stale else []
        occurrences = [(segment.where.path.name, str(segment.where.line))] if segment.where is not None else []
        po.append(polib.POEntry(msgctxt=segment.id, msgid=segment.text, msgstr=target_text or "",
                                comment=segment.context + (" (required)" if segment.required else ""),
                                occurrences=occurrences, flags=flags))
    return str(po).encode("utf-8")


def is_po(data: bytes) -> bool:
    return bool(_ENTRY.search(data[:65536]))


def read_po(data: bytes, path: Path, diagnostics: Diagnostics) -> TranslationFile | None:
    import polib

    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        diagnostics.error(Span(path, line, 1), "the PO file is not UTF-8",
                          "save it as UTF-8 (the header's charset must say UTF-8)", code="translate")
        return None
    try:
        po = polib.pofile(text, wrapwidth=0)
    except (OSError, ValueError) as error:
        message = str(error)
        where = re.search(r"line (\d+)", message)
        diagnostics.error(Span(path, int(where[1]) if where else 1, 1), f"not a PO file: {message}",
                          "the translation tool must save a valid PO file", code="translate")
        return None
    out = TranslationFile(path, "po", po.metadata.get(DOCUMENT_HEADER), po.metadata.get(SOURCE_HEADER),
                          po.metadata.get("Language"))
    for entry in po:
        if entry.obsolete:
            continue
        span = Span(path, getattr(entry, "linenum", 1) or 1, 1)
        if not entry.msgctxt:
            diagnostics.error(span, f"the entry '{_short(entry.msgid)}' has no msgctxt",
                              "typeset names every segment in msgctxt; keep it as exported", code="translate")
            continue
        fuzzy = "fuzzy" in entry.flags
        target = entry.msgstr if entry.msgstr.strip() else None
        out.units.append(Unit(entry.msgctxt, entry.msgid, target, span,
                              NOT_CONFIRMED if fuzzy else digest(entry.msgid)))
    return out


def _short(text: str, width: int = 40) -> str:
    return text if len(text) <= width else text[:width - 1] + "…"


__all__ = ["is_po", "read_po", "write_po"]
