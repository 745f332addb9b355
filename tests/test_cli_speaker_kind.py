"""A speaker's kind as a reviewer decision, and `speakers undo`, from the CLI: stored,
undoable, exported with the other speaker decisions (Markdown, JSON-LD, CSV) and imported
back from JSON-LD."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from saidwho import cli, seeds


@pytest.fixture(autouse=True)
def shared_pipeline(monkeypatch, nlp):
    monkeypatch.setattr(cli.common, "load_nlp", lambda args: nlp)
    monkeypatch.delenv("SAIDWHO_DB", raising=False)


def run(capsys, *argv: str) -> tuple[int, str, str]:
    try:
        code = cli.main(list(argv))
    except SystemExit as exc:
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture()
def db(tmp_path: Path, capsys) -> str:
    db = str(tmp_path / "lib")
    assert run(capsys, "--db", db, "ingest", *map(str, seeds.seed_paths()))[0] == 0
    return db


def kind_of(capsys, db: str, name: str) -> str:
    speakers = json.loads(run(capsys, "--db", db, "speakers", "--json")[1])
    return next(s["kind"] for s in speakers if s["speaker"] == name)


def test_speakers_kind_and_undo(db, capsys):
    speakers = json.loads(run(capsys, "--db", db, "speakers", "--json")[1])
    # a speaker the machine does not take for an organization (whatever else it guessed)
    name, before = next((s["speaker"], s["kind"]) for s in speakers if s["kind"] == "person")
    code, out, err = run(capsys, "--db", db, "speakers", "kind", name, "organisation")
    assert code == 0, err
    assert out.splitlines()[1].split("  ")[0].strip() == name and "organization" in out
    assert kind_of(capsys, db, name) == "organization"

    # a kind that is none, a speaker that is not there: refused, nothing stored
    code, _, err = run(capsys, "--db", db, "speakers", "kind", name, "planet")
    assert code == 2 and "kind must be one of person, organization" in err
    code, _, err = run(capsys, "--db", db, "speakers", "kind", "Nobody Here", "person")
    assert code == 1 and err.startswith("saidwho: Nobody Here: ")
    assert kind_of(capsys, db, name) == "organization"

    code, out, err = run(capsys, "--db", db, "speakers", "undo")
    assert (code, out.strip()) == (0, f"undid: set {name} as organization"), err
    assert kind_of(capsys, db, name) == before
    code, out, _ = run(capsys, "--db", db, "speakers", "undo", "--json")
    assert code == 0 and json.loads(out) == {"undone": None, "decision": None}


def test_kind_is_exported_with_the_other_decisions_and_imported_back(db, capsys, tmp_path):
    # a kind the machine never gives a news outlet: the import must bring it
    assert run(capsys, "--db", db, "speakers", "kind", "Axios", "group")[0] == 0
    assert run(capsys, "--db", db, "speakers", "rename", "Mike Huckabee", "Amb. Huckabee")[0] == 0

    markdown = run(capsys, "--db", db, "notes", "export", "--format", "markdown")[1]
    assert "- set Axios as group" in markdown
    assert "- renamed Mike Huckabee to Amb. Huckabee" in markdown

    rows = list(csv.DictReader(io.StringIO(run(capsys, "--db", db, "notes", "export",
                                                "--format", "csv")[1])))  # fmt: skip
    speaker_rows = [r for r in rows if r["type"] == "speaker"]
    assert [(r["speaker"], r["note"]) for r in speaker_rows] == [
        ("Axios", "set Axios as group"),
        ("Mike Huckabee", "renamed Mike Huckabee to Amb. Huckabee"),
    ]

    out_file = tmp_path / "out.jsonld"
    assert run(capsys, "--db", db, "notes", "export", "-o", str(out_file))[0] == 0
    items = json.loads(out_file.read_text(encoding="utf-8"))["first"]["items"]
    kinds = [i for i in items if i["target"]["source"] == "urn:saidwho:speaker:Axios"]
    assert len(kinds) == 1 and kinds[0]["motivation"] == "editing"
    assert kinds[0]["body"][0]["value"] == "set Axios as group"

    # into another library holding the same article: the decisions come back
    other = str(tmp_path / "other")
    assert run(capsys, "--db", other, "ingest", *map(str, seeds.seed_paths()))[0] == 0
    code, out, err = run(capsys, "--db", other, "notes", "import", str(out_file), "--json")
    assert code == 0, err
    assert json.loads(out)["speakers"] == 2
    assert kind_of(capsys, other, "Axios") == "group"
    assert kind_of(capsys, other, "Amb. Huckabee") == "person"
    # a second import adds nothing
    code, out, _ = run(capsys, "--db", other, "notes", "import", str(out_file), "--json")
    assert code == 0 and json.loads(out)["speakers"] == 0
    # and the original library still undoes its own
    assert run(capsys, "--db", db, "speakers", "undo")[1].startswith("undid: renamed")
