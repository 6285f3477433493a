"""Layouts: a folder with ``layout.toml``, Jinja2 templates, CSS and a DOCX style template.

In: a layout name (a folder under the bundled ``layouts/``) or a path to a layout folder.
Out: a :class:`Layout` naming the files each renderer uses. See ``docs/layouts.md``.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from typeset.errors import TypesetError, UsageError
from typeset.model.language import Language
from typeset.render import OPTIONS
from typeset.world import LAYOUTS_DIR, World

DEFAULT_LAYOUT = "resolution"
LAYOUT_FILE = "layout.toml"
MESSAGES_FILE = "messages.toml"
FALLBACK_LANGUAGE = "en"
PAPERS = {paper.lower(): paper for paper in OPTIONS["paper"].choices}  # as layout.toml and --paper may spell them

# The page margin boxes typeset may write in (CSS Paged Media); "-start" and "-end" stand for the
# side where the edition's lines begin and end, mirrored for right-to-left editions.
MARGIN_BOXES = frozenset(
    [f"{edge}-{place}" for edge in ("top", "bottom") for place in ("left", "center", "right", "start", "end")]
    + [f"{edge}-{place}" for edge in ("left", "right") for place in ("top", "middle", "bottom")]
    + [f"{v}-{h}-corner" for v in ("top", "bottom") for h in ("left", "right")])
# What a running head or foot may say: the edition's texts, the page label ("Page 2 of 3") and
# bare page numbers in the edition's digits, and the edition's quotation marks.
RUNNING_FIELDS = frozenset({"title", "short_title", "subtitle", "organisation", "date", "place", "dateline",
                            "page", "page_number", "pages", "open_quote", "close_quote"})


@dataclass(frozen=True, slots=True)
class Layout:
    name: str
    root: Path
    description: str
    html_template: str
    stylesheets: tuple[str, ...]
    print_stylesheets: tuple[str, ...]
    docx_template: str
    press_stylesheets: tuple[str, ...] = ()  # after print_stylesheets with --print: the colours in CMYK
    page_label: str | None = None
    messages: dict[str, dict[str, str]] = field(default_factory=dict)
    options: dict[str, Any] = field(default_factory=dict)
    paper: str = "A4"  # one of PAPERS' values
    margins: dict[str, str] = field(default_factory=dict)  # paper -> CSS ``margin``
    running: dict[str, str] = field(default_factory=dict)  # margin box -> what it says on every page
    running_first: dict[str, str] = field(default_factory=dict)  # … on the first page, where it differs

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


def load_layout(name_or_path: str | Path | None, world: World) -> Layout:
    """The layout, read through a world confined to its own folder (and the bundled fonts): a
    ``layout.toml`` cannot name a stylesheet or template outside it."""
    root = find_layout(name_or_path)
    confined = world.only(root)

    def read_toml(name: str) -> dict[str, Any]:
        try:
            return tomllib.loads(confined.read_text(root / name))
        except tomllib.TOMLDecodeError as error:
            raise UsageError(f"{root / name}: {error}", hint="fix the TOML syntax") from None
        except UnicodeDecodeError as error:
            raise UsageError(f"{root / name}: not UTF-8 ({error.reason})", hint="save the file as UTF-8") from None
        except TypesetError as error:
            raise UsageError(error.message, hint=error.hint) from None

    data = read_toml(LAYOUT_FILE)
    messages: dict[str, dict[str, str]] = read_toml(MESSAGES_FILE) if (root / MESSAGES_FILE).is_file() else {}
    html = data.get("html", {})
    pdf = data.get("pdf", {})
    docx = data.get("docx", {})
    layout = Layout(
        name=data.get("name", root.name),
        root=root,
        description=data.get("description", ""),
        html_template=html.get("template", "edition.html.j2"),
        stylesheets=tuple(html.get("stylesheets", ())),
        print_stylesheets=tuple(pdf.get("stylesheets", ())),
        press_stylesheets=tuple(pdf.get("press_stylesheets", ())),
        docx_template=docx.get("template", "reference.docx"),
        page_label=pdf.get("page_label"),
        messages=messages,
        options=dict(data.get("options", {})),
        **_page_setup(pdf, root),
    )
    columns = layout.options.get("signatory_columns", 1)
    if not isinstance(columns, int) or isinstance(columns, bool) or not 1 <= columns <= 3:
        raise UsageError(f"{root / LAYOUT_FILE}: signatory_columns = {columns!r}",
                         hint="set [options] signatory_columns to 1, 2 or 3")
    for relative in (layout.html_template, *layout.stylesheets, *layout.print_stylesheets, *layout.press_stylesheets,
                     layout.docx_template):
        if not confined.is_file(layout.path(relative)):
            raise UsageError(f"layout '{layout.name}' names {relative}, which is not in {root}",
                             hint=f"add the file or fix {LAYOUT_FILE}")
    return layout


def _page_setup(pdf: dict[str, Any], root: Path) -> dict[str, Any]:
    """The ``[pdf]`` keys about the page: paper, margins per paper, running heads and feet."""
    where = root / LAYOUT_FILE

    def fail(message: str, hint: str) -> UsageError:
        return UsageError(f"{where}: {message}", hint=hint)

    paper = PAPERS.get(str(pdf.get("paper", "A4")).lower())
    if paper is None:
        raise fail(f"unknown paper {pdf.get('paper')!r}", f"use one of {', '.join(PAPERS.values())}")
    margins = {}
    for name, margin in dict(pdf.get("margins", {})).items():
        if name.lower() not in PAPERS or not isinstance(margin, str):
            raise fail(f"[pdf.margins] {name} = {margin!r}", "give a CSS margin per paper: A4 = \"20mm 22mm 24mm\"")
        margins[PAPERS[name.lower()]] = margin
    running = dict(pdf.get("running", {}))
    first = running.pop("first", {})
    if pdf.get("page_label"):  # the older key: where "Page 2 of 3" goes
        running.setdefault(pdf["page_label"], "{page}")
    for table, boxes in (("[pdf.running]", running), ("[pdf.running.first]", first)):
        for box, content in boxes.items():
            if box not in MARGIN_BOXES:
                raise fail(f"{table}: no page margin box {box!r}", "use top-start, top-center, bottom-end, … "
                                                                   "(docs/layouts.md lists them)")
            unknown = set(re.findall(r"\{(\w*)\}", str(content))) - RUNNING_FIELDS
            if not isinstance(content, str) or unknown:
                raise fail(f"{table}: {box} = {content!r} names {', '.join(sorted(unknown)) or 'no text'}",
                           f"use text and {', '.join('{' + f + '}' for f in sorted(RUNNING_FIELDS))}")
    return {"paper": paper, "margins": margins, "running": running, "running_first": dict(first)}
