"""The quote map (store/quote_map.py): a quote id, or a unique prefix of one, resolves by
opening the one article that holds it; the map follows re-ingests, is built once for a
library that has none, and is checked and rebuilt by doctor."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from itertools import combinations
from pathlib import Path

import pytest

from saidwho.cli import ids
from saidwho.cli.common import InputError
from saidwho.core.quote import Quote
from saidwho.readers.article import Article, paragraph_spans
from saidwho.store import Library, doctor, records
from saidwho.store.quote_map import QuoteMap, map_dir


def story(
    n: int, said: tuple[str, ...] = ("finish", "start", "pay")
) -> tuple[Article, list[Quote]]:
    """Article n with one quote per verb in ``said``, each by its own speaker."""
    lines = [f"Story {n} opens."]
    lines += [f'"We will {verb} part {n}," said Speaker {i}.' for i, verb in enumerate(said)]
    text = "\n\n".join(lines) + "\n"
    quotes = []
    for verb in said:
        start = text.index(f'"We will {verb}') + 1
        end = text.index('"', start)
        name = f"Speaker {said.index(verb)}"
        quotes.append(Quote("direct", start, end, start - 1, end + 20, 0.9, speaker=name))
    article = Article(
        text=text, title=f"Story {n}", source="Desk", path=f"/news/{n}.txt",
        paragraphs=paragraph_spans(text),
    )  # fmt: skip
    return article, quotes


@pytest.fixture
def lib(tmp_path: Path) -> Library:
    library = Library(tmp_path / "lib")
    library.save_articles([story(n) for n in range(30)])
    return library


def every_quote(lib: Library) -> dict[str, str]:
    """quote id -> article id, from the article files themselves."""
    out = {}
    for path in (lib.root / "articles").glob("*/*.json"):
        for q in json.loads(path.read_bytes())["quotes"].values():
            out[q["id"]] = path.stem
    return out


def shared_prefix(quote_ids: list[str], length: int) -> str:
    """A prefix of ``length`` digits that at least two of the ids start with."""
    for a, b in combinations(sorted(quote_ids), 2):
        if a[:length] == b[:length]:
            return a[:length]
    raise AssertionError(f"no two of {len(quote_ids)} quote ids share {length} digits")


def test_a_prefix_resolves_opening_only_the_article_that_holds_it(lib: Library) -> None:
    quotes = every_quote(lib)
    quote_id, holder = sorted(quotes.items())[len(quotes) // 2]
    # every other article file is unreadable: the look-up never opens them
    for path in (lib.root / "articles").glob("*/*.json"):
        if path.stem != holder:
            path.write_bytes(b"\x00 not json")
    prefix = next(
        quote_id[:n] for n in range(2, 13) if sum(q.startswith(quote_id[:n]) for q in quotes) == 1
    )
    fresh = Library(lib.root)
    opened: list[str] = []
    body = fresh.files.body

    def spy(article_id: str, *args: object) -> object:
        opened.append(article_id)
        return body(article_id, *args)  # type: ignore[arg-type]

    fresh.files.body = spy  # type: ignore[method-assign]
    found = ids.quote(fresh, prefix.upper())
    assert (found.id, found.article_id) == (quote_id, holder)
    assert opened == [holder]
    assert fresh.record_errors == []  # no damaged article was even looked at
    assert found.text.startswith("We will")
    assert fresh.resolve_quote(prefix).id == quote_id
    assert fresh.quote_ids_starting(quote_id) == [(quote_id, holder)]
    with pytest.raises(InputError, match="no such quote in the library"):
        ids.quote(fresh, "ffffffffffff" if "ffffffffffff" not in quotes else "000000000000")


@pytest.mark.parametrize("length", [1, 2])
def test_an_ambiguous_prefix_names_its_candidates(lib: Library, length: int) -> None:
    quotes = every_quote(lib)
    prefix = shared_prefix(list(quotes), length)
    matching = sorted(q for q in quotes if q.startswith(prefix))
    assert [q for q, _ in lib.quote_ids_starting(prefix)] == matching
    with pytest.raises(InputError) as caught:
        ids.quote(lib, prefix)
    shown = ", ".join(matching[:5]) + (", ..." if len(matching) > 5 else "")
    assert (
        str(caught.value) == f"{prefix}: ambiguous: {len(matching)} quotes start with it ({shown})"
    )


def test_a_quote_removed_by_a_reingest_leaves_the_map(lib: Library) -> None:
    article, quotes = story(7)
    aid = article.content_id
    before = {q.id for q in lib.quotes(aid)}
    assert len(before) == 3
    # the same file, new text: one quote kept in other words, two gone
    changed, fewer = story(7, said=("finish", "rest"))
    changed = Article(
        text=changed.text + "Updated.\n", title=changed.title, source=changed.source,
        path=article.path, paragraphs=paragraph_spans(changed.text + "Updated.\n"),
    )  # fmt: skip
    assert lib.save_article(changed, fewer) == (aid, "updated")
    after = {q.id for q in lib.quotes(aid)}
    assert after and not after & before  # the text changed, so every id did
    fresh = Library(lib.root)
    for gone in before:
        assert fresh.quote_ids_starting(gone) == []
        with pytest.raises(InputError, match="no such quote"):
            ids.quote(fresh, gone)
    for kept in after:
        assert ids.quote(fresh, kept).article_id == aid
    assert (
        QuoteMap(lib.root).problem(
            {a: frozenset(q for q, h in every_quote(lib).items() if h == a) for a in ids_of(lib)}
        )
        is None
    )


def ids_of(lib: Library) -> set[str]:
    return {a.id for a in lib.articles(named=False)}


def bucket_files(root: Path) -> list[Path]:
    return sorted(p for p in map_dir(root).glob("*.json") if p.name != "index.json")


@pytest.mark.parametrize(
    "damage", ["deleted map", "deleted bucket", "corrupt bucket", "corrupt index"]
)
def test_a_deleted_or_corrupt_map_is_built_again_on_first_use(lib: Library, damage: str) -> None:
    quotes = every_quote(lib)
    quote_id, holder = sorted(quotes.items())[0]
    target = map_dir(lib.root) / f"{quote_id[:2]}.json"
    if damage == "deleted map":
        shutil.rmtree(map_dir(lib.root))
    elif damage == "deleted bucket":
        target.unlink()
    elif damage == "corrupt bucket":
        target.write_bytes(b"{ not json")
    else:
        (map_dir(lib.root) / "index.json").write_bytes(b"\x00")
    fresh = Library(lib.root)
    assert not QuoteMap(lib.root).ready() or damage in ("deleted bucket", "corrupt bucket")
    assert ids.quote(fresh, quote_id).article_id == holder
    expected = {a: frozenset(q for q, h in quotes.items() if h == a) for a in set(quotes.values())}
    assert QuoteMap(lib.root).problem(expected) is None
    assert doctor(lib.root).warnings == []


def test_an_old_library_without_the_map_works_and_gets_one(tmp_path: Path) -> None:
    """A library saved before the map existed: the same files, no quote-map."""
    lib = Library(tmp_path / "lib")
    lib.save_articles([story(n) for n in range(12)])
    shutil.rmtree(map_dir(lib.root))
    old = Library(lib.root)
    # saving into it leaves the map to its first use (no half map from one article)
    old.save_article(*story(50))
    assert not map_dir(lib.root).exists()
    report = doctor(lib.root)
    assert report.ok and any("quote-map: missing" in w for w in report.warnings)
    quotes = every_quote(lib)
    assert len(quotes) == 13 * 3
    for quote_id, holder in quotes.items():
        assert ids.quote(old, quote_id).article_id == holder
    assert bucket_files(lib.root)
    # from now on it is kept up to date
    aid, _ = old.save_article(*story(51))
    new = {q.id for q in old.quotes(aid)}
    assert len(new) == 3
    for quote_id in new:
        assert Library(lib.root).quote_ids_starting(quote_id) == [(quote_id, aid)]
    assert doctor(lib.root).warnings == []


def test_doctor_finds_an_out_of_date_map_and_repair_rebuilds_it(lib: Library) -> None:
    quotes = every_quote(lib)
    quote_id, holder = sorted(quotes.items())[3]
    bucket = map_dir(lib.root) / f"{quote_id[:2]}.json"
    tables = json.loads(bucket.read_bytes())
    del tables["quotes"]["1"][quote_id]  # a save that never reached the map
    tables["quotes"]["1"]["0" * 12] = holder  # and one the article does not have
    bucket.write_bytes(json.dumps(tables).encode())
    before = {p.name: p.read_bytes() for p in bucket_files(lib.root)}
    report = doctor(lib.root)
    assert report.ok  # derived data: a warning, nothing the user wrote is at stake
    [warning] = [w for w in report.warnings if w.startswith("quote-map")]
    assert "--repair rebuilds it" in warning
    assert {p.name: p.read_bytes() for p in bucket_files(lib.root)} == before  # nothing written
    repaired = doctor(lib.root, repair=True)
    assert any(a.startswith("rebuilt quote-map") for a in repaired.actions)
    assert doctor(lib.root).warnings == []
    assert ids.quote(Library(lib.root), quote_id).article_id == holder


def test_doctor_repair_rebuilds_a_deleted_bucket(lib: Library) -> None:
    victim = bucket_files(lib.root)[0]
    victim.unlink()
    report = doctor(lib.root)
    assert any("is missing; built on next use" in w for w in report.warnings)
    doctor(lib.root, repair=True)
    assert victim.exists() and doctor(lib.root).warnings == []


def test_cli_review_and_cite_take_a_quote_prefix(lib: Library) -> None:
    quotes = every_quote(lib)
    quote_id = sorted(quotes)[5]
    prefix = next(
        quote_id[:n] for n in range(2, 13) if sum(q.startswith(quote_id[:n]) for q in quotes) == 1
    )
    db = ["--db", str(lib.root)]
    run = [sys.executable, "-m", "saidwho"]
    done = subprocess.run(
        [*run, *db, "review", prefix, "--dispute", "--json"], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["id"] == quote_id
    cited = subprocess.run([*run, *db, "cite", prefix], capture_output=True, text=True)
    assert cited.returncode == 0, cited.stderr
    assert "We will" in cited.stdout
    assert records.is_article_id(quotes[quote_id])


def test_a_library_it_cannot_write_now_is_searched_without_the_map(lib: Library) -> None:
    """No map and the lock held by a long write elsewhere: the look-up opens the articles,
    as before the map, instead of failing; the map is built by a later look-up."""
    shutil.rmtree(map_dir(lib.root))
    quote_id, holder = sorted(every_quote(lib).items())[0]
    writer = Library(lib.root)
    waiting = Library(lib.root, lock_timeout=0.05)
    with writer.files.locked():
        assert ids.quote(waiting, quote_id).article_id == holder
    assert not map_dir(lib.root).exists()
    assert ids.quote(waiting, quote_id).article_id == holder
    assert QuoteMap(lib.root).ready()
