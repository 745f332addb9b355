"""`saidwho eval`: score attribution on a brat-standoff corpus."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from saidwho.cli import common
from saidwho.cli.common import InputError, Parents, print_json


def register(sub: Any, parents: Parents) -> None:
    p = sub.add_parser(
        "eval", help="score attribution on a brat-standoff corpus", parents=parents.json()
    )
    p.add_argument("corpus", metavar="CORPUS_DIR")
    p.add_argument("--workers", type=int, default=1, metavar="N")
    # spelled out here, not imported: building the parser must not load spaCy
    p.add_argument("--sample", type=int, default=None, metavar="N", help="a random N texts")
    p.add_argument("--seed", type=int, default=0, metavar="S", help="the sample's seed")
    p.add_argument("--pieces", action="store_true", help="each segment/fragment is an item")
    p.add_argument(
        "--act",
        choices=("speech", "thought", "evidence", "other"),
        default=None,
        help="score this act only (speech: every item not thought or evidence shown under "
        "a speaker)",
    )
    p.add_argument(
        "--errors",
        type=Path,
        default=None,
        metavar="FILE",
        help="write every prediction that is not right to FILE (JSON Lines)",
    )
    p.set_defaults(handler=cmd_eval)


def cmd_eval(args: argparse.Namespace) -> int:
    from saidwho.evaluation import evaluate_with_view

    corpus = Path(args.corpus)
    if not (corpus / "text").is_dir():
        raise InputError(str(corpus), "not a corpus directory (expected text/ and attributions/)")
    nlp = common.load_nlp(args)
    report = evaluate_with_view(corpus, nlp, args, n_process=args.workers)
    if args.json:
        print_json(report.to_json())
    else:
        print(report.format_table())
    return 0
