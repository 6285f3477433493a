"""The conformance suite's own generator: CLDR's UnicodeSets read right, the served languages derived
from the fonts, every exemplar and every consonant-vowel pair in the lines, the documents numbered as
the checks expect. Fast: nothing is rendered."""

from __future__ import annotations

import json
import unicodedata

import pytest
import unicodedataplus as ucd
from ruamel.yaml import YAML

from tests.conformance.cldr import Exemplars, inventory, likely_language, unicode_set
from tests.conformance.documents import group_of, plans, signatory_source
from tests.conformance.text import exemplar_lines, multipart_vowel, syllable_lines
from typeset.model.language import parse_language

pytestmark = pytest.mark.conformance


@pytest.mark.parametrize(("pattern", "items"), [
    ("[a b c]", ("a", "b", "c")),
    ("[a-d]", ("a", "b", "c", "d")),
    ("[{ch} {dž} x]", ("ch", "dž", "x")),
    ("[\\- ‐‑ \\: \\[ \\] \\{ \\}]", ("-", "‐", "‑", ":", "[", "]", "{", "}")),
    ("[\\u200C\\u200D ॄ]", ("\u200c", "\u200d", "ॄ")),
    ("[{\\&,} #]", ("&,", "#")),
    ("[\u00a0 \\- a]", ("\u00a0", "-", "a")),  # a no-break space is a member; a space is not
    ("[]", ()),
])
def test_unicode_sets_are_read_item_by_item(pattern: str, items: tuple[str, ...]) -> None:
    assert unicode_set(pattern) == items


def test_a_nested_set_is_refused() -> None:
    with pytest.raises(ValueError, match="nested"):
        unicode_set("[a [b c]]")


def _served(tag: str) -> Exemplars:
    return next(e for e in inventory().served if e.tag == tag)


def test_served_languages_are_those_whose_main_exemplars_the_fonts_cover() -> None:
    found = inventory()
    tags = {e.tag for e in found.served}
    assert {"en", "ar", "fa", "ur", "hi", "bn", "ta", "si", "th", "ja", "ko", "zh", "ru", "el", "he", "am"} <= tags
    assert "zh-Hant" in found.unserved and "彞" in found.unserved["zh-Hant"]  # the Big5 face lacks it
    assert "zh-Hans" not in tags and "sr-Cyrl" not in tags  # one tag per language and script: zh, sr


def test_likely_languages_of_scripts_come_from_cldr() -> None:
    assert [likely_language(s) for s in ("Latn", "Arab", "Deva", "Hani", "Cyrl")] == ["en", "ar", "hi", "zh", "ru"]


def test_every_exemplar_is_in_the_lines_and_every_lone_mark_after_a_dotted_circle() -> None:
    marks = 0
    for tag in ("hi", "ta", "th", "vi", "ar", "he", "sr-Latn", "km"):
        exemplars = _served(tag)
        words = {word for line in exemplar_lines(exemplars) for word in line.words}
        text = " ".join(words)
        for name, items in exemplars.sets().items():
            for item in items:
                assert unicodedata.normalize("NFC", item) in text or item in text, (tag, name, item)
                if unicodedata.category(item[0])[0] == "M":  # a lone mark: on U+25CC, as CLDR shows it
                    marks += 1
                    assert any(word.startswith("\u25cc" + item) for word in words), (tag, name, item)
        for line in exemplar_lines(exemplars):
            assert line.text == unicodedata.normalize("NFC", line.text)
            for word in line.words:
                assert unicodedata.category(word[0])[0] != "M", (tag, word)  # a mark never starts a word
    assert marks > 20


def test_large_sets_are_sampled_evenly_and_whole_when_asked() -> None:
    korean = _served("ko")
    sampled = "".join(line.text for line in exemplar_lines(korean) if line.kind == "main")
    whole = "".join(line.text for line in exemplar_lines(korean, limit=None) if line.kind == "main")
    assert len(korean.main) > 10000
    assert 1000 < len([c for c in sampled if c != " "]) <= 1200 and "가" in sampled and "힣" not in sampled
    assert all(item in whole for item in korean.main)


def test_every_consonant_takes_every_vowel_sign_and_the_virama() -> None:
    hindi = [e for e in inventory().served if group_of(e) == "Deva"]
    text = " ".join(line.text for line in syllable_lines(hindi))
    consonants = [c for c in _served("hi").main if len(c) == 1 and ucd.indic_syllabic_category(c) == "Consonant"]
    signs = [c for c in _served("hi").main if len(c) == 1 and ucd.indic_syllabic_category(c) == "Vowel_Dependent"]
    assert len(consonants) > 30 and len(signs) > 10
    for consonant in consonants:
        assert consonant + "्" in text
        for sign in signs:
            assert consonant + sign in text


def test_split_vowels_go_on_lines_of_their_own() -> None:
    """Tamil ொ (canonical parts), Thai SARA AM (compatibility parts), Sinhala ො; Devanagari has none."""
    assert multipart_vowel("ொ") and multipart_vowel("ำ") and multipart_vowel("ො") and multipart_vowel("ো")
    assert not multipart_vowel("ो") and not multipart_vowel("ि") and not multipart_vowel("ा")
    thai = syllable_lines([_served("th")])
    split = " ".join(line.text for line in thai if line.multipart)
    assert "กำ" in split and "ฮำ" in split
    assert not any("ำ" in line.text for line in thai if not line.multipart)
    assert "เก" in " ".join(line.text for line in thai)  # a vowel written before its consonant comes first


def test_documents_group_scripts_and_number_their_lines_in_order() -> None:
    found = plans(inventory().served)
    by_id = {plan.id: plan for plan in found}
    han = by_id["conformance-hani"]
    assert han.edition == "zh" and {"zh", "ja"} <= set(han.languages)
    assert by_id["conformance-arab"].edition == "ar" and by_id["conformance-arab"].rtl
    thai = by_id["conformance-thai"]
    assert any(line.multipart and "กำ" in line.text for line in thai.lines)  # SARA AM, in the script's document
    assert len(found) <= 40  # one document per script, but for Latin (LibreOffice and Chromium start on each)
    for plan in found:
        source = signatory_source(plan)
        document = YAML(typ="safe").load(source["document.yaml"])
        names = [(entry["name"], entry["lang"]) for group in document["groups"] for entry in group["entries"]]
        assert names == [(line.text, line.language) for line in plan.lines]  # numbered 1, 2 … in this order
        assert json.loads(source["document.yaml"])["languages"] == [plan.edition]
        assert parse_language(plan.edition)
