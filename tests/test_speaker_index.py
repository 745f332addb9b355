"""The speaker index on disk (store/speaker_index.py, store/stored_identities.py): every
answer equals the whole build's (``Identities`` over every catalog entry) on a library
written here -- shared surnames, a surname alone, first names, organisations, roles, a
reassigned speaker, merge/split/rename/kind decisions -- after each change; a damaged or
stale file is rebuilt; another process ingesting meanwhile is seen."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from saidwho import cli
from saidwho.store import Library
from saidwho.store.doctor import doctor
from saidwho.store.identities import Identities
from saidwho.store.speaker_index import BUCKETS, SpeakerIndex, speakers_dir
from saidwho.store.speakers import identity_inputs
from saidwho.store.stored_identities import StoredIdentities
from tests.store_support import add

ARTICLES = [
    ("/trump1.txt", '"We will win," Donald Trump said.', [("We will win", "Donald Trump")]),
    (
        "/trump2.txt",
        '"Walls work," said Donald J. Trump. "Believe me," Mr. Trump added.',
        [("Walls work", "Donald J. Trump"), ("Believe me", "Mr. Trump")],
    ),
    ("/trump3.txt", '"Big league," Trump said.', [("Big league", "Trump")]),
    (
        "/bill.txt",
        'Former president Bill Clinton spoke in Ohio. "Vote early," Clinton said.',
        [("Vote early", "Clinton")],
    ),
    (
        "/hillary.txt",
        '"Stronger together," said Hillary Rodham Clinton. "Thank you," Clinton said.',
        [("Stronger together", "Hillary Rodham Clinton"), ("Thank you", "Clinton")],
    ),
    (
        "/both.txt",
        'Bill Clinton and Hillary Clinton came. "Yes," Clinton said.',
        [("Yes", "Clinton")],
    ),
    (
        "/gary.txt",
        'Gary Johnson, the Libertarian, spoke. "Aleppo?" Johnson asked.',
        [("Aleppo?", "Johnson")],
    ),
    (
        "/ron.txt",
        'Senator Ron Johnson of Wisconsin spoke. "Not now," Johnson said.',
        [("Not now", "Johnson")],
    ),
    (
        "/donald.txt",
        '"Hello," Donald said. "Bye," said Melania.',
        [("Hello", "Donald"), ("Bye", "Melania")],
    ),
    (
        "/fbi.txt",
        '"No comment," the FBI said. "We cooperate," said the Federal Bureau of Investigation.',
        [("No comment", "FBI"), ("We cooperate", "Federal Bureau of Investigation")],
    ),
    (
        "/who.txt",
        '"Wash hands," the World Health Organization said. "Stay home," officials said.',
        [("Wash hands", "World Health Organization"), ("Stay home", "officials")],
    ),
    (
        "/case.txt",
        '"One," said Ana Ruiz. "Two," said ana ruiz.',
        [("One", "Ana Ruiz"), ("Two", "ana ruiz")],
    ),
]


@pytest.fixture
def lib(tmp_path: Path) -> Library:
    lib = Library(tmp_path / "lib")
    for path, text, quotes in ARTICLES:
        add(lib, path, text, quotes)
    return lib


def ids(lib: Library) -> dict[str, str]:
    return {a.path or "": a.id for a in lib.articles(named=False)}


def whole(lib: Library) -> Identities:
    """The identities built from every catalog entry: what the index must answer."""
    return Identities(identity_inputs(lib.files), lib.speaker_decisions())


def assert_same(
    root: Path, capsys: pytest.CaptureFixture[str] | None = None, *, updated: bool = True
) -> None:
    """A new process's every answer from the index equals the whole build's. ``updated``:
    the writer brought the index up to date itself (nothing pending for a reader to build)."""
    if updated:
        assert SpeakerIndex(root).ready()
    fresh = Library(root)
    want = whole(Library(root))
    assert fresh.speakers() == want.summaries
    stored = fresh.identities()
    assert isinstance(stored, StoredIdentities)
    assert stored.problems == want.problems
    for article in fresh.articles(named=False):
        for q in fresh.quotes(article.id):
            assert q.identity == want.of(article.id, q.speaker), (article.path, q.speaker)
    for s in want.summaries:
        for name in (s.speaker, *s.aliases, s.speaker.lower()):
            assert stored.find(name) == want.find(name), name
            assert stored.units(name) == want.units(name), name
    named = {a.id: a.speakers for a in Library(root).articles()}
    for article in fresh.articles(named=False):
        expect = tuple(dict.fromkeys(want.of(article.id, n) or n for n in article.speakers))
        assert named[article.id] == expect
    assert not fresh.identities_built
    if capsys is not None:
        capsys.readouterr()
        assert cli.main(["--db", str(root), "speakers", "--json"]) == 0
        listed = json.loads(capsys.readouterr().out)
        assert listed == [s.to_json() for s in want.summaries]


def test_the_index_answers_as_the_whole_build(lib: Library, capsys) -> None:
    assert (speakers_dir(lib.root) / "state.json").exists()
    assert_same(lib.root, capsys)
    # what the fixture is about: the library names a surname alone, not an ambiguous one
    names = {a.path: a.speakers for a in lib.articles()}
    assert names["/trump3.txt"] == ("Donald Trump",)
    assert names["/both.txt"] == ("Clinton",)


def test_after_ingest_reassignment_and_each_decision(lib: Library, capsys) -> None:
    # an ingest that changes a surname group: a second Gary Johnson article
    add(lib, "/gary2.txt", '"Liberty," said Gary Johnson.', [("Liberty", "Gary Johnson")])
    assert_same(lib.root)
    # a new version of an article (same path): its speakers change
    add(lib, "/trump3.txt", '"Big league," Ivanka Trump said.', [("Big league", "Ivanka Trump")])
    assert_same(lib.root)
    # a reviewer reassigns a quote to another speaker
    aid = ids(lib)["/ron.txt"]
    quote = lib.quotes(aid)[0]
    lib.review_quote(aid, quote.id, speaker="Gary Johnson")
    assert_same(lib.root)
    lib.review_quote(aid, quote.id, revert=True)
    assert_same(lib.root)
    # each kind of decision, in turn, on top of the others
    lib.merge_speakers(["FBI", "Federal Bureau of Investigation"], into="The FBI")
    assert_same(lib.root, capsys)
    lib.merge_speakers(["Gary Johnson", "Ron Johnson"], into="Johnson")
    assert_same(lib.root)
    lib.split_speaker("Johnson", "Ron Johnson")
    assert_same(lib.root)
    lib.rename_speaker("Hillary Clinton", "Hillary Rodham Clinton")
    assert_same(lib.root)
    lib.set_speaker_kind("officials", "organization")
    assert_same(lib.root)
    # an ingest after the decisions: they apply to it too
    add(lib, "/fbi2.txt", '"Later," the FBI said.', [("Later", "FBI")])
    assert_same(lib.root, capsys)
    lib.undo_speaker_decision()
    assert_same(lib.root)


def stored(root: Path) -> dict[str, object]:
    """The index's files with something in them (an empty one is as good as none)."""
    out = {}
    for path in sorted(speakers_dir(root).rglob("*.json")):
        data = json.loads(path.read_bytes())
        if any(docs for table, docs in data.items() if table != "meta"):
            out[path.relative_to(root).as_posix()] = data
    return out


