"""Check every file of a library and, when asked, repair what can be repaired.

Repairs never delete user data: a damaged file is moved to ``damaged/<time>/`` first, then
replaced by its last good copy (``<name>.bak``). The catalog is derived data, so without a good
copy it is rebuilt from the article files. An article whose text is lost keeps its catalog entry
(flagged ``body_missing``) so that adding the same file again restores it under the same id,
with its notes.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from filelock import FileLock, Timeout

from saidwho.store import records
from saidwho.store.article_rows import LIST_DIR, is_list_file
from saidwho.store.errors import CorruptFileError, RecordError
from saidwho.store.journal import JOURNAL, checkpoint, replay
from saidwho.store.note_doctor import check_notes_index, journal_of, known_note_file, note_files
from saidwho.store.note_shards import NOTES_DIR, merge
from saidwho.store.records import ARTICLES_DIR, CATALOG, DAMAGED_DIR, LOCK, NOTES
from saidwho.store.schema import MIGRATIONS, SCHEMA_VERSION
from saidwho.store.shape import to_doc
from saidwho.store.shard_doctor import check_index, is_sharded, load_catalog, save_catalog
from saidwho.store.shards import CATALOG_DIR, SHARDS, catalog_dir, digest_of, index_path
from saidwho.store.storage import (
    BACKUP_SUFFIX,
    Tables,
    atomic_write,
    backup_path,
    dumps,
    is_temp_file,
    loads,
)
from saidwho.store.targets import check_target, kind
from saidwho.store.validate import CATALOG_SCHEMAS, NOTES_SCHEMAS, Schema, valid_body, valid_records


@dataclass
class DoctorReport:
    """What ``doctor`` found and did. ``ok``: nothing is left broken."""

    root: Path
    files_checked: int = 0
    problems: list[str] = field(default_factory=list)  # what was wrong
    actions: list[str] = field(default_factory=list)  # what repair did
    unresolved: list[str] = field(default_factory=list)  # still wrong afterwards
    warnings: list[str] = field(default_factory=list)  # worth knowing, not broken

    @property
    def ok(self) -> bool:
        return not self.unresolved

    def to_json(self) -> dict[str, Any]:
        return {
            "root": str(self.root),
            "ok": self.ok,
            "files_checked": self.files_checked,
            "problems": list(self.problems),
            "actions": list(self.actions),
            "unresolved": list(self.unresolved),
            "warnings": list(self.warnings),
        }

    def format(self) -> str:
        return "\n".join(self.lines())

    def lines(self) -> list[str]:
        out = [f"checked {self.files_checked} files in {self.root}"]
        out += [f"problem: {p}" for p in self.problems]
        out += [f"repaired: {a}" for a in self.actions]
        out += [f"unresolved: {u}" for u in self.unresolved]
        out += [f"warning: {w}" for w in self.warnings]
        if not self.problems:
            out.append("library is healthy")
        return out


class _Doctor:
    def __init__(self, root: Path, repair: bool) -> None:
        self.root = root
        self.repair = repair
        self.report = DoctorReport(root)
        self.sharded = False
        self.stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")

    def problem(self, message: str, *, fixable: bool = True) -> bool:
        """Record a problem; True when the caller should go on and repair it."""
        self.report.problems.append(message)
        if self.repair and fixable:
            return True
        self.report.unresolved.append(message)
        return False

    def rel(self, path: Path) -> str:
        return str(path.relative_to(self.root))

    def move_aside(self, path: Path) -> Path:
        dest = self.root / DAMAGED_DIR / self.stamp / path.relative_to(self.root)
        check_target(dest, self.root)  # damaged/ itself must not lead out of the library
        dest.parent.mkdir(parents=True, exist_ok=True)
        n = 0
        while dest.exists():
            n += 1
            dest = dest.with_name(f"{dest.name}.{n}")
        os.replace(path, dest)
        self.report.actions.append(f"moved damaged {self.rel(path)} to {self.rel(dest)}")
        return dest

    def load(self, path: Path) -> tuple[Tables | None, str | None]:
        """(tables, None) when the file is a JSON object, (None, reason) when it is not.
        The records inside are checked one by one (``records``), not here."""
        self.report.files_checked += 1
        try:
            problem = kind(os.lstat(path).st_mode)
            if problem:  # a FIFO would block the read; a link is reported by check_links
                return None, problem
            data = loads(path.read_bytes(), path)
        except FileNotFoundError:
            return None, "missing"
        except OSError as exc:
            return None, f"cannot be read: {exc.strerror or exc}"
        except CorruptFileError as exc:
            return None, exc.reason
        if not isinstance(data, dict):
            return None, "not a TinyDB database"
        return data, None

    def records(self, path: Path, tables: Tables, schemas: dict[str, Schema]) -> Tables:
        """``tables`` without the records of the wrong shape: each is a problem; repair moves
        just those records to ``damaged/`` and rewrites the file without them."""
        good, errors = valid_records(path, tables, schemas)
        if journal_of(self.root, path) is not None:  # a notes file: and what an import
            # refuses, the same checks (note_import)
            from saidwho.store.note_import import stored_problem

            errors += [
                RecordError(path, name, key, reason)
                for name, table in good.items()
                for key, doc in table.items()
                if (reason := stored_problem(name, doc)) is not None
            ]
            bad = {(e.table, e.key) for e in errors}
            good = {
                name: {k: d for k, d in table.items() if (name, k) not in bad}
                for name, table in good.items()
            }
        return self.drop_records(path, tables, good, errors)

    def drop_records(
        self, path: Path, tables: Tables, good: Tables, errors: list[RecordError]
    ) -> Tables:
        fixing = False
        for error in errors:
            fixing = self.problem(f"{self.rel(path)}: record {error.table}/{error.key}: "
                                  f"{error.reason}") or fixing  # fmt: skip
        if not errors or not fixing:
            return good
        bad: dict[str, dict[str, Any]] = {}
        for error in errors:
            table = tables.get(error.table)
            value = table if error.key == "*" or not isinstance(table, dict) else table[error.key]
            bad.setdefault(error.table, {})[error.key] = value
        dest = self.root / DAMAGED_DIR / self.stamp / (self.rel(path) + ".records.json")
        atomic_write(
            dest,
            json.dumps(bad, ensure_ascii=False, indent=1).encode(),
            backup=False,
            root=self.root,
        )
        atomic_write(path, dumps(good))
        journal = journal_of(self.root, path)
        if journal is not None:  # or a replay would bring the bad records back
            checkpoint(journal, good)
        self.report.actions.append(
            f"moved {len(errors)} bad record(s) of {self.rel(path)} to {self.rel(dest)}"
        )
        return good

    def restore_backup(self, path: Path, valid: Any) -> Tables | None:
        """Put the last good copy back in place if it passes ``valid``; returns its tables."""
        bak = backup_path(path)
        if not bak.exists():
            return None
        tables, reason = self.load(bak)
        if tables is None or not valid(tables):
            self.report.warnings.append(f"the last good copy {self.rel(bak)} is unusable too")
            return None
        atomic_write(path, dumps(tables), backup=False)
        self.report.actions.append(f"restored {self.rel(path)} from {self.rel(bak)}")
        return tables

    # ------------------------------------------------------------------ steps

    def run(self) -> DoctorReport:
        # schema 2 keeps the catalog as shards and an index; schema 1 as catalog.json
        self.sharded = is_sharded(self.root)
        catalog_path = index_path(self.root) if self.sharded else self.root / CATALOG
        name = self.rel(catalog_path)
        catalog, reason = self.load(catalog_path)
        if self.sharded:
            self.report.files_checked -= 1  # counted again with the shards
        if catalog is not None:
            version = _version(catalog)
            if version is not None and version > SCHEMA_VERSION:
                # Never touch a library from the future: we do not know its rules.
                self.problem(
                    f"{name}: schema {version} is newer than this saidwho understands "
                    f"({SCHEMA_VERSION}); upgrade saidwho. Nothing was changed.",
                    fixable=False,
                )
                return self.report
            if version is not None and version < SCHEMA_VERSION and version not in MIGRATIONS:
                # `saidwho list` refuses it: so must doctor (a guess here could lose data)
                self.problem(
                    f"{name}: schema {version} cannot be opened (no migration to "
                    f"{SCHEMA_VERSION}). Nothing was changed.",
                    fixable=False,
                )
                return self.report
        self.check_links()
        self.clean_temp_files()
        notes = self.check_notes()
        bodies = self.check_bodies()
        if self.sharded:
            catalog, reason = load_catalog(self)  # each shard checked and repaired alone
        catalog = self.check_catalog(catalog, reason, bodies)
        if catalog is not None:
            self.reconcile(catalog, bodies)
            if self.sharded:
                check_index(self, catalog)
        if notes is not None:
            self.check_references(notes, catalog)
        self.check_feeds()
        if catalog is not None:
            self.check_trails(bodies)
            self.check_quote_map(bodies)
            self.check_queue_index(catalog, bodies)
            self.check_speaker_index(catalog, notes)
        self.check_archive()
        return self.report

    def check_archive(self) -> None:
        """Every archived record still hashes to its recorded digest (store/archive.py).
        Archived bytes cannot be made again: a damaged one is reported, never repaired."""
        from saidwho.store import archive, versions

        for path, article_id, number, ref, reason in versions.archive_refs(self.root):
            self.report.files_checked += 1
            if ref is None:
                self.problem(f"{self.rel(path)}: {reason}", fixable=False)
                continue
            problem = archive.check(self.root, ref)
            if problem is not None:
                self.problem(f"archive of article {article_id} v{number}: {problem}", fixable=False)

    def check_feeds(self) -> None:
        from saidwho.store.feeds import FEEDS, feeds_ok

        path = self.root / FEEDS
        if not path.exists() or kind(os.lstat(path).st_mode):
            return  # no subscriptions yet, or a link/FIFO (check_links reports it)
        tables, reason = self.load(path)
        if tables is not None and feeds_ok(tables):
            return
        if not self.problem(f"{FEEDS}: {reason or 'unexpected records'}"):
            return
        self.move_aside(path)
        if self.restore_backup(path, feeds_ok) is None:
            self.report.warnings.append(
                f"{FEEDS} had no good copy: add the subscriptions again (the damaged one is kept)"
            )

    def check_trails(self, bodies: dict[str, Tables]) -> None:
        """The quote-trail index is derived (store/trail_shards.py): checked against the
        article files. Missing or damaged, it is built on next use (or now by --repair);
        out of date, --repair updates the articles that differ."""
        from saidwho.store import trail_shards
        from saidwho.store.trail_index import body_entries, version_of

        want = {aid: version_of(records.summary(body)) for aid, body in bodies.items()}
        name = self.rel(trail_shards.index_dir(self.root))
        old = self.root / trail_shards.OLD_FILE
        self.report.files_checked += 1
        found = trail_shards.problem(self.root, want)
        if found is not None:
            reason, in_place = found
            if in_place:
                self.report.warnings.append(f"{name}: {reason}; --repair updates them")
            elif reason != "missing" or old.exists():
                self.report.warnings.append(
                    f"{name}: {reason}; built on next use, or now by --repair"
                )
            if self.repair:
                if in_place:
                    n = trail_shards.sync(self.root, want, lambda a: body_entries(bodies[a]))
                    self.report.actions.append(f"updated {name} ({n} articles)")
                else:
                    count = trail_shards.build(
                        self.root, sorted(want.items()), lambda a: body_entries(bodies[a])
                    )
                    self.report.actions.append(f"rebuilt {name} ({count} articles)")

    def check_quote_map(self, bodies: dict[str, Tables]) -> None:
        """The quote map is derived (store/quote_map.py): checked against the article files.
        Missing or damaged, it is built on next use; out of date, --repair rebuilds it."""
        from saidwho.store.quote_map import MapDamaged, QuoteMap, map_dir, tables_ids

        qmap = QuoteMap(self.root)
        expected = tables_ids(bodies)
        self.report.files_checked += 1
        problem = qmap.problem(expected)
        if problem is None:
            return
        name = self.rel(map_dir(self.root))
        try:
            qmap.starting("0")
            self.report.warnings.append(f"{name}: {problem}; --repair rebuilds it")
        except MapDamaged:
            self.report.warnings.append(f"{name}: {problem}; built on next use, or now by --repair")
        if self.repair:
            count = qmap.write_all(expected)
            self.report.actions.append(f"rebuilt {name} ({count} quotes of {len(bodies)} articles)")

    def check_queue_index(self, catalog: Tables, bodies: dict[str, Tables]) -> None:
        """The review queue's files are derived (store/queue_index.py): each one made from
        its shard as it is now must list the quotes of the article files; --repair writes
        it again (a stale or missing one is made again on the next read)."""
        from saidwho.store import queue_index

        entries = catalog.get("articles") or {}
        for shard, why, expected in queue_index.doctor_check(self.root, entries, bodies):
            path = queue_index.queue_path(self.root, shard)
            if why == "damaged":  # made again on the next read
                self.report.warnings.append(
                    f"{self.rel(path)}: {why}; made again on next use, or now by --repair"
                )
            elif not self.problem(f"{self.rel(path)}: {why}"):
                continue
            if self.repair:
                path.unlink(missing_ok=True)  # derived: written again, never restored
                if expected is not None:
                    raw = (catalog_dir(self.root) / f"{shard}.json").read_bytes()
                    queue_index.write_file(self.root, shard, digest_of(raw), expected)
                    self.report.actions.append(f"rebuilt {self.rel(path)}")

    def check_speaker_index(self, catalog: Tables, notes: Tables | None) -> None:
        """The speaker index is derived (store/speaker_index.py): checked against a build
        from the catalog and the reassignments; --repair rebuilds it."""
        from saidwho.store.speaker_index import SPEAKERS_DIR, SpeakerIndex
        from saidwho.store.speakers import article_input

        index = SpeakerIndex(self.root)
        if not (self.root / SPEAKERS_DIR).exists() and not self.repair:
            return  # built on first need
        reviews: dict[str, list[dict[str, Any]]] = {}
        for review in ((notes or {}).get("reviews") or {}).values():
            reviews.setdefault(review.get("article_id"), []).append(review)
        inputs = [
            article_input(entry, reviews.get(entry["id"]))
            for entry in (catalog.get("articles") or {}).values()
            if isinstance(entry.get("id"), str)
        ]
        self.report.files_checked += 1
        problem = index.problem(inputs)
        if problem is None:
            return
        self.report.warnings.append(f"{SPEAKERS_DIR}/: {problem}; --repair rebuilds it")
        if self.repair:
            index.build(inputs)
            self.report.actions.append(f"rebuilt {SPEAKERS_DIR}/ ({len(inputs)} articles)")

    def check_links(self) -> None:
        """Links and non-regular files are problems (the store refuses to write them; repair
        moves them, never what they point to, aside); files saidwho does not write are
        worth a warning. Links are never followed."""
        for path in sorted(_walk(self.root)):
            rel = self.rel(path)
            if Path(rel).parts[0] == DAMAGED_DIR and len(Path(rel).parts) > 1:
                continue  # what repair set aside, links included, stays as it was
            problem = kind(os.lstat(path).st_mode)
            if problem == "is a folder, not a file":
                if rel not in _FOLDERS and not _is_shard_dir(rel):
                    self.report.warnings.append(f"{rel}: a folder saidwho does not use")
                continue
            if problem:
                if self.problem(f"{rel}: {problem}; saidwho will not write it"):
                    self.move_aside(path)
            elif not _known_file(rel):
                self.report.warnings.append(f"{rel}: a file saidwho does not write")

    def clean_temp_files(self) -> None:
        temps = [p for p in self.root.rglob("*") if p.is_file() and is_temp_file(p)]
        if not temps:
            return
        # Temp files are writes that never completed: no acknowledged data lives only there.
        if self.problem(f"{len(temps)} temp file(s) left by interrupted writes"):
            for path in temps:
                path.unlink(missing_ok=True)
            self.report.actions.append(f"removed {len(temps)} temp file(s)")

    def check_notes(self) -> Tables | None:
        """What the user wrote: every notes shard (and a notes.json not yet migrated), each
        checked, restored and caught up from its own journal; then the shards' index."""
        parts: list[Tables] = []
        lost = False
        for path, journal in note_files(self.root):
            tables = self.check_note_file(path, journal)
            if tables is None:
                lost = True
            else:
                parts.append(tables)
        check_notes_index(self)
        return None if lost and not parts else merge(parts)

    def check_note_file(self, path: Path, journal_file: Path) -> Tables | None:
        name, journal_name = self.rel(path), self.rel(journal_file)
        # the journal first: a writer appends to it after writing the file, so read in
        # this order the journal never looks ahead of the file
        journaled = self.journal(journal_file)
        if not path.exists() and not backup_path(path).exists() and journaled is None:
            return {}
        tables, reason = self.load(path)
        if tables is not None:
            tables = self.records(path, tables, NOTES_SCHEMAS)
            return self.catch_up(path, tables, journaled, journal_name)
        if not self.problem(f"{name}: {reason}"):
            return None
        if path.exists():
            self.move_aside(path)
        restored = self.restore_backup(path, _notes_ok)
        if journaled is not None:
            # the journal holds every acknowledged write: it rebuilds the file whole
            base = restored or {}
            recovered = _differing(journaled, base)
            atomic_write(path, dumps(journaled), backup=False)
            source = "the last good copy" if restored is not None else "an empty file"
            self.report.actions.append(
                f"rebuilt {name} from {journal_name}: recovered {recovered} record(s) that "
                f"{source} lacked"
            )
            return journaled
        if restored is not None:
            return restored
        atomic_write(path, dumps({"notes": {}, "reviews": {}, "reads": {}}), backup=False)
        self.report.actions.append(
            f"started an empty {name}: no good copy was left (the damaged one is kept)"
        )
        return {}

    def journal(self, path: Path) -> Tables | None:
        """What a journal says its file holds (records of the right shape only)."""
        if not path.is_file() or path.is_symlink():
            return None  # absent, or not ours to read (check_links reports it)
        self.report.files_checked += 1
        state, torn = replay(path)
        if torn:
            self.report.warnings.append(
                f"{self.rel(path)}: {torn} unreadable line(s) skipped (a write cut short)"
            )
        if state is None:
            return None
        good, _ = valid_records(path, state, NOTES_SCHEMAS)
        return good

    def catch_up(
        self, path: Path, tables: Tables, journaled: Tables | None, journal_name: str
    ) -> Tables:
        """Records the journal holds that a readable file lacks (an old copy put back by
        hand, say) are put back."""
        if journaled is None:
            return tables
        lacking = [
            (name, key)
            for name, docs in journaled.items()
            for key in docs
            if key not in (tables.get(name) or {})
        ]
        if not lacking or not self.problem(
            f"{self.rel(path)} lacks {len(lacking)} record(s) that {journal_name} holds"
        ):
            return tables
        merged = {name: dict(docs) for name, docs in tables.items()}
        for name, key in lacking:
            merged.setdefault(name, {})[key] = journaled[name][key]
        atomic_write(path, dumps(merged))
        self.report.actions.append(f"recovered {len(lacking)} record(s) from {journal_name}")
        return merged

    def check_bodies(self) -> dict[str, Tables]:
        """Every usable article file, by article id; damaged ones restored or set aside."""
        bodies: dict[str, Tables] = {}
        base = self.root / ARTICLES_DIR
        if not base.is_dir():
            return bodies
        paths = {p for p in base.glob("*/*.json")}
        # a .bak whose file vanished (crash between moves, or a user deleting it) still counts
        paths |= {p.with_name(p.name[: -len(BACKUP_SUFFIX)]) for p in base.glob("*/*.json.bak")}
        for path in sorted(paths):
            article_id = path.stem
            if not records.is_article_id(article_id):
                self.report.warnings.append(f"{self.rel(path)}: not an article file, ignored")
                continue

            def valid(tables: Tables, article_id: str = article_id) -> bool:
                _, errors, fatal = valid_body(Path(), tables)
                return not errors and fatal is None and not records.check_body(tables, article_id)

            if path.exists():
                tables, reason = self.load(path)
                if tables is not None:
                    good, errors, reason = valid_body(path, tables)
                    if reason is None:
                        good = self.drop_records(path, tables, good, errors)
                        reason = records.check_body(good, article_id)
                if tables is not None and reason is None:
                    bodies[article_id] = good
                    continue
            else:
                reason = "missing"
            if not self.problem(f"{self.rel(path)}: {reason}"):
                continue
            if path.exists():
                self.move_aside(path)
            restored = self.restore_backup(path, valid)
            if restored is not None:
                bodies[article_id] = restored
        return bodies

    def check_catalog(
        self, catalog: Tables | None, reason: str | None, bodies: dict[str, Tables]
    ) -> Tables | None:
        path = self.root / CATALOG
        if catalog is not None and _version(catalog) is not None:
            if self.sharded:
                return catalog  # load_catalog checked each shard's records
            # a bad entry is set aside alone; reconcile rebuilds it from its article file
            return self.records(path, catalog, CATALOG_SCHEMAS)
        if self.sharded:
            path = index_path(self.root)
        if catalog is None and not path.exists():
            if not bodies and not backup_path(path).exists():
                return None  # not a library yet (or an empty one): nothing to check
            reason = "missing"
        reason = reason or "unexpected records"
        if not self.problem(f"{self.rel(path)}: {reason}"):
            return None
        if path.exists():
            self.move_aside(path)
        restored = None if self.sharded else self.restore_backup(path, _catalog_ok)
        if restored is not None:
            return restored
        meta = to_doc(records.SchemaMeta(SCHEMA_VERSION))
        rebuilt: Tables = {"meta": {"1": meta}, "articles": {}}
        for article_id, body in bodies.items():
            rebuilt["articles"][str(records.article_doc_id(article_id))] = records.summary(body)
        if self.sharded:
            save_catalog(self.root, rebuilt)
        else:
            atomic_write(path, dumps(rebuilt), backup=False)
        self.report.actions.append(
            f"rebuilt {CATALOG_DIR if self.sharded else CATALOG} from {len(bodies)} article file(s)"
            " (read marks, notes and reviews live in notes/ and are kept)"
        )
        return rebuilt

    def reconcile(self, catalog: Tables, bodies: dict[str, Tables]) -> None:
        """The catalog must describe exactly the article files on disk."""
        entries: dict[str, dict[str, Any]] = catalog.setdefault("articles", {})
        changed = False
        for article_id, body in bodies.items():
            key = str(records.article_doc_id(article_id))
            want = records.summary(body)
            have = entries.get(key)
            if have == want:
                continue
            if have is not None and all(have.get(k) == v for k, v in want.items() if k in have):
                # written by an older saidwho: only derived fields it did not know are missing
                # (the library fills them in as it goes): not damage
                if self.repair:
                    entries[key] = want
                    changed = True
                    self.report.actions.append(f"catalog entry for {article_id} brought up to date")
                continue
            what = "has no catalog entry" if key not in entries else "catalog entry is stale"
            if self.problem(f"article {article_id} {what}"):
                entries[key] = want
                changed = True
                self.report.actions.append(f"catalog entry for {article_id} rebuilt")
        for entry in entries.values():
            article_id = entry.get("id", "?")
            if article_id in bodies or entry.get("body_missing"):
                if entry.get("body_missing") and article_id not in bodies:
                    self.report.warnings.append(
                        f"article {article_id}: text lost; add {entry.get('path') or 'it'} again"
                    )
                continue
            if self.problem(f"article {article_id}: its text file is missing"):
                entry["body_missing"] = True
                changed = True
                self.report.actions.append(
                    f"kept catalog entry {article_id} flagged body_missing; adding "
                    f"{entry.get('path') or 'the article'} again restores it with its notes"
                )
        if changed and self.sharded:
            save_catalog(self.root, catalog)
        elif changed:
            atomic_write(self.root / CATALOG, dumps(catalog))

    def check_references(self, notes: Tables, catalog: Tables | None) -> None:
        known = {e.get("id") for e in (catalog or {}).get("articles", {}).values()}
        for table in ("notes", "reviews"):
            stray = [d for d in notes.get(table, {}).values() if d.get("article_id") not in known]
            if stray:
                self.report.warnings.append(
                    f"{len(stray)} {table} refer to articles not in the catalog (kept)"
                )
            orphaned = [d for d in notes.get(table, {}).values() if d.get("orphaned")]
            if orphaned:
                self.report.warnings.append(
                    f"{len(orphaned)} {table} lost their place after a text change (orphaned)"
                )


