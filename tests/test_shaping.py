"""Font subsets closed under shaping (issue 11): what a shaper looks up besides a text's own characters,
and subsets that HarfBuzz shapes exactly as it shapes the bundled fonts.

The closure is checked against Unicode's and the shapers' decompositions written out here by hand (not
read from typeset). The subsets are checked the way a reader's shaper uses them: the text is shaped with
the subset and with the whole bundled font, and the two must draw the same glyphs (outline by outline),
with the same advances and offsets, and neither a .notdef nor a dotted circle. A subset of the text's
characters alone fails this for Thai ำ and Tamil ொ, which shows the check can fail.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
import uharfbuzz as hb
from fontTools.pens.boundsPen import BoundsPen
from fontTools.pens.recordingPen import RecordingPen
from fontTools.ttLib import TTFont

from tests.conftest import REPO
from typeset.render.docx_fonts import subset_face
from typeset.render.webfonts import _subset as woff2_subset
from typeset.shaping import clusters, cmap_closure, needs_shaping, subset, words_to_shape

FONTS = REPO / "fonts"
THAI = FONTS / "noto-serif-thai/NotoSerifThai-Regular.ttf"
TAMIL = FONTS / "noto-serif-tamil/NotoSerifTamil-Regular.ttf"
BENGALI = FONTS / "noto-serif-bengali/NotoSerifBengali-Regular.ttf"
SINHALA = FONTS / "noto-serif-sinhala/NotoSerifSinhala-Regular.ttf"
DEVANAGARI = FONTS / "noto-serif-devanagari/NotoSerifDevanagari-Regular.ttf"
NASKH = FONTS / "noto-naskh-arabic/NotoNaskhArabic-Regular.ttf"
LATIN = FONTS / "noto-serif/NotoSerif-Regular.ttf"
CJK_KR = FONTS / "noto-serif-cjk-kr/NotoSerifCJKkr-Regular.otf"


def _codes(*codes: int) -> set[int]:
    return set(codes)


@pytest.mark.parametrize(("text", "needed"), [
    pytest.param("คำ", _codes(0x0E4D, 0x0E32, 0x25CC), id="Thai SARA AM: NIKHAHIT + SARA AA"),
    pytest.param("ຄຳ", _codes(0x0ECD, 0x0EB2, 0x25CC), id="Lao AM, no Lao font needed"),
    pytest.param("தொழிலாளர்", _codes(0x0BC6, 0x0BBE, 0x0BCD, 0x25CC), id="Tamil O: E + AA, the virama"),
    pytest.param("தௌ", _codes(0x0BC6, 0x0BD7), id="Tamil AU: E + AU length mark"),
    pytest.param("শ্রমিকৌ", _codes(0x09C7, 0x09D7, 0x09CD, 0x25CC), id="Bengali AU: E + AU length mark"),
    pytest.param("কো", _codes(0x09C7, 0x09BE), id="Bengali O: E + AA"),
    pytest.param("කේ", _codes(0x0DD9, 0x0DCA), id="Sinhala EE: KOMBUVA + AL-LAKUNA"),
    pytest.param("කෝ", _codes(0x0DDC, 0x0DD9, 0x0DCF, 0x0DCA), id="Sinhala OO: O (KOMBUVA + AA) + AL-LAKUNA"),
    pytest.param("කෞ", _codes(0x0DD9, 0x0DDF), id="Sinhala AU: KOMBUVA + GAYANUKITTA"),
    pytest.param("កើ", _codes(0x17C1, 0x17BE, 0x25CC), id="Khmer OE: E + itself"),
    pytest.param("កោ", _codes(0x17C1, 0x17C4), id="Khmer OO: E + itself"),
    pytest.param("កៅ", _codes(0x17C1, 0x17C5), id="Khmer AU: E + itself"),
    pytest.param("ကြဦ", _codes(0x1025, 0x102E), id="Myanmar UU: U + II"),
    pytest.param("കൊ", _codes(0x0D46, 0x0D3E, 0x0D4D), id="Malayalam O: E + AA"),
    pytest.param("\u0d15\u0d4c", _codes(0x0D46, 0x0D57), id="Malayalam AU: E + AU length mark"),
    pytest.param("କୌ", _codes(0x0B47, 0x0B57, 0x0B4D), id="Oriya AU: E + AU length mark"),
    pytest.param("କୋ", _codes(0x0B47, 0x0B3E), id="Oriya O: E + AA"),
    pytest.param("ಕೋ", _codes(0x0CCA, 0x0CC6, 0x0CC2, 0x0CD5), id="Kannada OO: O (E + UU) + length mark"),
    pytest.param("ཀཷ", _codes(0x0FB2, 0x0F81, 0x0F71, 0x0F80), id="Tibetan vocalic RR, old shapers"),
    pytest.param("e\u0301", _codes(0x00E9), id="decomposed Latin: the composed letter"),
    pytest.param("ê\u0323", _codes(0x1EC7, 0x1EB9), id="Vietnamese e + circumflex + dot below"),
    pytest.param("é", _codes(0x0065, 0x0301), id="composed Latin: its parts"),
    pytest.param("ශ්\u200dරී", _codes(0x0020), id="a joiner: hidden behind the space glyph"),
    pytest.param("(", _codes(0x0029), id="a bracket: its mirror image for right-to-left text"),
])
def test_the_closure_holds_what_a_shaper_looks_up(text: str, needed: set[int]) -> None:
    closure = cmap_closure(text)
    assert {ord(c) for c in text} <= closure
    missing = needed - closure
    assert not missing, " ".join(f"U+{c:04X}" for c in sorted(missing))


@pytest.mark.parametrize("text", ["Alpha Beta", "漢字かな", "Мирная"])
def test_text_without_marks_or_splits_needs_nothing_more(text: str) -> None:
    assert cmap_closure(text) == {ord(c) for c in text}
    assert not needs_shaping(text)


def test_a_hangul_syllable_is_taken_apart_only_where_the_font_lacks_it() -> None:
    with_syllable = cmap_closure("한", cmap={ord("한")})
    assert with_syllable == {ord("한")}
    assert {0x1112, 0x1161, 0x11AB} <= cmap_closure("한", cmap=set())


@pytest.mark.parametrize("text,expected", [
    ("\u0915\u094d\u200d\u0937", ["\u0915\u094d\u200d\u0937"]),  # a half form: one cluster
    ("\U0001f469\u200d\U0001f4bb", ["\U0001f469\u200d\U0001f4bb"]),  # an emoji sequence
    ("\u0628\u200d\u0628", ["\u0628\u200d\u0628"]),  # Arabic joined on purpose
    ("'\u200d\u0628\u064b", ["'\u200d", "\u0628\u064b"]),  # an apostrophe, then Arabic in its own face
    ("a\u200d\u0431\u0308x", ["a\u200d", "\u0431\u0308", "x"]),
])
def test_a_joiner_holds_a_cluster_together_within_a_script_only(text: str, expected: list[str]) -> None:
    assert list(clusters(text)) == expected


def test_words_to_shape_are_cut_at_spaces_only() -> None:
    assert words_to_shape("Alpha कि Beta\tคำ\u00a0ि") == {"कि", "คำ\u00a0ि"}  # NBSP carries a mark


# -- subsets shape as the whole font does ---------------------------------------------------------------


def _shape(font_data: bytes, text: str) -> list[tuple[object, ...]]:
    """The glyphs HarfBuzz draws ``text`` with: outline, advance and offsets of each."""
    face = hb.Face(hb.Blob(font_data))
    font = hb.Font(face)
    buffer = hb.Buffer()
    buffer.add_str(text)
    buffer.guess_segment_properties()
    hb.shape(font, buffer, {})
    dotted = font.get_nominal_glyph(0x25CC)
    drawn = []
    for info, position in zip(buffer.glyph_infos, buffer.glyph_positions, strict=True):
        assert info.codepoint != 0, f"{text!r}: .notdef"
        assert info.codepoint != dotted or "\u25cc" in text, f"{text!r}: a dotted circle"
        pen = RecordingPen()
        font.draw_glyph_with_pen(info.codepoint, pen)
        drawn.append((tuple((op, tuple(args)) for op, args in pen.value), position.x_advance, position.x_offset,
                       position.y_offset))
    return drawn


def _sfnt(data: bytes) -> bytes:
    """A WOFF2 file as the OpenType file a browser unpacks it to."""
    with TTFont(io.BytesIO(data)) as font:
        font.flavor = None
        out = io.BytesIO()
        font.save(out)
        return out.getvalue()


SUBSETTERS = {
    "shaping.subset": lambda data, text: subset(data, text, words_to_shape(text)).data,
    "docx": lambda data, text: subset_face(data, frozenset(text), 400, False, words=frozenset(words_to_shape(text))),
    "woff2": lambda data, text: _sfnt(woff2_subset(data, frozenset(map(ord, text)),
                                                    frozenset(words_to_shape(text)))[0]),
}
CASES = [
    pytest.param(THAI, "ศูนย์คำปรึกษาแรงงาน", id="Thai"),
    pytest.param(THAI, "เครือข่ายคนทำงาน", id="Thai 2"),
    pytest.param(TAMIL, "தொழிலாளர் சங்கம்", id="Tamil"),
    pytest.param(BENGALI, "শ্রমিকৌ", id="Bengali AU"),
    pytest.param(BENGALI, "কোলকাতা", id="Bengali O"),
    pytest.param(SINHALA, "කේ කෝ කෞ ශ්‍රී", id="Sinhala"),
    pytest.param(DEVANAGARI, "श्रमिकों की एकता", id="Devanagari"),
    pytest.param(NASKH, "جمعية عمال الزراعة", id="Arabic"),
    pytest.param(LATIN, "Nho\u0301m Hỗ trợ Nữ Công nhân", id="Latin, a decomposed letter"),
    pytest.param(CJK_KR, "부산 건설노동자", id="Korean (CFF)"),
]


@pytest.mark.parametrize("how", SUBSETTERS)
@pytest.mark.parametrize(("path", "text"), CASES)
def test_a_subset_shapes_the_text_as_the_whole_font_does(path: Path, text: str, how: str) -> None:
    whole = path.read_bytes()
    cut = SUBSETTERS[how](whole, text)
    assert len(cut) < len(whole)
    if how == "docx" and path.suffix == ".otf":
        # Word embeds TrueType only: CFF curves become quadratic ones, so the outlines are compared
        # by their bounds, within 5 units of the 1000 of the em.
        got, wanted = [_bounds(g) for g in _shape(cut, text)], [_bounds(g) for g in _shape(whole, text)]
        assert len(got) == len(wanted)
        assert all(a == pytest.approx(b, abs=5) for a, b in zip(got, wanted, strict=True)), (got, wanted)
    else:
        assert _shape(cut, text) == _shape(whole, text)


def _bounds(glyph: tuple[object, ...]) -> tuple[float, ...]:
    pen = BoundsPen(None)
    RecordingPen.replay(_Recorded(glyph[0]), pen)  # type: ignore[arg-type]
    return (*(pen.bounds or (0, 0, 0, 0)), *glyph[1:])  # type: ignore[misc]


class _Recorded(RecordingPen):
    def __init__(self, value: object) -> None:
        super().__init__()
        self.value = list(value)  # type: ignore[call-overload]


@pytest.mark.parametrize(("path", "text"), [(THAI, "คำ"), (TAMIL, "தொ"), (BENGALI, "শ্রমিকৌ")])
def test_a_subset_of_the_characters_alone_breaks_and_the_check_sees_it(path: Path, text: str) -> None:
    """What typeset's subsets were before: Thai ำ a .notdef, Tamil ொ and Bengali ৌ their own glyphs."""
    request = hb.SubsetInput()
    request.unicode_set.update(sorted({ord(c) for c in text}))
    naive = bytes(hb.subset(hb.Face(hb.Blob(path.read_bytes())), request).blob.data)
    with pytest.raises(AssertionError):
        assert _shape(naive, text) == _shape(path.read_bytes(), text)


def test_a_web_subset_maps_the_parts_so_that_its_unicode_range_has_them() -> None:
    """A browser looks a code point up in a web font only if its unicode-range has it."""
    _, codepoints = woff2_subset(THAI.read_bytes(), frozenset(map(ord, "คำ")))
    assert {0x0E04, 0x0E33, 0x0E4D, 0x0E32, 0x25CC} <= codepoints
