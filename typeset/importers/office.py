"""OpenDocument and old Word files converted to DOCX by LibreOffice, so one reader serves them all.

In: a ``.odt``, ``.doc`` or ``.rtf`` file. Out: a context manager giving the path of a ``.docx``
LibreOffice wrote in a temporary folder (removed afterwards). LibreOffice runs headless in a
profile of its own inside that folder, so it neither touches the user's profile nor waits for a
running instance. Without LibreOffice the import stops with a clear error and what to install.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from typeset.diagnostics import Diagnostic, Severity, Span
from typeset.errors import InputError
from typeset.world import World

CONVERT_SECONDS = 180  # a long document converts in a few seconds; a hung LibreOffice is stopped


def soffice() -> str | None:
    """The LibreOffice command, if it is installed."""
    return shutil.which("soffice") or shutil.which("libreoffice")


@contextmanager
def converted_to_docx(source: Path, world: World) -> Iterator[Path]:
    command = soffice()
    if command is None:
        raise InputError([_error(source, f"reading '{source.suffix}' files needs LibreOffice, which is not "
                                         "installed", "install it (Debian, Ubuntu: apt-get install "
                                         "libreoffice-writer-nogui), or save the file as .docx and import that")])
    data = world.read_bytes(source)  # the same confinement and size limit as every other input
    with world.scratch(prefix="typeset-import-") as work:
        folder = str(work)
        profile = (work / "profile").as_uri()
        copy = work / f"input{source.suffix.lower()}"  # a plain name: LibreOffice reads its own way
        world.write_atomic(copy, data)
        try:
            result = subprocess.run(
                [command, "--headless", "--norestore", f"-env:UserInstallation={profile}",
                 "--convert-to", "docx:MS Word 2007 XML", "--outdir", str(work), str(copy)],
                capture_output=True, text=True, timeout=CONVERT_SECONDS,
                env={"HOME": folder, "PATH": world.environ.get("PATH", "/usr/bin:/bin")})
        except subprocess.TimeoutExpired:
            raise InputError([_error(source, f"LibreOffice did not convert the file within {CONVERT_SECONDS} s",
                                     "open it in LibreOffice or Word and save it as .docx")]) from None
        converted = work / "input.docx"
        if result.returncode != 0 or not converted.is_file():
            raise InputError([_error(source, "LibreOffice could not read the file"
                                     + (f": {result.stderr.strip().splitlines()[-1]}" if result.stderr.strip() else ""),
                                     "is it really a word-processor document? Open it and save it as .docx")])
        yield converted


def _error(path: Path, message: str, hint: str) -> Diagnostic:
    return Diagnostic(Severity.ERROR, Span(path), message, hint, code="import")
