"""The review desk from the command line, as a user runs it (real subprocesses): review
verdicts, notes edit/delete, export in three formats and a JSON-LD round trip."""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from saidwho.ingest import ingest_paths
from saidwho.store import Library

EXE = shutil.which("saidwho") or str(Path(sys.executable).with_name("saidwho"))


def saidwho(db: Path, *argv: str, reviewer: str = "kim") -> subprocess.CompletedProcess[str]:
    env = {
        "PATH": str(Path(sys.executable).parent),
        "SAIDWHO_DB": str(db),
        "SAIDWHO_REVIEWER": reviewer,
    }
    return subprocess.run(
        [EXE, *argv], capture_output=True, text=True, env=env, check=False, timeout=120
    )


def ok_json(db: Path, *argv: str):
    done = saidwho(db, *argv, "--json")
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def fresh(tmp_path: Path, name: str, seed_path: Path, nlp) -> Path:
    """A library holding the seed, ingested from the same path (so sources match)."""
    db = tmp_path / name
    events = ingest_paths(Library(db), [seed_path], nlp)
    assert [e.status for e in events] == ["added"]
    return db


@pytest.fixture
def db(tmp_path, seed_path, nlp) -> Path:
    return fresh(tmp_path, "lib", seed_path, nlp)


def quotes(db: Path) -> list[dict]:
    return ok_json(db, "quotes")


def test_review_verdicts_and_exit_codes(db) -> None:
    first, second = quotes(db)[:2]
    got = ok_json(db, "review", first["id"][:7], "--confirm")  # a unique prefix will do
    assert (got["id"], got["review"], got["reviewer"]) == (first["id"], "confirmed", "kim")
    got = ok_json(db, "review", first["id"], "--dispute", "--reviewer", "Lee")
    assert got["review"] == "disputed" and got["disputed"] and got["reviewer"] == "Lee"
    got = ok_json(db, "review", first["id"], "--speaker", "Jane Roe")
    assert got["review"] == "corrected" and not got["disputed"]
    assert got["speaker"] == "Jane Roe" and got["machine_speaker"] == first["speaker"]
    got = ok_json(db, "review", first["id"], "--revert")
    assert got["speaker"] == first["speaker"] and got["review"] == "unreviewed"
    got = ok_json(db, "review", second["id"], "--kind", "indirect")
    assert got["kind"] == "indirect" and got["machine_kind"] == second["kind"]
    # the verdict is what `quotes` shows from now on
    assert {q["id"]: q["review"] for q in quotes(db)}[second["id"]] == "corrected"

    plain = saidwho(db, "review", first["id"], "--confirm")
    assert plain.returncode == 0 and "confirmed by kim" in plain.stdout

    unknown = saidwho(db, "review", "ffffffffffff", "--confirm")
    assert unknown.returncode == 1
    [line] = unknown.stderr.splitlines()
    assert line == "saidwho: ffffffffffff: no such quote in the library"
    usage = saidwho(db, "review", first["id"], "--confirm", "--dispute")
    assert usage.returncode == 2 and "not allowed with" in usage.stderr
    assert saidwho(db, "review", first["id"]).returncode == 2  # no verdict given


def test_notes_edit_and_delete(db) -> None:
    article_id = quotes(db)[0]["article_id"]
    note = ok_json(db, "notes", "add", article_id, "--span", "0:10", "--text", "first")
    edited = ok_json(db, "notes", "edit", note["id"][:8], "--text", "second", "--tag", "t")
    assert (edited["id"], edited["text"], edited["tags"]) == (note["id"], "second", ["t"])
    assert edited["updated"] > note["updated"]
    # an empty note is refused, and the stored one is untouched
    empty = saidwho(db, "notes", "edit", note["id"], "--text", "  ", "--tag", "")
    assert empty.returncode == 1 and "empty note" in empty.stderr
    assert saidwho(db, "notes", "edit", note["id"]).returncode == 2
    assert ok_json(db, "notes", "list")[0]["text"] == "second"

    # one bad id among good ones: the good ones still go, exit 1
    done = saidwho(db, "notes", "delete", "00000000-0000-0000-0000-000000000000", note["id"])
    assert done.returncode == 1
    assert "no such note" in done.stderr and f"deleted {note['id']}" in done.stdout
    assert ok_json(db, "notes", "list") == []


