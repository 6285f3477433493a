"""The translators' round trip without rendering: ids, the three formats read by translate-toolkit
and brought back, what an import writes and refuses, the state and status."""

from __future__ import annotations

import difflib
import json
import re
from pathlib import Path

import pytest

from tests.conftest import EXAMPLES, run_typeset
from tests.translatekit import copy_example, fill, units
from typeset.model.language import parse_language
from typeset.source import load_document
from typeset.translate.commands import export_translation, import_translations, open_document, translation_status
from typeset.translate.segments import segments
from typeset.world import World

FORMATS = {"xliff": ".xlf", "xliff2": ".xlf", "po": ".po"}
DOCUMENTS = ["icor-2017", "extreme-heat-2024", "new"]


def french(text: str) -> str:
    return f"«{text}»"


def export(folder: Path, lang: str, format_name: str, out: Path) -> Path:
    export_translation(folder, lang, format_name, out, World([folder]))
    return out


def import_(folder: Path, *files: Path, dry_run: bool = False):  # type: ignore[no-untyped-def]
    return import_translations(folder, list(files), World([folder]), dry_run=dry_run)


def ids(folder: Path, lang: str = "fr") -> list[str]:
    sources = open_document(folder, World([folder]))
    return [s.id for s in segments(sources, parse_language(lang))]


def body_ids(folder: Path) -> list[str]:
    return [i for i in ids(folder) if re.match(r"^(p|h|li|q|s)-", i)]


# -- ids ---------------------------------------------------------------------------------------


def test_inserting_a_paragraph_changes_no_other_id(tmp_path: Path) -> None:
    folder = copy_example("icor-2017", tmp_path)
    before = body_ids(folder)
    export(folder, "fr", "xliff", tmp_path / "fr.xlf")  # records the ids
    text = (folder / "en-GB.md").read_text(encoding="utf-8")
    first = text.index("\n\n", text.index("---", 3)) + 2
    (folder / "en-GB.md").write_text(text[:first] + "A new first paragraph.\n\n" + text[first:], encoding="utf-8")
    after = body_ids(folder)
    assert len(after) == len(before) + 1
    assert after[1:] == before
    assert after[0] not in before


def test_a_folder_never_exported_has_the_same_ids_every_time_and_they_follow_their_text(tmp_path: Path) -> None:
    folder = copy_example("icor-2017", tmp_path)
    first = body_ids(folder)
    assert body_ids(folder) == first
    assert not (folder / "translations.yaml").exists()
    text = (folder / "en-GB.md").read_text(encoding="utf-8")
    paragraphs = text.split("\n\n")
    paragraphs[1], paragraphs[2] = paragraphs[2], paragraphs[1]  # two paragraphs change places
    (folder / "en-GB.md").write_text("\n\n".join(paragraphs), encoding="utf-8")
    moved = body_ids(folder)
    assert moved[:2] == [first[1], first[0]] and moved[2:] == first[2:]


def test_an_edited_paragraph_keeps_its_id_and_its_translations_go_stale(tmp_path: Path) -> None:
    folder = copy_example("icor-2017", tmp_path)
    xliff = export(folder, "fr", "xliff", tmp_path / "fr.xlf")
    fill(xliff, french)
    import_(folder, xliff)
    before = body_ids(folder)
    path = folder / "en-GB.md"
    path.write_text(path.read_text(encoding="utf-8").replace("declares its full solidarity demanding",
                                                              "declares its complete solidarity, demanding"),
                    encoding="utf-8")
    assert body_ids(folder) == before
    result = run_typeset("translate", "status", folder, "--json", check=True)
    counts = json.loads(result.stdout)["languages"]
    assert counts["fr"] == {"segments": 46, "translated": 45, "missing": 0, "stale": 1}
    assert counts["de"]["stale"] == 1 and counts["ru"]["stale"] == 1  # hand-written ones too
    check = run_typeset("check", folder)
    assert check.returncode == 0
    assert re.search(r"fr\.md:14:1: warning: the 'fr' translation of paragraph 2 \('p-0a3dc75c'\) was made from an "
                     r"earlier 'en-GB' text", check.stderr), check.stderr
    # the German translator updates it by hand: no longer stale
    de = folder / "de.md"
    de.write_text(de.read_text(encoding="utf-8").replace("erklärt ihre volle Solidarität",
                                                          "erklärt ihre vollständige Solidarität"), encoding="utf-8")
    counts = json.loads(run_typeset("translate", "status", folder, "--json", check=True).stdout)["languages"]
    assert counts["de"]["stale"] == 0 and counts["fr"]["stale"] == 1


def test_a_translation_of_a_source_changed_since_the_export_is_imported_and_stale(tmp_path: Path) -> None:
    folder = copy_example("icor-2017", tmp_path)
    po = export(folder, "fr", "po", tmp_path / "fr.po")
    path = folder / "en-GB.md"
    path.write_text(path.read_text(encoding="utf-8").replace("Strengthen the ICOR!", "Strengthen the ICOR now!"),
                    encoding="utf-8")
    fill(po, french)
    result = import_(folder, po)
    assert result.languages["fr"] == (46, 1, True)
    fr = load_document(folder, World([])).document.texts["fr"]  # type: ignore[union-attr]
    assert fr.slogans[-1].children[0].text == "«Strengthen the ICOR!»"  # type: ignore[union-attr]
    counts = translation_status(folder, ["fr"], World([folder]))["fr"].as_json()
    assert counts == {"segments": 46, "translated": 45, "missing": 0, "stale": 1}


# -- every format, read and edited by translate-toolkit, comes back ------------------------------


