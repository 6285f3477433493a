"""The round trip with real clients: a translator's DOCX saved again by LibreOffice (and as Word
leaves one), and a new language built into PDF and DOCX beside the source's."""

from __future__ import annotations

import copy
import re
from collections import Counter
from io import BytesIO
from pathlib import Path

import pytest
from docx import Document
from lxml import etree

from tests.conftest import run_typeset
from tests.libreoffice import libreoffice_convert
from tests.pdfcheck import text_layout
from tests.translatekit import copy_example, fill
from typeset.source import load_document
from typeset.translate.commands import export_translation, import_translations, translation_status
from typeset.world import World

pytestmark = pytest.mark.slow
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_W = f"{{{W}}}"


def _rows(document) -> list:  # type: ignore[no-untyped-def]
    table = document.tables[0]._tbl
    return list(table.iter(f"{_W}tr"))[1:]


def _cells(row) -> list:  # type: ignore[no-untyped-def]
    return list(row.iter(f"{_W}tc"))


def _run(text: str, *, italic: bool = False) -> etree._Element:
    run = etree.Element(f"{_W}r")
    if italic:
        properties = etree.SubElement(run, f"{_W}rPr")
        etree.SubElement(properties, f"{_W}i")
    t = etree.SubElement(run, f"{_W}t")
    t.text = text
    t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    return run