def test_an_article_removed_leaves_the_index_a_build_without_it(lib: Library) -> None:
    """``apply`` with an article gone gives the very files a build without it gives."""
    arts = identity_inputs(lib.files)
    gone = ids(lib)["/trump1.txt"]  # Donald Trump's only quote by his full name here
    index = SpeakerIndex(lib.root)
    with lib.files.locked():
        index.mark([gone])
        index.apply({gone: None})
    after = stored(lib.root)
    other = Library(lib.root.parent / "other")
    built = SpeakerIndex(other.root)
    with other.files.locked():
        built.build([a for a in arts if a.article_id != gone])
    assert after == stored(other.root)
    assert index.problem([a for a in arts if a.article_id != gone]) is None
    assert index.problem(arts) is not None  # and differs from the library with it


def test_a_damaged_or_stale_index_is_rebuilt(lib: Library) -> None:
    want = {a.id: [(q.id, q.identity) for q in lib.quotes(a.id)] for a in lib.articles()}
    folder = speakers_dir(lib.root)
    buckets = [p for p in sorted(folder.glob("*.json")) if p.stem in BUCKETS]
    holding = [p for p in buckets if b'"groups":{}' not in p.read_bytes()]
    assert holding
    holding[0].write_bytes(b"{not json")
    assert {
        aid: [(q.id, q.identity) for q in Library(lib.root).quotes(aid)] for aid in want
    } == want
    assert b"{not json" not in holding[0].read_bytes()  # built again
    # a writer that died midway left an article pending: the next reader builds again
    with lib.files.locked():
        SpeakerIndex(lib.root).mark([next(iter(want))])
    assert not SpeakerIndex(lib.root).ready()
    assert_same(lib.root, updated=False)
    assert SpeakerIndex(lib.root).ready()
    # a record the index does not know (changed by a writer that did not tell it)
    registry = folder / "articles"
    for path in registry.glob("*.json"):
        path.unlink()
    assert_same(lib.root)
    assert_same(lib.root)  # (built again once, never counted twice)
    # the whole folder gone: built once on first need
    for path in sorted(folder.rglob("*"), reverse=True):
        path.rmdir() if path.is_dir() else path.unlink()
    assert_same(lib.root, updated=False)


