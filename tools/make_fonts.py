"""Build ``fonts/`` from Debian's Noto packages: the bundled faces, their licences, the manifest.

In: the Debian packages (``.deb`` files, read as they are: nothing is installed) and Unicode's
Unihan data. Out, in ``fonts/`` (or ``--out``): one folder per family with its faces and an
``OFL.txt`` headed by the copyright of the font's ``name`` table, and ``manifest.toml`` with
versions, sources, repertoires and SHA-256 checksums. Same inputs, same bytes: ``--check``
builds into a temporary folder and compares it with ``fonts/`` file by file.

* Static faces (Noto Serif, Noto Sans, Naskh, Nastaliq, the Noto Serif and Noto Sans script
  families) are copied byte for byte from ``fonts-noto-core``; Noto Sans Syriac's heavy face
  (Black: the package has no Bold) from ``fonts-noto-extra``.
* Noto Serif CJK is split out of the ``.ttc`` collections of ``fonts-noto-cjk`` into one
  OpenType font per region (SC, TC, JP, KR; the internal names stay "Noto Serif CJK SC" …)
  and subset to the repertoires of :data:`REPERTOIRES`, with every OpenType feature except
  ``locl`` and ``aalt`` (see :func:`subset_options`) and without hinting.

Run (``dpkg-deb`` is not needed; the tool reads the ``ar``/``tar`` archives itself)::

    apt-get download fonts-noto-core fonts-noto-extra fonts-noto-cjk   # or any mirror's .deb files
    apt-get install unicode-data                         # Unihan, for the kTGH list (SC)
    python tools/make_fonts.py fonts-noto-core_*.deb fonts-noto-extra_*.deb fonts-noto-cjk_*.deb \\
        [--unihan /usr/share/unicode] [--out fonts] [--check]

To widen a CJK subset, add code points to its entry in :data:`REPERTOIRES` and run again;
to add a family, add a :class:`Spec` to :data:`FAMILIES` (see ``fonts/README.md``).
"""

from __future__ import annotations

import argparse
import bz2
import hashlib
import io
import json
import re
import sys
import tarfile
import tempfile
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTCollection, TTFont

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "fonts"
UNIHAN = Path("/usr/share/unicode")

# -- what is bundled --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Spec:
    """One family: where its faces come from and what the manifest says about it."""

    name: str
    folder: str
    role: str  # "serif" | "sans"
    scripts: tuple[str, ...]
    languages: tuple[str, ...]
    package: str
    upstream: str
    faces: tuple[tuple[str, int, str], ...]  # (source file name, weight, style)
    cjk: str | None = None  # region key of REPERTOIRES: the faces are cut out of .ttc files
    out_names: tuple[str, ...] = field(default=())  # file names in fonts/ (default: the source's)
    face_packages: tuple[tuple[str, str], ...] = ()  # (source file, package) for faces not in ``package``


def _plain(name: str, folder: str, stem: str, scripts: tuple[str, ...], upstream: str,
           languages: tuple[str, ...] = (), role: str = "serif", italic: bool = False,
           bold: tuple[str, int, str] | None = ("Bold", 700, "fonts-noto-core")) -> Spec:
    """A family of static faces: regular, italic if asked, and ``bold`` as (style name, weight,
    package) — a heavier face where the family has no Bold (Noto Sans Syriac's Black), or none."""
    faces = [(f"{stem}-Regular.ttf", 400, "normal")]
    if italic:
        faces.append((f"{stem}-Italic.ttf", 400, "italic"))
    packages = {}
    if bold is not None:
        style_name, weight, package = bold
        faces.append((f"{stem}-{style_name}.ttf", weight, "normal"))
        if package != "fonts-noto-core":
            packages[f"{stem}-{style_name}.ttf"] = package
    if italic:
        faces.append((f"{stem}-BoldItalic.ttf", 700, "italic"))
    return Spec(name, folder, role, scripts, languages, "fonts-noto-core", upstream, tuple(faces),
                face_packages=tuple(sorted(packages.items())))


