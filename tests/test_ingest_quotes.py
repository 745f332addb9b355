"""`saidwho extract` JSON Lines streams and `saidwho ingest --quotes`, as real processes:
extract once (anywhere), load the results into a library without parsing again."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # every test runs `saidwho` processes that load spaCy

TEXT = "Bridge vote\n\n“We will rebuild the bridge,” the mayor said. The council agreed.\n"


def saidwho(*argv: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "SAIDWHO_DB"}
    return subprocess.run(
        [sys.executable, "-m", "saidwho", *argv],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )


@pytest.fixture(scope="module")
def records(tmp_path_factory, seed_text) -> Path:
    path = tmp_path_factory.mktemp("in") / "in.jsonl"
    lines = [
        {"id": "seed", "url": "https://example.org/seed", "source": "Example", "text": seed_text},
        {"id": "bridge", "title": "The bridge", "date": "2024-05-01", "text": TEXT},
    ]
    path.write_text("".join(json.dumps(r) + "\n" for r in lines), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def extracted(records) -> list[dict]:
    done = saidwho("extract", "-", stdin=records.read_text(encoding="utf-8"))
    assert done.returncode == 0, done.stderr
    return [json.loads(line) for line in done.stdout.splitlines()]


def test_extract_stdin_to_stdout(extracted, seed_text):
    seed, bridge = extracted
    assert seed["id"] == "seed" and seed["source"] == "Example" and seed["text"] == seed_text
    assert len(seed["quotes"]) > 5
    assert all(seed_text[q["start"] : q["end"]] == q["text"] for q in seed["quotes"])
    assert bridge["title"] == "The bridge" and len(bridge["quotes"]) == 1


def test_two_workers_write_the_same_lines(records, extracted, tmp_path):
    out = tmp_path / "out.jsonl"
    done = saidwho("extract", str(records), "--workers", "2", "-o", str(out))
    assert done.returncode == 0, done.stderr
    assert [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()] == extracted


def test_ingest_quotes_loads_without_parsing_again(extracted, tmp_path, seed_path):
    results = tmp_path / "results.jsonl"
    results.write_text("".join(json.dumps(r) + "\n" for r in extracted), encoding="utf-8")
    db = str(tmp_path / "lib")
    done = saidwho("--db", db, "ingest", "--quotes", str(results), "--json")
    assert done.returncode == 0, done.stderr
    events = json.loads(done.stdout)
    assert [e["status"] for e in events] == ["added", "added"]
    assert [e["path"] for e in events] == [f"{results}:1", f"{results}:2"]
    listed = {a["title"]: a for a in json.loads(saidwho("--db", db, "list", "--json").stdout)}
    assert listed["The bridge"]["date"] == "2024-05-01"

    # the same quotes as parsing the seed file itself (ids are content hashes)
    seed_id = events[0]["article_id"]
    loaded = json.loads(saidwho("--db", db, "quotes", seed_id, "--json").stdout)
    parsed_db = str(tmp_path / "parsed")
    assert saidwho("--db", parsed_db, "ingest", str(seed_path)).returncode == 0
    parsed = json.loads(saidwho("--db", parsed_db, "quotes", seed_id, "--json").stdout)
    assert [(q["id"], q["speaker"], q["kind"]) for q in loaded] == [
        (q["id"], q["speaker"], q["kind"]) for q in parsed
    ]
    speakers = json.loads(saidwho("--db", db, "speakers", "--json").stdout)
    assert speakers and speakers[0]["quotes"] > 0

    again = json.loads(saidwho("--db", db, "ingest", "--quotes", str(results), "--json").stdout)
    assert [e["status"] for e in again] == ["unchanged", "unchanged"]


def test_path_records_and_bad_lines(tmp_path, seed_path):
    done = saidwho("extract", str(seed_path), "--json")  # today's path-based output
    assert done.returncode == 0, done.stderr
    [record] = [json.loads(line) for line in done.stdout.splitlines()]
    tampered = dict(record, text_sha256="0" * 64)
    bad_quote = dict(record, quotes=[{"kind": "direct"}])
    results = tmp_path / "results.jsonl"
    results.write_text(
        "\n".join([json.dumps(record), "{oops", json.dumps(tampered), json.dumps(bad_quote)]),
        encoding="utf-8",
    )
    db = str(tmp_path / "lib")
    done = saidwho("--db", db, "ingest", "--quotes", str(results), "--json")
    assert done.returncode == 1
    events = json.loads(done.stdout)
    assert sorted(e["status"] for e in events) == ["added", "error", "error", "error"]
    by_status = {e["status"]: e for e in events}
    assert by_status["added"]["path"] == str(seed_path) and by_status["added"]["quotes"] > 5
    errors = done.stderr.splitlines()
    assert len(errors) == 3 and any("not JSON" in line for line in errors)
    assert any("text changed" in line for line in errors)
    assert any("malformed quote" in line for line in errors)


def test_extract_stream_reports_bad_records(tmp_path):
    done = saidwho("extract", "-", stdin='{"id": "x"}\n' + json.dumps({"text": TEXT}) + "\n")
    assert done.returncode == 1
    first, second = (json.loads(line) for line in done.stdout.splitlines())
    assert "error" in first and len(second["quotes"]) == 1
    assert done.stderr.startswith("saidwho: x: record has neither")


def test_workers_must_be_a_count_or_auto(tmp_path, seed_path):
    done = saidwho("--db", str(tmp_path / "lib"), "ingest", "--workers", "0", str(seed_path))
    assert done.returncode == 2 and "--workers" in done.stderr
    done = saidwho("--db", str(tmp_path / "lib"), "ingest", "--workers", "auto", str(seed_path))
    assert done.returncode == 0, done.stderr
