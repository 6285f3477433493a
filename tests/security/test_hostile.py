"""Hostile input: for every case, a clear error or a safe rendering — never a traceback, never a
file read outside the document, layout and font folders (a canary proves it, through an audit
hook), never a connection (a listening socket counts them, and the hook sees every attempt)."""

from __future__ import annotations

import os
import shutil
import time
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.security.conftest import Listener
from tests.support import DOCUMENT, TEXT
from typeset.world import LAYOUTS_DIR


@dataclass
class Case:
    id: str
    document: str | Callable[[Path, Listener], str] = DOCUMENT
    files: dict[str, str | bytes] | Callable[[Path, Path, Listener], dict[str, str | bytes]] = field(
        default_factory=dict)
    layout: Callable[[Path, Path, Listener], None] | None = None  # edits a copy of the bundled layout
    formats: tuple[str, ...] = ("html",)
    code: int = 0
    errors: tuple[str, ...] = ()  # lines expected on stderr ("document.yaml:2:15: error: …")
    html_has: tuple[str, ...] = ()
    html_lacks: tuple[str, ...] = ()
    command: str = "build"


def _text(body: str, title: str = "Title") -> str:
    return f"---\ntitle: {title}\n---\n\n{body}\n"


def _symlink(target: Path, link: Path) -> None:
    link.parent.mkdir(parents=True, exist_ok=True)
    os.symlink(target, link)


def _layout_css(extra: str) -> Callable[[Path, Path, Listener], None]:
    def edit(layout: Path, canary: Path, listener: Listener) -> None:
        css = layout / "print.css"
        css.write_text(css.read_text(encoding="utf-8") + "\n" + extra.format(canary=canary.parent.as_uri(),
                                                                              url=listener.url), encoding="utf-8")
    return edit


def _layout_template(old: str, new: str) -> Callable[[Path, Path, Listener], None]:
    def edit(layout: Path, canary: Path, listener: Listener) -> None:
        template = layout / "edition.html.j2"
        text = template.read_text(encoding="utf-8")
        assert old in text
        template.write_text(text.replace(old, new.format(canary=canary, url=listener.url)), encoding="utf-8")
    return edit


def _docx_template(edit: Callable[[dict[str, bytes], Path, Listener], None]) -> Callable[[Path, Path, Listener], None]:
    """Rewrites the layout's reference.docx after ``edit`` changed its parts."""
    def rewrite(layout: Path, canary: Path, listener: Listener) -> None:
        template = layout / "reference.docx"
        with zipfile.ZipFile(template) as package:
            parts = {name: package.read(name) for name in package.namelist()}
        edit(parts, canary, listener)
        with zipfile.ZipFile(template, "w", zipfile.ZIP_DEFLATED) as package:
            for name, data in parts.items():
                package.writestr(name, data)
    return rewrite


def _zip_bomb(parts: dict[str, bytes], canary: Path, listener: Listener) -> None:
    parts["word/media/bomb.xml"] = b"<a>" + b" " * 200_000_000 + b"</a>"  # 200 MB, deflated to ~200 KB


def _external_entity(parts: dict[str, bytes], canary: Path, listener: Listener) -> None:
    xml = parts["word/styles.xml"].decode("utf-8")
    head, rest = xml.split("?>", 1)
    parts["word/styles.xml"] = (f'{head}?><!DOCTYPE w:styles [<!ENTITY x SYSTEM "{canary.as_uri()}">'
                                f'<!ENTITY y SYSTEM "{listener.url}/x">]>'
                                + rest.replace("<w:docDefaults>", "<w:docDefaults>&x;&y;", 1)).encode("utf-8")


BOMB = "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, "
    f"*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n"
    for i in range(8))

