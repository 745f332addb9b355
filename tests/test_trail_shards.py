"""The quote-trail index on disk (store/trail_shards.py) gives exactly what the whole index
in memory (``QuoteIndex``) gives: the same trails, the same members, the same relations,
after articles are added, changed and removed; the CLI and the reader show the same.

The library fixtures: the mayor's statement of tests/fixtures/trails printed verbatim,
credited to someone else, with a word changed, trimmed into a partial quote, and reported,
by six outlets; then a new version of one article and one article removed.
"""

from __future__ import annotations

import json
import random
import re
import subprocess
import sys
from pathlib import Path

import pytest
from tui_support import settle, wait_until

from saidwho import cli
from saidwho.ingest import ingest_paths
from saidwho.store import Library, doctor, records
from saidwho.store import trail_shards as S
from saidwho.store import trails as T
from saidwho.store.trail_index import QuoteIndex, body_entries, version_of

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "trails"


# ------------------------------------------------------------------ the index alone

WORDS = [
    "the",
    "bridge",
    "will",
    "reopen",
    "before",
    "summer",
    "and",
    "every",
    "lane",
    "be",
    "free",
    "of",
    "tolls",
    "city",
    "council",
    "said",
    "budget",
    "harbour",
    "storm",
    "piers",
    "repairs",
    "four",
    "million",
    "euros",
    "engineers",
    "inspection",
    "week",
    "mayor",
    "ferry",
    "timetable",
    "spring",
    "nobody",
    "should",
    "expect",
    "change",
    "schools",
    "teachers",
    "new",
    "plan",
]


def statements(rng: random.Random, n: int) -> list[str]:
    return [" ".join(rng.choice(WORDS) for _ in range(rng.randint(9, 16))) for _ in range(n)]


def variant(rng: random.Random, base: str) -> tuple[str, bool]:
    """A printing of ``base``: a copy, reported, a piece of it, a word changed, or short."""
    words = base.split()
    kind = rng.choice(["copy", "copy", "reported", "piece", "near", "short"])
    if kind == "reported":
        return base, False
    if kind == "piece":
        start = rng.randint(0, len(words) - 6)
        return " ".join(words[start : start + rng.randint(5, 7)]), True
    if kind == "near":
        words[rng.randrange(len(words))] = rng.choice(WORDS)
        return " ".join(words), True
    if kind == "short":
        return " ".join(words[:3]), True
    return base.upper() if rng.random() < 0.3 else base, True  # case is folded


def shape(index_graphs: dict[str, T.TrailGraph | None]) -> dict[str, object]:
    """Per quote: its trail's core, members with their articles, every relation between
    two members, whether it is made of pieces: what a trail is built from (wording ids,
    which differ between the two indexes, left out)."""
    out: dict[str, object] = {}
    for qid, graph in index_graphs.items():
        if graph is None:
            out[qid] = None
            continue
        members = sorted(graph.members)
        relations = {(a, b, graph.relation_of(a, b)) for a in members for b in members}
        out[qid] = (graph.core, dict(graph.article_of), relations, graph.inside, graph.spread())
    return out


def reader_graphs(root: Path, qids: list[str]) -> dict[str, T.TrailGraph | None]:
    reader = S.Reader(root)
    return {q: reader.graph_of_quote(q) for q in qids}


def trail_set(found: list[T.TrailGraph]) -> set[frozenset[str]]:
    return {g.core for g in found if not g.inside}  # as ``trails`` lists them


