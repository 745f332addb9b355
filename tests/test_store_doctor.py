"""Damaged files: a clear error naming the file, nothing touched, and doctor puts it right."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from saidwho.core.quote import Quote
from saidwho.readers.article import Article, paragraph_spans
from saidwho.store import CorruptFileError, Library, LibraryError, SpeakerSummary, doctor
from saidwho.store.records import body_path
from saidwho.store.shards import digest_of, index_path, shard_path


def make(text: str, path: str) -> tuple[Article, list[Quote]]:
    start = text.index('"') + 1
    end = text.index('"', start)
    quote = Quote("direct", start, end, 0, len(text), 0.9, speaker="Ana Ruiz")
    return Article(text=text, title=path, path=path, paragraphs=paragraph_spans(text)), [quote]


@pytest.fixture
def library(tmp_path: Path) -> tuple[Library, list[str]]:
    lib = Library(tmp_path / "lib")
    ids = [
        lib.save_article(*make(f'Story {n}.\n\n"Quote {n}," said Ana Ruiz.\n', f"/{n}.txt"))[0]
        for n in range(3)
    ]
    return lib, ids


def damage(path: Path, how: str) -> bytes:
    raw = path.read_bytes()
    bad = {"truncate": raw[: len(raw) // 2], "garbage": b"\x00\xff not json", "empty": b""}[how]
    path.write_bytes(bad)
    return bad


def test_healthy_library(library) -> None:
    lib, _ = library
    report = doctor(lib.root)
    assert report.ok and report.problems == [] and report.files_checked >= 5
    assert "healthy" in report.format()
    assert json.loads(json.dumps(report.to_json()))["ok"] is True


def rewrite_shard(root: Path, path: Path, tables: dict) -> None:
    """Replace a shard as a saidwho writes it: the index names the shard's new bytes."""
    raw = json.dumps(tables).encode()
    path.write_bytes(raw)
    index = json.loads(index_path(root).read_text(encoding="utf-8"))
    for row in index["shards"].values():
        if row["name"] == path.stem:
            row["digest"] = digest_of(raw)
    index_path(root).write_text(json.dumps(index), encoding="utf-8")


@pytest.mark.parametrize("how", ["truncate", "garbage", "empty"])
@pytest.mark.parametrize("part", ["shard", "index"])
def test_corrupt_catalog_names_file_and_is_restored(library, how: str, part: str) -> None:
    lib, ids = library
    lib.add_note(ids[0], start=0, end=5, text="keep me")
    catalog = shard_path(lib.root, ids[0][:2]) if part == "shard" else index_path(lib.root)
    bad = damage(catalog, how)
    with pytest.raises(LibraryError, match=re.escape(str(catalog))) as err:
        Library(lib.root).articles()  # a shard is read when its articles are
    assert isinstance(err.value, CorruptFileError) and err.value.path == catalog
    assert "doctor --repair" in str(err.value)
    assert catalog.read_bytes() == bad  # left exactly as it was

    report = doctor(lib.root)  # without repair: reports, changes nothing
    assert not report.ok and any(f"catalog/{catalog.name}" in p for p in report.problems)
    assert catalog.read_bytes() == bad

    report = doctor(lib.root, repair=True)
    assert report.ok, report.lines()
    kept = list((lib.root / "damaged").rglob(catalog.name))
    assert [p.read_bytes() for p in kept] == [bad]  # moved aside, never deleted
    fresh = Library(lib.root)
    assert {a.id for a in fresh.articles()} == set(ids)
    assert [n.text for n in fresh.notes()] == ["keep me"]
    assert doctor(lib.root).problems == []


