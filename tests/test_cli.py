"""The CLI contract: commands, JSON shapes, exit codes and one-line errors."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from saidwho import cli

QUOTE_KEYS = {
    "id",
    "kind",
    "start",
    "end",
    "text",
    "speaker",
    "speaker_start",
    "speaker_end",
    "cue",
    "cue_start",
    "cue_end",
    "sentence_start",
    "sentence_end",
    "confidence",
}


@pytest.fixture(autouse=True)
def shared_pipeline(monkeypatch, nlp):
    """Load spaCy once per session instead of once per command."""
    monkeypatch.setattr(cli.common, "load_nlp", lambda args: nlp)
    monkeypatch.delenv("SAIDWHO_DB", raising=False)


def run(capsys, *argv: str) -> tuple[int, str, str]:
    try:
        code = cli.main(list(argv))
    except SystemExit as exc:  # argparse usage errors
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


def run_json(capsys, *argv: str):
    code, out, err = run(capsys, *argv)
    assert code == 0, err
    return json.loads(out)


@pytest.fixture()
def db(tmp_path: Path) -> str:
    return str(tmp_path / "lib")


@pytest.fixture()
def ingested(capsys, db, seed_path) -> str:
    events = run_json(capsys, "--db", db, "ingest", str(seed_path), "--json")
    assert [e["status"] for e in events] == ["added"]
    return events[0]["article_id"]


def test_extract_json_lines_match_the_file_text(capsys, seed_path, seed_text):
    code, out, err = run(capsys, "extract", str(seed_path), "--json")
    assert code == 0, err
    lines = out.splitlines()
    assert len(lines) == 1
    record = json.loads(lines[0])
    assert set(record) == {"path", "title", "text_sha256", "quotes"}
    assert (
        record["title"]
        == "Hamas Releases Israeli American Soldier, Seeking to Reopen Ceasefire Talks"
    )
    assert len(record["quotes"]) >= 5
    for quote in record["quotes"]:
        assert set(quote) >= QUOTE_KEYS
        assert quote["text"] == seed_text[quote["start"] : quote["end"]]
        assert quote["kind"] in {"direct", "partial", "indirect"}
        assert 0.0 <= quote["confidence"] <= 1.0
        if quote["speaker_start"] is not None:
            assert 0 <= quote["speaker_start"] < quote["speaker_end"] <= len(seed_text)
    speakers = {q["speaker"] for q in record["quotes"]}
    assert {"Donald Trump", "Mike Huckabee", "Axios"} <= speakers


def test_extract_reports_bad_file_and_goes_on(capsys, tmp_path, seed_path):
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    code, out, err = run(capsys, "extract", str(empty), str(seed_path), "--json")
    assert code == 1
    assert err.strip() == f"saidwho: {empty}: empty file"
    assert len(out.splitlines()) == 1  # the seed still extracted


def test_ingest_list_quotes_speakers(capsys, db, ingested, seed_path):
    articles = run_json(capsys, "--db", db, "list", "--json")
    assert len(articles) == 1
    article = articles[0]
    assert {"id", "title", "source", "date", "path", "quotes", "notes"} <= set(article)
    assert article["id"] == ingested
    assert article["quotes"] >= 5 and article["notes"] == 0

    quotes = run_json(capsys, "--db", db, "quotes", ingested, "--json")
    assert len(quotes) == article["quotes"]
    assert all(q["article_id"] == ingested and set(q) >= QUOTE_KEYS for q in quotes)

    trump = run_json(capsys, "--db", db, "quotes", "--speaker", "donald trump", "--json")
    assert trump and all(q["speaker"] == "Donald Trump" for q in trump)

    speakers = run_json(capsys, "--db", db, "speakers", "--json")
    by_name = {s["speaker"]: s for s in speakers}
    assert by_name["Donald Trump"]["articles"] == 1
    assert by_name["Donald Trump"]["quotes"] == len(trump)

    # the same content again is a no-op
    again = run_json(capsys, "--db", db, "ingest", str(seed_path), "--json")
    assert [(e["status"], e["article_id"]) for e in again] == [("unchanged", ingested)]


def test_human_output_is_plain_text(capsys, db, ingested):
    code, out, _ = run(capsys, "--db", db, "list")
    assert code == 0 and ingested in out and "Hamas Releases" in out
    code, out, _ = run(capsys, "--db", db, "quotes", ingested[:6])  # an id prefix works
    assert code == 0 and "Donald Trump" in out


def test_notes_add_and_list(capsys, db, ingested):
    quotes = run_json(capsys, "--db", db, "quotes", ingested, "--json")
    quote = next(q for q in quotes if q["speaker"] == "Donald Trump")
    note = run_json(
        capsys, "--db", db, "notes", "add", ingested, "--quote", quote["id"],
        "--text", "Check the Truth Social post", "--tag", "verify", "--tag", "trump", "--json",
    )  # fmt: skip
    assert note["quote_id"] == quote["id"] and note["exact"] == quote["text"]
    span_note = run_json(
        capsys,
        "--db",
        db,
        "notes",
        "add",
        ingested,
        "--span",
        "0:4",
        "--text",
        "headline",
        "--json",
    )
    assert span_note["exact"] == "Hama"

    notes = run_json(capsys, "--db", db, "notes", "list", ingested, "--json")
    assert {n["id"] for n in notes} == {note["id"], span_note["id"]}
    for n in notes:
        assert {
            "id",
            "article_id",
            "text",
            "tags",
            "created",
            "updated",
            "start",
            "end",
            "exact",
        } <= set(n)
    by_id = {n["id"]: n for n in notes}
    assert by_id[note["id"]]["tags"] == ["verify", "trump"]
    assert run_json(capsys, "--db", db, "list", "--json")[0]["notes"] == 2


def test_changed_file_updates_article_and_keeps_notes(capsys, tmp_path, db, seed_text):
    path = tmp_path / "story.txt"
    path.write_text(seed_text, encoding="utf-8", newline="")
    [added] = run_json(capsys, "--db", db, "ingest", str(path), "--json")
    start = seed_text.index("Edan Alexander")
    run_json(capsys, "--db", db, "notes", "add", added["article_id"], "--span",
             f"{start}:{start + 14}", "--text", "name check", "--json")  # fmt: skip

    path.write_text("Breaking: an update.\n\n" + seed_text, encoding="utf-8", newline="")
    [updated] = run_json(capsys, "--db", db, "ingest", str(path), "--json")
    assert updated["status"] == "updated"
    assert updated["article_id"] == added["article_id"]
    [note] = run_json(capsys, "--db", db, "notes", "list", "--json")
    assert note["exact"] == "Edan Alexander"
    assert note["start"] == start + len("Breaking: an update.\n\n")


def test_errors_are_one_line_with_exit_codes(capsys, db, ingested, tmp_path, seed_path):
    missing = tmp_path / "nope.txt"
    code, out, err = run(capsys, "--db", db, "ingest", str(missing), str(seed_path))
    assert code == 1
    assert err.splitlines() == [f"saidwho: {missing}: no such file or directory"]
    assert "unchanged" in out

    code, _, err = run(capsys, "--db", db, "quotes", "ffffffffffff")
    assert (
        code == 1 and err.splitlines() == [err.strip()] and err.startswith("saidwho: ffffffffffff:")
    )

    code, _, err = run(capsys, "--db", db, "notes", "add", ingested, "--span", "9:2", "--text", "x")
    assert code == 2 and len(err.splitlines()) == 1

    code, _, err = run(
        capsys, "--db", db, "notes", "add", ingested, "--span", "0:999999", "--text", "x"
    )
    assert code == 1 and len(err.splitlines()) == 1 and err.startswith("saidwho: 0:999999:")

    code, _, err = run(capsys, "frobnicate")
    assert code == 2 and len(err.splitlines()) == 1 and err.startswith("saidwho: usage:")


@pytest.mark.slow
def test_console_script_end_to_end(tmp_path, seed_path):
    """The installed `saidwho` entry point, as a user runs it (real model load, no monkeypatch)."""
    exe = shutil.which("saidwho") or str(Path(sys.executable).with_name("saidwho"))
    env = {"PATH": str(Path(sys.executable).parent), "SAIDWHO_DB": str(tmp_path / "lib")}
    done = subprocess.run(
        [exe, "ingest", str(seed_path), "--json"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)[0]["status"] == "added"
    listed = subprocess.run(
        [exe, "list", "--json"], capture_output=True, text=True, env=env, check=False
    )
    assert json.loads(listed.stdout)[0]["title"].startswith("Hamas Releases")


def test_missing_model_is_one_clear_line(tmp_path, seed_path):
    exe = shutil.which("saidwho") or str(Path(sys.executable).with_name("saidwho"))
    env = {"PATH": str(Path(sys.executable).parent), "SAIDWHO_DB": str(tmp_path / "lib")}
    done = subprocess.run(
        [exe, "--model", "no_such_model_xx", "extract", str(seed_path)],
        capture_output=True, text=True, env=env, check=False,
    )  # fmt: skip
    assert done.returncode == 1
    [line] = done.stderr.splitlines()
    assert line.startswith("saidwho: model:") and "install" in line
    assert "Traceback" not in done.stderr


def test_damaged_library_file_is_named_and_doctor_repairs_it(capsys, db, ingested):
    run_json(
        capsys, "--db", db, "notes", "add", ingested, "--span", "0:5", "--text", "one", "--json"
    )
    run_json(
        capsys, "--db", db, "notes", "add", ingested, "--span", "0:5", "--text", "two", "--json"
    )
    notes_file = Path(db) / "notes" / f"{ingested[:2]}.json"  # the article's notes shard
    notes_file.write_text('{"_default": {"1": {"trunc')  # a torn write by some other tool

    code, out, err = run(capsys, "--db", db, "list", "--json")
    assert code == 1 and out == ""
    assert err.startswith(f"saidwho: {notes_file}: damaged") and len(err.splitlines()) == 1
    assert notes_file.read_text().endswith("trunc")  # left exactly as it was

    code, out, _ = run(capsys, "--db", db, "doctor")
    assert code == 1 and f"notes/{ingested[:2]}.json" in out
    code, out, _ = run(capsys, "--db", db, "doctor", "--repair")
    assert code == 0 and f"restored notes/{ingested[:2]}.json" in out
    # the last good copy is the one before the final write; the journal holds that write
    assert "recovered 1 record(s)" in out
    notes = run_json(capsys, "--db", db, "notes", "list", "--json")
    assert [n["text"] for n in notes] == ["one", "two"]
    assert list((Path(db) / "damaged").rglob(notes_file.name))  # the bad file was kept aside


def test_control_characters_never_split_or_drive_the_terminal(capsys, db, tmp_path):
    # a newline in a file name must not split the error line; ESC in a title must not
    # reach the terminal as an escape sequence
    bad = tmp_path / "two\nlines.txt"
    bad.write_text("")
    code, _, err = run(capsys, "--db", db, "ingest", str(bad))
    assert code == 1
    assert err.splitlines() == [f"saidwho: {tmp_path}/two\\nlines.txt: empty file"]

    article = tmp_path / "esc.txt"
    article.write_text("Red \x1b[31malert\u202e title\n\n“We will win,” said Ann Lee.\n")
    code, out, err = run(capsys, "--db", db, "ingest", str(article))
    assert code == 0, err
    code, out, _ = run(capsys, "--db", db, "list")
    assert code == 0 and "\x1b" not in out and "\u202e" not in out
    # tables keep their columns: one visible symbol per control (ESC -> U+241B)
    assert "Red \u241b[31malert\ufffd title" in out
    code, out, _ = run(capsys, "--db", db, "list", "--json")
    assert json.loads(out)[0]["title"] == "Red \x1b[31malert\u202e title"  # JSON keeps it

    code, _, err = run(capsys, "--db", db, "quotes", "ab\ncd")
    assert code == 1 and len(err.splitlines()) == 1 and "ab\\ncd" in err


@pytest.mark.parametrize("span", ["", ":", "1_0:20", "\u0663:\u0664", "1.5:2", "1:2:3", "a:b"])
def test_malformed_span_is_a_usage_error(capsys, db, ingested, span):
    code, out, err = run(
        capsys, "--db", db, "notes", "add", ingested, "--span", span, "--text", "x"
    )
    assert code == 2 and out == ""
    assert err.splitlines() == [f"saidwho: usage: --span must be START:END, got {span!r}"]


def test_span_at_the_very_end_and_zero_length(capsys, db, ingested, seed_text):
    end = len(seed_text)
    note = run_json(
        capsys, "--db", db, "notes", "add", ingested, "--span", f"{end}:{end}", "--text", "x",
        "--json",
    )  # fmt: skip
    assert (note["start"], note["end"], note["exact"]) == (end, end, "")
    code, _, err = run(
        capsys, "--db", db, "notes", "add", ingested, "--span", f"0:{end + 1}", "--text", "x"
    )
    assert code == 1 and f"<= {end}" in err


def test_unwritable_library_is_one_line_not_a_traceback(capsys, db, ingested, tmp_path):
    # root ignores file modes, so make the lock file unopenable another way: a folder there
    lock = Path(db) / ".lock"
    lock.unlink(missing_ok=True)
    lock.mkdir()
    code, out, _ = run(capsys, "--db", db, "list", "--json")
    assert code == 0 and len(json.loads(out)) == 1  # reading still works
    code, out, err = run(
        capsys, "--db", db, "notes", "add", ingested, "--span", "0:5", "--text", "x"
    )
    assert code == 1 and out == "" and len(err.splitlines()) == 1
    assert err.startswith(f"saidwho: {db}: cannot write to the library")
    code, out, err = run(capsys, "--db", db, "doctor")
    assert code == 1 and "cannot write to the library" in out and err == ""

    new = tmp_path / "new.txt"
    new.write_text("New story\n\n“We will win,” said Ann Lee.\n")
    code, out, err = run(capsys, "--db", db, "ingest", str(new), "--json")
    assert code == 1 and json.loads(out)[0]["status"] == "error"
    assert err.startswith(f"saidwho: {new}: cannot write to the library")


def test_library_path_that_is_a_file(capsys, tmp_path):
    db = tmp_path / "lib"
    db.write_text("not a library")
    code, out, err = run(capsys, "--db", str(db), "list")
    assert code == 1 and out == ""
    assert err == f"saidwho: {db}: {db} is a file; a library is a folder\n"


def test_unchanged_ingest_reports_the_stored_quote_count(capsys, db, ingested, seed_path):
    [event] = run_json(capsys, "--db", db, "ingest", str(seed_path), "--json")
    assert event["status"] == "unchanged" and event["article_id"] == ingested
    assert event["quotes"] == len(run_json(capsys, "--db", db, "quotes", ingested, "--json"))


def test_one_damaged_article_file_does_not_hide_the_library(capsys, db, ingested, tmp_path):
    other = tmp_path / "other.txt"
    other.write_text("Other story\n\n“We will win,” said Ann Lee.\n")
    [event] = run_json(capsys, "--db", db, "ingest", str(other), "--json")
    body = next(Path(db, "articles").glob(f"*/{ingested}.json"))
    body.write_bytes(body.read_bytes()[:100])  # torn by some other tool

    code, out, err = run(capsys, "--db", db, "quotes", "--json")
    assert code == 1
    assert {q["article_id"] for q in json.loads(out)} == {event["article_id"]}
    assert err.splitlines() == [err.strip()] and err.startswith(f"saidwho: {body}: damaged")

    code, out, err = run(capsys, "--db", db, "quotes", ingested)
    assert code == 1 and out == "" and err.startswith(f"saidwho: {body}: damaged")
    assert len(err.splitlines()) == 1