def _cjk(region: str, scripts: tuple[str, ...], languages: tuple[str, ...], bold: bool) -> Spec:
    name = f"Noto Serif CJK {region.upper()}"
    weights = [("Regular", 400)] + ([("Bold", 700)] if bold else [])
    faces = tuple((f"NotoSerifCJK-{w}.ttc", n, "normal") for w, n in weights)
    outs = tuple(f"NotoSerifCJK{region}-{w}.otf" for w, _ in weights)
    return Spec(name, f"noto-serif-cjk-{region}", "serif", scripts, languages, "fonts-noto-cjk",
                "https://github.com/notofonts/noto-cjk", faces, cjk=region, out_names=outs)


NOTO = "https://github.com/notofonts/"
FAMILIES: tuple[Spec, ...] = (
    _plain("Noto Serif", "noto-serif", "NotoSerif", ("Latn", "Grek", "Cyrl"), NOTO + "latin-greek-cyrillic",
           italic=True),
    _plain("Noto Naskh Arabic", "noto-naskh-arabic", "NotoNaskhArabic", ("Arab",), NOTO + "arabic"),
    _plain("Noto Nastaliq Urdu", "noto-nastaliq-urdu", "NotoNastaliqUrdu", (), NOTO + "nastaliq", languages=("ur",)),
    _plain("Noto Serif Hebrew", "noto-serif-hebrew", "NotoSerifHebrew", ("Hebr",), NOTO + "hebrew"),
    _plain("Noto Serif Devanagari", "noto-serif-devanagari", "NotoSerifDevanagari", ("Deva",), NOTO + "devanagari"),
    _plain("Noto Serif Bengali", "noto-serif-bengali", "NotoSerifBengali", ("Beng",), NOTO + "bengali"),
    _plain("Noto Serif Tamil", "noto-serif-tamil", "NotoSerifTamil", ("Taml",), NOTO + "tamil"),
    _plain("Noto Serif Sinhala", "noto-serif-sinhala", "NotoSerifSinhala", ("Sinh",), NOTO + "sinhala"),
    _plain("Noto Serif Thai", "noto-serif-thai", "NotoSerifThai", ("Thai",), NOTO + "thai"),
    _plain("Noto Serif Georgian", "noto-serif-georgian", "NotoSerifGeorgian", ("Geor",), NOTO + "georgian"),
    _plain("Noto Serif Armenian", "noto-serif-armenian", "NotoSerifArmenian", ("Armn",), NOTO + "armenian"),
    _plain("Noto Serif Ethiopic", "noto-serif-ethiopic", "NotoSerifEthiopic", ("Ethi",), NOTO + "ethiopic"),
    # Added for the scripts of India, South-East Asia, the Himalaya, the Maldives, West Africa and
    # North America that CLDR has locales for. The Serif design where Noto has one (the body is
    # set in serif), else the Sans design in the serif role; regular and bold, or the nearest
    # heavier face the packages have. Noto Sans Myanmar UI and the other "UI" faces are left out:
    # their line height is cut down for user interfaces and clips stacked marks.
    _plain("Noto Serif Gujarati", "noto-serif-gujarati", "NotoSerifGujarati", ("Gujr",), NOTO + "gujarati"),
    _plain("Noto Serif Gurmukhi", "noto-serif-gurmukhi", "NotoSerifGurmukhi", ("Guru",), NOTO + "gurmukhi"),
    _plain("Noto Sans Oriya", "noto-sans-oriya", "NotoSansOriya", ("Orya",), NOTO + "oriya"),
    _plain("Noto Serif Telugu", "noto-serif-telugu", "NotoSerifTelugu", ("Telu",), NOTO + "telugu"),
    _plain("Noto Serif Kannada", "noto-serif-kannada", "NotoSerifKannada", ("Knda",), NOTO + "kannada"),
    _plain("Noto Serif Malayalam", "noto-serif-malayalam", "NotoSerifMalayalam", ("Mlym",), NOTO + "malayalam"),
    _plain("Noto Sans Ol Chiki", "noto-sans-ol-chiki", "NotoSansOlChiki", ("Olck",), NOTO + "ol-chiki"),
    _plain("Noto Serif Tibetan", "noto-serif-tibetan", "NotoSerifTibetan", ("Tibt",), NOTO + "tibetan"),
    _plain("Noto Serif Myanmar", "noto-serif-myanmar", "NotoSerifMyanmar", ("Mymr",), NOTO + "myanmar"),
    _plain("Noto Serif Lao", "noto-serif-lao", "NotoSerifLao", ("Laoo",), NOTO + "lao"),
    _plain("Noto Serif Khmer", "noto-serif-khmer", "NotoSerifKhmer", ("Khmr",), NOTO + "khmer"),
    _plain("Noto Sans Javanese", "noto-sans-javanese", "NotoSansJavanese", ("Java",), NOTO + "javanese"),
    _plain("Noto Sans Thaana", "noto-sans-thaana", "NotoSansThaana", ("Thaa",), NOTO + "thaana"),
    _plain("Noto Sans Syriac", "noto-sans-syriac", "NotoSansSyriac", ("Syrc",), NOTO + "syriac",
           bold=("Black", 900, "fonts-noto-extra")),
    _plain("Noto Sans NKo", "noto-sans-nko", "NotoSansNKo", ("Nkoo",), NOTO + "nko", bold=None),
    _plain("Noto Sans Adlam", "noto-sans-adlam", "NotoSansAdlam", ("Adlm",), NOTO + "adlam"),
    _plain("Noto Sans Tifinagh", "noto-sans-tifinagh", "NotoSansTifinagh", ("Tfng",), NOTO + "tifinagh", bold=None),
    _plain("Noto Sans Canadian Aboriginal", "noto-sans-canadian-aboriginal", "NotoSansCanadianAboriginal",
           ("Cans",), NOTO + "canadian-aboriginal"),
    _plain("Noto Sans Cherokee", "noto-sans-cherokee", "NotoSansCherokee", ("Cher",), NOTO + "cherokee"),
    _cjk("sc", ("Hani", "Hans", "Bopo"), ("zh", "zh-Hans", "zh-CN", "zh-SG"), bold=True),
    _cjk("tc", ("Hant",), ("zh-Hant", "zh-TW", "zh-HK", "zh-MO"), bold=True),
    _cjk("jp", ("Hira", "Kana"), ("ja",), bold=True),
    _cjk("kr", ("Hang",), ("ko",), bold=True),
    _plain("Noto Sans", "noto-sans", "NotoSans", ("Latn", "Grek", "Cyrl"), NOTO + "latin-greek-cyrillic",
           role="sans", italic=True),
)

