"""The bundled seed article: the attributions it must give, pinned by exact offsets."""

from __future__ import annotations

import pytest

from saidwho.attribution import Quote, extract_quotes


@pytest.fixture(scope="module")
def seed_quotes(nlp, seed_text) -> list[Quote]:
    return extract_quotes(nlp(seed_text))


def at(quotes: list[Quote], text: str, content: str) -> Quote:
    start = text.index(content)
    end = start + len(content)
    found = [q for q in quotes if (q.start, q.end) == (start, end)]
    assert found, f"no quote at {start}:{end}: {[(q.start, q.end) for q in quotes]}"
    return found[0]


def test_trump_truth_social_post_is_one_direct_quote(seed_quotes, seed_text):
    # the two quoted sentences around one cue are one statement; the second piece has no
    # cue of its own and belongs to Trump
    # joined across the cue, the statement includes its outer opening and closing marks
    content = seed_text[
        seed_text.index("“This was a step taken") : seed_text.index("day of celebration!”")
        + len("day of celebration!”")
    ]
    q = at(seed_quotes, seed_text, content)
    assert (q.kind, q.speaker, q.cue) == ("direct", "Donald Trump", "said")
    assert seed_text[q.speaker_start : q.speaker_end] == "Trump"
    assert q.confidence >= 0.9
    assert "Hopefully this is the first" in seed_text[q.start : q.end]


def test_huckabee_partial_quote_keeps_role(seed_quotes, seed_text):
    q = at(seed_quotes, seed_text, "an end to the “war”")
    assert (q.kind, q.speaker, q.role) == ("partial", "Mike Huckabee", "U.S. Ambassador to Israel")
    assert q.cue == "called"


def test_netanyahu_office_indirect(seed_quotes, seed_text):
    q = at(
        seed_quotes,
        seed_text,
        "that Israel is still committed to carrying out its plan to indefinitely occupy the "
        "entirety of the Gaza Strip, cordoning millions of Palestinians to a small portion "
        "of the enclave",
    )
    assert (q.kind, q.speaker, q.cue) == ("indirect", "Netanyahu’s office", "said")


def test_washington_post_total_panic(seed_quotes, seed_text):
    start = seed_text.index("that there is “total panic”")
    end = seed_text.index("from the Israeli regime") + len("from the Israeli regime")
    q = at(seed_quotes, seed_text, seed_text[start:end])
    assert q.kind == "partial"  # reported speech with quoted words in it
    assert q.speaker == "The Washington Post"
    assert q.cue == "reports"


def test_axios_indirect(seed_quotes, seed_text):
    start = seed_text.index("that Israeli Prime Minister Benjamin Netanyahu has ordered")
    end = seed_text.index("about Alexander’s release.") + len("about Alexander’s release")
    q = at(seed_quotes, seed_text, seed_text[start:end])
    assert (q.kind, q.speaker, q.cue) == ("indirect", "Axios", "reports")


def test_scare_quote_gets_no_speaker(seed_quotes, seed_text):
    q = at(seed_quotes, seed_text, "good faith")
    assert (q.kind, q.speaker) == ("partial", None)
    assert q.confidence < 0.5


def test_nothing_else_is_attributed_to_a_guess(seed_quotes):
    speakers = {q.speaker for q in seed_quotes}
    assert speakers <= {
        None,
        "Donald Trump",
        "Mike Huckabee",
        "Axios",
        "Netanyahu’s office",
        "The Washington Post",
        "Hamas and Israeli officials",
    }


# --- the record: the speaker's own words, kept apart from the narration ----------------


def test_trump_quote_has_two_segments_without_the_narration(seed_quotes, seed_text):
    q = next(q for q in seed_quotes if q.speaker == "Donald Trump" and q.kind == "direct")
    pieces = [seed_text[s.start : s.end] for s in q.segments]
    assert len(pieces) == 2
    assert all("said Trump" not in p for p in pieces)
    assert pieces[0].startswith("“This was a step taken") and pieces[0].endswith("”")
    assert pieces[1].startswith("“Hopefully") and pieces[1].endswith("day of celebration!”")
    assert q.act == "speech"
    # the statement's extent still runs from the first mark to the last
    assert (q.start, q.end) == (q.segments[0].start, q.segments[-1].end)


def test_reported_speech_segment_is_the_content_only(seed_quotes, seed_text):
    q = next(q for q in seed_quotes if q.speaker == "Netanyahu’s office")
    assert len(q.segments) == 1
    words = seed_text[q.segments[0].start : q.segments[0].end]
    assert words.startswith("Israel is still committed")
    assert "said" not in words and "office" not in words
    assert q.act == "speech"


def test_scare_quote_is_not_a_statement(seed_quotes, seed_text):
    q = next(q for q in seed_quotes if seed_text[q.start : q.end] == "good faith")
    assert (q.speaker, q.act) == (None, "other")


def test_every_segment_lies_inside_its_quote_in_order(seed_quotes):
    for q in seed_quotes:
        assert q.segments
        ends = [q.start] + [s.end for s in q.segments]
        for seg, before in zip(q.segments, ends, strict=False):
            assert q.start <= seg.start < seg.end <= q.end
            assert seg.start >= before