@pytest.mark.parametrize("format_name", FORMATS)
@pytest.mark.parametrize("name", DOCUMENTS)
def test_translate_toolkit_reads_edits_and_we_import(tmp_path: Path, name: str, format_name: str) -> None:
    folder = copy_example(name, tmp_path)
    path = export(folder, "fr", format_name, tmp_path / f"fr{FORMATS[format_name]}")
    expected = ids(folder)
    read = units(path)
    assert sorted(read) == sorted(expected)  # one unit per segment, its id kept
    sources = open_document(folder, World([folder]))
    by_id = {s.id: s for s in segments(sources, parse_language("fr"))}
    for unit_id, (source, _) in read.items():
        plain = " ".join(_plain(by_id[unit_id]).split())
        assert " ".join(source.split()) in (plain, by_id[unit_id].text), unit_id
    filled = fill(path, french)
    assert filled >= len(expected) - sum(1 for s in by_id.values() if s.keep)
    result = import_(folder, path)
    assert not [d for d in result.diagnostics.items if d.is_error]
    loaded = load_document(folder, World([]))
    assert loaded.document is not None, [d.format() for d in loaded.diagnostics.sorted()]
    assert "fr" in [language.tag for language in loaded.document.languages]
    counts = translation_status(folder, ["fr"], World([folder]))["fr"].as_json()
    assert counts["missing"] == 0 and counts["stale"] == 0 and counts["translated"] == len(expected)
    fr = loaded.document.texts["fr"]
    source_text = loaded.document.texts[loaded.document.source_language.tag]
    assert fr.title == f"«{source_text.title}»"
    assert _structure(fr.body) == _structure(source_text.body)
    assert len(fr.slogans) == len(source_text.slogans)
    for group in loaded.document.groups:
        source_language = loaded.document.source_language
        heading = group.headings.get(source_language.tag) or group.headings[source_language.language]
        assert group.headings["fr"] == f"«{heading}»"


def _plain(segment) -> str:  # type: ignore[no-untyped-def]
    from typeset.model.document import plain_text

    return plain_text(segment.source)


def _structure(blocks) -> list[str]:  # type: ignore[no-untyped-def]
    from typeset.model.document import BlockQuote, BulletList, Div, OrderedList

    out = []
    for block in blocks:
        if isinstance(block, Div):
            out += _structure(block.blocks)
        elif isinstance(block, BulletList | OrderedList):
            out.append(f"{type(block).__name__}:{len(block.items)}")
        elif isinstance(block, BlockQuote):
            out.append("quote:" + ",".join(_structure(block.blocks)))
        else:
            out.append(type(block).__name__)
    return out


def test_xliff_carries_markup_as_inline_codes_that_come_back_as_markup(tmp_path: Path) -> None:
    folder = copy_example("new", tmp_path)
    path = export(folder, "fr", "xliff", tmp_path / "fr.xlf")
    text = path.read_text(encoding="utf-8")
    assert '<g id="1" ctype="italic">emphasis</g>' in text
    assert '<g id="3" ctype="link" ts:href="https://example.org">links</g>' in text
    assert "*" not in re.sub(r"<note.*?</note>", "", text)  # no Markdown a translator could break
    fill(path, str.upper)
    import_(folder, path)
    fr = (folder / "fr.md").read_text(encoding="utf-8")
    assert "*EMPHASIS*" in fr and "**STRONG**" in fr and "[LINKS](<https://example.org>)" in fr


def test_spans_travel_as_codes_and_a_span_in_the_target_language_is_unwrapped(tmp_path: Path) -> None:
    folder = copy_example("extreme-heat-2024", tmp_path)
    path = export(folder, "ur", "xliff", tmp_path / "ur.xlf")
    text = path.read_text(encoding="utf-8")
    assert '<g id="1" ctype="x-span" ts:lang="ur">«پانی، سایہ، آرام»</g>' in text
    fill(path, lambda s: s)  # the translator keeps the text (and its codes) as it is
    import_(folder, path)
    ur = (folder / "ur.md").read_text(encoding="utf-8")
    assert "«پانی، سایہ، آرام»" in " ".join(ur.split()) and "{lang=ur}" not in ur  # Urdu in the Urdu file needs no span
    assert "::: {lang=fa}" in ur  # the Persian quotation keeps its div
    assert re.search(r"::: slogans\n", ur) or ":::: slogans" in ur


def test_po_shows_markup_as_the_source_format_writes_it(tmp_path: Path) -> None:
    folder = copy_example("new", tmp_path)
    path = export(folder, "fr", "po", tmp_path / "fr.po")
    read = units(path)
    paragraph = next(source for key, (source, _) in read.items() if key.startswith("p-"))
    assert "*emphasis*" in paragraph and "**strong**" in paragraph and "[links](<https://example.org>)" in paragraph
    assert "msgctxt \"title\"" in path.read_text(encoding="utf-8")


def test_xliff_and_po_are_the_same_bytes_on_every_export(tmp_path: Path) -> None:
    folder = copy_example("icor-2017", tmp_path)
    for format_name, suffix in (("xliff", ".xlf"), ("po", ".po"), ("docx", ".docx")):
        first = export(folder, "fr", format_name, tmp_path / f"a{suffix}").read_bytes()
        assert export(folder, "fr", format_name, tmp_path / f"b{suffix}").read_bytes() == first


# -- what an import refuses ----------------------------------------------------------------------


@pytest.fixture
def icor(tmp_path: Path) -> Path:
    return copy_example("icor-2017", tmp_path)


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


def _import_fails(folder: Path, path: Path, pattern: str) -> str:
    before = _snapshot(folder)
    result = run_typeset("translate", "import", folder, path)
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    assert re.search(pattern, result.stderr), result.stderr
    assert _snapshot(folder) == before  # nothing written
    return result.stderr


