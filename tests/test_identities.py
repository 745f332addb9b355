"""Speaker identities across the library (store/identities.py) on articles written here:
three ways to name Donald Trump, Bill and Hillary Clinton, two Johnsons, reviewer decisions."""

from __future__ import annotations

from pathlib import Path

import pytest

from saidwho.store import Library, NotFoundError
from tests.store_support import add


@pytest.fixture
def lib(tmp_path: Path) -> Library:
    lib = Library(tmp_path / "lib")
    add(lib, "/trump1.txt", '"We will win," Donald Trump said.', [("We will win", "Donald Trump")])
    add(
        lib,
        "/trump2.txt",
        '"Walls work," said Donald J. Trump. "Believe me," Mr. Trump added.',
        [("Walls work", "Donald J. Trump"), ("Believe me", "Mr. Trump")],
    )
    # this article never gives his first name: the library does
    add(lib, "/trump3.txt", '"Big league," Trump said.', [("Big league", "Trump")])
    add(
        lib,
        "/bill.txt",
        'Former president Bill Clinton spoke in Ohio. "Vote early," Clinton said.',
        [("Vote early", "Clinton")],
    )
    add(
        lib,
        "/hillary.txt",
        '"Stronger together," said Hillary Rodham Clinton. "Thank you," Clinton said.',
        [("Stronger together", "Hillary Rodham Clinton"), ("Thank you", "Clinton")],
    )
    add(
        lib,
        "/gary.txt",
        'Gary Johnson, the Libertarian, spoke. "Aleppo?" Johnson asked.',
        [("Aleppo?", "Johnson")],
    )
    add(
        lib,
        "/ron.txt",
        'Senator Ron Johnson of Wisconsin spoke. "Not now," Johnson said.',
        [("Not now", "Johnson")],
    )
    return lib


def by_name(lib: Library) -> dict[str, tuple[int, int, tuple[str, ...]]]:
    return {s.speaker: (s.quotes, s.articles, s.aliases) for s in lib.speakers()}


def test_three_ways_to_name_one_person_are_one_identity(lib: Library) -> None:
    trump = next(s for s in lib.speakers() if s.speaker == "Donald Trump")
    assert (trump.quotes, trump.articles, trump.kind) == (4, 3, "person")
    assert set(trump.aliases) == {"Donald J. Trump", "Mr. Trump", "Trump"}
    assert not {"Trump", "Donald J. Trump", "Mr. Trump"} & set(by_name(lib))


def test_a_surname_takes_the_full_name_of_its_own_article(lib: Library) -> None:
    names = by_name(lib)
    assert names["Bill Clinton"][:2] == (1, 1)
    assert names["Hillary Clinton"][:2] == (2, 1)
    assert "Clinton" not in names
    assert names["Gary Johnson"][:2] == (1, 1) and names["Ron Johnson"][:2] == (1, 1)
    assert "Johnson" not in names


def test_an_ambiguous_surname_stays_apart(lib: Library) -> None:
    add(
        lib,
        "/both.txt",
        'Bill Clinton and Hillary Clinton arrived. "Hello," Clinton said.',
        [("Hello", "Clinton")],
    )
    names = by_name(lib)
    assert names["Clinton"][:2] == (1, 1)
    assert names["Bill Clinton"][:2] == (1, 1) and names["Hillary Clinton"][:2] == (2, 1)


def test_any_alias_finds_the_quotes_of_the_identity(lib: Library) -> None:
    texts = ["Big league", "Walls work", "Believe me", "We will win"]
    for name in ("Donald Trump", "Mr. Trump", "trump", "Donald J. Trump"):
        assert sorted(q.text for q in lib.all_quotes(speaker=name)) == sorted(texts)
    # an alias of two identities means the most quoted one
    assert {q.identity for q in lib.all_quotes(speaker="Clinton")} == {"Hillary Clinton"}
    quotes = lib.all_quotes(speaker="Hillary Clinton")
    assert sorted(q.text for q in quotes) == ["Stronger together", "Thank you"]
    assert {q.identity for q in quotes} == {"Hillary Clinton"}
    assert {q.speaker for q in quotes} == {"Hillary Rodham Clinton", "Clinton"}  # evidence


def test_common_nouns_and_transcript_labels_are_never_persons(tmp_path: Path) -> None:
    lib = Library(tmp_path / "lib")
    text = 'Q: "Why?" A: "Because." "Too late," people said. "No," officials said.'
    quotes = [("Why?", "Q"), ("Because.", "A"), ("Too late", "people"), ("No,", "officials")]
    add(lib, "/qa.txt", text, quotes)
    kinds = {s.speaker: s.kind for s in lib.speakers()}
    assert kinds == {"Q": "unnamed", "A": "unnamed", "people": "group", "officials": "unnamed"}


