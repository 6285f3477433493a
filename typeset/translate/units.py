"""What a translation file says, whatever its format: the document, the languages and the units.

In: nothing (each format's reader fills these). Out: :class:`TranslationFile` — the document id,
source and target languages the file names, and per segment id a :class:`Unit` holding the
source text as the file has it and the translation (Markdown for PO, inline codes for XLIFF and
DOCX), with the file position to report a problem at.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from typeset.diagnostics import Span
from typeset.translate.inline import Codes

FORMATS = ("xliff", "xliff2", "po", "docx")
SUFFIXES = {"xliff": ".xlf", "xliff2": ".xlf", "po": ".po", "docx": ".docx"}
NOT_CONFIRMED = "-" * 12  # the digest of a translation its tool still marks for review: never today's
NAMESPACE = "urn:typeset:translation"  # extension attributes in XLIFF: a link's address, a source's digest


@dataclass
class Unit:
    """One segment as a translation file has it.

    ``source`` and ``target`` are :class:`~typeset.translate.inline.Codes` (XLIFF, DOCX) or
    Markdown (PO); ``target`` is ``None`` when the file has no translation for it.
    ``digest`` is the digest of the source the file recorded at export, if it kept it.
    """

    id: str
    source: Codes | str
    target: Codes | str | None
    where: Span
    digest: str | None = None
    paragraphs: int = 1  # DOCX: how many paragraphs the translation was typed in


@dataclass
class TranslationFile:
    path: Path
    format: str
    document: str | None
    source_language: str | None
    target_language: str | None
    units: list[Unit] = field(default_factory=list)
