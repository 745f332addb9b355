"""Files, folders and URLs -> Articles -> quotes -> library, one failing input never stopping
the rest.

Used by the CLI (`saidwho ingest`, first-run seeding) and by the TUI's ingest worker.
"""

from __future__ import annotations

import dataclasses
import os
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal, TypeVar

from saidwho.attribution import Quote, extract_quotes
from saidwho.readers import SUPPORTED_SUFFIXES, ReadError, read_article
from saidwho.readers.article import Article
from saidwho.readers.fetch import Fetcher, is_url

if TYPE_CHECKING:
    from spacy.language import Language

    from saidwho.store import Library

T = TypeVar("T")
Status = Literal["added", "updated", "unchanged", "error"]

# A stated limit: parsing runs at 8k-50k characters a second on one core (quote-dense text is
# slowest), so a 10 MB article already takes minutes; bigger files are refused with a clear
# error instead of tying the machine up for an hour.
INGEST_MAX_BYTES = 10_000_000

# spaCy's parser needs about 1 GB per 100,000 words of a single Doc; long texts are parsed in
# paragraph-aligned chunks so memory stays bounded whatever the article's size.
CHUNK_CHARS = 100_000
# spaCy parses a whole batch at once, so a batch of 16 such chunks would need 16 times that
# (a 2 MB file peaked at 5.7 GB). Batches are bounded in characters too: many short articles
# still share a batch (faster), long chunks go one or two at a time.
BATCH_CHARS = 100_000
BATCH_DOCS = 16
SAVE_BATCH = 32


@dataclass(frozen=True)
class IngestEvent:
    path: str
    status: Status
    article_id: str | None = None
    title: str | None = None
    quotes: int = 0
    error: str | None = None
    warning: str | None = None  # read, but not cleanly (Article.warning)

    def to_json(self) -> dict[str, object]:
        return dataclasses.asdict(self)


def expand_paths(paths: Iterable[str | os.PathLike[str]]) -> tuple[list[Path], list[IngestEvent]]:
    """Files named directly, plus supported files found recursively under folders.

    Returns the files (deduplicated, in a stable order) and an error event for each input
    that cannot be walked: missing paths, symlink loops, unreadable folders.
    """
    files: list[Path] = []
    errors: list[IngestEvent] = []
    seen: set[Path] = set()

    def add(path: Path) -> None:
        try:
            real = path.resolve(strict=True)
        except (OSError, RuntimeError) as exc:  # RuntimeError: symlink loop on older Pythons
            errors.append(IngestEvent(str(path), "error", error=_os_reason(exc)))
            return
        if real not in seen:
            seen.add(real)
            files.append(path)

    def walk_error(exc: OSError) -> None:
        # an unreadable folder (the one named or one inside it) is reported, not silently
        # skipped: the files in it would be lost without a word
        errors.append(IngestEvent(str(exc.filename), "error", error=_os_reason(exc)))

    for raw in paths:
        if is_url(raw):  # fetched by ingest_paths, not walked
            continue
        path = Path(raw)
        if path.is_dir():
            visited: set[Path] = set()
            for root, dirs, names in os.walk(path, followlinks=True, onerror=walk_error):
                real_root = Path(root).resolve()
                if real_root in visited:  # a symlinked folder pointing back up: walk it once
                    dirs[:] = []
                    continue
                visited.add(real_root)
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in sorted(names):
                    if name.startswith(".") or Path(name).suffix.lower() not in SUPPORTED_SUFFIXES:
                        continue
                    add(Path(root) / name)
        elif path.exists() or path.is_symlink():
            add(path)
        else:
            errors.append(IngestEvent(str(path), "error", error="no such file or directory"))
    return files, errors


def _os_reason(exc: BaseException) -> str:
    if isinstance(exc, RuntimeError) or getattr(exc, "errno", None) == 40:  # ELOOP
        return "symlink loop"
    if isinstance(exc, FileNotFoundError):
        return "no such file or directory"
    if isinstance(exc, PermissionError):
        return "permission denied"
    return getattr(exc, "strerror", None) or str(exc)


def chunk_spans(article: Article, limit: int = CHUNK_CHARS) -> list[tuple[int, int]]:
    """Split the text into [start, end) pieces of at most ``limit`` chars at paragraph ends."""
    text = article.text
    if len(text) <= limit:
        return [(0, len(text))]
    spans: list[tuple[int, int]] = []
    start = 0
    while start < len(text):
        end = min(start + limit, len(text))
        if end < len(text):
            cut = text.rfind("\n\n", start, end)
            if cut <= start:
                cut = text.rfind("\n", start, end)
            if cut > start:
                end = cut + 1
        spans.append((start, end))
        start = end
    return spans


def shift_quote(quote: Quote, offset: int) -> Quote:
    if offset == 0:
        return quote
    changes = {
        f.name: getattr(quote, f.name) + offset
        for f in dataclasses.fields(quote)
        if f.name.endswith(("start", "end")) and getattr(quote, f.name) is not None
    }
    return dataclasses.replace(quote, **changes)


