"""The catalog as shards and an index (schema 2): a write touches what it changes, a read
loads what it shows, and a library of schema 1 (one catalog.json) is migrated in place."""

from __future__ import annotations

import dataclasses
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from saidwho.core.quote import Quote
from saidwho.readers.article import Article, paragraph_spans
from saidwho.store import Library, SchemaError, doctor, records
from saidwho.store.journal import JOURNAL, checkpoint
from saidwho.store.notes import draft_note
from saidwho.store.shape import to_doc
from saidwho.store.shards import index_path, shard_path
from saidwho.store.storage import atomic_write, dumps


def story(n: int) -> tuple[Article, list[Quote]]:
    text = f'Story {n} opens.\n\n"We will finish part {n}," said Ana Ruiz.\n'
    start = text.index('"') + 1
    end = text.index('"', start)
    quote = Quote("direct", start, end, start - 1, len(text) - 1, 0.9, speaker="Ana Ruiz")
    article = Article(
        text=text, title=f"Story {n}", source="Desk", path=f"/news/{n}.txt",
        paragraphs=paragraph_spans(text),
    )  # fmt: skip
    return article, [quote]


def write_schema_1(root: Path, count: int) -> dict[str, bytes]:
    """A library as saidwho wrote it up to schema 1: article files, one catalog.json (written
    twice through the atomic helper, so it has its .bak), notes.json with a note, a review
    and a read mark, and the journal's snapshot. Returns the bytes of the files it wrote."""
    entries = {}
    notes: dict[str, dict] = {"notes": {}, "reviews": {}, "reads": {}}
    for n in range(count):
        article, quotes = story(n)
        aid = article.content_id
        stamp = f"2026-01-01T00:00:{n:02d}.000000Z"
        body = records.body_tables(aid, article, quotes, stamp, stamp)
        atomic_write(records.body_path(root, aid), dumps(body), backup=False)
        entries[str(records.article_doc_id(aid))] = records.summary(body)
        if n == 1:
            note = draft_note(article, aid, start=0, end=5, text="check this")
            notes["notes"][str(records.note_doc_id(note.id))] = {
                **note.to_json(),
                "text_sha256": article.sha256,
            }
            notes["reads"][str(records.article_doc_id(aid))] = {"article_id": aid, "at": stamp}
    meta = {"1": to_doc(records.SchemaMeta(1))}
    atomic_write(root / "catalog.json", dumps({"meta": meta, "articles": {}}), backup=False)
    atomic_write(root / "catalog.json", dumps({"meta": meta, "articles": entries}))
    atomic_write(root / "notes.json", dumps(notes), backup=False)
    checkpoint(root / JOURNAL, notes)
    return {str(p.relative_to(root)): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def stamps(folder: Path) -> dict[str, tuple[int, int]]:
    return {p.name: (p.stat().st_ino, p.stat().st_mtime_ns) for p in folder.iterdir()}


def test_a_schema_1_library_is_migrated_in_place_with_a_backup(tmp_path: Path) -> None:
    root = tmp_path / "lib"
    before = write_schema_1(root, 12)
    legacy = json.loads(before["catalog.json"])["articles"]

    lib = Library(root)

    index = json.loads(index_path(root).read_text(encoding="utf-8"))
    assert index["meta"] == {"1": {"schema_version": 3}}  # then 2 -> 3: the notes too
    assert not (root / "catalog.json").exists() and not (root / "catalog.json.bak").exists()
    kept = root / "migrated" / "schema-1"
    assert (kept / "catalog.json").read_bytes() == before["catalog.json"]
    assert (kept / "catalog.json.bak").read_bytes() == before["catalog.json.bak"]
    # every entry is in the shard its id names, exactly as catalog.json had it
    for key, entry in legacy.items():
        shard = json.loads(shard_path(root, entry["id"][:2]).read_text(encoding="utf-8"))
        assert shard["articles"][key] == entry
    assert set(index["articles"]) == set(legacy)
    # the user's files are kept as they were (test_store_note_shards: the 2 -> 3 step)
    for name in ("notes.json", JOURNAL):
        assert (root / "migrated" / "schema-2" / name).read_bytes() == before[name]
    summaries = lib.articles()
    assert sorted(a.id for a in summaries) == sorted(e["id"] for e in legacy.values())
    assert [a.title for a in summaries] == [f"Story {n}" for n in reversed(range(12))]
    assert [(a.notes, a.read) for a in summaries if a.title == "Story 1"] == [(1, True)]
    assert doctor(root).problems == []
    # opened again: nothing to migrate, nothing rewritten
    catalog_before = stamps(root / "catalog")
    Library(root).articles()
    assert stamps(root / "catalog") == catalog_before


def test_an_interrupted_migration_resumes(tmp_path: Path, monkeypatch) -> None:
    """Killed before the index is written: catalog.json is still the catalog and the next
    opening migrates again. Killed after: the next opening only sets catalog.json aside."""
    from saidwho.store import shard_migration
    from saidwho.store.storage import AtomicJSONStorage

    root = tmp_path / "lib"
    before = write_schema_1(root, 5)
    real_write = AtomicJSONStorage.write

    def dies_at_the_index(self, data):
        if self.path.name == "index.json":
            raise KeyboardInterrupt
        real_write(self, data)

    monkeypatch.setattr(AtomicJSONStorage, "write", dies_at_the_index)
    with pytest.raises(KeyboardInterrupt):
        Library(root)
    monkeypatch.undo()
    assert (root / "catalog.json").read_bytes() == before["catalog.json"]
    assert not index_path(root).exists()

    def dies_setting_aside(root: Path) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(shard_migration, "set_aside", dies_setting_aside)
    with pytest.raises(KeyboardInterrupt):
        Library(root)
    monkeypatch.undo()
    assert index_path(root).exists() and (root / "catalog.json").exists()
    assert len(Library(root).articles()) == 5
    assert not (root / "catalog.json").exists()
    kept = root / "migrated" / "schema-1" / "catalog.json"
    assert kept.read_bytes() == before["catalog.json"]
    assert doctor(root).problems == []


def saidwho(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "saidwho", *args], capture_output=True, text=True, check=False
    )


