"""Valid JSON of the wrong shape: one line naming file and record, the rest keeps working,
doctor finds it, and --repair moves just that record aside."""

from __future__ import annotations

import contextlib
import io
import json
import os
import shutil
import stat
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from saidwho.cli import main
from saidwho.core.quote import Quote
from saidwho.readers.article import Article, paragraph_spans
from saidwho.store import Library, doctor
from saidwho.store.records import body_path
from saidwho.store.shards import index_path, shard_path


def make(text: str, path: str) -> tuple[Article, list[Quote]]:
    start = text.index('"') + 1
    end = text.index('"', start)
    quote = Quote("direct", start, end, 0, len(text), 0.9, speaker="Ana Ruiz")
    return Article(text=text, title=path, path=path, paragraphs=paragraph_spans(text)), [quote]


def build(root: Path) -> tuple[Library, list[str]]:
    """Two articles, two notes, a review and a read mark: every table holds a record."""
    lib = Library(root)
    ids = [
        lib.save_article(*make(f'Story {n}.\n\n"Quote {n}," said Ana Ruiz.\n', f"/{n}.txt"))[0]
        for n in range(2)
    ]
    for n, aid in enumerate(ids):
        lib.add_note(aid, start=0, end=5, text=f"note {n}", tags=["t"])
    quote = lib.quotes(ids[0])[0]
    lib.review_quote(ids[0], quote.id, disputed=True, speaker="Bo Li")
    lib.mark_read(ids[1])
    return lib, ids


