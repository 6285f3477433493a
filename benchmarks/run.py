#!/usr/bin/env python3
"""Time typeset on this machine, as whole processes, against bare WeasyPrint and pandoc.

Every job is a separate process (interpreter start-up and imports included), timed with
time.perf_counter around spawn + wait; its peak memory is the max RSS that os.wait4 reports
for that very child. Jobs run round-robin (one run of each per round, after one untimed
warm-up), so a noisy neighbour on a shared box hits all of them alike; the table shows
medians and minima, never single runs. Then the batch figures: the build of every example
edition with warm workers against the sum of the warm single-edition renders divided by the
jobs, the no-op rebuild against `typeset --help` (and where its time goes), and a PDF edition
in a warm worker against Typst's time for the seed. See benchmarks/README.md for what each
figure means.
"""

from __future__ import annotations

import argparse
import json
import os
import pstats
import shutil
import statistics
import subprocess
import sys
import tempfile
from dataclasses import asdict, dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _bench import BARE_WEASYPRINT, CAPTURE, ROOT, default_python, python_env
from _bench import machine as machine_facts
from _bench import run_once as run_process

EXAMPLE = "examples/icor-2017"
EXAMPLES = "examples"
LANGS = ("en", "de", "ru")
FORMATS = ("pdf", "docx", "html")
BATCH_JOBS = 2  # worker processes of the batch build (-j)
SEED_PDF_SECONDS = 0.08  # Typst's time for the seed resolution's PDF: what a warm PDF edition is held against
WARM_PDF_TARGET = 3  # … at most this many times

# Runs in the benchmarked interpreter (the script itself never imports typeset). Per language
# it writes LANG.md, the same text for pandoc: the language file (front matter, body, slogans
# div) plus each signatory group as a heading and a list with typeset's numbers. The HTML for
# bare WeasyPrint comes from CAPTURE (benchmarks/_bench.py): the very HTML, fonts and write_pdf
# options that typeset.render.pdf hands to WeasyPrint, recorded from the renderer itself.
PREPARE = r"""
import sys
from pathlib import Path
from typeset.model.edition import make_edition
from typeset.source import load_document
from typeset.world import World

source, out = Path(sys.argv[1]), Path(sys.argv[2])
document = load_document(source, World([])).document
escape = str.maketrans({c: "\\" + c for c in "\\`*_[]<>#"})
declared = [language.tag for language in document.languages]
for wanted in sys.argv[3:]:  # "en" may name en-GB, as with `typeset build -l en`
    tag = next((d for d in declared if d.lower() == wanted.lower()), None) or next(
        iter(d for d in declared if d.split("-")[0].lower() == wanted.lower()), wanted)
    edition = make_edition(document, tag)
    lines = [document.texts[tag].path.read_text(encoding="utf-8").rstrip(), ""]
    for group in edition.groups:
        lines += [f"## {group.heading}", ""]
        for e in group.entries:
            words = [p.text for p in (e.abbreviation, e.name) if p]
            words += [f"({p.text})" for p in (e.romanized, e.translation) if p]
            text = " ".join(words) + (f", {e.country}" if e.country else "")
            lines.append(f"{e.number if e.number is not None else '-'}{'.' * (e.number is not None)} "
                         + text.translate(escape))
        lines.append("")
    (out / f"{wanted}.md").write_text("\n".join(lines), encoding="utf-8")
"""

# Runs in the benchmarked interpreter: every edition of every document under argv[2:], rendered
# by typeset.jobs.render_job in this one warm process (typeset, WeasyPrint and the renderers
# imported once by typeset.jobs.warm, as in a warm worker of a batch build): one pass with cold
# caches, then argv[1] timed passes, round-robin over the editions as a worker gets them. Prints
# each edition's median seconds over the timed passes, and its time in the first pass, as JSON.
WARM = r"""
import json, statistics, sys, time
from pathlib import Path
from typeset.prepare import prepare
from typeset.jobs import render_job, warm
from typeset.model.edition import make_edition
from typeset.render import FORMATS
from typeset.source import find_documents
from typeset.world import World

runs = int(sys.argv[1])
formats = tuple(FORMATS)
warm(formats)
planned = []
for source in [d for s in sys.argv[2:] for d in find_documents(Path(s))]:
    prepared = prepare(source, World([]))
    for language in prepared.document.languages:
        edition = make_edition(prepared.document, language.tag)
        for name in formats:
            planned.append((f"{edition.document_id} {language.tag} {name}", edition, name, prepared.context))
times, first = {}, {}
for round_ in range(runs + 1):
    for label, edition, name, context in planned:
        start = time.perf_counter()
        render_job(edition, name, context)
        seconds = time.perf_counter() - start
        if round_:
            times.setdefault(label, []).append(seconds)
        else:
            first[label] = seconds  # caches still cold: fonts, hyphenation dictionaries, CLDR data
print(json.dumps({"median": {label: statistics.median(values) for label, values in times.items()}, "first": first}))
"""


