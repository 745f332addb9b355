"""The one sanitiser for untrusted text: controls visible, offsets kept, JSON still valid."""

from __future__ import annotations

import json

from hypothesis import given
from hypothesis import strategies as st

from saidwho.core.safe_text import dumps, escaped, inert, inert_line

PAYLOAD = "a\x1b[2Jb\x1b]0;title\x07c\x1b]52;c;ZXZpbA==\x07d\x9b31me\u202eevil\u2066f\u200bg\x7f"


def test_escape_sequences_become_visible_symbols() -> None:
    out = inert(PAYLOAD)
    assert "\x1b" not in out and "\x07" not in out and "\x9b" not in out and "\x7f" not in out
    assert "\u241b[2J" in out  # ESC shown as the control picture
    assert "\u202e" not in out and "\u2066" not in out and "\u200b" not in out


def test_line_breaks_kept_in_text_and_flattened_on_one_line() -> None:
    assert inert("one\ntwo\tthree\r\n") == "one\ntwo\tthree \n"
    assert inert_line("one\ntwo\tthree\r\n") == "one two three  "


@given(st.text())
def test_same_length_so_offsets_still_index_the_article(text: str) -> None:
    shown = inert(text)
    assert len(shown) == len(text)
    assert len(inert_line(text)) == len(text)
    assert not any(ord(ch) < 0x20 and ch not in "\n\t" for ch in shown)
    assert not any(0x80 <= ord(ch) < 0xA0 for ch in shown)


@given(st.text())
def test_json_round_trips_with_no_raw_c1(text: str) -> None:
    out = dumps({"t": text})
    assert json.loads(out) == {"t": text}
    assert not any(0x80 <= ord(ch) < 0xA0 or ord(ch) < 0x20 for ch in out)


def test_escaped_names_the_bytes() -> None:
    assert escaped("file\x1b[2J\n.txt") == "file\\x1b[2J\\n.txt"
    assert escaped("plain “quotes” é") == "plain “quotes” é"
