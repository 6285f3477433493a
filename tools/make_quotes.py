#!/usr/bin/env python3
"""Write typeset/render/quotes.json: the quotation marks of every CLDR locale.

In: the CLDR XML data (``common/main/*.xml`` and ``supplemental/supplementalData.xml``), by
default where Debian's ``unicode-cldr-core`` package puts it. Out: a JSON object from locale id
(``de``, ``de_CH``, ``zh_Hant``) to ``[open, close, inner open, inner close]``, inheritance
resolved (parent locales, then root), listing a locale only where its marks differ from those
of the locale one tag shorter, so that a lookup from the most specific id to the bare language
finds the right ones. Babel does not carry CLDR's ``<delimiters>``, hence this file.

    python tools/make_quotes.py [--cldr /usr/share/unicode/cldr/common]
"""

from __future__ import annotations

import argparse
import json
import xml.etree.ElementTree as ET
from pathlib import Path

FIELDS = ("quotationStart", "quotationEnd", "alternateQuotationStart", "alternateQuotationEnd")
OUT = Path(__file__).resolve().parent.parent / "typeset" / "render" / "quotes.json"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cldr", type=Path, default=Path("/usr/share/unicode/cldr/common"))
    args = parser.parse_args()
    own: dict[str, dict[str, str]] = {}
    for path in sorted((args.cldr / "main").glob("*.xml")):
        delimiters = ET.parse(path).getroot().find("delimiters")
        own[path.stem] = {f: delimiters.findtext(f) for f in FIELDS if delimiters is not None
                          and delimiters.findtext(f)}
    parents = {}
    supplemental = ET.parse(args.cldr / "supplemental" / "supplementalData.xml").getroot()
    for rule in supplemental.iter("parentLocale"):
        parents.update(dict.fromkeys(rule.get("locales", "").split(), rule.get("parent")))

    def parent(locale: str) -> str | None:
        if locale == "root":
            return None
        return parents.get(locale) or (locale.rsplit("_", 1)[0] if "_" in locale else "root")

    def resolved(locale: str) -> tuple[str, ...]:
        chain, current = [], locale
        while current is not None:
            chain.append(own.get(current, {}))
            current = parent(current)
        return tuple(next(d[f] for d in chain if f in d) for f in FIELDS)

    table = {}
    for locale in sorted(own):
        if locale == "root":
            continue
        marks = resolved(locale)
        shorter = locale.rsplit("_", 1)[0] if "_" in locale else "root"
        if marks != resolved(shorter):
            table[locale] = list(marks)
    release = (args.cldr.parent / "common" / "dtd" / "ldml.dtd")
    version = next((line.split('"')[1] for line in release.read_text().splitlines()
                    if "cldrVersion" in line and "#FIXED" in line), "?") if release.exists() else "?"
    payload = {"cldr": version, "root": list(resolved("root")), "locales": table}
    OUT.write_text(json.dumps(payload, ensure_ascii=False, indent=0, sort_keys=True) + "\n", encoding="utf-8")
    print(f"wrote {OUT}: {len(table)} locales (CLDR {version})")


if __name__ == "__main__":
    main()
