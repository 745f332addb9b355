"""What a person reads from the CLI: paragraphs and words, not offsets; the bundled sample
named as such; the article's own punctuation. ``--json`` keeps the machine form."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from saidwho import cli, seeds


@pytest.fixture(autouse=True)
def shared_pipeline(monkeypatch, nlp):
    monkeypatch.setattr(cli.common, "load_nlp", lambda args: nlp)
    monkeypatch.delenv("SAIDWHO_DB", raising=False)


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture()
def seeded(tmp_path: Path, capsys) -> tuple[str, str]:
    """A library holding the bundled seed, ingested from where the package keeps it."""
    db = str(tmp_path / "lib")
    (seed,) = seeds.seed_paths()
    code, _, err = run(capsys, "--db", db, "ingest", str(seed))
    assert code == 0, err
    (article,) = json.loads(run(capsys, "--db", db, "list", "--json")[1])
    return db, article["id"]


def trump_quote(capsys, db: str) -> dict:
    quotes = json.loads(run(capsys, "--db", db, "quotes", "--json")[1])
    return next(q for q in quotes if q["speaker"] == "Donald Trump" and q["kind"] == "direct")


def test_notes_list_shows_paragraph_and_first_words_json_keeps_offsets(seeded, capsys):
    db, article = seeded
    quote = trump_quote(capsys, db)
    code, out, err = run(capsys, "--db", db, "notes", "add", article, "--span", "509:602",
                         "--text", "a span")  # fmt: skip
    assert code == 0, err
    assert run(capsys, "--db", db, "notes", "add", article, "--quote", quote["id"][:6],
               "--text", "on the quote")[0] == 0  # fmt: skip

    code, out, err = run(capsys, "--db", db, "notes", "list")
    assert code == 0, err
    header, *rows = out.splitlines()
    assert "WHERE" in header.split() and "SPAN" not in header
    assert "509:602" not in out and str(quote["start"]) not in out
    seed_text = seeds.seed_paths()[0].read_text(encoding="utf-8")
    span_words = " ".join(seed_text[509:602].split())[:10]
    span_row = next(r for r in rows if "a span" in r)
    quote_row = next(r for r in rows if "on the quote" in r)
    assert f"“{span_words}" in span_row and "¶" in span_row
    assert "“This was a step" in quote_row  # the label's marks, not doubled ones
    assert "¶7" in quote_row  # the paragraph the citation names too
    cited = json.loads(run(capsys, "--db", db, "cite", quote["id"], "--format", "json")[1])
    assert cited["paragraph"] == 7

    notes = json.loads(run(capsys, "--db", db, "notes", "list", "--json")[1])
    assert {(n["start"], n["end"]) for n in notes} == {(509, 602), (quote["start"], quote["end"])}


def test_citation_names_the_bundled_sample_not_a_path_in_the_venv(seeded, capsys, tmp_path):
    db, _ = seeded
    quote = trump_quote(capsys, db)
    (seed,) = seeds.seed_paths()
    for fmt in ("text", "markdown"):
        code, out, err = run(capsys, "--db", db, "cite", quote["id"], "--format", fmt)
        assert code == 0, err
        assert f"the bundled sample ({seed.name})" in out
        assert str(seed.parent) not in out
    # the machine form keeps the path
    cited = json.loads(run(capsys, "--db", db, "cite", quote["id"], "--format", "json")[1])
    assert Path(cited["path"]).resolve() == seed.resolve()

    # the same text copied elsewhere is the user's own file: cited by its path
    mine = tmp_path / "mine" / "copy.txt"
    mine.parent.mkdir()
    shutil.copy(seed, mine)
    other = str(tmp_path / "other")
    assert run(capsys, "--db", other, "ingest", str(mine))[0] == 0
    quote = trump_quote(capsys, other)
    out = run(capsys, "--db", other, "cite", quote["id"])[1]
    assert str(mine) in out and "bundled sample" not in out
