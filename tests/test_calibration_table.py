"""The shipped confidence table (attribution/data/calibration.json) and the features it is
read by: what a reader may rely on when it sorts and hides items by confidence."""

from __future__ import annotations

import json
from importlib.resources import files

import pytest

from saidwho.attribution import explain_quotes
from saidwho.attribution.calibration import probability


def table() -> dict:
    text = files("saidwho.attribution").joinpath("data/calibration.json").read_text("utf-8")
    return json.loads(text)


def explained(nlp, text: str):
    return [(q, f) for q, f in explain_quotes(nlp(text)) if q.speaker is not None]


@pytest.mark.parametrize(
    ("text", "act"),
    [
        ("A survey by the tenants' institute found that most renters pay too much.", "evidence"),
        ("Councillor Amira Haddad believes that the ferry will never pay for itself.", "thought"),
    ],
)
def test_a_thought_or_evidence_is_read_from_cells_of_its_own(nlp, text: str, act: str) -> None:
    # GGT annotates speech only: a thought's or a finding's confidence comes from data that
    # annotates them (our fixtures), never from what speech verbs other than "say" score
    ((quote, features),) = explained(nlp, text)
    assert quote.act == act
    assert features.cells()[0].startswith(f"{act}|")
    assert set(features.cells()) & set(table()["cells"])
    assert quote.confidence == round(probability(features), 3)


@pytest.mark.parametrize(
    ("text", "cue"),
    [
        ("The mayor admitted that the budget was short by two million dollars.", "core"),
        ("The mayor stressed that the budget would be balanced by spring.", "core"),
        ("The mayor denied that the budget was short by two million dollars.", "core"),
        ("The mayor estimated that the budget would be short by two million dollars.", "verb"),
        ("The mayor suggested that the budget could be balanced by spring.", "verb"),
    ],
)
def test_a_verb_that_only_colours_a_statement_is_a_plain_report(nlp, text: str, cue: str) -> None:
    # "admitted", "stressed", "denied" report a statement as made; "estimated", "suggested"
    # report an act or an interpretation
    ((_, features),) = explained(nlp, text)
    assert features.cue == cue


def test_a_carried_or_guessed_speaker_is_never_surer_than_a_cued_one() -> None:
    cells = table()["cells"]
    checked = 0
    for key, p in cells.items():
        parts = key.split("|")
        if len(parts) == 4 and parts[3] in ("carried", "guessed"):
            cued = cells.get(f"{parts[0]}|{parts[1]}|core|own")
            if cued is not None:
                checked += 1
                assert p < cued, key
    assert checked >= 3
