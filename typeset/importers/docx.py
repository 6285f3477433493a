"""Word documents (DOCX) read into paragraphs, with what Word knows about each.

In: a ``.docx`` file read through the :class:`~typeset.world.World`. Out:
:class:`~typeset.importers.paragraphs.Para` objects in document order — table rows too, their
cells joined by tabs — each with:

- its **number** as Word computes it from ``numbering.xml`` (``w:numPr`` on the paragraph or its
  style; counters shared by the ``w:num`` instances of one abstract numbering, restarted by a
  ``w:startOverride``; deeper levels restart under a shallower one) — not digits typed into the
  text — and whether the list is bulleted or numbered;
- its **heading** level from the style's outline level or name ("Title", "Heading 2");
- **bold** and **italic** runs (a bold abbreviation before a name), links with their targets;
- the **language** of each run from ``w:lang`` (``w:val``, ``w:eastAsia`` or ``w:bidi`` by the
  run's script) where it differs from the tag most of the document carries — Word stamps its
  proofing language on every run, so only a tag that differs says something.

Positions are ``file:paragraph:column``: the paragraph's number counts from 1 in document order.
A package that unpacks to more than 64 MiB or whose XML declares entities is refused.
"""

from __future__ import annotations

import re
import zipfile
from collections import Counter
from dataclasses import dataclass, replace
from io import BytesIO
from pathlib import Path
from typing import Any

from typeset.diagnostics import Diagnostics, Span
from typeset.importers.paragraphs import ListKind, Para, Run
from typeset.model.scripts import Slot, script_runs, slot
from typeset.world import World

UNPACKED_BYTES = 64 * 1024 * 1024
_DECLARATION = re.compile(rb"<!(DOCTYPE|ENTITY)", re.IGNORECASE)
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_LANG_ATTRIBUTE = {Slot.LATIN: "val", Slot.EAST_ASIAN: "eastAsia", Slot.COMPLEX: "bidi"}


def read_docx(world: World, path: Path, diagnostics: Diagnostics, *, shown_as: Path | None = None) -> list[Para]:
    """The paragraphs of the Word document at ``path`` (reported as ``shown_as``, if given)."""
    shown = shown_as or path
    document = _open(world, path, shown, diagnostics)
    if document is None:
        return []
    numbering = _Numbering(document)
    raw: list[tuple[list[Run], int | None, ListKind | None, int | None, int]] = []
    for block in document.element.body.iterchildren():
        if block.tag == f"{_W}p":
            from docx.text.paragraph import Paragraph

            paragraph = Paragraph(block, document)
            kind, number, level = numbering.of(paragraph)
            raw.append((_runs(paragraph), _heading(paragraph), kind, number, level))
        elif block.tag == f"{_W}tbl":
            from docx.table import Table

            for row in Table(block, document).rows:
                cells: list[Run] = []
                for index, cell in enumerate(_unique_cells(row)):
                    if index:
                        cells.append(Run("\t"))
                    for number, paragraph in enumerate(cell.paragraphs):
                        if number:
                            cells.append(Run(" "))
                        cells.extend(_runs(paragraph))
                raw.append((cells, None, None, None, 0))
    default = _default_language(runs for runs, *_ in raw)
    paras: list[Para] = []
    for index, (runs, heading, kind, number, level) in enumerate(raw, start=1):
        runs = [replace(run, lang=None) if run.lang == default else run for run in runs]
        for piece, col in _lines(runs):
            paras.append(Para(tuple(piece), Span(shown, index, col), heading=heading, list=kind, number=number,
                              level=level))
    return paras


