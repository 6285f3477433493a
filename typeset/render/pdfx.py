"""PDF/X-4 for ``typeset build --print``: the CMYK output profile, the output intent and the marks.

In: the bundled output profile (``render/icc/``: a FOGRA39 profile made from free characterization
data, listed with its checksum and licence in ``render/icc/manifest.toml``), and WeasyPrint's PDF
objects (``pydyf``) just before they are written. Out: the profile as WeasyPrint's ``device-cmyk``
colour profile (so that WeasyPrint writes the output intent, and the blending spaces of
transparency groups as CMYK), and the finished print PDF: an output intent that names its press
condition (``OutputConditionIdentifier`` FOGRA39 in the ICC registry), ``GTS_PDFXVersion`` in the
document information as in the XMP metadata, an XMP document ID that is the same for the same
edition (WeasyPrint draws a random one), and crop and registration marks drawn in the registration
colour (``/Separation /All``: every plate gets them), which WeasyPrint would draw in RGB black.
The colours of the page itself are the layout's: its ``press_stylesheets`` give them in
``device-cmyk()`` (``docs/print.md``).
"""

from __future__ import annotations

import hashlib
import io
import re
import tomllib
import uuid
from dataclasses import dataclass
from typing import Any

from typeset.render.css import BLEED_MM, MARKS_MM
from typeset.world import World

PDFX_VERSION = "PDF/X-4"
PROFILE_FOLDER = "render/icc"
MM = 72 / 25.4
MARK_WIDTH = 0.25  # pt: a hairline, as print shops draw crop marks
REGISTRATION = "Registration"  # the colour space's name in the pages' resources


@dataclass(frozen=True, slots=True)
class OutputProfile:
    """The output profile and what the output intent says of it (``render/icc/manifest.toml``)."""

    file: str
    data: bytes
    sha256: str
    output_condition_identifier: str
    output_condition: str
    registry: str
    source: str
    licence: str
    licence_file: str


def output_profile(world: World) -> OutputProfile:
    """The bundled CMYK output profile, read through ``world``."""
    manifest = tomllib.loads(world.read_package(f"{PROFILE_FOLDER}/manifest.toml").decode("utf-8"))
    (entry,) = manifest["profile"]
    fields = {key: entry[key] for key in OutputProfile.__slots__ if key != "data"}
    return OutputProfile(data=world.read_package(f"{PROFILE_FOLDER}/{entry['file']}"), **fields)


def color_profiles(profile: OutputProfile) -> dict[str, Any]:
    """WeasyPrint's ``color_profiles``: the profile as ``device-cmyk``. WeasyPrint embeds it,
    makes it the output intent and blends transparency groups in DeviceCMYK rather than RGB."""
    from weasyprint.css import ColorProfile

    class BundledProfile(ColorProfile):  # type: ignore[misc]  # ColorProfile is Any: WeasyPrint ships no types
        """The profile's own bytes in the PDF, where WeasyPrint would write what Pillow's littlecms
        makes of them again (451 KB against the file's 198 KB, and a header of its own)."""

        @property
        def content(self) -> bytes:
            return profile.data

    return {"device-cmyk": BundledProfile(io.BytesIO(profile.data), profile.file, "relative-colorimetric",
                                          (["c"], ["m"], ["y"], ["k"]))}


def finish(pdf: Any, profile: OutputProfile, identifier: bytes) -> None:
    """The print PDF's output intent, identification and marks (see the module's docstring)."""
    import pydyf

    intents = pdf.catalog["OutputIntents"]
    for intent in intents:
        intent["OutputConditionIdentifier"] = pydyf.String(profile.output_condition_identifier)
        intent["OutputCondition"] = pydyf.String(profile.output_condition)
        intent["RegistryName"] = pydyf.String(profile.registry)
        intent["Info"] = pydyf.String(profile.output_condition)
    pdf.info["GTS_PDFXVersion"] = pydyf.String(PDFX_VERSION)
    _stable_document_id(pdf, identifier)
    _draw_marks(pdf)


def _stable_document_id(pdf: Any, identifier: bytes) -> None:
    """The XMP ``xmpMM:DocumentID`` from the PDF's /ID, not a random UUID: one edition, one file."""
    document_id = f"uuid:{uuid.UUID(hex=hashlib.md5(identifier).hexdigest())}".encode()
    for stream in _objects(pdf):
        if isinstance(stream, _pydyf().Stream) and stream.extra.get("Type") == "/Metadata":
            stream.stream[:] = [re.sub(rb"xmp\.did:[0-9a-f-]+", document_id, bytes(part)) for part in stream.stream]


