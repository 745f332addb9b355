"""Interview transcripts: "A:" answers belong to the interviewee the article names; "Q"
and "A" are never a speaker name (fixtures written here)."""

from __future__ import annotations

from saidwho.attribution import extract_quotes

NAMED = """An interview with the senator

Senator Jane Whitfield of Ohio talked to us about the budget. Whitfield has served since 2010.

Q: Will the budget pass?

A: I think it will pass by Friday.

Q: And the tax plan?

A: That one needs more work.
"""

UNNAMED = """Questions from readers

Q: Will the budget pass?

A: I think it will pass by Friday.
"""


def test_answers_belong_to_the_named_interviewee(nlp) -> None:
    quotes = extract_quotes(nlp(NAMED))
    answers = [q for q in quotes if NAMED[q.start : q.end].startswith(("I think", "That one"))]
    assert len(answers) == 2
    assert {q.speaker for q in answers} == {"Jane Whitfield"}
    for q in answers:  # the mention is where the article names them, never the label
        assert "Whitfield" in NAMED[q.speaker_start : q.speaker_end]
    questions = [q for q in quotes if "Will the budget" in NAMED[q.start : q.end]]
    assert all(q.speaker != "Q" for q in questions)


def test_no_name_no_speaker_and_never_a_label(nlp) -> None:
    quotes = extract_quotes(nlp(UNNAMED))
    assert not any(q.speaker in ("A", "Q") for q in quotes)
    assert not any(q.speaker for q in quotes if "pass by Friday" in UNNAMED[q.start : q.end])
