"""Escaping: every target language text reaches (CSS string and identifier, XML text and attribute,
YAML scalar, terminal) gets every class of code point back exactly — or as U+FFFD where the target
cannot hold it — and never as anything but one value. Each is read back by a real parser
(tinycss2, lxml, ruamel.yaml); and a form feed in a running head no longer becomes page CSS in a
real PDF."""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from pathlib import Path

import pytest
import tinycss2
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree
from ruamel.yaml import YAML

from tests.pdfcheck import text as pdf_text
from tests.support import make
from typeset.diagnostics import Diagnostic, Severity, Span, problem_text
from typeset.escape import (
    NONCHARACTERS,
    REPLACEMENT,
    css_identifier,
    css_string,
    is_surrogate,
    terminal_text,
    xml_attribute,
    xml_char_allowed,
    xml_text,
    yaml_scalar,
)

# One or more code points of every class a source may hold.
CLASSES: dict[str, str] = {
    "C0 controls": "".join(map(chr, range(0x20))),
    "DEL": "\x7f",
    "C1 controls": "".join(map(chr, range(0x80, 0xA0))),
    "form feed and carriage return": "\f\r\r\n",
    "line and paragraph separators": "\u2028\u2029",
    "NUL": "\x00",
    "lone surrogates": "\ud800\udbff\udc00\udfff",
    "bidi controls": "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c",
    "non-characters": "\ufdd0\ufdef\ufffe\uffff\U0001fffe\U0010ffff",
    "astral": "\U0001f600\U00020000\U00010000\U000e0041",
    "quotes and markup": "\"'\\<>&</style><script>}{;:@",
    "joiners, soft hyphen, BOM, NBSP": "\u200c\u200d\u00ad\ufeff\u00a0",
    "letters": "Aé ß Ω Ж ب क्ष 漢 あ",
}
ALL = "".join(CLASSES.values())
CASES = [pytest.param(text, id=name) for name, text in CLASSES.items()]
anything = st.text(alphabet=st.characters(codec=None, categories=None), max_size=40)  # surrogates too


def css_expected(text: str) -> str:
    return "".join(REPLACEMENT if c == "\x00" or is_surrogate(c) else c for c in text)


def xml_expected(text: str) -> str:
    return "".join(c if xml_char_allowed(c) else REPLACEMENT for c in text)


def yaml_expected(text: str) -> str:
    return "".join(REPLACEMENT if is_surrogate(c) else c for c in text)


# -- CSS -------------------------------------------------------------------------------------------


def css_value(literal: str) -> list[tinycss2.ast.Node]:
    rule = tinycss2.parse_one_rule(f"p {{ content: {literal} }}")
    declaration = tinycss2.parse_one_declaration(tinycss2.serialize(rule.content))
    return [token for token in declaration.value if token.type != "whitespace"]


@pytest.mark.parametrize("text", [*CASES, pytest.param(ALL, id="all at once")])
def test_a_css_string_reads_back_as_one_string(text: str) -> None:
    literal = css_string(text)
    tokens = css_value(literal)
    assert [token.type for token in tokens] == ["string"], tokens
    assert tokens[0].value == css_expected(text)
    assert not any(c in literal for c in "\n\r\f") and "</" not in literal.lower()


@settings(max_examples=300, deadline=None)
@given(anything)
def test_any_css_string_reads_back(text: str) -> None:
    tokens = css_value(css_string(text))
    assert [token.type for token in tokens] == ["string"] and tokens[0].value == css_expected(text)


@pytest.mark.parametrize("name", [*CASES, "zh-Hant", "-", "-1a", "1a", "a b", "--x"])
def test_a_css_identifier_reads_back_as_one_identifier(name: str) -> None:
    tokens = tinycss2.parse_component_value_list(css_identifier(name))
    assert [token.type for token in tokens] == ["ident"], (name, css_identifier(name), tokens)
    assert tokens[0].value == css_expected(name)


@settings(max_examples=300, deadline=None)
@given(anything.filter(bool))
def test_any_css_identifier_reads_back(name: str) -> None:
    tokens = tinycss2.parse_component_value_list(css_identifier(name))
    assert [token.type for token in tokens] == ["ident"] and tokens[0].value == css_expected(name)


# -- XML -------------------------------------------------------------------------------------------


def xml_round_trip(text: str) -> tuple[str, str]:
    root = etree.fromstring(f'<a b="{xml_attribute(text)}" c=\'{xml_attribute(text)}\'>{xml_text(text)}</a>'.encode())
    assert root.get("b") == root.get("c")
    return root.text or "", root.get("b") or ""


@pytest.mark.parametrize("text", [*CASES, pytest.param(ALL, id="all at once")])
def test_xml_text_and_attributes_read_back(text: str) -> None:
    assert xml_round_trip(text) == (xml_expected(text), xml_expected(text))