def test_catalog_rebuilt_from_article_files(library) -> None:
    lib, ids = library
    lib.mark_read(ids[1])
    for part in (lib.root / "catalog").glob("*.json"):
        part.with_name(part.name + ".bak").write_bytes(b"also broken")
        damage(part, "truncate")
    report = doctor(lib.root, repair=True)
    assert report.ok, report.lines()
    assert sum("had no good copy" in a for a in report.actions) == len({aid[:2] for aid in ids}), (
        report.actions
    )
    assert all(any(f"catalog entry for {aid} rebuilt" in a for a in report.actions) for aid in ids)
    fresh = Library(lib.root)
    assert sorted(a.id for a in fresh.articles()) == sorted(ids)
    assert [a.read for a in fresh.articles() if a.id == ids[1]] == [True]
    assert fresh.speakers() == [SpeakerSummary("Ana Ruiz", quotes=3, articles=3)]


def test_missing_catalog_is_not_silently_recreated(library) -> None:
    lib, ids = library
    for part in (lib.root / "catalog").iterdir():
        part.unlink()
    with pytest.raises(LibraryError, match="doctor --repair"):
        Library(lib.root)
    assert doctor(lib.root, repair=True).ok
    assert {a.id for a in Library(lib.root).articles()} == set(ids)


def test_corrupt_notes_restored_from_last_good_copy(library) -> None:
    lib, ids = library
    first = lib.add_note(ids[0], start=0, end=5, text="first")
    second = lib.add_note(ids[1], start=0, end=5, text="second")
    third = lib.add_note(ids[1], start=0, end=5, text="third")
    notes = lib.root / "notes" / f"{ids[1][:2]}.json"  # the second note's shard
    bad = damage(notes, "truncate")
    with pytest.raises(LibraryError, match=re.escape(str(notes))):
        Library(lib.root).notes()
    with pytest.raises(LibraryError, match=re.escape(str(notes))):
        lib.notes()  # an open library notices too
    assert notes.read_bytes() == bad
    report = doctor(lib.root, repair=True)
    assert report.ok
    # .bak is the previous generation, without the last write: the journal has that one
    assert [n.id for n in Library(lib.root).notes()] == [first.id, second.id, third.id]
    assert any("recovered 1 record(s)" in a for a in report.actions), report.actions


def test_corrupt_article_file(library) -> None:
    lib, ids = library
    note = lib.add_note(ids[2], start=0, end=5, text="still here")
    body = body_path(lib.root, ids[2])
    bad = damage(body, "garbage")
    with pytest.raises(LibraryError, match=re.escape(str(body))):
        lib.article(ids[2])
    with pytest.raises(LibraryError, match=re.escape(str(body))):
        lib.quotes(ids[2])
    assert len(lib.articles()) == 3  # the list never needed the text
    assert body.read_bytes() == bad

    report = doctor(lib.root, repair=True)
    assert report.ok, report.lines()
    assert any("body_missing" in a for a in report.actions)
    assert list((lib.root / "damaged").rglob(body.name))[0].read_bytes() == bad
    fresh = Library(lib.root)
    assert fresh.has_text(Article(text=lib_text(2), title="").sha256) is None
    # adding the file again restores the article under its id, notes included
    assert fresh.save_article(*make(lib_text(2), "/2.txt")) == (ids[2], "updated")
    assert fresh.article(ids[2]).text == lib_text(2)
    assert [n.id for n in fresh.notes(ids[2])] == [note.id]
    assert doctor(lib.root).problems == []


def test_lost_text_restored_from_a_copy_elsewhere(library) -> None:
    lib, ids = library
    body_path(lib.root, ids[1]).unlink()
    assert doctor(lib.root, repair=True).ok
    # the same text from another path restores the article under its old id
    assert lib.save_article(*make(lib_text(1), "/moved/1.txt")) == (ids[1], "updated")
    assert lib.article(ids[1]).text == lib_text(1)
    assert len(lib.articles()) == 3
    assert doctor(lib.root).problems == []


