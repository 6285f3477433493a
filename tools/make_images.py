"""Make the pictures in docs/images from the examples, as typeset renders them today.

In: the examples and the bundled layouts. Out: docs/images/*.png — pages of PDF editions side
by side on a grey ground, each with a thin frame, at the resolution a README shows without
scaling. Each picture is rendered by the typeset command line into a temporary folder and
rasterised by poppler's ``pdftoppm``; run it after a change to what editions look like:

    .venv/bin/python tools/make_images.py            # every picture
    .venv/bin/python tools/make_images.py leaflet-extreme-heat-2024-en
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageOps

ROOT = Path(__file__).resolve().parent.parent
IMAGES = ROOT / "docs" / "images"
GROUND = (232, 232, 232)
FRAME = (170, 170, 170)
GAP = 20


@dataclass(frozen=True)
class Picture:
    name: str
    example: str
    layout: str
    # (language, page) in the order they stand, left to right; page -1 is the last page
    pages: tuple[tuple[str, int], ...]
    dpi: int = 70
    print_marks: bool = False


PICTURES = (
    Picture("icor-2017-en-GB", "icor-2017", "resolution", (("en-GB", 1), ("en-GB", -1))),
    Picture("extreme-heat-2024-hi-ja-ar", "extreme-heat-2024", "resolution", (("hi", 1), ("ja", 1), ("ar", 2))),
    # right to left, as the leaflet is read: its first page stands on the right
    Picture("leaflet-extreme-heat-2024-ar", "extreme-heat-2024", "leaflet", (("ar", 3), ("ar", 2), ("ar", 1))),
    Picture("leaflet-extreme-heat-2024-en", "extreme-heat-2024", "leaflet", (("en", 1), ("en", 2), ("en", 3))),
    Picture("print-marks-icor-2017-de", "icor-2017", "resolution", (("de", 1),), dpi=48, print_marks=True),
)


def build(picture: Picture, out: Path) -> dict[str, Path]:
    """The picture's PDF editions, by language."""
    languages = sorted({language for language, _ in picture.pages})
    command = [sys.executable, "-m", "typeset", "build", str(ROOT / "examples" / picture.example),
               "--layout", picture.layout, "--format", "pdf", "--out", str(out), "--jobs", "1"]
    for language in languages:
        command += ["--lang", language]
    if picture.print_marks:
        command.append("--print")
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    return {language: next(out.rglob(f"*.{language}.pdf")) for language in languages}


def page_count(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True).stdout
    return int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))


def raster(pdf: Path, page: int, dpi: int, folder: Path) -> Image.Image:
    if page < 0:
        page = page_count(pdf) + 1 + page
    stem = folder / f"{pdf.stem}-{page}"
    subprocess.run(["pdftoppm", "-r", str(dpi), "-f", str(page), "-l", str(page), "-singlefile",
                    "-thinlinemode", "solid", "-png", str(pdf), str(stem)], check=True)
    with Image.open(f"{stem}.png") as image:
        return ImageOps.expand(image.convert("RGB"), border=1, fill=FRAME)


def compose(pages: list[Image.Image]) -> Image.Image:
    width = sum(page.width for page in pages) + GAP * (len(pages) + 1)
    height = max(page.height for page in pages) + 2 * GAP
    sheet = Image.new("RGB", (width, height), GROUND)
    x = GAP
    for page in pages:
        sheet.paste(page, (x, GAP))
        x += page.width + GAP
    return sheet


def make(picture: Picture) -> Path:
    with tempfile.TemporaryDirectory() as temporary:
        folder = Path(temporary)
        pdfs = build(picture, folder / "out")
        pages = [raster(pdfs[language], page, picture.dpi, folder) for language, page in picture.pages]
        target = IMAGES / f"{picture.name}.png"
        compose(pages).save(target, optimize=True)
        return target


def main(names: list[str]) -> int:
    chosen = [picture for picture in PICTURES if not names or picture.name in names]
    unknown = set(names) - {picture.name for picture in PICTURES}
    if unknown:
        print(f"unknown picture: {', '.join(sorted(unknown))}; known: {', '.join(p.name for p in PICTURES)}",
              file=sys.stderr)
        return 2
    for picture in chosen:
        print(make(picture).relative_to(ROOT))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
