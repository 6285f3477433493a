"""Inputs for the import tests that are made, not stored: Word files with real Word numbering.

``resolution_docx`` writes, with python-docx, a resolution as a secretariat's Word file holds it:
a title paragraph in the Title style, a heading, body paragraphs (one with a Persian phrase
tagged ``w:lang w:bidi="fa-IR"``), a bulleted list (List Bullet), slogans, and three signatory
groups under Heading 1 paragraphs whose entries are numbered by Word — ``w:numPr`` pointing into
numbering.xml, no digit typed — with the abbreviation in a bold run and each foreign name tagged
with its ``w:lang``: the first group counts 1–4, the second continues (5, 6) in the same list,
the third restarts at 1 through a second ``w:num`` with a ``w:startOverride``; a fourth group has
no numbers.
"""

from __future__ import annotations

from pathlib import Path

from docx import Document
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

TITLE = "ICOR resolution, 31 March 2017"
BODY = [
    "On 18 March 2017, 13 workers of the Japanese-Indian corporation Maruti-Suzuki in India were sentenced "
    "to life imprisonment on trumped-up charges of murder.",
    "The ICOR supports the call of Indian trade unionists for a national day of strike on 4 April.",
]
PERSIAN = "زنده باد همبستگی"
BULLETS = ["The Russian state uses police against the miners of Gukovo.",
           "With the takeover of Opel by PSA ten thousands of jobs are endangered."]
SLOGANS = ["Workers of all countries, unite!", "Strengthen the ICOR!"]
# (abbreviation, name, its w:lang, translation, country as written)
FIRST = [
    ("ORC", "Organisation Révolutionnaire du Congo", "fr-FR", "Revolutionary Organization of Congo",
     "Democratic Republic of the Congo"),
    ("MLPD", "Marxistisch-Leninistische Partei Deutschlands", "de-DE", "Marxist-Leninist Party of Germany", "Germany"),
    ("БКП", "Българска Комунистическа Партия", "bg-BG", "Bulgarian Communist Party", "Bulgaria"),
    ("CPB", "Communist Party of Bangladesh", None, None, None),
]
LATER = [
    ("RM", "Rode Morgen", "nl-NL", "Red Dawn", "Netherlands"),
    ("PPP", "Partido Proletario del Perú", "es-PE", "Proletarian Party of Peru", "Peru"),
]
REGIONAL = [
    ("KOL", "Kommunistische Organisation Luxemburg", "de-LU", "Communist Organization of Luxembourg", "Luxembourg"),
    ("APTUF", "All Pakistan Trade Union Federation", None, None, "Pakistan"),
]
ADDITIONAL = [("Trotz alledem!", "de-DE", "Germany")]


def _lang(run, tag: str, attribute: str = "w:val") -> None:  # type: ignore[no-untyped-def]
    rpr = run._r.get_or_add_rPr()
    lang = OxmlElement("w:lang")
    lang.set(qn(attribute), tag)
    rpr.append(lang)


def _restarting_num(document, numbered_style: str) -> str:  # type: ignore[no-untyped-def]
    """A second w:num on the style's abstract numbering that starts again at 1; its numId."""
    numbering = document.part.numbering_part.element
    style_num = document.styles[numbered_style].element.pPr.find(qn("w:numPr")).find(qn("w:numId")).get(qn("w:val"))
    abstract = next(n for n in numbering.findall(qn("w:num")) if n.get(qn("w:numId")) == style_num) \
        .find(qn("w:abstractNumId")).get(qn("w:val"))
    new_id = str(max(int(n.get(qn("w:numId"))) for n in numbering.findall(qn("w:num"))) + 1)
    num = OxmlElement("w:num")
    num.set(qn("w:numId"), new_id)
    abstract_ref = OxmlElement("w:abstractNumId")
    abstract_ref.set(qn("w:val"), abstract)
    num.append(abstract_ref)
    override = OxmlElement("w:lvlOverride")
    override.set(qn("w:ilvl"), "0")
    start = OxmlElement("w:startOverride")
    start.set(qn("w:val"), "1")
    override.append(start)
    num.append(override)
    numbering.append(num)
    return new_id


def _entry(document, entry, style: str | None, num_id: str | None = None) -> None:  # type: ignore[no-untyped-def]
    abbreviation, name, tag, translation, country = entry
    paragraph = document.add_paragraph(style=style)
    if num_id is not None:
        ppr = paragraph._p.get_or_add_pPr()
        numpr = OxmlElement("w:numPr")
        ilvl = OxmlElement("w:ilvl")
        ilvl.set(qn("w:val"), "0")
        nid = OxmlElement("w:numId")
        nid.set(qn("w:val"), num_id)
        numpr.append(ilvl)
        numpr.append(nid)
        ppr.append(numpr)
    paragraph.add_run(abbreviation).bold = True
    paragraph.add_run(" ")
    run = paragraph.add_run(name)
    if tag:
        _lang(run, tag)
    tail = (f" ({translation})" if translation else "") + (f", {country}" if country else "")
    if tail:
        paragraph.add_run(tail)


def resolution_docx(path: Path) -> Path:
    document = Document()
    document.add_paragraph(TITLE, style="Title")
    document.add_paragraph(BODY[0])
    paragraph = document.add_paragraph(BODY[1] + " Their slogan: ")
    _lang(paragraph.add_run(PERSIAN), "fa-IR", "w:bidi")
    paragraph.add_run(".")
    for text in BULLETS:
        document.add_paragraph(text, style="List Bullet")
    for text in SLOGANS:
        document.add_paragraph(text)
    document.add_heading("Signatories", level=1)
    for entry in FIRST:
        _entry(document, entry, "List Number")
    document.add_heading("Signed after the release date", level=1)
    for entry in LATER:
        _entry(document, entry, "List Number")
    document.add_heading("Regional signatories", level=1)
    restart = _restarting_num(document, "List Number")
    for entry in REGIONAL:
        _entry(document, entry, "List Number", restart)
    document.add_heading("Additional signatories", level=1)
    for name, tag, country in ADDITIONAL:
        paragraph = document.add_paragraph()
        _lang(paragraph.add_run(name), tag)
        paragraph.add_run(f", {country}")
    document.save(path)
    return path
