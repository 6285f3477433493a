"""What the benchmark scripts share: timing whole processes, the machine, and the HTML that
typeset's PDF renderer hands to WeasyPrint (for the bare-WeasyPrint comparisons).

Standard library only: the scripts import this module, never typeset. Whatever needs typeset or
WeasyPrint runs in the benchmarked interpreter as a small program (the strings below), started
with the repository root as its working directory so that it imports this checkout of typeset.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


@dataclass
class Run:
    seconds: float
    rss_kib: int  # the child's own peak resident set size (ru_maxrss of os.wait4)
    cpu: float  # the child's own CPU seconds, user + system (os.wait4): far less disturbed by a busy box
    code: int
    tail: str  # the last telling line of its stderr

    @property
    def rss_mib(self) -> float:
        return self.rss_kib / 1024


def run_once(argv: list[str], *, cwd: Path = ROOT, env: dict[str, str] | None = None,
             stdout: int | None = subprocess.DEVNULL) -> Run:
    """One whole process: wall seconds from spawn to reap, its own max RSS, its exit code."""
    with tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(argv, cwd=cwd, env=env, stdin=subprocess.DEVNULL, stdout=stdout, stderr=err)
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)  # reaped by wait4, tell Popen
        err.seek(0)
        lines = err.read().decode("utf-8", "replace").strip().splitlines() or [""]
    why = [line for line in lines if line.startswith(("failed", "error")) or "Error" in line]
    return Run(seconds, usage.ru_maxrss, usage.ru_utime + usage.ru_stime, proc.returncode, (why or lines)[-1].strip())


def median(values: list[float]) -> float | None:
    return statistics.median(values) if values else None


def python_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    """The environment for a benchmarked child: this checkout first on the import path."""
    env = dict(os.environ)
    # Run as an installed typeset runs, from bytecode (pip compiles it; an editable install writes
    # it on the first import, which the untimed warm-up runs do): without it every process
    # compiles typeset's modules again, 0.2 s each on this box.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), *filter(None, [env.get("PYTHONPATH")])])
    env.update(extra or {})
    return env


def default_python() -> str:
    """The running interpreter if it has typeset and WeasyPrint, else $VIRTUAL_ENV, .venv or venv."""
    import importlib.util
    if importlib.util.find_spec("typeset") and importlib.util.find_spec("weasyprint"):
        return sys.executable
    candidates = [Path(os.environ["VIRTUAL_ENV"])] if os.environ.get("VIRTUAL_ENV") else []
    candidates += [ROOT / ".venv", ROOT / "venv"]
    return next((str(c / "bin" / "python") for c in candidates if (c / "bin" / "python").exists()), sys.executable)


def machine() -> dict:
    cpu = ""
    if Path("/proc/cpuinfo").exists():
        cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                    if line.startswith("model name")), "")
    return {"date": dt.datetime.now().astimezone().isoformat(timespec="seconds"), "cpus": os.cpu_count(),
            "cpu": cpu or platform.processor(), "load": os.getloadavg(), "platform": platform.platform()}


def load_text() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def pdf_pages(path: Path) -> int | None:
    """Pages of a PDF, from poppler's pdfinfo (None without it)."""
    try:
        out = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return None
    return next((int(line.split()[-1]) for line in out.splitlines() if line.startswith("Pages:")), None)


def capture_pdf_inputs(python: str, source: Path, out: Path, languages: list[str]) -> dict:
    """Run CAPTURE in the benchmarked interpreter: writes out/LANG.html, out/fonts.conf and
    out/options.json; returns the versions, the base URL and the bare-WeasyPrint environment."""
    result = subprocess.run([python, "-c", CAPTURE, str(source), str(out), *languages], cwd=ROOT, env=python_env(),
                            capture_output=True, text=True)
    if result.returncode != 0:
        raise SystemExit(f"could not capture the PDF renderer's HTML with {python} (activate the venv that has "
                         f"typeset and WeasyPrint, or pass --python):\n{result.stderr}")
    info = json.loads(result.stdout.strip().splitlines()[-1])
    info["env"] = python_env({"FONTCONFIG_FILE": str(out / "fonts.conf")})
    return info


def bare_weasyprint_argv(python: str, html: Path, base_url: str, pdf: Path, options: Path) -> list[str]:
    return [python, "-c", BARE_WEASYPRINT, str(html), base_url, str(pdf), str(options)]


