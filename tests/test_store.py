"""The library on disk: ids, lazy bodies, notes that follow their words, reviews that win."""

from __future__ import annotations

import json
import re
import threading
import uuid
from datetime import datetime
from pathlib import Path

import pytest

from saidwho.core.quote import Quote
from saidwho.readers.article import Article, paragraph_spans
from saidwho.store import (
    UNSET,
    CorruptFileError,
    Library,
    LibraryError,
    NotFoundError,
    SchemaError,
    SpeakerSummary,
    default_library_dir,
)
from saidwho.store.records import body_path

SOURCE = "/news/hamas.txt"


def quote_of(text: str, phrase: str, speaker: str | None, kind: str = "direct") -> Quote:
    start = text.index(phrase)
    return Quote(
        kind=kind,  # type: ignore[arg-type]
        start=start,
        end=start + len(phrase),
        sentence_start=text.rfind("\n", 0, start) + 1,
        sentence_end=start + len(phrase),
        confidence=0.8,
        speaker=speaker,
    )


def seed_quotes(text: str) -> list[Quote]:
    # spans checked against the seed file's text: the quotation marks' contents
    return [
        quote_of(text, "This was a step taken in good faith towards the United States", "Trump"),
        quote_of(text, "Hopefully this is the first of those final steps", "Donald Trump"),
        quote_of(text, "war", "Mike Huckabee", "partial"),
        quote_of(text, "total panic", None, "partial"),
    ]


def make_article(text: str, path: str | None = SOURCE, title: str = "Hamas releases") -> Article:
    return Article(
        text=text, title=title, source="Mondoweiss", path=path, paragraphs=paragraph_spans(text)
    )


@pytest.fixture
def lib(tmp_path: Path) -> Library:
    return Library(tmp_path / "lib")


@pytest.fixture
def seeded(lib: Library, seed_text: str) -> tuple[Library, str]:
    article_id, status = lib.save_article(make_article(seed_text), seed_quotes(seed_text))
    assert status == "added"
    return lib, article_id


def snapshot(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in root.rglob("*") if p.is_file()}


# ----------------------------------------------------------------------------- articles


def test_new_library_layout(tmp_path: Path) -> None:
    lib = Library(tmp_path / "a" / "b")
    assert lib.is_empty()
    # the catalog is an index and shards (none yet), and so are the notes: schema 3
    index = json.loads((tmp_path / "a" / "b" / "catalog" / "index.json").read_text())
    assert next(iter(index["meta"].values()))["schema_version"] == 3
    assert index["articles"] == {} and index["shards"] == {}
    assert sorted(p.name for p in (tmp_path / "a" / "b" / "catalog").iterdir()) == ["index.json"]
    assert not (tmp_path / "a" / "b" / "catalog.json").exists()
    assert not (tmp_path / "a" / "b" / "notes.json").exists()
    assert lib.notes() == []


def test_add_then_unchanged_writes_nothing(seeded, seed_text: str) -> None:
    lib, article_id = seeded
    article = make_article(seed_text)
    assert article_id == article.content_id == article.sha256[:16]
    assert not lib.is_empty()
    assert lib.has_text(article.sha256) == article_id
    assert lib.has_text("0" * 64) is None
    before = snapshot(lib.root)
    assert lib.save_article(article, seed_quotes(seed_text)) == (article_id, "unchanged")
    # the same text from another file is the same article too
    elsewhere = make_article(seed_text, path="/elsewhere/copy.txt")
    assert lib.save_article(elsewhere, []) == (article_id, "unchanged")
    assert snapshot(lib.root) == before


