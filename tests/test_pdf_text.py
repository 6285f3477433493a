"""The exact PDF text layer (typeset/render/pdf_text.py): what poppler's pdftotext reads back.

Every script is rendered with WeasyPrint inside ``exact_text_layer()`` and extracted with
``pdftotext``; the text must equal the source after NFC and white-space normalisation (and after
removing the bidi embedding controls pdftotext wraps around right-to-left lines). A script whose
font is not in the bundled ``fonts/`` folder is skipped.
"""

from __future__ import annotations

import io
import logging
import re
import shutil
import subprocess
import threading
import unicodedata
import zlib
from pathlib import Path

import pytest

from typeset.render import pdf_text
from typeset.render.pdf_text import check_weasyprint_version, exact_text_layer

REPO = Path(__file__).resolve().parents[1]
FONT_DIRS = (
    REPO / "fonts",
    Path("/usr/share/fonts"),
)
LATIN = ("NotoSerif-Regular.ttf", "NotoSans-Regular.ttf")
BIDI_CONTROLS = dict.fromkeys(map(ord, "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f"))

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) is not installed")

# (id, lang, dir, fonts in order of preference, text). Right-to-left samples have no punctuation
# inside the line: poppler moves a comma or full stop that ends a right-to-left word to the start
# of the next word whatever the PDF says (see test_rtl_punctuation_is_left_as_it_was).
SCRIPTS = [
    ("hindi", "hi", "ltr", ("NotoSerifDevanagari-Regular.ttf", "NotoSansDevanagari-Regular.ttf"),
     "श्रमिकों अंतरराष्ट्रीय विप्लव"),
    ("hindi-2", "hi", "ltr", ("NotoSerifDevanagari-Regular.ttf", "NotoSansDevanagari-Regular.ttf"),
     "दुनिया के मज़दूरों एक हो। हम सभी देशों के श्रमिकों से न्यायपूर्ण वेतन के लिए संघर्ष करने की अपील करते हैं।"),
    ("bengali", "bn", "ltr", ("NotoSerifBengali-Regular.ttf", "NotoSansBengali-Regular.ttf"),
     "শ্রমিকদের আন্তর্জাতিক সংহতি"),
    ("tamil", "ta", "ltr", ("NotoSerifTamil-Regular.ttf", "NotoSansTamil-Regular.ttf"),
     "தொழிலாளர்களின் சர்வதேச ஒற்றுமை இன்று மிகவும் அவசியமானது"),
    ("sinhala", "si", "ltr", ("NotoSerifSinhala-Regular.ttf", "NotoSansSinhala-Regular.ttf"),
     "කම්කරුවන්ගේ ජාත්‍යන්තර සහයෝගීතාව අත්‍යවශ්‍ය වේ"),
    ("thai", "th", "ltr", ("NotoSerifThai-Regular.ttf", "NotoSansThai-Regular.ttf"),
     "ความสามัคคีของคนงานทั่วโลกมีความสำคัญ เราต่อสู้เพื่อค่าจ้างที่เป็นธรรม"),  # one line
    ("arabic", "ar", "rtl", ("NotoNaskhArabic-Regular.ttf",), "التضامن الدولي بين العمال لا يستسلم"),
    ("persian", "fa", "rtl", ("NotoNaskhArabic-Regular.ttf",), "همبستگی کارگران سراسر جهان"),
    ("urdu-naskh", "ur", "rtl", ("NotoNaskhArabic-Regular.ttf",), "دنیا بھر کے مزدوروں کی یکجہتی"),
    ("hebrew", "he", "rtl", ("NotoSerifHebrew-Regular.ttf", "NotoSansHebrew-Regular.ttf"),
     "שלום לכל העובדים בעולם"),
    ("chinese", "zh", "ltr", ("NotoSerifCJKsc-Regular.otf", "NotoSansCJK-Regular.ttc"), "全世界劳动者的国际团结。"),
    ("japanese", "ja", "ltr", ("NotoSerifCJKjp-Regular.otf", "NotoSansCJK-Regular.ttc"),
     "世界中の労働者の国際的な連帯。"),
    ("korean", "ko", "ltr", ("NotoSerifCJKkr-Regular.otf", "NotoSansCJK-Regular.ttc"),
     "전 세계 노동자들의 국제적 연대"),
    ("greek", "el", "ltr", LATIN, "Η διεθνής αλληλεγγύη των εργαζομένων"),
    ("russian", "ru", "ltr", LATIN, "Международная солидарность трудящихся"),
    ("georgian", "ka", "ltr", ("NotoSerifGeorgian-Regular.ttf", "NotoSansGeorgian-Regular.ttf"),
     "მშრომელთა საერთაშორისო სოლიდარობა"),
    ("armenian", "hy", "ltr", ("NotoSerifArmenian-Regular.ttf", "NotoSansArmenian-Regular.ttf"),
     "աշխատավորների միջազգային համերաշխություն"),
    ("amharic", "am", "ltr", ("NotoSerifEthiopic-Regular.ttf", "NotoSansEthiopic-Regular.ttf"), "የዓለም ሠራተኞች አንድነት"),
    ("vietnamese", "vi", "ltr", LATIN, "Tình đoàn kết quốc tế của người lao động"),
    ("turkish", "tr", "ltr", LATIN, "Dünyanın işçilerinin uluslararası dayanışması"),
    # Latin with combining marks that have no precomposed form: each mark is a glyph of its own.
    ("latin-marks", "yo", "ltr", LATIN, "Ọ̀rọ̀ àti ẹ̀kọ́ fún gbogbo òṣìṣẹ́ q̃ x̄"),
    ("latin-nfd", "vi", "ltr", LATIN, unicodedata.normalize("NFD", "Tình đoàn kết quốc tế")),
]


