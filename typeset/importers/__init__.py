"""``typeset import``: existing resolutions — plain text, Markdown, Word — made into a document folder.

In: a ``.txt``, ``.md``, ``.docx``, ``.odt`` or ``.doc`` file, an output folder, optionally the
document's language. Out: ``document.yaml``, ``<lang>.md`` and, for a long list, a CSV file,
written atomically through the :class:`~typeset.world.World`; the warnings of the import (every
guess that was not sure, at the input's ``path:line:col``) and then ``check``'s diagnostics of
what was written.

The steps:

1. **read** — :mod:`~typeset.importers.text` (plain text, Markdown) or
   :mod:`~typeset.importers.docx` (Word; ``.odt`` and ``.doc`` are first converted by
   LibreOffice, :mod:`~typeset.importers.office`) into paragraphs;
2. **recognise** — :mod:`~typeset.importers.recognise`: the same rules for every reader;
3. **write** — :mod:`~typeset.importers.write`;
4. **check** — the folder is prepared as ``typeset check`` prepares it (validation, lint, glyphs).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from typeset.diagnostics import Diagnostic, Diagnostics, Span
from typeset.errors import InputError, UsageError
from typeset.world import World

if TYPE_CHECKING:  # the readers load with the file they read
    from typeset.importers.paragraphs import Para

# What each suffix is read as.
TEXT_SUFFIXES = frozenset({".txt", ".text"})
MARKDOWN_SUFFIXES = frozenset({".md", ".markdown"})
WORD_SUFFIXES = frozenset({".docx"})
OFFICE_SUFFIXES = frozenset({".odt", ".doc", ".rtf"})
SUFFIXES = TEXT_SUFFIXES | MARKDOWN_SUFFIXES | WORD_SUFFIXES | OFFICE_SUFFIXES


@dataclass
class Imported:
    """What an import did: the files it wrote, its own warnings and ``check``'s diagnostics."""

    folder: Path
    files: list[Path]
    diagnostics: Diagnostics  # the import's, at the input's positions
    check: Diagnostics = field(default_factory=Diagnostics)  # of the folder written
    languages: tuple[str, ...] = ()
    signatories: int = 0
    document_id: str = ""

    @property
    def has_errors(self) -> bool:
        return self.diagnostics.has_errors or self.check.has_errors


def import_file(source: Path, folder: Path, world: World, *, language: str | None = None,
                force: bool = False) -> Imported:
    """Read ``source``, recognise its parts, write the document into ``folder`` and check it."""
    from typeset.importers.identify import available
    from typeset.importers.recognise import Recogniser, Settings, document_language
    from typeset.importers.write import write_document
    from typeset.prepare import prepare

    source, folder = Path(source), Path(folder)
    world = world.with_roots(source.parent, folder)
    tag = _language_option(language)
    _refuse_existing(folder, force)
    diagnostics = Diagnostics()
    paras = read_paragraphs(source, world, diagnostics)
    if not available():
        diagnostics.warning(Span(source), "the offline language identifier is not installed: the languages of "
                            "names come from their script alone", "pip install 'typeset[import]'", code="import")
    diagnostics.raise_if_errors()
    if not any(p.text.strip() for p in paras):
        raise InputError([_error(source, "nothing to import: the file has no text",
                                 "is this the right file? typeset import reads the text of the document")])
    if tag is None:
        guess = document_language(paras, layout_languages(world))
        tag = guess.tag
        if guess.confidence < 0.8:
            diagnostics.warning(Span(source), f"the document's language is a guess: '{tag}'",
                                "give it with --lang TAG (such as --lang en-GB)", code="import")
    settings = Settings(language=tag, signatory_words=signatory_words(world), today=world.today(),
                        document_id=document_id(folder), unnamed_heading=_signatories_word(world, tag))
    recogniser = Recogniser(paras, settings, tag, diagnostics)
    draft = recogniser.run()
    files = write_document(draft, folder, world, source_name=source.name)
    prepared = prepare(folder, world)
    document = prepared.document
    return Imported(folder, files, diagnostics, prepared.diagnostics,
                    languages=tuple(lang.tag for lang in document.languages) if document else (tag,),
                    signatories=sum(len(g.entries) for g in document.groups) if document else 0,
                    document_id=draft.id)