def _draw_marks(pdf: Any) -> None:
    """Crop marks at the trimmed edges and registration targets at the middle of each side, in the
    slug (``BLEED_MM`` + 2 mm to ``MARKS_MM`` beyond the trim: outside the bleed), stroked in the
    registration colour. The page's own content is wrapped in ``q … Q`` so that the marks are
    drawn in the page's default coordinates whatever the content left in the graphics state."""
    pydyf = _pydyf()
    colour_spaces = next(o for o in _objects(pdf) if isinstance(o, pydyf.Dictionary) and "lab-d50" in o)
    # All separations at the tint given: a tint of 1 is 100 % of every ink
    colour_spaces[REGISTRATION] = pydyf.Array(("/Separation", "/All", "/DeviceCMYK", pydyf.Dictionary({
        "FunctionType": 2, "Domain": pydyf.Array((0, 1)), "C0": pydyf.Array((0, 0, 0, 0)),
        "C1": pydyf.Array((1, 1, 1, 1)), "N": 1})))
    save = pydyf.Stream([b"q"])
    pdf.add_object(save)
    for page in (o for o in _objects(pdf) if isinstance(o, pydyf.Dictionary) and o.get("Type") == "/Page"):
        left, bottom, right, top = (float(v) for v in page["TrimBox"])
        marks = pydyf.Stream([_marks(left, bottom, right, top)], compress=True)
        pdf.add_object(marks)
        page["Contents"] = pydyf.Array((save.reference, page["Contents"], marks.reference))


def _marks(left: float, bottom: float, right: float, top: float) -> bytes:
    """The content stream of the marks around the trimmed page (left, bottom, right, top in pt)."""
    near, far = (BLEED_MM + 2) * MM, MARKS_MM * MM
    ops = [f"Q /Artifact BMC q /{REGISTRATION} CS 1 SCN {MARK_WIDTH} w 0 J"]
    for x, y, sx, sy in ((left, bottom, -1, -1), (right, bottom, 1, -1), (left, top, -1, 1), (right, top, 1, 1)):
        ops.append(f"{x + sx * near:.3f} {y:.3f} m {x + sx * far:.3f} {y:.3f} l S")  # along the horizontal edge
        ops.append(f"{x:.3f} {y + sy * near:.3f} m {x:.3f} {y + sy * far:.3f} l S")  # along the vertical edge
    middle_x, middle_y = (left + right) / 2, (bottom + top) / 2
    centre = (near + far) / 2
    radius = (far - near) / 2 * 0.6
    for cx, cy in ((middle_x, bottom - centre), (middle_x, top + centre), (left - centre, middle_y),
                   (right + centre, middle_y)):
        ops.append(_target(cx, cy, radius, (far - near) / 2))
    ops.append("Q EMC")
    return "\n".join(ops).encode()


def _target(x: float, y: float, radius: float, arm: float) -> str:
    """A registration target: a circle (four Bézier quarters) and a cross through its centre."""
    k = 0.5523 * radius  # the control points of a quarter circle
    circle = (f"{x + radius:.3f} {y:.3f} m "
              f"{x + radius:.3f} {y + k:.3f} {x + k:.3f} {y + radius:.3f} {x:.3f} {y + radius:.3f} c "
              f"{x - k:.3f} {y + radius:.3f} {x - radius:.3f} {y + k:.3f} {x - radius:.3f} {y:.3f} c "
              f"{x - radius:.3f} {y - k:.3f} {x - k:.3f} {y - radius:.3f} {x:.3f} {y - radius:.3f} c "
              f"{x + k:.3f} {y - radius:.3f} {x + radius:.3f} {y - k:.3f} {x + radius:.3f} {y:.3f} c S")
    cross = f"{x - arm:.3f} {y:.3f} m {x + arm:.3f} {y:.3f} l {x:.3f} {y - arm:.3f} m {x:.3f} {y + arm:.3f} l S"
    return f"{circle}\n{cross}"


def _objects(pdf: Any) -> list[Any]:
    return list(pdf.objects)


def _pydyf() -> Any:
    import pydyf

    return pydyf
