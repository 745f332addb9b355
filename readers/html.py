"""HTML: trafilatura finds the article body and its metadata; a plain visible-text pass
covers fragments that trafilatura declines (it wants a page, not ``<p>Hi</p>``)."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

from saidwho.readers.article import Article
from saidwho.readers.common import (
    ReadError,
    clip_title,
    find_byline,
    guess_subtitle,
    join_blocks,
    squash,
    word_set,
)

# Tags that start a new paragraph in the visible-text pass.
_BLOCK_TAGS = word_set(
    """address article aside blockquote body caption center dd details dialog div dl dt
    fieldset figcaption figure footer form h1 h2 h3 h4 h5 h6 header hgroup hr html li main
    menu nav ol p pre section summary table tbody td tfoot th thead tr ul"""
)
# Tags whose content is never shown as text.
# <head> is not listed: its end tag is optional, and its only text is <title>.
_HIDDEN_TAGS = word_set("title script style noscript template svg math iframe object canvas select")
_VOID_TAGS = word_set("area base br col embed hr img input link meta param source track wbr")
# Inline whitespace, not line breaks: collapsed inside a line.
_SPACES = re.compile(r"[^\S\n]+")

_PAGE = re.compile(r"<(?:html|body)\b", re.IGNORECASE)

# trafilatura's output vocabulary (TEI-like): these start a new paragraph.
_TEI_BLOCKS = frozenset(
    ["p", "head", "item", "quote", "list", "code", "div", "main", "doc", "body"]
)


@dataclass
class VisibleText:
    blocks: list[str] = field(default_factory=list)
    title: str | None = None  # <title>, else the first <h1>


class _VisibleTextParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out = VisibleText()
        self._buf: list[str] = []
        self._hidden = 0
        self._pre = 0
        self._in_title = False
        self._title: list[str] = []
        self._h1: list[str] | None = None
        self._h1_done = False

    def _flush(self) -> None:
        text = "".join(self._buf)
        self._buf.clear()
        if not self._pre:
            text = "\n".join(_SPACES.sub(" ", line).strip() for line in text.split("\n"))
        if text.strip():
            self.out.blocks.append(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "title":
            self._in_title = True
        if tag in _HIDDEN_TAGS:
            self._hidden += 1
            return
        if self._hidden:
            return
        if tag == "br":
            self._buf.append("\n")
        elif tag in ("td", "th"):
            self._buf.append(" ")
        elif tag in _BLOCK_TAGS:
            self._flush()
            if tag == "pre":
                self._pre += 1
            elif tag == "h1" and not self._h1_done:
                self._h1 = []
        elif tag == "img":
            alt = dict(attrs).get("alt")
            if alt:
                self._buf.append(alt)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _HIDDEN_TAGS:  # <svg/> and friends: nothing to hide
            return
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self._in_title = False
        if tag in _HIDDEN_TAGS:
            self._hidden = max(0, self._hidden - 1)
            return
        if self._hidden or tag in _VOID_TAGS:
            return
        if tag in _BLOCK_TAGS:
            self._flush()
            if tag == "pre":
                self._pre = max(0, self._pre - 1)
            elif tag == "h1" and self._h1 is not None:
                self.out.title = self.out.title or squash("".join(self._h1)) or None
                self._h1 = None
                self._h1_done = True

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self._title.append(data)
        if self._hidden:
            return
        self._buf.append(data)
        if self._h1 is not None:
            self._h1.append(data)

    def result(self) -> VisibleText:
        self._flush()
        title = squash("".join(self._title))
        if title:
            self.out.title = title  # <title> wins over the first <h1>
        return self.out


def visible_text(html: str) -> VisibleText:
    """The text a browser would show, one block per paragraph-level element."""
    parser = _VisibleTextParser()
    try:
        parser.feed(html)
        parser.close()
    except Exception:  # html.parser is lenient; keep what was read so far
        pass
    return parser.result()


def _tei_blocks(body: Any) -> list[str]:
    """Paragraph blocks from trafilatura's ``Document.body`` (an lxml element)."""
    blocks: list[str] = []
    buf: list[str] = []

    def flush() -> None:
        text = "".join(buf)
        buf.clear()
        text = "\n".join(_SPACES.sub(" ", line).strip() for line in text.split("\n"))
        if text.strip():
            blocks.append(text)

    def walk(el: Any) -> None:
        tag = el.tag if isinstance(el.tag, str) else ""
        if tag == "table":
            flush()
            rows = []
            for row in el.iter("row"):
                cells = [squash("".join(cell.itertext())) for cell in row.iter("cell")]
                rows.append(" | ".join(cells))
            blocks.append("\n".join(rows))
        elif tag in _TEI_BLOCKS:
            flush()
            buf.append(el.text or "")
            for child in el:
                walk(child)
            flush()
        elif tag == "lb":
            buf.append("\n")
        elif tag == "graphic":
            pass
        elif tag:  # hi, ref, del, ...: inline, keep the text
            buf.append(el.text or "")
            for child in el:
                walk(child)
        buf.append(el.tail or "")

    walk(body)
    flush()
    return blocks


