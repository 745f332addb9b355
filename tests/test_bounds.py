"""Bounded cost of absurd HTML: a long table and a flood of paragraphs are cut, and said so."""

from __future__ import annotations

from saidwho.readers.html import MAX_BLOCKS, MAX_TABLE_ROWS, parse_html

PROSE = "<p>The council voted on Tuesday. “We will build it,” said Ann Lee, the mayor.</p>" * 3


def test_a_huge_table_is_cut_to_its_first_rows_with_a_note() -> None:
    rows = "".join(
        f"<tr><td>row {n}</td><td>{n * 2}</td></tr>" for n in range(MAX_TABLE_ROWS + 100)
    )
    html = (
        "<html><head><title>Budget</title></head><body><article><h1>Budget</h1>"
        f"{PROSE}<table>{rows}</table>{PROSE}</article></body></html>"
    )
    article = parse_html(html)
    assert f"row {MAX_TABLE_ROWS - 1}" in article.text
    assert f"row {MAX_TABLE_ROWS}" not in article.text
    assert article.warning is not None
    assert f"first {MAX_TABLE_ROWS} of {MAX_TABLE_ROWS + 100} rows" in article.warning
    assert "said Ann Lee" in article.text  # the prose around it is all there


def test_a_flood_of_paragraphs_is_cut_with_a_note() -> None:
    html = "".join(f"<p>Paragraph {n}.</p>" for n in range(MAX_BLOCKS + 5))
    article = parse_html(html)  # a fragment: the visible-text pass
    assert len(article.paragraphs) == MAX_BLOCKS
    assert article.warning and f"first {MAX_BLOCKS} of {MAX_BLOCKS + 5} paragraphs" in (
        article.warning
    )


def test_an_ordinary_page_is_not_cut() -> None:
    article = parse_html(f"<html><body><article>{PROSE}</article></body></html>")
    assert article.warning is None


def test_a_data_dump_page_skips_the_extractor_and_keeps_the_first_rows() -> None:
    from saidwho.readers.html import MAX_EXTRACT_CELLS

    rows = (MAX_EXTRACT_CELLS // 10) + 10
    table = "".join(
        "<tr>" + "".join(f"<td>r{n}c{c}</td>" for c in range(10)) + "</tr>" for n in range(rows)
    )
    html = f"<html><body><h1>Dump</h1><p>Intro words.</p><table>{table}</table></body></html>"
    article = parse_html(html)
    assert article.warning is not None and "read as visible text" in article.warning
    assert f"{rows - MAX_TABLE_ROWS} table rows past the first {MAX_TABLE_ROWS}" in article.warning
    assert f"r{MAX_TABLE_ROWS - 1}c9" in article.text and f"r{MAX_TABLE_ROWS}c0" not in article.text
    assert "Intro words." in article.text
