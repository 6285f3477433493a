"""The scripts of India, South-East Asia, the Himalaya, the Maldives, West Africa and North
America, each in an edition of its own: built by the real command line into PDF, DOCX and HTML
and read back as a reader gets them.

The documents are in ``tests/data/scripts``, one per group of scripts (South Asia, South-East
Asia, right to left, the Americas and North Africa); every edition holds its language's title,
text and heading and the names of all the group's languages. For every edition:

- the PDF embeds the bundled family of every script it holds, draws no .notdef, shows no dotted
  circle the text did not contain, numbers its signatories in the language's digits (CLDR's:
  Burmese, Santali, N'Ko, Adlam …) and gives its words back to ``pdftotext`` — left-to-right
  text exactly as written, right-to-left text word by word, letter for letter, except where
  poppler cannot read a script (:data:`POPPLER_UNREAD`, a strict expected failure);
- the DOCX, laid out by LibreOffice (one process per document) on a machine with DejaVu only,
  draws no .notdef and only with the faces it embeds, among them the family of every script;
- the HTML, printed by Chromium (one session for all pages) on the same machine, draws only
  with the bundled faces the page carries, every script's among them, and no .notdef.

Failures that belong to other parts are strict expected failures with their reason
(:data:`DOCX_KNOWN`, :data:`HTML_KNOWN`, :data:`POPPLER_UNREAD`).
"""

from __future__ import annotations

import re
import subprocess
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import pytest
from fontTools import unicodedata as ucd
from fontTools.ttLib import TTFont
from ruamel.yaml import YAML

from tests.chromium import Browser, dejavu_only_fonts
from tests.conftest import REPO, run_typeset
from tests.docxcheck import embedded_fonts, fonts_drawing
from tests.libreoffice import libreoffice_convert
from tests.pdfcheck import assert_print_ready
from typeset.fonts import FontSet, load_fonts
from typeset.model.language import parse_language
from typeset.model.localize import numbering_system, to_digits
from typeset.world import World

pytestmark = pytest.mark.slow

DATA = REPO / "tests" / "data" / "scripts"
FONTS: FontSet = load_fonts(World([]))
BIDI_CONTROLS = dict.fromkeys(map(ord, "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f"))
DOTTED_CIRCLE = "\u25cc"


@dataclass(frozen=True)
class Edition:
    document: str  # the document's id
    tag: str
    direction: str
    title: str
    text: str
    heading: str
    names: tuple[tuple[str, str], ...]  # (language tag, name) of every signatory

    def __str__(self) -> str:
        return f"{self.document}.{self.tag}"

    def output(self, out: Path, extension: str) -> Path:
        return out / self.document / f"{self.document}.{self.tag}.{extension}"

    def scripts(self) -> set[str]:
        """The scripts of the edition's own text and of its names (Latin and common left out)."""
        text = " ".join([self.title, self.text, self.heading, *(name for _, name in self.names)])
        return {ucd.script(c) for c in text if ucd.script(c) not in ("Zyyy", "Zinh", "Zzzz", "Latn")}

    def families(self) -> set[str]:
        """The bundled family of each of its scripts, as :meth:`FontSet.family_for_script` gives it."""
        language = parse_language(self.tag)
        found = set()
        for script in self.scripts():
            family = FONTS.family_for_script("serif", language, script)
            assert family is not None, f"no bundled family for {script}"
            found.add(family.name)
        return found

    def phrases(self) -> list[str]:
        return [self.title, self.text, self.heading, *(name for _, name in self.names)]


def _editions() -> list[Edition]:
    found = []
    for source in sorted(DATA.glob("*/document.yaml")):
        data = YAML(typ="safe").load(source.read_text(encoding="utf-8"))
        group = data["groups"][0]
        names = tuple((entry["lang"], entry["name"]) for entry in group["entries"])
        for tag in data["languages"]:
            front, body = source.with_name(f"{tag}.md").read_text(encoding="utf-8").split("---\n", 2)[1:]
            title = YAML(typ="safe").load(front)["title"]
            found.append(Edition(data["id"], tag, parse_language(tag).direction, title, body.strip(),
                                 group["heading"][tag], names))
    return found


EDITIONS = _editions()


def _nfc(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).translate(BIDI_CONTROLS).split())


def _key(name: str) -> str:
    """A family or font name reduced to letters and digits, lower case: "Noto Serif Lao" → "notoseriflao"."""
    return re.sub(r"[^0-9a-z]", "", name.lower())


def _pdffonts(pdf: Path) -> set[str]:
    rows = subprocess.run(["pdffonts", pdf], capture_output=True, text=True, check=True).stdout.splitlines()[2:]
    return {re.sub(r"^[A-Z]{6}\+", "", row.split()[0]) for row in rows if not row.startswith("[none]")}


