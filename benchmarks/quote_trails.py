"""Quote trails on the 840 PolNeAR train articles: how many, how big, how often altered or
conflicting, how long the index takes to build and to catch up with one new article.

    python benchmarks/quote_trails.py [--corpus ../shared/eval/polnear/train] [--cache DIR]
                                      [--scale 150000] [--show 20]
    python benchmarks/quote_trails.py --library /tmp/copy/lib-1000,/tmp/copy/lib-100000
                                      [--runs 5] [--rebuild] [--trails-timeout 600]

``--library``: the index on disk at scale, on libraries built by ``build_library.py`` (it
WRITES to them: pass copies). For each, as whole ``saidwho`` processes with their peak RSS,
median of ``--runs``: ``trail QUOTE`` of a quote printed elsewhere (and ``--json``) and of
one printed once, ``trails`` (once, cut at ``--trails-timeout``); in this process, one
article saved and the index's share of that save; with ``--rebuild``, the index built from
nothing (a child process, its time and peak RSS).

The corpus is read where it lies (never copied): `saidwho ingest` fills a library under
``--cache`` once (a few minutes) and later runs reuse it. ``--scale`` also times the index
at that many quotes (the real ones plus synthetic ones made of the corpus's own words).

Hand check (20 trails, listed by ``--show 20``, i.e. every 7th of the trails list in its
order; verdicts for the run of 2026-12-02 on the library of that day, see VERDICTS): the
trail key, right or wrong, and why. The README carries the figures.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = ROOT.parent / "shared" / "eval" / "polnear" / "train"
DEFAULT_CACHE = Path(tempfile.gettempdir()) / "saidwho-trail-bench"

from saidwho.store import Library, trail_shards  # noqa: E402
from saidwho.store import trails as T  # noqa: E402

# trail key -> (right?, why). Right: every occurrence prints the same statement by the same
# person (trimmed or reworded), and the flags say what the texts show.
VERDICTS: dict[str, tuple[bool, str]] = {
    "d5d098082fad": (True, "Clinton, 'ISIS's best recruiter': one speech, trimmed and extended"),
    "b7a6bef587b5": (
        True,
        "Obama's 'Wow what a great idea' joke; conflicting rightly shows two "
        "articles crediting Hillary Clinton (an extraction error it exposes)",
    ),
    "e9c72a60ab2d": (
        False,
        "a book title in quotes ('Crippled America'), not a statement; the "
        "'conflict' is between two wrong speakers",
    ),
    "6dbd21ba821d": (True, "golf course owner, the same NYT story on two days"),
    "b7998e35b150": (True, "reported speech, the same NYT story on two days"),
    "3789e974d9aa": (True, "Trump on Israel, trimmed; 'Trump' and 'Donald Trump' no conflict"),
    "2e5d85e9230f": (True, "same words, same (wrongly extracted) speaker: a reprinted story"),
    "89f11bdb3059": (True, "Jamieson, the same story on two days"),
    "4efaa5423d20": (
        False,
        "'No boots on the ground' inside Bolton's quote is Bolton quoting "
        "Obama: an echo, and 'conflicting' misleads",
    ),
    "b5e7dbcb0054": (True, "Sanders' victory speech, trimmed; Sanders = Bernie Sanders"),
    "142d80d6cb3f": (True, "Tribe, the same story on two days"),
    "9268c701961b": (True, "scholars' reported view, the same story on two days"),
    "9274050c6a4d": (True, "Trump 'take out their families', a later partial quote"),
    "724ad4e78e53": (True, "the same reported sentence on two days (speaker is extraction's)"),
    "b58ae7c008e8": (
        False,
        "'a ban on Muslims entering the United States' is a description of "
        "a policy, not a statement; conflict from a wrong speaker",
    ),
    "45ff2ea79d0b": (True, "Wasserman, two USA Today stories the same day"),
    "15a543978370": (True, "Clinton partial quote, one trimmed"),
    "328c069e562d": (True, "'he knows how to do it' inside the longer partial: same remark"),
    "e54e64710814": (True, "Trump 'private hedge fund' inside a longer passage of the speech"),
    "bd1fdc4328c2": (True, "the same poll finding, 'Mrs' added: a near copy"),
}


def ingest(corpus: Path, library: Path) -> None:
    text = corpus / "text" if (corpus / "text").is_dir() else corpus
    print(f"ingesting {text} into {library} (once; later runs reuse it) ...", flush=True)
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "saidwho", "--db", str(library), "ingest", str(text)],
        check=False,
        stdout=subprocess.DEVNULL,
    )
    print(f"  ingest took {time.perf_counter() - started:.0f} s")


def timed(fn, repeat: int = 3) -> tuple[float, object]:
    best, result = float("inf"), None
    for _ in range(repeat):
        started = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - started)
    return best, result


def build_cold(root: Path) -> float:
    """Seconds to build the index on disk from nothing (a fresh Library: nothing cached)."""
    shutil.rmtree(root / trail_shards.INDEX_DIR, ignore_errors=True)
    started = time.perf_counter()
    trail_shards.ensure(Library(root).files)
    return time.perf_counter() - started


def whole_index(root: Path) -> T.QuoteIndex:
    """The whole index in memory (the reference), for the figures about links."""
    lib = Library(root)
    return T.build_from_bodies({a.id: lib.files.body(a.id) for a in lib.articles()})


def one_article_saves(lib: Library, runs: int) -> dict[str, float]:
    """Median seconds of saving one new article (an existing one under a new path with a new
    last line: its quotes stay where they were), and of the index's share of such a save
    (``trail_shards.saved`` of that article, under the lock), over ``runs`` articles."""
    from saidwho.readers.article import Article

    trail_shards.ensure(lib.files)
    ids = sorted(a.id for a in lib.articles())
    saves, index = [], []
    for i in range(runs):
        donor = ids[(len(ids) // 2 + 7919 * i) % len(ids)]
        article = lib.article(donor)
        new = Article(
            text=article.text + f"\nAn extra line makes this a new article ({time.time_ns()}).\n",
            title=article.title + " (updated)",
            source=article.source,
            date=article.date,
            path=(article.path or "x.txt") + f".{time.time_ns()}.txt",
            paragraphs=article.paragraphs,
        )
        quotes = [q.quote for q in lib.quotes(donor, named=False)]
        started = time.perf_counter()
        aid, status = lib.save_article(new, quotes)
        saves.append(time.perf_counter() - started)
        assert status == "added", status
        with lib.files.locked():
            started = time.perf_counter()
            trail_shards.saved(lib.files, [aid])
            index.append(time.perf_counter() - started)
    return {"save": statistics.median(saves), "index": statistics.median(index)}


def update_by_one(root: Path) -> dict[str, float]:
    """One article's save into a copy of the library, and the index's share of it."""
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "library"
        subprocess.run(["cp", "-r", str(root), str(copy)], check=True)
        return one_article_saves(Library(copy), 3)


def scale(index: T.QuoteIndex, total: int) -> dict[str, float]:
    """The in-memory index at ``total`` quotes: the real ones plus synthetic articles whose
    quotes are runs of 8-30 words drawn from the corpus's own vocabulary (Zipf-like, as real
    text is), 15 quotes an article."""
    rng = random.Random(13)
    vocab = [w for _, e in index.quotes.items() for w in e.norm.split()]
    big = T.QuoteIndex()
    started = time.perf_counter()
    by_article: dict[str, list[tuple[str, str, bool]]] = {}
    for qid, e in index.quotes.items():
        by_article.setdefault(e.article_id, []).append((qid, e.norm, e.quoted))
    for aid, items in by_article.items():
        big.add_article(aid, "real", items)
    n, a = len(big.quotes), 0
    while n < total:
        items = []
        for _ in range(15):
            words = " ".join(rng.choice(vocab) for _ in range(rng.randint(8, 30)))
            items.append((f"s{n}", words, True))
            n += 1
        big.add_article(f"synthetic{a}", "s", items)
        a += 1
    build = time.perf_counter() - started
    extra = [(f"x{i}", " ".join(rng.choice(vocab) for _ in range(20)), True) for i in range(15)]
    started = time.perf_counter()
    big.add_article("one-more", "x", extra)
    one = time.perf_counter() - started
    started = time.perf_counter()
    big.cores()
    cores = time.perf_counter() - started
    return {"quotes": len(big.quotes), "build": build, "one": one, "cores": cores}


def diff_text(occurrence: T.Occurrence) -> str:
    marks = {"same": "{}", "removed": "[-{}-]", "added": "{+{}+}"}
    return " ".join(marks[d.change].replace("{}", d.word, 1) for d in occurrence.diff)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--cache", type=Path, default=DEFAULT_CACHE)
    parser.add_argument("--scale", type=int, default=150_000)
    parser.add_argument("--show", type=int, default=0, help="print this many trails to check")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--library", help="comma-separated libraries (copies: written to)")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--rebuild", action="store_true", help="also time a build from nothing")
    parser.add_argument("--trails-timeout", type=float, default=600.0)
    args = parser.parse_args()
    if args.library:
        return at_scale([Path(p) for p in args.library.split(",")], args)

    root = args.cache / "library"
    if not (root / "catalog.json").exists() or Library(root).is_empty():
        ingest(args.corpus, root)
    lib = Library(root)
    files = {a.id: a.path or "" for a in lib.articles()}
    del lib

    build, _ = timed(lambda: build_cold(root))
    index = whole_index(root)
    listing, found = timed(lambda: T.trails(Library(root)), repeat=1)
    assert isinstance(found, list)
    one = found[0].occurrences[0].quote_id if found else next(iter(index.quotes))
    one_trail, _ = timed(lambda: T.trail(Library(root), one))
    update = update_by_one(root)
    scaled = scale(index, args.scale) if args.scale else {}

    sizes = [len(t.occurrences) for t in found]
    outlets = [len({Path(files.get(o.article_id, "")).name.split("_")[0] for o in t.occurrences})
               for t in found]  # fmt: skip
    relations = index.link_counts()
    figures = {
        "articles": len(files),
        "quotes": len(index.quotes),
        "links": dict(relations),
        "wordings": len(index.wordings),
        "trails": len(found),
        "occurrences_per_trail": {
            "mean": round(statistics.mean(sizes), 2) if sizes else 0,
            "max": max(sizes, default=0),
            "histogram": dict(sorted(Counter(sizes).items())),
        },
        "trails_across_outlets": sum(1 for n in outlets if n > 1),
        "altered": sum(t.altered for t in found),
        "conflicting": sum(t.conflicting for t in found),
        "paraphrased": sum(t.paraphrased for t in found),
        "seconds": {
            "build_index_cold": round(build, 2),
            "one_trail": round(one_trail, 3),
            "list_trails": round(listing, 2),
            "save_one_article": round(update["save"], 3),
            "index_share_of_the_save": round(update["index"], 3),
        },
        "scale": {k: round(v, 3) if isinstance(v, float) else v for k, v in scaled.items()},
        "index_bytes": sum(p.stat().st_size for p in (root / "trail-index").rglob("*.json")),
    }
    checked = [t for t in found if t.id in VERDICTS]
    figures["hand_checked"] = {
        "checked": len(checked),
        "right": sum(VERDICTS[t.id][0] for t in checked),
    }
    if args.json:
        print(json.dumps(figures, indent=2))
    else:
        for key, value in figures.items():
            print(f"{key}: {value}")
    if args.show:
        step = max(1, len(found) // args.show)
        for t in found[::step][: args.show]:
            verdict = VERDICTS.get(t.id)
            flags = ",".join(f for f in ("altered", "conflicting", "paraphrased") if getattr(t, f))
            print(f"\n== {t.id} {len(t.occurrences)} occ {flags or '-'} verdict={verdict}")
            for o in t.occurrences:
                name = Path(files.get(o.article_id, "")).name[:40]
                print(f"   {o.date} {name} | {o.speaker} | {o.quote_kind}"
                      f"{' ALTERED' if o.altered else ''}")  # fmt: skip
                print(f"      {diff_text(o)[:400]}")
    return 0


# ---------------------------------------------------------------------- at scale

BUILD = (
    "import shutil, sys, time\n"
    "from saidwho.store import Library, trail_shards\n"
    "root = sys.argv[1]\n"
    "shutil.rmtree(root + '/trail-index', ignore_errors=True)\n"
    "started = time.perf_counter()\n"
    "n = trail_shards.build_library(Library(root).files)\n"
    "print(f'{n} {time.perf_counter() - started:.1f}')\n"
    "for line in open('/proc/self/status'):\n"
    "    if line.startswith('VmHWM'): print(line.split()[1])\n"
)


def pick_quotes(root: Path) -> tuple[str, str | None]:
    """A quote of the middle article printed elsewhere too (else its first), and one
    printed nowhere else (None when every quote is)."""
    lib = Library(root)
    ids = sorted(a.id for a in lib.articles(named=False))
    for aid in ids[len(ids) // 2 :]:
        quotes = [q.id for q in lib.quotes(aid, named=False)]
        counts = T.trail_counts(lib, quotes)
        shared = [q for q in quotes if q in counts]
        alone = [q for q in quotes if q not in counts]
        if shared:
            return shared[0], alone[0] if alone else None
    return next(iter(lib.quotes(ids[0], named=False))).id, None


def at_scale(roots: list[Path], args: argparse.Namespace) -> int:
    from scale_actions import run

    rows: dict[str, dict[Path, str]] = {}

    def put(name: str, root: Path, value: str) -> None:
        rows.setdefault(name, {})[root] = value

    for root in roots:
        print(f"{root} (load average {os.getloadavg()[0]:.2f})", flush=True)
        if args.rebuild:
            done = subprocess.run(
                [sys.executable, "-c", BUILD, str(root)], capture_output=True, text=True, check=True
            )
            _, seconds, peak = done.stdout.split()
            put("build from nothing", root, f"{seconds} s, {int(peak) / 1024:.0f} MB")
        else:
            trail_shards.ensure(Library(root).files)
        size = sum(p.stat().st_size for p in (root / "trail-index").rglob("*.json"))
        put("index on disk", root, f"{size / 1e6:.1f} MB")
        shared, alone = pick_quotes(root)
        db = ["--db", str(root)]
        for name, argv in (
            ("trail QUOTE (printed elsewhere)", ["trail", shared]),
            ("trail QUOTE --json", ["trail", shared, "--json"]),
            ("trail QUOTE (printed once)", ["trail", alone] if alone else None),
        ):
            if argv is None:
                continue
            times, peaks = [], []
            for _ in range(args.runs):
                _, took, peak = run([*db, *argv])
                times.append(took)
                peaks.append(peak)
            put(name, root, f"{statistics.median(times):.2f} s, {max(peaks):.0f} MB")
        occurrences = len(T.trail(Library(root), shared).occurrences)
        put("occurrences of that trail", root, f"{occurrences:,}")
        try:
            _, took, peak = run_with_timeout([*db, "trails"], args.trails_timeout)
            put("trails", root, f"{took:.2f} s, {peak:.0f} MB")
        except subprocess.TimeoutExpired:
            put("trails", root, f"> {args.trails_timeout:.0f} s (cut)")
        saves = one_article_saves(Library(root), args.runs)
        put("save one article (in process)", root, f"{saves['save'] * 1000:.0f} ms")
        put("  the index's share of it", root, f"{saves['index'] * 1000:.0f} ms")
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"\nmedian of {args.runs} runs; load average {load}")
    width = max(len(n) for n in rows) + 2
    print(" " * width + "".join(f"{r.name:>24}" for r in roots))
    for name, values in rows.items():
        print(f"{name:{width}}" + "".join(f"{values.get(r, '-'):>24}" for r in roots))
    return 0


def run_with_timeout(args: list[str], timeout: float) -> tuple[float, float, float]:
    """``scale_actions.run`` with a limit (the whole library's trails may take minutes)."""
    from scale_actions import WRAP

    started = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-c", WRAP, *args], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    try:
        _, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.communicate()
        raise
    took = time.perf_counter() - started
    peak = int(err.rsplit(b"VmHWM ", 1)[1]) / 1024
    return 0.0, took, peak


if __name__ == "__main__":
    sys.exit(main())