# --- helpers ------------------------------------------------------------------------------------


def find_font(names: tuple[str, ...]) -> Path | None:
    for name in names:
        for folder in FONT_DIRS:
            if folder.is_dir():
                for path in sorted(folder.rglob(name)):
                    return path
    return None


def font_or_skip(names: tuple[str, ...], what: str) -> Path:
    path = find_font(names)
    if path is None:
        pytest.skip(f"no font for {what}: none of {', '.join(names)} in {', '.join(map(str, FONT_DIRS))}")
    return path


def html_page(body: str, fonts: list[Path], lang: str = "en", extra_css: str = "") -> str:
    # Each face is named after its file, so that pdffonts shows which one was embedded.
    faces = "\n".join(f"@font-face {{ font-family: '{path.stem}'; src: url('{path.as_uri()}'); }}"
                      for path in fonts)
    families = ", ".join(f"'{path.stem}'" for path in fonts)
    return (f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8"><style>{faces}\n'
            f"@page {{ size: A4; margin: 15mm }} body {{ font-family: {families}; font-size: 11pt }}"
            f"{extra_css}</style></head><body>{body}</body></html>")


def render(html: str, hook: bool = True, **options: object) -> tuple[bytes, pdf_text.TextLayerStats | None]:
    from weasyprint import HTML

    output = io.BytesIO()
    if not hook:
        HTML(string=html, base_url=str(REPO)).write_pdf(output, **options)
        return output.getvalue(), None
    with exact_text_layer() as stats:
        HTML(string=html, base_url=str(REPO)).write_pdf(output, **options)
    assert stats.unmatched_lines == 0, stats.problems
    return output.getvalue(), stats


def pdftotext(pdf: bytes, *args: str) -> str:
    return subprocess.run(["pdftotext", "-enc", "UTF-8", *args, "-", "-"], input=pdf, capture_output=True,
                          check=True, timeout=60).stdout.decode("utf-8")


def normalise(text: str) -> str:
    """NFC, without the bidi controls pdftotext adds around right-to-left lines, one space per run."""
    return " ".join(unicodedata.normalize("NFC", text).translate(BIDI_CONTROLS).split())


def embedded_fonts(pdf: bytes) -> str:
    return subprocess.run(["pdffonts", "-"], input=pdf, capture_output=True, check=True, timeout=60).stdout.decode()


def content_streams(pdf: bytes) -> list[bytes]:
    """The page content streams, inflated (WeasyPrint compresses them with Flate)."""
    streams = []
    for match in re.finditer(rb"<<([^>]*(?:>(?!>)[^>]*)*)>>\s*stream\r?\n", pdf):
        start = match.end()
        end = pdf.index(b"endstream", start)
        data = pdf[start:end].rstrip(b"\r\n")
        if b"/FlateDecode" in match.group(1):
            try:
                data = zlib.decompress(data)
            except zlib.error:
                continue
        if b" Tf" in data and b"TJ" in data:
            streams.append(data)
    return streams


