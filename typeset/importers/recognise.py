"""From paragraphs to a draft document: the rules every reader shares.

In: the :class:`~typeset.importers.paragraphs.Para` list of a plain text, Markdown or Word
file, the document's language if the user named it, the signatory words of the bundled layouts
and the date to fall back on. Out: a :class:`~typeset.importers.draft.Draft` and a warning at
the input position of every guess that was not sure.

The steps, in order:

1. **Language** — the one given, else Lingua's reading of the longest paragraphs.
2. **Title line** — the first paragraph (or the one styled as a title): the title, the date in
   it read in the document's language ("ICOR resolution, 31 March 2017"), the organisation (the
   acronym in the title). A date may also stand on a line of its own, after a place.
3. **Signatories** — from the first heading after which the text is only a list: a heading has a
   signatory word (any language of the bundled layouts: "Signatories", "Unterzeichner",
   "Подписавшие" …) or ends with a colon, or has a heading style; what follows it up to the next
   heading are entries (:mod:`typeset.importers.entries`). The numbers the input gives decide
   whether a group continues the numbering of the one before, restarts, or has none.
4. **Slogans** — the short exclamations that end the body.
5. **Body** — paragraphs, headings, bulleted and numbered lists.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from babel import localedata

from typeset.diagnostics import Diagnostics, Span
from typeset.importers.countries import find_country, fold
from typeset.importers.dates import find_date
from typeset.importers.draft import Block, Draft, Group, Inlines
from typeset.importers.entries import EntryReader, clean
from typeset.importers.identify import LATIN_CORE, Guess, Identifier, main_script, script_languages
from typeset.importers.paragraphs import Para, Run
from typeset.importers.text import LIST_MARK
from typeset.model.scripts import script_runs

_BULLET = re.compile(r"^\s*[•\-*–—‣◦▪●·]\s+")
_NUMBERED = re.compile(r"^\s*\(?(\d{1,4})[.)]\s+")
_SENTENCE_END = re.compile(r"[.!?…。！？](?:[\"'”’»)\]]*)\s+(?=\S)")
_EXCLAMATION = re.compile(r"[!！¡](?:[\"'”’»)\]]*)$")


@dataclass(frozen=True, slots=True)
class Settings:
    """What the recogniser needs from outside the text."""

    language: str | None  # the document's language if the user named it
    signatory_words: tuple[str, ...]  # stems, folded
    today: dt.date
    document_id: str
    unnamed_heading: str = "Signatories"  # for a list without a heading, in the document's language


def document_language(paras: Sequence[Para], known: Iterable[str] = ()) -> Guess:
    """The language most of the text is written in, read from the paragraphs that are not list items
    (signatories' names are in every language), among ``known`` (the languages the layouts have words
    for) and :data:`~typeset.importers.identify.LATIN_CORE` — a short text read among every language
    of its script is too often taken for Latin or Esperanto."""
    prose = [p for p in paras if p.list is None and not LIST_MARK.match(p.text) and "\t" not in p.text.strip()]
    sample: list[str] = []
    size = 0
    for text in sorted((p.text for p in prose or paras), key=len, reverse=True):
        sample.append(text)
        size += len(text)
        if size > 3000:
            break
    text = "\n".join(sample)
    script = main_script(text) or "Latn"
    identifier = Identifier("en")
    wanted = {tag.split("-")[0] for tag in known} | set(LATIN_CORE)
    among = [code for code in script_languages(script) if code in wanted and localedata.exists(code)]
    ranked = identifier.rank(text, script=script, among=among)
    if not ranked:
        return identifier.guess(text)
    code, value = ranked[0]
    return Guess(code, value, script)


class Recogniser:
    def __init__(self, paras: Sequence[Para], settings: Settings, language: str, diagnostics: Diagnostics) -> None:
        self.paras = [p for p in paras if p.text.strip()]
        self.settings = settings
        self.language = language
        self.diagnostics = diagnostics
        self.identifier = Identifier(language)
        self.entries = EntryReader(language, self.identifier, diagnostics)

    def warn(self, span: Span, message: str, hint: str) -> None:
        self.diagnostics.warning(span, message, hint, code="import")

    def run(self) -> Draft:
        paras = self.paras
        title, organisation, date, place, first = self.title(paras)
        start = self.signatories_start(paras, first)
        body = paras[first:start]
        body, slogans = self.slogans(body)
        if date is None:
            date = self.find_any_date(paras) or self.settings.today
        return Draft(id=self.settings.document_id, language=self.language, title=title, organisation=organisation,
                     date=date, place=place, body=self.blocks(body), slogans=[self.inlines(p) for p in slogans],
                     groups=self.groups(paras[start:]))

    # -- the title line ------------------------------------------------------------------------

    def title(self, paras: list[Para]) -> tuple[str, str, dt.date | None, str | None, int]:
        head = paras[0]
        text = clean(head.text)
        date = place = None
        found = find_date(text, self.language)
        first = 1
        if found is not None:
            before, after = text[:found.start].strip(" ,–—-|"), text[found.end:].strip(" ,–—-|")
            title = before or after
            date = found.date
        elif len(text) <= 150 and not _SENTENCE_END.search(text) or head.heading is not None:
            title = text.rstrip(".")
        else:
            title = self.settings.document_id.replace("-", " ").capitalize()
            first = 0
            self.warn(head.span, "no title line found: the first paragraph is text",
                      f"the title is '{title}'; change it in the language file's front matter")
        # A line of its own with a place and a date: "Berlin, 31 March 2017".
        if date is None and len(paras) > first:
            line = clean(paras[first].text)
            found = find_date(line, self.language)
            if found is not None and len(line) <= 80:
                place = line[:found.start].strip(" ,–—-") or None
                date = found.date
                first += 1
        organisation = _acronym(title)
        if organisation is None:
            organisation = title
            self.warn(head.span, f"no organisation found in the title: '{title}' used",
                      "set 'organisation' in document.yaml")
        return title, organisation, date, place, first

    def find_any_date(self, paras: list[Para]) -> dt.date | None:
        for para in paras:
            found = find_date(para.text, self.language)
            if found is not None:
                self.warn(para.span_at(found.start), f"the document's date taken from here: {found.date.isoformat()}",
                          "set 'date' in document.yaml if it is another")
                return found.date
        self.warn(self.paras[0].span, f"no date found: today's date ({self.settings.today.isoformat()}) used",
                  "set 'date' in document.yaml (YYYY-MM-DD)")
        return None

    # -- where the signatories begin --------------------------------------------------------------

    def has_signatory_word(self, text: str) -> bool:
        words = re.findall(r"\w+", fold(text))
        return any(word.startswith(stem) for word in words[:4] for stem in self.settings.signatory_words)

    def is_heading(self, para: Para) -> bool:
        text = para.text.strip()
        if para.list is not None or LIST_MARK.match(para.text) or len(text) > 160:
            return False
        if para.heading is not None and para.heading > 0:
            return True
        return text.endswith((":", "：")) or (self.has_signatory_word(text) and len(text) <= 100
                                               and not text.endswith("."))

    def entry_like(self, para: Para, *, strict: bool = False) -> bool:
        """Whether a paragraph reads like a signatory; ``strict``: by its number, cells or country."""
        text = clean(para.text)
        if len(text) > 300 or len(_SENTENCE_END.findall(text)) > 1:
            return False
        if para.list == "number" or _NUMBERED.match(para.text) or "\t" in para.text.strip():
            return True
        for separator in (", ", " – ", " — ", " - "):
            if separator in text and find_country(text.rsplit(separator, 1)[1], self.language):
                return True
        return not strict and len(text) <= 120 and not text.endswith(".")

    def signatories_start(self, paras: list[Para], first: int) -> int:
        """Where the signatories begin: the first heading after which the text is only a list —
        preferably one with a signatory word, else one ending in a colon with numbered or
        country-bearing entries under it (not "We demand:" before a list of demands)."""
        headings = [self.is_heading(p) for p in paras]
        # One pass from the end: whether everything after i is list-like, and how many strong entries.
        listlike = [False] * len(paras)
        strong = [0] * (len(paras) + 1)
        ok = True
        for i in range(len(paras) - 1, -1, -1):
            listlike[i] = ok
            ok = ok and (headings[i] or self.entry_like(paras[i]))
            strong[i] = strong[i + 1] + (not headings[i] and self.entry_like(paras[i], strict=True))
        candidates = [i for i in range(first, len(paras) - 1) if headings[i] and listlike[i]]
        for index in candidates:
            if self.has_signatory_word(paras[index].text):
                return index
        for index in candidates:
            para = paras[index]
            if (para.text.strip().endswith((":", "：")) or (para.heading or 0) > 0) and strong[index + 1] >= 2:
                return index
        # No heading: a trailing run of numbered entries is the list.
        index = len(paras)
        while index > first and (paras[index - 1].list == "number" or _NUMBERED.match(paras[index - 1].text)) \
                and self.entry_like(paras[index - 1]):
            index -= 1
        if len(paras) - index >= 3:
            self.warn(paras[index].span, "a list without a heading taken as the signatories",
                      "add the heading in document.yaml under 'heading'")
            return index
        return len(paras)

    # -- slogans and body --------------------------------------------------------------------------

    def slogans(self, body: list[Para]) -> tuple[list[Para], list[Para]]:
        end = len(body)
        while end > 0 and _is_slogan(body[end - 1]):
            end -= 1
        if end == 0:  # a text of exclamations only is a text
            return body, []
        return body[:end], body[end:]

    def inlines(self, para: Para, strip: re.Pattern[str] | None = None) -> Inlines:
        runs = list(para.runs)
        if strip is not None and runs:
            match = strip.match(para.text)
            cut = match.end() if match else 0
            trimmed: list[Run] = []
            for run in runs:
                if cut >= len(run.text):
                    cut -= len(run.text)
                    continue
                trimmed.append(replace(run, text=run.text[cut:]))
                cut = 0
            runs = trimmed
        return self.foreign(_tidy(runs))

    def foreign(self, runs: Inlines) -> Inlines:
        """Runs with the pieces in another script than the document's tagged with their language."""
        out: list[Run] = []
        for run in runs:
            if run.lang is not None:
                out.append(run)
                continue
            for text, script in script_runs(run.text, default=self.entries.script):
                lang = None
                if script != self.entries.script and main_script(text) is not None:
                    lang = self.identifier.guess(text).tag
                if out and out[-1] == replace(run, text=out[-1].text, lang=lang):
                    out[-1] = replace(out[-1], text=out[-1].text + text)
                else:
                    out.append(replace(run, text=text, lang=lang))
        return tuple(out)

    def blocks(self, paras: list[Para]) -> list[Block]:
        blocks: list[Block] = []
        for para in paras:
            if para.heading is not None and para.heading > 0 and len(para.text) <= 200:
                blocks.append(Block("heading", (self.inlines(para),), level=min(para.heading + 1, 6)))
                continue
            bullet = para.list == "bullet" or (para.list is None and _BULLET.match(para.text))
            typed = _NUMBERED.match(para.text) if para.list is None else None
            # A typed number starts a list at 1 or carries one on; "1917. That year …" is a paragraph.
            numbered = para.list == "number" or typed is not None and (
                int(typed[1]) == 1 or (blocks and blocks[-1].kind == "numbers"
                                       and blocks[-1].start + len(blocks[-1].items) == int(typed[1])))
            if bullet:
                item = self.inlines(para, None if para.list else _BULLET)
                if blocks and blocks[-1].kind == "bullets":
                    blocks[-1] = Block("bullets", (*blocks[-1].items, item))
                else:
                    blocks.append(Block("bullets", (item,)))
            elif numbered:
                number = para.number if para.list == "number" else int(_NUMBERED.match(para.text)[1])  # type: ignore[index]  # numbered: it matched
                item = self.inlines(para, None if para.list else _NUMBERED)
                if blocks and blocks[-1].kind == "numbers":
                    blocks[-1] = Block("numbers", (*blocks[-1].items, item), start=blocks[-1].start)
                else:
                    blocks.append(Block("numbers", (item,), start=number or 1))
            else:
                blocks.append(Block("paragraph", (self.inlines(para),)))
        return blocks

    # -- signatory groups ------------------------------------------------------------------------

    def groups(self, paras: list[Para]) -> list[Group]:
        groups: list[Group] = []
        for para in paras:
            if self.is_heading(para) and not (groups and para.list is None and self._entry_not_heading(para)):
                heading = clean(para.text).rstrip(":：").strip()
                groups.append(Group(id=_unique(_slug(heading), {g.id for g in groups}), heading=heading,
                                    span=para.span))
                continue
            if not groups:
                groups.append(Group(id="signatories", heading=self.settings.unnamed_heading, span=para.span))
            groups[-1].entries.append(self.entries.read(para))
        for group in groups:
            if not group.entries:
                self.warn(group.span, f"the heading '{group.heading}' has no entries under it: left out",
                          "add its signatories in document.yaml if it should be printed")
        groups = [g for g in groups if g.entries]
        self.number(groups)
        return groups

    def _entry_not_heading(self, para: Para) -> bool:
        """A line under a heading without a colon or a style that reads like an entry."""
        text = para.text.strip()
        return not text.endswith((":", "：")) and (para.heading is None or para.heading <= 0) and \
            not (self.has_signatory_word(text) and len(text) <= 100)

    def number(self, groups: list[Group]) -> None:
        """Decide each group's numbering from the numbers the input gives."""
        last: int | None = None  # the last number of the numbered run so far
        for group in groups:
            numbers = [e.number for e in group.entries]
            given = [n for n in numbers if n is not None]
            if not given:
                group.numbering = "none"
                continue
            if len(given) < len(numbers):
                missing = next(e for e in group.entries if e.number is None)
                self.warn(missing.span, f"some entries under '{group.heading}' have numbers and this one has none",
                          "typeset numbers every entry of a numbered group; it will get one")
            first = given[0]
            if last is not None and first == last + 1:
                group.numbering = "continue"
            else:
                group.numbering = "restart"
                group.start = first if first != 1 else None
            expected = first
            for entry in group.entries:
                if entry.number is not None and entry.number != expected:
                    self.warn(entry.span, f"numbered {entry.number} where {expected} was expected",
                              f"typeset numbers the list itself: this entry will print as {expected}")
                expected += 1
            last = expected - 1