# -- the CJK repertoires ----------------------------------------------------------------------------


def _range(first: int, last: int) -> set[int]:
    return set(range(first, last + 1))


def double_byte(codec: str, lead: Iterable[int] = range(0xA1, 0xFF), trail: Iterable[int] = range(0xA1, 0xFF),
                prefix: bytes = b"") -> set[int]:
    """Every character a double-byte codec decodes from ``prefix + lead + trail``."""
    out: set[int] = set()
    trail = list(trail)
    for a in lead:
        for b in trail:
            try:
                text = (prefix + bytes((a, b))).decode(codec)
            except UnicodeDecodeError:
                continue
            if len(text) == 1:
                out.add(ord(text))
    return out


def unihan_field(unihan: Path, name: str) -> set[int]:
    """The code points that have a Unihan field (``kTGH``, ``kJinmeiyoKanji`` …)."""
    return {int(cp.split("+")[1], 16) for cp, key, _ in _unihan(unihan) if key == name}


def _unihan(unihan: Path) -> Iterable[tuple[str, str, str]]:
    texts: list[str] = []
    if unihan.is_file() and unihan.suffix == ".zip":
        with zipfile.ZipFile(unihan) as archive:
            texts = [archive.read(n).decode("utf-8") for n in archive.namelist() if n.endswith(".txt")]
    else:
        for path in sorted(unihan.glob("Unihan_*.txt*")):
            data = path.read_bytes()
            texts.append((bz2.decompress(data) if path.suffix == ".bz2" else data).decode("utf-8"))
        if not texts and (unihan / "Unihan.zip").is_file():
            yield from _unihan(unihan / "Unihan.zip")
            return
    if not texts:
        raise SystemExit(f"no Unihan data in {unihan} (apt-get install unicode-data, or pass --unihan)")
    for text in texts:
        for line in text.splitlines():
            if line.startswith("U+"):
                cp, key, value = line.split("\t", 2)
                yield cp, key, value


