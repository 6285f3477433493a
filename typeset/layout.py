"""Layouts: a folder with ``layout.toml``, Jinja2 templates, CSS and a DOCX style template.

In: a layout name (a folder under the bundled ``layouts/``) or a path to a layout folder.
Out: a :class:`Layout` naming the files each renderer uses. See ``docs/layouts.md``.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from typeset.errors import UsageError
from typeset.model.language import Language
from typeset.world import LAYOUTS_DIR

DEFAULT_LAYOUT = "resolution"
LAYOUT_FILE = "layout.toml"
MESSAGES_FILE = "messages.toml"
FALLBACK_LANGUAGE = "en"


@dataclass(frozen=True, slots=True)
class Layout:
    name: str
    root: Path
    description: str
    html_template: str
    stylesheets: tuple[str, ...]
    print_stylesheets: tuple[str, ...]
    docx_template: str
    page_label: str | None = None
    messages: dict[str, dict[str, str]] = field(default_factory=dict)
    options: dict[str, Any] = field(default_factory=dict)

    def path(self, relative: str) -> Path:
        return self.root / relative

    def message(self, key: str, language: Language) -> str:
        """A fixed word of the layout in ``language``, falling back to English (then the key)."""
        for candidate in (*self._candidates(language), FALLBACK_LANGUAGE):
            if key in self.messages.get(candidate, {}):
                return self.messages[candidate][key]
        return key

    def missing_messages(self, language: Language) -> list[str]:
        """The keys this language lacks and takes from English instead."""
        english = self.messages.get(FALLBACK_LANGUAGE, {})
        have: set[str] = set()
        for candidate in self._candidates(language):
            have |= set(self.messages.get(candidate, {}))
        return [key for key in english if key not in have]

    @staticmethod
    def _candidates(language: Language) -> list[str]:
        return list(dict.fromkeys([language.tag, f"{language.language}-{language.script}", language.language]))


def available_layouts() -> list[str]:
    return sorted(p.parent.name for p in LAYOUTS_DIR.glob(f"*/{LAYOUT_FILE}"))


def find_layout(name_or_path: str | Path | None) -> Path:
    """The folder of a layout given by name or path."""
    if name_or_path is None:
        name_or_path = DEFAULT_LAYOUT
    candidate = Path(name_or_path)
    if (candidate / LAYOUT_FILE).is_file():
        return candidate.resolve()
    if candidate.name == LAYOUT_FILE and candidate.is_file():
        return candidate.parent.resolve()
    bundled = LAYOUTS_DIR / str(name_or_path)
    if "/" not in str(name_or_path) and (bundled / LAYOUT_FILE).is_file():
        return bundled
    raise UsageError(
        f"no layout '{name_or_path}'",
        hint=f"name one of {', '.join(available_layouts())} or give the path of a folder with {LAYOUT_FILE}",
    )


def load_layout(name_or_path: str | Path | None) -> Layout:
    root = find_layout(name_or_path)
    try:
        data = tomllib.loads((root / LAYOUT_FILE).read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as error:
        raise UsageError(f"{root / LAYOUT_FILE}: {error}", hint="fix the TOML syntax") from None
    html = data.get("html", {})
    pdf = data.get("pdf", {})
    docx = data.get("docx", {})
    messages: dict[str, dict[str, str]] = {}
    if (root / MESSAGES_FILE).is_file():
        try:
            messages = tomllib.loads((root / MESSAGES_FILE).read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as error:
            raise UsageError(f"{root / MESSAGES_FILE}: {error}", hint="fix the TOML syntax") from None
    layout = Layout(
        name=data.get("name", root.name),
        root=root,
        description=data.get("description", ""),
        html_template=html.get("template", "edition.html.j2"),
        stylesheets=tuple(html.get("stylesheets", ())),
        print_stylesheets=tuple(pdf.get("stylesheets", ())),
        docx_template=docx.get("template", "reference.docx"),
        page_label=pdf.get("page_label"),
        messages=messages,
        options=dict(data.get("options", {})),
    )
    for relative in (layout.html_template, *layout.stylesheets, *layout.print_stylesheets, layout.docx_template):
        if not layout.path(relative).is_file():
            raise UsageError(f"layout '{layout.name}' names {relative}, which is not in {root}",
                             hint=f"add the file or fix {LAYOUT_FILE}")
    return layout
