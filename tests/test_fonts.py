"""The bundled fonts: files as the manifest lists them, licences, coverage, the family stacks per
language, and PDF output that owes nothing to the fonts installed on the machine."""

from __future__ import annotations

import hashlib
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont

from tests.pdfcheck import assert_print_ready
from typeset.fonts import FontSet, load_fonts
from typeset.model.language import parse_language, script_of
from typeset.world import FONTS_DIR, World

BUDGET = 50_000_000  # bytes for the whole fonts/ folder; see fonts/README.md

SC, TC, JP, KR = (f"Noto Serif CJK {r}" for r in ("SC", "TC", "JP", "KR"))
NASKH, NASTALIQ = "Noto Naskh Arabic", "Noto Nastaliq Urdu"


@pytest.fixture(scope="module")
def fonts() -> FontSet:
    return load_fonts(World([]))


def faces(fonts: FontSet):  # type: ignore[no-untyped-def]
    return [face for family in fonts.families for face in family.faces]


# -- files and licences ----------------------------------------------------------------------------


def test_every_face_matches_its_checksum(fonts: FontSet) -> None:
    assert faces(fonts)
    for face in faces(fonts):
        assert hashlib.sha256(face.path.read_bytes()).hexdigest() == face.sha256, face.path


def test_every_file_in_the_folder_is_listed(fonts: FontSet) -> None:
    listed = {face.path for face in faces(fonts)} | {f.licence_file for f in fonts.families}
    listed.add(FONTS_DIR / "manifest.toml")
    found = {p for p in FONTS_DIR.rglob("*") if p.is_file() and p.name != "README.md"}
    assert found == listed


def test_every_licence_is_the_ofl_headed_by_the_fonts_copyright(fonts: FontSet) -> None:
    for family in fonts.families:
        assert family.licence == "OFL-1.1"
        assert family.licence_file is not None and family.licence_file.is_file(), family.name
        text = family.licence_file.read_text(encoding="utf-8")
        assert "SIL Open Font License" in text and "Version 1.1" in text, family.licence_file
        with TTFont(family.regular.path, lazy=True) as font:
            copyright = font["name"].getDebugName(0)
        assert copyright and text.startswith(copyright), family.licence_file


def test_fontconfig_finds_each_face_under_its_manifest_name_weight_and_style(fonts: FontSet) -> None:
    """No @font-face rules: fontconfig must see each file as the manifest describes it."""
    env = {**os.environ, "FONTCONFIG_FILE": str(fonts.fontconfig_file())}
    listing = subprocess.run(["fc-list", "--format", "%{file}|%{family}|%{weight}|%{slant}\\n"], env=env,
                             capture_output=True, text=True, check=True).stdout
    seen = {}
    for line in listing.splitlines():
        file, family, weight, slant = line.split("|")
        seen[Path(file)] = (family.split(","), int(weight), int(slant))
    assert set(seen) == {face.path.resolve() for face in faces(fonts)}
    for family in fonts.families:
        for face in family.faces:
            names, weight, slant = seen[face.path.resolve()]
            assert family.name in names, face.path
            assert weight == {400: 80, 700: 200, 900: 210}[face.weight], face.path
            assert slant == (100 if face.style == "italic" else 0), face.path


def test_the_folder_stays_within_its_budget() -> None:
    size = sum(p.stat().st_size for p in FONTS_DIR.rglob("*") if p.is_file())
    assert size <= BUDGET, f"fonts/ holds {size:,} bytes, more than the budget of {BUDGET:,}"


def test_manifest_fields(fonts: FontSet) -> None:
    for family in fonts.families:
        assert family.role in ("serif", "sans"), family.name
        assert re.fullmatch(r"\d+\.\d+", family.version), family.name
        assert family.source.startswith("Debian package "), family.name
        assert family.regular.weight == 400 and family.regular.style == "normal", family.name
    for name in (SC, TC, JP, KR):
        assert re.search(r"\d[\d,]* characters", fonts.family(name).subset), name


