"""Confidence as a probability: the share of items like this one that are right (words and
speaker), read from a small table fitted on data we may fit on.

An item is described by four named features (``features``): its kind, how its speaker is
mentioned, what cue reports it, and whether its speaker is its own or carried over from
an earlier statement. ``data/calibration.json`` holds, for every combination seen in the
fitting data, the smoothed share right, with coarser backoffs for combinations seen
rarely or never. ``benchmarks/fit_calibration.py`` refits it (on GGT dev, MIT, and our own
annotated fixtures; never on PolNeAR, which we only measure on) and prints the table.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from typing import Any

from .lexicon import word_list

# the verbs of plain saying (data/verbs_core.txt): a report with one of these is the surest
CORE_CUES = frozenset(word_list("verbs_core"))
NOT_SPEECH = frozenset({"thought", "evidence"})
MARK_CUES = frozenset({":", "—", "–", "-", "―"})


@dataclass(frozen=True)
class Features:
    kind: str  # direct | partial | indirect
    who: str  # name | org | role | pronoun | none
    cue: str  # core | verb | mark | none
    how: str  # own | carried (from the quote before) | guessed (from the sentence or paragraph)
    act: str = "speech"  # speech | thought | evidence | other

    def cells(self) -> list[str]:
        """From the most specific table key to the coarsest. A thought or a piece of
        evidence under a speaker has cells of its own: a corpus that annotates speech only
        (GGT) says nothing about them, so they are read from data that annotates them."""
        if self.act in NOT_SPEECH and self.who != "none":
            return [f"{self.act}|{self.kind}", self.act]
        return [
            f"{self.kind}|{self.who}|{self.cue}|{self.how}",
            f"{self.kind}|{self.who}|{self.cue}",
            f"{self.kind}|{self.who}",
            self.kind,
        ]


def cue_class(cue_lemma: str | None, cue_text: str | None) -> str:
    if cue_text is None:
        return "none"
    if cue_text.strip() in MARK_CUES:
        return "mark"
    if cue_text.lower() == "according to" or cue_lemma in CORE_CUES:
        return "core"
    return "verb"


@cache
def _table() -> dict[str, Any]:
    raw = files("saidwho.attribution").joinpath("data/calibration.json").read_text("utf-8")
    data: dict[str, Any] = json.loads(raw)
    return data


def probability(f: Features) -> float:
    """The table's share right for the most specific key it holds (the prior otherwise)."""
    table = _table()
    cells: dict[str, float] = table["cells"]
    for key in f.cells():
        if key in cells:
            return float(cells[key])
    return float(table["prior"])
