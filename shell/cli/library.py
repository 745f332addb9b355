"""The library: open the reader (no command), ingest, list, doctor."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from saidwho.cli.common import (
    Parents,
    error_line,
    library_dir,
    model_name,
    one_line,
    open_library,
    pipeline_for,
    print_json,
    resolved_model,
    skipped_records,
    workers_arg,
)

if TYPE_CHECKING:
    from spacy.language import Language

    from saidwho.ingest import IngestEvent


def register(sub: Any, parents: Parents) -> None:
    p = sub.add_parser(
        "ingest",
        help="add files, folders (recursive) or http(s) URLs to the library",
        parents=parents.json("print a JSON array of results"),
    )
    p.add_argument("paths", nargs="+", metavar="PATH_OR_URL")
    p.add_argument(
        "--workers",
        default="1",
        metavar="N",
        help="processes that parse and extract (a count, or 'auto' for every core)",
    )
    p.add_argument(
        "--quotes",
        action="store_true",
        help="the PATHs are `saidwho extract` JSON Lines output ('-': stdin): load their "
        "articles and quotes without parsing again",
    )
    p.set_defaults(handler=cmd_ingest)

    p = sub.add_parser("list", help="articles in the library", parents=parents.json())
    p.set_defaults(handler=cmd_list)

    p = sub.add_parser(
        "doctor",
        help="check the library files; --repair recovers what it can",
        parents=parents.json(),
    )
    p.add_argument("--repair", action="store_true")
    p.set_defaults(handler=cmd_doctor)


def cmd_open(args: argparse.Namespace) -> int:
    """No command: the reader."""
    lib = open_library(args)
    if lib.is_empty():
        # first run seeds the library: fail early and clearly if no model is installed
        resolved_model(args)
    from saidwho.tui.app import SaidwhoApp

    SaidwhoApp(lib, model_name(args)).run()
    return 0


def cmd_ingest(args: argparse.Namespace) -> int:
    from saidwho.ingest import expand_paths, ingest_paths, ingest_quote_files
    from saidwho.readers.fetch import is_url

    workers = workers_arg(args.workers)
    lib = open_library(args)
    urls: list[str] = []
    if args.quotes:
        files = [Path(p) for p in args.paths]
        nlp: Language | str | None = None
    else:
        nlp = pipeline_for(args, workers)
        files, _ = expand_paths(args.paths)
        urls = [p for p in args.paths if is_url(p)]
    show_progress = sys.stderr.isatty() and not args.json
    failed = 0

    def report(event: IngestEvent) -> None:
        nonlocal failed
        if event.status == "error":
            failed += 1
            error_line(event.path, event.error or "failed")
            return
        if event.warning:
            error_line(event.path, f"warning: {event.warning}")
        if not args.json:
            title = one_line(event.title, 60)
            line = f"{event.status:<9} {event.article_id}  {title}  ({event.quotes} quotes)"
            if event.status == "unchanged":
                line = f"{event.status:<9} {event.article_id}  {title}"
            print(line)

    def run(on_event: Callable[[IngestEvent], None]) -> list[IngestEvent]:
        if args.quotes:  # the progress bar counts files; lines are not known in advance
            return ingest_quote_files(lib, args.paths, on_event=report)
        return ingest_paths(lib, args.paths, nlp, workers=workers, on_event=on_event)

    if show_progress and not args.quotes:
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

        with Progress(
            "[progress.description]{task.description}",
            BarColumn(),
            MofNCompleteColumn(),
            TimeRemainingColumn(),
            console=Console(stderr=True),
            transient=True,
        ) as progress:
            task = progress.add_task("ingesting", total=len(files) + len(urls))
            file_names = {str(f) for f in files} | set(urls)

            def on_event(event: IngestEvent) -> None:
                if event.path in file_names:  # walk errors are not among the counted files
                    progress.advance(task)
                report(event)

            events = run(on_event)
    else:
        events = run(report)
    if args.json:
        print_json([e.to_json() for e in events])
    return 1 if failed else 0


def cmd_list(args: argparse.Namespace) -> int:
    from saidwho.core.safe_text import dumps, inert_line
    from saidwho.store.listing import stream_articles

    lib = open_library(args)
    keys = ("id", "title", "source", "date", "path", "url", "quotes", "notes")
    # streamed, newest first: the first line is out after one shard of the catalog is read
    # (fixed column widths, since the rows to come are not known yet); no speakers listed,
    # so the speaker identities need not be built
    items = ({k: full[k] for k in keys} for full in (a.to_json() for a in stream_articles(lib)))
    write = sys.stdout.write
    first = True
    if args.json:
        for item in items:
            write(("[\n" if first else ",\n") + "  " + dumps(item, indent=2).replace("\n", "\n  "))
            if first:
                sys.stdout.flush()
            first = False
        write("[]\n" if first else "\n]\n")
    else:
        widths = LIST_WIDTHS
        write(_row(LIST_HEADERS, widths))
        for a in items:
            row = (
                a["id"], one_line(a["title"], 50), one_line(a["source"], 20), a["date"],
                a["quotes"], a["notes"], a["path"] or a["url"],
            )  # fmt: skip
            write(_row(["" if c is None else inert_line(str(c)) for c in row], widths))
            if first:
                sys.stdout.flush()
            first = False
    return skipped_records(lib)


LIST_HEADERS = ("ID", "TITLE", "SOURCE", "DATE", "QUOTES", "NOTES", "PATH OR URL")
LIST_WIDTHS = (16, 50, 20, 10, 6, 5, 0)


def _row(cells: Any, widths: tuple[int, ...]) -> str:
    return "  ".join(str(c).ljust(w) for c, w in zip(cells, widths, strict=True)).rstrip() + "\n"


def cmd_doctor(args: argparse.Namespace) -> int:
    from saidwho.core.safe_text import escaped
    from saidwho.readers.html import check_extractors
    from saidwho.store import doctor

    # a broken install is named before the library: without its extractor an HTML page
    # would not be read at all (never read worse)
    problems = check_extractors()
    report = doctor(library_dir(args), repair=args.repair)
    if args.json:
        print_json({**report.to_json(), "install_problems": problems})
    else:
        for problem in problems:
            error_line("install", problem)
        print("\n".join(escaped(line) for line in report.lines()))
    return 0 if report.ok and not problems else 1
