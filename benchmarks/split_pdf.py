#!/usr/bin/env python3
"""Does splitting a very long PDF into parts rendered in parallel beat one WeasyPrint render?

An experiment, not a feature: typeset renders an edition in one WeasyPrint process. Here the
HTML of one edition (captured from typeset's PDF renderer, as in benchmarks/run.py) is laid out

- **one**: as it is, by bare WeasyPrint in one process (what typeset does);
- **split**: cut into PARTS pieces at signatory boundaries, each a complete HTML page with the same
  stylesheets, rendered by bare WeasyPrint in WORKERS processes at a time. The piece of a list
  that continues another keeps its numbers (each ``<li>`` carries ``value``, the ``<ol>`` gets
  ``start`` and ``counter-reset: list-item``); the page-margin boxes (the "Page X of Y" foot) are
  emptied, because no part knows the page it starts on nor the total until the parts before it
  are laid out. Then the parts are merged with pypdf (``PdfWriter.append``, outlines included),
  and the page foot is stamped: WeasyPrint lays out a foot-only document of as many blank pages
  as the merged PDF has (same CSS, so the same "Page X of Y", fonts and position), and pypdf
  merges its page i onto page i.

Wall time is from the first spawn to the file written; peak memory is each process's own
ru_maxrss (os.wait4), and for the split the sum over the processes that ran at the same time,
which is what the machine must hold. The script then checks what the split changes in the
result: pages, file size (every part embeds its own font subsets), outline entries, the
tagged-PDF structure tree, and ``/ActualText`` spans.

    . .venv/bin/activate
    python benchmarks/split_pdf.py                            # 10,000 signatories, 2 parts, 2 workers, 3 runs
    python benchmarks/split_pdf.py -n 1000 --parts 4 --workers 2 --runs 5
    python benchmarks/split_pdf.py --source examples/extreme-heat-2024 --lang hi

Needs pypdf in the benchmarked interpreter (the merge runs there) and poppler's pdfinfo.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
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

MARGIN_BOXES = ("top-left-corner", "top-left", "top-center", "top-right", "top-right-corner", "right-top",
                "right-middle", "right-bottom", "bottom-right-corner", "bottom-right", "bottom-center",
                "bottom-left", "bottom-left-corner", "left-bottom", "left-middle", "left-top")
NO_MARGIN_BOXES = "<style>@page { " + " ".join(f"@{box} {{ content: none; }}" for box in MARGIN_BOXES) + " }</style>\n"

# Runs in the benchmarked interpreter (argv: OUT, FOOT PDF or "-", PART…): merge the parts
# with pypdf, stamp the foot pages on (and compress the merged content again), drop duplicate
# objects (the foot's font, repeated on every page), write OUT; prints the seconds of each step
# as JSON, and the size before the deduplication (written to memory, not counted in the time).
MERGE = r"""
import io, json, sys, time
from pypdf import PdfReader, PdfWriter
out, foot, parts = sys.argv[1], sys.argv[2], sys.argv[3:]
times = {}
start = time.perf_counter()
writer = PdfWriter()
for part in parts:
    writer.append(part, import_outline=True)
times["merge"] = time.perf_counter() - start
if foot != "-":
    start = time.perf_counter()
    for page, stamp in zip(writer.pages, PdfReader(foot).pages):
        page.merge_page(stamp)
        page.compress_content_streams()  # merge_page leaves the merged content uncompressed
    times["stamp"] = time.perf_counter() - start
start = time.perf_counter()
raw = io.BytesIO()
writer.write(raw)
untimed = time.perf_counter() - start  # only to know the size before deduplication
start = time.perf_counter()
writer.compress_identical_objects()  # both duplicates and unreferenced objects, by default
times["deduplicate"] = time.perf_counter() - start
start = time.perf_counter()
with open(out, "wb") as f:
    writer.write(f)
times["write"] = time.perf_counter() - start
print(json.dumps({"times": times, "untimed": untimed, "raw_bytes": len(raw.getvalue())}))
"""

# Runs in the benchmarked interpreter (argv: PDF…): what the split may have changed.
INSPECT = r"""
import json, sys
from pypdf import PdfReader
def count(items):
    return sum(count(i) if isinstance(i, list) else 1 for i in items)
