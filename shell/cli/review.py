"""`saidwho review`: confirm, dispute or correct one quote's attribution."""

from __future__ import annotations

import argparse
from typing import Any

from saidwho.cli import ids
from saidwho.cli.common import (
    InputError,
    Parents,
    UsageError,
    one_line,
    open_library,
    print_json,
)


def register(sub: Any, parents: Parents) -> None:
    p = sub.add_parser(
        "review",
        help="confirm, dispute or correct a quote's attribution",
        parents=parents.json(),
    )
    p.add_argument(
        "quote_id", metavar="QUOTE_ID", type=ids.QUOTE, help="a quote id or a unique prefix"
    )
    verdict = p.add_mutually_exclusive_group(required=True)
    verdict.add_argument("--confirm", action="store_true", help="the attribution is right")
    verdict.add_argument("--dispute", action="store_true", help="the attribution is wrong")
    verdict.add_argument("--undispute", action="store_true", help="withdraw a dispute")
    verdict.add_argument("--speaker", metavar="NAME", help="who really said it")
    verdict.add_argument("--kind", choices=("direct", "partial", "indirect"))
    verdict.add_argument("--revert", action="store_true", help="back to the machine's speaker")
    p.add_argument("--reviewer", metavar="NAME", help="default: $SAIDWHO_REVIEWER or $USER")
    p.set_defaults(handler=cmd_review)


def cmd_review(args: argparse.Namespace) -> int:
    from saidwho.store import LibraryError

    lib = open_library(args)
    quote = ids.quote(lib, args.quote_id)
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
        # the plain line shows no identity: not built for it (the whole catalog)
        got = lib.review_quote(quote.article_id, quote.id, named=args.json, **kwargs)
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
