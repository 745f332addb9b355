"""The store's typed records, and search and export, which sit on the store (no TUI)."""

from __future__ import annotations

import json
from dataclasses import FrozenInstanceError
from pathlib import Path

import pytest

from saidwho.core.quote import Quote, Segment
from saidwho.readers.article import Article, paragraph_spans
from saidwho.store import ArticleSummary, Library, Note, QuoteView, SpeakerSummary
from saidwho.store.export import export_notes, notes_document
from saidwho.store.records import body_path
from saidwho.store.search import MAX_HITS, Corpus

TEXT = (
    "Council Votes\n\n"
    "“We will rebuild the bridge,” said Ana Ruiz, the mayor. “Then the road.”\n\n"
    "The bridge opened in 1911, records show.\n"
)


def add_article(lib: Library, text: str = TEXT, path: str = "/news/bridge.txt") -> str:
    article = Article(text=text, title="Council Votes", source="Gazette", path=path,
                      paragraphs=paragraph_spans(text))  # fmt: skip
    first = text.index("We will")
    second = text.index("Then the road.")
    end = second + len("Then the road.")
    quote = Quote(
        "direct", first, end, first - 1, end + 1, 0.9, "Ana Ruiz",
        speaker_start=text.index("Ana Ruiz"), speaker_end=text.index(", the mayor"),
        cue="said", cue_start=text.index("said"), cue_end=text.index("said") + 4,
        segments=(Segment(first, text.index(",”")), Segment(second, end)),
    )  # fmt: skip
    article_id, _ = lib.save_article(article, [quote])
    return article_id


@pytest.fixture
def lib(tmp_path: Path) -> Library:
    return Library(tmp_path / "lib")


def test_records_are_typed_and_frozen(lib: Library) -> None:
    article_id = add_article(lib)
    [summary] = lib.articles()
    assert isinstance(summary, ArticleSummary)
    assert (summary.id, summary.quotes, summary.read) == (article_id, 1, False)
    assert summary.speakers == ("Ana Ruiz",)
    [quote] = lib.quotes(article_id)
    assert isinstance(quote, QuoteView) and isinstance(quote.quote, Quote)  # holds the attribution
    assert quote.text.startswith("We will rebuild") and quote.article_id == article_id
    note = lib.add_note(article_id, start=quote.start, end=quote.end, text="ok", quote_id=quote.id)
    assert isinstance(note, Note) and note.quote_id == quote.id
    assert lib.speakers() == [SpeakerSummary("Ana Ruiz", quotes=1, articles=1)]
    with pytest.raises(FrozenInstanceError):
        summary.title = "changed"  # type: ignore[misc]


def test_segments_and_act_are_stored_and_read_back(lib: Library) -> None:
    article_id = add_article(lib)
    [quote] = lib.quotes(article_id)
    assert len(quote.segments) == 2
    assert [TEXT[s.start : s.end] for s in quote.segments] == [
        "We will rebuild the bridge",
        "Then the road.",
    ]
    assert quote.act == "speech"
    data = quote.to_json()
    assert data["segments"][1]["start"] == TEXT.index("Then the road.")
    assert list(data)[-9:] == [
        "article_id",
        "machine_speaker",
        "disputed",
        "reviewed",
        "review",
        "reviewer",
        "reviewed_at",
        "machine_kind",
        "identity",
    ]


def test_records_written_before_segments_read_back_with_one_segment(lib: Library) -> None:
    """Article files from before segments and act existed: the whole quote is one segment."""
    article_id = add_article(lib)
    path = body_path(lib.root, article_id)
    tables = json.loads(path.read_text(encoding="utf-8"))
    for stored in tables["quotes"].values():
        del stored["segments"], stored["act"]
    path.write_text(json.dumps(tables), encoding="utf-8")
    [quote] = Library(lib.root).quotes(article_id)
    assert quote.segments == (Segment(quote.start, quote.end),)
    assert quote.act == "speech"


def test_review_state_rides_on_the_quote(lib: Library) -> None:
    article_id = add_article(lib)
    [quote] = lib.quotes(article_id)
    assert not quote.reviewed and not quote.reassigned
    fixed = lib.review_quote(article_id, quote.id, speaker="Ana María Ruiz", disputed=True)
    assert (fixed.speaker, fixed.machine_speaker) == ("Ana María Ruiz", "Ana Ruiz")
    assert fixed.disputed and fixed.reviewed and fixed.reassigned
    assert fixed.segments == quote.segments  # the reviewer changes who, not where
    assert lib.quotes(article_id) == [fixed]


def test_search_finds_quotes_then_text(lib: Library) -> None:
    article_id = add_article(lib)
    corpus = Corpus.load(lib)
    hits = corpus.search("BRIDGE")
    assert [h.quote is not None for h in hits] == [True, False, False]
    assert all(h.article_id == article_id and h.title == "Council Votes" for h in hits)
    for hit in hits[1:]:  # text hits: exact spans, the hit marked inside the snippet
        assert TEXT[hit.start : hit.end].lower() == "bridge"
        assert hit.snippet[hit.hit_start : hit.hit_end].lower() == "bridge"
    assert [h.quote.speaker for h in corpus.search("ruiz") if h.quote] == ["Ana Ruiz"]
    assert corpus.search("b") == []  # one letter finds nothing
    # each hit knows its paragraph (what the search screen shows instead of offsets)
    spans = paragraph_spans(TEXT)
    for hit in hits:
        assert spans[hit.paragraph - 1][0] <= hit.start < spans[hit.paragraph - 1][1]
    assert hits[-1].paragraph == len(spans)  # "The bridge opened in 1911": the last one


def test_search_stops_at_max_hits(lib: Library) -> None:
    text = "Words\n\n" + "bridge " * (MAX_HITS + 20)
    lib.save_article(Article(text=text, title="Many", path="/news/many.txt"), [])
    assert len(Corpus.load(lib).search("bridge")) == MAX_HITS


def test_search_skips_a_damaged_article(lib: Library) -> None:
    good = add_article(lib)
    bad = add_article(lib, TEXT.replace("1911", "1912"), path="/news/other.txt")
    body_path(lib.root, bad).write_text("{", encoding="utf-8")
    corpus = Corpus.load(lib)
    assert corpus.damaged == [bad]
    assert {h.article_id for h in corpus.search("bridge")} == {good}


def test_export_json_and_markdown(lib: Library, tmp_path: Path) -> None:
    article_id = add_article(lib)
    [quote] = lib.quotes(article_id)
    note = lib.add_note(
        article_id, start=quote.start, end=quote.end, text="Check *minutes*", tags=["verify"]
    )
    assert [n.note for n in notes_document(lib)] == [note]

    out = tmp_path / "deep" / "notes.json"
    assert export_notes(lib, out) == 1
    [exported] = json.loads(out.read_text(encoding="utf-8"))
    assert exported == {
        **note.to_json(),
        "article_title": "Council Votes",
        "article_source": "Gazette",
        "article_date": None,
        "article_path": "/news/bridge.txt",
    }
    assert not list(out.parent.glob("*.bak")) and not list(out.parent.glob(".*.tmp"))

    md = tmp_path / "notes.md"
    assert export_notes(lib, md) == 1
    text = md.read_text(encoding="utf-8")
    assert text.startswith("# saidwho notes\n\n## Council Votes\n\nGazette · /news/bridge.txt\n")
    assert f"> {' '.join(quote.text.split())}" in text
    assert "Tags: `verify`" in text and "Check *minutes*" in text