def test_broken_inline_codes_are_refused_naming_the_segment(icor: Path, tmp_path: Path) -> None:
    folder = copy_example("new", tmp_path / "n")
    path = export(folder, "fr", "xliff", tmp_path / "fr.xlf")
    fill(path, str.upper)
    good = path.read_text(encoding="utf-8")
    target = re.search(r"<target[^>]*>.*?</target>", good[good.index('id="p-'):], re.S)
    assert target
    cases = {
        'ctype="italic">EMPHASIS</g>': ('ctype="italic">EMPHASIS</g><g id="9">X</g>',
                                        r"inline code 9 is not in the source"),
        '<g id="2" ctype="bold">STRONG</g>': ('<bx id="7" rid="2"/>STRONG',
                                              r"strong emphasis \(code 2\) is opened but never closed"),
        '<g id="1" ctype="italic">': ('<g id="1" ctype="bold">',
                                      r"inline code 1 is emphasis in the source, but strong emphasis here"),
    }
    for old, (new, pattern) in cases.items():
        index = good.index("<target", good.index('id="p-'))
        broken = good[:index] + good[index:].replace(old, new, 1)
        assert broken != good
        path.write_text(broken, encoding="utf-8")
        stderr = _import_fails(folder, path, r"fr\.xlf:\d+:1: error: segment 'p-[0-9a-f]{8}': " + pattern)
        assert "hint:" in stderr


def test_a_lost_code_is_a_warning_and_the_rest_comes_back(tmp_path: Path) -> None:
    folder = copy_example("new", tmp_path)
    path = export(folder, "fr", "xliff", tmp_path / "fr.xlf")
    fill(path, str.upper)
    text = path.read_text(encoding="utf-8")
    index = text.index("<target", text.index('id="p-'))
    path.write_text(text[:index] + text[index:].replace('<g id="3" ctype="link" ts:href="https://example.org">LINKS</g>',
                                                        "LINKS", 1), encoding="utf-8")
    result = run_typeset("translate", "import", folder, path)
    assert result.returncode == 0, result.stderr
    assert re.search(r"warning: segment 'p-[0-9a-f]{8}': link to https://example.org \(code 3\) of the source is not "
                     r"in the translation", result.stderr)
    assert "*EMPHASIS*" in (folder / "fr.md").read_text(encoding="utf-8")


def test_broken_markdown_in_a_po_file_is_refused(icor: Path, tmp_path: Path) -> None:
    folder = copy_example("new", tmp_path / "n")
    path = export(folder, "fr", "po", tmp_path / "fr.po")
    fill(path, lambda s: s.replace("[links](<https://example.org>)", "[liens](<https://example.org>"))
    _import_fails(folder, path, r"fr\.po:\d+:1: error: segment 'p-[0-9a-f]{8}': '\[' stands as text")


def test_a_file_for_another_document_or_with_an_unknown_id_is_refused(icor: Path, tmp_path: Path) -> None:
    other = copy_example("extreme-heat-2024", tmp_path / "other")
    path = export(other, "fr", "xliff", tmp_path / "other.xlf")
    _import_fails(icor, path, r"other\.xlf:1:1: error: this file is for the document 'extreme-heat-2024', not "
                              r"'icor-2017-maruti-suzuki'")
    mine = export(icor, "fr", "po", tmp_path / "fr.po")
    fill(mine, french)
    text = mine.read_text(encoding="utf-8").replace('msgctxt "title"', 'msgctxt "titel"')
    mine.write_text(text, encoding="utf-8")
    line = text.split("\n").index('msgctxt "titel"') + 1
    stderr = _import_fails(icor, mine, r"fr\.po:\d+:1: error: segment 'titel' is not in the document")
    reported = int(re.search(r"fr\.po:(\d+):1: error: segment 'titel'", stderr)[1])  # type: ignore[index]
    assert line - 3 <= reported <= line  # the entry, from its comments to its msgctxt
    source = mine.read_text(encoding="utf-8").replace('msgctxt "titel"', 'msgctxt "title"').replace(
        "X-Typeset-Source-Language: en-GB", "X-Typeset-Source-Language: de")
    mine.write_text(source, encoding="utf-8")
    _import_fails(icor, mine, r"this file translates from 'de', but the document's source language is 'en-GB'")
    text = mine.read_text(encoding="utf-8").replace("X-Typeset-Source-Language: de", "X-Typeset-Source-Language: en-GB")
    mine.write_text(text.replace('"Language: fr\\n"', '"Language: en-GB\\n"'), encoding="utf-8")
    _import_fails(icor, mine,
                  r"fr\.po:1:1: error: the file's target language 'en-GB' is the document's source language")
    mine.write_text(text.replace('"Language: fr\\n"', '"Language: xx-nonsense-tag\\n"'), encoding="utf-8")
    _import_fails(icor, mine, r"fr\.po:1:1: error: the file names no target language we know \('xx-nonsense-tag'\)")
    (tmp_path / "notes.txt").write_text("just some notes", encoding="utf-8")
    _import_fails(icor, tmp_path / "notes.txt", r"notes\.txt:1:1: error: not an XLIFF, PO or translator's DOCX file")


