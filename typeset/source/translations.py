"""What ``check`` says about a document's translations: warnings, never errors.

In: a document as the loader gives it (:class:`~typeset.source.loader.Loaded`: the model, and
where each signatory's name stands). Out: warnings, at the ``file:line:col`` of what they are
about, for

- a **block missing or extra** in a language file, compared with the source language's
  (:mod:`typeset.source.structure`: headings, paragraphs, list items, quotes, slogans), and a
  **span or div of a third language** a block lacks, marks with another language or adds — with
  the alignment ``typeset translate status`` counts by where there is a translation state;
- a **subtitle** or a signatory's **note** that the source language prints and another language
  does not have;
- a **short title** or **keywords** that the source language has and another language does not:
  that edition's running heads print its whole title, its metadata the organisation and place;
- a **stale** translation: one the translation state (``translations.yaml``, written by
  ``typeset translate``) records as made from an earlier source text than today's;
- a signatory's **name in a script an edition's readers may not read** — neither the script of
  the edition's language nor Latin (which every edition prints, in names and abbreviations) —
  that has neither a translation into that language nor a romanization: the French edition would
  print "Българска Комунистическа Партия" with no gloss.

A translation of a name written in Latin letters is not asked for: names are often left as they
are, and ``typeset translate status`` counts what is missing. ``check`` runs these; a build does
not (they read every language file again, and the state).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from typeset.diagnostics import Diagnostics, Span
from typeset.model.document import Document, Inline, Signatory, plain_text
from typeset.model.document import Span as SpanNode
from typeset.model.language import Language, script_name
from typeset.world import World

if TYPE_CHECKING:
    from typeset.source.loader import Loaded
    from typeset.source.structure import InlineSpan
    from typeset.translate.segments import Sources

_HAN = frozenset({"Hani", "Hans", "Hant", "Jpan"})


def check_translations(loaded: Loaded, world: World) -> Diagnostics:
    """``check``'s warnings about the translations of a document that loaded without errors (none
    for one that did not)."""
    diagnostics = Diagnostics()
    document = loaded.document
    if document is None or document.root is None:
        return diagnostics
    world = world.with_roots(document.root)
    sources = _sources(document, world, diagnostics)
    _structure(document, world, diagnostics, sources)
    _printed(document, diagnostics, loaded.names)
    _unreadable(document, diagnostics, loaded.names)
    _missing(document, sources or _read_sources(document, world), diagnostics)
    if sources is not None:
        _stale(document, sources, diagnostics)
    return diagnostics


def _sources(document: Document, world: World, diagnostics: Diagnostics) -> Sources | None:
    """The document read for translation, where it has a translation state (``None`` where it has
    none, or the state cannot be used: that is a warning)."""
    from typeset.translate.state import STATE_FILE

    if document.root is None or not world.is_file(document.root / STATE_FILE):
        return None
    from typeset.translate.segments import read_sources

    found = Diagnostics()
    sources = read_sources(document, world, found)
    if found.has_errors:
        for problem in found.items:
            diagnostics.warning(problem.span, f"{problem.message} (the translation state is not used)", problem.hint,
                                code="translation")
        return None
    return sources


def _read_sources(document: Document, world: World) -> Sources | None:
    """The document read for translation without a state (its problems are the state's, said
    by :func:`_sources` where there is one)."""
    from typeset.translate.segments import read_sources

    found = Diagnostics()
    sources = read_sources(document, world, found)
    return None if found.has_errors else sources


#: What a language without its own value prints instead, by segment id. The per-language fields
#: of ``document.yaml`` (organisation, place, group headings, a country name CLDR does not give)
#: are the loader's errors when a language lacks them; a note is said by :func:`_printed`.
_FALLBACKS = {
    "short_title": "its whole title in the running heads",
    "keywords": "the organisation and the place as its keywords (the PDF's and DOCX's metadata)",
}


def _missing(document: Document, sources: Sources | None, diagnostics: Diagnostics) -> None:
    """Front-matter fields a language lacks that the source language has (:data:`_FALLBACKS`),
    as ``typeset translate status`` counts them missing."""
    if sources is None:
        return
    from typeset.translate.segments import segments

    source = document.source_language
    for language in document.languages:
        text = document.texts.get(language.tag)
        if language == source or text is None:
            continue
        for segment in segments(sources, language):
            fallback = _FALLBACKS.get(segment.id)
            if fallback is None or segment.target is not None or segment.keep:
                continue
            where = Span(text.path, 1, 1) if text.path is not None else segment.where
            has = "them" if segment.id == "keywords" else "one"
            diagnostics.warning(where or Span(sources.folder / "document.yaml"),
                                f"the '{language.tag}' text has no {segment.label} and the '{source.tag}' text has "
                                f"{has}: the '{language.tag}' edition prints {fallback}",
                                f"add '{segment.id}: …' to the front matter of the '{language.tag}' text, or "
                                f"export what is missing with 'typeset translate export … --lang {language.tag}'",
                                code="translation")


def _structure(document: Document, world: World, diagnostics: Diagnostics, sources: Sources | None) -> None:
    """Each language file against the source language's. With a translation state, the alignment
    is the one ``typeset translate status`` counts by (the blocks whose recorded translation
    stands in the file are surely partners), so that the two name the same blocks missing."""
    from typeset.source.loader import read_source_text
    from typeset.source.structure import compare_structure, outline

    source = document.source_language
    _front_spans(document, world, diagnostics)
    if sources is not None and source.tag in sources.outlines:
        for tag, found in sources.outlines.items():
            if tag != source.tag and tag in document.texts and document.texts[tag].path is not None:
                compare_structure(sources.source_outline, found, diagnostics, source.tag, tag,
                                  sources.comparison(tag))
        return
    outlines = {}
    for tag, text in document.texts.items():
        if text.path is None:
            continue
        raw = read_source_text(world, text.path, Diagnostics())
        if raw is not None:
            outlines[tag] = outline(raw, text.path)
    if source.tag not in outlines:
        return
    for tag, found in outlines.items():
        if tag != source.tag:
            compare_structure(outlines[source.tag], found, diagnostics, source.tag, tag)


def _front_spans(document: Document, world: World, diagnostics: Diagnostics) -> None:
    """The spans of the title, subtitle and short title against the source language's, by the rule
    the body's follow (:func:`~typeset.source.structure.compare_spans`)."""
    from typeset.source.loader import read_source_text
    from typeset.source.structure import base_language, compare_span_lists
    from typeset.translate.segments import front_inline, front_line

    source = document.source_language
    source_text = document.texts.get(source.tag)
    if source_text is None or source_text.path is None:
        return
    raws = {tag: read_source_text(world, text.path, Diagnostics()) or ""
            for tag, text in document.texts.items() if text.path is not None}
    keys = {key: front_inline(source_text, key, raws[source.tag]) for key in ("title", "subtitle", "short_title")}
    for tag, text in document.texts.items():
        if tag == source.tag or text.path is None:
            continue
        own = {base_language(source.tag), base_language(tag)}
        for key, nodes in keys.items():
            target = front_inline(text, key, raws[tag])
            if nodes is None or target is None:
                continue  # a subtitle the translation lacks is said elsewhere
            s_line, t_line = front_line(raws[source.tag], key), front_line(raws[tag], key)
            s_spans = _front_span_list(nodes, source_text.path, raws[source.tag], s_line)
            t_spans = _front_span_list(target, text.path, raws[tag], t_line)
            if not (s_spans or t_spans):
                continue
            line_text = raws[tag].split("\n")[t_line - 1] if t_line <= raws[tag].count("\n") + 1 else ""
            path = text.path

            def unmarked(piece: str, line_text: str = line_text, path: Path = path, t_line: int = t_line
                         ) -> Span | None:
                at = line_text.find(piece) if piece else -1
                return Span(path, t_line, at + 1) if at >= 0 else None

            name = key.replace("_", " ")
            compare_span_lists(s_spans, t_spans, own, diagnostics,
                               source=f"the {name} at {source_text.path.name}:{s_line}",
                               source_file=source_text.path.name, target=f"the {name} of the '{tag}' text",
                               at=Span(path, t_line, 1), unmarked=unmarked)


