"""XLIFF 1.2 (what CAT tools read best) and XLIFF 2.0: segments out, translations back in.

In: the :class:`~typeset.translate.segments.Segment`\\ s for one target language; or the bytes of
an XLIFF file. Out: the file's bytes; or a :class:`~typeset.translate.units.TranslationFile`.

One ``<file>`` per document (``original`` is the document's id), one ``<trans-unit>`` (2.0:
``<unit>``) per segment with the segment's id as ``id`` and ``resname``, grouped as the
document is (front matter, text, metadata, each signatory group). Inline markup is never text a
translator could break: in XLIFF 1.2, emphasis, strong emphasis, links and spans are paired
``<g>`` codes (``ctype`` ``italic``, ``bold``, ``link``, ``x-span``), a line break an ``<x
ctype="lb"/>``, inline code a ``<ph>``; in 2.0 ``<pc>`` and ``<ph>`` with their data in
``<originalData>``; the text of a span in a third language (neither the source's nor the target's:
it stays as it is) is protected inside its code, ``<mrk mtype="protected">`` (2.0: ``<mrk
translate="no">``). A link's address and a span's language travel as ``ts:`` attributes of the
source's codes; an import takes each code of a translation from the source code of the same id
in the same file, so a code a translator edited means what it meant.

A segment with a translation has a ``<target>`` (state ``translated``; ``needs-review-translation``
— 2.0: ``initial`` — when it is stale); a missing one has none; a piece kept in its own language
is ``translate="no"`` with its text as target. The digest of each source text is recorded
(``extradata`` in 1.2, ``ts:digest`` in 2.0) so that an import knows what a translation was made
from.

Reading is by lxml with no DTD, no entities and no network; ``<bx/>``/``<ex/>``,
``<bpt>``/``<ept>`` (which some tools write for ``<g>``) and ``<mrk>`` are understood too.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from lxml import etree

from typeset import __version__
from typeset.diagnostics import Diagnostics, Span
from typeset.model.document import Inline
from typeset.source.structure import base_language
from typeset.translate.inline import (
    BOLD,
    BREAK,
    CODE,
    ITALIC,
    LINK,
    SPAN,
    Close,
    Code,
    Codes,
    Open,
    Point,
    tokens,
)
from typeset.translate.segments import BODY, Segment
from typeset.translate.units import NAMESPACE, NOT_CONFIRMED, TranslationFile, Unit

XLIFF12 = "urn:oasis:names:tc:xliff:document:1.2"
XLIFF20 = "urn:oasis:names:tc:xliff:document:2.0"
_XML = "http://www.w3.org/XML/1998/namespace"
_TS = f"{{{NAMESPACE}}}"
_CTYPE = {ITALIC: "italic", BOLD: "bold", LINK: "link", SPAN: "x-span", BREAK: "lb", CODE: "x-code"}
_KIND = {v: k for k, v in _CTYPE.items()}
_SUBTYPE = {ITALIC: ("fmt", "xlf:i"), BOLD: ("fmt", "xlf:b"), LINK: ("link", None), SPAN: ("other", "ts:span"),
            BREAK: ("fmt", "xlf:lb"), CODE: ("other", "ts:code")}


def _sections(found: Sequence[Segment]) -> list[tuple[str, str, list[Segment]]]:
    """Segments grouped as the document is: (id, name, segments)."""
    groups: dict[str, tuple[str, list[Segment]]] = {}
    for segment in found:
        if segment.address[0] == "front":
            key, name = "front-matter", "front matter"
        elif segment.address[0] == "body":
            key, name = "text", "text"
        elif segment.id.startswith("group.") or segment.id.startswith("entry."):
            key, name = "signatories", "signatories"
        else:
            key, name = "metadata", "document"
        groups.setdefault(key, (name, []))[1].append(segment)
    return [(key, name, items) for key, (name, items) in groups.items()]


def write_xliff(found: Sequence[Segment], document: str, source: str, target: str, stale: set[str],
                version: str = "1.2") -> bytes:
    """The segments as an XLIFF file (``version`` "1.2" or "2.0")."""
    protected = _third_language(source, target)
    if version == "2.0":
        return _write_20(found, document, source, target, stale, protected)
    root = etree.Element(f"{{{XLIFF12}}}xliff", nsmap={None: XLIFF12, "ts": NAMESPACE}, version="1.2")
    file = etree.SubElement(root, f"{{{XLIFF12}}}file", original=document, datatype="plaintext")
    file.set("source-language", source)
    file.set("target-language", target)
    header = etree.SubElement(file, f"{{{XLIFF12}}}header")
    tool = etree.SubElement(header, f"{{{XLIFF12}}}tool")
    tool.set("tool-id", "typeset")
    tool.set("tool-name", "typeset")
    tool.set("tool-version", __version__)
    body = etree.SubElement(file, f"{{{XLIFF12}}}body")
    for key, name, items in _sections(found):
        group = etree.SubElement(body, f"{{{XLIFF12}}}group", id=key, resname=name)
        for segment in items:
            unit = etree.SubElement(group, f"{{{XLIFF12}}}trans-unit", id=segment.id, resname=segment.id,
                                    extradata=segment.digest)
            unit.set(f"{{{_XML}}}space", "preserve")
            if segment.keep and segment.target is None:
                unit.set("translate", "no")
            source_codes = _codes(segment.source, segment)
            _fill_12(etree.SubElement(unit, f"{{{XLIFF12}}}source"), source_codes, protected, with_data=True)
            target_nodes = segment.target if segment.target is not None else (segment.source if segment.keep else None)
            if target_nodes is not None:
                element = etree.SubElement(unit, f"{{{XLIFF12}}}target")
                element.set("state", "needs-review-translation" if segment.id in stale
                            else ("final" if segment.keep and segment.target is None else "translated"))
                _fill_12(element, _codes(target_nodes, segment), protected, with_data=False)
            note = etree.SubElement(unit, f"{{{XLIFF12}}}note", {"from": "typeset"})
            note.text = segment.context + (" (required)" if segment.required else "")
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _codes(nodes: Sequence[Inline], segment: Segment) -> Codes:
    if segment.markup == BODY or segment.markup == "front":
        return tokens(nodes)
    return Codes(["".join(getattr(n, "text", "") for n in nodes)], {})


def _third_language(source: str, target: str) -> Callable[[Code], bool]:
    """Whether a code is a span in a third language — neither the source's nor the target's —
    whose text stays as it is in every translation (docs/translation.md): it is written inside a
    protected marker (1.2: ``<mrk mtype="protected">``, 2.0: ``<mrk translate="no">``), which CAT
    tools lock. An import reads a marker's text as any other."""
    own = {base_language(source), base_language(target)}
    return lambda code: code.kind == SPAN and bool(code.lang) and base_language(code.lang or "") not in own