def test_a_new_language_needs_its_title_and_headings_and_an_empty_target_is_a_warning(
        icor: Path, tmp_path: Path) -> None:
    path = export(icor, "fr", "xliff", tmp_path / "fr.xlf")
    fill(path, french, only=lambda unit_id: unit_id.startswith("p-"))
    stderr = _import_fails(icor, path, r"error: 'fr' is a new language and needs a translation of segment 'title'")
    assert "segment 'group.signatories.heading'" in stderr
    fill(path, french, only=lambda unit_id: unit_id == "title" or unit_id.startswith(("group.", "p-"))
         or unit_id == "entry.pr.country_name")
    result = run_typeset("translate", "import", icor, path)
    assert result.returncode == 0, result.stderr
    assert re.search(r"fr\.xlf:\d+:1: warning: \d+ segment\(s\) have no translation in this file: 'li-", result.stderr)
    counts = json.loads(run_typeset("translate", "status", icor, "--json", check=True).stdout)["languages"]["fr"]
    assert counts["missing"] > 0 and counts["translated"] + counts["missing"] == counts["segments"]
    assert run_typeset("check", icor).returncode == 0  # the document still loads


def test_dry_run_prints_a_diff_and_writes_nothing(icor: Path, tmp_path: Path) -> None:
    path = export(icor, "fr", "xliff", tmp_path / "fr.xlf")
    fill(path, french)
    before = _snapshot(icor)
    result = run_typeset("translate", "import", icor, path, "--dry-run")
    assert result.returncode == 0, result.stderr
    assert _snapshot(icor) == before
    assert "--- a/document.yaml\n+++ b/document.yaml\n" in result.stdout
    assert "-languages: [en-GB, de, ru]\n+languages: [en-GB, de, ru, fr]\n" in result.stdout
    assert "+++ b/fr.md\n" in result.stdout and "+title: «ICOR resolution»\n" in result.stdout
    assert "would import 46 segment(s) into 'fr'" in result.stdout


def test_the_file_is_recognised_by_its_content_not_its_name(icor: Path, tmp_path: Path) -> None:
    path = export(icor, "fr", "po", tmp_path / "fr.po")
    fill(path, french)
    renamed = tmp_path / "translation.xlf"  # a PO file under an XLIFF name
    path.rename(renamed)
    assert run_typeset("translate", "import", icor, renamed).returncode == 0
    assert (icor / "fr.md").is_file()


# -- document.yaml: comments and formatting kept -------------------------------------------------


@pytest.mark.parametrize("name", ["icor-2017", "extreme-heat-2024"])
def test_document_yaml_changes_only_where_a_translation_goes(tmp_path: Path, name: str) -> None:
    folder = copy_example(name, tmp_path)
    original = (folder / "document.yaml").read_text(encoding="utf-8")
    path = export(folder, "fr", "xliff", tmp_path / "fr.xlf")
    fill(path, french)
    import_(folder, path)
    new = (folder / "document.yaml").read_text(encoding="utf-8")
    old_lines, new_lines = original.split("\n"), new.split("\n")
    matcher = difflib.SequenceMatcher(None, old_lines, new_lines, autojunk=False)
    languages = next(line for line in old_lines if line.startswith("languages:"))
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        assert old_lines[i1:i2] in ([], [languages]), old_lines[i1:i2]  # only the languages line changes
        for line in new_lines[j1:j2]:
            assert (line == languages.replace("]", ", fr]") or re.match(r"^ +fr: ", line)
                    or re.match(r"^ +translation:$", line)), line
    comments = [line for line in old_lines if line.lstrip().startswith("#")]
    assert comments and all(line in new_lines for line in comments)
    assert new_lines.count("") == old_lines.count("")  # every blank line kept


def test_an_existing_translation_is_replaced_in_place(icor: Path, tmp_path: Path) -> None:
    path = export(icor, "de", "po", tmp_path / "de.po")
    # БКП: the loader derives no Latin id for it, so its id is 'entry'
    fill(path, lambda s: "NEU: " + s, only=lambda unit_id: unit_id == "entry.entry.translation")
    original = (icor / "document.yaml").read_text(encoding="utf-8")
    import_(icor, path)
    new = (icor / "document.yaml").read_text(encoding="utf-8")
    changed = [(a, b) for a, b in zip(original.split("\n"), new.split("\n"), strict=True) if a != b]
    assert changed == [("          de: Bulgarische Kommunistische Partei",
                        "          de: 'NEU: Bulgarian Communist Party'")]
    assert (icor / "de.md").read_bytes() == (EXAMPLES / "icor-2017" / "de.md").read_bytes()  # untouched


def test_an_import_never_touches_another_languages_file(icor: Path, tmp_path: Path) -> None:
    path = export(icor, "fr", "xliff", tmp_path / "fr.xlf")
    fill(path, french)
    others = {name: (icor / name).read_bytes() for name in ("en-GB.md", "de.md", "ru.md")}
    result = import_(icor, path)
    assert {p.name for p in result.written} == {"fr.md", "document.yaml", "signed-later.csv", "translations.yaml"}
    assert others == {name: (icor / name).read_bytes() for name in others}


def test_hand_written_languages_reimport_unchanged(tmp_path: Path) -> None:
    """Export a hand-written language with its translations and import it back: nothing changes."""
    for name, lang in (("icor-2017", "de"), ("icor-2017", "ru"), ("extreme-heat-2024", "fa"),
                       ("extreme-heat-2024", "ja"), ("extreme-heat-2024", "ar")):
        folder = copy_example(name, tmp_path / f"{name}-{lang}")
        path = export(folder, lang, "xliff", tmp_path / f"{name}-{lang}.xlf")
        result = import_(folder, path, dry_run=True)
        assert not [d for d in result.diagnostics.items if d.is_error]
        changed = re.findall(r"^\+\+\+ b/(.*)$", result.diff, re.M)
        assert set(changed) <= {"translations.yaml"}, result.diff[:2000]


# -- check ---------------------------------------------------------------------------------------


