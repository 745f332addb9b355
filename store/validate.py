"""The schema of every record the store reads from disk.

A library file is JSON that another program, a bad disk or an older saidwho may have written:
valid JSON of the wrong shape must give one line naming the file and the record, never a
traceback. Each table has a schema (required and optional keys with their types); unknown
keys are allowed (a newer saidwho may add fields). ``Library`` reads through
:func:`valid_records` and skips what fails; ``doctor`` reports it and ``--repair`` moves just
that record aside.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable, Iterable, Mapping
from itertools import chain
from pathlib import Path
from types import UnionType
from typing import Any, Literal, Union, get_args, get_origin

from saidwho.store import records
from saidwho.store.errors import RecordError
from saidwho.store.shape import Key, keys

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


# table -> (required {key: check}, optional {key: check})
Schema = tuple[dict[str, Check], dict[str, Check]]

_SIMPLE: dict[Any, Check] = {str: _str, int: _int, float: _number, bool: _bool}


def _spans(value: Any) -> bool:
    return isinstance(value, list) and all(
        isinstance(p, list) and len(p) == 2 and all(_int(x) for x in p) for p in value
    )


def _records(shape: type) -> Check:
    """A list of objects that each have the shape's required keys, of their types (a quote's
    segments: their offsets; cheap, there are ~200,000 at 10,000 articles)."""
    required = [(k.name, check_of(k.hint)) for k in keys(shape) if k.required]

    def check(value: Any) -> bool:
        return isinstance(value, list) and all(
            isinstance(d, dict) and all(c(d.get(name)) for name, c in required) for d in value
        )

    return check


def check_of(hint: Any) -> Check:
    """The check for a value of this type, as JSON holds it (a tuple is a list)."""
    if hint in _SIMPLE:
        return _SIMPLE[hint]
    origin, args = get_origin(hint), get_args(hint)
    if origin in (Union, UnionType) and type(None) in args:
        rest = [a for a in args if a is not type(None)]
        return _opt(check_of(rest[0] if len(rest) == 1 else Union[tuple(rest)]))  # noqa: UP007
    if origin is Literal:
        allowed = frozenset(args)
        return lambda value: isinstance(value, str) and value in allowed
    if origin in (tuple, list) and args:
        item = args[0]
        if item is str:
            return _str_list
        if get_origin(item) is tuple and get_args(item) == (int, int):
            return _spans
        if isinstance(item, type) and dataclasses.is_dataclass(item):
            return _records(item)
    if origin in (dict, Mapping) and args and args[0] is str:
        value = args[1]
        if value is int:
            return _counts
        if get_origin(value) is dict and get_args(value) == (str, int):
            return lambda v: _map_of(v, dict) and _counts_of(map(dict.values, v.values()))
        if get_origin(value) in (list, tuple) and get_args(value)[0] is str:
            return _map_of_str_lists
    raise TypeError(f"no check for a field of type {hint!r}")


def _key_check(key: Key, widen: Mapping[str, Any]) -> Check:
    check = check_of(widen.get(key.name, key.hint))
    if key.nullable:
        check = _opt(check)
    for test in key.checks:
        check = _both(check, test)
    return check


def _both(first: Check, second: Check) -> Check:
    return lambda value: first(value) and second(value)


def schema_of(shape: type, *, widen: Mapping[str, Any] | None = None) -> Schema:
    """A table's schema, from its shape (store/shape.py): required and optional keys with
    the checks of their types. ``widen``: a key read with a looser type than the shape's."""
    required: dict[str, Check] = {}
    optional: dict[str, Check] = {}
    for key in keys(shape):
        (required if key.required else optional)[key.name] = _key_check(key, widen or {})
    return required, optional


CATALOG_SCHEMAS = {
    "articles": schema_of(records.CatalogEntry),
    "meta": schema_of(records.SchemaMeta),
}
NOTES_SCHEMAS = {
    "notes": schema_of(records.NoteRecord),
    "reviews": schema_of(records.ReviewRecord),
    "reads": schema_of(records.ReadMark),
    "speakers": schema_of(records.SpeakerDecision),
}
BODY_SCHEMAS = {
    "article": schema_of(records.BodyArticle),
    # a newer saidwho may name new acts: an act this one does not know still reads
    "quotes": schema_of(records.StoredQuote, widen={"act": str}),
}


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
