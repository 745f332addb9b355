"""Re-anchoring cost and outcome: notes on a long article, after each kind of edit.

    python benchmarks/anchoring_bench.py

Builds a ~60,000-character article from the seed (repeated, numbered paragraphs), puts 200
notes on sentences spread through it, edits the text four ways and re-anchors every note
with ``store.anchoring.reanchor``: how many land on the right words, how many are orphaned,
and how long it takes per note.
"""

from __future__ import annotations

import random
import re
import time
from pathlib import Path

from saidwho.store.anchoring import reanchor, select

SEED = Path(__file__).resolve().parent.parent / "seeds"


def article() -> str:
    """The seed's paragraphs twelve times, each copy's words shuffled within each paragraph
    (and re-capitalised), so no sentence occurs twice: a repeat would be a right answer."""
    text = next(SEED.glob("*.txt")).read_text(encoding="utf-8")
    paragraphs = [p.strip() for p in text.split("\n\n") if p.strip()]
    rng = random.Random(1)
    out = []
    for n in range(12):
        for p in paragraphs:
            words = p.split()
            if n:
                rng.shuffle(words)
            line = " ".join(words)
            out.append(line[:1].upper() + line[1:] + ".")
    return "\n\n".join(out)


def sentences(text: str) -> list[tuple[int, int]]:
    return [m.span() for m in re.finditer(r"[A-Z][^.!?\n]{40,200}[.!?]", text)]


def typo(text: str, span: tuple[int, int]) -> tuple[str, str]:
    words = text[span[0] : span[1]]
    i = len(words) // 2
    changed = words[:i] + words[i + 1] + words[i] + words[i + 2 :]  # two letters swapped
    return text[: span[0]] + changed + text[span[1] :], changed


def main() -> None:
    random.seed(7)
    text = article()
    spans = random.sample(sentences(text), 200)
    print(f"article: {len(text):,} characters, {len(spans)} notes")
    edits = {
        "unchanged": lambda s: (text, text[s[0] : s[1]]),
        "paragraph inserted at the top": lambda s: (
            "A new first paragraph.\n\n" + text,
            text[s[0] : s[1]],
        ),
        "typo fixed inside the words": lambda s: typo(text, s),
        "the words removed": lambda s: (text[: s[0]] + text[s[1] :], None),
    }
    for name, edit in edits.items():
        landed = orphaned = wrong = 0
        elapsed = 0.0
        for span in spans:
            sel = select(text, *span)
            new, expected = edit(span)
            start = time.perf_counter()
            got = reanchor(new, sel)
            elapsed += time.perf_counter() - start
            if got is None:
                orphaned += 1
            elif expected is not None and new[got[0] : got[1]] == expected:
                landed += 1
            else:
                wrong += 1
        per = elapsed / len(spans) * 1000
        print(
            f"{name:32} landed {landed:3}  orphaned {orphaned:3}  elsewhere {wrong:3}  "
            f"{per:6.2f} ms/note"
        )


if __name__ == "__main__":
    main()