@pytest.mark.parametrize("page", [3, S.PAGE])
def test_the_index_on_disk_follows_adds_versions_and_removals_as_the_whole_index(
    tmp_path, monkeypatch, page
):
    """``page`` 3: every wording printed more than three times keeps its members in pages."""
    monkeypatch.setattr(S, "PAGE", page)
    rng = random.Random(24)
    root = tmp_path / "lib"
    root.mkdir()
    S.build(root, [], lambda aid: [])  # an empty index, ready
    memory = QuoteIndex()
    bases = statements(rng, 12)
    articles: dict[str, list[tuple[str, str, bool]]] = {}
    all_qids: set[str] = set()

    def printed(aid: str, version: int) -> list[tuple[str, str, bool]]:
        quotes = []
        for k in range(rng.randint(2, 6)):
            text, quoted = variant(rng, rng.choice(bases))
            quotes.append((f"{aid}q{version}x{k}", text, quoted))
        if rng.random() < 0.2:
            quotes.append(quotes[0])  # the same span twice: indexed once
        return quotes

    for step in range(120):
        op = rng.random()
        if op < 0.6 or not articles:
            aid = f"{rng.randrange(1 << 32):08x}{step:08x}"
            articles[aid] = printed(aid, 0)
        elif op < 0.8:
            aid = rng.choice(sorted(articles))
            articles[aid] = printed(aid, step)  # a new version of the article
        else:
            aid = rng.choice(sorted(articles))
            del articles[aid]
        if aid in articles:
            memory.add_article(aid, f"v{step}", articles[aid])
            all_qids.update(q for q, _, _ in articles[aid])

            def change(edit: S.Edit, aid: str = aid, step: int = step) -> None:
                edit.add_article(aid, f"v{step}", articles[aid])
        else:
            memory.remove_article(aid)

            def change(edit: S.Edit, aid: str = aid) -> None:
                edit.remove_article(aid)

        assert S.update(root, change)
        if step % 10 == 9 or step == 119:
            qids = sorted(all_qids)
            disk = reader_graphs(root, qids)
            assert shape(disk) == shape({q: memory.graph(q) for q in qids})
            reader = S.Reader(root)
            on_disk = [reader.graph(t) for t in reader.trail_ids()]
            assert trail_set(on_disk) == trail_set(memory.trail_graphs())
            assert sorted(S.indexed(root).items()) == sorted(memory.articles.items())
    # the run made real trails of every kind
    kinds = {rel for _, _, rel in memory_relations(memory)}
    assert {"exact", "near", "contains"} <= kinds
    assert len(memory.trail_graphs()) >= 5
    pages = list((root / S.INDEX_DIR / "members").glob("*.json"))
    assert bool(pages) == (page == 3)

    # a build from nothing gives the same index as the updates did
    rebuilt = tmp_path / "rebuilt"
    rebuilt.mkdir()
    fresh = QuoteIndex()
    bodies = {}
    for aid in sorted(articles):
        fresh.add_article(aid, "v", articles[aid])
        bodies[aid] = articles[aid]
    S.build(rebuilt, [(a, "v") for a in sorted(articles)], bodies.__getitem__)
    qids = sorted(fresh.quotes)
    assert shape(reader_graphs(rebuilt, qids)) == shape({q: fresh.graph(q) for q in qids})


def memory_relations(index: QuoteIndex) -> set[tuple[int, int, str]]:
    return {(a, b, rel) for a, linked in index.links.items() for b, rel in linked.items()}


# ------------------------------------------------------------------ the library


def copy_as(tmp_path: Path, name: str, outlet: str | None = None, date: str | None = None) -> Path:
    """A fixture article; with ``outlet``, as another outlet reprinted it (another date)."""
    text = (FIXTURES / name).read_text(encoding="utf-8")
    stem = name.removesuffix(".md")
    if outlet is not None:
        text = re.sub(r"(?m)^source: .*$", f"source: {outlet}", text, count=1)
        text += f"\nReprinted by {outlet}.\n"
        stem = f"{stem}-{outlet.lower().replace(' ', '-')}"
    if date is not None:
        text = re.sub(r"(?m)^date: .*$", f"date: {date}", text, count=1)
    dest = tmp_path / "in" / f"{stem}.md"
    dest.parent.mkdir(exist_ok=True)
    dest.write_text(text, encoding="utf-8")
    return dest


def reference(lib: Library) -> QuoteIndex:
    """The whole index in memory, built from the article files as they are now."""
    index = QuoteIndex()
    for aid in sorted(present(lib)):
        body = lib.files.body(aid)
        index.add_article(aid, version_of(records.summary(body)), body_entries(body))
    return index


