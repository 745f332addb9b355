"""Parse time of text cut into many short lines against the same text as prose.

    python benchmarks/line_breaks.py [--chars 2000000] [--line 50] [--model NAME]

Sentence starts after line breaks are set in one pass (``saidwho_paragraphs``); setting them
token by token re-scanned the Doc each time, which made 40,000 short lines quadratic.
Target: the lined text parses (and extracts) within 2x of the prose. Also shows that a text
of many quoted cells yields at most ``MAX_CANDIDATES`` quotes.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from saidwho.attribution import MAX_CANDIDATES, extract_quotes, load_pipeline

SEED = Path(__file__).resolve().parent.parent / "seeds"


def prose(chars: int) -> str:
    base = " ".join(
        p.read_text(encoding="utf-8").replace("\n", " ") for p in sorted(SEED.glob("*.txt"))
    )
    text = (base + " ") * (chars // max(1, len(base)) + 1)
    return text[:chars]


def lined(text: str, width: int) -> str:
    """The same characters with a line break for a space every ``width`` characters."""
    out = list(text)
    k = width
    while k < len(out):
        while k < len(out) and out[k] != " ":
            k += 1
        if k < len(out):
            out[k] = "\n"
        k += width
    return "".join(out)


def timed(nlp, text: str) -> tuple[float, float, int]:
    t0 = time.perf_counter()
    doc = nlp(text)
    t1 = time.perf_counter()
    quotes = extract_quotes(doc)
    return t1 - t0, time.perf_counter() - t1, len(quotes)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chars", type=int, default=2_000_000)
    parser.add_argument("--line", type=int, default=50)
    parser.add_argument("--model", default=None)
    args = parser.parse_args(argv)
    nlp = load_pipeline(args.model)
    nlp.max_length = max(nlp.max_length, args.chars + 1)
    text = prose(args.chars)
    lines = lined(text, args.line)
    nlp("warm up")
    p_parse, p_extract, p_quotes = timed(nlp, text)
    l_parse, l_extract, l_quotes = timed(nlp, lines)
    ratio = (l_parse + l_extract) / (p_parse + p_extract)
    print(f"prose: {len(text)} chars, parse {p_parse:.1f}s, extract {p_extract:.1f}s, "
          f"{p_quotes} quotes")  # fmt: skip
    print(f"lines: {lines.count(chr(10)) + 1} lines, parse {l_parse:.1f}s, "
          f"extract {l_extract:.1f}s, {l_quotes} quotes")  # fmt: skip
    print(f"lines/prose: {ratio:.2f}x (target <= 2x)")
    cells = "\n".join(f"“cell {i}”" for i in range(min(40_000, args.chars // 12)))
    _, _, n = timed(nlp, cells)
    print(f"{cells.count(chr(10)) + 1} quoted cells: {n} quotes (cap {MAX_CANDIDATES})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