def _version(tables: Tables) -> int | None:
    meta = tables.get("meta")
    doc = next(iter(meta.values()), None) if isinstance(meta, dict) else None
    version = doc.get("schema_version") if isinstance(doc, dict) else None
    return version if isinstance(version, int) and not isinstance(version, bool) else None


def _differing(tables: Tables, base: Tables) -> int:
    """How many records of ``tables`` ``base`` lacks or holds otherwise."""
    return sum(
        1
        for name, docs in tables.items()
        for key, doc in docs.items()
        if (base.get(name) or {}).get(key) != doc
    )


def _catalog_ok(tables: Tables) -> bool:
    return _version(tables) is not None and not valid_records(Path(), tables, CATALOG_SCHEMAS)[1]


def _notes_ok(tables: Tables) -> bool:
    return not valid_records(Path(), tables, NOTES_SCHEMAS)[1]


def doctor(root: str | os.PathLike[str], *, repair: bool = False) -> DoctorReport:
    """Check the library at ``root``; with ``repair=True`` fix what can be fixed.

    Holds the library lock throughout, so it is safe while saidwho runs elsewhere.
    """
    path = Path(root).expanduser()
    if not path.is_dir():
        report = DoctorReport(path)
        report.problems.append(f"{path} is not a library directory")
        report.unresolved.append(report.problems[0])
        return report
    lock_path = path / LOCK
    # a plain check writes nothing: on a read-only library (or one never written to) it
    # runs without the lock rather than create a lock file
    unlocked = not repair and not os.access(lock_path, os.W_OK)
    lock = FileLock(str(lock_path), timeout=60, thread_local=False)
    try:
        if unlocked:
            return _Doctor(path, repair).run()
        with lock:
            return _Doctor(path, repair).run()
    except Timeout:
        report = DoctorReport(path)
        report.problems.append("the library is locked by another saidwho process")
        report.unresolved.append(report.problems[0])
        return report
    except OSError as exc:  # a read-only library folder, a full disk
        report = DoctorReport(path)
        where = f"{exc.filename}: " if exc.filename else ""
        report.problems.append(f"cannot write to the library: {where}{exc.strerror or exc}")
        report.unresolved.append(report.problems[0])
        return report