def test_a_manifest_naming_a_family_twice_is_refused(tmp_path: Path) -> None:
    """Families are found by name (fontconfig, the stacks): a second family of the same name
    would never be used, and its faces would go unchecked."""
    manifest = (FONTS_DIR / "manifest.toml").read_text(encoding="utf-8")
    first = manifest.index("[[family]]")
    second = manifest.index("[[family]]", first + 1)
    (tmp_path / "manifest.toml").write_text(manifest + "\n" + manifest[first:second], encoding="utf-8")
    with pytest.raises(ValueError, match=r"lists the family 'Noto Serif' more than once; hint"):
        load_fonts(World([tmp_path]), tmp_path)


# -- coverage --------------------------------------------------------------------------------------

SAMPLES = [
    ("Noto Serif", "ệ"), ("Noto Serif", "ş"), ("Noto Serif", "Ωж"), ("Noto Sans", "ệşΩж"),
    ("Noto Serif Devanagari", "क्ष"), ("Noto Serif Bengali", "ক্ষ"), ("Noto Serif Tamil", "த"),
    ("Noto Serif Sinhala", "ශ"), ("Noto Serif Thai", "ก"), ("Noto Serif Georgian", "ქ"),
    ("Noto Serif Armenian", "Հ"), ("Noto Serif Ethiopic", "ሀ"), ("Noto Serif Hebrew", "ש"),
    (NASKH, "ب"), (NASTALIQ, "ے"), (SC, "汉"), (TC, "漢"), (JP, "あ"), (KR, "한"),
    ("Noto Serif Gujarati", "ક્ષ"), ("Noto Serif Gurmukhi", "ਖ਼"), ("Noto Sans Oriya", "କ୍ଷ"),
    ("Noto Serif Telugu", "క్ష"), ("Noto Serif Kannada", "ಕ್ಷ"), ("Noto Serif Malayalam", "ക്ഷൾ"),
    ("Noto Sans Ol Chiki", "ᱚᱞ"), ("Noto Serif Tibetan", "བོད༢"), ("Noto Serif Myanmar", "မြန်မာ၂ႁ"),
    ("Noto Serif Lao", "ລາວ໒"), ("Noto Serif Khmer", "ខ្មែរ២"), ("Noto Sans Javanese", "ꦗꦮ꧒"),
    ("Noto Sans Thaana", "ދިވެހި"), ("Noto Sans Syriac", "ܣܘܪܝܝܐ"), ("Noto Sans NKo", "ߒߞߏ߂"),
    ("Noto Sans Adlam", "𞤆𞤵𞤤𞤢𞤪𞥒"), ("Noto Sans Tifinagh", "ⵜⴰⵎⴰⵣⵉⵖⵜ"), ("Noto Sans Canadian Aboriginal", "ᐃᓄᒃᑎᑐᑦ"),
    ("Noto Sans Cherokee", "ᏣᎳᎩꮳ"),
]


@pytest.mark.parametrize(("family", "sample"), SAMPLES)
def test_each_family_covers_its_script(fonts: FontSet, family: str, sample: str) -> None:
    assert fonts.covers(family, sample)


def test_every_family_is_sampled(fonts: FontSet) -> None:
    assert {f.name for f in fonts.families} == {family for family, _ in SAMPLES}


def _double_byte(codec: str, trail: range | list[int] = range(0xA1, 0xFF)) -> set[str]:
    out = set()
    for a in range(0xA1, 0xFF):
        for b in trail:
            try:
                text = bytes((a, b)).decode(codec)
            except UnicodeDecodeError:
                continue
            if len(text) == 1 and text.isprintable():
                out.add(text)
    return out


