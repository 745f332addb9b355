"""The word lists, limits and guards of the attribution package."""

from __future__ import annotations

import inspect
from importlib.resources import files

import pytest
import spacy

from saidwho.attribution import MAX_CANDIDATES, NotEnglishError, extract_quotes
from saidwho.attribution.lexicon import word_list
from saidwho.attribution.speakers import STRATEGIES

DATA = files("saidwho.attribution").joinpath("data")
LISTS = sorted(p.name.removesuffix(".txt") for p in DATA.iterdir() if p.name.endswith(".txt"))


def test_the_word_lists_ship_as_package_data():
    assert {"verbs_speech", "verbs_thought", "verbs_evidence", "titles"} <= set(LISTS)


@pytest.mark.parametrize("name", LISTS)
def test_a_word_list_holds_no_duplicates(name):
    items = [w.lower() for w in word_list(name)]
    assert items, f"{name}.txt is empty"
    dupes = sorted({w for w in items if items.count(w) > 1})
    assert not dupes, f"{name}.txt repeats {dupes}"


def test_verbs_have_one_act_each():
    acts = ["verbs_speech", "verbs_thought", "verbs_evidence", "verbs_stance"]
    seen: dict[str, str] = {}
    for name in acts:
        for verb in word_list(name):
            assert verb not in seen, f"{verb} is in {seen.get(verb)} and {name}"
            seen[verb] = name


def test_a_doc_in_another_language_is_refused():
    doc = spacy.blank("de")("„Wir schaffen das“, sagte Merkel.")
    with pytest.raises(NotEnglishError, match="'de'"):
        extract_quotes(doc)


def test_a_table_of_quoted_cells_is_capped(nlp):
    # the same path as the default cap of 5,000 at a size a test can afford
    # (benchmarks/candidate_cap.py runs the full size)
    cap = 40
    cells = " ".join(f"“{i}”" for i in range(cap + 50))
    assert len(extract_quotes(nlp(cells))) == cap + 50
    assert len(extract_quotes(nlp(cells), max_candidates=cap)) == cap


def test_the_default_cap_is_five_thousand():
    cap = inspect.signature(extract_quotes).parameters["max_candidates"].default
    assert cap == MAX_CANDIDATES == 5000


def test_every_line_break_starts_a_sentence(nlp):
    text = "Ann Lee spoke\nthe bridge is safe and\n\nit will open in May"
    doc = nlp(text)
    starts = [t.text for t in doc if t.is_sent_start]
    assert starts[:3] == ["Ann", "the", "it"]


def test_speaker_strategies_are_named_and_documented():
    assert len(STRATEGIES) >= 10
    for strategy in STRATEGIES:
        assert strategy.__doc__, strategy.__name__