def _spans_of(nodes: Sequence[Inline]) -> list[SpanNode]:
    found: list[SpanNode] = []
    for node in nodes:
        if isinstance(node, SpanNode):
            found.append(node)
        children = getattr(node, "children", None)
        if children:
            found += _spans_of(children)
    return found


def _front_span_list(nodes: Sequence[Inline], path: Path, raw: str, line: int) -> list[InlineSpan]:
    """The spans of a front-matter field, each where its text stands on the field's line."""
    from typeset.source.structure import InlineSpan

    line_text = raw.split("\n")[line - 1] if line <= raw.count("\n") + 1 else ""
    out = []
    for node in _spans_of(nodes):
        text = " ".join(plain_text(node.children).split())
        at = line_text.find("[" + text[:10]) if text else -1
        out.append(InlineSpan(node.language.tag, text, line, at + 1 if at >= 0 else 1, path))
    return out


def _printed(document: Document, diagnostics: Diagnostics, names: Mapping[str, Span]) -> None:
    source = document.source_language
    source_text = document.texts.get(source.tag)
    for language in document.languages:
        if language == source:
            continue
        text = document.texts.get(language.tag)
        if source_text is not None and text is not None and source_text.subtitle and not text.subtitle:
            diagnostics.warning(Span(text.path or Path(f"{language.tag}.md"), 1, 1),
                                f"the '{source.tag}' text has a subtitle and the '{language.tag}' text has none",
                                "add 'subtitle: …' to the front matter", code="translation")
        for entry in (e for group in document.groups for e in group.entries):
            if _own(entry.note, source) and not _own(entry.note, language):
                diagnostics.warning(names.get(entry.id, Span(Path("document.yaml"))),
                                    f"the note of '{entry.id}' has no '{language.tag}' text: the '{language.tag}' "
                                    f"edition prints the '{source.tag}' one", f"add '{language.tag}: …' under 'note'",
                                    code="translation")


