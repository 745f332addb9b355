"""How the store behaves with 10,000 articles: the reader must never wait.

Builds a library of N synthetic articles (article files written directly, without fsync, to
keep set-up short), then times the calls the TUI makes.

    python benchmarks/store_scale.py [--articles 10000] [--dir PATH]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent

from saidwho.core.quote import Quote  # noqa: E402
from saidwho.readers.article import Article, paragraph_spans  # noqa: E402
from saidwho.store import Library, records  # noqa: E402
from saidwho.store.schema import SCHEMA_VERSION  # noqa: E402
from saidwho.store.storage import dumps  # noqa: E402

SPEAKERS = ["Lena Park", "Ana Ruiz", "Tom Berg", "Mira Chen", "Omar Haddad", "Jo Smith"]


def synthetic(n: int) -> tuple[Article, list[Quote]]:
    speaker = SPEAKERS[n % len(SPEAKERS)] if n % 500 else f"Rare Speaker {n}"
    paragraphs = [f"Story number {n} opens with the news of the day."]
    for i in range(12):
        paragraphs.append(
            f'"This is statement {i} of story {n}, and it matters," said {speaker}. '
            "The rest of the paragraph gives context that a reader might want to check."
        )
    text = "\n\n".join(paragraphs) + "\n"
    quotes = []
    pos = 0
    for _ in range(12):
        start = text.index('"', pos) + 1
        end = text.index('"', start)
        pos = end + 1
        quotes.append(Quote("direct", start, end, start - 1, end + 20, 0.8, speaker=speaker))
    article = Article(
        text=text,
        title=f"Story {n}",
        source="Bench Times",
        date="2025-05-12",
        path=f"/news/{n:05d}.txt",
        paragraphs=paragraph_spans(text),
    )
    return article, quotes


def build(root: Path, count: int) -> None:
    entries: dict[str, Any] = {}
    for n in range(count):
        article, quotes = synthetic(n)
        aid = article.content_id
        body = records.body_tables(aid, article, quotes, f"2025-05-12T00:{n:05d}Z", "x")
        path = records.body_path(root, aid)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(dumps(body))
        entries[str(records.article_doc_id(aid))] = records.summary(body)
    catalog = {"meta": {"1": {"schema_version": SCHEMA_VERSION}}, "articles": entries}
    (root / records.CATALOG).write_bytes(dumps(catalog))


def timed(label: str, fn: Callable[[], Any], repeat: int = 5) -> Any:
    times, result = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - started)
    first, median = 1000 * times[0], 1000 * statistics.median(times)
    print(f"{label:<44} first {first:8.1f} ms   median {median:8.1f} ms")
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--dir", type=Path, default=None)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = args.dir or Path(tmp) / "library"
        root.mkdir(parents=True, exist_ok=True)
        started = time.perf_counter()
        build(root, args.articles)
        size = (root / records.CATALOG).stat().st_size
        print(
            f"built {args.articles} articles in {time.perf_counter() - started:.1f} s; "
            f"catalog.json {size / 1e6:.1f} MB"
        )
        lib = timed("Library(path) (open)", lambda: Library(root), repeat=1)
        arts = timed("articles() (first: parse catalog)", lib.articles)
        print(f"  -> {len(arts)} summaries")
        other = Library(root)
        aid = arts[len(arts) // 2].id
        timed(
            "articles() after another process's write",
            lambda: (other.mark_read(aid), lib.articles()),
        )
        timed("speakers()", lib.speakers)
        timed("resolve_id(8-char prefix)", lambda: lib.resolve_id(aid[:8]))
        article, _ = synthetic(args.articles // 2)
        timed("has_text(sha)", lambda: lib.has_text(article.sha256))
        timed("article(id) (lazy body)", lambda: lib.article(aid))
        timed("quotes(id)", lambda: lib.quotes(aid))
        timed("all_quotes(speaker=rare)", lambda: lib.all_quotes(speaker="rare speaker 500"))
        timed("add_note()", lambda: lib.add_note(aid, start=0, end=5, text="n"), repeat=20)
        timed("notes(id)", lambda: lib.notes(aid))
        timed("mark_read()", lambda: lib.mark_read(aid), repeat=10)
        counter = iter(range(10**6))

        def save_one() -> Any:
            art, quotes = synthetic(args.articles + next(counter))
            return lib.save_article(art, quotes)

        timed("save_article() (new article)", save_one, repeat=10)
        timed("save_article() (unchanged)", lambda: lib.save_article(*synthetic(1)), repeat=10)
        timed("all_quotes() (every body)", lib.all_quotes, repeat=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
