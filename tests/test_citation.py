"""Citations keep the speaker's words apart from the narration, on real extraction of the seed."""

from __future__ import annotations

import json

from saidwho.core.quote import Quote, Segment
from saidwho.readers.article import Article, paragraph_spans
from saidwho.store.citation import build_citation, format_citation

TEXT = (
    "Mayor Says Bridge Will Open\n\n"
    "“We will open the bridge in spring,” said Mayor Ana Ortega on Monday. "
    "“Nobody should doubt it.”\n\n"
    "The council has said that the budget is still under review.\n"
)


def _article() -> Article:
    return Article(
        text=TEXT,
        title="Mayor Says Bridge Will Open",
        source="The Riverton Ledger",
        date="2026-03-02",
        url="https://example.org/bridge",
        paragraphs=paragraph_spans(TEXT),
    )


def _direct() -> Quote:
    first = TEXT.index("“We")
    first_end = TEXT.index("said") - 1
    second = TEXT.index("“Nobody")
    second_end = TEXT.index("it.”") + 4
    return Quote(
        kind="direct",
        start=first,
        end=second_end,
        sentence_start=first,
        sentence_end=second_end,
        confidence=0.9,
        speaker="Ana Ortega",
        role="Mayor",
        segments=(Segment(first, first_end), Segment(second, second_end)),
    )


def test_direct_quote_cites_only_the_quoted_pieces_with_an_ellipsis() -> None:
    citation = build_citation(_article(), _direct(), quote_id="q1")
    text = format_citation(citation)
    words, who = text.splitlines()[:2]
    assert words == "“We will open the bridge in spring,” … “Nobody should doubt it.”"
    assert "said Mayor" not in words
    assert who.startswith("— Ana Ortega (Mayor), in “Mayor Says Bridge Will Open”")
    assert "The Riverton Ledger" in who and "2026-03-02" in who and "paragraph 2" in who
    assert who.endswith("https://example.org/bridge")


def test_reported_speech_is_a_paraphrase_without_quotation_marks() -> None:
    start = TEXT.index("the budget")
    end = TEXT.index("review.") + len("review")
    quote = Quote(
        kind="indirect",
        start=TEXT.index("The council"),
        end=end,
        sentence_start=TEXT.index("The council"),
        sentence_end=end + 1,
        confidence=0.8,
        speaker="The council",
        act="speech",
        segments=(Segment(start, end),),
    )
    text = format_citation(build_citation(_article(), quote, quote_id="q2"))
    first = text.splitlines()[0]
    assert first == "Paraphrase (reported speech, not verbatim): the budget is still under review"
    assert "“" not in first and '"' not in first


def test_review_state_and_reassigned_speaker_are_stated() -> None:
    citation = build_citation(
        _article(), _direct(), quote_id="q1", speaker="Luis Ortega", review="corrected"
    )
    text = format_citation(citation)
    assert "— Luis Ortega (Mayor)" in text
    assert text.splitlines()[-1] == "Attribution corrected by a reviewer (machine: Ana Ortega)."
    disputed = format_citation(
        build_citation(_article(), _direct(), quote_id="q1", review="disputed")
    )
    assert disputed.endswith("Attribution disputed by a reviewer.")


def test_markdown_and_json_formats() -> None:
    citation = build_citation(_article(), _direct(), quote_id="q1", article_id="a1")
    markdown = format_citation(citation, "markdown")
    assert markdown.startswith("> “We will open")
    assert markdown.splitlines()[1] == ""  # the attribution is not swallowed by the quote
    assert "[*Mayor Says Bridge Will Open*](https://example.org/bridge)" in markdown
    data = json.loads(format_citation(citation, "json"))
    assert data["verbatim"] is True
    assert [p["text"] for p in data["pieces"]] == [
        "“We will open the bridge in spring,”",
        "“Nobody should doubt it.”",
    ]
    assert all(TEXT[p["start"] : p["end"]] == p["text"] for p in data["pieces"])


def test_hostile_title_and_words_cannot_drive_the_terminal_or_clipboard() -> None:
    text = "“Hi\x1b[2J there,” he said.\n"
    article = Article(text=text, title="Evil\x1b]52;c;AAAA\x07 \u202etitle", paragraphs=((0, 24),))
    quote = Quote(kind="direct", start=0, end=13, sentence_start=0, sentence_end=24, confidence=1)
    for fmt in ("text", "markdown"):
        out = format_citation(build_citation(article, quote, quote_id="q"), fmt)  # type: ignore[arg-type]
        assert not any(ord(ch) < 0x20 and ch != "\n" for ch in out)
        assert "\u202e" not in out and "\x1b" not in out
    raw = format_citation(build_citation(article, quote, quote_id="q"), "json")
    assert "\x1b" not in raw and "\u202e" not in raw
    assert json.loads(raw)["title"] == article.title


PARTIAL = "Board\n\nAlvarez said the board had “wasted years” on studies of the river.\n"


def test_a_partial_quote_is_cited_as_paraphrase_with_only_its_marked_words_verbatim(nlp) -> None:
    from saidwho.attribution import extract_quotes

    [quote] = extract_quotes(nlp(PARTIAL))
    article = Article(text=PARTIAL, title="Board", paragraphs=paragraph_spans(PARTIAL))
    citation = build_citation(article, quote, quote_id="q1")
    first = format_citation(citation).splitlines()[0]
    assert first == (
        "Paraphrase, only the words in quotation marks verbatim: "
        "the board had “wasted years” on studies of the river"
    )
    data = json.loads(format_citation(citation, "json"))
    assert data["verbatim"] is False  # never true for a paraphrase
    pieces = [(p["text"], p["verbatim"]) for p in data["pieces"]]
    assert pieces == [
        ("the board had", False),
        ("“wasted years”", True),
        ("on studies of the river", False),
    ]
    for piece in data["pieces"]:  # each piece's offsets are its own characters
        assert PARTIAL[piece["start"] : piece["end"]] == piece["text"]


def test_direct_and_reported_pieces_say_whether_they_are_verbatim() -> None:
    direct = json.loads(
        format_citation(build_citation(_article(), _direct(), quote_id="q"), "json")
    )
    assert direct["verbatim"] is True and all(p["verbatim"] for p in direct["pieces"])


RUN_ON = (
    "Ferry Cut\n\n"
    "“We were never asked,” said Ines Duarte, who runs the island shop. “Nobody came.\n\n"
    "“Now the morning boat is gone and so are my customers.”\n\n"
    "The operator did not reply.\n"
)


def test_a_quotation_run_over_paragraphs_is_one_piece_per_paragraph_and_one_passage(
    nlp,
) -> None:
    from saidwho.attribution import extract_quotes

    [quote] = extract_quotes(nlp(RUN_ON))
    assert quote.speaker == "Ines Duarte"
    pieces = [RUN_ON[s.start : s.end] for s in quote.segments]
    assert pieces == [
        "“We were never asked,”",
        "“Nobody came.",
        "“Now the morning boat is gone and so are my customers.”",
    ]
    article = Article(text=RUN_ON, title="Ferry Cut", paragraphs=paragraph_spans(RUN_ON))
    citation = build_citation(article, quote, quote_id="q1")
    # the omitted "said Ines Duarte" is an ellipsis; the paragraph break is not
    assert citation.words == (
        "“We were never asked,” … “Nobody came. “Now the morning boat is gone and so are "
        "my customers.”"
    )
