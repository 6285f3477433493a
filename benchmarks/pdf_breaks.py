#!/usr/bin/env python3
"""What the hyphenation and last-page rules cost (typeset/render/pdf_breaks.py): every edition of
the examples in each layout, laid out in one warm process by typeset's PDF renderer, counting the
layouts each took and timing them against the first, which is all a renderer without the rules
would do.

    benchmarks/pdf_breaks.py [--layout NAME ...] [--json FILE]

Per edition: the layouts (1 when no rule was broken), the first layout's time and the total; at
the end the sum of the totals ÷ the sum of the first layouts (the cost of the rules over the run).
See benchmarks/README.md for the figures.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--layout", action="append", help="a bundled layout (default: resolution and leaflet)")
    parser.add_argument("--json", type=Path, metavar="FILE", help="also write the figures to FILE")
    args = parser.parse_args()

    from typeset.model.edition import make_edition
    from typeset.prepare import prepare
    from typeset.render import pdf, pdf_breaks
    from typeset.world import World

    rules = pdf_breaks.keep_rules
    rows: list[dict[str, Any]] = []
    for layout in args.layout or ["resolution", "leaflet"]:
        for source in sorted((ROOT / "examples").glob("*/document.yaml")):
            prepared = prepare(source.parent, World([]), layout)
            assert prepared.document is not None and prepared.context is not None
            for language in prepared.document.languages:
                times: list[float] = []

                def timed(html: Any, render: Any, times: list[float] = times) -> Any:
                    def once() -> Any:
                        start = time.perf_counter()
                        document = render()
                        times.append(time.perf_counter() - start)
                        return document
                    return rules(html, once)

                pdf.keep_rules = timed  # type: ignore[assignment]  # counting the layouts, same rules
                try:
                    document = pdf.layout_document(make_edition(prepared.document, language.tag), prepared.context)
                finally:
                    pdf.keep_rules = rules
                row = {"edition": f"{source.parent.name}/{language.tag}/{layout}", "layouts": len(times),
                       "first": times[0], "total": sum(times), "pages": len(document.pages)}
                rows.append(row)
                print(f"{row['edition']:40} {row['layouts']} layouts  {row['first']:6.2f} s first  "
                      f"{row['total']:6.2f} s in all  {row['pages']} pages", flush=True)
    first, total = sum(r["first"] for r in rows), sum(r["total"] for r in rows)
    counts = [r["layouts"] for r in rows]
    print(f"{len(rows)} editions: {', '.join(f'{counts.count(n)} with {n}' for n in sorted(set(counts)))} layouts; "
          f"{total:.1f} s against {first:.1f} s for one layout each: × {total / first:.2f}")
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
