"""Provenance: an article's versions (`versions`), what changed between two (`diff`), and
re-fetching pages to catch edits (`recheck`)."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from saidwho.cli import common, ids
from saidwho.cli.common import (
    InputError,
    Parents,
    UsageError,
    error_line,
    one_line,
    open_library,
    print_json,
    print_rows,
)

if TYPE_CHECKING:
    from saidwho.store.diff import QuoteChange, VersionDiff
    from saidwho.store.versions import Version


def register(sub: Any, parents: Parents) -> None:
    p = sub.add_parser(
        "versions",
        help="an article's versions: when each was read, its digest and archive record",
        parents=parents.json(),
    )
    p.add_argument("article_id", metavar="ARTICLE_ID", type=ids.ARTICLE)
    p.set_defaults(handler=cmd_versions)
    p = sub.add_parser(
        "diff",
        help="what changed between two versions of an article: quotes, then text",
        parents=parents.json(),
    )
    p.add_argument("article_id", metavar="ARTICLE_ID", type=ids.ARTICLE)
    p.add_argument("--from", dest="from_version", type=_version_number, metavar="N")
    p.add_argument(
        "--to", dest="to_version", type=_version_number, metavar="M", help="(default: the latest)"
    )
    p.set_defaults(handler=cmd_diff)
    p = sub.add_parser(
        "recheck",
        help="read articles again (pages with a conditional GET), keep a version where one changed",
        parents=parents.json(),
    )
    p.add_argument("article_ids", nargs="*", metavar="ARTICLE_ID", type=ids.ARTICLE)
    p.add_argument("--all", action="store_true", help="every article read from a URL")
    p.set_defaults(handler=cmd_recheck)
    p = sub.add_parser(
        "evidence",
        help="an article's versions, archived bytes, quotes and notes as a WACZ package",
    )
    p.add_argument("article_id", metavar="ARTICLE_ID", type=ids.ARTICLE)
    p.add_argument("-o", "--output", required=True, metavar="FILE.wacz", help="where to write it")
    p.set_defaults(handler=cmd_evidence)
    p = sub.add_parser(
        "verify",
        help="check an evidence package: every digest, every quote in the archived bytes",
        parents=parents.json(),
    )
    p.add_argument("package", metavar="FILE.wacz")
    p.set_defaults(handler=cmd_verify)


def _version_number(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a version number: {value!r}") from None
    if number < 1:
        raise argparse.ArgumentTypeError(f"versions count from 1, not {number}")
    return number


def short_time(stamp: str) -> str:
    """2026-12-07T14:05:09Z -> 2026-12-07 14:05 UTC."""
    if len(stamp) >= 16 and stamp[10] == "T":
        return f"{stamp[:10]} {stamp[11:16]} UTC"
    return stamp or "-"


def version_row(v: Version) -> tuple[object, ...]:
    where = f"{v.archive.file}@{v.archive.offset}" if v.archive else "(not archived)"
    digest = f"sha256:{v.payload_sha256[:12]}" if v.payload_sha256 else "-"
    return (
        f"v{v.version}{'*' if v.current else ''}",
        short_time(v.read_at),
        v.quotes,
        digest,
        where,
        one_line(v.source, 60),
    )


def cmd_versions(args: argparse.Namespace) -> int:
    from saidwho.store import LibraryError

    lib = open_library(args)
    article_id = ids.article_id(lib, args.article_id)
    try:
        found = lib.versions(article_id)
    except LibraryError as exc:
        raise InputError(args.article_id, str(exc)) from exc
    if args.json:
        print_json([v.to_json() for v in found])
        return 0
    print_rows(
        [version_row(v) for v in found],
        ("VERSION", "READ", "QUOTES", "PAYLOAD", "ARCHIVE", "SOURCE"),
    )
    return 0


def word_line(change: QuoteChange) -> str:
    """wdiff style: [-removed-] {+added+}."""
    marks = {"same": "{}", "removed": "[-{}-]", "added": "{+{}+}"}
    return " ".join(marks[w.op].replace("{}", w.text, 1) for w in change.words)


def change_lines(change: QuoteChange) -> list[str]:
    side = change.new or change.old
    assert side is not None
    who = one_line(side.speaker or "(unknown)", 30)
    if change.kind == "altered":
        return [f"ALTERED  {who}: {one_line(word_line(change), 200)}"]
    if change.kind == "speaker":
        old = one_line((change.old.speaker if change.old else None) or "(unknown)", 30)
        return [f"SPEAKER  {old} -> {who}: {one_line(side.text, 160)}"]
    return [f"{change.kind.upper():<8} {who}: {one_line(side.text, 180)}"]


def print_diff(found: VersionDiff) -> None:
    print(
        f"article {found.article_id}: v{found.from_version} -> v{found.to_version}: "
        f"{found.summary()}"
    )
    for change in found.quotes:
        for line in change_lines(change):
            print(line)
    if found.text:
        print("text changes:")
    for text in found.text:
        print(f"  @ {text.new_start}")
        if text.before:
            print(f"    {one_line(text.before, 120)}")
        for line in text.removed.splitlines():
            print(f"  - {one_line(line, 160)}")
        for line in text.added.splitlines():
            print(f"  + {one_line(line, 160)}")
        if text.after:
            print(f"    {one_line(text.after, 120)}")


def cmd_diff(args: argparse.Namespace) -> int:
    from saidwho.store import LibraryError

    lib = open_library(args)
    article_id = ids.article_id(lib, args.article_id)
    try:
        found = lib.diff(article_id, args.from_version, args.to_version)
    except LibraryError as exc:
        raise InputError(args.article_id, str(exc)) from exc
    if args.json:
        print_json(found.to_json())
        return 0
    print_diff(found)
    return 0


def cmd_recheck(args: argparse.Namespace) -> int:
    from saidwho.recheck import RecheckEvent, recheck, web_articles

    if bool(args.article_ids) == bool(args.all):
        raise UsageError("give ARTICLE_IDs or --all (not both)")
    lib = open_library(args)
    wanted = web_articles(lib) if args.all else [ids.article_id(lib, a) for a in args.article_ids]

    def show(event: RecheckEvent) -> None:
        if args.json:
            return
        if event.status == "error":
            error_line(event.url or event.article_id, event.summary)
        else:
            print(f"{event.article_id}  v{event.version}  {one_line(event.summary, 120)}")

    # the pipeline is loaded only when some page changed
    events = recheck(lib, wanted, lambda: common.load_nlp(args), on_event=show)
    if args.json:
        print_json([e.to_json() for e in events])
    return 1 if any(e.status == "error" for e in events) else 0


def cmd_evidence(args: argparse.Namespace) -> int:
    from pathlib import Path

    from saidwho.store import LibraryError
    from saidwho.store.evidence import write_evidence

    lib = open_library(args)
    article_id = ids.article_id(lib, args.article_id)
    out = Path(args.output)
    try:
        count = write_evidence(lib, article_id, out)
    except LibraryError as exc:
        raise InputError(args.article_id, str(exc)) from exc
    except OSError as exc:
        raise InputError(str(out), exc.strerror or str(exc)) from exc
    print(f"{one_line(str(out), 200)}: article {article_id}, {count} version(s)")
    return 0


def cmd_verify(args: argparse.Namespace) -> int:
    from pathlib import Path

    from saidwho.store.evidence import verify_package

    report = verify_package(Path(args.package))
    if args.json:
        print_json(report.to_json())
    else:
        for failure in report.failures:
            error_line(args.package, failure)
        if report.ok:
            unarchived = (
                f"; not archived: {', '.join(f'v{n}' for n in report.unarchived)}"
                if report.unarchived
                else ""
            )
            print(
                f"{one_line(args.package, 200)}: ok ({report.files} files, {report.versions} "
                f"versions, {report.quotes} quotes checked{unarchived})"
            )
    return 0 if report.ok else 1
