"""An import: translations from XLIFF, PO or a translator's DOCX written back into the source.

In: the document's :class:`~typeset.translate.segments.Sources` and translation files (their
bytes; the format is recognised by content). Out: a :class:`Plan` — the new text of the target
language's Markdown file, of ``document.yaml`` (the target's per-language fields, and the
language declared if it is new), of CSV files that hold signatories, and of the translation
state — which the caller shows as a diff or writes, each file atomically. No other language's
file is ever part of a plan.

Each translation is checked against its segment before anything is written: the file must be
for this document and its source language; every id must be one of the document's; every
inline code must be one the source has, balanced and nested (XLIFF), the Markdown must not have
lost a bracket or an asterisk (PO); a code or a link of the source that the translation left out
is a warning. An empty translation is a warning and leaves the segment as it was — a partial
translation is normal work, and its missing segments show in ``status`` — except where a new
language needs it (its title, the group headings, a per-language organisation or place), which
is an error: the document would no longer load. A translation of a source text that has changed
since the export is imported and recorded as made from the older text: it is *stale*.

The language file is written on the source file's structure: each block of the source, in its
lists, quotes, divs and slogans, holds the imported translation, else the translation the file
already had (its lines as they were), else nothing (missing). Blocks the translation has that
the source does not are kept where they stood. A div in the target language itself is unwrapped.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from typeset.diagnostics import Diagnostics, Span
from typeset.model.document import Emphasis, Inline, LineBreak, Link, Strong, Text, plain_text
from typeset.model.document import Span as SpanNode
from typeset.model.language import Language, parse_language
from typeset.source.structure import HEADING, TEXT_KINDS, Block, Outline, outline
from typeset.translate.inline import (
    LINK,
    SPAN,
    Codes,
    build,
    check_codes,
    digest,
    markdown,
    markdown_keeping,
    plain,
    tokens,
    without_language,
    wrap,
)
from typeset.translate.segments import (
    FRONT_MARKUP,
    PLAIN,
    Segment,
    Sources,
    segments,
    text_of,
)
from typeset.translate.state import STATE_FILE, Record, State, blocks_of
from typeset.translate.units import NOT_CONFIRMED, TranslationFile, Unit
from typeset.translate.yamledit import Append, SetValue, apply_edits

_MARKUP_CHARS = "*[]`{}"


# -- reading a file ------------------------------------------------------------------------------


def read_translation(data: bytes, path: Path, diagnostics: Diagnostics, known_ids: Sequence[str]
                     ) -> TranslationFile | None:
    """A translation file, whatever its format (recognised by content, not by its name)."""
    from typeset.translate.docx import is_docx, read_docx
    from typeset.translate.po import is_po, read_po
    from typeset.translate.xliff import is_xliff, read_xliff

    if is_docx(data):
        return read_docx(data, path, diagnostics, known_ids)
    if is_xliff(data):
        return read_xliff(data, path, diagnostics)
    if is_po(data):
        return read_po(data, path, diagnostics)
    diagnostics.error(Span(path), "not an XLIFF, PO or translator's DOCX file",
                      "import the file 'typeset translate export' wrote, after translation", code="translate")
    return None


# -- the translations it holds -------------------------------------------------------------------


@dataclass(frozen=True)
class Incoming:
    """A translation to write: its content, the digest of the source it was made from, where it came from."""

    segment: Segment
    nodes: tuple[Inline, ...]
    made_from: str
    where: Span


def resolve(file: TranslationFile, found: Sequence[Segment], document_id: str, source: Language,
            target: Language, diagnostics: Diagnostics) -> dict[str, Incoming]:
    """The translations of ``file`` checked against the document's segments for ``target``."""
    where = Span(file.path)
    if file.document != document_id:
        diagnostics.error(where, f"this file is for the document '{file.document}', not '{document_id}'",
                          "import it into the document it was exported from", code="translate")
        return {}
    if file.source_language and file.source_language != source.tag:
        diagnostics.error(where, f"this file translates from '{file.source_language}', but the document's "
                                 f"source language is '{source.tag}'",
                          "export the file again from this document", code="translate")
        return {}
    by_id = {segment.id: segment for segment in found}
    incoming: dict[str, Incoming] = {}
    empty: list[Unit] = []
    for unit in file.units:
        segment = by_id.get(unit.id)
        if segment is None:
            diagnostics.error(unit.where, f"segment '{unit.id}' is not in the document",
                              "its block was deleted or changed beyond recognition since the export; "
                              "export the file again and carry the translation over", code="translate")
            continue
        if unit.id in incoming:
            diagnostics.error(unit.where, f"segment '{unit.id}' is in the file twice", code="translate")
            continue
        if unit.target is None:
            if segment.keep and segment.target is None:
                incoming[unit.id] = Incoming(segment, segment.source, segment.digest, unit.where)
            else:
                empty.append(unit)
            continue
        nodes = _target(unit, segment, file.format, target, diagnostics)
        if nodes is None:
            continue
        incoming[unit.id] = Incoming(segment, nodes, _made_from(unit, segment, file.format), unit.where)
    if empty:
        names = ", ".join(f"'{u.id}'" for u in empty[:8]) + (f" and {len(empty) - 8} more" if len(empty) > 8 else "")
        diagnostics.warning(empty[0].where, f"{len(empty)} segment(s) have no translation in this file: {names}",
                            "they are left as they are; 'typeset translate status' counts them as missing",
                            code="translate")
    return incoming


