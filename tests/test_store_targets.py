"""Nothing the library writes follows a link or leaves the library folder (issue 25, #4)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from saidwho.core.quote import Quote
from saidwho.readers.article import Article, paragraph_spans
from saidwho.store import Library, doctor
from saidwho.store.records import body_path
from saidwho.store.targets import UnsafeTargetError

TEXT = 'Story.\n\n"A quote," said Ana Ruiz.\n'


def article(path: str = "/a.txt") -> tuple[Article, list[Quote]]:
    quote = Quote("direct", 9, 17, 8, len(TEXT), 0.9, speaker="Ana Ruiz")
    return Article(text=TEXT, title="Story", path=path, paragraphs=paragraph_spans(TEXT)), [quote]


@pytest.fixture
def lib(tmp_path: Path) -> Library:
    library = Library(tmp_path / "lib")
    library.save_article(*article())
    return library


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    target = tmp_path / "bashrc"
    target.write_text("export PS1='$ '\n")
    return target


def cli(db: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "saidwho", "--db", str(db), *args],
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_linked_journal_refuses_a_note_and_the_outside_file_is_unchanged(lib, outside) -> None:
    aid = lib.articles()[0].id
    lib.add_note(aid, start=0, end=5, text="first")
    shard = lib.root / "notes" / f"{aid[:2]}.json"
    notes_before = shard.read_bytes()
    journal = lib.root / "notes" / f"{aid[:2]}.journal.jsonl"
    journal.unlink(missing_ok=True)
    journal.symlink_to(outside)
    before = outside.read_bytes()
    done = cli(lib.root, "notes", "add", aid, "--span", "0:5", "--text", "$(touch /tmp/pwned)")
    assert done.returncode == 1
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "journal.jsonl" in lines[0] and "symbolic link" in lines[0]
    assert outside.read_bytes() == before
    assert shard.read_bytes() == notes_before  # refused before any write
    assert journal.is_symlink()
    report = cli(lib.root, "doctor")
    assert report.returncode == 1
    assert f"notes/{aid[:2]}.journal.jsonl: is a symbolic link" in report.stdout


@pytest.mark.parametrize(
    "name",
    ["notes/XX.json", "catalog/index.json", "feeds.json", "notes/XX.json.bak", "notes/index.json"],
)
def test_every_library_file_refuses_a_link(lib, outside, name: str) -> None:
    from saidwho.store.feeds import FeedStore

    FeedStore(lib).add("https://example.org/a.xml")
    aid = lib.articles()[0].id
    lib.add_note(aid, start=0, end=5, text="first")  # the article's notes shard, its .bak
    lib.add_note(aid, start=0, end=5, text="second")
    path = lib.root / name.replace("XX", aid[:2])
    if path.exists():  # the link leads to a readable copy: only the write is in question
        outside.write_bytes(path.read_bytes())
    path.unlink(missing_ok=True)
    path.symlink_to(outside)
    before = outside.read_bytes()
    with pytest.raises(UnsafeTargetError, match="symbolic link"):
        if name == "feeds.json":
            FeedStore(lib).add("https://example.org/b.xml")
        elif name == "catalog/index.json":
            text = 'New.\n\n"Other words," said Bo Li.\n'
            lib.save_article(Article(text=text, title="New", paragraphs=paragraph_spans(text)), [])
        else:
            lib.add_note(lib.articles()[0].id, start=0, end=5, text="a note")
    assert outside.read_bytes() == before and path.is_symlink()


def test_linked_article_folder_is_refused(lib, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    text = 'Other.\n\n"Words here," said Bo Li.\n'
    art = Article(text=text, title="Other", path="/c.txt", paragraphs=paragraph_spans(text))
    shard = body_path(lib.root, art.sha256[:16]).parent
    if shard.exists():
        pytest.skip("the shard folder already exists")  # same first two hex digits as TEXT
    shard.symlink_to(elsewhere, target_is_directory=True)
    with pytest.raises(UnsafeTargetError, match="symbolic link"):
        lib.save_article(art, [])
    assert list(elsewhere.iterdir()) == []


def test_a_fifo_in_place_of_the_journal_is_refused_and_reported(lib) -> None:
    aid = lib.articles()[0].id
    journal = lib.root / "notes" / f"{aid[:2]}.journal.jsonl"
    journal.parent.mkdir(exist_ok=True)
    journal.unlink(missing_ok=True)
    os.mkfifo(journal)
    with pytest.raises(UnsafeTargetError, match="not a regular file"):
        lib.add_note(lib.articles()[0].id, start=0, end=5, text="a note")
    report = doctor(lib.root)
    problem = f"notes/{aid[:2]}.journal.jsonl: is not a regular file; saidwho will not write it"
    assert problem in report.problems
    repaired = doctor(lib.root, repair=True)
    assert repaired.ok and not journal.exists()
    assert lib.add_note(lib.articles()[0].id, start=0, end=5, text="a note")


def test_doctor_reports_foreign_files_and_moves_links_not_their_targets(lib, outside) -> None:
    aid = lib.articles()[0].id
    lib.add_note(aid, start=0, end=5, text="first")
    bak = lib.root / "notes" / f"{aid[:2]}.json.bak"
    bak.unlink(missing_ok=True)
    bak.symlink_to(outside)
    (lib.root / "holiday.jpg").write_bytes(b"\xff\xd8")
    report = doctor(lib.root)
    assert not report.ok
    assert "holiday.jpg: a file saidwho does not write" in report.warnings
    assert any(
        p.startswith(f"notes/{aid[:2]}.json.bak: is a symbolic link") for p in report.problems
    )
    repaired = doctor(lib.root, repair=True)
    assert repaired.ok and outside.exists() and not bak.is_symlink()
    assert "holiday.jpg" in os.listdir(lib.root)  # a warning, never moved


def test_a_full_disk_mid_ingest_leaves_no_article_file_without_its_entry(tmp_path: Path) -> None:
    """The catalog write fails (RLIMIT_FSIZE: EFBIG, as ENOSPC would) after the article file
    was written: the new article file goes too, and the library stays consistent."""
    lib = Library(tmp_path / "lib")
    for n in range(300):  # a catalog larger than the limit below, an article file smaller
        text = f"Story {n}.\n\nWords of story {n}.\n"
        lib.save_article(Article(text=text, title=f"S{n}", paragraphs=paragraph_spans(text)), [])
    catalog = lib.root / "catalog" / "index.json"  # what every save rewrites, past its shard
    assert catalog.stat().st_size > 16_000
    source = tmp_path / "new.txt"
    source.write_text('New story.\n\n"Quote here," said Ana Ruiz.\n', encoding="utf-8")
    bodies_before = sorted(p.name for p in (lib.root / "articles").rglob("*.json"))
    code = (
        "import resource, signal, sys; signal.signal(signal.SIGXFSZ, signal.SIG_IGN);"
        "resource.setrlimit(resource.RLIMIT_FSIZE, (16_000, 16_000));"
        "from saidwho.cli import main; sys.exit(main())"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, "--db", str(lib.root), "ingest", str(source)],
        capture_output=True, text=True, timeout=180,
    )  # fmt: skip
    assert done.returncode == 1, done.stderr
    [line] = done.stderr.splitlines()
    assert line.startswith(f"saidwho: {source}: ")
    assert sorted(p.name for p in (lib.root / "articles").rglob("*.json")) == bodies_before
    assert doctor(lib.root).ok


@pytest.mark.parametrize("name", ["trails.json", "speaker-names.json"])
def test_caches_are_never_written_through_a_link(lib, outside, name: str) -> None:
    outside.write_text('{"not": "a cache"}')
    (lib.root / name).unlink(missing_ok=True)
    (lib.root / name).symlink_to(outside)
    quote = lib.quotes(lib.articles()[0].id)[0]
    for command in (["trails"], ["speakers"], ["trail", quote.id]):
        done = cli(lib.root, *command)
        assert done.returncode == 0 and done.stderr == "", (command, done.stderr)
    assert outside.read_text() == '{"not": "a cache"}' and (lib.root / name).is_symlink()
    assert any(p.startswith(f"{name}: is a symbolic link") for p in doctor(lib.root).problems)


@pytest.mark.parametrize("folder", ["catalog", "versions", "archive"])
def test_a_linked_catalog_versions_or_archive_folder_is_refused(
    tmp_path: Path, folder: str
) -> None:
    """The shards, the version files and the archive are written below the library root
    like the article files: a folder swapped for a link is refused, nothing lands outside."""
    from saidwho.readers.capture import Capture

    library = Library(tmp_path / "lib")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    target = library.root / folder
    if target.exists():
        os.rename(target, tmp_path / "moved")
    target.symlink_to(elsewhere, target_is_directory=True)
    capture = Capture("resource", TEXT.encode(), "2026-01-15T09:30:00Z", path="/a.txt")
    with pytest.raises(UnsafeTargetError, match="symbolic link"):
        library.save_article(*article(), capture)
    assert list(elsewhere.rglob("*")) == []