def test_articles_are_summaries_without_text(seeded, seed_text: str) -> None:
    lib, article_id = seeded
    [summary] = lib.articles()
    assert set(summary.to_json()) >= {
        "id",
        "title",
        "subtitle",
        "source",
        "author",
        "date",
        "url",
        "path",
        "text_sha256",
        "quotes",
        "notes",
        "read",
        "speakers",
        "added",
    }
    assert "text" not in summary.to_json() and "paragraphs" not in summary.to_json()
    assert summary.id == article_id
    assert summary.quotes == 4
    assert summary.notes == 0
    assert summary.read is False
    assert summary.path == SOURCE
    assert lib.summary(article_id) == summary
    with pytest.raises(NotFoundError):
        lib.summary("0" * 16)
    assert datetime.fromisoformat(summary.added).utcoffset().total_seconds() == 0
    # the catalog files themselves hold no article text
    for part in (lib.root / "catalog").glob("*.json"):
        assert "backchannel negotiations" not in part.read_text(encoding="utf-8")
    assert "backchannel negotiations" in body_path(lib.root, article_id).read_text("utf-8")


def test_bodies_load_lazily(seeded, seed_text: str) -> None:
    lib, article_id = seeded
    article = lib.article(article_id)
    assert article == make_article(seed_text)
    assert article.paragraphs == paragraph_spans(seed_text)
    # listing never opens an article file: it works with the file gone...
    body = body_path(lib.root, article_id)
    body.rename(body.with_suffix(".away"))
    assert [a.id for a in lib.articles()] == [article_id]
    assert lib.speakers()
    # ...while reading the text says exactly what is missing
    with pytest.raises(LibraryError, match=re.escape(str(body))):
        lib.article(article_id)


def test_quotes_are_public_json_plus_review(seeded, seed_text: str) -> None:
    lib, article_id = seeded
    quotes = lib.quotes(article_id)
    sha = make_article(seed_text).sha256
    expected = [
        q.to_json(seed_text, sha) for q in sorted(seed_quotes(seed_text), key=lambda q: q.start)
    ]
    for got, want in zip(quotes, expected, strict=True):
        assert {k: got.to_json()[k] for k in want} == want
        assert got.article_id == article_id
        assert got.machine_speaker == want["speaker"]
        assert got.disputed is False and got.reviewed is False
        assert seed_text[got.start : got.end] == got.text


def test_speakers_group_case_insensitively(lib: Library) -> None:
    text = 'A "one" B "two" C "three" D "four"'
    quotes = [
        quote_of(text, "one", "Ana Ruiz"),
        quote_of(text, "two", "ana ruiz"),
        quote_of(text, "three", "Ana Ruiz"),
        quote_of(text, "four", "Tom Berg"),
    ]
    aid, _ = lib.save_article(make_article(text, path="/a.txt"), quotes)
    other = 'E "five"'
    lib.save_article(make_article(other, path="/b.txt"), [quote_of(other, "five", "ANA RUIZ")])
    assert lib.speakers() == [
        SpeakerSummary("Ana Ruiz", quotes=4, articles=2),
        SpeakerSummary("Tom Berg", quotes=1, articles=1),
    ]
    assert [s for a in lib.articles() if a.id == aid for s in a.speakers] == [
        "Ana Ruiz",
        "Tom Berg",
    ]
    assert {q.text for q in lib.all_quotes(speaker="aNa RuIz")} == {
        "one",
        "two",
        "three",
        "five",
    }
    assert len(lib.all_quotes()) == 5
    assert lib.all_quotes(speaker="Nobody") == []


def test_quote_outside_text_is_refused(lib: Library) -> None:
    text = "short"
    bad = Quote("direct", 2, 99, 0, 5, 0.5)
    with pytest.raises(ValueError, match="outside"):
        lib.save_article(make_article(text), [bad])
    assert lib.is_empty()


# ----------------------------------------------------------------------------- updates


