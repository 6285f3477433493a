"""Helpers the test modules share: sample sources, readers of what the renderers wrote, editions
built in code. Test modules import them from here, never from one another; the fixtures and the
example data are in conftest.py, the PDF, DOCX and browser checks in pdfcheck.py, docxcheck.py,
chromium.py and libreoffice.py."""

from __future__ import annotations

import datetime as dt
import queue
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from tests.conftest import REPO, Example, Expected, squash
from typeset.model import parse_language
from typeset.model.document import ListItem, OrderedList, Paragraph, Phrase, Strong, Text
from typeset.model.edition import Edition, EditionEntry, EditionGroup
from typeset.model.localize import format_date, numbering_system, punctuation
from typeset.source import load_document
from typeset.world import World

# -- a small source in two languages (tests write variants of it) -------------------------------

DOCUMENT = """\
id: t
organisation: Org
date: 2020-01-02
languages: [en, de]
source_language: en
groups:
  - id: g
    heading:
      en: Signatories
      de: Unterzeichner
    entries:
      - abbreviation: A
        name: Alpha
        lang: en
        country: FR
"""


TEXT = "---\ntitle: Title\n---\n\nBody text.\n"


def render_pdf(folder: Path, language: str, *, layout: str = "resolution",
               when: dt.datetime = dt.datetime(1948, 12, 10, tzinfo=dt.UTC)) -> bytes:
    """The PDF edition of ``folder`` in ``language``, rendered in this process."""
    from typeset.fonts import load_fonts
    from typeset.layout import load_layout
    from typeset.model.edition import make_edition
    from typeset.render import RenderContext
    from typeset.render.pdf import render
    from typeset.world import World

    chosen = load_layout(layout, World([]))
    world = World([folder, chosen.root])
    loaded = load_document(folder, world).document
    assert loaded is not None
    return render(make_edition(loaded, language), RenderContext(chosen, load_fonts(world), world, when))


def make(folder: Path, document: str = DOCUMENT, files: dict[str, str] | None = None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "document.yaml").write_text(document, encoding="utf-8")
    for name, text in ({"en.md": TEXT, "de.md": TEXT} | (files or {})).items():
        if text is None:
            continue
        (folder / name).write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    return folder


def diagnostics_of(folder: Path) -> list[str]:
    loaded = load_document(folder, World([]))
    return [f"{d.span.path.name}:{d.span.line}:{d.span.col}: {d.severity.value}: {d.message}"
            for d in loaded.diagnostics]


# -- the command line in a process of its own -----------------------------------------------------

def imports_of(*args: str | Path) -> tuple[subprocess.CompletedProcess[str], str]:
    """Run typeset with ``-X importtime``; return the result and the modules it imported."""
    result = subprocess.run([sys.executable, "-X", "importtime", "-m", "typeset", *map(str, args)],
                            cwd=REPO, capture_output=True, text=True, timeout=300)
    modules = "\n".join(line.split("|")[-1].strip() for line in result.stderr.splitlines()
                        if line.startswith("import time:"))
    return result, modules


# -- what comes back from an edition's PDF: signatories in order, the source's paragraphs -------

BIDI_CONTROLS = dict.fromkeys(range(0x202A, 0x202F))  # poppler frames right-to-left runs with them


# The digits each language's edition numbers its lists with (CLDR, Arabic script native digits).
DIGITS = {"ar": "٠١٢٣٤٥٦٧٨٩", "fa": "۰۱۲۳۴۵۶۷۸۹", "ur": "۰۱۲۳۴۵۶۷۸۹", "bn": "০১২৩৪৫৬৭৮৯"}


def numeral(number: int, language: str) -> str:
    digits = DIGITS.get(language.split("-")[0])
    return str(number).translate(str.maketrans("0123456789", digits)) if digits else str(number)


# Poppler cannot give back Nastaliq as written: its letters sit on a cascading baseline and poppler
# splits them into other lines (test_nastaliq_survives_the_text_layer records it). Such names are
# found by their romanized form instead.
CASCADING = {"ur"}


RTL = {"ar", "fa", "ur", "he"}


def _anchor(entry: Expected) -> str:
    if entry.language.split("-")[0] in CASCADING and entry.romanized:
        return squash(entry.romanized)
    return entry.squashed()


