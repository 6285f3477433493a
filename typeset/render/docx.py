"""DOCX: an edition as a Word document built on the layout's style template.

In: an :class:`~typeset.model.edition.Edition` and a :class:`~typeset.render.RenderContext`
(the layout names the template, ``reference.docx``, read through the World). Out: the bytes
of a .docx in which every paragraph and run carries a named style of the template (bold and
italic are the Strong and Emphasis styles; direct formatting only for the fonts, language and
direction of a script), signatory numbers are live Word numbering — groups that continue one
another share one list, so Word renumbers when a name is inserted, and the Signatory style
itself numbers a paragraph given it — where the edition counts in Latin digits (other digits are
written as text: no number format gives them in both Word and LibreOffice), headings are
bookmarked (links to ``#group-…`` go there), the footer numbers pages with the layout's label
("Seite 1 von 3") and live fields, and the bundled faces the text uses are embedded, subset
(:mod:`typeset.render.docx_fonts`; ``RenderOptions.docx_embed_fonts``).
Rendering the same edition twice gives the same bytes, and the time grows linearly with the
number of signatories (paragraphs and runs are added with lxml beside the final section
properties, found once).

Every text is split into runs of one script (:func:`typeset.model.scripts.script_runs`). Word
formats a run's characters with one of four font slots — ``ascii``/``hAnsi`` (Latin, Greek,
Cyrillic, Georgian …), ``eastAsia`` (Han, kana, Hangul) and ``cs`` (Arabic, Hebrew, the Indic
scripts, Thai …) — and reads its language from the ``w:lang`` attribute of that slot
(``val``, ``eastAsia``, ``bidi``). The document defaults carry the edition's language and its
East Asian and complex-script families; each run sets the slot its script needs when that
differs from what its styles give, with ``w:hint`` so that the punctuation it shares with other
scripts takes the same font, its language, and ``w:rtl`` when its script is right to left.
Right-to-left editions have ``w:bidi`` paragraphs and sections; a run whose direction is not
the paragraph's gets a directional mark where it ends in a neutral character, so that "CPSA
(ML)" keeps its parenthesis in an Arabic paragraph. A span of the text (``[text]{lang=fa}``) gives
its runs its language, in the attribute and with the font slot of their script; a div
(``::: {lang=fa}``) gives its paragraphs its language and direction — ``w:bidi`` when it is right
to left. Arabic script is aligned at the start instead of justified, as in the PDF (the layout's
``justify_arabic_script``): in an edition in it, by its own styles; in a div, on its paragraphs
(and a div in another script in such an edition is justified again). A character
the family of its slot lacks (a parenthesis in Arabic, which Noto Naskh Arabic has not) goes into
a run of its own that names
a family of the language's stack that has it: a reader with only the embedded fonts never falls
back from one of them to another.

No run gets what its family has no face for, nor letter-spacing between letters that join:
Word and LibreOffice slant or embolden a face that lacks italic or bold (no bundled Arabic,
Hebrew or Indic family has an italic) and letter-space Arabic apart, which the PDF never does.
The template's styles are resolved for every run, as Word does, and a toggle or a spacing that
would do so is turned off on the run (``<w:iCs w:val="0"/>``, ``<w:spacing w:val="0"/>``);
the edition's own styles lose them too where its complex-script family lacks the face, or, in
an edition whose script joins, any letter-spacing (so text a translator types is set right).
A place name of the other direction than the date line's stands between marks of the line's
direction, as a page label of the other direction does in the footer, each number of it between
marks of its own: the day of a date never joins a Latin place name in a Persian line.

This module speaks python-docx; the raw XML it needs beyond that is in
:mod:`typeset.render._ooxml`.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from functools import cache
from io import BytesIO
from pathlib import Path
from zipfile import BadZipFile

from docx import Document
from docx.document import Document as DocxDocument
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.exceptions import PackageNotFoundError
from docx.opc.part import XmlPart
from docx.oxml.ns import qn
from fontTools import unicodedata as ucd
from fontTools.ttLib import TTFont
from lxml import etree

from typeset.errors import RenderError
from typeset.fonts import FontSet
from typeset.model.document import (
    Block,
    BlockQuote,
    BulletList,
    Code,
    CodeBlock,
    Div,
    Emphasis,
    Heading,
    Inline,
    LineBreak,
    Link,
    ListItem,
    OrderedList,
    Paragraph,
    Phrase,
    Slogan,
    Span,
    Strong,
    Text,
    ThematicBreak,
    plain_text,
)
from typeset.model.edition import Edition, EditionEntry, EditionGroup
from typeset.model.language import Direction, Language
from typeset.model.localize import digits, to_digits
from typeset.model.scripts import EAST_ASIAN, SA_SCRIPTS, Slot, script_runs, slot
from typeset.render import RenderContext, _ooxml, docx_fonts
from typeset.render.css import UNJUSTIFIED_SCRIPTS
from typeset.render.typography import printed

PARAGRAPH_STYLES = (
    "Organisation", "Title", "Subtitle", "Date Line", "Body Text", "Heading 2", "Heading 3", "Heading 4",
    "List Bullet", "List Number", "List Continue", "List Continue 2", "List Continue 3", "Quote",
    "HTML Preformatted", "Thematic Break", "Slogan", "Signatories Heading", "Signatory",
    "Signatory Unnumbered",
)
CHARACTER_STYLES = ("Abbreviation", "Translation", "Romanization", "Signatory Note", "Strong", "Emphasis",
                    "Hyperlink", "HTML Code")
COLUMN_GAP = round(7 / 25.4 * 1440)  # between signatory columns, in twips: print.css's 7 mm
GAP_PT = 6.0  # the least white space between an abbreviation and the name column, in points


def render(edition: Edition, context: RenderContext) -> bytes:
    edition = printed(edition, context.world)  # quotation marks, apostrophes, bound last lines
    document = _open_template(context)
    _check_styles(document, context.layout.docx_template)
    _ooxml.clear_body(document.element.body)
    scripts = _Scripts(document, edition, context.fonts)
    writer = _Writer(document, edition, scripts, _abbreviation_fits(document, context),
                     justify_arabic_script=bool(context.layout.options.get("justify_arabic_script", False)))
    writer.masthead()
    writer.blocks(edition.body)
    writer.slogans()
    writer.columns(int(context.layout.options.get("signatory_columns", 1)))
    writer.signatories()
    label = context.layout.message("page", edition.language)
    if context.layout.running:
        writer.running(context.layout.running, context.layout.running_first, label)
    else:
        writer.footers(label)
    if edition.direction == "rtl":
        _ooxml.sections_bidi(document.element.body)
    _fonts(document, context, digits(edition.numerals) if edition.numerals != "latn" else "")
    _set_properties(document, edition, context.build_time)
    if edition.language.script in EAST_ASIAN:  # "），": the PDF and HTML set such pairs in half width
        _ooxml.settings_compress_punctuation(document.settings.element)
    out = BytesIO()
    document.save(out)
    return _ooxml.repack(out.getvalue(), context.build_time)


#: What a layout's Word template may unpack to, in all: Word's own templates are under 100 KiB, a
#: template with embedded fonts a few MiB. A zip bomb (a few KiB that unpack to gigabytes) is refused.
TEMPLATE_UNPACKED_BYTES = 64 * 1024 * 1024
_DECLARATION = re.compile(rb"<!(DOCTYPE|ENTITY)", re.IGNORECASE)


def _open_template(context: RenderContext) -> DocxDocument:
    path = context.layout.path(context.layout.docx_template)
    data = context.world.read_bytes(path)
    _check_package(path, data)
    try:
        return Document(BytesIO(data))
    except (BadZipFile, PackageNotFoundError, KeyError, ValueError, SyntaxError) as error:
        raise RenderError(f"{path}: not a Word document ({error})",
                          hint="save the template from Word as .docx, or run tools/make_reference_docx.py") from None


def _check_package(path: Path, data: bytes) -> None:
    """Refuse a template that unpacks to more than :data:`TEMPLATE_UNPACKED_BYTES` or whose XML
    declares a document type or entities (Word never writes them; they are how external entities and
    entity expansion reach an XML parser). A part is never read beyond its declared size, so the
    declared sizes bound what unpacking the template can cost."""
    import zipfile

    try:
        with zipfile.ZipFile(BytesIO(data)) as package:
            parts = package.infolist()
            unpacked = sum(part.file_size for part in parts)
            if unpacked > TEMPLATE_UNPACKED_BYTES:
                raise RenderError(f"{path}: the template unpacks to {unpacked:,} bytes, more than the limit of "
                                  f"{TEMPLATE_UNPACKED_BYTES:,}",
                                  hint="a Word template is a few hundred KiB; save it again from Word")
            for part in parts:
                if part.filename.endswith((".xml", ".rels")) and _DECLARATION.search(package.read(part)):
                    raise RenderError(f"{path}: {part.filename} declares a document type or entities",
                                      hint="Word never writes them; save the template again from Word")
    except (BadZipFile, zipfile.LargeZipFile, NotImplementedError, OSError) as error:
        raise RenderError(f"{path}: not a Word document ({error})",
                          hint="save the template from Word as .docx, or run tools/make_reference_docx.py") from None


def _check_styles(document: DocxDocument, template: str) -> None:
    names = {style.name for style in document.styles}
    missing = [name for name in (*PARAGRAPH_STYLES, *CHARACTER_STYLES) if name not in names]
    if missing:
        raise RenderError(
            f"the layout's {template} lacks the style{'s' if len(missing) > 1 else ''} {', '.join(missing)}",
            hint="add them in Word, or start again from tools/make_reference_docx.py",
        )


# -- scripts: Word's font slots and languages -----------------------------------------------

# The ``w:lang`` attribute that holds the language of the text of each slot.
LANGUAGE_ATTRIBUTE = {Slot.LATIN: "val", Slot.EAST_ASIAN: "eastAsia", Slot.COMPLEX: "bidi"}
# List numbers in another numbering system than Latin digits are text, not Word numbering:
# ST_NumberFormat (ECMA-376 Part 1 §17.18.59) has formats for Devanagari and Thai digits only
# (hindiNumbers, thaiNumbers), and LibreOffice 7.4 reads those and a custom w:format as decimal
# (its writerfilter maps no more) and, with its default numerals option, draws ASCII digits for
# all: docs/docx.md has what each shows, and how that was checked.
# Scripts Word sets with the Latin slots (``ascii``/``hAnsi``) but LibreOffice with the complex
# one (its script classes by Unicode block, and by script for the blocks it does not list:
# Tifinagh, Ol Chiki and Javanese are complex there): their runs name their family in both.
LIBREOFFICE_COMPLEX = frozenset({"Ethi", "Mong", "Tfng", "Olck", "Java"})
LRM, RLM = "\u200e", "\u200f"
# The toggles that make a run of each kind of script bold and italic, with the slot whose
# family draws it: complex scripts have their own (``w:bCs``, ``w:iCs``); Ethiopic and
# Mongolian are set with the Latin slot in Word and with the complex one in LibreOffice.
_TOGGLES = {Slot.LATIN: (("ascii", "b", "i"),), Slot.EAST_ASIAN: (("eastAsia", "b", "i"),),
            Slot.COMPLEX: (("cs", "bCs", "iCs"),)}
_BOTH_TOGGLES = (("ascii", "b", "i"), ("cs", "bCs", "iCs"))
NOT_DRAWN = frozenset({"Cc", "Cf", "Zl", "Zp"})  # Unicode categories no font needs a glyph for


def _direction(script: str) -> Direction:
    return "rtl" if ucd.script_horizontal_direction(script, "LTR") == "RTL" else "ltr"


def _slot(script: str) -> Slot:
    """Word's slot for a script's text: right-to-left text is always complex."""
    return Slot.COMPLEX if _direction(script) == "rtl" else slot(script)


def _complex(script: str) -> bool:
    """Whether a script's letters join or form clusters (Arabic, Hebrew, the Indic scripts,
    Thai, Ethiopic …) in Word or LibreOffice: letter-spacing pulls them apart, as the PDF
    edition never does."""
    return _slot(script) is Slot.COMPLEX or script in LIBREOFFICE_COMPLEX


def _toggles(script: str) -> tuple[tuple[str, str, str], ...]:
    """``(slot, bold toggle, italic toggle)`` for each slot that may draw a run of ``script``."""
    return _BOTH_TOGGLES if script in LIBREOFFICE_COMPLEX else _TOGGLES[_slot(script)]


def _text_direction(text: str) -> Direction | None:
    """The direction of the first strong letter of ``text`` (None if it has none)."""
    for char in text:
        kind = unicodedata.bidirectional(char)
        if kind == "L":
            return "ltr"
        if kind in ("R", "AL"):
            return "rtl"
    return None


def _east_asian_script(language: Language, script: str | None = None) -> str:
    """The script whose face sets a language's East Asian text: Japanese for ``ja``, Korean for
    ``ko``, Traditional Chinese for ``zh-Hant`` (and Taiwan, Hong Kong, Macao), else Simplified."""
    if language.language == "ja":
        return "Jpan"
    if language.language == "ko":
        return "Kore"
    if script in ("Hira", "Kana", "Hang", "Bopo"):  # kana in a name of another language: still a Japanese face
        return script
    if language.script == "Hant" or language.region in ("TW", "HK", "MO"):
        return "Hant"
    return "Hans"


def _language_attributes(language: Language) -> dict[str, str]:
    """``w:lang`` for text in ``language``: ``val`` always, ``eastAsia`` and ``bidi`` when its
    script is set in those slots."""
    attributes = {"val": language.tag}
    kind = _slot(language.script)
    if kind is not Slot.LATIN:
        attributes[LANGUAGE_ATTRIBUTE[kind]] = language.tag
    return attributes


@dataclass(frozen=True, slots=True)
class _Look:
    """The direct formatting one script run needs beyond its styles."""

    fonts: tuple[tuple[str, str], ...]
    hint: str | None
    language: tuple[tuple[str, str], ...]
    rtl: bool
    bold: tuple[str, ...] = ("b", "bCs")  # the toggles that make it bold with a real face
    italic: tuple[str, ...] = ("i", "iCs")  # … italic
    off: tuple[str, ...] = ()  # toggles its styles turn on for a face its family lacks
    untracked: bool = False  # its styles letter-space text whose letters join


class _Scripts:
    """Which family each of Word's four font slots takes for a script run, and its language.

    The document defaults carry the edition's language and its East Asian and complex-script
    families; a run gets a slot only where its script and language need another family than
    its styles give (``ascii``/``hAnsi`` for Latin-slot scripts other than Latin — Latin text
    keeps the style's font —, ``eastAsia`` for East Asian text and text in an East Asian
    language, ``cs`` for complex scripts), so the XML stays small but no non-Latin run is left
    to a font that lacks it. The role (serif or sans) follows the style's font.
    """

    def __init__(self, document: DocxDocument, edition: Edition, fonts: FontSet) -> None:
        self.styles = document.styles.element
        self.fonts = fonts
        self.edition = edition
        self._families: dict[tuple[str, str, str], str | None] = {}
        self._bases: dict[tuple[str | None, str | None], dict[str, str | None]] = {}
        self._looks: dict[tuple[str, str, str | None, str | None], _Look] = {}
        self._covered: dict[tuple[str, str], bool] = {}
        self._has: dict[str, set[str]] = {}  # per family, characters it is known to have
        self._fallbacks: dict[tuple[str, str, str], str | None] = {}
        self.sans = self.family("sans", edition.language, "Latn")
        language = edition.language
        _ooxml.default_language(self.styles, _language_attributes(language))
        defaults = {}
        east_asian = self.family("serif", language, _east_asian_script(language))
        if east_asian:
            defaults["eastAsia"] = east_asian
        if _slot(language.script) is Slot.COMPLEX:
            complex_family = self.family("serif", language, language.script)
            if complex_family:
                defaults["cs"] = complex_family
        _ooxml.default_fonts(self.styles, defaults)
        self.languages = _ooxml.default_languages(self.styles)
        self._faces: dict[tuple[str | None, str], bool] = {}
        self._plain_styles()
        self.chains = docx_fonts.Styles(self.styles)

    def has_face(self, family: str | None, kind: str) -> bool:
        """Whether a family has a real ``bold`` or ``italic`` face (a family typeset does not
        ship is taken to have both: the reader's machine may)."""
        key = (family, kind)
        if key not in self._faces:
            try:
                faces = self.fonts.family(family).faces if family else None
            except KeyError:
                faces = None
            self._faces[key] = faces is None or any(
                face.style == "italic" if kind == "italic" else face.weight >= 600 for face in faces)
        return self._faces[key]

    def _plain_styles(self) -> None:
        """Take from the styles what they would do to complex-script text that no face of its
        family does: Word and LibreOffice slant or embolden a face that has no italic or bold
        (no bundled Arabic, Hebrew or Indic family has an italic), as the PDF never does. A
        style that turns ``w:iCs`` or ``w:bCs`` on for a complex-script family without such a
        face turns it off; in an edition whose own script joins or forms clusters, no style
        letter-spaces (the PDF tracks only Latin, Greek and Cyrillic editions). Whatever
        a translator then types in such a style is set right too; every run typeset writes is
        checked again by :meth:`_look`, whatever the template."""
        chains = docx_fonts.Styles(self.styles)
        tracked = not _complex(self.edition.language.script)
        changes: list[tuple[str | None, list[str], bool]] = []
        for style_id in (None, *_ooxml.style_ids(self.styles)):
            own = chains.defaults if style_id is None else {**chains.defaults, **chains.chain(style_id)}
            # "cs" is a family name (str) or absent
            off = [toggle for toggle, kind in (("bCs", "bold"), ("iCs", "italic"))
                   if own.get(f"{toggle}?") and not self.has_face(own.get("cs"), kind)]  # type: ignore[arg-type]
            changes.append((style_id, off, not tracked and bool(own.get("spacing"))))
        for style_id, off, untrack in changes:
            if off or untrack:
                rpr = _ooxml.style_rpr(self.styles, style_id)
                if rpr is not None:
                    _ooxml.toggles_off(rpr, off)
                    if untrack:
                        _ooxml.letter_spacing(rpr, 0)

    def family(self, role: str, language: Language, script: str) -> str | None:
        """The bundled family for ``script`` in ``language``; the serif one if the role has
        none of its own (a sans stack ends in the serif families, but ``family_for_script``
        would take the first of them with the script — Naskh — over the one the language
        prefers — Nastaliq for Urdu)."""
        key = (role, language.tag, script)
        if key not in self._families:
            found = self.fonts.family_for_script(role, language, script)
            if role != "serif" and (found is None or found.role != role):
                found = self.fonts.family_for_script("serif", language, script) or found
            self._families[key] = found.name if found is not None else None
        return self._families[key]

    def covers(self, family: str, char: str) -> bool:
        """Whether a bundled family has ``char`` (a family typeset does not ship is taken to
        have everything; tabs, line feeds and format characters such as bidi marks are not
        drawn)."""
        key = (family, char)
        found = self._covered.get(key)
        if found is None:
            try:
                found = unicodedata.category(char) in NOT_DRAWN or self.fonts.covers(family, char)
            except KeyError:
                found = True
            self._covered[key] = found
        return found

    def digit_family(self, language: Language, system: str) -> str | None:
        """The first family of the language's stack with both the ASCII digits and those of
        ``system`` (None for Latin digits, or if none has both: Noto Serif Thai has no ASCII
        digits)."""
        if system == "latn":
            return None
        wanted = "0123456789" + digits(system)
        for family in self.fonts.stack("serif", language):
            if all(self.covers(family, char) for char in wanted):
                return family
        return None

    def fallback(self, role: str, language: Language, char: str) -> str | None:
        """The first family of the language's stack that has ``char``."""
        key = (role, language.tag, char)
        if key not in self._fallbacks:
            found = self.fonts.resolve(role, language, char)
            self._fallbacks[key] = found.name if found is not None else None
        return self._fallbacks[key]

    def pieces(self, text: str, script: str, language: Language, paragraph_style: str | None,
               run_style: str | None, look: _Look) -> list[tuple[str, _Look]]:
        """``text`` split where the family its slot resolves to lacks a character, each piece
        the family lacks given, in that slot, the first family of the language's stack that
        has it: a reader without our fonts has only the embedded ones, and never falls back
        from one of them to another (a parenthesis in an Arabic run, a bullet in Thai)."""
        kind = Slot.COMPLEX if look.rtl else _slot(script)
        slots = {Slot.COMPLEX: ("cs",), Slot.EAST_ASIAN: ("eastAsia",), Slot.LATIN: ("ascii", "hAnsi")}[kind]
        family = dict(look.fonts).get(slots[0]) or self.base(paragraph_style, run_style).get(slots[0])
        if family is None:
            return [(text, look)]
        chars = set(text)
        known = self._has.setdefault(family, set())
        if chars <= known:
            return [(text, look)]
        if all(self.covers(family, char) for char in chars):
            known |= chars
            return [(text, look)]
        role = "sans" if self.sans is not None and self.base(paragraph_style, run_style).get("ascii") == self.sans \
            else "serif"
        pieces: list[tuple[str, str]] = []  # (text, family)
        for char in text:
            wanted = family
            if pieces and unicodedata.category(char) == "Cf":  # a bidi mark stays with what it follows
                wanted = pieces[-1][1]
            elif not self.covers(family, char):
                wanted = self.fallback(role, language, char) or family
            if pieces and pieces[-1][1] == wanted:
                pieces[-1] = (pieces[-1][0] + char, wanted)
            else:
                pieces.append((char, wanted))
        out = []
        for piece, wanted in pieces:
            if wanted == family:
                out.append((piece, look))
            else:
                fonts = {**dict(look.fonts), **dict.fromkeys(slots, wanted)}
                ordered = tuple(sorted(fonts.items(), key=lambda item: _ooxml.SLOTS.index(item[0])))
                out.append((piece, replace(look, fonts=ordered)))
        return out

    def base(self, paragraph_style: str | None, run_style: str | None) -> dict[str, str | None]:
        key = (paragraph_style, run_style)
        if key not in self._bases:
            self._bases[key] = _ooxml.effective_fonts(self.styles, paragraph_style, run_style)
        return self._bases[key]

    def look(self, script: str, language: Language, paragraph_style: str | None, run_style: str | None) -> _Look:
        key = (script, language.tag, paragraph_style, run_style)
        if key not in self._looks:
            self._looks[key] = self._look(script, language, paragraph_style, run_style)
        return self._looks[key]

    def _look(self, script: str, language: Language, paragraph_style: str | None, run_style: str | None) -> _Look:
        base = self.base(paragraph_style, run_style)
        role = "sans" if self.sans is not None and base.get("ascii") == self.sans else "serif"
        kind = _slot(script)
        fonts: dict[str, str] = {}

        def want(slots: tuple[str, ...], family: str | None) -> None:
            for name in slots:
                if family is not None and base.get(name) != family:
                    fonts[name] = family

        if kind is Slot.LATIN and script != "Latn":
            want(("ascii", "hAnsi"), self.family(role, language, script))
        if script in LIBREOFFICE_COMPLEX:
            want(("cs",), self.family(role, language, script))
        if kind is Slot.EAST_ASIAN or _slot(language.script) is Slot.EAST_ASIAN:
            want(("eastAsia",), self.family(role, language, _east_asian_script(language, script)))
        if kind is Slot.COMPLEX:
            want(("cs",), self.family(role, language, script))
        attribute = LANGUAGE_ATTRIBUTE[kind]
        languages = {} if self.languages.get(attribute) == language.tag else {attribute: language.tag}
        hint = {Slot.EAST_ASIAN: "eastAsia", Slot.COMPLEX: "cs"}.get(kind)
        # No face its family lacks (bold, italic), no letter-spacing between letters that join:
        # what the styles give, resolved for this run, turned off where it would be synthetic.
        styled = self.chains.merged(paragraph_style, run_style)
        families = {**base, **fonts}
        bold: list[str] = []
        italic: list[str] = []
        off: list[str] = []
        for slot_name, bold_toggle, italic_toggle in _toggles(script):
            for toggle, kind_of_face, wanted in ((bold_toggle, "bold", bold), (italic_toggle, "italic", italic)):
                if self.has_face(families.get(slot_name), kind_of_face):
                    wanted.append(toggle)
                elif styled.get(f"{toggle}?"):
                    off.append(toggle)
        if kind is Slot.COMPLEX:
            # LibreOffice sets the digits and punctuation of a complex-script run with the Latin
            # toggles (Word with the complex ones, by the hint): they follow the letters.
            for latin, complex_toggle in (("b", "bCs"), ("i", "iCs")):
                if styled.get(f"{latin}?") and (complex_toggle in off or not styled.get(f"{complex_toggle}?")):
                    off.append(latin)
        return _Look(tuple(sorted(fonts.items(), key=lambda item: _ooxml.SLOTS.index(item[0]))), hint,
                     tuple(languages.items()), _direction(script) == "rtl", tuple(bold), tuple(italic),
                     tuple(off), _complex(script) and bool(styled.get("spacing")))


def _script_runs(text: str | None, default: str) -> list[tuple[str | None, str]]:
    """:func:`~typeset.model.scripts.script_runs`, with its answer for plain ASCII given at once:
    one Latin run if it has a letter, else one run in ``default`` (most text of a Latin-script
    edition, and so most of a long list)."""
    if not text:
        return [(text, default)]
    if text.isascii():
        return [(text, "Latn" if any(c.isalpha() for c in text) else default)]
    return list(script_runs(text, default))


def _marked(text: str, script: str, paragraph: Direction) -> str:
    """``text`` with a directional mark beside an end that is not a strong letter of its own
    direction, when its direction is not the paragraph's: so that the parentheses of a Latin
    name stay with it in an Arabic paragraph (and an Arabic name's in a Latin one). Spaces at
    the ends stay outside the mark, where they separate the run from its neighbours."""
    direction = _direction(script)
    body = text.strip()
    if direction == paragraph or not body:
        return text
    strong = ("L",) if direction == "ltr" else ("R", "AL")
    # Combining marks and joiners take the direction of the letter they follow.
    classes = [c for c in map(unicodedata.bidirectional, body) if c not in ("NSM", "BN")]
    if not any(c in strong for c in classes):
        return text
    mark = LRM if direction == "ltr" else RLM
    lead, trail = text[:len(text) - len(text.lstrip())], text[len(text.rstrip()):]
    return (lead + (mark if classes[0] not in strong else "") + body
            + (mark if classes[-1] not in strong else "") + trail)


@dataclass(frozen=True, slots=True)
class _Format:
    """How inline content is set: the formatting that nesting adds up."""

    bold: bool = False
    italic: bool = False
    code: bool = False
    link: bool = False
    language: Language | None = None  # a span's; None: the paragraph's


class _Lists:
    """The list instances (``w:num``) of one document, made as the text asks for them."""

    def __init__(self, document: DocxDocument, edition: Edition) -> None:
        self.edition = edition
        self.root = _ooxml.numbering_root(document.part)
        self.styles = document.styles.element
        self.signatory_style = document.styles["Signatory"].style_id
        self.abstract = {name: _ooxml.abstract_id(self.root, name) for name in ("Signatories", "Bullets", "Ordered")}
        self._bullets: dict[Direction, int] = {}
        self._sequences: dict[int, int] = {}
        self._mirrored: dict[str, int] = {}
        self._label_families: tuple[_Scripts, dict[str, str]] | None = None
        # Numbers in other digits than Latin ones are written as text (see :meth:`_Writer.label`).
        self.literal = edition.numerals != "latn"
        if edition.direction == "rtl" and not self.literal:
            for name in ("Signatories", "Ordered"):
                _ooxml.numeral_format(self.root, self.abstract[name], "decimal",
                                      _language_attributes(edition.language), rtl=True)
        if edition.direction == "rtl":
            for abstract in self.abstract.values():
                _ooxml.mirror_label_alignment(self.root, abstract)

    def label_fonts(self, scripts: _Scripts, style_ids: dict[str, str]) -> None:
        """Give a list level the family of its label characters where the paragraph's font
        lacks them (no bundled Arabic face has a bullet; Noto Serif has no Devanagari digits,
        which LibreOffice draws for a Hindi label's ASCII ones when its numerals option is
        "Context"): Word and LibreOffice set a label in the paragraph's font, the ``cs`` one in
        a right-to-left paragraph, unless the level names another. The family taken must have
        every character of the label (Noto Serif Thai has no ASCII digits: a Thai label keeps
        the paragraph's font)."""
        self._label_families = (scripts, style_ids)
        for name, abstract in self.abstract.items():
            self._label_fonts(name, abstract, self.edition.direction)

    def _label_fonts(self, name: str, abstract: int, direction: Direction) -> None:
        if self._label_families is None:
            return
        scripts, style_ids = self._label_families
        slots = ("cs",) if direction == "rtl" else ("ascii", "hAnsi")
        styles = {"Signatories": "Signatory", "Bullets": "List Bullet", "Ordered": "List Number"}
        family = scripts.base(style_ids.get(styles[name]), None).get(slots[0])
        if family is None:
            return
        own = digits(self.edition.numerals) if self.edition.numerals != "latn" else ""
        for level, chars in _ooxml.label_characters(self.root, abstract, own).items():
            missing = [char for char in chars if not scripts.covers(family, char)]
            found = scripts.fonts.resolve("serif", self.edition.language, missing[0]) if missing else None
            if found is not None and all(scripts.covers(found.name, char) for char in chars):
                _ooxml.level_fonts(self.root, abstract, level, dict.fromkeys(slots, found.name))

    def indent(self, name: str, level: int) -> tuple[int, int]:
        """``(left, hanging)`` of a level of the list definition ``name``, in twips."""
        return _ooxml.level_indent(self.root, self.abstract[name], level)

    def bullets(self, direction: Direction) -> int:
        """One instance serves every bullet list of a direction: bullets do not count."""
        if direction not in self._bullets:
            self._bullets[direction] = _ooxml.add_num(self.root, self._abstract("Bullets", direction))
        return self._bullets[direction]

    def ordered(self, level: int, start: int, direction: Direction) -> int:
        """A fresh instance for each ordered list, starting where the text says."""
        return _ooxml.add_num(self.root, self._abstract("Ordered", direction), {level: start})

    def _abstract(self, name: str, direction: Direction) -> int:
        """The abstract numbering for a list in paragraphs of ``direction``: in a div whose
        direction is not the edition's, a copy with its labels aligned the other way."""
        if direction == self.edition.direction:
            return self.abstract[name]
        if name not in self._mirrored:
            self._mirrored[name] = _ooxml.mirrored_copy(self.root, self.abstract[name], f"{name} {direction}")
            self._label_fonts(name, self._mirrored[name], direction)
        return self._mirrored[name]

    def signatories(self, group: EditionGroup) -> int | None:
        """The instance of the group's sequence: groups that continue one another share it."""
        if group.sequence is None:
            return None
        if group.sequence not in self._sequences:
            num = _ooxml.add_num(self.root, self.abstract["Signatories"], {0: group.start})
            if not self._sequences:  # a paragraph given the Signatory style joins the first list
                _ooxml.style_numbering(self.styles, self.signatory_style, num)
            self._sequences[group.sequence] = num
        return self._sequences[group.sequence]


class _Writer:
    def __init__(self, document: DocxDocument, edition: Edition, scripts: _Scripts,
                 fits: Callable[[str], bool] | None, *, justify_arabic_script: bool = False) -> None:
        self.document = document
        self.edition = edition
        self.scripts = scripts
        self.rtl = edition.direction == "rtl"
        # Style ids, looked up once: python-docx looks a name up anew on every use.
        self.ids = {style.name: style.style_id for style in document.styles}
        self.lists = _Lists(document, edition)
        self.lists.label_fonts(scripts, self.ids)
        self.fits = fits
        self.mono = document.styles["HTML Code"].font.name
        self.body = document.element.body
        self.end = document.element.body.find(qn("w:sectPr"))  # the final section: paragraphs go before it
        self.bookmarks = _ooxml.Bookmarks()
        self.styles_of: dict[etree._Element, str] = {}  # the paragraphs made here, and their styles
        # The language and direction of the blocks being written: the edition's, or a div's.
        self.language = edition.language
        self.direction: Direction = edition.direction
        self.directions: dict[etree._Element, Direction] = {}  # paragraphs whose direction is not the edition's
        # Arabic script is set ragged, as the PDF sets it, unless the layout justifies it
        # (layout.toml: justify_arabic_script): Word and LibreOffice fill its lines with kashida.
        # Thai, Lao, Khmer, Burmese … are ragged whatever the layout says, as in the PDF: their
        # lines have spaces only between phrases, and the one or two there would take all the
        # slack (render/css.py). The edition's own styles align at the start, so what a
        # translator types follows; a div in another script gets its alignment on its paragraphs.
        self.unjustified = SA_SCRIPTS | (frozenset() if justify_arabic_script else UNJUSTIFIED_SCRIPTS)
        styles = scripts.styles
        self.justification = {style_id: jc for style_id in _ooxml.style_ids(styles, ("paragraph",))
                              if _ooxml.justified(jc := _ooxml.style_justification(styles, style_id))}
        self.ragged = edition.language.script in self.unjustified
        if self.ragged:
            _ooxml.unjustify_styles(styles)
        self.digit_family = scripts.digit_family(edition.language, edition.numerals)

    @contextmanager
    def within(self, div: Div) -> Iterator[None]:
        """Paragraphs made inside are in the div's language and direction."""
        outer = self.language, self.direction
        self.language, self.direction = div.language, div.direction
        try:
            yield
        finally:
            self.language, self.direction = outer

    # -- paragraphs and runs --------------------------------------------------------------

    def paragraph(self, style: str) -> etree._Element:
        """A new ``w:p`` of ``style`` at the end of the body (before its final section): placed
        beside the section properties found once, since python-docx looks for them anew on
        every paragraph it adds, which makes a long list quadratic."""
        p = _ooxml.paragraph_before(self.body, self.end)
        _ooxml.paragraph_style(p, self.ids[style])
        if self.direction == "rtl":
            _ooxml.paragraph_bidi(p)
        if self.direction != self.edition.direction:
            self.directions[p] = self.direction
        justification = self.justification.get(self.ids[style])  # the template's, where it justifies
        ragged = self.language.script in self.unjustified
        if justification and ragged != self.ragged:  # a div in a script the edition's styles do not fit
            # "left": the start of the paragraph, the right edge of a w:bidi one
            _ooxml.paragraph_justification(p, "left" if ragged else justification)
        self.styles_of[p] = self.ids[style]
        return p

    def run(self, p: etree._Element, text: str | None, *, style: str | None = None,
            language: Language | None = None, form: _Format = _Format()) -> list[etree._Element]:
        """``text`` as runs (``w:r``, appended to ``p``) of one script each, every one with the
        fonts, language and direction its script needs (a text without letters takes the
        language's script)."""
        language = language or self.language
        run_style = self.ids[style] if style else None
        paragraph_style = self.styles_of[p] if p in self.styles_of else _ooxml.paragraph_style_id(p)
        chunks: list[tuple[str | None, str, _Look]] = []
        for chunk, script in _script_runs(text, language.script):
            look = self.scripts.look(script, language, paragraph_style, run_style)
            if chunks and chunks[-1][2] == look and chunk:  # kanji and kana, say: one run
                chunks[-1] = (f"{chunks[-1][0]}{chunk}", chunks[-1][1], look)
            else:
                chunks.append((chunk, script, look))
        pieces: list[tuple[str | None, str, _Look]] = []
        for chunk, script, look in chunks:
            if not chunk:
                pieces.append((chunk, script, look))
                continue
            marked = _marked(chunk, script, self.directions.get(p, self.edition.direction))
            pieces += [(piece, script, piece_look) for piece, piece_look in
                       self.scripts.pieces(marked, script, language, paragraph_style, run_style, look)]
        runs = []
        for chunk, script, look in pieces:
            r = _ooxml.add_run(p, chunk)
            if run_style:
                _ooxml.run_style(r, run_style)
            families = dict(look.fonts)
            if form.code and form.link and self.mono and _slot(script) is Slot.LATIN:
                families.update(ascii=self.mono, hAnsi=self.mono)  # the Hyperlink style does not give the code font
            _ooxml.run_fonts(r, families, look.hint)
            if form.bold and style not in ("Strong",):
                _ooxml.bold(r, look.bold)
            if form.italic and style not in ("Emphasis",):
                _ooxml.italic(r, look.italic)
            _ooxml.toggles_off(r, look.off)
            if look.untracked:
                _ooxml.letter_spacing(r, 0)
            if form.code:
                _ooxml.preserve_space(r)
            if look.language:
                _ooxml.run_language(r, dict(look.language))
            if look.rtl:
                _ooxml.run_rtl(r)
            runs.append(r)
        return runs

    def footers(self, label: str) -> None:
        """The page label of the layout ("Seite {page} von {pages}") in every footer that
        numbers pages, with live PAGE and NUMPAGES fields, in the edition's language."""
        for section in self.document.sections:
            for footer in (section.footer, section.first_page_footer, section.even_page_footer):
                if footer.is_linked_to_previous:
                    continue
                for paragraph in footer.paragraphs:
                    if _ooxml.has_field(paragraph._p, "PAGE"):
                        self.page_label(paragraph._p, label)

    def running(self, running: dict[str, str], first: dict[str, str], label: str) -> None:
        """The layout's running heads and feet (``[pdf.running]``: "{short_title}" at the top
        start, "{organisation} · {date}" and "{page}" at the foot …) as the PDF has them, in the
        header and footer of every section, and on a first page of its own where the layout
        gives the first page other ones (the title page carries no running head)."""
        on_first = {box: text for box, text in {**running, **first}.items() if text}
        for index, section in enumerate(self.document.sections):
            # The title page is the first section's: a later one (the signatories' columns)
            # begins on the page where the one before it ends.
            section.different_first_page_header_footer = on_first != running and index == 0
            width = (section.page_width or 0) - (section.left_margin or 0) - (section.right_margin or 0)
            pages = [(running, section.header, section.footer)]
            if on_first != running and index == 0:
                pages.append((on_first, section.first_page_header, section.first_page_footer))
            for boxes, header, footer in pages:
                for edge, part in (("top", header), ("bottom", footer)):
                    part.is_linked_to_previous = False
                    paragraphs = part.paragraphs
                    for extra in paragraphs[1:]:
                        extra._p.getparent().remove(extra._p)
                    self.running_line(paragraphs[0]._p, self._places(boxes, edge), label, width // 635)

    def _places(self, boxes: dict[str, str], edge: str) -> dict[str, str]:
        """What an edge says at its start, centre and end (a left or right box is the start or
        the end by the edition's direction)."""
        physical = {"left": "start", "right": "end"} if not self.rtl else {"left": "end", "right": "start"}
        places: dict[str, str] = {}
        for box, text in boxes.items():
            where, _, place = box.partition("-")
            if where == edge and place in ("start", "center", "end", "left", "right"):
                places[physical.get(place, place)] = text
        return places

    def running_line(self, p: etree._Element, places: dict[str, str], label: str, width: int) -> None:
        """One running head or foot: start, centre and end apart by tabs (a centre and an end
        tab stop, which a right-to-left paragraph reads from its start), each field of the
        edition set apart from the others as :meth:`isolated` does."""
        edition = self.edition
        _ooxml.clear_runs(p)
        if self.rtl:
            _ooxml.paragraph_bidi(p)
        _ooxml.paragraph_justification(p, "left")
        _ooxml.paragraph_tabs(p, (("center", width // 2), ("right", width)))
        texts = {"title": edition.title, "short_title": edition.short_title, "subtitle": edition.subtitle or "",
                 "organisation": edition.organisation, "date": edition.date_text, "place": edition.place or "",
                 "dateline": edition.date_line}
        for index, place in enumerate(("start", "center", "end")):
            if index:
                self.run(p, "\t")
            for piece in re.split(r"(\{\w+\})", places.get(place, "")):
                name = piece[1:-1] if piece.startswith("{") and piece.endswith("}") else None
                if name == "page":
                    self.page_fields(p, label)
                elif name == "page_number":
                    self.page_fields(p, "{page}")
                elif name == "pages":
                    self.page_fields(p, "{pages}")
                elif name in texts:
                    self.isolated(p, texts[name])
                elif piece:
                    self.run(p, piece)

    def page_label(self, p: etree._Element, label: str) -> None:
        """The label alone, in place of what a paragraph holds."""
        _ooxml.clear_runs(p)
        if self.rtl:
            _ooxml.paragraph_bidi(p)
        self.page_fields(p, label)

    def page_fields(self, p: etree._Element, label: str) -> None:
        """The label with its fields. A label of the other direction than the edition's (the
        English one of a right-to-left language the layout has no words for) stands between
        marks of the edition's direction, and each of its numbers between marks of its own:
        Arabic-Indic digits would otherwise join the paragraph's direction and swap places
        with the words around them."""
        own = _text_direction(re.sub(r"\{pages?\}", "", label)) or self.edition.direction
        apart = own != self.edition.direction
        if apart:
            self.mark(p, self.edition.direction)
        for piece in re.split(r"(\{page\}|\{pages\})", label):
            if piece in ("{page}", "{pages}"):
                # Without a family that has both the edition's digits and ASCII ones (Noto Serif
                # Thai, Noto Sans NKo have no ASCII digits), the field shows ASCII digits, as it
                # does once updated, in a family of the stack that has them: never the machine's.
                shown = to_digits("1", self.edition.numerals) if self.digit_family else "1"
                model = self.run(p, shown)[0]  # formatted as the edition's digits
                p.remove(model)
                if self.digit_family:
                    # Updated, the field shows ASCII digits, which LibreOffice sets in the Latin
                    # slot's family (and draws as the edition's when its numerals option says
                    # so): a family with both.
                    _ooxml.run_fonts(model, {"ascii": self.digit_family, "hAnsi": self.digit_family})
                rpr = model.find(qn("w:rPr"))
                if apart:
                    self.mark(p, own)
                p.extend(_ooxml.field_runs("PAGE" if piece == "{page}" else "NUMPAGES", shown, rpr))
                if apart:
                    self.mark(p, own)
            elif piece:
                self.run(p, piece)
        if apart:
            self.mark(p, self.edition.direction)

    def mark(self, p: etree._Element, direction: Direction) -> None:
        """A directional mark (LRM, RLM) as a run of its own."""
        r = _ooxml.add_run(p, LRM if direction == "ltr" else RLM)
        if direction == "rtl":
            _ooxml.run_rtl(r)

    def isolated(self, p: etree._Element, text: str) -> None:
        """``text`` (a place name, a date) set apart from what stands beside it: a text whose
        direction is not the paragraph's stands between marks of the paragraph's direction,
        which is what Unicode's isolates do and what Word and LibreOffice both read. Without
        them a Latin place name takes the day of the date after it into its own direction in
        a Persian or Hebrew date line ("Geneva, 10 …" shows "… 10 Geneva,")."""
        direction = _text_direction(text)
        if direction is None or direction == self.edition.direction:
            self.run(p, text)
            return
        self.mark(p, self.edition.direction)
        self.run(p, text)
        self.mark(p, self.edition.direction)

    # -- the title block --------------------------------------------------------------------

    def masthead(self) -> None:
        edition = self.edition
        if edition.organisation:
            self.run(self.paragraph("Organisation"), edition.organisation)
        self.inlines(self.paragraph("Title"), edition.title_content)
        if edition.subtitle:
            self.inlines(self.paragraph("Subtitle"), edition.subtitle_content)
        date_line = self.paragraph("Date Line")
        fields = edition.date_line_parts
        if all(_text_direction(field) in (None, edition.direction) for field in fields):
            self.run(date_line, edition.date_line)
            return
        for index, field in enumerate(fields):
            if index:
                self.run(date_line, edition.punctuation.comma)
            self.isolated(date_line, field)

    # -- the text ---------------------------------------------------------------------------

    def blocks(self, blocks: Iterable[Block], depth: int = 0, quote: bool = False) -> None:
        for block in blocks:
            self.block(block, depth, quote)

    def block(self, block: Block, depth: int, quote: bool) -> None:
        match block:
            case Paragraph(children):
                self.inlines(self.paragraph("Quote" if quote else "Body Text"), children)
            case Heading(level, children):
                heading = self.paragraph(f"Heading {min(level + 1, 4)}")
                self.inlines(heading, children)
                self.bookmarks.mark(heading, plain_text(children))
            case BulletList(items):
                self.items(items, "List Bullet", self.lists.bullets(self.direction), depth, quote)
            case OrderedList(items, start):
                num_id = None if self.lists.literal else self.lists.ordered(depth, start, self.direction)
                self.items(items, "List Number", num_id, depth, quote, start)
            case BlockQuote(blocks):
                self.blocks(blocks, depth, quote=True)
            case CodeBlock(text):
                paragraph = self.paragraph("HTML Preformatted")
                for index, line in enumerate(text.rstrip("\n").split("\n")):
                    if index:
                        _ooxml.add_break(self.run(paragraph, None)[0])
                    self.run(paragraph, line, form=_Format(code=True))
            case ThematicBreak():
                self.paragraph("Thematic Break")
            case Div(blocks):
                with self.within(block):
                    self.blocks(blocks, depth, quote)

    def items(self, items: Iterable[ListItem], style: str, num_id: int | None, depth: int, quote: bool,
              start: int = 1) -> None:
        """A list's items; ``num_id`` None: an ordered list whose numbers are written as text."""
        level = min(depth, 8)
        further = "List Continue" if level == 0 else f"List Continue {min(level + 1, 3)}"
        for index, item in enumerate(items):
            blocks = list(item.blocks)
            first = self.paragraph(style)
            if num_id is None:
                self.label(first, "Ordered", level, start + index)
            else:
                _ooxml.number(first, num_id, level)
            lead = blocks[0] if blocks else None
            if isinstance(lead, Paragraph):
                blocks.pop(0)
                self.inlines(first, lead.children)
            for block in blocks:
                if isinstance(block, Paragraph):
                    self.inlines(self.paragraph(further), block.children)
                else:
                    self.block(block, depth + 1, quote)

    def inlines(self, paragraph: etree._Element, nodes: Iterable[Inline],
                form: _Format = _Format()) -> list[etree._Element]:
        runs: list[etree._Element] = []
        for node in nodes:
            match node:
                case Text(text):
                    runs += self.run(paragraph, text, style=self._inline_style(form), language=form.language,
                                     form=form)
                case Code(text):
                    code = replace(form, code=True)
                    runs += self.run(paragraph, text, style=self._inline_style(code), language=form.language,
                                     form=code)
                case Span(children):
                    runs += self.inlines(paragraph, children, replace(form, language=node.language))
                case Emphasis(children):
                    runs += self.inlines(paragraph, children, replace(form, italic=True))
                case Strong(children):
                    runs += self.inlines(paragraph, children, replace(form, bold=True))
                case Link(href, children, title):
                    linked = self.inlines(paragraph, children, replace(form, link=True))
                    elements = linked
                    if href.startswith("#"):  # a place in the document: its bookmark
                        _ooxml.hyperlink(paragraph, None, elements, title, anchor=_ooxml.bookmark_name(href[1:]))
                    else:
                        r_id = self.document.part.relate_to(href, RT.HYPERLINK, is_external=True)
                        _ooxml.hyperlink(paragraph, r_id, elements, title)
                    runs += linked
                case LineBreak():
                    run = self.run(paragraph, None, style=self._inline_style(form), language=form.language,
                                   form=form)[0]
                    _ooxml.add_break(run)
                    runs.append(run)
        return runs

    @staticmethod
    def _inline_style(form: _Format) -> str | None:
        """The character style of inline content: a run has one, so a link keeps Hyperlink
        and code HTML Code, and bold or italic within them is direct formatting."""
        if form.link:
            return "Hyperlink"
        if form.code:
            return "HTML Code"
        return "Strong" if form.bold else "Emphasis" if form.italic else None

    # -- slogans and signatories ------------------------------------------------------------

    def slogans(self) -> None:
        for slogan in self.edition.slogans:
            self.slogan(slogan)

    def slogan(self, slogan: Slogan) -> None:
        if isinstance(slogan, Div):
            with self.within(slogan):
                for block in slogan.blocks:
                    if isinstance(block, Paragraph | Div):
                        self.slogan(block)
        else:
            self.inlines(self.paragraph("Slogan"), slogan.children)

    def columns(self, count: int) -> None:
        """The signatories in ``count`` columns, as the PDF sets them (layout.toml's
        ``signatory_columns``, print.css's column gap and rule): a continuous section break
        after the text, so that the list flows in columns below it on the same page."""
        if count < 2 or not any(group.entries for group in self.edition.groups):
            return
        last = self.end.getprevious()
        if last is None or last.tag != qn("w:p"):  # a table, or nothing: the break needs a paragraph
            last = _ooxml.paragraph_before(self.body, self.end)
        _ooxml.columns_from(last, self.end, count, COLUMN_GAP)

    def signatories(self) -> None:
        for group in self.edition.groups:
            if group.heading:
                heading = self.paragraph("Signatories Heading")
                self.run(heading, group.heading)
                self.bookmarks.mark(heading, f"group-{group.id}", exact=True)  # as the HTML edition's id
            numbered = group.sequence is not None
            num_id = None if self.lists.literal else self.lists.signatories(group)
            for entry in group.entries:
                paragraph = self.paragraph("Signatory" if numbered else "Signatory Unnumbered")
                if num_id is not None:
                    _ooxml.number(paragraph, num_id)
                elif numbered and entry.number is not None:
                    self.label(paragraph, "Signatories", 0, entry.number)
                self.signatory(paragraph, entry)

    def label(self, p: etree._Element, name: str, level: int, number: int) -> None:
        """A list number written as text in the edition's digits, where its list definition
        would put it: Word counts in Devanagari and Thai digits only, and LibreOffice 7.4 in
        none but ASCII ones (it reads hindiNumbers, thaiNumbers and every other format that
        counts in digits as decimal) unless its numerals option is changed; as text, both show
        what the PDF does, in a face that has the digits. A signatory's number ends where the
        level would right-align it (a tab stop of that alignment), and a tab goes on to the
        abbreviation; an ordered item's starts the line, and a tab goes on to the text, at the
        hanging indent. A number inserted later is the editor's to write."""
        left, hanging = self.lists.indent(name, level)
        shown = f"{to_digits(str(number), self.edition.numerals)}."  # the PDF's marker: a full stop in every script
        if name == "Signatories":
            _ooxml.literal_label(p, left, left, (("right", left - hanging),))
            self.run(p, f"\t{shown}\t")
        else:
            _ooxml.literal_label(p, left, hanging, (("left", left),))
            self.run(p, f"{shown}\t")

    def signatory(self, paragraph: etree._Element, entry: EditionEntry) -> None:
        """``ABBR⇥Name (romanized) (translation), country — note``, every part in its language."""
        if entry.abbreviation:
            self.run(paragraph, entry.abbreviation.text, style="Abbreviation", language=entry.abbreviation.language)
        if self.fits is None:  # no name column: the name follows the abbreviation, if any
            if entry.abbreviation:
                self.run(paragraph, " ")
        elif entry.abbreviation is None or self.fits(entry.abbreviation.text):
            self.run(paragraph, "\t")
        else:  # too wide for its column: the name follows it on its line, as in the PDF
            self.run(paragraph, " ")
        self.phrase(paragraph, entry.name)
        marks = self.edition.punctuation
        space = getattr(marks, "space", " " if marks.open == "(" else "")  # none before a full-width（
        for part, style in ((entry.romanized, "Romanization"), (entry.translation, "Translation")):
            if part is not None:
                self.run(paragraph, f"{space}{marks.open}")
                self.phrase(paragraph, part, style)
                self.run(paragraph, marks.close)
        if entry.country:
            self.run(paragraph, f"{marks.comma}{entry.country}")
        if entry.note:
            self.run(paragraph, " \u2014 ")
            self.run(paragraph, entry.note, style="Signatory Note")

    def phrase(self, paragraph: etree._Element, phrase: Phrase, style: str | None = None) -> None:
        self.run(paragraph, phrase.text, style=style, language=phrase.language)


# -- the abbreviation column --------------------------------------------------------------------


def _abbreviation_fits(document: DocxDocument, context: RenderContext) -> Callable[[str], bool] | None:
    """Whether an abbreviation leaves room before the name column (the Signatory style's
    second tab stop), measured with the bundled face of the Abbreviation style's font.

    When the template's font is not bundled, or the style has no column, every abbreviation
    is taken to fit and gets its tab. None where the style's wrapped lines start at its one tab
    stop, the abbreviation's (a narrow column, as the leaflet's): there is no name column, and
    the name follows the abbreviation on its line.
    """
    signatory = document.styles["Signatory"]
    abbreviation = document.styles["Abbreviation"]
    stops = [stop.position for stop in signatory.paragraph_format.tab_stops]
    if len(stops) == 1 and stops[0] == signatory.paragraph_format.left_indent:
        return None
    size = abbreviation.font.size or signatory.font.size
    family = abbreviation.font.name or signatory.font.name or _ooxml.default_font(document.styles.element)
    face = _bold_face(context, family) if family else None
    if len(stops) < 2 or size is None or face is None:
        return lambda text: True
    room: float = (stops[1] - stops[0]) / 12700 - GAP_PT  # EMU to points
    points: float = size.pt
    widths = _advances(context.world.read_bytes(face))

    def fits(text: str) -> bool:
        return sum(widths(ch) for ch in text) * points <= room

    return fits


def _bold_face(context: RenderContext, family: str) -> Path | None:
    try:
        faces = context.fonts.family(family).faces
    except KeyError:
        return None
    bold = [face for face in faces if face.weight >= 600 and face.style == "normal"]
    return bold[0].path if bold else None


@cache
def _advances(font: bytes) -> Callable[[str], float]:
    """Advance widths in em of the characters of one font (unknown ones count as 0.6 em)."""
    ttf = TTFont(BytesIO(font), lazy=True)
    cmap, metrics, units = ttf.getBestCmap(), ttf["hmtx"], ttf["head"].unitsPerEm
    return lambda ch: metrics[cmap[ord(ch)]][0] / units if ord(ch) in cmap else 0.6


# -- fonts ----------------------------------------------------------------------------------------

# Word's character set of a font (``w:charset``, a Windows charset number in hex) by the
# script or language a bundled family is for; every other family is "00" (ANSI).
CHARSETS = {"ja": "80", "ko": "81", "Hans": "86", "Hani": "86", "Hant": "88", "Hebr": "B1", "Arab": "B2",
            "ur": "B2", "Thai": "DE"}


def _charset(fonts: FontSet, name: str) -> str:
    try:
        family = fonts.family(name)
    except KeyError:
        return "00"
    return next((CHARSETS[k] for k in (*family.languages, *family.scripts) if k in CHARSETS), "00")


def _fonts(document: DocxDocument, context: RenderContext, label_digits: str = "") -> None:
    """List every family the text names in the font table; unless the options say not to,
    embed the bundled faces it uses, subset to the characters each draws (list labels may
    show ``label_digits`` too: the edition's)."""
    part = document.part
    parts = [document.element.body] + [
        rel.target_part.element for _, rel in sorted(part.rels.items())
        if not rel.is_external and rel.reltype in (RT.HEADER, RT.FOOTER)
    ]
    try:
        related = part.part_related_by(RT.NUMBERING)
    except KeyError:
        related = None
    numbering = related.element if isinstance(related, XmlPart) else None
    usage = docx_fonts.characters_by_face(document.styles.element, parts, numbering, label_digits)
    table = _ooxml.font_table(part)
    for family in sorted({family for family, _, _ in usage.faces}):
        _ooxml.font_entry(table.element, family, _charset(context.fonts, family))
    if not context.options.docx_embed_fonts:
        return
    embedded = docx_fonts.embed(usage, context.fonts, context.world.read_bytes)
    for font in embedded:
        _ooxml.embed_font(table, font.family, font.kind, font.data, font.key, subsetted=font.subset,
                          charset=_charset(context.fonts, font.family))
    if embedded:
        _ooxml.settings_embed_fonts(document.settings.element, any(font.subset for font in embedded))


# -- document properties ------------------------------------------------------------------------


def _set_properties(document: DocxDocument, edition: Edition, build_time: dt.datetime) -> None:
    when = build_time.astimezone(dt.UTC).replace(tzinfo=None)
    properties = document.core_properties
    properties.title = edition.title
    properties.subject = edition.subject
    properties.author = edition.organisation
    properties.last_modified_by = edition.organisation
    properties.language = edition.language.tag
    properties.keywords = edition.keyword_line
    properties.identifier = f"{edition.document_id}.{edition.language.tag}"
    for stale in ("comments", "category", "content_status", "version"):  # the template's own, if any
        if getattr(properties, stale):
            setattr(properties, stale, "")
    properties.revision = 1
    properties.created = when
    properties.modified = when
    properties.last_printed = when