def attribute(
    nlp: Language, articles: Iterable[Article], workers: int = 1, chunk_chars: int = CHUNK_CHARS
) -> Iterator[tuple[Article, list[Quote]]]:
    """Run the pipeline over articles (chunked when long) and yield each with its quotes."""

    def pieces() -> Iterator[tuple[str, tuple[int, Article, int, int]]]:
        for index, article in enumerate(articles):
            spans = chunk_spans(article, chunk_chars)
            for n, (start, end) in enumerate(spans):
                yield article.text[start:end], (index, article, start, len(spans) - n - 1)

    current: list[Quote] = []
    if workers > 1:
        # spaCy's worker processes batch by count only: bound the count by the chunk size
        size = max(1, min(BATCH_DOCS, BATCH_CHARS // max(1, chunk_chars)))
        docs = nlp.pipe(pieces(), as_tuples=True, n_process=workers, batch_size=size)
    else:
        docs = (
            doc_context
            for batch in _char_batches(pieces(), BATCH_CHARS, BATCH_DOCS)
            for doc_context in nlp.pipe(batch, as_tuples=True, batch_size=len(batch))
        )
    for doc, (_index, article, offset, remaining) in docs:
        current.extend(shift_quote(q, offset) for q in extract_quotes(doc))
        if remaining == 0:
            yield article, sorted(current, key=lambda q: (q.start, q.end))
            current = []


def _char_batches(
    items: Iterable[tuple[str, T]], max_chars: int, max_docs: int
) -> Iterator[list[tuple[str, T]]]:
    """Consecutive items grouped so that a group holds at most ``max_docs`` items and, unless
    one item alone is longer, at most ``max_chars`` characters."""
    batch: list[tuple[str, T]] = []
    chars = 0
    for item in items:
        if batch and (len(batch) >= max_docs or chars + len(item[0]) > max_chars):
            yield batch
            batch, chars = [], 0
        batch.append(item)
        chars += len(item[0])
    if batch:
        yield batch


def ingest_paths(
    library: Library,
    paths: Sequence[str | os.PathLike[str]],
    nlp: Language,
    *,
    workers: int = 1,
    on_event: Callable[[IngestEvent], None] | None = None,
    cancel: threading.Event | None = None,
    fetcher: Fetcher | None = None,
) -> list[IngestEvent]:
    """Ingest files, folders and http(s) URLs. Every input ends as exactly one event, in input
    order for reads and errors; a changed file keeps its article id and its notes. URLs are
    fetched after the files, a few at once (``fetcher``'s limits), and their events name the
    URL as given."""
    events: list[IngestEvent] = []

    def emit(event: IngestEvent) -> None:
        events.append(event)
        if on_event is not None:
            on_event(event)

    files, walk_errors = expand_paths(paths)
    for event in walk_errors:
        emit(event)
    urls = [str(p) for p in paths if is_url(p)]
    names: dict[int, str] = {}  # id(article) -> the URL it was fetched from, for its event

    def fresh_articles() -> Iterator[Article]:
        for path in files:
            if cancel is not None and cancel.is_set():
                return
            try:
                article = read_article(path, max_bytes=INGEST_MAX_BYTES)
            except ReadError as exc:
                emit(IngestEvent(str(path), "error", error=str(exc)))
                continue
            existing = library.has_text(article.sha256)
            if existing is not None:
                quotes = library.summary(existing).quotes
                emit(IngestEvent(str(path), "unchanged", existing, article.title, quotes))
                continue
            yield article
        if urls:
            yield from fetched_articles()

    def fetched_articles() -> Iterator[Article]:
        client = fetcher or Fetcher()
        try:
            for url, result in client.read_articles(urls, cancel=cancel):
                if cancel is not None and cancel.is_set():
                    return
                if isinstance(result, ReadError):
                    emit(IngestEvent(url, "error", error=str(result)))
                    continue
                existing = library.has_text(result.sha256)
                if existing is not None:
                    quotes = library.summary(existing).quotes
                    emit(IngestEvent(url, "unchanged", existing, result.title, quotes))
                    continue
                names[id(result)] = url
                yield result
        finally:
            if fetcher is None:
                client.close()

    # Saves go in small batches: one catalog write per batch instead of one per article,
    # flushed at least twice a second so progress stays live.
    batch: list[tuple[Article, list[Quote]]] = []
    batch_started = 0.0

    def flush() -> None:
        try:
            results = library.save_articles(batch)
        except Exception:  # noqa: BLE001 - find the bad one by saving one at a time
            results = []
            for article, quotes in batch:
                try:
                    results.append(library.save_article(article, quotes))
                except Exception as exc:  # noqa: BLE001 - one bad save must not stop the batch
                    results.append(("", f"error:{exc or type(exc).__name__}"))
        for (article, quotes), (article_id, status) in zip(batch, results, strict=True):
            path = article.path or names.pop(id(article), None) or article.url or "?"
            if status.startswith("error:"):
                emit(IngestEvent(path, "error", error=status.removeprefix("error:")))
            else:
                emit(
                    IngestEvent(
                        path,
                        status,  # type: ignore[arg-type]
                        article_id,
                        article.title,
                        len(quotes),
                        warning=article.warning,
                    )
                )
        batch.clear()

    for article, quotes in attribute(nlp, fresh_articles(), workers):
        if not batch:
            batch_started = time.monotonic()
        batch.append((article, quotes))
        if len(batch) >= SAVE_BATCH or time.monotonic() - batch_started > 0.5:
            flush()
    if batch:
        flush()
    return events


def seed_if_empty(library: Library, nlp: Language) -> list[IngestEvent]:
    """First run: fill an empty library from the bundled seed articles."""
    if not library.is_empty():
        return []
    from saidwho import seeds

    return ingest_paths(library, seeds.seed_paths(), nlp)
