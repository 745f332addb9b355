"""saidwho.readers on real files: the seed, fixtures written for these tests, bad inputs."""

from __future__ import annotations

import codecs
import contextlib
import os
import string
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from saidwho.readers import (
    MAX_BYTES,
    SUPPORTED_SUFFIXES,
    ReadError,
    format_for,
    read_article,
    read_text_article,
)
from saidwho.readers.article import Article, paragraph_spans
from saidwho.readers.common import byline_author, guess_subtitle, join_blocks
from saidwho.readers.decode import decode_bytes
from saidwho.readers.markdown import split_front_matter

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "readers"


def span_texts(article: Article) -> list[str]:
    return [article.text[start:end] for start, end in article.paragraphs]


def reason(path: Path, **kwargs: int) -> str:
    with pytest.raises(ReadError) as info:
        read_article(path, **kwargs)
    return str(info.value)


def write(tmp_path: Path, name: str, data: bytes | str) -> Path:
    path = tmp_path / name
    if isinstance(data, str):
        data = data.encode("utf-8")
    path.write_bytes(data)
    return path


# --- .txt -------------------------------------------------------------------------


def test_seed_text_is_the_file_text(seed_path: Path, seed_text: str) -> None:
    article = read_article(seed_path)
    assert article.text == seed_text
    assert article.title == (
        "Hamas Releases Israeli American Soldier, Seeking to Reopen Ceasefire Talks"
    )
    second = span_texts(article)[1]
    assert second.startswith("The White House reportedly negotiated")
    assert article.subtitle == second
    assert article.paragraphs == paragraph_spans(seed_text)
    assert article.path == os.path.abspath(seed_path)
    assert article.author is None
    assert article.content_id == article.sha256[:16]


def test_crlf_text_keeps_offsets_into_the_file() -> None:
    path = FIXTURES / "crlf.txt"
    with open(path, encoding="utf-8", newline="") as fh:
        raw = fh.read()
    assert "\r\n" in raw  # the fixture must keep its line endings (.gitattributes: -text)
    article = read_article(path)
    assert article.text == raw
    assert article.title == "Harbor Road Closure Approved"
    assert article.subtitle == "Merchants cheer as cars are banned from the waterfront."
    paragraphs = span_texts(article)
    assert paragraphs[2] == (
        '"We did it," said Ruth Okafor, who led the campaign for\r\nthree years.'
    )
    assert all(not p.endswith(("\r", "\n")) for p in paragraphs)
    start = raw.index("Ruth Okafor")
    assert article.text[start : start + 11] == "Ruth Okafor"


@pytest.mark.parametrize(
    ("text", "subtitle"),
    [
        # a lede that opens with a quotation is body text, not a dek
        ('Title\n\n"We won," she said.\n\nMore body.\n', None),
        # a byline is the author, not the dek
        ("Title\n\nBy Jane Doe\n\nBody text here.\n", None),
        # two paragraphs only: the second is the body
        ("Title\n\nA short line of body text.\n", None),
        # a long second paragraph is body text
        ("Title\n\n" + "word " * 80 + "\n\nMore.\n", None),
        # the first paragraph is not a one-line title
        ("Line one\nline two\n\nShort dek text here.\n\nBody.\n", None),
        ("Title\n\nShort dek text here.\n\nBy Jane Doe\n\nBody.\n", "Short dek text here."),
    ],
)
def test_subtitle_heuristic(text: str, subtitle: str | None) -> None:
    assert read_text_article(text).subtitle == subtitle


def test_byline_gives_the_author() -> None:
    article = read_text_article("Title\n\nBy Jane Doe and Al de la Roe\n\nBody text.\n")
    assert article.author == "Jane Doe and Al de la Roe"
    assert byline_author("By Friday, the council will vote.") is None
    assert byline_author("by the river") is None
    assert byline_author("BY MARIA LOPEZ") == "MARIA LOPEZ"


def test_long_first_line_is_clipped_for_the_title() -> None:
    body = "word " * 200
    article = read_text_article(body)
    assert len(article.title) <= 151
    assert article.title.endswith("…")
    assert article.text == body


