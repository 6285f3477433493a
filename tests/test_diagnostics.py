"""Bad sources give every problem at once, each as path:line:col with a hint, exit code 2, no traceback."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.conftest import EXAMPLE, run_typeset
from tests.support import DOCUMENT, TEXT, diagnostics_of, make

CSV = "abbreviation,name,lang,country\nB,Beta,fr,BE\n"


CSV_GROUP = DOCUMENT + """\
  - id: later
    heading: {en: Later, de: Später}
    csv: rows.csv
"""

CASES = [
    # (id, change to document.yaml, extra files, expected diagnostics)
    ("missing field", DOCUMENT.replace("organisation: Org\n", ""), {},
     ["document.yaml:1:1: error: missing 'organisation'"]),
    ("wrong type", DOCUMENT.replace("date: 2020-01-02", "date: [2020]"), {},
     ["document.yaml:3:7: error: 'date' must be a date such as 2017-03-31, not a list"]),
    ("bad date", DOCUMENT.replace("date: 2020-01-02", "date: 2020-02-30"), {},
     ["document.yaml:3:7: error: 'date' must be a date such as 2017-03-31, not '2020-02-30'"]),
    ("unknown language", DOCUMENT.replace("[en, de]", "[en, xx]"), {"xx.md": TEXT},
     ["document.yaml:4:17: error: unknown language 'xx' in 'xx'"]),
    ("unknown country", DOCUMENT.replace("country: FR", "country: ZZ"), {},
     ["document.yaml:15:18: error: unknown country code 'ZZ'"]),
    ("heading missing a language", DOCUMENT.replace("      de: Unterzeichner\n", ""), {},
     ["document.yaml:9:7: error: 'heading' has no text in 'de'"]),
    ("unknown field", DOCUMENT.replace("        lang: en\n", "        lang: en\n        countri: FR\n"), {},
     ["document.yaml:15:9: error: unknown field 'countri'"]),
    ("duplicate key", DOCUMENT.replace("id: t\n", "id: t\nid: u\n"), {},
     ["document.yaml:2:1: error: duplicate key 'id'"]),
    ("custom tag", DOCUMENT.replace("organisation: Org", "organisation: !!python/object:os.system Org"), {},
     ["document.yaml:2:15: error: YAML tag 'tag:yaml.org,2002:python/object:os.system' is not allowed"]),
    ("YAML syntax", DOCUMENT.replace("organisation: Org", "organisation: [Org"), {},
     ["document.yaml:3:5: error: YAML syntax: expected ',' or ']', but got ':'"]),
    ("missing language file", DOCUMENT, {"de.md": None},
     ["document.yaml:4:17: error: no text file 'de.md' for language 'de'"]),
    ("front matter without title", DOCUMENT, {"de.md": "---\nsubtitle: S\n---\nText\n"},
     ["de.md:2:1: error: missing 'title'"]),
    ("source language not declared", DOCUMENT.replace("source_language: en", "source_language: fr"), {},
     ["document.yaml:5:18: error: source language 'fr' is not among the languages"]),
    ("CSV country", CSV_GROUP, {"rows.csv": "abbreviation,name,lang,country\nB,Beta,fr,QQ\n"},
     ["rows.csv:2:11: error: unknown country code 'QQ'"]),
    ("CSV row too long", CSV_GROUP, {"rows.csv": CSV + "C,Gamma,fr,BE,extra\n"},
     ["rows.csv:3:15: error: row has 5 cells but the header names 4 columns"]),
    ("CSV unknown column", CSV_GROUP, {"rows.csv": "abbreviation,name,lang,land\nB,Beta,fr,BE\n"},
     ["rows.csv:1:24: error: unknown column 'land'"]),
    ("CSV not UTF-8", CSV_GROUP, {"rows.csv": "abbreviation,name,lang\nB,B\xe9ta,fr\n".encode("latin-1")},
     ["rows.csv:2:4: error: not UTF-8: byte 0xE9 cannot be read"]),
    ("CSV missing name", CSV_GROUP, {"rows.csv": "abbreviation,name,lang\nB,,fr\n"},
     ["rows.csv:2:1: error: missing 'name'"]),
    ("CSV file missing", CSV_GROUP, {},
     ["rows.csv:1:1: error: file not found"]),
]


@pytest.mark.parametrize("document,files,expected", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_bad_source_is_reported_at_its_position(tmp_path: Path, document: str, files: dict[str, str],
                                                expected: list[str]) -> None:
    assert diagnostics_of(make(tmp_path / "doc", document, files)) == expected


def test_every_problem_is_reported_at_once(tmp_path: Path) -> None:
    document = (DOCUMENT.replace("country: FR", "country: ZZ").replace("date: 2020-01-02", "date: soon")
                .replace("      de: Unterzeichner\n", ""))
    folder = make(tmp_path / "doc", document, {"de.md": "---\ntitle: [x\n---\n"})
    found = diagnostics_of(folder)
    assert found == [
        "de.md:2:10: error: YAML syntax: expected ',' or ']', but got '<stream end>'",
        "document.yaml:3:7: error: 'date' must be a date such as 2017-03-31, not 'soon'",
        "document.yaml:9:7: error: 'heading' has no text in 'de'",
        "document.yaml:14:18: error: unknown country code 'ZZ'",
    ]


def test_command_line_reports_errors_with_hints_and_exit_code_2(tmp_path: Path) -> None:
    folder = make(tmp_path / "doc", DOCUMENT.replace("country: FR", "country: ZZ").replace("lang: en", "lang: xx"))
    for command in ("check", "build"):
        result = run_typeset(command, folder, "--out", tmp_path / "out") if command == "build" \
            else run_typeset(command, folder)
        assert result.returncode == 2, result.stderr
        assert "Traceback" not in result.stderr
        assert "document.yaml:14:15: error: unknown language 'xx' in 'xx'" in result.stderr
        assert "document.yaml:15:18: error: unknown country code 'ZZ'" in result.stderr
        assert "  hint: use an ISO 3166-1 alpha-2 code" in result.stderr
        assert "2 errors, 0 warnings" in result.stderr
    assert not (tmp_path / "out").exists(), "nothing is written for a document with errors"


def test_check_finds_the_seeds_data_problems(tmp_path: Path) -> None:
    """The seed as it was: a Greek ϊ inside 'Haïtien', and two '(' left by lost links."""
    copy = tmp_path / "icor-2017"
    shutil.copytree(EXAMPLE, copy)
    csv = copy / "signed-later.csv"
    csv.write_text(csv.read_text(encoding="utf-8").replace("Haïtien", "Haϊtien"), encoding="utf-8")
    text = copy / "en-GB.md"
    original = text.read_text(encoding="utf-8")
    broken = original.replace("Workers Coordination and the International Miners' Coordination.",
                              "Workers Coordination ( and the International Miners' Coordination  (")
    assert broken != original
    text.write_text(broken, encoding="utf-8")

    result = run_typeset("check", copy)
    lines = result.stderr.splitlines()
    line_no = next(i for i, line in enumerate(broken.splitlines(), 1) if "Workers Coordination (" in line)
    first = broken.splitlines()[line_no - 1].index("(") + 1
    second = broken.splitlines()[line_no - 1].rindex("(") + 1
    assert f"{copy.name}/signed-later.csv:2:38: warning: mixed-script word 'Haϊtien': 'ϊ' (U+03CA GREEK SMALL " \
           "LETTER IOTA WITH DIALYTIKA) is Greek, the rest is Latin" in _relative(lines, tmp_path)
    assert "  hint: did you mean 'Haïtien' with 'ï' (U+00EF LATIN SMALL LETTER I WITH DIAERESIS)?" in lines
    assert f"{copy.name}/en-GB.md:{line_no}:{first}: warning: '(' is never closed" in _relative(lines, tmp_path)
    assert f"{copy.name}/en-GB.md:{line_no}:{second}: warning: '(' is never closed" in _relative(lines, tmp_path)
    assert result.returncode == 0  # warnings only
    assert run_typeset("check", "--strict", copy).returncode == 2


def test_the_example_checks_clean() -> None:
    result = run_typeset("check", "--strict", EXAMPLE)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert "ok: " in result.stdout and "31 signatories" in result.stdout


def _relative(lines: list[str], root: Path) -> list[str]:
    prefix = str(root) + "/"
    return [line.removeprefix(prefix) for line in lines]
