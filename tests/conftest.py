"""Shared fixtures: the example, a real build of all its editions, the seed document."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
EXAMPLE = REPO / "examples" / "icor-2017"
SEED = Path(__file__).resolve().parent / "data" / "seed-icor-2017.txt"
DOCUMENT_ID = "icor-2017-maruti-suzuki"
LANGUAGES = ("en-GB", "de", "ru")
FORMATS = ("pdf", "docx", "html")


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

    def squashed(self) -> str:
        return squash(" ".join(p for p in (self.abbreviation, self.name) if p))


def squash(text: str) -> str:
    """Text without white space and hyphens, to compare across line breaks and hyphenation."""
    return re.sub(r"[\s\-\u00ad\u2010\u2011]+", "", text)


def expected_entries(language: str) -> list[Expected]:
    """Every signatory of the example in order, with the number it must carry.

    Read straight from document.yaml and the CSV (not through typeset), with the numbering
    rules written out: the first group restarts at 1, the second continues, the third has none.
    """
    import csv

    from ruamel.yaml import YAML

    data = YAML(typ="safe").load((EXAMPLE / "document.yaml").read_text(encoding="utf-8"))
    out: list[Expected] = []
    number = 0
    for group in data["groups"]:
        if "csv" in group:
            with open(EXAMPLE / group["csv"], encoding="utf-8", newline="") as handle:
                rows = [{"abbreviation": r["abbreviation"], "name": r["name"], "lang": r["lang"],
                         "translation": {k.split(":")[1]: v for k, v in r.items() if k.startswith("translation:") and v}}
                        for r in csv.DictReader(handle)]
        else:
            rows = group["entries"]
        for row in rows:
            numbered = group["numbering"] != "none"
            number = number + 1 if numbered else number
            base = language.split("-")[0]
            foreign = row["lang"].split("-")[0] != base or row["lang"] != row["lang"].split("-")[0]
            translation = (row.get("translation") or {}).get(base) if foreign else None
            out.append(Expected(number if numbered else None, row.get("abbreviation"), row["name"], translation))
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
    """All nine editions of the example, built once by the real command line."""
    out = tmp_path_factory.mktemp("build")
    run_typeset("build", EXAMPLE, "--out", out, check=True)
    return out


def edition_path(out: Path, language: str, format_name: str) -> Path:
    return out / DOCUMENT_ID / f"{DOCUMENT_ID}.{language}.{format_name}"


def libreoffice_pdf(documents: list[Path], outdir: Path) -> list[Path]:
    """Have LibreOffice (headless, with a private profile) lay out documents as PDF."""
    profile = (outdir / "lo-profile").as_uri()
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation={profile}", "--convert-to", "pdf",
                    "--outdir", str(outdir), *map(str, documents)], check=True, capture_output=True, timeout=600)
    return [outdir / (document.stem + ".pdf") for document in documents]
