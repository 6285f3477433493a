"""Edits to ``document.yaml`` that leave every other byte as it was.

In: the text of a YAML file and edits — set the value of a key in a mapping (adding the key, or
the mapping, if it is missing) and append an item to a sequence. Out: the edited text.

ruamel.yaml's round-trip dump keeps comments and key order, but it re-indents with one setting
for the whole file and moves the blank line that ends an entry after a key added at its end. So
the edits are made in the text instead, at the places ruamel.yaml's composer marks: a new key is
written on a line of its own after the last line of its mapping's last value (so a comment or
blank line after it stays after it), in the mapping's own indentation, or before the closing
brace of a flow mapping (``{en: …, de: …}``); a changed value replaces the characters of the old
one. Each value is written as ruamel.yaml writes a scalar (quoted only where YAML would misread
it). The result is read again and must hold exactly the data intended, or the edit is refused.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError
from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

KeyPath = tuple[str | int, ...]


class EditError(Exception):
    """The edit would not give the data intended (a bug, or YAML typeset cannot edit in place)."""


@dataclass(frozen=True, slots=True)
class SetValue:
    """``path[-1]`` in the mapping at ``path[:-1]`` becomes ``value``; missing mappings are made,
    each placed after the first of ``after`` its parent has (else at its end)."""

    path: KeyPath
    value: str
    after: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Append:
    """``value`` appended to the sequence at ``path``."""

    path: KeyPath
    value: str


Edit = SetValue | Append


@cache
def _dumper(flow: bool) -> YAML:
    yaml = YAML()
    yaml.width = 1 << 16
    yaml.default_flow_style = flow
    return yaml


_PLAIN = re.compile(r"[^\W\d_][\w .,'’()–—-]*[\w.)’'!?]", re.UNICODE)  # surely plain, in block and flow
_RESERVED = re.compile(r"(?i)^(y|n|yes|no|on|off|true|false|null)$")


@cache
def scalar(value: str, *, flow: bool = False) -> str:
    """``value`` as ruamel.yaml writes it: plain where YAML reads it back as this string."""
    if _PLAIN.fullmatch(value) and not _RESERVED.match(value) and ", " not in value and "," not in value[-1:] \
            and not (flow and ("," in value or "'" in value[:1])):
        return value  # letters first, no ': ', '#', brackets or quotes at the start: ruamel would write it so
    out = io.StringIO()
    if flow:
        _dumper(True).dump([value], out)
        return out.getvalue().strip()[1:-1]
    _dumper(False).dump({"k": value}, out)
    return out.getvalue().rstrip("\n")[3:]


def apply_edits(text: str, edits: Sequence[Edit]) -> str:
    """``text`` with ``edits`` made. Each edit is placed by one reading of ``text``, and they are
    made from the end of the file to its start, so that none moves another's place."""
    if not edits:
        return text
    root = _compose(text)
    lines = text.split("\n")
    step = _indent_step(root)
    operations: list[tuple[int, int, int, str]] = []  # (start, end, order, replacement)
    for order, edit in enumerate(edits):
        if isinstance(edit, SetValue):
            start, end, new = _set_text(text, root, lines, edit, step)
        else:
            start, end, new = _append_text(text, root, lines, edit)
        operations.append((start, end, order, new))
    result = text
    for start, end, _, new in sorted(operations, key=lambda op: (op[0], op[2]), reverse=True):
        result = result[:start] + new + result[end:]
    expected = _load(text)
    for edit in edits:
        if isinstance(edit, SetValue):
            _set(expected, edit.path, edit.value)
        else:
            _get(expected, edit.path).append(edit.value)
    if _load(result) != expected:
        raise EditError("editing document.yaml in place would change other data")
    return result