def test_updated_text_keeps_id_and_reanchors_notes(seeded, seed_text: str) -> None:
    lib, article_id = seeded
    kept_phrase = "Alexander was the only living American in Hamas captivity."
    gone_phrase = "Netanyahu’s security cabinet approved that plan in a vote last week."
    start = seed_text.index(kept_phrase)
    kept = lib.add_note(
        article_id, start=start, end=start + len(kept_phrase), text="check", tags=["fact"]
    )
    start = seed_text.index(gone_phrase)
    gone = lib.add_note(article_id, start=start, end=start + len(gone_phrase), text="source?")
    q0 = lib.quotes(article_id)[0]
    on_quote = lib.add_note(
        article_id, start=q0.start, end=q0.start + 8, text="on a quote", quote_id=q0.id
    )

    new_text = "Editor's note: updated on Tuesday.\n\n" + seed_text.replace(gone_phrase, "")
    new_id, status = lib.save_article(make_article(new_text), seed_quotes(new_text))
    assert (new_id, status) == (article_id, "updated")
    assert lib.article(article_id).text == new_text
    assert len(lib.articles()) == 1
    assert lib.has_text(make_article(seed_text).sha256) is None

    notes = {n.id: n for n in lib.notes(article_id)}
    moved = notes[kept.id]
    assert new_text[moved.start : moved.end] == kept_phrase
    assert moved.start == kept.start + len("Editor's note: updated on Tuesday.\n\n")
    assert moved.orphaned is False
    assert moved.text == "check" and moved.tags == ("fact",)
    # words gone: the note is kept, flagged, never silently dropped or moved elsewhere
    lost = notes[gone.id]
    assert lost.orphaned is True and lost.text == "source?"
    assert lost.exact == gone_phrase
    assert 0 <= lost.start == lost.end <= len(new_text)  # never points at other words
    # quote ids hash the text, so they change; the note follows its quote
    new_q0 = lib.quotes(article_id)[0]
    assert new_q0.id != q0.id
    assert notes[on_quote.id].quote_id == new_q0.id

    # the words come back in a later version: the orphan finds its place again
    assert lib.save_article(make_article(seed_text), seed_quotes(seed_text))[1] == "updated"
    back = next(n for n in lib.notes(article_id) if n.id == gone.id)
    assert back.orphaned is False
    assert (back.start, back.end) == (gone.start, gone.end)


def test_reviews_survive_reingest(seeded, seed_text: str) -> None:
    lib, article_id = seeded
    panic = next(q for q in lib.quotes(article_id) if q.text == "total panic")
    lib.review_quote(article_id, panic.id, speaker="The Washington Post", disputed=True)
    new_text = seed_text.replace("Monday", "Monday morning")
    assert lib.save_article(make_article(new_text), seed_quotes(new_text))[1] == "updated"
    again = next(q for q in lib.quotes(article_id) if q.text == "total panic")
    assert again.id != panic.id
    assert again.speaker == "The Washington Post"
    assert again.machine_speaker is None
    assert again.disputed is True and again.reviewed is True
    post = SpeakerSummary("The Washington Post", quotes=1, articles=1, kind="organization")
    assert post in lib.speakers()


def test_old_text_of_another_file_gets_its_own_id(lib: Library) -> None:
    first, second = "Version one of the story.", "Version two of the story."
    a_id, _ = lib.save_article(make_article(first, path="/a.txt"), [])
    assert lib.save_article(make_article(second, path="/a.txt"), []) == (a_id, "updated")
    # /b.txt now holds /a.txt's old text: its natural id is taken by /a.txt
    b_id, status = lib.save_article(make_article(first, path="/b.txt"), [])
    assert status == "added" and b_id != a_id
    assert lib.article(b_id).text == first
    assert lib.article(a_id).text == second


def test_batch_save(lib: Library) -> None:
    results = lib.save_articles(
        [
            (make_article("one", path="/1.txt"), []),
            (make_article("two", path="/2.txt"), []),
            (make_article("one", path="/copy.txt"), []),
            (make_article("two, edited", path="/2.txt"), []),
        ]
    )
    assert [s for _, s in results] == ["added", "added", "unchanged", "updated"]
    assert results[0][0] == results[2][0] and results[1][0] == results[3][0]
    assert {a.id for a in lib.articles()} == {results[0][0], results[1][0]}
    assert lib.article(results[1][0]).text == "two, edited"