def _target(unit: Unit, segment: Segment, format_name: str, target: Language,
            diagnostics: Diagnostics) -> tuple[Inline, ...] | None:
    """The translation of one unit as inline content, or ``None`` after an error."""
    label = f"segment '{segment.id}'"
    if isinstance(unit.target, str):  # PO: Markdown (or plain text)
        if segment.markup == PLAIN:
            return (Text(" ".join(unit.target.split())),)
        nodes = _read_markdown(unit.target, segment, target, unit.where, diagnostics)
        if nodes is None:
            return None
        source_codes = tokens(segment.source)
        lost = _markup_lost(unit.target, segment)
        for loss in lost:
            diagnostics.error(unit.where, f"{label}: {loss}",
                              "write the markup as the source (msgid) does: *emphasis*, **strong**, [text](<address>), "
                              "[text]{lang=xx}; a literal character goes after a backslash: \\*", code="translate")
        if lost:
            return None
        _missing_codes(tokens(nodes), source_codes, segment, unit.where, diagnostics)
        return _for_target(nodes, segment, target)
    assert isinstance(unit.target, Codes)
    if format_name == "docx":
        nodes = build(unit.target.tokens, unit.target)
        if unit.paragraphs > 1:
            diagnostics.warning(unit.where, f"{label}: the translation was typed as {unit.paragraphs} paragraphs; "
                                            "they are joined into one", "a segment is one paragraph; use Shift+Enter "
                                "for a line break", code="translate")
        if segment.markup == PLAIN:
            return (Text(" ".join(plain_text(nodes).split())),)
        _missing_codes(tokens(nodes), tokens(segment.source), segment, unit.where, diagnostics)
        return _for_target(nodes, segment, target)
    source_codes = _complete(unit.source if isinstance(unit.source, Codes) else Codes(), segment)
    problems = check_codes(unit.target.tokens, source_codes)
    for problem in problems:
        (diagnostics.error if problem.error else diagnostics.warning)(
            unit.where, f"{label}: {problem.message}",
            "keep each inline code of the source once, around the words it belongs to" if problem.error
            else "if the translation needs it, add it back", code="translate")
    if any(p.error for p in problems):
        return None
    nodes = build(unit.target.tokens, source_codes)
    if segment.markup == PLAIN:
        return (Text(" ".join(plain_text(nodes).split())),)
    return _for_target(nodes, segment, target)


