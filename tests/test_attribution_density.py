"""Quote-dense text stays near-linear: no sentence unit runs on for thousands of tokens,
and merging reported clauses with quotes looks only at the quotes they overlap. (The
timings are in benchmarks/quote_density.py; these tests pin the mechanisms.)"""

from __future__ import annotations

import random

from saidwho.attribution import extract_quotes
from saidwho.attribution.direct import Candidate
from saidwho.attribution.pipeline import (
    MAX_SENTENCE_TOKENS,
    BoundedTokenizer,
    paragraph_sentences,
)
from saidwho.attribution.span_index import SpanIndex

TERSE = "Q\n\n" + " ".join('"Go home," said B.' for _ in range(300))


def test_a_run_on_sentence_is_cut_at_a_sentence_end(nlp) -> None:
    doc = nlp(TERSE)
    lengths = [len(s) for s in doc.sents]
    assert max(lengths) <= MAX_SENTENCE_TOKENS
    # each cut falls after "B." (the stop the parser took for an abbreviation), never
    # inside a quotation
    for sent in list(doc.sents)[2:]:
        assert sent[0].text == '"', sent.text[:40]
        assert doc[sent.start - 1].text == "B."


def test_each_quote_of_a_run_on_paragraph_is_found_alone(nlp) -> None:
    quotes = extract_quotes(nlp(TERSE))
    assert [TERSE[q.start : q.end] for q in quotes] == ['"Go home,"'] * 300
    assert {q.speaker for q in quotes} <= {"B.", None}  # a name the parser lost, or none


def test_quotes_with_full_stops_are_each_found(nlp) -> None:
    text = "Q\n\n" + " ".join(f'"Go home, {n}," said Bob.' for n in range(300))
    quotes = extract_quotes(nlp(text))
    assert [q.speaker for q in quotes] == ["Bob"] * 300


def test_ordinary_paragraphs_are_cut_only_at_line_breaks(nlp, seed_text) -> None:
    doc = paragraph_sentences(nlp.make_doc(seed_text))
    preset = [t.i for t in doc[1:] if t.is_sent_start is True]
    after_breaks = [t.i + 1 for t in doc[:-1] if "\n" in t.text + t.whitespace_]
    assert preset and preset == after_breaks


def _cand(start: int, end: int) -> Candidate:
    return Candidate("direct", start, end, (0, 0), 0)


def test_span_index_finds_what_a_scan_finds_as_spans_move_and_go() -> None:
    rng = random.Random(7)
    cands = [_cand(s, s + rng.randint(1, 80)) for s in sorted(rng.sample(range(5000), 400))]
    index = SpanIndex(cands)
    alive = list(cands)
    for step in range(600):
        a = rng.randrange(5000)
        b = a + rng.randint(1, 300)
        scan = [c for c in alive if min(c.end, b) - max(c.start, a) > 0]
        assert index.overlapping(a, b) == scan
        pick = rng.choice(alive)
        if step % 3 == 0 and len(alive) > 10:
            index.remove(pick)
            alive.remove(pick)
        else:
            pick.start, pick.end = max(0, pick.start - rng.randint(0, 200)), pick.end + 50
            index.moved(pick)
    assert list(index) == alive


def test_a_long_run_without_spaces_is_tokenized_in_pieces_with_every_character(nlp) -> None:
    run = '"' * 20_000
    text = f"Ann said: {run} and “yes,” she said. https://example.com/{'a/' * 400}"
    doc = nlp.make_doc(text)
    assert doc.text == text  # offsets hold: every character, in order
    assert sum(1 for t in doc if t.text == '"') == 20_000  # each mark its own token
    assert isinstance(nlp.tokenizer, BoundedTokenizer)
    short = "A plain “sentence,” she said, at https://example.com/a."
    assert [t.text for t in nlp.make_doc(short)] == [t.text for t in nlp.tokenizer.inner(short)]