def test_a_deleted_paragraph_is_reported_where_it_belongs(icor: Path) -> None:
    de = icor / "de.md"
    text = de.read_text(encoding="utf-8")
    paragraphs = text.split("\n\n")
    del paragraphs[2]  # the second paragraph of the body
    de.write_text("\n\n".join(paragraphs), encoding="utf-8")
    result = run_typeset("check", icor)
    assert result.returncode == 0
    assert ("de.md:15:1: warning: the paragraph at en-GB.md:14 ('The attack on the Maruti-Suzuki workers is an "
            "attack agains…') has no counterpart in the 'de' text; it belongs before this line") in result.stderr
    assert run_typeset("check", "--strict", icor).returncode == 2
    counts = json.loads(run_typeset("translate", "status", icor, "--json", check=True).stdout)["languages"]["de"]
    assert counts["missing"] == 2  # the paragraph, and a country name the example never had


def test_an_extra_paragraph_is_reported(icor: Path) -> None:
    ru = icor / "ru.md"
    text = ru.read_text(encoding="utf-8")
    ru.write_text(text.replace("\n::: slogans", "\nЛишний абзац, которого нет в оригинале.\n\n::: slogans"),
                  encoding="utf-8")
    result = run_typeset("check", icor)
    line = ru.read_text(encoding="utf-8").split("\n").index("Лишний абзац, которого нет в оригинале.") + 1
    assert (f"ru.md:{line}:1: warning: this paragraph ('Лишний абзац, которого нет в оригинале.') has no "
            "counterpart in the 'en-GB' text, the source language's") in result.stderr


def test_a_name_no_reader_of_an_edition_can_read_is_reported(icor: Path) -> None:
    """The issue's case: French added to a copy of icor-2017 by hand."""
    yaml = icor / "document.yaml"
    text = yaml.read_text(encoding="utf-8").replace("languages: [en-GB, de, ru]", "languages: [en-GB, de, ru, fr]")
    text = re.sub(r"(\n      ru: [^\n]*\n)(    entries:|    csv:)",
                  lambda m: m[1] + "      fr: Signataires\n" + m[2], text)
    text = text.replace("          ru: Демократическая Республика Конго\n",
                        "          ru: Демократическая Республика Конго\n          fr: RDC\n")
    text = text.replace("          ru: бывшая Югославия\n",
                        "          ru: бывшая Югославия\n          fr: ex-Yougoslavie\n")
    yaml.write_text(text, encoding="utf-8")
    (icor / "fr.md").write_text((icor / "en-GB.md").read_text(encoding="utf-8").replace(
        "title: ICOR resolution", "title: Résolution de l'ICOR"), encoding="utf-8")
    result = run_typeset("check", icor)
    assert result.returncode == 0, result.stderr
    line = text.split("\n").index("        name: Българска Комунистическа Партия") + 1
    assert (f"document.yaml:{line}:15: warning: the 'fr' edition prints the name 'Българска Комунистическа Партия' in "
            "Cyrillic script with neither a translation nor a romanization: its readers may not read it"
            ) in result.stderr
    assert "Российская маоистская партия" not in result.stderr  # it has a romanization
    assert "Trotz alledem" not in result.stderr  # Latin letters: every edition prints them


@pytest.mark.parametrize("name", ["icor-2017", "extreme-heat-2024"])
def test_the_examples_check_clean(name: str) -> None:
    result = run_typeset("check", "--strict", EXAMPLES / name)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""


def test_errors_of_the_command_line(icor: Path, tmp_path: Path) -> None:
    result = run_typeset("translate", "export", icor, "--lang", "en-GB")
    assert result.returncode == 2 and "'en-GB' is the document's source language" in result.stderr
    result = run_typeset("translate", "export", icor, "--lang", "xx")
    assert result.returncode == 2 and "unknown language 'xx'" in result.stderr and "Traceback" not in result.stderr
    result = run_typeset("translate", "status", tmp_path / "nothing")
    assert result.returncode == 2 and "Traceback" not in result.stderr


# -- every kind of segment lands where it belongs --------------------------------------------------


def _every_kind(folder: Path) -> None:
    """A new document given every translatable field the format has: subtitle, a short title with a
    span, keywords, organisation and place per language, a note and a country name per language, a
    CSV group with its own note and country columns, a span and a div in a third language."""
    yaml = folder / "document.yaml"
    text = yaml.read_text(encoding="utf-8")
    text = text.replace("organisation: Your organisation\n",
                        "organisation:\n  en: Heat Network  # who issues it\nplace:\n  en: Kathmandu\n")
    text = text.replace("        country: GB\n", "        country: GB\n        note:\n          en: observer\n")
    text = text.replace("        country: UA\n", "        country_name:\n          en: Ukraine (east)\n")
    text += ("  - id: later\n    heading:\n      en: Signed later\n    csv: later.csv\n")
    yaml.write_text(text, encoding="utf-8")
    (folder / "later.csv").write_text("abbreviation,name,lang,country,note:en,country_name:en\n"
                                      "ML,Mill Workers,en,,member,Lower Valley\n", encoding="utf-8")
    en = folder / "en.md"
    text = en.read_text(encoding="utf-8").replace(
        "title: Title of the document\n",
        "title: Title of the document\nsubtitle: A subtitle\nshort_title: Short [¡Ya basta!]{lang=es}\n"
        "keywords: [heat, work]\n")
    text = text.replace("- A point\n", "- A point with [¡Ya basta!]{lang=es} in it\n")
    text = text.replace("::: slogans", "::: {lang=fa}\nکار ایمن حق ماست.\n:::\n\n::: slogans")
    en.write_text(text, encoding="utf-8")


