"""Files, folders and URLs -> Articles -> quotes -> library, one failing input never stopping
the rest.

Used by the CLI (`saidwho ingest`, first-run seeding) and by the TUI's ingest worker. The
parse and extraction run in ``saidwho.extract_stream`` (this process, or a pool of worker
processes that send back quotes); ``ingest_quote_files`` loads `saidwho extract` output
without parsing again.
"""

from __future__ import annotations

import dataclasses
import json
import os
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from saidwho import extract_stream
from saidwho.attribution import Quote
from saidwho.extract_stream import (
    CHUNK_CHARS,
    INGEST_MAX_BYTES,
    RecordError,
    attribute_parallel,
    quotes_of_record,
)
from saidwho.readers import SUPPORTED_SUFFIXES, ReadError, read_article_capture
from saidwho.readers.article import Article
from saidwho.readers.capture import Capture
from saidwho.readers.fetch import Fetcher, is_url

if TYPE_CHECKING:
    from spacy.language import Language

    from saidwho.store import Library

__all__ = [
    "CHUNK_CHARS",
    "INGEST_MAX_BYTES",
    "IngestEvent",
    "expand_paths",
    "ingest_paths",
    "ingest_quote_files",
    "seed_if_empty",
]

Status = Literal["added", "updated", "unchanged", "error"]
SAVE_BATCH = 32
# (event label, article, quotes or None, error or None)
Result = tuple[str, Article, "list[Quote] | None", "str | None"]


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
    return extract_stream.chunk_spans(article.text, limit)


def ingest_paths(
    library: Library,
    paths: Sequence[str | os.PathLike[str]],
    nlp: Language | str | None,
    *,
    workers: int = 1,
    on_event: Callable[[IngestEvent], object] | None = None,
    cancel: threading.Event | None = None,
    fetcher: Fetcher | None = None,
) -> list[IngestEvent]:
    """Ingest files, folders and http(s) URLs. Every input ends as exactly one event, in
    input order for reads and errors; a changed file keeps its article id and its notes. URLs
    are fetched after the files, a few at once (``fetcher``'s limits), and their events name
    the URL as given.

    ``nlp`` is a loaded pipeline or a model name (``None``: the default) that is loaded here,
    or by each worker process when ``workers`` > 1 (the workers parse and extract).
    """
    events: list[IngestEvent] = []

    def emit(event: IngestEvent) -> None:
        events.append(event)
        if on_event is not None:
            on_event(event)

    files, walk_errors = expand_paths(paths)
    for event in walk_errors:
        emit(event)

    urls = [str(p) for p in paths if is_url(p)]
    fetched_from: dict[int, str] = {}  # id(article) -> the URL as given, for its event
    captures: dict[int, Capture] = {}  # id(article) -> the bytes it was read from (archived)

    def fresh_articles() -> Iterator[tuple[str, Article]]:
        for path in files:
            if cancel is not None and cancel.is_set():
                return
            try:
                article, capture = read_article_capture(path, max_bytes=INGEST_MAX_BYTES)
            except ReadError as exc:
                emit(IngestEvent(str(path), "error", error=str(exc)))
                continue
            existing = library.has_text(article.sha256)
            if existing is not None:
                quotes = library.summary(existing).quotes
                emit(IngestEvent(str(path), "unchanged", existing, article.title, quotes))
                continue
            captures[id(article)] = capture
            yield article.text, article
        if urls:
            yield from fetched_articles()

    def fetched_articles() -> Iterator[tuple[str, Article]]:
        client = fetcher or Fetcher()
        try:
            for url, page in client.read_pages(urls, cancel=cancel):
                if cancel is not None and cancel.is_set():
                    return
                if isinstance(page, ReadError):
                    emit(IngestEvent(url, "error", error=str(page)))
                    continue
                result = page.article
                existing = library.has_text(result.sha256)
                if existing is not None:
                    quotes = library.summary(existing).quotes
                    emit(IngestEvent(url, "unchanged", existing, result.title, quotes))
                    continue
                fetched_from[id(result)] = url
                captures[id(result)] = page.capture
                yield result.text, result
        finally:
            if fetcher is None:
                client.close()

    def label(article: Article) -> str:
        return article.path or fetched_from.pop(id(article), None) or article.url or "?"

    outcomes = attribute_parallel(nlp, fresh_articles(), workers)
    try:
        _store(library, ((label(a), a, q, e) for a, q, e in outcomes), emit, captures.pop)
    finally:
        outcomes.close()  # on Ctrl-C or a failed save: the worker processes end now
    return events


