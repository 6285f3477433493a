"""The one way typeset wraps WeasyPrint's private functions for the length of a render.

In: a :class:`Patch` — which functions of which WeasyPrint modules to wrap, the parameters each
must still have, and for each a factory that makes the wrapper from the original. Out: calling
the patch gives a context manager (usable as a decorator) that installs the wrappers on entry and
puts the originals back on exit, also when the block raises.

Monkeypatching a dependency is a last resort; :mod:`typeset.render.pdf_text` (the exact text
layer), :mod:`typeset.render.pdf_tags` (``/Lang`` on tagged elements) and
:mod:`typeset.render.pdf_subset` (the faces cut by uharfbuzz) need it because WeasyPrint has no
hook for what they do. So that it stays safe:

- The WeasyPrint major version is checked before anything is touched
  (:data:`SUPPORTED_WEASYPRINT_MAJOR`; ``pyproject.toml`` allows that major only), and so is
  every wrapped function's signature: a WeasyPrint that changed is refused up front with a
  :class:`RuntimeError`, never patched halfway.
- WeasyPrint's modules are process-wide. Nested and concurrent blocks of one patch share one
  installation (a reference count under a lock): the wrappers go in when the first block opens
  and come out when the last one closes. While any block is open, every WeasyPrint render in the
  process goes through the wrappers, also in threads that did not ask for them.
- On the way out a function is restored only if it is still the wrapper this patch installed;
  if something else replaced it meanwhile, that function stays and a warning is logged.
- :func:`left_patched` names every wrapped function that is not its original at the moment —
  the test suite checks it after every test.
"""

from __future__ import annotations

import importlib
import inspect
import logging
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from types import ModuleType
from typing import Any

__all__ = ["SUPPORTED_WEASYPRINT_MAJOR", "Patch", "Wrap", "check_weasyprint_version", "left_patched"]

#: The WeasyPrint major version whose private functions typeset wraps (``draw_first_line``,
#: ``split_text_box``, ``generate_pdf``, ``_build_box_tree``, ``build_fonts_dictionary``).
#: pyproject.toml allows this major only.
SUPPORTED_WEASYPRINT_MAJOR = 70

LOGGER = logging.getLogger("typeset")

_lock = threading.Lock()
# Every function a patch has wrapped, by "module.name", as WeasyPrint defined it.
_originals: dict[str, Any] = {}


def check_weasyprint_version(version: str | None = None) -> None:
    """Raise :class:`RuntimeError` unless WeasyPrint is the major version typeset's wrappers know."""
    if version is None:
        import weasyprint

        version = weasyprint.__version__
    major = version.split(".", 1)[0]
    if major != str(SUPPORTED_WEASYPRINT_MAJOR):
        raise RuntimeError(
            f"typeset's wrappers of WeasyPrint's functions (typeset/render/pdf_text.py, pdf_tags.py) were "
            f"written for WeasyPrint "
            f"{SUPPORTED_WEASYPRINT_MAJOR}.x and WeasyPrint {version} is installed; hint: install "
            f"'weasyprint>={SUPPORTED_WEASYPRINT_MAJOR},<{SUPPORTED_WEASYPRINT_MAJOR + 1}', or check "
            f"that weasyprint/draw/text.py::draw_first_line still writes one TJ glyph per Pango glyph "
            f"and update SUPPORTED_WEASYPRINT_MAJOR"
        )


@dataclass(frozen=True, slots=True)
class Wrap:
    """One function to wrap: ``module.name``, the parameters it must have, and the factory that
    makes its wrapper from the original."""

    module: str
    name: str
    parameters: tuple[str, ...] | None  # None: the signature is not checked
    make: Callable[[Any], Any]

    @property
    def key(self) -> str:
        return f"{self.module}.{self.name}"


class Patch:
    """Wrappers of WeasyPrint functions, installed while at least one ``with patch():`` is open.

    ``owner`` (a file name) and ``hint`` go into the error when a function's signature changed.
    """

    def __init__(self, owner: str, wraps: Sequence[Wrap], hint: str = "") -> None:
        self.owner = owner
        self.wraps = tuple(wraps)
        self.hint = hint
        self._users = 0
        self._saved: dict[str, Any] = {}  # what each module held before the wrappers went in
        self._installed: dict[str, Any] = {}

    @contextmanager
    def __call__(self) -> Iterator[None]:
        self._install()
        try:
            yield
        finally:
            self._uninstall()

    @property
    def active(self) -> bool:
        return self._users > 0

    def _install(self) -> None:
        check_weasyprint_version()
        with _lock:
            if self._users == 0:
                modules = {wrap.key: importlib.import_module(wrap.module) for wrap in self.wraps}
                for wrap in self.wraps:  # every check before any change
                    function = getattr(modules[wrap.key], wrap.name)
                    parameters = tuple(inspect.signature(function).parameters)
                    if wrap.parameters is not None and parameters != wrap.parameters:
                        hint = f"; hint: {self.hint}" if self.hint else ""
                        raise RuntimeError(f"{wrap.key}{parameters} is not the function {self.owner} "
                                           f"wraps {wrap.parameters}{hint}")
                for wrap in self.wraps:
                    module = modules[wrap.key]
                    original = getattr(module, wrap.name)
                    _originals.setdefault(wrap.key, original)
                    self._saved[wrap.key] = original
                    wrapper = self._installed[wrap.key] = wrap.make(original)
                    setattr(module, wrap.name, wrapper)
            self._users += 1

    def _uninstall(self) -> None:
        with _lock:
            self._users -= 1
            if self._users:
                return
            for wrap in reversed(self.wraps):
                module = importlib.import_module(wrap.module)
                wrapper, saved = self._installed.pop(wrap.key), self._saved.pop(wrap.key)
                if getattr(module, wrap.name) is wrapper:
                    setattr(module, wrap.name, saved)
                else:  # someone patched over us in the meantime: leave their function in place
                    LOGGER.warning("weasyprint %s was replaced during the render; not restoring it", wrap.key)


def left_patched() -> list[str]:
    """The wrapped WeasyPrint functions that are not WeasyPrint's own right now ("module.name")."""
    with _lock:
        return [key for key, original in _originals.items()
                if getattr(_module(key), key.rpartition(".")[2]) is not original]


def _module(key: str) -> ModuleType:
    return importlib.import_module(key.rpartition(".")[0])
