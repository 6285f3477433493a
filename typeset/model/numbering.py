"""Signatory numbering, computed once so that every format shows the same numbers.

In: groups in source order, each with a mode — ``continue`` (carry on from the previous
numbered group), ``restart`` (begin again at ``start``) or ``none``. Out: the same groups
with a number on every entry of a numbered group and a ``sequence`` shared by the groups
that continue one another.
"""

from __future__ import annotations

from dataclasses import replace

from typeset.model.document import Group

#: The largest number a numbered list may start at: Word and LibreOffice keep a list's start in
#: 16 bits (LibreOffice opens a DOCX list that starts at 40000 as 1, and one at 70000 as 4464).
#: Counting on past it is fine in every format.
MAX_START = 32767


def number_groups(groups: tuple[Group, ...]) -> tuple[Group, ...]:
    numbered: list[Group] = []
    sequence = 0
    next_number: int | None = None
    for group in groups:
        if group.numbering == "none":
            numbered.append(replace(group, sequence=None,
                                    entries=tuple(replace(e, number=None) for e in group.entries)))
            continue
        if group.numbering == "restart" or next_number is None:
            sequence += 1
            next_number = group.start
        first = next_number
        entries = []
        for entry in group.entries:
            entries.append(replace(entry, number=next_number))
            next_number += 1
        numbered.append(replace(group, sequence=sequence, start=first, entries=tuple(entries)))
    return tuple(numbered)
