"""The one id resolver: every command that takes an article, quote or note id takes any
unique prefix of one, in any case, and says in one line which id it could not use.

An id argument is declared with its kind as the argparse ``type`` (``type=QUOTE``): the kind
passes the string through unchanged and marks the argument, so the parser itself lists
every id a command takes (``parser.id_arguments``; tests/test_cli_ids.py runs them all).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeVar

from saidwho.cli.common import InputError

if TYPE_CHECKING:
    from saidwho.store import Library
    from saidwho.store.views import Note, QuoteView

T = TypeVar("T")
SHOWN = 5  # ids named in an "ambiguous" error


@dataclass(frozen=True)
class IdKind:
    """What an id of one kind looks like: the argparse ``type`` of its arguments."""

    noun: str  # "quote"
    article: str  # "a" / "an": "not a quote id"
    form: str  # a prefix's characters and length, as a regular expression
    shape: str  # what a whole id is, for the "not an id" error

    def __call__(self, value: str) -> str:
        # argparse calls the type on each value: the marker leaves it as given (a bad id is
        # an input error naming it, exit 1, not a usage error)
        return value


ARTICLE = IdKind("article", "an", r"[0-9a-f]{1,16}", "16 hex digits, or a unique prefix of one")
QUOTE = IdKind("quote", "a", r"[0-9a-f]{1,12}", "12 hex digits, or a unique prefix of one")
NOTE = IdKind("note", "a", r"[0-9a-f][0-9a-f-]{0,35}", "a UUID, or a unique prefix of one")


def resolve(
    given: str, kind: IdKind, candidates: Iterable[tuple[str, T]], where: str = "in the library"
) -> T:
    """The item whose id ``given`` names: a whole id, or a prefix only one id starts with
    (any case, spaces around ignored). Otherwise an InputError naming ``given``: not an id
    of this kind, no such id, or ambiguous (the first few matches named).

    ``candidates`` are (id, item) pairs; only those starting with the prefix are kept, so a
    source may give all its ids or only the ones it knows match."""
    wanted = given.strip().lower()
    if not re.fullmatch(kind.form, wanted):
        raise InputError(given, f"not {kind.article} {kind.noun} id ({kind.shape})")
    matches = {i: item for i, item in candidates if i.startswith(wanted)}
    if wanted in matches:  # a whole id wins over the longer ones it is a prefix of
        return matches[wanted]
    if not matches:
        raise InputError(given, f"no such {kind.noun} {where}")
    if len(matches) > 1:
        ids = sorted(matches)
        shown = ", ".join(ids[:SHOWN]) + (", ..." if len(ids) > SHOWN else "")
        raise InputError(given, f"ambiguous: {len(ids)} {kind.noun}s start with it ({shown})")
    return next(iter(matches.values()))


def article_id(lib: Library, given: str) -> str:
    """The article id ``given`` names."""
    return resolve(given, ARTICLE, _articles(lib, given.strip().lower()))


def quote(
    lib: Library, given: str, *, article_id: str | None = None, named: bool = True
) -> QuoteView:
    """The quote ``given`` names, in the whole library or in one article. Library-wide, the
    quote map says which article holds it (store/quote_map.py) and that article alone is
    opened. ``named=False``: without the speaker identities, which would read the whole
    catalog, for a caller that needs only the quote's place."""
    from saidwho.store import LibraryError

    if article_id is None:
        wanted = given.strip().lower()
        found = lib.quote_ids_starting(wanted) if re.fullmatch(QUOTE.form, wanted) else []
        quote_id, holder = resolve(given, QUOTE, ((q, (q, a)) for q, a in found))
        try:
            return lib.quote(holder, quote_id, named=named)
        except LibraryError as exc:  # the map named an article that no longer has it
            raise InputError(given, f"no such quote in the library ({exc})") from exc
    found_here = ((q.id, q) for q in lib.quotes(article_id, named=named))
    return resolve(given, QUOTE, found_here, where=f"in article {article_id}")


def note(lib: Library, given: str) -> Note:
    """The note ``given`` names."""
    return resolve(given, NOTE, ((n.id, n) for n in lib.notes()))


def _articles(lib: Library, wanted: str) -> list[tuple[str, str]]:
    """The article ids starting with ``wanted``, from the store's sorted index of ids (no
    article summary is built unless the prefix is ambiguous, to name the matches)."""
    from saidwho.store import CorruptFileError, LibraryError, NotFoundError

    if not re.fullmatch(ARTICLE.form, wanted):
        return []  # resolve() says why
    try:
        found = lib.resolve_id(wanted)
    except NotFoundError:
        return []
    except CorruptFileError:
        raise
    except LibraryError:  # several match
        matches = [a.id for a in lib.articles(named=False) if a.id.startswith(wanted)]
        if len(matches) < 2:
            raise
        return [(i, i) for i in matches]
    return [(found, found)]
