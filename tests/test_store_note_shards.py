"""What the user wrote as shards by article id (schema 3, store/note_shards.py): the
migration from one notes.json made by the release before, a write that touches one shard,
doctor rebuilding a shard from its journal, and two processes writing at once."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from saidwho.core.quote import Quote
from saidwho.readers.article import Article, paragraph_spans
from saidwho.store import Library, doctor, notes_migration
from saidwho.store.errors import SchemaError
from saidwho.store.journal import replay
from saidwho.store.note_shards import SHARED, index_path, journal_path, shard_path
from saidwho.store.schema import SCHEMA_VERSION, peek_meta
from saidwho.store.shards import digest_of
from saidwho.store.shards import index_path as catalog_index

FIXTURE = Path(__file__).parent / "fixtures" / "schema2"


def schema(root: Path) -> int:
    meta = json.loads(catalog_index(root).read_text(encoding="utf-8"))["meta"]
    return int(next(iter(meta.values()))["schema_version"])


def shown(lib: Library) -> dict:
    """What a library shows of what the user wrote, in expected.json's shape."""
    return {
        "notes": [n.to_json() for n in lib.notes()],
        "reviewed": [q.to_json() for q in lib.reviewed_quotes()],
        "read": sorted(a.id for a in lib.articles() if a.read),
        "note_counts": {a.id: a.notes for a in lib.articles() if a.notes},
        "decisions": lib.speaker_decisions(),
        "speakers": sorted(s.speaker for s in lib.speakers()),
    }


def filled(path: Path) -> dict:
    """A file's tables that hold records (a journal's snapshot leaves empty ones out)."""
    return {name: docs for name, docs in json.loads(path.read_text()).items() if docs}


def stamps(folder: Path) -> dict[str, tuple[int, int]]:
    return {p.name: (p.stat().st_ino, p.stat().st_mtime_ns) for p in folder.iterdir()}


@pytest.fixture
def old_library(tmp_path: Path) -> Path:
    """A copy of the library the release before (schema 2) wrote: fixtures/schema2/make.py."""
    root = tmp_path / "lib"
    shutil.copytree(FIXTURE / "library", root)
    assert schema(root) == 2 and (root / "notes.json").exists()
    return root


def test_a_schema_2_library_is_migrated_in_place_with_a_backup(old_library: Path) -> None:
    root = old_library
    expected = json.loads((FIXTURE / "expected.json").read_text(encoding="utf-8"))
    before = {n: (root / n).read_bytes() for n in ("notes.json", "notes.json.bak", "journal.jsonl")}
    legacy = json.loads(before["notes.json"])

    lib = Library(root)

    assert schema(root) == SCHEMA_VERSION == 3
    kept = root / "migrated" / "schema-2"
    for name, raw in before.items():
        assert not (root / name).exists() and (kept / name).read_bytes() == raw
    # every record is in the shard of its article (the decisions: shared), as it was
    for table, docs in legacy.items():
        for key, doc in docs.items():
            name = doc["article_id"][:2] if "article_id" in doc else SHARED
            assert json.loads(shard_path(root, name).read_text())[table][key] == doc
            # and each shard's journal alone rebuilds it
            assert replay(journal_path(root, name))[0] == filled(shard_path(root, name))
    assert shown(lib) == shown(Library(root)) == expected  # what the release before showed
    assert doctor(root).problems == []
    # opened again: nothing to migrate, nothing rewritten
    notes_before = stamps(root / "notes")
    Library(root).notes()
    assert stamps(root / "notes") == notes_before


def test_doctor_checks_a_library_not_yet_migrated(old_library: Path) -> None:
    report = doctor(old_library)
    # a library of the release before has no quote map yet (built on first use): the one
    # warning; nothing else is wrong with it
    assert report.problems == [], report.lines()
    assert [w for w in report.warnings if not w.startswith("quote-map:")] == [], report.lines()
    assert (old_library / "notes.json").exists()  # doctor never migrates


@pytest.mark.parametrize("dies", ["writing the shards", "setting notes.json aside"])
def test_an_interrupted_notes_migration_resumes(old_library: Path, monkeypatch, dies) -> None:
    root = old_library
    expected = json.loads((FIXTURE / "expected.json").read_text(encoding="utf-8"))
    notes_before = (root / "notes.json").read_bytes()
    if dies == "writing the shards":
        real, calls = notes_migration.checkpoint, []

        def checkpoint(path, tables):
            calls.append(path)
            if len(calls) == 3:  # two shards laid out, the third's journal not
                raise KeyboardInterrupt
            real(path, tables)

        monkeypatch.setattr(notes_migration, "checkpoint", checkpoint)
    else:

        def set_aside(root: Path) -> None:
            raise KeyboardInterrupt

        monkeypatch.setattr(notes_migration, "set_aside", set_aside)
    with pytest.raises(KeyboardInterrupt):
        Library(root)
    monkeypatch.undo()
    # still schema 2, notes.json still the notes: the next opening lays it out again
    assert schema(root) == 2 and (root / "notes.json").read_bytes() == notes_before
    lib = Library(root)
    assert schema(root) == 3 and not (root / "notes.json").exists()
    assert (root / "migrated" / "schema-2" / "notes.json").read_bytes() == notes_before
    assert shown(lib) == expected
    assert doctor(root).problems == []