def assert_signatories_in_order(text: str, entries: list[Expected], language: str, loose: bool = False) -> None:
    """Each entry appears after the previous one with its number right before it (none if
    unnumbered), and its translation, if the edition shows one, before the next entry.

    In a right-to-left edition poppler gives each line's parts in its own mixed order, so there
    each entry must be on a line (or near the line) that carries its number, lines in order.
    Around a right-to-left or cascading name, the number must be between the entries around it.
    ``loose``: LibreOffice's PDFs, whose right-to-left lines poppler reads in a looser order.
    """
    numerals = language  # the edition's digits, in every format
    if language.split("-")[0] in RTL:
        return _assert_rtl_signatories(text, entries, numerals, strict=not loose)
    flat = squash(unicodedata.normalize("NFC", text).translate(BIDI_CONTROLS))
    anchors: list[int] = []
    position = 0
    for entry in entries:
        at = flat.find(_anchor(entry), position)
        assert at >= 0, f"{entry.number}. {entry.abbreviation} {entry.name} is missing or out of order"
        anchors.append(at)
        position = at + len(_anchor(entry))
    bounds = [0, *anchors, len(flat)]
    for i, entry in enumerate(entries):
        at, around = anchors[i], ARABIC.sub("", flat[bounds[i]:bounds[i + 2]])
        before = flat[max(bounds[i], at - 8):at]
        marker = numeral(entry.number, numerals) + "." if entry.number is not None else None
        if marker is None:
            assert not re.search(r"\d+\.$", before), f"'{entry.name}' must not be numbered, found {before!r}"
        elif _anchor(entry) == entry.squashed() and entry.language.split("-")[0] not in RTL:
            assert before.endswith(marker), \
                f"{entry.abbreviation or entry.name} must be number {entry.number}, found {before!r} before it"
        else:  # a right-to-left or cascading name: poppler puts its parts in its own order
            segment = ARABIC.sub("", flat[bounds[i]:bounds[i + 3] if i + 3 < len(bounds) else len(flat)])
            assert marker in segment, f"no number {entry.number} by {entry.name}"
        if entry.translation:
            assert squash(entry.translation) in around, f"the translation of {entry.name} is missing"


# Letters of the Arabic script: poppler scatters Nastaliq fragments into neighbouring text.
ARABIC = re.compile("[\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff]")


def _assert_rtl_signatories(text: str, entries: list[Expected], language: str, strict: bool) -> None:
    """Right to left: names in order, line by line; each number beside its name when ``strict``
    (WeasyPrint's lines), else — LibreOffice's PDFs, which poppler reads in a looser order —
    every number printed as a list marker somewhere."""
    lines = [squash(line) for line in unicodedata.normalize("NFC", text).translate(BIDI_CONTROLS).splitlines()
             if line.strip()]
    index = 0
    for entry in entries:
        first_word = squash(entry.name.split()[0])
        if entry.language.split("-")[0] in CASCADING:
            first_word = squash(entry.translation or entry.romanized or entry.name)[:12]
        while index < len(lines) and first_word not in lines[index]:
            index += 1
        assert index < len(lines), f"{entry.number}. {entry.name} is missing or out of order"
        window = "\n".join(lines[max(0, index - 2):index + 3] if strict else lines)
        if entry.number is not None:
            marker = numeral(entry.number, language)
            assert re.search(rf"(^|\D)({marker}\.|\.{marker})(\D|$)", window), \
                f"{entry.name} is not beside its number {marker}"
        else:
            assert not re.search(r"(^|\D)(\d+\.|\.\d+)(\D|$)", lines[index]), f"{entry.name} must not be numbered"


def source_paragraphs(example: Example, language: str) -> list[tuple[str, str]]:
    """Every paragraph of a language file's text and slogans, with the language it is written in
    (the file's, or its div's)."""
    from typeset.model.document import BulletList, Div, OrderedList, Paragraph, plain_text

    document = load_document(example.path, World([])).document
    assert document is not None

    def walk(blocks, tag: str) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
        found = []
        for block in blocks:
            if isinstance(block, Paragraph):
                found.append((plain_text(block.children), tag))
            elif isinstance(block, BulletList | OrderedList):
                found += [(plain_text(b.children), tag) for item in block.items for b in item.blocks
                          if isinstance(b, Paragraph)]
            elif isinstance(block, Div):
                found += walk(block.blocks, block.language.tag)
        return found

    text = document.texts[language]
    return walk(text.body, language) + walk(text.slogans, language)