def translate_as_a_translator(path: Path, out: Path) -> dict[str, str]:
    """Overtype every translation cell as a translator in Word would leave it: the text in several
    runs with revision ids, one word in italics, smart quotes typed, a tracked insertion and a
    tracked deletion, a bookmark of the translator's own. Returns what each row should give."""
    document = Document(str(path))
    expected: dict[str, str] = {}
    for number, row in enumerate(_rows(document)):
        label, source, target = _cells(row)
        segment = "".join(t.text or "" for t in list(label.iter(f"{_W}p"))[-1].iter(f"{_W}t")).strip()
        text = "".join(t.text or "" for t in source.iter(f"{_W}t"))
        paragraph = next(target.iter(f"{_W}p"))
        for run in paragraph.findall(f"{_W}r"):
            paragraph.remove(run)
        full = f"“FR” {text}"
        middle = max(4, len(full) // 2)
        paragraph.append(_run(full[:3]))  # runs split anywhere, even inside a word
        paragraph.append(_run(full[3:middle]))
        tail = full[middle:]
        if number == 5 and " " in tail.strip():
            lead = tail[:len(tail) - len(tail.lstrip())]
            first, rest = tail.strip().split(" ", 1)
            paragraph.append(_run(lead))
            paragraph.append(_run(first, italic=True))
            paragraph.append(_run(" " + rest))
            expected[segment] = f"{full[:middle]}{lead}*{first}* {rest}"
        else:
            paragraph.append(_run(tail))
            expected[segment] = full
        for element in paragraph.iter(f"{_W}r"):
            element.set(f"{_W}rsidR", f"00A{number:05d}")
        if number == 3:
            inserted = etree.SubElement(paragraph, f"{_W}ins", {f"{_W}id": "901", f"{_W}author": "T"})
            inserted.append(_run(" (ajouté)"))
            deleted = etree.SubElement(paragraph, f"{_W}del", {f"{_W}id": "902", f"{_W}author": "T"})
            gone = etree.SubElement(etree.SubElement(deleted, f"{_W}r"), f"{_W}delText")
            gone.text = " SUPPRIMÉ"
            expected[segment] += " (ajouté)"
        if number == 2:
            start = etree.Element(f"{_W}bookmarkStart", {f"{_W}id": "990", f"{_W}name": "_GoBack"})
            paragraph.insert(1, start)
            paragraph.append(etree.Element(f"{_W}bookmarkEnd", {f"{_W}id": "990"}))
    document.save(str(out))
    return expected


def libreoffice_docx(path: Path, outdir: Path) -> Path:
    """The document opened and saved again as DOCX by LibreOffice (headless, its own profile)."""
    return libreoffice_convert([path], outdir, "docx:MS Word 2007 XML", fonts="bundled")[0]


def test_a_translators_docx_saved_by_libreoffice_comes_back(tmp_path: Path) -> None:
    folder = copy_example("icor-2017", tmp_path)
    exported = tmp_path / "fr.docx"
    export_translation(folder, "fr", "docx", exported, World([folder]))
    expected = translate_as_a_translator(exported, tmp_path / "typed.docx")
    saved = libreoffice_docx(tmp_path / "typed.docx", tmp_path / "lo")
    package = saved.read_bytes()
    assert package != (tmp_path / "typed.docx").read_bytes()
    result = import_translations(folder, [saved], World([folder]))
    assert not [d.format() for d in result.diagnostics.items if d.is_error]
    fr = load_document(folder, World([])).document.texts["fr"]  # type: ignore[union-attr]
    text = (folder / "fr.md").read_text(encoding="utf-8")
    flat = " ".join(text.split())
    assert fr.title == expected["title"]
    for segment, wanted in expected.items():
        if segment.startswith(("p-", "li-", "s-")):
            assert " ".join(wanted.split()) in flat, (segment, wanted)
    assert "SUPPRIMÉ" not in text and "(ajouté)" in text
    yaml = (folder / "document.yaml").read_text(encoding="utf-8")
    assert "          fr: “FR” Bulgarian Communist Party" in yaml
    counts = translation_status(folder, ["fr"], World([folder]))["fr"].as_json()
    assert counts == {"segments": 46, "translated": 46, "missing": 0, "stale": 0}


def test_spans_in_a_heading_a_list_item_and_a_slogan_survive_word_and_libreoffice(tmp_path: Path) -> None:
    """A translator copies each source cell into its translation cell (as Word pastes it, the span
    runs with their character style) and overtypes the words; LibreOffice saves the document
    again; every span comes back in its block and language."""
    from tests.test_translate import SPANS_NEW
    from typeset.source.translations import check_translations

    folder = copy_example("new", tmp_path)
    (folder / "en.md").write_text(SPANS_NEW, encoding="utf-8")
    exported = tmp_path / "fr.docx"
    export_translation(folder, "fr", "docx", exported, World([folder]))
    document = Document(str(exported))
    labels = " ".join(document.tables[0].rows[index].cells[0].text for index in range(len(document.tables[0].rows)))
    assert "keep «پانی، سایہ، آرام» (Urdu) as it is" in labels  # the translator is told which pieces to keep
    styles = set()
    for row in _rows(document):
        _, source, target = _cells(row)
        paragraph = next(target.iter(f"{_W}p"))
        for run in paragraph.findall(f"{_W}r"):
            paragraph.remove(run)
        for run in next(source.iter(f"{_W}p")).findall(f"{_W}r"):
            copied = copy.deepcopy(run)
            style = copied.find(f"{_W}rPr/{_W}rStyle")
            if style is None:  # the translator's words: Latin letters in capitals, the spans as they are
                for t in copied.iter(f"{_W}t"):
                    t.text = (t.text or "").upper()
            else:
                styles.add(style.get(f"{_W}val"))
            paragraph.append(copied)
    assert len(styles) == 4, styles  # a character style for each language's span
    document.save(str(tmp_path / "typed.docx"))
    saved = libreoffice_docx(tmp_path / "typed.docx", tmp_path / "lo")
    result = import_translations(folder, [saved], World([folder]))
    assert not [d.format() for d in result.diagnostics.items if d.is_error]
    fr = (folder / "fr.md").read_text(encoding="utf-8")
    assert "\n# HEAT AND [Arbeit]{lang=de} IN THE FIELDS\n" in fr
    assert "\nWRITE THE TEXT HERE, WITH [«پانی، سایہ، آرام»]{lang=ur} IN URDU.\n" in fr
    assert "\n- A POINT WITH [¡Ya basta!]{lang=es} IN IT\n" in fr
    assert "\nA SLOGAN, [«آب برای همه»]{lang=fa}!\n" in fr
    loaded = load_document(folder, World([]))
    assert loaded.document is not None
    assert [d.format() for d in check_translations(loaded, World([folder])).items] == []


def test_a_row_is_found_by_its_content_control_or_its_id_when_the_bookmarks_are_gone(tmp_path: Path) -> None:
    """Word keeps content controls (ECMA-376 §17.5.2) and bookmarks (§17.13.6); either alone ties a
    row to its segment, and the id shown in the first column does when both are gone."""
    folder = copy_example("icor-2017", tmp_path)
    exported = tmp_path / "fr.docx"
    export_translation(folder, "fr", "docx", exported, World([folder]))
    expected = translate_as_a_translator(exported, tmp_path / "typed.docx")
    document = Document(str(tmp_path / "typed.docx"))
    body = document.element.body
    for bookmark in [*body.iter(f"{_W}bookmarkStart"), *body.iter(f"{_W}bookmarkEnd")]:
        bookmark.getparent().remove(bookmark)
    for row in _rows(document)[10:]:  # and these rows lose their content controls too
        for sdt in list(row.iter(f"{_W}sdt")):
            content = sdt.find(f"{_W}sdtContent")
            parent = sdt.getparent()
            for child in list(content):
                sdt.addprevious(child)
            parent.remove(sdt)
    out = BytesIO()
    document.save(out)
    (tmp_path / "bare.docx").write_bytes(out.getvalue())
    import_translations(folder, [tmp_path / "bare.docx"], World([folder]))
    fr = load_document(folder, World([])).document.texts["fr"]  # type: ignore[union-attr]
    assert fr.title == expected["title"]
    assert translation_status(folder, ["fr"], World([folder]))["fr"].count("missing") == 0


def test_a_row_tied_to_no_segment_is_reported(tmp_path: Path) -> None:
    folder = copy_example("new", tmp_path)
    exported = tmp_path / "fr.docx"
    export_translation(folder, "fr", "docx", exported, World([folder]))
    document = Document(str(exported))
    rows = _rows(document)
    rows[-1].addnext(copy.deepcopy(rows[-1]))
    added = _rows(document)[-1]
    for element in [*added.iter(f"{_W}bookmarkStart"), *added.iter(f"{_W}sdt")]:
        element.getparent().remove(element)
    for t in _cells(added)[0].iter(f"{_W}t"):
        t.text = "mine"
    next(_cells(added)[2].iter(f"{_W}p")).append(_run("Une ligne à moi"))
    document.save(str(tmp_path / "added.docx"))
    result = run_typeset("translate", "import", folder, tmp_path / "added.docx")
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert re.search(r"added\.docx:\d+:1: error: row \d+ of the table is tied to no segment", result.stderr)


def _numbers(pdf: Path) -> list[int]:
    return [int(m[1]) for m in re.finditer(r"^\s*(\d{1,2})\.\s+\S", text_layout(pdf), re.M)]


def _styles(docx: Path) -> Counter[str]:
    document = Document(str(docx))
    return Counter(p.style.name for p in document.paragraphs if p.text.strip())


def test_a_new_language_builds_with_the_structure_and_numbers_of_the_source(tmp_path: Path) -> None:
    folder = copy_example("icor-2017", tmp_path)
    path = tmp_path / "fr.xlf"
    export_translation(folder, "fr", "xliff", path, World([folder]))
    fill(path, lambda s: f"«{s}»")
    import_translations(folder, [path], World([folder]))
    out = tmp_path / "build"
    run_typeset("build", folder, "--lang", "en-GB", "--lang", "fr", "--format", "pdf", "--format", "docx",
                "--out", out, check=True)
    base = out / "icor-2017-maruti-suzuki" / "icor-2017-maruti-suzuki"
    english, french_pdf = Path(f"{base}.en-GB.pdf"), Path(f"{base}.fr.pdf")
    assert _numbers(french_pdf) == _numbers(english) == list(range(1, 31))
    text = " ".join(text_layout(french_pdf).split())
    assert "«Bulgarian Communist Party»" in text  # the name glossed in French now
    assert "«ICOR resolution»" in text
    styles_en, styles_fr = _styles(Path(f"{base}.en-GB.docx")), _styles(Path(f"{base}.fr.docx"))
    for style in ("Body Text", "List Bullet", "Slogan", "Signatory", "Signatory Unnumbered", "Signatories Heading"):
        assert styles_fr[style] == styles_en[style] > 0, style
    assert run_typeset("check", "--strict", folder).returncode == 0