def _open(world: World, path: Path, shown: Path, diagnostics: Diagnostics) -> Any:
    from docx import Document
    from docx.opc.exceptions import PackageNotFoundError

    hint = "save it again from Word or LibreOffice as a Word document (.docx)"
    try:
        data = world.read_bytes(path)
    except Exception as error:  # noqa: BLE001 - the World says why in its own words
        diagnostics.error(Span(shown), getattr(error, "message", str(error)), getattr(error, "hint", None),
                          code="io")
        return None
    try:
        with zipfile.ZipFile(BytesIO(data)) as package:
            parts = package.infolist()
            if sum(part.file_size for part in parts) > UNPACKED_BYTES:
                diagnostics.error(Span(shown), f"the document unpacks to more than {UNPACKED_BYTES:,} bytes", hint,
                                  code="docx")
                return None
            for part in parts:
                if part.filename.endswith((".xml", ".rels")) and _DECLARATION.search(package.read(part)):
                    diagnostics.error(Span(shown), f"{part.filename} declares a document type or entities",
                                      "Word never writes them; " + hint, code="docx")
                    return None
        return Document(BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, PackageNotFoundError, KeyError, ValueError, SyntaxError,
            NotImplementedError, OSError) as error:
        diagnostics.error(Span(shown), f"not a Word document ({error.__class__.__name__}: {error})", hint,
                          code="docx")
        return None


# -- runs ----------------------------------------------------------------------------------------


def _runs(paragraph: Any) -> list[Run]:
    from docx.text.hyperlink import Hyperlink

    runs: list[Run] = []
    for item in paragraph.iter_inner_content():
        if isinstance(item, Hyperlink):
            href = item.url or None
            runs.extend(replace(run, href=href) for run in (_run(r) for r in item.runs) if run.text)
        else:
            run = _run(item)
            if run.text:
                runs.append(run)
    return runs


def _run(run: Any) -> Run:
    text = run.text
    style = run.style.name if run.style is not None else ""
    bold = bool(run.bold) or (run.bold is None and style in ("Strong", "Bold"))
    italic = bool(run.italic) or (run.italic is None and style in ("Emphasis",))
    return Run(text, bold=bold, italic=italic, lang=_language(run, text))


def _language(run: Any, text: str) -> str | None:
    """The ``w:lang`` of the run for the script its text is in."""
    rpr = run._r.rPr
    lang = rpr.find(f"{_W}lang") if rpr is not None else None
    if lang is None:
        return None
    scripts = [script for _, script in script_runs(text)]
    which = _LANG_ATTRIBUTE[slot(scripts[0])] if scripts else "val"
    value = lang.get(f"{_W}{which}") or (lang.get(f"{_W}val") if which == "val" else None)
    return value or None


def _default_language(paragraphs: Any) -> str | None:
    """The tag most of the document's text carries: Word's proofing language, which says nothing."""
    counts: Counter[str] = Counter()
    total = 0
    for runs in paragraphs:
        for run in runs:
            total += len(run.text)
            if run.lang:
                counts[run.lang] += len(run.text)
    if not counts:
        return None
    tag, count = counts.most_common(1)[0]
    return tag if count * 2 > total else None  # a tag on most of the text is the proofing language


def _lines(runs: list[Run]) -> list[tuple[list[Run], int]]:
    """A paragraph split at its line breaks (a list typed with Shift+Enter), each with its column."""
    lines: list[tuple[list[Run], int]] = [([], 1)]
    position = 0
    for run in runs:
        parts = run.text.split("\n")
        for number, part in enumerate(parts):
            if number:
                position += 1
                lines.append(([], position + 1))
            if part:
                lines[-1][0].append(replace(run, text=part))
            position += len(part)
    return [(line, col) for line, col in lines if "".join(r.text for r in line).strip()] or [([], 1)]


def _unique_cells(row: Any) -> list[Any]:
    """A row's cells, each once (a merged cell is returned for every grid column it spans)."""
    seen: list[Any] = []
    for cell in row.cells:
        if not any(cell._tc is other._tc for other in seen):
            seen.append(cell)
    return seen


# -- headings --------------------------------------------------------------------------------------