def actual_texts(pdf: bytes) -> list[str]:
    texts = []
    for stream in content_streams(pdf):
        for hex_digits in re.findall(rb"/ActualText <([0-9A-Fa-f]*)>", stream):
            raw = bytes.fromhex(hex_digits.decode())
            assert raw[:2] == b"\xfe\xff", "ActualText must be UTF-16BE with a byte-order mark"
            texts.append(raw[2:].decode("utf-16-be"))
    return texts


def sample_pdf(script_id: str, hook: bool = True, **options: object) -> tuple[bytes, str]:
    _, lang, direction, names, text = next(s for s in SCRIPTS if s[0] == script_id)
    font = font_or_skip(names, script_id)
    latin = font_or_skip(LATIN, "Latin")
    html = html_page(f'<p dir="{direction}">{text}</p>', [font, latin], lang)
    pdf, _ = render(html, hook, **options)
    return pdf, text


# --- every script -------------------------------------------------------------------------------


@pytest.mark.parametrize("script", [s[0] for s in SCRIPTS])
def test_script_extracts_exactly(script: str) -> None:
    _, lang, direction, names, text = next(s for s in SCRIPTS if s[0] == script)
    font = font_or_skip(names, script)
    latin = font_or_skip(LATIN, "Latin")
    pdf, stats = render(html_page(f'<p dir="{direction}">{text}</p>', [font, latin], lang))
    assert f"+{font.stem}" in embedded_fonts(pdf), f"{font.name} was not used (a fallback font?)"
    assert normalise(pdftotext(pdf)) == normalise(text)
    assert stats is not None and stats.lines >= 1


@pytest.mark.parametrize("script", ["hindi", "bengali"])
def test_plain_weasyprint_misreads_these(script: str) -> None:
    """The reason for the text layer; if this fails, WeasyPrint has fixed its ToUnicode maps."""
    pdf, text = sample_pdf(script, hook=False)
    assert normalise(pdftotext(pdf)) != normalise(text)


def test_hindi_and_bengali_words_as_reported() -> None:
    hindi, _ = sample_pdf("hindi")
    bengali, _ = sample_pdf("bengali")
    assert normalise(pdftotext(hindi)).split() == ["श्रमिकों", "अंतरराष्ट्रीय", "विप्लव"]
    assert normalise(pdftotext(bengali)).split() == ["শ্রমিকদের", "আন্তর্জাতিক", "সংহতি"]
    assert set(actual_texts(hindi)) <= {"श्रमिकों", "अंतरराष्ट्रीय", "विप्लव"}  # whole words


@pytest.mark.xfail(strict=True, reason="poppler assembles words by baseline; Nastaliq's cascading glyphs "
                                       "(text rise per glyph) split them into letters, with or without ActualText")
def test_urdu_nastaliq_extracts_exactly() -> None:
    font = font_or_skip(("NotoNastaliqUrdu-Regular.ttf",), "Urdu Nastaliq")
    text = "دنیا بھر کے مزدوروں کی یکجہتی"
    pdf, _ = render(html_page(f'<p dir="rtl">{text}</p>', [font], "ur"))
    assert normalise(pdftotext(pdf)) == normalise(text)


def test_persian_zwnj_is_left_out_as_before() -> None:
    """ZWNJ between right-to-left letters is drawn as no glyph; poppler and MuPDF reverse any
    replacement text mixing it with letters, so it stays out of the text layer, as in plain
    WeasyPrint: the letters come out exactly, in order, without the ZWNJ."""
    font = font_or_skip(("NotoNaskhArabic-Regular.ttf",), "Persian")
    text = "ما از کارگران همه کشورها می‌خواهیم"
    html = html_page(f'<p dir="rtl">{text}</p>', [font], "fa")
    after, _ = render(html)
    before, _ = render(html, hook=False)
    assert normalise(pdftotext(after)) == normalise(text).replace("\u200c", "")
    assert pdftotext(after) == pdftotext(before)


def test_rtl_punctuation_is_left_as_it_was() -> None:
    """poppler puts the full stop after a right-to-left word at the start of the next one ("مضى .ندعو")
    whatever the PDF says; the text layer changes nothing there."""
    font = font_or_skip(("NotoNaskhArabic-Regular.ttf",), "Arabic")
    html = html_page('<p dir="rtl">أصبح التضامن ضرورة. ندعو العمال، معاً، إلى النضال.</p>', [font], "ar")
    after, stats = render(html)
    before, _ = render(html, hook=False)
    assert pdftotext(after) == pdftotext(before)
    assert after == before and stats is not None and stats.spans == 0


