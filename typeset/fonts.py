"""The bundled fonts: what ``fonts/manifest.toml`` lists, as CSS and as files for DOCX.

In: the manifest (read through the :class:`~typeset.world.World`). Out: a :class:`FontSet`
with each family's faces, ``@font-face`` rules that point WeasyPrint at the files, and the
files themselves for renderers that embed them.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from typeset.world import FONTS_DIR, World


@dataclass(frozen=True, slots=True)
class Face:
    family: str
    path: Path
    weight: int
    style: str
    sha256: str


@dataclass(frozen=True, slots=True)
class Family:
    name: str
    scripts: tuple[str, ...]
    version: str
    licence: str
    faces: tuple[Face, ...]


@dataclass(frozen=True, slots=True)
class FontSet:
    root: Path
    families: tuple[Family, ...]

    def family(self, name: str) -> Family:
        for family in self.families:
            if family.name == name:
                return family
        raise KeyError(name)

    def font_face_css(self) -> str:
        """``@font-face`` rules for every bundled face, with ``file:`` URLs."""
        rules = []
        for family in self.families:
            for face in family.faces:
                rules.append(
                    "@font-face { "
                    f"font-family: '{family.name}'; src: url('{face.path.as_uri()}'); "
                    f"font-weight: {face.weight}; font-style: {face.style}; }}"
                )
        return "\n".join(rules)


def load_fonts(world: World, root: Path = FONTS_DIR) -> FontSet:
    return _load(root, world.read_bytes(root / "manifest.toml"))


@cache
def _load(root: Path, manifest: bytes) -> FontSet:
    data = tomllib.loads(manifest.decode("utf-8"))
    families = []
    for family in data.get("family", []):
        faces = tuple(
            Face(family["name"], root / face["file"], int(face["weight"]), face["style"], face["sha256"])
            for face in family.get("face", [])
        )
        families.append(Family(family["name"], tuple(family.get("scripts", ())), family.get("version", ""),
                               family.get("licence", ""), faces))
    return FontSet(root, tuple(families))