# Shared by the four regions: ASCII, Latin-1, general punctuation, CJK symbols and punctuation,
# kana, fullwidth and halfwidth forms. Only what the source font maps is kept.
COMMON = (_range(0x20, 0x7E) | _range(0xA0, 0xFF) | _range(0x2000, 0x206F) | _range(0x3000, 0x303F)
          | _range(0x3040, 0x30FF) | _range(0x31F0, 0x31FF) | _range(0xFF00, 0xFFEF))
BOPOMOFO = _range(0x3100, 0x312F) | _range(0x31A0, 0x31BF)
HANGUL = (_range(0xAC00, 0xD7A3) | _range(0x1100, 0x11FF) | _range(0x3130, 0x318F) | _range(0xA960, 0xA97F)
          | _range(0xD7B0, 0xD7FF))


# EUC-JIS-2004 puts JIS X 0213 plane 2 behind 0x8F, on these rows only; Python's codec decodes
# JIS X 0212 on the others, which would add 3,058 rarely used kanji (about 1 MB a face).
JIS_X_0213_PLANE_2 = [0xA0 + row for row in (1, 3, 4, 5, 8, 12, 13, 14, 15, *range(78, 95))]


@dataclass(frozen=True)
class Part:
    label: str
    chars: Callable[[Path], set[int]]


REPERTOIRES: dict[str, tuple[Part, ...]] = {
    "sc": (
        Part("GB 2312", lambda u: double_byte("gb2312")),
        Part("Table of General Standard Chinese Characters (通用规范汉字表, Unihan kTGH)",
             lambda u: unihan_field(u, "kTGH")),
        Part("bopomofo", lambda u: BOPOMOFO),
    ),
    "tc": (
        Part("Big5", lambda u: double_byte("big5", range(0xA1, 0xFA), [*range(0x40, 0x7F), *range(0xA1, 0xFF)])),
        Part("bopomofo", lambda u: BOPOMOFO),
    ),
    "jp": (
        Part("JIS X 0208", lambda u: double_byte("euc_jp")),
        Part("JIS X 0213", lambda u: double_byte("euc_jis_2004") | double_byte("euc_jis_2004", JIS_X_0213_PLANE_2,
                                                                                prefix=b"\x8f")),
    ),
    "kr": (
        Part("KS X 1001", lambda u: double_byte("euc_kr")),
        Part("all Hangul syllables and jamo", lambda u: HANGUL),
    ),
}
COMMON_LABEL = "ASCII, Latin-1, punctuation, CJK symbols, kana, full- and halfwidth forms"


def repertoire(region: str, unihan: Path) -> tuple[set[int], list[str]]:
    chars = set(COMMON)
    labels = []
    for part in REPERTOIRES[region]:
        chars |= part.chars(unihan)
        labels.append(part.label)
    return chars, [*labels, COMMON_LABEL]


DROPPED_FEATURES = ("locl", "aalt")
REPACKER = "fontTools.ttLib.tables.otBase:USE_HARFBUZZ_REPACKER"