# Runs in the benchmarked interpreter. Renders each asked edition of SOURCE through typeset's own
# PDF renderer with weasyprint.HTML replaced by a recorder: the HTML string and base URL it is
# given, and the options of write_pdf (those that are plain values: pdf_variant, …), are written
# to OUT/LANG.html and OUT/options.json; WeasyPrint itself lays nothing out. Whatever
# typeset/render/pdf.py puts in its HTML (print CSS, page set-up, running heads) is in the capture,
# so the bare-WeasyPrint jobs lay out the very same HTML. OUT/fonts.conf is the fontconfig file
# of the bundled fonts (FontSet.fontconfig, the one typeset's renderer points FONTCONFIG_FILE at),
# with its cache in OUT/fontconfig-cache; bare WeasyPrint gets it through FONTCONFIG_FILE, so it
# finds the same fonts by the same names. typeset's layouts again for its rules on hyphens and a
# short last page (typeset.render.pdf_breaks) are left out of the capture: bare WeasyPrint lays the
# HTML typeset starts from out once.
CAPTURE = r"""
import json, os, sys, types
from pathlib import Path
# the whole page in one piece: a long edition's two parts (typeset.render.pdf_parts) lay out the
# very same HTML, but do not go through HTML.render, which the recorder stands in for
os.environ["TYPESET_SPLIT_ENTRIES"] = "0"
import typeset, weasyprint
from typeset.prepare import prepare
from typeset.model.edition import make_edition
from typeset.render import renderer
from typeset.world import World

source, out, wanted = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3:]
prepared = prepare(source, World([]))
if prepared.context is None:
    sys.exit("\n".join(d.message for d in prepared.diagnostics.items))
document, context = prepared.document, prepared.context

class Captured(Exception):
    pass

seen = {}
PLAIN = (str, int, float, bool, type(None))

def record_options(options):
    seen["options"] = {k: v for k, v in options.items() if isinstance(v, PLAIN)}
    raise Captured

class Document:
    def __init__(self):
        self.metadata = types.SimpleNamespace()
        self.pages = []  # the renderer cleans the pages' bookmarks before writing
    def write_pdf(self, target=None, **options):
        record_options(options)

class HTML:
    def __init__(self, guess=None, filename=None, url=None, file_obj=None, string=None, base_url=None, **kw):
        seen["html"], seen["base_url"] = string, base_url
    def render(self, **options):
        return Document()
    def write_pdf(self, target=None, **options):
        record_options(options)

weasyprint.HTML = HTML
render = renderer("pdf")
# the first layout's HTML: the rules laid out again for (hyphens, a short last page) are not asked
import typeset.render.pdf
typeset.render.pdf.keep_rules = lambda html, render: render()
declared = [language.tag for language in document.languages]
for tag in wanted:  # "en" may name en-GB, as with `typeset build -l en`
    match = next((d for d in declared if d.lower() == tag.lower()), None) or next(
        iter(d for d in declared if d.split("-")[0].lower() == tag.lower()), tag)
    seen.clear()
    try:
        render(make_edition(document, match), context)
    except Captured:
        pass
    if "html" not in seen:
        sys.exit("typeset's PDF renderer did not call weasyprint.HTML(string=...): "
                 "update CAPTURE in benchmarks/_bench.py")
    (out / f"{tag}.html").write_text(seen["html"], encoding="utf-8")
(out / "options.json").write_text(json.dumps(seen.get("options", {})), encoding="utf-8")
(out / "fonts.conf").write_text(context.fonts.fontconfig(out / "fontconfig-cache"), encoding="utf-8")
print(json.dumps({"python": sys.version.split()[0], "weasyprint": weasyprint.__version__,
                  "typeset": typeset.__version__, "base_url": seen.get("base_url"),
                  "options": seen.get("options", {})}))
"""

# Bare WeasyPrint on a captured HTML file: HTML FILE, BASE URL, OUT PDF, options.json.
BARE_WEASYPRINT = ("import json, sys; from weasyprint import HTML; "
                   "HTML(filename=sys.argv[1], base_url=sys.argv[2]).write_pdf("
                   "sys.argv[3], **json.load(open(sys.argv[4])))")
