"""The schema of every record the store reads from disk.

A library file is JSON that another program, a bad disk or an older saidwho may have written:
valid JSON of the wrong shape must give one line naming the file and the record, never a
traceback. Each table has a schema (required and optional keys with their types); unknown
keys are allowed (a newer saidwho may add fields). ``Library`` reads through
:func:`valid_records` and skips what fails; ``doctor`` reports it and ``--repair`` moves just
that record aside.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from itertools import chain
from pathlib import Path
from typing import Any

from saidwho.store import records
from saidwho.store.errors import RecordError

Check = Callable[[Any], bool]


def _str(value: Any) -> bool:
    return isinstance(value, str)


def _int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _bool(value: Any) -> bool:
    return isinstance(value, bool)


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _opt(check: Check) -> Check:
    return lambda value: value is None or check(value)


# The catalog holds ~150,000 of these at 10,000 articles: the element types are checked in
# C (map, set), not by a Python call per element. JSON makes exact types, never subclasses.
_STR_TYPE, _INT_TYPE = frozenset({str}), frozenset({int})


def _str_list(value: Any) -> bool:
    return isinstance(value, list) and set(map(type, value)) <= _STR_TYPE


def _counts(value: Any) -> bool:
    return isinstance(value, dict) and _counts_of([value.values()])


def _map_of(value: Any, kind: type) -> bool:
    return isinstance(value, dict) and set(map(type, value.values())) <= {kind}


def _counts_of(groups: Iterable[Iterable[Any]]) -> bool:
    counts = list(chain.from_iterable(groups))
    return set(map(type, counts)) <= _INT_TYPE and min(counts, default=0) >= 0


def _map_of_str_lists(value: Any) -> bool:
    return _map_of(value, list) and set(map(type, chain.from_iterable(value.values()))) <= _STR_TYPE


def _spans(value: Any) -> bool:
    return isinstance(value, list) and all(
        isinstance(p, list) and len(p) == 2 and all(_int(x) for x in p) for p in value
    )


def _segments(value: Any) -> bool:
    return isinstance(value, list) and all(
        isinstance(s, dict) and _int(s.get("start")) and _int(s.get("end")) for s in value
    )


_text = _opt(_str)

# table -> (required {key: check}, optional {key: check})
Schema = tuple[dict[str, Check], dict[str, Check]]

CATALOG_ARTICLES: Schema = (
    {"id": lambda v: _str(v) and records.is_article_id(v), "text_sha256": _str},
    {
        "title": _text,
        "subtitle": _text,
        "source": _text,
        "author": _text,
        "date": _text,
        "url": _text,
        "path": _text,
        "chars": _int,
        "quotes": _int,
        "speaker_counts": _counts,
        "speakers": _str_list,
        # speaker identities (store/identities.py)
        "speaker_context": lambda v: _map_of(v, dict) and _counts_of(map(dict.values, v.values())),
        "speaker_roles": _map_of_str_lists,
        "speaker_mentions": _map_of_str_lists,
        "added": _text,
        "updated": _text,
        "body_missing": _bool,
    },
)
CATALOG_META: Schema = ({"schema_version": _int}, {})

NOTES: Schema = (
    {
        "id": lambda v: _str(v) and records.is_note_id(v),
        "article_id": _str,
        "start": _int,
        "end": _int,
        "created": _str,
    },
    {
        "text": _str,
        "tags": _str_list,
        "updated": _str,
        "exact": _str,
        "prefix": _str,
        "suffix": _str,
        "quote_id": _text,
        "orphaned": _bool,
        "text_sha256": _str,
    },
)
REVIEWS: Schema = (
    {"article_id": _str, "quote_id": _str},
    {
        "speaker_override": _text,
        "machine_speaker": _text,
        "disputed": _bool,
        "created": _str,
        "updated": _str,
        "start": _int,
        "end": _int,
        "exact": _str,
        "prefix": _str,
        "suffix": _str,
        "text_sha256": _str,
        "orphaned": _bool,
    },
)
READS: Schema = ({"article_id": _str}, {"at": _str})

BODY_ARTICLE: Schema = (
    {"id": _str, "text": _str, "text_sha256": _str},
    {
        "title": _text,
        "subtitle": _text,
        "source": _text,
        "author": _text,
        "date": _text,
        "url": _text,
        "path": _text,
        "paragraphs": _spans,
        "added": _text,
        "updated": _text,
    },
)
BODY_QUOTES: Schema = (
    {
        "id": _str,
        "kind": lambda v: v in ("direct", "partial", "indirect"),
        "start": _int,
        "end": _int,
        "sentence_start": _int,
        "sentence_end": _int,
        "confidence": _number,
    },
    {
        "text": _str,
        "speaker": _text,
        "speaker_start": _opt(_int),
        "speaker_end": _opt(_int),
        "cue": _text,
        "cue_start": _opt(_int),
        "cue_end": _opt(_int),
        "role": _text,
        "segments": _segments,
        "act": _str,
    },
)

# the reviewer's speaker decisions (Library.merge_speakers / split_speaker / rename_speaker)
SPEAKER_DECISIONS: Schema = (
    {
        "id": lambda v: _str(v) and records.is_note_id(v),
        "op": lambda v: v in ("merge", "split", "rename"),
        "at": _str,
    },
    {"names": _str_list, "into": _str, "name": _str, "alias": _str, "new": _str},
)

CATALOG_SCHEMAS = {"articles": CATALOG_ARTICLES, "meta": CATALOG_META}
NOTES_SCHEMAS = {"notes": NOTES, "reviews": REVIEWS, "reads": READS, "speakers": SPEAKER_DECISIONS}
BODY_SCHEMAS = {"article": BODY_ARTICLE, "quotes": BODY_QUOTES}


def problem(doc: Any, schema: Schema) -> str | None:
    """What is wrong with one record, or None."""
    if not isinstance(doc, dict):
        return f"not an object but {type(doc).__name__}"
    required, optional = schema
    for key, check in required.items():
        if key not in doc:
            return f"no {key!r}"
        if not check(doc[key]):
            return f"{key!r} is {_show(doc[key])}"
    for key, check in optional.items():
        if key in doc and not check(doc[key]):
            return f"{key!r} is {_show(doc[key])}"
    if _int(doc.get("start")) and _int(doc.get("end")) and doc["start"] > doc["end"]:
        return "'start' is after 'end'"
    return None


def _show(value: Any) -> str:
    shown = repr(value)
    return shown if len(shown) <= 40 else shown[:39] + "…"


_NOTHING = object()


def valid_records(
    path: Path,
    tables: dict[str, Any],
    schemas: dict[str, Schema],
    passed: dict[str, dict[str, Any]] | None = None,
) -> tuple[dict[str, dict[str, Any]], list[RecordError]]:
    """``tables`` with every record that fails its schema left out, and one error each.
    The input is never modified. ``passed``: the result of an earlier call on a version
    of these tables whose records are replaced, never edited in place (the catalog): a
    record that is the very object that passed then is not checked again."""
    out: dict[str, dict[str, Any]] = {}
    errors: list[RecordError] = []
    for name, table in tables.items():
        # a table no schema knows (a newer saidwho's) need only be TinyDB-shaped
        schema = schemas.get(name, ({}, {}))
        if not isinstance(table, dict):
            errors.append(RecordError(path, name, "*", f"the table is {_show(table)}"))
            continue
        good: dict[str, Any] = {}
        before = (passed or {}).get(name) or {}
        for key, doc in table.items():
            if before.get(key, _NOTHING) is doc:
                good[key] = doc
                continue
            reason = problem(doc, schema)
            if reason is None:
                good[key] = doc
            else:
                errors.append(RecordError(path, name, key, reason))
        out[name] = table if len(good) == len(table) else good
    return out, errors


def valid_body(
    path: Path, tables: dict[str, Any]
) -> tuple[dict[str, Any], list[RecordError], str | None]:
    """An article file's tables without its bad quotes, the errors, and why the whole file
    is unusable (a bad or missing article record: no text to show), or None."""
    good, errors = valid_records(path, tables, BODY_SCHEMAS)
    fatal = next((f"article record: {e.reason}" for e in errors if e.table == "article"), None)
    if fatal is None and not good.get("article"):
        fatal = "no article record"
    if fatal is not None:
        return good, errors, fatal
    length = len(next(iter(good["article"].values()))["text"])
    quotes = good.get("quotes", {})
    outside = [k for k, q in quotes.items() if q["end"] > length]
    if outside:
        errors += [RecordError(path, "quotes", k, "lies outside the text") for k in outside]
        good = {**good, "quotes": {k: q for k, q in quotes.items() if k not in outside}}
    return good, errors, None
