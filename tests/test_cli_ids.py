"""Every command that takes an id takes a unique prefix of one (the README's promise), and
says in one line which id it could not use: unknown, ambiguous or not an id at all.

The commands come from the parser (each id argument is typed with its kind), so a command
that takes a new id fails here until it has a call in CALLS."""

from __future__ import annotations

import re
import shutil
from collections import Counter
from itertools import product
from pathlib import Path

import pytest

from saidwho import cli
from saidwho.cli.ids import IdKind
from saidwho.cli.parser import build_parser, id_arguments
from saidwho.ingest import ingest_paths
from saidwho.store import Library

# How to run each command that takes an id; {dest} stands for the id argument `dest`.
CALLS: dict[tuple[str, ...], list[str]] = {
    ("quotes",): ["quotes", "{article_id}"],
    ("cite",): ["cite", "{quote_id}"],
    ("review",): ["review", "{quote_id}", "--confirm"],
    ("trail",): ["trail", "{quote_id}"],
    ("notes", "add"): ["notes", "add", "{article_id}", "--quote", "{quote}", "--text", "seen"],
    ("notes", "list"): ["notes", "list", "{article_id}"],
    ("notes", "edit"): ["notes", "edit", "{note_id}", "--text", "edited"],
    ("notes", "delete"): ["notes", "delete", "{note_ids}"],
    ("notes", "export"): ["notes", "export", "--article", "{article}"],
    ("versions",): ["versions", "{article_id}"],
    ("diff",): ["diff", "{article_id}", "--from", "1"],
    ("recheck",): ["recheck", "{article_ids}"],
    # relative: each test runs in its own tmp_path (env below)
    ("evidence",): ["evidence", "{article_id}", "-o", "evidence.wacz"],
}
ID_ARGUMENTS = sorted(
    (path, action.dest, kind) for path, action, kind in id_arguments(build_parser())
)
NOTE_IDS = (  # the first is the one the commands use; the other two share a prefix
    "5eed0000-0000-4000-8000-000000000001",
    "abc00000-0000-4000-8000-000000000002",
    "abc00000-0000-4000-8000-000000000003",
)
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


class Ids:
    """For each kind of id: a whole id, a unique 6-character prefix of it, a prefix that
    several ids start with and one that no id starts with."""

    def __init__(self, lib: Library, article_id: str) -> None:
        quotes = lib.quotes(article_id)
        all_ids = {
            "article": [a.id for a in lib.articles(named=False)],
            "quote": [q.id for q in lib.all_quotes()],
            "note": [n.id for n in lib.notes()],
        }
        self.whole = {"article": article_id, "quote": quotes[0].id, "note": NOTE_IDS[0]}
        self.prefix = {noun: whole[:6] for noun, whole in self.whole.items()}
        for noun, prefix in self.prefix.items():
            assert sum(i.startswith(prefix) for i in all_ids[noun]) == 1, (noun, prefix)
        # a quote prefix ambiguous inside the article too (`notes add --quote` looks there)
        shared = {
            "article": Counter(i[0] for i in all_ids["article"]),
            "quote": Counter(q.id[0] for q in quotes),
            "note": Counter(i[:3] for i in all_ids["note"]),
        }
        self.ambiguous = {noun: counts.most_common(1)[0][0] for noun, counts in shared.items()}
        assert all(n > 1 for counts in shared.values() for _, n in counts.most_common(1))
        candidates = ["".join(p) for p in product("0123456789abcdef", repeat=2)]
        self.unknown = {
            noun: next(p * 3 for p in candidates if not any(i.startswith(p * 3) for i in ids))
            for noun, ids in all_ids.items()
        }


@pytest.fixture(scope="module")
def built(tmp_path_factory, nlp, seed_path) -> tuple[Path, Ids]:
    """The seed and 16 short articles (17 ids: two share a first digit), three notes."""
    root = tmp_path_factory.mktemp("ids")
    # the seed with a paragraph of twelve quotes more: two of its quote ids share a digit
    seed = root / "seed.txt"
    more = " ".join(f'"Step {n} is done," said Mayor Ann Lee.' for n in range(12))
    seed.write_text(seed_path.read_text(encoding="utf-8") + "\n" + more + "\n", encoding="utf-8")
    seed_path = seed
    paths = [seed_path]
    for n in range(16):
        path = root / f"short-{n}.txt"
        path.write_text(f'"The bridge opens on day {n}," said Mayor Ann Lee.\n', encoding="utf-8")
        paths.append(path)
    lib = Library(root / "lib")
    events = ingest_paths(lib, paths, nlp)
    assert [e.status for e in events] == ["added"] * len(paths)
    article_id = next(e.article_id for e in events if e.path == str(seed_path))
    assert article_id is not None
    for note_id in NOTE_IDS:
        lib.add_note(article_id, start=0, end=10, text="a note", note_id=note_id)
    return root / "lib", Ids(lib, article_id)


