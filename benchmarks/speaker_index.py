"""How long the speaker identities take to catch up with one ingested article, in a big
library (issue #14: "the quote-trail and speaker indexes updated by one ingested article in
<= 100 ms"; trails are measured by ``quote_trails.py``).

Copies a library built by ``build_library.py`` (default: ``tui_scale.py``'s 10,000 articles
in /tmp/saidwho-scale, built if missing) to a temporary folder, optionally stores a few
reviewer decisions (merges), then, for each round, ingests one new article through the
store's batched save (``save_articles``: a varied copy of a spaCy-ingested original; every
other round one whose speakers the library has never seen) and times:

- save: ``save_articles`` (the store's part: the catalog is rewritten and fsynced)
- update: the first ``identities()`` after it, in the writing process (the figure the
  target is about)
- other process: a second ``Library`` handle's ``identities()`` after the write: it re-reads
  the catalog (its own parse, not the index) and then updates
- and, once: the full build (``Library`` opened fresh, first ``identities()``), as the
  reader pays it at start

Each round checks that the updated identities equal a full build on the same library.
Report the machine's load with the figures.

    python benchmarks/speaker_index.py [--library DIR] [--rounds 8] [--decisions 3]
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from build_library import build, ingest_base, originals, variant  # noqa: E402

from saidwho.core.quote import Quote  # noqa: E402
from saidwho.readers.article import Article  # noqa: E402
from saidwho.store import Library  # noqa: E402
from saidwho.store.identities import Identities  # noqa: E402
from saidwho.store.speakers import identity_inputs  # noqa: E402

NEW_SPEAKERS = ["Nadia Brennan", "Brennan", "Tomasz Wilk", "Wilk", "Harbour Authority"]


def library_dir(path: Path | None, base_dir: Path) -> Path:
    if path is not None:
        return path
    path = Path("/tmp/saidwho-scale/lib-10000")
    if not (path / "catalog.json").exists():
        path.mkdir(parents=True, exist_ok=True)
        build(path, 10_000, originals(ingest_base(base_dir)))
    return path


def snapshot(identities: Identities, lib: Library) -> tuple[object, ...]:
    """What a reader sees of the identities: summaries, problems, every name's identity."""
    names = {(a.id, name): identities.of(a.id, name) for a in lib.articles() for name in a.speakers}
    return tuple(identities.summaries), tuple(identities.problems), names


def full_build(lib: Library) -> Identities:
    return Identities(identity_inputs(lib.files), lib.speaker_decisions())


def renamed(quotes: list[Quote], n: int) -> list[Quote]:
    """The quotes with speakers the library has never had."""
    names = {}
    out = []
    for quote in quotes:
        if quote.speaker is None:
            out.append(quote)
            continue
        new = names.setdefault(quote.speaker, NEW_SPEAKERS[len(names) % len(NEW_SPEAKERS)])
        out.append(dataclasses.replace(quote, speaker=f"{new} {n}" if " " in new else new))
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--library", type=Path, default=None)
    parser.add_argument("--base", type=Path, default=Path("/tmp/saidwho-scale/base"))
    parser.add_argument("--rounds", type=int, default=8)
    parser.add_argument("--decisions", type=int, default=3, help="reviewer merges stored first")
    args = parser.parse_args()
    source = library_dir(args.library, args.base)
    base = originals(ingest_base(args.base))
    rng = random.Random(7)
    print(f"load average {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f}", flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "library"
        shutil.copytree(source, root, ignore=shutil.ignore_patterns("trails.json*"))
        started = time.perf_counter()
        lib = Library(root)
        lib.identities()
        print(f"open + first identities (full build): {time.perf_counter() - started:.2f} s")
        count = len(lib.articles())
        speakers = [s.speaker for s in lib.speakers() if s.kind == "person"]
        for i in range(args.decisions):  # merges of people who are not one: it is a benchmark
            a, b = speakers[2 * i], speakers[2 * i + 1]
            lib.merge_speakers([a, b], into=f"{a} (merged)")
        started = time.perf_counter()
        full = full_build(lib)
        build_s = time.perf_counter() - started
        print(
            f"{count:,} articles, {len(full.summaries):,} identities, "
            f"{args.decisions} decisions; a full build takes {build_s:.2f} s"
        )
        other = Library(root)
        other.identities()
        saves, updates, others = [], [], []
        for n in range(args.rounds):
            article, quotes = base[rng.randrange(len(base))]
            new: Article = variant(count + 1 + n, article, rng)
            if n % 2:
                quotes = renamed(quotes, n)
            started = time.perf_counter()
            lib.save_articles([(new, quotes)])
            saves.append(time.perf_counter() - started)
            started = time.perf_counter()
            updated = lib.identities()
            updates.append(time.perf_counter() - started)
            started = time.perf_counter()
            other.identities()
            others.append(time.perf_counter() - started)
            assert snapshot(updated, lib) == snapshot(full_build(lib), lib), "update != build"
            print(
                f"round {n}: save {1000 * saves[-1]:.0f} ms, identities update "
                f"{1000 * updates[-1]:.0f} ms, other process {1000 * others[-1]:.0f} ms",
                flush=True,
            )

    def median(values: list[float]) -> str:
        return f"{1000 * statistics.median(values):.0f} ms"

    print(
        f"\nmedian of {args.rounds}: save_articles (one article) {median(saves)}; "
        f"identities updated {median(updates)} (target <= 100 ms); "
        f"another process's identities (re-reads the catalog) {median(others)}"
    )
    print(f"load average {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
