"""The YAML reader: libyaml (ruamel.yaml.clib) and the pure-Python parser give the same tree, the
same positions and the same diagnostics; deep nesting never reaches libyaml."""

from __future__ import annotations

from pathlib import Path

import pytest
from ruamel.yaml import YAML

from tests.conftest import REPO
from typeset.diagnostics import Diagnostics
from typeset.source import yamlfile

SOURCES = sorted((REPO / "examples").glob("*/document.yaml"))
TRICKY = "Ωμέγα: 'x'\nlist:\n  - name: \"Ελλάδα 日本\"\n    lang: ja\n  - {name: 中文, lang: no, n: 012}\nz: |\n  ab\n"


def _tree(node) -> list[tuple[object, ...]]:  # type: ignore[no-untyped-def]
    out: list[tuple[object, ...]] = []

    def walk(n) -> None:  # type: ignore[no-untyped-def]
        out.append((type(n).__name__, n.tag, n.start_mark.line, n.start_mark.column, n.end_mark.line,
                    n.end_mark.column, getattr(n, "style", None) or None,
                    None if isinstance(n.value, list) else n.value))
        if isinstance(n.value, list):
            for item in n.value:
                for child in item if isinstance(item, tuple) else (item,):
                    walk(child)

    walk(node)
    return out


@pytest.mark.parametrize("text", [*(p.read_text(encoding="utf-8") for p in SOURCES), TRICKY],
                         ids=[*(p.parent.name for p in SOURCES), "tricky"])
def test_libyaml_and_the_pure_parser_give_the_same_tree(text: str) -> None:
    pytest.importorskip("_ruamel_yaml")
    fast, pure = YAML(typ="safe", pure=False).compose(text), YAML(typ="safe", pure=True).compose(text)
    assert type(fast).__module__ == "ruamel.yaml.nodes"
    assert _tree(fast) == _tree(pure)
    data, positions = yamlfile.read_yaml(text, Path("d.yaml"), Diagnostics())  # type: ignore[misc]
    assert data == _pure_read(text)


def _pure_read(text: str) -> object:
    builder = yamlfile._Builder(Path("d.yaml"), yamlfile.Positions(Path("d.yaml")), Diagnostics(), 0,
                                yamlfile.Limits())
    return builder.build(YAML(typ="safe", pure=True).compose(text), (), 0)


def test_language_codes_stay_strings_and_errors_keep_the_pure_parsers_words() -> None:
    diagnostics = Diagnostics()
    data, _ = yamlfile.read_yaml("languages: [en, no, yes, on]\n", Path("d.yaml"), diagnostics)  # type: ignore[misc]
    assert data == {"languages": ["en", "no", "yes", "on"]} and not diagnostics.items
    diagnostics = Diagnostics()
    assert yamlfile.read_yaml("a: 1\n\tb: 2\n", Path("d.yaml"), diagnostics) is None
    [error] = diagnostics.items
    assert (error.span.line, error.span.col, error.hint) == (2, 1, "indent with spaces, not tabs")
    assert "found character '\\t' that cannot start any token" in error.message


@pytest.mark.parametrize("text,shallow", [
    ("a: [[1], {b: [2]}]\n", True),
    ("a: " + "[" * 65 + "]" * 65 + "\n", False),
    ("a: '" + "[" * 100 + "'\n", False),  # a bound: brackets in a string count (the pure parser reads it)
    ("a:\n" + " " * 600 + "b: 1\n", False),
])
def test_deep_text_goes_to_the_pure_parser(text: str, shallow: bool) -> None:
    assert yamlfile._shallow(text) is shallow