_FOLDERS = {
    ARTICLES_DIR,
    DAMAGED_DIR,
    CATALOG_DIR,
    "quote-map",
    "queue",
    "speakers",
    "speakers/articles",
    "speakers/names",
    "trail-index",
    *(
        f"trail-index/{family}"
        for family in ("quotes", "articles", "words", "postings", "trails", "members")
    ),
    f"{CATALOG_DIR}/{LIST_DIR}",
    "migrated",
    "migrated/schema-1",
    "migrated/schema-2",
    NOTES_DIR,
    "archive",
    "versions",
}


def _walk(root: Path) -> list[Path]:
    """Every entry under ``root``; linked folders are listed, not entered."""
    out = []
    for folder, dirs, files in os.walk(root):
        for name in dirs + files:
            out.append(Path(folder) / name)
    return out


def _is_shard_dir(rel: str) -> bool:
    """articles/ab, versions/ab, archive/ab and archive/ab/<article id>."""
    from saidwho.store.archive import ARCHIVE_DIR
    from saidwho.store.versions import VERSIONS_DIR

    parts = Path(rel).parts
    if len(parts) == 2:
        return parts[0] in (ARTICLES_DIR, VERSIONS_DIR, ARCHIVE_DIR) and len(parts[1]) == 2
    return len(parts) == 3 and parts[0] == ARCHIVE_DIR and records.is_article_id(parts[2])


