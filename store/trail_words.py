"""Quote trails, the words: a quote's spoken words, normalised, and how two of them relate.

``normalise`` folds case, punctuation, quote styles and whitespace; ``relation`` says whether
two normalised quotes are the same words (``exact``), one inside the other (``contains``) or
nearly the same (``near``: rapidfuzz on the words). The index (``store/trail_index.py``)
finds candidates by shared word bigrams (``shingles``) and links them with ``relation``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Literal

from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein

from saidwho.core.marks import (
    CLOSE_SINGLE,
    DOUBLE,
    OPEN_SINGLE,
    STRAIGHT_SINGLE,
    find_quoted,
)

MIN_WORDS = 5  # shorter quotes ("I don't know", "a disaster") repeat by chance: not traced
MIN_REPORTED_WORDS = 8  # ... and reported speech, the writer's own wording, needs more
SHINGLE = 2  # word bigrams: a changed word in a 5-word quote still leaves two shared
SHARED = 0.4  # a candidate shares at least this share of the shorter quote's bigrams
NEAR_RATIO = 85.0  # rapidfuzz ratio (0-100) of the normalised texts: a word or two changed
TRIM_MIN_WORDS = 8  # a trimmed quote that also changed a word: at least this long ...
TRIM_WORDS_PER_EDIT = 8  # ... with one word edit per this many words (word Levenshtein)
# a bigram in more quotes than this ("of the", "we are") finds no candidates: it says little
COMMON, COMMON_MIN = 0.005, 100

Relation = Literal["exact", "contains", "near"]
RELATIONS = ("exact", "contains", "near")

# Quote styles: every single mark becomes an apostrophe (don’t == don't); double marks go.
_FOLD = str.maketrans(
    dict.fromkeys(OPEN_SINGLE + CLOSE_SINGLE + STRAIGHT_SINGLE + "`´", "'")
    | dict.fromkeys(DOUBLE, " ")
)
# dots and commas inside words and numbers are style, not words: U.S. == US, 10,000 == 10000
_INNER = re.compile(r"(?<=\w)[.,](?=\w)")
_WORD = re.compile(r"\w+(?:'\w+)*")
_POSSESSIVE = re.compile(r"'s$")


def words(text: str) -> list[tuple[str, str]]:
    """(as written, normalised) for each word of ``text``, in order."""
    out: list[tuple[str, str]] = []
    for m in _WORD.finditer(_INNER.sub("", text.translate(_FOLD))):
        # a possessive is style too: "ISIS' best" and "ISIS's best" are one wording
        out.append((m.group(), _POSSESSIVE.sub("", m.group().casefold())))
    return out


_CHUNK = re.compile(r"\S+")


def shown_words(text: str) -> list[tuple[str, str]]:
    """(as printed, key) for each whitespace-separated piece of ``text`` that holds words:
    the piece keeps its punctuation and marks ("summer,", "“war”"), the key is its
    normalised words, so a diff compares words and shows the article's own characters. A
    piece with no words ("…", "—") rides on the piece before it (or the one after)."""
    out: list[tuple[str, str]] = []
    pending = ""  # word-less pieces before the first word
    for m in _CHUNK.finditer(text):
        piece = m.group()
        key = " ".join(norm for _, norm in words(piece))
        if not key:
            if out:
                out[-1] = (f"{out[-1][0]} {piece}", out[-1][1])
            else:
                pending = f"{pending}{piece} "
            continue
        out.append((pending + piece, key))
        pending = ""
    return out


def normalise(text: str) -> str:
    """The words of ``text``, folded and joined by single spaces (the index's key)."""
    return " ".join(norm for _, norm in words(text))


def spoken_text(text: str, segments: Iterable[tuple[int, int]], *, quoted: bool = False) -> str:
    """The speaker's own words of a quote: its segments, narration between them left out.
    ``quoted`` (direct and partial quotes): only what is inside quotation marks, so a partial
    quote is its quoted words, not the reported sentence around them."""
    pieces: list[str] = []
    for start, end in segments:
        piece = text[start:end]
        inner = [piece[q.start : q.end] for q in find_quoted(piece)] if quoted else []
        pieces.extend(inner or [piece])
    return " … ".join(p.strip() for p in pieces if p.strip())


def relation(a: str, b: str, *, pieces: bool = True) -> Relation | None:
    """How two normalised quotes relate, or None when they are different statements.
    ``pieces``: also a quote inside the other, or a trimmed one (both quoted words)."""
    if a == b:
        return "exact"
    short, long = (a, b) if len(a) <= len(b) else (b, a)
    if pieces and f" {short} " in f" {long} ":
        return "contains"
    if fuzz.ratio(a, b) >= NEAR_RATIO:
        return "near"
    if pieces and _trimmed_near(short.split(), long.split()):
        return "near"
    return None


def _trimmed_near(short: list[str], long: list[str]) -> bool:
    """``short`` is a window of ``long`` with a word or two changed (word-level Levenshtein
    against every window of the same length: characters would align across words)."""
    n = len(short)
    if n < TRIM_MIN_WORDS:
        return False
    allowed = max(1, n // TRIM_WORDS_PER_EDIT)
    return any(
        Levenshtein.distance(short, long[i : i + n], score_cutoff=allowed) <= allowed
        for i in range(len(long) - n + 1)
    )


def shingles(norm: str) -> set[str]:
    w = norm.split()
    if len(w) < SHINGLE:
        return {norm} if norm else set()
    return {" ".join(w[i : i + SHINGLE]) for i in range(len(w) - SHINGLE + 1)}


def traceable(norm: str, quoted: bool) -> bool:
    # reported speech is the writer's words: short clauses ("he will run for president")
    # recur by chance far more often than quoted words do
    return bool(norm) and norm.count(" ") + 1 >= (MIN_WORDS if quoted else MIN_REPORTED_WORDS)
