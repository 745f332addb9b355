"""`saidwho cite` on the seed: the speaker's words in marks, the reporter's narration cut,
reported speech as an unmarked paraphrase, and the same citation the reader copies."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from saidwho import cli


@pytest.fixture(autouse=True)
def shared_pipeline(monkeypatch, nlp):
    monkeypatch.setattr(cli.common, "load_nlp", lambda args: nlp)
    monkeypatch.delenv("SAIDWHO_DB", raising=False)


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture()
def seeded(tmp_path: Path, capsys, seed_path: Path) -> tuple[str, list[dict]]:
    db = str(tmp_path / "lib")
    assert run(capsys, "--db", db, "ingest", str(seed_path))[0] == 0
    code, out, _ = run(capsys, "--db", db, "quotes", "--json")
    assert code == 0
    return db, json.loads(out)


def test_trump_quote_cites_two_pieces_without_the_narration(capsys, seeded) -> None:
    db, quotes = seeded
    trump = next(q for q in quotes if q["speaker"] == "Donald Trump" and q["kind"] == "direct")
    assert len(trump["segments"]) == 2
    code, out, err = run(capsys, "--db", db, "cite", trump["id"][:8])
    assert code == 0, err
    words, who = out.splitlines()[:2]
    first, second = words.split(" … ")
    assert first.startswith("“") and second.startswith("“")
    assert "said Trump" not in words
    assert who.startswith("— Donald Trump")


def test_reported_speech_cites_without_quotation_marks(capsys, seeded) -> None:
    db, quotes = seeded
    office = next(q for q in quotes if (q["speaker"] or "").startswith("Netanyahu"))
    assert office["kind"] == "indirect"
    code, out, _ = run(capsys, "--db", db, "cite", office["id"])
    assert code == 0
    words = out.splitlines()[0]
    assert words.startswith("Paraphrase (reported speech, not verbatim): ")
    assert not any(mark in words for mark in '“”"')
    data = json.loads(run(capsys, "--db", db, "cite", office["id"], "--format", "json")[1])
    assert data["verbatim"] is False and data["speaker"].startswith("Netanyahu")


def test_unknown_and_malformed_ids_are_one_line_errors(capsys, seeded) -> None:
    db, _ = seeded
    code, _, err = run(capsys, "--db", db, "cite", "ffffffffffff")
    assert code == 1 and err.count("\n") == 1 and "ffffffffffff: no such quote" in err
    code, _, err = run(capsys, "--db", db, "cite", "not-an-id")
    assert code == 1 and "not a quote id" in err


def test_cite_as_a_real_process_markdown(seeded, tmp_path: Path) -> None:
    db, quotes = seeded
    quote = next(q for q in quotes if q["kind"] == "direct")
    done = subprocess.run(
        [sys.executable, "-m", "saidwho", "--db", db, "cite", quote["id"], "--format", "markdown"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("> “")
