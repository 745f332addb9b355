"""Segments and acts on sentences written for these tests."""

from __future__ import annotations

from saidwho.attribution import Quote, extract_quotes


def quotes_of(nlp, text: str) -> list[Quote]:
    return extract_quotes(nlp(text))


def pieces(text: str, q: Quote) -> list[str]:
    return [text[s.start : s.end] for s in q.segments]


def test_direct_pieces_around_a_cue_leave_the_narration_out(nlp):
    text = "“We will win,” Ana Ruiz said in a post on Sunday. “And we will win big.”"
    (q,) = quotes_of(nlp, text)
    assert pieces(text, q) == ["“We will win,”", "“And we will win big.”"]
    assert (q.speaker, q.act) == ("Ana Ruiz", "speech")


def test_pieces_with_their_own_cues_are_separate_statements(nlp):
    text = "“The bridge is safe,” Ana Ruiz said. “It will open in May,” she added."
    quotes = quotes_of(nlp, text)
    assert [pieces(text, q) for q in quotes] == [
        ["“The bridge is safe,”"],
        ["“It will open in May,”"],
    ]
    assert [q.cue for q in quotes] == ["said", "added"]


def test_according_to_in_mid_sentence_gives_both_sides(nlp):
    text = "The deal was signed on Monday, according to Ana Ruiz, and it will start in June."
    (q,) = quotes_of(nlp, text)
    assert pieces(text, q) == ["The deal was signed on Monday", "and it will start in June"]
    assert all("according" not in p for p in pieces(text, q))


def test_reported_that_clause_segment_leaves_out_that(nlp):
    text = "The mayor’s office said that the bridge will reopen in May."
    (q,) = quotes_of(nlp, text)
    assert pieces(text, q) == ["the bridge will reopen in May"]
    assert q.act == "speech"


def test_belief_is_thought(nlp):
    text = "The mayor believes that the bridge will be finished by May."
    (q,) = quotes_of(nlp, text)
    assert q.act == "thought"


def test_json_carries_segments_and_act(nlp):
    text = "“We will win,” Ana Ruiz said. “And we will win big.”"
    (q,) = quotes_of(nlp, text)
    data = q.to_json(text, "0" * 64)
    assert [text[s["start"] : s["end"]] for s in data["segments"]] == [
        "“We will win,”",
        "“And we will win big.”",
    ]
    assert data["act"] == "speech"
    assert Quote.from_json(data) == q
