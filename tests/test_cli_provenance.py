"""`versions`, `diff`, `recheck` and `cite` on a page that a real HTTP server on 127.0.0.1
edits between fetches."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from saidwho import cli
from saidwho.store import Library
from tests.provenance_support import (
    ALTERED_WORDS_V1,
    ALTERED_WORDS_V2,
    KEPT_WORDS,
    REMOVED_WORDS,
    version_1,
    version_2,
)

pytest_plugins = ("tests.web_support",)


@pytest.fixture(autouse=True)
def shared_pipeline(monkeypatch, nlp):
    monkeypatch.setattr(cli.common, "load_nlp", lambda args: nlp)
    monkeypatch.delenv("SAIDWHO_DB", raising=False)


def run(capsys, *argv: str) -> tuple[int, str, str]:
    try:
        code = cli.main(list(argv))
    except SystemExit as exc:
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


def run_json(capsys, *argv: str):
    code, out, err = run(capsys, *argv)
    assert code == 0, err
    return json.loads(out)


@pytest.fixture()
def edited(tmp_path: Path, capsys, site, fast_limits):
    """A library with the page read once, notes on two of its quotes, then read again
    after the page was edited. Returns (db, article id, note on kept, note on removed)."""
    db = str(tmp_path / "lib")
    site.serve("/harbor.html", version_1())
    url = site.url("/harbor.html")
    [event] = run_json(capsys, "--db", db, "ingest", url, "--json")
    article_id = event["article_id"]
    lib = Library(db)
    quotes = {q.text.strip('",'): q for q in lib.quotes(article_id)}
    kept = quotes[KEPT_WORDS]
    removed = quotes[REMOVED_WORDS]
    note_kept = lib.add_note(
        article_id, start=kept.start, end=kept.end, text="checked", quote_id=kept.id
    )
    note_removed = lib.add_note(
        article_id, start=removed.start, end=removed.end, text="ask Price", quote_id=removed.id
    )
    assert note_kept.version == 1 and note_removed.version == 1
    site.serve("/harbor.html", version_2())
    [again] = run_json(capsys, "--db", db, "ingest", url, "--json")
    assert (again["status"], again["article_id"]) == ("updated", article_id)
    return db, article_id, note_kept.id, note_removed.id


def test_versions_lists_both_reads(capsys, edited):
    db, article_id, _, _ = edited
    found = run_json(capsys, "--db", db, "versions", article_id[:6], "--json")
    assert [v["version"] for v in found] == [1, 2]
    assert [v["current"] for v in found] == [False, True]
    assert [v["quotes"] for v in found] == [3, 2]
    assert all(v["archive"]["file"].endswith(f"v{v['version']}.warc.gz") for v in found)
    assert found[0]["payload_sha256"] != found[1]["payload_sha256"]
    code, out, err = run(capsys, "--db", db, "versions", article_id)
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0].split()[:3] == ["VERSION", "READ", "QUOTES"]
    assert lines[1].startswith("v1 ") and lines[2].startswith("v2*")


def test_diff_names_the_altered_and_the_removed_quote(capsys, edited):
    db, article_id, _, _ = edited
    found = run_json(capsys, "--db", db, "diff", article_id, "--json")
    assert (found["from"], found["to"]) == (1, 2)
    assert found["summary"] == "1 quote altered, 1 removed"
    assert found["unchanged_quotes"] == 1
    altered, removed = found["quotes"]
    assert altered["kind"] == "altered" and altered["new"]["speaker"] == "Tom Alder"
    assert ALTERED_WORDS_V1 in altered["old"]["text"]
    assert ALTERED_WORDS_V2 in altered["new"]["text"]
    ops = {(w["op"], w["text"]) for w in altered["words"]}
    assert ("removed", "will") in ops and ("added", "hope to") in ops
    assert removed["kind"] == "removed" and removed["new"] is None
    assert removed["old"]["speaker"] == "Ann Price" and REMOVED_WORDS in removed["old"]["text"]
    assert any(REMOVED_WORDS in t["removed"] for t in found["text"])
    code, out, _ = run(capsys, "--db", db, "diff", article_id)
    assert code == 0
    assert out.splitlines()[0].endswith("v1 -> v2: 1 quote altered, 1 removed")
    assert "ALTERED  Tom Alder: " in out and "[-will-] {+hope to+}" in out
    assert "REMOVED  Ann Price: " in out
    # the same versions asked for by number; a version that does not exist is one line
    assert (
        run_json(capsys, "--db", db, "diff", article_id, "--from", "1", "--to", "2", "--json")
        == found
    )
    code, _, err = run(capsys, "--db", db, "diff", article_id, "--to", "3")
    assert code == 1 and err.count("\n") == 1 and "no version 3" in err


def test_notes_follow_their_words_and_keep_their_version(capsys, edited):
    db, article_id, kept_id, removed_id = edited
    notes = {
        n["id"]: n for n in run_json(capsys, "--db", db, "notes", "list", article_id, "--json")
    }
    kept, removed = notes[kept_id], notes[removed_id]
    text = Library(db).article(article_id).text
    assert not kept["orphaned"] and KEPT_WORDS in text[kept["start"] : kept["end"]]
    assert kept["version"] == 1
    assert removed["orphaned"] and removed["version"] == 1
    assert REMOVED_WORDS in removed["exact"]
    # a note written now is on version 2
    lib = Library(db)
    quote = lib.quotes(article_id)[0]
    note = lib.add_note(article_id, start=quote.start, end=quote.end, text="new")
    assert note.version == 2


def test_recheck_asks_conditionally_and_keeps_a_changed_page(tmp_path, capsys, site, fast_limits):
    db = str(tmp_path / "lib")
    site.serve("/harbor.html", version_1())
    url = site.url("/harbor.html")
    [event] = run_json(capsys, "--db", db, "ingest", url, "--json")
    article_id = event["article_id"]

    [same] = run_json(capsys, "--db", db, "recheck", article_id, "--json")
    assert (same["status"], same["http_status"], same["version"]) == ("unchanged", 304, 1)
    # the conditional GET named the ETag the page was archived with
    assert site.requests[-1][2].get("If-None-Match")

    site.serve("/harbor.html", version_2())
    code, out, err = run(capsys, "--db", db, "recheck", "--all")
    assert code == 0, err
    assert out == f"{article_id}  v2  1 quote altered, 1 removed\n"
    assert [
        v["version"] for v in run_json(capsys, "--db", db, "versions", article_id, "--json")
    ] == [1, 2]
    lib = Library(db)
    check = lib.last_check(article_id)
    assert check is not None and check.quotes_changed and check.status == "changed"

    code, out, _ = run(capsys, "--db", db, "recheck", article_id)
    assert (code, out) == (0, f"{article_id}  v2  unchanged\n")
    last = lib.last_check(article_id)
    assert last is not None and not last.quotes_changed


def test_recheck_reports_a_failed_fetch_in_one_line(tmp_path, capsys, site, fast_limits):
    db = str(tmp_path / "lib")
    site.serve("/harbor.html", version_1())
    [event] = run_json(capsys, "--db", db, "ingest", site.url("/harbor.html"), "--json")
    site.serve("/harbor.html", b"")
    with site.lock:
        del site.pages["/harbor.html"]  # now a 404
    code, out, err = run(capsys, "--db", db, "recheck", event["article_id"])
    assert code == 1 and out == ""
    assert err == f"saidwho: {site.url('/harbor.html')}: HTTP 404 Not Found\n"
    code, _, err = run(capsys, "--db", db, "recheck")
    assert code == 2 and "ARTICLE_IDs or --all" in err


def test_cite_carries_version_read_time_and_digest(capsys, edited):
    db, article_id, _, _ = edited
    [current] = [
        v for v in run_json(capsys, "--db", db, "versions", article_id, "--json") if v["current"]
    ]
    quote = Library(db).quotes(article_id)[0]
    cited = run_json(capsys, "--db", db, "cite", quote.id, "--format", "json")
    assert cited["version"] == 2
    assert cited["read_at"] == current["read_at"]
    assert cited["payload_sha256"] == current["payload_sha256"]
    assert cited["archive"] == current["archive"]
    code, out, _ = run(capsys, "--db", db, "cite", quote.id)
    stamp = current["read_at"]
    assert out.splitlines()[-1] == (
        f"read {stamp[:10]} {stamp[11:16]} UTC, v2, sha256:{current['payload_sha256'][:16]}…"
    )


def test_evidence_packages_every_version_and_verify_checks_it(tmp_path, capsys, edited):
    import hashlib
    import zipfile

    db, article_id, _, _ = edited
    out = tmp_path / "harbor.wacz"
    code, printed, err = run(capsys, "--db", db, "evidence", article_id, "-o", str(out))
    assert code == 0, err and printed.startswith(str(out))
    with zipfile.ZipFile(out) as wacz:
        names = set(wacz.namelist())
        assert {
            "archive/v1.warc.gz",
            "archive/v2.warc.gz",
            "indexes/index.cdxj",
            "pages/pages.jsonl",
            "datapackage.json",
            "datapackage-digest.json",
            "texts/v1.txt",
            "texts/v2.txt",
            "annotations/v1.jsonld",
            "annotations/v2.jsonld",
            "annotations/notes.jsonld",
        } <= names
        # WACZ 1.1.1: WARCs stored uncompressed in the zip, every file listed with its sha256
        assert wacz.getinfo("archive/v1.warc.gz").compress_type == zipfile.ZIP_STORED
        package = json.loads(wacz.read("datapackage.json"))
        assert package["wacz_version"] == "1.1.1" and package["profile"] == "data-package"
        listed = {r["path"]: r["hash"] for r in package["resources"]}
        assert set(listed) == names - {"datapackage.json", "datapackage-digest.json"}
        for name, digest in listed.items():
            assert digest == "sha256:" + hashlib.sha256(wacz.read(name)).hexdigest()
        pages = [json.loads(line) for line in wacz.read("pages/pages.jsonl").splitlines()]
        assert pages[0]["format"] == "json-pages-1.0"
        assert [p["id"] for p in pages[1:]] == ["v1", "v2"]
        assert REMOVED_WORDS in pages[1]["text"] and REMOVED_WORDS not in pages[2]["text"]
        cdx = wacz.read("indexes/index.cdxj").decode().splitlines()
        assert len(cdx) == 2 and all(line.startswith("127.0.0.1:") for line in cdx)
        notes = json.loads(wacz.read("annotations/notes.jsonld"))
        assert notes["total"] == 2
        quotes = json.loads(wacz.read("annotations/v1.jsonld"))
        assert quotes["total"] == 3
        contents = {name: wacz.read(name) for name in names}

    report = run_json(capsys, "verify", str(out), "--json")
    assert report["ok"] and report["failures"] == []
    assert (report["versions"], report["quotes"], report["unarchived"]) == (2, 5, [])
    code, printed, _ = run(capsys, "verify", str(out))
    assert code == 0 and "ok (" in printed

    def repack(path, changed: dict[str, bytes], *, rehash: bool) -> None:
        files = {**contents, **changed}
        if rehash:  # a careful forger: every digest made to match the forged files
            package = json.loads(files["datapackage.json"])
            for resource in package["resources"]:
                data = files[resource["path"]]
                resource["hash"] = "sha256:" + hashlib.sha256(data).hexdigest()
            files["datapackage.json"] = json.dumps(package).encode()
            digest = hashlib.sha256(files["datapackage.json"]).hexdigest()
            files["datapackage-digest.json"] = json.dumps(
                {"path": "datapackage.json", "hash": f"sha256:{digest}"}
            ).encode()
        with zipfile.ZipFile(path, "w") as wacz:
            for name, data in files.items():
                wacz.writestr(name, data)

    # one byte of a text changed: its digest fails
    tampered = tmp_path / "tampered.wacz"
    text = contents["texts/v1.txt"].replace(b"Ann Price", b"Ann Pryce")
    repack(tampered, {"texts/v1.txt": text}, rehash=False)
    code, printed, err = run(capsys, "verify", str(tampered))
    assert code == 1 and printed == ""
    assert err.splitlines() == [
        f"saidwho: {tampered}: texts/v1.txt: sha256 does not match datapackage.json",
        f"saidwho: {tampered}: v1: texts/v1.txt is not the version's text",
    ]
    # a quote's words forged and every digest redone: the archived bytes still say otherwise
    forged = tmp_path / "forged.wacz"
    quotes_v1 = contents["annotations/v1.jsonld"].replace(b"public money", b"private money")
    repack(forged, {"annotations/v1.jsonld": quotes_v1}, rehash=True)
    report = run_json_failing(capsys, "verify", str(forged), "--json")
    assert report["failures"] == [
        "v1: quote not in the text read from the archive: "
        "'\"The budget is a waste of private money,\"'"
    ]


def run_json_failing(capsys, *argv: str):
    code, out, _ = run(capsys, *argv)
    assert code == 1
    return json.loads(out)
