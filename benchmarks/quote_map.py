"""The quote map (store/quote_map.py) on a built library, in one process: building it from
the article files (what the first quote look-up in a library written before the map does),
then look-ups of a whole quote id, a two-digit and a one-digit prefix.

The map is derived data: this script moves the library's ``quote-map/`` aside to
``quote-map.bench-<time>`` (kept) and builds it again. Run it on a copy of a library.

    python benchmarks/quote_map.py /tmp/saidwho-scale/lib-10000
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import time
from pathlib import Path


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("library", type=Path)
    args = parser.parse_args()
    from saidwho.store import Library
    from saidwho.store.quote_map import map_dir

    root: Path = args.library
    folder = map_dir(root)
    if folder.exists():
        folder.rename(folder.with_name(f"{folder.name}.bench-{time.time_ns()}"))
    body = next((root / "articles").glob("*/*.json"))
    quote_id = next(iter(json.loads(body.read_bytes())["quotes"].values()))["id"]
    print(f"load average {', '.join(f'{x:.2f}' for x in os.getloadavg())}")

    started = time.perf_counter()
    lib = Library(root)
    found = lib.quote_ids_starting(quote_id)
    took = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    buckets = sum(1 for p in folder.glob("*.json") if p.name != "index.json")
    size = sum(p.stat().st_size for p in folder.glob("*.json")) / 1e6
    print(f"build from the article files: {took:.1f} s, peak RSS {peak:.0f} MB")
    print(f"  {buckets} buckets, {size:.1f} MB; {quote_id} is in {found[0][1]}")
    for label, prefix in (
        ("whole id", quote_id),
        ("2 digits", quote_id[:2]),
        ("1 digit", quote_id[:1]),
    ):
        fresh = Library(root)
        started = time.perf_counter()
        matches = fresh.quote_ids_starting(prefix)
        took = time.perf_counter() - started
        print(f"look-up, {label} ({prefix}): {took * 1000:.1f} ms, {len(matches)} match")
    # one article's save: 15 new quote ids in 15 buckets, then gone again (a re-ingest)
    qmap = Library(root).files.quote_map
    ids = frozenset(f"{i:02x}" + "0bench" + f"{i:04x}" for i in range(0, 255, 17))
    article = "0" * 15 + "b"
    started = time.perf_counter()
    qmap.update({article: (frozenset(), ids)})
    added = time.perf_counter() - started
    started = time.perf_counter()
    qmap.update({article: (ids, frozenset())})
    removed = time.perf_counter() - started
    print(
        f"one article's save, {len(ids)} quote ids in as many buckets: "
        f"{added * 1000:.0f} ms added, {removed * 1000:.0f} ms removed (fsync included)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
