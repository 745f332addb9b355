"""One speaker across the library: "Trump" in one article and "Donald Trump" in another.

Attribution canonicalises names within an article; an article that only ever says "Obama"
cannot know the first name. Across the library, a one-word name is merged into the full
personal name that ends with it when that name is the only one, or so dominant that the
surname alone means it (five times the quotes of the runner-up: "Donald Trump" over
"Melania Trump"). With "Hillary Clinton" and "Bill Clinton" quoted alike, "Clinton" stays itself.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping

DOMINANCE = 5

# Last words that make a name an organisation or a group, not a person ("The Washington Post").
_NOT_PERSON_WORDS = frozenset(
    (
        "post", "times", "news", "journal", "office", "officials", "spokesman", "spokeswoman",
        "campaign", "committee", "house", "department", "ministry", "agency", "party", "council",
        "court", "union", "press", "network", "group", "institute", "foundation", "association",
        "university", "center", "centre", "administration", "government",
    )
)  # fmt: skip


def _is_personal_name(words: list[str]) -> bool:
    if not 2 <= len(words) <= 4 or words[0].casefold() in {"the", "a", "an"}:
        return False
    if any(w.casefold().rstrip(".") in _NOT_PERSON_WORDS for w in words):
        return False
    return all(w[:1].isupper() and w.replace(".", "").replace("-", "").isalpha() for w in words)


def surname_aliases(counts: Mapping[str, int]) -> dict[str, str]:
    """Casefolded one-word name -> casefolded full name it stands for in this library."""
    totals: Counter[str] = Counter()
    for name, n in counts.items():
        totals[name.casefold()] += n
    candidates: dict[str, Counter[str]] = {}
    for name in counts:
        words = name.split()
        if _is_personal_name(words):
            candidates.setdefault(words[-1].casefold(), Counter())[name.casefold()] = totals[
                name.casefold()
            ]
    aliases: dict[str, str] = {}
    for key in totals:
        ranked = candidates.get(key, Counter()).most_common(2) if " " not in key else []
        if len(ranked) == 1 or (len(ranked) == 2 and ranked[0][1] >= DOMINANCE * ranked[1][1]):
            aliases[key] = ranked[0][0]
    return aliases


def speaker_key(name: str, aliases: dict[str, str]) -> str:
    key = name.casefold()
    return aliases.get(key, key)
