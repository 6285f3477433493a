"""The bundled fonts: what ``fonts/manifest.toml`` lists, which to use for a language, and how
to make WeasyPrint see these and no others.

In: the manifest (read through the :class:`~typeset.world.World`). Out: a :class:`FontSet`
with each family's faces, role (``serif`` for body text and names, ``sans`` for headings,
labels and page numbers), scripts and preferred languages; which scripts and which of CLDR's
languages the families serve; the ordered family stack for a role and a language; which family
has a character; ``@font-face`` rules; and a fontconfig
configuration that lists the bundled folder only, so that nothing installed on the machine
can fill in a glyph.
"""

from __future__ import annotations

import hashlib
import io
import itertools
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path

from fontTools.ttLib import TTFont

from typeset.escape import xml_text
from typeset.model.language import Language, LanguageTagError, parse_language
from typeset.world import FONTS_DIR, World

# ISO 15924 codes that stand for several scripts: a family of any of them serves the whole.
_SCRIPT_UNIONS: dict[str, tuple[str, ...]] = {
    "Jpan": ("Jpan", "Hira", "Kana", "Hani"),
    "Kore": ("Kore", "Hang", "Hani"),
    "Hans": ("Hans", "Hani"),
    "Hant": ("Hant", "Hani"),
    "Hrkt": ("Hrkt", "Hira", "Kana"),
}

# A few letters of each script, to tell whether a language's own family (one listed for the
# language, such as Noto Serif CJK JP for ``ja``) also serves a script it does not name.
_SAMPLES: dict[str, str] = {
    "Latn": "AZaz", "Grek": "ΑΩαω", "Cyrl": "АЯая", "Arab": "ابي", "Hebr": "אבש", "Deva": "कखग",
    "Beng": "কখগ", "Taml": "கதம", "Sinh": "කගශ", "Thai": "กขค", "Geor": "აბქ", "Armn": "ԱՀա",
    "Ethi": "ሀለሐ", "Hani": "一人中日", "Hira": "あいう", "Kana": "アイウ", "Hang": "가한글", "Bopo": "ㄅㄆㄇ",
    "Gujr": "કખગ", "Guru": "ਕਖਗ", "Orya": "କଖଗ", "Telu": "కఖగ", "Knda": "ಕಖಗ", "Mlym": "കഖഗ", "Olck": "ᱚᱛᱜ",
    "Tibt": "ཀཁག", "Mymr": "ကခဂ", "Laoo": "ກຂຄ", "Khmr": "កខគ", "Java": "ꦄꦏꦒ", "Thaa": "ހށނ", "Syrc": "ܐܒܓ",
    "Nkoo": "ߊߓߔ", "Adlm": "𞤀𞤁𞤂", "Tfng": "ⴰⴱⴳ", "Cans": "ᐁᐃᐅ", "Cher": "ᎠᎡᎢ",
}


@dataclass(frozen=True, slots=True)
class Face:
    family: str
    path: Path
    weight: int
    style: str
    sha256: str


@dataclass(frozen=True, slots=True)
class Family:
    name: str
    scripts: tuple[str, ...]
    version: str
    licence: str
    faces: tuple[Face, ...]
    role: str = "serif"  # "serif" | "sans"
    languages: tuple[str, ...] = ()  # BCP 47 tags it is preferred for; others get it last
    licence_file: Path | None = None
    source: str = ""
    subset: str = ""  # the repertoire, for a subset font

    @property
    def regular(self) -> Face:
        """The upright normal-weight face (else the first one)."""
        for face in self.faces:
            if face.style == "normal" and face.weight == 400:
                return face
        return self.faces[0]


