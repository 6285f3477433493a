"""The translation state of a document: its text blocks' ids, and what each translation was made from.

In: ``translations.yaml`` in the document folder (if there is one), read through the
:class:`~typeset.world.World`, and the source language file's blocks as they are today. Out: a
:class:`State` — an id for every block that holds text, carried over from the last time the
state was written, and per language and segment the digests of the source text the translation
was made from and of the translation itself — and that file written again.

**Ids.** A block's id is never its position: a block seen for the first time gets one made from
its kind and its text (``p-3f9a1c2b`` for a paragraph, ``h-…`` a heading, ``li-…`` a list item,
``q-…`` a quoted paragraph, ``s-…`` a slogan), so a folder that was never exported has the same
ids every time it is read. The file records each block's id with the text it had; when the
source changes, the recorded blocks are aligned with today's (:func:`assign_ids`): identical
texts keep their ids wherever they moved, and between them an edited block keeps the id of the
recorded block of the same kind it is most like (difflib's ratio ≥ 0.5) — so an edited paragraph
keeps its id and its translations become *stale*, a new one gets a new id, and inserting a
paragraph changes no other id.

**Records.** Per language and segment: the digest of the source text the translation was made
from (written by an import) and of the translation as it was then. A translation is *stale*
when today's source digest differs and the translation has not changed since; one edited by hand
after the source changed counts as updated. A language first met (say, one written by hand) is
recorded as made from the source as it is then.

The file is text in a fixed order with no dates: it belongs in version control beside the
document, and two runs write the same bytes.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from pathlib import Path

from typeset.diagnostics import Diagnostics, Span
from typeset.source.structure import HEADING, ITEM, PARAGRAPH, QUOTE, SLOGAN, Block
from typeset.translate.inline import digest

STATE_FILE = "translations.yaml"
_PREFIX = {PARAGRAPH: "p", HEADING: "h", ITEM: "li", QUOTE: "q", SLOGAN: "s"}
_PLAIN = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")  # ids, kinds, tags, digests
_NUMBER = re.compile(r"[-+]?(\.[0-9]+|[0-9][0-9_]*(\.[0-9_]*)?)([eE][-+]?[0-9]+)?|0x[0-9a-fA-F]+|0o[0-7]+")
_RESERVED = re.compile(r"(?i)y|n|yes|no|on|off|true|false|null|~")
_SIMILAR = 0.5  # difflib ratio above which an edited block keeps its id
_HEADER = ("The ids of this document's text blocks, and what each translation was made from.\n"
           "Written by 'typeset translate export' and 'import'; keep it with the document in version control.\n"
           "Format: docs/translation.md of typeset")


@dataclass(frozen=True, slots=True)
class Record:
    """What a translation was made from: the digest of the source text, and of the translation then."""

    source: str
    target: str


@dataclass(frozen=True, slots=True)
class Recorded:
    """A block of the source language file as the state last saw it."""

    id: str
    kind: str
    text: str


@dataclass
class State:
    source_language: str | None = None
    blocks: list[Recorded] = field(default_factory=list)
    records: dict[str, dict[str, Record]] = field(default_factory=dict)  # language → segment id → record
    path: Path | None = None

    def record(self, language: str, segment: str) -> Record | None:
        return self.records.get(language, {}).get(segment)

    def dump(self) -> bytes:
        """The file's text: blocks in the source's order, languages and segment ids sorted. Written
        by hand — a few fixed shapes — rather than by a YAML dumper, which took a third of an import."""
        lines = [f"# {line}" for line in _HEADER.split("\n")]
        lines.append(f"source_language: {_quoted(self.source_language or '')}")
        lines.append("blocks:" if self.blocks else "blocks: []")
        for block in self.blocks:
            lines += [f"  - id: {_quoted(block.id)}", f"    kind: {_quoted(block.kind)}",
                      f"    text: {_quoted(block.text)}"]
        languages = [tag for tag in sorted(self.records) if self.records[tag]]
        lines.append("translations:" if languages else "translations: {}")
        for tag in languages:
            lines.append(f"  {_quoted(tag)}:")
            for segment in sorted(self.records[tag]):
                record = self.records[tag][segment]
                lines.append(f"    {_quoted(segment)}: [{_quoted(record.source)}, {_quoted(record.target)}]")
        return ("\n".join(lines) + "\n").encode("utf-8")


def _quoted(text: str) -> str:
    """A YAML scalar: plain where it surely reads back as this very string (a word, an id, a
    digest that no YAML reads as a number), else double-quoted with JSON's escapes, which YAML
    reads (the line separators escaped too, which YAML would take for line breaks)."""
    if _PLAIN.fullmatch(text) and not _NUMBER.fullmatch(text) and not _RESERVED.fullmatch(text):
        return text
    return json.dumps(text, ensure_ascii=False).replace("\u2028", "\\u2028").replace(
        "\u2029", "\\u2029").replace("\x85", "\\u0085")


def read_state(text: str, path: Path, diagnostics: Diagnostics) -> State:
    """The state in ``text``; what cannot be read is reported (and left out)."""
    from typeset.source.yamlfile import read_yaml

    state = State(path=path)
    read = read_yaml(text, path, diagnostics)
    if read is None:
        return state
    data, positions = read
    if not isinstance(data, dict):
        diagnostics.error(Span(path), f"{path.name} must be a mapping", "delete it: export writes it again",
                          code="state")
        return state
    language = data.get("source_language")
    state.source_language = language if isinstance(language, str) else None
    seen: set[str] = set()
    for index, item in enumerate(data.get("blocks") or []):
        ok = isinstance(item, dict) and all(isinstance(item.get(k), str) for k in ("id", "kind", "text"))
        if not ok or item["id"] in seen:
            diagnostics.error(positions.of(("blocks", index)), "a block needs a unique 'id', a 'kind' and a 'text'",
                              "this file is written by 'typeset translate'; restore it from version control",
                              code="state")
            continue
        seen.add(item["id"])
        state.blocks.append(Recorded(item["id"], item["kind"], item["text"]))
    translations = data.get("translations") or {}
    for tag, per in (translations.items() if isinstance(translations, dict) else ()):
        for segment, pair in (per.items() if isinstance(per, dict) else ()):
            if isinstance(pair, list) and len(pair) == 2 and all(isinstance(p, str) for p in pair):
                state.records.setdefault(str(tag), {})[str(segment)] = Record(pair[0], pair[1])
            else:
                diagnostics.error(positions.of(("translations", tag, segment)),
                                  "a record is two digests: [source, translation]", code="state")
    return state


def new_id(kind: str, text: str, taken: set[str]) -> str:
    """An id for a block seen for the first time: its kind and its text's digest, made unique."""
    base = f"{_PREFIX.get(kind, 'b')}-{digest(text)[:8]}"
    candidate, number = base, 2
    while candidate in taken:
        candidate, number = f"{base}-{number}", number + 1
    return candidate


