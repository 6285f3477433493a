"""Golden files: what an edition's outputs say, normalised to readable text, kept in tests/golden/.

In: a rendered DOCX, HTML page or PDF. Out: text that changes only when what a reader gets
changes — the DOCX's XML parts indented one element a line, without the ids and dates Word and
python-docx make up; the HTML without the bytes of its inline fonts and typeset's version; the
PDF's text as poppler reads it. :func:`assert_golden` compares such a text with its golden file
and fails with a unified diff; with ``pytest --update-golden`` it writes the file instead, for
the change to be reviewed in the commit's diff.
"""

from __future__ import annotations

import difflib
import re
import subprocess
from io import BytesIO
from pathlib import Path
from zipfile import ZipFile

from lxml import etree

GOLDEN = Path(__file__).resolve().parent / "golden"
DIFF_LINES = 80  # of a failing comparison's diff, shown

# Attributes whose values Word or python-docx choose and that say nothing of the content: revision
# ids (w:rsid…), paragraph and text ids (w14:paraId, w14:textId), a revision's author's date.
_VOLATILE = re.compile(r"^(\{[^}]*\})?(rsid\w*|paraId|textId|date)$")
_DATES = {"{http://purl.org/dc/terms/}created", "{http://purl.org/dc/terms/}modified",
          "{http://schemas.openxmlformats.org/package/2006/metadata/core-properties}lastPrinted"}


def docx_part(docx: bytes, name: str) -> str:
    """One XML part of a DOCX (``word/document.xml`` …), one element a line, indented, without
    volatile ids and with the document's dates written as ``DATE``."""
    with ZipFile(BytesIO(docx)) as package:
        root = etree.fromstring(package.read(name), etree.XMLParser(remove_blank_text=True))
    for element in root.iter():
        for attribute in [a for a in element.attrib if _VOLATILE.match(a)]:
            del element.attrib[attribute]
        if element.tag in _DATES:
            element.text = "DATE"
    etree.indent(root, space=" ")
    return etree.tostring(root, encoding="unicode") + "\n"


_DATA_URI = re.compile(r"data:([\w/+.-]+);base64,[A-Za-z0-9+/=]+")
_GENERATOR = re.compile(r"typeset \d+(\.\d+)*(\S*)")


def html_page(html: str) -> str:
    """The HTML as written, but for the bytes of inline fonts and images (``data:font/woff2;base64,…``)
    and typeset's version (``typeset VERSION``)."""
    return _GENERATOR.sub("typeset VERSION", _DATA_URI.sub(r"data:\1;base64,…", html))


def pdf_text(pdf: Path) -> str:
    """The PDF's text as poppler's pdftotext reads it (reading order), pages split by form feeds."""
    return subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout


def assert_golden(name: str, actual: str, update: bool) -> None:
    """``actual`` is the text of tests/golden/``name``; with ``update``, it becomes it."""
    path = GOLDEN / name
    if update:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(actual, encoding="utf-8")
        return
    assert path.is_file(), f"no golden file {path.relative_to(GOLDEN.parent.parent)}: run pytest --update-golden"
    expected = path.read_text(encoding="utf-8")
    if actual == expected:
        return
    diff = list(difflib.unified_diff(expected.splitlines(), actual.splitlines(), f"golden/{name}", "rendered",
                                     lineterm="", n=2))
    more = f"\n… {len(diff) - DIFF_LINES} more lines" if len(diff) > DIFF_LINES else ""
    shown = "\n".join(diff[:DIFF_LINES]) + more
    raise AssertionError(f"{name} differs from its golden file (if on purpose: pytest --update-golden, and "
                         f"review the diff):\n{shown}")
