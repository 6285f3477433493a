"""WeasyPrint's C declarations kept in the persistent store (typeset.render.cdecls).

Each test runs fresh Python processes, as builds are: the first parses the declarations with
pycparser and stores them, the next reads them and parses nothing, and both draw the same PDF
of text that needs Pango and HarfBuzz (Arabic joining, a Devanagari conjunct). An entry that is
not cffi's model — a pickle that would run a program — is refused and the declarations parsed.
"""

from __future__ import annotations

import json
import pickle
import subprocess
import sys
from pathlib import Path

from tests import pdfcheck
from typeset.render.cdecls import KIND, _load
from typeset.world import FONTS_DIR, Store

FONTS = str(FONTS_DIR)

PROBE = r"""
import hashlib, json, sys
from pathlib import Path
from cffi import cparser
parsed = []
internal = cparser.Parser._parse
def counting(parser, csource):
    parsed.append(len(csource))
    return internal(parser, csource)
cparser.Parser._parse = counting
from typeset.world import Store
from typeset.render.libraries import load_weasyprint
load_weasyprint(Store(Path(sys.argv[1])))
from weasyprint import HTML
from typeset.render.cdecls import remember
fonts = Path(sys.argv[3])
faces = "".join(f"@font-face {{ font-family: {name}; src: url({(fonts / folder / file).as_uri()}) }}"
                for name, folder, file in (("Serif", "noto-serif", "NotoSerif-Regular.ttf"),
                                           ("Naskh", "noto-naskh-arabic", "NotoNaskhArabic-Regular.ttf"),
                                           ("Deva", "noto-serif-devanagari", "NotoSerifDevanagari-Regular.ttf")))
page = (f"<style>{faces} body {{ font-family: Serif }} [lang=ar] {{ font-family: Naskh }} "
        "[lang=hi] { font-family: Deva }</style>"
        '<p lang="ar">السلام عليكم</p><p lang="hi">क्षत्रिय विद्वान्</p><p>Ünïcode — ok</p>')
pdf = HTML(string=page).write_pdf()
remember()
Path(sys.argv[2]).write_bytes(pdf)
print(json.dumps({"parsed": parsed, "pdf": hashlib.sha256(pdf).hexdigest()}))
"""


def probe(cache: Path, pdf: Path) -> dict[str, object]:
    done = subprocess.run([sys.executable, "-c", PROBE, str(cache), str(pdf), FONTS],
                          capture_output=True, text=True, check=True)
    result: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def entries(cache: Path) -> list[Path]:
    return sorted(p for p in (cache / KIND).rglob("*") if p.is_file() and not p.name.startswith("."))


def test_a_second_process_reads_the_declarations_and_draws_the_same_pdf(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    first = probe(cache, tmp_path / "probe.pdf")
    assert first["parsed"], "the first process parses the declarations"
    assert len(entries(cache)) == 1
    second = probe(cache, tmp_path / "probe.pdf")
    assert second["parsed"] == [], "the second parses nothing: declarations and type names come from the store"
    assert second["pdf"] == first["pdf"]
    assert "क्षत्रियविद्वान्" in pdfcheck.text(tmp_path / "probe.pdf").replace(" ", "")  # bare WeasyPrint's text layer
    assert not pdfcheck.missing_glyphs(tmp_path / "probe.pdf")

    (entry,) = entries(cache)
    kept = _load(Store(cache).get(KIND, entry.name))
    assert kept is not None
    assert "function pango_layout_set_text" in kept["state"]["_declarations"]
    assert kept["types"], "the type names the render used are kept"
    assert not [name for name in kept["types"] if name.rstrip().endswith("]") and not name.endswith("[]")], \
        "arrays of a given length are made from the unsized one, not kept one by one"


def test_an_entry_that_is_not_cffis_model_is_refused(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    clean = probe(cache, tmp_path / "probe.pdf")
    (entry,) = entries(cache)
    marker = tmp_path / "ran"

    class Hostile:
        def __reduce__(self) -> tuple[object, tuple[str]]:
            import os

            return os.system, (f"touch {marker}",)

    payload = pickle.dumps({"state": {"_declarations": Hostile()}, "types": {}})
    Store(cache).put(KIND, entry.name, payload)
    assert Store(cache).get(KIND, entry.name) == payload  # a well-formed entry, as far as the store can tell
    assert _load(payload) is None
    again = probe(cache, tmp_path / "probe.pdf")
    assert not marker.exists(), "nothing in the entry ran"
    assert again["parsed"], "the declarations were parsed again"
    assert again["pdf"] == clean["pdf"]


def test_without_a_store_nothing_is_kept(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    result = probe(blocker / "cache", tmp_path / "probe.pdf")
    assert result["parsed"]
    printed = pdfcheck.text(tmp_path / "probe.pdf")
    assert "Ünïcode — ok" in printed and "السلام" in printed
    assert not pdfcheck.missing_glyphs(tmp_path / "probe.pdf")