def test_merge_split_rename_and_undo(lib: Library) -> None:
    merged = lib.merge_speakers(["Gary Johnson", "Ron Johnson"], into="Johnson")
    assert (merged.speaker, merged.quotes, merged.articles) == ("Johnson", 2, 2)
    assert "Gary Johnson" not in by_name(lib)
    assert {q.identity for q in lib.all_quotes(speaker="Ron Johnson")} == {"Johnson"}

    lib.split_speaker("Johnson", "Gary Johnson")
    names = by_name(lib)
    assert names["Gary Johnson"][:2] == (1, 1) and names["Johnson"][:2] == (1, 1)

    renamed = lib.rename_speaker("Hillary Clinton", "Hillary R. Clinton")
    assert "Hillary Rodham Clinton" in renamed.aliases and renamed.quotes == 2
    assert lib.undo_speaker_decision() is not None
    assert "Hillary Clinton" in by_name(lib)
    assert [d["op"] for d in lib.speaker_decisions()] == ["merge", "split"]


def test_a_decision_on_an_unknown_name_is_refused_and_not_stored(lib: Library) -> None:
    with pytest.raises(NotFoundError, match="Nobody Here"):
        lib.merge_speakers(["Nobody Here"], into="Donald Trump")
    assert lib.speaker_decisions() == []


def test_decisions_win_over_the_machine_after_reingest(lib: Library) -> None:
    lib.merge_speakers(["Bill Clinton"], into="Hillary Clinton")  # a reviewer's call
    text = 'Former president Bill Clinton spoke in Ohio again. "Vote early," Clinton said.'
    add(lib, "/bill.txt", text, [("Vote early", "Clinton")])  # the file changed: re-ingest
    names = by_name(lib)
    assert "Bill Clinton" not in names and names["Hillary Clinton"][:2] == (3, 2)
    again = Library(lib.root)  # another process sees the decision
    assert {s.speaker for s in again.speakers()} == set(names)
    bill = next(a for a in again.articles() if a.path == "/bill.txt")
    assert bill.speakers == ("Hillary Clinton",)


def test_decisions_show_in_the_markdown_export(lib: Library, tmp_path: Path) -> None:
    from saidwho.store.export import export_notes

    lib.merge_speakers(["Gary Johnson", "Ron Johnson"], into="Johnson")
    export_notes(lib, tmp_path / "notes.md")
    text = (tmp_path / "notes.md").read_text(encoding="utf-8")
    assert "## Speaker decisions" in text
    assert "merged Gary Johnson, Ron Johnson into Johnson" in text


def test_a_malformed_decision_record_is_skipped_and_reported(lib: Library) -> None:
    import json

    lib.merge_speakers(["Gary Johnson", "Ron Johnson"], into="Johnson")
    path = lib.root / "notes" / "shared.json"  # the decisions belong to no article
    data = json.loads(path.read_text(encoding="utf-8"))
    data["speakers"]["7"] = {"op": "explode", "names": 3}  # hand-edited or damaged
    path.write_text(json.dumps(data), encoding="utf-8")
    again = Library(lib.root)
    assert "Johnson" in {s.speaker for s in again.speakers()}  # the good decision holds
    assert any(e.table == "speakers" for e in again.record_errors)


# -- the index is updated, not rebuilt: an update must equal a build ------------------------

NAMES = [
    "Donald Trump", "Donald J. Trump", "Mr. Trump", "Trump", "Eric Trump", "Hillary Clinton",
    "Bill Clinton", "Clinton", "Mrs. Clinton", "Ron Johnson", "Gary Johnson", "Johnson",
    "the White House", "officials", "Ana Ruiz", "Ruiz", "Reuters",
]  # fmt: skip
CONTEXT = {
    "trump": {"Donald Trump": 2, "Eric Trump": 1},
    "clinton": {"Bill Clinton": 1, "Hillary Clinton": 3},
    "johnson": {"Ron Johnson": 1, "Gary Johnson": 1},
    "ruiz": {"Ana Ruiz": 1},
}


def speakers_strategy():
    from hypothesis import strategies as st

    from saidwho.store.identities import ArticleSpeakers

    @st.composite
    def article(draw, article_id: str) -> ArticleSpeakers:
        names = draw(st.lists(st.sampled_from(NAMES), min_size=1, max_size=4, unique=True))
        counts = {n: draw(st.integers(1, 4)) for n in names}
        context = {
            k: v
            for k, v in CONTEXT.items()
            if any(n.casefold().endswith(k) for n in names) and draw(st.booleans())
        }
        roles = {n: ["senator"] for n in names if "Johnson" in n and draw(st.booleans())}
        mentions = {n: ["Mr. Trump"] for n in names if n == "Donald Trump"}
        return ArticleSpeakers(article_id, counts, context, roles, mentions)

    @st.composite
    def history(draw):
        ids = [f"a{i}" for i in range(draw(st.integers(1, 7)))]
        first = {aid: draw(article(aid)) for aid in ids}
        steps = []
        for _ in range(draw(st.integers(1, 4))):
            step = dict(first if not steps else steps[-1])
            for aid in draw(st.lists(st.sampled_from([*ids, "new1", "new2"]), max_size=3)):
                if aid in step and draw(st.booleans()):
                    del step[aid]  # removed from the library
                else:
                    step[aid] = draw(article(aid))  # added or changed (re-ingested)
            steps.append(step)
        decisions = draw(
            st.lists(
                st.sampled_from(
                    [
                        {"op": "merge", "names": ["Gary Johnson", "Ron Johnson"], "into": "RJ"},
                        {"op": "rename", "name": "Hillary Clinton", "new": "H. R. Clinton"},
                        {"op": "split", "name": "Donald Trump", "alias": "Mr. Trump"},
                        {"op": "merge", "names": ["Ruiz"], "into": "Ana Ruiz"},
                    ]
                ),
                max_size=3,
            )
        )
        return first, steps, decisions

    return history()