# ----------------------------------------------------------------------------- reviews


def test_review_overrides_machine_speaker(seeded) -> None:
    lib, article_id = seeded
    war = next(q for q in lib.quotes(article_id) if q.text == "war")
    got = lib.review_quote(article_id, war.id, speaker="  Mike   Huckabee Sr. ")
    assert got.speaker == "Mike Huckabee Sr."
    assert got.machine_speaker == "Mike Huckabee"
    assert got.reviewed is True and got.disputed is False
    again = next(q for q in lib.quotes(article_id) if q.id == war.id)
    assert again == got
    names = {s.speaker: s.quotes for s in lib.speakers()}
    assert names.get("Mike Huckabee") is None and names["Mike Huckabee Sr."] == 1
    assert [q.id for q in lib.all_quotes(speaker="mike huckabee sr.")] == [war.id]
    assert lib.all_quotes(speaker="Mike Huckabee") == []
    summary = lib.articles()[0]
    assert "Mike Huckabee Sr." in summary.speakers

    disputed = lib.review_quote(article_id, war.id, disputed=True)
    assert disputed.disputed is True and disputed.speaker == "Mike Huckabee Sr."
    cleared = lib.review_quote(article_id, war.id, speaker=None)
    assert cleared.speaker == "Mike Huckabee" and cleared.disputed is True
    assert lib.review_quote(article_id, war.id, speaker=UNSET).reviewed is True


def test_review_validation(seeded) -> None:
    lib, article_id = seeded
    with pytest.raises(NotFoundError, match="no quote"):
        lib.review_quote(article_id, "000000000000", disputed=True)
    with pytest.raises(NotFoundError):
        lib.review_quote("f" * 16, "000000000000", disputed=True)
    q = lib.quotes(article_id)[0]
    with pytest.raises(ValueError):
        lib.review_quote(article_id, q.id, speaker="   ")


# ----------------------------------------------------------------------------- notes


def test_notes_crud(seeded, seed_text: str) -> None:
    lib, article_id = seeded
    q = lib.quotes(article_id)[1]
    note = lib.add_note(
        article_id,
        start=q.start,
        end=q.end,
        text="Posted on Truth Social?",
        tags=["verify", " verify ", "trump"],
        quote_id=q.id,
    )
    assert uuid.UUID(note.id).version == 4
    assert note.article_id == article_id
    assert note.tags == (
        "verify",
        "trump",
    )
    assert note.exact == q.text
    assert note.prefix == seed_text[q.start - 32 : q.start]
    assert note.suffix == seed_text[q.end : q.end + 32]
    assert note.quote_id == q.id and note.orphaned is False
    assert note.created == note.updated and note.created.endswith("Z")
    assert datetime.fromisoformat(note.created).utcoffset().total_seconds() == 0
    with pytest.raises(ValueError, match="empty note"):
        lib.add_note(article_id, start=10, end=10, text=" \n ")
    point = lib.add_note(article_id, start=10, end=10, text="", tags=["later"])
    assert point.exact == ""

    assert [n.id for n in lib.notes(article_id)] == [point.id, note.id]
    assert [n.id for n in lib.notes()] == [note.id, point.id]
    assert lib.articles()[0].notes == 2

    edited = lib.update_note(note.id, text="Confirmed.", tags=["done"])
    assert edited.text == "Confirmed." and edited.tags == ("done",)
    assert edited.created == note.created and edited.updated > note.updated
    assert lib.update_note(note.id, tags=[]).text == "Confirmed."

    lib.delete_note(note.id)
    assert [n.id for n in lib.notes()] == [point.id]
    with pytest.raises(NotFoundError):
        lib.delete_note(note.id)
    with pytest.raises(NotFoundError):
        lib.update_note(note.id, text="x")
    with pytest.raises(NotFoundError):
        lib.delete_note("1")  # a TinyDB-style doc id is not a note id