CASES = [
    # -- markup in text -----------------------------------------------------------------------
    Case("script in the body", files={"en.md": _text("Hello <script>alert(1)</script> world.")},
         html_has=("Hello &lt;script&gt;alert(1)&lt;/script&gt; world.",), html_lacks=("<script",)),
    Case("script in a name", document=DOCUMENT.replace("name: Alpha", 'name: "<script>alert(1)</script>"'),
         html_has=("&lt;script&gt;alert(1)&lt;/script&gt;",), html_lacks=("<script",)),
    Case("event handler in the body", files={"en.md": _text('<img src=x onerror="alert(1)"> and <b onclick=x>b</b>')},
         html_has=("&lt;img src=x onerror=&#34;alert(1)&#34;&gt;",), html_lacks=("<img", "<b ")),
    Case("event handler in a heading", document=DOCUMENT.replace("en: Signatories", "en: '<a onmouseover=x>S</a>'"),
         html_has=("&lt;a onmouseover=x&gt;S&lt;/a&gt;",), html_lacks=("<a onmouseover",)),
    Case("html in the title", files={"en.md": _text("Body.", title="'</title><script>x()</script>'")},
         html_has=("&lt;/title&gt;&lt;script&gt;x()&lt;/script&gt;",), html_lacks=("<script",)),
    Case("javascript link", files={"en.md": _text("[click](javascript:alert(1))")},
         html_has=("[click](javascript:alert(1))",), html_lacks=('href="javascript',)),
    Case("javascript link, mixed case and entities", files={"en.md": _text("[a](JaVaScRiPt:x) [b](jav&#x61;script:x)")},
         html_lacks=('href="JaVa', 'href="jav', 'href="java')),
    Case("data link", files={"en.md": _text("[d](data:text/html;base64,PHNjcmlwdD4=)")}, html_lacks=('href="data',)),
    Case("vbscript link", files={"en.md": _text("[v](vbscript:msgbox)")}, html_lacks=('href="vbscript',)),
    Case("autolink to a file", files={"en.md": _text("<file:///etc/passwd>")},
         html_has=("&lt;file:///etc/passwd&gt;",), html_lacks=('href="file',)),
    Case("link to ftp", files={"en.md": _text("[f](ftp://example.org/x)")}, code=2,
         errors=("en.md:5:1: error: link to 'ftp://example.org/x': only http, https and mailto links are allowed",)),
    # -- template syntax in text ----------------------------------------------------------------
    Case("jinja expression in the body", files={"en.md": _text("Sum: {{ 7*7 }} and {{ config }}")},
         html_has=("Sum: {{ 7*7 }} and {{ config }}",), html_lacks=("Sum: 49",)),
    Case("jinja statement in the title", files={"en.md": _text("B.", title="'{% for x in range(9) %}x{% endfor %}'")},
         html_has=("{% for x in range(9) %}x{% endfor %}",)),
    Case("jinja in a name", document=DOCUMENT.replace("name: Alpha", "name: \"{{ ''.__class__.__mro__ }}\""),
         html_has=("{{ &#39;&#39;.__class__.__mro__ }}",)),
    # -- reaching files and the network through the source ------------------------------------------
    Case("image from file://", files=lambda t, c, l: {"en.md": _text(f"![x]({c.as_uri()})")},
         html_lacks=("<img",)),
    Case("image from http on the loopback", files=lambda t, c, l: {"en.md": _text(f"![x]({l.url}/a.png)")}, code=2,
         errors=("en.md:5:1: error: images are not supported in the text",)),
    Case("image through ../", files={"en.md": _text("![x](../../outside/canary.png)")}, code=2,
         errors=("en.md:5:1: error: images are not supported in the text",)),
    Case("CSV outside the document", document=lambda c, l: DOCUMENT + (
        f"  - id: later\n    heading: {{en: L, de: S}}\n    csv: {os.path.relpath(c, c.parent.parent / 'doc')}\n"),
        code=2, errors=("canary.txt:1:1: error: ", "outside the folders typeset may read")),
    Case("CSV through a symlink", document=DOCUMENT + "  - id: later\n    heading: {en: L, de: S}\n    csv: rows.csv\n",
         files=lambda t, c, l: {"@symlink rows.csv": str(c)}, code=2,
         errors=("outside the folders typeset may read",)),
    Case("language file through a symlink", files=lambda t, c, l: {"@symlink de.md": str(c)}, code=2,
         errors=("document.yaml:4:17: error: the text file 'de.md' for 'de' is outside the folders typeset may read",)),
    Case("language file path out of the folder",
         document=lambda c, l: DOCUMENT.replace("source_language: en",
                                                f"source_language: en\ntexts: {{de: ../outside/{c.name}}}"),
         code=2, errors=("outside the folders typeset may read",)),
    # -- a hostile layout ---------------------------------------------------------------------------
    Case("layout css reads a file", layout=_layout_css("body {{ background: url('{canary}/canary.png') }}"),
         formats=("pdf",), code=1, errors=("which typeset refuses to fetch",)),
    Case("layout css reaches the network", layout=_layout_css("body {{ background: url('{url}/x.png') }}"),
         formats=("pdf",), code=1, errors=("which typeset refuses to fetch",)),
    Case("layout css font from the network",
         layout=_layout_css("@font-face {{ font-family: X; src: url('{url}/x.woff2') }} h1 {{ font-family: X }}"),
         formats=("pdf",), code=1, errors=("which typeset refuses to fetch",)),
    Case("layout template escapes the sandbox",
         layout=_layout_template("<title>", "<title>{{{{ ''.__class__.__mro__[1].__subclasses__() }}}}"),
         code=1, errors=("failed t [en, html]: SecurityError",)),
    Case("layout template includes a file outside",
         layout=_layout_template("<title>", "<title>{{% include '{canary}' %}}"),
         code=1, errors=("failed t [en, html]: TemplateNotFound",)),
    Case("layout docx template is a zip bomb", layout=_docx_template(_zip_bomb), formats=("docx",), code=1,
         errors=("reference.docx: the template unpacks to 200,", "more than the limit of 67,108,864",)),
    Case("layout docx template declares external entities", layout=_docx_template(_external_entity),
         formats=("docx",), code=1, errors=("reference.docx: word/styles.xml declares a document type or entities",)),
    Case("layout toml names a stylesheet outside",
         layout=lambda layout, canary, listener: (layout / "layout.toml").write_text(
             (layout / "layout.toml").read_text(encoding="utf-8").replace(
                 'stylesheets = ["print.css"]', f'stylesheets = ["{os.path.relpath(canary, layout)}"]'),
             encoding="utf-8"),
         formats=("pdf",), code=2, errors=("canary.txt, which is not in",)),
    Case("document names a layout outside its folder",
         document=lambda c, l: DOCUMENT.replace("source_language: en", "source_language: en\nlayout: ../layout"),
         files=lambda tmp, canary, listener: shutil.copytree(LAYOUTS_DIR / "resolution", tmp / "layout") and {},
         code=2,
         errors=("error: layout '../layout' is outside the document's folder",)),
    # -- YAML -------------------------------------------------------------------------------------
    Case("YAML python tag", document=DOCUMENT.replace("organisation: Org",
                                                      "organisation: !!python/object/apply:os.system ['touch /tmp/x']"),
         code=2, errors=("document.yaml:2:15: error: YAML tag 'tag:yaml.org,2002:python/object/apply:os.system' "
                         "is not allowed",)),
    Case("YAML alias bomb", document=DOCUMENT + "bomb:\n" + "".join("  " + line + "\n" for line in BOMB.splitlines()),
         code=2, errors=("error: the YAML has more than 200,000 values",)),
    Case("YAML nested 500 deep", document=DOCUMENT + "deep: " + "[" * 500 + "]" * 500 + "\n", code=2,
         errors=("error: the YAML is nested more than 64 levels deep",)),
    # -- size, encoding, invisible text ----------------------------------------------------------
    Case("a 50 MB paragraph", files={"en.md": _text("word " * 10_000_000)}, code=2,
         errors=("en.md:1:1: error: ", "more than the limit of 16,777,216"), command="check"),
    Case("deeply nested list", files={"en.md": _text("".join("  " * i + "- x\n" for i in range(300)))}),
    Case("NUL bytes", files={"en.md": _text("a\x00b")}, code=2,
         errors=("en.md:5:1: error: the file contains a NUL character",)),
    Case("invalid UTF-8", files={"en.md": _text("caf\xe9").encode("latin-1")}, code=2,
         errors=("en.md:5:4: error: not UTF-8: byte 0xE9 cannot be read",)),
    Case("bidi override in a name", document=DOCUMENT.replace("name: Alpha", "name: \"Alpha\\u202eahplA\""),
         errors=("document.yaml:13:16: warning: bidirectional control U+202E RIGHT-TO-LEFT OVERRIDE in the text",)),
    Case("CSV formula injection",
         document=DOCUMENT + "  - id: later\n    heading: {en: L, de: S}\n    csv: rows.csv\n",
         files={"rows.csv": 'name,lang\n"=HYPERLINK(""http://x/"",""click"")",en\n'},
         errors=("rows.csv:2:2: warning: the cell starts with '=', which a spreadsheet runs as a formula",),
         html_has=("=HYPERLINK(&#34;http://x/&#34;,&#34;click&#34;)",)),
    Case("CSV in another encoding",
         document=DOCUMENT + "  - id: later\n    heading: {en: L, de: S}\n    csv: rows.csv\n",
         files={"rows.csv": "name,lang\nCaf\xe9 Ouvrier,fr\n".encode("latin-1")}, code=2,
         errors=("rows.csv:2:4: error: not UTF-8: byte 0xE9 cannot be read",)),
]


