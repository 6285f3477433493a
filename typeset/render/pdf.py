"""PDF renderer: the HTML edition plus the layout's print CSS, laid out by WeasyPrint.

In: an :class:`~typeset.model.edition.Edition` and a render context (the layout's paper, margins
and running heads; ``context.options``: paper, PDF variant, print marks). Out: PDF bytes with the
bundled fonts embedded (as subsets, cut by the HarfBuzz typeset ships:
:mod:`typeset.render.pdf_subset`), an exact text layer, the document's metadata (title, the
organisation as author, subject, keywords, language, the build date as creation and modification
date), an outline of its headings, live links, and — in the default variant — tags for
assistive technology (PDF/UA-1). With ``--print``, a PDF/X-4 for a print shop instead: the layout's
press stylesheets (its colours in CMYK), the bundled CMYK output intent, bleed, marks in the
registration colour, TrimBox and BleedBox (:mod:`typeset.render.pdfx`); tagged as the default
variant is, but declaring PDF/X-4 only (``docs/print.md`` says why). The same edition and build
date give the same bytes.
WeasyPrint reaches files only through :class:`ConfinedFetcher`: no network, nothing outside
the document, layout and font folders. WeasyPrint is imported when this module is, through
:func:`~typeset.render.libraries.load_weasyprint` (its native libraries found without running a
program), and nowhere before.
"""

from __future__ import annotations

import logging
import threading
from typing import TYPE_CHECKING, Any

from typeset import __version__
from typeset.errors import RenderError, UsageError
from typeset.fonts import FontSet
from typeset.model.edition import Edition
from typeset.render import RenderContext, RenderOptions
from typeset.render.cdecls import remember as remember_declarations
from typeset.render.css import BLEED_MM, page_css
from typeset.render.html import build_html
from typeset.render.hyphenation import stored_dictionaries
from typeset.render.libraries import load_weasyprint
from typeset.render.linebreaks import ZWSP, html_break_opportunities
from typeset.render.pdf_breaks import keep_rules
from typeset.render.pdf_subset import harfbuzz_subsets
from typeset.render.pdf_tags import language_tags
from typeset.render.pdf_text import exact_text_layer
from typeset.render.pdfx import color_profiles, finish, output_profile
from typeset.render.typography import printed
from typeset.world import AccessDenied, World

if TYPE_CHECKING:  # WeasyPrint loads when the first PDF renders (and ships no types: these are Any)
    from weasyprint import Document
    from weasyprint.text.fonts import FontConfiguration
    from weasyprint.urls import URLFetcher

load_weasyprint()  # before anything else imports it

#: What ``--pdf-variant`` gives when it is not set. Tagged PDF/UA-1 costs 1 to 5 % more time than
#: an untagged PDF for a whole build, and at most 16 % for the render alone in a warm process
#: (``benchmarks/pdf_edition.py``, medians), under the 20 % the accessible default may cost.
DEFAULT_VARIANT = "pdf/ua-1"
_WEASYPRINT_VARIANTS = {"pdf/ua-1": "pdf/ua-1", "pdf/a-3u": "pdf/a-3u", "plain": None, "pdf/x-4": "pdf/x-4"}


PRINT_VARIANT = "pdf/x-4"


def pdf_variant(options: RenderOptions) -> str:
    """The variant a build writes: ``pdf/ua-1``, ``pdf/a-3u``, ``plain`` or, with ``--print``,
    ``pdf/x-4``."""
    if options.print_marks:
        if options.pdf_variant == "pdf/a-3u":
            raise UsageError("--print writes PDF/X-4, which typeset cannot make PDF/A-3u at the same time",
                             hint="build the print PDF and the archival PDF in two builds, with and without --print")
        return PRINT_VARIANT
    return options.pdf_variant or DEFAULT_VARIANT


def tagged(options: RenderOptions) -> bool:
    """Whether the PDF carries tags: PDF/UA-1, and the print PDF unless ``plain`` was asked for."""
    return (options.pdf_variant or DEFAULT_VARIANT) == "pdf/ua-1"


