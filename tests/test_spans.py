"""Inline language and direction, read: pandoc's bracketed spans ``[text]{lang=fa}`` and fenced divs
``::: {lang=fa}`` in the body, bullets, slogans and front matter; every mistake in them reported at its
``file:line:col`` with a hint; ``check`` warning about text in a script its language is not written in;
the glyph preflight checking a span's characters in the span's language; the HTML marking them."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.conftest import EXAMPLES, run_typeset
from tests.support import DOCUMENT, TEXT, make
from typeset.model.document import (
    BlockQuote,
    BulletList,
    Div,
    Emphasis,
    Link,
    OrderedList,
    Paragraph,
    Span,
    Text,
    plain_text,
)
from typeset.model.edition import make_edition
from typeset.model.language import parse_language
from typeset.prepare import prepare
from typeset.render import renderer
from typeset.source import load_document
from typeset.world import World

THREE = DOCUMENT.replace("languages: [en, de]", "languages: [en, de, ar, fa]").replace(
    "      de: Unterzeichner\n", "      de: Unterzeichner\n      ar: الموقعون\n      fa: امضاکنندگان\n")
OTHERS = {"de.md": TEXT, "ar.md": TEXT, "fa.md": TEXT}


def load(tmp_path: Path, english: str, document: str = THREE):  # type: ignore[no-untyped-def]
    loaded = load_document(make(tmp_path / "doc", document, {**OTHERS, "en.md": english}), World([]))
    return loaded


def found(tmp_path: Path, english: str, document: str = THREE) -> list[str]:
    loaded = load(tmp_path, english, document)
    return [f"{d.span.path.name}:{d.span.line}:{d.span.col}: {d.severity.value}: {d.message}"
            for d in loaded.diagnostics]


def english(tmp_path: Path, source: str):  # type: ignore[no-untyped-def]
    loaded = load(tmp_path, source)
    assert loaded.document is not None, [d.format() for d in loaded.diagnostics]
    return loaded.document.texts["en"]


FA, AR, JA, UR = (parse_language(tag) for tag in ("fa", "ar", "ja", "ur"))

# -- reading spans and divs ------------------------------------------------------------------------------


def test_a_span_in_the_body_carries_its_language_and_direction(tmp_path: Path) -> None:
    text = english(tmp_path, "---\ntitle: T\n---\n\nSaid [کار ایمن]{lang=fa}, [労働]{lang=ja} and "
                             "[x]{lang=ar dir=ltr}, [*em* [نان]{lang=fa}]{lang=ar}.\n")
    (paragraph,) = text.body
    spans = [node for node in paragraph.children if isinstance(node, Span)]
    assert [(s.language.tag, s.direction, s.dir) for s in spans] == [
        ("fa", "rtl", None), ("ja", "ltr", None), ("ar", "ltr", "ltr"), ("ar", "rtl", None)]
    assert spans[0].children == (Text("کار ایمن"),)
    nested = spans[3].children
    assert isinstance(nested[0], Emphasis) and nested[-1] == Span((Text("نان"),), FA)
    assert plain_text(paragraph.children) == "Said کار ایمن, 労働 and x, em نان."


def test_a_span_with_only_a_direction_keeps_the_language_around_it(tmp_path: Path) -> None:
    text = english(tmp_path, "---\ntitle: T\n---\n\n::: {lang=fa}\nمتن [abc]{dir=ltr} متن\n:::\n")
    (div,) = text.body
    (paragraph,) = div.blocks
    span = paragraph.children[1]
    assert isinstance(span, Span) and span.language == FA and span.direction == "ltr"


def test_spans_in_bullets_links_and_headings(tmp_path: Path) -> None:
    text = english(tmp_path, "---\ntitle: T\n---\n\n## On [گرما]{lang=fa}\n\n- one [دو]{lang=fa}\n"
                             "- [[link](https://example.org)]{lang=ja}\n")
    heading, bullets = text.body
    assert heading.children[1] == Span((Text("گرما"),), FA)
    assert isinstance(bullets, BulletList)
    assert bullets.items[0].blocks[0].children[1] == Span((Text("دو"),), FA)
    linked = bullets.items[1].blocks[0].children[0]
    assert isinstance(linked, Span) and linked.language == JA and isinstance(linked.children[0], Link)


def test_a_div_holds_paragraphs_lists_and_quotes_in_its_language(tmp_path: Path) -> None:
    text = english(tmp_path, "---\ntitle: T\n---\n\nBefore.\n\n::: {lang=fa}\nیک\n\n- دو\n\n1. سه\n\n> چهار\n"
                             ":::\n\nAfter.\n\n:::: {lang=ar dir=ltr} ::::\nخمسة\n\n::: {lang=en}\nsix\n:::\n::::\n")
    before, div, after, outer = text.body
    assert before == Paragraph((Text("Before."),)) and after == Paragraph((Text("After."),))
    assert isinstance(div, Div) and div.language == FA and div.direction == "rtl"
    assert [type(b) for b in div.blocks] == [Paragraph, BulletList, OrderedList, BlockQuote]
    assert outer.language == AR and outer.direction == "ltr"
    inner = outer.blocks[1]
    assert isinstance(inner, Div) and inner.language.tag == "en" and inner.blocks == (Paragraph((Text("six"),)),)


def test_slogans_in_another_language_and_spans_in_slogans(tmp_path: Path) -> None:
    text = english(tmp_path, "---\ntitle: T\n---\n\nBody.\n\n::: {.slogans lang=ur}\nگرمی سے تحفظ!\n\nپانی!\n:::\n")
    (div,) = text.slogans
    assert isinstance(div, Div) and div.language == UR and div.direction == "rtl"
    assert [plain_text(p.children) for p in div.blocks] == ["گرمی سے تحفظ!", "پانی!"]

    text = english(tmp_path / "2", "---\ntitle: T\n---\n\n:::: slogans\nWater [پانی]{lang=ur}!\n\n"
                                   "::: {lang=fa}\nآب!\n:::\n::::\n")
    first, second = text.slogans
    assert isinstance(first, Paragraph) and first.children[1] == Span((Text("پانی"),), UR)
    assert isinstance(second, Div) and second.language == FA and second.blocks == (Paragraph((Text("آب!"),)),)

    text = english(tmp_path / "3", "---\ntitle: T\n---\n\n::: slogans\nUnite!\n:::\n")
    assert text.slogans == (Paragraph((Text("Unite!"),)),)  # the old form is unchanged


def test_front_matter_keeps_the_plain_text_and_the_spans(tmp_path: Path) -> None:
    text = english(tmp_path, "---\ntitle: Rest — [حق استراحت]{lang=fa}\nsubtitle: \"[休息]{lang=ja} now\"\n"
                             "short_title: Rest [حق]{lang=fa}\n---\n\nBody.\n")
    assert text.title == "Rest — حق استراحت" and text.subtitle == "休息 now" and text.short_title == "Rest حق"
    assert text.title_inline == (Text("Rest — "), Span((Text("حق استراحت"),), FA))
    assert text.subtitle_inline == (Span((Text("休息"),), JA), Text(" now"))
    plain = english(tmp_path / "2", "---\ntitle: A *title* [with] brackets\n---\n\nBody.\n")
    assert plain.title == "A *title* [with] brackets" and plain.title_inline == ()  # no other Markdown there


def test_the_edition_knows_every_language_marked_in_it(tmp_path: Path) -> None:
    loaded = load(tmp_path, "---\ntitle: T [x]{lang=ja}\n---\n\n::: {lang=fa}\nیک [b]{lang=ru}\n:::\n\n"
                            "::: {.slogans lang=ur}\nپانی!\n:::\n")
    assert loaded.document is not None
    edition = make_edition(loaded.document, "en")
    assert [language.tag for language in edition.marked_languages] == ["ja", "fa", "ru", "ur"]


# -- mistakes, each at its place ------------------------------------------------------------------------

ERRORS = [
    # (id, en.md, the diagnostics expected)
    ("unknown attribute", "Say [x]{lang=fa colour=red}.",
     ["en.md:5:17: error: unknown attribute 'colour' in {lang=fa colour=red}"]),
    ("unknown language", "Say [x]{lang=xx}.", ["en.md:5:9: error: {lang=xx}: unknown language 'xx' in 'xx'"]),
    ("malformed tag", "Say [x]{lang=fa_IR}.", ["en.md:5:9: error: {lang=fa_IR}: 'fa_IR' is not a BCP 47 language tag"]),
    ("bad direction", "Say [x]{lang=fa dir=up}.", ["en.md:5:17: error: 'dir' must be 'rtl' or 'ltr', not 'up'"]),
    ("class on a span", "Say [x]{.smallcaps}.", ["en.md:5:9: error: unknown class '.smallcaps' on a span"]),
    ("id on a span", "Say [x]{#here lang=fa}.", ["en.md:5:9: error: an id ('#here') on a span is not used"]),
    ("empty attributes", "Say [x]{}.", ["en.md:5:8: error: '{}' marks nothing"]),
    ("malformed attributes", "Say [x]{lang=fa and more.",
     ["en.md:5:8: warning: '{' is never closed", "en.md:5:20: error: malformed attributes '{lang=fa and more.'"]),
    ("attributes after a link", "See [x](https://example.org){lang=fa}.",
     ["en.md:5:29: error: '{lang=fa}' marks nothing here"]),
    ("attributes after emphasis", "See *x*{lang=fa}.", ["en.md:5:8: error: '{lang=fa}' marks nothing here"]),
    ("the same attributes after a span and after emphasis", "Say [a]{lang=fa} and *b*{lang=fa}.",
     ["en.md:5:25: error: '{lang=fa}' marks nothing here"]),
    ("span across paragraphs", "See [one\n\ntwo]{lang=fa}.",
     ["en.md:5:5: warning: '[' is never closed", "en.md:7:4: warning: ']' closes nothing",
      "en.md:7:5: error: '{lang=fa}' marks nothing here"]),
    ("unclosed div", "Before.\n\n::: {lang=fa}\nیک\n", ["en.md:7:1: error: '::: {lang=fa}' is never closed"]),
    ("nested divs with one fence length", "::: {lang=fa}\nیک\n::: {lang=ar}\nاثنان\n:::\n:::\n",
     ["en.md:7:1: error: '::: {lang=ar}' is never closed", "en.md:10:1: error: ':::' closes no block"]),
    ("a fence that closes nothing", "Text.\n\n:::\n", ["en.md:7:1: error: ':::' closes no block"]),
    ("unknown block", "::: warning\nx\n:::\n", ["en.md:5:5: error: unknown block '::: warning'"]),
    ("text after the attributes", "::: {lang=fa} extra\nyek\n:::\n",
     ["en.md:5:15: error: unexpected 'extra' after the attributes"]),
    ("unknown class on a div", "::: {.aside lang=fa}\nyek\n:::\n",
     ["en.md:5:6: error: unknown class '.aside' on a div"]),
    ("slogans inside a div", ":::: {lang=fa}\n::: slogans\nیک\n:::\n::::\n",
     ["en.md:6:1: error: a '::: slogans' block must stand at the top level"]),
    ("a list among slogans", "::: {.slogans lang=fa}\n- یک\n:::\n",
     ["en.md:6:1: error: a slogans block holds paragraphs only"]),
    ("a bad span in the title", None, ["en.md:2:22: error: unknown attribute 'lng' in {lng=fa}"]),
]


@pytest.mark.parametrize("source,expected", [c[1:] for c in ERRORS], ids=[c[0] for c in ERRORS])
def test_mistakes_are_reported_at_their_position(tmp_path: Path, source: str | None, expected: list[str]) -> None:
    text = ("---\ntitle: The Title [T]{lng=fa}\n---\n\nBody.\n" if source is None
            else f"---\ntitle: T\n---\n\n{source}\n")
    assert found(tmp_path, text) == expected


def test_a_mistake_stops_check_and_build_with_a_hint(tmp_path: Path) -> None:
    folder = make(tmp_path / "doc", THREE, {**OTHERS, "en.md": "---\ntitle: T\n---\n\nSay [x]{lang=fa colour=red}.\n"})
    result = run_typeset("check", folder)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "en.md:5:17: error: unknown attribute 'colour' in {lang=fa colour=red}" in result.stderr
    assert "  hint: a span or div takes 'lang'" in result.stderr


# -- text in a script its language is not written in ------------------------------------------------------


def _warnings(tmp_path: Path, source: str, document: str = THREE) -> list[tuple[str, str | None]]:
    loaded = load(tmp_path, source, document)
    return [(f"{d.span.line}:{d.span.col}: {d.message}", d.hint) for d in loaded.diagnostics if d.code == "script"]


def test_a_persian_paragraph_under_english_is_found_and_the_span_shown(tmp_path: Path) -> None:
    source = "---\ntitle: T\n---\n\nThe union wrote: ما کارگران گرما را تحمل نمی‌کنیم and left.\n"
    assert _warnings(tmp_path, source) == [(
        "5:18: text in Arabic script in a paragraph tagged 'en': 'ما کارگران گرما را تحمل…'",
        "if it is Persian, mark it as '[…]{lang=fa}' or put its block in '::: {lang=fa}' … ':::'")]
    # the same letters in Arabic are taken for Arabic, of the document's two Arabic-script languages
    (arabic,) = _warnings(tmp_path / "2", "---\ntitle: T\n---\n\nThey said: نحن العمال في الحرارة الشديدة.\n")
    assert arabic[1] is not None and "{lang=ar}" in arabic[1]


def test_japanese_kana_in_a_russian_paragraph(tmp_path: Path) -> None:
    document = DOCUMENT.replace("[en, de]", "[en, ru]").replace("de: Unterzeichner", "ru: Подписавшие")
    folder = make(tmp_path / "doc", document, {"de.md": None, "ru.md": "---\ntitle: Т\n---\n\n"
                                               "Профсоюз ответил: 労働者に水を и ушёл.\n"})
    loaded = load_document(folder, World([]))
    (warning,) = [d for d in loaded.diagnostics if d.code == "script"]
    assert (warning.span.path.name, warning.span.line, warning.span.col) == ("ru.md", 5, 19)
    assert warning.message == "text in Japanese kana script in a paragraph tagged 'ru': '労働者に水を'"
    assert warning.hint is not None and "'[…]{lang=ja}'" in warning.hint  # CLDR's guess: ja is not declared


def test_in_the_front_matter_only_a_span_is_offered(tmp_path: Path) -> None:
    (warning,) = _warnings(tmp_path, "---\ntitle: Rest — حق استراحت کارگر\n---\n\nBody.\n")
    assert warning == ("2:15: text in Arabic script in a text tagged 'en': 'حق استراحت کارگر'",
                       "if it is Persian, mark it as '[…]{lang=fa}'")


@pytest.mark.parametrize("source", [
    "::: {lang=ar}\nتعهدت الحكومات في COP28 بخفض الانبعاثات بنسبة ٤٣٪ قبل عام 2030، وفق ILO.\n:::",
    "::: {lang=fa}\nدمای ۵۰ درجه (۱۲۲°F) در خوزستان؛ گزارش WHO و ILO.\n:::",
    "Temperatures of 50 °C — “deadly” — per the WHO/ILO report (2024), p. 12; α-particles; π ≈ 3.14.",
    "Marked: [مزدوروں کو آرام کا حق]{lang=ur} and [労働者に水を]{lang=ja}.",
    "::: {lang=ja}\n日本語の文に COP28 と ILO、そして「ー」や全角のＡＢＣ。\n:::",
])
def test_no_false_alarm_on_digits_punctuation_and_latin_abbreviations(tmp_path: Path, source: str) -> None:
    assert _warnings(tmp_path, f"---\ntitle: T\n---\n\n{source}\n") == []


@pytest.mark.parametrize("example", ["icor-2017", "extreme-heat-2024"])
def test_the_examples_check_clean(example: str) -> None:
    result = run_typeset("check", "--strict", EXAMPLES / example)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""


# -- the glyph preflight: a span's characters against its language's fonts --------------------------------


def test_the_preflight_checks_a_span_in_its_language_at_its_position(tmp_path: Path) -> None:
    folder = make(tmp_path / "doc", THREE, {**OTHERS, "en.md": "---\ntitle: T\n---\n\n"
                                            "Text [گرما \U0001D11E]{lang=fa} and \U0001D11E.\n"})
    prepared = prepare(folder, World([]))
    glyphs = [(d.span.line, d.span.col, d.message) for d in prepared.diagnostics.items if d.code == "glyph"]
    assert [(line, col) for line, col, _ in glyphs] == [(5, 12), (5, 28)]
    assert "for 'fa' text" in glyphs[0][2] and "for 'en' text" in glyphs[1][2]
    sites = {(site.text, site.language) for site in prepare(folder, World([])).loaded.sites}
    assert ("گرما \U0001D11E", "fa") in sites


# -- the HTML ------------------------------------------------------------------------------------------------

PAGE = """---
title: Rest — [حق استراحت]{lang=fa}
---

