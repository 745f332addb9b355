"""Re-anchoring notes: exact words, nearest the old place, context decides between repeats."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from saidwho.store.anchoring import reanchor, select

TEXT = (
    "The minister said the deal was done. Later, critics said the deal was done badly, "
    "and the minister said nothing more."
)


def test_unchanged_text_keeps_position() -> None:
    start = TEXT.index("the deal was done")
    sel = select(TEXT, start, start + len("the deal was done"))
    assert reanchor(TEXT, sel) == (sel.start, sel.end)


def test_context_picks_the_right_repeat() -> None:
    # the note is on the *second* "the deal was done" (after "critics said")
    start = TEXT.index("the deal was done", 40)
    sel = select(TEXT, start, start + len("the deal was done"))
    # a long insertion up front moves the second repeat far from the old position, and
    # the first repeat lands right where the note used to be: context must win over position
    filler = "X" * (start - TEXT.index("the deal was done"))
    new = filler + TEXT
    got = reanchor(new, sel)
    assert got == (start + len(filler), start + len(filler) + len("the deal was done"))
    assert new[got[0] - 13 : got[0]] == "critics said "


def test_nearest_wins_when_context_is_equal() -> None:
    text = "ab ab ab ab"
    sel = select(text, 6, 8)
    moved = "ab ab ab ab"  # same text: stays put, even though all four repeats score alike
    assert reanchor(moved, sel) == (6, 8)


def test_words_gone_is_none() -> None:
    start = TEXT.index("badly")
    sel = select(TEXT, start, start + 5)
    assert reanchor(TEXT.replace("badly", "poorly"), sel) is None


def test_point_note_follows_its_context() -> None:
    at = TEXT.index("Later")
    sel = select(TEXT, at, at)
    assert reanchor("New lead. " + TEXT, sel) == (at + 10, at + 10)


@given(
    st.text(min_size=1, max_size=200),
    st.data(),
    st.text(max_size=50),
)
def test_found_span_always_holds_the_exact_words(text: str, data, insert: str) -> None:
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    sel = select(text, start, end)
    assert reanchor(text, sel) == (start, end)
    new = insert + text
    got = reanchor(new, sel)
    assert got is not None  # the words are still there
    assert new[got[0] : got[1]] == sel.exact
    if sel.exact and new.count(sel.exact) == 1:
        assert got == (start + len(insert), end + len(insert))