def ingest_quote_files(
    library: Library,
    paths: Sequence[str | os.PathLike[str]],
    *,
    on_event: Callable[[IngestEvent], object] | None = None,
    cancel: threading.Event | None = None,
    stdin: Iterable[str] | None = None,
) -> list[IngestEvent]:
    """Load `saidwho extract` JSON Lines output (``-``: ``stdin``) into the library without
    parsing again. Each line ends as one event, labelled by its record's path or
    ``FILE:LINE``; a bad line or file is an error event, the rest lands."""
    events: list[IngestEvent] = []

    def emit(event: IngestEvent) -> None:
        events.append(event)
        if on_event is not None:
            on_event(event)

    def results() -> Iterator[Result]:
        for raw in paths:
            name = str(raw)
            try:
                lines = _open_lines(name, stdin)
                for number, line in enumerate(lines, 1):
                    if cancel is not None and cancel.is_set():
                        return
                    if not line.strip():
                        continue
                    label = f"{name}:{number}"
                    try:
                        record = json.loads(line)
                        if not isinstance(record, dict):
                            raise RecordError("not a JSON object")
                        label = record["path"] if isinstance(record.get("path"), str) else label
                        article, quotes = quotes_of_record(record)
                    except json.JSONDecodeError as exc:
                        emit(IngestEvent(label, "error", error=f"not JSON ({exc.msg})"))
                        continue
                    except RecordError as exc:
                        emit(IngestEvent(label, "error", error=str(exc)))
                        continue
                    existing = library.has_text(article.sha256)
                    if existing is not None:
                        count = library.summary(existing).quotes
                        emit(IngestEvent(label, "unchanged", existing, article.title, count))
                        continue
                    yield label, article, quotes, None
            except OSError as exc:
                emit(IngestEvent(name, "error", error=exc.strerror or str(exc)))
            except UnicodeDecodeError:
                emit(IngestEvent(name, "error", error="not UTF-8 text"))

    _store(library, results(), emit)
    return events


def _open_lines(name: str, stdin: Iterable[str] | None) -> Iterator[str]:
    if name == "-":
        import sys

        yield from stdin if stdin is not None else sys.stdin
        return
    with open(name, encoding="utf-8") as fh:
        yield from fh


def _store(
    library: Library,
    results: Iterable[Result],
    emit: Callable[[IngestEvent], None],
    capture_of: Callable[[int, None], Capture | None] | None = None,
) -> None:
    """Save results in small batches: one catalog write per batch instead of one per
    article, flushed at least twice a second so progress stays live. ``capture_of(id(article),
    None)``: the bytes an article was read from, archived with it."""
    batch: list[tuple[str, Article, list[Quote]]] = []
    batch_started = 0.0

    def flush() -> None:
        pairs = [(article, quotes) for _, article, quotes in batch]
        kept = [capture_of(id(a), None) if capture_of else None for _, a, _ in batch]
        try:
            saved = library.save_articles(pairs, captures=kept)
        except Exception:  # noqa: BLE001 - find the bad one by saving one at a time
            saved = []
            for (article, quotes), capture in zip(pairs, kept, strict=True):
                try:
                    saved.append(library.save_article(article, quotes, capture))
                except Exception as exc:  # noqa: BLE001 - one bad save must not stop the batch
                    saved.append(("", f"error:{exc or type(exc).__name__}"))
        for (label, article, quotes), (article_id, status) in zip(batch, saved, strict=True):
            if status.startswith("error:"):
                emit(IngestEvent(label, "error", error=status.removeprefix("error:")))
            else:
                event = IngestEvent(
                    label,
                    status,  # type: ignore[arg-type]
                    article_id,
                    article.title,
                    len(quotes),
                    warning=article.warning,
                )
                emit(event)
        batch.clear()

    for label, article, quotes, error in results:
        if quotes is None:
            emit(IngestEvent(label, "error", error=error or "attribution failed"))
            continue
        if not batch:
            batch_started = time.monotonic()
        batch.append((label, article, quotes))
        if len(batch) >= SAVE_BATCH or time.monotonic() - batch_started > 0.5:
            flush()
    if batch:
        flush()


def seed_if_empty(library: Library, nlp: Language | str | None) -> list[IngestEvent]:
    """First run: fill an empty library from the bundled seed articles."""
    if not library.is_empty():
        return []
    from saidwho import seeds

    return ingest_paths(library, seeds.seed_paths(), nlp)