def _compose(text: str) -> Node:
    """The node tree with its marks: by libyaml where it is installed (the marks are the same as
    the pure parser's, in characters), else by ruamel.yaml's own parser."""
    node: Node | None
    try:
        node = YAML(typ="safe", pure=False).compose(text)
    except YAMLError:
        node = YAML(typ="safe", pure=True).compose(text)
    if node is None:
        raise EditError("the YAML is empty")
    return node


def _load(text: str) -> Any:
    try:
        return YAML(typ="safe", pure=False).load(text)
    except YAMLError:
        return YAML(typ="safe", pure=True).load(text)


def _get(data: Any, path: KeyPath) -> Any:
    for key in path:
        data = data[key]
    return data


def _set(data: Any, path: KeyPath, value: str) -> None:
    for key in path[:-1]:
        if isinstance(data, dict) and data.get(key) is None:
            data[key] = {}
        data = data[key]
    data[path[-1]] = value


# -- positions ---------------------------------------------------------------------------------


def _child(node: Node, key: str | int) -> Node | None:
    if isinstance(node, MappingNode):
        pairs: list[tuple[Node, Node]] = node.value
        for key_node, value_node in pairs:
            if isinstance(key_node, ScalarNode) and key_node.value == key:
                return value_node
        return None
    if isinstance(node, SequenceNode) and isinstance(key, int) and key < len(node.value):
        items: list[Node] = node.value
        return items[key]
    return None


def _key_node(node: MappingNode, key: str) -> Node | None:
    pairs: list[tuple[Node, Node]] = node.value
    for key_node, _ in pairs:
        if isinstance(key_node, ScalarNode) and key_node.value == key:
            return key_node
    return None


def _last_line(node: Node) -> int:
    """The 0-based line on which a node's last character stands."""
    if isinstance(node, MappingNode | SequenceNode) and node.value:
        last = node.value[-1]
        return _last_line(last[1] if isinstance(last, tuple) else last)
    end = node.end_mark
    line: int = end.line
    if isinstance(node, ScalarNode) and end.column == 0 and line > node.start_mark.line:
        return line - 1  # a block scalar ends at the start of the next line
    return line


def _offset(lines: list[str], line: int, column: int) -> int:
    return sum(len(x) + 1 for x in lines[:line]) + column


def _indent_step(root: Node) -> int:
    """How far the file indents a mapping inside a mapping (2 unless it says otherwise)."""
    stack = [root]
    while stack:
        node = stack.pop()
        if isinstance(node, MappingNode) and not node.flow_style:
            for key_node, value_node in node.value:
                if isinstance(value_node, MappingNode) and not value_node.flow_style and value_node.value:
                    inner: int = value_node.value[0][0].start_mark.column - key_node.start_mark.column
                    if inner > 0:
                        return inner
                stack.append(value_node)
        elif isinstance(node, SequenceNode):
            stack.extend(node.value)
    return 2


# -- edits -------------------------------------------------------------------------------------


Operation = tuple[int, int, str]  # replace text[start:end] with this


def _line_start(lines: list[str], line: int) -> int:
    """The offset where 0-based ``line`` starts (the end of the text, after a line break, if past it)."""
    return sum(len(x) + 1 for x in lines[:line])


def _insert_lines(text: str, lines: list[str], after: int, new: list[str]) -> Operation:
    """New lines after 0-based line ``after``."""
    if after + 1 < len(lines):
        at = _line_start(lines, after + 1)
        return at, at, "".join(n + "\n" for n in new)
    return len(text), len(text), "".join("\n" + n for n in new)