def test_text_without_trailing_newline_and_leading_blank_lines() -> None:
    text = "\n\n  Headline here  \n\nbody"
    article = read_text_article(text)
    assert article.title == "Headline here"
    assert span_texts(article) == ["Headline here", "body"]


# --- .md --------------------------------------------------------------------------


def test_markdown_fixture_plain_text_and_offsets() -> None:
    article = read_article(FIXTURES / "article.md")
    assert span_texts(article) == [
        "Council Votes to Close Harbor Road",
        "The decision ends a two-year fight over the waterfront.",
        "City council voted 5–2 on Tuesday to close Harbor Road to cars, a move backed by "
        "local merchants and opposed by the fire department.",
        '"This street belongs to people again," said council member Ruth Okafor.',
        'She called the vote "long overdue."',
        "Opponents listed their concerns:",
        "delivery trucks will lose a route",
        "parking near the pier will shrink",
        "A view of the harbor at dawn",
        "The closure takes effect on June 1, according to the city's transportation office.",
    ]
    assert article.paragraphs == paragraph_spans(article.text)
    for marker in ("*", "[", "](", "`", "<span", "---", "title:", "&ndash;", ">"):
        assert marker not in article.text


def test_markdown_front_matter_metadata() -> None:
    article = read_article(FIXTURES / "article.md")
    assert article.title == "Council Votes to Close Harbor Road"
    assert article.subtitle == "The decision ends a two-year fight over the waterfront."
    assert article.author == "Priya Raman"
    assert article.date == "2025-04-02"  # as written: YAML dates are not reformatted
    assert article.url == "https://example.org/news/harbor-road"
    assert article.source == "The Eastport Courier"


def test_markdown_title_from_heading_then_first_line() -> None:
    article = read_text_article("Intro line\n\n## The *Real* Title\n\nBody.\n", fmt="md")
    assert article.title == "The Real Title"
    article = read_text_article("Just a paragraph\nwrapped here.\n", fmt="md")
    assert article.title == "Just a paragraph wrapped here."
    assert article.text == "Just a paragraph wrapped here."  # soft break -> space


def test_markdown_front_matter_edge_cases() -> None:
    # invalid YAML (unquoted colon) is still front matter, read line by line
    meta, body = split_front_matter("---\ntitle: Budget: The Vote\nauthor: A B\n---\nText\n")
    assert meta == {"title": "Budget: The Vote", "author": "A B"}
    assert body == "Text\n"
    # YAML that is not a mapping is not front matter: it stays Markdown
    meta, body = split_front_matter("---\nJust words\n---\nMore\n")
    assert meta == {}
    assert body.startswith("---")
    # authors as a list, keys in any case, windows line endings
    article = read_text_article(
        "---\r\nTitle: T\r\nAuthors: [Ann Lee, Bo Kim]\r\n---\r\nBody text.\r\n", fmt="md"
    )
    assert (article.title, article.author, article.text) == ("T", "Ann Lee, Bo Kim", "Body text.")


def test_markdown_blocks_code_tables_html() -> None:
    source = (
        "# Head\n\n"
        "```\nline one\n\nline three\n```\n\n"
        "| a | b |\n|---|---|\n| 1 | 2 |\n\n"
        "<div>Visible <b>html</b><script>hidden()</script></div>\n\n"
        "Hard  \nbreak and <br> tag, \\*escaped\\*, &amp; entity.\n"
    )
    article = read_text_article(source, fmt="md")
    assert span_texts(article) == [
        "Head",
        "line one",
        "line three",
        "a | b\n1 | 2",
        "Visible html",
        "Hard\nbreak and\ntag, *escaped*, & entity.",
    ]
    assert article.paragraphs == paragraph_spans(article.text)


@pytest.mark.parametrize(
    "source", ["---\ntitle: Only metadata\n---\n", "<!-- a comment -->\n", "***\n", "#\n"]
)
def test_markdown_with_nothing_to_read(source: str) -> None:
    with pytest.raises(ReadError, match="no article text found"):
        read_text_article(source, fmt="md")