def test_every_kind_of_segment_goes_out_and_comes_back_where_it_belongs(tmp_path: Path) -> None:
    folder = copy_example("new", tmp_path)
    _every_kind(folder)
    assert run_typeset("check", "--strict", folder).returncode == 0
    path = export(folder, "fr", "xliff", tmp_path / "fr.xlf")
    found = set(units(path))
    for wanted in ("title", "subtitle", "short_title", "keywords", "organisation", "place",
                   "group.signatories.heading", "group.later.heading", "entry.ex.note", "entry.ex.translation",
                   "entry.mirnaya-organizatsiya.translation", "entry.mirnaya-organizatsiya.country_name",
                   "entry.ml.note", "entry.ml.country_name"):
        assert wanted in found, (wanted, sorted(found))
    # the French edition glosses a name in any other language than French, an English one too
    fill(path, french)
    result = import_(folder, path)
    assert not [d.format() for d in result.diagnostics.items if d.is_error]
    loaded = load_document(folder, World([]))
    assert loaded.document is not None, [d.format() for d in loaded.diagnostics.sorted()]
    document = loaded.document
    fr = document.texts["fr"]
    assert (fr.title, fr.subtitle) == ("«Title of the document»", "«A subtitle»")
    assert fr.keywords == ("«heat; work»",) or list(fr.keywords) == ["«heat", "work»"]
    raw = (folder / "fr.md").read_text(encoding="utf-8")
    assert "\nshort_title: «Short» [«¡Ya basta!»]{lang=es}\n" in raw  # the span a code, its text translated
    assert "\n- «A point with» [«¡Ya basta!»]{lang=es} «in it»\n" in raw
    assert "::: {lang=fa}\nکار ایمن حق ماست.\n:::" in raw  # a third language's div kept as it is
    yaml = (folder / "document.yaml").read_text(encoding="utf-8")
    assert "  en: Heat Network  # who issues it\n  fr: «Heat Network»\n" in yaml
    assert "  fr: «Kathmandu»\n" in yaml
    entries = {entry.id: entry for group in document.groups for entry in group.entries}
    assert entries["mirnaya-organizatsiya"].translations["fr"] == "«Peace Organisation»"
    assert entries["mirnaya-organizatsiya"].country_names["fr"] == "«Ukraine (east)»"
    assert entries["ml"].country_names["fr"] == "«Lower Valley»"
    csv = (folder / "later.csv").read_text(encoding="utf-8")
    assert csv.startswith("abbreviation,name,lang,country,note:en,country_name:en,")
    assert "note:fr" in csv and "«member»" in csv
    assert "«observer»" in yaml
    assert {g.id: g.headings["fr"] for g in document.groups} == {"signatories": "«Signatories»",
                                                                 "later": "«Signed later»"}
    counts = translation_status(folder, ["fr"], World([folder]))["fr"].as_json()
    assert counts["missing"] == 0 and counts["stale"] == 0
    table = run_typeset("translate", "status", folder, check=True).stdout.split("\n")
    assert table[0].split() == ["language", "segments", "translated", "missing", "stale"]
    assert table[1].split() == ["fr", str(counts["segments"]), str(counts["segments"]), "0", "0"]


# -- spans and divs across languages -----------------------------------------------------------------

SPANS_EN = """---
title: Title
---

# Heat and [Arbeit]{lang=de} in the fields

The slogan [«پانی، سایہ، آرام»]{lang=ur} in Urdu, and 35 degrees.

- A point with [¡Ya basta!]{lang=es} in it
- Another point, without a span

::: {lang=fa}
کار ایمن حق ماست.
:::

::: slogans
Water for all, [«آب برای همه»]{lang=fa}!
:::
"""

SPANS_DE = """---
title: Titel
---

# Hitze und Arbeit auf den Feldern

Die Losung [«پانی، سایہ، آرام»]{lang=ur} auf Urdu, und 35 Grad.

- Ein Punkt mit [¡Ya basta!]{lang=es} und [Fair Play]{lang=en} darin
- Noch ein Punkt, ohne Span

::: {lang=fa}
کار ایمن حق ماست.
:::

::: slogans
Wasser für alle, [«آب برای همه»]{lang=fa}!
:::
"""


def _structure_warnings(tmp_path: Path, german: str) -> list[str]:
    from tests.support import make
    from typeset.source.translations import check_translations

    folder = make(tmp_path / "doc", files={"en.md": SPANS_EN, "de.md": german})
    loaded = load_document(folder, World([]))
    assert loaded.document is not None, [d.format() for d in loaded.diagnostics.items]
    found = check_translations(loaded, World([]))
    return [f"{d.span.path.name}:{d.span.line}:{d.span.col}: {d.message}\n  hint: {d.hint}"
            for d in found.items if d.code == "structure"]


def test_spans_in_the_languages_of_the_two_texts_are_not_compared(tmp_path: Path) -> None:
    """The German word the English heading marks is plain German in the German text; an English word
    the German text marks needs no span in the English one."""
    assert _structure_warnings(tmp_path, SPANS_DE) == []


