"""Build a big library quickly from realistic copies of real ingested articles.

The bundled seed and the 24 original articles of ``tests/fixtures/pieces/text`` are ingested
once with spaCy (about 25 articles, ~1.5 KB of text and ~9 quotes each); then N articles are
written straight through the store's record functions (``records.body_tables`` /
``records.summary``), not through N ``save_article`` calls and never through spaCy again.

Each article is the size of a real news story: originals are joined until the text holds
4-5 KB (about three), and up to 15 of their quotes are kept, those of the 8 most quoted
speakers (measured: 4.7 KB, 13.7 quotes and 7.7 speakers an article on average). It gets its
own title, date, source and path, and a unique closing line so no two texts are the same;
quotes keep their offsets (the closing line goes after the last one). One article in 20 carries the
reviewer's work, as a newsroom's library does: two notes (one on a quote, tagged) and three
verdicts (a confirmation, a dispute, a reassigned speaker), written to notes.json with its
journal snapshot.

The catalog is written as ``catalog.json``, the layout of saidwho up to schema 1; opening
the library then lays it out as the current version does (a migration, timed and printed),
so the same builder makes libraries for the code before and after a layout change.

    python benchmarks/build_library.py --articles 10000 DIR [--base BASE_DIR]

``--base`` keeps the spaCy-ingested originals in BASE_DIR and reuses them next time.
DIR must not exist yet or be empty.
"""

from __future__ import annotations

import argparse
import dataclasses
import random
import sys
import time
import uuid
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent

from saidwho.core.quote import Quote, Segment, quote_id  # noqa: E402
from saidwho.readers.article import Article, paragraph_spans  # noqa: E402
from saidwho.store import Library, records  # noqa: E402
from saidwho.store.anchoring import select  # noqa: E402
from saidwho.store.journal import JOURNAL, checkpoint  # noqa: E402
from saidwho.store.schema import SCHEMA_VERSION  # noqa: E402
from saidwho.store.shape import to_doc  # noqa: E402
from saidwho.store.storage import dumps, read_tables  # noqa: E402
from saidwho.store.views import revise_review  # noqa: E402

PIECES = ROOT / "tests" / "fixtures" / "pieces" / "text"
TEXT_CHARS = 4000  # originals are joined until the text holds at least this many
QUOTES = 15  # kept an article
SPEAKERS = 8  # quoted an article (at most; about this many)
WORK_EVERY = 20  # one article in this many has notes and reviews

SOURCES = [
    "The Harbour Ledger", "Northern Courier", "Valley Gazette", "Metro Daily",
    "The Evening Post", "Coastal Times", "River City Herald", "The Weekly Record",
    "Capital Observer", "Prairie News", "Island Chronicle", "The Morning Star",
    "Lakeside Tribune", "Mountain Echo", "Union Bulletin", "Civic Review",
]  # fmt: skip
PREFIXES = [
    "", "Update: ", "Analysis: ", "Explainer: ", "Live: ", "Opinion: ", "Exclusive: ",
    "Briefing: ", "Inside: ", "Follow-up: ",
]  # fmt: skip


def ingest_base(base: Path) -> Library:
    """The originals, ingested once with spaCy (reused when ``base`` already holds them)."""
    lib = Library(base)
    if not lib.is_empty():
        return lib
    from saidwho.attribution import load_pipeline
    from saidwho.ingest import ingest_paths
    from saidwho.seeds import seed_paths

    paths = [*seed_paths(), *sorted(PIECES.glob("*.txt"))]
    started = time.perf_counter()
    events = list(ingest_paths(lib, [str(p) for p in paths], load_pipeline(None)))
    failed = [e for e in events if e.status == "failed"]
    print(
        f"ingested {len(events) - len(failed)} originals with spaCy in "
        f"{time.perf_counter() - started:.1f} s" + (f" ({len(failed)} failed)" if failed else "")
    )
    return lib


def originals(lib: Library) -> list[tuple[Article, list[Quote]]]:
    out = []
    for summary in lib.articles():
        tables = read_tables(records.body_path(lib.root, summary.id))
        assert tables is not None
        article = Article.from_json(records.body_article(tables))
        quotes = [Quote.from_json(q) for q in records.body_quotes(tables)]
        out.append((article, quotes))
    out.sort(key=lambda pair: pair[0].sha256)  # a fixed order: the same library every run
    return out


