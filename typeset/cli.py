"""The ``typeset`` command: parses arguments, calls the pipeline, maps errors to exit codes.

It holds no logic of its own. Exit codes: 0 success, 1 an edition failed, 2 bad input or
usage. Importing this module never imports WeasyPrint: only a PDF build does.
"""

from __future__ import annotations

import functools
import inspect
import json
import sys
from collections.abc import Callable
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer

from typeset import __version__
from typeset.diagnostics import Diagnostic, problem_text
from typeset.errors import TypesetError
from typeset.escape import terminal_text
from typeset.jobs import EXECUTORS
from typeset.render import FORMATS, OPTIONS, Option, RenderOptions

if TYPE_CHECKING:
    from typeset.world import World

app = typer.Typer(
    name="typeset",
    help="Typeset multilingual resolutions, declarations and open letters as PDF, DOCX and HTML.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _choice(name: str, values: tuple[str, ...] | list[str]) -> type[Enum]:
    """The type of a parameter that takes one of ``values`` (the command line lists them in its help)."""
    # mypy reads the functional API only with a literal name; this one is known at run time
    return Enum(name, [(value, value) for value in values], type=str)  # type: ignore[return-value]


if TYPE_CHECKING:  # the choices come from the registries at run time; a checker sees an enum
    FormatName = Enum
    ExecutorName = Enum
else:
    FormatName = _choice("FormatName", list(FORMATS))
    ExecutorName = _choice("ExecutorName", EXECUTORS)
_DEFAULT_EXECUTOR = ExecutorName("process")


def _values(chosen: list[Enum] | None) -> list[str]:
    return [item.value for item in chosen or ()]


class SchemaKind(str, Enum):
    document = "document"
    text = "text"


def _err(text: str) -> None:
    typer.echo(text, err=True)


def _report(diagnostics: list[Diagnostic]) -> None:
    for diagnostic in diagnostics:
        _err(diagnostic.format())
    errors = sum(1 for d in diagnostics if d.is_error)
    warnings = len(diagnostics) - errors
    if diagnostics:
        _err(f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)}")


def _show(error: TypesetError) -> int:
    """Report an error; its exit code."""
    from typeset.errors import InputError

    if isinstance(error, InputError):
        _report(list(error.diagnostics))
    else:
        _err(problem_text("error", error.message, error.hint))
    return error.exit_code


def _fail(error: TypesetError) -> NoReturn:
    raise typer.Exit(_show(error))


def _world(*roots: Path, cache_dir: Path | None = None, jobs: int | None = None) -> World:
    """The one world a command reads, writes and tells the time through (allowed to read below
    ``roots``, the layouts and the fonts; its persistent cache in ``cache_dir`` if given; with
    ``jobs``, one edition's layout takes at most that many processes)."""
    import os

    from typeset.world import Limits, World

    limits = Limits(render_processes=min(Limits().render_processes, jobs or os.cpu_count() or 1))
    try:
        return World(roots, cache_dir=cache_dir, limits=limits)
    except TypesetError as error:
        _fail(error)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"typeset {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                          help="Print the version and exit.")] = False,
) -> None:
    """Typeset multilingual documents from one structured source.

    A document is a folder with document.yaml (what all editions share) and one Markdown
    file per language. 'typeset new DIR' creates one; 'typeset build DIR' renders it.
    """


# Arguments and options that several commands share.
Sources = Annotated[list[Path], typer.Argument(
    help="Document folders (with document.yaml), or folders holding several.", show_default=False,
    metavar="SOURCE...")]
Languages = Annotated[list[str] | None, typer.Option(
    "--lang", "-l", metavar="LANG", help="Build only this language (repeatable). Default: every declared language.")]
Formats = Annotated[list[FormatName] | None, typer.Option(
    "--format", "-f", metavar="pdf|docx|html",
    help="Build only this format (repeatable). Default: pdf, docx and html.")]
LayoutOption = Annotated[str | None, typer.Option(
    "--layout", metavar="LAYOUT", help="A bundled layout's name or the path of a layout folder.")]
OutFolder = Annotated[Path, typer.Option("--out", "-o", metavar="DIR", help="The output folder.")]
CacheDir = Annotated[Path | None, typer.Option(
    "--cache-dir", metavar="DIR",
    help="Where to keep font subsets, font coverage and hyphenation patterns between builds "
    "(default: $TYPESET_CACHE_DIR, else $XDG_CACHE_HOME/typeset, else ~/.cache/typeset).", show_default=False)]
