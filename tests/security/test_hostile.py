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
    env: dict[str, str] = field(default_factory=dict)
    stderr_lacks: tuple[str, ...] = ()  # what must not reach the terminal raw


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
         html_has=("&lt;img src=x onerror=”alert(1)”&gt;",), html_lacks=("<img", "<b ")),
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
         html_has=("{{ ‘’.__class__.__mro__ }}",)),
    # -- reaching files and the network through the source ------------------------------------------
    Case("image from file://", files=lambda t, c, web: {"en.md": _text(f"![x]({c.as_uri()})")},
         html_lacks=("<img",)),
    Case("image from http on the loopback", files=lambda t, c, web: {"en.md": _text(f"![x]({web.url}/a.png)")}, code=2,
         errors=("en.md:5:1: error: images are not supported in the text",)),
    Case("image through ../", files={"en.md": _text("![x](../../outside/canary.png)")}, code=2,
         errors=("en.md:5:1: error: images are not supported in the text",)),
    Case("CSV outside the document", document=lambda c, web: DOCUMENT + (
        f"  - id: later\n    heading: {{en: L, de: S}}\n    csv: {os.path.relpath(c, c.parent.parent / 'doc')}\n"),
        code=2, errors=("canary.txt:1:1: error: ", "outside the folders typeset may read")),
    Case("CSV through a symlink", document=DOCUMENT + "  - id: later\n    heading: {en: L, de: S}\n    csv: rows.csv\n",
         files=lambda t, c, web: {"@symlink rows.csv": str(c)}, code=2,
         errors=("outside the folders typeset may read",)),
    Case("language file through a symlink", files=lambda t, c, web: {"@symlink de.md": str(c)}, code=2,
         errors=("document.yaml:4:17: error: the text file 'de.md' for 'de' is outside the folders typeset may read",)),
    Case("language file path out of the folder",
         document=lambda c, web: DOCUMENT.replace("source_language: en",
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
         document=lambda c, web: DOCUMENT.replace("source_language: en", "source_language: en\nlayout: ../layout"),
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
    Case("deeply nested list", files={"en.md": _text("".join("  " * i + "- x\n" for i in range(300)))}, code=2,
         errors=("en.md:14:19: error: lists and block quotes are nested more than 9 levels deep here",)),
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
         html_has=("=HYPERLINK(“http://x/“,”click”)",)),
    Case("CSV in another encoding",
         document=DOCUMENT + "  - id: later\n    heading: {en: L, de: S}\n    csv: rows.csv\n",
         files={"rows.csv": "name,lang\nCaf\xe9 Ouvrier,fr\n".encode("latin-1")}, code=2,
         errors=("rows.csv:2:4: error: not UTF-8: byte 0xE9 cannot be read",)),
]


NINE_DEEP = "".join("  " * i + f"- item{i}\n" for i in range(9))
TEN_DEEP = "".join("  " * i + f"- item{i}\n" for i in range(10))
CSV_LATER = "  - id: later\n    heading: {en: L, de: S}\n    csv: rows.csv\n"


def _divs(depth: int, inner: str) -> str:
    """``inner`` in ``depth`` fenced divs, one inside another (the outer fences the longer)."""
    fences = [":" * (3 + depth - level) for level in range(depth)]
    return ("".join(f"{fence} {{lang=de}}\n" for fence in fences) + f"\n{inner}\n"
            + "".join(f"{fence}\n" for fence in reversed(fences)))


def _name(value: str) -> str:
    """DOCUMENT with the signatory's name given as a double-quoted YAML scalar (escapes and all)."""
    return DOCUMENT.replace("name: Alpha", f'name: "{value}"')


