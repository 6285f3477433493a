"""The immutable document model; see :mod:`typeset.model.document` and :mod:`typeset.model.edition`."""

from typeset.model.document import Document, Group, LanguageText, Phrase, Signatory
from typeset.model.edition import Edition, EditionEntry, EditionGroup, make_edition
from typeset.model.language import Language, parse_language

__all__ = [
    "Document", "Edition", "EditionEntry", "EditionGroup", "Group", "Language",
    "LanguageText", "Phrase", "Signatory", "make_edition", "parse_language",
]