@dataclass(frozen=True, slots=True)
class FontSet:
    root: Path
    families: tuple[Family, ...]
    world: World | None = field(default=None, compare=False, repr=False)  # what reads the font files

    def __hash__(self) -> int:
        # the set keys the font stacks' caches, looked up for each character a preflight checks:
        # hashing every family and face each time cost more than the lookups (equal sets have the
        # same folder and as many families, so this agrees with the generated __eq__)
        return hash((self.root, len(self.families)))

    def gate(self) -> World:
        """The world the set was loaded with: what reads its files and writes its fontconfig file."""
        if self.world is None:
            raise ValueError("a font set made without a world reads and writes no files")
        return self.world

    def read(self, path: Path) -> bytes:
        """A font file's bytes, read through the set's world."""
        return self.gate().read_bytes(path)

    def family(self, name: str) -> Family:
        for family in self.families:
            if family.name == name:
                return family
        raise KeyError(name)

    def stack(self, role: str, language: Language) -> tuple[str, ...]:
        """The family names to try, in order, for text of ``language`` in ``role``.

        The role's families listed for the language (most specific tag first), then those of
        the language's script, the Latin one, every other unrestricted one (for foreign names)
        and last the ones reserved for other languages; for ``sans``, the serif stack follows.
        """
        return tuple(f.name for f in _stack(self, role, language))

    def scripts(self) -> frozenset[str]:
        """The ISO 15924 scripts the bundled families serve: every script a family names, and
        each code that stands for several (``Jpan``, ``Kore``, ``Hrkt``) whose parts all are."""
        named = {script for family in self.families for script in family.scripts}
        unions = {code for code, parts in _SCRIPT_UNIONS.items() if set(parts) - {code} <= named}
        return frozenset(named | unions)

    def serves(self, language: Language) -> bool:
        """Whether a bundled family serves the language's script (explicit or CLDR's likely one)."""
        return language.script in self.scripts()

    def languages(self) -> tuple[Language, ...]:
        """Every language CLDR has a locale for (``pa``, ``sat-Olck``, ``ff-Adlm``: language and
        script, no region) that typeset knows and whose script the bundled families serve, by tag."""
        return tuple(language for language in _cldr_languages() if self.serves(language))

    def covers(self, family_name: str, char: str) -> bool:
        """Whether the family's regular face maps every code point of ``char``."""
        cmap = _cmap(self, self.family(family_name).regular)
        return all(ord(c) in cmap for c in char)

    def resolve(self, role: str, language: Language, char: str) -> Family | None:
        """The first family of the stack that has ``char``."""
        return next((f for f in _stack(self, role, language) if self.covers(f.name, char)), None)

    def family_for_script(self, role: str, language: Language, script: str) -> Family | None:
        """The first family of the stack that names ``script`` (or one it is part of) or, if it is
        listed for ``language``, has the script's sample letters. For Word's four font slots."""
        wanted = set(_SCRIPT_UNIONS.get(script, (script,)))
        own = {f.name for r in {role, "serif"} for f in _language_matches(self, r, language)}
        for family in _stack(self, role, language):
            if wanted & set(family.scripts):
                return family
            if family.name in own and script in _SAMPLES and self.covers(family.name, _SAMPLES[script]):
                return family
        return None

    def font_face_css(self, families: Iterable[str] | None = None) -> str:
        """``@font-face`` rules, with ``file:`` URLs, for the named families (default: all)."""
        names = None if families is None else set(families)
        rules = []
        for family in self.families:
            if names is not None and family.name not in names:
                continue
            for face in family.faces:
                rules.append(
                    "@font-face { "
                    f"font-family: '{family.name}'; src: url('{face.path.as_uri()}'); "
                    f"font-weight: {face.weight}; font-style: {face.style}; }}"
                )
        return "\n".join(rules)

    def fontconfig_file(self) -> Path:
        """:meth:`fontconfig` written to the world's private folder (once a process; removed at
        exit), for ``FONTCONFIG_FILE``; fontconfig's cache in the world's persistent cache (a
        folder per configuration), else beside the file."""
        return _fontconfig_file(self)

    def fontconfig(self, cache_dir: Path) -> str:
        """A fontconfig configuration that knows the bundled folder and nothing else.

        No system or user font folders and no ``conf.d`` (so no aliases, substitutions or
        synthetic italics): a family the CSS names that is not bundled matches nothing, and a
        glyph the named families lack comes from another bundled family, tried in
        :meth:`stack` order for the text's language (Pango passes the element's ``lang``): for
        the tags the manifest lists, also with script and region combined (``zh-hant-tw``),
        then for any tag of the same primary language, then for all others. Each face gets
        the manifest's weight and style whatever its OS/2 table says (Noto Nastaliq Urdu Bold
        2.000 calls itself weight 400 and would be taken for the regular). The cache goes to
        ``cache_dir``: without one, fontconfig uses the system's, which outlives these rules.
        """
        serif = "serif"
        specific = _specific_tags(self)
        rules = []
        for tag in specific:
            rules.append(_fc_rule([("eq", tag)], self.stack(serif, parse_language(tag))))
        for primary in sorted({t.split("-")[0] for f in self.families for t in f.languages}):
            tests = [("contains", primary)] + [("not_eq", t) for t in specific if t.split("-")[0] == primary]
            rules.append(_fc_rule(tests, self.stack(serif, parse_language(primary))))
        rules.append(_fc_rule([], self.stack(serif, Language("und", "und", "Zyyy"))))
        rules += [_fc_face(face) for family in self.families for face in family.faces]
        return (
            '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">\n'
            "<fontconfig>\n"
            f"  <dir>{xml_text(str(self.root.resolve()))}</dir>\n"
            f"  <cachedir>{xml_text(str(cache_dir))}</cachedir>\n"
            + "".join(rules)
            + "</fontconfig>\n"
        )


