"""The review desk in the store: review states with who and when, old records, notes edited
without losing text, and notes and reviews that follow their words when an article changes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from saidwho.core.quote import Quote
from saidwho.readers.article import Article, paragraph_spans
from saidwho.store import Library, NoteConflictError, NotFoundError
from saidwho.store.anchoring import reanchor, select

PATH = "/news/council.txt"
STORY = """Council Backs Budget After Long Night

The city council approved the budget on Tuesday after a debate that ran past midnight.

“This goverment will not raise taxes this year,” said Mayor Ana Ruiz, who proposed the plan.

Critics were unconvinced. “The numbers simply do not add up,” said Tom Webb, a councillor.

The vote was 7-2, and the budget takes effect in January.
"""
DOE = "This goverment will not raise taxes this year,"
WEBB = "The numbers simply do not add up,"


def article(text: str) -> Article:
    return Article(
        text=text, title="Council", source="Gazette", path=PATH, paragraphs=paragraph_spans(text)
    )


def quotes(text: str) -> list[Quote]:
    out = []
    for words, speaker, kind in (
        (DOE.replace("goverment", "government") if DOE not in text else DOE, "Ana Ruiz", "direct"),
        (WEBB, "Tom Webb", "direct"),
    ):
        if words not in text:
            continue
        start = text.index(words)
        out.append(
            Quote(kind, start, start + len(words), start - 1, start + len(words) + 30, 0.9, speaker)  # type: ignore[arg-type]
        )
    return out


@pytest.fixture
def lib(tmp_path: Path) -> Library:
    return Library(tmp_path / "lib")


@pytest.fixture
def story(lib: Library) -> str:
    article_id, status = lib.save_article(article(STORY), quotes(STORY))
    assert status == "added"
    return article_id


def by_speaker(lib: Library, article_id: str, speaker: str):
    return next(q for q in lib.quotes(article_id) if q.machine_speaker == speaker)


# ----------------------------------------------------------------------------- review states


def test_review_states_with_who_and_when(lib, story, monkeypatch) -> None:
    monkeypatch.setenv("SAIDWHO_REVIEWER", "Kim Checker")
    ruiz = by_speaker(lib, story, "Ana Ruiz")
    assert (ruiz.review, ruiz.reviewer, ruiz.reviewed_at) == ("unreviewed", None, None)

    confirmed = lib.review_quote(story, ruiz.id, confirmed=True)
    assert confirmed.review == "confirmed" and confirmed.reviewer == "Kim Checker"
    assert confirmed.reviewed_at and confirmed.reviewed_at.endswith("Z")
    assert confirmed.reviewed and not confirmed.disputed

    disputed = lib.review_quote(story, ruiz.id, disputed=True, reviewer="Lee Editor")
    assert disputed.review == "disputed" and disputed.disputed
    assert disputed.reviewer == "Lee Editor"
    # confirming clears the dispute
    again = lib.review_quote(story, ruiz.id, confirmed=True)
    assert again.review == "confirmed" and not again.disputed

    # a reassigned quote is corrected, not disputed
    lib.review_quote(story, ruiz.id, disputed=True)
    fixed = lib.review_quote(story, ruiz.id, speaker="Tom Webb")
    assert fixed.review == "corrected" and not fixed.disputed
    assert fixed.speaker == "Tom Webb" and fixed.machine_speaker == "Ana Ruiz"
    assert fixed.reassigned
    # revert: the machine's speaker again, nothing left to say
    back = lib.review_quote(story, ruiz.id, revert=True)
    assert back.speaker == "Ana Ruiz" and not back.reassigned
    assert back.review == "unreviewed" and not back.reviewed

    # the kind is a correction too; the machine's kind is kept beside it
    kind = lib.review_quote(story, ruiz.id, kind="indirect")
    assert (kind.kind, kind.machine_kind, kind.review) == ("indirect", "direct", "corrected")
    assert lib.review_quote(story, ruiz.id, revert=True).kind == "direct"
    with pytest.raises(ValueError, match="kind must be one of"):
        lib.review_quote(story, ruiz.id, kind="shouted")
    # the reviewer's verdict wins everywhere: the quotes list reads the same record
    assert next(q for q in lib.quotes(story) if q.id == ruiz.id).review == "unreviewed"


def test_naming_the_machines_speaker_is_a_revert(lib, story) -> None:
    webb = by_speaker(lib, story, "Tom Webb")
    lib.review_quote(story, webb.id, speaker="Somebody")
    same = lib.review_quote(story, webb.id, speaker="Tom Webb")
    assert same.review == "unreviewed" and not same.reassigned


def test_old_review_records_read_back(lib, story) -> None:
    """Libraries written before review states hold only ``disputed`` and ``speaker_override``."""
    ruiz, webb = by_speaker(lib, story, "Ana Ruiz"), by_speaker(lib, story, "Tom Webb")
    lib.review_quote(story, ruiz.id, disputed=True)
    lib.review_quote(story, webb.id, speaker="Thomas Webb")
    notes = lib.root / "notes" / f"{story[:2]}.json"  # the article's notes shard
    data = json.loads(notes.read_text())
    for record in data["reviews"].values():
        for key in ("verdict", "kind_override", "reviewer", "reviewed_at"):
            record.pop(key, None)
    notes.write_text(json.dumps(data))
    old = Library(lib.root)
    got = {q.id: q for q in old.quotes(story)}
    assert got[ruiz.id].review == "disputed" and got[ruiz.id].disputed
    assert got[webb.id].review == "corrected" and got[webb.id].speaker == "Thomas Webb"
    assert got[webb.id].reviewer is None and got[webb.id].reviewed_at  # its `updated`
    # and an old record takes a new verdict
    assert old.review_quote(story, ruiz.id, confirmed=True).review == "confirmed"


def test_resolve_quote_by_prefix(lib, story) -> None:
    ruiz = by_speaker(lib, story, "Ana Ruiz")
    assert lib.resolve_quote(ruiz.id[:6].upper()).id == ruiz.id
    with pytest.raises(NotFoundError):
        lib.resolve_quote("zzzz")


# ----------------------------------------------------------------------------- notes


def test_empty_note_is_refused(lib, story) -> None:
    with pytest.raises(ValueError, match="empty note"):
        lib.add_note(story, start=0, end=5, text="   ")
    note = lib.add_note(story, start=0, end=5, text="fine")
    with pytest.raises(ValueError, match="empty note"):
        lib.update_note(note.id, text="")
    assert lib.notes(story)[0].text == "fine"


def test_edit_of_a_note_deleted_elsewhere_becomes_a_new_note(lib, story) -> None:
    start = STORY.index(WEBB)
    note = lib.add_note(story, start=start, end=start + len(WEBB), text="check the figures")
    lib.delete_note(note.id)  # another window
    saved, outcome = lib.save_note_edit(note, text="check the 2025 figures", tags=["numbers"])
    assert outcome == "recreated" and saved.id != note.id
    assert (saved.start, saved.end, saved.text) == (note.start, note.end, "check the 2025 figures")


def test_edit_of_a_note_changed_elsewhere_keeps_both(lib, story) -> None:
    note = lib.add_note(story, start=0, end=7, text="first")
    elsewhere = lib.update_note(note.id, text="changed in another window")
    with pytest.raises(NoteConflictError):
        lib.update_note(note.id, text="mine", expect_updated=note.updated)
    saved, outcome = lib.save_note_edit(note, text="mine")
    assert outcome == "kept both"
    assert sorted(n.text for n in lib.notes(story)) == ["changed in another window", "mine"]
    assert saved.id != elsewhere.id
    # nobody else touched it: a plain update
    again, outcome = lib.save_note_edit(saved, text="mine, edited")
    assert outcome == "updated" and again.id == saved.id


def test_restore_note_keeps_id_and_times(lib, story, tmp_path) -> None:
    start = STORY.index(WEBB)
    note = lib.add_note(story, start=start, end=start + 10, text="x", tags=["a"])
    other = Library(tmp_path / "other")
    other.save_article(article(STORY), quotes(STORY))
    assert other.restore_note(note) is True
    assert other.restore_note(note) is False  # already there
    assert other.notes(story) == [note]


# ----------------------------------------------------------------------------- re-anchoring


def edit_cases() -> dict[str, tuple[str, str, tuple[str, ...] | None]]:
    """edit -> (new text, note's words, where it lands: the new words, or None: orphaned)"""
    light = STORY.replace("approved the budget on Tuesday", "passed the budget on Tuesday")
    return {
        "typo fixed in the words": (
            STORY.replace("goverment", "government"),
            DOE,
            ("This government will not raise taxes this year,",),
        ),
        "paragraph inserted before": (
            STORY.replace("The city council", "Budget season is over.\n\nThe city council"),
            "The numbers simply do not add up",
            ("The numbers simply do not add up",),
        ),
        "one word of the sentence rewritten": (
            light,
            "The city council approved the budget on Tuesday",
            ("The city council passed the budget on Tuesday",),
        ),
        "sentence rewritten": (
            STORY.replace(
                "The vote was 7-2, and the budget takes effect in January.",
                "Seven members voted for it; it applies from the new year.",
            ),
            "The vote was 7-2, and the budget takes effect in January.",
            None,
        ),
        "text removed": (
            STORY.replace("Critics were unconvinced. ", ""),
            "Critics were unconvinced.",
            None,
        ),
    }


@pytest.mark.parametrize("edit", list(edit_cases()))
def test_notes_follow_an_edited_article(lib, story, edit) -> None:
    new_text, words, lands = edit_cases()[edit]
    start = STORY.index(words)
    note = lib.add_note(story, start=start, end=start + len(words), text=f"note on {edit}")
    assert lib.save_article(article(new_text), quotes(new_text)) == (story, "updated")
    [after] = lib.notes(story)
    assert after.id == note.id and after.text == note.text
    if lands is None:
        assert after.orphaned
        assert after.exact == words  # its old words are kept
        assert after.start == after.end  # it points at no other words
    else:
        assert not after.orphaned
        assert new_text[after.start : after.end] == lands[0]
        assert after.exact == lands[0]


def test_review_follows_its_quote_through_a_typo_fix(lib, story) -> None:
    ruiz = by_speaker(lib, story, "Ana Ruiz")
    lib.review_quote(story, ruiz.id, speaker="Mayor Ana Ruiz")
    fixed = STORY.replace("goverment", "government")
    lib.save_article(article(fixed), quotes(fixed))
    moved = next(q for q in lib.quotes(story) if q.machine_speaker == "Ana Ruiz")
    assert moved.id != ruiz.id  # ids hash the text
    assert moved.speaker == "Mayor Ana Ruiz" and moved.review == "corrected"


def test_orphans_come_back_and_the_threshold_holds() -> None:
    text = "Alpha beta gamma delta. Epsilon zeta eta theta. Iota kappa."
    sel = select(text, 24, 47)
    assert (
        reanchor("Alpha beta gamma delta. Something else entirely here. Iota kappa.", sel) is None
    )
    # a letter added inside the words: the match takes it, the suffix stays outside
    assert reanchor("Alpha beta gamma delta. Epsilon zeta eta thetas. Iota kappa.", sel) == (24, 48)
