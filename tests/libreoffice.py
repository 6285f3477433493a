"""LibreOffice, headless: the tests' one way to open a document as a reader's office suite would.

In: documents (DOCX, ODT …), the format to save them in, the fonts LibreOffice may see and its
Numerals option. Out: the converted files, in the order given. Starting LibreOffice costs
seconds, so each call converts a batch: the documents are shared among at most ``calls``
soffice processes run side by side, each with a profile and a home of its own (two never share
one, and nothing the machine's user set leaks in). Where LibreOffice sees DejaVu only, a
document is read with the fonts it embeds, and LibreOffice keeps the first embedded font of a
family and style for its whole session (it stores it under the family's name and reuses the
file): there, two documents with different subsets of one family must not share a session, and
each document gets a process of its own.

The fonts: ``"dejavu"`` — DejaVu only, a machine without typeset's fonts, where a document shows
what it embeds and nothing else; ``"bundled"`` — the system's fonts and typeset's bundled ones;
``"system"`` — the machine's own fontconfig; or the path of a fontconfig file.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Literal

import pytest

from tests.conftest import fonts_conf

Fonts = Literal["dejavu", "bundled", "system"] | Path

#: LibreOffice's Numerals option (Tools > Options > Languages > Complex text layout), by name.
NUMERALS = {"arabic": 0, "hindi": 1, "system": 2, "context": 3}


def require() -> str:
    """The soffice program; skips the test when LibreOffice is not installed."""
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip("needs LibreOffice (soffice)")
    return soffice


def libreoffice_convert(documents: Sequence[Path], outdir: Path, to: str = "pdf", *, fonts: Fonts = "dejavu",
            numerals: str = "arabic", calls: int = 2) -> list[Path]:
    """Each document converted to ``to`` (``pdf``, ``docx:MS Word 2007 XML``, ``odt`` …) by
    LibreOffice, in batches, at most ``calls`` soffice processes at a time. Returns the
    converted files, in the order of ``documents``."""
    soffice = require()
    if not documents:
        return []
    outdir.mkdir(parents=True, exist_ok=True)
    conf = _fontconfig(fonts, outdir)
    batches = _batches(list(documents), max(1, calls)) if fonts != "dejavu" else [[d] for d in documents]
    extension = to.split(":")[0]

    def run(index: int, batch: list[Path]) -> list[Path]:
        home, target = outdir / f"lo-{index}", outdir / f"out-{index}"
        target.mkdir(parents=True, exist_ok=True)
        if numerals != "arabic":
            _numerals_option(home / "profile", numerals)
        environment = {"PATH": "/usr/bin:/bin", "HOME": str(home)}
        if conf is not None:
            environment["FONTCONFIG_FILE"] = str(conf)
        subprocess.run([soffice, "--headless", f"-env:UserInstallation={(home / 'profile').as_uri()}",
                        "--convert-to", to, "--outdir", str(target), *map(str, batch)],
                       check=True, capture_output=True, timeout=240 + 60 * len(batch), env=environment)
        shutil.rmtree(home, ignore_errors=True)
        converted = [target / f"{document.stem}.{extension}" for document in batch]
        for path in converted:
            assert path.is_file(), f"LibreOffice wrote no {path.name}"
        return converted

    with ThreadPoolExecutor(max_workers=min(len(batches), max(1, calls))) as pool:
        done = list(pool.map(run, range(len(batches)), batches))
    by_document = {id(document): path for batch, paths in zip(batches, done, strict=True)
                   for document, path in zip(batch, paths, strict=True)}
    return [by_document[id(document)] for document in documents]


def _batches(documents: list[Path], calls: int) -> list[list[Path]]:
    """The documents shared evenly among ``calls`` batches (fewer if there are fewer documents);
    two with one name go to different batches, whose outputs go to different folders."""
    batches: list[list[Path]] = [[] for _ in range(min(calls, len(documents)))]
    for index, document in enumerate(documents):
        order = [*range(index % len(batches), len(batches)), *range(index % len(batches))]
        home = next((i for i in order if all(d.stem != document.stem for d in batches[i])), None)
        if home is None:
            batches.append([document])
        else:
            batches[home].append(document)
    return batches


def _fontconfig(fonts: Fonts, folder: Path) -> Path | None:
    if isinstance(fonts, Path):
        return fonts
    if fonts == "bundled":
        return fonts_conf(folder)
    if fonts == "dejavu":
        return dejavu_fonts_conf(folder)
    return None  # the machine's own


def dejavu_fonts_conf(folder: Path) -> Path:
    """A fontconfig configuration that lists DejaVu and nothing else (LibreOffice does not start
    with no font at all)."""
    dejavu = sorted({p.parent for p in Path("/usr/share/fonts").rglob("DejaVuSans.ttf")})
    assert dejavu, "DejaVu (fonts-dejavu-core) is not installed"
    conf = folder / "dejavu-only.conf"
    conf.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">\n<fontconfig>\n'
        + "".join(f"  <dir>{d}</dir>\n" for d in dejavu)
        + f"  <cachedir>{folder / 'fc-cache'}</cachedir>\n</fontconfig>\n", encoding="utf-8")
    return conf


def _numerals_option(profile: Path, numerals: str) -> None:
    """Start a LibreOffice profile with its Numerals option set (the registry a first run reads)."""
    user = profile / "user"
    user.mkdir(parents=True, exist_ok=True)
    (user / "registrymodifications.xcu").write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<oor:items xmlns:oor="http://openoffice.org/2001/registry"'
        ' xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\n'
        '<item oor:path="/org.openoffice.Office.Common/I18N/CTL"><prop oor:name="CTLTextNumerals"'
        f' oor:op="fuse"><value>{NUMERALS[numerals]}</value></prop></item>\n</oor:items>\n', encoding="utf-8")
