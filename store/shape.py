"""One definition of each record's shape: a frozen dataclass.

A record's fields are its keys, in order (the key order on disk and of its ``to_json``);
their annotations are the types ``store/validate.py`` checks a record read from disk
against; a field with a default may be missing from a record on disk (it reads back as the
default), one without is required there. ``Annotated`` says what a type alone cannot:

- ``Check(test)``: a further condition on the value (an id's format);
- ``NULLABLE``: null on disk is accepted too, and reads back as the default;
- ``SPARSE``: ``to_doc`` leaves the key out while it holds its default (a flag set only on
  some records, the fields of one kind of decision).

The shapes: ``views.py`` (``ArticleSummary``, ``Note``: what the store hands out) and
``records.py`` (what it writes: catalog entries, note and review records, read marks,
speaker decisions, article files). ``validate.py`` derives every table's schema from them,
and records are written and read back through ``to_doc`` / ``from_doc``.
"""

from __future__ import annotations

import dataclasses
import typing
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Annotated, Any, TypeVar, get_args, get_origin

T = TypeVar("T")


@dataclass(frozen=True)
class Check:
    """A condition on a field's value beyond its type (``Annotated[str, Check(is_id)]``)."""

    test: Callable[[Any], bool]


@dataclass(frozen=True)
class _Marker:
    name: str


NULLABLE = _Marker("nullable")  # null on disk reads as the default
SPARSE = _Marker("sparse")  # written only when it differs from its default


@dataclass(frozen=True)
class Key:
    """One field of a shape, as validation and ``to_doc``/``from_doc`` see it."""

    name: str
    hint: Any  # the annotation without its Annotated extras
    required: bool
    default: Any  # None for a required field
    factory: Callable[[], Any] | None  # a fresh default each time (a dict field)
    checks: tuple[Callable[[Any], bool], ...]
    nullable: bool
    sparse: bool
    is_tuple: bool  # a tuple field: a list on disk


_KEYS: dict[type, tuple[Key, ...]] = {}


def keys(cls: type) -> tuple[Key, ...]:
    """The fields of a shape, in order (worked out once per class)."""
    known = _KEYS.get(cls)
    if known is None:
        known = _KEYS[cls] = _keys(cls)
    return known


def _keys(cls: type) -> tuple[Key, ...]:
    hints = typing.get_type_hints(cls, include_extras=True)
    out = []
    for f in dataclasses.fields(cls):
        hint: Any = hints[f.name]
        extras: tuple[Any, ...] = ()
        if get_origin(hint) is Annotated:
            hint, *rest = get_args(hint)
            extras = tuple(rest)
        factory = None if f.default_factory is dataclasses.MISSING else f.default_factory
        out.append(
            Key(
                name=f.name,
                hint=hint,
                required=f.default is dataclasses.MISSING and factory is None,
                default=factory() if factory else _or_none(f.default),
                factory=factory,
                checks=tuple(e.test for e in extras if isinstance(e, Check)),
                nullable=NULLABLE in extras,
                sparse=SPARSE in extras,
                is_tuple=get_origin(hint) is tuple,
            )
        )
    return tuple(out)


def _or_none(value: Any) -> Any:
    return None if value is dataclasses.MISSING else value


def _plain(value: Any) -> Any:
    """A field's value as JSON holds it: tuples (and lists) of anything as lists, nested
    records as dicts."""
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return to_doc(value)
    return value


def to_doc(record: Any) -> dict[str, Any]:
    """A record as it is stored and printed: every field in order, tuples as lists; a
    ``SPARSE`` field only when it differs from its default."""
    out: dict[str, Any] = {}
    for key in keys(type(record)):
        value = getattr(record, key.name)
        if key.sparse and value == key.default:
            continue
        out[key.name] = _plain(value) if isinstance(value, tuple | list) else value
    return out


def from_doc(cls: type[T], doc: Mapping[str, Any], **values: Any) -> T:
    """A record made from a stored dict (one that passed its schema): a missing or null key
    takes the field's default, a list becomes a tuple where the field is one. ``values``:
    fields set here, not read from ``doc``."""
    plan = _PLANS.get(cls)
    if plan is None:
        plan = _PLANS[cls] = tuple(
            (k.name, k.required, k.default, k.factory, k.is_tuple) for k in keys(cls)
        )
    kwargs: dict[str, Any] = {}
    get = doc.get
    # 10,000 catalog entries become summaries on every catalog change: plain tuples here
    for name, required, default, factory, is_tuple in plan:
        if name in values:
            continue
        value: Any = doc[name] if required else get(name)
        if value is None and not required:
            value = factory() if factory else default
        elif is_tuple:
            value = tuple(value)
        kwargs[name] = value
    return cls(**kwargs, **values)


_PLANS: dict[type, tuple[tuple[str, bool, Any, Callable[[], Any] | None, bool], ...]] = {}