Said [労働]{lang=ja}, [same]{lang=en} and [ltr]{dir=ltr}.

::: {lang=fa}
متن [English inside]{lang=en} متن.
:::

::: {.slogans lang=ur}
پانی!
:::
"""


def test_html_marks_spans_and_divs_only_where_they_differ(tmp_path: Path) -> None:
    folder = make(tmp_path / "doc", THREE, {**OTHERS, "en.md": PAGE})
    prepared = prepare(folder, World([]))
    assert prepared.document is not None and prepared.context is not None
    html = renderer("html")(make_edition(prepared.document, "en"), prepared.context).decode("utf-8")
    # the title's last two words are joined by a no-break space (tests/test_typography.py)
    assert '<h1 class="title">Rest — <span lang="fa" dir="rtl">حق\u00a0استراحت</span></h1>' in html
    assert 'Said <span lang="ja">労働</span>, <span>same</span> and <span>ltr</span>.' in html
    assert '<div lang="fa" dir="rtl">\n<p>متن <span lang="en" dir="ltr">English inside</span> متن.</p>\n</div>' in html
    assert re.search(r'<section class="slogans"[^>]*>\s*<div lang="ur" dir="rtl">\s*<p>پانی!</p>\s*</div>', html)
    # the font stacks of every marked language, and isolation of whatever has a direction
    assert re.search(r':lang\(ja\) \{ --serif: "Noto Serif CJK JP"', html)
    assert re.search(r':lang\(ur\) \{ --serif: "Noto Nastaliq Urdu"', html)
    assert re.search(r':lang\(fa\) \{[^}]*--justify: start;', html)
    assert "[dir], bdi { unicode-bidi: isolate; }" in html

    persian = renderer("html")(make_edition(prepared.document, "fa"), prepared.context).decode("utf-8")
    assert '<html lang="fa" dir="rtl">' in persian


# -- the DOCX: lists in a div of the other direction ---------------------------------------------------------

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def test_docx_lists_in_a_right_to_left_div_have_labels_aligned_for_it(tmp_path: Path) -> None:
    import zipfile
    from io import BytesIO

    from lxml import etree

    source = "---\ntitle: T\n---\n\n- English\n\n::: {lang=fa}\n- آب\n- سایه\n\n1. یک\n:::\n"
    folder = make(tmp_path / "doc", THREE, {**OTHERS, "en.md": source,
                                            "fa.md": "---\ntitle: ت\n---\n\n::: {lang=en}\n- water\n:::\n"})
    prepared = prepare(folder, World([]))
    assert prepared.document is not None and prepared.context is not None

    def parts(tag: str) -> tuple[etree._Element, etree._Element]:
        data = renderer("docx")(make_edition(prepared.document, tag), prepared.context)
        with zipfile.ZipFile(BytesIO(data)) as package:
            return (etree.fromstring(package.read("word/document.xml")),
                    etree.fromstring(package.read("word/numbering.xml")))

    def list_of(document: etree._Element, numbering: etree._Element, text: str) -> tuple[bool, str, list[str]]:
        """Whether the paragraph holding ``text`` is bidi, its list's abstract name and label alignments."""
        paragraph = next(p for p in document.iter(f"{W}p") if text in "".join(t.text or "" for t in p.iter(f"{W}t")))
        num_id = paragraph.find(f"{W}pPr/{W}numPr/{W}numId").get(f"{W}val")
        num = next(n for n in numbering.iter(f"{W}num") if n.get(f"{W}numId") == num_id)
        abstract_id = num.find(f"{W}abstractNumId").get(f"{W}val")
        abstract = next(a for a in numbering.iter(f"{W}abstractNum") if a.get(f"{W}abstractNumId") == abstract_id)
        return (paragraph.find(f"{W}pPr/{W}bidi") is not None, abstract.find(f"{W}name").get(f"{W}val"),
                [jc.get(f"{W}val") for jc in abstract.iter(f"{W}lvlJc")][:2])

    document, numbering = parts("en")
    assert list_of(document, numbering, "English") == (False, "Bullets", ["left", "left"])
    assert list_of(document, numbering, "سایه") == (True, "Bullets rtl", ["right", "right"])
    assert list_of(document, numbering, "یک")[:2] == (True, "Ordered rtl")
    document, numbering = parts("fa")  # the other way round: an English list in the Persian edition
    assert list_of(document, numbering, "water") == (False, "Bullets ltr", ["left", "left"])