def test_add_note_validation(seeded, seed_text: str) -> None:
    lib, article_id = seeded
    n = len(seed_text)
    for start, end in [(-1, 3), (5, 4), (0, n + 1), (n + 1, n + 1)]:
        with pytest.raises(ValueError, match=rf"0 <= start <= end <= {n}"):
            lib.add_note(article_id, start=start, end=end, text="x")
    lib.add_note(article_id, start=n, end=n, text="at the very end")
    with pytest.raises(ValueError):
        lib.add_note(article_id, start=1.5, end=3, text="x")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="tags"):
        lib.add_note(article_id, start=0, end=1, text="x", tags="one")
    with pytest.raises(NotFoundError, match="no article"):
        lib.add_note("0" * 16, start=0, end=1, text="x")
    with pytest.raises(NotFoundError, match="no quote"):
        lib.add_note(article_id, start=0, end=1, text="x", quote_id="abcdefabcdef")
    with pytest.raises(NotFoundError):
        lib.notes("0" * 16)
    assert len(lib.notes()) == 1


def test_saving_a_note_never_rewrites_article_texts(seeded) -> None:
    lib, article_id = seeded
    body = body_path(lib.root, article_id)
    catalog = lib.root / "catalog"
    before = (body.stat().st_ino, body.stat().st_mtime_ns, snapshot(catalog))
    note = lib.add_note(article_id, start=0, end=5, text="x")
    lib.update_note(note.id, text="y")
    lib.review_quote(article_id, lib.quotes(article_id)[0].id, disputed=True)
    lib.mark_read(article_id)
    lib.delete_note(note.id)
    assert (body.stat().st_ino, body.stat().st_mtime_ns, snapshot(catalog)) == before


def test_mark_read(seeded) -> None:
    lib, article_id = seeded
    lib.mark_read(article_id)
    assert lib.articles()[0].read is True
    lib.mark_read(article_id, read=False)
    assert lib.articles()[0].read is False
    lib.mark_read(article_id, False)
    with pytest.raises(NotFoundError):
        lib.mark_read("0123456789abcdef")


# ----------------------------------------------------------------------------- ids


def test_resolve_id(lib: Library) -> None:
    ids: dict[str, str] = {}
    n = 0
    while True:  # 17 articles guarantee two ids sharing a first hex digit
        aid, _ = lib.save_article(make_article(f"story {n}", path=f"/{n}.txt"), [])
        if aid[0] in ids:
            break
        ids[aid[0]] = aid
        n += 1
    first, other = ids[aid[0]], aid
    common = next(i for i in range(16) if first[i] != other[i])
    assert lib.resolve_id(other) == other
    assert lib.resolve_id(other.upper()) == other
    assert lib.resolve_id(other[: common + 1]) == other
    with pytest.raises(LibraryError, match="ambiguous") as err:
        lib.resolve_id(other[:common])
    assert not isinstance(err.value, NotFoundError)
    assert first in str(err.value) and other in str(err.value)
    absent = next(c for c in "0123456789abcdef" if c not in ids)
    with pytest.raises(NotFoundError):
        lib.resolve_id(absent)
    with pytest.raises(NotFoundError):
        lib.resolve_id("")


def test_public_ids_are_never_doc_ids(seeded) -> None:
    lib, article_id = seeded
    assert re.fullmatch(r"[0-9a-f]{16}", article_id)
    first = lib.add_note(article_id, start=0, end=1, text="first")
    lib.delete_note(first.id)
    # TinyDB would hand the deleted doc_id to the next insert; our ids never repeat
    second = lib.add_note(article_id, start=0, end=1, text="second")
    assert second.id != first.id
    for record in [*lib.articles(), *lib.notes(), *lib.quotes(article_id)]:
        assert "doc_id" not in record.to_json()
        assert isinstance(record.id, str)
    with pytest.raises(NotFoundError):
        lib.article("1")


# ----------------------------------------------------------------------------- schema