# trafilatura logs "discarding data" and the like at WARNING/ERROR. With no handler
# configured, Python would print them to stderr, under the TUI or beside CLI output;
# a NullHandler stops that and still lets an app that configures logging see them.
for _name in ("trafilatura", "htmldate", "courlan", "justext"):
    logging.getLogger(_name).addHandler(logging.NullHandler())


def _title_leads(title: str, first: str) -> bool:
    """The first paragraph is the title, maybe without a " | Site name" tail."""
    title, first = title.casefold(), first.casefold()
    if not first or not title.startswith(first):
        return False
    rest = title[len(first) :].lstrip()
    return not rest or rest[0] in "|-–—:·•"


def _extract(html: str) -> Any:
    try:
        import trafilatura

        return trafilatura.bare_extraction(
            html,
            with_metadata=True,
            include_comments=False,
            include_tables=True,
            include_images=False,
            include_links=False,
            include_formatting=False,
        )
    except Exception:  # lxml/trafilatura on hostile markup: fall back
        return None


def parse_html(html: str) -> Article:
    # A fragment (no <html> or <body>: a saved article body, a snippet) is all content;
    # boilerplate removal would only cut its headings and short paragraphs.
    doc = _extract(html) if _PAGE.search(html) else None
    body = getattr(doc, "body", None)
    try:
        blocks = _tei_blocks(body) if body is not None else []
    except RecursionError:  # absurdly deep nesting: the flat visible-text pass copes
        blocks = []
    visible: VisibleText | None = None
    if not blocks:
        visible = visible_text(html)
        blocks = visible.blocks
    text, spans = join_blocks(blocks)
    if not text:
        raise ReadError("no article text found")

    paragraphs = [text[start:end] for start, end in spans[:5]]

    def meta(name: str) -> str | None:
        value = getattr(doc, name, None)
        return (squash(value) or None) if isinstance(value, str) else None

    title = meta("title")
    if title is None:
        visible = visible or visible_text(html)
        title = visible.title
    title = clip_title(title or paragraphs[0].splitlines()[0])
    title_first = _title_leads(title, squash(paragraphs[0]))

    subtitle = None
    description = meta("description")
    if description and any(squash(p) == description for p in paragraphs[1:3]):
        subtitle = description
    if subtitle is None:
        subtitle = guess_subtitle(paragraphs, title_first=title_first)
    author = meta("author") or (find_byline(paragraphs) if title_first else None)
    return Article(
        text=text,
        title=title,
        subtitle=subtitle,
        author=author,
        date=meta("date"),
        source=meta("sitename"),
        url=meta("url"),
        paragraphs=spans,
    )