@pytest.mark.slow
@pytest.mark.parametrize("layout", ["index", "catalog.json"])
def test_a_newer_schema_is_refused_in_one_line(tmp_path: Path, layout: str) -> None:
    root = tmp_path / "lib"
    if layout == "index":
        lib = Library(root)
        lib.save_article(*story(0))
        data = json.loads(index_path(root).read_text(encoding="utf-8"))
        data["meta"] = {"1": {"schema_version": 4}}
        index_path(root).write_text(json.dumps(data), encoding="utf-8")
    else:  # a newer saidwho that still wrote one catalog.json: refused all the same
        write_schema_1(root, 2)
        data = json.loads((root / "catalog.json").read_text(encoding="utf-8"))
        data["meta"] = {"1": {"schema_version": 4}}
        (root / "catalog.json").write_text(json.dumps(data), encoding="utf-8")
    before = {p: p.read_bytes() for p in root.rglob("*") if p.is_file()}
    done = saidwho("--db", str(root), "list")
    assert done.returncode == 1 and done.stdout == ""
    [line] = done.stderr.splitlines()
    assert line.startswith("saidwho: ") and "newer saidwho" in line and "schema 4" in line
    assert {p: p.read_bytes() for p in root.rglob("*") if p.is_file()} == before
    with pytest.raises(SchemaError):
        Library(root)


def test_saving_an_article_rewrites_its_shard_and_the_index_only(tmp_path: Path) -> None:
    lib = Library(tmp_path / "lib")
    lib.save_articles([story(n) for n in range(40)])
    folder = lib.root / "catalog"
    before = stamps(folder)
    assert len([n for n in before if not n.endswith(".bak")]) > 20  # spread over shards
    article, quotes = story(99)
    aid, status = lib.save_article(article, quotes)
    assert status == "added"
    after = stamps(folder)
    changed = {n for n in after if after[n] != before.get(n)}
    assert changed - {f"{aid[:2]}.json.bak", "index.json.bak"} == {f"{aid[:2]}.json", "index.json"}
    # a note, a review, a read mark: no catalog file at all
    lib.add_note(aid, start=0, end=5, text="n")
    lib.review_quote(aid, lib.quotes(aid)[0].id, disputed=True)
    lib.mark_read(aid)
    assert stamps(folder) == after
    # another process sees the new article through the index
    assert aid in {a.id for a in Library(lib.root).articles()}