def _complete(codes: Codes, segment: Segment) -> Codes:
    """The file's source codes, with what a tool dropped (a link's address, a span's language)
    taken from the segment's source code of the same id and kind."""
    current = tokens(segment.source).codes
    for number, code in list(codes.codes.items()):
        today = current.get(number)
        kind = code.kind or (today.kind if today else "")
        if today is not None and today.kind == kind and (
                (kind == LINK and not code.href) or (kind == SPAN and not code.lang and not code.dir) or not code.kind):
            codes.codes[number] = today
    return codes


def _read_markdown(text: str, segment: Segment, target: Language, where: Span,
                   diagnostics: Diagnostics) -> tuple[Inline, ...] | None:
    from typeset.source.markdown import read_inline
    from typeset.source.texts import Texts

    found = Diagnostics()
    nodes = read_inline(" ".join(text.replace("\\\n", "\x01").split()).replace("\x01", "\\\n"), where.path,
                        target, Texts(found), front_matter=segment.markup == FRONT_MARKUP)
    errors = [d for d in found.items if d.is_error]
    for error in errors:
        diagnostics.error(where, f"segment '{segment.id}': {error.message}", error.hint, code="translate")
    return None if errors else nodes


def _markup_lost(text: str, segment: Segment) -> list[str]:
    """Markup characters left as text in a translation read as Markdown — a bracket or an asterisk
    of markup a translator broke — that the source's text does not have."""
    from typeset.source.markdown import read_inline
    from typeset.source.texts import Texts

    nodes = read_inline(text, Path("."), parse_language(segment.language), Texts(Diagnostics()),
                        front_matter=segment.markup == FRONT_MARKUP)
    literal = plain_text(nodes)
    source = plain_text(segment.source)
    problems = []
    for char in _MARKUP_CHARS:
        if literal.count(char) > source.count(char):
            problems.append(f"'{char}' stands as text: the markup around it is broken")
    return problems


def _missing_codes(found: Codes, source: Codes, segment: Segment, where: Span, diagnostics: Diagnostics) -> None:
    """Warn about each link and span of the source that the translation does not have."""
    def kinds(codes: Codes) -> list[str]:
        return sorted(c.describe() for c in codes.codes.values() if c.kind in (LINK, SPAN))

    have = kinds(found)
    for wanted in kinds(source):
        if wanted in have:
            have.remove(wanted)
        else:
            diagnostics.warning(where, f"segment '{segment.id}': the {wanted} of the source is not in the translation",
                                "if the translation needs it, add it back", code="translate")


def _for_target(nodes: tuple[Inline, ...], segment: Segment, target: Language) -> tuple[Inline, ...]:
    """Inline content as the target's file holds it: spans in the target language unwrapped, and in
    the front matter nothing but spans."""
    nodes = without_language(nodes, target.tag)
    if segment.markup == FRONT_MARKUP:
        nodes = _spans_only(nodes)
    if segment.kind == HEADING or segment.markup == FRONT_MARKUP:
        nodes = tuple(Text(" ") if isinstance(n, LineBreak) else n for n in nodes)
    return _merge(nodes)


def _spans_only(nodes: Sequence[Inline]) -> tuple[Inline, ...]:
    out: list[Inline] = []
    for node in nodes:
        if isinstance(node, SpanNode):
            out.append(SpanNode(_spans_only(node.children), node.language, node.dir))
        elif isinstance(node, Emphasis | Strong | Link):
            out.extend(_spans_only(node.children))
        elif isinstance(node, Text):
            out.append(node)
        else:
            out.append(Text(plain_text((node,))))
    return _merge(out)


def _merge(nodes: Sequence[Inline]) -> tuple[Inline, ...]:
    out: list[Inline] = []
    for node in nodes:
        if isinstance(node, Text) and out and isinstance(out[-1], Text):
            out[-1] = Text(out[-1].text + node.text)
        else:
            out.append(node)
    return tuple(out)