@dataclass
class Job:
    name: str
    argv: list[str]
    anchor: str | None = None      # the job this one is compared with
    target: float | None = None    # the ratio to the anchor we aim for (informative)
    env: dict[str, str] | None = None
    max_runs: int | None = None    # fewer timed runs than the others (the batch jobs with --quick)
    times: list[float] = field(default_factory=list)
    rss_kib: list[int] = field(default_factory=list)
    error: str | None = None

    @property
    def median(self) -> float | None:
        return statistics.median(self.times) if self.times and not self.error else None

    @property
    def peak_mib(self) -> float | None:
        return statistics.median(self.rss_kib) / 1024 if self.rss_kib and not self.error else None


def run_once(job: Job) -> tuple[float, int, int, str]:
    """Seconds, max RSS (KiB) and exit code of one whole process, plus the tail of its stderr."""
    run = run_process(job.argv, env=job.env)
    return run.seconds, run.rss_kib, run.code, run.tail


def measure(jobs: list[Job], runs: int, progress: bool) -> None:
    for job in (j for j in jobs if not j.error):  # warm-up: page cache, .pyc, fontconfig cache; weeds out failures
        _, _, code, tail = run_once(job)
        if code != 0:
            job.error = f"exit {code}: {tail}"
    for round_ in range(runs):
        if progress:
            print(f"  round {round_ + 1}/{runs} …", file=sys.stderr, flush=True)
        for job in (j for j in jobs if not j.error and (j.max_runs is None or len(j.times) < j.max_runs)):
            seconds, rss, code, tail = run_once(job)
            if code != 0:
                job.error = f"exit {code} in round {round_ + 1}: {tail}"
                continue
            job.times.append(seconds)
            job.rss_kib.append(rss)


