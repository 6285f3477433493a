#!/usr/bin/env python3
"""The translators' round trip of examples/icor-2017 into a new language, as whole processes.

Each run copies the example into a temporary folder and times, one process each:

1. ``export``: ``python -m typeset translate export DOC --lang fr -f xliff -o fr.xlf``;
2. ``fill``: translate-toolkit opens the XLIFF, gives every unit a target (its source in French
   quotation marks, inline codes kept) and saves it — what a CAT tool's pipeline does; this is
   not typeset's time and is shown apart;
3. ``import``: ``python -m typeset translate import DOC fr.xlf`` (French is declared, fr.md,
   document.yaml and signed-later.csv written);
4. ``build``: ``python -m typeset build DOC --lang fr --format pdf --out OUT -j 1``.

It prints per step the median and minimum wall seconds and the median CPU seconds (the child's
own, from os.wait4, far less disturbed by a busy box), and typeset's share — export + import +
build — whose median must stay under 5 s on the shared 2-core box. One untimed warm-up run
comes first.

    . .venv/bin/activate
    python benchmarks/translate.py              # 5 runs
    python benchmarks/translate.py --runs 3 --json /tmp/translate.json
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _bench import ROOT, Run, default_python, machine, median, python_env, run_once

TARGET = 5.0  # seconds: typeset's share of the round trip
STEPS = ("export", "fill", "import", "build")
FILL = """
import copy, sys
from translate.storage import factory
store = factory.getobject(sys.argv[1])
def walk(element):
    for i, sub in enumerate(element.sub):
        if isinstance(sub, str):
            if sub.strip():
                element.sub[i] = "«" + sub + "»"
        else:
            walk(sub)
for unit in store.units:
    if unit.isheader() or not unit.source or not unit.istranslatable():
        continue
    rich = copy.deepcopy(unit.rich_source)
    for element in rich:
        walk(element)
    unit.rich_target = rich
store.save()
"""


def one_round(python: str, folder: Path) -> dict[str, Run]:
    doc = folder / "icor-2017"
    if doc.exists():
        shutil.rmtree(doc)
    shutil.copytree(ROOT / "examples" / "icor-2017", doc)
    xlf, out = folder / "fr.xlf", folder / "out"
    env = python_env()
    runs = {
        "export": run_once([python, "-m", "typeset", "translate", "export", str(doc), "--lang", "fr", "-f", "xliff",
                            "-o", str(xlf)], env=env),
        "fill": run_once([python, "-c", FILL, str(xlf)], env=env),
        "import": run_once([python, "-m", "typeset", "translate", "import", str(doc), str(xlf)], env=env),
        "build": run_once([python, "-m", "typeset", "build", str(doc), "--lang", "fr", "--format", "pdf", "--out",
                           str(out), "-j", "1", "--force"], env=env),
    }
    failed = {name: run for name, run in runs.items() if run.code != 0}
    if failed:
        raise SystemExit("; ".join(f"{name} failed ({run.code}): {run.tail}" for name, run in failed.items()))
    if not (out / "icor-2017-maruti-suzuki" / "icor-2017-maruti-suzuki.fr.pdf").is_file():
        raise SystemExit("the French PDF was not written")
    return runs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--python", default=default_python())
    parser.add_argument("--json", type=Path)
    parser.add_argument("-q", "--quiet", action="store_true")
    args = parser.parse_args()
    load = os.getloadavg()[0]
    results: dict[str, list[Run]] = {step: [] for step in STEPS}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        one_round(args.python, folder)  # warm-up: .pyc files, fontconfig, page cache
        for number in range(args.runs):
            if not args.quiet:
                print(f"round {number + 1}/{args.runs}", file=sys.stderr)
            for step, run in one_round(args.python, folder).items():
                results[step].append(run)
    print(f"translate round trip of examples/icor-2017 into 'fr' — {args.runs} runs, "
          f"load {load:.1f} → {os.getloadavg()[0]:.1f}, {machine().get('cpus', '?')} CPUs")
    print(f"{'step':<8} {'median s':>9} {'min s':>7} {'cpu s':>7}")
    for step in STEPS:
        seconds = [r.seconds for r in results[step]]
        cpu = [r.cpu for r in results[step]]
        print(f"{step:<8} {median(seconds):>9.2f} {min(seconds):>7.2f} {median(cpu):>7.2f}"
              + ("   (translate-toolkit, not typeset)" if step == "fill" else ""))
    share = [sum(results[s][i].seconds for s in ("export", "import", "build")) for i in range(args.runs)]
    share_cpu = [sum(results[s][i].cpu for s in ("export", "import", "build")) for i in range(args.runs)]
    verdict = "ok" if median(share) < TARGET else "OVER"  # type: ignore[operator]
    print(f"typeset's share (export + import + build): median {median(share):.2f} s, min {min(share):.2f} s, "
          f"cpu {median(share_cpu):.2f} s — target < {TARGET:.0f} s: {verdict}")
    if args.json:
        args.json.write_text(json.dumps({step: [r.__dict__ for r in runs] for step, runs in results.items()},
                                        indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