def paged_html(edition: Edition, context: RenderContext) -> str:
    """The HTML WeasyPrint lays out: the edition's page with the layout's print CSS (and, with
    ``--print``, its press CSS: the colours in CMYK) and the page setup (paper, margins, running
    heads, bleed) after it, and line-break opportunities in Thai, Lao, Khmer and Burmese text,
    where Pango would find none."""
    layout = context.layout
    stylesheets = [*layout.print_stylesheets, *(layout.press_stylesheets if context.options.print_marks else ())]
    print_css = [context.world.read_text(layout.path(s)) for s in stylesheets]
    return html_break_opportunities(build_html(edition, context, extra_css=[*print_css, page_css(edition, context)]))


def layout_document(edition: Edition, context: RenderContext) -> Document:
    """The edition laid out in pages (a ``weasyprint.Document``), metadata set, not yet written;
    laid out again where a hyphen or the last page breaks a rule CSS cannot say (:mod:`.pdf_breaks`)."""
    from weasyprint import HTML

    edition = printed(edition, context.world)  # the running heads and metadata print it too
    fetcher = _fetcher_class()(context.world)
    problems = _Problems()
    logger = logging.getLogger("weasyprint")
    logger.addHandler(problems)
    try:
        page = paged_html(edition, context)
        html = HTML(string=page, base_url=context.layout.root.as_uri() + "/", url_fetcher=fetcher)
        profiles = color_profiles(output_profile(context.world)) if context.options.print_marks else None
        font_config = _font_config(context.fonts)
        def lay_out() -> Document:
            return html.render(font_config=font_config, color_profiles=profiles)

        if _in_parts(edition, context, page):  # a long list on two cores, page for page the same
            from typeset.render.pdf_parts import laid_out_in_parts

            def lay_out() -> Document:
                return laid_out_in_parts(html, font_config=font_config, color_profiles=profiles,
                                         label=lambda label: label.replace(ZWSP, ""),
                                         fork=context.world.limits.render_processes > 1)

        with stored_dictionaries(page, context.world):
            document = keep_rules(html, lay_out)
    finally:
        logger.removeHandler(problems)
    if fetcher.refused:
        raise RenderError(f"the layout asked for {', '.join(fetcher.refused)}, which typeset refuses to fetch",
                          hint="layouts may only use files inside their own folder or the bundled fonts")
    _set_metadata(document.metadata, edition, context)
    _drop_break_opportunities_from_outline(document)
    return document


@exact_text_layer()  # ActualText where WeasyPrint's ToUnicode misreads (Indic, Thai, marks)
@language_tags()  # /Lang on every tagged element in another language than the edition's
@harfbuzz_subsets()  # every face cut by uharfbuzz's HarfBuzz, whatever the machine has
def render(edition: Edition, context: RenderContext) -> bytes:
    document = layout_document(edition, context)
    options = context.options
    identifier = _identifier(edition, context)
    pdf: bytes = document.write_pdf(
        pdf_variant=_WEASYPRINT_VARIANTS[pdf_variant(options)], pdf_tags=tagged(options), pdf_identifier=identifier,
        finisher=lambda _, pdf: _finish(pdf, context, identifier))
    remember_declarations()  # the C types this render named, for the next process
    return pdf


def _in_parts(edition: Edition, context: RenderContext, page: str) -> bool:
    """Whether the edition is written in two parts (:mod:`.pdf_parts`), laid out on two processes
    where this one may fork: it lists enough signatories, in the accessible or the plain variant
    (not a print or archival PDF, whose output intent and identifiers the parts would not share),
    with no link inside the document and no soft hyphen (a break there in the second part would
    escape the hyphen rules the first part's layout is checked for). It depends on the edition
    alone, so that the same edition is the same bytes however many processes lay it out."""
    from typeset.render.pdf_parts import split_entries

    return (pdf_variant(context.options) in ("pdf/ua-1", "plain")
            and sum(len(group.entries) for group in edition.groups) >= split_entries()
            and 'href="#' not in page and "\u00ad" not in page)


def _set_metadata(metadata: Any, edition: Edition, context: RenderContext) -> None:
    """Title, author, subject, keywords, language and dates from the edition, not the template.

    WeasyPrint writes them to the document information dictionary and, for PDF/A and PDF/UA, to
    the XMP metadata stream. Dates are the build time: ``SOURCE_DATE_EPOCH`` or the document's date.
    """
    metadata.title = edition.title
    metadata.authors = [edition.organisation]
    metadata.description = edition.description
    metadata.keywords = list(edition.keywords)
    metadata.lang = edition.language.tag
    metadata.generator = f"typeset {__version__}"
    metadata.created = metadata.modified = context.build_time.isoformat(timespec="seconds")


