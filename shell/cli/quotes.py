"""Quotes: list them (one article or the library) and cite one."""

from __future__ import annotations

import argparse
from typing import Any

from saidwho.cli import ids
from saidwho.cli.common import (
    InputError,
    Parents,
    add_min_confidence,
    one_line,
    open_library,
    print_json,
    print_rows,
    report_library_error,
    skipped_records,
)


def register(sub: Any, parents: Parents) -> None:
    p = sub.add_parser(
        "quotes", help="quotes in one article or the whole library", parents=parents.json()
    )
    p.add_argument("article_id", nargs="?", metavar="ARTICLE_ID", type=ids.ARTICLE)
    p.add_argument(
        "--speaker", metavar="NAME", help="only this speaker: any name or alias, any case"
    )
    add_min_confidence(p, "list")
    p.set_defaults(handler=cmd_quotes)

    p = sub.add_parser("cite", help="cite a quote: the speaker's words, who, where")
    p.add_argument(
        "quote_id",
        metavar="QUOTE_ID",
        type=ids.QUOTE,
        help="a quote id or a unique prefix of one",
    )
    p.add_argument("--format", choices=("text", "markdown", "json"), default="text")
    add_min_confidence(p, "cite")
    p.set_defaults(handler=cmd_cite)


def cmd_quotes(args: argparse.Namespace) -> int:
    lib = open_library(args)
    if args.article_id:
        article_id = ids.article_id(lib, args.article_id)
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
    # a reviewer's confirmation or correction makes an attribution trusted whatever its score
    quotes = [q for q in quotes if q.confidence >= args.min_confidence or q.reviewed]
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


def cmd_cite(args: argparse.Namespace) -> int:
    from saidwho.store.citation import cite_view

    lib = open_library(args)
    quote = ids.quote(lib, args.quote_id)
    if quote.confidence < args.min_confidence and not quote.reviewed:
        raise InputError(
            args.quote_id,
            f"confidence {quote.confidence:.2f} is below {args.min_confidence:.2f}: review it "
            "first (saidwho review ... --confirm) or lower --min-confidence",
        )
    version = lib.versions(quote.article_id)[-1]  # quotes are always of the current version
    print(cite_view(lib.article(quote.article_id), quote, args.format, version))
    return 0
