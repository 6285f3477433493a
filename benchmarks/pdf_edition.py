#!/usr/bin/env python3
"""Time the PDF edition, as whole processes: typeset against bare WeasyPrint, and each PDF variant.

Per edition, in one run: `typeset build … -f pdf` with --pdf-variant plain, pdf/ua-1 and
pdf/a-3u (and --print), and bare WeasyPrint writing the very HTML typeset lays out, untagged and
as PDF/UA-1, with the same fonts. Every job is one process, timed around spawn and wait after an
untimed warm-up, round-robin so that a busy neighbour hits all jobs alike; the report shows
medians, minima and the ratios that matter:

- typeset ÷ bare WeasyPrint for the same variant: what typeset adds (target ≤ 1.10);
- PDF/UA-1 ÷ plain: what the accessible variant costs (it is the default if ≤ 1.20).

Then the same renders in one warm process (no start-up, no loading of the document): what
typeset's renderer adds to WeasyPrint's own work, and the cost of tagging there.

    benchmarks/pdf_edition.py [--runs N] [--json FILE] [--python PY] [-q]

See benchmarks/README.md for how to read it.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EDITIONS = (("examples/icor-2017", "de"),
            ("examples/extreme-heat-2024", "ar"), ("examples/extreme-heat-2024", "hi"))
VARIANTS = ("plain", "pdf/ua-1", "pdf/a-3u")
BARE_VARIANTS = {"plain": None, "pdf/ua-1": "pdf/ua-1"}

# Runs in the benchmarked interpreter: writes, per edition, the HTML typeset.render.pdf lays out
# (typeset.render.pdf.paged_html) and a fontconfig file that knows the bundled fonts only, as
# typeset's own; prints the layout folder's URL (WeasyPrint's base_url in typeset).
PREPARE = r"""
import json, sys
from pathlib import Path
import typeset, weasyprint
from typeset.prepare import prepare
from typeset.model.edition import make_edition
from typeset.render.pdf import DEFAULT_VARIANT, paged_html
from typeset.world import World

out = Path(sys.argv[1])
base = None
for argument in sys.argv[2:]:
    source, lang = argument.rsplit(":", 1)
    prepared = prepare(Path(source), World([]))
    document, context = prepared.document, prepared.context
    tag = next(l.tag for l in document.languages if l.tag.split("-")[0] == lang)
    (out / f"{lang}.html").write_text(paged_html(make_edition(document, tag), context), encoding="utf-8")
    (out / "fonts.conf").write_text(context.fonts.fontconfig(out / "fc-cache"), encoding="utf-8")
    base = context.layout.root.as_uri() + "/"
print(json.dumps({"python": sys.version.split()[0], "weasyprint": weasyprint.__version__,
                  "typeset": typeset.__version__, "base_url": base, "default": DEFAULT_VARIANT}))
"""

# Runs in the benchmarked interpreter, after the whole-process jobs: each edition rendered again
# and again in one warm process (imports, fonts, hyphenation dictionaries loaded), by typeset's
# renderer and by bare WeasyPrint on the HTML the renderer lays out, untagged and as PDF/UA-1:
# what the rendering itself costs, without start-up and loading. Prints JSON: medians in seconds.
WARM = r"""
import dataclasses, json, statistics, sys, time
from pathlib import Path
import weasyprint
from typeset.prepare import prepare
from typeset.model.edition import make_edition
from typeset.render import RenderOptions
from typeset.render.pdf import _font_config, paged_html, render
from typeset.world import World

runs, results = int(sys.argv[1]), {}
for argument in sys.argv[2:]:
    source, lang = argument.rsplit(":", 1)
    prepared = prepare(Path(source), World([]))
    tag = next(l.tag for l in prepared.document.languages if l.tag.split("-")[0] == lang)
    edition = make_edition(prepared.document, tag)
    for variant in ("plain", "pdf/ua-1"):
        context = dataclasses.replace(prepared.context, options=RenderOptions(pdf_variant=variant))
        html, fonts = paged_html(edition, context), _font_config(context.fonts)
        base = context.layout.root.as_uri() + "/"
        jobs = {"typeset": lambda: render(edition, context),
                "weasyprint": lambda: weasyprint.HTML(string=html, base_url=base).write_pdf(
                    font_config=fonts, pdf_variant=None if variant == "plain" else variant)}
        for name, job in jobs.items():
            job()
            times = []
            for _ in range(runs):
                start = time.perf_counter()
                job()
                times.append(time.perf_counter() - start)
            results[f"{name} {lang} {variant}"] = statistics.median(times)
