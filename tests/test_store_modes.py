"""Library files follow the user's umask when new and keep their mode across atomic writes."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from saidwho.readers.article import Article, paragraph_spans
from saidwho.store import Library
from saidwho.store.records import body_path

pytestmark = pytest.mark.skipif(os.name == "nt", reason="POSIX modes")


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def umask_022():
    old = os.umask(0o022)
    yield
    os.umask(old)


def test_new_files_follow_the_umask(tmp_path: Path, umask_022) -> None:
    lib = Library(tmp_path / "lib")
    text = "Story.\n\nBody.\n"
    aid, _ = lib.save_article(Article(text=text, title="t", paragraphs=paragraph_spans(text)), [])
    lib.add_note(aid, start=0, end=5, text="n")
    shard = lib.root / "catalog" / f"{aid[:2]}.json"
    for path in (
        shard,
        lib.root / "catalog" / "index.json",
        lib.root / "notes" / f"{aid[:2]}.json",
        lib.root / "notes" / f"{aid[:2]}.journal.jsonl",
        lib.root / "notes" / "index.json",
        body_path(lib.root, aid),
    ):
        assert mode(path) == 0o644, path


def test_an_existing_file_keeps_its_mode(tmp_path: Path, umask_022) -> None:
    lib = Library(tmp_path / "lib")
    text = "Story.\n\nBody.\n"
    aid, _ = lib.save_article(Article(text=text, title="t", paragraphs=paragraph_spans(text)), [])
    lib.add_note(aid, start=0, end=5, text="n")
    notes = lib.root / "notes" / f"{aid[:2]}.json"
    notes.chmod(0o640)
    lib.add_note(aid, start=0, end=5, text="m")  # an atomic write: a new inode
    lib.add_note(aid, start=0, end=5, text="o")
    assert mode(notes) == 0o640
    assert len(Library(lib.root).notes()) == 3
