"""Signatories from a spreadsheet export (CSV), each cell with its line and column.

In: the text of a CSV file whose first row names the columns — ``abbreviation``, ``name``,
``lang``, ``romanized``, ``country``, ``signed``, ``note``, ``id`` and, per language,
``translation:<lang>``, ``country_name:<lang>`` and ``note:<lang>``. Out: one mapping per row
in the shape of :class:`~typeset.source.schema.EntrySource`, with a
:class:`~typeset.source.yamlfile.Positions` table, ready for the same validation as YAML
entries. The separator (comma, semicolon or tab) is guessed from the header unless given.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

from typeset.diagnostics import Diagnostics, Span
from typeset.source.yamlfile import Positions
from typeset.world import Limits

_FORMULA = "=+@"  # cells a spreadsheet would evaluate ("CSV injection")
PLAIN = ("id", "abbreviation", "name", "lang", "romanized", "country", "signed", "note")
PER_LANGUAGE = ("translation", "country_name", "note")


def _columns(header: list[str], path: Path, starts: list[int],
             diagnostics: Diagnostics) -> list[tuple[str, ...] | None]:
    columns: list[tuple[str, ...] | None] = []
    for index, raw in enumerate(header):
        name = raw.strip().lower()
        key, _, language = name.replace(".", ":").partition(":")
        if not language and key in PLAIN:
            columns.append((key,))
        elif language and key in PER_LANGUAGE:
            columns.append((key, language.strip()))
        else:
            columns.append(None)
            col = starts[index] if index < len(starts) else 1
            diagnostics.error(Span(path, 1, col), f"unknown column '{raw.strip()}'",
                              "columns are " + ", ".join(PLAIN) + " and translation:<lang>, "
                              "country_name:<lang>, note:<lang>", code="csv")
    if ("name",) not in columns:
        diagnostics.error(Span(path, 1, 1), "the CSV has no 'name' column",
                          "the first row must name the columns, e.g. 'abbreviation,name,lang,country'", code="csv")
    return columns


def _field_starts(line: str, delimiter: str) -> list[int]:
    """The 1-based column where each field of one physical line starts."""
    starts = [1]
    quoted = False
    for i, char in enumerate(line):
        if char == '"':
            quoted = not quoted
        elif char == delimiter and not quoted:
            starts.append(i + 2)
    return starts


def guess_delimiter(header: str) -> str:
    return max((",", ";", "\t"), key=header.count)


def read_csv_entries(
    text: str, path: Path, diagnostics: Diagnostics, *, delimiter: str | None = None,
    limits: Limits = Limits(),
) -> list[tuple[dict[str, Any], Positions]]:
    lines = text.split("\n")
    if not text.strip():
        diagnostics.error(Span(path, 1, 1), "the CSV file is empty", code="csv")
        return []
    delimiter = delimiter or guess_delimiter(lines[0])
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    rows: list[tuple[dict[str, Any], Positions]] = []
    columns: list[tuple[str, ...] | None] = []
    previous_line = 0
    try:
        for record in reader:
            first_line = previous_line + 1
            previous_line = reader.line_num
            starts = _field_starts(lines[first_line - 1], delimiter) if first_line <= len(lines) else [1]
            if first_line == 1:
                if len(record) > limits.max_csv_columns:
                    diagnostics.error(Span(path, 1, 1), f"{len(record):,} columns, more than the limit of "
                                      f"{limits.max_csv_columns:,}", "is this the right file?", code="limit")
                    return []
                columns = _columns(record, path, starts, diagnostics)
                continue
            if not any(cell.strip() for cell in record):
                continue
            if len(rows) >= limits.max_csv_rows:
                diagnostics.error(Span(path, first_line, 1), f"more than {limits.max_csv_rows:,} rows", code="csv")
                break
            if len(record) > len(columns):
                col = starts[len(columns)] if len(columns) < len(starts) else 1
                diagnostics.error(Span(path, first_line, col),
                                  f"row has {len(record)} cells but the header names {len(columns)} columns",
                                  f"put cells that contain '{delimiter}' in double quotes", code="csv")
                continue
            entry: dict[str, Any] = {}
            positions = Positions(path)
            positions.values[()] = Span(path, first_line, 1)
            # a short row leaves its last columns empty
            for index, (column, cell) in enumerate(zip(columns, record, strict=False)):
                value = cell.strip()
                if column is None or not value:
                    continue
                col = starts[index] if index < len(starts) else 1
                raw = lines[first_line - 1] if first_line <= len(lines) else ""
                quoted = raw[col - 1:col] == '"'  # csv gives the cell without its quotes
                span = Span(path, first_line, col + (1 if quoted else 0))
                if value[0] in _FORMULA:
                    diagnostics.warning(span, f"the cell starts with '{value[0]}', which a spreadsheet runs as a "
                                              "formula", "typeset prints it as text; if the file goes back to a "
                                              "spreadsheet, start the cell with an apostrophe", code="csv-formula")
                if len(column) == 1:
                    entry[column[0]] = value
                else:
                    entry.setdefault(column[0], {})[column[1]] = value
                positions.values[column] = span
                positions.keys[column] = Span(path, 1, col)
                if reader.line_num == first_line and '"' not in cell:
                    positions.exact.add(column)
            rows.append((entry, positions))
    except csv.Error as error:
        diagnostics.error(Span(path, reader.line_num or 1, 1), f"unreadable CSV: {error}",
                          "check the quotes on this line", code="csv")
    return rows