def test_doctor_checks_the_index_and_repair_rebuilds_it(lib: Library) -> None:
    lib.speakers()  # the index is built on first need
    assert not [w for w in doctor(lib.root).warnings if "speakers/" in w]
    aid = ids(lib)["/gary.txt"]
    record = speakers_dir(lib.root) / "articles" / f"{aid[:2]}.json"
    data = json.loads(record.read_bytes())
    data["articles"][aid]["g"] = {"s:nobody": "0"}
    record.write_text(json.dumps(data), encoding="utf-8")
    report = doctor(lib.root)
    assert [w for w in report.warnings if "speakers/" in w]
    assert json.loads(record.read_bytes()) == data  # doctor alone writes nothing
    repaired = doctor(lib.root, repair=True)
    assert any("speakers/" in a for a in repaired.actions)
    assert not [w for w in doctor(lib.root).warnings if "speakers/" in w]
    assert_same(lib.root)


CHILD = """
import sys
from pathlib import Path
from saidwho.core.quote import Quote
from saidwho.readers.article import Article, paragraph_spans
from saidwho.store import Library
lib = Library(Path(sys.argv[1]))
for i in range(int(sys.argv[2])):
    text = f'"Point {i}," said Gary Johnson.'
    start = text.index(f"Point {i}")
    q = Quote(kind="direct", start=start, end=start + len(f"Point {i}"), sentence_start=0,
              sentence_end=len(text), confidence=0.8, speaker="Gary Johnson")
    lib.save_article(Article(text=text, title=str(i), path=f"/child{i}.txt",
                             paragraphs=paragraph_spans(text)), [q])
print("done", flush=True)
"""


def test_another_process_ingesting_while_this_one_names_quotes(lib: Library) -> None:
    """A real subprocess saves articles that change the Johnson group while this process
    names quotes: every answer is one the library had at some point, and once the child is
    done the index answers as the whole build."""
    gary = ids(lib)["/gary.txt"]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(lib.root), "12"],
        stdout=subprocess.PIPE,
        text=True,
        env=env,
    )
    seen = set()
    while child.poll() is None:
        seen.update(q.identity for q in Library(lib.root).quotes(gary))
    assert child.wait() == 0
    assert seen <= {"Gary Johnson", "Johnson"}
    assert [q.identity for q in Library(lib.root).quotes(gary)] == ["Gary Johnson"]
    assert_same(lib.root)


def test_a_notes_import_that_reassigns_speakers(tmp_path: Path) -> None:
    """`notes import` of a reviewer's corrections (and decisions) made in another library
    of the same articles: the index is brought up to date as the whole build says."""
    from saidwho.store.export import render
    from saidwho.store.note_import import import_annotations

    source, target = Library(tmp_path / "a"), Library(tmp_path / "b")
    for lib in (source, target):
        for path, text, quotes in ARTICLES:
            add(lib, path, text, quotes)
        lib.speakers()  # both indexes built before the import
    aid = ids(source)["/ron.txt"]
    source.review_quote(aid, source.quotes(aid)[0].id, speaker="Gary Johnson")
    source.merge_speakers(["FBI", "Federal Bureau of Investigation"], into="The FBI")
    document, _ = render(source, "jsonld")
    report = import_annotations(target, json.loads(document))
    assert not report.errors and report.reviews == 1
    assert [q.identity for q in Library(target.root).quotes(aid)] == ["Gary Johnson"]
    assert_same(target.root)
    assert stored(target.root) == stored(source.root)  # the same index as where it was made


def test_random_histories_on_disk_equal_a_build(tmp_path_factory) -> None:
    """On random libraries (tests/test_identities.py's names: shared surnames, a surname
    alone, roles, mentions, text context) changed article by article, with random
    decisions: the index updated on disk answers as ``Identities`` built from scratch."""
    from hypothesis import HealthCheck, given, settings
    from test_identities import NAMES, speakers_strategy

    def hexed(arts):  # article ids as the library makes them (16 hex digits)
        return {
            hashlib.sha256(aid.encode()).hexdigest()[:16]: dataclasses.replace(
                art, article_id=hashlib.sha256(aid.encode()).hexdigest()[:16]
            )
            for aid, art in arts.items()
        }

    @settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(speakers_strategy())
    def check(case) -> None:
        first, steps, decisions = case
        first, steps = hexed(first), [hexed(step) for step in steps]
        root = tmp_path_factory.mktemp("index")
        index = SpeakerIndex(root)
        index.build(first.values())
        current = first
        for step in [first, *steps]:
            changes = {aid: step.get(aid) for aid in set(current) | set(step)}
            index.mark(changes)
            index.apply(changes)
            current = step
            want = Identities(step.values(), decisions)
            got = StoredIdentities(SpeakerIndex(root), decisions, lambda: None)
            assert got.summaries == want.summaries
            assert got.problems == want.problems
            for art in step.values():
                for name in art.counts:
                    assert got.of(art.article_id, name) == want.of(art.article_id, name)
            for name in NAMES:
                assert got.find(name) == want.find(name)
                found = want.find(name)
                if found:
                    assert got.units(found) == want.units(found)
            built = SpeakerIndex(root)
            assert built.problem(step.values()) is None

    check()
