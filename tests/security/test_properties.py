"""Property tests: random documents in every script — combining marks, bidi controls, emoji,
markup and template syntax, lone surrogates — never crash `check` or `build`.

Either the source gets a clean error (diagnostics with a position), or its HTML edition parses,
holds no markup that came from the input, and numbers the signatories 1..N. Each CI run tries
TYPESET_PROPERTY_EXAMPLES examples (default 150); the long run sets it to 10000 or more.
"""

from __future__ import annotations

import os
import tempfile
import unicodedata
from html.parser import HTMLParser
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from typeset.errors import TypesetError
from typeset.escape import yaml_scalar
from typeset.model.edition import make_edition
from typeset.prepare import prepare
from typeset.render import renderer
from typeset.world import World

EXAMPLES = int(os.environ.get("TYPESET_PROPERTY_EXAMPLES", "150"))
LANGUAGES = ["en", "de", "ar", "fa", "ur", "hi", "bn", "ja", "zh-Hans", "zh-Hant", "ko", "ru", "el", "he", "th",
             "ka", "hy", "am", "ta", "si", "vi", "tr"]
SAMPLES = ("Aa Éé ẞß Ωω Жж ب پ ے א क्ष ক্ষ த ශ ก ქ Հ ሀ 漢 汉 あ ア 한 ệ ş İ ı ـ"
           "\u0301\u0308\u064b\u0651\u093f\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2069"
           "\U0001f600\U0001f44d\U0001f3fd\ufeff\u00ad\u00a0"
           "<>&\"'`*_[](){}#|\\!:-=+@~$%")
TEMPLATE = ("{{ 7*7 }}", "{% for x in y %}", "<script>x()</script>", "<img src=x onerror=y>",
            "[l](javascript:x)", "![i](http://127.0.0.1:9/x.png)", "::: slogans", "---")

text = st.text(alphabet=st.sampled_from(SAMPLES), min_size=1, max_size=40) | st.sampled_from(TEMPLATE)
line = st.lists(text, min_size=1, max_size=4).map(" ".join)


@st.composite
def documents(draw):  # type: ignore[no-untyped-def]
    languages = draw(st.lists(st.sampled_from(LANGUAGES), min_size=1, max_size=3, unique=True))
    groups = []
    for index in range(draw(st.integers(0, 3))):
        numbering = draw(st.sampled_from(["continue", "restart", "none"]))
        names = draw(st.lists(text, max_size=8))
        entries = [{"name": name, "lang": draw(st.sampled_from(LANGUAGES)),
                    "abbreviation": draw(st.none() | text)} for name in names]
        groups.append({"id": f"g{index}", "numbering": numbering,
                       "heading": {tag: draw(text) for tag in languages}, "entries": entries})
    texts = {tag: {"title": draw(text), "body": draw(st.lists(line, min_size=1, max_size=5)),
                   "slogans": draw(st.lists(line, max_size=2))} for tag in languages}
    surrogate = draw(st.booleans()) and draw(st.integers(0, 9)) == 0
    return languages, groups, texts, surrogate