def test_newer_schema_is_refused_untouched(seeded) -> None:
    lib, _ = seeded
    catalog = lib.root / "catalog" / "index.json"
    data = json.loads(catalog.read_text())
    data["meta"] = {"1": {"schema_version": 999}}
    catalog.write_text(json.dumps(data))
    before = snapshot(lib.root)
    with pytest.raises(SchemaError, match="newer saidwho") as err:
        Library(lib.root)
    assert isinstance(err.value, LibraryError)
    assert "999" in str(err.value)
    assert snapshot(lib.root) == before


def test_migrations_run_in_order(seeded, monkeypatch) -> None:
    from saidwho.store import files as store_files

    lib, article_id = seeded
    ran: list[int] = []

    def to_4(root: Path) -> None:
        ran.append(4)
        assert root == lib.root

    def to_5(root: Path) -> None:
        ran.append(5)

    monkeypatch.setattr(store_files, "SCHEMA_VERSION", 5)
    monkeypatch.setattr(store_files, "MIGRATIONS", {3: to_4, 4: to_5})
    upgraded = Library(lib.root)
    assert ran == [4, 5]
    meta = json.loads((lib.root / "catalog" / "index.json").read_text())["meta"]
    assert next(iter(meta.values()))["schema_version"] == 5
    assert [a.id for a in upgraded.articles()] == [article_id]
    Library(lib.root)
    assert ran == [4, 5]  # already current: nothing runs again


def test_missing_migration_is_a_schema_error(seeded, monkeypatch) -> None:
    from saidwho.store import files as store_files

    lib, _ = seeded
    monkeypatch.setattr(store_files, "SCHEMA_VERSION", 4)
    monkeypatch.setattr(store_files, "MIGRATIONS", {})
    with pytest.raises(SchemaError, match="no migration"):
        Library(lib.root)


# ----------------------------------------------------------------------------- processes & threads


def test_two_instances_see_each_others_writes(seeded, seed_text: str) -> None:
    one, article_id = seeded
    two = Library(one.root)
    assert one.articles() == two.articles()
    note = one.add_note(article_id, start=0, end=5, text="from one")
    assert [n.id for n in two.notes(article_id)] == [note.id]
    two.update_note(note.id, text="edited by two")
    assert one.notes()[0].text == "edited by two"
    two.mark_read(article_id)
    assert one.articles()[0].read is True
    q = one.quotes(article_id)[0]
    two.review_quote(article_id, q.id, speaker="Someone Else")
    assert one.quotes(article_id)[0].speaker == "Someone Else"
    assert "Someone Else" in {s.speaker for s in one.speakers()}
    other_id, _ = two.save_article(make_article("Another story.", path="/b.txt"), [])
    assert other_id in {a.id for a in one.articles()}
    assert one.resolve_id(other_id[:10]) == other_id
    assert one.has_text(make_article("Another story.").sha256) == other_id
    one.delete_note(note.id)
    assert two.notes() == []


