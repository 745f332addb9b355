"""Which candidates overlap a span, without scanning them all: a transcript or live blog
holds thousands of quotes, and merging each reported clause with every quote was quadratic
(2,000 quotes: 8 s of 11)."""

from __future__ import annotations

from bisect import bisect_left, insort
from collections.abc import Iterable, Iterator

from .direct import Candidate


class SpanIndex:
    """Candidates by start offset. ``overlapping`` gives those that overlap a span, in the
    order they were given; ``moved`` and ``remove`` keep it true as candidates change."""

    def __init__(self, cands: Iterable[Candidate]) -> None:
        self._cands = list(cands)
        self._rank = {id(c): n for n, c in enumerate(self._cands)}
        self._keys = sorted((c.start, n) for n, c in enumerate(self._cands))
        self._start = [c.start for c in self._cands]  # the start each one is filed under
        self._longest = max((c.end - c.start for c in self._cands), default=0)

    def overlapping(self, start: int, end: int) -> list[Candidate]:
        """The candidates sharing at least one character with ``[start, end)``."""
        lo = bisect_left(self._keys, (start - self._longest, -1))
        hi = bisect_left(self._keys, (end, -1))
        found = [n for _, n in self._keys[lo:hi] if self._cands[n].end > start]
        return [self._cands[n] for n in sorted(found)]

    def moved(self, cand: Candidate) -> None:
        """``cand``'s span changed."""
        n = self._rank[id(cand)]
        self._keys.pop(bisect_left(self._keys, (self._start[n], n)))
        self._start[n] = cand.start
        insort(self._keys, (cand.start, n))
        self._longest = max(self._longest, cand.end - cand.start)

    def remove(self, cand: Candidate) -> None:
        n = self._rank[id(cand)]
        self._keys.pop(bisect_left(self._keys, (self._start[n], n)))

    def __iter__(self) -> Iterator[Candidate]:
        """The candidates still in the index, in the order they were given."""
        return iter([self._cands[n] for n in sorted(n for _, n in self._keys)])