# --- .html ------------------------------------------------------------------------


def test_html_fixture_main_text_and_metadata() -> None:
    article = read_article(FIXTURES / "article.html")
    assert article.title == "Mayor Pledges New Bridge by 2027"
    assert article.author == "Dana Whitfield"
    assert article.date == "2025-03-14"
    assert article.source == "The Riverton Ledger"
    assert article.url == "https://ledger.example.com/2025/03/mayor-bridge"
    assert article.subtitle == "The crossing would replace a 1950s span that engineers call unsafe."
    paragraphs = span_texts(article)
    assert '"We are done patching holes," Ortiz told reporters at City Hall.' in paragraphs[3]
    assert "We have heard promises like this before." in paragraphs
    assert "Cost: $84 million" in paragraphs
    for boilerplate in ("Most read", "Privacy", "All rights reserved", "Sports", "not text"):
        assert boilerplate not in article.text
    assert article.paragraphs == paragraph_spans(article.text)


STORM_PAGE = """<html><head><title>Storm Floods Lower Town | Valley Post</title></head><body>
<nav><a href="/">Home</a> <a href="/weather">Weather</a></nav>
<article><h1>Storm Floods Lower Town</h1>
<p>Residents were told to leave before dawn on Sunday.</p>
<p>Heavy rain pushed the Mill River over its banks overnight, flooding at least forty
homes in the lower town, fire chief Omar Reyes said on Sunday morning.</p>
<p>"The water came up faster than any of us expected," Reyes said. "We had boats on
Main Street by four."</p>
</article><footer>Copyright Valley Post</footer></body></html>"""


def test_html_page_without_metadata(tmp_path: Path) -> None:
    article = read_article(write(tmp_path, "storm.htm", STORM_PAGE))
    assert article.title == "Storm Floods Lower Town"
    assert article.subtitle == "Residents were told to leave before dawn on Sunday."
    assert (article.author, article.date, article.url) == (None, None, None)
    assert span_texts(article)[2].startswith("Heavy rain pushed the Mill River over its banks")
    assert "Copyright" not in article.text and "Weather" not in article.text


def test_html_extraction_prints_nothing(capfd: pytest.CaptureFixture[str]) -> None:
    for page in ("<html><body></body></html>", "<html><body><p>x</p></body></html>"):
        with contextlib.suppress(ReadError):
            read_text_article(page, fmt="html")
    assert capfd.readouterr() == ("", "")


def test_html_fragment_falls_back_to_visible_text() -> None:
    article = read_text_article(
        "<h1>Short&nbsp;note</h1><p>He said <b>“yes”</b>.<br>Then left.</p><p>Second</p>",
        fmt="html",
    )
    assert article.title == "Short note"
    assert span_texts(article) == ["Short note", "He said “yes”.\nThen left.", "Second"]


def test_html_without_text() -> None:
    with pytest.raises(ReadError, match="^no article text found$"):
        read_text_article("<html><body><script>var a = 1;</script></body></html>", fmt="html")


def test_html_declared_charset_is_honoured(tmp_path: Path) -> None:
    body = '<meta charset="windows-1252"><p>Caf\xe9 owner said “fine”.</p>'
    data = body.encode("cp1252")
    article = read_article(write(tmp_path, "page.html", data))
    assert "Café owner said “fine”." in article.text
    # the same bytes as plain text are not UTF-8, and nothing declares otherwise
    assert reason(write(tmp_path, "page.txt", data)) == "not valid UTF-8 text (byte 35)"


# --- encodings --------------------------------------------------------------------


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"])
def test_utf16_and_utf32_with_bom_decode(tmp_path: Path, codec: str) -> None:
    text = "Titel: Zürich\r\n\r\n“Quote,” she said. 🎉\r\n"
    bom = {
        "utf-16-le": codecs.BOM_UTF16_LE,
        "utf-16-be": codecs.BOM_UTF16_BE,
        "utf-32-le": codecs.BOM_UTF32_LE,
        "utf-32-be": codecs.BOM_UTF32_BE,
    }[codec]
    article = read_article(write(tmp_path, "a.txt", bom + text.encode(codec)))
    assert article.text == text
    assert article.title == "Titel: Zürich"


