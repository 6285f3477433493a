"""A long edition's PDF laid out on two cores, page for page as one layout would lay it out.

In: a parsed ``weasyprint.HTML`` with at least :data:`SPLIT_ENTRIES` signatories, and what
``HTML.render`` takes. Out: a WeasyPrint ``Document`` (:class:`PartsDocument`) that holds the
pages of the first part and whose ``write_pdf`` returns the PDF of every page: the same pages,
page numbers ("Page 3 of 441"), outline and tags (PDF/UA) as one layout of the whole.

Why it cannot simply cut the list in two: a part must begin where a page of the single layout
begins, and only a layout of everything before it knows where that is (two layouts of one list
begun a few entries apart stay apart, page after page: ``benchmarks/README.md``). So:

1. The cascade and the boxes are made once; then the process forks. The parent lays the
   document out from its first page until a page begins past the middle signatory; the child
   meanwhile lays out the second half from a guess, :data:`OVERLAP` entries before the middle
   (what it keeps of that layout is each entry's laid-out box).
2. The parent hands the child the state of WeasyPrint's page maker at the page where it stopped
   (where that page begins, its number, side and counters). The child lays out its part again
   from there, reusing each entry's box where it fits whole on the page (moved to its new place)
   and letting WeasyPrint lay out the rest: a seventh of the first layout's time.
3. Both know the page count then: each makes its page margins ("Page X of Y") and draws its
   pages; the parent joins the two files (:func:`join`): the pages, the structure trees
   (WeasyPrint tags page by page: the second part's elements follow the first's, their page
   keys moved on), one outline from every page's bookmarks, the first part's catalogue
   (language, metadata, viewer preferences).

Each part embeds its own subsets of the faces it draws, so the file is larger than one layout's.
Where this process may not fork (no ``fork``: only Linux and macOS have it; another thread
running, as in a warm worker; ``World.limits.render_processes`` of 1, as with ``--jobs 1``) or the
child fails, this process lays out both parts itself and writes them the same way: the same bytes,
only slower. What is never split (a document with footnotes, a list set in columns, a layout with
fixed boxes or ``string-set``; and, decided by :mod:`typeset.render.pdf`, print and archival
PDFs and documents with inner links or soft hyphens) is laid out as ``HTML.render`` does. A
failure while the child draws raises :class:`~typeset.errors.RenderError`.

How WeasyPrint is reached: its page maker (``weasyprint.layout.page.remake_page``), the layout
context, and, in the child only, ``weasyprint.layout.block.block_level_layout`` wrapped through
:mod:`typeset.render.weasypatch` (the child ends when its part is written; the wrapper goes with it).
"""

from __future__ import annotations

import io
import os
import pickle
import signal
import sys
import tempfile
import threading
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

from weasyprint.document import Document  # typeset.render.pdf imports this module once WeasyPrint is loaded

from typeset.errors import RenderError
from typeset.render.pdf_breaks import LONG_EDITION_PAGES, read_pages
from typeset.render.weasypatch import Patch, Wrap

#: An edition with at least this many signatories is laid out in two parts, on two processes.
#: At 1,000 the two parts beat one layout by a quarter (benchmarks/README.md); below, the fork
#: and the second part's guess cost more than they save.
SPLIT_ENTRIES = 1_500
#: How many entries before the middle the second part begins its first layout: the page the
#: first part stops at begins at most a page (some 25 entries) before the middle.
OVERLAP = 80

_BLOCK_PARAMETERS = ("context", "box", "bottom_space", "skip_stack", "containing_block", "page_is_empty",
                     "absolute_boxes", "fixed_boxes", "adjoining_margins", "first_letter_style",
                     "first_line_style", "discard", "max_lines")


def splittable() -> bool:
    """Whether this process may fork to lay out a part: it has ``fork`` and no other thread."""
    return hasattr(os, "fork") and threading.active_count() == 1