AllowMissingGlyphs = Annotated[bool, typer.Option(
    "--allow-missing-glyphs", help="Write editions even where a character has no font (it shows as a box).")]


def _parameter(option: Option) -> inspect.Parameter:
    """The command-line parameter of a render option, as its format declares it."""
    kind: Any = _choice(option.name, option.choices) if option.choices else option.type
    default = kind(option.default) if option.choices and option.default is not None else option.default
    if option.default is None:
        kind = kind | None
    flags = typer.Option(option.flag, help=option.help, case_sensitive=option.case_sensitive)
    return inspect.Parameter(option.name, inspect.Parameter.KEYWORD_ONLY, default=default,
                             annotation=Annotated[kind, flags])


def render_options(*names: str) -> Callable[[Callable[..., None]], Callable[..., None]]:
    """Give a command the render options of :data:`typeset.render.OPTIONS` (those named; default:
    all) as parameters, and call it with ``options``, the :class:`~typeset.render.RenderOptions` they make."""
    chosen = [OPTIONS[name] for name in names] if names else list(OPTIONS.values())

    def decorate(command: Callable[..., None]) -> Callable[..., None]:
        signature = inspect.signature(command, eval_str=True)
        own = [p for p in signature.parameters.values() if p.name != "options"]

        @functools.wraps(command)
        def with_options(**arguments: Any) -> None:
            from typeset.render import RenderOptions

            values = {option.name: arguments.pop(option.name) for option in chosen}
            values = {name: value.value if isinstance(value, Enum) else value for name, value in values.items()}
            return command(**arguments, options=RenderOptions(**values))

        parameters = [*own, *map(_parameter, chosen)]
        # typer reads the parameters from __signature__, which functions do not declare
        with_options.__signature__ = signature.replace(parameters=parameters)  # type: ignore[attr-defined]
        with_options.__annotations__ = {p.name: p.annotation for p in parameters}
        del with_options.__wrapped__
        return with_options

    return decorate


@app.command()
@render_options()
def build(
    sources: Sources,
    lang: Languages = None,
    format: Formats = None,
    layout: LayoutOption = None,
    out: OutFolder = Path("build"),
    allow_missing_glyphs: AllowMissingGlyphs = False,
    jobs: Annotated[int | None, typer.Option(
        "--jobs", "-j", min=1, metavar="N", help="Worker processes (default: the number of CPUs).")] = None,
    force: Annotated[bool, typer.Option(
        "--force", help="Render every edition, even those whose sources have not changed.")] = False,
    executor: Annotated[ExecutorName, typer.Option(
        "--executor", help="Where editions render: warm local worker processes, inline, or a Dask cluster.")
    ] = _DEFAULT_EXECUTOR,
    scheduler: Annotated[str | None, typer.Option(
        "--scheduler", metavar="URL", help="The Dask scheduler, tcp://HOST:PORT (with --executor dask).")] = None,
    cache_dir: CacheDir = None,
    *,
    options: RenderOptions,
) -> None:
    """Render editions: every language x every format, into OUT, with OUT/manifest.json."""
    from contextlib import nullcontext

    from typeset.batch import build as run_build
    from typeset.progress import LiveProgress, PlainProgress, summary
    from typeset.source import find_documents

    documents = [d for source in sources for d in find_documents(source)]
    terminal = sys.stdout.isatty()
    events = LiveProgress(out) if terminal else PlainProgress(out)
    try:
        with events if isinstance(events, LiveProgress) else nullcontext():
            result = run_build(
                documents, out, languages=lang or (), formats=_values(format), layout=layout,
                allow_missing_glyphs=allow_missing_glyphs, force=force, jobs=jobs, executor=executor.value,
                scheduler=scheduler, options=options, world=_world(cache_dir=cache_dir, jobs=jobs), events=events,
            )
    except TypesetError as error:
        _fail(error)
    _report(result.diagnostics.sorted())
    summary(result, out, terminal=terminal)
    if result.artefacts:
        typer.echo(f"wrote {out / 'manifest.json'}: {len(result.artefacts)} written, "
                   f"{len(result.unchanged)} unchanged")
    elif result.unchanged:  # the manifest was left as it was
        typer.echo(f"up to date: {out / 'manifest.json'}: {len(result.unchanged)} unchanged")
    if result.failures:
        _err(f"{len(result.failures)} edition(s) failed")
    raise typer.Exit(result.exit_code)


