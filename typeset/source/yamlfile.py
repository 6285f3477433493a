"""YAML read safely, with the position of every key and value.

In: YAML text and the file it came from. Out: plain Python data (dicts, lists, strings,
numbers, booleans, ``None``) and a :class:`Positions` table from a key path such as
``("groups", 0, "entries", 3, "name")`` to its :class:`~typeset.diagnostics.Span`.

Only the YAML core schema is accepted: custom tags are refused, duplicate keys are errors,
and the number of nodes (aliases included) and the nesting depth are bounded, so an alias
bomb costs nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from typeset.diagnostics import Diagnostics, Span
from typeset.world import Limits

KeyPath = tuple[str | int, ...]

_CORE = "tag:yaml.org,2002:"


@dataclass
class Positions:
    """Where each value (and each mapping key) of a YAML document starts."""

    path: Path
    values: dict[KeyPath, Span] = field(default_factory=dict)
    keys: dict[KeyPath, Span] = field(default_factory=dict)
    exact: set[KeyPath] = field(default_factory=set)
    refused: set[KeyPath] = field(default_factory=set)

    def of(self, where: KeyPath, *, key: bool = False) -> Span:
        """The span of ``where`` (its key if ``key``), else of its nearest located parent."""
        if key and where in self.keys:
            return self.keys[where]
        probe = where
        while probe:
            if probe in self.values:
                return self.values[probe]
            probe = probe[:-1]
        return self.values.get((), Span(self.path))

    def char(self, where: KeyPath, index: int) -> Span:
        """The span of character ``index`` of the string at ``where`` (its start if unknown)."""
        span = self.of(where)
        return span.shifted(index) if where in self.exact else span


class _TooBig(Exception):
    pass


def read_yaml(
    text: str, path: Path, diagnostics: Diagnostics, *, line_offset: int = 0, limits: Limits = Limits()
) -> tuple[Any, Positions] | None:
    """Parse ``text``; on a syntax error add a diagnostic and return ``None``."""
    positions = Positions(path)
    try:
        node = _compose(text)
    except MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        span = Span(path, (mark.line + 1 + line_offset) if mark else 1, (mark.column + 1) if mark else 1)
        problem = error.problem or error.context or "invalid YAML"
        diagnostics.error(span, f"YAML syntax: {problem}", _syntax_hint(problem), code="yaml")
        return None
    except YAMLError as error:
        diagnostics.error(Span(path, 1 + line_offset, 1), f"YAML syntax: {error}", code="yaml")
        return None
    except RecursionError:
        diagnostics.error(Span(path, 1 + line_offset, 1),
                          f"the YAML is nested more than {limits.max_yaml_depth} levels deep",
                          "write the structure flatter", code="yaml")
        return None
    if node is None:
        return {}, positions
    builder = _Builder(path, positions, diagnostics, line_offset, limits)
    try:
        return builder.build(node, (), 0), positions
    except _TooBig as error:
        diagnostics.error(builder.span(node), str(error),
                          "anchors and aliases may not multiply the document; write it out", code="yaml")
        return None


_FLOW_DEPTH = re.compile(r"[\[{]")
_BRACKETS = re.compile(r"[\[\]{}]")


def _compose(text: str) -> Node | None:
    """The node tree of ``text``: by libyaml (``ruamel.yaml.clib``, about eight times faster on a long
    signatory list) where it is installed and the text is shallow, else by ruamel.yaml's pure-Python
    parser — which also reads any text libyaml refuses, so that every error message (and every
    position) is the one the pure parser gives. The nodes, tags (YAML 1.2 core schema) and marks are
    the same either way. Deep or oddly nested text goes to the pure parser, whose recursion Python
    bounds (libyaml's would use the C stack)."""
    node: Node | None
    if _shallow(text):
        try:
            node = YAML(typ="safe", pure=False).compose(text)
            return node
        except YAMLError:
            pass  # the pure parser says what is wrong, in its words
    node = YAML(typ="safe", pure=True).compose(text)
    return node


def _shallow(text: str, limit: int = 64) -> bool:
    """Whether ``text`` surely nests no deeper than ``limit`` (a bound: brackets in strings count too)."""
    if len(_FLOW_DEPTH.findall(text)) > limit and _max_flow_depth(text) > limit:
        return False
    return max((len(line) - len(line.lstrip(" ")) for line in text.splitlines()), default=0) <= 8 * limit


def _max_flow_depth(text: str) -> int:
    depth = deepest = 0
    for char in _BRACKETS.findall(text):
        if char in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif char in "]}" and depth:
            depth -= 1
    return deepest


def _syntax_hint(problem: str) -> str | None:
    if "tab" in problem or "\\t" in problem:
        return "indent with spaces, not tabs"
    if "mapping values" in problem:
        return "put a value containing ': ' in quotes"
    return None


class _Builder:
    def __init__(self, path: Path, positions: Positions, diagnostics: Diagnostics,
                 line_offset: int, limits: Limits) -> None:
        self.path = path
        self.positions = positions
        self.diagnostics = diagnostics
        self.line_offset = line_offset
        self.limits = limits
        self.count = 0

    def span(self, node: Node) -> Span:
        return Span(self.path, node.start_mark.line + 1 + self.line_offset, node.start_mark.column + 1)

    def build(self, node: Node, where: KeyPath, depth: int) -> Any:
        self.count += 1
        if self.count > self.limits.max_yaml_nodes:
            raise _TooBig(f"the YAML has more than {self.limits.max_yaml_nodes:,} values")
        if depth > self.limits.max_yaml_depth:
            raise _TooBig(f"the YAML is nested more than {self.limits.max_yaml_depth} levels deep")
        span = self.span(node)
        self.positions.values.setdefault(where, span)
        tag = str(getattr(node.tag, "value", node.tag) or "")
        if isinstance(node, MappingNode):
            if tag != _CORE + "map":
                return self._refuse(node, tag, where)
            result: dict[str, Any] = {}
            for key_node, value_node in node.value:
                if not isinstance(key_node, ScalarNode):
                    self.diagnostics.error(self.span(key_node), "a key must be a plain word", code="yaml")
                    continue
                key = str(key_node.value)
                if key == "<<":
                    self.diagnostics.error(self.span(key_node), "merge keys ('<<') are not supported",
                                           "write the keys out", code="yaml")
                    continue
                if key in result:
                    self.diagnostics.error(self.span(key_node), f"duplicate key '{key}'",
                                           f"'{key}' was already given above; keep one", code="yaml")
                    continue
                self.positions.keys[(*where, key)] = self.span(key_node)
                result[key] = self.build(value_node, (*where, key), depth + 1)
            return result
        if isinstance(node, SequenceNode):
            if tag != _CORE + "seq":
                return self._refuse(node, tag, where)
            return [self.build(item, (*where, i), depth + 1) for i, item in enumerate(node.value)]
        assert isinstance(node, ScalarNode)
        return self._scalar(node, tag, where, span)

    def _scalar(self, node: ScalarNode, tag: str, where: KeyPath, span: Span) -> Any:
        value: str = node.value
        style = node.style or None  # libyaml gives '' for a plain scalar, the pure parser None
        if style in ("'", '"'):
            self.positions.values[where] = span.shifted(1)
        if style in (None, "'") and node.start_mark.line == node.end_mark.line:
            self.positions.exact.add(where)
        if tag == _CORE + "str" or tag == _CORE + "timestamp":
            return value
        if tag == _CORE + "null":
            return None
        if tag == _CORE + "bool":
            return value.lower() == "true"
        if tag == _CORE + "int":
            try:
                return int(value.replace("_", ""), 0)
            except ValueError:
                return value
        if tag == _CORE + "float":
            try:
                return float(value.replace("_", ""))
            except ValueError:
                return value
        return self._refuse(node, tag, where)

    def _refuse(self, node: Node, tag: str, where: KeyPath) -> None:
        self.positions.refused.add(where)
        self.diagnostics.error(self.span(node), f"YAML tag '{tag}' is not allowed",
                               "typeset reads plain YAML only: remove the tag", code="yaml")
        return None