@pytest.mark.parametrize(("family", "codec", "trail"), [
    (SC, "gb2312", range(0xA1, 0xFF)),
    (TC, "big5", [*range(0x40, 0x7F), *range(0xA1, 0xFF)]),
    (JP, "euc_jp", range(0xA1, 0xFF)),
    (KR, "euc_kr", range(0xA1, 0xFF)),
])
def test_cjk_subsets_keep_their_national_standard(fonts: FontSet, family: str, codec: str, trail: range) -> None:
    wanted = {c for c in _double_byte(codec, trail) if script_of(c) in ("Hani", "Hang", "Hira", "Kana", "Bopo")}
    missing = sorted(c for c in wanted if not fonts.covers(family, c))
    assert not missing, f"{family} lacks {len(missing)} characters of {codec}: {''.join(missing[:40])}"


def test_cjk_glyph_ids_are_their_cids(fonts: FontSet) -> None:
    """A PDF reader maps WeasyPrint's CIDs (glyph ids) through the CFF charset: it must be 1:1."""
    for name in (SC, TC, JP, KR):
        for face in fonts.family(name).faces:
            with TTFont(face.path) as font:
                charset = font["CFF "].cff.topDictIndex[0].charset
            assert charset == [".notdef", *(f"cid{gid:05d}" for gid in range(1, len(charset)))], face.path


def test_korean_has_every_hangul_syllable(fonts: FontSet) -> None:
    assert fonts.covers(KR, "".join(map(chr, range(0xAC00, 0xD7A4))))


# -- stacks ----------------------------------------------------------------------------------------


def stack(fonts: FontSet, tag: str, role: str = "serif") -> tuple[str, ...]:
    return fonts.stack(role, parse_language(tag))


@pytest.mark.parametrize(("tag", "first"), [
    ("ja", JP), ("ja-JP", JP), ("zh-Hant", TC), ("zh-TW", TC), ("zh-HK", TC), ("zh-Hant-TW", TC),
    ("zh", SC), ("zh-Hans", SC), ("zh-CN", SC), ("zh-Hans-HK", SC), ("ko", KR), ("ur", NASTALIQ),
    ("ur-PK", NASTALIQ), ("fa", NASKH), ("ar", NASKH), ("en", "Noto Serif"), ("vi", "Noto Serif"),
    ("tr", "Noto Serif"), ("ru", "Noto Serif"), ("hi", "Noto Serif Devanagari"), ("ne", "Noto Serif Devanagari"),
    ("bn", "Noto Serif Bengali"), ("ta", "Noto Serif Tamil"), ("si", "Noto Serif Sinhala"), ("th", "Noto Serif Thai"),
    ("ka", "Noto Serif Georgian"), ("hy", "Noto Serif Armenian"), ("am", "Noto Serif Ethiopic"),
    ("he", "Noto Serif Hebrew"), ("yue", TC),
    ("gu", "Noto Serif Gujarati"), ("pa", "Noto Serif Gurmukhi"), ("or", "Noto Sans Oriya"),
    ("te", "Noto Serif Telugu"), ("kn", "Noto Serif Kannada"), ("ml", "Noto Serif Malayalam"),
    ("sat", "Noto Sans Ol Chiki"), ("bo", "Noto Serif Tibetan"), ("dz", "Noto Serif Tibetan"),
    ("my", "Noto Serif Myanmar"), ("shn", "Noto Serif Myanmar"), ("lo", "Noto Serif Lao"), ("km", "Noto Serif Khmer"),
    ("jv-Java", "Noto Sans Javanese"), ("jv", "Noto Serif"), ("dv", "Noto Sans Thaana"), ("syr", "Noto Sans Syriac"),
    ("nqo", "Noto Sans NKo"), ("bm-Nkoo", "Noto Sans NKo"), ("ff-Adlm", "Noto Sans Adlam"), ("ff", "Noto Serif"),
    ("zgh", "Noto Sans Tifinagh"), ("shi", "Noto Sans Tifinagh"), ("iu", "Noto Sans Canadian Aboriginal"),
    ("chr", "Noto Sans Cherokee"), ("pa-Arab", NASKH), ("mni", "Noto Serif Bengali"),
])
def test_stack_puts_the_languages_face_first(fonts: FontSet, tag: str, first: str) -> None:
    assert stack(fonts, tag)[0] == first