def read_paragraphs(source: Path, world: World, diagnostics: Diagnostics) -> list[Para]:
    """The paragraphs of ``source``, read by the reader its suffix names."""
    from typeset.source.loader import read_source_text

    suffix = source.suffix.lower()
    if not source.exists():
        raise InputError([_error(source, "no such file")])
    if not source.is_file():
        raise InputError([_error(source, "not a file", "give the path of a .txt, .md, .docx, .odt or .doc file")])
    if suffix not in SUFFIXES:
        raise InputError([_error(source, f"typeset import does not read '{suffix or source.name}' files",
                                 "it reads plain text (.txt), Markdown (.md) and Word (.docx; .odt and .doc "
                                 "through LibreOffice)")])
    if suffix in TEXT_SUFFIXES | MARKDOWN_SUFFIXES:
        from typeset.importers.text import read_text

        text = read_source_text(world, source, diagnostics,
                                hint="typeset import reads text files saved as UTF-8")
        if text is None:
            return []
        return read_text(text, source, markdown=suffix in MARKDOWN_SUFFIXES)
    from typeset.importers.docx import read_docx

    if suffix in OFFICE_SUFFIXES:
        from typeset.importers.office import converted_to_docx

        with converted_to_docx(source, world) as docx_path:
            return read_docx(world.with_roots(docx_path.parent), docx_path, diagnostics, shown_as=source)
    return read_docx(world, source, diagnostics)


def document_id(folder: Path) -> str:
    """The document's id: the folder's name, as the id may be written."""
    return re.sub(r"[^a-z0-9._-]+", "-", folder.resolve().name.lower()).strip("-._") or "document"


def signatory_words(world: World) -> tuple[str, ...]:
    """Stems of the word for "signatories" in every language of the bundled layouts."""
    from typeset.importers.countries import fold
    from typeset.layout import available_layouts, load_layout

    stems: set[str] = set()
    for name in available_layouts():
        for messages in load_layout(name, world).messages.values():
            word = fold(messages.get("signatories", "")).split(" ")[0]
            if len(word) >= 4:
                stems.add(word[:max(4, len(word) - 3)])  # "unterzeichner" → "unterzeich": "Unterzeichnet" too
    return tuple(sorted(stems))


def layout_languages(world: World) -> tuple[str, ...]:
    """The languages the bundled layouts have their fixed words in."""
    from typeset.layout import available_layouts, load_layout

    return tuple(sorted({tag for name in available_layouts() for tag in load_layout(name, world).messages}))


def _signatories_word(world: World, tag: str) -> str:
    from typeset.layout import load_layout
    from typeset.model.language import parse_language

    return load_layout("resolution", world).message("signatories", parse_language(tag))


def _language_option(language: str | None) -> str | None:
    if language is None:
        return None
    from typeset.model.language import LanguageTagError, parse_language

    try:
        return parse_language(language).tag
    except LanguageTagError as error:
        raise UsageError(str(error), hint=error.hint) from None


def _refuse_existing(folder: Path, force: bool) -> None:
    if folder.exists() and not folder.is_dir():
        raise UsageError(f"{folder} exists and is not a folder", hint="choose another output folder with -o")
    if folder.is_dir() and any(folder.iterdir()) and not force:
        raise UsageError(f"{folder} exists and is not empty",
                         hint="choose a new folder, or give --force to write the imported files into it")


def _error(path: Path, message: str, hint: str | None = None) -> Diagnostic:
    from typeset.diagnostics import Severity

    return Diagnostic(Severity.ERROR, Span(path), message, hint, code="import")
