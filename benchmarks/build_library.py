"""Build a big library quickly from varied copies of real ingested articles.

The bundled seed and the 24 original articles of ``tests/fixtures/pieces/text`` are ingested
once with spaCy (about 25 articles); then N copies are written straight through the store's
record functions (``records.body_tables`` / ``records.summary``, as ``store_scale.py`` does),
not through N ``save_article`` calls and never through spaCy again. Each copy gets its own
title, date, source and path, and a unique closing line so no two texts are the same; its
quotes keep their offsets (the closing line goes after the last one). The originals hold 5-12
quotes each, so some copies carry a second original after the first (its quotes shifted):
the library averages about 15 quotes an article (150,000 quotes at 10,000 articles).

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
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent

from saidwho.core.quote import Quote, Segment  # noqa: E402
from saidwho.readers.article import Article, paragraph_spans  # noqa: E402
from saidwho.store import Library, records  # noqa: E402
from saidwho.store.schema import SCHEMA_VERSION  # noqa: E402
from saidwho.store.storage import dumps, read_tables  # noqa: E402

PIECES = ROOT / "tests" / "fixtures" / "pieces" / "text"
TARGET_MEAN = 15.0

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


def second_share(counts: list[int], mean: float) -> float:
    """How often a copy carries two originals for the library to average ``mean`` quotes."""
    one = sum(counts) / max(1, len(counts))
    return min(1.0, max(0.0, (mean - one) / one)) if one else 0.0


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


def combine(
    first: tuple[Article, list[Quote]], second: tuple[Article, list[Quote]] | None
) -> tuple[Article, list[Quote]]:
    article, quotes = first
    if second is None:
        return article, quotes
    gap = "\n\n"
    offset = len(article.text.rstrip("\n")) + len(gap)
    text = article.text.rstrip("\n") + gap + second[0].text
    moved = [shift(q, offset) for q in second[1]]
    return dataclasses.replace(article, text=text), [*quotes, *moved]


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


def build(root: Path, count: int, base: list[tuple[Article, list[Quote]]]) -> int:
    rng = random.Random(14)
    share = second_share([len(q) for _, q in base], TARGET_MEAN)
    entries: dict[str, Any] = {}
    total = 0
    for n in range(count):
        first = rng.randrange(len(base))
        second = rng.randrange(len(base)) if rng.random() < share else None
        original, quotes = combine(base[first], None if second is None else base[second])
        article = variant(n, original, rng)
        aid = article.content_id
        # added in order: the newest copy lists first, as after a real ingest
        stamp = f"2026-01-01T00:00:00.{n:06d}Z"
        body = records.body_tables(aid, article, quotes, stamp, stamp)
        path = records.body_path(root, aid)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(dumps(body))  # no fsync: set-up speed, not the store's write path
        entries[str(records.article_doc_id(aid))] = records.summary(body)
        total += len(quotes)
    catalog = {"meta": {"1": {"schema_version": SCHEMA_VERSION}}, "articles": entries}
    (root / records.CATALOG).write_bytes(dumps(catalog))
    Library(root)  # writes an empty notes.json, as a new library has
    return total


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
    size = (root / records.CATALOG).stat().st_size
    print(
        f"built {args.articles:,} articles, {quotes:,} quotes "
        f"({quotes / max(1, args.articles):.1f} an article) from {len(base)} originals in "
        f"{time.perf_counter() - started:.1f} s; catalog.json {size / 1e6:.1f} MB"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