def subset_options(font: TTFont) -> subset.Options:
    """Every GSUB/GPOS feature but ``locl`` (the other regions' glyph forms: each region has
    its own font here, and keeping them doubles the size) and ``aalt`` (a list of alternates for
    glyph pickers); all names; a visible .notdef; no hinting."""
    features = set()
    for tag in ("GSUB", "GPOS"):
        if tag in font:
            features |= {r.FeatureTag for r in font[tag].table.FeatureList.FeatureRecord}
    options = subset.Options()
    options.layout_features = sorted(features - set(DROPPED_FEATURES))
    options.layout_scripts = ["*"]
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.name_legacy = True
    options.notdef_glyph = True
    options.notdef_outline = True
    options.hinting = False
    options.glyph_names = False
    options.recalc_timestamp = False
    return options


# -- reading the packages ---------------------------------------------------------------------------


@dataclass
class Package:
    name: str
    version: str
    files: dict[str, bytes]  # by base name


def read_deb(path: Path, wanted: set[str]) -> Package:
    """The control fields and the ``wanted`` files (by base name) of a .deb, without dpkg."""
    data = path.read_bytes()
    if data[:8] != b"!<arch>\n":
        raise SystemExit(f"{path}: not a Debian package")
    members: dict[str, bytes] = {}
    pos = 8
    while pos + 60 <= len(data):
        header = data[pos:pos + 60]
        name = header[:16].decode().strip().rstrip("/")
        size = int(header[48:58])
        members[name] = data[pos + 60:pos + 60 + size]
        pos += 60 + size + (size & 1)
    control_name = next(n for n in members if n.startswith("control.tar"))
    data_name = next(n for n in members if n.startswith("data.tar"))
    with tarfile.open(fileobj=io.BytesIO(members[control_name]), mode="r:*") as tar:
        control = next(tar.extractfile(m) for m in tar if m.name.lstrip("./") == "control").read().decode()  # type: ignore[union-attr]
    fields = dict(re.findall(r"^(Package|Version): (.+)$", control, re.MULTILINE))
    files: dict[str, bytes] = {}
    with tarfile.open(fileobj=io.BytesIO(members[data_name]), mode="r:*") as tar:
        for member in tar:
            base = member.name.rsplit("/", 1)[-1]
            if member.isfile() and base in wanted and base not in files:
                files[base] = tar.extractfile(member).read()  # type: ignore[union-attr]
    return Package(fields["Package"], fields["Version"], files)


# -- writing ----------------------------------------------------------------------------------------


def cut_cjk(collection: bytes, family: str, chars: set[int]) -> tuple[bytes, int]:
    """The face named ``family`` out of a .ttc, subset to ``chars``; and how many it maps."""
    ttc = TTCollection(io.BytesIO(collection))
    font = next(f for f in ttc.fonts if f["name"].getDebugName(1) == family)
    # fontTools packs GSUB and GPOS with HarfBuzz's repacker when uharfbuzz is installed (typeset
    # depends on it), and the bytes then depend on its version: always use fontTools' own packer.
    font.cfg[REPACKER] = False
    mapped = chars & set(font.getBestCmap())
    subsetter = subset.Subsetter(subset_options(font))
    subsetter.populate(unicodes=sorted(mapped))
    subsetter.subset(font)
    font.recalcTimestamp = False
    out = io.BytesIO()
    font.save(out, reorderTables=True)
    return identity_cids(out.getvalue()), len(mapped)


def identity_cids(data: bytes) -> bytes:
    """The font with glyph ``n`` renamed to CID ``n``: the subsetter keeps each glyph's CID from
    the collection (``三`` is glyph 1288 but CID 2401), while WeasyPrint writes glyph ids as CIDs
    and a PDF reader maps a CID through the CFF charset, as the PDF standard says; Poppler
    happens to draw the right glyph anyway, other readers would not. Only ``CFF `` changes;
    every other table is copied as it is (they count in glyph ids)."""
    font = TTFont(io.BytesIO(data), recalcBBoxes=False, recalcTimestamp=False)
    top = font["CFF "].cff.topDictIndex[0]
    if hasattr(top, "ROS"):
        old = list(top.charset)
        new = [".notdef"] + [f"cid{gid:05d}" for gid in range(1, len(old))]
        strings = top.CharStrings
        strings.charStrings = {n: strings.charStrings[o] for o, n in zip(old, new, strict=True)}
        top.charset = new
        font.setGlyphOrder(new)
    out = io.BytesIO()
    font.save(out, reorderTables=True)
    return out.getvalue()


