"""The review queue's index (store/queue_index.py) gives the same queue as opening every
article: the same rows in the same order for every filter, the same counts, after reviews,
after an ingest and after a reassignment; it is kept with each save (one shard's file), made
again when missing, stale or damaged, and checked by doctor."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from saidwho.core.quote import Quote
from saidwho.readers.article import Article, paragraph_spans
from saidwho.store import Library, QuoteView
from saidwho.store.doctor import doctor
from saidwho.store.queue_index import load, page, queue_dir, queue_path, read_file
from saidwho.tui.model import LOW_CONFIDENCE, in_queue, progress
from saidwho.tui.screens.queue import FILTERS, fetch_queue, uncertain_first

SPEAKERS = ["Ana Ruiz", "Tom Webb", "Li Wei", None]
KINDS = ["direct", "partial", "indirect"]


def story(n: int, rng: random.Random) -> tuple[Article, list[Quote]]:
    """An article of eight quoted sentences, each with its own kind, speaker and
    confidence (some tied, some below every threshold)."""
    lines = [f"Story number {n} about the harbour"]
    spans = []
    for i in range(8):
        words = f"We said thing {i} of story {n} and meant it"
        line = f"\u201c{words},\u201d someone said of item {i}."
        start = len("\n\n".join(lines)) + 2 + 1
        lines.append(line)
        spans.append((start, start + len(words)))
    text = "\n\n".join(lines) + "\n"
    quotes = []
    for start, end in spans:
        speaker = rng.choice(SPEAKERS)
        conf = rng.choice([0.12, 0.3, 0.3, 0.45, 0.55, 0.8, 0.97])
        kind = rng.choice(KINDS)
        quotes.append(Quote(kind, start, end, start - 1, end + 20, conf, speaker))  # type: ignore[arg-type]
    article = Article(
        text=text, title=f"Harbour {n}", source="Gazette", path=f"/news/{n}.txt",
        paragraphs=paragraph_spans(text),
    )  # fmt: skip
    return article, quotes


@pytest.fixture
def lib(tmp_path: Path) -> Library:
    rng = random.Random(24)
    library = Library(tmp_path / "lib")
    library.save_articles(story(n, rng) for n in range(40))
    return library


def scanned(library: Library, name: str) -> list[tuple[str, str]]:
    """The queue as the screen made it before the index: every article opened."""
    every = fetch_queue(library)
    shown = sorted((q for q in every if in_queue(q, name)), key=uncertain_first)
    return [(q.article_id, q.id) for q in shown]


def assert_same_queue(library: Library) -> None:
    index = load(Library(library.root))  # a fresh process's view: from the files
    every = fetch_queue(library)
    assert len(index) == len(every)
    assert index.progress() == progress(every)
    for name in FILTERS:
        got = [index.ref(int(r)) for r in index.order(name, LOW_CONFIDENCE)]
        assert got == scanned(library, name), name


def test_same_queue_as_the_full_scan(lib):
    assert not queue_dir(lib.root).exists()
    assert_same_queue(lib)  # built on first use
    assert len(list(queue_dir(lib.root).glob("*.json"))) > 10
    assert_same_queue(lib)  # and read from its files


def test_same_queue_after_reviews_reassignment_and_kind(lib):
    load(lib)
    every = fetch_queue(lib)
    unsure = [q for q in every if q.confidence < 0.5]
    lib.review_quote(unsure[0].article_id, unsure[0].id, confirmed=True)
    lib.review_quote(unsure[1].article_id, unsure[1].id, disputed=True)
    nobody = next(q for q in every if q.speaker is None)
    lib.review_quote(nobody.article_id, nobody.id, speaker="Jo Park")  # reassigned
    named = next(q for q in every if q.speaker is not None and q.kind != "partial")
    lib.review_quote(named.article_id, named.id, kind="partial")
    lib.review_quote(named.article_id, named.id, speaker=None)  # the machine's speaker back
    assert_same_queue(lib)
    lib.review_quote(nobody.article_id, nobody.id, revert=True)
    assert_same_queue(lib)


def test_a_verdict_moves_its_row_as_a_new_sort_would(lib):
    index = load(lib)
    verdicts = [{"disputed": True}, {"confirmed": True}, {"disputed": False}]
    for n, name in enumerate(FILTERS):
        order = index.order(name, LOW_CONFIDENCE)
        if not len(order):
            continue
        for i, row in enumerate([int(order[0]), int(order[len(order) // 2])]):
            aid, qid = index.ref(row)
            fresh = lib.review_quote(aid, qid, **verdicts[(n + i) % 3])
            index.apply(row, fresh)
            order = index.moved(order, row, name, LOW_CONFIDENCE)
            assert order.tolist() == index.order(name, LOW_CONFIDENCE).tolist()
        assert [index.ref(int(r)) for r in order] == scanned(lib, name)


def test_an_ingest_rewrites_one_queue_file_and_the_queue_follows(lib):
    load(lib)  # the files exist
    before = {p.name: p.stat().st_mtime_ns for p in queue_dir(lib.root).glob("*.json")}
    article, quotes = story(99, random.Random(7))
    aid, status = lib.save_article(article, quotes)
    assert status == "added"
    after = {p.name: p.stat().st_mtime_ns for p in queue_dir(lib.root).glob("*.json")}
    changed = {name for name in after if before.get(name) != after[name]}
    assert changed == {f"{aid[:2]}.json"}
    made = read_file(lib.root, aid[:2])
    assert made is not None and aid in made.ids
    assert_same_queue(lib)


def test_the_page_is_the_quotes_as_the_library_shows_them(lib):
    index = load(lib)
    order = index.order("all", LOW_CONFIDENCE)
    got = page(lib, index, order[:12])
    by_id = {q.id: q for q in fetch_queue(lib)}
    assert [q.id for q in got] == [index.ref(int(r))[1] for r in order[:12]]
    assert all(isinstance(q, QuoteView) and q == by_id[q.id] for q in got)


def test_missing_stale_or_damaged_files_are_made_again(lib):
    load(lib)
    files = sorted(queue_dir(lib.root).glob("*.json"))
    files[0].unlink()
    files[1].write_text("{not json")
    data = json.loads(files[2].read_text())
    data["from"] = "0" * 32  # made from other shard bytes
    files[2].write_text(json.dumps(data))
    assert_same_queue(lib)
    assert files[0].exists() and read_file(lib.root, files[1].stem) is not None


def test_doctor_finds_a_queue_file_that_lies_and_repair_writes_it_again(lib):
    load(lib)
    shard = next(p.stem for p in sorted(queue_dir(lib.root).glob("*.json")))
    path = queue_path(lib.root, shard)
    data = json.loads(path.read_text())
    first = data["flags"][0]
    data["flags"] = ("1" if first != "1" else "2") + data["flags"][1:]  # not what it says
    path.write_text(json.dumps(data))
    report = doctor(lib.root)
    assert any(f"queue/{shard}.json" in p for p in report.problems)
    assert not report.ok
    fixed = doctor(lib.root, repair=True)
    assert any(f"queue/{shard}.json" in a for a in fixed.actions)
    assert doctor(lib.root).ok
    assert_same_queue(lib)
