"""Reviewer notes: add, list, edit, delete, export and import."""

from __future__ import annotations

import argparse
import re
import sys
from bisect import bisect_right
from pathlib import Path
from typing import TYPE_CHECKING, Any

from saidwho.cli import ids
from saidwho.cli.common import (
    PROG,
    InputError,
    Parents,
    Parser,
    UsageError,
    error_line,
    needs_action,
    one_line,
    open_library,
    print_json,
    print_rows,
    skipped_records,
)
from saidwho.core.marks import QUOTE_CHARS
from saidwho.core.safe_text import escaped

if TYPE_CHECKING:
    from saidwho.store import Library, Note


def register(sub: Any, parents: Parents) -> None:
    notes = sub.add_parser("notes", help="reviewer notes")
    notes.set_defaults(handler=needs_action("notes", "add, list, edit, delete, export or import"))
    actions = notes.add_subparsers(dest="notes_command", metavar="ACTION", parser_class=Parser)

    p = actions.add_parser("add", help="add a note to a quote or a span", parents=parents.json())
    p.add_argument("article_id", metavar="ARTICLE_ID", type=ids.ARTICLE)
    target = p.add_mutually_exclusive_group(required=True)
    target.add_argument("--quote", metavar="QUOTE_ID", type=ids.QUOTE)
    target.add_argument("--span", metavar="START:END")
    p.add_argument("--text", required=True)
    p.add_argument("--tag", action="append", default=[], metavar="T")
    p.set_defaults(handler=cmd_add)

    p = actions.add_parser("list", help="notes, of one article or all", parents=parents.json())
    p.add_argument("article_id", nargs="?", metavar="ARTICLE_ID", type=ids.ARTICLE)
    p.set_defaults(handler=cmd_list)

    p = actions.add_parser("edit", help="change a note's text or tags", parents=parents.json())
    p.add_argument("note_id", metavar="NOTE_ID", type=ids.NOTE)
    p.add_argument("--text")
    p.add_argument("--tag", action="append", default=None, metavar="T", help="replaces the tags")
    p.set_defaults(handler=cmd_edit)

    p = actions.add_parser("delete", help="delete notes", parents=parents.json())
    p.add_argument("note_ids", nargs="+", metavar="NOTE_ID", type=ids.NOTE)
    p.set_defaults(handler=cmd_delete)

    p = actions.add_parser(
        "export",
        help="notes and reviews as Markdown, JSON-LD or CSV",
        parents=parents.json("print a JSON summary (with -o)"),
    )
    p.add_argument("--format", choices=("markdown", "jsonld", "csv", "json"), default=None)
    p.add_argument("-o", "--output", metavar="FILE", help="write here (default: stdout)")
    p.add_argument("--article", metavar="ARTICLE_ID", type=ids.ARTICLE, help="only this article")
    p.set_defaults(handler=cmd_export)

    p = actions.add_parser(
        "import", help="add notes and reviews from a Web Annotation file", parents=parents.json()
    )
    p.add_argument("file", metavar="FILE.jsonld")
    p.set_defaults(handler=cmd_import)


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


def cmd_add(args: argparse.Namespace) -> int:
    from saidwho.store import NotFoundError

    lib = open_library(args)
    article_id = ids.article_id(lib, args.article_id)
    if args.span is not None:  # an empty --span "" is a bad span, not "no span"
        start, end = parse_span(args.span)
        quote_id = None
    else:
        # only its span and id: the speaker identities (the whole catalog) are not needed
        quote = ids.quote(lib, args.quote, article_id=article_id, named=False)
        start, end, quote_id = quote.start, quote.end, quote.id
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


def cmd_list(args: argparse.Namespace) -> int:
    lib = open_library(args)
    article_id = ids.article_id(lib, args.article_id) if args.article_id else None
    notes = lib.notes(article_id)
    if args.json:  # the machine form keeps the offsets
        print_json([n.to_json() for n in notes])
    else:
        paragraphs: dict[str, tuple[int, ...]] = {}  # each article read once
        rows = [
            (
                n.id,
                n.article_id,
                passage(lib, n, paragraphs),
                " ".join(f"#{tag}" for tag in n.tags),  # a tag may hold a comma
                one_line(n.text, 60),
            )
            for n in notes
        ]
        print_rows(rows, ("ID", "ARTICLE", "WHERE", "TAGS", "TEXT"))
    return skipped_records(lib)


PASSAGE_WORDS = 28  # characters of the noted passage a person reads in the WHERE column


def passage(lib: Library, note: Note, starts: dict[str, tuple[int, ...]]) -> str:
    """Where a note sits, as a person reads it: the paragraph and the passage's first words
    (``¶3 “Hamas released an…”``); offsets are for ``--json``. ``starts``: each article's
    paragraph starts, filled as articles are read."""
    from saidwho.store import LibraryError

    if note.article_id not in starts:
        try:
            article = lib.article(note.article_id)
            starts[note.article_id] = tuple(start for start, _ in article.paragraphs)
        except LibraryError:
            starts[note.article_id] = ()  # a damaged article file: the words still say where
    paragraph = bisect_right(starts[note.article_id], note.start)
    exact = note.exact.strip().strip(QUOTE_CHARS).strip()  # the label adds its own marks
    words = f"“{one_line(exact, PASSAGE_WORDS)}”" if exact else ""
    where = f"¶{paragraph}" if paragraph else ""
    return " ".join(part for part in (where, words) if part) or "—"


def cmd_edit(args: argparse.Namespace) -> int:
    from saidwho.store import LibraryError

    if args.text is None and args.tag is None:
        raise UsageError("notes edit needs --text or --tag")
    lib = open_library(args)
    note_id = ids.note(lib, args.note_id).id
    try:
        note = lib.update_note(note_id, text=args.text, tags=args.tag)
    except (ValueError, LibraryError) as exc:
        raise InputError(args.note_id, str(exc)) from exc
    if args.json:
        print_json(note.to_json())
    else:
        print(note.id)
    return 0


def cmd_delete(args: argparse.Namespace) -> int:
    from saidwho.store import LibraryError

    lib = open_library(args)
    results = []
    failed = 0
    for given in args.note_ids:
        try:
            note_id = ids.note(lib, given).id
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


def cmd_export(args: argparse.Namespace) -> int:
    from saidwho.core.safe_text import inert
    from saidwho.store.export import format_for, render

    lib = open_library(args)
    article_id = ids.article_id(lib, args.article) if args.article else None
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


def cmd_import(args: argparse.Namespace) -> int:
    from saidwho.store.note_import import MAX_ERRORS, import_annotations, read_annotations

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
    for line in report.errors[:MAX_ERRORS]:
        error_line(str(path), line)
    if report.errors:
        more = len(report.errors) - MAX_ERRORS
        error_line(
            str(path),
            f"nothing was imported: {len(report.errors)} annotation(s) cannot be imported"
            + (f" ({more} more not shown)" if more > 0 else ""),
        )
    if args.json:
        print_json(report.to_json())
    elif not report.errors:
        for line in report.kept:
            print(escaped(line))
        print(
            f"{report.notes} notes added ({report.orphaned} orphaned), {report.reviews} "
            f"reviews applied, {report.speakers} speaker decisions, "
            f"{report.skipped} already there"
        )
    return 1 if report.errors else 0
