"""`notes import` of a hostile file (issue 25, #6): every record checked before anything is
written, then all of a valid file in one write, or nothing and one line per bad record."""

from __future__ import annotations

import copy
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from saidwho.ingest import ingest_paths
from saidwho.store import Library, doctor

GOOD_ID = "urn:uuid:{n:08x}-1111-4111-8111-111111111111"


def saidwho(db: Path, *argv: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "SAIDWHO_DB": str(db), "SAIDWHO_REVIEWER": "kim"}
    return subprocess.run(
        [sys.executable, "-m", "saidwho", *argv], capture_output=True, text=True, env=env,
        timeout=120,
    )  # fmt: skip


@pytest.fixture
def db(tmp_path: Path, seed_path: Path, nlp) -> Path:
    db = tmp_path / "lib"
    assert [e.status for e in ingest_paths(Library(db), [seed_path], nlp)] == ["added"]
    return db


@pytest.fixture
def exported(db: Path, tmp_path: Path) -> dict:
    lib = Library(db)
    [article] = lib.articles()
    quote = lib.quotes(article.id)[1]
    lib.add_note(article.id, start=quote.start, end=quote.end, text="check it", tags=["t"])
    lib.review_quote(article.id, quote.id, confirmed=True, reviewer="kim")
    out = tmp_path / "out.jsonld"
    done = saidwho(db, "notes", "export", "--format", "jsonld", "-o", str(out))
    assert done.returncode == 0, done.stderr
    return json.loads(out.read_text(encoding="utf-8"))


def items(doc: dict) -> list[dict]:
    return doc["first"]["items"]


def with_items(doc: dict, new: list[dict]) -> dict:
    doc = copy.deepcopy(doc)
    doc["first"]["items"] = new
    return doc


def note_like(doc: dict, n: int) -> dict:
    note = copy.deepcopy(next(i for i in items(doc) if i["motivation"] == "commenting"))
    note["id"] = GOOD_ID.format(n=n)
    return note


def write(path: Path, data: object) -> Path:
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def state(db: Path) -> dict[str, bytes]:
    return {str(p.relative_to(db)): p.read_bytes() for p in sorted(db.rglob("*")) if p.is_file()}


def notes_shard(db: Path) -> Path:
    """The notes shard of the library's one article (its notes and reviews)."""
    [article] = Library(db).articles()
    return db / "notes" / f"{article.id[:2]}.json"


def test_a_hostile_file_imports_nothing_and_names_each_bad_record(db, exported, tmp_path) -> None:
    as_string = note_like(exported, 1)
    as_string["target"]["selector"] = "0:5"
    infinite = note_like(exported, 2)
    infinite["target"]["selector"][0]["start"] = "PLACEHOLDER"
    empty = note_like(exported, 3)
    empty["body"] = []
    review = copy.deepcopy(next(i for i in items(exported) if i["motivation"] == "assessing"))
    review["creator"] = {"type": "Person", "name": ["a", "b"]}
    good = note_like(exported, 4)
    data = with_items(exported, [as_string, infinite, empty, review, good])
    text = json.dumps(data).replace('"PLACEHOLDER"', "Infinity")
    hostile = tmp_path / "hostile.jsonld"
    hostile.write_text(text, encoding="utf-8")
    before = state(db)
    done = saidwho(db, "notes", "import", str(hostile))
    assert done.returncode == 1 and done.stdout == ""
    lines = done.stderr.splitlines()
    assert len(lines) == 5, lines
    assert "annotation 1" in lines[0] and "selector must be an object" in lines[0]
    assert "annotation 2" in lines[1] and "whole number" in lines[1] and "inf" in lines[1]
    assert "annotation 3" in lines[2] and "an empty note" in lines[2]
    assert "annotation 4" in lines[3] and "creator name must be a string" in lines[3]
    assert lines[4].endswith("nothing was imported: 4 annotation(s) cannot be imported")
    assert state(db) == before  # the good note was not written either
    assert doctor(db).ok


def test_deep_nesting_is_one_line(db, tmp_path) -> None:
    deep = tmp_path / "deep.json"
    deep.write_text("[" * 200_000 + "]" * 200_000, encoding="utf-8")
    before = state(db)
    done = saidwho(db, "notes", "import", str(deep))
    assert done.returncode == 1
    [line] = done.stderr.splitlines()
    assert line == f"saidwho: {deep}: not a Web Annotation document (nested too deeply)"
    assert state(db) == before


