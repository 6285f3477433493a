#!/usr/bin/env python3
"""How typeset scales with the number of signatories: 1,000 against 10,000, as whole processes.

For each size, benchmarks/generate.py writes a document (numbered variants of the signatories
of examples/extreme-heat-2024, in 17 scripts, three groups, editions en ar hi ja); then each
format is built as one whole process, as a user would,

    python -m typeset build GEN -l en -f FMT --out TMP --force -j 2

(two processes: a PDF of 1,500 signatories or more is laid out in two parts, one per process,
typeset/render/pdf_parts.py) and so is bare WeasyPrint on the very HTML typeset's PDF renderer
lays out (captured from the renderer, as in benchmarks/run.py). It prints, per size and job: the
median and minimum wall time, the median peak memory of the process (ru_maxrss from os.wait4: the
largest of the process and the one it forks for a PDF's second part), the pages (pdfinfo) and the
file size; then the growth from the smallest to the largest size (time and memory ratios; no
worse than linear means ≤ 1.1 × the size ratio, ≤ 11 for 10×), and typeset's PDF against bare
WeasyPrint at each size (target ≤ 1.10 for time and memory). With --phases (the default), one
more process per size times the steps of a build inside one interpreter (load, preflight,
edition, each renderer), to show where the time goes.

    . .venv/bin/activate
    python benchmarks/scale.py                      # 1k: 5 runs, 10k: 3 runs per job
    python benchmarks/scale.py --runs 3 --large-runs 1 --formats pdf
    python benchmarks/scale.py --sizes 1000 2000 5000 --json /tmp/scale.json

Jobs of one size run round-robin (one run of each per round), after one untimed warm-up run
of every job of the smallest size. A size of 5,000 or more gets --large-runs runs.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _bench import (
    ROOT,
    bare_weasyprint_argv,
    capture_pdf_inputs,
    default_python,
    load_text,
    machine,
    median,
    pdf_pages,
    python_env,
    run_once,
)

FORMATS = ("pdf", "docx", "html")
LANGUAGES = ("en", "ar", "hi", "ja")
LARGE = 5000

# Runs in the benchmarked interpreter: the steps of `typeset build` for one edition, timed
# inside one process (argv: SOURCE FORMAT…). What batch.build does, in its order.
PHASES = r"""
import json, sys, time
from pathlib import Path
start = time.perf_counter()
import typeset.batch
from typeset.prepare import prepare
from typeset.model.edition import make_edition
from typeset.render import renderer
from typeset.source import load_document
from typeset.world import World
times = {"import typeset.batch": time.perf_counter() - start}
cpu = {"import typeset.batch": time.process_time()}  # since the interpreter started
def timed(label, fn, *args):
    start, start_cpu = time.perf_counter(), time.process_time()
    value = fn(*args)
    times[label], cpu[label] = time.perf_counter() - start, time.process_time() - start_cpu
    return value
source = Path(sys.argv[1])
timed("load_document", load_document, source, World([]))
prepared = timed("prepare (load + preflight)", prepare, source, World([]))
times["  of which preflight"] = times["prepare (load + preflight)"] - times["load_document"]
cpu["  of which preflight"] = cpu["prepare (load + preflight)"] - cpu["load_document"]
edition = timed("make_edition", make_edition, prepared.document, next(
    l.tag for l in prepared.document.languages if l.tag.split("-")[0] == "en"))
for name in sys.argv[2:]:
    if name == "pdf":
        timed("import weasyprint", __import__, "weasyprint")
    timed(f"render {name}", renderer(name), edition, prepared.context)