def test_utf8_bom_is_not_part_of_the_text(tmp_path: Path) -> None:
    article = read_article(write(tmp_path, "a.txt", codecs.BOM_UTF8 + b"Title\n\nBody.\n"))
    assert article.text == "Title\n\nBody.\n"
    md = read_article(write(tmp_path, "a.md", codecs.BOM_UTF8 + b"---\ntitle: T\n---\nBody\n"))
    assert md.title == "T"


def test_decode_errors_name_the_encoding_and_byte() -> None:
    with pytest.raises(ReadError, match=r"^not valid UTF-16 text \(byte 6\)$"):
        decode_bytes(codecs.BOM_UTF16_LE + "ab".encode("utf-16-le") + b"\x00")
    with pytest.raises(ReadError, match="without a byte-order mark"):
        decode_bytes("Plain words here".encode("utf-16-le"))


# --- bad inputs -------------------------------------------------------------------


def test_empty_and_blank_files(tmp_path: Path) -> None:
    assert reason(write(tmp_path, "empty.txt", b"")) == "empty file"
    assert reason(write(tmp_path, "blank.md", " \r\n\t\n")) == "file contains only whitespace"
    assert reason(write(tmp_path, "blank.html", "\n\n")) == "file contains only whitespace"


def test_binary_files(tmp_path: Path) -> None:
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256))
    assert reason(write(tmp_path, "image.txt", png)) == "binary file (contains NUL bytes)"
    controls = bytes([1, 2, 3, 4, 5, 6, 7, 8, 0x0E, 0x0F]) * 20 + b"some text"
    assert reason(write(tmp_path, "ctl.txt", controls)) == "binary file (control characters)"
    junk = bytes([0xFF, 0x01, 0x02, 0x03]) * 50
    assert reason(write(tmp_path, "junk.md", junk)) == "binary file (control characters)"


def test_invalid_utf8_names_the_byte(tmp_path: Path) -> None:
    data = "Résumé".encode("latin-1")
    assert reason(write(tmp_path, "latin.txt", data)) == "not valid UTF-8 text (byte 1)"


def test_too_large(tmp_path: Path) -> None:
    path = write(tmp_path, "big.txt", "x" * 1500)
    assert reason(path, max_bytes=1000) == "file too large (1.5 KB > 1 KB limit)"
    assert read_article(path, max_bytes=1500).text == "x" * 1500
    # a sparse 60 MB file: refused from its size, never read into memory
    huge = tmp_path / "huge.txt"
    with open(huge, "wb") as fh:
        fh.truncate(60_000_000)
    assert MAX_BYTES == 50_000_000
    assert reason(huge) == "file too large (60 MB > 50 MB limit)"
    with open(huge, "r+b") as fh:
        fh.truncate(50_000_001)
    assert reason(huge) == "file too large (50.1 MB > 50 MB limit)"


def test_unsupported_suffix(tmp_path: Path) -> None:
    assert reason(write(tmp_path, "paper.pdf", b"%PDF-1.7")) == "unsupported file type '.pdf'"
    assert reason(write(tmp_path, "README", b"hello")) == "unsupported file type (no suffix)"
    assert ".txt" in SUPPORTED_SUFFIXES and ".htm" in SUPPORTED_SUFFIXES
    assert format_for("A.TXT") == "txt"
    assert read_article(write(tmp_path, "UPPER.MD", "# Hi\n")).title == "Hi"


def test_missing_directory_and_special_files(tmp_path: Path) -> None:
    assert reason(tmp_path / "gone.txt") == "file not found"
    folder = tmp_path / "folder.txt"
    folder.mkdir()
    assert reason(folder) == "is a directory"
    parent = write(tmp_path, "plain.txt", "x")
    assert reason(parent / "child.txt") == "file not found (a parent is not a directory)"
    assert reason(tmp_path / "nul\x00.txt") == "invalid file name"
    assert reason(tmp_path / ("n" * 300 + ".txt")) == "file name too long"
    if hasattr(os, "mkfifo"):
        fifo = tmp_path / "pipe.txt"
        os.mkfifo(fifo)
        assert reason(fifo) == "not a regular file"  # and it must not hang