@pytest.mark.parametrize("old,new,expected", [
    ("[«پانی، سایہ، آرام»]{lang=ur} auf Urdu", "„Wasser, Schatten, Ruhe“",  # the Urdu dropped
     ["de.md:7:1: the span in Urdu '[«پانی، سایہ، آرام»]{lang=ur}' at en.md:7:12 has no counterpart in this "
      "paragraph of the 'de' text\n  hint: a piece in a third language stays as it is in every translation: "
      "copy '[«پانی، سایہ، آرام»]{lang=ur}' into it"]),
    ("[«پانی، سایہ، آرام»]{lang=ur}", "«پانی، سایہ، آرام»",  # kept, but no longer marked
     ["de.md:7:12: '«پانی، سایہ، آرام»' stands here without the span that marks it as Urdu at en.md:7:12\n"
      "  hint: mark it '[«پانی، سایہ، آرام»]{lang=ur}' so that it is set and read as Urdu"]),
    ("[¡Ya basta!]{lang=es}", "[¡Ya basta!]{lang=pt}",  # marked with another language, in a list item
     ["de.md:9:17: this span is marked 'pt' (Portuguese) where the source marks the same text 'es' (Spanish), "
      "at en.md:9:16\n  hint: mark it '{lang=es}' as the source does (or correct the source)"]),
    ("Wasser für alle, [«آب برای همه»]{lang=fa}!", "Wasser für alle, [«水»]{lang=ja}!",  # in a slogan
     ["de.md:17:1: the span in Persian '[«آب برای همه»]{lang=fa}' at en.md:17:16 has no counterpart in this "
      "slogan of the 'de' text\n  hint: a piece in a third language stays as it is in every translation: "
      "copy '[«آب برای همه»]{lang=fa}' into it",
      "de.md:17:18: this span in Japanese ('[«水»]{lang=ja}') has no counterpart in the slogan at en.md:17, the "
      "source language's\n  hint: add it to en.md too if every language is to keep it, or remove the span"]),
    ("# Hitze und Arbeit", "# Hitze und [Hitzschlag]{lang=la} und Arbeit",  # extra, in a heading
     ["de.md:5:13: this span in Latin ('[Hitzschlag]{lang=la}') has no counterpart in the heading (level 1) at "
      "en.md:5, the source language's\n  hint: add it to en.md too if every language is to keep it, or remove "
      "the span"]),
    ("::: {lang=fa}\nکار ایمن حق ماست.\n:::", "کار ایمن حق ماست.",  # the Persian div gone
     ["de.md:12:1: this paragraph stands in no '::: {lang=fa}' div, and the paragraph at en.md:13 it translates "
      "does: its Persian is set and read as the 'de' text\n  hint: put it in '::: {lang=fa}' … ':::' as the "
      "source does (a piece in a third language stays as it is in every translation)"]),
    ("[«پانی، سایہ، آرام»]{lang=ur}", "[«پانی سایہ آرام»]{lang=ur}",  # re-quoted in the same language: fine
     []),
])
def test_a_span_of_a_third_language_missing_extra_or_relabelled_is_reported(
        tmp_path: Path, old: str, new: str, expected: list[str]) -> None:
    assert SPANS_DE.count(old) == 1
    assert _structure_warnings(tmp_path, SPANS_DE.replace(old, new)) == expected


def test_check_and_status_name_the_same_blocks_missing(icor: Path, tmp_path: Path) -> None:
    """With a translation state, check aligns as status counts: the blocks check says a language
    lacks are the body segments status counts missing, and a span difference leaves its block
    translated (the text is there; check says what to mend)."""
    from typeset.source.translations import check_translations
    from typeset.translate.status import MISSING

    export(icor, "de", "xliff", tmp_path / "de.xlf")  # records the hand-written German as translated
    de = icor / "de.md"
    text = de.read_text(encoding="utf-8")
    text = text.replace("- Mit der Übernahme von Opel durch PSA sind in Deutschland und Frankreich Zehntausende\n"
                        "  Arbeitsplätze gefährdet; kämpferische Arbeiter treten für den länderübergreifenden Kampf "
                        "ein.\n", "")
    paragraphs = text.split("\n\n")
    del paragraphs[2]
    text = "\n\n".join(paragraphs).replace("„King Coal“", "[„King Coal“]{lang=ja}")  # and an extra span
    de.write_text(text, encoding="utf-8")
    loaded = load_document(icor, World([]))
    assert loaded.document is not None
    said = [d.message for d in check_translations(loaded, World([icor])).items if d.code == "structure"]
    named = sorted(int(m[1]) for m in (re.search(r"at en-GB\.md:(\d+) \(", s) for s in said) if m)
    report = translation_status(icor, ["de"], World([icor]))["de"]
    counted = sorted(s.where.line for s, state in report.items
                     if state == MISSING and re.match(r"^(p|h|li|q|s)-", s.id) and s.where is not None)
    assert named == counted and len(named) == 2, (said, counted)
    assert any("this span in Japanese" in s for s in said)
    assert report.count("stale") == 0


def test_check_warns_of_a_short_title_and_keywords_status_counts_missing(icor: Path) -> None:
    """A short title or keywords the source language has and a translation lacks: check says so
    in the translation's file, as a warning, for the segments status counts missing — and not
    once the translation has them."""
    from typeset.source.translations import check_translations
    from typeset.translate.status import MISSING

    source = icor / "en-GB.md"
    source.write_text(source.read_text(encoding="utf-8").replace(
        "title: ICOR resolution\n", "title: ICOR resolution\nshort_title: ICOR\nkeywords: [strike, India]\n", 1),
        encoding="utf-8")
    de = icor / "de.md"
    de.write_text(de.read_text(encoding="utf-8").replace("title: ICOR-Resolution\n",
                                                         "title: ICOR-Resolution\nkeywords: [Streik, Indien]\n", 1),
                  encoding="utf-8")

    def said() -> list[str]:
        loaded = load_document(icor, World([]))
        assert loaded.document is not None
        return sorted(f"{d.span.path.name}:{d.span.line}: {d.severity.value}: {d.message}"
                      for d in check_translations(loaded, World([icor])).items
                      if "short title" in d.message or "keywords" in d.message)

    assert said() == [
        "de.md:1: warning: the 'de' text has no short title and the 'en-GB' text has one: the 'de' edition prints "
        "its whole title in the running heads",
        "ru.md:1: warning: the 'ru' text has no keywords and the 'en-GB' text has them: the 'ru' edition prints the "
        "organisation and the place as its keywords (the PDF's and DOCX's metadata)",
        "ru.md:1: warning: the 'ru' text has no short title and the 'en-GB' text has one: the 'ru' edition prints "
        "its whole title in the running heads",
    ]
    status = translation_status(icor, [], World([icor]))
    counted = sorted(f"{tag}:{segment.id}" for tag, report in status.items() for segment, state in report.items
                     if state == MISSING and segment.id in ("short_title", "keywords"))
    assert counted == ["de:short_title", "ru:keywords", "ru:short_title"]
    assert run_typeset("check", icor).returncode == 0  # warnings, not errors

    de.write_text(de.read_text(encoding="utf-8").replace("keywords:", "short_title: ICOR\nkeywords:", 1),
                  encoding="utf-8")
    assert [line.split(":")[0] for line in said()] == ["ru.md", "ru.md"]


