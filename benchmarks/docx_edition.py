#!/usr/bin/env python3
"""The DOCX edition against pandoc's Markdown → DOCX on the same content, and at 1,000 and
10,000 signatories, as whole processes on this machine.

For each example edition below and for documents of 1,000 and 10,000 signatories in many
scripts (written by benchmarks/generate.py: numbered variants of the signatories of
examples/extreme-heat-2024), it times, round-robin after one untimed warm-up run of each job:

- ``typeset docx``: ``python -m typeset build SRC -l LANG -f docx --out TMP --force -j 1``, the
  fonts embedded (the default);
- ``no fonts``: the same with ``--no-embed-fonts``;
- ``pandoc``: ``pandoc LANG.md -o out.docx``, where LANG.md is the edition's text (the language
  file as it is) followed by every signatory group as a heading and a list with typeset's
  numbers, names, romanizations, translations and countries (written once, before timing, by a
  small program in the benchmarked interpreter);
- and, in one process with the document loaded once, the DOCX renderer alone: its first render
  (the font subsets made) and the median of three more (subsets reused), with and without fonts.

It prints per job the median and minimum seconds, the median peak memory (ru_maxrss from
os.wait4), the file size, typeset's DOCX against pandoc in the same run (target ≤ 3), what
embedding the fonts costs in time and bytes, and the growth from 1,000 to 10,000 signatories
(linear: ≤ 11 for ten times the signatories).

    . .venv/bin/activate
    python benchmarks/docx_edition.py                      # 5 runs per job, 3 for 10,000 signatories
    python benchmarks/docx_edition.py --runs 3 --large-runs 1 --no-scale
    python benchmarks/docx_edition.py --json /tmp/docx.json
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _bench import ROOT, default_python, machine, median, python_env, run_once

EDITIONS = (("examples/icor-2017", "en-GB"), ("examples/icor-2017", "de"), ("examples/icor-2017", "ru"),
            ("examples/extreme-heat-2024", "en"), ("examples/extreme-heat-2024", "ar"),
            ("examples/extreme-heat-2024", "hi"), ("examples/extreme-heat-2024", "ja"))
SIZES = (1000, 10000)

# Runs in the benchmarked interpreter: LANG.md for pandoc from typeset's own edition.
PREPARE = r"""
import sys
from pathlib import Path
from typeset.model import make_edition
from typeset.source import load_document
from typeset.world import World
source, lang, target = Path(sys.argv[1]), sys.argv[2], Path(sys.argv[3])
document = load_document(source, World([])).document
edition = make_edition(document, lang)
escape = str.maketrans({c: "\\" + c for c in "\\`*_[]<>#"})
lines = [document.texts[lang].path.read_text(encoding="utf-8").rstrip(), ""]
for group in edition.groups:
    lines += [f"## {group.heading}", ""]
    for e in group.entries:
        words = [p.text for p in (e.abbreviation, e.name) if p]
        words += [f"({p.text})" for p in (e.romanized, e.translation) if p]
        text = " ".join(words) + (f", {e.country}" if e.country else "")
        marker = f"{e.number}. " if e.number is not None else "- "
        lines.append(marker + text.translate(escape))
    lines.append("")
target.write_text("\n".join(lines), encoding="utf-8")
"""


# Runs in the benchmarked interpreter: the DOCX renderer alone, inside one process (the document
# loaded once): the first render (font subsets made) and the median of the next ones.
IN_PROCESS = r"""
import datetime as dt, json, statistics, sys, time
from dataclasses import replace
from pathlib import Path
from typeset.fonts import load_fonts
from typeset.layout import load_layout
from typeset.model import make_edition
from typeset.render import RenderContext, RenderOptions
from typeset.render.docx import render
from typeset.source import load_document
from typeset.world import World
source, lang, runs = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3])
document = load_document(source, World([])).document
layout = load_layout(document.layout or "resolution", World([]))
world = World([source, layout.root])
context = RenderContext(layout, load_fonts(world), world, dt.datetime(2024, 1, 1, tzinfo=dt.timezone.utc))
edition = make_edition(document, lang)
found = {}
for embed in (True, False):
    ctx = replace(context, options=RenderOptions(docx_embed_fonts=embed))
    times = []
    for _ in range(runs + 1):
        start = time.perf_counter()
        render(edition, ctx)
        times.append(time.perf_counter() - start)
    found["fonts" if embed else "plain"] = [times[0], statistics.median(times[1:])]
