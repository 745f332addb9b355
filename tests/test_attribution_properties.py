"""Property tests: extraction never raises and every span indexes the text."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from saidwho.attribution import KINDS, extract_quotes

MARKS = "“”‘’\"'„«»''"
WORDS = ["Trump", "said", "says", "told", "that", "he", "she", "Ortiz", "according", "to",
         "the", "office", "reports", "called", "war", ":", ",", ".", "\n", "\n\n", " "]  # fmt: skip

texty = st.lists(
    st.one_of(st.sampled_from(WORDS), st.sampled_from(list(MARKS)), st.text(max_size=6)),
    max_size=60,
).map(" ".join)
anything = st.one_of(texty, st.text(max_size=300))


def check(text: str, quotes) -> None:
    n = len(text)
    last = -1
    for q in quotes:
        assert q.kind in KINDS
        assert 0 <= q.start <= q.end <= n
        assert 0 <= q.sentence_start <= q.sentence_end <= n
        assert 0.0 <= q.confidence <= 1.0
        assert q.start >= last
        last = q.start
        for s, e in ((q.speaker_start, q.speaker_end), (q.cue_start, q.cue_end)):
            assert (s is None) == (e is None)
            if s is not None:
                assert 0 <= s <= e <= n
        data = q.to_json(text, "0" * 64)
        assert data["text"] == text[q.start : q.end]


@pytest.mark.slow
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=anything)
def test_never_raises_and_spans_index_the_text(nlp, text):
    check(text, extract_quotes(nlp(text)))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    before=st.sampled_from(["", "Trump said: ", "He said ", "“", "”", "According to Ortiz, "]),
    body=st.text(alphabet=st.characters(codec="utf-8"), max_size=80),
    after=st.sampled_from(["", "”", "”, Ortiz said.", "\n\n“More", "’90s", "shouldn‘t"]),
)
def test_cue_shaped_noise(nlp, before, body, after):
    text = before + body + after
    check(text, extract_quotes(nlp(text)))
