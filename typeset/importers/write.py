"""A draft written as a document folder: ``document.yaml``, ``<lang>.md`` and CSV files.

In: a :class:`~typeset.importers.draft.Draft`, the folder, the input's name and a
:class:`~typeset.world.World`. Out: the files, each written atomically; their paths.

``document.yaml`` is written with ruamel.yaml (quoting what YAML would misread, such as a
country code ``NO``) under a header comment like the examples'. The language file is Markdown
with every character that Markdown would read as markup escaped, wrapped at 100 columns but
never before a word that would start a list, a heading or a quote. A group of more than
:data:`LONG_GROUP` signatories goes to a CSV file, as a spreadsheet export would.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq

from typeset.importers.draft import Block, Draft, Entry, Group, Inlines
from typeset.importers.paragraphs import Run
from typeset.importers.spans import language_div, language_span
from typeset.world import World

_SAFE_LINKS = ("http://", "https://", "mailto:")  # the links the source format keeps
LONG_GROUP = 50  # signatories; a longer group is written as a CSV file
WIDTH = 100  # columns of the Markdown file

# Characters that are markup anywhere in a line, and what starts a block at the start of one.
_INLINE = re.compile(r"([\\`*_\[\]<>|])|&(?=#?\w+;)")
_BLOCK_START = re.compile(r"^(?:[#>+=\-]|:::|\d{1,9}[.)](?:\s|$)|~~~|```)")

def write_document(draft: Draft, folder: Path, world: World, *, source_name: str,
                   spans: bool | None = None) -> list[Path]:
    """Write ``draft`` into ``folder``; return the files written."""
    files: dict[Path, bytes] = {}
    yaml_data = _document(draft, folder, files)
    header = (f"{draft.title}: imported by 'typeset import' from {source_name}.\n"
              "Check the lines its report names; then 'typeset check' this folder.\n"
              "Format: docs/source-format.md of typeset — schema: docs/schema/document.schema.json")
    yaml_data.yaml_set_start_comment(header)
    files[folder / "document.yaml"] = _dump(yaml_data)
    files[folder / f"{draft.language}.md"] = markdown(draft, spans).encode("utf-8")
    for path, data in files.items():
        world.write_atomic(path, data)
    return [folder / "document.yaml", folder / f"{draft.language}.md",
            *(p for p in files if p.suffix == ".csv")]


# -- document.yaml -------------------------------------------------------------------------------


def _dump(data: Any) -> bytes:
    yaml = YAML()
    yaml.width = 4096  # one value per line: long names are not folded
    yaml.indent(mapping=2, sequence=4, offset=2)
    out = io.StringIO()
    yaml.dump(data, out)
    return out.getvalue().encode("utf-8")


def _document(draft: Draft, folder: Path, files: dict[Path, bytes]) -> CommentedMap:
    tag = draft.language
    data = CommentedMap()
    data["id"] = draft.id
    data["organisation"] = draft.organisation
    data["date"] = draft.date
    if draft.place:
        data["place"] = draft.place
    languages = CommentedSeq([tag])
    languages.fa.set_flow_style()
    data["languages"] = languages
    data["source_language"] = tag
    if draft.groups:
        groups = CommentedSeq()
        for index, group in enumerate(draft.groups):
            groups.append(_group(group, tag, folder, files))
            if index:
                groups.yaml_set_comment_before_after_key(index, before="\n")
        data["groups"] = groups
        data.yaml_set_comment_before_after_key("groups", before="\n")
    return data


def _group(group: Group, tag: str, folder: Path, files: dict[Path, bytes]) -> CommentedMap:
    out = CommentedMap()
    out["id"] = group.id
    out["numbering"] = group.numbering
    if group.start is not None:
        out["start"] = group.start
    out["heading"] = CommentedMap({tag: group.heading})
    if len(group.entries) > LONG_GROUP and not _formula(group.entries):
        name = f"{group.id}.csv"
        files[folder / name] = _csv(group.entries, tag)
        out["csv"] = name
    else:
        out["entries"] = CommentedSeq(_entry(entry, tag) for entry in group.entries)
    return out


def _entry(entry: Entry, tag: str) -> CommentedMap:
    out = CommentedMap()
    if entry.abbreviation:
        out["abbreviation"] = entry.abbreviation
    out["name"] = entry.name
    out["lang"] = entry.lang
    if entry.romanized:
        out["romanized"] = entry.romanized
    if entry.translation:
        out["translation"] = CommentedMap({tag: entry.translation})
    if entry.country:
        out["country"] = entry.country
    if entry.country_name:
        out["country_name"] = CommentedMap({tag: entry.country_name})
    return out


def _formula(entries: Iterable[Entry]) -> bool:
    """Whether a cell would start like a spreadsheet formula (such a group stays in YAML)."""
    return any((value or " ")[0] in "=+@" for e in entries for value in (e.abbreviation, e.name, e.translation))


def _csv(entries: list[Entry], tag: str) -> bytes:
    columns = ["abbreviation", "name", "lang", "romanized", "country", f"translation:{tag}", f"country_name:{tag}"]
    rows = [[e.abbreviation or "", e.name, e.lang, e.romanized or "", e.country or "", e.translation or "",
             e.country_name or ""] for e in entries]
    used = [i for i, column in enumerate(columns) if column in ("name", "lang") or any(row[i] for row in rows)]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([columns[i] for i in used])
    writer.writerows([row[i] for i in used] for row in rows)
    return out.getvalue().encode("utf-8")


# -- the language file -----------------------------------------------------------------------------


def markdown(draft: Draft, spans: bool | None = None) -> str:
    front = io.StringIO()
    YAML().dump({"title": draft.title}, front)
    parts = [f"---\n{front.getvalue()}---"]
    render = _Inline(draft.language, spans)
    for block in draft.body:
        parts.append(_block(block, render))
    if draft.slogans:
        parts.append("::: slogans\n" + "\n\n".join(_paragraph(s, render) for s in draft.slogans) + "\n:::")
    return "\n\n".join(parts) + "\n"


def _block(block: Block, render: _Inline) -> str:
    if block.kind == "heading":
        return "#" * block.level + " " + render(block.items[0])
    if block.kind == "bullets":
        return "\n".join(_wrap(render(item), first="- ", rest="  ") for item in block.items)
    if block.kind == "numbers":
        lines = []
        for number, item in enumerate(block.items, start=block.start):
            mark = f"{number}. "
            lines.append(_wrap(render(item), first=mark, rest=" " * len(mark)))
        return "\n".join(lines)
    return _paragraph(block.items[0], render)


def _paragraph(runs: Inlines, render: _Inline) -> str:
    """A paragraph; one written wholly in another language than the document is a div of that language."""
    lang = render.whole(runs)
    if lang is None:
        return _wrap(render(runs))
    return language_div(_wrap(render(runs, marked=False)), lang, enabled=render.spans)


class _Inline:
    """Runs as escaped Markdown: emphasis, strong, and language spans."""

    def __init__(self, language: str, spans: bool | None) -> None:
        self.base = language.split("-")[0]
        self.spans = spans
        self.marked = True

    def whole(self, runs: Inlines) -> str | None:
        """The one other language every run with letters is in, if there is one."""
        tags = {self.other(run) for run in runs if any(c.isalpha() for c in run.text)}
        return tags.pop() if len(tags) == 1 and None not in tags else None

    def other(self, run: Run) -> str | None:
        """The run's language, if it is not the document's."""
        return run.lang if run.lang and run.lang.split("-")[0] != self.base else None

    def __call__(self, runs: Inlines, *, marked: bool = True) -> str:
        self.marked = marked
        out: list[str] = []
        index = 0
        while index < len(runs):
            href = runs[index].href
            end = index + 1
            while end < len(runs) and runs[end].href == href:
                end += 1
            text = "".join(self.run(run) for run in runs[index:end])
            if href and href.lower().startswith(_SAFE_LINKS) and text.strip():
                lead, trail = text[:len(text) - len(text.lstrip())], text[len(text.rstrip()):]
                text = f"{lead}[{text.strip()}](<{href.replace('>', '%3E').replace(' ', '%20')}>){trail}"
            out.append(text)
            index = end
        return "".join(out)

    def run(self, run: Run) -> str:
        text = _escape(run.text)
        core = text.strip(" ")
        if not core:
            return text
        lead, trail = text[:len(text) - len(text.lstrip(" "))], text[len(text.rstrip(" ")):]
        if run.bold and run.italic:
            core = f"***{core}***"
        elif run.bold:
            core = f"**{core}**"
        elif run.italic:
            core = f"*{core}*"
        lang = self.other(run)
        if lang and self.marked:
            core = language_span(core, lang, enabled=self.spans)
        return lead + core + trail


def _escape(text: str) -> str:
    return _INLINE.sub(lambda m: "\\" + (m[1] or "&"), text)


def _wrap(text: str, *, first: str = "", rest: str = "") -> str:
    """``text`` wrapped at :data:`WIDTH`, breaking only where the next line cannot start a block."""
    lines: list[str] = []
    line = ""
    for word in (w for w in text.split(" ") if w):
        prefix = first if not lines else rest
        if not line:
            line = word
        elif len(prefix) + len(line) + 1 + len(word) > WIDTH and not _BLOCK_START.match(word):
            lines.append(line)
            line = word
        else:
            line += " " + word
    lines.append(line)
    lines[0] = _escape_start(lines[0])
    return "\n".join((first if i == 0 else rest) + text for i, text in enumerate(lines))


def _escape_start(line: str) -> str:
    """The first line of a paragraph with what would start another block escaped."""
    number = re.match(r"^(\d{1,9})[.)](?:\s|$)", line)
    if number:
        return number[1] + "\\" + line[len(number[1]):]
    if re.match(r"^(?:[#+=\-]|:::|~~~)", line):
        return "\\" + line
    return line
