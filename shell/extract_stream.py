"""Texts in, quotes out: the one extraction step, run in this process or in a pool of worker
processes that parse AND extract (they send back quotes, never spaCy Docs), plus the JSON
Lines records `saidwho extract` streams and a Dask cluster maps.

Extraction is a pure function of an article's text, so every engine runs the same code:
``attribute_texts`` in one process, ``QuotePool`` on the local cores, ``extract_lines`` on
any partition of JSON Lines (see ``saidwho.dask_extract``).
"""

from __future__ import annotations

import dataclasses
import json
import multiprocessing
import os
import pickle
import re
import signal
import threading
from array import array
from bisect import bisect_left
from collections import deque
from collections.abc import Callable, Generator, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import TYPE_CHECKING, Any, TypeVar

from saidwho.attribution import Quote, extract_quotes, load_pipeline
from saidwho.readers import ReadError, read_article, read_text_article
from saidwho.readers.article import Article

if TYPE_CHECKING:
    from spacy.language import Language

K = TypeVar("K")
T = TypeVar("T")
# (key, quotes, None) or (key, None, reason): one failing text never stops the others
Outcome = tuple[K, list[Quote] | None, str | None]

# A stated limit: parsing runs at 8k-50k characters a second on one core (quote-dense text is
# slowest), so a 10 MB article already takes minutes; bigger files are refused with a clear
# error instead of tying the machine up for an hour.
INGEST_MAX_BYTES = 10_000_000

# spaCy needs about 16 KB per token of a Doc (1.6 GB per 100,000): long texts are parsed in
# paragraph-aligned chunks, and batches of short ones are bounded, so memory stays within
# budget (~400 MB with the model) whatever the text. Both bounds are in "weight": the
# characters of news prose, or CHARS_PER_TOKEN per token where a text is denser in tokens
# than prose (a transcript of short quotes, a run of quote marks: one token per character).
CHUNK_CHARS = 60_000
BATCH_CHARS = 60_000
CHARS_PER_TOKEN = 5
# The parse's time budget, in tokens: 10 MB of news prose (the size cap) is about two
# million; a text denser in tokens than that is refused in one line before it is parsed.
MAX_TOKENS = 2_500_000
_TOKEN = re.compile(r"\w+|[^\w\s]")
BATCH_DOCS = 16
# One task for a pool worker: small enough that the workers finish within a task of each
# other (80 news articles make ~20 tasks), big enough that nlp.pipe still batches.
TASK_CHARS = 20_000
TASK_DOCS = 8

# Components extraction never reads; a pipeline carrying them (textcat, entity_linker, ...)
# runs without them. en_core_web_sm's seven components are all read (pos, lemma, dep, ents).
UNNEEDED_FACTORIES = frozenset(
    {"textcat", "textcat_multilabel", "spancat", "spancat_singlelabel", "entity_linker",
     "span_finder", "experimental_coref", "senter"}
)  # fmt: skip


def trim_pipeline(nlp: Language) -> Language:
    """Disable the components attribution does not need (idempotent; the parser makes
    sentences, so a ``senter`` is dropped only when a parser is there)."""
    has_parser = "parser" in nlp.pipe_names
    for name in list(nlp.pipe_names):
        factory = nlp.get_pipe_meta(name).factory
        if factory in UNNEEDED_FACTORIES and (factory != "senter" or has_parser):
            nlp.disable_pipe(name)
    return nlp


def resolve_workers(value: str | int) -> int:
    """``auto`` = the cores this process may run on; otherwise a positive count."""
    if isinstance(value, str) and value.strip().lower() == "auto":
        try:
            return max(1, len(os.sched_getaffinity(0)))
        except AttributeError:  # macOS, Windows: no affinity call
            return max(1, os.cpu_count() or 1)
    count = int(value)
    if count < 1:
        raise ValueError("workers must be at least 1 or 'auto'")
    return count


# ---------------------------------------------------------------- the pure step


def weight(text: str) -> int:
    """What parsing ``text`` costs, in characters of news prose (see CHUNK_CHARS)."""
    if len(text) * CHARS_PER_TOKEN <= BATCH_CHARS // 4:
        return len(text)  # too short to matter: skip the count
    return max(len(text), CHARS_PER_TOKEN * sum(1 for _ in _TOKEN.finditer(text)))