def assign_ids(recorded: Sequence[Recorded], blocks: Sequence[Block]) -> list[str]:
    """An id for each of today's ``blocks`` (text blocks of the source language file, in order),
    carried over from the ``recorded`` ones where they line up."""
    old = [(r.kind, " ".join(r.text.split())) for r in recorded]
    new = [(b.kind, b.plain) for b in blocks]
    ids: list[str | None] = [None] * len(new)
    used: set[int] = set()
    matcher = SequenceMatcher(None, old, new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            for k in range(i2 - i1):
                ids[j1 + k] = recorded[i1 + k].id
                used.add(i1 + k)
        elif tag == "replace":
            for i, j in _similar(old, new, range(i1, i2), range(j1, j2)):
                ids[j] = recorded[i].id
                used.add(i)
    # a block moved elsewhere, unchanged: the same text keeps its id
    unused: dict[tuple[str, str], list[int]] = {}
    for i, key in enumerate(old):
        if i not in used:
            unused.setdefault(key, []).append(i)
    for j, key in enumerate(new):
        if ids[j] is None and unused.get(key):
            ids[j] = recorded[unused[key].pop(0)].id
    taken = {i for i in ids if i is not None}
    out: list[str] = []
    for j, found in enumerate(ids):
        if found is None or found in out:
            found = new_id(new[j][0], new[j][1], taken)
            taken.add(found)
        out.append(found)
    return out


def _similar(old: Sequence[tuple[str, str]], new: Sequence[tuple[str, str]], olds: range, news: range
             ) -> list[tuple[int, int]]:
    """The most alike pairs of two runs of blocks, in order (each at least :data:`_SIMILAR` alike)."""
    a, b = list(olds), list(news)
    best = [[0.0] * (len(b) + 1) for _ in range(len(a) + 1)]
    for x in range(len(a) - 1, -1, -1):
        for y in range(len(b) - 1, -1, -1):
            value = max(best[x + 1][y], best[x][y + 1])
            ratio = _ratio(old[a[x]], new[b[y]])
            if ratio >= _SIMILAR:
                value = max(value, best[x + 1][y + 1] + ratio)
            best[x][y] = value
    pairs: list[tuple[int, int]] = []
    x = y = 0
    while x < len(a) and y < len(b):
        ratio = _ratio(old[a[x]], new[b[y]])
        if ratio >= _SIMILAR and best[x][y] == best[x + 1][y + 1] + ratio:
            pairs.append((a[x], b[y]))
            x, y = x + 1, y + 1
        elif best[x][y] == best[x + 1][y]:
            x += 1
        else:
            y += 1
    return pairs


def _ratio(old: tuple[str, str], new: tuple[str, str]) -> float:
    if old[0] != new[0]:
        return 0.0
    matcher = SequenceMatcher(None, old[1], new[1], autojunk=False)
    if matcher.real_quick_ratio() < _SIMILAR or matcher.quick_ratio() < _SIMILAR:
        return 0.0
    return matcher.ratio()


def blocks_of(ids: Sequence[str], blocks: Sequence[Block]) -> list[Recorded]:
    return [Recorded(i, b.kind, b.plain) for i, b in zip(ids, blocks, strict=True)]


def records_equal(a: Mapping[str, Mapping[str, Record]], b: Mapping[str, Mapping[str, Record]]) -> bool:
    return {k: dict(v) for k, v in a.items() if v} == {k: dict(v) for k, v in b.items() if v}