def present(lib: Library) -> list[str]:
    return [a.id for a in lib.articles() if records.body_path(lib.root, a.id).exists()]


def assert_same_answers(lib: Library) -> list[T.Trail]:
    """trails, each quote's trail and the CLI's --json: from the index on disk exactly what
    the whole index in memory gives."""
    index = reference(lib)
    want = T.trails_of(lib, index.trail_graphs())
    fresh = Library(lib.root)  # another process's view: nothing cached
    assert T.trails(fresh) == want
    for aid in present(lib):
        for q in lib.quotes(aid):
            graph = index.graph(q.id)
            assert graph is not None
            assert T.trail(fresh, q.id) == T.trail_of(lib, graph), q.text
            counts = T.trail_counts(fresh, [q.id])
            assert counts.get(q.id, 1) == graph.spread()
    return want


@pytest.fixture()
def cli_pipeline(monkeypatch, nlp):
    monkeypatch.setattr(cli.common, "load_nlp", lambda args: nlp)
    monkeypatch.delenv("SAIDWHO_DB", raising=False)


def test_library_trails_match_the_whole_index_after_ingest_new_version_and_removal(
    tmp_path, nlp, cli_pipeline, capsys
):
    lib = Library(tmp_path / "lib")
    paths = [
        copy_as(tmp_path, "herald.md"),
        copy_as(tmp_path, "herald.md", "Port Times", "2024-03-06"),  # an exact copy
        copy_as(tmp_path, "gazette.md"),  # the same words, someone else credited
        copy_as(tmp_path, "courier.md"),  # a word changed
        copy_as(tmp_path, "bulletin.md"),  # a trimmed partial quote
        copy_as(tmp_path, "weekly.md"),  # reported speech
    ]
    events = ingest_paths(lib, [str(p) for p in paths], nlp)
    assert [e.status for e in events] == ["added"] * 6, events
    ids = {Path(e.path).name: e.article_id for e in events if e.article_id}
    want = assert_same_answers(lib)
    (trail,) = want
    assert trail.articles == 6 and trail.altered and trail.conflicting and trail.paraphrased

    # the CLI prints the same
    assert cli.main(["--db", str(lib.root), "trails", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == [t.to_json() for t in want]
    quote = trail.occurrences[-1].quote_id
    assert cli.main(["--db", str(lib.root), "trail", quote, "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == trail.to_json()

    # a new version of the courier: its changed words are gone, its new quote is alone
    courier = paths[3]
    courier.write_text(
        courier.read_text().replace(
            "The bridge will reopen before the autumn, and every lane will be free of tolls",
            "Nobody should expect the ferry timetable to change this spring at all",
        )
    )
    (event,) = ingest_paths(lib, [str(courier)], nlp)
    assert event.status == "updated"
    (trail,) = assert_same_answers(lib)
    assert trail.articles == 5 and not trail.altered

    # an article removed (its file lost; doctor --repair takes it out of the index)
    gazette = ids["gazette.md"]
    records.body_path(lib.root, gazette).unlink()
    report = doctor(lib.root, repair=True)
    assert any("updated trail-index (1 articles)" in a for a in report.actions), report.actions
    (trail,) = assert_same_answers(Library(lib.root))
    assert trail.articles == 4 and not trail.conflicting
    assert gazette not in {o.article_id for o in trail.occurrences}


def test_an_article_saved_rewrites_only_the_buckets_its_quotes_touch(tmp_path, nlp):
    lib = Library(tmp_path / "lib")
    first = [copy_as(tmp_path, n) for n in ("herald.md", "gazette.md", "weekly.md")]
    ingest_paths(lib, [str(p) for p in first], nlp)
    T.trails(lib)  # built
    index = lib.root / S.INDEX_DIR
    before = {p: p.stat().st_mtime_ns for p in index.rglob("*.json")}
    (event,) = ingest_paths(lib, [str(copy_as(tmp_path, "courier.md"))], nlp)
    after = {p: p.stat().st_mtime_ns for p in index.rglob("*.json")}
    changed = {p.relative_to(index).as_posix() for p in after if before.get(p) != after[p]}
    aid = event.article_id
    assert aid is not None
    assert f"articles/{aid[:3]}.json" in changed and "meta.json" in changed
    quotes = {q.id[:3] for q in lib.quotes(aid)}
    assert {c.split("/")[1][:3] for c in changed if c.startswith("quotes/")} == quotes
    # nothing under articles/ but the article's own: the others' buckets stay as they were
    assert [c for c in changed if c.startswith("articles/")] == [f"articles/{aid[:3]}.json"]
    others = {e.article_id[:3] for e in ingest_paths(lib, [str(p) for p in first], nlp)}
    assert len(others - {aid[:3]}) >= 2
    assert doctor(lib.root).warnings == []


async def test_the_readers_trail_screen_shows_the_whole_index_trail(tmp_path, nlp):
    from saidwho.tui.app import SaidwhoApp
    from saidwho.tui.screens.reader import ReaderScreen
    from saidwho.tui.screens.trail import TrailScreen
    from saidwho.tui.widgets.panels import QuoteList

    lib = Library(tmp_path / "lib")
    paths = [copy_as(tmp_path, n) for n in ("herald.md", "courier.md", "bulletin.md")]
    events = ingest_paths(lib, [str(p) for p in paths], nlp)
    herald = next(e.article_id for e in events if Path(e.path).name == "herald.md")
    assert herald is not None
    quote = next(q.id for q in lib.quotes(herald) if "bridge will reopen" in q.text)
    graph = reference(lib).graph(quote)
    assert graph is not None
    want = T.trail_of(lib, graph)
    assert not (lib.root / S.INDEX_DIR).exists()  # the reader builds it (in a worker)
    app = SaidwhoApp(Library(lib.root), nlp=nlp)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        app.open_reader(herald)
        await wait_until(pilot, lambda: isinstance(app.screen, ReaderScreen))
        panel = app.screen.query_one(QuoteList)
        await wait_until(pilot, lambda: panel.trail_counts.get(quote) == 3)
        panel.focus()
        panel.select(quote)
        await pilot.press("t")
        await wait_until(pilot, lambda: isinstance(app.screen, TrailScreen))
        screen = app.screen
        assert isinstance(screen, TrailScreen)
        await wait_until(pilot, lambda: screen.trail is not None)
        assert screen.trail == want


def test_a_trail_read_while_another_process_ingests(tmp_path, nlp):
    """A real `saidwho ingest` of six articles, one by one, while this process reads the
    trail again and again: every read answers (no error, no rebuild), and the last one is
    the whole index's."""
    lib = Library(tmp_path / "lib")
    (event,) = ingest_paths(lib, [str(copy_as(tmp_path, "herald.md"))], nlp)
    herald = event.article_id
    assert herald is not None
    quote = next(q.id for q in lib.quotes(herald) if "bridge will reopen" in q.text)
    assert len(T.trail(lib, quote).occurrences) == 1
    more = [
        copy_as(tmp_path, n, outlet, f"2024-04-0{i}")
        for i, (n, outlet) in enumerate(
            [
                ("herald.md", "Port Times"),
                ("gazette.md", None),
                ("courier.md", None),
                ("herald.md", "Bay News"),
                ("bulletin.md", None),
                ("weekly.md", None),
            ],
            start=1,
        )
    ]
    script = (
        "import sys\n"
        "from saidwho.cli import main\n"
        "for path in sys.argv[2:]:\n"
        "    assert main(['--db', sys.argv[1], 'ingest', path]) == 0\n"
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", script, str(lib.root), *map(str, more)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    said: list[str] = []
    seen: list[int] = []
    try:
        while proc.poll() is None:
            found = T.trail(Library(lib.root), quote, say=said.append)
            seen.append(len(found.occurrences))
    finally:
        _, err = proc.communicate(timeout=300)
    assert proc.returncode == 0, err
    assert said == []  # never built again
    assert seen and seen == sorted(seen)  # each read saw the saves before it, in order
    graph = reference(lib).graph(quote)
    assert graph is not None
    final = T.trail(Library(lib.root), quote)
    assert final == T.trail_of(lib, graph) and final.articles == 7