def chunk_spans(text: str, limit: int = CHUNK_CHARS) -> list[tuple[int, int]]:
    """Split the text into [start, end) pieces of at most ``limit`` weight (characters, or
    CHARS_PER_TOKEN per token where tokens are denser), cut at paragraph ends, else at a
    line end, else at a space."""
    if len(text) * CHARS_PER_TOKEN <= limit:
        return [(0, len(text))]
    starts = array("q", (m.start() for m in _TOKEN.finditer(text)))
    if max(len(text), CHARS_PER_TOKEN * len(starts)) <= limit:
        return [(0, len(text))]
    max_tokens = max(1, limit // CHARS_PER_TOKEN)
    spans: list[tuple[int, int]] = []
    start = 0
    while start < len(text):
        end = min(start + limit, len(text))
        k = bisect_left(starts, start) + max_tokens
        if k < len(starts):
            end = min(end, starts[k])
        if end < len(text):
            for sep in ("\n\n", "\n", " "):
                cut = text.rfind(sep, start, end)
                if cut > start:
                    end = cut + 1
                    break
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
    segments = tuple(
        dataclasses.replace(
            seg,
            **{
                f.name: getattr(seg, f.name) + offset
                for f in dataclasses.fields(seg)
                if getattr(seg, f.name) is not None
            },
        )
        for seg in quote.segments
    )
    return dataclasses.replace(quote, **changes, segments=segments)


def char_batches(
    items: Iterable[tuple[str, T]], max_chars: int, max_docs: int
) -> Iterator[list[tuple[str, T]]]:
    """Consecutive items grouped so that a group holds at most ``max_docs`` items and, unless
    one item alone is heavier, at most ``max_chars`` of ``weight``."""
    batch: list[tuple[str, T]] = []
    chars = 0
    for item in items:
        cost = weight(item[0])
        if batch and (len(batch) >= max_docs or chars + cost > max_chars):
            yield batch
            batch, chars = [], 0
        batch.append(item)
        chars += cost
    if batch:
        yield batch


def _failure(exc: BaseException) -> str:
    return f"attribution failed: {type(exc).__name__}: {exc}"


def _batch_quotes(nlp: Language, texts: list[str]) -> list[list[Quote] | str]:
    """Quotes of each text, parsed as one batch; when the batch fails, text by text so only
    the text at fault carries the error."""
    try:
        return [extract_quotes(doc) for doc in nlp.pipe(texts, batch_size=len(texts))]
    except Exception as exc:  # noqa: BLE001 - isolated below, reported per text
        if len(texts) == 1:
            return [_failure(exc)]
    results: list[list[Quote] | str] = []
    for text in texts:
        try:
            results.append(extract_quotes(nlp(text)))
        except Exception as exc:  # noqa: BLE001 - one bad text must not stop the rest
            results.append(_failure(exc))
    return results


def attribute_texts(
    nlp: Language,
    items: Iterable[tuple[str, K]],
    *,
    chunk_chars: int = CHUNK_CHARS,
    batch_chars: int = BATCH_CHARS,
    batch_docs: int = BATCH_DOCS,
) -> Iterator[Outcome[K]]:
    """Each ``(text, key)`` as ``(key, quotes, None)`` in input order, quotes sorted by start;
    a text whose parse or extraction fails gives ``(key, None, reason)``. Long texts are
    parsed in paragraph-aligned chunks, batches bounded in characters (bounded memory)."""

    pieces = _pieces(items, chunk_chars)
    found = (
        (context, quotes)
        for batch in char_batches(pieces, batch_chars, batch_docs)
        for (_, context), quotes in zip(
            batch, _batch_quotes(nlp, [text for text, _ in batch]), strict=True
        )
    )
    yield from _assemble(found)


# key, offset of the chunk in its text, chunks still to come, and why the text is not parsed
# (over the budget: its one piece is empty)
Piece = tuple[K, int, int, str | None]


def over_budget(text: str) -> str | None:
    """Why ``text`` is not parsed, or None: parsing time is linear in tokens, and no text
    may cost more than MAX_TOKENS (the tokens of 10 MB of prose, the size cap): 10 MB of
    quote marks would be ten million."""
    if len(text) <= MAX_TOKENS:
        return None  # fewer characters than the budget has tokens
    tokens = weight(text) // CHARS_PER_TOKEN
    if tokens <= MAX_TOKENS:
        return None
    return (
        f"too dense to parse within the budget: about {tokens:,} tokens "
        f"(at most {MAX_TOKENS:,}, the tokens of 10 MB of prose)"
    )


def _pieces(items: Iterable[tuple[str, K]], chunk_chars: int) -> Iterator[tuple[str, Piece[K]]]:
    for text, key in items:
        refused = over_budget(text)
        if refused is not None:
            yield "", (key, 0, 0, refused)
            continue
        spans = chunk_spans(text, chunk_chars)
        for n, (start, end) in enumerate(spans):
            yield text[start:end], (key, start, len(spans) - n - 1, None)


def _assemble(found: Iterable[tuple[Piece[K], list[Quote] | str]]) -> Iterator[Outcome[K]]:
    """Chunk results back into one outcome per text: quotes shifted to text offsets."""
    current: list[Quote] = []
    error: str | None = None
    for (key, offset, remaining, refused), quotes in found:
        if refused is not None or isinstance(quotes, str):
            error = error or refused or str(quotes)
        else:
            current.extend(shift_quote(q, offset) for q in quotes)
        if remaining == 0:
            if error is None:
                yield key, sorted(current, key=lambda q: (q.start, q.end)), None
            else:
                yield key, None, error
            current, error = [], None


# ---------------------------------------------------------------- the process pool

_worker_nlp: Language | None = None


def default_start_method() -> str:
    """``fork`` while this process runs a single thread (the CLI): workers start at once with
    spaCy imported. With threads (the TUI) forking is unsafe: ``forkserver``, else ``spawn``."""
    methods = multiprocessing.get_all_start_methods()
    if "fork" in methods and threading.active_count() == 1:
        return "fork"
    return "forkserver" if "forkserver" in methods else "spawn"


def _init_worker(pipeline: Language | bytes | str | None) -> None:
    # Ctrl-C reaches the whole process group: the parent decides and ends the workers
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    global _worker_nlp
    if isinstance(pipeline, bytes):
        nlp = pickle.loads(pipeline)
    elif pipeline is None or isinstance(pipeline, str):
        nlp = load_pipeline(pipeline)
    else:
        nlp = pipeline  # inherited through fork
    _worker_nlp = trim_pipeline(nlp)  # loaded once per process, used by every task


def _run_task(texts: list[str]) -> list[list[Quote] | str]:
    """One task: chunks (at most CHUNK_CHARS each) parsed as one batch; quotes or errors."""
    assert _worker_nlp is not None, "worker not initialised"
    return _batch_quotes(_worker_nlp, texts)


class QuotePool:
    """``workers`` processes that each load the pipeline once, then parse and extract tasks
    of a few articles and send back their quotes (small records, never Docs).

    ``pipeline`` is a loaded ``Language`` (sent to the workers pickled, so they run exactly
    it) or a model name/path each worker loads itself (the parent need not load it).
    Use as a context manager: leaving on an exception ends the workers at once.
    """

    def __init__(
        self, pipeline: Language | str | None, workers: int, *, start_method: str | None = None
    ) -> None:
        self.workers = workers
        self.start_method = start_method or default_start_method()
        ctx = multiprocessing.get_context(self.start_method)
        payload: Language | bytes | str | None = pipeline
        if self.start_method == "fork":
            pass  # the workers inherit the parent's memory: spaCy already imported, no pickling
        else:
            if pipeline is not None and not isinstance(pipeline, str):
                payload = pickle.dumps(pipeline)  # once, not once per worker
            if self.start_method == "forkserver":
                # the server imports spaCy once; each worker forks from it, not importing again
                ctx.set_forkserver_preload(["saidwho.extract_stream"])
        self._new_executor: Callable[[], ProcessPoolExecutor] = lambda: ProcessPoolExecutor(
            workers, mp_context=ctx, initializer=_init_worker, initargs=(payload,)
        )
        self._executor = self._new_executor()

    def __enter__(self) -> QuotePool:
        return self

    def __exit__(self, exc_type: object, exc: object, tb: object) -> None:
        if exc_type is None:
            self._executor.shutdown(wait=True)
        else:
            self.terminate()

    def terminate(self) -> None:
        """End the workers now, even mid-parse (a 10 MB article takes minutes)."""
        # ProcessPoolExecutor has no public way to stop a running task before Python 3.14
        for process in list((getattr(self._executor, "_processes", None) or {}).values()):
            process.terminate()
        self._executor.shutdown(wait=False, cancel_futures=True)

    def map(self, items: Iterable[tuple[str, K]]) -> Iterator[Outcome[K]]:
        """Like ``attribute_texts``: outcomes in input order. Texts are chunked here, so the
        chunks of one long article spread over the workers too. At most two tasks per
        worker are in flight: the input is read only a little ahead (bounded memory)."""
        yield from _assemble(self._map_pieces(_pieces(items, CHUNK_CHARS)))

    def _map_pieces(
        self, pieces: Iterable[tuple[str, Piece[K]]]
    ) -> Iterator[tuple[Piece[K], list[Quote] | str]]:
        window: deque[tuple[list[Piece[K]], list[str], Future[Any]]] = deque()
        for task in char_batches(pieces, TASK_CHARS, TASK_DOCS):
            texts = [text for text, _ in task]
            window.append(([context for _, context in task], texts, self._submit(texts)))
            while len(window) >= 2 * self.workers:
                yield from self._collect(window)
        while window:
            yield from self._collect(window)

    def _submit(self, texts: list[str]) -> Future[Any]:
        return self._executor.submit(_run_task, texts)

    def _collect(
        self, window: deque[tuple[list[Piece[K]], list[str], Future[Any]]]
    ) -> Iterator[tuple[Piece[K], list[Quote] | str]]:
        contexts, _, future = window.popleft()
        try:
            results: list[list[Quote] | str] = future.result()
        except BrokenProcessPool:
            # a worker died (killed, out of memory): this task's articles fail, a fresh pool
            # takes the tasks still in flight
            results = ["attribution worker process died (out of memory or killed?)"] * len(contexts)
            self.terminate()
            self._executor = self._new_executor()
            for i, (c, texts, _) in enumerate(window):
                window[i] = (c, texts, self._submit(texts))
        yield from zip(contexts, results, strict=True)


def attribute_parallel(
    pipeline: Language | str | None, items: Iterable[tuple[str, K]], workers: int
) -> Generator[Outcome[K], None, None]:
    """``attribute_texts`` on ``workers`` processes (in this one when ``workers`` is 1)."""
    if workers <= 1:
        if pipeline is None or isinstance(pipeline, str):
            pipeline = load_pipeline(pipeline)
        yield from attribute_texts(trim_pipeline(pipeline), items)
        return
    with QuotePool(pipeline, workers) as pool:
        yield from pool.map(items)


# ---------------------------------------------------------------- JSON Lines records

# Keys an output line sets itself; the rest of an input record passes through unchanged.
OUTPUT_KEYS = ("text_sha256", "quotes", "error")
META_KEYS = ("title", "subtitle", "author", "date", "source", "url")


class RecordError(ValueError):
    """One input line that is not a usable record: the reason is one short line; ``record``
    is the JSON object when the line was one (its id says which record failed)."""

    def __init__(self, reason: str, record: dict[str, Any] | None = None) -> None:
        super().__init__(reason)
        self.record = record


def parse_record(line: str) -> dict[str, Any]:
    """One JSON Lines input line: an object with ``text`` (and optional id, url, title, date,
    source, ...) or with ``path`` (a file ``saidwho`` reads itself)."""
    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        raise RecordError(f"not JSON ({exc.msg} at column {exc.colno})") from None
    if not isinstance(record, dict):
        raise RecordError("not a JSON object")
    if not isinstance(record.get("text"), str) and not isinstance(record.get("path"), str):
        raise RecordError("record has neither a 'text' string nor a 'path'", record)
    return record


def record_article(record: dict[str, Any]) -> Article:
    """The Article a record describes: its text exactly as given (offsets index into it),
    the title from the record or else its first line. Raises ReadError."""
    text = record.get("text")
    if isinstance(text, str):
        article = read_text_article(text)
    else:
        article = read_article(record["path"], max_bytes=INGEST_MAX_BYTES)
    if len(article.text.encode("utf-8", "surrogatepass")) > INGEST_MAX_BYTES:
        raise ReadError(f"text too large (limit {INGEST_MAX_BYTES // 1_000_000} MB)")
    meta = {k: record[k] for k in META_KEYS if isinstance(record.get(k), str) and record[k]}
    return dataclasses.replace(article, **meta) if meta else article


def output_record(
    record: dict[str, Any], article: Article | None, quotes: list[Quote] | None, error: str | None
) -> dict[str, Any]:
    """The output line of one input record: the record's own fields, the title found,
    ``text_sha256`` and ``quotes`` (``Quote.to_json``), or ``error``."""
    out = {k: v for k, v in record.items() if k not in OUTPUT_KEYS}
    if article is not None and "title" not in out:
        out["title"] = article.title
    if article is not None:
        out["text_sha256"] = article.sha256
    if error is not None or article is None or quotes is None:
        out["error"] = error or "failed"
        return out
    out["quotes"] = [q.to_json(article.text, article.sha256) for q in quotes]
    return out


Mapper = Callable[[Iterable[tuple[str, Any]]], Iterator[Outcome[Any]]]


def extract_records(lines: Iterable[str], run: Mapper) -> Iterator[dict[str, Any]]:
    """JSON Lines in, one output record per non-blank input line, in order. ``run`` is the
    engine (``attribute_texts`` bound to a pipeline, or a ``QuotePool``'s map); a bad line
    gives a record with ``error`` (and the line's own fields) instead of stopping the
    stream."""

    def items() -> Iterator[tuple[str, tuple[dict[str, Any], Article | None, str | None]]]:
        for line in lines:
            if not line.strip():
                continue
            record: dict[str, Any] = {}
            try:
                record = parse_record(line)
                article = record_article(record)
            except (RecordError, ReadError) as exc:
                if isinstance(exc, RecordError) and exc.record is not None:
                    record = exc.record
                # "" parses to nothing in no time and keeps the bad line in its place; the
                # record's own fields (its id) say which one failed. No line number: a Dask
                # partition does not know where in the file it starts.
                yield "", (record, None, str(exc))
                continue
            yield article.text, (record, article, None)

    for (record, article, bad), quotes, error in run(items()):
        yield output_record(record, article, quotes, bad or error)


def extract_lines(nlp: Language, lines: Iterable[str]) -> Iterator[str]:
    """The pure map: JSON Lines in, JSON Lines out (no newline at the ends), one process."""
    for out in extract_records(lines, lambda items: attribute_texts(nlp, items)):
        yield json.dumps(out, ensure_ascii=False)


def quotes_of_record(
    record: dict[str, Any],
) -> tuple[Article, list[Quote]]:
    """An extract output record back as an Article and its Quotes, for ``ingest --quotes``.
    Raises RecordError when the record is an error or its quotes do not fit its text."""
    if isinstance(record.get("error"), str):
        raise RecordError(f"extraction failed: {record['error']}")
    if not isinstance(record.get("quotes"), list):
        raise RecordError("record has no 'quotes' list (not `saidwho extract` output?)")
    try:
        article = record_article(record)
    except ReadError as exc:
        raise RecordError(str(exc)) from None
    sha = record.get("text_sha256")
    if sha is not None and sha != article.sha256:
        raise RecordError("the text changed since its quotes were extracted")
    try:
        quotes = [Quote.from_json(q) for q in record["quotes"]]
    except (KeyError, TypeError, ValueError) as exc:
        raise RecordError(f"malformed quote ({type(exc).__name__}: {exc})") from None
    for q in quotes:
        if not 0 <= q.start <= q.end <= len(article.text):
            raise RecordError(f"quote span {q.start}:{q.end} is outside the text")
    return article, sorted(quotes, key=lambda q: (q.start, q.end))