def without_marks(text: str) -> str:
    return "".join(c for c in text if unicodedata.category(c) != "Mn" and c not in "\u200c\u200d")


# -- an edition laid out by the PDF renderer, and its boxes ---------------------------------------

LAYOUTS = ("resolution", "leaflet")


def laid_out(source: Path, language: str, layout: str | Path | None = None, **options: Any):  # type: ignore[no-untyped-def]
    """The edition as WeasyPrint lays it out in typeset's PDF renderer (a ``weasyprint.Document``)."""
    from typeset.model.edition import make_edition
    from typeset.prepare import prepare
    from typeset.render import RenderOptions
    from typeset.render.pdf import layout_document

    prepared = prepare(source, World([]), str(layout) if layout else None, RenderOptions(**options))
    assert prepared.document is not None and prepared.context is not None, prepared.diagnostics.sorted()
    return layout_document(make_edition(prepared.document, language), prepared.context)


def all_boxes(box: Any) -> Iterator[Any]:
    """A WeasyPrint box and every box inside it, depth first."""
    from weasyprint.formatting_structure.boxes import ParentBox

    yield box
    if isinstance(box, ParentBox):
        for child in box.children:
            yield from all_boxes(child)


def classes_of(element: Any) -> set[str]:
    return set((element.get("class") or "").split()) if element is not None else set()


# -- an edition built in code: one signatory in each of twenty scripts ----------------------------

BUILD_TIME = dt.datetime(2024, 7, 1, 9, 0, tzinfo=dt.UTC)


# (language, name, Word's slot for its script, the family that slot must resolve to)
NAMES = (
    ("de", "Marxistisch-Leninistische Partei Deutschlands", "latin", "Noto Serif"),
    ("el", "Εργατικό Κέντρο Αθήνας", "latin", "Noto Serif"),
    ("ru", "Российская маоистская партия", "latin", "Noto Serif"),
    ("ka", "საქართველოს პროფკავშირები", "latin", "Noto Serif Georgian"),
    ("hy", "Հայաստանի արհմիություններ", "latin", "Noto Serif Armenian"),
    ("am", "የኢትዮጵያ ሠራተኞች ማኅበራት", "latin", "Noto Serif Ethiopic"),
    ("ja", "日本労働者党（マルクス主義）", "eastAsia", "Noto Serif CJK JP"),
    ("zh-Hans", "中国工人联合会", "eastAsia", "Noto Serif CJK SC"),
    ("zh-Hant", "台灣勞工陣線", "eastAsia", "Noto Serif CJK TC"),
    ("ko", "전국민주노동조합총연맹", "eastAsia", "Noto Serif CJK KR"),
    ("ar", "الاتحاد العام للعمال (الجديد)", "cs", "Noto Naskh Arabic"),
    ("fa", "کانون صنفی کارگران", "cs", "Noto Naskh Arabic"),
    ("ur", "پاکستان مزدور محاذ", "cs", "Noto Nastaliq Urdu"),
    ("he", "הסתדרות העובדים", "cs", "Noto Serif Hebrew"),
    ("hi", "भारतीय श्रमिक संघ", "cs", "Noto Serif Devanagari"),
    ("bn", "বাংলাদেশ শ্রমিক ফেডারেশন", "cs", "Noto Serif Bengali"),
    ("ta", "தொழிலாளர் சங்கம்", "cs", "Noto Serif Tamil"),
    ("si", "ශ්‍රී ලංකා කම්කරු සංගමය", "cs", "Noto Serif Sinhala"),
    ("th", "สหภาพแรงงานไทย", "cs", "Noto Serif Thai"),
    ("en", "Communist Party of South Africa (Marxist-Leninist)", "latin", "Noto Serif"),
)


# Title and a sentence of the text in each edition language.
TEXTS = {
    "en": ("Joint declaration", "We, the undersigned, demand protection from extreme heat."),
    "ar": ("إعلان مشترك", "نحن الموقعين أدناه نطالب بالحماية من الحر الشديد منذ عام ٢٠٢٤."),
    "fa": ("بیانیهٔ مشترک", "ما امضاکنندگان خواستار حمایت در برابر گرمای شدید هستیم."),
    "ur": ("مشترکہ اعلامیہ", "ہم شدید گرمی سے تحفظ کا مطالبہ کرتے ہیں۔"),
    "hi": ("संयुक्त घोषणा", "हम अत्यधिक गर्मी से सुरक्षा की माँग करते हैं।"),
    "bn": ("যৌথ ঘোষণা", "আমরা চরম গরম থেকে সুরক্ষা দাবি করি।"),
    "ja": ("共同宣言", "私たちは猛暑からの保護を求めます。"),
    "zh-Hans": ("联合声明", "我们要求保护工人免受极端高温的伤害。"),
    "el": ("Κοινή δήλωση", "Απαιτούμε προστασία από τον ακραίο καύσωνα."),
    "th": ("แถลงการณ์ร่วม", "เราเรียกร้องการคุ้มครองจากความร้อนจัด"),
    "ru": ("Совместное заявление", "Мы требуем защиты от сильной жары."),
}


