#!/usr/bin/env python3
"""Time the HTML edition against pandoc's Markdown → HTML on the same content, and weigh its pages.

Per edition, in one run, each a whole process (interpreter start-up and imports included):
`typeset build … -f html --force` with --html-fonts inline (the default), files and none, and
`pandoc LANG.md -s` on the same text. Then, in one warm process, what the live preview and
`typeset watch` pay per change: the document read again (validated, linted, preflighted) and the
page made — without fonts (the preview serves the font files as they are) and with its fonts
inlined (subsets already cut: a watch rebuild after an edit that adds no new character).
Whole processes are timed around spawn and wait after an untimed warm-up, round-robin, so that a
busy neighbour hits all jobs alike; the report shows medians, minima and each ratio to pandoc
(target ≤ 3), and the size of each page: fonts inlined, and the page plus its font files.

    benchmarks/html_edition.py [--runs N] [--quick] [--all] [--json FILE] [--python PY] [-q]

Standard library only; the program below runs in the benchmarked interpreter (the one with typeset).
See benchmarks/README.md for how to read it.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EDITIONS = (("examples/icor-2017", "en"), ("examples/icor-2017", "de"), ("examples/icor-2017", "ru"),
            ("examples/extreme-heat-2024", "en"), ("examples/extreme-heat-2024", "ar"),
            ("examples/extreme-heat-2024", "ja"), ("examples/extreme-heat-2024", "zh-Hans"))
MODES = ("inline", "files", "none")
TARGET = 3.0

# Runs in the benchmarked interpreter. Per edition it writes NAME.md, the same content for pandoc (the
# language file as it is — front matter, body, the slogans div — then each signatory group as a
# heading and a list with typeset's numbers), then times, in this one process, reading the document
# again and making the page without fonts and with its fonts inlined (subsets cut in the warm-up).
PREPARE = r"""
import json, statistics, sys, time
from pathlib import Path
import typeset
from typeset.prepare import prepare
from typeset.model.edition import make_edition
from typeset.render.html import page, render
from typeset.world import World

out, repeats = Path(sys.argv[1]), int(sys.argv[2])
escape = str.maketrans({c: "\\" + c for c in "\\`*_[]<>#"})
report = {"typeset": typeset.__version__, "python": sys.version.split()[0], "editions": {}}
for spec in sys.argv[3:]:
    source, wanted = spec.rsplit(":", 1)
    prepared = prepare(Path(source), World([]))
    document, context = prepared.document, prepared.context
    declared = [language.tag for language in document.languages]
    tag = next((d for d in declared if d.lower() == wanted.lower()), None) or next(
        d for d in declared if d.split("-")[0].lower() == wanted.lower())
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
    name = f"{Path(source).name}.{wanted}"
    (out / f"{name}.md").write_text("\n".join(lines), encoding="utf-8")
    render(edition, context)  # warm-up: imports, templates, the subsets
    times = {"preview": [], "watch": []}
    for _ in range(repeats):
        started = time.perf_counter()
        again = prepare(Path(source), World([]))
        page(make_edition(again.document, tag), again.context)
        times["preview"].append(time.perf_counter() - started)
        started = time.perf_counter()
        again = prepare(Path(source), World([]))
        render(make_edition(again.document, tag), again.context)
        times["watch"].append(time.perf_counter() - started)
    report["editions"][name] = {"tag": tag, **{k: statistics.median(v) for k, v in times.items()}}
