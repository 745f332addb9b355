"""One sanitiser for untrusted text on its way to a terminal, a clipboard or a JSON stream.

Articles, titles, file names, notes, tags and speaker names come from outside. Textual strips
BEL/BS/VT/FF/CR from what it renders, but not ESC: ``ESC[2J`` in an article would blank the
screen on every repaint, ``ESC]52;...`` would write the clipboard. Everything untrusted that
reaches the terminal goes through :func:`inert` (or :func:`inert_line`); each maps one
character to one character, so offsets into the article text stay valid for what is shown.
"""

from __future__ import annotations

import json
import re
from typing import Any

# C0 controls become their Unicode "control picture" (ESC -> U+241B), DEL -> U+2421.
# C1 controls, bidi embeddings/overrides/isolates, directional marks and invisible
# separators would reorder or hide text: they become U+FFFD, visible and inert.
# ZWJ/ZWNJ stay: emoji sequences and Persian/Indic scripts need them, and they move nothing.
_REPLACEMENT = "\ufffd"
_NEUTRAL = (
    list(range(0x80, 0xA0))  # C1 (U+009B is a one-character CSI)
    + [0x200B, 0x200E, 0x200F, 0x2028, 0x2029, 0x2060, 0xFEFF]
    + list(range(0x202A, 0x202F))
    + list(range(0x2066, 0x206A))
)

_BLOCK: dict[int, str] = {code: chr(0x2400 + code) for code in range(0x20)}
_BLOCK[0x7F] = "\u2421"
_BLOCK.update({code: _REPLACEMENT for code in _NEUTRAL})

# Multi-line text keeps its line breaks and tabs; CR (half of a CRLF) shows as a space.
_MULTILINE = dict(_BLOCK)
_MULTILINE.update({0x0A: "\n", 0x09: "\t", 0x0D: " "})
# A title, a table cell, a toast or a clipboard line: every break is a space.
_ONE_LINE = dict(_BLOCK)
_ONE_LINE.update({0x0A: " ", 0x09: " ", 0x0D: " "})

_UNSAFE = re.compile("[" + "".join(re.escape(chr(c)) for c in sorted(_BLOCK)) + "]")
_UNSAFE_JSON = re.compile("[" + "".join(re.escape(chr(c)) for c in _NEUTRAL) + "]")


def inert(text: str) -> str:
    """``text`` safe to render: controls made visible, line breaks and tabs kept.

    Same length as ``text``: character offsets still index the original."""
    return text.translate(_MULTILINE)


def inert_line(text: str) -> str:
    """``text`` safe on one line (titles, cells, notifications, the clipboard): same length."""
    return text.translate(_ONE_LINE)


def escaped(text: str) -> str:
    """``text`` for one line of terminal output with controls as escapes (``\\x1b``, ``\\n``):
    for error messages, where the exact bytes of a file name matter more than its length."""
    return _UNSAFE.sub(lambda m: repr(m.group())[1:-1], text)


def has_unsafe(text: str) -> bool:
    return _UNSAFE.search(text) is not None


def strip_unsafe(text: str) -> str:
    """``text`` without the characters :func:`inert` would replace (a last-line guard for
    text that is already laid out, where a visible symbol would shift the columns)."""
    return _UNSAFE.sub("", text)


def dumps(value: Any, **kwargs: Any) -> str:
    """``json.dumps`` that also escapes C1 controls and bidi/invisible characters.

    JSON escapes C0 itself; with ``ensure_ascii=False`` C1 (U+009B is a CSI) would pass raw.
    These characters can only sit inside JSON strings, so escaping them keeps the JSON valid.
    """
    kwargs.setdefault("ensure_ascii", False)
    text = json.dumps(value, **kwargs)
    return _UNSAFE_JSON.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