@cache
def _fontconfig_file(fonts: FontSet) -> Path:
    world = fonts.gate()
    folder = f"fontconfig-{next(_fontconfig_numbers)}"  # a folder a font set: its file and its cache
    # fontconfig's cache of the fonts' scan (0.1 to 0.2 s a process) goes to the persistent cache,
    # in a folder of this very configuration (its scan rules shape what is cached)
    placeholder = "/typeset-fontconfig-cache"
    text = fonts.fontconfig(Path(placeholder))
    key = world.store.key("fontconfig", hashlib.sha256(text.encode()).hexdigest())
    cache_dir = world.store.folder("fontconfig", key) or world.private_folder() / folder / "cache"
    text = text.replace(f"<cachedir>{placeholder}</cachedir>", f"<cachedir>{xml_text(str(cache_dir))}</cachedir>")
    return world.write_private(f"{folder}/fonts.conf", text.encode("utf-8"))


_fontconfig_numbers = itertools.count()


def _specific_tags(fonts: FontSet) -> list[str]:
    """The listed tags with more than a primary language, and each listed script combined with
    each listed region of the same language (``zh-hant-tw``, ``zh-hans-sg`` …), lower case."""
    listed = {t.lower() for f in fonts.families for t in f.languages}
    tags = {t for t in listed if "-" in t}
    scripts = [t.split("-") for t in tags if len(t.split("-")[1]) == 4]
    regions = [t.split("-") for t in tags if len(t.split("-")[1]) == 2]
    tags |= {f"{lang}-{script}-{region}" for lang, script in scripts for other, region in regions if other == lang}
    return sorted(tags)


_FC_WEIGHTS = {100: "thin", 200: "extralight", 300: "light", 400: "regular", 500: "medium", 600: "demibold",
               700: "bold", 800: "extrabold", 900: "black"}


def _fc_face(face: Face) -> str:
    """A scan rule that gives one file the weight and slant the manifest lists for it."""
    return (
        '  <match target="scan">\n'
        f'    <test name="file"><string>{xml_text(str(face.path.resolve()))}</string></test>\n'
        f'    <edit name="weight" mode="assign"><const>{_FC_WEIGHTS[round(face.weight, -2)]}</const></edit>\n'
        f'    <edit name="slant" mode="assign"><const>{"italic" if face.style == "italic" else "roman"}'
        "</const></edit>\n"
        "  </match>\n"
    )


def _fc_rule(tests: list[tuple[str, str]], families: Iterable[str]) -> str:
    """A fontconfig rule that appends ``families`` (bound strongly, so that their order outranks
    fontconfig's own language scoring) to the pattern when every test on ``lang`` holds."""
    lines = ["  <match target=\"pattern\">"]
    lines += [f'    <test name="lang" compare="{op}"><string>{xml_text(value)}</string></test>' for op, value in tests]
    lines.append('    <edit name="family" mode="append_last" binding="strong">')
    lines += [f"      <string>{xml_text(name)}</string>" for name in families]
    lines += ["    </edit>", "  </match>"]
    return "\n".join(lines) + "\n"


def load_fonts(world: World, root: Path = FONTS_DIR) -> FontSet:
    """The font set the manifest below ``root`` lists; its files are read through ``world``."""
    return replace(_load(root, world.read_bytes(root / "manifest.toml")), world=world)


@cache
def _load(root: Path, manifest: bytes) -> FontSet:
    data = tomllib.loads(manifest.decode("utf-8"))
    families = []
    for family in data.get("family", []):
        faces = tuple(
            Face(family["name"], root / face["file"], int(face["weight"]), face["style"], face["sha256"])
            for face in family.get("face", [])
        )
        licence_file = family.get("licence_file")
        families.append(Family(
            family["name"], tuple(family.get("scripts", ())), family.get("version", ""), family.get("licence", ""),
            faces, family.get("role", "serif"), tuple(family.get("languages", ())),
            root / licence_file if licence_file else None, family.get("source", ""), family.get("subset", ""),
        ))
    names = [family.name for family in families]
    if len(set(names)) < len(names):  # families are found by name: fontconfig, the stacks, FontSet.family
        twice = sorted({name for name in names if names.count(name) > 1})
        raise ValueError(f"{root / 'manifest.toml'} lists the family {', '.join(map(repr, twice))} more than once; "
                         "hint: give each [[family]] its own name, and list all its faces under it")
    return FontSet(root, tuple(families))