def _set_text(text: str, root: Node, lines: list[str], edit: SetValue, step: int) -> Operation:
    node: Node = root
    for depth, key in enumerate(edit.path[:-1]):
        child = _child(node, key)
        if child is None or (isinstance(child, ScalarNode) and (child.tag or "").endswith(":null")):
            return _add_mapping(text, lines, node, edit.path[depth:], edit.value, edit.after, step)
        node = child
    key = edit.path[-1]
    assert isinstance(key, str)
    if not isinstance(node, MappingNode):
        raise EditError(f"{'.'.join(map(str, edit.path[:-1]))} is not a mapping")
    existing = _child(node, key)
    if existing is not None:
        if not isinstance(existing, ScalarNode):
            raise EditError(f"{'.'.join(map(str, edit.path))} is not a text")
        start = _offset(lines, existing.start_mark.line, existing.start_mark.column)
        end = _offset(lines, existing.end_mark.line, existing.end_mark.column)
        if existing.style in ("|", ">"):
            end -= 1  # keep the line break before the next key
        return start, end, scalar(edit.value, flow=bool(node.flow_style))
    return _insert_key(text, lines, node, key, edit.value)


def _insert_key(text: str, lines: list[str], node: MappingNode, key: str, value: str) -> Operation:
    if node.flow_style or not node.value:
        close = _offset(lines, node.end_mark.line, node.end_mark.column) - 1
        if text[close] != "}":
            raise EditError("a mapping with no entries")
        body = text[_offset(lines, node.start_mark.line, node.start_mark.column) + 1:close]
        separator = ", " if body.strip() else ""
        end = close - (len(body) - len(body.rstrip()))
        return end, end, f"{separator}{scalar(key, flow=True)}: {scalar(value, flow=True)}"
    indent = node.value[0][0].start_mark.column
    return _insert_lines(text, lines, _last_line(node), [" " * indent + f"{scalar(key)}: {scalar(value)}"])


def _add_mapping(text: str, lines: list[str], parent: Node, path: KeyPath, value: str, after: tuple[str, ...],
                 step: int) -> Operation:
    """Keys ``path[:-1]`` (mappings) and ``path[-1]: value`` under ``parent``, which lacks ``path[0]``."""
    if not isinstance(parent, MappingNode) or parent.flow_style or not parent.value:
        raise EditError(f"cannot add '{path[0]}' here")
    indent = parent.value[0][0].start_mark.column
    new: list[str] = []
    for depth, key in enumerate(path[:-1]):
        new.append(" " * (indent + depth * step) + f"{scalar(str(key))}:")
    new.append(" " * (indent + (len(path) - 1) * step) + f"{scalar(str(path[-1]))}: {scalar(value)}")
    key_node = _key_node(parent, str(path[0]))
    if key_node is not None:  # 'translation:' with nothing after it (null): that line becomes the new ones
        start = _line_start(lines, key_node.start_mark.line)
        return start, start + len(lines[key_node.start_mark.line]), "\n".join(new)
    anchor = next((_key_node(parent, k) for k in after if _key_node(parent, k) is not None), None)
    if anchor is not None:
        value_node = _child(parent, str(anchor.value))
        assert value_node is not None
        return _insert_lines(text, lines, _last_line(value_node), new)
    return _insert_lines(text, lines, _last_line(parent), new)


def _append_text(text: str, root: Node, lines: list[str], edit: Append) -> Operation:
    node: Node | None = root
    for key in edit.path:
        node = _child(node, key) if node is not None else None
    if not isinstance(node, SequenceNode):
        raise EditError(f"{'.'.join(map(str, edit.path))} is not a list")
    if node.flow_style or not node.value:
        close = _offset(lines, node.end_mark.line, node.end_mark.column) - 1
        if text[close] != "]":
            raise EditError("an empty block list")
        body = text[_offset(lines, node.start_mark.line, node.start_mark.column) + 1:close]
        separator = ", " if body.strip() else ""
        end = close - (len(body) - len(body.rstrip()))
        return end, end, separator + scalar(edit.value, flow=True)
    first = node.value[0]
    dash = lines[first.start_mark.line][:first.start_mark.column].rstrip()
    prefix = dash if dash.endswith("-") else " " * max(first.start_mark.column - 2, 0) + "-"
    return _insert_lines(text, lines, _last_line(node), [f"{prefix} {scalar(edit.value)}"])


__all__ = ["Append", "EditError", "SetValue", "apply_edits", "scalar"]