def _drop_break_opportunities_from_outline(document: Any) -> None:
    """The outline's labels (WeasyPrint takes a heading's text) as written, without the ZWSP that
    :func:`paged_html` added for line breaking: they would be in every copied bookmark."""
    for page in document.pages:
        page.bookmarks[:] = [(level, label.replace(ZWSP, ""), *rest) for level, label, *rest in page.bookmarks]


def _finish(pdf: Any, context: RenderContext, identifier: bytes) -> None:
    """Last touches on the PDF objects before WeasyPrint writes them.

    With ``--print``, WeasyPrint's BleedBox is its own guess (10 pt at most beyond the TrimBox);
    a print shop expects the bleed that was asked for, so it is set to exactly ``BLEED_MM``; and
    :func:`typeset.render.pdfx.finish` completes the PDF/X-4 (output intent, marks).
    """
    if not context.options.print_marks:
        return
    finish(pdf, output_profile(context.world), identifier)
    import pydyf

    bleed = BLEED_MM * 72 / 25.4
    for page in (o for o in pdf.objects if isinstance(o, pydyf.Dictionary) and o.get("Type") == "/Page"):
        left, top, right, bottom = page["TrimBox"]
        page["BleedBox"] = pydyf.Array([left - bleed, top - bleed, right + bleed, bottom + bleed])


_FONT_CONFIGS = threading.Lock()
_font_configs: dict[tuple[FontSet, int], Any] = {}


def _font_config(fonts: FontSet) -> FontConfiguration:
    """WeasyPrint's fonts: the bundled folder and nothing installed on the machine.

    ``FontConfiguration()`` loads the fontconfig file that ``FONTCONFIG_FILE`` names at that
    moment (the font set's world sets it for that moment); :meth:`FontSet.fontconfig_file` lists
    only the bundled folder, where fontconfig finds the families by name (no ``@font-face`` rules,
    which would copy every file on every render).
    One per font set and thread, kept: its font map keeps the faces loaded for the next edition
    (a warm worker renders an edition about a tenth faster than with a new one each time).
    """
    from weasyprint.text.fonts import FontConfiguration

    key = (fonts, threading.get_ident())
    with _FONT_CONFIGS:
        if key not in _font_configs:
            with fonts.gate().environment(FONTCONFIG_FILE=str(fonts.fontconfig_file())):
                _font_configs[key] = FontConfiguration()
        return _font_configs[key]


def warm_up(fonts: FontSet) -> None:
    """What a first render pays once per process, paid ahead (a warm worker calls it while the
    build reads its documents): the font configuration of ``fonts``, and every family's regular
    face found, loaded and embedded by Pango and WeasyPrint on a small page of its own."""
    from weasyprint import HTML

    lines = "".join(f'<p style="font-family: \'{family.name}\'">Aa 1</p>' for family in fonts.families)
    with harfbuzz_subsets():
        HTML(string=f"<html><body>{lines}</body></html>").write_pdf(font_config=_font_config(fonts))
    remember_declarations()


def _identifier(edition: Edition, context: RenderContext) -> bytes:
    """A stable PDF /ID, so that two builds of one edition are byte-identical."""
    import hashlib

    options = context.options
    key = f"{edition.document_id}/{edition.language.tag}/{pdf_variant(options)}/{options.print_marks}"
    return hashlib.md5(key.encode()).hexdigest().encode()


class _Problems(logging.Handler):
    """Collects WeasyPrint's warnings (for instance CSS it ignored)."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def _fetcher_class() -> type[URLFetcher]:
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class ConfinedFetcher(URLFetcher):  # type: ignore[misc]  # URLFetcher is Any: WeasyPrint ships no types
        """Serves ``file:`` URLs inside the world's roots and ``data:`` URLs; refuses the rest."""

        def __init__(self, world: World) -> None:
            super().__init__(allowed_protocols=("file", "data"), allow_redirects=False)
            self.world = world
            self.refused: list[str] = []

        def fetch(self, url: str, headers: dict[str, str] | None = None) -> URLFetcherResponse:
            if url.startswith("data:"):
                return super().fetch(url, headers)
            try:
                body, _ = self.world.fetch_url(url)
            except AccessDenied:
                self.refused.append(url)
                raise
            return URLFetcherResponse(url, body)

    return ConfinedFetcher
