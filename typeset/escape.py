"""Escaping: one function per target language that text from a source may end up in.

In: any Python string — whatever a source holds, including controls (C0, C1, DEL), line and
paragraph separators, bidirectional controls, non-characters, lone surrogates and astral
characters. Out: text that the target reads back as exactly that string where the target can
hold it, and never as anything but one value of its own kind:

- :func:`css_string` — a CSS string literal (``"…"``) that no character closes early, also safe
  inside an HTML ``<style>`` element;
- :func:`css_identifier` — a CSS identifier (CSSOM's "serialize an identifier");
- :func:`xml_text` and :func:`xml_attribute` — XML 1.0 character data and attribute values;
- :func:`yaml_scalar` — a double-quoted YAML scalar on one line;
- :func:`terminal_text` — text for a terminal, with nothing it would obey (escape sequences,
  carriage returns, reordering bidi controls) left raw.

What a target cannot hold at all — NUL and lone surrogates in CSS, C0 controls, U+FFFE, U+FFFF
and lone surrogates in XML 1.0 — becomes U+FFFD REPLACEMENT CHARACTER, as the target's own
parser would make it. Sources never get that far: the source reader refuses such characters
with an error at their ``file:line:col`` (:mod:`typeset.source.lint`).
"""

from __future__ import annotations

import unicodedata

REPLACEMENT = "\ufffd"

# Characters that are not characters: U+FDD0..U+FDEF and the last two code points of every plane.
NONCHARACTERS = frozenset([*map(chr, range(0xFDD0, 0xFDF0)),
                           *(chr(plane * 0x10000 + low) for plane in range(17) for low in (0xFFFE, 0xFFFF))])


def is_surrogate(char: str) -> bool:
    return 0xD800 <= ord(char) <= 0xDFFF


def _hex(char: str) -> str:
    return f"\\{ord(char):x} "  # the space ends the escape; CSS drops it


# -- CSS -----------------------------------------------------------------------------------------


def _css_char(char: str) -> str:
    if char == "\x00" or is_surrogate(char):
        return _hex(REPLACEMENT)
    if char in '"\\<>' or unicodedata.category(char) in ("Cc", "Zl", "Zp") or char in NONCHARACTERS:
        return _hex(char)
    return char


def css_string(text: str) -> str:
    """A CSS string literal: ``"`` and ``\\``, every control (newline, carriage return, form feed
    among them), line and paragraph separators, non-characters, and ``<`` and ``>`` (so that no
    ``</style>`` can end a style element) are written as escapes."""
    return '"' + "".join(_css_char(char) for char in text) + '"'


def css_identifier(name: str) -> str:
    """A CSS identifier that reads back as ``name`` (CSSOM, "serialize an identifier")."""
    out = []
    for index, char in enumerate(name):
        code = ord(char)
        if char == "\x00" or is_surrogate(char):
            out.append(REPLACEMENT)
        elif unicodedata.category(char) in ("Cc", "Zl", "Zp") or char in NONCHARACTERS:
            out.append(_hex(char))
        elif (index == 0 and char.isascii() and char.isdigit()) or (
                index == 1 and char.isascii() and char.isdigit() and name[0] == "-"):
            out.append(_hex(char))
        elif index == 0 and char == "-" and len(name) == 1:
            out.append("\\-")
        elif code >= 0x80 or char in "-_" or char.isascii() and char.isalnum():
            out.append(char)
        else:
            out.append("\\" + char)
    return "".join(out)


# -- XML -----------------------------------------------------------------------------------------


def xml_char_allowed(char: str) -> bool:
    """Whether XML 1.0 can hold ``char`` at all (its ``Char`` production)."""
    code = ord(char)
    return (code in (0x9, 0xA, 0xD) or 0x20 <= code <= 0xD7FF or 0xE000 <= code <= 0xFFFD
            or 0x10000 <= code <= 0x10FFFF)


def xml_text(text: str) -> str:
    """XML character data: ``&``, ``<`` and ``>`` as entities, a carriage return as a reference
    (a parser would turn a raw one into a line feed), what XML cannot hold as U+FFFD."""
    out = []
    for char in text:
        if not xml_char_allowed(char):
            out.append(REPLACEMENT)
        elif char in _XML_TEXT:
            out.append(_XML_TEXT[char])
        else:
            out.append(char)
    return "".join(out)


def xml_attribute(text: str) -> str:
    """An XML attribute value (for either quote): as :func:`xml_text`, with both quotes, tab, line
    feed and carriage return as references, which attribute-value normalisation keeps."""
    out = []
    for char in text:
        if not xml_char_allowed(char):
            out.append(REPLACEMENT)
        elif char in _XML_ATTRIBUTE:
            out.append(_XML_ATTRIBUTE[char])
        else:
            out.append(char)
    return "".join(out)


_XML_TEXT = {"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#13;"}
_XML_ATTRIBUTE = {**_XML_TEXT, '"': "&quot;", "'": "&apos;", "\t": "&#9;", "\n": "&#10;"}


# -- YAML ----------------------------------------------------------------------------------------


def _yaml_char(char: str) -> str:
    code = ord(char)
    if char in _YAML_SHORT:
        return _YAML_SHORT[char]
    if is_surrogate(char):
        return "\\uFFFD"  # YAML holds Unicode characters only
    printable = (code == 0x09 or 0x20 <= code <= 0x7E or code == 0x85 or 0xA0 <= code <= 0xD7FF
                 or 0xE000 <= code <= 0xFFFD or 0x10000 <= code <= 0x10FFFF)
    if not printable or code in (0x85, 0x2028, 0x2029, 0xFEFF) or char in NONCHARACTERS:
        return f"\\x{code:02X}" if code <= 0xFF else f"\\u{code:04X}" if code <= 0xFFFF else f"\\U{code:08X}"
    return char


_YAML_SHORT = {'"': '\\"', "\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t", "\x00": "\\0"}


def yaml_scalar(text: str) -> str:
    """A double-quoted YAML scalar on one line: quotes, backslashes, every control, every line
    break YAML knows (NEL, line and paragraph separators), the byte-order mark and non-characters
    as escapes."""
    return '"' + "".join(_yaml_char(char) for char in text) + '"'


# -- terminals -----------------------------------------------------------------------------------

# Format characters that are part of spelling and harmless on a terminal.
_SPELLING = frozenset("\u200c\u200d")


def _terminal_char(char: str) -> str:
    category = unicodedata.category(char)
    if category in ("Cc", "Cs", "Zl", "Zp") or (category == "Cf" and char not in _SPELLING) \
            or char in NONCHARACTERS:
        code = ord(char)
        return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"
    return char


def terminal_text(text: str) -> str:
    """Text a terminal shows as it is: controls (escape sequences, carriage return, backspace,
    line breaks), line and paragraph separators, format characters (bidi controls among them, but
    not the joiners that spelling needs), non-characters and lone surrogates as ``\\x1b``,
    ``\\u202e`` escapes."""
    if text.isprintable() and text.isascii():
        return text
    return "".join(_terminal_char(char) for char in text)
