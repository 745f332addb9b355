"""The command reference, docs/commands.md, written from the parser itself.

    python -m saidwho.cli.reference            # write docs/commands.md
    python -m saidwho.cli.reference --check    # exit 1 when it is stale (CI)

Usage lines are formatted at a fixed width, so the file does not depend on the terminal.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path

from saidwho.cli.ids import IdKind
from saidwho.cli.parser import (
    arguments,
    build_parser,
    group_options,
    repeatable,
    subcommands,
    walk,
)

WIDTH = 100  # of the usage lines
DEFAULT_PATH = Path("docs") / "commands.md"
SELF = "python -m saidwho.cli.reference"


class FixedWidth(argparse.HelpFormatter):
    def __init__(self, prog: str) -> None:
        super().__init__(prog, width=WIDTH)


def render() -> str:
    """The whole reference as Markdown."""
    parser = build_parser()
    helps = {(*path, name): help for path, p in walk(parser) for name, help, _ in subcommands(p)}
    parts = [
        "# Command reference\n",
        f"Written from the argparse parser by `{SELF}`: do not edit it by hand (CI runs "
        "it with `--check`). Every command also takes `-h`/`--help`. Exit status: 0 all went "
        "well, 1 some inputs failed, 2 usage; errors are one line each on stderr.\n",
    ]
    for path, p in walk(parser):
        p.formatter_class = FixedWidth
        parts.append(section(path, p, p.description or helps.get(path, "")))
    return "\n".join(parts)


def section(path: tuple[str, ...], parser: argparse.ArgumentParser, about: str) -> str:
    title = " ".join((parser.prog.split()[0], *path))
    lines = [f"## {title}\n"]
    if about:
        lines.append(f"{about}\n")
    lines += ["```", parser.format_usage().strip(), "```\n"]
    rows = list(argument_rows(parser))
    if rows:
        lines += ["| argument | |", "|---|---|", *rows, ""]
    commands = list(subcommands(parser))
    if commands:
        lines += ["| command | |", "|---|---|"]
        for name, help, _ in commands:
            lines.append(f"| [`{name}`](#{anchor(f'{title} {name}')}) | {cell(help)} |")
        lines.append("")
    return "\n".join(lines)


def argument_rows(parser: argparse.ArgumentParser) -> Iterator[str]:
    """One table row per argument, positional ones first (as in ``--help``)."""
    described = [(a, g) for a, g in arguments(parser) if a.help != argparse.SUPPRESS]
    described.sort(key=lambda pair: bool(pair[0].option_strings))
    seen_groups: list[object] = []
    for action, group in described:
        text = (action.help or "").replace("%%", "%")
        notes = []
        if isinstance(action.type, IdKind) and "prefix" not in text:
            notes.append(f"{action.type.article} {action.type.noun} id, or any unique prefix")
        if group is not None and group not in seen_groups:  # said once, on its first option
            seen_groups.append(group)
            names = ", ".join(f"`{option}`" for option in group_options(group))
            notes.append(f"{'exactly' if group.required else 'at most'} one of {names}")
        elif group is None and action.required and action.option_strings:
            notes.append("required")
        if repeatable(action):
            notes.append("repeatable")
        if shown_default(action) and "default" not in text:
            notes.append(f"default: `{action.default}`")
        if notes:
            text = f"{text} ({'; '.join(notes)})" if text else "; ".join(notes)
        yield f"| `{cell(invocation(action))}` | {cell(text)} |"


def shown_default(action: argparse.Action) -> bool:
    return bool(action.option_strings) and action.default not in (
        None,
        False,
        [],
        argparse.SUPPRESS,
    )


def invocation(action: argparse.Action) -> str:
    """How an argument is written: ``--format {text,json}``, ``NOTE_ID [NOTE_ID ...]``."""
    if action.nargs == 0:
        return ", ".join(action.option_strings)
    if action.metavar is not None:
        name = str(action.metavar)
    elif action.choices is not None:
        name = "{" + ",".join(str(c) for c in action.choices) + "}"
    else:
        name = action.dest.upper() if action.option_strings else action.dest
    value = {"?": f"[{name}]", "*": f"[{name} ...]", "+": f"{name} [{name} ...]"}.get(
        str(action.nargs), name
    )
    if not action.option_strings:
        return value
    return ", ".join(f"{option} {value}" for option in action.option_strings)


def cell(text: str) -> str:
    """Text for a Markdown table cell: one line, pipes escaped."""
    return " ".join(text.split()).replace("|", "\\|")


def anchor(title: str) -> str:
    """The anchor GitHub gives a heading of words and spaces."""
    return "-".join(title.lower().split())


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog=SELF, description="Write docs/commands.md.")
    parser.add_argument("--check", action="store_true", help="exit 1 if the file is stale")
    parser.add_argument(
        "-o", "--output", type=Path, default=DEFAULT_PATH, help=f"default: {DEFAULT_PATH}"
    )
    args = parser.parse_args(argv)
    text = render()
    path: Path = args.output
    try:
        current: str | None = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        current = None
    if args.check:
        if current != text:
            print(f"{path} is stale: run `{SELF}`", file=sys.stderr)
            return 1
        return 0
    if current != text:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