def test_export_formats_and_jsonld_round_trip(db, tmp_path, seed_path, nlp) -> None:
    first, second = [q for q in quotes(db) if q["speaker"]][:2]
    article_id = first["article_id"]
    ok_json(db, "review", first["id"], "--confirm")
    ok_json(db, "review", second["id"], "--speaker", "Jane Roe")
    ok_json(db, "notes", "add", article_id, "--quote", first["id"], "--text", "Check *it*",
            "--tag", "verify", "--tag", "=cmd")  # fmt: skip
    ok_json(db, "notes", "add", article_id, "--span", "0:14", "--text", "The headline")

    md = saidwho(db, "notes", "export", "--format", "markdown")
    assert md.returncode == 0, md.stderr
    text = md.stdout
    assert text.startswith("# saidwho notes\n\n## Hamas Releases Israeli American Soldier")
    assert "Check *it*" in text and "Tags: `verify`, `=cmd`" in text
    assert "review: confirmed by kim" in text and "corrected by kim" in text
    assert f"Speaker: **{first['speaker']}**" in text and "**Jane Roe" in text
    assert "chars" not in text and f"{first['start']}" not in text  # no raw offsets

    out = tmp_path / "notes.csv"
    assert ok_json(db, "notes", "export", "-o", str(out))["format"] == "csv"
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert [r["type"] for r in rows] == ["note", "note", "review", "review"]
    on_quote = next(r for r in rows if r["note"] == "Check *it*")
    assert on_quote["speaker"] == first["speaker"] and on_quote["review"] == "confirmed"
    assert on_quote["tags"] == "verify, =cmd"  # inside the cell: no formula
    assert {r["speaker"] for r in rows if r["type"] == "review"} >= {"Jane Roe"}

    exported = tmp_path / "notes.jsonld"
    ok_json(db, "notes", "export", "--format", "jsonld", "-o", str(exported))
    data = json.loads(exported.read_text(encoding="utf-8"))
    assert data["@context"] == "http://www.w3.org/ns/anno.jsonld"
    items = data["first"]["items"]
    assert [i["motivation"] for i in items] == ["commenting", "commenting", "assessing", "editing"]
    note = next(i for i in items if i["motivation"] == "commenting" and len(i["body"]) == 3)
    assert note["body"][0] == {
        "type": "TextualBody", "value": "Check *it*", "format": "text/markdown",
        "purpose": "commenting",
    }  # fmt: skip
    assert [b["value"] for b in note["body"] if b["purpose"] == "tagging"] == ["verify", "=cmd"]
    selectors = {s["type"]: s for s in note["target"]["selector"]}
    assert selectors["TextPositionSelector"] == {
        "type": "TextPositionSelector", "start": first["start"], "end": first["end"],
    }  # fmt: skip
    assert selectors["TextQuoteSelector"]["exact"] == first["text"]
    assert note["target"]["source"] == seed_path.as_uri()
    editing = next(i for i in items if i["motivation"] == "editing")
    assert editing["body"][0]["value"] == "speaker: Jane Roe"
    assert editing["creator"] == {"type": "Person", "name": "kim"}

    # into an empty library holding the same article, then out again: the same document
    other = fresh(tmp_path, "other", seed_path, nlp)
    report = ok_json(other, "notes", "import", str(exported))
    assert report == {
        "notes": 2, "reviews": 2, "speakers": 0, "skipped": 0, "orphaned": 0, "errors": [],
        "kept": [],
    }  # fmt: skip
    again = tmp_path / "again.jsonld"
    ok_json(other, "notes", "export", "--format", "jsonld", "-o", str(again))
    assert again.read_text(encoding="utf-8") == exported.read_text(encoding="utf-8")
    # importing twice adds nothing: 2 notes and 2 verdicts already there
    twice = ok_json(other, "notes", "import", str(exported))
    assert (twice["notes"], twice["reviews"], twice["skipped"]) == (0, 0, 4)


def test_import_names_what_it_cannot_use(db, tmp_path) -> None:
    bad = tmp_path / "bad.jsonld"
    bad.write_text("{not json", encoding="utf-8")
    done = saidwho(db, "notes", "import", str(bad))
    assert done.returncode == 1
    [line] = done.stderr.splitlines()
    assert line.startswith(f"saidwho: {bad}: not JSON")

    stray = tmp_path / "stray.jsonld"
    stray.write_text(
        json.dumps(
            {
                "@context": "http://www.w3.org/ns/anno.jsonld",
                "type": "Annotation",
                "motivation": "commenting",
                "body": {"type": "TextualBody", "value": "x"},
                "target": {"source": "https://example.org/elsewhere", "selector": []},
            }
        ),
        encoding="utf-8",
    )
    done = saidwho(db, "notes", "import", str(stray))
    assert done.returncode == 1 and "no article in the library" in done.stderr
    assert ok_json(db, "notes", "list") == []