def test_stack_orders_fallbacks(fonts: FontSet) -> None:
    en = stack(fonts, "en")
    serif = {f.name for f in fonts.families if f.role == "serif"}
    assert set(en) == serif and len(en) == len(serif)
    # regional faces come last, after every unrestricted one, in manifest order
    assert en[-5:] == (NASTALIQ, SC, TC, JP, KR)
    assert stack(fonts, "fa").index(NASKH) < stack(fonts, "fa").index(NASTALIQ)
    assert stack(fonts, "ur")[:3] == (NASTALIQ, NASKH, "Noto Serif")
    assert stack(fonts, "zh-TW")[:2] == (TC, SC)
    assert stack(fonts, "ja")[:3] == (JP, SC, "Noto Serif")


def test_sans_stack_is_its_own_families_then_the_serif_stack(fonts: FontSet) -> None:
    for tag in ("en", "ja", "ar", "hi"):
        sans = stack(fonts, tag, "sans")
        assert sans[0] == "Noto Sans"
        assert sans[1:] == stack(fonts, tag)


def test_stacks_name_no_generic_family(fonts: FontSet) -> None:
    generic = {"serif", "sans-serif", "monospace", "cursive", "fantasy", "system-ui"}
    for tag in ("en", "ja", "ur"):
        assert not generic & set(stack(fonts, tag, "sans"))


@pytest.mark.parametrize(("tag", "char", "family"), [
    ("ja", "あ", JP), ("ja", "漢", JP), ("en", "汉", SC), ("en", "あ", SC), ("ko", "한", KR), ("en", "한", KR),
    ("zh-TW", "漢", TC), ("zh-TW", "汉", SC), ("ur", "ے", NASTALIQ), ("fa", "ی", NASKH), ("en", "ب", NASKH),
    ("vi", "ệ", "Noto Serif"), ("tr", "ş", "Noto Serif"), ("en", "क", "Noto Serif Devanagari"),
])
def test_resolve_finds_the_first_family_with_the_character(fonts: FontSet, tag: str, char: str, family: str) -> None:
    found = fonts.resolve("serif", parse_language(tag), char)
    assert found is not None and found.name == family


# The scripts of CLDR's locales that no bundled family serves (see fonts/README.md): traditional
# Mongolian is written top to bottom, which the PDF renderer cannot set; the others are left
# out for now.
NOT_SERVED = {"Mong", "Yiii", "Vaii", "Cakm", "Mtei", "Rohg", "Hmnp", "Osge", "Tavt", "Copt", "Dsrt", "Shaw"}


def test_the_scripts_served(fonts: FontSet) -> None:
    served = fonts.scripts()
    assert {"Latn", "Grek", "Cyrl", "Arab", "Hebr", "Deva", "Beng", "Guru", "Gujr", "Orya", "Taml", "Telu", "Knda",
            "Mlym", "Sinh", "Thai", "Laoo", "Tibt", "Mymr", "Khmr", "Geor", "Armn", "Ethi", "Thaa", "Syrc", "Nkoo",
            "Adlm", "Tfng", "Cans", "Cher", "Olck", "Java", "Hani", "Hans", "Hant", "Jpan", "Kore", "Hira", "Kana",
            "Hang", "Bopo"} <= served
    assert not NOT_SERVED & served


def test_a_script_served_has_a_family_with_its_letters(fonts: FontSet) -> None:
    from typeset.fonts import _SAMPLES

    for script in fonts.scripts():
        family = fonts.family_for_script("serif", parse_language("und"), script)
        assert family is not None, script
        if script in _SAMPLES:
            assert fonts.covers(family.name, _SAMPLES[script]), (script, family.name)