_WARC_NAME = re.compile(r"v\d+\.warc\.gz")


def _known_file(rel: str) -> bool:
    """A file the store writes (or a generation or temp file of one)."""
    from saidwho.store.archive import ARCHIVE_DIR
    from saidwho.store.feeds import FEEDS
    from saidwho.store.speaker_names import FILE as SPEAKER_NAMES
    from saidwho.store.trail_shards import OLD_FILE, is_index_file
    from saidwho.store.versions import CHANGED_MARKS, VERSIONS_DIR

    path = Path(rel)
    name = path.name.removesuffix(BACKUP_SUFFIX)
    if is_temp_file(path):
        return True
    if len(path.parts) == 1:
        return name in {CATALOG, NOTES, JOURNAL, LOCK, FEEDS, SPEAKER_NAMES, OLD_FILE}
    if is_index_file(path):  # the quote-trail index (store/trail_shards.py)
        return True
    if len(path.parts) == 2 and path.parts[0] == VERSIONS_DIR:
        return name == CHANGED_MARKS  # the library's "quotes changed" marks
    if len(path.parts) == 4 and path.parts[0] == ARCHIVE_DIR:  # archive/ab/<id>/v<N>.warc.gz
        return records.is_article_id(path.parts[2]) and _WARC_NAME.fullmatch(name) is not None
    if len(path.parts) == 2 and path.parts[0] == CATALOG_DIR:  # shards and their index
        return name == "index.json" or name.removesuffix(".json") in SHARDS
    if len(path.parts) == 2 and path.parts[0] == "quote-map":  # store/quote_map.py
        return name == "index.json" or name.removesuffix(".json") in SHARDS
    if len(path.parts) == 2 and path.parts[0] == "queue":  # store/queue_index.py
        return name.removesuffix(".json") in SHARDS
    if path.parts[0] == "speakers" and len(path.parts) in (2, 3):  # store/speaker_index.py
        if len(path.parts) == 3:
            return path.parts[1] in ("articles", "names") and name.removesuffix(".json") in SHARDS
        return name == "state.json" or name.removesuffix(".json") in SHARDS
    if path.parent == Path(CATALOG_DIR, LIST_DIR):  # the list's rows (store/article_rows.py)
        return is_list_file(name)
    if path.parent == Path("migrated", "schema-1"):  # what the 1 -> 2 migration kept
        return name == CATALOG
    if path.parent == Path("migrated", "schema-2"):  # what the 2 -> 3 migration kept
        kept = re.sub(r"\.\d+$", "", path.name).removesuffix(BACKUP_SUFFIX)  # notes.json.1
        return kept in (NOTES, JOURNAL)
    if len(path.parts) == 2 and path.parts[0] == NOTES_DIR:  # notes shards, journals, index
        return known_note_file(path)
    return (
        len(path.parts) == 3
        and path.parts[0] in (ARTICLES_DIR, VERSIONS_DIR)
        and records.is_article_id(name.removesuffix(".json"))
        and name.endswith(".json")
    )
