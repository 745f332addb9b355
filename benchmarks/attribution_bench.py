"""Quote extraction: saidwho vs textacy's ``direct_quotations`` on a brat corpus.

    python benchmarks/attribution_bench.py [CORPUS_DIR] [--model NAME] [--json]

Both extractors run on the same parsed Docs (one ``nlp.pipe`` pass) and are scored by
``saidwho.evaluation``. Also prints the bare parse time against extraction time (the
target: extraction adds at most 10%) and times ``n_process=2``.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = ROOT.parent / "shared" / "eval" / "polnear" / "dev"

from saidwho.attribution import Quote, extract_quotes, load_pipeline  # noqa: E402
from saidwho.evaluation import evaluate, format_table, load_corpus  # noqa: E402


def textacy_quotes(doc: Any) -> list[Quote]:
    """textacy 0.13 ``direct_quotations`` as Quotes (content span without the marks)."""
    from textacy.extract.triples import direct_quotations

    out: list[Quote] = []
    try:
        triples = list(direct_quotations(doc))
    except Exception:  # textacy raises on some inputs; count that as no quotes
        return out
    for t in triples:
        start, end = t.content.start_char, t.content.end_char
        text = doc.text
        if end - start >= 2 and not text[start].isalnum() and not text[end - 1].isalnum():
            start, end = start + 1, end - 1
        speaker = t.speaker
        cue = t.cue
        sent = t.content.sent
        out.append(
            Quote(
                kind="direct",
                start=start,
                end=end,
                sentence_start=min(sent.start_char, start),
                sentence_end=max(sent.end_char, end),
                confidence=0.5,
                speaker=" ".join(tok.text for tok in speaker) or None,
                speaker_start=speaker[0].idx if speaker else None,
                speaker_end=speaker[-1].idx + len(speaker[-1]) if speaker else None,
                cue=" ".join(tok.text for tok in cue) or None,
                cue_start=cue[0].idx if cue else None,
                cue_end=cue[-1].idx + len(cue[-1]) if cue else None,
            )
        )
    return sorted(out, key=lambda q: q.start)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus_dir", nargs="?", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--model", default=None)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--skip-multiprocess", action="store_true")
    args = parser.parse_args(argv)

    nlp = load_pipeline(args.model)
    texts = [d.text for d in load_corpus(args.corpus_dir)]
    nlp("warm up")
    t0 = time.perf_counter()
    docs = list(nlp.pipe(texts, batch_size=16))
    parse = time.perf_counter() - t0

    ours = evaluate(args.corpus_dir, nlp, extract_quotes, docs=docs, name="saidwho")
    theirs = evaluate(args.corpus_dir, nlp, textacy_quotes, docs=docs, name="textacy")
    ours.parse_seconds = theirs.parse_seconds = round(parse, 3)

    t0 = time.perf_counter()
    for doc in docs:
        extract_quotes(doc)
    extract = time.perf_counter() - t0

    timing: dict[str, float] = {
        "docs": len(docs),
        "chars": sum(len(t) for t in texts),
        "parse_seconds": round(parse, 3),
        "extract_seconds": round(extract, 3),
        "overhead_ratio": round(extract / parse, 4) if parse else 0.0,
    }
    if not args.skip_multiprocess:
        t0 = time.perf_counter()
        for doc in nlp.pipe(texts, batch_size=16, n_process=2):
            extract_quotes(doc)
        timing["parse_extract_n_process_2_seconds"] = round(time.perf_counter() - t0, 3)
        timing["parse_extract_n_process_1_seconds"] = round(parse + extract, 3)

    if args.json:
        print(json.dumps({"saidwho": ours.to_json(), "textacy": theirs.to_json(),
                          "timing": timing}, indent=2))  # fmt: skip
        return 0
    print(format_table([ours, theirs]))
    print()
    print(
        f"bare nlp.pipe: {timing['parse_seconds']:.2f}s for {timing['docs']} docs "
        f"({timing['chars']} chars); extraction: {timing['extract_seconds']:.2f}s; "
        f"overhead {100 * timing['overhead_ratio']:.1f}% (target <= 10%)"
    )
    if "parse_extract_n_process_2_seconds" in timing:
        print(
            f"parse+extract n_process=1: {timing['parse_extract_n_process_1_seconds']:.2f}s, "
            f"n_process=2: {timing['parse_extract_n_process_2_seconds']:.2f}s"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