# -- helpers ---------------------------------------------------------------------------------------


def _acronym(title: str) -> str | None:
    words: list[str] = re.findall(r"\w+", title)
    for word in words:
        letters = [c for c in word if c.isalpha()]
        if len(letters) >= 2 and all(c.isupper() for c in letters):
            return word
    return None


def _is_slogan(para: Para) -> bool:
    text = clean(para.text)
    return (para.list is None and not LIST_MARK.match(para.text) and bool(_EXCLAMATION.search(text))
            and len(text.split()) <= 20 and not _SENTENCE_END.search(text[:-1]))


def _tidy(runs: Iterable[Run]) -> Inlines:
    """Runs with white space as printed: no-break spaces beside spaces folded, the ends trimmed."""
    tidy: list[Run] = []
    for run in runs:
        text = re.sub(r"[ \u00a0\t]{2,}", " ", run.text)
        if text:
            if tidy and tidy[-1] == replace(run, text=tidy[-1].text):
                tidy[-1] = replace(run, text=tidy[-1].text + text)
            else:
                tidy.append(replace(run, text=text))
    if tidy:
        tidy[0] = replace(tidy[0], text=tidy[0].text.lstrip(" \u00a0\t"))
        tidy[-1] = replace(tidy[-1], text=tidy[-1].text.rstrip(" \u00a0\t"))
    return tuple(run for run in tidy if run.text)


def _slug(text: str) -> str:
    text = re.sub(r"\(.*?\)", "", text)
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    words = re.findall(r"[a-z0-9]+", ascii_text.lower())
    return "-".join(words[:2]) or "signatories"


def _unique(slug: str, taken: set[str]) -> str:
    candidate, n = slug, 2
    while candidate in taken:
        candidate, n = f"{slug}-{n}", n + 1
    return candidate