def _moved(value: int | None, offset: int) -> int | None:
    return None if value is None else value + offset


def shift(quote: Quote, offset: int) -> Quote:
    """The quote ``offset`` characters further on, its segments too."""
    spans = {
        f.name: _moved(getattr(quote, f.name), offset)
        for f in dataclasses.fields(quote)
        if f.name.endswith(("start", "end"))
    }
    segments = tuple(
        Segment(
            s.start + offset,
            s.end + offset,
            _moved(s.speaker_start, offset),
            _moved(s.speaker_end, offset),
            _moved(s.cue_start, offset),
            _moved(s.cue_end, offset),
        )
        for s in quote.segments
    )
    return dataclasses.replace(quote, **spans, segments=segments)


def combine(parts: list[tuple[Article, list[Quote]]]) -> tuple[Article, list[Quote]]:
    """The originals one after another (paragraph breaks between), their quotes shifted."""
    gap = "\n\n"
    article, quotes = parts[0]
    text = article.text.rstrip("\n")
    quotes = list(quotes)
    for other, more in parts[1:]:
        offset = len(text) + len(gap)
        text = text + gap + other.text.rstrip("\n")
        quotes += [shift(q, offset) for q in more]
    return dataclasses.replace(article, text=text + "\n"), quotes


def pick_quotes(quotes: list[Quote]) -> list[Quote]:
    """Up to ``QUOTES`` quotes in text order, of the ``SPEAKERS`` most quoted speakers."""
    counts = Counter(q.speaker for q in quotes if q.speaker)
    speakers = {name for name, _ in counts.most_common(SPEAKERS)}
    return sorted((q for q in quotes if q.speaker in speakers), key=lambda q: q.start)[:QUOTES]


def variant(n: int, article: Article, rng: random.Random) -> Article:
    source = SOURCES[n % len(SOURCES)]
    year = 2015 + rng.randrange(11)
    date = f"{year}-{rng.randrange(1, 13):02d}-{rng.randrange(1, 29):02d}"
    title = f"{PREFIXES[n % len(PREFIXES)]}{article.title or 'Untitled'} (No. {n})"
    # appended after the text, so every quote offset stays where it was
    text = article.text.rstrip("\n") + (
        f"\n\nThis is copy {n} of the story, filed by {source} on {date}.\n"
    )
    return Article(
        text=text,
        title=title,
        subtitle=article.subtitle,
        author=article.author,
        date=date,
        source=source,
        path=f"/bench/{source.lower().replace(' ', '-')}/{n:05d}.txt",
        paragraphs=paragraph_spans(text),
    )