facts = {}
for path in sys.argv[1:]:
    reader = PdfReader(path)
    root = reader.trailer["/Root"]
    fonts, actual_text = set(), 0
    for page in reader.pages:
        resources = page.get("/Resources") or {}
        for font in (resources.get("/Font") or {}).values():
            ref = font.indirect_reference if hasattr(font, "indirect_reference") else None
            font = font.get_object()
            fonts.add((str(font.get("/BaseFont")), ref.idnum if ref is not None else id(font)))
        contents = page.get_contents()
        actual_text += contents.get_data().count(b"/ActualText") if contents is not None else 0
    facts[path] = {"outline": count(reader.outline), "struct_tree": "/StructTreeRoot" in root,
                   "lang": str(root.get("/Lang", "")), "xmp": "/Metadata" in root,
                   "font_objects": len(fonts), "font_names": len({name for name, _ in fonts}),
                   "actual_text": actual_text, "last_page_text": reader.pages[-1].extract_text()[-80:]}
print(json.dumps(facts))
"""

# Bare WeasyPrint with typeset's exact text layer (--text-layer): the same argv as BARE_WEASYPRINT.
TEXT_LAYER_WEASYPRINT = (
    "import json, sys\nfrom weasyprint import HTML\nfrom typeset.render.pdf_text import exact_text_layer\n"
    "with exact_text_layer():\n    HTML(filename=sys.argv[1], base_url=sys.argv[2]).write_pdf("
    "sys.argv[3], **json.load(open(sys.argv[4])))")

LI = re.compile(r"^\s*<li\b.*</li>\s*$")
VALUE = re.compile(r'^\s*<li\b[^>]*\svalue="(\d+)"')
SECTION = re.compile(r'^<section class="group"')
LIST_OPEN = re.compile(r"^\s*<(ol|ul)\b")


@dataclass
class Group:
    open: str  # <section …>
    heading: str  # <h2 …>…</h2>
    list_open: str  # <ol …> or <ul …>
    items: list[tuple[str, int | None]] = field(default_factory=list)  # (line, number)
    list_close: str = ""
    close: str = ""


def parse(html: str) -> tuple[str, str, list[Group], str]:
    """Cut typeset's HTML (the resolution layout) into head, the front matter, the groups, the end."""
    lines = html.splitlines(keepends=True)
    body = next(i for i, line in enumerate(lines) if line.startswith("<body"))
    first = next(i for i, line in enumerate(lines) if SECTION.match(line))
    head, front = "".join(lines[:body + 1]), "".join(lines[body + 1:first])
    groups: list[Group] = []
    i = first
    while i < len(lines) and SECTION.match(lines[i]):
        group = Group(lines[i], lines[i + 1], lines[i + 2])
        i += 3
        while LI.match(lines[i]):
            value = VALUE.match(lines[i])
            group.items.append((lines[i], int(value.group(1)) if value else None))
            i += 1
        group.list_close, group.close = lines[i], lines[i + 1]
        i += 2
        groups.append(group)
    return head, front, groups, "".join(lines[i:])


def split(html: str, parts: int) -> list[str]:
    """``parts`` complete HTML pages, each with about the same number of signatories; the
    margin boxes emptied in every one (the foot is stamped on after the merge)."""
    head, front, groups, end = parse(html)
    head = head.replace("</head>", NO_MARGIN_BOXES + "</head>", 1)
    flat = [(g, k) for g, group in enumerate(groups) for k in range(len(group.items))]
    bounds = [round(len(flat) * p / parts) for p in range(parts + 1)]
    pages = []
    for p in range(parts):
        chunk = flat[bounds[p]:bounds[p + 1]]
        out = [head, front if p == 0 else "<main>\n"]
        for g in sorted({g for g, _ in chunk}):
            group = groups[g]
            ks = [k for gg, k in chunk if gg == g]
            line, number = group.items[ks[0]]
            list_open = group.list_open
            if ks[0] > 0:  # a continued list: no heading; numbers carry on
                list_open = re.sub(r'start="\d+"', f'start="{number}"', list_open)
                list_open = re.sub(r"counter-reset: list-item \d+", f"counter-reset: list-item {(number or 1) - 1}",
                                   list_open)
            out += [group.open.replace('id="group-', f'id="part{p}-group-'), group.heading if ks[0] == 0 else "",
                    list_open, *(group.items[k][0] for k in ks), group.list_close, group.close]
        out.append(end)
        pages.append("".join(out))
    return pages