def _prepare(case: Case, tmp_path: Path, canary: Path, listener: Listener) -> tuple[Path, list[str]]:
    folder = tmp_path / "doc"
    folder.mkdir()
    document = case.document(canary, listener) if callable(case.document) else case.document
    (folder / "document.yaml").write_text(document, encoding="utf-8")
    files = case.files(tmp_path, canary, listener) if callable(case.files) else case.files
    for name, content in {"en.md": TEXT, "de.md": TEXT, **files}.items():
        if name.startswith("@symlink "):
            target = folder / name.split(" ", 1)[1]
            target.unlink(missing_ok=True)
            _symlink(Path(str(content)), target)
        elif isinstance(content, bytes):
            (folder / name).write_bytes(content)
        else:
            (folder / name).write_text(content, encoding="utf-8")
    args = ["-l", "en"] if case.command == "build" else []
    for format_name in case.formats if case.command == "build" else ():
        args += ["-f", format_name]
    if case.layout:
        layout = tmp_path / "layout"
        shutil.copytree(LAYOUTS_DIR / "resolution", layout)
        case.layout(layout, canary, listener)
        args += ["--layout", str(layout)]
    return folder, args


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_hostile_input(case: Case, tmp_path: Path, canary: Path, listener: Listener, audited) -> None:  # type: ignore[no-untyped-def]
    folder, args = _prepare(case, tmp_path, canary, listener)
    out = tmp_path / "out"
    started = time.monotonic()
    result = audited(case.command, folder, *args, *(["--out", out] if case.command == "build" else []))
    assert time.monotonic() - started < 120, "a hostile input must not hang the build"
    assert "Traceback" not in result.stderr, result.stderr
    assert result.returncode == case.code, result.stderr
    for line in case.errors:
        assert line in result.stderr, f"expected {line!r} in:\n{result.stderr}"
    assert result.events == [], f"read outside the roots or reached the network: {result.events}"
    assert listener.connections == 0
    if case.html_has or case.html_lacks:
        html = (out / "t" / "t.en.html").read_text(encoding="utf-8")
        body = html.split("<body>", 1)[1]
        for text in case.html_has:
            assert text in html, text
        for text in case.html_lacks:
            assert text not in body, text
    assert not list(tmp_path.rglob("*.part")), "a temporary file was left behind"


def test_the_suite_has_enough_cases() -> None:
    assert len(CASES) >= 30
