"""``doctor`` on the sharded catalog (store/shards.py): each shard and the index checked on
its own, a damaged one set aside and replaced by its last good copy, else rebuilt.

A shard with no good copy is left out (emptied); ``reconcile`` then rebuilds its entries
from their article files, as for a lost ``catalog.json``. The index is derived from the
shards: damaged or out of date, it is rewritten from them.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from saidwho.store import records
from saidwho.store.records import CATALOG
from saidwho.store.schema import SCHEMA_VERSION
from saidwho.store.shape import to_doc
from saidwho.store.shards import (
    INDEX,
    SHARDS,
    catalog_dir,
    check_shard,
    digest_of,
    index_path,
    index_row,
    split,
    write_layout,
)
from saidwho.store.storage import BACKUP_SUFFIX, Tables, backup_path, dumps
from saidwho.store.validate import CATALOG_SCHEMAS, valid_records

if TYPE_CHECKING:
    from saidwho.store.doctor import _Doctor


def is_sharded(root: Path) -> bool:
    """Whether the library is laid out as shards (schema 2), or has begun to be: anything
    but a schema 1 library (catalog.json, no shards yet)."""
    folder = catalog_dir(root)
    return not (root / CATALOG).exists() or (folder.is_dir() and any(folder.glob("*.json*")))


def _shard_ok(path: Path) -> Any:
    def valid(tables: Tables) -> bool:
        return (
            check_shard(path, dumps(tables)) is None
            and not valid_records(path, tables, CATALOG_SCHEMAS)[1]
        )

    return valid


def load_catalog(doc: _Doctor) -> tuple[Tables | None, str | None]:
    """The whole catalog from its shards, each checked (and with ``--repair`` restored or
    set aside); ``(None, reason)`` when there is nothing to build it from."""
    folder = catalog_dir(doc.root)
    index, reason = doc.load(index_path(doc.root))
    if index is not None:
        reason = _index_problem(index)
        index = None if reason else index
    if index is None and reason != "missing":
        # derived from the shards: set aside now, written again once they are checked
        if doc.problem(f"{doc.rel(index_path(doc.root))}: {reason}"):
            doc.move_aside(index_path(doc.root))
        else:
            return None, None  # nothing more to say without --repair
    meta = (index or {}).get("meta")
    names = {p.name.split(".")[0] for p in folder.glob("*.json")} | {
        p.name[: -len(".json" + BACKUP_SUFFIX)] for p in folder.glob("*.json" + BACKUP_SUFFIX)
    }
    names.discard(INDEX.split(".")[0])
    for row in ((index or {}).get("shards") or {}).values():
        if isinstance(row, dict) and row.get("name") in SHARDS:
            names.add(row["name"])
    articles: dict[str, Any] = {}
    for name in sorted(names):
        path = folder / f"{name}.json"
        if name not in SHARDS:
            doc.report.warnings.append(f"{doc.rel(path)}: not a catalog shard, ignored")
            continue
        tables, why = doc.load(path)
        if tables is not None:
            why = check_shard(path, dumps(tables))
        if tables is not None and why is None:
            good = doc.records(path, tables, CATALOG_SCHEMAS)
            articles.update(good.get("articles") or {})
            continue
        if not doc.problem(f"{doc.rel(path)}: {why}"):
            continue
        if path.exists():
            doc.move_aside(path)
        restored = doc.restore_backup(path, _shard_ok(path))
        if restored is not None:
            articles.update(restored.get("articles") or {})
        else:
            doc.report.actions.append(
                f"{doc.rel(path)} had no good copy: its entries are rebuilt from the article files"
            )
    if index is None and not articles and not backup_path(index_path(doc.root)).exists():
        return None, reason
    if not isinstance(meta, dict) or not meta:
        meta = {"1": to_doc(records.SchemaMeta(SCHEMA_VERSION))}
    return {"meta": meta, "articles": articles}, None


def _index_problem(index: Any) -> str | None:
    """Why a parsed index is unusable: not TinyDB-shaped, or no schema version."""
    if not all(
        isinstance(table, dict) and all(isinstance(doc, dict) for doc in table.values())
        for table in index.values()
    ):
        return "not a TinyDB database"
    meta: dict[str, Any] = next(iter((index.get("meta") or {}).values()), {})
    version = meta.get("schema_version")
    if not isinstance(version, int) or isinstance(version, bool):
        return "no schema_version in table meta"
    return None


def check_index(doc: _Doctor, catalog: Tables) -> None:
    """The index must name every shard's bytes and every entry: rewritten from the shards."""
    path = index_path(doc.root)
    moved = bool(list((doc.root / records.DAMAGED_DIR / doc.stamp).rglob(INDEX)))
    index, reason = doc.load(path)
    doc.report.files_checked -= 1  # counted by load_catalog already
    if moved and index is None:
        save_catalog(doc.root, catalog)  # reported and set aside by load_catalog
        doc.report.actions.append(f"rewrote {doc.rel(path)} from the shards")
        return
    problem = reason
    if index is not None:
        entries = catalog.get("articles") or {}
        rows = index.get("articles") or {}
        if rows != {key: index_row(e) for key, e in entries.items()}:
            problem = "does not list the catalog's entries"
        else:
            recorded = {
                r.get("name"): r.get("digest")
                for r in (index.get("shards") or {}).values()
                if isinstance(r, dict)
            }
            for name in split(entries):
                shard = catalog_dir(doc.root) / f"{name}.json"
                try:
                    if recorded.get(name) != digest_of(shard.read_bytes()):
                        problem = f"out of date for shard {name}"
                        break
                except OSError:
                    problem = f"names shard {name}, which is missing"
                    break
    if problem is None or not doc.problem(f"{doc.rel(path)}: {problem}"):
        return
    save_catalog(doc.root, catalog)
    doc.report.actions.append(f"rewrote {doc.rel(path)} from the shards")


def save_catalog(root: Path, catalog: Tables) -> None:
    """Write the whole catalog as shards and an index."""
    write_layout(root, catalog.get("meta") or {}, catalog.get("articles") or {})