@pytest.mark.skipif(
    not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root reads a chmod 000 file"
)
def test_permission_denied(tmp_path: Path) -> None:
    path = write(tmp_path, "secret.txt", "text")
    path.chmod(0)
    try:
        assert reason(path) == "permission denied"
    finally:
        path.chmod(0o600)


def test_read_text_article_rejects_unknown_format() -> None:
    with pytest.raises(ValueError):
        read_text_article("text", fmt="pdf")  # type: ignore[arg-type]


def test_read_text_article_records_an_absolute_path() -> None:
    article = read_text_article("Hello", path="some/where.txt")
    assert article.path == os.path.abspath("some/where.txt")


# --- properties -------------------------------------------------------------------


def assert_good_spans(article: Article) -> None:
    previous_end = 0
    for start, end in article.paragraphs:
        assert previous_end <= start < end <= len(article.text)
        assert article.text[start:end].strip()
        previous_end = end


markdownish = st.text(
    alphabet=st.sampled_from(list(string.printable) + list("“”‘’—–…é中🎉\u2028\u00a0\x85")),
    max_size=300,
)
PROPERTY = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@PROPERTY
@given(st.one_of(st.text(max_size=300), markdownish))
def test_txt_any_text_reads_or_raises_read_error(text: str) -> None:
    try:
        article = read_text_article(text, fmt="txt")
    except ReadError:
        return
    assert article.text == text
    assert article.paragraphs == paragraph_spans(text)
    assert article.title.strip()
    assert_good_spans(article)


@PROPERTY
@given(st.one_of(st.text(max_size=300), markdownish))
def test_md_any_text_reads_or_raises_read_error(text: str) -> None:
    try:
        article = read_text_article(text, fmt="md")
    except ReadError:
        return
    assert article.paragraphs == paragraph_spans(article.text)
    assert_good_spans(article)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.one_of(
            markdownish,
            st.sampled_from(["<p>", "</p>", "<div>", "<br>", "<h1>", "</h1>", "<script>", "&amp;"]),
        ),
        max_size=20,
    ).map("".join)
)
def test_html_any_text_reads_or_raises_read_error(text: str) -> None:
    try:
        article = read_text_article(text, fmt="html")
    except ReadError:
        return
    assert article.paragraphs == paragraph_spans(article.text)
    assert_good_spans(article)


@given(st.lists(st.text(max_size=40), max_size=8))
def test_join_blocks_spans_agree_with_paragraph_spans(blocks: list[str]) -> None:
    text, spans = join_blocks(blocks)
    assert spans == paragraph_spans(text)


def test_guess_subtitle_needs_a_title_first() -> None:
    paragraphs = ["Title", "A short dek line.", "Body."]
    assert guess_subtitle(paragraphs, title_first=False) is None
    assert guess_subtitle(paragraphs, title_first=True) == "A short dek line."


@PROPERTY
@given(st.binary(max_size=200), st.sampled_from(["txt", "md", "html"]))
def test_any_bytes_decode_or_raise_read_error(data: bytes, fmt: str) -> None:
    try:
        text = decode_bytes(data, fmt=fmt)
    except ReadError as err:
        assert str(err)
        return
    assert isinstance(text, str)


@PROPERTY
@given(
    st.fixed_dictionaries(
        {"title": st.text(max_size=30), "author": st.text(max_size=30)},
    ),
    markdownish,
)
def test_md_front_matter_never_breaks_reading(meta: dict[str, str], body: str) -> None:
    header = "".join(f"{key}: {value}\n" for key, value in meta.items())
    try:
        article = read_text_article(f"---\n{header}---\n{body}", fmt="md")
    except ReadError:
        return
    assert_good_spans(article)
    assert "\n" not in article.title