def test_a_backup_without_its_notes_json_is_left_to_doctor(old_library: Path) -> None:
    (old_library / "notes.json").unlink()
    with pytest.raises(Exception, match="doctor --repair"):
        Library(old_library)
    assert schema(old_library) == 2  # nothing migrated, nothing lost
    assert doctor(old_library, repair=True).ok
    assert len(Library(old_library).notes()) >= 4  # restored, then migrated


def story(n: int) -> tuple[Article, list[Quote]]:
    text = f'Story {n}.\n\n"Words {n} here," said Ana Ruiz.\n'
    start = text.index('"') + 1
    quote = Quote("direct", start, text.index('"', start), 0, len(text), 0.9, speaker="Ana Ruiz")
    article = Article(text=text, title=f"S{n}", path=f"/{n}.txt", paragraphs=paragraph_spans(text))
    return article, [quote]


@pytest.fixture
def spread(tmp_path: Path) -> tuple[Library, list[str]]:
    """40 articles, a note on each: notes in many shards."""
    lib = Library(tmp_path / "lib")
    ids = [aid for aid, _ in lib.save_articles([story(n) for n in range(40)])]
    for aid in ids:
        lib.add_note(aid, start=0, end=5, text=f"on {aid}")
    assert len({aid[:2] for aid in ids}) > 20
    return lib, ids


def changed(before: dict, after: dict) -> set[str]:
    return {n for n in before.keys() | after.keys() if before.get(n) != after.get(n)}


def test_a_write_touches_its_articles_shard_and_the_index_only(spread) -> None:
    lib, ids = spread
    folder = lib.root / "notes"
    aid = ids[7]
    own = {f"{aid[:2]}.json", f"{aid[:2]}.json.bak", f"{aid[:2]}.journal.jsonl", "index.json"}
    quote = lib.quotes(aid)[0]
    for write in (
        lambda: lib.add_note(aid, start=0, end=5, text="one more"),
        lambda: lib.review_quote(aid, quote.id, disputed=True),
        lambda: lib.mark_read(aid),
        lambda: lib.update_note(lib.notes(aid)[0].id, text="edited"),
        lambda: lib.delete_note(lib.notes(aid)[-1].id),
    ):
        before = stamps(folder)
        write()
        assert changed(before, stamps(folder)) <= own
        assert f"{aid[:2]}.json" in changed(before, stamps(folder))
    # a speaker decision belongs to no article: the shared shard
    before = stamps(folder)
    lib.rename_speaker("Ana Ruiz", "Ana R.")
    assert changed(before, stamps(folder)) <= {
        "shared.json", "shared.json.bak", "shared.journal.jsonl", "index.json"
    }  # fmt: skip
    # the index names every shard's bytes: another process sees exactly what changed
    index = json.loads(index_path(lib.root).read_text())["shards"]
    raw = shard_path(lib.root, aid[:2]).read_bytes()
    count = sum(len(t) for t in json.loads(raw).values())
    assert index[aid[:2]] == {"count": count, "digest": digest_of(raw)}
    assert doctor(lib.root).problems == []
    fresh = Library(lib.root)
    assert [n.text for n in fresh.notes(aid)] == ["edited"]
    assert [q.review for q in fresh.reviewed_quotes(aid)] == ["disputed"]


def test_doctor_rebuilds_a_shard_from_its_journal_when_its_bak_is_damaged(spread) -> None:
    lib, ids = spread
    aid = ids[3]
    lib.add_note(aid, start=0, end=5, text="second")
    lib.review_quote(aid, lib.quotes(aid)[0].id, confirmed=True)
    want = shown(lib)
    others = {p.name: p.read_bytes() for p in (lib.root / "notes").glob("*.json")}
    path = shard_path(lib.root, aid[:2])
    path.write_bytes(b'{"notes": {"1": {"tru')
    path.with_name(path.name + ".bak").write_bytes(b"\x00garbage")

    with pytest.raises(Exception, match="doctor --repair"):
        Library(lib.root).notes()
    report = doctor(lib.root)
    assert not report.ok and any(p.startswith(f"notes/{aid[:2]}.json:") for p in report.problems)
    report = doctor(lib.root, repair=True)
    assert report.ok, report.lines()
    rebuilt = f"rebuilt notes/{aid[:2]}.json from notes/{aid[:2]}.journal.jsonl"
    assert any(a.startswith(rebuilt) for a in report.actions), report.actions
    assert shown(Library(lib.root)) == want  # nothing acknowledged was lost
    for name, raw in others.items():  # the other shards were not touched
        if name not in (path.name, "index.json"):
            assert (lib.root / "notes" / name).read_bytes() == raw
    assert doctor(lib.root).ok


