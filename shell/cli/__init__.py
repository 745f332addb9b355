"""The `saidwho` command line. Exit status: 0 all went well, 1 some inputs failed, 2 usage.

Errors are one line each on stderr, ``saidwho: <input>: <reason>``; ``--json`` prints JSON
and nothing else on stdout. One module per command group registers its parsers next to its
handlers (``parser.py`` puts them together); ``common.py`` holds what they share and
``ids.py`` the one id resolver; ``reference.py`` writes docs/commands.md from the parser.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence

from saidwho.cli import common
from saidwho.cli.common import PROG, InputError, UsageError, error_line, library_dir
from saidwho.cli.parser import build_parser
from saidwho.core.safe_text import escaped

__all__ = ["build_parser", "common", "main"]


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.handler(args))
    except UsageError as exc:
        print(f"{PROG}: usage: {escaped(str(exc))}", file=sys.stderr)
        return 2
    except InputError as exc:
        print(f"{PROG}: {escaped(str(exc))}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(f"{PROG}: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # `saidwho list | head`: the reader went away; not an error worth a traceback
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except Exception as exc:
        # the last line of defence for "never a traceback": a library that turned read-only
        # or a full disk midway is still one line naming what failed
        from saidwho.store import LibraryError

        if isinstance(exc, LibraryError):
            common.report_library_error(exc, library_dir(args))
            return 1
        if isinstance(exc, OSError):
            subject = str(exc.filename) if exc.filename is not None else str(library_dir(args))
            error_line(subject, exc.strerror or str(exc))
            return 1
        raise