def _made_from(unit: Unit, segment: Segment, format_name: str) -> str:
    """The digest of the source the translation was made from: today's if the file's source is
    today's (by the digest it recorded, else by its text), else the file's."""
    if unit.digest == NOT_CONFIRMED:
        return NOT_CONFIRMED
    if unit.digest == segment.digest:
        return segment.digest
    if isinstance(unit.source, str):
        file_text = unit.source
        same = " ".join(file_text.split()) == " ".join(segment.text.split())
    else:
        file_nodes = build(unit.source.tokens, _complete(unit.source, segment)) if not check_codes(
            unit.source.tokens, _complete(unit.source, segment)) else (Text(plain(_texts(unit.source))),)
        file_text = text_of(file_nodes, segment.markup)
        same = file_text == segment.text or plain(file_nodes) == plain(segment.source)
    if unit.digest is not None:
        return unit.digest
    return segment.digest if same else digest(file_text)


def _texts(codes: Codes) -> list[Inline]:
    return [Text(t) for t in codes.tokens if isinstance(t, str)]


# -- the plan ----------------------------------------------------------------------------------


@dataclass
class Plan:
    """The files an import writes: path → new bytes (only those that change), and a summary."""

    files: dict[Path, bytes] = field(default_factory=dict)
    old: dict[Path, bytes] = field(default_factory=dict)
    language: str = ""
    declared: bool = False
    imported: int = 0
    stale: int = 0


def plan_import(sources: Sources, target: Language, incoming: Mapping[str, Incoming],
                diagnostics: Diagnostics) -> Plan:
    """The files to write for ``incoming`` translations into ``target``."""
    document = sources.document
    world = sources.world
    assert world is not None
    plan = Plan(language=target.tag)
    declared = any(language.tag == target.tag for language in document.languages)
    path = sources.text_path(target.tag)
    old_text = sources.raw.get(target.tag)
    if old_text is None and world.is_file(path):
        from typeset.source.loader import read_source_text

        old_text = read_source_text(world, path, Diagnostics())
    current = segments(sources, target, *_undeclared(sources, target, path, old_text, declared))
    by_id = {s.id: s for s in current}
    if not declared:
        missing = [s for s in current if s.required and s.id not in incoming and s.target is None]
        for segment in missing:
            diagnostics.error(segment.where or Span(path), f"'{target.tag}' is a new language and needs a translation "
                              f"of segment '{segment.id}' ({segment.label})",
                              "translate it in the file and import again; nothing was written", code="translate")
        if missing:
            return plan
    # the language file
    new_text = language_file(sources, target, current, incoming, old_text)
    _check_language_file(new_text, path, target, diagnostics)
    if diagnostics.has_errors:
        return plan
    if new_text != (old_text or ""):
        plan.files[path] = new_text.encode("utf-8")
    # document.yaml and CSV files
    yaml_path = sources.folder / "document.yaml"
    yaml_text = _raw(world, yaml_path)
    edits: list[SetValue | Append] = []
    if not declared:
        edits.append(Append(("languages",), target.tag))
        plan.declared = True
    csv_cells: dict[Path, list[tuple[int, str, str]]] = {}
    for segment_id, item in incoming.items():
        segment = by_id.get(segment_id, item.segment)
        address = segment.address
        value = text_of(item.nodes, PLAIN)
        if address[0] == "yaml" and segment.kind in ("organisation", "place", "group-heading"):
            values = _value_at(sources.data, address[1])
            edits.append(SetValue((*address[1], _key(values, target)), value))
        elif address[0] == "yaml":
            prefix, key = address[1], address[2]
            values = _value_at(sources.data, (*prefix, key))
            edits.append(SetValue((*prefix, key, _key(values, target)), value, after=_AFTER[key]))
        elif address[0] == "csv":
            csv_cells.setdefault(address[1], []).append((address[2], f"{address[3]}:{target.tag}", value))
    new_yaml = apply_edits(yaml_text, edits) if edits else yaml_text
    if new_yaml != yaml_text:
        plan.files[yaml_path] = new_yaml.encode("utf-8")
        plan.old[yaml_path] = yaml_text.encode("utf-8")
    for csv_path, cells in csv_cells.items():
        old_csv = _raw(world, csv_path)
        new_csv = set_cells(old_csv, cells)
        if new_csv != old_csv:
            plan.files[csv_path] = new_csv.encode("utf-8")
            plan.old[csv_path] = old_csv.encode("utf-8")
    if path in plan.files:
        plan.old[path] = (old_text or "").encode("utf-8")
    # the state
    state = _next_state(sources, target, current, incoming)
    state_bytes = state.dump()
    state_path = sources.folder / STATE_FILE
    old_state = _raw(world, state_path) if world.is_file(state_path) else ""
    if state_bytes.decode("utf-8") != old_state:
        plan.files[state_path] = state_bytes
        plan.old[state_path] = old_state.encode("utf-8")
    plan.imported = len(incoming)
    plan.stale = sum(1 for item in incoming.values() if item.made_from != item.segment.digest)
    return plan