@pytest.fixture(autouse=True)
def env(monkeypatch, tmp_path) -> None:
    monkeypatch.chdir(tmp_path)  # what a command writes to a relative path stays here
    monkeypatch.delenv("SAIDWHO_DB", raising=False)
    monkeypatch.setenv("SAIDWHO_REVIEWER", "kim")


def run(capsys, db: Path, argv: list[str]) -> tuple[int, str, str]:
    code = cli.main(["--db", str(db), *argv])
    out, err = capsys.readouterr()
    return code, out, err


def call(path: tuple[str, ...], values: dict[str, str]) -> list[str]:
    assert path in CALLS, f"`saidwho {' '.join(path)}` takes an id: add a call to CALLS"
    return [part.format(**values) for part in CALLS[path]]


def kinds_of(path: tuple[str, ...]) -> dict[str, IdKind]:
    return {dest: kind for p, dest, kind in ID_ARGUMENTS if p == path}


def test_every_id_argument_has_a_call() -> None:
    declared = {(path, dest) for path, dest, _ in ID_ARGUMENTS}
    called = {
        (path, field)
        for path, argv in CALLS.items()
        for part in argv
        for field in re.findall(r"\{(\w+)\}", part)
    }
    assert declared == called
    # the ids the README promises prefixes for, at least
    assert {kind.noun for _, _, kind in ID_ARGUMENTS} == {"article", "quote", "note"}


@pytest.mark.parametrize(
    ("path", "dest"),
    [(path, dest) for path, dest, _ in ID_ARGUMENTS],
    ids=[f"{' '.join(path)}:{dest}" for path, dest, _ in ID_ARGUMENTS],
)
def test_a_unique_prefix_works_like_the_whole_id(capsys, tmp_path, built, path, dest) -> None:
    db, ids = built
    kinds = kinds_of(path)
    whole = {d: ids.whole[k.noun] for d, k in kinds.items()}
    # the argument under test gets a prefix, in upper case (any case will do)
    prefixes = {**whole, dest: ids.prefix[kinds[dest].noun].upper()}
    outputs = []
    for name, values in (("whole", whole), ("prefix", prefixes)):
        copy = tmp_path / name  # each run on its own copy: some commands write
        shutil.copytree(db, copy)
        code, out, err = run(capsys, copy, call(path, values))
        assert (code, err) == (0, ""), (name, values)
        outputs.append(UUID.sub("<new note>", out) if path == ("notes", "add") else out)
    assert outputs[0] == outputs[1]


@pytest.mark.parametrize("case", ["unknown", "ambiguous", "malformed"])
@pytest.mark.parametrize(
    ("path", "dest"),
    [(path, dest) for path, dest, _ in ID_ARGUMENTS],
    ids=[f"{' '.join(path)}:{dest}" for path, dest, _ in ID_ARGUMENTS],
)
def test_a_bad_id_is_one_line_naming_it(capsys, tmp_path, built, path, dest, case) -> None:
    db, ids = built
    kinds = kinds_of(path)
    noun = kinds[dest].noun
    bad = {"unknown": ids.unknown[noun], "ambiguous": ids.ambiguous[noun], "malformed": "x-1"}
    values = {**{d: ids.whole[k.noun] for d, k in kinds.items()}, dest: bad[case]}
    copy = tmp_path / "lib"
    shutil.copytree(db, copy)
    code, out, err = run(capsys, copy, call(path, values))
    reason = {
        "unknown": f"no such {noun} in ",
        "ambiguous": "ambiguous: ",
        "malformed": f"not {kinds[dest].article} {noun} id (",
    }[case]
    assert code == 1
    [line] = err.splitlines()
    assert line.startswith(f"saidwho: {bad[case]}: {reason}"), line
    if case == "ambiguous":  # the matches are named
        assert re.search(rf"\({bad[case]}[0-9a-f-]*, {bad[case]}", line), line