SPANS_NEW = """---
title: Title of the document
---

# Heat and [Arbeit]{lang=de} in the fields

Write the text here, with [«پانی، سایہ، آرام»]{lang=ur} in Urdu.

- A point with [¡Ya basta!]{lang=es} in it
- Another point

::: slogans
A slogan, [«آب برای همه»]{lang=fa}!
:::
"""


def shout(text: str) -> str:
    """A translation that changes the words and leaves the markup a PO entry shows alone."""
    return re.sub(r"\{[^}]*\}|\([^)]*\)|[^{(]+", lambda m: m[0] if m[0][0] in "{(" else m[0].upper(), text)


@pytest.mark.parametrize("format_name", ["xliff", "xliff2", "po"])
def test_spans_in_a_heading_a_list_item_a_paragraph_and_a_slogan_come_back(tmp_path: Path, format_name: str) -> None:
    """Through each format and translate-toolkit, every span comes back in its block, in its
    language, and check finds the French structure whole."""
    from typeset.source.translations import check_translations

    folder = copy_example("new", tmp_path)
    (folder / "en.md").write_text(SPANS_NEW, encoding="utf-8")
    path = export(folder, "fr", format_name, tmp_path / f"fr{FORMATS[format_name]}")
    notes = path.read_text(encoding="utf-8")  # the translator is told which pieces to keep
    assert "keep '[«پانی، سایہ، آرام»]{lang=ur}' (Urdu) as it is" in notes
    assert "keep '[Arbeit]{lang=de}' (German) as it is" in notes
    if format_name != "po":  # CAT tools lock a span in a third language
        from lxml import etree

        marker = ".//{*}source//{*}mrk[@mtype='protected']" if format_name == "xliff" else \
            ".//{*}source//{*}mrk[@translate='no']"
        locked = [(m.getparent().get("ctype") or m.getparent().get("subType"), "".join(m.itertext()))
                  for m in etree.parse(str(path)).iterfind(marker)]
        span = "x-span" if format_name == "xliff" else "ts:span"
        assert sorted(locked) == sorted([(span, "Arbeit"), (span, "«پانی، سایہ، آرام»"), (span, "¡Ya basta!"),
                                         (span, "«آب برای همه»")])
    fill(path, shout)
    result = import_(folder, path)
    assert not [d.format() for d in result.diagnostics.items if d.is_error or d.code != "lint"]
    fr = (folder / "fr.md").read_text(encoding="utf-8")
    assert "\n# HEAT AND [ARBEIT]{lang=de} IN THE FIELDS\n" in fr
    assert "\nWRITE THE TEXT HERE, WITH [«پانی، سایہ، آرام»]{lang=ur} IN URDU.\n" in fr
    assert "\n- A POINT WITH [¡YA BASTA!]{lang=es} IN IT\n" in fr
    assert "\nA SLOGAN, [«آب برای همه»]{lang=fa}!\n" in fr
    loaded = load_document(folder, World([]))
    assert loaded.document is not None
    assert [d.format() for d in check_translations(loaded, World([folder])).items] == []
    counts = translation_status(folder, ["fr"], World([folder]))["fr"].as_json()
    assert counts["missing"] == 0 and counts["stale"] == 0


def test_spans_of_the_title_are_compared_as_the_bodys_are(tmp_path: Path) -> None:
    from tests.support import make
    from typeset.source.translations import check_translations

    english = SPANS_EN.replace("title: Title\n", "title: Rest in the heat — [حق استراحت]{lang=fa}\n"
                               "subtitle: Water, shade and [rest]{lang=en-US}\n")
    for title, expected in (
            ("Hitzepause — [حق استراحت]{lang=fa}", []),
            ("Hitzepause — حق استراحت", ["de.md:2:21: 'حق استراحت' stands here without the span that marks it as "
                                        "Persian at en.md:2:27"]),
            ("Hitzepause", ["de.md:2:1: the span in Persian '[حق استراحت]{lang=fa}' at en.md:2:27 has no "
                            "counterpart in the title of the 'de' text"]),
            ("Hitzepause — [حق استراحت]{lang=ar}", ["de.md:2:21: this span is marked 'ar' (Arabic) where the source "
                                                   "marks the same text 'fa' (Persian), at en.md:2:27"])):
        german = SPANS_DE.replace("title: Titel\n", f"title: {title}\nsubtitle: Wasser, Schatten und Ruhe\n")
        folder = make(tmp_path / title[-8:].replace(" ", "-"), files={"en.md": english, "de.md": german})
        loaded = load_document(folder, World([]))
        assert loaded.document is not None, [d.format() for d in loaded.diagnostics.items]
        found = [f"{d.span.path.name}:{d.span.line}:{d.span.col}: {d.message}"
                 for d in check_translations(loaded, World([])).items if d.code == "structure"]
        assert found == expected, title