_AFTER = {"translation": ("romanized", "lang", "name"), "note": ("signed", "country_name", "country", "translation"),
          "country_name": ("country", "translation", "romanized", "lang")}


def _undeclared(sources: Sources, target: Language, path: Path, text: str | None, declared: bool
                ) -> tuple[Any, Outline | None, str | None]:
    """The target's language file as the segments need it, when the document does not declare it."""
    if declared or text is None:
        return None, None, None
    from typeset.source.markdown import read_language_file
    from typeset.source.texts import Texts

    read = read_language_file(text, path, target, Texts(Diagnostics()))
    if read is None:
        return None, None, None
    return read, outline(text, path), text


def _raw(world: Any, path: Path) -> str:
    from typeset.source.loader import read_source_text

    return read_source_text(world, path, Diagnostics()) or ""


def _value_at(data: Any, path: Sequence[Any]) -> Any:
    for key in path:
        try:
            data = data[key]
        except (KeyError, IndexError, TypeError):
            return None
    return data


def _key(values: Any, language: Language) -> str:
    """The key a value for ``language`` has (its tag, or the bare language already used), else its tag."""
    if isinstance(values, Mapping) and language.tag not in values and language.language in values:
        return language.language
    return language.tag


def _next_state(sources: Sources, target: Language, current: Sequence[Segment],
                incoming: Mapping[str, Incoming]) -> State:
    """The state after the import: today's block ids, the imported translations' records, and
    every other language's records brought up to date with what ``status`` sees."""
    from typeset.translate.status import normalise

    state = State(source_language=sources.source_tag, path=sources.state.path)
    state.blocks = blocks_of(sources.ids, sources.source_outline.texts)
    state.records = normalise(sources)
    records = state.records.setdefault(target.tag, {})
    records.update(normalise(sources, only=target, found=current).get(target.tag, {}))
    for segment_id, item in incoming.items():
        records[segment_id] = Record(item.made_from, digest(text_of(item.nodes, item.segment.markup)))
    return state


def _check_language_file(text: str, path: Path, target: Language, diagnostics: Diagnostics) -> None:
    from typeset.source.markdown import read_language_file
    from typeset.source.texts import Texts

    found = Diagnostics()
    read_language_file(text, path, target, Texts(found))
    for error in (d for d in found.items if d.is_error):
        diagnostics.error(error.span, f"the translated file would not read: {error.message}", error.hint,
                          code="translate")


# -- the language file ---------------------------------------------------------------------------


