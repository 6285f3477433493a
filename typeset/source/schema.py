"""The source format as typed models; the JSON Schema that editors use is generated from here.

In: plain data read from ``document.yaml``, a language file's front matter or a CSV row.
Out: validated, frozen pydantic models. Cross-field rules that need positions (a heading
missing in one language, duplicate ids) are checked by :mod:`typeset.source.loader`.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator
from pydantic_core import PydanticCustomError

from typeset.model.language import LanguageTagError, parse_language
from typeset.model.localize import ZEROS, is_country
from typeset.model.numbering import MAX_START

SCHEMA_BASE = "https://typeset.invalid/schema/"


def _language(value: str) -> str:
    try:
        return parse_language(value).tag
    except LanguageTagError as error:
        raise PydanticCustomError("language", "{message}", {"message": str(error), "hint": error.hint}) from None


def _country(value: str) -> str:
    if not is_country(value):
        raise PydanticCustomError(
            "country",
            "unknown country code '{code}'",
            {"code": value, "hint": "use an ISO 3166-1 alpha-2 code such as 'DE', 'CD' or 'TR'; "
                                    "for a former country give 'country_name' per language instead"},
        )
    return value.upper()


# Names an output folder ``OUT/<id>/`` may not take: typeset's own files in OUT, and the device
# names Windows reserves with any extension (a folder called "con" cannot be made there).
_OWN_FILES = frozenset({"index.html", "manifest.json", "fonts"})
_WINDOWS_DEVICES = frozenset({"con", "prn", "aux", "nul", *(f"com{n}" for n in range(10)),
                              *(f"lpt{n}" for n in range(10))})


def _document_id(value: str) -> str:
    if value in _OWN_FILES or value.split(".")[0] in _WINDOWS_DEVICES or value.endswith("."):
        raise PydanticCustomError(
            "document_id", "the id '{id}' cannot name the document's output folder",
            {"id": value, "hint": "typeset writes index.html, manifest.json and fonts/ itself, Windows reserves "
                                  "con, prn, aux, nul, com1-9 and lpt1-9 (with any extension), and a name may not "
                                  "end with '.'; choose another id"})
    return value


def _start(value: int | None) -> int | None:
    if value is not None and value > MAX_START:
        raise PydanticCustomError(
            "start", "'start' is {start}, more than {limit}",
            {"start": value, "limit": MAX_START, "hint": f"Word and LibreOffice cannot start a list above {MAX_START}"})
    return value


def _not_blank(value: str) -> str:
    if not value.strip():
        raise PydanticCustomError("blank", "must not be empty", {"hint": "write the text or remove the key"})
    return value.strip()


LanguageTag = Annotated[str, AfterValidator(_language), Field(
    description="A BCP 47 language tag: 'en', 'de', 'sr-Latn', 'zh-Hans'.",
    json_schema_extra={"pattern": r"^[a-zA-Z]{2,3}(-[a-zA-Z]{4})?(-([a-zA-Z]{2}|[0-9]{3}))?(-[a-zA-Z0-9]{4,8})*$"},
)]
CountryCode = Annotated[str, AfterValidator(_country), Field(
    description="An ISO 3166-1 alpha-2 country code such as 'DE'.", pattern=r"^[A-Za-z]{2}$",
)]
Text = Annotated[str, AfterValidator(_not_blank)]
if TYPE_CHECKING:
    Numerals = str  # a literal built at run time is beyond a static checker: it sees a string
else:
    Numerals = Literal[tuple(ZEROS)]  # pydantic checks (and the schema lists) the numbering systems
Slug = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9._-]*$", max_length=120,
                            description="Lower-case letters, digits, '.', '_' and '-'.")]
DocumentId = Annotated[Slug, AfterValidator(_document_id)]
PerLanguage = dict[LanguageTag, Text]
Localized = Annotated[Text | PerLanguage, Field(
    description="One text for every language, or a map from language tag to text.")]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, coerce_numbers_to_str=True,
                              str_strip_whitespace=True)


class EntrySource(_Strict):
    """One signatory."""

    id: Slug | None = Field(None, description="A stable id (kept across languages and edits); "
                                              "derived from the abbreviation or name if absent.")
    abbreviation: Text | None = Field(None, description="The short form, as the signatory writes it.")
    name: Text = Field(description="The name in its own language and script.")
    lang: LanguageTag = Field(description="The language (and script, if not the usual one) of 'name'.")
    romanized: Text | None = Field(None, description="The name in Latin letters, for a name in another script.")
    translation: PerLanguage = Field(default_factory=dict,
                                     description="The name translated, per edition language.")
    country: CountryCode | None = Field(None, description="Where the signatory is, as an ISO 3166-1 code.")
    country_name: PerLanguage = Field(default_factory=dict,
                                      description="The country as printed, per language, when CLDR's name "
                                                  "is not the one wanted (or there is no code).")
    signed: dt.date | None = Field(None, description="The date the signatory signed (YYYY-MM-DD).")
    note: Localized | None = Field(None, description="A short note printed after the entry.")


class CsvSource(_Strict):
    """Entries kept in a spreadsheet export."""

    path: Text = Field(description="The CSV file, relative to the document folder.")
    delimiter: Literal[",", ";", "\t"] | None = Field(None, description="The field separator; guessed if absent.")


class GroupSource(_Strict):
    """A heading and its signatories."""

    id: Slug = Field(description="A stable id for the group.")
    heading: PerLanguage = Field(description="The heading, in every language of the document.")
    numbering: Literal["continue", "restart", "none"] = Field(
        "continue", description="'continue' the numbers of the previous numbered group, "
                                "'restart' them, or print 'none'.")
    start: Annotated[int | None, AfterValidator(_start)] = Field(
        None, ge=0, json_schema_extra={"maximum": MAX_START},
        description=f"The first number of a 'restart' group (default 1, at most {MAX_START}).")
    entries: list[EntrySource] | None = Field(None, description="The signatories, in order.")
    csv: Text | CsvSource | None = Field(None, description="A CSV file holding the signatories instead.")

    @model_validator(mode="after")
    def _one_source(self) -> GroupSource:
        if (self.entries is None) == (self.csv is None):
            raise PydanticCustomError(
                "entries", "a group needs either 'entries' or 'csv'",
                {"hint": "list the signatories under 'entries:', or name a CSV file with 'csv:'"})
        if self.start is not None and self.numbering != "restart":
            raise PydanticCustomError(
                "start", "'start' only applies to a group with numbering: restart",
                {"hint": "remove 'start' or set 'numbering: restart'"})
        return self


class DocumentSource(_Strict):
    """``document.yaml``: what every edition of the document shares."""

    model_config = ConfigDict(title="typeset document", populate_by_name=True)

    schema_: str | None = Field(None, alias="$schema", description="The JSON Schema, for editors.")
    id: DocumentId = Field(description="The document's id; output files are named after it.")
    organisation: Localized = Field(description="Who issues the document.")
    date: dt.date = Field(description="The date of the document (YYYY-MM-DD).")
    place: Localized | None = Field(None, description="Where it was issued.")
    languages: list[LanguageTag] = Field(min_length=1, description="Every language there is an edition in.")
    source_language: LanguageTag = Field(description="The language the text was written in.")
    texts: dict[LanguageTag, Text] = Field(default_factory=dict,
                                           description="The text file per language (default '<lang>.md').")
    numerals: dict[LanguageTag, Numerals] = Field(
        default_factory=dict, description="Digits per language, where CLDR's choice is not wanted: "
                                          "'latn', 'arab', 'arabext', 'beng', 'deva', …")
    layout: str | None = Field(None, description="The layout to use when the command line names none.")
    groups: list[GroupSource] = Field(default_factory=list, description="The signatory groups, in order.")


class TextSource(_Strict):
    """The front matter of a language file (``en.md``): the texts that are not body."""

    model_config = ConfigDict(title="typeset language file front matter")

    title: Text = Field(description="The title of the edition.")
    subtitle: Text | None = Field(None, description="A line under the title.")
    short_title: Text | None = Field(None, description="A short form of the title for running heads "
                                                       "(default: the title).")
    keywords: list[Text] = Field(default_factory=list, description="Keywords for the document's metadata "
                                                                   "(default: the organisation and the place).")


def check_document_id(value: str) -> str:
    """``value`` if it may be a document's id; else :class:`ValueError` with the reason and a hint."""
    from pydantic import TypeAdapter, ValidationError

    try:
        return TypeAdapter(DocumentId).validate_python(value)
    except ValidationError as error:
        detail = error.errors(include_url=False)[0]
        hint = (detail.get("ctx") or {}).get("hint") or "use lower-case letters, digits, '.', '_' and '-', at most 120"
        raise ValueError(detail["msg"], hint) from None


def json_schema(kind: Literal["document", "text"] = "document") -> dict[str, Any]:
    model = DocumentSource if kind == "document" else TextSource
    schema = model.model_json_schema(by_alias=True)
    return {"$schema": "https://json-schema.org/draft/2020-12/schema",
            "$id": f"{SCHEMA_BASE}{kind}.schema.json", **schema}