def version_of(font: bytes) -> str:
    ttf = TTFont(io.BytesIO(font), lazy=True, fontNumber=0)
    found = re.search(r"\d+\.\d+", ttf["name"].getDebugName(5) or "")
    return found.group(0) if found else f"{ttf['head'].fontRevision:.3f}"


def copyright_of(font: bytes) -> str:
    return TTFont(io.BytesIO(font), lazy=True, fontNumber=0)["name"].getDebugName(0) or ""


# The noto-cjk repository's LICENSE, which the name table does not repeat.
CJK_UPSTREAM_COPYRIGHT = "Copyright 2014-2021 Adobe (http://www.adobe.com/), with Reserved Font Name 'Source'."


def licence_text(copyrights: list[str], ofl_body: str, cjk: bool) -> str:
    lines = list(dict.fromkeys(copyrights))
    if cjk:
        lines.append(CJK_UPSTREAM_COPYRIGHT)
    return "\n".join(lines) + "\n\n" + ofl_body


def ofl_body(out: Path) -> str:
    """The OFL 1.1 text, from the first paragraph on (the copyright lines above it differ)."""
    for candidate in (out / "noto-serif" / "OFL.txt", ROOT / "fonts" / "noto-serif" / "OFL.txt"):
        if candidate.is_file():
            text = candidate.read_text(encoding="utf-8")
            start = text.index("This Font Software is licensed under the SIL Open Font License")
            return text[start:]
    raise SystemExit("no OFL text found (fonts/noto-serif/OFL.txt)")


def toml_string(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)


def toml_list(values: Iterable[str]) -> str:
    return "[" + ", ".join(toml_string(v) for v in values) + "]"


def source_line(package: Package, others: list[str], upstream: str) -> str:
    return f"Debian package {package.name} {package.version}{''.join(', ' + o for o in others)} (upstream {upstream})"


HEADER = """\
# The fonts typeset renders with: the only ones it uses, whatever the machine has installed.
# Generated by tools/make_fonts.py from Debian's packages; do not edit by hand, run it again.
# Every file is listed with its checksum; `pytest tests/test_fonts.py` verifies them.
# role: "serif" (body text and names) or "sans" (headings, labels, page numbers).
# scripts: the ISO 15924 scripts a family serves by default; languages: the BCP 47 tags it is
# preferred for (a family with languages is used for other text only as a last resort).
# Licences: each family folder holds its OFL.txt, headed by the font's copyright.
"""