def foot_html(html: str, pages: int) -> str:
    """The same stylesheets and ``pages`` blank pages: only the margin boxes are drawn."""
    head = html[:html.index("<body")]
    blank = '<div style="break-after: page"></div>\n' * (pages - 1) + "<div></div>\n"
    return head + "<body>\n" + blank + "</body>\n</html>\n"


def run_parallel(argvs: list[list[str]], workers: int,
                 env: dict[str, str]) -> tuple[float, list[int], int, list[float]]:
    """Run the commands, ``workers`` at a time; wall seconds, each one's max RSS (KiB), the
    largest sum of max RSS over processes that ran at the same time (an upper bound of the
    machine's peak), and each one's CPU seconds."""
    start = time.perf_counter()
    waiting = list(enumerate(argvs))
    running: dict[int, tuple[int, float]] = {}  # pid -> (index, start)
    spans: list[tuple[float, float, int]] = []  # (start, end, max RSS)
    rss = [0] * len(argvs)
    cpu = [0.0] * len(argvs)
    while waiting or running:
        while waiting and len(running) < workers:
            index, argv = waiting.pop(0)
            proc = subprocess.Popen(argv, cwd=ROOT, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                    stderr=subprocess.DEVNULL)
            running[proc.pid] = (index, time.perf_counter())
        pid, status, usage = os.wait4(-1, 0)
        index, began = running.pop(pid)
        if os.waitstatus_to_exitcode(status) != 0:
            raise SystemExit(f"part {index + 1} failed (exit {os.waitstatus_to_exitcode(status)}): {argvs[index]}")
        rss[index] = usage.ru_maxrss
        cpu[index] = usage.ru_utime + usage.ru_stime
        spans.append((began, time.perf_counter(), usage.ru_maxrss))
    together = max(sum(k for b, e, k in spans if b <= t < e) for t, _, _ in spans)
    return time.perf_counter() - start, rss, together, cpu


