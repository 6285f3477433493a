"""The DOCX editions as a translator gets them: opened by LibreOffice on a machine without our
fonts, and edited.

Every DOCX edition of every example, built by the real command line, is laid out by LibreOffice
(headless) with a fontconfig configuration that lists DejaVu only: no glyph may be missing, the
numbers 1..N must stand beside the right names, and the only fonts drawing must be the ones the
DOCX embeds — DejaVu drawing anything would mean an embedded font was not used. Then a
signatory is inserted the way a translator would, the document is saved through LibreOffice,
and the list must renumber itself.
"""

from __future__ import annotations

import re
import shutil
import unicodedata
from pathlib import Path

import pytest
from docx import Document

from tests.conftest import EXAMPLES, examples, run_typeset
from tests.docxcheck import embedded_fonts, fonts_drawing, numbered_lines
from tests.libreoffice import libreoffice_convert
from tests.pdfcheck import assert_print_ready
from typeset.model import make_edition
from typeset.model.edition import Edition, EditionEntry
from typeset.source import load_document
from typeset.world import World

pytestmark = pytest.mark.slow

LEFT_TO_RIGHT_SCRIPTS = ("LATIN", "CYRILLIC", "GREEK")


def _needs_libreoffice() -> None:
    if not shutil.which("soffice"):
        pytest.skip("needs LibreOffice (soffice)")


@pytest.fixture(scope="module")
def editions(tmp_path_factory: pytest.TempPathFactory) -> list[tuple[Edition, Path]]:
    """Every DOCX edition of every example, from one real build, with the edition it holds."""
    _needs_libreoffice()
    out = tmp_path_factory.mktemp("docx")
    run_typeset("build", EXAMPLES, "--format", "docx", "--out", out, check=True)
    found = []
    for example in examples():
        document = load_document(example.path, World([])).document
        assert document is not None
        for tag in example.languages:
            path = out / example.id / f"{example.id}.{tag}.docx"
            assert path.is_file(), path
            found.append((make_edition(document, tag), path))
    return found


def _marker(entry: EditionEntry) -> str | None:
    """A word of the entry that comes out of a PDF as it was written: its abbreviation, else the
    first word of a left-to-right alphabetic part (name, romanization, translation)."""
    if entry.abbreviation is not None:
        return _squash(entry.abbreviation.text)
    for phrase in (entry.name, entry.romanized, entry.translation):
        if phrase is None:
            continue
        word = next((w for w in phrase.text.split() if len(_squash(w)) >= 3), None)
        if word and all(unicodedata.name(c, "").startswith(LEFT_TO_RIGHT_SCRIPTS) for c in _squash(word)):
            return _squash(word)
    return None


def _squash(text: str) -> str:
    """Letters and digits only, compatibility forms (Arabic presentation forms) undone."""
    return "".join(c for c in unicodedata.normalize("NFKC", text) if c.isalnum())


def _check_numbers(edition: Edition, pdf: Path) -> list[str]:
    """The numbers 1..N in order, each on the line of its entry's first words, the text after
    them in one or two columns (the abbreviation's, the name's), the unnumbered entries without
    one. Returns what is wrong."""
    lines = numbered_lines(pdf, rtl=edition.direction == "rtl")
    problems = []
    entries = [e for e in edition.entries if e.number is not None]
    wanted = [e.number for e in entries]
    at = [i for i, line in enumerate(lines) if line.number is not None]
    shown = [lines[i].number for i in at]
    if shown[-len(wanted):] != wanted:  # the signatories close the document: their numbers come last
        return [f"numbers {shown} end otherwise than {wanted}"]
    at = at[-len(wanted):] + [len(lines)]
    for k, entry in enumerate(entries):
        chunk = _squash("".join(line.text for line in lines[at[k]:at[k + 1]]))
        marker = _marker(entry)
        if marker is not None and marker not in chunk:
            problems.append(f"{entry.number}: {marker!r} is not beside its number")
    starts = sorted({round(lines[i].start) for i in at[:-1]})
    # Within 6 pt: a Nastaliq line's drawn edge stands a few points off its advance.
    columns = [s for i, s in enumerate(starts) if i == 0 or s - starts[i - 1] > 6]
    if len(columns) > 2:
        problems.append(f"the text after the numbers starts at {starts}: the hanging indent is lost")
    after = lines[at[-2] + 1:]
    for entry in (e for e in edition.entries if e.number is None):
        marker = _marker(entry)
        holder = [line for line in after if marker and marker in _squash(line.text)]
        if marker is not None and (not holder or holder[0].number is not None):
            problems.append(f"the unnumbered {marker!r} is numbered or missing")
    return problems


def test_every_edition_reads_right_without_our_fonts(editions: list[tuple[Edition, Path]], tmp_path: Path) -> None:
    pdfs = libreoffice_convert([path for _, path in editions], tmp_path)
    problems = []
    for (edition, docx), pdf in zip(editions, pdfs, strict=True):
        stem = docx.stem
        try:
            assert_print_ready(pdf)
        except AssertionError as error:
            problems.append(f"{stem}: {error}")
        embedded = {font.font["name"].getDebugName(6) for font in embedded_fonts(docx.read_bytes())}
        drawn = fonts_drawing(pdf)
        if not drawn or not drawn <= embedded:
            problems.append(f"{stem}: drawn with {sorted(drawn - embedded)}, which the DOCX does not embed")
        problems += [f"{stem}: {p}" for p in _check_numbers(edition, pdf)]
    assert not problems, "\n".join(problems)


def test_a_translator_inserts_a_signatory_and_the_list_renumbers(editions: list[tuple[Edition, Path]],
                                                                  tmp_path: Path) -> None:
    """Insert a signatory in the middle of the numbered list with python-docx (a paragraph in the
    Signatory style, as a translator would add one in Word), save it through LibreOffice, and
    the numbers run 1..N+1 with the new name at its place and the unnumbered one unnumbered."""
    edition, source = next((e, p) for e, p in editions if p.name.endswith(".en-GB.docx"))
    document = Document(str(source))
    signatories = [p for p in document.paragraphs if p.style.name == "Signatory"]
    tenth = signatories[9]
    new = tenth.insert_paragraph_before(style="Signatory")
    new.add_run("NOTU", style="Abbreviation")
    new.add_run("\tNouvelle Organisation des Travailleurs Unis, Sénégal")
    edited = tmp_path / "edited.docx"
    document.save(str(edited))
    (saved,) = libreoffice_convert([edited], tmp_path / "saved", to="docx")
    (pdf,) = libreoffice_convert([saved], tmp_path / "pdf")

    lines = numbered_lines(pdf)
    numbered = [line for line in lines if line.number is not None]
    total = len([e for e in edition.entries if e.number is not None]) + 1
    assert [line.number for line in numbered][-total:] == list(range(1, total + 1))
    numbered = numbered[-total:]
    assert _squash(numbered[9].text).startswith("NOTUNouvelleOrganisation")
    entries = [e for e in edition.entries if e.number is not None]
    for line, entry in zip(numbered[10:], entries[9:], strict=True):  # everything after it moved on by one
        assert entry.abbreviation is not None and _squash(line.text).startswith(_squash(entry.abbreviation.text))
    starts = sorted({round(line.start) for line in numbered})
    assert starts[-1] - starts[0] <= 2, f"the hanging indent survives: the abbreviations start at {starts}"
    unnumbered = next(line for line in lines if "Trotzalledem" in _squash(line.text))
    assert unnumbered.number is None and not re.match(r"\d", unnumbered.text)
