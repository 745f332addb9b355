"""Quote trails on the 840 PolNeAR train articles: how many, how big, how often altered or
conflicting, how long the index takes to build and to catch up with one new article.

    python benchmarks/quote_trails.py [--corpus ../shared/eval/polnear/train] [--cache DIR]
                                      [--scale 150000] [--show 20]

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

from saidwho.store import Library  # noqa: E402
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


def build_cold(root: Path) -> T.QuoteIndex:
    (root / T.INDEX_FILE).unlink(missing_ok=True)
    return T.quote_index(Library(root))  # a fresh Library: nothing cached in this process


def update_by_one(root: Path, files: dict[str, str]) -> dict[str, float]:
    """Copy the library, add one article there (an existing one under a new path with a new
    last line: its quotes stay where they were), time the index catching up."""
    from saidwho.readers.article import Article

    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "library"
        subprocess.run(["cp", "-r", str(root), str(copy)], check=True)
        lib = Library(copy)
        warm = T.quote_index(lib)  # postings not built yet: updates build them once
        started = time.perf_counter()
        warm._ensure_postings()
        postings = time.perf_counter() - started
        donor = sorted(files)[len(files) // 2]
        article = lib.article(donor)
        quotes = lib.quotes(donor)
        new = Article(
            text=article.text + "\nAn extra line makes this a new article.\n",
            title=article.title + " (updated)",
            source=article.source,
            date=article.date,
            path=(article.path or "x.txt") + ".copy.txt",
            paragraphs=article.paragraphs,
        )
        lib.save_article(new, quotes)
        started = time.perf_counter()
        T.quote_index(lib)
        warm_update = time.perf_counter() - started
        # the same in a new process: read trails.json, build the postings, add the article
        new2 = Article(
            text=new.text + "One more.\n",
            title=new.title,
            source=new.source,
            date=new.date,
            path=(new.path or "") + ".2.txt",
            paragraphs=new.paragraphs,
        )
        lib.save_article(new2, quotes)
        started = time.perf_counter()
        T.quote_index(Library(copy))
        cold_update = time.perf_counter() - started
    return {"postings": postings, "warm": warm_update, "cold": cold_update}


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
    args = parser.parse_args()

    root = args.cache / "library"
    if not (root / "catalog.json").exists() or Library(root).is_empty():
        ingest(args.corpus, root)
    lib = Library(root)
    files = {a.id: a.path or "" for a in lib.articles()}

    build, index = timed(lambda: build_cold(root))
    assert isinstance(index, T.QuoteIndex)
    load, _ = timed(lambda: T.read_index(root))
    listing, found = timed(lambda: T.trails(Library(root)), repeat=1)
    assert isinstance(found, list)
    update = update_by_one(root, files)
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
            "read_index": round(load, 3),
            "list_trails": round(listing, 2),
            "update_one_article_warm": round(update["warm"], 3),
            "update_one_article_new_process": round(update["cold"], 2),
            "postings_first_build": round(update["postings"], 2),
        },
        "scale": {k: round(v, 3) if isinstance(v, float) else v for k, v in scaled.items()},
        "index_file_bytes": os.path.getsize(root / T.INDEX_FILE),
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


if __name__ == "__main__":
    sys.exit(main())