def _fill_12(element: etree._Element, codes: Codes, protected: Callable[[Code], bool], *, with_data: bool) -> None:
    """Text and ``<g>``/``<x>``/``<ph>`` codes into ``element`` (a link's address and a span's
    language as attributes of the source's codes; the text of a span in a third language
    protected)."""
    stack = [element]
    last: etree._Element | None = None  # the element whose tail the next text extends

    def add_text(text: str) -> None:
        parent = stack[-1]
        if last is None or last.getparent() is not parent:
            parent.text = (parent.text or "") + text
        else:
            last.tail = (last.tail or "") + text

    for token in codes.tokens:
        if isinstance(token, str):
            add_text(token)
            continue
        code = token.code
        if isinstance(token, Open):
            child = etree.SubElement(stack[-1], f"{{{XLIFF12}}}g", id=str(code.id), ctype=_CTYPE[code.kind])
            if with_data:
                _data_attributes(child, code)
            if protected(code):
                child = etree.SubElement(child, f"{{{XLIFF12}}}mrk", mtype="protected")
            stack.append(child)
            last = None
        elif isinstance(token, Close):
            last = stack.pop()
            if protected(code):
                last = last.getparent()
        elif code.kind == CODE:
            last = etree.SubElement(stack[-1], f"{{{XLIFF12}}}ph", id=str(code.id), ctype=_CTYPE[CODE])
            last.text = code.text
        else:
            last = etree.SubElement(stack[-1], f"{{{XLIFF12}}}x", id=str(code.id), ctype=_CTYPE[code.kind])