@app.command()
def preview(
    source: Annotated[Path, typer.Argument(metavar="SOURCE",
        help="The document folder (with document.yaml).", show_default=False)],
    lang: Annotated[str | None, typer.Option("--lang", "-l", metavar="LANG",
        help="The edition to show first (default: the source language).")] = None,
    port: Annotated[int, typer.Option(
        "--port", "-p", min=0, max=65535, metavar="PORT", help="The port on 127.0.0.1 (0: any free one).")] = 8000,
    layout: LayoutOption = None,
    open_browser: Annotated[bool, typer.Option("--open", help="Open the page in the default browser.")] = False,
    cache_dir: CacheDir = None,
) -> None:
    """Serve the HTML edition on 127.0.0.1 and reload it in the browser whenever a source, layout or font changes."""
    import threading

    from typeset.preview import Preview

    try:
        server = Preview(source, _world(cache_dir=cache_dir), language=lang, port=port, layout=layout, log=_err).start()
    except TypesetError as error:
        _fail(error)
    typer.echo(f"previewing {source} at {server.url} (Ctrl-C stops)")
    sys.stdout.flush()
    if open_browser:
        import webbrowser

        webbrowser.open(server.url)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        server.stop()
        _err("stopped")
        raise typer.Exit(130) from None
    except BaseException:  # SIGTERM (Terminated): close the server first
        server.stop()
        raise


@app.command()
@render_options("html_fonts")
def watch(
    sources: Sources,
    lang: Languages = None,
    format: Formats = None,
    layout: LayoutOption = None,
    out: OutFolder = Path("build"),
    allow_missing_glyphs: AllowMissingGlyphs = False,
    jobs: Annotated[int | None, typer.Option(
        "--jobs", "-j", min=1, metavar="N",
        help="Worker processes (default: none, each edition in turn in this process).")
    ] = None,
    cache_dir: CacheDir = None,
    *,
    options: RenderOptions,
) -> None:
    """Build the selected editions, then build again whenever a source, layout or font changes (Ctrl-C stops)."""
    import threading

    from typeset.source import find_documents
    from typeset.watch import Round, watch_build

    documents = [d for source in sources for d in find_documents(source)]

    def report(round_: Round) -> None:
        result = round_.result
        if round_.changed:
            names = ", ".join(sorted(str(p) for p in round_.changed)[:3]) + (" …" if len(round_.changed) > 3 else "")
            typer.echo(f"changed: {terminal_text(names)}")
        if round_.error is not None:
            _show(round_.error)
        for artefact in result.artefacts:
            typer.echo(f"wrote {out / artefact.path} ({_size(artefact.bytes)})")
        for failure in result.failures:
            _err(problem_text(f"failed {failure.document} [{failure.language}, {failure.format}]", failure.message,
                              failure.hint))
        _report(result.diagnostics.sorted())
        typer.echo(f"build {round_.number}: {len(result.artefacts)} written, "
                   f"{len(result.unchanged)} unchanged, {len(result.failures)} failed "
                   f"in {round_.seconds:.1f} s; watching for changes (Ctrl-C stops)")
        sys.stdout.flush()

    try:
        watch_build(documents, out, on_round=report, stop=threading.Event(), layout=layout, languages=lang or (),
                    formats=_values(format), allow_missing_glyphs=allow_missing_glyphs, options=options, jobs=jobs,
                    world=_world(cache_dir=cache_dir, jobs=jobs),
                    executor="process" if jobs and jobs > 1 else "inline")
    except TypesetError as error:
        _fail(error)
    except KeyboardInterrupt:
        _err("stopped")
        raise typer.Exit(130) from None


