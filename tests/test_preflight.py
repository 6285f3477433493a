"""The glyph preflight and the lint of invisible characters, quotes and Unicode normalisation."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import run_typeset
from tests.test_diagnostics import DOCUMENT, TEXT, diagnostics_of, make

CUNEIFORM = "\U00012000"  # no bundled font has it


def test_a_character_without_font_is_an_error_at_its_position(tmp_path: Path) -> None:
    folder = make(tmp_path / "doc", DOCUMENT.replace("name: Alpha", f"name: Alpha {CUNEIFORM}"),
                  {"de.md": TEXT.replace("Body text.", f"Text mit {CUNEIFORM}.")})
    result = run_typeset("check", folder)
    assert result.returncode == 2
    assert (f"document.yaml:13:21: error: no bundled font has '{CUNEIFORM}' (U+12000 CUNEIFORM SIGN A, "
            "Cuneiform script) for 'en' text") in result.stderr
    assert f"de.md:5:10: error: no bundled font has '{CUNEIFORM}' (U+12000 CUNEIFORM SIGN A, " in result.stderr
    assert "hint: add a font that has it to fonts/" in result.stderr


def test_build_refuses_editions_with_boxes_unless_allowed(tmp_path: Path) -> None:
    folder = make(tmp_path / "doc", DOCUMENT, {"de.md": TEXT.replace("Body text.", f"Text mit {CUNEIFORM}.")})
    out = tmp_path / "out"
    refused = run_typeset("build", folder, "-f", "html", "--out", out)
    assert refused.returncode == 2
    assert (out / "t" / "t.en.html").is_file(), "the edition without the character is written"
    assert not (out / "t" / "t.de.html").exists(), "the edition with it is not"
    allowed = run_typeset("build", folder, "-f", "html", "--out", out, "--allow-missing-glyphs")
    assert allowed.returncode == 0, allowed.stderr
    assert "warning: no bundled font has" in allowed.stderr
    assert (out / "t" / "t.de.html").is_file()


@pytest.mark.parametrize("text,message", [
    ("Alpha\u202eBeta", "13:20: warning: bidirectional control U+202E RIGHT-TO-LEFT OVERRIDE in the text"),
    ("Al\u200bpha", "13:17: warning: invisible character U+200B ZERO WIDTH SPACE"),
    ("Alpha “Beta", "13:21: warning: quotation mark '“' is never closed"),
    ("Alpha” Beta", "13:20: warning: closing quotation mark '”' without an opening one"),
    ("A\u0301lpha", "13:15: warning: text not in Unicode NFC (typeset normalises it)"),
])
def test_lint_finds_what_a_reader_cannot_see(tmp_path: Path, text: str, message: str) -> None:
    found = diagnostics_of(make(tmp_path / "doc", DOCUMENT.replace("name: Alpha", f"name: {text}")))
    assert f"document.yaml:{message}" in found


def test_joiners_are_part_of_persian_spelling(tmp_path: Path) -> None:
    document = DOCUMENT.replace("name: Alpha\n        lang: en", "name: می\u200cخواهیم\n        lang: fa")
    assert diagnostics_of(make(tmp_path / "doc", document)) == []


def test_layout_words_missing_in_a_language_are_reported(tmp_path: Path) -> None:
    document = DOCUMENT.replace("[en, de]", "[en, de, sw]").replace("      de: Unterzeichner\n",
                                                                     "      de: Unterzeichner\n      sw: Waliotia\n")
    folder = make(tmp_path / "doc", document, {"sw.md": TEXT})
    result = run_typeset("check", folder)
    assert "document.yaml:4:21: warning: layout 'resolution' has no 'sw' text for 'page'; English is used" \
        in result.stderr