def many_scripts(tag: str, numerals: str | None = None) -> Edition:
    """An edition in ``tag`` whose signatories are the names of :data:`NAMES`, the first and
    the last with a Latin abbreviation."""
    language = parse_language(tag)
    numerals = numerals or numbering_system(language)
    english = parse_language("en")
    abbreviations = {0: "MLPD", len(NAMES) - 1: "CPSA (ML)"}
    entries = tuple(
        EditionEntry(f"s{index}", index + 1, Phrase(name, parse_language(name_tag)),
                     Phrase(abbreviations[index], english) if index in abbreviations else None,
                     None, None, None, None, None)
        for index, (name_tag, name, _, _) in enumerate(NAMES)
    )
    title, sentence = TEXTS[tag]
    date = dt.date(2024, 7, 1)
    body = (Paragraph((Text(f"{sentence} "), Strong((Text(title),)))),
            OrderedList((ListItem((Paragraph((Text(title),)),)), ListItem((Paragraph((Text(sentence),)),)))))
    return Edition(
        document_id="many-scripts", language=language, source_language=english,
        languages=tuple(parse_language(t) for t in TEXTS), organisation="ICOR", title=title, subtitle=None,
        date=date, date_text=format_date(date, language, numerals), place=None, numerals=numerals,
        punctuation=punctuation(language), body=body, slogans=(Paragraph((Text(f"{title}!"),)),),
        groups=(EditionGroup("signatories", title, "restart", 1, 1, entries),),
    )


# -- a typeset command running in the background ------------------------------------------------


class Running:
    """A ``typeset`` command running in the background, its output read line by line as it comes."""

    def __init__(self, *args: str | Path, python_flags: tuple[str, ...] = ()) -> None:
        self.process = subprocess.Popen([sys.executable, *python_flags, "-m", "typeset", *map(str, args)], cwd=REPO,
                                        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        self.lines: queue.Queue[str] = queue.Queue()
        self.stderr = ""
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.put(line.rstrip("\n"))

    def wait_for_line(self, pattern: str, timeout: float = 120) -> re.Match[str]:
        """The first line of output from now on that matches ``pattern``."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                line = self.lines.get(timeout=max(0.01, deadline - time.monotonic()))
            except queue.Empty:
                self.stop()
                raise AssertionError(f"no line matching {pattern!r} in {timeout} s; stderr:\n{self.stderr}") from None
            found = re.search(pattern, line)
            if found:
                return found

    def interrupt(self) -> int:
        """Ctrl-C; the exit code."""
        self.process.send_signal(signal.SIGINT)
        _, self.stderr = self.process.communicate(timeout=30)
        return self.process.returncode

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        _, self.stderr = self.process.communicate(timeout=30)


def narrow_layout(root: Path, margins: str = "15mm 14mm 18mm", css: str = "") -> Path:
    """A copy of the resolution layout in ``root`` on A5 with ``margins`` and two narrow columns
    of 12 pt text (about 28 characters a line: many lines end inside a word), and ``css`` after
    its print.css."""
    layout = root / "narrow"
    shutil.copytree(REPO / "layouts" / "resolution", layout)
    toml = layout / "layout.toml"
    settings = toml.read_text(encoding="utf-8")
    assert 'A5 = "15mm 14mm 18mm"' in settings, "the resolution layout's A5 margins changed: update the test"
    toml.write_text(settings.replace('paper = "A4"', 'paper = "A5"')
                    .replace('A5 = "15mm 14mm 18mm"', f'A5 = "{margins}"'), encoding="utf-8")
    with (layout / "print.css").open("a", encoding="utf-8") as sheet:
        sheet.write(f"\nhtml {{ font-size: 12pt; }}\n.text {{ columns: 2; column-gap: 6mm; }}\n{css}\n")
    return layout