def reviewer_work(
    aid: str, article: Article, quotes: list[Quote], stamp: str
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Two notes and three verdicts on one article, shaped as the store writes them."""
    sha = article.sha256
    notes = []
    spans = [(quotes[0].start, quotes[0].end, quotes[0]), (0, min(80, len(article.text)), None)]
    for i, (start, end, quote) in enumerate(spans):
        sel = select(article.text, start, end)
        note_id = str(uuid.UUID(int=random.Random(f"{aid}:{i}").getrandbits(128), version=4))
        record = records.NoteRecord(
            id=note_id, article_id=aid, text=f"Check this against the {i + 1}st source.",
            tags=("check", "desk") if quote else (), created=stamp, updated=stamp,
            start=start, end=end, exact=sel.exact, prefix=sel.prefix, suffix=sel.suffix,
            quote_id=quote_id(sha, quote.start, quote.end) if quote else None, text_sha256=sha,
        )  # fmt: skip
        notes.append(to_doc(record))
    reviews = []
    actions: list[dict[str, Any]] = [
        {"confirmed": True},
        {"disputed": True},
        {"speaker": "A. Desk"},
    ]
    for quote, action in zip(quotes[1:4], actions, strict=False):
        sel = select(article.text, quote.start, quote.end)
        blank = records.ReviewRecord(
            article_id=aid, quote_id=quote_id(sha, quote.start, quote.end), created=stamp,
            start=sel.start, end=sel.end, exact=sel.exact, prefix=sel.prefix, suffix=sel.suffix,
            text_sha256=sha,
        )  # fmt: skip
        reviews.append(
            revise_review(
                to_doc(blank),
                quote.speaker,
                quote.kind,
                reviewer="bench",
                at=stamp,
                stamp=stamp,
                **action,
            )  # fmt: skip
        )
    return notes, reviews


def build(root: Path, count: int, base: list[tuple[Article, list[Quote]]]) -> int:
    """Write ``count`` articles, their catalog (schema 1's catalog.json) and the reviewer's
    work into ``root``, then open it once (the current saidwho lays it out its own way).
    Returns the number of quotes."""
    rng = random.Random(14)
    entries: dict[str, Any] = {}
    notes: dict[str, Any] = {}
    reviews: dict[str, Any] = {}
    total = 0
    for n in range(count):
        parts = [base[rng.randrange(len(base))]]
        while sum(len(a.text) for a, _ in parts) < TEXT_CHARS:
            parts.append(base[rng.randrange(len(base))])
        original, quotes = combine(parts)
        quotes = pick_quotes(quotes)
        article = variant(n, original, rng)
        aid = article.content_id
        # added in order: the newest copy lists first, as after a real ingest
        stamp = f"2026-01-01T00:00:00.{n:06d}Z"
        body = records.body_tables(aid, article, quotes, stamp, stamp)
        path = records.body_path(root, aid)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(dumps(body))  # no fsync: set-up speed, not the store's write path
        entries[str(records.article_doc_id(aid))] = records.summary(body)
        if n % WORK_EVERY == 0 and len(quotes) >= 4:
            made_notes, made_reviews = reviewer_work(aid, article, quotes, stamp)
            for doc in made_notes:
                notes[str(records.note_doc_id(doc["id"]))] = doc
            for doc in made_reviews:
                reviews[str(records.review_doc_id(aid, doc["quote_id"]))] = doc
        total += len(quotes)
    catalog = {"meta": {"1": {"schema_version": 1}}, "articles": entries}
    (root / records.CATALOG).write_bytes(dumps(catalog))
    tables = {"notes": notes, "reviews": reviews, "reads": {}}
    (root / records.NOTES).write_bytes(dumps(tables))
    checkpoint(root / JOURNAL, tables)  # the journal starts with a snapshot of notes.json
    started = time.perf_counter()
    Library(root)  # lays the library out as this saidwho does (a migration, if any)
    print(f"opened once (laid out as schema {SCHEMA_VERSION}) in "
          f"{time.perf_counter() - started:.1f} s", flush=True)  # fmt: skip
    return total


def describe(root: Path) -> str:
    """Sizes on disk: the whole library, the catalog files, the notes (one file up to
    schema 2, shards since)."""
    total = sum(p.stat().st_size for p in root.rglob("*") if p.is_file())
    catalog = sum(
        p.stat().st_size
        for p in [root / records.CATALOG, *root.glob("catalog/*.json")]
        if p.is_file()
    )
    notes = sum(
        p.stat().st_size for p in [root / records.NOTES, *root.glob("notes/*.json")] if p.is_file()
    )
    return (
        f"library {total / 1e6:.0f} MB, catalog {catalog / 1e6:.1f} MB, notes {notes / 1e6:.2f} MB"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dir", type=Path, help="the new library folder")
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument(
        "--base", type=Path, default=None, help="keep (and reuse) the spaCy-ingested originals"
    )
    args = parser.parse_args(argv)
    root: Path = args.dir
    if root.exists() and any(root.iterdir()):
        parser.error(f"{root} is not empty")
    if args.base is not None:
        base = originals(ingest_base(args.base))
    else:
        import tempfile

        with tempfile.TemporaryDirectory() as tmp:
            base = originals(ingest_base(Path(tmp) / "base"))
    root.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    quotes = build(root, args.articles, base)
    print(
        f"built {args.articles:,} articles, {quotes:,} quotes "
        f"({quotes / max(1, args.articles):.1f} an article) from {len(base)} originals in "
        f"{time.perf_counter() - started:.1f} s; {describe(root)}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