def view(identities, arts) -> tuple:
    units = {(a.article_id, n): identities.of(a.article_id, n) for a in arts for n in a.counts}
    finds = {n: identities.find(n) for n in NAMES}
    return identities.summaries, identities.problems, units, finds


def test_an_updated_index_equals_one_built_from_scratch() -> None:
    from hypothesis import HealthCheck, given, settings

    from saidwho.store.identities import Identities

    @settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(speakers_strategy())
    def check(case) -> None:
        first, steps, decisions = case
        current = Identities(first.values(), decisions)
        for step in steps:
            before = view(current, first.values())
            updated = current.updated(step.values(), decisions)
            assert view(updated, step.values()) == view(
                Identities(step.values(), decisions), step.values()
            )
            assert view(current, first.values()) == before  # the old version is untouched
            current, first = updated, step

    check()


def test_a_new_process_lists_named_speakers_from_the_stored_names(lib: Library) -> None:
    """speaker-names.json spares a new process the identities build, and never outlives
    the catalog, reassignments or decisions it was made from."""
    from saidwho.store import speaker_names

    want = lib.articles()
    path = lib.root / speaker_names.FILE
    assert path.exists()
    speakers = {a.path: a.speakers for a in want}
    assert speakers["/trump3.txt"] == ("Donald Trump",)  # named by the library, not "Trump"

    fresh = Library(lib.root)
    assert fresh.articles() == want
    assert not fresh.identities_built  # read from the file: nothing was built

    # another process merges two speakers: the stored names no longer hold
    Library(lib.root).merge_speakers(["Gary Johnson", "Ron Johnson"], into="Johnson")
    after = {a.path: a.speakers for a in Library(lib.root).articles()}
    assert after["/gary.txt"] == after["/ron.txt"] == ("Johnson",)

    # a new article changes the catalog: its surname joins the library's full name
    add(lib, "/trump4.txt", '"Huge," Trump said.', [("Huge", "Trump")])
    again = {a.path: a.speakers for a in Library(lib.root).articles()}
    assert again["/trump4.txt"] == ("Donald Trump",)

    # damaged, or made from something else: a miss, built and written again
    for junk in (b"{not json", b'{"key": "0", "names": {}}', b"[]"):
        path.write_bytes(junk)
        assert Library(lib.root).articles() == Library(lib.root).articles(named=True)
        assert {a.path: a.speakers for a in Library(lib.root).articles()} == again


def test_one_articles_quotes_are_named_from_the_stored_names(lib: Library) -> None:
    """`quotes ARTICLE`, `cite` and `review` name one article's speakers from the speaker
    index (store/speaker_index.py): the same identities as a build, never built whole, also
    after a merge another process made and a reviewer's correction."""
    from saidwho.store import speaker_names

    built = Library(lib.root)
    built.identities()
    want = {a.id: [(q.id, q.identity) for q in built.quotes(a.id)] for a in built.articles()}
    trump3 = next(a.id for a in built.articles() if a.path == "/trump3.txt")
    assert dict(want[trump3]).popitem()[1] == "Donald Trump"  # "Trump" named by the library

    fresh = Library(lib.root)
    assert {aid: [(q.id, q.identity) for q in fresh.quotes(aid)] for aid in want} == want
    assert not fresh.identities_built

    # a merge another process made: applied on top of the index, nothing built whole
    gary = next(a.id for a in built.articles() if a.path == "/gary.txt")
    Library(lib.root).merge_speakers(["Gary Johnson", "Ron Johnson"], into="Johnson")
    merged = Library(lib.root)
    assert [q.identity for q in merged.quotes(gary)] == ["Johnson"]
    assert not merged.identities_built
    after = Library(lib.root)
    assert [q.identity for q in after.quotes(gary)] == ["Johnson"]
    assert not after.identities_built

    # a reviewer's correction on this article: named like the build names it
    quote = after.quotes(trump3)[0]
    corrected = after.review_quote(trump3, quote.id, speaker="Hillary Rodham Clinton")
    check = Library(lib.root)
    check.identities()
    named = [q.identity for q in check.quotes(trump3)]
    assert named == [corrected.identity] and named[0] is not None and "Clinton" in named[0]
    assert [q.identity for q in Library(lib.root).quotes(trump3)] == named
    (lib.root / speaker_names.FILE).unlink()
    assert [q.identity for q in Library(lib.root).quotes(trump3)] == named