print(json.dumps(found))
"""


@dataclass
class Job:
    name: str
    argv: list[str]
    output: Path | None = None
    runs: int = 5
    times: list[float] = field(default_factory=list)
    rss_kib: list[int] = field(default_factory=list)
    error: str | None = None

    @property
    def median(self) -> float | None:
        return median(self.times) if not self.error else None

    def size(self) -> int | None:
        if self.output is None:
            return None
        files = [self.output] if self.output.is_file() else sorted(self.output.rglob("*.docx"))
        return files[0].stat().st_size if files else None


def measure(jobs: list[Job], progress: bool) -> None:
    for job in jobs:  # warm-up: page cache, .pyc files; weeds out failures
        run = run_once(job.argv, env=python_env())
        if run.code != 0:
            job.error = f"exit {run.code}: {run.tail}"
    for round_ in range(max(job.runs for job in jobs)):
        if progress:
            print(f"  round {round_ + 1} …", file=sys.stderr, flush=True)
        for job in jobs:
            if job.error or len(job.times) >= job.runs:
                continue
            run = run_once(job.argv, env=python_env())
            if run.code != 0:
                job.error = f"exit {run.code}: {run.tail}"
                continue
            job.times.append(run.seconds)
            job.rss_kib.append(run.rss_kib)


def jobs_for(python: str, source: Path, lang: str, label: str, work: Path, pandoc: str | None,
             runs: int) -> list[Job]:
    markdown = work / f"{label}.md"
    prepared = subprocess.run([python, "-c", PREPARE, str(source), lang, str(markdown)], cwd=ROOT, env=python_env(),
                              capture_output=True, text=True, check=False)
    build = [python, "-m", "typeset", "build", str(source), "-l", lang, "-f", "docx", "--force", "-j", "1"]
    jobs = [Job(f"typeset docx {label}", [*build, "--out", str(work / f"{label}-fonts")], work / f"{label}-fonts",
                runs),
            Job(f"no fonts {label}", [*build, "--no-embed-fonts", "--out", str(work / f"{label}-plain")],
                work / f"{label}-plain", runs)]
    pandoc_job = Job(f"pandoc {label}", [pandoc or "pandoc", str(markdown), "-o", str(work / f"{label}.docx")],
                     work / f"{label}.docx", runs)
    if not pandoc:
        pandoc_job.error = "pandoc not found"
    elif prepared.returncode != 0:
        pandoc_job.error = f"could not write {markdown.name}: {prepared.stderr.strip().splitlines()[-1:]}"
    return [*jobs, pandoc_job]


def ratio(a: float | None, b: float | None) -> float | None:
    return a / b if a is not None and b else None


def in_process(python: str, source: Path, lang: str, runs: int) -> dict[str, list[float]] | str:
    out = subprocess.run([python, "-c", IN_PROCESS, str(source), lang, str(runs)], cwd=ROOT, env=python_env(),
                         capture_output=True, text=True, check=False)
    if out.returncode != 0:
        return (out.stderr.strip().splitlines() or ["failed"])[-1]
    return json.loads(out.stdout.strip().splitlines()[-1])


def report(groups: list[tuple[str, list[Job]]], sizes: list[int]) -> dict:
    print(f"{'job':<34} {'median s':>9} {'min s':>8} {'MiB':>7} {'KiB':>8}  notes")
    results = {}
    for label, jobs in groups:
        typeset, plain, pandoc = jobs
        for job in jobs:
            if job.error:
                print(f"{job.name:<34} {'n/a':>9} {'':>8} {'':>7} {'':>8}  {job.error}")
                continue
            size = job.size()
            note = ""
            if job is typeset:
                vs = ratio(typeset.median, pandoc.median)
                note = (f"vs pandoc {vs:.2f} (target ≤ 3: {'ok' if vs <= 3 else 'OVER'})" if vs else "")
            if job is plain and typeset.median and plain.median:
                extra = (typeset.size() or 0) - (plain.size() or 0)
                note = f"embedding costs {typeset.median - plain.median:+.2f} s and {extra / 1024:+,.0f} KiB"
            print(f"{job.name:<34} {job.median:>9.3f} {min(job.times):>8.3f} {median(job.rss_kib) / 1024:>7.0f} "
                  f"{(size or 0) / 1024:>8.0f}  {note}")
        results[label] = {job.name: {"median": job.median, "min": min(job.times) if job.times else None,
                                     "rss_mib": median(job.rss_kib) / 1024 if job.rss_kib else None,
                                     "bytes": job.size(), "error": job.error} for job in jobs}
    if len(sizes) == 2:
        small, large = (dict(groups)[f"{n // 1000}k"] for n in sizes)
        print(f"\ngrowth from {sizes[0]:,} to {sizes[1]:,} signatories ({sizes[1] / sizes[0]:g}×; linear: ≤ 11):")
        for few, many in zip(small, large, strict=True):
            grows = ratio(many.median, few.median)
            verdict = "" if grows is None else f"{grows:.2f}× ({'ok' if grows <= 11 else 'OVER'})"
            print(f"  {few.name.rsplit(' ', 1)[0]:<20} {verdict or 'n/a'}")
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--python", default=default_python(), help="the interpreter to benchmark")
    parser.add_argument("--runs", type=int, default=5, help="timed runs per job")
    parser.add_argument("--large-runs", type=int, default=3, help="timed runs per job at 10,000 signatories")
    parser.add_argument("--no-scale", action="store_true", help="only the examples, not 1,000 and 10,000")
    parser.add_argument("--json", type=Path, help="write the figures here")
    parser.add_argument("-q", "--quiet", action="store_true", help="no progress on stderr")
    args = parser.parse_args(argv)
    pandoc = shutil.which("pandoc")
    groups: list[tuple[str, list[Job]]] = []
    with tempfile.TemporaryDirectory(prefix="typeset-bench-docx-") as folder:
        work = Path(folder)
        for source, lang in EDITIONS:
            label = f"{Path(source).name} {lang}".replace(" ", "-")
            groups.append((label, jobs_for(args.python, ROOT / source, lang, label, work, pandoc, args.runs)))
        sizes = [] if args.no_scale else list(SIZES)
        for n in sizes:
            generated = work / f"gen-{n}"
            subprocess.run([args.python, str(ROOT / "benchmarks" / "generate.py"), str(generated), "-n", str(n),
                            "-l", "en"], cwd=ROOT, env=python_env(), check=True, capture_output=True)
            runs = args.large_runs if n >= 5000 else args.runs
            groups.append((f"{n // 1000}k", jobs_for(args.python, generated, "en", f"{n // 1000}k", work, pandoc,
                                                     runs)))
        if not args.quiet:
            print(f"timing {sum(len(j) for _, j in groups)} jobs …", file=sys.stderr)
        measure([job for _, jobs in groups for job in jobs], not args.quiet)
        renders = {}
        for (label, _), (source, lang) in zip(groups, [(ROOT / s, tag) for s, tag in EDITIONS]
                                               + [(work / f"gen-{n}", "en") for n in sizes], strict=True):
            renders[label] = in_process(args.python, source, lang, 3 if label != "10k" else 1)
        facts = machine()
        print(f"# DOCX edition against pandoc — {facts.get('date', '')}, {facts.get('cpus', '?')} CPUs, "
              f"load {facts.get('load', '?')}\n")
        results = report(groups, sizes)
        print("\nthe renderer alone, inside one process (seconds: first render, then the median of the next;"
              " pandoc's whole process for scale):")
        for label, jobs in groups:
            found = renders[label]
            if isinstance(found, str):
                print(f"  {label:<24} n/a: {found}")
                continue
            pandoc = jobs[2].median
            print(f"  {label:<24} fonts {found['fonts'][0]:.3f} / {found['fonts'][1]:.3f}   "
                  f"no fonts {found['plain'][0]:.3f} / {found['plain'][1]:.3f}   "
                  f"pandoc {pandoc:.3f}" if pandoc else "")
            results[label]["render_in_process"] = found
    if args.json:
        args.json.write_text(json.dumps({"machine": facts, "results": results}, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