@pytest.mark.parametrize(("tag", "served"), [
    ("en", True), ("gu", True), ("pa", True), ("pa-Arab", True), ("or", True), ("my", True), ("bo", True),
    ("dv", True), ("syr", True), ("nqo", True), ("ff-Adlm", True), ("iu", True), ("chr", True), ("sat", True),
    ("zgh", True), ("mn", True), ("mn-Mong", False), ("ii", False), ("vai", False), ("ccp", False),
])
def test_serves(fonts: FontSet, tag: str, served: bool) -> None:
    assert fonts.serves(parse_language(tag)) is served


def test_the_languages_served_are_cldrs_in_a_script_served(fonts: FontSet) -> None:
    served = fonts.languages()
    tags = [language.tag for language in served]
    assert tags == sorted(tags) and len(set(tags)) == len(tags)
    assert len(served) > 300
    assert {"en", "gu", "pa", "or", "te", "kn", "ml", "lo", "km", "my", "shn", "bo", "dz", "dv", "syr", "nqo",
            "ff-Adlm", "zgh", "shi", "iu", "chr", "sat", "zh-Hant", "ja", "ur"} <= set(tags)
    assert not {"mn-Mong", "ii", "vai", "ccp", "mni-Mtei"} & set(tags)
    assert all(language.script not in NOT_SERVED for language in served)


def test_resolve_gives_none_for_a_character_no_font_has(fonts: FontSet) -> None:
    assert fonts.resolve("serif", parse_language("en"), "\U0001F9EA") is None  # test tube emoji


@pytest.mark.parametrize(("tag", "script", "family"), [
    ("ja", "Hani", JP), ("ja", "Jpan", JP), ("ja", "Latn", JP), ("en", "Hani", SC), ("zh-TW", "Hani", TC),
    ("ko", "Hang", KR), ("ko", "Kore", KR), ("ur", "Arab", NASTALIQ), ("ar", "Arab", NASKH),
    ("ur", "Latn", "Noto Serif"), ("en", "Deva", "Noto Serif Devanagari"), ("en", "Latn", "Noto Serif"),
    ("en", "Mymr", "Noto Serif Myanmar"), ("my", "Mymr", "Noto Serif Myanmar"), ("my", "Latn", "Noto Serif"),
    ("dv", "Thaa", "Noto Sans Thaana"), ("ja", "Tibt", "Noto Serif Tibetan"), ("en", "Adlm", "Noto Sans Adlam"),
    ("iu", "Cans", "Noto Sans Canadian Aboriginal"), ("km", "Khmr", "Noto Serif Khmer"),
])
def test_family_for_script(fonts: FontSet, tag: str, script: str, family: str) -> None:
    found = fonts.family_for_script("serif", parse_language(tag), script)
    assert found is not None and found.name == family


def test_family_for_script_in_sans(fonts: FontSet) -> None:
    assert fonts.family_for_script("sans", parse_language("ja"), "Latn").name == "Noto Sans"  # type: ignore[union-attr]
    assert fonts.family_for_script("sans", parse_language("ja"), "Hani").name == JP  # type: ignore[union-attr]
    assert fonts.family_for_script("serif", parse_language("en"), "Zzzz") is None


def test_font_face_css_for_some_families(fonts: FontSet) -> None:
    css = fonts.font_face_css([JP])
    assert css.count("@font-face") == len(fonts.family(JP).faces)
    assert "Noto Serif CJK SC" not in css
    assert fonts.font_face_css().count("@font-face") == len(faces(fonts))


# -- fontconfig: the bundled folder and nothing else ----------------------------------------------


def test_fontconfig_lists_only_the_bundled_folder(fonts: FontSet) -> None:
    file = fonts.fontconfig_file()
    conf = file.read_text(encoding="utf-8")
    [cache_dir] = re.findall(r"<cachedir>(.*?)</cachedir>", conf)
    assert conf == fonts.fontconfig(Path(cache_dir))
    assert re.findall(r"<dir>(.*?)</dir>", conf) == [str(FONTS_DIR.resolve())]
    # fontconfig's cache of the scan is kept in typeset's persistent cache, in a folder of this configuration
    store = fonts.gate().store
    assert store.root is not None and Path(cache_dir).is_relative_to(store.root / "fontconfig")
    assert "<include" not in conf