def build(debs: list[Path], unihan: Path, out: Path) -> list[tuple[str, int]]:
    wanted = {src for spec in FAMILIES for src, _, _ in spec.faces}
    body = ofl_body(out)
    packages: dict[str, Package] = {}
    for deb in debs:
        package = read_deb(deb, wanted)
        packages[package.name] = package
    blocks = [HEADER]
    sizes = []
    for spec in FAMILIES:
        package = packages.get(spec.package)
        if package is None:
            raise SystemExit(f"{spec.name} needs the package {spec.package}; pass its .deb")
        folder = out / spec.folder
        folder.mkdir(parents=True, exist_ok=True)
        faces, copyrights, subset_line = [], [], None
        version = ""
        others = []  # "the Black face from fonts-noto-extra 20201225-1"
        for index, (source, weight, style) in enumerate(spec.faces):
            origin = package
            other = dict(spec.face_packages).get(source)
            if other is not None:
                origin = packages.get(other)  # type: ignore[assignment]
                if origin is None:
                    raise SystemExit(f"{spec.name} needs the package {other} for {source}; pass its .deb")
                style_name = source.rsplit("-", 1)[1].split(".")[0]
                others.append(f"the {style_name} face from {origin.name} {origin.version}")
            data = origin.files.get(source)
            if data is None:
                raise SystemExit(f"{source} is not in {origin.name}")
            if spec.cjk:
                chars, labels = repertoire(spec.cjk, unihan)
                font, count = cut_cjk(data, spec.name, chars)
                subset_line = (f"{' + '.join(labels)}: {count:,} characters, all those of these sets "
                               f"that the font has; OpenType features except {', '.join(DROPPED_FEATURES)}; "
                               "no hinting")
                target = spec.out_names[index]
            else:
                font, target = data, source
            version = version or version_of(font)
            copyrights.append(copyright_of(font))
            (folder / target).write_bytes(font)
            faces.append((f"{spec.folder}/{target}", weight, style, hashlib.sha256(font).hexdigest()))
            sizes.append((f"{spec.folder}/{target}", len(font)))
        (folder / "OFL.txt").write_text(licence_text(copyrights, body, bool(spec.cjk)), encoding="utf-8")
        lines = [
            "[[family]]",
            f"name = {toml_string(spec.name)}",
            f"role = {toml_string(spec.role)}",
            f"scripts = {toml_list(spec.scripts)}",
            f"languages = {toml_list(spec.languages)}",
            f"version = {toml_string(version)}",
            f"source = {toml_string(source_line(package, others, spec.upstream))}",
            'licence = "OFL-1.1"',
            f"licence_file = {toml_string(spec.folder + '/OFL.txt')}",
        ]
        if subset_line:
            lines.append(f"subset = {toml_string(subset_line)}")
        for file, weight, style, digest in faces:
            lines += ["", "[[family.face]]", f"file = {toml_string(file)}", f"weight = {weight}",
                      f"style = {toml_string(style)}", f"sha256 = {toml_string(digest)}"]
        blocks.append("\n".join(lines) + "\n")
    (out / "manifest.toml").write_text("\n".join(blocks), encoding="utf-8")
    return sizes


def compare(built: Path, folder: Path) -> list[str]:
    """Every file that is not the same in both folders (``README.md`` is written by hand)."""
    def files(root: Path) -> dict[str, bytes]:
        return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*"))
                if p.is_file() and p.name != "README.md"}

    made, kept = files(built), files(folder)
    out = [f"only built: {name}" for name in made if name not in kept]
    out += [f"only in {folder}: {name}" for name in kept if name not in made]
    out += [f"differs: {name}" for name in made if name in kept and made[name] != kept[name]]
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("debs", nargs="+", type=Path,
                        help="the .deb files of fonts-noto-core, fonts-noto-extra and fonts-noto-cjk")
    parser.add_argument("--unihan", type=Path, default=UNIHAN, help="Unihan data: folder or Unihan.zip")
    parser.add_argument("--out", type=Path, default=OUT, help="the fonts folder to write (default: fonts/)")
    parser.add_argument("--check", action="store_true",
                        help="build into a temporary folder and report every file that differs from --out")
    args = parser.parse_args(argv)
    if args.check:
        with tempfile.TemporaryDirectory(prefix="make-fonts-") as folder:
            build(args.debs, args.unihan, Path(folder))
            differences = compare(Path(folder), args.out)
        for line in differences:
            print(line)
        print(f"{args.out}: {'differs' if differences else 'the same bytes'}")
        return 1 if differences else 0
    sizes = build(args.debs, args.unihan, args.out)
    for file, size in sizes:
        print(f"{size / 1e6:8.2f} MB  {file}")
    print(f"{sum(s for _, s in sizes) / 1e6:8.2f} MB  in all")
    return 0


if __name__ == "__main__":
    sys.exit(main())