def test_mixed_scripts_and_bidi_in_logical_order() -> None:
    latin = font_or_skip(LATIN, "Latin")
    arabic = font_or_skip(("NotoNaskhArabic-Regular.ttf",), "Arabic")
    devanagari = font_or_skip(("NotoSerifDevanagari-Regular.ttf", "NotoSansDevanagari-Regular.ttf"), "Hindi")
    text = ("On 18 July 2012 the union of श्रमिकों in Manesar elected أحمد بن علي as delegate "
            "with 546 votes, and विप्लव followed.")
    pdf, stats = render(html_page(f"<p>{text}</p>", [latin, arabic, devanagari]))
    assert stats is not None and stats.spans >= 2  # the two Hindi words

    def tokens(value: str) -> list[str]:  # runs of one script, digits apart: order, not spacing
        return re.findall(r"[A-Za-z]+|\d+|[\u0600-\u06ff]+|[\u0900-\u097f]+|[.,]", normalise(value))

    assert tokens(pdftotext(pdf)) == tokens(text)
    assert "أحمد بن علي" in normalise(pdftotext(pdf))


@pytest.mark.xfail(strict=True, reason="poppler (and MuPDF) lay out a multi-character unit left to right and "
                                       "then reverse right-to-left lines, so the Allah ligature (one glyph for "
                                       "لله) reads هلل, from its ToUnicode entry or from an ActualText alike")
def test_rtl_multicharacter_ligature() -> None:
    font = font_or_skip(("NotoNaskhArabic-Regular.ttf",), "Arabic")
    pdf, _ = render(html_page('<p dir="rtl">عبد الله</p>', [font], "ar"))
    assert normalise(pdftotext(pdf)) == "عبد الله"


def test_svg_text_goes_through_the_text_layer() -> None:
    """WeasyPrint sets SVG text one grapheme at a time (so a conjunct across graphemes, श्र, is
    not formed even on screen); within each grapheme the text layer applies."""
    font = font_or_skip(("NotoSerifDevanagari-Regular.ttf", "NotoSansDevanagari-Regular.ttf"), "Hindi")
    svg = ('<svg xmlns="http://www.w3.org/2000/svg" width="300" height="40">'
           f"<text x=\"5\" y=\"30\" font-family=\"{font.stem}\" font-size=\"20\">मिलकर विकास</text></svg>")
    html = html_page(svg, [font], "hi")
    after, stats = render(html)
    before, _ = render(html, hook=False)
    assert normalise(pdftotext(after)) == "मिलकर विकास" != normalise(pdftotext(before))
    assert stats is not None and stats.spans >= 2


def test_ellipsis_keeps_the_cut_off_text_out() -> None:
    """text-overflow: ellipsis: the "…" run is left as WeasyPrint writes it (no ActualText that
    could carry the hidden text), the visible words before it are exact."""
    latin = font_or_skip(LATIN, "Latin")
    devanagari = font_or_skip(("NotoSerifDevanagari-Regular.ttf", "NotoSansDevanagari-Regular.ttf"), "Hindi")
    text = "श्रमिकों अंतरराष्ट्रीय विप्लव " * 4 + "छिपाहुआअंत"
    html = html_page(f'<p style="width: 70mm; white-space: nowrap; overflow: hidden; text-overflow: ellipsis">'
                     f"{text}</p>", [latin, devanagari], "hi")
    after, stats = render(html)
    extracted = normalise(pdftotext(after))
    assert stats is not None and stats.spans > 0
    assert extracted.startswith("श्रमिकों अंतरराष्ट्रीय विप्लव श्रमिकों")
    assert "छिपाहुआअंत" not in extracted and "छिपाहुआअंत" not in "".join(actual_texts(after))


def test_full_fonts_still_exact() -> None:
    """With full_fonts WeasyPrint writes ToUnicode maps from the cmap; the plain reading follows."""
    pdf, text = sample_pdf("hindi-2", full_fonts=True)
    assert normalise(pdftotext(pdf)) == normalise(text)


# --- words broken at a line end -----------------------------------------------------------------

