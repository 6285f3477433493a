"""PDF renderer: the HTML edition plus the layout's print CSS, laid out by WeasyPrint.

In: an :class:`~typeset.model.edition.Edition` and a render context. Out: PDF bytes with
the bundled fonts embedded (as subsets) and the build date as creation date. WeasyPrint
reaches files only through :class:`ConfinedFetcher`: no network, nothing outside the
document, layout and font folders. WeasyPrint is imported here only, on first use.
"""

from __future__ import annotations

import io
import logging
import os
import threading

from typeset.errors import RenderError
from typeset.fonts import FontSet
from typeset.model.edition import Edition
from typeset.render import RenderContext
from typeset.render.css import page_label_css
from typeset.render.html import build_html
from typeset.render.pdf_text import exact_text_layer
from typeset.world import AccessDenied, World


@exact_text_layer()  # ActualText where WeasyPrint's ToUnicode misreads (Indic, Thai, marks)
def render(edition: Edition, context: RenderContext) -> bytes:
    from weasyprint import HTML

    layout = context.layout
    print_css = [context.world.read_text(layout.path(s)) for s in layout.print_stylesheets]
    html = build_html(edition, context, extra_css=[*print_css, page_label_css(edition, context)])
    fetcher = _fetcher_class()(context.world)
    problems = _Problems()
    logger = logging.getLogger("weasyprint")
    logger.addHandler(problems)
    try:
        document = HTML(string=html, base_url=layout.root.as_uri() + "/", url_fetcher=fetcher)
        output = io.BytesIO()
        document.write_pdf(output, font_config=_font_config(context.fonts), pdf_identifier=_identifier(edition))
    finally:
        logger.removeHandler(problems)
    if fetcher.refused:
        raise RenderError(f"the layout asked for {', '.join(fetcher.refused)}, which typeset refuses to fetch",
                          hint="layouts may only use files inside their own folder or the bundled fonts")
    return output.getvalue()


_FONTCONFIG_FILE = threading.Lock()  # FONTCONFIG_FILE is process-wide


def _font_config(fonts: FontSet):  # type: ignore[no-untyped-def]
    """WeasyPrint's fonts: the bundled folder and nothing installed on the machine.

    ``FontConfiguration()`` loads the fontconfig file that ``FONTCONFIG_FILE`` names at that
    moment; :meth:`FontSet.fontconfig_file` lists only the bundled folder, where fontconfig finds
    the families by name (no ``@font-face`` rules, which would copy every file on every render).
    """
    from weasyprint.text.fonts import FontConfiguration

    with _FONTCONFIG_FILE:
        previous = os.environ.get("FONTCONFIG_FILE")
        os.environ["FONTCONFIG_FILE"] = str(fonts.fontconfig_file())
        try:
            return FontConfiguration()
        finally:
            if previous is None:
                del os.environ["FONTCONFIG_FILE"]
            else:
                os.environ["FONTCONFIG_FILE"] = previous


def _identifier(edition: Edition) -> bytes:
    """A stable PDF /ID, so that two builds of one edition are byte-identical."""
    import hashlib

    return hashlib.md5(f"{edition.document_id}/{edition.language.tag}".encode()).hexdigest().encode()


class _Problems(logging.Handler):
    """Collects WeasyPrint's warnings (for instance CSS it ignored)."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def _fetcher_class():  # type: ignore[no-untyped-def]
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class ConfinedFetcher(URLFetcher):
        """Serves ``file:`` URLs inside the world's roots and ``data:`` URLs; refuses the rest."""

        def __init__(self, world: World) -> None:
            super().__init__(allowed_protocols=("file", "data"), allow_redirects=False)
            self.world = world
            self.refused: list[str] = []

        def fetch(self, url, headers=None):  # type: ignore[no-untyped-def]
            if url.startswith("data:"):
                return super().fetch(url, headers)
            try:
                body, _ = self.world.fetch_url(url)
            except AccessDenied:
                self.refused.append(url)
                raise
            return URLFetcherResponse(url, body)

    return ConfinedFetcher
