"""One trail as the index gives it: its quotes, their articles and wordings, and how those
wordings are linked. Both indexes (``store/trail_shards.py`` on disk, ``QuoteIndex`` in
memory) hand this to ``store/trails.py``, which reads the articles and builds the trail."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class TrailGraph:
    """What a trail needs of the index: its quotes and how their wordings are linked."""

    core: frozenset[str]  # the quotes of the trail's core (exact and near copies)
    article_of: Mapping[str, str]  # every member quote -> its article
    wording_of: Mapping[str, str]  # every member quote -> its wording
    links: Mapping[str, Mapping[str, str]]  # each member wording -> the wordings it links
    traceable: Mapping[str, bool]  # each member wording
    inside: bool = False  # every core wording is a piece of a longer quote

    @property
    def members(self) -> frozenset[str]:
        return frozenset(self.article_of)

    def relation_of(self, a: str, b: str) -> str | None:
        """``QuoteIndex.relation_of`` for two members."""
        wa, wb = self.wording_of.get(a), self.wording_of.get(b)
        if wa is None or wb is None or not self.traceable.get(wa, False):
            return None
        if wa == wb:
            return "exact" if a != b else None
        return self.links.get(wa, {}).get(wb)

    def spread(self) -> int:
        """In how many articles the statement appears."""
        return len(set(self.article_of.values()))


def alone(quote_id: str, article_id: str, wid: str | None = None) -> TrailGraph:
    """The trail of a quote printed once and linked to nothing: itself."""
    wording = {quote_id: wid} if wid is not None else {}
    return TrailGraph(frozenset({quote_id}), {quote_id: article_id}, wording, {}, {})