@app.command()
def check(
    sources: Annotated[list[Path], typer.Argument(metavar="SOURCE...",
        help="Document folders to check.", show_default=False)],
    layout: Annotated[str | None, typer.Option("--layout", metavar="LAYOUT",
        help="Check against this layout (default: the document's, else 'resolution').")] = None,
    strict: Annotated[bool, typer.Option("--strict", help="Treat warnings as errors.")] = False,
) -> None:
    """Load, validate, lint and preflight documents (every glyph against its fonts) without rendering."""
    from typeset.prepare import prepare
    from typeset.source import find_documents
    from typeset.source.translations import check_translations

    failed = False
    world = _world()
    for source in (d for s in sources for d in find_documents(s)):
        prepared = prepare(source, world, layout)
        prepared.diagnostics.extend(check_translations(prepared.loaded, world))
        items = prepared.diagnostics.sorted()
        _report(items)
        document = prepared.document
        if document is not None and not prepared.diagnostics.has_errors and not (strict and items):
            count = sum(len(g.entries) for g in document.groups)
            folder = terminal_text(str(prepared.loaded.path.parent))
            typer.echo(f"ok: {folder} — '{document.id}', {len(document.languages)} language(s) "
                       f"({', '.join(lang.tag for lang in document.languages)}), "
                       f"{count} signator{'y' if count == 1 else 'ies'}")
        else:
            failed = True
    raise typer.Exit(2 if failed else 0)


@app.command()
def new(
    folder: Annotated[Path, typer.Argument(metavar="DIR", help="The folder to create.", show_default=False)],
    id: Annotated[str | None, typer.Option("--id", metavar="ID",
        help="The document id (default: the folder's name).")] = None,
    lang: Annotated[list[str] | None, typer.Option("--lang", "-l", metavar="LANG",
        help="A language of the document (repeatable; the first is the source).")] = None,
) -> None:
    """Create a new document folder that builds as it is."""
    from typeset.scaffold import scaffold

    try:
        files = scaffold(folder, _world(folder), document_id=id, languages=lang)
    except TypesetError as error:
        _fail(error)
    for path in files:
        typer.echo(f"created {path}")
    typer.echo(f"next: typeset build {folder}")


@app.command("import")
def import_(
    file: Annotated[Path, typer.Argument(metavar="FILE",
        help="A resolution as plain text (.txt), Markdown (.md) or Word (.docx; .odt and .doc through LibreOffice).",
        show_default=False)],
    out: Annotated[Path, typer.Option("--out", "-o", metavar="DIR",
        help="The document folder to write.", show_default=False)],
    lang: Annotated[str | None, typer.Option("--lang", "-l", metavar="LANG",
        help="The document's language as a BCP 47 tag (default: recognised from the text).")] = None,
    force: Annotated[bool, typer.Option("--force", help="Write into OUT even if it exists and is not empty.")] = False,
) -> None:
    """Make a document folder from an existing text: title, date, body, slogans and signatories."""
    from typeset.importers import import_file

    try:
        result = import_file(file, out, _world(), language=lang, force=force)
    except TypesetError as error:
        _fail(error)
    _report(result.diagnostics.sorted() + result.check.sorted())
    for path in result.files:
        typer.echo(f"wrote {path}")
    if result.has_errors:
        raise typer.Exit(2)
    typer.echo(f"ok: {out} — '{result.document_id}', {', '.join(result.languages)}, "
               f"{result.signatories} signator{'y' if result.signatories == 1 else 'ies'}")
    typer.echo(f"next: typeset check {out}; typeset build {out}")


@app.command()
def schema(
    kind: Annotated[SchemaKind, typer.Argument(metavar="KIND",
        help="'document' for document.yaml, 'text' for a language file's front matter.")] = SchemaKind.document,
) -> None:
    """Print the JSON Schema of the source format (for editors' validation and completion)."""
    from typeset.source.schema import json_schema

    typer.echo(json.dumps(json_schema(kind.value), indent=2, ensure_ascii=False))


# -- typeset translate ------------------------------------------------------------------------

translate_app = typer.Typer(
    name="translate",
    help="The translators' round trip: export segments as XLIFF, PO or a translator's DOCX, import them back, "
         "see what is missing or stale.",
    no_args_is_help=True,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)
app.add_typer(translate_app)


class TranslationFormat(str, Enum):
    xliff = "xliff"
    xliff2 = "xliff2"
    po = "po"
    docx = "docx"


DocumentFolder = Annotated[Path, typer.Argument(metavar="SOURCE",
    help="The document folder (with document.yaml).", show_default=False)]


