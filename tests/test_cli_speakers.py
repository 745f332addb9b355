"""`saidwho speakers` and its merge/split/rename decisions, on articles written here and
ingested with the real pipeline."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from saidwho import cli

ARTICLES = {
    "rally.txt": '"We will win," Donald Trump said at the rally.\n',
    "walls.txt": '"Walls work," said Donald J. Trump.\n\n"Believe me," Mr. Trump added.\n',
    "ohio.txt": 'Former president Bill Clinton spoke in Ohio.\n\n"Vote early," Clinton said.\n',
    "iowa.txt": '"Stronger together," said Hillary Clinton in Iowa.\n',
}


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


def run_json(capsys, *argv: str):
    code, out, err = run(capsys, *argv)
    assert code == 0, err
    return json.loads(out)


@pytest.fixture()
def library(tmp_path: Path, capsys) -> tuple[str, Path]:
    folder = tmp_path / "articles"
    folder.mkdir()
    for name, text in ARTICLES.items():
        (folder / name).write_text(text, encoding="utf-8")
    db = str(tmp_path / "lib")
    code, _, err = run(capsys, "--db", db, "ingest", str(folder))
    assert code == 0, err
    return db, folder


def test_speakers_json_gives_identities(capsys, library) -> None:
    db, _ = library
    speakers = run_json(capsys, "--db", db, "speakers", "--json")
    assert all(
        list(s) == ["speaker", "aliases", "kind", "roles", "quotes", "articles"] for s in speakers
    )
    by_name = {s["speaker"]: s for s in speakers}
    trump = by_name["Donald Trump"]
    assert (trump["quotes"], trump["articles"], trump["kind"]) == (3, 2, "person")
    assert {"Donald J. Trump", "Mr. Trump"} <= set(trump["aliases"])
    assert by_name["Bill Clinton"]["quotes"] == 1 and by_name["Hillary Clinton"]["quotes"] == 1


def test_quotes_speaker_takes_any_alias_with_or_without_an_article(capsys, library) -> None:
    db, _ = library
    every = run_json(capsys, "--db", db, "quotes", "--speaker", "Mr. Trump", "--json")
    assert sorted(q["text"].strip('"') for q in every) == [
        "Believe me,",
        "Walls work,",
        "We will win,",
    ]
    assert {q["identity"] for q in every} == {"Donald Trump"}
    walls = every[0]["article_id"] if "Walls" in every[0]["text"] else every[-1]["article_id"]
    one = run_json(capsys, "--db", db, "quotes", walls, "--speaker", "trump", "--json")
    assert sorted(q["text"].strip('"') for q in one) == ["Believe me,", "Walls work,"]


def test_merge_survives_reingest_and_split_undoes_it(capsys, library) -> None:
    db, folder = library
    merged = run_json(
        capsys, "--db", db, "speakers", "merge", "Bill Clinton", "--into", "Hillary Clinton",
        "--json",
    )  # fmt: skip
    assert (merged["speaker"], merged["quotes"], merged["articles"]) == ("Hillary Clinton", 2, 2)
    # the file changes and is ingested again: the reviewer's decision still holds
    (folder / "ohio.txt").write_text(
        'Former president Bill Clinton spoke in Toledo.\n\n"Vote early," Clinton said.\n'
    )
    code, out, err = run(capsys, "--db", db, "ingest", str(folder / "ohio.txt"))
    assert code == 0 and "updated" in out, err
    names = {s["speaker"] for s in run_json(capsys, "--db", db, "speakers", "--json")}
    assert "Hillary Clinton" in names and "Bill Clinton" not in names

    split = run_json(
        capsys, "--db", db, "speakers", "split", "Hillary Clinton", "Bill Clinton", "--json"
    )
    assert split["speaker"] == "Bill Clinton"
    renamed = run_json(
        capsys, "--db", db, "speakers", "rename", "Donald Trump", "Donald John Trump", "--json"
    )
    assert renamed["speaker"] == "Donald John Trump" and renamed["quotes"] == 3


def test_a_decision_on_an_unknown_speaker_is_one_line_and_stores_nothing(capsys, library) -> None:
    db, _ = library
    code, out, err = run(capsys, "--db", db, "speakers", "merge", "Nobody", "--into", "X")
    assert code == 1 and out == ""
    assert err.strip().count("\n") == 0 and "Nobody" in err
    code, _, _ = run(capsys, "--db", db, "speakers", "rename", "Donald Trump")
    assert code == 2  # NEW is missing: usage
