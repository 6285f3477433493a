"""The HTML edition: CommonMark blocks as semantic markup, no markup from a source ever passes, a page that
stands alone (metadata, links to the other editions, its own fonts), and the index of an output folder."""

from __future__ import annotations

import base64
import hashlib
import io
import json
import re
import unicodedata
from html import unescape
from html.parser import HTMLParser
from pathlib import Path

from fontTools.ttLib import TTFont

from tests.conftest import DOCUMENT_ID, EXAMPLE, REPO, edition_path, run_typeset
from tests.support import DOCUMENT, make

HOSTILE_TEXT = """\
---
title: "<script>alert('title')</script> {{ 7*7 }}"
---

A paragraph with *emphasis*, **strong**, `code` and a [link](https://example.org/a?b=1&c=2 "Example").
Raw <b>HTML</b> and <img src=x onerror=alert(1)> stay text; so does {% raw %}.

- first
- second

3. three
4. four

> quoted

# A heading

::: slogans
Unite!
:::
"""


def test_blocks_become_semantic_markup_and_text_stays_text(tmp_path: Path) -> None:
    document = DOCUMENT.replace("name: Alpha", "name: \"<i onmouseover=x>Alpha</i>\"")
    folder = make(tmp_path / "doc", document, {"en.md": HOSTILE_TEXT})
    run_typeset("build", folder, "-l", "en", "-f", "html", "--out", tmp_path / "out", check=True)
    html = (tmp_path / "out" / "t" / "t.en.html").read_text(encoding="utf-8")
    body = html.split("<body>", 1)[1]
    assert "<em>emphasis</em>" in body and "<strong>strong</strong>" in body and "<code>code</code>" in body
    assert '<a href="https://example.org/a?b=1&amp;c=2" title="Example">link</a>' in body
    assert "<ul>\n<li>first</li>\n<li>second</li>\n</ul>" in body
    assert '<ol start="3" style="counter-reset: list-item 2; --digits: 1">' in body
    assert "<blockquote>\n<p>quoted</p>\n</blockquote>" in body
    assert "<h2>A heading</h2>" in body
    assert '<section class="slogans"' in body and "<p>Unite!</p>" in body
    # nothing from the source became markup
    assert "<script>" not in html and "<b>" not in body and "<img" not in body and "<i " not in body
    # the title's straight quotes are printed as English ones (typeset/render/typography.py)
    assert "&lt;script&gt;alert(‘title’)&lt;/script&gt; {{ 7*7 }}" in html
    assert "Raw &lt;b&gt;HTML&lt;/b&gt; and &lt;img src=x onerror=alert(1)&gt; stay text; so does {% raw %}." in body
    assert "&lt;i onmouseover=x&gt;Alpha&lt;/i&gt;" in body
    assert "49" not in body


# -- a standalone page ---------------------------------------------------------------------------------

HEAT = REPO / "examples" / "extreme-heat-2024"


