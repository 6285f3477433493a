"""The HTML edition: CommonMark blocks as semantic markup, and no markup from a source ever passes."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import run_typeset
from tests.test_diagnostics import DOCUMENT, make

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
    assert '<ol start="3" style="counter-reset: list-item 2">' in body
    assert "<blockquote>\n<p>quoted</p>\n</blockquote>" in body
    assert "<h2>A heading</h2>" in body
    assert '<section class="slogans"' in body and "<p>Unite!</p>" in body
    # nothing from the source became markup
    assert "<script>" not in html and "<b>" not in body and "<img" not in body and "<i " not in body
    assert "&lt;script&gt;alert(&#39;title&#39;)&lt;/script&gt; {{ 7*7 }}" in html
    assert "Raw &lt;b&gt;HTML&lt;/b&gt; and &lt;img src=x onerror=alert(1)&gt; stay text; so does {% raw %}." in body
    assert "&lt;i onmouseover=x&gt;Alpha&lt;/i&gt;" in body
    assert "49" not in body