def _own(values: Mapping[str, str], language: Language) -> str | None:
    return values.get(language.tag) or values.get(language.language)


def readable(script: str, language: Language) -> bool:
    """Whether readers of ``language`` read a name in ``script``: their own script (Han in any of
    its forms for Chinese and Japanese), and Latin, which every edition prints."""
    own = language.script
    if script in ("Latn", own) or script in _HAN and own in _HAN:
        return True
    return own == "Kore" and script in ("Hang", "Kore")


def _unreadable(document: Document, diagnostics: Diagnostics, names: Mapping[str, Span]) -> None:
    seen: dict[tuple[str, str], bool] = {}
    for entry in (e for group in document.groups for e in group.entries):
        script = entry.name.language.script
        for language in document.languages:
            key = (script, language.script)
            if key not in seen:
                seen[key] = readable(script, language)
            if seen[key] or entry.romanized or _own(entry.translations, language):
                continue
            diagnostics.warning(names.get(entry.id, Span(Path("document.yaml"))), _message(entry, language),
                                f"add 'translation: {{{language.tag}: …}}' or 'romanized: …' to the entry "
                                f"('typeset translate export … --lang {language.tag}' gathers what is missing)",
                                code="translation")


def _message(entry: Signatory, language: Language) -> str:
    script = script_name(entry.name.language.script)
    return (f"the '{language.tag}' edition prints the name '{entry.name.text}' in {script} "
            "script with neither a translation nor a romanization: its readers may not read it")


def _stale(document: Document, sources: Sources, diagnostics: Diagnostics) -> None:
    """Stale translations, as the state written by 'typeset translate' records them."""
    from typeset.translate.state import STATE_FILE
    from typeset.translate.status import STALE, status

    for tag, report in status(sources).items():
        for segment, state in report.items:
            if state != STALE:
                continue
            diagnostics.warning(segment.target_where or segment.where or Span(sources.folder / STATE_FILE),
                                f"the '{tag}' translation of {segment.label} ('{segment.id}') was made from an "
                                f"earlier '{document.source_language.tag}' text", "update it, or export it with "
                                f"'typeset translate export … --lang {tag}' and import it back",
                                code="translation")


__all__ = ["check_translations", "readable"]
