"""One language of a document, resolved for rendering.

In: a :class:`~typeset.model.document.Document` and one of its languages. Out: an
:class:`Edition` in which every string is the one to print — headings, translations of
names, country names and dates in that language — so the renderers only lay it out. What is
printed of the edition as a whole (the date line, the full title, the metadata's description,
subject and keywords) is composed here, once, with the edition's own punctuation, for the three
renderers and the layouts' templates.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from typeset.model.document import (
    Block,
    Document,
    Inline,
    NumberingMode,
    Phrase,
    Signatory,
    Slogan,
    Text,
    block_languages,
    inline_languages,
)
from typeset.model.language import Direction, Language, parse_language
from typeset.model.localize import Punctuation, country_name, format_date, numbering_system, punctuation


@dataclass(frozen=True, slots=True)
class EditionEntry:
    id: str
    number: int | None
    name: Phrase
    abbreviation: Phrase | None
    romanized: Phrase | None
    translation: Phrase | None
    country: str | None
    signed: str | None
    note: str | None


@dataclass(frozen=True, slots=True)
class EditionGroup:
    id: str
    heading: str
    numbering: NumberingMode
    sequence: int | None
    start: int
    entries: tuple[EditionEntry, ...]

    @property
    def numbered(self) -> bool:
        return self.sequence is not None


@dataclass(frozen=True, slots=True)
class Edition:
    document_id: str
    language: Language
    source_language: Language
    languages: tuple[Language, ...]
    organisation: str
    title: str
    subtitle: str | None
    date: dt.date
    date_text: str
    place: str | None
    numerals: str
    punctuation: Punctuation
    body: tuple[Block, ...]
    slogans: tuple[Slogan, ...]
    groups: tuple[EditionGroup, ...]
    short_title: str = ""  # for running heads; the title if the source gives none
    keywords: tuple[str, ...] = ()  # for metadata; the organisation and place if the source gives none
    # What the renderers print of the title and subtitle: the plain strings above as inline
    # content, with the spans that mark a piece in another language (empty: the plain string).
    title_inline: tuple[Inline, ...] = ()
    subtitle_inline: tuple[Inline, ...] = ()

    @property
    def direction(self) -> Direction:
        return self.language.direction

    @property
    def is_source(self) -> bool:
        return self.language == self.source_language

    @property
    def entries(self) -> tuple[EditionEntry, ...]:
        return tuple(entry for group in self.groups for entry in group.entries)

    @property
    def title_content(self) -> tuple[Inline, ...]:
        """The title as inline content (spans and all)."""
        return self.title_inline or (Text(self.title),)

    @property
    def subtitle_content(self) -> tuple[Inline, ...]:
        """The subtitle as inline content; empty when there is none."""
        return self.subtitle_inline or ((Text(self.subtitle),) if self.subtitle else ())

    # -- what is printed of the edition as a whole, composed here once for every renderer and
    # template, with the edition's own comma ("،" in Arabic, "，" in Chinese, "、" in Japanese)

    @property
    def date_line_parts(self) -> tuple[str, ...]:
        """The fields of the date line, in print order: the place (if any) and the date."""
        return (self.place, self.date_text) if self.place else (self.date_text,)

    @property
    def date_line(self) -> str:
        """Where and when, as printed under the title: "Gurgaon, 31 March 2017", "القاهرة، ٢٩ …"."""
        return self.punctuation.comma.join(self.date_line_parts)

    @property
    def full_title(self) -> str:
        """The title, the organisation and the date, as a window, tab or search result shows the
        edition: "Solidarity with … — ICOR, 31 March 2017"."""
        return f"{self.title} — {self.organisation}{self.punctuation.comma}{self.date_text}"

    @property
    def description(self) -> str:
        """What the edition is, for the PDF's metadata: its subtitle (else its title), the
        organisation and the date line."""
        return f"{self.subtitle or self.title} — {self.organisation}{self.punctuation.comma}{self.date_line}"

    @property
    def subject(self) -> str:
        """The subject of the DOCX's properties: the subtitle, else the organisation and date line."""
        return self.subtitle or f"{self.organisation}{self.punctuation.comma}{self.date_line}"

    @property
    def keyword_line(self) -> str:
        """The keywords and the document's id, once each, as one line (the DOCX's keywords)."""
        return self.punctuation.comma.join(dict.fromkeys((*self.keywords, self.document_id)))

    @property
    def marked_languages(self) -> tuple[Language, ...]:
        """Every language a span or div of the text is marked with, once, in reading order."""
        found = [*inline_languages(self.title_content), *inline_languages(self.subtitle_content),
                 *block_languages(self.body), *block_languages(self.slogans)]
        return tuple(dict.fromkeys(found))


def pick(values: Mapping[str, str], language: Language, fallback: Language) -> str | None:
    """The value for ``language``, else for its bare language subtag, else the fallback's."""
    for key in (language.tag, language.language, fallback.tag, fallback.language):
        if key in values:
            return values[key]
    return None


def make_edition(document: Document, tag: str) -> Edition:
    language = document.language(tag)
    source = document.source_language
    text = document.texts[language.tag]
    numerals = numbering_system(language, _own(document.numerals, language))
    groups = tuple(
        EditionGroup(
            id=group.id,
            heading=pick(group.headings, language, source) or "",
            numbering=group.numbering,
            sequence=group.sequence,
            start=group.start,
            entries=tuple(_entry(entry, language, source, numerals) for entry in group.entries),
        )
        for group in document.groups
    )
    return Edition(
        document_id=document.id,
        language=language,
        source_language=source,
        languages=document.languages,
        organisation=pick(document.organisation, language, source) or "",
        title=text.title,
        subtitle=text.subtitle,
        date=document.date,
        date_text=format_date(document.date, language, numerals),
        place=pick(document.place, language, source),
        numerals=numerals,
        punctuation=punctuation(language),
        body=text.body,
        slogans=text.slogans,
        groups=groups,
        short_title=text.short_title or text.title,
        keywords=text.keywords or _default_keywords(document, language, source),
        title_inline=text.title_inline,
        subtitle_inline=text.subtitle_inline,
    )


def _default_keywords(document: Document, language: Language, source: Language) -> tuple[str, ...]:
    found = (pick(document.organisation, language, source), pick(document.place, language, source))
    return tuple(dict.fromkeys(k for k in found if k))


def _entry(entry: Signatory, language: Language, source: Language, numerals: str) -> EditionEntry:
    name_language = entry.name.language
    translation = None
    if name_language.language != language.language or name_language.script != language.script:
        text = _own(entry.translations, language)
        if text and text != entry.name.text:
            translation = Phrase(text, language)
    romanized = None
    if entry.romanized and name_language.script != language.script:
        romanized = Phrase(entry.romanized, parse_language(f"{name_language.language}-Latn"))
    country = (
        _own(entry.country_names, language)
        or (country_name(entry.country, language) or entry.country if entry.country else None)
        or pick(entry.country_names, language, source)
    )
    return EditionEntry(
        id=entry.id,
        number=entry.number,
        name=entry.name,
        abbreviation=entry.abbreviation,
        romanized=romanized,
        translation=translation,
        country=country,
        signed=format_date(entry.signed, language, numerals) if entry.signed else None,
        note=pick(entry.note, language, source),
    )


def _own(values: Mapping[str, str], language: Language) -> str | None:
    """The value written for this very language, without falling back to another."""
    return values.get(language.tag) or values.get(language.language)
