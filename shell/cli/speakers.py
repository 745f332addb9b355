"""Speaker identities and the reviewer's decisions on them: merge, split, rename, kind,
undo."""

from __future__ import annotations

import argparse
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from saidwho.attribution.names import KINDS
from saidwho.cli.common import (
    Handler,
    InputError,
    Parents,
    Parser,
    UsageError,
    one_line,
    open_library,
    print_json,
    print_rows,
    skipped_records,
)

if TYPE_CHECKING:
    from saidwho.store import Library
    from saidwho.store.views import SpeakerSummary


def register(sub: Any, parents: Parents) -> None:
    speakers = sub.add_parser(
        "speakers",
        help="speaker identities: aliases, kind, roles, quote and article counts",
        parents=parents.json(),
    )
    speakers.set_defaults(handler=cmd_speakers)
    actions = speakers.add_subparsers(
        dest="speakers_command", metavar="ACTION", parser_class=Parser
    )
    p = actions.add_parser(
        "merge",
        help="make several speakers one (wins over the machine)",
        parents=parents.json(),
    )
    p.add_argument("names", nargs="+", metavar="NAME", help="speaker names or aliases")
    p.add_argument("--into", required=True, metavar="NAME", help="the merged speaker's name")
    p.set_defaults(handler=decision(lambda lib, a: lib.merge_speakers(a.names, into=a.into)))
    p = actions.add_parser(
        "split", help="take an alias (a merged speaker) out again", parents=parents.json()
    )
    p.add_argument("name", metavar="NAME")
    p.add_argument("alias", metavar="ALIAS")
    p.set_defaults(handler=decision(lambda lib, a: lib.split_speaker(a.name, a.alias)))
    p = actions.add_parser(
        "rename", help="give a speaker another canonical name", parents=parents.json()
    )
    p.add_argument("name", metavar="NAME")
    p.add_argument("new", metavar="NEW")
    p.set_defaults(handler=decision(lambda lib, a: lib.rename_speaker(a.name, a.new)))
    p = actions.add_parser(
        "kind",
        help="say what a speaker is: a person, an organization, ... (wins over the machine)",
        parents=parents.json(),
    )
    p.add_argument("name", metavar="NAME")
    p.add_argument("kind", metavar="KIND", help=f"one of {', '.join(KINDS)} (or organisation)")
    p.set_defaults(handler=decision(lambda lib, a: lib.set_speaker_kind(a.name, a.kind)))
    p = actions.add_parser(
        "undo",
        help="forget the latest merge, split, rename or kind (as u on the speakers screen)",
        parents=parents.json(),
    )
    p.set_defaults(handler=cmd_undo)


def cmd_speakers(args: argparse.Namespace) -> int:
    lib = open_library(args)
    show(args, lib.speakers())
    return skipped_records(lib)


def cmd_undo(args: argparse.Namespace) -> int:
    from saidwho.store.identities import describe

    lib = open_library(args)
    undone = lib.undo_speaker_decision()
    if args.json:
        print_json({"undone": describe(undone) if undone else None, "decision": undone})
        return 0
    if undone is None:
        print("nothing to undo: no speaker decisions")
        return skipped_records(lib)
    print(f"undid: {one_line(describe(undone), 120)}")
    return skipped_records(lib)


def decision(make: Callable[[Library, argparse.Namespace], SpeakerSummary]) -> Handler:
    """The handler of one decision: ``make(lib, args)`` stores it and returns the speaker."""

    def handler(args: argparse.Namespace) -> int:
        from saidwho.store import NotFoundError

        lib = open_library(args)
        try:
            changed = make(lib, args)
        except NotFoundError as exc:
            # the name asked about is the input the error is on (merge: the command)
            raise InputError(
                getattr(args, "name", None) or args.speakers_command, str(exc)
            ) from exc
        except ValueError as exc:
            raise UsageError(str(exc)) from exc
        if args.json:
            print_json(changed.to_json())
            return 0
        show(args, [changed])
        return skipped_records(lib)

    return handler


def show(args: argparse.Namespace, speakers: Sequence[SpeakerSummary]) -> None:
    if args.json:
        print_json([s.to_json() for s in speakers])
        return
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