HYPHENATED = (
    "Мы, нижеподписавшиеся организации, требуем немедленного освобождения рабочих, приговорённых к "
    "пожизненному заключению, восстановления всех уволенных и независимого расследования. Международная "
    "солидарность трудящихся японско-индийского концерна необходима: COP-28 и Trotz alledem!"
)


def hyphenated_page(text: str, width: str = "45mm", lang: str = "ru", css: str = "hyphens: auto") -> str:
    latin = font_or_skip(LATIN, "Latin")
    return html_page(f"<p>{text}</p>", [latin], lang, f"p {{ width: {width}; text-align: justify; {css} }}")


def words_read(pdf: bytes) -> list[str]:
    return normalise(pdftotext(pdf)).split()


def test_hyphenated_words_come_back_whole() -> None:
    """The first fragment carries the whole word (its punctuation too), the rest reads as nothing:
    "свобо‐" / "дата," comes back "свобода," once. Words with a hyphen of their own keep it."""
    html = hyphenated_page(HYPHENATED)
    after, stats = render(html)
    before, _ = render(html, hook=False)
    assert "\u2010" in pdftotext(before)  # WeasyPrint hyphenated, and the plain text layer shows it
    assert words_read(after) == normalise(HYPHENATED).split()
    assert stats is not None and stats.spans >= 8
    assert all(t == "" or t in HYPHENATED.split() for t in actual_texts(after))  # whole words, or nothing


def test_hyphenation_only_cuts_weasyprints_operators() -> None:
    """The spans change no drawing: the same glyphs, adjustments and operators, in the same order."""
    html = hyphenated_page(HYPHENATED)
    after, _ = render(html)
    before, _ = render(html, hook=False)
    assert b"/ActualText" in b"".join(content_streams(after))
    assert drawing_operations(after) == drawing_operations(before)


@pytest.mark.parametrize("text", [
    "Trotz alledem! COP-28, Maruti-Suzuki und das Kollektiv.",  # hyphens of the source, no break inside a word
    "Die Arbeiter und Arbeiterinnen der Welt, vereinigt euch!",  # hyphens: auto, nothing to hyphenate
])
def test_lines_without_a_break_inside_a_word_stay_byte_identical(text: str) -> None:
    html = hyphenated_page(text, width="150mm", lang="de")
    after, stats = render(html)
    before, _ = render(html, hook=False)
    assert after == before and stats is not None and stats.spans == 0


def test_a_line_breaking_after_a_hyphen_of_the_source_keeps_it() -> None:
    """poppler takes a "-" at a line end for an added hyphen and drops it ("MarutiSuzuki"), MuPDF
    keeps the fragments apart: the whole word, with its hyphen, comes back from the first line."""
    text = "Arbeiter des japanisch-indischen Konzerns Maruti-Suzuki und der Gewerkschaft"
    html = hyphenated_page(text, width="36mm", lang="de", css="hyphens: manual; text-align: left")
    after, _ = render(html)
    before, _ = render(html, hook=False)
    assert "japanischindischen" in pdftotext(before)  # the case is there, poppler dropping the hyphen
    assert words_read(after) == text.split()


def test_soft_hyphens_of_the_source_are_not_text() -> None:
    """hyphens: manual breaks at a soft hyphen (U+00AD) with an added hyphen: the word comes back
    whole, without either."""
    text = "Со\u00adли\u00adдар\u00adность тру\u00adдя\u00adщих\u00adся все\u00adго ми\u00adра сильнее"
    html = hyphenated_page(text, width="22mm", css="hyphens: manual")
    after, _ = render(html)
    before, _ = render(html, hook=False)
    assert "\u2010" in pdftotext(before)
    assert words_read(after) == text.replace("\u00ad", "").split()


def test_a_word_split_over_two_styles_comes_back_whole() -> None:
    """"<b>сво</b>бодолюбивые": the bold part is its own text box; the hyphenated one carries its part
    of the word and the rest, and the reader joins the two."""
    text = "Солидарность <b>сво</b>бодолюбивые и революционные рабочие"
    after, _ = render(hyphenated_page(text, width="30mm"))
    assert words_read(after) == ["Солидарность", "свободолюбивые", "и", "революционные", "рабочие"]