def _heading(paragraph: Any) -> int | None:
    """0 for the title, 1 … 9 for headings: the outline level, else the style's name."""
    ppr = paragraph._p.pPr
    level = ppr.find(f"{_W}outlineLvl") if ppr is not None else None
    style = paragraph.style
    while level is None and style is not None:
        spr = style.element.pPr
        level = spr.find(f"{_W}outlineLvl") if spr is not None else None
        if level is None:
            name = (style.name or "").lower()
            if name == "title":
                return 0
            match = re.fullmatch(r"heading (\d)", name)
            if match:
                return int(match[1])
        style = style.base_style
    if level is not None:
        value = int(level.get(f"{_W}val", "9"))
        return value + 1 if value < 9 else None
    return None


# -- Word's numbering ------------------------------------------------------------------------------


@dataclass
class _Level:
    start: int
    format: str


class _Numbering:
    """Word's list numbers, computed as Word computes them, in document order."""

    def __init__(self, document: Any) -> None:
        self.levels: dict[str, dict[int, _Level]] = {}  # abstractNumId → ilvl → level
        self.instances: dict[str, tuple[str, dict[int, int]]] = {}  # numId → (abstractNumId, overrides)
        self.counters: dict[str, dict[int, int]] = {}  # abstractNumId → ilvl → last number
        self.started: set[str] = set()  # numIds seen
        try:
            root = document.part.numbering_part.element
        except (KeyError, NotImplementedError, AttributeError):
            return
        for abstract in root.findall(f"{_W}abstractNum"):
            levels: dict[int, _Level] = {}
            for lvl in abstract.findall(f"{_W}lvl"):
                start = lvl.find(f"{_W}start")
                fmt = lvl.find(f"{_W}numFmt")
                levels[int(lvl.get(f"{_W}ilvl", "0"))] = _Level(
                    int(start.get(f"{_W}val", "1")) if start is not None else 1,
                    fmt.get(f"{_W}val", "decimal") if fmt is not None else "decimal")
            self.levels[abstract.get(f"{_W}abstractNumId", "")] = levels
        for num in root.findall(f"{_W}num"):
            abstract_id = num.find(f"{_W}abstractNumId")
            overrides: dict[int, int] = {}
            for override in num.findall(f"{_W}lvlOverride"):
                start = override.find(f"{_W}startOverride")
                if start is not None:
                    overrides[int(override.get(f"{_W}ilvl", "0"))] = int(start.get(f"{_W}val", "1"))
            if abstract_id is not None:
                self.instances[num.get(f"{_W}numId", "")] = (abstract_id.get(f"{_W}val", ""), overrides)

    def of(self, paragraph: Any) -> tuple[ListKind | None, int | None, int]:
        """The list kind, number and level of a paragraph (``None, None, 0`` outside lists)."""
        num_id, level = _num_pr(paragraph)
        if num_id is None or num_id == "0" or num_id not in self.instances:
            return None, None, 0
        abstract, overrides = self.instances[num_id]
        definition = self.levels.get(abstract, {}).get(level, _Level(1, "decimal"))
        if definition.format in ("bullet", "none"):
            return ("bullet" if definition.format == "bullet" else None), None, level
        counters = self.counters.setdefault(abstract, {})
        if num_id not in self.started:
            self.started.add(num_id)
            for ilvl, start in overrides.items():
                counters[ilvl] = start - 1
        number = counters.get(level, definition.start - 1) + 1
        counters[level] = number
        for deeper in [k for k in counters if k > level]:  # a deeper level restarts under this one
            del counters[deeper]
        return "number", number, level


def _num_pr(paragraph: Any) -> tuple[str | None, int]:
    """The paragraph's ``numId`` and ``ilvl``, from itself or its style (and the style's bases)."""
    num_id: str | None = None
    level: int | None = None
    elements = [paragraph._p.pPr]
    style = paragraph.style
    while style is not None:
        elements.append(style.element.pPr)
        style = style.base_style
    for ppr in elements:
        numpr = ppr.find(f"{_W}numPr") if ppr is not None else None
        if numpr is None:
            continue
        ilvl = numpr.find(f"{_W}ilvl")
        nid = numpr.find(f"{_W}numId")
        if num_id is None and nid is not None:
            num_id = nid.get(f"{_W}val")
        if level is None and ilvl is not None:
            level = int(ilvl.get(f"{_W}val", "0"))
    return num_id, level or 0
