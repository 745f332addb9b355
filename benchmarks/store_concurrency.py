"""Three processes on one library: two add notes, one saves articles. Nothing may be lost.

    python benchmarks/store_concurrency.py [--notes 200] [--articles 50] [--dir PATH]

Prints per-process timings, then checks: every note and every article present, every file parses.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

from saidwho.core.quote import Quote  # noqa: E402
from saidwho.readers.article import Article, paragraph_spans  # noqa: E402
from saidwho.store import Library, doctor  # noqa: E402

BASE = (
    "Article {n}. The council met on Tuesday.\n\n"
    '"We have to act now," said Mayor Lena Park.\n\n'
    "The opposition said the vote was rushed.\n"
)


def article_text(n: int) -> str:
    return BASE.format(n=n)


def article_quotes(text: str) -> list[Quote]:
    start = text.index('"') + 1
    end = text.index('"', start)
    line_start = text.rfind("\n", 0, start) + 1
    return [
        Quote(
            kind="direct",
            start=start,
            end=end,
            sentence_start=line_start,
            sentence_end=text.index("\n", end),
            confidence=0.9,
            speaker="Lena Park",
        )
    ]


def wait_for_go() -> None:
    """Start together: report ready, then block until the parent says go on stdin."""
    print("ready", flush=True)
    sys.stdin.readline()


def child_notes(root: Path, article_id: str, count: int, tag: str) -> None:
    lib = Library(root)
    wait_for_go()
    ids = []
    started = time.perf_counter()
    for i in range(count):
        ids.append(lib.add_note(article_id, start=0, end=7, text=f"{tag} {i}", tags=[tag]).id)
    print(json.dumps({"role": tag, "seconds": time.perf_counter() - started, "ids": ids}))


def child_articles(root: Path, count: int) -> None:
    lib = Library(root)
    wait_for_go()
    ids = []
    started = time.perf_counter()
    for n in range(1, count + 1):
        text = article_text(n)
        article = Article(
            text=text, title=f"Article {n}", path=f"/news/{n}.txt", paragraphs=paragraph_spans(text)
        )
        ids.append(lib.save_article(article, article_quotes(text))[0])
    print(json.dumps({"role": "articles", "seconds": time.perf_counter() - started, "ids": ids}))


@dataclass
class ConcurrencyResult:
    notes_expected: int
    notes_found: int
    articles_expected: int
    articles_found: int
    timings: dict[str, float]
    wall: float
    problems: list[str]


def run(root: Path, notes: int = 200, articles: int = 50) -> ConcurrencyResult:
    lib = Library(root)
    text = article_text(0)
    target, _ = lib.save_article(
        Article(text=text, title="Target", path="/news/0.txt"), article_quotes(text)
    )
    cmd = [sys.executable, __file__, "--dir", str(root)]
    procs = [
        subprocess.Popen([*cmd, "--child", "notes", target, str(notes), "writer-a"], **_PIPE),
        subprocess.Popen([*cmd, "--child", "notes", target, str(notes), "writer-b"], **_PIPE),
        subprocess.Popen([*cmd, "--child", "articles", "-", str(articles), "-"], **_PIPE),
    ]
    for proc in procs:  # all three have imported and opened the library
        assert proc.stdout is not None
        if proc.stdout.readline().strip() != "ready":
            raise RuntimeError(f"child failed to start: {proc.communicate()[1]}")
    started = time.perf_counter()
    outputs = []
    for proc in procs:
        assert proc.stdin is not None
        proc.stdin.write("go\n")
        proc.stdin.flush()
    for proc in procs:
        out, err = proc.communicate(timeout=600)
        if proc.returncode != 0:
            raise RuntimeError(f"child failed ({proc.returncode}): {err}")
        outputs.append(json.loads(out))
    wall = time.perf_counter() - started

    fresh = Library(root)
    note_ids = {n.id for n in fresh.notes()}
    article_ids = {a.id for a in fresh.articles()}
    want_notes = [i for o in outputs[:2] for i in o["ids"]]
    report = doctor(root)
    return ConcurrencyResult(
        notes_expected=len(want_notes),
        notes_found=sum(1 for i in want_notes if i in note_ids),
        articles_expected=len(outputs[2]["ids"]) + 1,
        articles_found=sum(1 for i in [target, *outputs[2]["ids"]] if i in article_ids),
        timings={o["role"]: o["seconds"] for o in outputs},
        wall=wall,
        problems=report.problems,
    )


_PIPE: dict = {
    "stdin": subprocess.PIPE,
    "stdout": subprocess.PIPE,
    "stderr": subprocess.PIPE,
    "text": True,
    "cwd": ROOT,
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--notes", type=int, default=200, help="notes per writer process")
    parser.add_argument("--articles", type=int, default=50)
    parser.add_argument("--dir", type=Path, default=None)
    parser.add_argument("--child", nargs=4, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        role, article_id, count, tag = args.child
        if role == "notes":
            child_notes(args.dir, article_id, int(count), tag)
        else:
            child_articles(args.dir, int(count))
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        result = run(args.dir or Path(tmp) / "library", args.notes, args.articles)
    for role, seconds in result.timings.items():
        per = args.notes if role.startswith("writer") else args.articles
        print(f"{role}: {seconds:.2f} s ({1000 * seconds / per:.1f} ms per write)")
    print(f"wall (all three, after a common start): {result.wall:.2f} s")
    print(f"notes: {result.notes_found}/{result.notes_expected}")
    print(f"articles: {result.articles_found}/{result.articles_expected}")
    print(f"doctor: {'; '.join(result.problems) or 'healthy'}")
    ok = (
        result.notes_found == result.notes_expected
        and result.articles_found == result.articles_expected
        and not result.problems
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
