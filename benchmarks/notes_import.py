"""`notes import` of N notes into a library holding the seed: one atomic write.

    python benchmarks/notes_import.py [--notes 2000]

Exports one note on each quote of the seed article, copies it to N notes with new ids
spread over the article's sentences, imports them with ``import_annotations`` (the CLI's
path) and prints the time and the peak memory. Target (issue 25): 2,000 notes in <= 3 s;
before (notes.json rewritten per note) it took 59.5 s.
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import re
import resource
import tempfile
import time
import uuid
from pathlib import Path

from saidwho.attribution import load_pipeline
from saidwho.ingest import ingest_paths
from saidwho.store import Library
from saidwho.store.export import ARTICLE_URN, render
from saidwho.store.note_import import import_annotations

SEED = next((Path(__file__).resolve().parent.parent / "seeds").glob("*.txt"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--notes", type=int, default=2000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        lib = Library(Path(tmp) / "lib")
        ingest_paths(lib, [SEED], load_pipeline(None))
        [article] = lib.articles()
        text = lib.article(article.id).text
        spans = [m.span() for m in re.finditer(r"[A-Z][^.!?\n]{20,200}[.!?]", text)]
        lib.add_note(article.id, start=spans[0][0], end=spans[0][1], text="template")

        doc = json.loads(render(lib, "jsonld")[0])
        template = doc["first"]["items"][0]
        items = []
        for n in range(args.notes):
            start, end = spans[n % len(spans)]
            item = copy.deepcopy(template)
            item["id"] = f"urn:uuid:{uuid.uuid4()}"
            item["body"][0]["value"] = f"note {n}"
            item["target"]["scope"] = ARTICLE_URN + article.id
            pos, words = item["target"]["selector"]
            pos.update(start=start, end=end)
            words.update(exact=text[start:end], prefix="", suffix="")
            items.append(item)
        doc["first"]["items"] = items
        fresh = Library(lib.root)
        rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        began = time.perf_counter()
        report = import_annotations(fresh, doc)
        took = time.perf_counter() - began
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        assert not report.errors, report.errors[:3]
        load = os.getloadavg()
        print(f"notes imported      {report.notes}")
        print(
            f"time                {took:.2f} s  ({took / max(report.notes, 1) * 1e3:.2f} ms/note)"
        )
        print(
            f"peak RSS            {rss / 1024:.0f} MB "
            f"(spaCy included; {rss_before / 1024:.0f} MB before the import)"
        )
        size = sum(p.stat().st_size for p in (lib.root / "notes").glob("*.json"))
        print(f"notes shards        {size / 2**20:.1f} MB")
        print(f"load average        {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")


if __name__ == "__main__":
    main()