def test_threads_share_one_library(seeded) -> None:
    lib, article_id = seeded
    made: list[str] = []

    def work(k: int) -> None:
        for i in range(15):
            made.append(lib.add_note(article_id, start=0, end=3, text=f"{k}/{i}").id)
            lib.articles()

    threads = [threading.Thread(target=work, args=(k,)) for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(made) == sorted(n.id for n in Library(lib.root).notes())
    assert len(made) == 60


def test_dead_writers_temp_files_are_swept(seeded) -> None:
    lib, article_id = seeded
    (lib.root / "notes").mkdir(exist_ok=True)
    leftover = lib.root / "notes" / f".{article_id[:2]}.json.abc123.tmp"
    leftover.write_bytes(b'{"half')
    fresh = Library(lib.root)
    fresh.add_note(article_id, start=0, end=1, text="x")
    assert not leftover.exists()


# ----------------------------------------------------------------------------- location


def test_default_library_dir(monkeypatch, tmp_path: Path) -> None:
    monkeypatch.setenv("SAIDWHO_DB", str(tmp_path / "mine"))
    assert default_library_dir() == tmp_path / "mine"
    monkeypatch.delenv("SAIDWHO_DB")
    from platformdirs import user_data_dir

    assert default_library_dir() == Path(user_data_dir("saidwho"))


def test_library_path_that_is_a_file(tmp_path: Path) -> None:
    path = tmp_path / "file"
    path.write_text("not a dir")
    with pytest.raises(LibraryError, match=re.escape(str(path))):
        Library(path)


def test_surname_only_speaker_joins_the_one_full_name_in_the_library(lib: Library) -> None:
    first = 'A "one" B "two" C "three"'
    lib.save_article(
        make_article(first, path="/a.txt"),
        [
            quote_of(first, "one", "Ana Ruiz"),
            quote_of(first, "two", "Tom Berg"),
            quote_of(first, "three", "The Harbor Post"),
        ],
    )
    second = 'D "four" E "five" F "six"'
    lib.save_article(
        make_article(second, path="/b.txt"),
        [
            quote_of(second, "four", "Ruiz"),  # this article never gave her first name
            quote_of(second, "five", "Berg"),
            quote_of(second, "six", "Post"),  # an organisation is not a person's surname
        ],
    )
    third = 'G "seven"'
    lib.save_article(make_article(third, path="/c.txt"), [quote_of(third, "seven", "Lena Berg")])

    by_name = {s.speaker: (s.quotes, s.articles) for s in lib.speakers()}
    assert by_name["Ana Ruiz"] == (2, 2)
    # two Bergs in the library: "Berg" alone is ambiguous and stays itself
    assert by_name["Berg"] == (1, 1) and by_name["Tom Berg"] == (1, 1)
    assert by_name["Post"] == (1, 1) and by_name["The Harbor Post"] == (1, 1)
    assert "Ruiz" not in by_name
    assert [q.text for q in lib.all_quotes(speaker="ana ruiz")] == ["four", "one"]
    assert [q.text for q in lib.all_quotes(speaker="Ruiz")] == ["four", "one"]


def test_all_quotes_can_skip_a_damaged_article(lib, tmp_path):
    ids = []
    for name in ("one", "two"):
        text = f"“{name},” said Ana Ruiz."
        aid, _ = lib.save_article(
            make_article(text, path=f"/{name}.txt"), [quote_of(text, name, "Ana Ruiz")]
        )
        ids.append(aid)
    good, bad = ids
    body_path(tmp_path / "lib", bad).write_text("{")
    with pytest.raises(CorruptFileError):
        lib.all_quotes()
    skipped: list[str] = []
    quotes = lib.all_quotes(speaker="ana ruiz", on_error=lambda aid, exc: skipped.append(aid))
    assert [q.article_id for q in quotes] == [good] and skipped == [bad]


def test_interrupted_batch_save_leaves_catalog_matching_the_files(lib, tmp_path, monkeypatch):
    """Ctrl-C during `saidwho ingest`: the articles already written are listed, and
    doctor finds nothing to repair."""
    from saidwho.store import catalog as catalog_module
    from saidwho.store import doctor

    real_write = catalog_module.atomic_write
    calls = []

    def interrupted_write(path, data, **kwargs):
        calls.append(path)
        if len(calls) == 2:
            raise KeyboardInterrupt
        real_write(path, data, **kwargs)

    monkeypatch.setattr(catalog_module, "atomic_write", interrupted_write)
    texts = [f"“Line {i},” said Ana Ruiz." for i in range(3)]
    with pytest.raises(KeyboardInterrupt):
        lib.save_articles([(make_article(t, path=f"/{i}.txt"), []) for i, t in enumerate(texts)])
    monkeypatch.undo()
    assert [a.path for a in Library(tmp_path / "lib").articles()] == ["/0.txt"]
    report = doctor(tmp_path / "lib")
    assert report.ok and report.problems == []
