"""What every command shares: errors and exit codes, the library and the pipeline, output.

Exit status: 0 all went well, 1 some inputs failed, 2 usage. Errors are one line each on
stderr, ``saidwho: <input>: <reason>``; ``--json`` prints JSON and nothing else on stdout.
Heavy modules (spaCy, the store, Textual) are imported inside the functions that need them,
so that ``saidwho --help`` stays fast.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

from saidwho.core import settings
from saidwho.core.safe_text import dumps, escaped, inert_line
from saidwho.core.text import clip

if TYPE_CHECKING:
    from spacy.language import Language

    from saidwho.store import Library

PROG = "saidwho"

# A command's handler: the parsed arguments in, the exit status out.
Handler = Callable[[argparse.Namespace], int]


class UsageError(Exception):
    """Bad arguments: exit 2."""


class InputError(Exception):
    """A named input failed (unknown id, unreadable library): exit 1."""

    def __init__(self, subject: str, reason: str) -> None:
        super().__init__(f"{subject}: {reason}")


def error_line(subject: str, reason: str) -> None:
    print(f"{PROG}: {escaped(subject)}: {escaped(reason)}", file=sys.stderr)


class Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        # one line instead of argparse's usage block
        print(f"{PROG}: usage: {escaped(message)} (see '{self.prog} --help')", file=sys.stderr)
        raise SystemExit(2)


class Parents:
    """The parent parsers (argparse ``parents=[...]``) of one parser tree: the options
    several commands share are declared here once. ``--json`` says what it prints where a
    command says more than the flag itself, so there is one parent per distinct help text."""

    def __init__(self) -> None:
        self._json: dict[str | None, argparse.ArgumentParser] = {}

    def json(self, help: str | None = None) -> list[argparse.ArgumentParser]:
        if help not in self._json:
            parent = argparse.ArgumentParser(add_help=False)
            parent.add_argument("--json", action="store_true", help=help)
            self._json[help] = parent
        return [self._json[help]]


def probability(value: str) -> float:
    """``--min-confidence P``: a probability in [0, 1]."""
    try:
        p = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {value!r}") from None
    if not 0.0 <= p <= 1.0:
        raise argparse.ArgumentTypeError(f"{value} is not between 0 and 1")
    return p


def add_min_confidence(p: argparse.ArgumentParser, what: str) -> None:
    p.add_argument(
        "--min-confidence",
        type=probability,
        default=0.0,
        metavar="P",
        help=f"{what} only quotes whose confidence (the probability that the words and the "
        "speaker are right) is at least P",
    )


def needs_action(command: str, actions: str) -> Handler:
    """The handler of a command group called without its action."""

    def handler(args: argparse.Namespace) -> int:
        raise UsageError(f"{command} needs an action: {actions}")

    return handler


# ---------------------------------------------------------------- the library


def library_dir(args: argparse.Namespace) -> Path:
    from saidwho.store import default_library_dir

    return Path(args.db).expanduser() if args.db else default_library_dir()


def damaged_reason(reason: str) -> str:
    return (
        f"damaged ({reason}); left untouched: `saidwho doctor --repair` restores the last good copy"
    )


def report_library_error(exc: Exception, library: Path | None = None) -> None:
    """One line for a LibraryError: a damaged file is named itself, not the library."""
    from saidwho.store import CorruptFileError

    if isinstance(exc, CorruptFileError):
        error_line(str(exc.path), damaged_reason(exc.reason))
    else:
        error_line(str(library) if library is not None else "library", str(exc))


def skipped_records(lib: Library, code: int = 0) -> int:
    """One line per record skipped for its shape; exit 1 if there was any."""
    errors = lib.record_errors
    for error in errors:
        error_line(
            str(error.path),
            f"record {error.table}/{error.key} skipped ({error.reason}); "
            "`saidwho doctor --repair` moves it aside",
        )
    return 1 if errors else code


def open_library(args: argparse.Namespace) -> Library:
    from saidwho.store import CorruptFileError, Library, LibraryError

    path = library_dir(args)
    try:
        return Library(path)
    except CorruptFileError as exc:  # name the damaged file itself, not the library folder
        raise InputError(str(exc.path), damaged_reason(exc.reason)) from exc
    except LibraryError as exc:
        raise InputError(str(path), str(exc)) from exc
    except OSError as exc:
        raise InputError(str(path), exc.strerror or str(exc)) from exc


# ---------------------------------------------------------------- the pipeline


def model_name(args: argparse.Namespace) -> str | None:
    return args.model or settings.model()


def load_nlp(args: argparse.Namespace) -> Language:
    """The one place a command loads spaCy (tests replace it with a shared pipeline)."""
    from saidwho.attribution import ModelNotFoundError, load_pipeline

    try:
        return load_pipeline(model_name(args))
    except ModelNotFoundError as exc:
        raise InputError("model", str(exc)) from exc


def resolved_model(args: argparse.Namespace) -> str:
    """The pipeline's name, checked to be installed, without loading it."""
    from saidwho.attribution import ModelNotFoundError, resolve_model_name

    try:
        return resolve_model_name(model_name(args))
    except ModelNotFoundError as exc:
        raise InputError("model", str(exc)) from exc


def workers_arg(value: str) -> int:
    from saidwho.extract_stream import resolve_workers

    try:
        return resolve_workers(value)
    except ValueError:
        raise UsageError(
            f"--workers must be a count of at least 1 or 'auto', got {value!r}"
        ) from None


def pipeline_for(args: argparse.Namespace, workers: int) -> Language | str:
    """One worker: the pipeline, loaded here. More: its name, loaded by each worker process
    (the parent never parses, so it does not load a model it would only ship)."""
    if workers == 1:
        return load_nlp(args)
    return resolved_model(args)


# ---------------------------------------------------------------- output


def print_json(data: Any) -> None:
    # one write (json.dump writes each token separately: ~1 s at 10,000 articles); C1
    # controls (U+009B is a CSI) and bidi overrides escaped: JSON often ends on a terminal
    sys.stdout.write(dumps(data, indent=2) + "\n")


def one_line(text: str | None, width: int) -> str:
    # same length as the text (cut to the width below): controls become visible symbols
    return clip(inert_line(text or ""), width)


def print_rows(rows: Sequence[Sequence[object]], headers: Sequence[str]) -> None:
    table = [[str(h) for h in headers]] + [
        ["" if c is None else inert_line(str(c)) for c in r] for r in rows
    ]
    widths = [max(len(r[i]) for r in table) for i in range(len(headers))]
    for r in table:
        print("  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip())