def _write(folder: Path, languages, groups, texts, surrogate: bool) -> None:  # type: ignore[no-untyped-def]
    lines = ["id: random", "organisation: Org", "date: 2024-01-31", f"languages: [{', '.join(languages)}]",
             f"source_language: {languages[0]}", "groups:"]
    for group in groups:
        lines += [f"  - id: {group['id']}", f"    numbering: {group['numbering']}", "    heading:"]
        lines += [f"      {tag}: {yaml_scalar(value)}" for tag, value in group["heading"].items()]
        lines.append("    entries: []" if not group["entries"] else "    entries:")
        for entry in group["entries"]:
            lines += [f"      - name: {yaml_scalar(entry['name'])}", f"        lang: {entry['lang']}"]
            if entry["abbreviation"] is not None:
                lines.append(f"        abbreviation: {yaml_scalar(entry['abbreviation'])}")
    if not groups:
        lines[-1] = "groups: []"
    (folder / "document.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    for tag, content in texts.items():
        body = "\n\n".join(content["body"])
        slogans = "\n\n::: slogans\n" + "\n\n".join(content["slogans"]) + "\n:::\n" if content["slogans"] else ""
        source = f"---\ntitle: {yaml_scalar(content['title'])}\n---\n\n{body}\n{slogans}"
        if surrogate:
            source += "\ud800"
        (folder / f"{tag}.md").write_bytes(source.encode("utf-8", "surrogatepass"))


class _Markup(HTMLParser):
    """Records the elements and attributes of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.values: list[int] = []
        self.starts: list[int] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))
        values = dict(attrs)
        if tag == "li" and values.get("value"):
            self.values.append(int(values["value"] or 0))


ALLOWED = {"html", "head", "meta", "title", "link", "style", "body", "header", "main", "article", "section", "nav",
           "footer", "p", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "span", "bdi", "em", "strong",
           "code", "pre", "blockquote", "a", "br", "hr", "time", "table", "thead", "tbody", "tr", "th", "td"}


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), derandomize=False)
@given(documents())
def test_random_documents_never_crash_and_never_inject(document) -> None:  # type: ignore[no-untyped-def]
    languages, groups, texts, surrogate = document
    with tempfile.TemporaryDirectory() as temporary:
        folder = Path(temporary) / "doc"
        folder.mkdir()
        _write(folder, languages, groups, texts, surrogate)
        prepared = prepare(folder, World([]))
        if prepared.document is None or prepared.diagnostics.has_errors:
            errors = [d for d in prepared.diagnostics.items if d.is_error]
            assert errors and all(d.span.line >= 1 and d.span.col >= 1 and d.message for d in errors)
            return
        assert not surrogate, "a lone surrogate is not UTF-8 and must be refused"
        assert prepared.context is not None
        numbered = [len(g["entries"]) for g in groups if g["numbering"] != "none"]
        for tag in prepared.document.languages:
            edition = make_edition(prepared.document, tag.tag)
            try:
                html = renderer("html")(edition, prepared.context).decode("utf-8")
            except TypesetError as error:  # a clean refusal is allowed; a crash is not
                assert error.message
                continue
            parser = _Markup()
            parser.feed(html)
            assert {tag for tag, _ in parser.tags} <= ALLOWED
            for tag, attrs in parser.tags:
                assert not any(name.startswith("on") for name, _ in attrs), (tag, attrs)
                href = dict(attrs).get("href") or ""
                assert not href.lower().startswith(("javascript", "data", "vbscript", "file")), href
            numbers = [e.number for e in edition.entries if e.number is not None]
            assert numbers == parser.values
            if numbered and not any(g["numbering"] == "restart" for g in groups[1:]):
                assert numbers == list(range(1, sum(numbered) + 1))


# -- no silent loss --------------------------------------------------------------------------------
# Documents built from the same characters, with the Markdown structure typeset knows (headings,
# emphasis, links, lists and block quotes nested up to the limit, slogans) and every piece of text
# escaped, so that what must be printed is known exactly. Every piece must come out of every
# edition: HTML (the page's text), DOCX (the w:t text of word/document.xml) and PDF (pdftotext).
# Each run renders TYPESET_TEXT_EXAMPLES documents in all three formats (default 12).

TEXT_EXAMPLES = int(os.environ.get("TYPESET_TEXT_EXAMPLES", "12"))
PRINTABLE = "".join(c for c in SAMPLES if ord(c) < 0x1F000)  # no bundled font draws emoji: the preflight refuses them
# Combining marks come on a letter of their own script: a mark on a letter no font draws it with (an
# Arabic fatḥatān on a kana) is refused by the glyph preflight, at its place, and that is tested there.
CLUSTERS = [c for c in PRINTABLE if not unicodedata.category(c).startswith("M")] + [
    "e\u0301", "a\u0308", "\u03c9\u0301", "\u0431\u0308", "\u0628\u064b", "\u0628\u0651", "\u067e\u0651",
    "\u0915\u093f", "\u0937\u093f"]
_ASCII_PUNCTUATION = frozenset("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")

piece = st.lists(st.sampled_from(CLUSTERS), min_size=1, max_size=24).map("".join).map(str.strip).filter(
    lambda s: any(not c.isspace() and unicodedata.category(c) not in ("Cf", "Mn") for c in s))


def _escaped(text: str) -> str:
    """Markdown that prints ``text`` as it is: every ASCII punctuation character escaped."""
    return "".join("\\" + c if c in _ASCII_PUNCTUATION else c for c in text)


@st.composite
def _inline(draw) -> tuple[str, list[str]]:  # type: ignore[no-untyped-def]
    """A line of Markdown and the pieces it prints."""
    pieces = draw(st.lists(piece, min_size=1, max_size=3))
    parts = []
    for text in pieces:
        form = draw(st.sampled_from(["plain", "plain", "em", "strong", "link"]))
        escaped = _escaped(text)
        parts.append({"plain": escaped, "em": f"*{escaped}*", "strong": f"**{escaped}**",
                      "link": f"[{escaped}](https://example.org/x)"}[form])
    return " ".join(parts), pieces


@st.composite
def _blocks(draw, depth: int = 0, budget: int = 6) -> tuple[list[str], list[str]]:  # type: ignore[no-untyped-def]
    """Markdown lines of a few blocks, nested at most to the limit, and the pieces they print."""
    from typeset.source.markdown import MAX_NESTING

    lines: list[str] = []
    printed: list[str] = []
    for _ in range(draw(st.integers(1, 3))):
        nested = ["bullets", "numbers", "quote"] * 2 if depth < MAX_NESTING and budget else []
        kinds = ["paragraph", "heading", *nested]
        kind = draw(st.sampled_from(kinds))
        if kind in ("paragraph", "heading"):
            line, pieces = draw(_inline())
            lines += [("#" * draw(st.integers(1, 3)) + " " if kind == "heading" else "") + line, ""]
            printed += pieces
        elif kind == "quote":
            inner, pieces = draw(_blocks(depth + 1, budget - 1))
            lines += [f"> {line}".rstrip() for line in inner] + [""]
            printed += pieces
        else:
            for number in range(draw(st.integers(1, 3))):
                marker = "- " if kind == "bullets" else f"{number + 1}. "
                inner, pieces = draw(_blocks(depth + 1, budget - 1))
                lines += [(marker if i == 0 else " " * len(marker)) + line if line else ""
                          for i, line in enumerate(inner)]
                printed += pieces
            lines.append("")
    return lines, printed


@st.composite
def _deep(draw) -> tuple[list[str], list[str], int]:  # type: ignore[no-untyped-def]
    """Lists and quotes nested as deep as allowed or deeper, then a paragraph after them: what
    markdown-it used to drop (from ten lists or twenty quotes on). The depth comes with it."""
    from typeset.source.markdown import MAX_NESTING

    line, pieces = draw(_inline())
    lines = [line]
    depth = draw(st.integers(1, 2 * MAX_NESTING + 3))
    for _ in range(depth):
        marker = draw(st.sampled_from(["- ", "1. ", "> "]))
        lines = [(marker if i == 0 or marker == "> " else " " * len(marker)) + text if text else
                 (">" if marker == "> " else "") for i, text in enumerate(lines)]
    after, more = draw(_inline())
    return [*lines, "", after, ""], [*pieces, *more], depth


@st.composite
def printed_documents(draw):  # type: ignore[no-untyped-def]
    languages = draw(st.lists(st.sampled_from(LANGUAGES), min_size=1, max_size=2, unique=True))
    groups = []
    for index in range(draw(st.integers(0, 2))):
        entries = [{"name": draw(piece), "lang": draw(st.sampled_from(LANGUAGES)),
                    "abbreviation": draw(st.none() | piece)} for _ in range(draw(st.integers(1, 4)))]
        groups.append({"id": f"g{index}", "numbering": draw(st.sampled_from(["continue", "restart", "none"])),
                       "heading": {tag: draw(piece) for tag in languages}, "entries": entries})
    texts = {}
    for tag in languages:
        body, printed = draw(_blocks())
        depth = 0
        if draw(st.booleans()):
            deep, more, depth = draw(_deep())
            body, printed = [*body, *deep], [*printed, *more]
        slogans = draw(st.lists(_inline(), max_size=2))
        texts[tag] = {"title": draw(piece), "body": body, "printed": printed, "slogans": slogans, "depth": depth}
    return languages, groups, texts


def _write_printed(folder: Path, languages, groups, texts) -> None:  # type: ignore[no-untyped-def]
    lines = ["id: printed", "organisation: Org", "date: 2024-01-31", f"languages: [{', '.join(languages)}]",
             f"source_language: {languages[0]}", "groups:" if groups else "groups: []"]
    for group in groups:
        lines += [f"  - id: {group['id']}", f"    numbering: {group['numbering']}", "    heading:"]
        lines += [f"      {tag}: {yaml_scalar(value)}" for tag, value in group["heading"].items()]
        lines.append("    entries:")
        for entry in group["entries"]:
            lines += [f"      - name: {yaml_scalar(entry['name'])}", f"        lang: {entry['lang']}"]
            if entry["abbreviation"] is not None:
                lines.append(f"        abbreviation: {yaml_scalar(entry['abbreviation'])}")
    (folder / "document.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    for tag, content in texts.items():
        slogans = "".join(f"{line}\n\n" for line, _ in content["slogans"])
        source = (f"---\ntitle: {yaml_scalar(content['title'])}\n---\n\n" + "\n".join(content["body"]) + "\n"
                  + (f"\n::: slogans\n{slogans}:::\n" if slogans else ""))
        (folder / f"{tag}.md").write_text(source, encoding="utf-8")


def _visible(text: str, *, hyphens: bool = True) -> str:
    """What a reader sees of ``text``, to compare across formats: compatibility forms and
    compositions taken apart (NFKD: ligatures, Arabic presentation forms, a mark that a reordered
    right-to-left run leaves on another letter), white space, line breaks and format characters
    (bidi marks, joiners, soft hyphens) left out, and — for the PDF, which hyphenates — hyphens too;
    every quotation mark and apostrophe as one, since the editions print the language's marks for
    straight ones (typeset/render/typography.py)."""
    from tests.conftest import QUOTES

    text = unicodedata.normalize("NFKD", QUOTES.sub('"', text))  # before NFKD, which splits ″ in two
    return "".join(c for c in text if not c.isspace() and unicodedata.category(c) not in ("Cf", "Cc", "Zl", "Zp")
                   and (hyphens or c not in "-\u2010\u2011"))


class _PageText(HTMLParser):
    """The text of a page's body, without its style sheets."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0
        self._body = False

    BLOCKS = frozenset({"p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "ol", "ul", "section",
                        "header", "footer", "article", "nav", "pre", "br"})

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._body = self._body or tag == "body"
        self._skip += tag in ("style", "script", "title")
        if tag in self.BLOCKS:  # a mark that opens one block must not join the letter that ends another
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        self._skip -= tag in ("style", "script", "title")
        if tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if self._body and not self._skip:
            self.parts.append(data)


def _docx_text(data: bytes) -> str:
    import io
    import zipfile

    from lxml import etree

    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        root = etree.fromstring(package.read("word/document.xml"))
    # one line per paragraph: a mark at the start of one must not join the letter that ends another
    return "\n".join("".join(t.text or "" for t in p.iter(f"{w}t")) for p in root.iter(f"{w}p"))


@settings(max_examples=TEXT_EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), derandomize=False)
@given(printed_documents())
def test_every_character_of_the_source_reaches_every_edition(document) -> None:  # type: ignore[no-untyped-def]
    from collections import Counter

    from tests.pdfcheck import missing_glyphs
    from tests.pdfcheck import text as pdf_text
    from typeset.render import RenderOptions
    from typeset.source.markdown import MAX_NESTING

    languages, groups, texts = document
    with tempfile.TemporaryDirectory() as temporary:
        folder = Path(temporary) / "doc"
        folder.mkdir()
        _write_printed(folder, languages, groups, texts)
        prepared = prepare(folder, World([]), None, RenderOptions(html_fonts="none"))
        errors = [d for d in prepared.diagnostics.items if d.is_error]
        too_deep = [tag for tag, content in texts.items() if content["depth"] > MAX_NESTING]
        if too_deep:  # refused, at the place it goes too deep: never built without a part
            assert prepared.document is None
            assert {d.span.path.name for d in errors} == {f"{tag}.md" for tag in too_deep}
            assert all(d.code == "nesting" and d.span.line > 3 for d in errors), [d.format() for d in errors]
            return
        assert not errors and prepared.document is not None and prepared.context is not None, errors
        for tag in prepared.document.languages:
            edition = make_edition(prepared.document, tag.tag)
            source = texts[tag.tag]
            expected = [source["title"], *source["printed"], *(p for _, ps in source["slogans"] for p in ps),
                        *(g["heading"][tag.tag] for g in groups),
                        *(e[k] for g in groups for e in g["entries"] for k in ("name", "abbreviation") if e[k])]
            page = _PageText()
            page.feed(renderer("html")(edition, prepared.context).decode("utf-8"))  # type: ignore[union-attr]
            docx = _docx_text(renderer("docx")(edition, prepared.context))  # type: ignore[arg-type]
            pdf_path = Path(temporary) / f"{tag.tag}.pdf"
            pdf_path.write_bytes(renderer("pdf")(edition, prepared.context))  # type: ignore[arg-type]
            for name, text in (("HTML", _visible("".join(page.parts))), ("DOCX", _visible(docx))):
                lost = [piece for piece in expected if _visible(piece) not in text]
                assert not lost, f"{tag.tag} {name} edition lost {lost!r}"
            # The PDF's text comes back in an order of pdftotext's (right-to-left runs, columns):
            # every character must be there as often as the source has it.
            printed = Counter(_visible(pdf_text(pdf_path), hyphens=False))
            wanted = Counter(_visible("".join(expected), hyphens=False))
            assert not wanted - printed, f"{tag.tag} PDF edition lost {dict(wanted - printed)!r}"
            assert missing_glyphs(pdf_path) == [], f"{tag.tag} PDF edition prints a box"