def test_corrupt_updated_article_restored_from_previous_version(library) -> None:
    lib, ids = library
    lib.save_article(*make('Story 0, corrected.\n\n"Quote 0," said Ana Ruiz.\n', "/0.txt"))
    damage(body_path(lib.root, ids[0]), "truncate")
    assert doctor(lib.root, repair=True).ok
    fresh = Library(lib.root)
    assert fresh.article(ids[0]).text == lib_text(0)  # the last good copy
    assert [a for a in fresh.articles() if a.id == ids[0]][0].text_sha256 == (
        Article(text=lib_text(0), title="").sha256
    )


def test_article_file_without_catalog_entry_is_adopted(library) -> None:
    """A crash between writing an article file and the catalog leaves a file doctor adopts."""
    lib, ids = library
    catalog = shard_path(lib.root, ids[1][:2])
    data = json.loads(catalog.read_text())
    data["articles"] = {k: v for k, v in data["articles"].items() if v["id"] != ids[1]}
    catalog.write_text(json.dumps(data))
    assert {a.id for a in Library(lib.root).articles()} == {ids[0], ids[2]}
    report = doctor(lib.root, repair=True)
    assert any(ids[1] in p for p in report.problems)
    assert {a.id for a in Library(lib.root).articles()} == set(ids)


def test_newer_schema_untouched_by_doctor(library) -> None:
    lib, _ = library
    catalog = index_path(lib.root)
    data = json.loads(catalog.read_text())
    data["meta"]["1"]["schema_version"] = 42
    catalog.write_text(json.dumps(data))
    (lib.root / ".catalog.json.x.tmp").write_text("junk")
    before = {p: p.read_bytes() for p in lib.root.rglob("*") if p.is_file()}
    report = doctor(lib.root, repair=True)
    assert not report.ok and "newer" in report.problems[0]
    assert {p: p.read_bytes() for p in lib.root.rglob("*") if p.is_file()} == before


def test_doctor_on_missing_dir(tmp_path: Path) -> None:
    report = doctor(tmp_path / "nope", repair=True)
    assert not report.ok
    assert not (tmp_path / "nope").exists()


def lib_text(n: int) -> str:
    return f'Story {n}.\n\n"Quote {n}," said Ana Ruiz.\n'


def test_catalog_entry_from_an_older_saidwho_is_not_damage(library) -> None:
    """An entry that only lacks derived fields a newer saidwho adds (here the speaker context
    and roles) is an upgrade, not a stale entry: healthy, and --repair brings it up to date."""
    lib, ids = library
    path = shard_path(lib.root, ids[0][:2])
    tables = json.loads(path.read_text(encoding="utf-8"))
    for entry in tables["articles"].values():
        for key in ("speaker_context", "speaker_roles", "speaker_mentions"):
            entry.pop(key, None)
    rewrite_shard(lib.root, path, tables)
    report = doctor(lib.root)
    assert report.ok and not report.problems, report.lines()
    repaired = doctor(lib.root, repair=True)
    assert any("brought up to date" in action for action in repaired.actions)
    fresh = json.loads(path.read_text(encoding="utf-8"))
    assert all("speaker_roles" in e for e in fresh["articles"].values())
    assert doctor(lib.root).problems == []
    # a field that disagrees is still damage
    fresh["articles"][next(iter(fresh["articles"]))]["quotes"] = 999
    rewrite_shard(lib.root, path, fresh)
    assert not doctor(lib.root).ok


def test_index_out_of_date_is_rewritten_from_the_shards(library) -> None:
    """A crash between a shard's write and the index's leaves an index naming old bytes:
    doctor says which shard, and --repair rewrites the index (the shards are the truth)."""
    lib, ids = library
    path = shard_path(lib.root, ids[2][:2])
    tables = json.loads(path.read_text(encoding="utf-8"))
    path.write_text(json.dumps(tables, indent=1), encoding="utf-8")  # the index is not told
    report = doctor(lib.root)
    assert not report.ok
    assert report.problems == [f"catalog/index.json: out of date for shard {ids[2][:2]}"]
    assert doctor(lib.root, repair=True).ok
    assert doctor(lib.root).problems == []