def test_the_rest_of_a_word_is_kept_where_its_first_fragment_is_not_drawn() -> None:
    """Page 2 written alone, its first line continuing a word hyphenated at the end of page 1: the
    rest of the word is read as drawn rather than lost; in the whole document it reads as nothing."""
    from weasyprint import HTML

    latin = font_or_skip(LATIN, "Latin")
    css = "@page { size: 80mm 50mm; margin: 5mm } p { hyphens: auto; text-align: justify; margin: 0 }"
    html = html_page(f"<p>{HYPHENATED}</p>", [latin], "ru", css)
    plain = [page.split() for page in pdftotext(render(html, hook=False)[0]).split("\f")[:-1]]
    assert len(plain) == 2 and plain[0][-1].endswith("\u2010")  # the page turn is inside a word
    rest = plain[1][0]
    with exact_text_layer():
        document = HTML(string=html, base_url=str(REPO)).render()
        whole = document.write_pdf()
        alone = document.copy(document.pages[1:]).write_pdf()
    assert pdftotext(alone).split()[0] == rest
    assert normalise(pdftotext(whole)).split() == normalise(HYPHENATED).split()


# --- what must not change -----------------------------------------------------------------------

LATIN_BODY = (
    "<h1>Solidarity with the Maruti Suzuki workers</h1>"
    + "<p>We, the undersigned organisations, demand the immediate release of the thirteen workers "
      "sentenced to life imprisonment, the reinstatement of all dismissed workers, and an "
      "independent inquiry into the events of 18 July 2012 at the Manesar plant. The office staff "
      "affirm their final, fluid, efficient support (ligatures). Œuvre, naïve, Straße, "
      "“quotes” — and 1 234,5 €.</p>" * 6
)


def test_latin_document_is_unchanged_and_has_no_actualtext() -> None:
    latin = font_or_skip(LATIN, "Latin")
    html = html_page(LATIN_BODY, [latin])
    after, stats = render(html)
    before, _ = render(html, hook=False)
    assert stats is not None and stats.lines > 20 and stats.spans == 0
    assert b"ActualText" not in after and not actual_texts(after)
    assert after == before  # byte for byte