def _data_attributes(element: etree._Element, code: Code) -> None:
    for key in ("href", "title", "lang", "dir"):
        value = getattr(code, key)
        if value:
            element.set(f"{_TS}{key}", value)


# -- XLIFF 2.0 ------------------------------------------------------------------------------


def _write_20(found: Sequence[Segment], document: str, source: str, target: str, stale: set[str],
              protected: Callable[[Code], bool]) -> bytes:
    root = etree.Element(f"{{{XLIFF20}}}xliff", nsmap={None: XLIFF20, "ts": NAMESPACE}, version="2.0",
                         srcLang=source, trgLang=target)
    file = etree.SubElement(root, f"{{{XLIFF20}}}file", id="f1", original=document)
    for key, name, items in _sections(found):
        group = etree.SubElement(file, f"{{{XLIFF20}}}group", id=key, name=name)
        for segment in items:
            unit = etree.SubElement(group, f"{{{XLIFF20}}}unit", id=segment.id, name=segment.id)
            unit.set(f"{_TS}digest", segment.digest)
            if segment.keep and segment.target is None:
                unit.set("translate", "no")
            notes = etree.SubElement(unit, f"{{{XLIFF20}}}notes")
            etree.SubElement(notes, f"{{{XLIFF20}}}note").text = segment.context
            source_codes = _codes(segment.source, segment)
            data = [c for c in source_codes.codes.values() if c.kind in (LINK, SPAN, CODE)]
            if data:
                original = etree.SubElement(unit, f"{{{XLIFF20}}}originalData")
                for code in data:
                    etree.SubElement(original, f"{{{XLIFF20}}}data", id=f"d{code.id}").text = _data_text(code)
            target_nodes = segment.target if segment.target is not None else (segment.source if segment.keep else None)
            seg = etree.SubElement(unit, f"{{{XLIFF20}}}segment")
            if target_nodes is not None:
                seg.set("state", "initial" if segment.id in stale
                        else ("final" if segment.target is None else "translated"))
            _fill_20(etree.SubElement(seg, f"{{{XLIFF20}}}source"), source_codes, protected)
            if target_nodes is not None:
                _fill_20(etree.SubElement(seg, f"{{{XLIFF20}}}target"), _codes(target_nodes, segment), protected)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _data_text(code: Code) -> str:
    if code.kind == LINK:
        return code.href + (f' "{code.title}"' if code.title else "") if code.href else ""
    if code.kind == SPAN:
        return " ".join(filter(None, (f"lang={code.lang}" if code.lang else None,
                                      f"dir={code.dir}" if code.dir else None)))
    return code.text or ""


def _fill_20(element: etree._Element, codes: Codes, protected: Callable[[Code], bool]) -> None:
    stack = [element]
    last: etree._Element | None = None

    for token in codes.tokens:
        if isinstance(token, str):
            parent = stack[-1]
            if last is None or last.getparent() is not parent:
                parent.text = (parent.text or "") + token
            else:
                last.tail = (last.tail or "") + token
            continue
        code = token.code
        kind, subtype = _SUBTYPE[code.kind]
        if isinstance(token, Open):
            child = etree.SubElement(stack[-1], f"{{{XLIFF20}}}pc", id=str(code.id), type=kind)
            if subtype:
                child.set("subType", subtype)
            if code.kind in (LINK, SPAN):
                child.set("dataRefStart", f"d{code.id}")
            if protected(code):
                child = etree.SubElement(child, f"{{{XLIFF20}}}mrk", id=f"m{code.id}", translate="no")
            stack.append(child)
            last = None
        elif isinstance(token, Close):
            last = stack.pop()
            if protected(code):
                last = last.getparent()
        else:
            last = etree.SubElement(stack[-1], f"{{{XLIFF20}}}ph", id=str(code.id), type=kind)
            if subtype:
                last.set("subType", subtype)
            if code.kind == CODE:
                last.set("dataRef", f"d{code.id}")


# -- reading --------------------------------------------------------------------------------


def is_xliff(data: bytes) -> bool:
    head = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n")
    return head.startswith(b"<") and b"xliff" in head


def _parser() -> etree.XMLParser:
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False,
                           huge_tree=False, remove_comments=True, remove_pis=True)


