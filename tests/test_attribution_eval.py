"""``saidwho eval`` scoring on a brat corpus written for the test (PolNeAR's layout)."""

from __future__ import annotations

from pathlib import Path

from saidwho.attribution import Quote, Segment
from saidwho.evaluation import evaluate, load_corpus, score, select

TEXT = "“We will win,” Ana Ruiz said on Sunday. “And we will win big.” The council met later.\n"


def _write_corpus(root: Path, with_acts: bool) -> Path:
    (root / "text").mkdir(parents=True)
    (root / "attributions").mkdir()
    (root / "text" / "a.txt").write_text(TEXT, encoding="utf-8")
    first = (TEXT.index("“We"), TEXT.index(" Ana"))
    second = (TEXT.index("“And"), TEXT.index(" The council"))
    who = (TEXT.index("Ana"), TEXT.index(" said"))
    cue = (who[1] + 1, who[1] + 5)
    lines = [
        f"T1\tSource {who[0]} {who[1]}\tAna Ruiz",
        f"T2\tCue {cue[0]} {cue[1]}\tsaid",
        f"T3\tContent {first[0]} {first[1]};{second[0]} {second[1]}\tpieces",
        f"T4\tAttribution {cue[0]} {cue[1]}\tsaid",
        "E1\tAttribution:T4 Content:T3 Cue:T2 Source:T1",
    ]
    if with_acts:
        lines.append("A1\tAct E1 thought")
    (root / "attributions" / "a_ann1.ann").write_text("\n".join(lines) + "\n", "utf-8")
    return root


def _joined(act: str = "speech") -> Quote:
    a, b = TEXT.index("“We"), TEXT.index(" Ana")
    c, d = TEXT.index("“And"), TEXT.index(" The council")
    return Quote(
        kind="direct",
        start=a,
        end=d,
        sentence_start=a,
        sentence_end=d,
        confidence=0.9,
        speaker="Ana Ruiz",
        speaker_start=TEXT.index("Ana"),
        speaker_end=TEXT.index(" said"),
        segments=(Segment(a, b), Segment(c, d)),
        act=act,  # type: ignore[arg-type]
    )


def test_pieces_split_gold_fragments_and_predicted_segments(tmp_path):
    docs = load_corpus(_write_corpus(tmp_path / "c", with_acts=False))
    gold, preds = select(docs, [[_joined()]], pieces=True)
    assert len(gold[0].items) == 2 and len(preds[0]) == 2
    m = score(gold, preds, (0.8,))["80%"]
    assert (m.matched, m.precision, m.recall, m.speaker_accuracy) == (2, 1.0, 1.0, 1.0)


def test_a_statement_without_its_segments_costs_in_pieces(tmp_path):
    docs = load_corpus(_write_corpus(tmp_path / "c", with_acts=False))
    whole = _joined()
    one = Quote(**{**whole.__dict__, "segments": ()})  # one segment: the whole extent
    assert score(*select(docs, [[one]]), (0.8,))["80%"].matched == 1
    m = score(*select(docs, [[one]], pieces=True), (0.8,))["80%"]
    assert (m.matched, m.recall) == (1, 0.5)  # one item for two pieces: half the recall


def test_act_filter_drops_other_predictions_and_reads_marked_gold(tmp_path):
    docs = load_corpus(_write_corpus(tmp_path / "c", with_acts=False))
    gold, preds = select(docs, [[_joined("thought")]], act="speech")
    assert preds == [[]] and len(gold[0].items) == 1  # unmarked gold all counts
    marked = load_corpus(_write_corpus(tmp_path / "m", with_acts=True))
    assert marked[0].items[0].act == "thought"
    gold, preds = select(marked, [[_joined("thought")]], act="speech")
    assert gold[0].items == () and preds == [[]]


def test_sample_is_reproducible_and_evaluate_reports_the_view(tmp_path, nlp):
    root = _write_corpus(tmp_path / "c", with_acts=False)
    for name in "bcdef":
        (root / "text" / f"{name}.txt").write_text(f"Text {name}.", encoding="utf-8")
    picks = [[d.name for d in load_corpus(root, sample=3, seed=s)] for s in (1, 1, 2)]
    assert picks[0] == picks[1] and len(picks[0]) == 3
    report = evaluate(root, nlp, sample=2, seed=1, pieces=True, act="speech")
    assert (report.docs, report.pieces, report.act) == (2, True, "speech")
    assert "pieces, act speech only, sample 2 seed 1" in report.format_table()


def test_saidwho_eval_takes_the_view_options(tmp_path, nlp, monkeypatch, capsys):
    import json

    from saidwho import cli

    monkeypatch.setattr(cli.common, "load_nlp", lambda args: nlp)
    root = _write_corpus(tmp_path / "c", with_acts=False)
    argv = ["eval", str(root), "--pieces", "--act", "speech", "--sample", "1", "--json"]
    assert cli.main(argv) == 0
    report = json.loads(capsys.readouterr().out)
    assert (report["pieces"], report["act"], report["sample"], report["gold"]) == (
        True,
        "speech",
        1,
        2,  # the two fragments of the one gold content
    )
    m = report["metrics"]["80%"]
    assert (m["matched"], m["recall"]) == (2, 1.0)  # extraction finds both pieces


def _pronoun_corpus(root: Path, reference: str) -> Path:
    """One item whose Source span marks the "He" of the next sentence (an offset slip
    seen in real annotations), with the annotators' resolved name in a note."""
    text = "He told the court he was sorry. He left."
    (root / "text").mkdir(parents=True)
    (root / "attributions").mkdir()
    (root / "text" / "a.txt").write_text(text, encoding="utf-8")
    content = text.index("he was sorry")
    wrong_he = text.index("He left")
    (root / "attributions" / "a_x.ann").write_text(
        f"T1\tContent {content} {content + 12}\the was sorry\n"
        f"T2\tSource {wrong_he} {wrong_he + 2}\tHe\n"
        f"#1\tAnnotatorNotes T2\treference: {reference}\n"
        "E1\tAttribution:T1 Content:T1 Source:T2\n",
        encoding="utf-8",
    )
    return root


def _told(name: str) -> Quote:
    text = "He told the court he was sorry. He left."
    s = text.index("he was sorry")
    return Quote("indirect", s, s + 12, 0, 31, 0.9, name, 0, 2, "told", 3, 7)


def test_a_speaker_is_right_when_it_names_the_annotators_resolved_person(tmp_path):
    docs = load_corpus(_pronoun_corpus(tmp_path / "c", "Omar Haddad"))
    assert score(docs, [[_told("Omar Haddad")]], (0.3,))["30%"].speaker_accuracy == 1.0
    assert score(docs, [[_told("Ann Lee")]], (0.3,))["30%"].speaker_accuracy == 0.0