@cache
def _cldr_languages() -> tuple[Language, ...]:
    """CLDR's locales without a region, as languages (those whose code CLDR does not name are left out)."""
    from babel import localedata

    found: dict[str, Language] = {}
    for identifier in localedata.locale_identifiers():
        parts = identifier.split("_")
        if len(parts) > 2 or len(parts) == 2 and not (len(parts[1]) == 4 and parts[1].isalpha()):
            continue
        try:
            language = parse_language("-".join(parts))
        except LanguageTagError:
            continue
        found.setdefault(language.tag, language)
    return tuple(found[tag] for tag in sorted(found))


def _cmap(fonts: FontSet, face: Face) -> frozenset[int]:
    """The code points a face maps (only its ``cmap`` table is read); once a process, and kept
    in the world's persistent cache between processes."""
    cmap = _cmaps.get(face.path)
    if cmap is None:
        world = fonts.gate()
        store = world.store
        key = store.key("cmap", 1, face.sha256, world.stamp(face.path))
        cached = store.get("cmap", key)
        cmap = decode_codepoints(cached) if cached is not None else None
        if cmap is None:
            with TTFont(io.BytesIO(fonts.read(face.path)), lazy=True, fontNumber=0) as font:
                cmap = frozenset(font.getBestCmap())
            store.put("cmap", key, encode_codepoints(cmap))
        _cmaps[face.path] = cmap
    return cmap


_cmaps: dict[Path, frozenset[int]] = {}


def encode_codepoints(codepoints: Iterable[int]) -> bytes:
    """Code points as ranges of hexadecimal numbers, ``20-7e,a0``: a CJK font's 40,000 in a few kB."""
    ranges: list[list[int]] = []
    for code in sorted(set(codepoints)):
        if ranges and code == ranges[-1][1] + 1:
            ranges[-1][1] = code
        else:
            ranges.append([code, code])
    return ",".join(f"{a:x}" if a == b else f"{a:x}-{b:x}" for a, b in ranges).encode("ascii")


def decode_codepoints(data: bytes) -> frozenset[int] | None:
    """What :func:`encode_codepoints` wrote; ``None`` for anything else."""
    found: set[int] = set()
    try:
        for item in data.decode("ascii").split(",") if data else ():
            first, _, last = item.partition("-")
            low, high = int(first, 16), int(last or first, 16)
            if not 0 <= low <= high <= 0x10FFFF:
                return None
            found.update(range(low, high + 1))
    except ValueError:
        return None
    return frozenset(found)


def _tag_candidates(language: Language) -> list[str]:
    """The tags a family may list for ``language``, most specific first: ``zh-Hant-TW``,
    ``zh-Hant``, ``zh-TW``, ``zh``. Only a script written in the tag counts (the likely
    script of ``zh-TW`` is Hans, but the tag means Traditional Chinese)."""
    parts = language.tag.split("-")
    explicit = next((p for p in parts[1:] if len(p) == 4 and p.isalpha()), None)
    candidates = [language.tag]
    if explicit:
        candidates.append(f"{language.language}-{explicit}")
    if language.region:
        candidates.append(f"{language.language}-{language.region}")
    candidates.append(language.language)
    return [c.lower() for c in dict.fromkeys(candidates)]


@cache
def _language_matches(fonts: FontSet, role: str, language: Language) -> tuple[Family, ...]:
    """The role's families listed for this language — unless the language is written in a script
    they do not serve (Chinese in pinyin, ``zh-Latn``, is set like any Latin text)."""
    own = [f for f in fonts.families if f.role == role]
    scripts = set(_SCRIPT_UNIONS.get(language.script, (language.script,)))
    usual = language.script == parse_language(language.language).script  # not ur-Latn, say
    found: list[Family] = []
    for candidate in _tag_candidates(language):
        found += [f for f in own if candidate in (t.lower() for t in f.languages) and f not in found
                  and (scripts & set(f.scripts) or not f.scripts and usual)]
    return tuple(found)


@cache
def _stack(fonts: FontSet, role: str, language: Language) -> tuple[Family, ...]:
    own = [f for f in fonts.families if f.role == role]
    order: list[Family] = list(_language_matches(fonts, role, language))
    taken = {f.name for f in order}  # a family's name is its identity in a set

    def add(families: Iterable[Family]) -> None:
        for family in families:
            if family.name not in taken:
                taken.add(family.name)
                order.append(family)

    for script in _SCRIPT_UNIONS.get(language.script, (language.script,)):
        add(f for f in own if script in f.scripts)
    add(f for f in own if "Latn" in f.scripts)
    add(f for f in own if not f.languages)
    add(own)
    if role != "serif":
        add(_stack(fonts, "serif", language))
    return tuple(order)
