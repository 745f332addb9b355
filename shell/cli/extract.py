"""`saidwho extract`: quotes without a library, from files or JSON Lines streams, on local
processes or a Dask cluster."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from saidwho.cli.common import (
    InputError,
    Parents,
    UsageError,
    add_min_confidence,
    error_line,
    one_line,
    pipeline_for,
    resolved_model,
    workers_arg,
)
from saidwho.core.safe_text import dumps, escaped

if TYPE_CHECKING:
    from spacy.language import Language

    from saidwho.readers.article import Article


def register(sub: Any, parents: Parents) -> None:
    p = sub.add_parser(
        "extract",
        help="find quotes without a library: files, or JSON Lines streams ('-', *.jsonl)",
        description="Files and folders, or JSON Lines inputs ('-' for stdin, or a .jsonl file) "
        "of records {id?, url?, title?, date?, source?, text} or {path}. JSON Lines inputs "
        "or -o give JSON Lines out: one line per article, its fields plus text_sha256 and "
        "quotes (or error).",
        parents=parents.json("JSON Lines, one object per file"),
    )
    p.add_argument("paths", nargs="+", metavar="INPUT")
    p.add_argument(
        "-o",
        "--output",
        metavar="OUT",
        help="JSON Lines output file ('-': stdout); with --dask, a folder of shards",
    )
    p.add_argument("--workers", default="1", metavar="N", help="local processes, or 'auto'")
    p.add_argument(
        "--dask",
        metavar="SCHEDULER",
        help="run on a Dask cluster (tcp://host:8786; needs saidwho[dask]): one .jsonl INPUT, "
        "-o OUTDIR of JSON Lines shards",
    )
    p.add_argument(
        "--partition-mb",
        type=float,
        default=8.0,
        metavar="MB",
        help="with --dask: input partition size (default 8)",
    )
    add_min_confidence(p, "output")
    p.set_defaults(handler=cmd_extract)


def is_stream(name: str) -> bool:
    return name == "-" or name.lower().endswith((".jsonl", ".ndjson"))


def cmd_extract(args: argparse.Namespace) -> int:
    workers = workers_arg(args.workers)
    if args.dask:
        return extract_dask(args)
    streams = [p for p in args.paths if is_stream(p)]
    if streams and len(streams) != len(args.paths):
        raise UsageError("give either files and folders or JSON Lines inputs, not both")
    if args.paths.count("-") > 1:
        raise UsageError("stdin ('-') can be read only once")
    nlp = pipeline_for(args, workers)
    out = sys.stdout
    if args.output not in (None, "-"):
        try:
            out = open(args.output, "w", encoding="utf-8")  # noqa: SIM115 - closed below
        except OSError as exc:
            raise InputError(args.output, exc.strerror or str(exc)) from exc
    try:
        if streams:
            return extract_streams(streams, nlp, workers, out, args.min_confidence)
        return extract_files(args, nlp, workers, out)
    finally:
        if out is not sys.stdout:
            out.close()


def extract_streams(
    names: list[str], nlp: Language | str, workers: int, out: Any, min_confidence: float = 0.0
) -> int:
    """JSON Lines in and out: one output line per input record, in order; a bad record is
    an output line with ``error`` (and one line on stderr)."""
    from saidwho.extract_stream import attribute_parallel, extract_records

    failed = 0

    def lines() -> Iterator[str]:
        nonlocal failed
        for name in names:
            if name == "-":
                yield from sys.stdin
                continue
            try:
                with open(name, encoding="utf-8") as fh:
                    yield from fh
            except (OSError, UnicodeDecodeError) as exc:
                failed += 1
                reason = exc.strerror if isinstance(exc, OSError) else "not UTF-8 text"
                error_line(name, reason or str(exc))

    def engine(items: Iterable[tuple[str, Any]]) -> Iterator[Any]:
        return attribute_parallel(nlp, items, workers)

    for number, record in enumerate(extract_records(lines(), engine), 1):
        if "error" in record:
            failed += 1
            subject = record.get("path") or record.get("id") or f"record {number}"
            error_line(str(subject), record["error"])
        elif min_confidence > 0 and isinstance(record.get("quotes"), list):
            record["quotes"] = [
                q for q in record["quotes"] if q.get("confidence", 0) >= min_confidence
            ]
        out.write(dumps(record) + "\n")
        out.flush()
    return 1 if failed else 0


def extract_files(args: argparse.Namespace, nlp: Language | str, workers: int, out: Any) -> int:
    from saidwho.extract_stream import INGEST_MAX_BYTES, attribute_parallel
    from saidwho.ingest import expand_paths
    from saidwho.readers import ReadError, read_article

    files, errors = expand_paths(args.paths)
    failed = len(errors)
    for event in errors:
        error_line(event.path, event.error or "failed")

    def articles() -> Iterator[tuple[str, Article]]:
        nonlocal failed
        for path in files:
            try:
                article = read_article(path, max_bytes=INGEST_MAX_BYTES)
            except ReadError as exc:
                failed += 1
                error_line(str(path), str(exc))
                continue
            yield article.text, article

    as_json = args.json or args.output is not None
    for article, quotes, error in attribute_parallel(nlp, articles(), workers):
        if quotes is None:
            failed += 1
            error_line(article.path or "?", error or "failed")
            continue
        shown = [
            q.to_json(article.text, article.sha256)
            for q in quotes
            if q.confidence >= args.min_confidence
        ]
        if as_json:
            record = {
                "path": article.path,
                "title": article.title,
                "text_sha256": article.sha256,
                "quotes": shown,
            }
            out.write(dumps(record) + "\n")
        else:
            title = one_line(article.title, 100)
            print(f"{escaped(article.path or '')}: {title} ({len(shown)} quotes)", file=out)
            for q in shown:
                speaker = one_line(q["speaker"] or "(unknown)", 24)
                print(f"  {q['kind']:<8} {speaker:<24} {one_line(q['text'], 60)}", file=out)
        out.flush()
    return 1 if failed else 0


def extract_dask(args: argparse.Namespace) -> int:
    if len(args.paths) != 1 or args.paths[0] == "-" or not args.output or args.output == "-":
        raise UsageError("--dask needs one JSON Lines INPUT file and -o OUTDIR")
    try:
        from saidwho.dask_extract import extract_on_dask
    except ImportError as exc:
        raise InputError("dask", f"{exc}; install it with `pip install 'saidwho[dask]'`") from exc
    model = resolved_model(args)
    if "://" not in args.paths[0] and not Path(args.paths[0]).is_file():  # s3://... is fine
        raise InputError(args.paths[0], "no such file")
    report = extract_on_dask(
        args.dask,
        args.paths[0],
        args.output,
        model=model,
        partition_bytes=max(1, int(args.partition_mb * 1_000_000)),
    )
    for subject, reason in report.errors[:20]:
        error_line(subject, reason)
    print(
        f"{report.records} records, {report.quotes} quotes, {len(report.errors)} errors "
        f"-> {len(report.shards)} shards in {args.output}",
        file=sys.stderr,
    )
    return 1 if report.errors else 0
