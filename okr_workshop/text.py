"""Text that is safe to store, print and export: which characters a cell may hold, and how the rest is shown.

No text may hold control characters (C0 but tab and line breaks, DEL, C1),
the invisible bidi controls that reorder how text is shown (U+202A to U+202E,
U+2066 to U+2069), lone surrogates or the non-characters U+FFFE and U+FFFF.
Text comes in three forms: free text (a description, a note, a column of
one's own) keeps tabs and line breaks; a line (a title, a name, a unit)
keeps tabs but no line break; an id holds neither. Readers and the models
refuse the rest (:func:`unsafe_char`); what reaches a terminal goes
through :func:`printable`, and what goes to a file through :func:`visible`,
so text stored before these rules (or written straight into the database)
shows its escapes instead of acting on a terminal or breaking a spreadsheet.
"""

from __future__ import annotations

import re

__all__ = [
    "FORMS",
    "LINE_BREAKS",
    "MAX_ID",
    "any_unsafe",
    "describe",
    "plain_ascii",
    "printable",
    "unsafe_char",
    "unsafe_pattern",
    "visible",
]

MAX_ID = 200
"""Longest id: the store's id and reference columns are ``VARCHAR(200)`` (PostgreSQL refuses longer)."""

_ALWAYS = "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff\ufffe\uffff"
LINE_BREAKS = "\n\r\u2028\u2029"
"""What free text may hold and a line may not: line feed, carriage return, line and paragraph separator."""

_PATTERNS = {
    "free": re.compile(f"[{_ALWAYS}]"),
    "line": re.compile(f"[{_ALWAYS}{LINE_BREAKS}]"),
    "id": re.compile(f"[{_ALWAYS}{LINE_BREAKS}\t]"),
}
FORMS = tuple(_PATTERNS)
"""``free`` (tabs and line breaks kept), ``line`` (tabs kept) and ``id`` (neither)."""
_PRINTABLE = _PATTERNS["id"]

_C0 = ("NUL SOH STX ETX EOT ENQ ACK BEL BS TAB LF VT FF CR SO SI "
       "DLE DC1 DC2 DC3 DC4 NAK SYN ETB CAN EM SUB ESC FS GS RS US").split()
_C1 = ("PAD HOP BPH NBH IND NEL SSA ESA HTS HTJ VTS PLD PLU RI SS2 SS3 "
       "DCS PU1 PU2 STS CCH MW SPA EPA SOS SGCI SCI CSI ST OSC PM APC").split()


def unsafe_pattern(form: str) -> re.Pattern[str]:
    """The characters text of ``form`` (``free``, ``line`` or ``id``) may not hold."""
    return _PATTERNS[form]


_ASCII_FINE = {
    "free": bytes(range(0x20, 0x7F)) + b"\t\n\r",
    "line": bytes(range(0x20, 0x7F)) + b"\t",
    "id": bytes(range(0x20, 0x7F)),
}


def any_unsafe(text: str, form: str) -> bool:
    """Whether ``text`` holds any character text of ``form`` may not: fast for a whole column joined in one string.

    ASCII text (the usual case, known at no cost) is checked by deleting every
    allowed byte, which runs at memory speed; other text by the pattern.
    """
    if text.isascii():
        return bool(text.encode("ascii").translate(None, _ASCII_FINE[form]))
    return _PATTERNS[form].search(text) is not None


def plain_ascii(data: bytes) -> bool:
    """Whether ``data`` (a file's bytes) is printable ASCII and line ends only: no text in it can hold anything
    refused, unless a quoted cell spans lines.
    """
    return data.isascii() and not data.translate(None, _ASCII_FINE["id"] + b"\n\r")


def unsafe_char(text: str, form: str = "line") -> str | None:
    """The first character ``text`` of ``form`` may not hold, or None when it is fine."""
    match = _PATTERNS[form].search(text)
    return match.group(0) if match else None


_SHORT = {"\t": "\\t", "\n": "\\n", "\r": "\\r"}


def _escape(char: str) -> str:
    """The escape Python would write: ``\\n``, ``\\x1b``, ``\\u202e``."""
    if char in _SHORT:
        return _SHORT[char]
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def describe(char: str) -> str:
    """One refused character in words: ``the control character ESC (\\x1b)``, ``a line break``."""
    code = ord(char)
    if char == "\t":
        return "a tab"
    if char in "\n\r\u2028\u2029":
        return "a line break"
    if code == 0:
        return "a NUL byte (\\x00)"
    if code < 0x20:
        return f"the control character {_C0[code]} ({_escape(char)})"
    if code == 0x7F:
        return "the control character DEL (\\x7f)"
    if code <= 0x9F:
        return f"the control character {_C1[code - 0x80]} ({_escape(char)})"
    if 0xD800 <= code <= 0xDFFF:
        return f"a lone surrogate ({_escape(char)}), which is no character"
    if code in (0xFFFE, 0xFFFF):
        return f"the non-character U+{code:04X}"
    return f"the invisible bidi control U+{code:04X} (it reorders how text is shown)"


def _escaped(match: re.Match[str]) -> str:
    return _escape(match.group(0))


def printable(text: object) -> str:
    """``text`` fit for a terminal: every control character, line break and bidi control as a visible escape.

    ``printable("Delight\\x1b[2J")`` is ``Delight\\\\x1b[2J``: what a title holds
    is shown, never acted on. Text without such characters comes back as is.
    """
    text = str(text)
    return _PRINTABLE.sub(_escaped, text) if _PRINTABLE.search(text) else text


def visible(text: str, form: str = "free") -> str:
    """``text`` fit for a file a reader accepts again: what text of ``form`` may not hold as visible escapes."""
    pattern = _PATTERNS[form]
    return pattern.sub(_escaped, text) if pattern.search(text) else text
