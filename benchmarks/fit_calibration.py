"""Fit ``attribution/data/calibration.json``: the share of items right per feature cell.

    python benchmarks/fit_calibration.py ../shared/eval/ggt/dev tests/fixtures/pieces [--write]

Each corpus is scored the way it is annotated: pieces (every quoted piece its own item),
speech only (every item shown under a speaker). An item is right when it matches a gold
item (30% cover) and, where the gold names a source, names the right speaker; quoted words
shown with nobody's name are judged too (their confidence says how often they are a quote).
Fit only on data we may fit on (GGT dev is MIT; our fixtures are ours); PolNeAR is for
measuring only.

Each cell is smoothed toward its coarser parent (an m-estimate with weight M), so a cell
seen a few times stays near what its kind and speaker say; the table keeps every level.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from pathlib import Path

from saidwho.attribution import Quote, explain_quotes, load_pipeline
from saidwho.attribution.calibration import NOT_SPEECH, Features
from saidwho.evaluation import judge, keeps, load_corpus, predicted_pieces, select

M = 8.0  # smoothing weight (pseudo-items) toward the parent cell
OUT = Path(__file__).resolve().parent.parent / "attribution" / "data" / "calibration.json"


def judged_features(corpus_dir: Path, nlp) -> list[tuple[Features, bool]]:
    corpus = load_corpus(corpus_dir)
    # a corpus that marks acts (our fixtures) judges thoughts and evidence too, each against
    # the gold of its act; one that does not (GGT: speech only) says nothing about them
    marked = any(item.act for doc in corpus for item in doc.items)
    acts = ("speech", *sorted(NOT_SPEECH)) if marked else ("speech",)
    out: list[tuple[Features, bool]] = []
    for doc, parsed in zip(corpus, nlp.pipe(d.text for d in corpus), strict=True):
        explained = explain_quotes(parsed)
        for act in acts:
            pieces, feats = [], []
            for quote, features in explained:
                if not _in_view(act, quote):
                    continue
                for piece in predicted_pieces(quote):
                    pieces.append(piece)
                    feats.append(features)
            order = sorted(range(len(pieces)), key=lambda i: (pieces[i].start, pieces[i].end))
            (gold,), _ = select([doc], [[]], pieces=True, act=act)
            judged = judge([gold], [[pieces[i] for i in order]], 0.3)
            out.extend((feats[i], j.right) for i, j in zip(order, judged, strict=True))
    return out


def _in_view(act: str, quote: Quote) -> bool:
    """Speech: every item a reader takes for speech, and quoted words under nobody's name
    (their confidence says how often they are a quote); a thought or evidence: under a
    speaker."""
    if act == "speech":
        return keeps("speech", quote) or quote.speaker is None
    return quote.act == act and quote.speaker is not None


def fit(rows: list[tuple[Features, bool]]) -> dict[str, object]:
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for f, right in rows:
        for key in f.cells():
            counts[key][0] += 1
            counts[key][1] += right
    total = len(rows)
    prior = sum(r for _, r in rows) / total if total else 0.8
    cells: dict[str, float] = {}
    # coarse to fine: each level smoothed toward the one above it
    for level in range(3, -1, -1):
        for key, (n, r) in counts.items():
            if key.count("|") != 3 - level:
                continue
            parent = cells.get(key.rsplit("|", 1)[0], prior) if "|" in key else prior
            cells[key] = round((r + M * parent) / (n + M), 3)
    _below_cued(cells)
    return {
        "prior": round(prior, 3),
        "smoothing": M,
        "fitted_on": [],
        "items": total,
        "counts": {k: v for k, v in sorted(counts.items())},
        "cells": dict(sorted(cells.items())),
    }


def _below_cued(cells: dict[str, float]) -> None:
    """A speaker carried over from the quote before or guessed from the paragraph is never
    surer than one named beside a plain cue ("said") in the same kind of item: the fitting
    data hold a few dozen such items, all right by chance more often than cued ones can be."""
    for key in list(cells):
        kind, who, _cue, how = (key.split("|") + ["", "", ""])[:4]
        cued = cells.get(f"{kind}|{who}|core|own")
        if how in ("carried", "guessed") and cued is not None and cells[key] >= cued:
            cells[key] = round(cued - 0.01, 3)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpora", nargs="+", type=Path)
    parser.add_argument("--write", action="store_true", help=f"write {OUT}")
    args = parser.parse_args(argv)
    nlp = load_pipeline(None)
    rows: list[tuple[Features, bool]] = []
    for corpus in args.corpora:
        got = judged_features(corpus, nlp)
        print(f"{corpus}: {len(got)} items, {sum(r for _, r in got)} right", file=sys.stderr)
        rows.extend(got)
    table = fit(rows)
    table["fitted_on"] = [c.name if c.name != "dev" else str(c.parent.name) for c in args.corpora]
    for key, p in table["cells"].items():  # type: ignore[union-attr]
        n, r = table["counts"][key]  # type: ignore[index]
        print(f"{key:<36} {n:5d} {r:5d}  {p:.3f}")
    if args.write:
        OUT.write_text(json.dumps(table, indent=1) + "\n", encoding="utf-8")
        print(f"wrote {OUT}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