CASES += [
    # -- nothing dropped silently: nesting ----------------------------------------------------------
    Case("lists nested ten deep", files={"en.md": _text(TEN_DEEP + "\nAfter the list.\n")}, code=2,
         errors=("en.md:14:19: error: lists and block quotes are nested more than 9 levels deep here",
                 "hint: write this part flatter")),
    Case("block quotes nested twenty-one deep", files={"en.md": _text(">" * 21 + " deep\n\nAfter.\n")}, code=2,
         errors=("en.md:5:10: error: lists and block quotes are nested more than 9 levels deep here",)),
    Case("quotes and lists mixed ten deep", files={"en.md": _text("> - > 1. > - > 1. > - x\n\nAfter.\n")}, code=2,
         errors=("en.md:5:", "nested more than 9 levels deep")),
    Case("divs nested forty-five deep", files={"en.md": _text(_divs(45, "Innermost.") + "\nAfter the divs.\n")},
         code=2, errors=("en.md:45:1: error: lists, block quotes and divs are nested too deep here",)),
    Case("divs nested twenty deep around lists nested nine deep keep every word",
         files={"en.md": _text(_divs(20, NINE_DEEP) + "\nAfter the divs.\n")},
         html_has=("item8", "After the divs.")),
    Case("divs nested twenty-five deep around lists nested nine deep",
         files={"en.md": _text(_divs(25, NINE_DEEP) + "\nAfter the divs.\n")}, code=2,
         errors=("en.md:38:15: error: lists, block quotes and divs are nested too deep here",)),
    Case("lists nested nine deep keep every item", files={"en.md": _text(NINE_DEEP + "\nAfter the list.\n")},
         html_has=("item8", "After the list.")),
    # -- characters that are not text ------------------------------------------------------------------
    Case("form feed in the organisation, ending in a running foot",
         document=DOCUMENT.replace("organisation: Org", 'organisation: "Org\\f} } .signatories { display: none } p {"'),
         formats=("pdf",), code=2,
         errors=("document.yaml:2:16: error: control character U+000C FORM FEED in the text",)),
    Case("carriage return in a short title",
         files={"en.md": '---\ntitle: T\nshort_title: "Short\\rtitle"\n---\n\nBody.\n'}, formats=("pdf",), code=2,
         errors=("en.md:3:15: error: control character U+000D CARRIAGE RETURN in the text",)),
    Case("escape character in a name", document=_name("Al\\e[31mpha"), formats=("docx",), code=2,
         errors=("document.yaml:13:16: error: control character U+001B ESCAPE in the text",), stderr_lacks=("\x1b",)),
    Case("vertical tab in a name, as a spreadsheet writes a line break", document=_name("Al\\vpha"), formats=("docx",),
         code=2, errors=("control character U+000B LINE TABULATION in the text",)),
    Case("raw escape sequence in the text", files={"en.md": _text("a\x1b[2Jb")}, code=2,
         errors=("en.md:5:2: error: control character U+001B ESCAPE in the text",), stderr_lacks=("\x1b",)),
    Case("C1 control in a CSV cell", document=DOCUMENT + CSV_LATER, files={"rows.csv": "name,lang\nBe\x85ta,fr\n"},
         code=2, errors=("rows.csv:2:3: error: control character U+0085 NEXT LINE in the text",)),
    Case("non-character in a name", document=_name("Al\\uFFFEpha"), code=2,
         errors=("document.yaml:13:16: error: the non-character U+FFFE in the text",)),
    Case("lone surrogates from a YAML escape", document=_name("Al\\uD83D\\uDE00pha"), code=2,
         errors=("error: a lone surrogate U+D83D (half of a character) in the text",)),
    Case("DEL in the title", files={"en.md": "---\ntitle: \"T\\x7F\"\n---\n\nBody.\n"}, code=2,
         errors=("en.md:2:9: error: control character U+007F DELETE in the text",)),
    # -- what a character reference prints is linted ------------------------------------------------------
    Case("bidi override as a character reference", files={"en.md": _text("Hello &#x202E;dlrow")},
         errors=("en.md:5:7: warning: bidirectional control U+202E RIGHT-TO-LEFT OVERRIDE in the text",)),
    Case("zero width space as a named reference", files={"en.md": _text("a&ZeroWidthSpace;b")},
         errors=("en.md:5:2: warning: invisible character U+200B ZERO WIDTH SPACE",)),
    Case("form feed as a character reference", files={"en.md": _text("a&#12;b")}, code=2,
         errors=("en.md:5:2: error: control character U+000C FORM FEED in the text",)),
    Case("escape character as a character reference", files={"en.md": _text("a&#x1B;[31mb")}, code=2,
         errors=("en.md:5:2: error: '&#x1B;' refers to U+001B, which is not a character that can be printed",)),
    Case("a character reference in code stays as written", files={"en.md": _text("`&#x202E;` and `&#12;`")},
         html_has=("<code>&amp;#x202E;</code>",)),
    # -- ids that cannot name an output folder ------------------------------------------------------------
    *(Case(f"document id {name}", document=DOCUMENT.replace("id: t\n", f"id: {name}\n"), command="check", code=2,
           errors=(f"document.yaml:1:5: error: the id '{name}' cannot name the document's output folder",))
      for name in ("index.html", "manifest.json", "fonts", "con", "nul.txt", "com1", "lpt9.x", "aux", "t.")),
    # -- absurd sizes: a clear error, fast --------------------------------------------------------------------
    Case("10,000 languages", document=DOCUMENT.replace("[en, de]", "[" + ", ".join(["en"] * 10_000) + "]"),
         command="check", code=2, errors=("document.yaml:4:12: error: 10,000 languages, more than the limit of 200",)),
    Case("a million CSV columns", document=DOCUMENT + CSV_LATER, files={"rows.csv": "name," * 1_000_000 + "\nB\n"},
         command="check", code=2, errors=("rows.csv:1:100001: error: line 1 is 5,000,000 characters long",)),
    Case("5,000 CSV columns", document=DOCUMENT + CSV_LATER, files={"rows.csv": "name," + "x," * 5_000 + "\nB\n"},
         command="check", code=2, errors=("rows.csv:1:1: error: 5,002 columns, more than the limit of 1,000",)),
    Case("a megabyte line", files={"en.md": _text("word " * 200_000)}, command="check", code=2,
         errors=("en.md:5:100001: error: line 5 is 1,000,000 characters long, more than the limit of 100,000",)),
    Case("a language tag longer than a file name allows",
         document=DOCUMENT.replace("[en, de]", "[en, de-" + "-".join(["abcde"] * 60) + "]"), command="check", code=2,
         errors=("characters long, more than 35",)),
    Case("a group that starts above 32767",
         document=DOCUMENT.replace("  - id: g\n", "  - id: g\n    numbering: restart\n    start: 40000\n"),
         command="check", code=2, errors=("document.yaml:9:12: error: 'start' is 40000, more than 32767",)),
    Case("a numbered list that starts above 32767", files={"en.md": _text("40000. item\n")}, code=2,
         errors=("en.md:5:1: error: a numbered list that starts at 40000, more than 32767",)),
    Case("a paragraph of 20,000 lines, each with a bracket left open", files={"en.md": _text("(x\n" * 20_000)},
         command="check", errors=("en.md:20004:1: warning: '(' is never closed",)),
    Case("40,000 CSV rows with one abbreviation", document=DOCUMENT + CSV_LATER,
         files={"rows.csv": "abbreviation,name,lang\n" + "".join(f"X,Name {i},en\n" for i in range(40_000))},
         command="check"),
    # -- files that cannot be read ------------------------------------------------------------------------------
    Case("language file is a symbolic link loop", files={"@symlink de.md": "de.md"}, code=2,
         errors=("document.yaml:4:17: error: the text file 'de.md' for 'de' is a loop of symbolic links",)),
    Case("CSV behind a loop of folders",
         document=DOCUMENT.replace("  - id: g\n", "  - id: c\n    heading: {en: C, de: C}\n"
                                                   "    csv: loop/rows.csv\n  - id: g\n"),
         files={"@symlink loop": "loop"}, code=2,
         errors=("loop/rows.csv:1:1: error: the file is a loop of symbolic links",)),
    Case("language file name too long for the file system",
         document=DOCUMENT.replace("source_language: en", "source_language: en\ntexts: {de: " + "a" * 300 + ".md}"),
         code=2, errors=("for 'de' cannot be read: File name too long",)),
    Case("escape sequence in a file name", document=DOCUMENT.replace(
        "source_language: en", 'source_language: en\ntexts: {de: "\\e[2J\\e]0;owned\\a.md"}'), code=2,
         errors=("no text file '\\x1b[2J\\x1b]0;owned\\x07.md' for language 'de'",), stderr_lacks=("\x1b", "\x07")),
    Case("bidi control in an unknown CSV column", document=DOCUMENT + CSV_LATER,
         files={"rows.csv": "name,la\u202eng\nB,x\n"}, code=2, errors=("unknown column 'la\\u202eng'",),
         stderr_lacks=("\u202e",)),
    # -- the environment ----------------------------------------------------------------------------------------
    Case("SOURCE_DATE_EPOCH past the year 9999", env={"SOURCE_DATE_EPOCH": "253402300800"}, code=2,
         errors=("error: SOURCE_DATE_EPOCH='253402300800' is not a time typeset can use",)),
    Case("SOURCE_DATE_EPOCH that is no number", env={"SOURCE_DATE_EPOCH": "\u00b2"}, command="check", code=2,
         errors=("error: SOURCE_DATE_EPOCH='\u00b2' is not a time typeset can use",)),
    Case("SOURCE_DATE_EPOCH at the last second of 9999", env={"SOURCE_DATE_EPOCH": "253402300799"}, formats=("docx",)),
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
    result = audited(case.command, folder, *args, *(["--out", out] if case.command == "build" else []), env=case.env)
    assert time.monotonic() - started < 120, "a hostile input must not hang the build"
    assert "Traceback" not in result.stderr, result.stderr
    assert result.returncode == case.code, result.stderr
    for line in case.errors:
        assert line in result.stderr, f"expected {line!r} in:\n{result.stderr}"
    for raw in case.stderr_lacks:
        assert raw not in result.stderr + result.stdout, f"{raw!r} reached the terminal raw"
    assert result.events == [], f"read outside the roots or reached the network: {result.events}"
    assert listener.connections == 0
    # the HTML prints the text as the language prints it: straight quotation marks curly
    # (typeset/render/typography.py), so the cases expect the printed marks, escaped or not
    if case.html_has or case.html_lacks:
        html = (out / "t" / "t.en.html").read_text(encoding="utf-8")
        body = html.split("<body>", 1)[1]
        for text in case.html_has:
            assert text in html, text
        for text in case.html_lacks:
            assert text not in body, text
    assert not list(tmp_path.rglob("*.part")), "a temporary file was left behind"


def test_the_suite_has_enough_cases() -> None:
    assert len(CASES) >= 80


def test_no_program_runs_while_editions_render(tmp_path: Path, audited) -> None:  # type: ignore[no-untyped-def]
    """WeasyPrint's library lookup ran ldconfig, gcc and ld from PATH on every PDF build: the audit
    hook records every program started, in this process, for all three formats."""
    from tests.conftest import EXAMPLE

    result = audited("build", EXAMPLE, "-l", "de", "--executor", "inline", "--out", tmp_path / "out")
    assert result.returncode == 0, result.stderr
    assert [e for e in result.events if e["event"] not in ("open",)] == [], result.events
    assert len(list((tmp_path / "out").rglob("*.de.*"))) == 3


def test_a_folder_name_reaches_the_terminal_escaped(tmp_path: Path, audited) -> None:  # type: ignore[no-untyped-def]
    """Folders found below a source folder are named in `check`'s lines and in diagnostics: a name
    holding an escape sequence is shown escaped, never obeyed."""
    from tests.support import make

    good = make(tmp_path / "sources" / "a\x1b[2J\x1b]0;owned\x07")
    make(tmp_path / "sources" / "b\u202eb", DOCUMENT.replace("id: t", "id: u").replace("date: 2020-01-02", "date: x"))
    result = audited("check", tmp_path / "sources")
    assert result.returncode == 2 and "Traceback" not in result.stderr, result.stderr
    shown = result.stdout + result.stderr
    assert "\x1b" not in shown and "\x07" not in shown and "\u202e" not in shown
    assert f"ok: {good.parent}/a\\x1b[2J\\x1b]0;owned\\x07 — 't'" in result.stdout
    assert "b\\u202eb/document.yaml:3:7: error: " in result.stderr


@pytest.mark.parametrize("document_id", ["x\nlanguages: [xx]", "x: y", "con", "index.html", "a.", "Café"])
def test_new_refuses_an_id_that_is_no_id(tmp_path: Path, audited, document_id: str) -> None:  # type: ignore[no-untyped-def]
    result = audited("new", tmp_path / "doc", "--id", document_id)
    assert result.returncode == 2 and "Traceback" not in result.stderr, result.stderr
    assert "error: the id '" in result.stderr and not (tmp_path / "doc").exists()
    assert "\n" not in result.stderr.split("error: ", 1)[1].split("\n  hint:")[0]


@pytest.mark.parametrize("document_id", ["1e3", "true", "null", "0x1f", "2024-01-31"])
def test_new_writes_an_id_yaml_would_read_as_another_type(tmp_path: Path, audited, document_id: str) -> None:  # type: ignore[no-untyped-def]
    assert audited("new", tmp_path / "doc", "--id", document_id).returncode == 0
    checked = audited("check", tmp_path / "doc")
    assert checked.returncode == 0 and f"'{document_id}'" in checked.stdout, checked.stderr


def test_derived_ids_take_a_step_each() -> None:
    """40,000 signatories with one abbreviation took minutes in check: each id was found by trying
    x, x-2, x-3, ... from the start. Counted here in lookups, not seconds."""
    from typeset.source.loader import _unique

    class Counting(dict):  # type: ignore[type-arg]
        lookups = 0

        def __contains__(self, key: object) -> bool:
            Counting.lookups += 1
            return super().__contains__(key)

    taken: Counting = Counting()
    last: dict[str, int] = {}
    for _ in range(40_000):
        taken[_unique("x", taken, last)] = None
    taken[_unique("y", taken, last)] = None
    assert list(taken)[:3] == ["x", "x-2", "x-3"] and list(taken)[-2:] == ["x-40000", "y"]
    assert Counting.lookups <= 2 * len(taken)


def test_the_library_lookup_is_put_back_and_finds_without_programs() -> None:
    import ctypes.util

    from typeset.render import libraries

    before = ctypes.util.find_library
    libraries.load_weasyprint()
    assert ctypes.util.find_library is before
    found = libraries.find_library("gobject-2.0")
    assert found is not None and Path(found).name.startswith("libgobject-2.0.so") and Path(found).is_file()
    assert libraries.find_library("libgobject-2.0-0") is None and libraries.find_library("../x") is None