print(json.dumps({label: [seconds, cpu.get(label, 0.0)] for label, seconds in times.items()}))
"""


@dataclass
class Job:
    size: int
    name: str  # pdf, docx, html, weasyprint
    argv: list[str]
    output: Path
    env: dict[str, str] | None = None
    times: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)
    rss_kib: list[int] = field(default_factory=list)
    pages: int | None = None
    bytes: int | None = None
    error: str | None = None

    @property
    def median(self) -> float | None:
        return median(self.times) if not self.error else None

    @property
    def median_cpu(self) -> float | None:
        return median(self.cpu) if not self.error else None

    @property
    def peak_mib(self) -> float | None:
        return median(self.rss_kib) / 1024 if self.rss_kib and not self.error else None

    def run(self) -> None:
        if self.error:
            return
        result = run_once(self.argv, env=self.env)
        if result.code != 0:
            self.error = f"exit {result.code}: {result.tail}"
            return
        self.times.append(result.seconds)
        self.cpu.append(result.cpu)
        self.rss_kib.append(result.rss_kib)
        if self.output.exists():
            self.bytes = self.output.stat().st_size
            if self.output.suffix == ".pdf" and self.pages is None:
                self.pages = pdf_pages(self.output)


def generate(python: str, folder: Path, n: int) -> None:
    argv = [python, str(ROOT / "benchmarks" / "generate.py"), str(folder), "-n", str(n)]
    for lang in LANGUAGES:
        argv += ["-l", lang]
    subprocess.run(argv, cwd=ROOT, env=python_env(), check=True, capture_output=True)


def make_jobs(python: str, work: Path, size: int, formats: list[str], bare: bool) -> list[Job]:
    source = work / f"gen-{size}"
    generate(python, source, size)
    jobs = []
    for fmt in formats:
        out = work / f"out-{size}-{fmt}"
        jobs.append(Job(size, fmt, [python, "-m", "typeset", "build", str(source), "-l", "en", "-f", fmt,
                                    "--out", str(out), "--force", "-j", "2"],
                        out / f"scale-{size}" / f"scale-{size}.en.{fmt}", env=python_env()))
    if bare and "pdf" in formats:
        captured = work / f"capture-{size}"
        captured.mkdir()
        info = capture_pdf_inputs(python, source, captured, ["en"])
        out = work / f"bare-{size}.pdf"
        jobs.append(Job(size, "weasyprint", bare_weasyprint_argv(python, captured / "en.html", info["base_url"], out,
                                                                   captured / "options.json"), out, env=info["env"]))
    return jobs


def phases(python: str, work: Path, size: int, formats: list[str]) -> dict[str, float]:
    result = subprocess.run([python, "-c", PHASES, str(work / f"gen-{size}"), *formats], cwd=ROOT, env=python_env(),
                            capture_output=True, text=True)
    if result.returncode != 0:
        return {"error": result.stderr.strip().splitlines()[-1] if result.stderr.strip() else "failed"}
    return json.loads(result.stdout.strip().splitlines()[-1])


def ratio_text(value: float, target: float) -> str:
    return f"{value:6.2f} × (target ≤ {target:g}: {'ok' if value <= target else 'OVER'})"


def report(info: dict, sizes: list[int], jobs: list[Job], phase_times: dict[int, dict], runs_of: dict[int, int],
           loads: list[str]) -> None:
    print(f"typeset scale benchmark — {info['date']}")
    print(f"machine: {info['cpus']} CPU(s), {info['cpu']}, load at start {' '.join(f'{x:.2f}' for x in info['load'])}"
          f", at end {loads[-1]}")
    print("runs per job: " + ", ".join(f"{size:,} signatories: {runs_of[size]}" for size in sizes)
          + " (medians; round-robin within a size)")
    print("command: python -m typeset build GEN -l en -f FMT --out TMP --force -j 2; "
          "weasyprint: bare WeasyPrint on the HTML typeset lays out")
    print("wall s: spawn to exit; cpu s: the process's user + system time (os.wait4), which a busy machine "
          "disturbs far less than the wall time")
    print()
    header = (f"{'signatories':>11}  {'job':<10} {'wall s':>8} {'min s':>8} {'cpu s':>8} {'runs':>4} {'peak MiB':>9} "
              f"{'pages':>6} {'size KiB':>9}")
    print(header + "\n" + "-" * len(header))
    for size in sizes:
        for job in (j for j in jobs if j.size == size):
            if job.median is None:
                print(f"{size:>11,}  {job.name:<10} {'n/a':>8}  {job.error}")
                continue
            print(f"{size:>11,}  {job.name:<10} {job.median:>8.2f} {min(job.times):>8.2f} {job.median_cpu:>8.2f} "
                  f"{len(job.times):>4} {job.peak_mib:>9.0f} {job.pages if job.pages else '':>6} "
                  f"{(job.bytes or 0) / 1024:>9.0f}")
    small, large = sizes[0], sizes[-1]
    if large != small:
        growth = large / small
        target = 1.1 * growth
        print()
        print(f"growth {large:,} / {small:,} signatories ({growth:g}× the size; no worse than linear: ≤ {target:g}×)")
        for name in dict.fromkeys(j.name for j in jobs):
            a = next((j for j in jobs if j.size == small and j.name == name), None)
            b = next((j for j in jobs if j.size == large and j.name == name), None)
            if a and b and a.median and b.median:
                print(f"  {name:<10} wall {ratio_text(b.median / a.median, target)}   "
                      f"cpu {ratio_text(b.median_cpu / a.median_cpu, target)}   "
                      f"memory {b.peak_mib / a.peak_mib:5.2f} ×   pages {b.pages or '-'} / {a.pages or '-'}")
            else:
                print(f"  {name:<10} n/a")
    print()
    print("typeset pdf ÷ bare WeasyPrint on the same HTML (target ≤ 1.10 for time and memory)")
    for size in sizes:
        ts = next((j for j in jobs if j.size == size and j.name == "pdf"), None)
        bare = next((j for j in jobs if j.size == size and j.name == "weasyprint"), None)
        if ts and bare and ts.median and bare.median:
            print(f"  {size:>7,}: wall {ts.median:6.2f} / {bare.median:6.2f} s = "
                  f"{ratio_text(ts.median / bare.median, 1.1)}"
                  f"   cpu {ts.median_cpu:6.2f} / {bare.median_cpu:6.2f} s = "
                  f"{ratio_text(ts.median_cpu / bare.median_cpu, 1.1)}"
                  f"   memory {ts.peak_mib:5.0f} / {bare.peak_mib:5.0f} MiB = "
                  f"{ratio_text(ts.peak_mib / bare.peak_mib, 1.1)}")
        else:
            print(f"  {size:>7,}: n/a")
    if phase_times:
        print()
        print("where the time goes inside one process (wall s / cpu s, one run each; en edition)")
        labels = list(dict.fromkeys(label for times in phase_times.values() for label in times if label != "error"))
        print(f"  {'step':<28}" + "".join(f"{f'{size:,}':>16}" for size in sizes))
        for label in labels:
            cells = []
            for size in sizes:
                value = phase_times.get(size, {}).get(label)
                cells.append(f"{f'{value[0]:.2f} / {value[1]:.2f}':>16}" if value else f"{'-':>16}")
            print(f"  {label:<28}" + "".join(cells))
        for size in sizes:
            if "error" in phase_times.get(size, {}):
                print(f"  {size:,}: {phase_times[size]['error']}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0],
                                     epilog="See benchmarks/README.md for what each figure means.")
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000], metavar="N",
                        help="signatory counts, smallest first (default 1000 10000)")
    parser.add_argument("--formats", nargs="+", choices=FORMATS, default=list(FORMATS))
    parser.add_argument("--runs", type=int, default=5, metavar="N", help="timed runs per job below 5,000 (default 5)")
    parser.add_argument("--large-runs", type=int, default=3, metavar="N",
                        help="timed runs per job from 5,000 signatories on (default 3)")
    parser.add_argument("--no-bare", action="store_true", help="skip bare WeasyPrint")
    parser.add_argument("--no-phases", action="store_true", help="skip the in-process breakdown")
    parser.add_argument("--python", default=default_python(), help="the interpreter with typeset and WeasyPrint")
    parser.add_argument("--json", type=Path, metavar="FILE", help="also write the raw figures to FILE")
    parser.add_argument("-q", "--quiet", action="store_true", help="no progress on stderr")
    args = parser.parse_args()
    sizes = sorted(set(args.sizes))
    runs_of = {size: args.large_runs if size >= LARGE else args.runs for size in sizes}

    def say(text: str) -> None:
        if not args.quiet:
            print(f"[{load_text()}] {text}", file=sys.stderr, flush=True)

    info = machine()
    loads = []
    with tempfile.TemporaryDirectory(prefix="typeset-scale-") as tmp:
        work = Path(tmp)
        jobs = []
        for size in sizes:
            say(f"generating {size:,} signatories …")
            jobs += make_jobs(args.python, work, size, args.formats, not args.no_bare)
        say("warm-up …")
        for job in (j for j in jobs if j.size == sizes[0]):
            job.run()
            job.times.clear(), job.cpu.clear(), job.rss_kib.clear()
        for size in sizes:
            for round_ in range(runs_of[size]):
                for job in (j for j in jobs if j.size == size):
                    say(f"{size:,} signatories, round {round_ + 1}/{runs_of[size]}: {job.name} …")
                    job.run()
        phase_times = {}
        if not args.no_phases:
            for size in sizes:
                say(f"phases at {size:,} …")
                phase_times[size] = phases(args.python, work, size, args.formats)
        loads.append(load_text())
    report(info, sizes, jobs, phase_times, runs_of, loads)
    if args.json:
        raw = {"machine": info, "load_at_end": loads[-1], "runs": runs_of, "phases": phase_times,
               "jobs": [{"size": j.size, "name": j.name, "argv": j.argv, "times": j.times, "cpu": j.cpu,
                         "rss_kib": j.rss_kib, "pages": j.pages, "bytes": j.bytes, "error": j.error, "median": j.median,
                         "peak_mib": j.peak_mib} for j in jobs]}
        args.json.write_text(json.dumps(raw, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
