"""The translatable pieces of a document, as segments with stable ids.

In: a loaded :class:`~typeset.model.document.Document`, its folder's raw ``document.yaml`` and
CSV files, its language files' :class:`~typeset.source.structure.Outline`\\ s and its
:class:`~typeset.translate.state.State`. Out: for one target language, every :class:`Segment` in
reading order — the source-language text, the translation the document already has (or
``None``), whether the target language needs it, what it is for a translator — and per segment
its digest, so that :mod:`typeset.translate.status` can tell translated, missing and stale apart.

The segments, and their ids:

=====================================  =======================================================
``title``, ``subtitle``,               the language file's front matter (spans allowed in the
``short_title``, ``keywords``          first three; keywords one segment, separated by ``; ``)
``p-…``, ``h-…``, ``li-…``, ``q-…``,   every paragraph, heading, list item, quoted paragraph and
``s-…``                                slogan (:mod:`typeset.translate.state` keeps the ids);
                                       emphasis, links, spans and line breaks are inline codes
``organisation``, ``place``            where ``document.yaml`` gives them per language
``group.<id>.heading``                 every signatory group's heading
``entry.<id>.translation``             a signatory's name in the target language, where its
                                       name is in another language or script than the target
``entry.<id>.note``,                   a note and a country name, where the source language has
``entry.<id>.country_name``            its own
=====================================  =======================================================

A block in a div of a third language (a Persian quotation in the English text) is kept as it
is by default (:attr:`Segment.keep`): it is a segment, so that the translation's structure is
complete, but it needs no translator.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from typeset.diagnostics import Diagnostics, Span
from typeset.model.document import (
    Block as ModelBlock,
)
from typeset.model.document import (
    BlockQuote,
    BulletList,
    Div,
    Document,
    Heading,
    Inline,
    LanguageText,
    OrderedList,
    Paragraph,
    Text,
)
from typeset.model.language import Language, LanguageTagError, parse_language
from typeset.source.structure import (
    HEADING,
    NAMES,
    Block,
    Comparison,
    Outline,
    align,
    base_language,
    language_name,
    outline,
)
from typeset.source.yamlfile import KeyPath, Positions
from typeset.translate.inline import digest, markdown
from typeset.translate.state import STATE_FILE, State, assign_ids, read_state
from typeset.world import World

FRONT = ("title", "subtitle", "short_title", "keywords")
BODY, FRONT_MARKUP, PLAIN = "body", "front", "plain"
KEYWORD_SEPARATOR = "; "


@dataclass(frozen=True)
class Segment:
    """One translatable piece.

    ``address`` says where its translation is written: ``("front", key)``, ``("body", index)``
    (the index of its block among the source's text blocks), ``("yaml", key path)`` for a map
    keyed by language, or ``("csv", path, row, column)`` for a spreadsheet's cell.
    """

    id: str
    kind: str
    source: tuple[Inline, ...]
    target: tuple[Inline, ...] | None
    markup: str  # BODY (all inline markup), FRONT_MARKUP (spans only) or PLAIN
    language: str  # the language the source text is in
    address: tuple[Any, ...]
    required: bool = False
    keep: bool = False  # a piece in a third language: kept as it is unless translated
    kept_spans: tuple[tuple[str, str], ...] = ()  # its spans of a third language: (text, language's name)
    context: str = ""
    label: str = ""  # a short name: "paragraph 3", "signatory 13: translation"
    where: Span | None = None  # where the source text stands
    target_where: Span | None = None  # where the translation stands, if it exists

    @cached_property
    def text(self) -> str:
        """The source as translators see it: Markdown where markup is allowed, else plain text."""
        return text_of(self.source, self.markup)

    @cached_property
    def digest(self) -> str:
        return digest(self.text)

    @cached_property
    def target_text(self) -> str | None:
        return None if self.target is None else text_of(self.target, self.markup)

    @cached_property
    def target_digest(self) -> str | None:
        return None if self.target_text is None else digest(self.target_text)


def text_of(nodes: Sequence[Inline], markup: str) -> str:
    if markup == BODY:
        return markdown(nodes)
    if markup == FRONT_MARKUP:
        return markdown(nodes, front_matter=True)
    return "".join(n.text if isinstance(n, Text) else markdown((n,), front_matter=True) for n in nodes)


# -- a document's sources, read for translation -----------------------------------------------


@dataclass
class Sources:
    """A valid document with what translation needs beside the model."""

    document: Document
    folder: Path
    data: dict[str, Any]  # document.yaml as plain data
    positions: Positions
    csv_rows: dict[int, list[tuple[dict[str, Any], Positions]]]  # group index → its CSV rows
    state: State
    diagnostics: Diagnostics = field(default_factory=Diagnostics)
    outlines: dict[str, Outline] = field(default_factory=dict)
    leaves: dict[str, list[tuple[Inline, ...]]] = field(default_factory=dict)
    ids: list[str] = field(default_factory=list)
    raw: dict[str, str] = field(default_factory=dict)  # the text of each language file
    world: World | None = None

    @property
    def source_tag(self) -> str:
        return self.document.source_language.tag

    @property
    def source_outline(self) -> Outline:
        return self.outlines[self.source_tag]

    def text_path(self, tag: str) -> Path:
        texts = self.data.get("texts")
        if not isinstance(texts, dict):
            texts = {}
        return self.folder / str(texts.get(tag) or f"{tag}.md")

    def comparison(self, tag: str) -> Comparison | None:
        """The language file of ``tag`` aligned with the source's (``None`` if it has none)."""
        if tag not in self.outlines or tag == self.source_tag:
            return None
        known = self._known(tag)
        return Comparison(align(self.source_outline, self.outlines[tag], known))

    def _known(self, tag: str) -> dict[int, int]:
        """Pairs of blocks the state is sure of: the translation's text is the one recorded for the id."""
        records = self.state.records.get(tag, {})
        if not records:
            return {}
        target = self.outlines[tag]
        by_digest: dict[str, list[int]] = {}
        for index, block in enumerate(target.blocks):
            leaf = self.leaf(tag, block)
            if leaf is not None:
                by_digest.setdefault(digest(markdown(leaf)), []).append(index)
        known: dict[int, int] = {}
        taken: set[int] = set()
        text_blocks = self.source_outline.texts
        for number, block in enumerate(text_blocks):
            record = records.get(self.ids[number])
            found = [i for i in by_digest.get(record.target, []) if i not in taken] if record else []
            if found:
                known[self.source_outline.blocks.index(block)] = found[0]
                taken.add(found[0])
        return known

    def leaf(self, tag: str, block: Block) -> tuple[Inline, ...] | None:
        """The model's inline content of a text block of ``tag``'s file."""
        texts = self.outlines[tag].texts
        for index, candidate in enumerate(texts):
            if candidate is block:
                leaves = self.leaves.get(tag, [])
                return leaves[index] if index < len(leaves) else None
        return None


def read_sources(document: Document, world: World, diagnostics: Diagnostics | None = None) -> Sources:
    """What translation needs of a document that loaded without errors."""
    from typeset.source.csvfile import read_csv_entries
    from typeset.source.loader import read_source_text
    from typeset.source.yamlfile import read_yaml

    assert document.root is not None
    folder = document.root
    diagnostics = diagnostics if diagnostics is not None else Diagnostics()
    scratch = Diagnostics()  # the document loaded: what the loader said is said already
    meta = folder / "document.yaml"
    text = read_source_text(world, meta, scratch) or ""
    read = read_yaml(text, meta, scratch, limits=world.limits)
    data, positions = read if read is not None else ({}, Positions(meta))
    csv_rows: dict[int, list[tuple[dict[str, Any], Positions]]] = {}
    for index, group in enumerate(data.get("groups") or []):
        spec = group.get("csv") if isinstance(group, dict) else None
        if spec is None:
            continue
        name = spec if isinstance(spec, str) else spec.get("path")
        path = folder / str(name)
        csv_text = read_source_text(world, path, scratch)
        if csv_text is not None:
            delimiter = spec.get("delimiter") if isinstance(spec, dict) else None
            csv_rows[index] = read_csv_entries(csv_text, path, scratch, delimiter=delimiter, limits=world.limits)
    state_path = folder / STATE_FILE
    state = State(path=state_path)
    if world.is_file(state_path):
        state_text = read_source_text(world, state_path, diagnostics)
        if state_text is not None:
            state = read_state(state_text, state_path, diagnostics)
    sources = Sources(document, folder, data, positions, csv_rows, state, diagnostics, world=world)
    for tag, language_text in document.texts.items():
        path = language_text.path or sources.text_path(tag)
        file_text = read_source_text(world, path, scratch) or ""
        sources.raw[tag] = file_text
        sources.outlines[tag] = outline(file_text, path)
        sources.leaves[tag] = model_leaves(language_text)
    sources.ids = assign_ids(state.blocks, sources.source_outline.texts)
    return sources


def model_leaves(text: LanguageText) -> list[tuple[Inline, ...]]:
    """The inline content of every text block, body then slogans, in reading order."""
    out: list[tuple[Inline, ...]] = []

    def walk(blocks: Sequence[ModelBlock]) -> None:
        for block in blocks:
            if isinstance(block, Paragraph | Heading):
                out.append(block.children)
            elif isinstance(block, BulletList | OrderedList):
                for item in block.items:
                    walk(item.blocks)
            elif isinstance(block, BlockQuote | Div):
                walk(block.blocks)

    walk(text.body)
    walk(text.slogans)
    return out


# -- the segments for one language -------------------------------------------------------------


def own(values: Mapping[str, Any] | None, language: Language) -> Any:
    """The value written for this very language (its tag, else its bare language), no fallback."""
    if not isinstance(values, Mapping):
        return None
    value = values.get(language.tag)
    if value is None and language.language != language.tag:
        value = values.get(language.language)
    return value


def segments(sources: Sources, target: Language, target_text: LanguageText | None = None,
             target_outline: Outline | None = None, target_raw: str | None = None) -> list[Segment]:
    """Every segment of the document for a translation into ``target``, in reading order.

    ``target_text`` and ``target_outline`` stand for a language file the document does not
    declare (yet); by default the document's own file for ``target`` is used.
    """
    document = sources.document
    source = document.source_language
    if target_text is None:
        target_text = document.texts.get(target.tag)
        target_raw = sources.raw.get(target.tag)
    out: list[Segment] = []
    out += _front(sources, source, target, target_text, target_raw)
    out += _body(sources, target, target_text, target_outline)
    out += _metadata(sources, source, target)
    out += _groups(sources, source, target)
    return out


def front_inline(text: LanguageText, key: str, raw: str) -> tuple[Inline, ...] | None:
    """A front-matter field of a language file as inline content (its spans kept), ``None`` if the
    file does not give it; ``raw`` is the file's text."""
    if key == "title":
        return text.title_inline or (Text(text.title),)
    if key == "subtitle":
        return text.subtitle_inline or ((Text(text.subtitle),) if text.subtitle else None)
    if key == "short_title":
        if text.short_title is None:
            return None
        value = front_matter(raw).get("short_title")
        if isinstance(value, str) and "]{" in value:  # the model keeps it plain: read its spans again
            from typeset.source.markdown import read_inline
            from typeset.source.texts import Texts

            return read_inline(value, text.path or Path("."), text.language, Texts(Diagnostics()), front_matter=True)
        return (Text(text.short_title),)
    return (Text(KEYWORD_SEPARATOR.join(text.keywords)),) if text.keywords else None


def front_matter(raw: str) -> dict[str, Any]:
    """A language file's front matter as plain data (the file was read and checked already)."""
    from ruamel.yaml import YAML
    from ruamel.yaml.error import YAMLError

    from typeset.source.markdown import split_front_matter

    front, _, _ = split_front_matter(raw)
    try:
        data = YAML(typ="safe").load(front or "")
    except YAMLError:
        return {}
    return data if isinstance(data, dict) else {}


def front_line(raw: str, key: str) -> int:
    """The line of ``key:`` in a language file's front matter (1 if it is not there)."""
    for number, line in enumerate(raw.split("\n")[1:], start=2):
        if line.startswith(f"{key}:"):
            return number
        if line.rstrip() in ("---", "..."):
            break
    return 1


def _front(sources: Sources, source: Language, target: Language, target_text: LanguageText | None,
           target_raw: str | None) -> Iterator[Segment]:
    source_text = sources.document.texts[source.tag]
    source_raw = sources.raw.get(source.tag, "")
    for key in FRONT:
        value = front_inline(source_text, key, source_raw)
        if value is None:
            continue
        existing = front_inline(target_text, key, target_raw or "") if target_text is not None else None
        what = {"title": "the title", "subtitle": "the subtitle, under the title",
                "short_title": "the title in the running heads of page 2 on",
                "keywords": "keywords for the PDF's metadata, separated by '; ' (not printed)"}[key]
        target_path = target_text.path if target_text is not None else None
        yield Segment(key, key, value, existing, PLAIN if key == "keywords" else FRONT_MARKUP, source.tag,
                      ("front", key), required=key == "title", context=what, label=key.replace("_", " "),
                      where=Span(source_text.path or sources.text_path(source.tag), front_line(source_raw, key), 1),
                      target_where=Span(target_path, front_line(target_raw or "", key), 1)
                      if existing and target_path else None)


def _body(sources: Sources, target: Language, target_text: LanguageText | None,
          target_outline: Outline | None) -> Iterator[Segment]:
    source_outline = sources.source_outline
    source_leaves = sources.leaves[sources.source_tag]
    partners: dict[int, tuple[Block, tuple[Inline, ...]]] = {}
    if target_outline is None and target.tag in sources.outlines and target.tag != sources.source_tag:
        target_outline = sources.outlines[target.tag]
        target_leaves = sources.leaves.get(target.tag, [])
        comparison = sources.comparison(target.tag)
    elif target_outline is not None and target_text is not None:
        target_leaves = model_leaves(target_text)
        comparison = Comparison(align(source_outline, target_outline))
    else:
        comparison = None
        target_leaves = []
    if comparison is not None and target_outline is not None:
        index_of = {id(block): i for i, block in enumerate(target_outline.texts)}
        source_index = {id(block): i for i, block in enumerate(source_outline.texts)}
        for pair in comparison.pairs:
            if pair.source is None or pair.target is None:
                continue
            s, t = source_index.get(id(pair.source)), index_of.get(id(pair.target))
            if s is not None and t is not None and t < len(target_leaves):
                partners[s] = (pair.target, target_leaves[t])
    numbers: dict[str, int] = {}
    for index, (block, leaf) in enumerate(zip(source_outline.texts, source_leaves, strict=False)):
        numbers[block.kind] = numbers.get(block.kind, 0) + 1
        divs = [d for d in block.div_languages if _known_tag(d)]
        language = parse_language(divs[-1]).tag if divs else sources.source_tag
        keep = language != sources.source_tag
        partner = partners.get(index)
        context = f"{NAMES[block.kind]} {numbers[block.kind]} ({block.path.name}:{block.line})"
        if block.kind == HEADING:
            context = f"heading {numbers[block.kind]}, level {block.level} ({block.path.name}:{block.line})"
        kept = [x for x in block.spans if x.base not in (base_language(sources.source_tag), target.language)]
        if kept:  # a piece in a third language stays in every language (docs/translation.md)
            context += "; keep " + ", ".join(f"'{x.markup()}' ({language_name(x.language)})" for x in kept) + \
                       " as it is"
        if keep:
            context += (f"; in {parse_language(language).display_name(sources.document.source_language)} "
                        f"({language}): kept as it is unless you translate it")
        yield Segment(sources.ids[index], block.kind, leaf, partner[1] if partner else None, BODY, language,
                      ("body", index), keep=keep, context=context, where=block.span,
                      kept_spans=tuple((x.excerpt(), language_name(x.language)) for x in kept),
                      label=f"{NAMES[block.kind]} {numbers[block.kind]}",
                      target_where=partner[0].span if partner else None)


def _known_tag(tag: str) -> bool:
    try:
        parse_language(tag)
    except LanguageTagError:
        return False
    return True


def _metadata(sources: Sources, source: Language, target: Language) -> Iterator[Segment]:
    for key, what in (("organisation", "who issues the document"), ("place", "where it was issued")):
        values = sources.data.get(key)
        if not isinstance(values, dict):
            continue  # one text for every language: nothing to translate
        text = own(values, source)
        if not isinstance(text, str):
            continue
        existing = own(values, target)
        yield Segment(key, key, (Text(text),), (Text(existing),) if isinstance(existing, str) else None, PLAIN,
                      source.tag, ("yaml", (key,)), required=True, context=what, label=key,
                      where=sources.positions.of((key, _key_of(values, source))),
                      target_where=sources.positions.of((key, _key_of(values, target))) if existing else None)


def _key_of(values: Mapping[str, Any], language: Language) -> str:
    return language.tag if language.tag in values else language.language


def _groups(sources: Sources, source: Language, target: Language) -> Iterator[Segment]:
    raw_groups = sources.data.get("groups") or []
    for index, group in enumerate(sources.document.groups):
        raw = raw_groups[index] if index < len(raw_groups) and isinstance(raw_groups[index], dict) else {}
        heading = own(group.headings, source)
        if heading is not None:
            existing = own(group.headings, target)
            where: KeyPath = ("groups", index, "heading")
            yield Segment(f"group.{group.id}.heading", "group-heading", (Text(heading),),
                          (Text(existing),) if existing else None, PLAIN, source.tag, ("yaml", where),
                          required=True, context=f"the heading of the signatory group '{group.id}'",
                          label=f"group heading: {group.id}",
                          where=sources.positions.of((*where, _key_of(group.headings, source))),
                          target_where=sources.positions.of((*where, _key_of(group.headings, target)))
                          if existing else None)
        rows = sources.csv_rows.get(index)
        raw_entries = raw.get("entries")
        if not isinstance(raw_entries, list):
            raw_entries = []
        for number, entry in enumerate(group.entries):
            if rows is not None:
                row, row_positions = rows[number] if number < len(rows) else ({}, Positions(sources.folder))
                path = row_positions.path
                yield from _entry_segments(entry, row, source, target, ("csv", path, number), row_positions, ())
            else:
                raw_entry = raw_entries[number] if number < len(raw_entries) else {}
                prefix: KeyPath = ("groups", index, "entries", number)
                yield from _entry_segments(entry, raw_entry, source, target, ("yaml", prefix), sources.positions,
                                           prefix)


def _entry_segments(entry: Any, raw: Mapping[str, Any], source: Language, target: Language,
                    address: tuple[Any, ...], positions: Positions, prefix: KeyPath) -> Iterator[Segment]:
    name = entry.name
    label = f"{entry.abbreviation.text} — " if entry.abbreviation else ""
    label += f"{name.text} [{name.language.tag}]"
    if entry.romanized:
        label += f", in Latin letters: {entry.romanized}"
    number = f"signatory {entry.number}" if entry.number is not None else "unnumbered signatory"
    where = positions.of((*prefix, "name"))

    def located(key: str, values: Mapping[str, Any], language: Language) -> Span | None:
        if not isinstance(values, Mapping) or own(values, language) is None:
            return None
        return positions.of((*prefix, key, _key_of(values, language)))

    if name.language.language != target.language or name.language.script != target.script:
        own_source = own(entry.translations, source)
        if name.language.language == source.language and name.language.script == source.script:
            text, language = name.text, source.tag
        elif own_source:
            text, language = own_source, source.tag
        else:
            text, language = name.text, name.language.tag
        existing = own(entry.translations, target)
        yield Segment(f"entry.{entry.id}.translation", "translation", (Text(text),),
                      (Text(existing),) if existing else None, PLAIN, language,
                      (*address, "translation"),
                      context=f"{number}: {label} — the name in the target language, printed in parentheses "
                              "after the name", where=where, label=f"{number}: name",
                      target_where=located("translation", entry.translations, target))
    raw_note = raw.get("note")
    if isinstance(raw_note, Mapping):
        text = own(raw_note, source)
        if isinstance(text, str):
            existing = own(raw_note, target)
            yield Segment(f"entry.{entry.id}.note", "note", (Text(text),),
                          (Text(existing),) if isinstance(existing, str) else None, PLAIN, source.tag,
                          (*address, "note"), context=f"{number}: {label} — a note printed after the entry",
                          label=f"{number}: note",
                          where=located("note", raw_note, source),
                          target_where=located("note", raw_note, target))
    text = own(entry.country_names, source)
    if text:
        existing = own(entry.country_names, target)
        yield Segment(f"entry.{entry.id}.country_name", "country_name", (Text(text),),
                      (Text(existing),) if existing else None, PLAIN, source.tag, (*address, "country_name"),
                      required=entry.country is None, label=f"{number}: country",
                      context=f"{number}: {label} — the country as printed"
                              + (f" (without it, CLDR's name for '{entry.country}')" if entry.country else ""),
                      where=located("country_name", entry.country_names, source),
                      target_where=located("country_name", entry.country_names, target))


def by_id(found: Sequence[Segment]) -> dict[str, Segment]:
    return {segment.id: segment for segment in found}


__all__ = ["Segment", "Sources", "by_id", "front_inline", "front_line", "model_leaves", "own", "read_sources",
           "segments", "text_of"]
