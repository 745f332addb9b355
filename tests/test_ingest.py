"""Ingest on hostile input: each bad file gives one clear error, the rest of the batch lands."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from saidwho import ingest
from saidwho.extract_stream import attribute_texts, char_batches
from saidwho.ingest import chunk_spans, expand_paths, ingest_paths, seed_if_empty
from saidwho.readers.article import Article
from saidwho.readers.capture import Capture
from saidwho.store import Library

GOOD = "Officials met on Monday.\n\n“We will rebuild the bridge,” the mayor said.\n"


def write(path: Path, data: bytes | str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        data = data.encode("utf-8")
    path.write_bytes(data)
    return path


def by_path(events) -> dict[str, ingest.IngestEvent]:
    return {e.path: e for e in events}


def test_bad_input_corpus(tmp_path, nlp):
    src = tmp_path / "in"
    big = src / "big.txt"
    big.parent.mkdir(parents=True)
    with open(big, "w", encoding="utf-8") as fh:  # 50 MB of real text: over the stated limit
        line = "The spokesman said the talks would resume on Monday morning.\n"
        fh.write(line * (50 * 1024 * 1024 // len(line)))
    good = write(src / "good.txt", "Bridge story\n\n" + GOOD)
    bad = {
        write(src / "empty.txt", b""): "empty",
        write(src / "blank.txt", b"  \n\t \r\n"): "whitespace",
        write(src / "binary.txt", bytes(range(256)) * 8): "binary",
        write(src / "latin1.txt", "Caf\xe9 owner said \xabno\xbb.".encode("latin-1")): "UTF-8",
        write(src / "slides.pdf", b"%PDF-1.4"): "unsupported",
        big: "too large",
    }
    utf16 = write(src / "utf16.txt", ("Wide story\n\n" + GOOD).encode("utf-16"))
    crlf = write(src / "crlf.txt", ("Windows story\r\n\r\n" + GOOD).replace("\n", "\r\n"))
    unbalanced = write(
        src / "unbalanced.txt", "Odd marks\n\nHe said “this never closes.\n\nNext «one» »x« ”\n"
    )
    loop = src / "loop.txt"
    loop.symlink_to(src / "loop2.txt")
    (src / "loop2.txt").symlink_to(loop)

    lib = Library(tmp_path / "lib")
    paths = [*sorted(src.iterdir()), tmp_path / "vanished.txt"]
    events = by_path(ingest_paths(lib, paths, nlp))

    for path, reason in bad.items():
        event = events[str(path)]
        assert event.status == "error" and reason.lower() in (event.error or "").lower(), event
    assert events[str(loop)].status == "error" and "loop" in (events[str(loop)].error or "")
    assert events[str(tmp_path / "vanished.txt")].error == "no such file or directory"

    for path in (good, utf16, crlf, unbalanced):
        assert events[str(path)].status == "added", events[str(path)]
    crlf_article = lib.article(events[str(crlf)].article_id)
    assert crlf_article.text == crlf.read_bytes().decode("utf-8")  # \r\n kept: offsets exact
    for q in lib.quotes(events[str(crlf)].article_id):
        assert crlf_article.text[q.start : q.end] == q.text
    assert len(lib.articles()) == 4


@pytest.mark.slow
def test_folder_of_many_files_with_a_few_bad(tmp_path, nlp):
    folder = tmp_path / "many"
    for i in range(1000):
        write(
            folder / f"sub{i % 7}" / f"a{i:04}.txt",
            f"Story {i}\n\nThe clerk said item {i} was filed.\n",
        )
    for name in ("bad1.txt", "bad2.txt", "bad3.txt"):
        write(folder / "sub3" / name, b"\x00\x01\x02" * 50)
    (folder / "sub2" / "up").symlink_to(folder)  # a folder loop must be walked once

    lib = Library(tmp_path / "lib")
    events = ingest_paths(lib, [folder], nlp)
    errors = [e for e in events if e.status == "error"]
    assert sorted(Path(e.path).name for e in errors) == ["bad1.txt", "bad2.txt", "bad3.txt"]
    assert sum(e.status == "added" for e in events) == 1000
    assert len(lib.articles()) == 1000


def test_file_vanishing_during_ingest(tmp_path, nlp, monkeypatch):
    first = write(tmp_path / "a.txt", "A\n\n" + GOOD)
    second = write(tmp_path / "b.txt", "B story\n\nThe clerk said it was filed.\n")
    real_read = ingest.read_article_capture

    def read_and_delete_next(path: Path, **kwargs) -> tuple[Article, Capture]:
        article, capture = real_read(path, **kwargs)
        if path == first:
            second.unlink()  # gone between the folder walk and its read
        return article, capture

    monkeypatch.setattr(ingest, "read_article_capture", read_and_delete_next)
    events = by_path(ingest_paths(Library(tmp_path / "lib"), [tmp_path], nlp))
    assert events[str(first)].status == "added"
    assert events[str(second)].status == "error" and "not found" in (
        events[str(second)].error or ""
    )


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their mode")
def test_unreadable_file(tmp_path, nlp):
    path = write(tmp_path / "secret.txt", "Secret\n\n" + GOOD)
    path.chmod(0)
    [event] = ingest_paths(Library(tmp_path / "lib"), [path], nlp)
    assert event.status == "error" and "permission" in (event.error or "")


def test_long_text_is_parsed_in_chunks_with_exact_offsets(tmp_path, nlp):
    para = "“We will rebuild the bridge,” the mayor said. The council agreed.\n\n"
    text = "Long story\n\n" + para * 300  # ~20,000 chars: several 5,000-char chunks
    article = Article(text=text, title="Long story")
    spans = chunk_spans(article, 5000)
    assert len(spans) > 1 and spans[0][0] == 0 and spans[-1][1] == len(text)
    assert all(a[1] == b[0] for a, b in zip(spans, spans[1:], strict=False))
    [(_, quotes, error)] = list(attribute_texts(nlp, [(text, None)], chunk_chars=5000))
    assert error is None and len(quotes) == 300
    assert all("We will rebuild the bridge" in text[q.start : q.end] for q in quotes)
    last = quotes[-1]
    assert text[last.speaker_start : last.speaker_end] == "the mayor"
    # a quote's pieces move with it: every segment lies inside its quote, far into the text
    assert all(last.start <= s.start <= s.end <= last.end for s in last.segments)


def test_seed_if_empty_fills_once(tmp_path, nlp):
    lib = Library(tmp_path / "lib")
    [event] = seed_if_empty(lib, nlp)
    assert event.status == "added" and event.title.startswith("Hamas Releases")
    assert seed_if_empty(lib, nlp) == []


def test_expand_paths_dedupes_and_keeps_order(tmp_path):
    a = write(tmp_path / "d" / "a.txt", "A")
    write(tmp_path / "d" / "notes.pdf", "x")
    write(tmp_path / "d" / ".hidden.txt", "x")
    files, errors = expand_paths([a, tmp_path / "d"])
    assert files == [a] and errors == []


def test_unreadable_subfolder_is_reported_not_skipped(tmp_path, nlp, monkeypatch):
    write(tmp_path / "in" / "a.txt", "A story\n\n" + GOOD)
    locked = tmp_path / "in" / "locked"
    write(locked / "b.txt", "B story\n\n" + GOOD)
    real_scandir = os.scandir

    def scandir(path="."):  # what a folder without read permission does (root ignores modes)
        if Path(path) == locked:
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    files, errors = expand_paths([tmp_path / "in"])
    assert files == [tmp_path / "in" / "a.txt"]
    assert [(e.path, e.error) for e in errors] == [(str(locked), "permission denied")]
    events = ingest_paths(Library(tmp_path / "lib"), [tmp_path / "in"], nlp)
    assert sorted(e.status for e in events) == ["added", "error"]


def test_parse_batches_are_bounded_in_characters(nlp):
    """spaCy holds a whole batch in memory at once: 16 long chunks in one batch took a 2 MB
    file to 5.7 GB. Short articles still share batches; long chunks never pile up."""
    seen: list[int] = []

    class Recording:
        def pipe(self, texts, **kwargs):
            texts = list(texts)
            seen.append(sum(len(text) for text in texts))
            return nlp.pipe(texts, **kwargs)

    para = "“We will rebuild the bridge,” the mayor said. The council agreed.\n\n"
    short = [Article(text=f"Story {i}\n\n{para}", title=f"Story {i}") for i in range(20)]
    long = Article(text="Long story\n\n" + para * 300, title="Long story")  # ~20,000 chars
    items = [(a.text, a) for a in [*short, long]]
    results = list(attribute_texts(Recording(), items, chunk_chars=5000, batch_chars=12_000))
    assert [a.title for a, _, _ in results] == [a.title for a in [*short, long]]
    assert len(results[-1][1]) == 300 and all(len(q) == 1 for _, q, _ in results[:-1])
    assert max(seen) <= 12_000
    assert len(seen) < 21 + 4  # short articles were batched together, not one by one


def test_char_batches_keep_order_and_limits():
    items = [("x" * n, n) for n in (5, 5, 5, 30, 1, 1, 1, 1)]
    batches = list(char_batches(items, 10, 3))
    assert [[n for _, n in b] for b in batches] == [[5, 5], [5], [30], [1, 1, 1], [1]]


def test_a_text_denser_than_the_parse_budget_is_one_line_and_the_batch_goes_on(tmp_path, nlp):
    # 3 MB of quote marks: 3 million tokens, more than 10 MB of prose would have
    from saidwho.extract_stream import MAX_TOKENS

    dense = tmp_path / "marks.txt"
    dense.write_text("Marks\n\n" + '"' * (MAX_TOKENS + 500_000), encoding="utf-8")
    good = write(tmp_path / "good.txt", "Good\n\n" + GOOD)
    events = ingest_paths(Library(tmp_path / "lib"), [dense, good], nlp)
    by_path = {e.path: e for e in events}
    refused = by_path[str(dense)]
    assert refused.status == "error"
    assert "too dense to parse within the budget" in (refused.error or "")
    assert by_path[str(good)].status == "added"
