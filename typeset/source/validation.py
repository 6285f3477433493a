"""Pydantic's validation errors as diagnostics at the line and column of the offending value."""

from __future__ import annotations

import difflib
from typing import Any

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from typeset.diagnostics import Diagnostics
from typeset.source.yamlfile import KeyPath, Positions


def _field_names() -> list[str]:
    from typeset.source import schema

    names: set[str] = set()
    for model in (schema.DocumentSource, schema.GroupSource, schema.EntrySource,
                  schema.CsvSource, schema.TextSource):
        assert issubclass(model, BaseModel)
        for name, info in model.model_fields.items():
            names.add(info.alias or name)
    return sorted(names)


def _clean(loc: tuple[Any, ...], data: Any) -> KeyPath:
    """Drop the segments pydantic adds for union members (``'str'``, ``'dict[str,str]'``)."""
    cleaned: list[str | int] = []
    current = data
    for index, part in enumerate(loc):
        if isinstance(current, dict) and isinstance(part, str) and part in current:
            cleaned.append(part)
            current = current[part]
        elif isinstance(current, list) and isinstance(part, int) and part < len(current):
            cleaned.append(part)
            current = current[part]
        elif isinstance(current, dict) and isinstance(part, str) and index == len(loc) - 1:
            cleaned.append(part)  # a missing or unknown key
            current = None
        # anything else names a union member or a validator: skip it
    return tuple(cleaned)


def _describe(value: Any) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "empty"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float):
        return "a number"
    return f"'{value}'" if len(str(value)) < 40 else "a text"


def _label(where: KeyPath) -> str:
    for part in reversed(where):
        if isinstance(part, str):
            return part
    return "value"


def report_validation_error(
    error: ValidationError, data: Any, positions: Positions, diagnostics: Diagnostics,
    prefix: KeyPath = (),
) -> None:
    """Add one diagnostic per problem pydantic found in ``data`` (read at ``positions``)."""
    seen: dict[KeyPath, str] = {}
    for item in error.errors(include_url=False):
        where = prefix + _clean(item["loc"], data)
        if any(where[:len(refused)] == refused for refused in positions.refused):
            continue  # the YAML reader has said what is wrong with this value
        kind = item["type"]
        ctx = item.get("ctx") or {}
        field = _label(where)
        hint = ctx.get("hint")
        if kind == "missing":
            message = f"missing '{field}'"
            hint = hint or f"add '{field}: …' here"
            span = positions.of(where[:-1])
        elif kind == "extra_forbidden":
            message = f"unknown field '{field}'"
            close = difflib.get_close_matches(field, _field_names(), n=1)
            hint = f"did you mean '{close[0]}'?" if close else "see docs/source-format.md for the fields"
            span = positions.of(where, key=True)
        else:
            message = _message(kind, item, field)
            if kind == "string_pattern_mismatch" and not hint:
                hint = "use lower-case letters, digits, '.', '_' and '-' only"
            span = positions.of(where)
        if where in seen and kind.endswith("_type"):
            continue  # the other members of a union say the same thing again
        seen[where] = kind
        diagnostics.error(span, message, hint, code="schema")


_OWN = ("language", "country", "blank", "entries", "start", "document_id")  # our PydanticCustomError types


def _message(kind: str, item: ErrorDetails, field: str) -> str:
    value = item.get("input")
    if kind in _OWN:
        return str(item["msg"])
    if kind in ("string_type", "dict_type", "list_type", "int_type", "model_type", "model_attributes_type"):
        wanted = {"string_type": "text", "dict_type": "a mapping", "list_type": "a list",
                  "int_type": "a whole number"}.get(kind, "a mapping")
        return f"'{field}' must be {wanted}, not {_describe(value)}"
    if kind.startswith("date"):
        return f"'{field}' must be a date such as 2017-03-31, not {_describe(value)}"
    if kind == "literal_error":
        return f"'{field}' must be {item['ctx']['expected']}, not {_describe(value)}"
    if kind == "string_pattern_mismatch":
        return f"'{field}' {_describe(value)} does not have the form required"
    msg = str(item.get("msg", "invalid value"))
    return f"'{field}': {msg[0].lower() + msg[1:]}" if msg else f"'{field}' is invalid"