def read_xliff(data: bytes, path: Path, diagnostics: Diagnostics) -> TranslationFile | None:
    """The units of an XLIFF 1.2 or 2.0 file; problems are reported at their line."""
    if b"<!DOCTYPE" in data[:4096] or b"<!ENTITY" in data:
        diagnostics.error(Span(path), "the XLIFF file declares a document type or entities",
                          "XLIFF needs none; save it again from the translation tool", code="translate")
        return None
    try:
        root = etree.fromstring(data, _parser())
    except etree.XMLSyntaxError as error:
        line, col = error.position if error.position else (1, 1)
        diagnostics.error(Span(path, line or 1, (col or 0) + 1), f"not well-formed XML: {error.msg}",
                          "the translation tool must save valid XLIFF; an '&' must be written '&amp;'",
                          code="translate")
        return None
    namespace = etree.QName(root).namespace
    if etree.QName(root).localname != "xliff" or namespace not in (XLIFF12, XLIFF20):
        diagnostics.error(Span(path, root.sourceline or 1, 1), "not an XLIFF 1.2 or 2.0 file",
                          "export one with 'typeset translate export SOURCE --lang LANG'", code="translate")
        return None
    if namespace == XLIFF20:
        return _read_20(root, path, diagnostics)
    files = root.findall(f"{{{XLIFF12}}}file")
    if len(files) != 1:
        diagnostics.error(Span(path, root.sourceline or 1, 1), f"the XLIFF file holds {len(files)} <file> elements",
                          "typeset writes one per document; import each document's file", code="translate")
        return None
    file = files[0]
    out = TranslationFile(path, "xliff", file.get("original"), file.get("source-language"),
                          file.get("target-language"))
    for unit in file.iter(f"{{{XLIFF12}}}trans-unit"):
        where = Span(path, unit.sourceline or 1, 1)
        unit_id = unit.get("id") or ""
        source = unit.find(f"{{{XLIFF12}}}source")
        target = unit.find(f"{{{XLIFF12}}}target")
        reader = _Inline(path, diagnostics, unit_id, XLIFF12)
        source_codes = reader.read(source) if source is not None else Codes()
        target_codes = reader.read(target) if target is not None else None
        if target_codes is not None and not _has_text(target_codes):
            target_codes = None
        review = target is not None and target.get("state") in ("needs-review-translation", "needs-translation", "new")
        out.units.append(Unit(unit_id, source_codes, target_codes,
                              Span(path, target.sourceline or where.line, 1) if target is not None else where,
                              NOT_CONFIRMED if review else (unit.get("extradata") or None)))
    return out


def _read_20(root: etree._Element, path: Path, diagnostics: Diagnostics) -> TranslationFile | None:
    files = root.findall(f"{{{XLIFF20}}}file")
    if len(files) != 1:
        diagnostics.error(Span(path, root.sourceline or 1, 1), f"the XLIFF file holds {len(files)} <file> elements",
                          "typeset writes one per document; import each document's file", code="translate")
        return None
    file = files[0]
    out = TranslationFile(path, "xliff2", file.get("original"), root.get("srcLang"), root.get("trgLang"))
    for unit in file.iter(f"{{{XLIFF20}}}unit"):
        unit_id = unit.get("id") or ""
        data = {d.get("id"): d.text or "" for d in unit.iter(f"{{{XLIFF20}}}data")}
        reader = _Inline(path, diagnostics, unit_id, XLIFF20, data)
        source = Codes()
        target = Codes()
        target_line = None
        review = False
        for segment in [*unit.findall(f"{{{XLIFF20}}}segment"), *unit.findall(f"{{{XLIFF20}}}ignorable")]:
            s = segment.find(f"{{{XLIFF20}}}source")
            t = segment.find(f"{{{XLIFF20}}}target")
            _extend(source, reader.read(s) if s is not None else Codes())
            if t is not None:
                review = review or segment.get("state") == "initial"
                target_line = target_line or t.sourceline
                _extend(target, reader.read(t))
        translated = target if target_line is not None and _has_text(target) else None
        out.units.append(Unit(unit_id, source, translated, Span(path, target_line or unit.sourceline or 1, 1),
                              NOT_CONFIRMED if review else (unit.get(f"{_TS}digest") or None)))
    return out


