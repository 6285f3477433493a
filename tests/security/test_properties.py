"""Property tests: random documents in every script — combining marks, bidi controls, emoji,
markup and template syntax, lone surrogates — never crash `check` or `build`.

Either the source gets a clean error (diagnostics with a position), or its HTML edition parses,
holds no markup that came from the input, and numbers the signatories 1..N. Each CI run tries
TYPESET_PROPERTY_EXAMPLES examples (default 150); the long run sets it to 10000 or more.
"""

from __future__ import annotations

import os
import tempfile
from html.parser import HTMLParser
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from typeset.prepare import prepare
from typeset.errors import TypesetError
from typeset.model.edition import make_edition
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


def _yaml_string(value: str) -> str:
    escaped = "".join(c if c.isprintable() and c not in '"\\' else f"\\U{ord(c):08x}" for c in value)
    return f'"{escaped}"'


def _write(folder: Path, languages, groups, texts, surrogate: bool) -> None:  # type: ignore[no-untyped-def]
    lines = ["id: random", "organisation: Org", "date: 2024-01-31", f"languages: [{', '.join(languages)}]",
             f"source_language: {languages[0]}", "groups:"]
    for group in groups:
        lines += [f"  - id: {group['id']}", f"    numbering: {group['numbering']}", "    heading:"]
        lines += [f"      {tag}: {_yaml_string(value)}" for tag, value in group["heading"].items()]
        lines.append("    entries: []" if not group["entries"] else "    entries:")
        for entry in group["entries"]:
            lines += [f"      - name: {_yaml_string(entry['name'])}", f"        lang: {entry['lang']}"]
            if entry["abbreviation"] is not None:
                lines.append(f"        abbreviation: {_yaml_string(entry['abbreviation'])}")
    if not groups:
        lines[-1] = "groups: []"
    (folder / "document.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    for tag, content in texts.items():
        body = "\n\n".join(content["body"])
        slogans = "\n\n::: slogans\n" + "\n\n".join(content["slogans"]) + "\n:::\n" if content["slogans"] else ""
        source = f"---\ntitle: {_yaml_string(content['title'])}\n---\n\n{body}\n{slogans}"
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