def _pdftotext(pdf: Path) -> str:
    return subprocess.run(["pdftotext", "-enc", "UTF-8", pdf, "-"], capture_output=True, text=True,
                          check=True).stdout


def _missing_families(edition: Edition, fonts: set[str]) -> list[str]:
    """The families of the edition's scripts that none of ``fonts`` (PDF font names) is a face of."""
    keys = [_key(font) for font in fonts]
    return sorted(f for f in edition.families() if not any(key.startswith(_key(f)) for key in keys))


def _bundled_postscript_names() -> set[str]:
    names = set()
    for family in FONTS.families:
        for face in family.faces:
            with TTFont(face.path, lazy=True) as font:
                names.add(font["name"].getDebugName(6))
    return names


BUNDLED = _bundled_postscript_names()


# Right-to-left scripts whose words poppler cannot give back, whatever the PDF says (the text layer
# makes no difference): its bidi table has no N'Ko and nothing beyond the BMP (Adlam), so their
# lines come out in visual order, letters reversed; and it takes a right-to-left line's marks
# (zero-width glyphs) for words of their own, which scrambles Thaana, where every letter carries
# one (vowelled Arabic comes out the same). See test_pdftotext_gives_back_these_right_to_left_words.
POPPLER_UNREAD = frozenset({"Thaa", "Nkoo", "Adlm"})


def _script(phrase: str) -> str:
    return next(ucd.script(c) for c in phrase if ucd.script(c) not in ("Zyyy", "Zinh"))


