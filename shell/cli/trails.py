"""Quote trails: where else a quote appears (`trail`), and every statement quoted in more
than one article (`trails`)."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from saidwho.cli import ids
from saidwho.cli.common import (
    InputError,
    Parents,
    error_line,
    one_line,
    open_library,
    print_json,
    print_rows,
)

INDEX = "trail-index"

if TYPE_CHECKING:
    from saidwho.store.trails import Occurrence, Trail


def register(sub: Any, parents: Parents) -> None:
    p = sub.add_parser(
        "trail",
        help="where else a quote appears: who printed it first, changes",
        parents=parents.json(),
    )
    p.add_argument("quote_id", metavar="QUOTE_ID", type=ids.QUOTE)
    p.set_defaults(handler=cmd_trail)
    p = sub.add_parser(
        "trails", help="statements quoted in more than one article", parents=parents.json()
    )
    p.add_argument("--altered", action="store_true", help="only words changed inside quotes")
    p.add_argument("--conflicting", action="store_true", help="only credited to several people")
    p.set_defaults(handler=cmd_trails)


def say(message: str) -> None:
    """The index's progress, when it is built (once), on stderr: stdout stays the answer."""
    error_line(INDEX, message)


def trail_flags(trail: Trail) -> str:
    flags = ("altered", "conflicting", "paraphrased")
    return ",".join(f for f in flags if getattr(trail, f)) or "-"


def diff_line(occurrence: Occurrence) -> str:
    """wdiff style: [-removed-] {+added+} against the first occurrence."""
    marks = {"same": "{}", "removed": "[-{}-]", "added": "{+{}+}"}
    return " ".join(marks[d.change].replace("{}", d.word, 1) for d in occurrence.diff)


def cmd_trail(args: argparse.Namespace) -> int:
    from saidwho.store import NotFoundError
    from saidwho.store.trails import trail

    lib = open_library(args)
    quote_id = ids.quote(lib, args.quote_id, named=False).id  # its id alone: no identities
    try:
        found = trail(lib, quote_id, say=say)
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
    found = trails(lib, altered=args.altered, conflicting=args.conflicting, say=say)
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