def laid_out_in_parts(html: Any, *, font_config: Any, color_profiles: Any, label: Callable[[str], str],
                      fork: bool = True) -> Any:
    """What ``html.render(font_config=…, color_profiles=…)`` returns, laid out in two parts: on
    two processes if ``fork`` and :func:`splittable`, else in this one. ``label`` cleans a
    bookmark's label, as the caller cleans the first part's pages'."""
    from weasyprint import DEFAULT_OPTIONS
    from weasyprint.css.counters import CounterStyle
    from weasyprint.formatting_structure.build import build_formatting_structure

    options = dict(DEFAULT_OPTIONS)
    counter_style = CounterStyle()
    if font_config is None:
        from weasyprint.text.fonts import FontConfiguration

        font_config = FontConfiguration()
    color_profiles = color_profiles or {}  # as Document._render has them
    context = Document._build_layout_context(html, font_config, counter_style, color_profiles, options)
    root = build_formatting_structure(html.etree_element, context.style_for, context.get_image_from_uri,
                                      html.base_url, context.target_collector, counter_style, context.footnotes)
    layout = _Layout(html, root, context, font_config, color_profiles, options)
    entries = layout.entries()
    if len(entries) < 2 * OVERLAP or context.footnotes or not layout.ordinary:
        return layout.whole()
    middle = len(entries) // 2
    child = _Child.start(layout, entries[middle - OVERLAP][0], {id(box) for _, box in entries}) \
        if fork and splittable() else None
    layout.begin()
    pages, index = layout.until(lambda resume_at: layout.entry_at(resume_at) >= middle)
    # a first part this short would let typeset.render.pdf_breaks take its last page for the
    # edition's (LONG_EDITION_PAGES): the whole is one part then
    short = index is None or index <= LONG_EDITION_PAGES
    laid = None
    if child is not None:
        laid = None if short else child.lay_out_from(index, layout.state(index))  # type: ignore[arg-type]
        if laid is None:
            child.stop()
    if laid is None:  # every page laid out here
        if index is not None:
            pages += layout.until(None, first=index)[0]
        layout.finish(pages, 0, len(pages))
        if short:
            return layout.document(pages)
        document = layout.document(pages, cls=PartsDocument)
        document.first_part, document.child, document.later = index, None, []
    else:
        count, later = laid
        layout.finish(pages, 0, index + count)  # type: ignore[operator]
        document = layout.document(pages, cls=PartsDocument)
        document.first_part, document.child, document.later = index, child, later
    document.label = label
    return document


