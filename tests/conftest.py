"""Shared fixtures: the examples, a real build of all their editions, the seed document."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
EXAMPLES = REPO / "examples"
EXAMPLE = EXAMPLES / "icor-2017"
SEED = Path(__file__).resolve().parent / "data" / "seed-icor-2017.txt"
DOCUMENT_ID = "icor-2017-maruti-suzuki"
LANGUAGES = ("en-GB", "de", "ru")
FORMATS = ("pdf", "docx", "html")


@dataclass(frozen=True)
class Example:
    """An example document, read from its raw source (not through typeset)."""

    path: Path
    id: str
    languages: tuple[str, ...]

    def __str__(self) -> str:
        return self.path.name


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true", default=False,
                     help="write tests/golden/ from what the renderers give now, instead of comparing")


@pytest.fixture(scope="session")
def update_golden(request: pytest.FixtureRequest) -> bool:
    """Whether the golden files are to be written (``pytest --update-golden``) rather than compared."""
    return bool(request.config.getoption("--update-golden"))


@pytest.fixture(autouse=True)
def _weasyprint_left_as_it_was() -> Iterator[None]:
    """After every test, WeasyPrint's functions that typeset wraps during a render are its own."""
    yield
    if "typeset.render.weasypatch" in sys.modules:
        from typeset.render.weasypatch import left_patched

        assert not left_patched(), f"WeasyPrint left patched: {left_patched()}"


def examples() -> list[Example]:
    from ruamel.yaml import YAML

    found = []
    for path in sorted(EXAMPLES.glob("*/document.yaml")):
        data = YAML(typ="safe").load(path.read_text(encoding="utf-8"))
        found.append(Example(path.parent, data["id"], tuple(data["languages"])))
    return found


# Every edition of every example: parameters for tests that must hold for all of them.
EDITIONS = [pytest.param(example, language, id=f"{example}/{language}")
            for example in examples() for language in example.languages]


def run_typeset(*args: str | Path, cwd: Path | None = None, env: dict[str, str] | None = None,
                check: bool = False) -> subprocess.CompletedProcess[str]:
    """Run the real command line in a fresh process."""
    environment = {**os.environ, **(env or {})}
    result = subprocess.run([sys.executable, "-m", "typeset", *map(str, args)], cwd=cwd or REPO,
                            env=environment, capture_output=True, text=True, timeout=600)
    if check and result.returncode != 0:
        raise AssertionError(f"typeset {' '.join(map(str, args))} failed ({result.returncode}):\n"
                             f"{result.stdout}\n{result.stderr}")
    return result


@dataclass(frozen=True)
class SeedEntry:
    number: int | None
    text: str  # the entry as the seed prints it


@dataclass(frozen=True)
class Expected:
    """A signatory as an edition must print it, read from the example's raw source files."""

    number: int | None
    abbreviation: str | None
    name: str
    translation: str | None
    language: str = ""
    romanized: str | None = None

    def squashed(self) -> str:
        return squash(" ".join(p for p in (self.abbreviation, self.name) if p))


# Every quotation mark and apostrophe, straight or as a language prints it: the source writes "…"
# and workers' where the editions print “…”, „…“, «…», 「…」 and workers’ (typeset/render/typography.py;
# tests/test_typography.py checks the marks themselves).
QUOTES = re.compile("[\"'\u2018\u2019\u201a\u201c\u201d\u201e\u00ab\u00bb\u2039\u203a\u300c\u300d\u300e\u300f"
                    "\u2032\u2033\u05f3\u05f4]")


def squash(text: str) -> str:
    """Text without white space and hyphens, to compare across line breaks and hyphenation, and with
    every quotation mark and apostrophe as one (``"``), to compare it with the source as written."""
    return QUOTES.sub('"', re.sub(r"[\s\-\u00ad\u2010\u2011]+", "", text))


def expected_entries(language: str, example: Path = EXAMPLE) -> list[Expected]:
    """Every signatory of an example in order, with the number it must carry.

    Read straight from document.yaml and the CSV (not through typeset), with the numbering
    rules written out: 'restart' begins at 1, 'continue' carries on, 'none' has no number.
    """
    import csv

    from ruamel.yaml import YAML

    data = YAML(typ="safe").load((example / "document.yaml").read_text(encoding="utf-8"))
    out: list[Expected] = []
    number = 0
    for group in data["groups"]:
        if "csv" in group:
            with open(example / group["csv"], encoding="utf-8", newline="") as handle:
                rows = [{"abbreviation": r["abbreviation"], "name": r["name"], "lang": r["lang"],
                         "romanized": r.get("romanized"),
                         "translation": {k.split(":")[1]: v for k, v in r.items()
                                         if k.startswith("translation:") and v}}
                        for r in csv.DictReader(handle)]
        else:
            rows = group["entries"]
        if group.get("numbering") == "restart":
            number = group.get("start", 1) - 1
        for row in rows:
            numbered = group.get("numbering", "continue") != "none"
            number = number + 1 if numbered else number
            base = language.split("-")[0]
            foreign = row["lang"].split("-")[0] != base or row["lang"] != row["lang"].split("-")[0]
            translation = (row.get("translation") or {}).get(base) if foreign else None
            out.append(Expected(number if numbered else None, row.get("abbreviation"), row["name"], translation,
                                row["lang"], row.get("romanized") or None))
    return out


def seed_entries() -> list[SeedEntry]:
    """The signatories of the seed document, in order, with the numbers it prints."""
    lines = SEED.read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("Signatories"))
    entries = []
    for line in lines[start:]:
        match = re.match(r"^\s*(\d+)\.\s+(.*\S)\s*$", line)
        if match:
            entries.append(SeedEntry(int(match[1]), match[2]))
    additional = next(i for i, line in enumerate(lines) if line.startswith("Additional Signatories"))
    entries.extend(SeedEntry(None, line.strip()) for line in lines[additional + 1:] if line.strip())
    return entries


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every edition of every example, built once by the real command line."""
    out = tmp_path_factory.mktemp("build")
    run_typeset("build", EXAMPLES, "--out", out, check=True)
    return out


def edition_path(out: Path, language: str, format_name: str, document_id: str = DOCUMENT_ID) -> Path:
    return out / document_id / f"{document_id}.{language}.{format_name}"


def fonts_conf(folder: Path) -> Path:
    """A fontconfig file: the system's configuration and the bundled fonts of this checkout."""
    conf = folder / "fonts.conf"
    conf.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">\n<fontconfig>\n'
        '  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>\n'
        f"  <dir>{REPO / 'fonts'}</dir>\n  <cachedir>{folder / 'fc-cache'}</cachedir>\n</fontconfig>\n",
        encoding="utf-8")
    return conf




def pytest_configure(config: pytest.Config) -> None:
    """The suite keeps typeset's persistent cache in a folder of its own, never the user's (a test
    that is about the cache sets its own)."""
    if "TYPESET_CACHE_DIR" not in os.environ:
        import atexit
        import shutil
        import tempfile

        folder = tempfile.mkdtemp(prefix="typeset-test-cache-")
        os.environ["TYPESET_CACHE_DIR"] = folder
        atexit.register(shutil.rmtree, folder, ignore_errors=True)