@pytest.fixture(scope="module")
def pristine(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("records") / "lib"
    build(root)
    return root


def cli(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(argv))
    return code, out.getvalue(), err.getvalue()


def notes_shard(root: Path, article_id: str) -> Path:
    """The notes shard that holds an article's notes, reviews and read mark."""
    return root / "notes" / f"{article_id[:2]}.json"


def edit(path: Path, change) -> None:
    data = json.loads(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(json.dumps(data), encoding="utf-8")


def first(table: dict[str, Any]) -> dict[str, Any]:
    return next(iter(table.values()))


CASES = {
    "catalog entry without id": ("shard", lambda d: first(d["articles"]).pop("id")),
    "catalog quotes a string": (
        "shard",
        lambda d: first(d["articles"]).update(quotes="many"),
    ),
    "note without created": ("notes", lambda d: first(d["notes"]).pop("created")),
    "tags an int": ("notes", lambda d: first(d["notes"]).update(tags=3)),
    "note start a string": ("notes", lambda d: first(d["notes"]).update(start="0")),
    "review without article_id": ("notes", lambda d: first(d["reviews"]).pop("article_id")),
    "read mark a list": (
        "notes",
        lambda d: d.setdefault("reads", {}).update({"9": {"article_id": [1]}}),
    ),
    "quote start null": ("body", lambda d: first(d["quotes"]).update(start=None)),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_wrong_shape_record_is_one_line_and_doctor_moves_just_it(tmp_path, pristine, case):
    root = tmp_path / "lib"
    shutil.copytree(pristine, root)
    name, change = CASES[case]
    lib = Library(root)
    ids = sorted(a.id for a in lib.articles())
    path = {
        "body": body_path(root, ids[0]),
        "shard": shard_path(root, ids[0][:2]),
        # the shard with a note and the review
        "notes": next(
            p for p in (notes_shard(root, a) for a in ids) if "reviews" in json.loads(p.read_text())
        ),
    }[name]
    edit(path, change)

    for command in (["list"], ["quotes"], ["speakers"], ["notes", "list"]):
        code, out, err = cli("--db", str(root), *command, "--json")
        assert "Traceback" not in err
        json.loads(out)  # the rest of the library still printed
        for line in err.splitlines():  # each error: one line naming the file and record
            assert line.startswith(f"saidwho: {path}: record ") and "skipped" in line
    # `list` never opens an article file: a bad quote shows in `quotes`
    code, _, err = cli("--db", str(root), "quotes" if name == "body" else "list")
    assert code == 1 and err.count("\n") == 1, err

    code, out, _ = cli("--db", str(root), "doctor")
    assert code == 1 and f"{path.name}: record " in out

    notes_before = len(json.loads(path.read_text())["notes"]) if name == "notes" else 0
    code, out, _ = cli("--db", str(root), "doctor", "--repair")
    assert code == 0, out
    assert "bad record(s)" in out
    quarantined = list((root / "damaged").rglob(f"{path.name}.records.json"))
    assert len(quarantined) == 1 and len(json.loads(quarantined[0].read_text())) == 1
    if name == "notes":  # only the bad record left the file: the other notes stayed
        kept = len(json.loads(path.read_text())["notes"])
        assert kept >= notes_before - 1 and kept >= 1
    for command in (["list"], ["quotes"], ["speakers"], ["notes", "list"], ["doctor"]):
        code, _, err = cli("--db", str(root), *command)
        assert code == 0 and err == "", (command, err)
    assert len(Library(root).articles()) == 2  # a bad catalog entry is rebuilt, not lost


def test_doctor_calls_schema_zero_unhealthy_as_list_refuses_it(tmp_path, pristine):
    root = tmp_path / "lib"
    shutil.copytree(pristine, root)
    edit(index_path(root), lambda d: first(d["meta"]).update(schema_version=0))
    code, _, err = cli("--db", str(root), "list")
    assert code == 1 and "schema 0" in err
    code, out, _ = cli("--db", str(root), "doctor")
    assert code == 1 and "schema 0" in out
    code, out, _ = cli("--db", str(root), "doctor", "--repair")
    assert code == 1 and "Nothing was changed" in out


def test_plain_doctor_works_on_a_read_only_library(tmp_path, pristine):
    root = tmp_path / "lib"
    shutil.copytree(pristine, root)
    (root / ".lock").unlink(missing_ok=True)
    ids = sorted(a.id for a in Library(root).articles())
    edit(notes_shard(root, ids[0]), lambda d: first(d["notes"]).pop("created"))
    report = doctor(root)  # a plain check creates nothing, not even the lock file
    record = f"notes/{ids[0][:2]}.json: record notes/"
    assert not report.ok and any(record in p for p in report.problems)
    assert not (root / ".lock").exists()

    modes = {p: p.stat().st_mode for p in [root, *root.rglob("*")]}
    for p in [*root.rglob("*"), root]:
        p.chmod(p.stat().st_mode & ~(stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH))
    try:
        if os.access(root, os.W_OK):
            pytest.skip("running as root: a read-only folder is still writable")
        code, out, _ = cli("--db", str(root), "doctor")
        assert code == 1 and record in out and "cannot write" not in out
    finally:
        for p, mode in modes.items():
            p.chmod(mode)


SCALARS = st.none() | st.booleans() | st.integers(-2, 2**40) | st.floats(allow_nan=False)
JSON = st.recursive(
    SCALARS | st.text(max_size=4),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner, max_size=3)
    ),
    max_leaves=6,
)


@st.composite
def damage(draw):
    """(file, how to change its JSON): a record replaced, a key dropped or retyped, a table
    or the whole file replaced by some other JSON value."""
    target = draw(st.sampled_from(["shard", "index", "notes", "body"]))
    how = draw(st.sampled_from(["record", "drop", "retype", "table", "file"]))
    value = draw(JSON)
    pick = draw(st.integers(0, 10**6))
    return target, how, value, pick


def apply(data: Any, how: str, value: Any, pick: int) -> Any:
    if how == "file":
        return value
    tables = [t for t in data.values() if isinstance(t, dict) and t]
    names = sorted(data)
    if how == "table":
        data[names[pick % len(names)]] = value
        return data
    table = tables[pick % len(tables)]
    key = sorted(table)[pick % len(table)]
    if how == "record":
        table[key] = value
    else:
        doc = table[key]
        field = sorted(doc)[pick % len(doc)]
        if how == "drop":
            del doc[field]
        else:
            doc[field] = value
    return data


@pytest.mark.slow
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(damage())
def test_no_wrong_shape_gives_a_traceback_and_doctor_finds_it(pristine, case):
    target, how, value, pick = case
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "lib"
        shutil.copytree(pristine, root)
        ids = sorted(a.id for a in Library(root).articles())
        path = {
            "body": body_path(root, ids[pick % 2]),
            "shard": shard_path(root, ids[pick % 2][:2]),
            "index": index_path(root),
            "notes": notes_shard(root, ids[pick % 2]),
        }[target]
        data = json.loads(path.read_text(encoding="utf-8"))
        path.write_text(json.dumps(apply(data, how, value, pick)), encoding="utf-8")

        failed = False
        for command in (["list"], ["quotes"], ["speakers"], ["notes", "list"]):
            for extra in ([], ["--json"]):
                code, _, err = cli("--db", str(root), *command, *extra)
                assert isinstance(code, int) and "Traceback" not in err
                assert len(err.splitlines()) <= 4, err  # a line per problem, not a dump
                failed |= code != 0 or err != ""
        code, out, _ = cli("--db", str(root), "doctor")
        if failed:
            assert code == 1, f"doctor calls it healthy:\n{out}"
        code, out, _ = cli("--db", str(root), "doctor", "--repair")
        if code == 0:  # repaired: the library works again, quietly
            for command in (["list"], ["quotes"], ["notes", "list"], ["doctor"]):
                code, _, err = cli("--db", str(root), *command)
                assert code == 0 and err == "", (command, err, out)


def test_a_bad_catalog_entry_is_still_skipped_after_this_process_writes(tmp_path, pristine):
    """After its own catalog write the library re-checks only the entries that are new
    objects: a bad entry another hand wrote must stay reported, and a new entry counts."""
    root = tmp_path / "lib"
    shutil.copytree(pristine, root)
    edit(shard_path(root, min(a.id for a in Library(root).articles())[:2]),
         lambda d: first(d["articles"]).update(quotes="many"))  # fmt: skip
    lib = Library(root)
    assert len(lib.articles()) == 1 and len(lib.record_errors) == 1
    added, _ = lib.save_article(*make('Story 9.\n\n"Quote 9," said Ana Ruiz.\n', "/9.txt"))
    assert {a.id for a in lib.articles()} >= {added} and len(lib.articles()) == 2
    assert [e.table for e in lib.record_errors] == ["articles"]
    assert {a.id for a in Library(root).articles()} == {a.id for a in lib.articles()}