class _Layout:
    """One document's boxes and WeasyPrint's layout context, laid out page by page."""

    def __init__(self, html: Any, root: Any, context: Any, font_config: Any, color_profiles: Any,
                 options: dict[str, Any]) -> None:
        self.html, self.root, self.context = html, root, context
        self.font_config, self.color_profiles, self.options = font_config, color_profiles, options
        self._entries: dict[int, int] = {}
        self.ordinary = True  # no box that needs what only layout_document does (entries() looks)

    def entries(self) -> list[tuple[tuple[int, ...], Any]]:
        """Every signatory entry's box (an ``li`` of a ``.signatories`` list), in order, with the
        path of child indices that leads to it from the root box."""
        from weasyprint.formatting_structure import boxes

        found: list[tuple[tuple[int, ...], Any]] = []

        def walk(box: Any, path: tuple[int, ...]) -> None:
            # what finish() does not do as layout_document does: fixed boxes on every page,
            # string-set for the margins
            if box.style["position"] == "fixed" or box.style["string_set"] not in ("none", None):
                self.ordinary = False
            listed = box.element_tag in ("ol", "ul") and "signatories" in (box.element.get("class") or "").split()
            if listed and (box.style["column_count"] != "auto" or box.style["column_width"] != "auto"):
                self.ordinary = False  # a list in columns is balanced, laid out again and again: not split
            for index, child in enumerate(getattr(box, "children", None) or ()):
                if listed and isinstance(child, boxes.BlockBox) and child.element_tag == "li":
                    found.append((path + (index,), child))
                elif isinstance(child, boxes.ParentBox):
                    walk(child, path + (index,))

        walk(self.root, ())
        self._entries = {id(box): number for number, (_, box) in enumerate(found)}
        return found

    def entry_at(self, resume_at: dict[int, Any] | None) -> int:
        """The number of the entry a page that resumes at ``resume_at`` begins with (-1: none)."""
        box = self.root
        while resume_at:
            (index, resume_at), = resume_at.items()
            box = box.children[index]
        return self._entries.get(id(box), -1)

    def start_at(self, path: tuple[int, ...]) -> None:
        """The page maker set to begin a first page at the box at ``path`` (a guess: the page's
        number and counters are the first page's)."""
        self.begin()
        resume_at: dict[int, Any] | None = None
        for index in reversed(path):
            resume_at = {index: resume_at}
        self.context.page_maker[0] = (resume_at, *self.context.page_maker[0][1:])

    def begin(self) -> None:
        """The page maker set to begin with the document's first page."""
        from weasyprint.layout import initialize_page_maker

        initialize_page_maker(self.context, self.root)

    def state(self, index: int) -> tuple[Any, ...]:
        """What the page maker knows of page ``index`` before laying it out: where it begins, how
        it breaks, its side and its counters (fit for pickling)."""
        resume_at, next_page, right_page, page_state, _ = self.context.page_maker[index]
        return resume_at, next_page, right_page, page_state, _fresh_remake_state()

    def resume(self, index: int, state: tuple[Any, ...]) -> None:
        """The page maker set to lay out page ``index`` (0-based) from ``state``."""
        self.context.page_maker = [(None, None, None, None, _fresh_remake_state())] * index + [state]

    def until(self, stop: Callable[[dict[int, Any]], bool] | None, first: int = 0) -> tuple[list[Any], int | None]:
        """Pages laid out from page ``first`` until the document ends (index ``None``) or the next
        page would begin where ``stop`` says (that page's index)."""
        from weasyprint.layout.page import remake_page

        self.context.rendered_notes = []
        pages = []
        index = first
        while True:
            page, resume_at = remake_page(index, self.context, self.root, self.html)
            pages.append(page)
            index += 1
            if resume_at is None:
                return pages, None
            if stop is not None and stop(resume_at):
                return pages, index

    def finish(self, pages: list[Any], first: int, total: int) -> None:
        """The page margins ("Page X of Y") and backgrounds of ``pages``, the first being page
        ``first`` of ``total``; a bookmark once per element (as ``layout_document`` ends)."""
        from weasyprint.layout import layout_backgrounds, make_margin_boxes

        seen: set[int] = set()
        for offset, page in enumerate(pages):
            for box in page.descendants():
                if box.bookmark_label:
                    if id(box.element) in seen and not box.element_tag.endswith(("::before", "::after")):
                        box.bookmark_label = ""
                    seen.add(id(box.element))
            number = first + offset
            self.context.current_page = number + 1
            state = self.context.page_maker[number + 1][3]
            state[1]["pages"] = [total]
            root, *areas = page.children
            page.children = (root, *(area for area in areas if area.children),
                             *make_margin_boxes(self.context, page, state))
            layout_backgrounds(page, self.context.get_image_from_uri)

    def whole(self) -> Any:
        """The whole document laid out here, as ``HTML.render`` does."""
        from weasyprint.layout import layout_document

        return self.document(list(layout_document(self.html, self.root, self.context)))

    def document(self, pages: list[Any], cls: type | None = None) -> Any:
        """A WeasyPrint document of laid-out ``pages``, as ``HTML.render`` makes one."""
        from weasyprint.document import Document, DocumentMetadata, Page
        from weasyprint.html import get_html_metadata

        document = (cls or Document)([Page(page) for page in pages], DocumentMetadata(**get_html_metadata(self.html)),
                                     self.html.url_fetcher, self.font_config, self.color_profiles,
                                     self.options["output_intent"])
        document._html = self.html
        return document


def _fresh_remake_state() -> dict[str, Any]:
    return {"content_changed": False, "pages_wanted": False, "anchors": [], "content_lookups": []}


