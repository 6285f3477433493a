"""Helpers for the translation tests: a document copied to a temporary folder, and the edits a
CAT tool makes, through translate-toolkit (the library such pipelines are built on).

- :func:`copy_example` copies an example (or makes a new document with ``typeset new``);
- :func:`fill` opens a file typeset exported with translate-toolkit's own reader for its
  format, gives every translatable unit a target made by a function of its source text —
  keeping the inline codes, through translate-toolkit's rich text — and saves it, as a CAT
  tool's pipeline would;
- :func:`units` reads a file the same way and gives each unit's id, source and target.
"""

from __future__ import annotations

import copy
import shutil
from collections.abc import Callable
from pathlib import Path

from tests.conftest import EXAMPLES, run_typeset


def copy_example(name: str, into: Path) -> Path:
    if name == "new":
        folder = into / "letter"
        run_typeset("new", folder, "--lang", "en", check=True)
        return folder
    folder = into / name
    shutil.copytree(EXAMPLES / name, folder)
    return folder


def _store(path: Path):  # type: ignore[no-untyped-def]
    from translate.storage import factory

    if b'version="2.0"' in path.read_bytes()[:400]:
        from translate.storage.xliff2 import Xliff2File

        return Xliff2File.parsefile(str(path))
    return factory.getobject(str(path))


def _id(unit) -> str:  # type: ignore[no-untyped-def]
    element = getattr(unit, "xmlelement", None)
    if element is not None:
        unit_element = element if element.get("id") else element.getparent()
        return unit_element.get("id")
    return unit.getcontext()


def fill(path: Path, translate: Callable[[str], str], *, only: Callable[[str], bool] = lambda unit_id: True) -> int:
    """Give every unit whose id ``only`` accepts a target: ``translate`` of each piece of its text."""
    store = _store(path)
    count = 0
    for unit in store.units:
        if unit.isheader() or not unit.source or not unit.istranslatable() or not only(_id(unit)):
            continue
        if hasattr(unit, "rich_source") and getattr(unit, "xmlelement", None) is not None:
            rich = copy.deepcopy(unit.rich_source)
            for element in rich:
                _map_text(element, translate)
            unit.rich_target = rich
        else:
            unit.target = translate(unit.source)
        if hasattr(unit, "markfuzzy"):
            unit.markfuzzy(False)
        count += 1
    store.save()
    return count


def _map_text(element, translate: Callable[[str], str]) -> None:  # type: ignore[no-untyped-def]
    for index, sub in enumerate(element.sub):
        if isinstance(sub, str):
            if sub.strip():
                lead, trail = sub[:len(sub) - len(sub.lstrip())], sub[len(sub.rstrip()):]
                element.sub[index] = lead + translate(sub.strip()) + trail
        else:
            _map_text(sub, translate)


def units(path: Path) -> dict[str, tuple[str, str]]:
    """Each unit's id, source and target (empty if none), as translate-toolkit reads them."""
    store = _store(path)
    return {_id(unit): (unit.source, unit.target or "") for unit in store.units
            if not unit.isheader() and unit.source}