def bbox_words(pdf: bytes) -> list[tuple[str, float, float, float, float]]:
    html = pdftotext(pdf, "-bbox")
    return [(unicodedata.normalize("NFC", word), float(x0), float(y0), float(x1), float(y1))
            for x0, y0, x1, y1, word in re.findall(
                r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>', html)]


def page_count(pdf: bytes) -> int:
    info = subprocess.run(["pdfinfo", "-"], input=pdf, capture_output=True, check=True, timeout=60).stdout
    match = re.search(rb"^Pages:\s+(\d+)", info, re.MULTILINE)
    assert match
    return int(match.group(1))


def test_latin_layout_and_word_boxes_unchanged() -> None:
    latin = font_or_skip(LATIN, "Latin")
    html = html_page(LATIN_BODY, [latin])
    after, _ = render(html)
    before, _ = render(html, hook=False)
    assert page_count(after) == page_count(before) >= 1
    words_after, words_before = bbox_words(after), bbox_words(before)
    assert len(words_after) == len(words_before) > 100
    for a, b in zip(words_after, words_before, strict=True):
        assert a[0] == b[0]
        assert a[1:] == pytest.approx(b[1:], abs=0.01)


def test_indic_page_draws_exactly_the_same() -> None:
    """The text layer only adds marked content: the rendered pages are identical pixel for pixel,
    and the word structure (words per line, line count) is what the source has."""
    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm (poppler-utils) is not installed")
    devanagari = font_or_skip(("NotoSerifDevanagari-Regular.ttf", "NotoSansDevanagari-Regular.ttf"), "Hindi")
    latin = font_or_skip(LATIN, "Latin")
    text = next(s[4] for s in SCRIPTS if s[0] == "hindi-2")
    html = html_page(f"<h1>विप्लव</h1><p>{text}</p>" * 3, [devanagari, latin], "hi", "p { text-align: justify }")
    after, stats = render(html)
    before, _ = render(html, hook=False)
    assert stats is not None and stats.spans > 0
    assert page_count(after) == page_count(before)

    def raster(pdf: bytes) -> bytes:
        return subprocess.run(["pdftoppm", "-r", "60", "-gray", "-"], input=pdf, capture_output=True,
                              check=True, timeout=120).stdout

    assert raster(after) == raster(before)
    lines_after = [line.split() for line in pdftotext(after).splitlines() if line.strip()]
    lines_before = [line.split() for line in pdftotext(before).splitlines() if line.strip()]
    assert len(lines_after) == len(lines_before)
    assert normalise(pdftotext(after)) == normalise(("विप्लव " + text + " ") * 3)


def drawing_operations(pdf: bytes) -> list[object]:
    """The page content as a flat list of operations, ``TJ`` arrays dissolved into their glyph
    codes and numbers (so cutting a ``TJ`` in two changes nothing) and ActualText spans left out."""
    operations: list[object] = []
    for stream in content_streams(pdf):
        for line in stream.split(b"\n"):
            if line.startswith(b"/Span <</ActualText") or line == b"EMC":
                continue
            if line.startswith(b"[") and line.endswith(b"] TJ"):
                for hex_digits, number in re.findall(rb"<([0-9A-Fa-f]*)>|([^<>\s]+)", line[1:-4]):
                    if number:
                        operations.append(float(number))
                    else:
                        operations.extend(hex_digits[i:i + 4].lower() for i in range(0, len(hex_digits), 4))
            else:
                operations.append(line)
    return operations


@pytest.mark.parametrize("script", ["hindi-2", "bengali", "tamil", "sinhala", "thai", "latin-marks"])
def test_operators_are_weasyprints_only_cut(script: str) -> None:
    """Without tags, the only change is TJ arrays cut in two and BDC/EMC pairs around the pieces:
    the same glyphs, the same adjustments, the same other operators, in the same order."""
    before, _ = sample_pdf(script, hook=False)
    after, _ = sample_pdf(script)
    assert b"/ActualText" in b"".join(content_streams(after))
    assert drawing_operations(after) == drawing_operations(before)


def test_operators_with_text_rise_are_only_cut() -> None:
    """Nastaliq glyphs are drawn off the baseline with Ts between TJ operators; spans may enclose them."""
    font = font_or_skip(("NotoNastaliqUrdu-Regular.ttf",), "Urdu Nastaliq")
    html = html_page('<p dir="rtl">دنیا بھر کے مزدوروں کی بین الاقوامی یکجہتی</p>', [font], "ur")
    after, stats = render(html)
    before, _ = render(html, hook=False)
    assert stats is not None and stats.spans > 0
    assert b" Ts" in b"".join(content_streams(after))
    assert drawing_operations(after) == drawing_operations(before)


def test_marked_content_nests_with_weasyprint_tags() -> None:
    devanagari = font_or_skip(("NotoSerifDevanagari-Regular.ttf", "NotoSansDevanagari-Regular.ttf"), "Hindi")
    text = next(s[4] for s in SCRIPTS if s[0] == "hindi-2")
    html = html_page(f'<h1>विप्लव</h1><p>{text} <a href="#x">अंतरराष्ट्रीय</a> <em>श्रमिकों</em></p>', [devanagari], "hi")
    for options in ({"pdf_tags": True}, {"pdf_variant": "pdf/ua-1"}, {}):
        pdf, stats = render(html, **options)
        assert normalise(pdftotext(pdf)) == normalise(f"विप्लव {text} अंतरराष्ट्रीय श्रमिकों")
        assert stats is not None and stats.spans > 0
        for stream in content_streams(pdf):
            depth, in_text, marked_in_text = 0, False, []
            for token in re.findall(rb"\b(BT|ET|BDC|BMC|EMC)\b|(/ActualText)", stream):
                op = token[0] or token[1]
                if op == b"BT":
                    assert not in_text
                    in_text, marked_in_text = True, []
                elif op == b"ET":
                    assert in_text and not marked_in_text, "marked content left open at ET"
                    in_text = False
                elif op in (b"BDC", b"BMC"):
                    depth += 1
                    if in_text:
                        marked_in_text.append(depth)
                elif op == b"EMC":
                    assert depth > 0
                    if in_text and marked_in_text and marked_in_text[-1] == depth:
                        marked_in_text.pop()
                    depth -= 1
                else:  # /ActualText: only ever inside a text object
                    assert in_text
            assert depth == 0 and not in_text


# --- the hook itself ----------------------------------------------------------------------------


def test_hook_is_removed_after_rendering() -> None:
    import weasyprint.document
    import weasyprint.draw.text
    import weasyprint.layout.inline

    original_draw, original_generate = weasyprint.draw.text.draw_first_line, weasyprint.document.generate_pdf
    original_split = weasyprint.layout.inline.split_text_box
    sample_pdf("hindi")
    assert weasyprint.draw.text.draw_first_line is original_draw
    assert weasyprint.document.generate_pdf is original_generate
    assert weasyprint.layout.inline.split_text_box is original_split
    with pytest.raises(ZeroDivisionError), exact_text_layer():
        assert weasyprint.draw.text.draw_first_line is not original_draw
        assert weasyprint.layout.inline.split_text_box is not original_split
        1 / 0  # noqa: B018 - an error inside the block
    assert weasyprint.draw.text.draw_first_line is original_draw
    assert weasyprint.document.generate_pdf is original_generate
    assert weasyprint.layout.inline.split_text_box is original_split


def test_nested_and_threaded_blocks_keep_the_hook_until_the_last_ends() -> None:
    import weasyprint.draw.text

    original = weasyprint.draw.text.draw_first_line
    with exact_text_layer():
        wrapped = weasyprint.draw.text.draw_first_line
        assert wrapped is not original
        with exact_text_layer():
            assert weasyprint.draw.text.draw_first_line is wrapped
        assert weasyprint.draw.text.draw_first_line is wrapped
        results: list[bytes] = []
        worker = threading.Thread(target=lambda: results.append(sample_pdf("bengali")[0]))
        worker.start()
        worker.join(timeout=120)
        assert results and normalise(pdftotext(results[0])) == "শ্রমিকদের আন্তর্জাতিক সংহতি"
        assert weasyprint.draw.text.draw_first_line is wrapped
    assert weasyprint.draw.text.draw_first_line is original


def test_other_weasyprint_major_version_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    import weasyprint
    import weasyprint.draw.text

    check_weasyprint_version("70.0")
    check_weasyprint_version("70.3")
    with pytest.raises(RuntimeError, match=r"written for WeasyPrint 70\.x.*hint"):
        check_weasyprint_version("71.0")
    original = weasyprint.draw.text.draw_first_line
    monkeypatch.setattr(weasyprint, "__version__", "71.0")
    with pytest.raises(RuntimeError, match="WeasyPrint 71.0 is installed"), exact_text_layer():
        pass
    assert weasyprint.draw.text.draw_first_line is original


def test_a_changed_line_breaking_function_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    import weasyprint.draw.text
    import weasyprint.layout.inline

    def split_text_box(context: object, box: object, available_width: object, skip: object) -> None:
        raise AssertionError("not to be called")

    original = weasyprint.draw.text.draw_first_line
    monkeypatch.setattr(weasyprint.layout.inline, "split_text_box", split_text_box)
    with pytest.raises(RuntimeError, match=r"split_text_box.*is not the function"), exact_text_layer():
        pass
    assert weasyprint.draw.text.draw_first_line is original
    assert weasyprint.layout.inline.split_text_box is split_text_box


def test_a_line_that_cannot_be_matched_keeps_weasyprints_operators(monkeypatch: pytest.MonkeyPatch,
                                                                   caplog: pytest.LogCaptureFixture) -> None:
    def broken(stream: object, textbox: object) -> None:
        raise pdf_text._Unmatched("simulated WeasyPrint change")

    devanagari = font_or_skip(("NotoSerifDevanagari-Regular.ttf", "NotoSansDevanagari-Regular.ttf"), "Hindi")
    html = html_page("<p>श्रमिकों अंतरराष्ट्रीय विप्लव</p>", [devanagari], "hi")
    before, _ = render(html, hook=False)
    monkeypatch.setattr(pdf_text, "_line_glyphs", broken)
    from weasyprint import HTML

    with caplog.at_level(logging.WARNING, logger="typeset"), exact_text_layer() as stats:
        after = HTML(string=html, base_url=str(REPO)).write_pdf()
    assert after == before
    assert stats.unmatched_lines == 1 and stats.spans == 0
    assert "simulated WeasyPrint change" in caplog.text


def test_actualtext_is_utf16_hex_with_bom() -> None:
    pdf, _ = sample_pdf("hindi")
    streams = b"\n".join(content_streams(pdf))
    spans = re.findall(rb"/Span <</ActualText <(FEFF(?:[0-9A-F]{4})+)>>> BDC", streams)
    assert spans and len(spans) == streams.count(b"/ActualText")
    assert "श्रमिकों" in actual_texts(pdf)
