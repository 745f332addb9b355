"""The derived files a reader writes without the library lock (the list files
``catalog/list/<xx>.json`` and ``head.json``, store/article_rows.py; the queue files
``queue/<xx>.json``, store/queue_index.py) are safe with a writer in another process: two
real processes, one saving articles under the lock, one reading the list and the queue over
and over (and so writing those files), and afterwards every such file that names the
current shard bytes says what a fresh derive says, and the list and the queue are the
library's.

Why it holds without the lock: each file is written whole to a temp file of its own and
renamed (atomic_write), and names the shard bytes (or index) it was made from, from the
bytes it read; a reader uses a file only if that name is the index's now. A reader that
lost a race leaves a file naming old bytes, which the next reader makes again."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from test_queue_index import scanned, story

from saidwho.store import Library
from saidwho.store.article_rows import FORMAT, article_list, derive, first_page, list_path
from saidwho.store.queue_index import FILTERS, load, read_file
from saidwho.store.queue_index import derive as derive_queue
from saidwho.store.shards import SHARDS, catalog_dir
from saidwho.store.storage import is_temp_file
from saidwho.tui.model import LOW_CONFIDENCE

WRITER = textwrap.dedent(
    """
    import random, sys, time
    from pathlib import Path
    sys.path.insert(0, sys.argv[2])
    from test_queue_index import story
    from saidwho.store import Library

    lib = Library(sys.argv[1])
    started = Path(sys.argv[4])
    while not started.exists():  # the reader is reading: the saves race its writes
        time.sleep(0.01)
    rng = random.Random(5)
    for n in range(100, 100 + int(sys.argv[3])):
        lib.save_article(*story(n, rng))  # one save, one lock, each
    print("done", flush=True)
    """
)

READER = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from saidwho.store import Library
    from saidwho.store.article_rows import article_list, first_page
    from saidwho.store.queue_index import load

    root, done, started = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])
    during = 0
    while not done.exists():
        lib = Library(root)  # a new process's view each round: files read, not kept
        first_page(lib, 20)
        article_list(lib)
        load(lib)
        during += 1
        started.touch()
    print(during, flush=True)
    """
)


@pytest.mark.slow
def test_list_and_queue_files_written_while_another_process_saves(tmp_path: Path) -> None:
    import random

    root = tmp_path / "lib"
    lib = Library(root)
    rng = random.Random(3)
    lib.save_articles(story(n, rng) for n in range(30))
    load(lib)  # the queue's files exist: each save refreshes its shard's
    done, started = tmp_path / "writer-done", tmp_path / "reader-started"
    tests = Path(__file__).resolve().parent
    reader = subprocess.Popen(
        [sys.executable, "-c", READER, str(root), str(done), str(started)],
        stdout=subprocess.PIPE,
        text=True,
    )
    writer = subprocess.run(
        [sys.executable, "-c", WRITER, str(root), str(tests), "40", str(started)],
        capture_output=True,
        text=True,
        check=False,
    )
    done.touch()
    out, _ = reader.communicate(timeout=600)
    assert writer.returncode == 0, writer.stderr[-2000:]
    assert reader.returncode == 0
    assert int(out.split()[-1]) >= 2  # it read (and wrote) while the writer saved

    fresh = Library(root)
    storage = fresh.files.catalog_storage
    index = storage.index_tables() or {}
    digests = {r["name"]: r["digest"] for r in (index.get("shards") or {}).values()}
    checked = 0
    for shard in SHARDS:
        made = derive(root, shard)
        path = list_path(root, shard)
        if made is not None and path.exists():
            import json

            data = json.loads(path.read_bytes())
            if data.get("format") == FORMAT and data.get("from") == digests.get(shard):
                assert data["rows"] == made[0].stored, shard  # it says what a derive says
                checked += 1
        columns = read_file(root, shard)
        if columns is not None and columns.digest == digests.get(shard):
            truth = derive_queue(fresh.files, shard)
            assert truth is not None and columns.articles() == truth[1], shard
            checked += 1
    assert checked > 10
    temps = [p for p in root.rglob("*") if is_temp_file(p)]
    assert temps == []  # every write landed or cleaned up after itself
    assert not (catalog_dir(root) / "list").is_file()

    # and what a reader shows now is the library's
    expected = [a.id for a in fresh.articles()]
    assert len(expected) == 70
    assert [r.id for r in article_list(fresh)] == expected
    assert [r.id for r in first_page(fresh, 20).rows] == expected[:20]
    queue = load(fresh)
    for name in FILTERS:
        got = [queue.ref(int(r)) for r in queue.order(name, LOW_CONFIDENCE)]
        assert got == scanned(fresh, name), name