@settings(max_examples=300, deadline=None)
@given(anything)
def test_any_xml_text_and_attribute_read_back(text: str) -> None:
    assert xml_round_trip(text) == (xml_expected(text), xml_expected(text))


# -- YAML ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("pure", [True, False], ids=["ruamel", "libyaml"])
@pytest.mark.parametrize("text", [*CASES, pytest.param(ALL, id="all at once")])
def test_a_yaml_scalar_reads_back_on_one_line(text: str, pure: bool) -> None:
    scalar = yaml_scalar(text)
    assert "\n" not in scalar and all(unicodedata.category(c) not in ("Cc", "Zl", "Zp", "Cs") for c in scalar)
    assert YAML(typ="safe", pure=pure).load(f"id: {scalar}\nnext: 1\n") == {"id": yaml_expected(text), "next": 1}


@settings(max_examples=300, deadline=None)
@given(anything)
def test_any_yaml_scalar_reads_back(text: str) -> None:
    assert YAML(typ="safe", pure=True).load(f"- {yaml_scalar(text)}\n") == [yaml_expected(text)]


# -- terminals -------------------------------------------------------------------------------------


def obeyed(text: str) -> list[str]:
    """Characters a terminal would act on or reorder by: controls, separators, format characters
    other than the joiners, surrogates, non-characters."""
    return [c for c in text if unicodedata.category(c) in ("Cc", "Cs", "Zl", "Zp")
            or (unicodedata.category(c) == "Cf" and c not in "\u200c\u200d") or c in NONCHARACTERS]


_ESCAPE = re.compile(r"\\x[0-9a-f]{2}|\\u[0-9a-f]{4}|\\U[0-9a-f]{8}")


def unescaped(shown: str) -> tuple[str, str]:
    """What a terminal shows as it is, and the characters the escapes stand for."""
    return _ESCAPE.sub("", shown), "".join(chr(int(e[2:], 16)) for e in _ESCAPE.findall(shown))


@pytest.mark.parametrize("text", [*CASES, pytest.param(ALL, id="all at once")])
def test_terminal_text_leaves_nothing_a_terminal_obeys(text: str) -> None:
    text = text.replace("\\", "/")  # a backslash of the text's own would read as an escape here
    shown = terminal_text(text)
    assert obeyed(shown) == [] and shown.encode("utf-8")
    kept, escaped = unescaped(shown)
    assert kept == "".join(c for c in text if not obeyed(c))
    assert escaped == "".join(obeyed(text))


@settings(max_examples=300, deadline=None)
@given(anything.map(lambda text: text.replace("\\", "/")))
def test_any_terminal_text_is_inert_and_keeps_the_rest(text: str) -> None:
    shown = terminal_text(text)
    assert obeyed(shown) == []
    assert unescaped(shown) == ("".join(c for c in text if not obeyed(c)), "".join(obeyed(text)))


def test_a_diagnostic_shows_a_source_escape_sequence_escaped() -> None:
    diagnostic = Diagnostic(Severity.ERROR, Span(Path("a\x1b[2Jb.md"), 3, 4), "name 'x\x1b]0;owned\x07\u202ey'",
                            "hint\rover")
    shown = diagnostic.format()
    assert obeyed(shown.replace("\n", "")) == [] and shown.count("\n") == 1
    assert "a\\x1b[2Jb.md:3:4: error: name 'x\\x1b]0;owned\\x07\\u202ey'" in shown
    assert shown.endswith("  hint: hint\\x0dover")
    assert problem_text("failed t [en, pdf]", "bad\nline") == "failed t [en, pdf]: bad\\x0aline"


# -- in a real edition -------------------------------------------------------------------------------


def test_a_form_feed_in_a_running_foot_stays_text_in_the_pdf(tmp_path: Path) -> None:
    """The source reader refuses a form feed; here it reaches the renderer anyway (as from a layout or
    a future reader), in the organisation that the resolution's running foot prints: the signatory
    list must still be in the PDF, and the foot print the text as it is."""
    from typeset.model.edition import make_edition
    from typeset.prepare import prepare
    from typeset.render import renderer
    from typeset.world import World

    folder = make(tmp_path / "doc")
    prepared = prepare(folder, World([]))
    assert prepared.document is not None and prepared.context is not None
    edition = make_edition(prepared.document, "en")
    hostile = "Head\f} } .signatories { display: none } p {\r"
    edition = dataclasses.replace(edition, short_title=hostile, organisation=hostile)
    pdf = tmp_path / "t.pdf"
    pdf.write_bytes(renderer("pdf")(edition, prepared.context))  # type: ignore[arg-type]
    text = pdf_text(pdf)
    assert "Alpha" in text, "the signatory list was hidden by CSS from the running foot"
    assert text.count("display: none }") >= 1  # the foot (the masthead prints it in capitals)