class _Page(HTMLParser):
    """The elements of a page with their attributes, the text of its style elements, and its scripts."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.elements: list[tuple[str, dict[str, str]]] = []
        self.css: list[str] = []
        self._in_style = False
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, {k: v or "" for k, v in attrs}))
        self._in_style = tag == "style"

    def handle_endtag(self, tag: str) -> None:
        self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self.css.append(data)

    def all(self, tag: str, **wanted: str) -> list[dict[str, str]]:
        return [attrs for name, attrs in self.elements
                if name == tag and all(attrs.get(k.replace("_", "-")) == v for k, v in wanted.items())]

    def meta(self, key: str) -> list[str]:
        return [a["content"] for a in self.all("meta") if key in (a.get("name"), a.get("property"))]


def _fonts(css: str) -> list[tuple[str, str]]:
    """(family, URL) of every @font-face rule."""
    return re.findall(r'@font-face \{ font-family: "([^"]+)"; src: url\("([^"]+)"\)', css)


def test_the_edition_is_a_standalone_page_with_metadata_and_links_to_the_other_editions(tmp_path: Path) -> None:
    run_typeset("build", EXAMPLE, "-l", "de", "-f", "html", "--out", tmp_path, check=True)
    html = edition_path(tmp_path, "de", "html").read_text(encoding="utf-8")
    page = _Page(html)
    assert page.all("html") == [{"lang": "de", "dir": "ltr"}]
    assert all(page.all(tag) for tag in ("header", "main", "section", "ol", "nav", "h1"))
    assert page.all("meta", name="viewport")
    assert not page.all("script") and "<script" not in html and " on" + "load=" not in html
    description = page.meta("description")[0]
    assert description.startswith("Am 18. März 2017 wurden") and description.endswith("…") and len(description) <= 201
    assert page.meta("og:title") == ["ICOR-Resolution"] and page.meta("og:type") == ["article"]
    assert page.meta("og:description") == [description] and page.meta("og:site_name") == ["ICOR"]
    assert page.meta("og:locale") == ["de_DE"] and sorted(page.meta("og:locale:alternate")) == ["en_GB", "ru_RU"]
    assert page.meta("article:published_time") == ["2017-03-31"]
    alternates = {a["hreflang"]: a["href"] for a in page.all("link", rel="alternate")}
    assert alternates == {"en-GB": f"{DOCUMENT_ID}.en-GB.html", "de": f"{DOCUMENT_ID}.de.html",
                          "ru": f"{DOCUMENT_ID}.ru.html", "x-default": f"{DOCUMENT_ID}.en-GB.html"}
    menu = [(a["hreflang"], a.get("aria-current")) for a in page.all("a") if "hreflang" in a]
    assert menu == [("en-GB", None), ("de", "page"), ("ru", None)]
    assert ">Русский</a>" in html and ">English</a>" in html
    css = "\n".join(page.css)
    assert "@media print {" in css and "@page" in css.split("@media print {", 1)[1]
    assert "font-synthesis: none" in css
    # offline: nothing to fetch but what the page carries
    assert {url.split(",")[0] for _, url in _fonts(css)} == {"data:font/woff2;base64"}
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", html) and "url(http" not in css


def test_inline_fonts_are_woff2_subsets_that_hold_every_character_the_page_shows(tmp_path: Path) -> None:
    run_typeset("build", HEAT, "-l", "ja", "-l", "ar", "-f", "html", "--out", tmp_path, check=True)
    for language in ("ja", "ar"):
        path = edition_path(tmp_path, language, "html", "extreme-heat-2024")
        page = _Page(path.read_text(encoding="utf-8"))
        covered: dict[str, set[int]] = {}
        for family, url in _fonts("\n".join(page.css)):
            data = base64.b64decode(url.split(",", 1)[1])
            assert data[:4] == b"wOF2"
            with TTFont(io.BytesIO(data)) as font:
                assert font["name"].getDebugName(1).startswith(family.split(" CJK")[0].split(" Nastaliq")[0])
                covered.setdefault(family, set()).update(font.getBestCmap())
        everything = set().union(*covered.values())
        shown = {ord(c) for c in _visible_text(path.read_text(encoding="utf-8")) if not c.isspace()
                 and unicodedata.category(c) not in ("Cf", "Cc")}
        assert shown - everything == set(), f"{language}: no font for {''.join(map(chr, shown - everything))}"
        own = "Noto Serif CJK JP" if language == "ja" else "Noto Naskh Arabic"
        assert len(covered[own]) < 1200, "the edition's own face is cut down to what it uses"
    assert edition_path(tmp_path, "ja", "html", "extreme-heat-2024").stat().st_size < 512 * 1024


def _visible_text(html: str) -> str:
    body = html.split("<body>", 1)[1]
    body = re.sub(r"<[^>]+>", "", body)
    return unescape(body)


def test_fonts_beside_the_page_are_written_listed_and_replaced(tmp_path: Path) -> None:
    out = tmp_path / "out"
    run_typeset("build", EXAMPLE, "-l", "ru", "-f", "html", "--html-fonts", "files", "--out", out, check=True)
    page_path = edition_path(out, "ru", "html")
    css = "\n".join(_Page(page_path.read_text(encoding="utf-8")).css)
    urls = [url for _, url in _fonts(css)]
    assert urls and all(re.fullmatch(r"fonts/ru/[a-z0-9-]+\.woff2\?v=[0-9a-f]{12}", url) for url in urls)
    files = {url.split("?")[0]: (page_path.parent / url.split("?")[0]).read_bytes() for url in urls}
    assert all(data[:4] == b"wOF2" for data in files.values())
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))["artefacts"]
    fonts = [a for a in manifest if a["format"] == "font"]
    assert sorted(a["path"] for a in fonts) == sorted(f"{DOCUMENT_ID}/{name}" for name in files)
    for artefact in fonts:
        data = (out / artefact["path"]).read_bytes()
        assert artefact["language"] == "ru" and artefact["bytes"] == len(data)
        assert artefact["sha256"] == hashlib.sha256(data).hexdigest()
        assert artefact["sha256"][:12] in css  # the URL changes with the file: no stale cache
    index = (out / "index.html").read_text(encoding="utf-8")
    assert f"+ {len(fonts)} fonts beside it" in index

    again = run_typeset("build", EXAMPLE, "-l", "ru", "-f", "html", "--html-fonts", "files", "--out", out, check=True)
    assert "unchanged" in again.stdout and json.loads((out / "manifest.json").read_text(encoding="utf-8"))[
        "artefacts"] == manifest  # nothing changed: the fonts stay listed
    (out / fonts[0]["path"]).unlink()  # a font lost: the edition is made again, with it
    repaired = run_typeset("build", EXAMPLE, "-l", "ru", "-f", "html", "--html-fonts", "files", "--out", out,
                           check=True)
    assert f"wrote {out / fonts[0]['path']}" in repaired.stdout and (out / fonts[0]["path"]).is_file()

    run_typeset("build", EXAMPLE, "-l", "ru", "-f", "html", "--out", out, check=True)  # inline again
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))["artefacts"]
    assert [a["format"] for a in manifest] == ["html"]
    assert "data:font/woff2" in page_path.read_text(encoding="utf-8")


def test_without_fonts_the_page_names_the_bundled_families_only(tmp_path: Path) -> None:
    run_typeset("build", EXAMPLE, "-l", "ru", "-f", "html", "--html-fonts", "none", "--out", tmp_path, check=True)
    html = edition_path(tmp_path, "ru", "html").read_text(encoding="utf-8")
    assert "@font-face" not in html and '"Noto Serif"' in html
    assert not list(tmp_path.rglob("*.woff2"))


def test_the_pdf_gets_no_language_menu(tmp_path: Path) -> None:
    from typeset.model.edition import make_edition
    from typeset.prepare import prepare
    from typeset.render.html import build_html
    from typeset.world import World

    prepared = prepare(EXAMPLE, World([]))
    assert prepared.document is not None and prepared.context is not None
    html = build_html(make_edition(prepared.document, "de"), prepared.context)
    assert 'class="languages"' not in html and "@font-face" not in html


def test_the_index_lists_every_file_with_its_size_and_a_relative_link(tmp_path: Path) -> None:
    run_typeset("build", EXAMPLE, "-f", "html", "-f", "docx", "--out", tmp_path, check=True)
    run_typeset("build", HEAT, "-l", "ar", "-f", "html", "--html-fonts", "none", "--out", tmp_path, check=True)
    html = (tmp_path / "index.html").read_text(encoding="utf-8")
    page = _Page(html)
    manifest = json.loads((tmp_path / "manifest.json").read_text(encoding="utf-8"))["artefacts"]
    links = {a["href"]: a for a in page.all("a")}
    assert sorted(links) == sorted(a["path"] for a in manifest) and len(manifest) == 7
    for artefact in manifest:
        assert (tmp_path / artefact["path"]).is_file()
        assert f'<data value="{artefact["bytes"]}">' in html
        assert links[artefact["path"]]["hreflang"] == artefact["language"]
    assert len(page.all("th", scope="col")) == 4 + 3  # language, title, DOCX, HTML; language, title, HTML
    assert len(page.all("th", scope="row")) == 4
    assert '<td class="title" lang="ar" dir="rtl">إعلان مشترك بشأن حقوق العمال في ظل الحر الشديد</td>' in html
    assert '<span lang="de" dir="ltr">Deutsch</span>' in html and "ICOR-Resolution" in html
    assert "<script" not in html