@translate_app.command("export")
def translate_export(
    source: DocumentFolder,
    lang: Annotated[str, typer.Option("--lang", "-l", metavar="LANG",
        help="The language to translate into (need not be declared yet).", show_default=False)],
    format: Annotated[TranslationFormat, typer.Option("--format", "-f", metavar="xliff|xliff2|po|docx",
        help="XLIFF 1.2 (CAT tools), XLIFF 2.0, PO (gettext) or a translator's DOCX (Word).")
    ] = TranslationFormat.xliff,
    out: Annotated[Path | None, typer.Option("--out", "-o", metavar="FILE",
        help="The file to write (default: <document id>.<lang>.xlf, .po or .docx here).")] = None,
) -> None:
    """Write every translatable piece of a document, with its translation so far, for a translator."""
    from typeset.translate.commands import export_translation

    try:
        exported = export_translation(source, lang, format.value, out, _world(source))
    except TypesetError as error:
        _fail(error)
    typer.echo(f"wrote {exported.path}: {exported.segments} segments into '{exported.language}', "
               f"{exported.missing} missing, {exported.stale} stale")
    if exported.state is not None:
        typer.echo(f"wrote {exported.state}")
    typer.echo(f"next: translate it, then: typeset translate import {source} {exported.path}")


@translate_app.command("import")
def translate_import(
    source: DocumentFolder,
    files: Annotated[list[Path], typer.Argument(metavar="FILE...",
        help="Translated XLIFF, PO or DOCX files (read by content).", show_default=False)],
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Print the changes as a diff; write nothing.")] = False,
) -> None:
    """Write translations back: the language's Markdown file and its fields in document.yaml."""
    from typeset.translate.commands import import_translations

    try:
        result = import_translations(source, files, _world(source), dry_run=dry_run)
    except TypesetError as error:
        _fail(error)
    _report(result.diagnostics.sorted())
    if dry_run:
        typer.echo(result.diff, nl=False)
    for path in result.written:
        typer.echo(f"wrote {path}")
    for tag, (count, stale, declared) in result.languages.items():
        typer.echo(f"{'would import' if dry_run else 'imported'} {count} segment(s) into '{tag}'"
                   + (f", {stale} stale" if stale else "") + (f"; '{tag}' added to the languages" if declared else ""))


@translate_app.command("status")
def translate_status(
    source: DocumentFolder,
    lang: Annotated[list[str] | None, typer.Option("--lang", "-l", metavar="LANG",
        help="Only this language (repeatable; it need not be declared).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")] = False,
) -> None:
    """Per language: segments, translated, missing and stale (made from an earlier source text)."""
    from typeset.translate.commands import translation_status
    from typeset.translate.status import table

    try:
        reports = translation_status(source, lang or [], _world(source))
    except TypesetError as error:
        _fail(error)
    if as_json:
        typer.echo(json.dumps({"languages": {tag: r.as_json() for tag, r in reports.items()}}, indent=2))
    else:
        typer.echo(table(reports))


def _size(count: int) -> str:
    return f"{count / 1024:.0f} KiB" if count >= 1024 else f"{count} B"


def _terminate(signum: int, frame: object) -> None:
    from typeset.errors import Terminated

    raise Terminated()


def main() -> None:
    import signal

    from typeset.ending import Unheard
    from typeset.errors import Terminated

    signal.signal(signal.SIGTERM, _terminate)  # unwind like Ctrl-C: workers stopped, manifest written
    if not isinstance(sys.stdout, Unheard):  # a build piped into `head` finishes (typeset.ending)
        sys.stdout = Unheard(sys.stdout)
    if not isinstance(sys.stderr, Unheard):
        sys.stderr = Unheard(sys.stderr)
    try:
        app()
        code: int | str | None = 0
    except SystemExit as exit_:  # how every command ends
        code = exit_.code
    except TypesetError as error:  # an error no command caught (SOURCE_DATE_EPOCH, say)
        code = _show(error)
    except KeyboardInterrupt:
        _err("interrupted")
        code = 130
    except Terminated:
        _err("terminated")
        code = 143
    leave(code)


def leave(code: int | str | None) -> NoReturn:
    """End the process with ``code`` (as ``sys.exit`` takes it) once the command is done, at once
    (:func:`typeset.ending.end_now`). Where a thread other than this one still runs, or a profiler,
    a coverage tracer or a debugger watches (they write their results at exit), the interpreter
    ends as usual.
    """
    import threading

    from typeset.ending import end_now

    if not isinstance(code, int) and code is not None:
        _err(str(code))
        code = 1
    if threading.active_count() > 1 or sys.getprofile() is not None or sys.gettrace() is not None:
        sys.exit(code)
    end_now(code or 0)
