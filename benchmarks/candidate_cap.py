"""The per-article cap on candidates at full size: a page that is one long table of quoted
cells yields at most ``MAX_CANDIDATES`` (5,000) quotes, in bounded time.

    python benchmarks/candidate_cap.py [--extra 50] [--model NAME]

The unit test (tests/test_attribution_knowledge.py) checks the same path with a small cap;
this runs the default one and prints parse and extraction times (exit 1 if over the cap).
"""

from __future__ import annotations

import argparse
import time

from saidwho.attribution import MAX_CANDIDATES, extract_quotes, load_pipeline


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--extra", type=int, default=50, help="cells beyond the cap")
    parser.add_argument("--model", default=None)
    args = parser.parse_args(argv)
    nlp = load_pipeline(args.model)
    cells = " ".join(f"“{i}”" for i in range(MAX_CANDIDATES + args.extra))
    if len(cells) >= nlp.max_length:
        raise SystemExit(f"{len(cells)} chars is over the pipeline's max_length")
    nlp("warm up")
    t0 = time.perf_counter()
    doc = nlp(cells)
    t1 = time.perf_counter()
    quotes = extract_quotes(doc)
    t2 = time.perf_counter()
    print(f"{MAX_CANDIDATES + args.extra} quoted cells ({len(cells)} chars): "
          f"parse {t1 - t0:.1f}s, extract {t2 - t1:.1f}s, "
          f"{len(quotes)} quotes (cap {MAX_CANDIDATES})")  # fmt: skip
    if len(quotes) > MAX_CANDIDATES:
        print("OVER THE CAP")
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