RENDER = """
import hashlib, sys
from weasyprint import HTML
from typeset.fonts import load_fonts
from typeset.render.pdf import _font_config
from typeset.world import World
html = '''<html lang="ja"><body style="font-family: 'Noto Serif', Georgia, serif">
<p>日本語のテキスト、ひらがな、カタカナ。 Latin ệ ş.</p>
<p lang="hi">हिन्दी क्षत्रिय</p><p lang="zh-Hant">臺灣漢字</p><p lang="ur">اردو ے</p>
<h1 style="font-family: Arial, sans-serif">見出し Heading</h1></body></html>'''
pdf = HTML(string=html).write_pdf(font_config=_font_config(load_fonts(World([]))), pdf_identifier=b"x")
sys.stdout.buffer.write(pdf)
"""


def _render(tmp_path: Path, fontconfig_file: str | None) -> bytes:
    env = {k: v for k, v in os.environ.items() if k != "FONTCONFIG_FILE"}
    if fontconfig_file is not None:
        env["FONTCONFIG_FILE"] = fontconfig_file
    env["SOURCE_DATE_EPOCH"] = "1700000000"
    result = subprocess.run([sys.executable, "-W", "ignore", "-c", RENDER], capture_output=True, env=env,
                            check=True, timeout=300, cwd=Path(__file__).resolve().parent.parent)
    return result.stdout


def test_pdf_uses_bundled_fonts_only_and_ignores_the_machines(tmp_path: Path, fonts: FontSet) -> None:
    normal = _render(tmp_path, None)
    empty = tmp_path / "empty.conf"
    empty.write_text('<?xml version="1.0"?>\n<fontconfig></fontconfig>\n', encoding="utf-8")
    bare = _render(tmp_path, str(empty))  # a machine with no fonts at all
    assert normal == bare
    pdf = tmp_path / "out.pdf"
    pdf.write_bytes(normal)
    output = subprocess.run(["pdffonts", pdf], capture_output=True, text=True, check=True).stdout
    used = {re.sub(r"^[A-Z]{6}\+", "", line.split()[0]) for line in output.splitlines()[2:]}
    assert_print_ready(pdf)  # every glyph drawn is a real one, not .notdef
    families = {re.sub(r"-(Bold|Italic|BoldItalic)$", "", name) for name in used}
    assert families <= {f.name.replace(" ", "-") for f in fonts.families}, used
    assert {"Noto-Serif-CJK-JP", "Noto-Serif-Devanagari", "Noto-Serif-CJK-TC", "Noto-Nastaliq-Urdu"} <= families, used


@pytest.mark.parametrize(("lang", "fallback"), [
    ("ja", JP), ("zh-hant-tw", TC), ("zh-tw", TC), ("zh-hk", TC), ("zh", SC), ("zh-hans-hk", SC), ("zh-my", SC),
    ("ko", KR), ("ur", NASTALIQ), ("ur-pk", NASTALIQ), ("fa", NASKH), ("en", NASKH),
])
def test_fontconfig_falls_back_in_stack_order_for_the_language(fonts: FontSet, lang: str, fallback: str) -> None:
    """What the CSS names comes first; for a glyph it lacks, the language's stack follows."""
    env = {**os.environ, "FONTCONFIG_FILE": str(fonts.fontconfig_file())}
    order = subprocess.run(["fc-match", "-s", "--format", "%{family[0]}\\n", f"Noto Serif:lang={lang}"], env=env,
                           capture_output=True, text=True, check=True).stdout.splitlines()
    assert order[:2] == ["Noto Serif", fallback]