def language_file(sources: Sources, target: Language, current: Sequence[Segment],
                  incoming: Mapping[str, Incoming], old_text: str | None) -> str:
    """The target's language file: the source file's structure, holding the translations."""
    source = sources.source_outline
    texts = source.texts
    index_of = {id(block): i for i, block in enumerate(texts)}
    body = {s.address[1]: s for s in current if s.address[0] == "body"}
    new = {i: incoming[body[i].id].nodes for i in body
           if body[i].id in incoming and incoming[body[i].id].nodes != body[i].target}  # unchanged: its lines stay
    old = outline(old_text, sources.text_path(target.tag)) if old_text is not None else None
    partners: dict[int, Block] = {}
    extras_after: dict[int, list[Block]] = {}  # source block index (-1: the start) → target blocks kept after it
    if old is not None:
        from typeset.source.structure import Comparison, align

        comparison = sources.comparison(target.tag) if target.tag in sources.outlines else Comparison(
            align(source, old))
        assert comparison is not None
        previous = -1
        for pair in comparison.pairs:
            if pair.source is not None:
                previous = source.blocks.index(pair.source)
                if pair.target is not None:
                    partners[previous] = pair.target
            elif pair.target is not None:
                extras_after.setdefault(previous, []).append(pair.target)
    lines = list(source.lines)
    out: list[str] = _front_lines(sources, target, current, incoming, old_text)
    protected: set[int] = set()  # lines of code blocks: their blank lines stay
    dropped, replaced = _fences(source, target)
    cursor = source.body_start
    omitted_underline: set[int] = set()

    def gap(until: int) -> None:
        for number in range(cursor, until):
            if number in dropped or number in omitted_underline:
                continue
            out.append(replaced.get(number, lines[number]))

    for extra in extras_after.get(-1, []):
        out += [*old.lines[extra.start:extra.end], ""] if old else []
    for position, block in enumerate(source.blocks):
        gap(block.start)
        if block.kind in TEXT_KINDS:
            number = index_of[id(block)]
            if number in new:
                out += _render(block, new[number])
            elif position in partners and old is not None:
                out += _reprefix(block, partners[position], old)
            elif block.kind == HEADING and block.end < len(lines) and re.fullmatch(r"\s*[=-]+\s*", lines[block.end]):
                omitted_underline.add(block.end)
        else:
            start = len(out)
            out += lines[block.start:block.end]
            protected.update(range(start, len(out)))
        for extra in extras_after.get(position, []):
            if old is not None:
                out += ["", *old.lines[extra.start:extra.end]]
        cursor = block.end
    gap(len(lines))
    return _tidy(out, protected)


def _front_lines(sources: Sources, target: Language, current: Sequence[Segment], incoming: Mapping[str, Incoming],
                 old_text: str | None) -> list[str]:
    """The front matter: the file's own (its comments and order kept) with the imported values set."""
    from ruamel.yaml import YAML
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    from typeset.source.markdown import split_front_matter

    yaml = YAML()
    yaml.width = 1 << 16
    yaml.preserve_quotes = True
    data: Any = None
    if old_text is not None:
        front, _, _ = split_front_matter(old_text)
        data = yaml.load(front) if front else None
    if not isinstance(data, CommentedMap):
        data = CommentedMap()
    for segment in current:
        if segment.address[0] != "front" or segment.id not in incoming:
            continue
        nodes = incoming[segment.id].nodes
        if segment.id == "keywords":
            words = CommentedSeq(w.strip() for w in plain_text(nodes).split(";") if w.strip())
            words.fa.set_flow_style()
            data[segment.id] = words
        else:
            data[segment.id] = text_of(nodes, FRONT_MARKUP)
    buffer = io.StringIO()
    yaml.dump(data, buffer)
    return ["---", *buffer.getvalue().rstrip("\n").split("\n"), "---"]