print(json.dumps(results))
"""

BARE = ("import sys; from weasyprint import HTML; "
        "HTML(filename=sys.argv[1], base_url=sys.argv[2]).write_pdf(sys.argv[3], "
        "pdf_variant=sys.argv[4] or None)")


@dataclass
class Job:
    name: str
    argv: list[str]
    env: dict[str, str] = field(default_factory=dict)
    times: list[float] = field(default_factory=list)
    error: str | None = None

    @property
    def median(self) -> float | None:
        return statistics.median(self.times) if self.times and not self.error else None


def run_once(job: Job, scratch: Path) -> tuple[float, int, str]:
    with tempfile.TemporaryFile(dir=scratch) as err:
        start = time.perf_counter()
        proc = subprocess.Popen(job.argv, cwd=ROOT, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                stderr=err, env={**os.environ, **job.env})
        _, status, _ = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        err.seek(0)
        tail = (err.read().decode("utf-8", "replace").strip().splitlines() or [""])[-1]
    return seconds, proc.returncode, tail


def measure(jobs: list[Job], runs: int, scratch: Path, progress: bool) -> None:
    for job in jobs:  # warm-up: page cache, .pyc files, fontconfig cache; weeds out failures
        _, code, tail = run_once(job, scratch)
        if code:
            job.error = f"exit {code}: {tail}"
    for round_ in range(runs):
        if progress:
            print(f"  round {round_ + 1}/{runs} …", file=sys.stderr, flush=True)
        for job in (j for j in jobs if not j.error):
            seconds, code, tail = run_once(job, scratch)
            if code:
                job.error = f"exit {code} in round {round_ + 1}: {tail}"
            else:
                job.times.append(seconds)


def make_jobs(python: str, work: Path, base_url: str) -> list[Job]:
    fonts = {"FONTCONFIG_FILE": str(work / "fonts.conf")}
    jobs = []
    for source, lang in EDITIONS:
        for variant in VARIANTS:
            jobs.append(Job(f"typeset {lang} {variant}", [
                python, "-m", "typeset", "build", source, "-l", lang, "-f", "pdf", "--pdf-variant", variant,
                "--force", "--out", str(work / f"out-{lang}")]))
        jobs.append(Job(f"typeset {lang} --print", [
            python, "-m", "typeset", "build", source, "-l", lang, "-f", "pdf", "--print", "--force",
            "--out", str(work / f"out-{lang}-print")]))
        for variant, option in BARE_VARIANTS.items():
            jobs.append(Job(f"weasyprint {lang} {variant}", [
                python, "-c", BARE, str(work / f"{lang}.html"), base_url, str(work / f"bare-{lang}.pdf"),
                option or ""], env=fonts))
    return jobs


def report(info: dict, jobs: list[Job], runs: int) -> None:
    by = {job.name: job for job in jobs}

    def ratio(a: str, b: str, target: float) -> str:
        x, y = by[a].median, by[b].median
        if x is None or y is None:
            return "n/a"
        return f"{x / y:5.2f}  (target ≤ {target:.2f}: {'ok' if x / y <= target else 'OVER'})"

    print(f"typeset {info['typeset']} PDF benchmarks — python {info['python']}, WeasyPrint {info['weasyprint']}, "
          f"{os.cpu_count()} CPU(s), load {' '.join(f'{x:.2f}' for x in os.getloadavg())}, "
          f"{runs} timed run(s) per job; default variant: {info['default']}")
    print()
    print(f"{'job':<26} {'median s':>9} {'min s':>7} {'runs':>5}")
    print("-" * 52)
    for job in jobs:
        if job.median is None:
            print(f"{job.name:<26} {'n/a':>9} {'n/a':>7} {len(job.times):>5}  {job.error or ''}")
        else:
            print(f"{job.name:<26} {job.median:>9.3f} {min(job.times):>7.3f} {len(job.times):>5}")
    print()
    print(f"{'ratio of medians':<52} value")
    print("-" * 80)
    for _, lang in EDITIONS:
        print(f"{f'{lang}: typeset plain ÷ bare WeasyPrint plain':<52} "
              f"{ratio(f'typeset {lang} plain', f'weasyprint {lang} plain', 1.10)}")
        print(f"{f'{lang}: typeset pdf/ua-1 ÷ bare WeasyPrint pdf/ua-1':<52} "
              f"{ratio(f'typeset {lang} pdf/ua-1', f'weasyprint {lang} pdf/ua-1', 1.10)}")
        print(f"{f'{lang}: typeset pdf/ua-1 ÷ typeset plain':<52} "
              f"{ratio(f'typeset {lang} pdf/ua-1', f'typeset {lang} plain', 1.20)}")
        print(f"{f'{lang}: bare pdf/ua-1 ÷ bare plain':<52} "
              f"{ratio(f'weasyprint {lang} pdf/ua-1', f'weasyprint {lang} plain', 1.20)}")
        print(f"{f'{lang}: typeset pdf/a-3u ÷ typeset plain':<52} "
              f"{ratio(f'typeset {lang} pdf/a-3u', f'typeset {lang} plain', 1.20)}")
    if info.get("warm"):
        warm = info["warm"]
        print()
        print("warm, in one process (renders only: no start-up, no loading; medians)")
        for _, lang in EDITIONS:
            (ts, bare), (ts_ua, bare_ua) = ((warm[f"typeset {lang} {v}"], warm[f"weasyprint {lang} {v}"])
                                            for v in ("plain", "pdf/ua-1"))
            print(f"  {lang}: typeset {ts:.3f} s plain, {ts_ua:.3f} s pdf/ua-1 ({ts_ua / ts:.2f} ×); "
                  f"bare WeasyPrint {bare:.3f} s, {bare_ua:.3f} s ({bare_ua / bare:.2f} ×); "
                  f"typeset ÷ bare {ts / bare:.2f} plain, {ts_ua / bare_ua:.2f} pdf/ua-1")
    sums = {}
    for key in ("typeset {} plain", "typeset {} pdf/ua-1", "weasyprint {} plain", "weasyprint {} pdf/ua-1"):
        medians = [by[key.format(lang)].median for _, lang in EDITIONS]
        sums[key] = sum(medians) if None not in medians else None  # type: ignore[arg-type]
    print()
    if None not in sums.values():
        plain, tagged = sums["typeset {} plain"], sums["typeset {} pdf/ua-1"]
        print(f"all editions: typeset ÷ bare WeasyPrint, plain {plain / sums['weasyprint {} plain']:.2f}, "
              f"pdf/ua-1 {tagged / sums['weasyprint {} pdf/ua-1']:.2f}; "
              f"cost of pdf/ua-1 in typeset {tagged / plain:.2f} × plain (sums of medians)")


def default_python() -> str:
    import importlib.util
    if importlib.util.find_spec("typeset") and importlib.util.find_spec("weasyprint"):
        return sys.executable
    candidates = [Path(os.environ["VIRTUAL_ENV"])] if os.environ.get("VIRTUAL_ENV") else []
    candidates += [ROOT / ".venv", ROOT / "venv"]
    return next((str(c / "bin" / "python") for c in candidates if (c / "bin" / "python").exists()), sys.executable)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0],
                                     epilog="Details and the meaning of each figure: benchmarks/README.md")
    parser.add_argument("--runs", type=int, default=5, metavar="N", help="timed runs per job (default 5)")
    parser.add_argument("--json", type=Path, metavar="FILE", help="also write the raw figures to FILE")
    parser.add_argument("--python", default=default_python(), help="the interpreter with typeset and WeasyPrint")
    parser.add_argument("-q", "--quiet", action="store_true", help="no progress on stderr")
    args = parser.parse_args()
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    with tempfile.TemporaryDirectory(prefix="typeset-bench-pdf-") as tmp:
        work = Path(tmp)
        editions = [f"{source}:{lang}" for source, lang in EDITIONS]
        prepared = subprocess.run([args.python, "-c", PREPARE, str(work), *editions], cwd=ROOT, capture_output=True,
                                  text=True)
        if prepared.returncode:
            sys.exit(f"benchmarks/pdf_edition.py: could not prepare the inputs with {args.python}:\n{prepared.stderr}")
        info = json.loads(prepared.stdout.strip().splitlines()[-1])
        jobs = make_jobs(args.python, work, info["base_url"])
        if not args.quiet:
            print(f"benchmarking {len(jobs)} jobs × (1 warm-up + {args.runs}) runs …", file=sys.stderr)
        measure(jobs, args.runs, work, progress=not args.quiet)
        if not args.quiet:
            print("  warm renders in one process …", file=sys.stderr, flush=True)
        warm = subprocess.run([args.python, "-c", WARM, str(args.runs), *editions], cwd=ROOT, capture_output=True,
                              text=True)
        info["warm"] = json.loads(warm.stdout.strip().splitlines()[-1]) if warm.returncode == 0 else None
    report(info, jobs, args.runs)
    if args.json:
        args.json.write_text(json.dumps({"info": info, "runs": args.runs, "jobs": [
            {**asdict(j), "median": j.median} for j in jobs]}, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
