"""The index of an output folder: one page that links every edition of every document, with sizes.

In: the artefacts a build lists in ``OUT/manifest.json`` (document, language, format, path relative to
OUT, size, title). Out: ``index.html`` as bytes — per document a table with a row per language (its
name in itself, the edition's title) and a column per format (a link, relative, and the size); an HTML
edition's fonts written beside it (``--html-fonts files``) are counted in its cell. Plain HTML and CSS,
no script, no fonts of its own (it names the bundled families; the reader's machine fills in), the same
bytes for the same manifest.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from markupsafe import Markup

from typeset import __version__
from typeset.model.language import LanguageTagError, parse_language

FORMAT_LABELS = {"pdf": "PDF", "docx": "DOCX", "html": "HTML"}
MEDIA_TYPES = {"pdf": "application/pdf", "html": "text/html",
               "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}
BESIDE_HTML = "font"  # files that belong to the HTML edition's cell


class Listed(Protocol):
    """What the index needs of an artefact (:class:`typeset.batch.Artefact` has it); read only,
    as a frozen dataclass's fields are."""

    @property
    def document(self) -> str: ...
    @property
    def language(self) -> str: ...
    @property
    def format(self) -> str: ...
    @property
    def path(self) -> str: ...
    @property
    def bytes(self) -> int: ...
    @property
    def title(self) -> str: ...


_CSS = """
:root { color-scheme: light; --ink: #1b1b1b; --muted: #595959; --accent: #8b1a1a; --rule: #d9cfcf; }
html { font: 16px/1.45 "Noto Sans", system-ui, sans-serif; color: var(--ink); background: #fff; }
body { max-width: 64rem; margin: 2rem auto; padding: 0 1rem; }
h1 { font-size: 1.6rem; margin: 0 0 0.2rem; }
header p { color: var(--muted); margin: 0 0 2rem; }
h2 { font-size: 1.15rem; margin: 2rem 0 0.6rem; }
.scroll { overflow-x: auto; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: start; vertical-align: top; padding: 0.45rem 0.8rem 0.45rem 0;
  border-bottom: 1px solid var(--rule); }
thead th { font-size: 0.85rem; color: var(--muted); font-weight: 600; }
tbody th { font-weight: 600; white-space: nowrap; }
.title { font-family: "Noto Serif", serif; min-width: 12rem; }
.tag, .size, .none { color: var(--muted); font-size: 0.85rem; font-weight: 400; }
.tag { display: block; }
td.file { white-space: nowrap; }
a { color: var(--accent); }
a:focus-visible { outline: 2px solid var(--accent); outline-offset: 2px; }
@media print { a { color: inherit; } .scroll { overflow: visible; } }
"""


def index_html(artefacts: Sequence[Listed]) -> bytes:
    """The index page for these artefacts (paths relative to the folder the page is written to)."""
    documents: dict[str, list[Listed]] = {}
    for artefact in artefacts:
        documents.setdefault(artefact.document, []).append(artefact)
    editions = {(a.document, a.language) for a in artefacts}
    total = sum(a.bytes for a in artefacts)
    sections = Markup("\n").join(_document(document, items) for document, items in documents.items())
    summary = (f"{len(documents)} document{'s' * (len(documents) != 1)}, {len(editions)} language "
               f"edition{'s' * (len(editions) != 1)}, {len(artefacts)} file{'s' * (len(artefacts) != 1)}, "
               f"{_size(total)}.")
    page = Markup(
        '<!DOCTYPE html>\n<html lang="en" dir="ltr">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        "<title>Editions</title>\n"
        '<meta name="generator" content="typeset {version}">\n<style>{css}</style>\n</head>\n<body>\n'
        "<header>\n<h1>Editions</h1>\n<p>{summary}</p>\n</header>\n<main>\n{sections}\n</main>\n</body>\n</html>\n"
    ).format(version=__version__, css=Markup(_CSS), summary=summary, sections=sections)
    return str(page).encode("utf-8")


def _document(document: str, artefacts: list[Listed]) -> Markup:
    anchor = "doc-" + "".join(c if c.isalnum() or c in "-_" else "-" for c in document)
    kinds = [k for k in FORMAT_LABELS if any(a.format == k for a in artefacts)]
    kinds += sorted({a.format for a in artefacts} - set(kinds) - {BESIDE_HTML})
    languages = list(dict.fromkeys(a.language for a in artefacts))
    head = Markup("").join(Markup('<th scope="col">{}</th>').format(FORMAT_LABELS.get(k, k.upper())) for k in kinds)
    rows = Markup("\n").join(_row(language, [a for a in artefacts if a.language == language], kinds)
                             for language in languages)
    return Markup(
        '<section>\n<h2 id="{anchor}">{document}</h2>\n'
        '<div class="scroll" role="region" aria-labelledby="{anchor}" tabindex="0">\n<table>\n'
        '<thead><tr><th scope="col">Language</th><th scope="col">Title</th>{head}</tr></thead>\n'
        "<tbody>\n{rows}\n</tbody>\n</table>\n</div>\n</section>"
    ).format(anchor=anchor, document=document, head=head, rows=rows)


def _row(tag: str, artefacts: list[Listed], kinds: list[str]) -> Markup:
    name, direction = _language(tag)
    title = next((a.title for a in artefacts if a.title), "")
    cells = Markup("").join(_cell(kind, tag, artefacts) for kind in kinds)
    return Markup(
        '<tr><th scope="row"><span lang="{tag}" dir="{direction}">{name}</span> <span class="tag">{tag}</span></th>'
        '<td class="title" lang="{tag}" dir="{direction}">{title}</td>{cells}</tr>'
    ).format(tag=tag, direction=direction, name=name, title=title, cells=cells)


def _cell(kind: str, tag: str, artefacts: list[Listed]) -> Markup:
    main = next((a for a in artefacts if a.format == kind), None)
    if main is None:
        return Markup('<td class="file"><span class="none">not built</span></td>')
    label = FORMAT_LABELS.get(kind, kind.upper())
    media = Markup(' type="{}"').format(MEDIA_TYPES[kind]) if kind in MEDIA_TYPES else Markup("")
    extra = Markup("")
    if kind == "html":
        fonts = [a for a in artefacts if a.format == BESIDE_HTML]
        if fonts:
            count = len(fonts)
            extra = Markup('<br><span class="size">+ {} font{} beside it, {}</span>').format(
                count, "s" * (count != 1), _size(sum(a.bytes for a in fonts)))
    return Markup(
        '<td class="file"><a href="{href}" hreflang="{tag}"{media}>{label}</a> '
        '<span class="size"><data value="{bytes}">{size}</data></span>{extra}</td>'
    ).format(href=_href(main.path), tag=tag, media=media, label=label, bytes=main.bytes, size=_size(main.bytes),
             extra=extra)


def _language(tag: str) -> tuple[str, str]:
    """The language's name in itself ("Deutsch") and its direction; the tag itself if CLDR has none."""
    try:
        language = parse_language(tag)
    except LanguageTagError:
        return tag, "auto"
    return language.display_name(), language.direction


def _href(path: str) -> str:
    from urllib.parse import quote

    return quote(path, safe="/-_.~")


def _size(count: int) -> str:
    if count >= 1024 * 1024:
        return f"{count / (1024 * 1024):.1f} MiB"
    return f"{count / 1024:.0f} KiB" if count >= 1024 else f"{count} B"