@pytest.mark.slow
def test_an_action_on_one_article_reads_its_shard_alone(tmp_path: Path) -> None:
    """Every other shard is damaged: `notes add` (on a span or a quote) and `notes list
    ARTICLE` on an article still work (they never parse them), while `list` names the
    damage."""
    lib = Library(tmp_path / "lib")
    ids = [aid for aid, _ in lib.save_articles([story(n) for n in range(30)])]
    target = ids[0]
    quote = lib.quotes(target)[0].id
    damaged = [
        p
        for p in (lib.root / "catalog").glob("*.json")
        if p.name not in {"index.json", f"{target[:2]}.json"}
    ]
    assert len(damaged) > 10
    for path in damaged:
        path.write_bytes(b"\x00 not json")
    db = ["--db", str(lib.root)]
    added = saidwho(*db, "notes", "add", target[:8], "--span", "0:5", "--text", "seen")
    assert added.returncode == 0, added.stderr
    on_quote = saidwho(*db, "notes", "add", target, "--quote", quote[:6], "--text", "said")
    assert on_quote.returncode == 0, on_quote.stderr
    listed = saidwho(*db, "notes", "list", target, "--json")
    assert [n["text"] for n in json.loads(listed.stdout)] == ["seen", "said"]
    whole = saidwho(*db, "list")
    assert whole.returncode == 1 and "catalog/" in whole.stderr and "damaged" in whole.stderr


def test_list_streams_the_library_newest_first(tmp_path: Path) -> None:
    from saidwho.store.listing import stream_articles

    lib = Library(tmp_path / "lib")
    ids = [aid for aid, _ in lib.save_articles([story(n) for n in range(25)])]
    lib.add_note(ids[3], start=0, end=5, text="n")
    lib.mark_read(ids[4])
    lib.review_quote(ids[5], lib.quotes(ids[5])[0].id, speaker="Bo Li")
    fresh = Library(lib.root)
    streamed = list(stream_articles(fresh))
    assert streamed == lib.articles(named=False)
    assert streamed[0].id == ids[-1]  # the newest first
    assert [s.speakers for s in streamed if s.id == ids[5]] == [("Bo Li",)]


@pytest.mark.slow
def test_cli_list_prints_the_same_articles_as_the_library(tmp_path: Path) -> None:
    lib = Library(tmp_path / "lib")
    lib.save_articles([story(n) for n in range(12)])
    db = ["--db", str(lib.root)]
    as_json = saidwho(*db, "list", "--json")
    assert as_json.returncode == 0, as_json.stderr
    assert [a["id"] for a in json.loads(as_json.stdout)] == [a.id for a in lib.articles()]
    table = saidwho(*db, "list").stdout.splitlines()
    assert table[0].split() == [
        "ID",
        "TITLE",
        "SOURCE",
        "DATE",
        "QUOTES",
        "NOTES",
        "PATH",
        "OR",
        "URL",
    ]
    assert [row.split()[0] for row in table[1:]] == [a.id for a in lib.articles()]
    empty = saidwho("--db", str(tmp_path / "empty"), "list", "--json")
    assert json.loads(empty.stdout) == []
    assert os.environ.get("SAIDWHO_DB") != str(lib.root)


def test_known_texts_paths_and_urls_are_found_through_the_index(tmp_path: Path) -> None:
    lib = Library(tmp_path / "lib")
    lib.save_articles([story(n) for n in range(20)])
    article, quotes = story(50)
    saved = Article(
        text=article.text, title="Saved page", path="/pages/50.html",
        url="https://example.org/50", paragraphs=article.paragraphs,
    )  # fmt: skip
    aid, _ = lib.save_article(saved, quotes)
    fresh = Library(lib.root)  # nothing cached: only the index and one shard to go by
    assert fresh.has_url("https://example.org/50") == aid
    assert fresh.has_url("https://example.org/51") is None
    assert fresh.has_text(saved.sha256) == aid
    # the same path with a new text is the same article, updated under its id
    edited = Article(
        text=saved.text + "More.\n", title="Saved page", path="/pages/50.html",
        paragraphs=paragraph_spans(saved.text + "More.\n"),
    )  # fmt: skip
    assert fresh.save_article(edited, quotes) == (aid, "updated")
    assert fresh.has_text(saved.sha256) is None and len(fresh.articles()) == 21
    # the old text again from elsewhere is a new article (its id is taken: salted)
    again, status = fresh.save_article(dataclasses.replace(saved, path="/x.html", url=None), quotes)
    assert status == "added" and again != aid and fresh.has_text(saved.sha256) == again
