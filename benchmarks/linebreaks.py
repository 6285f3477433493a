#!/usr/bin/env python3
"""What the line-break opportunities in Thai, Lao, Khmer and Burmese cost the PDF edition
(typeset/render/linebreaks.py): the dependency (icu4py) installed and imported, the time to mark a
page, and the render with and without them.

    . .venv/bin/activate
    python benchmarks/linebreaks.py                        # tests/data/linebreaks, 3 runs
    python benchmarks/linebreaks.py --runs 5 --large /tmp/gen-10k   # and a generated document's page

For each edition of ``tests/data/linebreaks`` (resolution layout, A4) it times, in this process
(CPU seconds, medians): marking the page WeasyPrint lays out (``html_break_opportunities``) and the
whole PDF render (``typeset.render.pdf.render``: layout, text layer, writing) with the marks and
without them (the marking replaced by the identity). ``--large DIR`` also times marking the page
of the first edition of a document made by ``benchmarks/generate.py`` (names in 17 scripts, one
of them Thai). The import is timed in fresh processes.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import statistics
import subprocess
import sys
import time
from functools import partial
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

IMPORT = ("import time; s = time.perf_counter(); from icu4py.breakers import CharacterBreaker, LineBreaker; "
          "list(LineBreaker('កម្មករ', 'und')); list(CharacterBreaker('ក', 'und')); "
          "print(time.perf_counter() - s)")


def cpu(function, runs: int) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(runs):
        start = time.process_time()
        function()
        times.append(time.process_time() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--large", type=Path, help="a document folder written by benchmarks/generate.py")
    args = parser.parse_args()

    import pypdf

    from typeset.fonts import load_fonts
    from typeset.layout import load_layout
    from typeset.model import make_edition
    from typeset.render import RenderContext
    from typeset.render import pdf as pdf_renderer
    from typeset.render.linebreaks import ZWSP, html_break_opportunities
    from typeset.source import load_document
    from typeset.world import World

    files = metadata.distribution("icu4py").files or []  # the wheel's RECORD: the bundled ICU libraries too
    size = sum(Path(f.locate()).stat().st_size for f in files if Path(f.locate()).is_file())
    imports = [float(subprocess.run([sys.executable, "-c", IMPORT], capture_output=True, text=True,
                                    check=True).stdout) for _ in range(args.runs)]
    print(f"icu4py {metadata.version('icu4py')}: {size / 2**20:.1f} MiB installed; import and first break "
          f"{statistics.median(imports) * 1000:.0f} ms (median of {args.runs} processes)")

    def context_for(folder: Path) -> RenderContext:
        layout = load_layout("resolution", World([]))
        world = World([folder, layout.root])
        return RenderContext(layout, load_fonts(world), world, dt.datetime(2024, 7, 24, tzinfo=dt.UTC))

    data = ROOT / "tests" / "data" / "linebreaks"
    context = context_for(data)
    document = load_document(data, World([])).document
    assert document is not None
    print(f"\n{'edition':8} {'ZWSP':>5} {'pages':>5} {'mark ms':>8} {'render ms':>10} {'without':>8} {'cost':>6}")
    for language in document.languages:
        edition = make_edition(document, language.tag)
        page = pdf_renderer.paged_html(edition, context).replace(ZWSP, "")
        mark = cpu(partial(html_break_opportunities, page), args.runs * 5)
        pdf = pdf_renderer.render(edition, context)
        pages = len(pypdf.PdfReader(io.BytesIO(pdf)).pages)
        with_marks = cpu(partial(pdf_renderer.render, edition, context), args.runs)
        pdf_renderer.html_break_opportunities = lambda html: html  # type: ignore[assignment]
        try:
            without = cpu(partial(pdf_renderer.render, edition, context), args.runs)
        finally:
            pdf_renderer.html_break_opportunities = html_break_opportunities
        print(f"{language.tag:8} {html_break_opportunities(page).count(ZWSP):5} {pages:5} {mark * 1000:8.1f} "
              f"{with_marks * 1000:10.0f} {without * 1000:8.0f} {(with_marks / without - 1) * 100:5.1f}%")

    if args.large:
        large = load_document(args.large, World([])).document
        assert large is not None
        edition = make_edition(large, large.languages[0].tag)
        page = pdf_renderer.paged_html(edition, context_for(args.large)).replace(ZWSP, "")
        mark = cpu(lambda: html_break_opportunities(page), args.runs)
        print(f"\n{args.large}: page of {len(page) / 1e6:.1f} MB, {html_break_opportunities(page).count(ZWSP)} ZWSP, "
              f"marked in {mark * 1000:.0f} ms")


if __name__ == "__main__":
    main()