def _bases(word: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", word) if not unicodedata.category(c).startswith("M"))


def _text_problems(edition: Edition, text: str, scripts: frozenset[str] | None = None) -> list[str]:
    """What the text layer of a PDF of ``edition`` lacks: a left-to-right phrase not there as
    written; a word of a right-to-left phrase not there letter for letter (its marks, which poppler
    sets apart from a right-to-left word, anywhere in the text); a dotted circle. Only the phrases
    in ``scripts`` if given, else all but those in :data:`POPPLER_UNREAD`."""
    shown = _nfc(text)
    words = set(re.split(r"[\s.,:!]+", shown))  # a list number may stick to a right-to-left name: "ܐܘܪܗܝ.4"
    bases = {_bases(word) for word in words}
    marks = {c for c in unicodedata.normalize("NFD", shown) if unicodedata.category(c).startswith("M")}
    problems = []
    for phrase in edition.phrases():
        script = _script(phrase)
        if (script not in scripts) if scripts is not None else (script in POPPLER_UNREAD):
            continue
        if ucd.script_horizontal_direction(script, "LTR") == "RTL":
            for word in (w.strip(".,:!") for w in _nfc(phrase).split()):
                wanted = {c for c in unicodedata.normalize("NFD", word) if unicodedata.category(c).startswith("M")}
                if _bases(word) not in bases or not wanted <= marks:
                    problems.append(f"the word {word!r} of {phrase!r}")
        elif _nfc(phrase) not in shown:
            problems.append(f"{phrase!r}")
    if DOTTED_CIRCLE in shown:
        problems.append("a dotted circle")
    return problems


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every edition of the four documents, in every format, from one build."""
    out = tmp_path_factory.mktemp("scripts")
    run_typeset("build", DATA, "--out", out, check=True)
    return out


def test_the_documents_cover_every_script_added() -> None:
    """Each script of the families added for these documents is in an edition of its own language."""
    added = {"Gujr", "Guru", "Orya", "Telu", "Knda", "Mlym", "Olck", "Tibt", "Mymr", "Laoo", "Khmr", "Java",
             "Thaa", "Syrc", "Nkoo", "Adlm", "Tfng", "Cans", "Cher"}
    own = {parse_language(edition.tag).script for edition in EDITIONS}
    assert added <= own, sorted(added - own)
    assert all(FONTS.serves(parse_language(edition.tag)) for edition in EDITIONS)


@pytest.mark.parametrize("edition", EDITIONS, ids=str)
def test_pdf(built: Path, edition: Edition) -> None:
    pdf = edition.output(built, "pdf")
    assert not _missing_families(edition, _pdffonts(pdf)), f"{edition}: fonts {sorted(_pdffonts(pdf))}"
    assert_print_ready(pdf)
    problems = _text_problems(edition, _pdftotext(pdf))
    assert not problems, f"{edition}: pdftotext lacks {problems}"
    numerals = numbering_system(parse_language(edition.tag))
    one = to_digits("1", numerals)
    text = _nfc(_pdftotext(pdf))
    # ".1": poppler reads a right-to-left number so
    assert f"{one}." in text or f".{one}" in text, f"{edition}: no list number in {numerals} digits"


@pytest.mark.xfail(strict=True, reason="poppler's bidi table has no N'Ko or Adlam, and it sets a right-to-left "
                                       "line's marks apart from their letters (Thaana)")
@pytest.mark.parametrize("script", sorted(POPPLER_UNREAD))
def test_pdftotext_gives_back_these_right_to_left_words(built: Path, script: str) -> None:
    edition = next(e for e in EDITIONS if parse_language(e.tag).script == script)
    pdf = edition.output(built, "pdf")
    assert not _text_problems(edition, _pdftotext(pdf), frozenset({script}))


# Known failures in other parts, each to be fixed there; strict, so that the fix shows.
DOCX_KNOWN: dict[str, pytest.MarkDecorator] = {}
HTML_KNOWN: dict[str, pytest.MarkDecorator] = {}


def _marked(known: dict[str, pytest.MarkDecorator]) -> list[object]:
    return [pytest.param(e, id=str(e), marks=[known[e.tag]] if e.tag in known else []) for e in EDITIONS]


@pytest.fixture(scope="module")
def libreoffice(built: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Every DOCX edition laid out by LibreOffice, one process each, on a machine with DejaVu only."""
    documents = [edition.output(built, "docx") for edition in EDITIONS]
    pdfs = libreoffice_convert(documents, tmp_path_factory.mktemp("libreoffice"))
    return {str(edition): pdf for edition, pdf in zip(EDITIONS, pdfs, strict=True)}


@pytest.mark.parametrize("edition", _marked(DOCX_KNOWN))
def test_docx_in_libreoffice(built: Path, libreoffice: dict[str, Path], edition: Edition) -> None:
    pdf = libreoffice[str(edition)]
    assert_print_ready(pdf)
    docx = edition.output(built, "docx").read_bytes()
    embedded = {font.font["name"].getDebugName(6) for font in embedded_fonts(docx)}
    drawn = fonts_drawing(pdf)
    assert drawn and drawn <= embedded, f"drawn with {sorted(drawn - embedded)}, which the DOCX does not embed"
    assert not _missing_families(edition, drawn), f"drawn with {sorted(drawn)}"
    assert DOTTED_CIRCLE not in _pdftotext(pdf)


@pytest.fixture(scope="module")
def chromium(built: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[str, Path]]:
    """Every HTML edition in one Chromium that finds no font on the machine but DejaVu: the
    page's text and its printout."""
    folder = tmp_path_factory.mktemp("chromium")
    found = {}
    with Browser(dejavu_only_fonts(folder)) as browser:
        for edition in EDITIONS:
            browser.load(edition.output(built, "html").as_uri())
            printed = folder / f"{edition}.pdf"
            printed.write_bytes(browser.pdf())
            found[str(edition)] = (browser.evaluate("document.body.innerText"), printed)
    return found


@pytest.mark.parametrize("edition", _marked(HTML_KNOWN))
def test_html_in_chromium(chromium: dict[str, tuple[str, Path]], edition: Edition) -> None:
    text, printed = chromium[str(edition)]
    shown = _nfc(text)
    assert [phrase for phrase in edition.phrases() if _nfc(phrase) not in shown] == []
    named = _pdffonts(printed)
    assert named and named <= BUNDLED, f"not bundled faces {sorted(named - BUNDLED)}"
    assert not _missing_families(edition, named), f"drawn with {sorted(named)}"
    assert_print_ready(printed)
    assert DOTTED_CIRCLE not in _pdftotext(printed)


@pytest.mark.parametrize(("tag", "word"), [
    ("th", "คนงาน"), ("bo", "ལས་མི་"), ("km", "កម្មករ"), ("lo", "ຄົນງານ"), ("my", "အလုပ်သမား"),
])
def test_a_run_without_spaces_wraps_in_the_pdf(tag: str, word: str, tmp_path: Path) -> None:
    """Scripts written without spaces between words: a paragraph must still wrap in its column.
    Pango breaks Khmer, Lao and Burmese only at spaces (Thai through libthai): the PDF renderer
    gives it ICU's opportunities (tests/test_linebreaks.py has the whole story)."""
    from weasyprint import HTML

    from typeset.render.linebreaks import html_break_opportunities
    from typeset.render.pdf import _font_config

    html = (f'<html lang="{tag}"><body style="font-family: \'Noto Serif\'">'
            f'<p style="width: 40mm">{word * 16}</p></body></html>')
    pdf = tmp_path / "wrapped.pdf"
    HTML(string=html_break_opportunities(html)).write_pdf(pdf, font_config=_font_config(FONTS))
    lines = [line for line in _pdftotext(pdf).splitlines() if line.strip()]
    assert len(lines) > 3, lines
