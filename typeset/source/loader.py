"""Load a document folder into the model, collecting every problem on the way.

In: a folder holding ``document.yaml`` and one ``<lang>.md`` per language (and any CSV files
that groups point to), read through a :class:`~typeset.world.World`. Out: a
:class:`~typeset.model.document.Document` with numbers assigned, and a
:class:`~typeset.diagnostics.Diagnostics` holding every error and warning found — all of
them, not only the first.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from typeset.diagnostics import Diagnostics, Span
from typeset.errors import TypesetError
from typeset.model.document import (
    Document,
    Group,
    LanguageText,
    Phrase,
    Signatory,
    frozen_map,
)
from typeset.model.language import Language, LanguageTagError, parse_language
from typeset.model.numbering import number_groups
from typeset.source.csvfile import read_csv_entries
from typeset.source.folders import DOCUMENT_FILE, find_documents, locate, not_a_document  # noqa: F401 - re-exported
from typeset.source.lint import not_nfc, not_text
from typeset.source.markdown import read_language_file
from typeset.source.schema import CsvSource, DocumentSource, EntrySource, GroupSource
from typeset.source.texts import Texts, TextSite
from typeset.source.validation import report_validation_error
from typeset.source.yamlfile import KeyPath, Positions, read_yaml
from typeset.world import AccessDenied, Limits, World


@dataclass(frozen=True)
class Loaded:
    """What loading gives: the document (``None`` if there were errors) and every diagnostic."""

    document: Document | None
    diagnostics: Diagnostics
    path: Path
    sites: tuple[TextSite, ...] = ()
    language_spans: Mapping[str, Span] = field(default_factory=dict)
    names: Mapping[str, Span] = field(default_factory=dict)  # where each signatory's name stands, by its id
    id_span: Span | None = None  # where document.yaml gives the id


def read_source_text(world: World, path: Path, diagnostics: Diagnostics, *, hint: str | None = None) -> str | None:
    """A file's text, or ``None`` with a diagnostic saying why it could not be read."""
    refused = world.refusal(path)
    if refused is not None and refused.reason in ("missing", "not-a-file"):
        diagnostics.error(Span(path), "file not found", hint, code="io")
        return None
    try:
        data = world.read_bytes(path)
    except AccessDenied as error:
        diagnostics.error(Span(path), f"the file {error.detail}", hint or error.hint, code="io")
        return None
    except TypesetError as error:
        diagnostics.error(Span(path), error.message, hint or error.hint, code="io")
        return None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        col = error.start - (data.rfind(b"\n", 0, error.start) + 1) + 1
        diagnostics.error(Span(path, line, col), f"not UTF-8: byte 0x{data[error.start]:02X} cannot be read",
                          "save the file as UTF-8 (in a spreadsheet: 'CSV UTF-8')", code="encoding")
        return None
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        diagnostics.error(Span(path, line, 1), "the file contains a NUL character", "is this a text file?",
                          code="encoding")
        return None
    if not _plain_text(text, path, world.limits, diagnostics):
        return None
    if not unicodedata.is_normalized("NFC", text):
        not_nfc(text, lambda index: _span_of(text, index, path), diagnostics)
        text = unicodedata.normalize("NFC", text)
    return text.replace("\r\n", "\n").replace("\r", "\n")


# What a text file may not hold: C0 controls but tab, line feed and carriage return; DEL and the
# C1 controls; non-characters (lone surrogates cannot come out of UTF-8).
_NOT_TEXT = re.compile("[\x01-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufdd0-\ufdef\ufffe\uffff"
                       + "".join(f"\\U{plane:04X}FFFE\\U{plane:04X}FFFF" for plane in range(1, 17)) + "]")


def _plain_text(text: str, path: Path, limits: Limits, diagnostics: Diagnostics) -> bool:
    """Whether ``text`` holds only printable text in lines of a sane length; else an error at the
    first character that is not text (see :func:`typeset.source.lint.not_text` for why) or at the
    first line that is too long."""
    bad = _NOT_TEXT.search(text)
    if bad is not None:
        not_text(bad.group(), _span_of(text, bad.start(), path), diagnostics)
        return False
    if len(text) <= limits.max_line_chars:
        return True
    for number, line in enumerate(text.split("\n"), 1):
        if len(line) > limits.max_line_chars:
            diagnostics.error(Span(path, number, limits.max_line_chars + 1),
                              f"line {number} is {len(line):,} characters long, more than the limit of "
                              f"{limits.max_line_chars:,}", "break it into lines or paragraphs", code="limit")
            return False
    return True


