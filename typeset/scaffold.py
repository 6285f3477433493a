"""``typeset new``: a new document folder that builds as it is.

In: a folder (which must not exist or be empty), an id and the languages. Out: a
``document.yaml`` with one group of two signatories and a ``<lang>.md`` per language,
written through the :class:`~typeset.world.World` so nothing half-written is left. The id is
checked as ``document.yaml``'s is, and written as a quoted YAML scalar.
"""

from __future__ import annotations

import re
from pathlib import Path

from typeset.errors import UsageError
from typeset.escape import yaml_scalar
from typeset.model.language import LanguageTagError, parse_language
from typeset.source.schema import check_document_id
from typeset.world import World

_DOCUMENT = """\
# A typeset document: the metadata every edition shares.
# The format is described in docs/source-format.md of typeset.
id: {id}
organisation: Your organisation
date: {date}
languages: [{languages}]
source_language: {source}

groups:
  - id: signatories
    numbering: restart          # continue | restart | none
    heading:
{headings}
    entries:
      - abbreviation: EX
        name: Example Organisation
        lang: en
        country: GB
      - abbreviation: МО
        name: Мирная организация
        lang: ru
        romanized: Mirnaya organizatsiya
        translation:
{translations}
        country: UA
"""

_TEXT = """\
---
title: {title}
---

Write the text here, in Markdown: paragraphs separated by blank lines, *emphasis*,
**strong**, [links](https://example.org), lists and block quotes.

- A point
- Another point

::: slogans
A slogan, set apart at the end of the text!
:::
"""


def scaffold(folder: Path, world: World, *, document_id: str | None = None,
             languages: list[str] | None = None) -> list[Path]:
    """Write a new document into ``folder``; return the files written."""
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise UsageError(f"{folder} exists and is not empty", hint="choose a new folder name")
    tags = []
    for tag in languages or ["en"]:
        try:
            tags.append(parse_language(tag).tag)
        except LanguageTagError as error:
            raise UsageError(str(error), hint=error.hint) from None
    document_id = document_id or re.sub(r"[^a-z0-9._-]+", "-", folder.resolve().name.lower()).strip("-.") or "document"
    try:
        document_id = check_document_id(document_id)
    except ValueError as error:
        message, hint = error.args
        if not message.startswith("the id"):
            message = f"the id '{document_id}' cannot be used: {message[:1].lower()}{message[1:]}"
        hint = hint.replace("choose another id", "choose another with --id") if "choose another id" in hint \
            else f"{hint}; choose another with --id"
        raise UsageError(message, hint=hint) from None
    headings = "\n".join(f"      {tag}: Signatories" for tag in tags)
    translations = "\n".join(f"          {tag}: Peace Organisation" for tag in tags)
    files = {
        folder / "document.yaml": _DOCUMENT.format(
            id=yaml_scalar(document_id), date=world.today().isoformat(), languages=", ".join(tags), source=tags[0],
            headings=headings, translations=translations),
    }
    for tag in tags:
        files[folder / f"{tag}.md"] = _TEXT.format(title="Title of the document")
    for path, text in files.items():
        world.write_atomic(path, text.encode("utf-8"))
    return list(files)
