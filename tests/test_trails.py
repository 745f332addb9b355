"""The quote trail: one statement across articles (fixtures in tests/fixtures/trails).

One statement by the (invented) mayor Ana Lindqvist, printed by five outlets on five days:
herald (03-01, verbatim), gazette (03-02, the same words credited to Piet Vos), courier
(03-03, "summer" became "autumn"), bulletin (03-04, a trimmed partial quote), weekly
(03-05, reported speech).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from saidwho import cli
from saidwho.ingest import ingest_paths
from saidwho.store import Library, NotFoundError, doctor
from saidwho.store import trail_shards as S
from saidwho.store import trails as T

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "trails"
THREE = ("herald.md", "courier.md", "gazette.md")  # verbatim, a word changed, someone else


def ingest(lib: Library, nlp, *paths: Path) -> dict[str, str]:
    """Ingest; returns file name -> article id."""
    events = ingest_paths(lib, [str(p) for p in paths], nlp)
    assert all(e.status in ("added", "updated", "unchanged") for e in events), events
    return {Path(e.path).name: e.article_id for e in events if e.article_id}


def copy(tmp_path: Path, *names: str) -> list[Path]:
    out = []
    for name in names:
        dest = tmp_path / "in" / name
        dest.parent.mkdir(exist_ok=True)
        shutil.copy(FIXTURES / name, dest)
        out.append(dest)
    return out


def lindqvist_quote(lib: Library, article_id: str):
    return next(q for q in lib.quotes(article_id) if "bridge will reopen" in q.text)


@pytest.fixture()
def three(tmp_path, nlp) -> tuple[Library, dict[str, str]]:
    lib = Library(tmp_path / "lib")
    return lib, ingest(lib, nlp, *copy(tmp_path, *THREE))


# ------------------------------------------------------------------ normalising and matching


def test_normalise_folds_case_punctuation_quote_styles_and_whitespace():
    a = T.normalise("“We don’t  negotiate,” — with the U.S.\nor with 10,000 ‘friends’.")
    b = T.normalise("\"we DON'T negotiate\" with the US or with 10000 'friends'")
    assert a == b == "we don't negotiate with the us or with 10000 friends"


def test_shown_words_keep_punctuation_and_marks_but_compare_words():
    shown = T.shown_words("“We don’t negotiate,” — with the U.S. … ok")
    assert [w for w, _ in shown] == ["“We", "don’t", "negotiate,” —", "with", "the", "U.S. …", "ok"]
    assert [k for _, k in shown] == ["we", "don't", "negotiate", "with", "the", "us", "ok"]
    assert T.shown_words("— yes") == [("— yes", "yes")]


def test_relation_exact_contains_near_and_different():
    full = T.normalise("The bridge will reopen before the summer, and every lane will be free")
    assert T.relation(full, T.normalise("the bridge will reopen before the summer and every "
                                        "lane will be free!")) == "exact"  # fmt: skip
    assert T.relation(full, T.normalise("will reopen before the summer")) == "contains"
    assert T.relation(full, full.replace("summer", "autumn")) == "near"
    trimmed_and_changed = "will reopen before the autumn and every lane will be free"
    assert T.relation(full, trimmed_and_changed) == "near"
    assert (
        T.relation(full, T.normalise("The tunnel will close after the winter for repairs")) is None
    )


def test_word_diff_and_altered():
    base = T.words("the bridge will reopen before the summer")
    changed = T.words("the bridge will reopen before the autumn")
    diff = T.word_diff(base, changed)
    assert [(d.word, d.change) for d in diff if d.change != "same"] == [
        ("summer", "removed"),
        ("autumn", "added"),
    ]
    norm = [n for _, n in base]
    assert T.is_altered(norm, [n for _, n in changed])
    assert not T.is_altered(norm, norm[2:])  # trimmed is not altered
    assert not T.is_altered(norm, norm + ["soon"])  # nor extended at an end


# ------------------------------------------------------------------ the done criterion


def test_three_articles_make_one_trail_first_seen_altered_conflicting(three):
    lib, ids = three
    found = T.trails(lib)
    assert len(found) == 1
    trail = found[0]
    assert len(trail.occurrences) == 3 and trail.articles == 3
    # by article date: herald 03-01, gazette 03-02, courier 03-03 (ingested in another order)
    assert [o.article_id for o in trail.occurrences] == [
        ids["herald.md"],
        ids["gazette.md"],
        ids["courier.md"],
    ]
    first = trail.first
    assert first.first_seen and first.outlet == "The Harbour Herald" and first.date == "2024-03-01"
    assert [o.first_seen for o in trail.occurrences] == [True, False, False]
    assert trail.altered and trail.conflicting and not trail.paraphrased
    assert [o.altered for o in trail.occurrences] == [False, False, True]
    assert set(trail.speakers) == {"Ana Lindqvist", "Piet Vos"}
    courier = trail.occurrences[2]
    # the article's own characters: the comma after the changed word stays with it
    assert [(d.word, d.change) for d in courier.diff if d.change != "same"] == [
        ("summer,", "removed"),
        ("autumn,", "added"),
    ]
    # every quote of the trail leads to the same trail, whichever is asked
    for occ in trail.occurrences:
        assert T.trail(lib, occ.quote_id) == trail
    assert T.trail_counts(lib, [o.quote_id for o in trail.occurrences]) == {
        o.quote_id: 3 for o in trail.occurrences
    }


def test_trimmed_partial_and_paraphrase_join_without_being_altered(tmp_path, nlp):
    lib = Library(tmp_path / "lib")
    names = ("herald.md", "bulletin.md", "weekly.md")
    ids = ingest(lib, nlp, *copy(tmp_path, *names))
    (trail,) = T.trails(lib)
    by_article = {o.article_id: o for o in trail.occurrences}
    bulletin, weekly = by_article[ids["bulletin.md"]], by_article[ids["weekly.md"]]
    assert bulletin.quote_kind == "partial" and bulletin.kind == "direct"
    assert bulletin.text == "will reopen before the summer"  # the quoted words only
    assert not bulletin.altered  # trimmed, not changed
    assert weekly.kind == "paraphrase" and not weekly.altered
    assert trail.paraphrased and not trail.altered and not trail.conflicting


def test_unrelated_and_short_quotes_have_no_trail(three):
    lib, ids = three
    others = [
        q for aid in ids.values() for q in lib.quotes(aid) if "bridge will reopen" not in q.text
    ]
    assert others  # the fixtures' other quotes ("toll-free bridge", the city's)
    assert T.trail_counts(lib, [q.id for q in others]) == {}
    alone = T.trail(lib, others[0].id)
    assert len(alone.occurrences) == 1 and alone.articles == 1
    with pytest.raises(NotFoundError):
        T.trail(lib, "000000000000")


def test_syndicated_copies_share_one_wording_and_the_index_grows_linearly(tmp_path):
    """A wire quote printed by hundreds of outlets: each copy is a member of one wording, not a
    link to every other copy (pairwise links made a 1.4 GB index of 10,000 articles)."""
    wire = "the bridge will reopen before the summer and every lane will be free of tolls"

    def syndicated(outlets: int) -> T.QuoteIndex:
        index = T.QuoteIndex()
        for n in range(outlets):
            own = " ".join(f"w{n}x{k}" for k in range(8))  # words no other outlet prints
            quotes = [(f"q{n}", wire, True), (f"o{n}", own, True)]
            if n == 0:  # one outlet changed a word
                quotes.append(("changed", wire.replace("summer", "autumn"), True))
            index.add_article(f"a{n}", "v", quotes)
        return index

    small, big = syndicated(50), syndicated(400)
    assert len(big.wordings) == 1 + 400 + 1 and len(big.links) == 2  # wire <-> changed only
    assert big.members("q7") == {f"q{n}" for n in range(400)} | {"changed"}
    assert big.spread("q7") == 400 and big.spread("o7") == 1
    assert big.relation_of("q1", "q2") == "exact" and big.relation_of("q1", "changed") == "near"
    assert big.relation_of("q1", "o1") is None
    assert big.link_counts() == {"exact": 400 * 399 // 2, "near": 400}
    size = {n: len(json.dumps(i.to_json())) for n, i in ((50, small), (400, big))}
    assert size[400] < 10 * size[50]  # 8x the copies: about 8x the bytes, not 64x

    # the file round-trips, and removing articles keeps the wordings right
    path = tmp_path / "trails.json"
    again = T.QuoteIndex.from_json(big.to_json(), path)
    assert again.cores() == big.cores() and again.link_counts() == big.link_counts()
    again.prepare()  # every trail's spread worked out ahead, then kept until a change
    assert again.spread("q9") == 400 and again.spread("changed") == 400
    for n in range(1, 400):
        again.remove_article(f"a{n}")
    assert again.members("q0") == {"q0", "changed"} and again.spread("q0") == 1
    again.remove_article("a0")
    assert not again.wordings and not again.links and not again.quotes


def test_a_library_with_the_old_trails_json_is_upgraded_once_and_says_so(three):
    lib, _ = three
    want = T.trails(lib)
    index = lib.root / S.INDEX_DIR
    shutil.rmtree(index)  # a library of the last release: the single-file index only
    (lib.root / S.OLD_FILE).write_text(json.dumps({"version": 3, "articles": {}}))
    said: list[str] = []
    assert T.trails(Library(lib.root), say=said.append) == want
    assert said and "replacing trails.json" in said[0] and "built: 3 articles" in said[-1]
    assert not (lib.root / S.OLD_FILE).exists() and S.state(lib.root) == "ready"
    said.clear()
    assert T.trails(Library(lib.root), say=said.append) == want
    assert said == []  # once


# ------------------------------------------------------------------ kept up to date


def test_index_follows_ingest_change_and_review(tmp_path, nlp):
    lib = Library(tmp_path / "lib")
    herald, courier, gazette = copy(tmp_path, *THREE)
    ids = ingest(lib, nlp, herald, gazette)
    (trail,) = T.trails(lib)
    assert trail.articles == 2 and not trail.altered
    assert S.state(lib.root) == "ready"

    ingest(lib, nlp, courier)  # one more article: indexed as it is saved
    (trail,) = T.trails(lib)
    assert trail.articles == 3 and trail.altered

    # the courier's text changes: its old quote leaves the trail
    courier.write_text(
        courier.read_text().replace(
            "The bridge will reopen before the autumn, and every lane will be free of tolls",
            "Nobody should expect the ferry timetable to change this spring at all",
        )
    )
    ingest(lib, nlp, courier)
    (trail,) = T.trails(lib)
    assert trail.articles == 2 and not trail.altered

    # a reviewer credits the gazette's quote to the mayor: the conflict is gone
    assert trail.conflicting
    gazette_quote = lindqvist_quote(lib, ids["gazette.md"])
    lib.review_quote(ids["gazette.md"], gazette_quote.id, speaker="Ana Lindqvist")
    assert not T.trail(lib, gazette_quote.id).conflicting

    # another process (a fresh Library) reads the index written by this one
    again = Library(tmp_path / "lib")
    assert T.trail_counts(again, [gazette_quote.id]) == {gazette_quote.id: 2}


def test_surname_credit_is_the_same_speaker(tmp_path, nlp):
    lib = Library(tmp_path / "lib")
    herald, courier = copy(tmp_path, "herald.md", "courier.md")
    courier.write_text(courier.read_text().replace("Mayor Ana Lindqvist told", "Lindqvist told"))
    ingest(lib, nlp, herald, courier)
    (trail,) = T.trails(lib)
    assert {o.speaker for o in trail.occurrences} == {"Ana Lindqvist", "Lindqvist"}
    assert not trail.conflicting

    # another Lindqvist quoted as often: the library no longer reads "Lindqvist" as Ana,
    # but beside "Ana Lindqvist" in one trail it is still no conflict
    other = tmp_path / "in" / "ferry.md"
    other.write_text(
        "# Ferry fares\n\n"
        '"Fares will stay the same all year for every passenger," said Erik Lindqvist, '
        "who runs the ferry company.\n\n"
        '"We have ordered two new boats for the crossing," Erik Lindqvist said.\n'
    )
    ingest(lib, nlp, other)
    assert T.speaker_identity(lib)("Lindqvist") == "lindqvist"  # no longer joined library-wide
    (trail,) = T.trails(lib)
    assert not trail.conflicting and trail.speakers == ("Ana Lindqvist",)


def test_damaged_bucket_or_missing_index_is_rebuilt_and_doctor_repairs_it(three):
    lib, _ = three
    want = T.trails(lib)
    index = lib.root / S.INDEX_DIR
    (trail_file,) = [p for p in (index / "trails").glob("*.json") if json.loads(p.read_bytes())]
    trail_file.write_bytes(b'{"0123": ["ab')  # a torn write
    said: list[str] = []
    assert T.trails(Library(lib.root), say=said.append) == want
    assert any("damaged" in m for m in said), said
    assert json.loads(trail_file.read_bytes())

    words = next(p for p in (index / "words").glob("*.json") if json.loads(p.read_bytes()))
    words.write_text("[]")
    report = doctor(lib.root)
    assert report.ok and any("trail-index: words/" in w for w in report.warnings), report.warnings
    report = doctor(lib.root, repair=True)
    assert any("rebuilt trail-index (3 articles)" in a for a in report.actions), report.actions
    assert doctor(lib.root).warnings == []
    assert T.trails(Library(lib.root)) == want

    # a save that died midway leaves the index unfinished: built again on next use
    S.write_meta(index, lib.root, "writing", 1)
    assert T.trails(Library(lib.root)) == want and S.state(lib.root) == "ready"

    shutil.rmtree(index)
    assert T.trails(Library(lib.root)) == want


def test_doctor_updates_an_index_behind_the_article_files(three):
    lib, ids = three
    want = T.trails(lib)
    gazette = ids["gazette.md"]
    index = lib.root / S.INDEX_DIR
    bucket = index / "articles" / f"{gazette[:3]}.json"
    data = json.loads(bucket.read_bytes())
    data[gazette][0] = "an older version"
    bucket.write_text(json.dumps(data))
    report = doctor(lib.root)
    assert any("1 articles out of date" in w for w in report.warnings), report.warnings
    report = doctor(lib.root, repair=True)
    assert any("updated trail-index (1 articles)" in a for a in report.actions), report.actions
    assert doctor(lib.root).warnings == []
    assert T.trails(Library(lib.root)) == want


# ------------------------------------------------------------------ CLI


@pytest.fixture()
def cli_pipeline(monkeypatch, nlp):
    monkeypatch.setattr(cli.common, "load_nlp", lambda args: nlp)
    monkeypatch.delenv("SAIDWHO_DB", raising=False)


def test_cli_trail_and_trails(cli_pipeline, capsys, tmp_path):
    db = str(tmp_path / "lib")
    paths = [str(p) for p in copy(tmp_path, *THREE)]
    assert cli.main(["--db", db, "ingest", *paths]) == 0
    capsys.readouterr()

    assert cli.main(["--db", db, "trails", "--altered", "--conflicting", "--json"]) == 0
    (listed,) = json.loads(capsys.readouterr().out)
    assert listed["articles"] == 3 and listed["altered"] and listed["conflicting"]
    first = listed["occurrences"][0]
    assert first["first_seen"] and first["outlet"] == "The Harbour Herald"
    assert [o["outlet"] for o in listed["occurrences"]] == [
        "The Harbour Herald",
        "Coastal Gazette",
        "Valley Courier",
    ]

    altered = listed["occurrences"][2]
    assert cli.main(["--db", db, "trail", altered["quote_id"], "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == listed

    assert cli.main(["--db", db, "trail", altered["quote_id"]]) == 0
    out = capsys.readouterr().out
    assert "3 occurrences in 3 articles · altered,conflicting" in out
    assert "[-summer,-] {+autumn,+}" in out
    # the printing as written: punctuation kept ("summer, and", not "summer and")
    assert "The bridge will reopen before the summer, and every lane" in out.splitlines()[2]
    assert out.splitlines()[1].startswith("first")

    assert cli.main(["--db", db, "trails"]) == 0
    rows = capsys.readouterr().out.splitlines()
    assert rows[0].split()[:4] == ["TRAIL", "ARTICLES", "OCC", "FLAGS"]
    assert rows[1].split()[:3] == [listed["id"], "3", "3"]

    assert cli.main(["--db", db, "trail", "nosuchquote"]) == 1
    err = capsys.readouterr().err.strip()
    assert err == "saidwho: nosuchquote: not a quote id (12 hex digits, or a unique prefix of one)"


def test_cli_trails_in_a_real_process(cli_pipeline, capsys, tmp_path):
    db = str(tmp_path / "lib")
    paths = [str(p) for p in copy(tmp_path, "herald.md", "weekly.md")]
    assert cli.main(["--db", db, "ingest", *paths]) == 0
    done = subprocess.run(
        [sys.executable, "-m", "saidwho", "--db", db, "trails", "--json"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    (listed,) = json.loads(done.stdout)
    assert listed["paraphrased"] and not listed["altered"]
    # --altered keeps only altered trails: none here
    done = subprocess.run(
        [sys.executable, "-m", "saidwho", "--db", db, "trails", "--altered", "--json"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0 and json.loads(done.stdout) == []