def test_a_valid_file_is_applied_in_one_write(db, exported, tmp_path) -> None:
    notes = [note_like(exported, n) for n in range(1, 201)]
    path = write(tmp_path / "many.jsonld", with_items(exported, notes))
    journal = notes_shard(db).with_suffix(".journal.jsonl")
    lines_before = journal.read_bytes().count(b"\n")
    done = saidwho(db, "notes", "import", str(path), "--json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["notes"] == 200
    assert len(Library(db).notes()) == 201
    # one write: the journal grew by the 200 records of that one write (or was compacted)
    grown = journal.read_bytes().count(b"\n") - lines_before
    assert grown in (200, -lines_before + 1)


def test_a_newer_local_verdict_wins_and_is_named(db, exported, tmp_path) -> None:
    review = copy.deepcopy(next(i for i in items(exported) if i["motivation"] == "assessing"))
    review["created"] = "1999-01-01T00:00:00Z"
    review["body"][0]["value"] = "disputed"
    review["creator"]["name"] = "old hand"
    path = write(tmp_path / "old.jsonld", with_items(exported, [review]))
    done = saidwho(db, "notes", "import", str(path))
    assert done.returncode == 0, done.stderr
    assert "kept the newer local review" in done.stdout and "1999-01-01" in done.stdout
    [kept] = Library(db).reviewed_quotes()
    assert (kept.review, kept.reviewer) == ("confirmed", "kim")
    # dated later than the local verdict, the file's wins
    review["created"] = "2999-01-01T00:00:00Z"
    path = write(tmp_path / "new.jsonld", with_items(exported, [review]))
    done = saidwho(db, "notes", "import", str(path), "--json")
    assert json.loads(done.stdout)["reviews"] == 1
    [changed] = Library(db).reviewed_quotes()
    assert (changed.review, changed.reviewer) == ("disputed", "old hand")


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes to read-only folders")
def test_a_read_only_library_gives_one_line(db, exported, tmp_path) -> None:
    path = write(
        tmp_path / "n.jsonld", with_items(exported, [note_like(exported, n) for n in range(1, 50)])
    )
    before = state(db)
    db.chmod(0o555)
    try:
        done = saidwho(db, "notes", "import", str(path))
    finally:
        db.chmod(0o755)
    assert done.returncode == 1 and len(done.stderr.splitlines()) == 1
    assert state(db) == before


def test_a_full_disk_gives_one_line_and_leaves_the_library(db, exported, tmp_path) -> None:
    """/dev/full-like: the write fails with ENOSPC; a library on a tiny tmpfs is not
    available to an unprivileged test, so the notes file is made unwritable by size: a
    RLIMIT_FSIZE in the child process (the same errno path: the write raises OSError)."""
    path = write(
        tmp_path / "n.jsonld", with_items(exported, [note_like(exported, n) for n in range(1, 500)])
    )
    before = state(db)
    shard = str(notes_shard(db).relative_to(db))
    code = (
        "import resource, signal, sys; signal.signal(signal.SIGXFSZ, signal.SIG_IGN);"
        f"resource.setrlimit(resource.RLIMIT_FSIZE, ({len(before[shard]) + 4096},) * 2);"
        "from saidwho.cli import main; sys.exit(main())"
    )
    env = {**os.environ, "SAIDWHO_DB": str(db)}
    done = subprocess.run(
        [sys.executable, "-c", code, "notes", "import", str(path)],
        capture_output=True, text=True, env=env, timeout=120,
    )  # fmt: skip
    assert done.returncode == 1, done.stderr
    [line] = done.stderr.splitlines()
    assert "nothing was imported" in line and "the library is as it was" in line
    assert state(db) == before


def test_doctor_reports_a_review_that_export_and_the_reader_would_skip(db, exported) -> None:
    notes = notes_shard(db)
    tables = json.loads(notes.read_text(encoding="utf-8"))
    [review] = tables["reviews"].values()
    review["reviewer"] = ["a", "b"]  # what an unchecked import once stored
    notes.write_text(json.dumps(tables), encoding="utf-8")
    report = doctor(db)
    assert not report.ok
    assert any("'reviewer' is ['a', 'b']" in p for p in report.problems)
    done = saidwho(db, "notes", "export", "--format", "jsonld")
    assert done.returncode == 0 and "Traceback" not in done.stderr
    assert json.loads(done.stdout)["total"] == 1  # the note; the bad review is left out


def test_notes_export_json_escapes_terminal_controls(tmp_path: Path) -> None:
    from saidwho.readers.article import Article, paragraph_spans

    text = 'Evil\x9b31m title \u202egnp.exe\n\n"Hello," said Ana Ruiz.\n'
    lib = Library(tmp_path / "lib")
    article = Article(
        text=text, title="Evil\x9b31m \u202egnp.exe", paragraphs=paragraph_spans(text)
    )
    aid, _ = lib.save_article(article, [])
    lib.add_note(aid, start=0, end=20, text="note \x9b2J \u202e")
    done = saidwho(tmp_path / "lib", "notes", "export", "--format", "json")
    assert done.returncode == 0, done.stderr
    assert "\x9b" not in done.stdout and "\u202e" not in done.stdout
    [note] = json.loads(done.stdout)
    assert note["text"] == "note \x9b2J \u202e"  # escaped on screen, the same when parsed
    assert note["exact"] == text[:20]


def test_doctor_checks_notes_as_an_import_does(db, exported) -> None:
    notes = notes_shard(db)
    tables = json.loads(notes.read_text(encoding="utf-8"))
    [note] = tables["notes"].values()
    note["text"], note["tags"] = "  ", []  # an empty note: notes add and import refuse it
    [review] = tables["reviews"].values()
    review["reviewed_at"] = "yesterday"
    notes.write_text(json.dumps(tables), encoding="utf-8")
    report = doctor(db)
    assert not report.ok
    assert any("an empty note" in p for p in report.problems)
    assert any("'reviewed_at' 'yesterday' is not an ISO 8601 time" in p for p in report.problems)
    assert doctor(db, repair=True).ok and doctor(db).ok