print(json.dumps(report))
"""


@dataclass
class Job:
    name: str
    argv: list[str]
    edition: str = ""
    anchor: str | None = None
    times: list[float] = field(default_factory=list)
    error: str | None = None

    @property
    def median(self) -> float | None:
        return statistics.median(self.times) if self.times and not self.error else None


def run_once(argv: list[str]) -> tuple[float, int, str]:
    with tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(argv, cwd=ROOT, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=err)
        _, status, _ = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        err.seek(0)
        tail = (err.read().decode("utf-8", "replace").strip().splitlines() or [""])[-1]
    return seconds, proc.returncode, tail


def measure(jobs: list[Job], runs: int, progress: bool) -> None:
    for job in (j for j in jobs if not j.error):  # warm-up: page cache, .pyc files; weeds out failures
        _, code, tail = run_once(job.argv)
        if code != 0:
            job.error = f"exit {code}: {tail}"
    for number in range(runs):
        if progress:
            print(f"  round {number + 1}/{runs} …", file=sys.stderr, flush=True)
        for job in (j for j in jobs if not j.error):
            seconds, code, tail = run_once(job.argv)
            if code != 0:
                job.error = f"exit {code} in round {number + 1}: {tail}"
            else:
                job.times.append(seconds)


def sizes(work: Path, name: str, document_id: str, tag: str) -> dict[str, int]:
    """Bytes of the page per mode, and of the fonts written beside it."""
    found = {}
    for mode in MODES:
        folder = work / f"out-{name}-{mode}" / document_id
        found[mode] = (folder / f"{document_id}.{tag}.html").stat().st_size
        if mode == "files":
            fonts = list((folder / "fonts" / tag).glob("*.woff2"))
            found["fonts"], found["font files"] = sum(f.stat().st_size for f in fonts), len(fonts)
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0],
                                     epilog="Details and the meaning of each figure: benchmarks/README.md")
    parser.add_argument("--runs", type=int, default=5, metavar="N", help="timed runs per job (default 5)")
    parser.add_argument("--quick", action="store_true", help="2 timed runs per job")
    parser.add_argument("--all", action="store_true", help="every edition of every example (default: seven)")
    parser.add_argument("--json", type=Path, metavar="FILE", help="also write the raw figures to FILE")
    parser.add_argument("--python", default=sys.executable, help="the interpreter with typeset (default: %(default)s)")
    parser.add_argument("-q", "--quiet", action="store_true", help="no progress on stderr")
    args = parser.parse_args()
    runs = 2 if args.quick else args.runs
    pandoc = shutil.which("pandoc")
    editions = list(EDITIONS)
    if args.all:
        import re

        editions = [(f"examples/{p.parent.name}", tag) for p in sorted((ROOT / "examples").glob("*/document.yaml"))
                    for tag in re.search(r"^languages: \[(.*)\]", p.read_text(encoding="utf-8"), re.M)[1].split(", ")]
    with tempfile.TemporaryDirectory(prefix="typeset-bench-html-") as tmp:
        work = Path(tmp)
        specs = [f"{source}:{lang}" for source, lang in editions]
        if not args.quiet:
            print(f"reading {len(specs)} editions and timing rebuilds in one process …", file=sys.stderr)
        prepared = subprocess.run([args.python, "-c", PREPARE, str(work), str(max(3, runs)), *specs], cwd=ROOT,
                                  capture_output=True, text=True)
        if prepared.returncode != 0:
            sys.exit(f"benchmarks/html_edition.py: could not prepare with {args.python}:\n{prepared.stderr}")
        info = json.loads(prepared.stdout.strip().splitlines()[-1])
        jobs = [Job("python -c pass", [args.python, "-c", "pass"])]
        for source, lang in editions:
            name = f"{Path(source).name}.{lang}"
            for mode in MODES:
                jobs.append(Job(f"typeset {mode}", [args.python, "-m", "typeset", "build", source, "-l", lang, "-f",
                                                    "html", "--html-fonts", mode, "--force", "--out",
                                                    str(work / f"out-{name}-{mode}")], name, anchor="pandoc"))
            jobs.append(Job("pandoc", [pandoc, str(work / f"{name}.md"), "-s", "-o", str(work / f"{name}.pandoc.html")]
                            if pandoc else [], name, error=None if pandoc else "pandoc not found"))
        if not args.quiet:
            print(f"timing {len(jobs)} jobs × (1 warm-up + {runs}) runs …", file=sys.stderr)
        measure(jobs, runs, progress=not args.quiet)
        weights = {}
        for source, lang in editions:
            name = f"{Path(source).name}.{lang}"
            document_id = next(p.name for p in (work / f"out-{name}-inline").iterdir() if p.is_dir())
            weights[name] = sizes(work, name, document_id, info["editions"][name]["tag"])
            pandoc_page = work / f"{name}.pandoc.html"
            weights[name]["pandoc"] = pandoc_page.stat().st_size if pandoc_page.exists() else 0
    pandoc_version = subprocess.run([pandoc, "--version"], capture_output=True, text=True).stdout.split("\n")[0] \
        if pandoc else "pandoc not found"
    report(info, jobs, weights, runs, pandoc_version)
    if args.json:
        raw = {"info": info, "runs": runs, "sizes": weights,
               "jobs": [{**asdict(j), "median": j.median} for j in jobs]}
        args.json.write_text(json.dumps(raw, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def _verdict(ratio: float) -> str:
    return f"(target ≤ {TARGET:.1f}: {'ok' if ratio <= TARGET else 'OVER'})"


def report(info: dict, jobs: list[Job], weights: dict[str, dict[str, int]], runs: int, pandoc_version: str) -> None:
    print(f"typeset {info['typeset']} — the HTML edition against pandoc, {time.strftime('%Y-%m-%d %H:%M')}")
    print(f"machine: {os.cpu_count()} CPU(s), load {' '.join(f'{x:.2f}' for x in os.getloadavg())}; "
          f"python {info['python']}, {pandoc_version}; {runs} timed run(s) per job")
    floor = next(j for j in jobs if j.name == "python -c pass")
    print(f"python -c pass: {floor.median:.3f} s (the interpreter's start-up, under every typeset figure)\n"
          if floor.median else "")
    header = f"{'edition':<26} {'job':<16} {'median s':>9} {'min s':>7}  vs pandoc"
    print(header + "\n" + "-" * (len(header) + 30))
    by_edition: dict[str, list[Job]] = {}
    for job in jobs[1:]:
        by_edition.setdefault(job.edition, []).append(job)
    for edition, group in by_edition.items():
        anchor = next((j for j in group if j.name == "pandoc"), None)
        base = anchor.median if anchor else None
        for job in sorted(group, key=lambda j: j.name != "pandoc"):
            if job.median is None:
                print(f"{edition:<26} {job.name:<16} {'n/a':>9} {'n/a':>7}  {job.error or ''}")
                continue
            ratio = f"{job.median / base:6.2f} × {_verdict(job.median / base)}" if base and job is not anchor else ""
            print(f"{edition:<26} {job.name:<16} {job.median:>9.3f} {min(job.times):>7.3f}  {ratio}")
        for kind, label in (("preview", "preview rebuild"), ("watch", "watch rebuild")):
            seconds = info["editions"][edition][kind]
            ratio = f"{seconds / base:6.2f} × {_verdict(seconds / base)}" if base else ""
            print(f"{edition:<26} {label:<16} {seconds:>9.3f} {'':>7}  {ratio}")
        print()
    print("in one process: 'preview rebuild' reads the document again and makes the page without fonts (the preview")
    print("serves the font files); 'watch rebuild' makes it with its fonts inlined, the subsets already cut.\n")
    print(f"{'page sizes':<26} {'inline':>10} {'files: page':>12} {'+ fonts':>10} {'(files)':>8} "
          f"{'none':>9} {'pandoc':>9}")
    for edition, w in weights.items():
        print(f"{edition:<26} {_kib(w['inline']):>10} {_kib(w['files']):>12} {_kib(w['fonts']):>10} "
              f"{w['font files']:>8} {_kib(w['none']):>9} {_kib(w['pandoc']):>9}")


def _kib(count: int) -> str:
    return f"{count / 1024:.0f} KiB" if count >= 1024 else f"{count} B"


if __name__ == "__main__":
    main()
