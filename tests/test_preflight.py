"""The glyph preflight (characters no font has, clusters that shaping draws broken) and the lint of
invisible characters, quotes and Unicode normalisation."""

from __future__ import annotations

from pathlib import Path

import pytest
import uharfbuzz as hb

from tests.conftest import REPO, run_typeset
from tests.support import DOCUMENT, TEXT, diagnostics_of, make
from typeset.fonts import Face, Family, FontSet, load_fonts
from typeset.layout import load_layout
from typeset.preflight import preflight
from typeset.source import load_document
from typeset.world import World

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


def test_a_joiner_between_two_scripts_does_not_set_the_second_in_the_first_ones_font(tmp_path: Path) -> None:
    """An apostrophe, a zero-width joiner, then Arabic with its tanwīn: font fallback sets the
    Arabic in an Arabic face (the joiner keeps together what one font draws, not two scripts), so
    the preflight must not shape it in the apostrophe's face and call it a box."""
    folder = make(tmp_path / "doc", DOCUMENT,
                  {"de.md": TEXT.replace("Body text.", "Zitat '\u200d\u0628\u064b und \u0915\u094d\u200d\u0937.")})
    result = run_typeset("check", folder)
    assert result.returncode == 0, result.stderr
    assert "box" not in result.stderr


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


# -- the shaping preflight: clusters that print broken --------------------------------------------------


@pytest.mark.parametrize(("file", "text", "message"), [
    ("document.yaml", "name: Alpha ि", "13:21: error: broken cluster: 'ि' (U+093F DEVANAGARI VOWEL SIGN I, "
     "Devanagari script) is a vowel sign with no consonant before it; it prints on a dotted circle"),
    ("document.yaml", "name: Alpha ொ", "13:21: error: broken cluster: 'ொ' (U+0BCA TAMIL VOWEL SIGN O, "
     "Tamil script) is a vowel sign with no consonant before it; it prints on a dotted circle"),
    ("document.yaml", "name: Alpha কংি", "13:23: error: broken cluster 'কংি': 'ি' (U+09BF BENGALI VOWEL SIGN I, "
     "Bengali script) is a vowel sign that cannot follow 'ং' (U+0982 BENGALI SIGN ANUSVARA, Bengali script); "
     "it prints on a dotted circle"),
    ("document.yaml", "name: Alpha ्", "13:21: error: broken cluster: '्' (U+094D DEVANAGARI SIGN VIRAMA, "
     "Devanagari script) is a virama with no consonant before it; it prints on a dotted circle"),
    ("de.md", "Text mit ำ.", "5:10: error: broken cluster: 'ำ' (U+0E33 THAI CHARACTER SARA AM, Thai script) is "
     "a vowel sign with no consonant before it; it has nothing to sit on"),
])
def test_a_broken_cluster_is_an_error_at_its_position(tmp_path: Path, file: str, text: str, message: str) -> None:
    if file == "de.md":
        folder = make(tmp_path / "doc", DOCUMENT, {"de.md": TEXT.replace("Body text.", text)})
    else:
        folder = make(tmp_path / "doc", DOCUMENT.replace("name: Alpha", text))
    result = run_typeset("check", folder)
    assert result.returncode == 2, result.stderr
    assert f"{file}:{message}" in result.stderr
    assert "hint: write the consonant it belongs to before it, or leave it out" in result.stderr


@pytest.mark.parametrize("name", ["कि", "श्रमिकों", "คำ", "ทำงาน", "தொழிலாளர்", "শ্রমিকৌ", "কো", "কৌ",
                                  "කෝ", "◌ि", "\u00a0ि", "Nho\u0301m"])
def test_whole_clusters_pass(tmp_path: Path, name: str) -> None:
    folder = make(tmp_path / "doc", DOCUMENT.replace("name: Alpha", f"name: {name}"))
    result = run_typeset("check", folder)
    assert "broken cluster" not in result.stderr and "prints as a box" not in result.stderr, result.stderr


def test_the_examples_have_no_broken_cluster() -> None:
    result = run_typeset("check", "examples")
    assert result.returncode == 0, result.stderr
    assert "error" not in result.stderr


def test_build_refuses_an_edition_with_a_broken_cluster_unless_allowed(tmp_path: Path) -> None:
    folder = make(tmp_path / "doc", DOCUMENT, {"de.md": TEXT.replace("Body text.", "Text mit ि.")})
    out = tmp_path / "out"
    refused = run_typeset("build", folder, "-f", "html", "--out", out)
    assert refused.returncode == 2
    assert "de.md:5:10: error: broken cluster" in refused.stderr
    assert (out / "t" / "t.en.html").is_file() and not (out / "t" / "t.de.html").exists()
    allowed = run_typeset("build", folder, "-f", "html", "--out", out, "--allow-missing-glyphs")
    assert allowed.returncode == 0, allowed.stderr
    assert "de.md:5:10: warning: broken cluster" in allowed.stderr
    assert (out / "t" / "t.de.html").is_file()


def test_a_font_that_lacks_what_shaping_makes_is_a_box(tmp_path: Path) -> None:
    """A Thai font with SARA AM but without NIKHAHIT and SARA AA: the character check is content, the
    shaping preflight is not."""
    thai = REPO / "fonts" / "noto-serif-thai" / "NotoSerifThai-Regular.ttf"
    request = hb.SubsetInput()
    request.unicode_set.update(sorted(map(ord, "คำ ")))
    cut = tmp_path / "fonts" / "cut-thai.ttf"
    cut.parent.mkdir()
    cut.write_bytes(bytes(hb.subset(hb.Face(hb.Blob(thai.read_bytes())), request).blob.data))
    bundled = load_fonts(World([]))
    cut_thai = Family("Cut Thai", ("Thai",), "1", "OFL", (Face("Cut Thai", cut, 400, "normal", "-"),))
    fonts = FontSet(bundled.root, (bundled.family("Noto Serif"), cut_thai), World([cut.parent]))
    folder = make(tmp_path / "doc", DOCUMENT.replace("name: Alpha\n        lang: en", "name: คำ\n        lang: th"))
    loaded = load_document(folder, World([]))
    world = World([folder, cut.parent])
    checked = preflight(loaded, fonts, load_layout("resolution", world), world.read_bytes)
    messages = [f"{d.span.line}:{d.span.col}: {d.severity.value}: {d.message}" for d in checked.diagnostics]
    assert ("13:16: error: 'ำ' (U+0E33 THAI CHARACTER SARA AM, Thai script) prints as a box in Cut Thai: shaping "
            "splits it into U+0E4D + U+0E32, and the font has no U+0E4D + U+0E32") in messages
    assert checked.refused == {"en", "de"}