def _span_of(text: str, index: int, path: Path) -> Span:
    line = text.count("\n", 0, index) + 1
    return Span(path, line, index - (text.rfind("\n", 0, index) + 1) + 1)


def load_document(path: Path, world: World) -> Loaded:
    meta_path = locate(path)
    folder = meta_path.parent
    world = world.with_roots(folder)
    diagnostics = Diagnostics()
    loader = _Loader(world, folder, meta_path, diagnostics)
    document = loader.load()
    return Loaded(document, diagnostics, meta_path, tuple(loader.texts.sites), loader.language_spans, loader.names,
                  loader.id_span)


class _Loader:
    def __init__(self, world: World, folder: Path, meta_path: Path, diagnostics: Diagnostics) -> None:
        self.world = world
        self.folder = folder
        self.meta_path = meta_path
        self.diagnostics = diagnostics
        self.files: list[Path] = [meta_path]
        self.ids: dict[str, Span] = {}
        self.suffixes: dict[str, int] = {}  # the last suffix given to each derived id
        self.texts = Texts(diagnostics)
        self.language_spans: dict[str, Span] = {}
        self.names: dict[str, Span] = {}  # where each signatory's name stands, by its id
        self.id_span: Span | None = None

    def load(self) -> Document | None:
        importable = not_a_document(self.meta_path)
        if importable is not None:
            self.diagnostics.error(Span(self.meta_path), *importable, code="io")
            return None
        if not self.world.is_file(self.meta_path):
            hint = ("a document is a folder with document.yaml and one <lang>.md per language; "
                    "'typeset new DIR' creates one")
            self.diagnostics.error(Span(self.meta_path), f"no {DOCUMENT_FILE} here", hint, code="io")
            return None
        text = read_source_text(self.world, self.meta_path, self.diagnostics)
        if text is None:
            return None
        read = read_yaml(text, self.meta_path, self.diagnostics, limits=self.world.limits)
        if read is None:
            return None
        data, positions = read
        self.id_span = positions.of(("id",))
        if not isinstance(data, dict):
            self.diagnostics.error(Span(self.meta_path), f"{DOCUMENT_FILE} must be a mapping of fields",
                                   "see docs/source-format.md", code="schema")
            return None
        source: DocumentSource | None
        try:
            source = DocumentSource.model_validate(data)
        except ValidationError as error:
            report_validation_error(error, data, positions, self.diagnostics)
            source = None

        languages = self._languages(data, positions)
        self.texts.declared = tuple(language.tag for language in languages)
        texts = self._texts(data, positions, languages)
        groups = self._groups(data, positions, languages)
        self.texts.add_yaml(data, positions, (), [language.tag for language in languages])
        self._cross_check(data, positions, languages)
        if source is None or self.diagnostics.has_errors:
            return None
        by_tag = {language.tag: language for language in languages}
        return Document(
            id=source.id,
            organisation=_localized(source.organisation, languages),
            date=source.date,
            place=_localized(source.place, languages) if source.place else frozen_map(),
            numerals=frozen_map(source.numerals),
            languages=tuple(languages),
            source_language=by_tag[source.source_language],
            texts=frozen_map(texts),
            groups=number_groups(tuple(groups)),
            layout=source.layout,
            root=self.folder,
            files=tuple(self.files),
        )

    # -- languages and their files ------------------------------------------------------------

    def _languages(self, data: dict[str, Any], positions: Positions) -> list[Language]:
        languages: list[Language] = []
        raw = data.get("languages")
        if not isinstance(raw, list):
            return languages
        limit = self.world.limits.max_languages
        if len(raw) > limit:
            self.diagnostics.error(positions.of(("languages",)), f"{len(raw):,} languages, more than the limit of "
                                   f"{limit:,}", "split the document, or build the languages in parts", code="limit")
            return languages
        for index, tag in enumerate(raw):
            try:
                language = parse_language(str(tag))
            except LanguageTagError:
                continue  # reported by the schema
            if language in languages:
                self.diagnostics.error(positions.of(("languages", index)), f"language '{tag}' is listed twice",
                                       code="schema")
                continue
            languages.append(language)
            self.language_spans[language.tag] = positions.of(("languages", index))
        return languages

    def _texts(self, data: dict[str, Any], positions: Positions, languages: list[Language]) -> dict[str, LanguageText]:
        declared = data.get("texts")
        if not isinstance(declared, dict):
            declared = {}
        texts: dict[str, LanguageText] = {}
        for index, language in enumerate(languages):
            name = declared.get(language.tag) or f"{language.tag}.md"
            path = self.folder / str(name)
            where: KeyPath = ("texts", language.tag) if language.tag in declared else ("languages", index)
            refused = self.world.refusal(path)
            if refused is not None and refused.reason == "missing":
                self.diagnostics.error(
                    positions.of(where), f"no text file '{name}' for language '{language.tag}'",
                    f"create {name} with '---', 'title: …', '---' and the text", code="io")
                continue
            if refused is not None:
                hint = ("keep every file of a document inside its folder (no '..', no links out)"
                        if refused.reason == "outside" else refused.hint)
                self.diagnostics.error(positions.of(where), f"the text file '{name}' for '{language.tag}' "
                                       f"{refused.detail}", hint, code="io")
                continue
            text = read_source_text(self.world, path, self.diagnostics)
            if text is None:
                continue
            self.files.append(path)
            result = read_language_file(text, path, language, self.texts, self.world.limits)
            if result is not None:
                texts[language.tag] = result
        return texts

    # -- signatory groups ------------------------------------------------------------------------

    def _groups(self, data: dict[str, Any], positions: Positions, languages: list[Language]) -> list[Group]:
        raw_groups = data.get("groups")
        if not isinstance(raw_groups, list):
            return []
        groups: list[Group] = []
        count = 0
        for index, raw in enumerate(raw_groups):
            try:
                group = GroupSource.model_validate(raw)
            except ValidationError:
                group = None  # reported with the whole document
            entries = self._entries(raw, ("groups", index), positions, languages)
            if group is None or entries is None:
                continue
            count += len(entries)
            if count > self.world.limits.max_entries:
                self.diagnostics.error(positions.of(("groups", index)), f"more than {self.world.limits.max_entries:,} "
                                       "signatories in the document", "split the document", code="limit")
                break
            groups.append(Group(id=group.id, headings=frozen_map(group.heading), numbering=group.numbering,
                                entries=tuple(entries), start=group.start if group.start is not None else 1))
        return groups

    def _rows(self, raw: dict[str, Any], where: KeyPath, positions: Positions
              ) -> tuple[list[tuple[Any, Positions, KeyPath]], bool] | None:
        """A group's raw entries with their positions, and whether they still need validating."""
        if isinstance(raw.get("entries"), list):
            # the document's own validation has reported their errors already
            return [(item, positions, (*where, "entries", i)) for i, item in enumerate(raw["entries"])], False
        if raw.get("csv") is None:
            return None
        try:
            spec = raw["csv"]
            csv_source = CsvSource(path=spec) if isinstance(spec, str) else CsvSource.model_validate(spec)
        except ValidationError:
            return None
        path = self.folder / csv_source.path
        text = read_source_text(self.world, path, self.diagnostics,
                                hint="name a CSV file inside the document folder")
        if text is None:
            return None
        self.files.append(path)
        rows = read_csv_entries(text, path, self.diagnostics, delimiter=csv_source.delimiter,
                                limits=self.world.limits)
        return [(entry, row_positions, ()) for entry, row_positions in rows], True

    def _entries(self, raw: Any, where: KeyPath, positions: Positions,
                 languages: list[Language]) -> list[Signatory] | None:
        """The validated entries of one group (from YAML or CSV), or ``None`` on errors."""
        found = self._rows(raw, where, positions) if isinstance(raw, dict) else None
        if found is None:
            return None
        rows, from_csv = found
        entries: list[Signatory] = []
        failed = False
        for item, item_positions, prefix in rows:
            try:
                source = EntrySource.model_validate(item)
            except ValidationError as error:
                if from_csv:
                    report_validation_error(error, item, item_positions, self.diagnostics, prefix)
                failed = True
                continue
            if from_csv:
                self.texts.add_yaml(item, item_positions, prefix, [language.tag for language in languages],
                                    entry_language=source.lang)
            span = item_positions.of(prefix)
            if source.id is not None and source.id in self.ids:
                self.diagnostics.error(item_positions.of((*prefix, "id")), f"the id '{source.id}' is taken",
                                       f"it was first given at {self.ids[source.id]}; choose another",
                                       code="schema")
                failed = True
                continue
            entry_id = source.id or _unique(_id_for(source), self.ids, self.suffixes)
            self.ids[entry_id] = span
            self.names[entry_id] = item_positions.of((*prefix, "name"))
            language = parse_language(source.lang)
            entries.append(Signatory(
                id=entry_id,
                name=Phrase(source.name, language),
                abbreviation=Phrase(source.abbreviation, language) if source.abbreviation else None,
                romanized=source.romanized,
                translations=frozen_map(source.translation),
                country=source.country,
                country_names=frozen_map(source.country_name),
                signed=source.signed,
                note=_localized(source.note, languages) if source.note else frozen_map(),
            ))
        return None if failed else entries

    # -- checks that span several fields -------------------------------------------------------

    def _cross_check(self, data: dict[str, Any], positions: Positions, languages: list[Language]) -> None:
        """Rules across fields, checked on the raw data so they are reported even beside schema errors."""
        tags = [language.tag for language in languages]
        bases = {tag.split("-")[0] for tag in tags}
        source = data.get("source_language")
        if isinstance(source, str) and tags and source not in tags:
            try:
                known = parse_language(source).tag in tags
            except LanguageTagError:
                known = True  # the schema reports the tag itself
            if not known:
                self.diagnostics.error(positions.of(("source_language",)),
                                       f"source language '{source}' is not among the languages",
                                       f"add '{source}' to 'languages'", code="schema")
        for key in _mapping(data.get("texts")):
            if key not in tags:
                self.diagnostics.error(positions.of(("texts", key), key=True),
                                       f"a text file for '{key}', which is not among the languages",
                                       f"add '{key}' to 'languages' or remove this line", code="schema")
        for key in ("organisation", "place"):
            if isinstance(data.get(key), dict):
                self._require_languages(data[key], tags, (key,), positions, key)
        groups = data.get("groups")
        for gi, raw_group in enumerate(groups if isinstance(groups, list) else []):
            group = _mapping(raw_group)
            if isinstance(group.get("heading"), dict):
                self._require_languages(group["heading"], tags, ("groups", gi, "heading"), positions, "heading")
            entries = group.get("entries")
            for ei, raw_entry in enumerate(entries if isinstance(entries, list) else []):
                entry = _mapping(raw_entry)
                where: KeyPath = ("groups", gi, "entries", ei)
                if not entry.get("country") and isinstance(entry.get("country_name"), dict):
                    self._require_languages(entry["country_name"], tags, (*where, "country_name"), positions,
                                            "country_name")
                for key in _mapping(entry.get("translation")):
                    if key not in tags and key not in bases:
                        self.diagnostics.warning(
                            positions.of((*where, "translation", key), key=True),
                            f"a translation into '{key}', which is not among the document's languages",
                            "it will not be printed", code="schema")

    def _require_languages(self, values: Mapping[str, Any], tags: list[str], where: KeyPath,
                           positions: Positions, label: str) -> None:
        for tag in tags:
            if tag not in values and tag.split("-")[0] not in values:
                self.diagnostics.error(positions.of(where), f"'{label}' has no text in '{tag}'",
                                       f"add '{tag}: …' under '{label}'", code="schema")

    # -- lint -----------------------------------------------------------------------------------



def _mapping(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _localized(value: str | dict[str, str], languages: list[Language]) -> Mapping[str, str]:
    if isinstance(value, str):
        return frozen_map({language.tag: value for language in languages})
    return frozen_map(value)


def _slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug or "entry"


def _id_for(entry: EntrySource) -> str:
    """A readable id: from the abbreviation, else the Latin form of the name, else the name."""
    for text in (entry.abbreviation, entry.romanized, entry.name):
        if text and _slug(text) != "entry":
            return _slug(text)
    return "entry"


def _unique(slug: str, taken: Mapping[str, Any], last: dict[str, int]) -> str:
    """``slug``, else ``slug-2``, ``slug-3``, …: the first not taken. ``last`` remembers the suffix
    given last for each slug (ids are only ever added), so that 40,000 entries with one
    abbreviation cost a step each rather than a step per entry before them."""
    n = last.get(slug, 1)
    candidate = slug if n == 1 else f"{slug}-{n}"
    while candidate in taken:
        n += 1
        candidate = f"{slug}-{n}"
    last[slug] = n
    return candidate