def _fences(source: Outline, target: Language) -> tuple[set[int], dict[int, str]]:
    """Fence lines to drop (a div in the target language marks nothing in its file) and to rewrite
    (``::: {.slogans lang=xx}`` becomes ``::: slogans``)."""
    dropped: set[int] = set()
    replaced: dict[int, str] = {}
    for fence in source.fences:
        if fence.language != target.tag:
            continue
        if fence.slogans:
            colons = re.match(r"\s*(:{3,})", source.lines[fence.start])
            replaced[fence.start] = f"{colons[1] if colons else ':::'} slogans"
        else:
            dropped.add(fence.start)
            if fence.end is not None:
                dropped.add(fence.end)
    return dropped, replaced


def _continuation(prefix: str) -> str:
    return "".join(c if c == ">" else " " for c in prefix)


def _render(block: Block, nodes: Sequence[Inline]) -> list[str]:
    if block.kind == HEADING:
        return [block.prefix + markdown(nodes).replace("\\\n", " ")]
    return wrap(markdown_keeping(nodes), block.prefix, _continuation(block.prefix))


def _reprefix(block: Block, partner: Block, old: Outline) -> list[str]:
    """A block the translation already has, its lines as they were, in the source block's place."""
    raw = list(old.lines[partner.start:partner.end])
    if not raw:
        return []
    first = raw[0][len(partner.prefix):]
    width = len(partner.prefix)
    rest = []
    for line in raw[1:]:
        strip = 0
        while strip < min(width, len(line)) and line[strip] in " >":
            strip += 1
        rest.append(line[strip:])
    if block.kind == HEADING:
        return [block.prefix + " ".join(x.strip() for x in [first, *rest])]
    continuation = _continuation(block.prefix)
    return [block.prefix + first, *(continuation + line for line in rest)]


def _tidy(lines: list[str], protected: set[int]) -> str:
    """One blank line between blocks, no div left empty, one line break at the end."""
    out: list[str] = []
    for number, line in enumerate(lines):
        if not line.strip() and out and not out[-1].strip() and number not in protected:
            continue
        out.append(line.rstrip() if number not in protected else line)
    changed = True
    while changed:  # a div whose blocks were all missing
        changed = False
        for index, line in enumerate(out):
            if re.fullmatch(r"\s*:{3,}\s*\S.*", line):
                following = index + 1
                while following < len(out) and not out[following].strip():
                    following += 1
                if following < len(out) and re.fullmatch(r"\s*:{3,}\s*", out[following]):
                    del out[index:following + 1]
                    changed = True
                    break
    while len(out) > 1 and not out[-1].strip():
        out.pop()
    return "\n".join(out) + "\n"


# -- CSV ---------------------------------------------------------------------------------------


def set_cells(text: str, cells: Sequence[tuple[int, str, str]]) -> str:
    """A CSV file with cells set: ``(entry number, column, value)``; the column is added at the
    end if the header lacks it. Entries count the rows that hold anything, as the reader does."""
    from typeset.source.csvfile import guess_delimiter

    if not text.strip():
        return text
    delimiter = guess_delimiter(text.split("\n", 1)[0])
    terminator = "\r\n" if "\r\n" in text else "\n"
    records = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True))
    header = records[0]
    names = [h.strip().lower().replace(".", ":") for h in header]
    rows = [i for i, record in enumerate(records) if i and any(cell.strip() for cell in record)]
    for number, column, value in cells:
        if column.lower() not in names:
            header.append(column)
            names.append(column.lower())
        index = names.index(column.lower())
        record = records[rows[number]]
        while len(record) <= index:
            record.append("")
        record[index] = value
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator=terminator)
    for record in records:
        if len(record) < len(header) and any(c.strip() for c in record):
            record += [""] * (len(header) - len(record))
        writer.writerow(record)
    result = out.getvalue()
    return result if text.endswith(("\n", "\r")) else result.rstrip("\r\n")


__all__ = ["Incoming", "Plan", "language_file", "plan_import", "read_translation", "resolve", "set_cells"]