def prepare(python: str, work: Path) -> dict[str, str]:
    """LANG.md for pandoc, and LANG.html, fonts.conf and options.json for bare WeasyPrint."""
    for program, what in ((PREPARE, "pandoc's Markdown"), (CAPTURE, "the PDF renderer's HTML")):
        out = subprocess.run([python, "-c", program, EXAMPLE, str(work), *LANGS], cwd=ROOT, env=python_env(),
                             capture_output=True, text=True)
        if out.returncode != 0:
            sys.exit(f"benchmarks/run.py: could not prepare {what} with {python} (activate the venv that has "
                     f"typeset and WeasyPrint, or pass --python):\n{out.stderr}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def make_jobs(python: str, work: Path, base_url: str, pandoc: str | None, batch_runs: int | None) -> list[Job]:
    env = python_env()
    bare_env = python_env({"FONTCONFIG_FILE": str(work / "fonts.conf")})
    jobs = [
        Job("python -c pass", [python, "-c", "pass"], env=env),
        Job("import typeset", [python, "-c", "import typeset"], anchor="python -c pass", env=env),
        Job("typeset --help", [python, "-m", "typeset", "--help"], anchor="python -c pass", target=8.0, env=env),
        Job("import weasyprint", [python, "-c", "import weasyprint"], anchor="python -c pass", env=env),
    ]
    for lang in LANGS:
        for fmt in FORMATS:
            anchor = f"weasyprint {lang}" if fmt == "pdf" else f"pandoc {fmt} {lang}"
            # --force: without it every run after the warm-up would find the edition up to date
            jobs.append(Job(f"typeset {fmt} {lang}", [python, "-m", "typeset", "build", EXAMPLE, "-l", lang,
                                                      "-f", fmt, "--out", str(work / f"out-{fmt}-{lang}"), "--force"],
                            anchor=anchor, target=1.10 if fmt == "pdf" else 3.0, env=env))
        if lang == "de":  # the same editions without the persistent cache (a folder that cannot be made)
            for fmt in FORMATS:
                jobs.append(Job(f"typeset {fmt} {lang} no cache", [
                    python, "-m", "typeset", "build", EXAMPLE, "-l", lang, "-f", fmt, "--out",
                    str(work / f"out-{fmt}-{lang}-no-cache"), "--force", "--cache-dir", os.devnull + "/typeset"],
                    anchor=f"typeset {fmt} {lang}", env=env))
        jobs.append(Job(f"weasyprint {lang}", [python, "-c", BARE_WEASYPRINT, str(work / f"{lang}.html"),
                                               base_url, str(work / f"bare-{lang}.pdf"), str(work / "options.json")],
                        env=bare_env))
        for fmt, extra in (("docx", []), ("html", ["-s"])):
            argv = [pandoc, str(work / f"{lang}.md"), *extra, "-o", str(work / f"pandoc-{lang}.{fmt}")]
            jobs.append(Job(f"pandoc {fmt} {lang}", argv if pandoc else [],
                            error=None if pandoc else "pandoc not found"))
    # The batch: every edition of every example, warm workers; then the same build again, which
    # has nothing to do (the no-op rebuild). Round-robin keeps the second right after the first.
    batch_out = str(work / "out-batch")
    jobs.append(Job("batch examples", [python, "-m", "typeset", "build", EXAMPLES, "--out", batch_out, "--force",
                                       "-j", str(BATCH_JOBS)], env=env, max_runs=batch_runs))
    jobs.append(Job("no-op rebuild", [python, "-m", "typeset", "build", EXAMPLES, "--out", batch_out,
                                      "-j", str(BATCH_JOBS)], anchor="typeset --help", target=1.5, env=env,
                    max_runs=batch_runs))
    return jobs


def top_imports(python: str, argv: list[str], count: int) -> tuple[bool, list[tuple[float, str]]]:
    """Whether WeasyPrint is imported, and the costliest top-level imports (-X importtime, one run)."""
    out = subprocess.run([python, "-X", "importtime", *argv], cwd=ROOT, env=python_env(), capture_output=True,
                         text=True)
    top = []
    for line in out.stderr.splitlines():
        parts = line.split("|")
        if line.startswith("import time:") and len(parts) == 3 and parts[1].strip().isdigit():
            name = parts[2]
            if not name.startswith("  "):  # a top-level import (nested ones are indented)
                top.append((int(parts[1]) / 1e6, name.strip()))
    top.sort(reverse=True)
    return "weasyprint" in out.stderr, top[:count]


def help_imports(python: str) -> dict:
    """Does `typeset --help` import WeasyPrint, and which top-level imports cost it most?"""
    imports_weasyprint, slowest = top_imports(python, ["-m", "typeset", "--help"], 4)
    return {"imports_weasyprint": imports_weasyprint, "slowest": slowest}


def noop_profile(python: str, work: Path) -> dict:
    """Where a no-op rebuild spends its time: its imports, and typeset's own functions (cProfile,
    cumulative seconds, one run; profiling slows Python code down, so read the shares)."""
    argv = ["-m", "typeset", "build", EXAMPLES, "--out", str(work / "out-batch"), "-j", str(BATCH_JOBS)]
    _, imports = top_imports(python, argv, 5)
    stats_file = work / "noop.prof"
    subprocess.run([python, "-m", "cProfile", "-o", str(stats_file), *argv], cwd=ROOT, env=python_env(),
                   capture_output=True)
    if not stats_file.exists():
        return {"imports": imports, "functions": [], "total": None}
    stats = pstats.Stats(str(stats_file))
    total = stats.total_tt  # type: ignore[attr-defined]
    functions = []
    for (filename, _line, name), (_, _, _, cumulative, _) in stats.stats.items():  # type: ignore[attr-defined]
        if "/typeset/" in filename and "cli.py" not in filename and not filename.endswith("__main__.py") \
                and name != "<module>":
            functions.append((cumulative, f"{Path(filename).parent.name}/{Path(filename).name}:{name}"))
    functions.sort(reverse=True)
    return {"imports": imports, "functions": functions[:12], "total": total}


def warm_editions(python: str, runs: int) -> dict[str, dict[str, float]] | str:
    """Each example edition's median render time inside one warm process (and its first, cold one)."""
    out = subprocess.run([python, "-c", WARM, str(runs), EXAMPLES], cwd=ROOT, env=python_env(),
                         capture_output=True, text=True)
    if out.returncode != 0:
        return (out.stderr.strip().splitlines() or ["failed"])[-1]
    return json.loads(out.stdout.strip().splitlines()[-1])


def machine(python_info: dict[str, str], pandoc: str | None) -> dict:
    pandoc_version = (subprocess.run([pandoc, "--version"], capture_output=True, text=True).stdout.split("\n")[0]
                      if pandoc else "pandoc not found")
    facts = machine_facts()
    facts.update({k: v for k, v in python_info.items() if k in ("python", "weasyprint", "typeset")})
    facts["pandoc"] = pandoc_version
    return facts


def verdict(ratio: float, target: float) -> str:
    return f"(target ≤ {target:g}: {'ok' if ratio <= target else 'OVER'})"


def report(info: dict, jobs: list[Job], runs: int, imports: dict, warm_figures: dict[str, dict[str, float]] | str,
           warm_runs: int, noop: dict) -> None:
    by_name = {job.name: job for job in jobs}
    print(f"typeset {info['typeset']} benchmarks — {info['date']}")
    print(f"machine: {info['cpus']} CPU(s), {info['cpu']}, load {' '.join(f'{x:.2f}' for x in info['load'])}"
          f" (at the end: {info['load_end']})")
    print(f"python {info['python']}, WeasyPrint {info['weasyprint']}, {info['pandoc']}, {runs} timed run(s) per job")
    print()
    header = f"{'job':<20} {'median s':>9} {'min s':>7} {'runs':>5}  vs anchor"
    print(header + "\n" + "-" * (len(header) + 40))
    for job in jobs:
        if job.name.startswith(("typeset pdf", "batch")):
            print()
        if job.median is None:
            print(f"{job.name:<20} {'n/a':>9} {'n/a':>7} {len(job.times):>5}  {job.error or ''}")
            continue
        vs = ""
        anchor = by_name.get(job.anchor or "")
        if anchor and anchor.median:
            ratio = job.median / anchor.median
            vs = f"{ratio:5.2f} × {anchor.name}" + (f"  {verdict(ratio, job.target)}" if job.target else "")
        elif anchor:
            vs = f"n/a ({anchor.name}: {anchor.error})"
        print(f"{job.name:<20} {job.median:>9.3f} {min(job.times):>7.3f} {len(job.times):>5}  {vs}")
    print()
    print(f"`typeset --help` imports weasyprint: {'yes' if imports['imports_weasyprint'] else 'no'}; "
          "slowest top-level imports: " + ", ".join(f"{n} {s:.3f}s" for s, n in imports["slowest"]))
    print()
    print("peak memory (median max RSS of the process, MiB)")
    for lang in LANGS:
        ts, bare = by_name[f"typeset pdf {lang}"], by_name[f"weasyprint {lang}"]
        if ts.peak_mib and bare.peak_mib:
            print(f"  pdf {lang}: typeset {ts.peak_mib:6.1f}   bare WeasyPrint {bare.peak_mib:6.1f}   "
                  f"ratio {ts.peak_mib / bare.peak_mib:.2f}")
        else:
            print(f"  pdf {lang}: n/a")

    print()
    batch = by_name["batch examples"]
    if isinstance(warm_figures, str):
        print(f"warm single editions: n/a ({warm_figures})")
        return
    warm, first = warm_figures["median"], warm_figures["first"]
    total = sum(warm.values())
    print(f"batch: `typeset build {EXAMPLES} --force -j {BATCH_JOBS}` ({len(warm)} editions) against the warm "
          f"single editions (median of {warm_runs} renders each in one warm process)")
    if batch.median:
        ideal = total / BATCH_JOBS
        ratio = batch.median / ideal
        print(f"  batch {batch.median:.2f} s   sum of warm editions {total:.2f} s / {BATCH_JOBS} jobs = {ideal:.2f} s"
              f"   ratio {ratio:.2f} {verdict(ratio, 1.3)}")
        seed_pdf = by_name["typeset pdf en"].median
        if seed_pdf:
            print(f"  batch {batch.median:.2f} s = {batch.median / seed_pdf:.1f} × one seed PDF edition process "
                  f"(typeset pdf en, {seed_pdf:.2f} s) {verdict(batch.median / seed_pdf, 4)}")
    else:
        print(f"  batch n/a ({batch.error}); sum of warm editions {total:.2f} s")
    print(f"  the same editions' first renders in that process (cold caches: fonts, hyphenation, CLDR): "
          f"sum {sum(first.values()):.2f} s, {sum(first.values()) - total:+.2f} s on the warm sum")
    for fmt in FORMATS:
        per = {k: v for k, v in warm.items() if k.endswith(f" {fmt}")}
        print(f"  warm {fmt:<4}: {len(per)} editions, sum {sum(per.values()):6.2f} s, "
              f"median {statistics.median(per.values()):.3f} s, max {max(per.values()):.3f} s "
              f"({max(per, key=per.get)})")
    seed = {k: v for k, v in warm.items() if k.startswith("icor-2017") and k.endswith(" pdf")}
    print(f"  PDF edition in a warm worker vs {SEED_PDF_SECONDS} s "
          f"(Typst, the seed; target ≤ {WARM_PDF_TARGET * SEED_PDF_SECONDS:g} s):")
    for label, seconds in sorted(seed.items()):
        print(f"    {label}: {seconds:.3f} s = {seconds / SEED_PDF_SECONDS:.1f} × Typst "
              f"{verdict(seconds, WARM_PDF_TARGET * SEED_PDF_SECONDS)}")

    print()
    noop_job, base = by_name["no-op rebuild"], by_name["typeset --help"]
    if noop_job.median and base.median:
        print(f"no-op rebuild (the same build again, no --force): {noop_job.median:.2f} s = "
              f"{noop_job.median / base.median:.2f} × `typeset --help` ({base.median:.3f} s) "
              f"{verdict(noop_job.median / base.median, 1.5)}; where it goes (one run each):")
    print("  top-level imports (-X importtime, cumulative s): "
          + ", ".join(f"{n} {s:.2f}" for s, n in noop["imports"]))
    if noop["functions"]:
        print(f"  typeset functions (cProfile, cumulative s of {noop['total']:.2f} s profiled):")
        for seconds, name in noop["functions"]:
            print(f"    {seconds:6.2f}  {name}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0],
                                     epilog="Details and the meaning of each figure: benchmarks/README.md")
    parser.add_argument("--runs", type=int, default=5, metavar="N", help="timed runs per job (default 5)")
    parser.add_argument("--quick", action="store_true",
                        help="3 timed runs per job (2 for the batch and the no-op rebuild), 1 warm render per edition")
    parser.add_argument("--json", type=Path, metavar="FILE", help="also write the raw figures to FILE")
    parser.add_argument("--python", default=default_python(),
                        help="the interpreter with typeset and WeasyPrint installed (default: %(default)s)")
    parser.add_argument("-q", "--quiet", action="store_true", help="no progress on stderr")
    args = parser.parse_args()
    runs = 3 if args.quick else args.runs
    warm_runs = 1 if args.quick else 3
    if runs < 1:
        parser.error("--runs must be at least 1")
    pandoc = shutil.which("pandoc")
    with tempfile.TemporaryDirectory(prefix="typeset-bench-") as tmp:
        work = Path(tmp)
        # typeset's persistent cache (font subsets, coverage, hyphenation, fontconfig's scan) in a
        # folder of this run, never the user's: the warm-up fills it, the timed runs find it full
        os.environ["TYPESET_CACHE_DIR"] = str(work / "cache")
        python_info = prepare(args.python, work)
        info = machine(python_info, pandoc)
        jobs = make_jobs(args.python, work, python_info["base_url"], pandoc, 2 if args.quick else None)
        if not args.quiet:
            print(f"benchmarking {len(jobs)} jobs × (1 warm-up + {runs}) runs …", file=sys.stderr)
        measure(jobs, runs, progress=not args.quiet)
        if not args.quiet:
            print(f"warm single editions ({warm_runs} timed renders each), profiling the no-op rebuild …",
                  file=sys.stderr)
        warm = warm_editions(args.python, warm_runs)
        imports = help_imports(args.python)
        noop = noop_profile(args.python, work)
        info["load_end"] = " ".join(f"{x:.2f}" for x in os.getloadavg())
    report(info, jobs, runs, imports, warm, warm_runs, noop)
    if args.json:
        raw = {"machine": info, "runs": runs, "help": imports, "warm_runs": warm_runs, "warm": warm,
               "noop_profile": noop,
               "jobs": [{**{k: v for k, v in asdict(j).items() if k != "env"}, "median": j.median,
                         "min": min(j.times, default=None), "peak_mib": j.peak_mib} for j in jobs]}
        args.json.write_text(json.dumps(raw, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