@dataclass
class Figures:
    wall: list[float] = field(default_factory=list)
    steps: dict[str, list[float]] = field(default_factory=dict)
    peak_kib: list[int] = field(default_factory=list)  # largest single process
    concurrent_kib: list[int] = field(default_factory=list)  # sum of the processes running together

    def step(self, name: str, seconds: float) -> None:
        self.steps.setdefault(name, []).append(seconds)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0],
                                     epilog="See benchmarks/README.md for the figures this gave and what they mean.")
    parser.add_argument("-n", "--signatories", type=int, default=10000, help="generated signatories (default 10000)")
    parser.add_argument("--source", type=Path, help="a document folder instead of a generated one")
    parser.add_argument("--lang", default="en", help="the edition (default en)")
    parser.add_argument("--parts", type=int, default=2, help="pieces to cut the HTML into (default 2)")
    parser.add_argument("--workers", type=int, default=2, help="processes at a time (default 2)")
    parser.add_argument("--runs", type=int, default=3, help="timed runs of each strategy (default 3)")
    parser.add_argument("--text-layer", action="store_true",
                        help="render inside typeset's exact text layer (/ActualText), in both strategies")
    parser.add_argument("--pdf-variant", choices=("pdf/ua-1", "pdf/a-3u", "none"),
                        help="WeasyPrint's pdf_variant for both strategies (default: what typeset passes)")
    parser.add_argument("--python", default=default_python(), help="the interpreter with typeset, WeasyPrint, pypdf")
    parser.add_argument("--keep", type=Path, metavar="DIR", help="keep the PDFs and HTML in DIR")
    parser.add_argument("--json", type=Path, metavar="FILE", help="also write the raw figures to FILE")
    args = parser.parse_args()
    python = args.python
    info = machine()

    def say(text: str) -> None:
        print(f"[{load_text()}] {text}", file=sys.stderr, flush=True)

    with tempfile.TemporaryDirectory(prefix="typeset-split-") as tmp:
        work = args.keep or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        source = args.source
        if source is None:
            source = work / f"gen-{args.signatories}"
            say(f"generating {args.signatories:,} signatories …")
            subprocess.run([python, str(ROOT / "benchmarks" / "generate.py"), str(source), "-n",
                            str(args.signatories)], cwd=ROOT, env=python_env(), check=True, capture_output=True)
        captured = capture_pdf_inputs(python, source.resolve(), work, [args.lang])
        env, base_url, options = captured["env"], captured["base_url"], work / "options.json"
        if args.pdf_variant:
            chosen = dict(captured["options"], pdf_variant=None if args.pdf_variant == "none" else args.pdf_variant)
            options.write_text(json.dumps(chosen), encoding="utf-8")

        write_options = json.loads(options.read_text(encoding="utf-8"))

        def weasyprint(html_file: Path, pdf: Path) -> list[str]:
            argv = bare_weasyprint_argv(python, html_file, base_url, pdf, options)
            if args.text_layer:
                argv[2] = TEXT_LAYER_WEASYPRINT
            return argv

        html = (work / f"{args.lang}.html").read_text(encoding="utf-8")
        part_files = []
        for p, page in enumerate(split(html, args.parts)):
            part_files.append(work / f"part{p + 1}.html")
            part_files[-1].write_text(page, encoding="utf-8")
        one_pdf, split_pdf = work / "one.pdf", work / "split.pdf"
        part_pdfs = [work / f"part{p + 1}.pdf" for p in range(args.parts)]
        one, cut = Figures(), Figures()

        say("warm-up (one render of the first part) …")
        run_once(weasyprint(part_files[0], part_pdfs[0]), env=env)
        for round_ in range(args.runs):
            say(f"round {round_ + 1}/{args.runs}: one render …")
            result = run_once(weasyprint(work / f"{args.lang}.html", one_pdf), env=env)
            if result.code != 0:
                raise SystemExit(f"bare WeasyPrint failed: {result.tail}")
            one.wall.append(result.seconds)
            one.step("CPU", result.cpu)
            one.peak_kib.append(result.rss_kib)
            one.concurrent_kib.append(result.rss_kib)

            say(f"round {round_ + 1}/{args.runs}: {args.parts} parts on {args.workers} workers …")
            start = time.perf_counter()
            seconds, rss, concurrent, part_cpu = run_parallel(
                # split may give fewer parts than asked
                [weasyprint(h, pdf) for h, pdf in zip(part_files, part_pdfs, strict=False)],
                args.workers, env)
            cut.step("parts in parallel", seconds)
            cut.step("  CPU of the longest part", max(part_cpu))
            step_start = time.perf_counter()
            pages = sum(pdf_pages(pdf) or 0 for pdf in part_pdfs)
            foot_file, foot_pdf = work / "foot.html", work / "foot.pdf"
            foot_file.write_text(foot_html(html, pages), encoding="utf-8")
            foot = run_once(bare_weasyprint_argv(python, foot_file, base_url, foot_pdf, options), env=env)
            cut.step("page count + foot render", time.perf_counter() - step_start)
            merge_run = subprocess.run([python, "-c", MERGE, str(split_pdf), str(foot_pdf), *map(str, part_pdfs)],
                                       cwd=ROOT, env=env, capture_output=True, text=True)
            if merge_run.returncode != 0:
                raise SystemExit(f"merge failed: {merge_run.stderr}")
            merged = json.loads(merge_run.stdout)
            for name, value in merged["times"].items():
                cut.step(f"pypdf {name}", value)
            cut.wall.append(time.perf_counter() - start - merged["untimed"])
            raw_bytes = merged["raw_bytes"]
            cut.peak_kib.append(max(*rss, foot.rss_kib))
            cut.concurrent_kib.append(concurrent)

        say("inspecting …")
        facts = json.loads(subprocess.run([python, "-c", INSPECT, str(one_pdf), str(split_pdf)], cwd=ROOT, env=env,
                                          capture_output=True, text=True, check=True).stdout)
        sizes = {"one": one_pdf.stat().st_size, "split": split_pdf.stat().st_size}
        page_counts = {"one": pdf_pages(one_pdf), "split": pdf_pages(split_pdf),
                       "parts": [pdf_pages(p) for p in part_pdfs]}
        end_load = load_text()

    print(f"typeset split-PDF experiment — {info['date']}")
    print(f"machine: {info['cpus']} CPU(s), {info['cpu']}, load at start {' '.join(f'{x:.2f}' for x in info['load'])}, "
          f"at end {end_load}; WeasyPrint {captured['weasyprint']}, python {captured['python']}")
    what = f"{args.signatories:,} generated signatories" if args.source is None else str(args.source)
    print(f"document: {what}, edition {args.lang}; {args.parts} parts on {args.workers} workers; "
          f"{args.runs} run(s) of each, medians; write_pdf options {write_options}"
          f"{'; exact text layer' if args.text_layer else ''}")
    print()
    m1, m2 = median(one.wall), median(cut.wall)
    p1, p2 = median(one.peak_kib) / 1024, median(cut.peak_kib) / 1024
    c2 = median(cut.concurrent_kib) / 1024
    print(f"{'':<34}{'one render':>12}{'split':>12}{'split/one':>11}")
    print(f"{'wall time, s':<34}{m1:>12.2f}{m2:>12.2f}{m2 / m1:>10.2f}×")
    for name, values in cut.steps.items():
        mine = f"{median(one.steps['CPU']):>12.2f}" if name == "  CPU of the longest part" else f"{'':>12}"
        print(f"{'  ' + name + ', s':<34}{mine}{median(values):>12.2f}")
    print("  (the longest part's CPU time, against the one render's, is the wall time the split would need"
          " with a free core per part;\n   a wall time far above it means the parts waited for a CPU)")
    print(f"{'peak memory of one process, MiB':<34}{p1:>12.0f}{p2:>12.0f}{p2 / p1:>10.2f}×")
    print(f"{'peak memory, processes together':<34}{p1:>12.0f}{c2:>12.0f}{c2 / p1:>10.2f}×")
    print(f"{'pages':<34}{page_counts['one']:>12}{page_counts['split']:>12}   parts: "
          + " + ".join(str(p) for p in page_counts["parts"]))
    print(f"{'file size, KiB':<34}{sizes['one'] / 1024:>12.0f}{sizes['split'] / 1024:>12.0f}"
          f"{sizes['split'] / sizes['one']:>10.2f}×")
    print(f"{'  before deduplication, KiB':<34}{'':>12}{raw_bytes / 1024:>12.0f}{raw_bytes / sizes['one']:>10.2f}×")
    f1, f2 = facts[str(one_pdf)], facts[str(split_pdf)]
    fonts1 = f"{f1['font_objects']} ({f1['font_names']})"
    fonts2 = f"{f2['font_objects']} ({f2['font_names']})"
    print(f"{'font objects (distinct names)':<34}{fonts1:>12}{fonts2:>12}")
    print(f"{'outline entries':<34}{f1['outline']:>12}{f2['outline']:>12}")
    print(f"{'structure tree (tagged PDF)':<34}{'yes' if f1['struct_tree'] else 'no':>12}"
          f"{'yes' if f2['struct_tree'] else 'no':>12}")
    print(f"{'/Lang, XMP metadata':<34}{(f1['lang'] or '-') + (', XMP' if f1['xmp'] else ''):>12}"
          f"{(f2['lang'] or '-') + (', XMP' if f2['xmp'] else ''):>12}")
    print(f"{'/ActualText spans':<34}{f1['actual_text']:>12}{f2['actual_text']:>12}")
    print(f"last page's foot — one: {f1['last_page_text'].strip().splitlines()[-1]!r}; "
          f"split: {f2['last_page_text'].strip().splitlines()[-1]!r}")
    if args.json:
        args.json.write_text(json.dumps({"machine": info, "one": one.__dict__, "split": cut.__dict__, "facts": facts,
                                         "sizes": sizes, "pages": page_counts}, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
