"""RSS and Atom subscriptions: add, list, remove, update."""

from __future__ import annotations

import argparse
from typing import Any

from saidwho.cli import common
from saidwho.cli.common import (
    InputError,
    Parents,
    Parser,
    error_line,
    needs_action,
    one_line,
    open_library,
    print_json,
    print_rows,
)
from saidwho.core.safe_text import escaped


def register(sub: Any, parents: Parents) -> None:
    feeds = sub.add_parser("feeds", help="RSS and Atom subscriptions")
    feeds.set_defaults(handler=needs_action("feeds", "add, list, remove or update"))
    actions = feeds.add_subparsers(dest="feeds_command", metavar="ACTION", parser_class=Parser)
    p = actions.add_parser("add", help="subscribe to a feed")
    p.add_argument("url", metavar="URL")
    p.add_argument("--name", metavar="NAME", help="your name for it (default: the feed's title)")
    p.set_defaults(handler=cmd_add)
    p = actions.add_parser("list", help="subscriptions", parents=parents.json())
    p.set_defaults(handler=cmd_list)
    p = actions.add_parser("remove", help="unsubscribe (articles already read in stay)")
    p.add_argument("url", metavar="URL")
    p.set_defaults(handler=cmd_remove)
    p = actions.add_parser(
        "update",
        help="fetch feeds and ingest their new entries",
        parents=parents.json("print a JSON array, one per feed"),
    )
    p.add_argument("urls", nargs="*", metavar="URL", help="only these feeds (default: all)")
    p.set_defaults(handler=cmd_update)


def cmd_add(args: argparse.Namespace) -> int:
    from saidwho.readers.fetch import FetchError, check_url
    from saidwho.store import LibraryError
    from saidwho.store.feeds import FeedStore

    store = FeedStore(open_library(args))
    try:
        url = check_url(args.url)
        feed = store.add(url, name=args.name)
    except (FetchError, LibraryError) as exc:
        raise InputError(args.url, str(exc)) from exc
    print(f"subscribed {escaped(feed.url)}")
    return 0


def cmd_remove(args: argparse.Namespace) -> int:
    from saidwho.store import LibraryError
    from saidwho.store.feeds import FeedStore

    store = FeedStore(open_library(args))
    try:
        store.remove(args.url.strip())
    except LibraryError as exc:
        raise InputError(args.url, str(exc)) from exc
    print(f"unsubscribed {escaped(args.url.strip())}")
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    from saidwho.store.feeds import FeedStore

    feeds = FeedStore(open_library(args)).feeds()
    if args.json:
        print_json([f.to_json(with_seen=False) for f in feeds])
    else:
        rows = [(one_line(f.label, 40), f.url, f.checked or "never", len(f.seen)) for f in feeds]
        print_rows(rows, ("NAME", "URL", "CHECKED", "ENTRIES SEEN"))
    return 0


def cmd_update(args: argparse.Namespace) -> int:
    from saidwho.feed_update import FeedResult, update_feeds
    from saidwho.ingest import IngestEvent
    from saidwho.store.feeds import FeedStore

    lib = open_library(args)
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
            return
        if result.notice:
            error_line(result.url, f"warning: {result.notice}")
        if args.json:
            return
        label = one_line(result.label, 50)
        retried = f" ({result.retrying} retried next time)" if result.retrying else ""
        if result.first:  # nothing was known before: say what it added
            print(
                f"{'added':<9} {label}: {result.added} new, {result.known} already in the "
                f"library, {result.failed} failed{retried}"
            )
        else:
            line = f"{result.status:<9} {label}: {result.added} new"
            print(f"{line}, {result.known} known, {result.failed} failed{retried}")

    results = update_feeds(
        lib,
        lambda: common.load_nlp(args),
        urls=args.urls or None,
        on_entry=on_entry,
        on_feed=on_feed,
    )
    if args.json:
        print_json([r.to_json() for r in results])
    return 1 if failed else 0
