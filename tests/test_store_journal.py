"""The journal: nothing a reviewer wrote is lost, even with a notes shard and its .bak damaged
(each shard of notes/ has its own journal: store/note_shards.py)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from saidwho.core.quote import Quote
from saidwho.readers.article import Article, paragraph_spans
from saidwho.store import Library, doctor
from saidwho.store.journal import MIN_COMPACT_BYTES, replay
from saidwho.store.note_shards import journal_path, shard_path


def make(text: str, path: str) -> tuple[Article, list[Quote]]:
    start = text.index('"') + 1
    end = text.index('"', start)
    quote = Quote("direct", start, end, 0, len(text), 0.9, speaker="Ana Ruiz")
    return Article(text=text, title=path, path=path, paragraphs=paragraph_spans(text)), [quote]


@pytest.fixture
def lib(tmp_path: Path) -> tuple[Library, str]:
    library = Library(tmp_path / "lib")
    aid, _ = library.save_article(*make('Story.\n\n"Quote," said Ana Ruiz.\n', "/0.txt"))
    return library, aid


def state(library: Library) -> tuple:
    fresh = Library(library.root)
    notes = sorted((n.id, n.text, n.tags) for n in fresh.notes())
    return (
        notes,
        [(q.id, q.disputed, q.speaker) for q in fresh.all_quotes()],
        [a.read for a in fresh.articles()],
    )


@pytest.mark.parametrize("bak", ["kept", "damaged", "missing"])
def test_damaged_notes_and_backup_lose_no_acknowledged_write(lib, bak: str) -> None:
    library, aid = lib
    notes = [library.add_note(aid, start=0, end=5, text=f"note {n}") for n in range(4)]
    library.update_note(notes[1].id, text="edited", tags=["t"])
    library.delete_note(notes[2].id)
    quote = library.quotes(aid)[0]
    library.review_quote(aid, quote.id, disputed=True, speaker="Bo Li")
    library.mark_read(aid)
    want = state(library)

    path = shard_path(library.root, aid[:2])
    path.write_bytes(path.read_bytes()[:40])  # torn
    backup = path.with_name(path.name + ".bak")
    if bak == "damaged":
        backup.write_bytes(b"{not json")
    elif bak == "missing":
        backup.unlink()

    report = doctor(library.root)
    assert not report.ok
    report = doctor(library.root, repair=True)
    assert report.ok, report.lines()
    name = f"rebuilt notes/{aid[:2]}.json from notes/{aid[:2]}.journal.jsonl"
    line = next(a for a in report.actions if a.startswith(name))
    recovered = int(line.split("recovered ")[1].split()[0])
    # the backup lacked the last write at least; with no backup, every record came back
    assert recovered >= 1 if bak == "kept" else recovered == 5  # 3 notes, a review, a read
    assert state(library) == want
    assert doctor(library.root).ok


def test_journal_is_appended_and_compacted(lib) -> None:
    library, aid = lib
    journal = journal_path(library.root, aid[:2])
    library.add_note(aid, start=0, end=5, text="x")
    assert [json.loads(x)["op"] for x in journal.read_text().splitlines()] == ["snapshot"]
    library.add_note(aid, start=0, end=5, text="x2")
    lines = journal.read_text().splitlines()
    assert json.loads(lines[0])["op"] == "snapshot"  # it starts complete
    assert json.loads(lines[-1])["op"] == "put" and json.loads(lines[-1])["table"] == "notes"
    big = "y" * 2000
    for _ in range(300):  # ~600 KB written through the journal
        library.add_note(aid, start=0, end=5, text=big)
    notes_size = shard_path(library.root, aid[:2]).stat().st_size
    assert journal.stat().st_size <= max(MIN_COMPACT_BYTES, 2 * notes_size) + 8192
    replayed, torn = replay(journal)
    assert torn == 0 and replayed is not None and len(replayed["notes"]) == 302


def test_a_torn_journal_line_is_skipped_and_the_next_append_starts_fresh(lib) -> None:
    library, aid = lib
    journal = journal_path(library.root, aid[:2])
    library.add_note(aid, start=0, end=5, text="one")
    with journal.open("ab") as fh:
        fh.write(b'{"op":"put","table":"no')  # a crash mid-append
    library.add_note(aid, start=0, end=5, text="two")
    replayed, torn = replay(journal)
    assert torn == 1 and replayed is not None
    assert sorted(d["text"] for d in replayed["notes"].values()) == ["one", "two"]


def test_a_quarantined_record_does_not_come_back_from_the_journal(lib) -> None:
    library, aid = lib
    library.add_note(aid, start=0, end=5, text="good")
    path = shard_path(library.root, aid[:2])
    data = json.loads(path.read_text())
    data["notes"]["1"] = {"id": "bad", "start": "x", "article_id": aid}
    path.write_text(json.dumps(data))
    library.add_note(aid, start=0, end=5, text="after")  # TinyDB rewrites the bad record too
    assert doctor(library.root, repair=True).ok
    assert doctor(library.root).ok  # the journal agrees with the repaired file
    assert sorted(n.text for n in Library(library.root).notes()) == ["after", "good"]