def _extend(codes: Codes, more: Codes) -> None:
    for token in more.tokens:
        if isinstance(token, str) and codes.tokens and isinstance(codes.tokens[-1], str):
            codes.tokens[-1] += token
        else:
            codes.tokens.append(token)
    codes.codes.update(more.codes)


def _has_text(codes: Codes) -> bool:
    return any(not isinstance(t, str) or t.strip() for t in codes.tokens)


class _Inline:
    """Text and inline codes of one ``<source>`` or ``<target>``."""

    def __init__(self, path: Path, diagnostics: Diagnostics, unit: str, namespace: str,
                 data: dict[str | None, str] | None = None) -> None:
        self.path, self.diagnostics, self.unit, self.ns, self.data = path, diagnostics, unit, namespace, data or {}
        self.codes: Codes = Codes()

    def read(self, element: etree._Element) -> Codes:
        self.codes = Codes()
        self._walk(element)
        return self.codes

    def _text(self, text: str | None) -> None:
        if not text:
            return
        tokens_ = self.codes.tokens
        if tokens_ and isinstance(tokens_[-1], str):
            tokens_[-1] += text
        else:
            tokens_.append(text)

    def _walk(self, element: etree._Element) -> None:
        self._text(element.text)
        for child in element:
            if not isinstance(child.tag, str):
                self._text(child.tail)
                continue
            self._child(child)
            self._text(child.tail)

    def _error(self, element: etree._Element, message: str) -> None:
        self.diagnostics.error(Span(self.path, element.sourceline or 1, 1), f"segment '{self.unit}': {message}",
                               "keep the inline codes as the translation tool shows them; export again if "
                               "they were lost", code="translate")

    def _code(self, element: etree._Element, attribute: str = "id") -> Code | None:
        raw = element.get(attribute) or element.get("id") or ""
        if not raw.isdigit():
            self._error(element, f"<{etree.QName(element).localname}> with the id '{raw}', not a number typeset wrote")
            return None
        number = int(raw)
        if self.ns == XLIFF12:
            kind = _KIND.get(element.get("ctype") or "", "")
            code = Code(number, kind, href=element.get(f"{_TS}href"), title=element.get(f"{_TS}title"),
                        lang=element.get(f"{_TS}lang"), dir=element.get(f"{_TS}dir"),
                        text=element.text if kind == CODE else None)
        else:
            kind = next((k for k, (t, s) in _SUBTYPE.items()
                         if (t, s) == (element.get("type"), element.get("subType"))), "")
            reference = element.get("dataRefStart") or element.get("dataRef")
            code = _from_data(Code(number, kind), self.data.get(reference))
        self.codes.codes.setdefault(number, code)
        return code

    def _child(self, child: etree._Element) -> None:
        name = etree.QName(child).localname
        if name in ("g", "pc"):
            code = self._code(child)
            if code is None:
                return
            self.codes.tokens.append(Open(code))
            self._walk(child)
            self.codes.tokens.append(Close(code))
        elif name in ("x", "ph"):
            code = self._code(child)
            if code is not None:
                self.codes.tokens.append(Point(code))
        elif name in ("bx", "bpt", "sc"):
            code = self._code(child, "rid" if name == "bx" else "id")
            if code is not None:
                self.codes.tokens.append(Open(code))
        elif name in ("ex", "ept", "ec"):
            code = self._code(child, "rid" if name == "ex" else ("startRef" if name == "ec" else "id"))
            if code is not None:
                self.codes.tokens.append(Close(code))
        elif name in ("mrk", "sm", "em", "it", "sub"):
            if name == "mrk":
                self._walk(child)
        else:
            self._error(child, f"unknown element <{name}> in the text")


def _from_data(code: Code, data: str | None) -> Code:
    if data is None:
        return code
    if code.kind == LINK:
        href, _, title = data.partition(" ")
        return Code(code.id, code.kind, href=href or None, title=title.strip('"') or None)
    if code.kind == SPAN:
        attributes = dict(part.split("=", 1) for part in data.split() if "=" in part)
        return Code(code.id, code.kind, lang=attributes.get("lang"), dir=attributes.get("dir"))
    if code.kind == CODE:
        return Code(code.id, code.kind, text=data)
    return code


__all__ = ["is_xliff", "read_xliff", "write_xliff"]