class _Child:
    """The forked process that lays out and draws the second part; talks through two pipes."""

    def __init__(self, pid: int, to_child: Any, from_child: Any) -> None:
        self.pid, self.to_child, self.from_child = pid, to_child, from_child
        self.ended = False

    def __del__(self) -> None:  # a layout dropped unwritten (pdf_breaks lays out again): its child too
        self.stop()

    @classmethod
    def start(cls, layout: _Layout, guess: tuple[int, ...], entries: set[int]) -> _Child:
        down_read, down_write = os.pipe()
        up_read, up_write = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: never returns
            os.close(down_write)
            os.close(up_read)
            code = 1
            try:
                with os.fdopen(down_read, "rb") as orders, os.fdopen(up_write, "wb") as answers:
                    _ENTRY_BOXES.update(entries)
                    code = _second_part(layout, guess, orders, answers)
            finally:
                os._exit(code)  # not the parent's atexit handlers: its private folder is its own
        os.close(down_read)
        os.close(up_write)
        return cls(pid, os.fdopen(down_write, "wb"), os.fdopen(up_read, "rb"))

    def _say(self, *message: Any) -> None:
        pickle.dump(message, self.to_child)
        self.to_child.flush()

    def _hear(self) -> Any:
        try:
            return pickle.load(self.from_child)
        except (EOFError, OSError, pickle.UnpicklingError):
            return ("failed", "the process laying out the second part ended")

    def lay_out_from(self, index: int, state: tuple[Any, ...]) -> tuple[int, list[tuple[float, list[Any]]]] | None:
        """The second part laid out from page ``index``: its page count and each page's height and
        bookmarks; ``None`` if the child failed (it has ended then)."""
        try:
            self._say("from", index, state)
        except (OSError, pickle.PicklingError):
            self.stop()
            return None
        answer = self._hear()
        if answer[0] != "laid":
            self.stop()
            return None
        return answer[1], answer[2]

    def draw(self, metadata: Any, options: dict[str, Any], target: Path) -> None:
        """Ask the child to draw its pages into ``target``; :meth:`drawn` waits for it."""
        self._say("draw", metadata, options, str(target))

    def drawn(self) -> None:
        answer = self._hear()
        self.stop()
        if answer[0] != "drawn":
            raise RenderError(f"the second part of the PDF could not be drawn: {answer[1]}",
                              hint="build with --jobs 1: one process then lays out and draws both parts")

    def stop(self) -> None:
        """The child ended (killed if it still runs) and reaped."""
        if self.ended:
            return
        self.ended = True
        for stream in (self.to_child, self.from_child):
            try:
                stream.close()
            except OSError:
                pass
        try:
            os.kill(self.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        os.waitpid(self.pid, 0)


def _second_part(layout: _Layout, guess: tuple[int, ...], orders: Any, answers: Any) -> int:
    """The child's work: a first layout from ``guess`` (for the entries' boxes), then, told where
    its part begins, the part laid out again from there, its margins made, and drawn."""
    def answer(*message: Any) -> None:
        pickle.dump(message, answers)
        answers.flush()

    try:
        with _REUSED_ENTRIES():
            layout.start_at(guess)
            layout.until(None)
            order = pickle.load(orders)
            if order[0] != "from":
                return 0
            _, index, state = order
            layout.resume(index, state)
            pages, _ = layout.until(None, first=index)
        layout.finish(pages, index, index + len(pages))
        document = layout.document(pages)
        if read_pages(document).offending_hyphens():  # the parent lays the part out and keeps the rules
            answer("failed", "a hyphen in the second part breaks a rule of typeset.render.pdf_breaks")
            return 0
        answer("laid", len(pages), [(page.height, list(page.bookmarks)) for page in document.pages])
        order = pickle.load(orders)
        if order[0] != "draw":
            return 0
        _, metadata, options, target = order
        document.metadata = metadata
        document.write_pdf(target, **options)
        answer("drawn")
        return 0
    except BaseException:  # noqa: BLE001 -- anything at all: the parent carries on alone or reports it
        try:
            answer("failed", traceback.format_exc(limit=4))
        except OSError:
            pass
        return 1


#: The boxes of the signatory entries, in the child: the only boxes whose layout it keeps (an
#: entry's inner boxes move with it; kept apart, one could be moved out from under it).
_ENTRY_BOXES: set[int] = set()


def _make_reuse(original: Any) -> Any:
    """``block_level_layout`` that lays an entry out once and, asked again with the same
    surroundings, moves its laid-out box to the new place if it fits whole on the page there."""
    kept: dict[tuple[Any, ...], tuple[float, tuple[Any, ...]]] = {}

    def block_level_layout(context: Any, box: Any, bottom_space: float, skip_stack: Any, containing_block: Any,
                           page_is_empty: bool = True, absolute_boxes: Any = None, fixed_boxes: Any = None,
                           adjoining_margins: Any = None, first_letter_style: Any = None,
                           first_line_style: Any = None, discard: bool = False, max_lines: Any = None) -> Any:
        arguments = (context, box, bottom_space, skip_stack, containing_block, page_is_empty, absolute_boxes,
                     fixed_boxes, adjoining_margins, first_letter_style, first_line_style, discard, max_lines)
        if id(box) not in _ENTRY_BOXES or skip_stack is not None or first_letter_style or first_line_style:
            return original(*arguments)
        key = (id(box), containing_block.width, tuple(adjoining_margins or ()), page_is_empty, discard, max_lines,
               box.position_x)
        found = kept.get(key)
        if found is not None:
            top, result = found
            laid = result[0]
            shift = box.position_y - top
            if laid.position_y + shift + laid.margin_height() <= context.page_bottom - bottom_space - 1:
                laid.translate(0, shift)
                kept[key] = (box.position_y, result)
                return (laid, result[1], result[2], list(result[3]), result[4], result[5])
        top = box.position_y
        result = original(*arguments)
        if result[0] is not None and result[1] is None:  # laid out whole
            kept[key] = (top, (*result[:3], list(result[3]), *result[4:]))
        return result

    return block_level_layout


_REUSED_ENTRIES = Patch("typeset/render/pdf_parts.py",
                        [Wrap("weasyprint.layout.block", "block_level_layout", _BLOCK_PARAMETERS, _make_reuse)],
                        hint="check that weasyprint/layout/block.py lays each block out through block_level_layout")


class PartsDocument(Document):  # type: ignore[misc]  # WeasyPrint ships no types
    """A long edition, written as two parts joined (:func:`join`): the pages up to
    ``first_part``, then the rest. ``pages`` holds every page where this process laid them all
    out (``child`` is ``None``), else the first part's, ``later`` the height and bookmarks of the
    child's pages, and the child draws them. The bytes are the same either way."""

    first_part: int
    child: _Child | None
    later: list[tuple[float, list[Any]]]
    label: Callable[[str], str]

    def write_pdf(self, target: Any = None, zoom: float = 1, finisher: Any = None, **options: Any) -> Any:
        first_pages, later_pages = self.pages[:self.first_part], self.pages[self.first_part:]
        with tempfile.TemporaryDirectory(prefix="typeset-part-") as folder:
            path = Path(folder) / "second.pdf"
            if self.child is not None:  # it draws its pages while this process draws the first part's
                self.child.draw(self.metadata, {"zoom": zoom, "finisher": None, **options}, path)
            first = self._part(first_pages).write_pdf(None, zoom, finisher, **options)
            if self.child is None:
                second = self._part(later_pages).write_pdf(None, zoom, None, **options)  # as the child does
            else:
                self.child.drawn()
                second = path.read_bytes()
            joined = join(first, second, self._outline(zoom))
        if target is None:
            return joined
        if hasattr(target, "write"):
            target.write(joined)
        else:
            Path(target).write_bytes(joined)
        return None

    def _part(self, pages: list[Any]) -> Any:
        part = Document(pages, self.metadata, self.url_fetcher, self.font_config, self.color_profiles,
                        self.output_intent)
        part._html = getattr(self, "_html", None)
        return part

    def _outline(self, zoom: float) -> list[Any]:
        """Every page's bookmarks as one tree, as WeasyPrint makes it for one document."""

        class Stub:
            def __init__(self, height: float, bookmarks: list[Any]) -> None:
                self.height, self.bookmarks = height, bookmarks

        later = [Stub(height, [(level, self.label(label), *rest) for level, label, *rest in bookmarks])
                 for height, bookmarks in self.later]
        stub = type("Pages", (), {"pages": [*self.pages, *later]})()
        tree: list[Any] = Document.make_bookmark_tree(stub, zoom * 0.75, transform_pages=True)
        return tree


def join(first: bytes, second: bytes, outline: list[Any]) -> bytes:
    """The PDF of ``first``'s pages and then ``second``'s: the second's structure elements after
    the first's under one Document element, every page's and link's key in the parent tree as
    one layout numbers them (the pages first, then the links), and ``outline`` (WeasyPrint's
    bookmark tree) as the outline."""
    import pikepdf

    with pikepdf.open(io.BytesIO(first)) as joined, pikepdf.open(io.BytesIO(second)) as later:
        before = len(joined.pages)
        after = len(later.pages)
        for page in later.pages:
            joined.pages.append(page)
        root = joined.Root.get("/StructTreeRoot")
        if root is not None:
            _join_structure(joined, later, before, after)
        if "/Outlines" in joined.Root:
            del joined.Root["/Outlines"]
        if outline:
            _write_outline(joined, outline)
        out = io.BytesIO()
        joined.save(out, deterministic_id=True, compress_streams=True,
                    object_stream_mode=pikepdf.ObjectStreamMode.generate)
        return out.getvalue()


def _join_structure(joined: Any, later: Any, before: int, after: int) -> None:
    import pikepdf

    root = joined.Root.StructTreeRoot
    document = root.K[0] if isinstance(root.K, pikepdf.Array) else root.K
    nums = list(root.ParentTree.Nums)
    later_root = later.Root.StructTreeRoot
    later_document = later_root.K[0] if isinstance(later_root.K, pikepdf.Array) else later_root.K
    later_nums = list(later_root.ParentTree.Nums)
    for kid in later_document.K:
        copied = joined.copy_foreign(kid)
        copied.P = document
        document.K.append(copied)
    own = [(int(nums[i]), nums[i + 1]) for i in range(0, len(nums), 2)]
    theirs = [(int(later_nums[i]), _copied(joined, later_nums[i + 1])) for i in range(0, len(later_nums), 2)]
    links = [(key, value) for key, value in own if key >= before]
    later_links = [(key, value) for key, value in theirs if key >= after]
    renumbered = {}  # (part, old key) -> new key
    entries: list[Any] = []
    for key, value in own:
        if key < before:
            entries += [key, value]
    for key, value in theirs:
        if key < after:
            entries += [before + key, value]
    following = before + after
    for part, found in ((0, links), (1, later_links)):
        for key, value in found:
            renumbered[part, key] = following
            entries += [following, value]
            following += 1
    root.ParentTree.Nums = pikepdf.Array(entries)
    if "/ParentTreeNextKey" in root:
        root.ParentTreeNextKey = following
    for number, page in enumerate(joined.pages):
        part, offset = (0, 0) if number < before else (1, before)
        if "/StructParents" in page.obj:
            page.obj.StructParents = int(page.obj.StructParents) + offset
        for annotation in page.obj.get("/Annots", ()):
            if "/StructParent" in annotation:
                annotation.StructParent = renumbered.get((part, int(annotation.StructParent)),
                                                         int(annotation.StructParent))


def _copied(pdf: Any, value: Any) -> Any:
    """``value`` of another file, in ``pdf``: an indirect object copied (once: the same copy each
    time it is asked for), an array element by element."""
    import pikepdf

    if isinstance(value, pikepdf.Object) and value.is_indirect:
        return pdf.copy_foreign(value)
    if isinstance(value, pikepdf.Array):
        return pikepdf.Array([_copied(pdf, item) for item in value])
    return value


def _write_outline(pdf: Any, tree: list[Any]) -> None:
    """WeasyPrint's ``add_outlines``, on the joined file."""
    import pikepdf

    def add(nodes: list[Any], parent: Any) -> tuple[list[Any], int]:
        count = len(nodes)
        items: list[Any] = []
        for title, (page, x, y), children, state in nodes:
            item = pdf.make_indirect(pikepdf.Dictionary(
                Title=pikepdf.String(title), Dest=pikepdf.Array([pdf.pages[page].obj, pikepdf.Name.XYZ, x, y, 0])))
            kids, kids_count = add(children, item)
            item.Count = -kids_count if state == "closed" else kids_count
            if state != "closed":
                count += kids_count
            if items:
                item.Prev = items[-1]
                items[-1].Next = item
            if kids:
                item.First, item.Last = kids[0], kids[-1]
            item.Parent = parent
            items.append(item)
        return items, count

    outlines = pdf.make_indirect(pikepdf.Dictionary())
    items, count = add(tree, outlines)
    outlines.Count, outlines.First, outlines.Last = count, items[0], items[-1]
    pdf.Root.Outlines = outlines


def split_entries() -> int:
    """:data:`SPLIT_ENTRIES`, or ``TYPESET_SPLIT_ENTRIES`` where it is set (0: never split)."""
    value = os.environ.get("TYPESET_SPLIT_ENTRIES", "")
    try:
        number = int(value) if value.strip() else SPLIT_ENTRIES
    except ValueError:
        return SPLIT_ENTRIES
    return number if number > 0 else sys.maxsize


__all__ = ["OVERLAP", "SPLIT_ENTRIES", "PartsDocument", "join", "laid_out_in_parts", "split_entries",
           "splittable"]