WRITER = """
import sys
from saidwho.store import Library
lib = Library(sys.argv[1])
ids = sys.argv[3].split(",")
print("ready", flush=True)
sys.stdin.readline()
for n in range(int(sys.argv[2])):
    aid = ids[n % len(ids)]
    lib.add_note(aid, start=0, end=5, text=f"{sys.argv[4]} {n}")
    if n % 5 == 0:
        quote = lib.quotes(aid)[0]
        lib.review_quote(aid, quote.id, disputed=n % 10 == 0)
"""


def test_two_processes_writing_notes_at_once_lose_nothing(spread) -> None:
    lib, ids = spread
    per_process = 40
    children = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, str(lib.root), str(per_process), ",".join(ids), tag],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            env={**os.environ, "SAIDWHO_REVIEWER": tag},
        )  # fmt: skip
        for tag in ("left", "right")
    ]
    for child in children:
        assert child.stdout is not None and child.stdout.readline() == "ready\n"
    for child in children:  # go together
        assert child.stdin is not None
        child.stdin.write("go\n")
        child.stdin.flush()
    for child in children:
        assert child.wait(timeout=300) == 0
    fresh = Library(lib.root)
    texts = [n.text for n in fresh.notes()]
    for tag in ("left", "right"):
        assert sorted(t for t in texts if t.startswith(tag)) == sorted(
            f"{tag} {n}" for n in range(per_process)
        )
    assert len(texts) == len(ids) + 2 * per_process
    assert doctor(lib.root).problems == []
    # every shard's journal agrees with it
    for path in (lib.root / "notes").glob("*.journal.jsonl"):
        shard = path.with_name(path.name.replace(".journal.jsonl", ".json"))
        assert replay(path)[0] == filled(shard)


def test_opening_reads_the_schema_from_the_index_head(spread) -> None:
    lib, ids = spread
    index = catalog_index(lib.root)
    assert peek_meta(index) == json.loads(index.read_text())["meta"]
    # written otherwise (meta last): no peek, the whole index is read, the library opens
    data = json.loads(index.read_text())
    index.write_text(json.dumps({"shards": data["shards"], "articles": data["articles"],
                                 "meta": data["meta"]}))  # fmt: skip
    assert peek_meta(index) is None
    assert sorted(a.id for a in Library(lib.root).articles()) == sorted(ids)
    # a newer schema in the head is refused all the same, in one line
    data["meta"] = {"1": {"schema_version": SCHEMA_VERSION + 1}}
    index.write_text(json.dumps(data))
    with pytest.raises(SchemaError, match="newer saidwho"):
        Library(lib.root)


def test_a_notes_json_at_schema_3_joins_the_shards_and_never_replaces_them(
    old_library: Path,
) -> None:
    """doctor may rebuild a schema 2 library's catalog at schema 3 before it is opened (or an
    old notes.json is put back by hand): its records join the shards, none replacing one."""
    expected = json.loads((FIXTURE / "expected.json").read_text(encoding="utf-8"))
    old = (old_library / "notes.json").read_bytes()
    lib = Library(old_library)  # migrated
    aid = expected["notes"][0]["article_id"]
    mine = lib.add_note(aid, start=0, end=5, text="written after the migration")
    lib.update_note(expected["notes"][0]["id"], text="edited after the migration")
    (old_library / "notes.json").write_bytes(old)  # back, as it was at schema 2

    again = Library(old_library)
    assert not (old_library / "notes.json").exists()
    texts = {n.id: n.text for n in again.notes()}
    assert texts[mine.id] == "written after the migration"
    assert texts[expected["notes"][0]["id"]] == "edited after the migration"  # not replaced
    assert len(texts) == len(expected["notes"]) + 1
    kept = old_library / "migrated" / "schema-2"
    assert (kept / "notes.json").read_bytes() == (kept / "notes.json.1").read_bytes() == old
    report = doctor(old_library)
    assert report.problems == [], report.lines()  # the quote map is built on first use
    assert [w for w in report.warnings if not w.startswith("quote-map:")] == [], report.lines()
