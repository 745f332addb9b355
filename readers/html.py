"""HTML: trafilatura finds the article body and its metadata; lxml reads the title.

A page (it has ``<html>`` or ``<body>``) is read by trafilatura only. If trafilatura cannot be
imported that is an ``ExtractorUnavailable`` error, never a silent fallback: a cruder pass
would keep navigation, ads and comments as article text. If trafilatura raises on hostile
markup, all visible text is kept and ``Article.warning`` says so. A fragment (a saved body,
``<p>Hi</p>``) is all content and is read by the plain visible-text pass.

The title is the article's: og:title, twitter:title, a schema.org headline, the article's
``<h1>``, each without a glued-on site name, before trafilatura's title or the ``<title>``.
"""

from __future__ import annotations

import importlib
import json
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


# Bounds on what extraction hands on (hostile or absurd pages): a data table is not prose,
# and 400,000 cells made 400,000 "quotes" and minutes of parsing. What is cut is said in
# Article.warning.
MAX_TABLE_ROWS = 500  # per table
MAX_BLOCKS = 20_000  # paragraphs per article


# A page with more table cells than this is a data dump, not an article: the extractor would
# take minutes and a gigabyte on it (400,000 cells: 150 s, 0.9 GB), the visible-text pass
# reads it in seconds.
MAX_EXTRACT_CELLS = 50_000
_CELL = re.compile(r"<t[dh][\s>]", re.IGNORECASE)


@dataclass
class VisibleText:
    blocks: list[str] = field(default_factory=list)
    title: str | None = None  # <title>, else the first <h1>
    cut_rows: int = 0  # table rows left out (past MAX_TABLE_ROWS of their table)


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
        self._rows: list[int] = []  # rows seen in each open table
        self._cut_row = False  # inside a row past MAX_TABLE_ROWS: its text is left out

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
        if tag == "table":
            self._rows.append(0)
        elif tag == "tr" and self._rows:
            self._rows[-1] += 1
            self._cut_row = self._rows[-1] > MAX_TABLE_ROWS
            self.out.cut_rows += self._cut_row
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
        if tag in ("tr", "table"):
            self._cut_row = False
            if tag == "table" and self._rows:
                self._rows.pop()
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
        if self._hidden or self._cut_row:
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


def _tei_blocks(body: Any, notes: list[str] | None = None) -> list[str]:
    """Paragraph blocks from trafilatura's ``Document.body`` (an lxml element); a table
    longer than ``MAX_TABLE_ROWS`` is cut, and ``notes`` says so."""
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
            total = 0
            for row in el.iter("row"):
                total += 1
                if total <= MAX_TABLE_ROWS:
                    cells = [squash("".join(cell.itertext())) for cell in row.iter("cell")]
                    rows.append(" | ".join(cells))
            if total > MAX_TABLE_ROWS and notes is not None:
                notes.append(f"a table cut to its first {MAX_TABLE_ROWS} of {total} rows")
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


class ExtractorUnavailable(ReadError):
    """trafilatura (or a module it needs) cannot be imported, so a page cannot be read well.

    Never papered over with a cruder text pass: navigation, ads and comments would become
    article text and even quotes. ``saidwho doctor`` names it too.
    """


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip() or type(exc).__name__
    return text.splitlines()[0]


def import_trafilatura() -> Any:
    """The trafilatura module, or ExtractorUnavailable naming what failed to import."""
    try:
        import trafilatura
    except ImportError as exc:
        raise ExtractorUnavailable(
            f"trafilatura cannot be imported: {_first_line(exc)} (see `saidwho doctor`)"
        ) from None
    return trafilatura


def check_extractors() -> list[str]:
    """Problems with the HTML extractors, one line each; empty when all is well."""
    problems: list[str] = []
    try:
        import_trafilatura()
    except ExtractorUnavailable as exc:
        problems.append(str(exc).removesuffix(" (see `saidwho doctor`)"))
    try:
        importlib.import_module("lxml.html")  # the titles are read with it
    except ImportError as exc:
        problems.append(f"lxml cannot be imported: {_first_line(exc)}")
    return problems


class _HostileMarkup(Exception):
    """trafilatura raised on this markup; the message says what happened."""


def _extract(html: str) -> Any:
    trafilatura = import_trafilatura()  # outside the try: a missing module is loud
    try:
        return trafilatura.bare_extraction(
            html,
            with_metadata=True,
            include_comments=False,
            include_tables=True,
            include_images=False,
            include_links=False,
            include_formatting=False,
            # dates from the page's metadata and markup only: the extensive search takes a
            # footer's "© 2025" for the publication date (2025-01-01), a made-up provenance
            date_extraction_params={"extensive_search": False, "original_date": True},
        )
    except (ImportError, MemoryError):
        raise
    except Exception as exc:  # noqa: BLE001 - lxml/trafilatura on hostile markup
        raise _HostileMarkup(f"{type(exc).__name__}: {_first_line(exc)}") from exc


def parse_html(html: str) -> Article:
    """An Article from an HTML page or fragment (see the module docstring)."""
    page = bool(_PAGE.search(html))
    doc: Any = None
    warning: str | None = None
    cells = len(_CELL.findall(html)) if page else 0
    if cells > MAX_EXTRACT_CELLS:
        warning = f"a page of {cells} table cells: read as visible text, not extracted"
    elif page:
        try:
            doc = _extract(html)
        except _HostileMarkup as exc:
            # said out loud (ingest reports it): this text may hold navigation and comments
            warning = f"the extractor failed ({exc}); kept all visible text"
    body = getattr(doc, "body", None)
    cut: list[str] = []  # what the bounds above left out
    try:
        blocks = _tei_blocks(body, cut) if body is not None else []
    except RecursionError:  # absurdly deep nesting: the flat visible-text pass copes
        blocks = []
        warning = "markup nested too deeply for the extractor; kept all visible text"
    visible: VisibleText | None = None
    if not blocks and (not page or warning is not None):
        # a fragment is all content; a page only when the extractor could not run on it
        visible = visible_text(html)
        blocks = visible.blocks
    if visible is not None and visible.cut_rows:
        cut.append(f"{visible.cut_rows} table rows past the first {MAX_TABLE_ROWS} left out")
    if len(blocks) > MAX_BLOCKS:
        cut.append(f"cut to its first {MAX_BLOCKS} of {len(blocks)} paragraphs")
        blocks = blocks[:MAX_BLOCKS]
    if cut:
        warning = "; ".join([*([warning] if warning else []), *cut])
    text, spans = join_blocks(blocks)
    if not text:
        raise ReadError("no article text found")

    paragraphs = [text[start:end] for start, end in spans[:5]]

    def meta(name: str) -> str | None:
        value = getattr(doc, name, None)
        return (squash(value) or None) if isinstance(value, str) else None

    site = meta("sitename")
    heads = page_heads(html) if page else PageHeads()
    site = site or heads.site_name
    title = heads.title(site) or _headline(meta("title"), site)
    if title is None:
        visible = visible or visible_text(html)
        title = _headline(visible.title, site)
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
        source=site,
        url=meta("url"),
        paragraphs=spans,
        warning=warning,
    )


# --- titles -------------------------------------------------------------------------
# Read here with lxml, not taken from trafilatura: its title is the <title> in some
# versions, with the site name glued on ("Mayor Pledges New Bridge | The Riverton Ledger").

_LD_ARTICLE_TYPES = word_set(
    """Article NewsArticle ReportageNewsArticle AnalysisNewsArticle OpinionNewsArticle
    BackgroundNewsArticle ReviewNewsArticle BlogPosting LiveBlogPosting ScholarlyArticle
    TechArticle Report WebPage"""
)
_SITE_SEPARATORS = "|-–—:·•«»/"


@dataclass(frozen=True)
class PageHeads:
    """The title candidates a page declares, best first in ``title()``."""

    og_title: str | None = None
    twitter_title: str | None = None
    ld_headline: str | None = None
    h1: str | None = None
    site_name: str | None = None
    canonical: str | None = None  # <link rel=canonical> or og:url, as written (maybe relative)

    def title(self, site: str | None = None) -> str | None:
        site = site or self.site_name
        for candidate in (self.og_title, self.twitter_title, self.ld_headline, self.h1):
            headline = _headline(candidate, site)
            if headline:
                return headline
        return None


def _headline(title: str | None, site: str | None) -> str | None:
    """``title`` without the site name glued on; None if it is only the site's name (a logo
    in an <h1>, an og:title naming the site)."""
    stripped = _strip_site(title, site)
    if stripped and site and stripped.casefold() == squash(site).casefold():
        return None
    return stripped


def _strip_site(title: str | None, site: str | None) -> str | None:
    """``Headline | Site`` or ``Site - Headline`` -> ``Headline`` when Site is the site name."""
    if not title:
        return None
    title = squash(title)
    if not site:
        return title
    site = squash(site)
    low, low_site = title.casefold(), site.casefold()
    if low != low_site:
        if low.endswith(low_site):
            head = title[: len(title) - len(site)].rstrip()
            if head and head[-1] in _SITE_SEPARATORS and head[:-1].strip():
                return head[:-1].strip()
        if low.startswith(low_site):
            tail = title[len(site) :].lstrip()
            if tail and tail[0] in _SITE_SEPARATORS and tail[1:].strip():
                return tail[1:].strip()
    return title


def page_heads(html: str) -> PageHeads:
    """og:title, twitter:title, a schema.org headline, the first <h1> and og:site_name."""
    try:
        from lxml import html as lxml_html  # type: ignore[import-untyped]

        # bytes, so an XML declaration with an encoding does not make lxml refuse a str
        parser = lxml_html.HTMLParser(encoding="utf-8")
        tree = lxml_html.fromstring(html.encode("utf-8", "surrogatepass"), parser=parser)
    except ImportError:
        raise ExtractorUnavailable("lxml cannot be imported (see `saidwho doctor`)") from None
    except Exception:  # noqa: BLE001 - unparseable markup has no title to offer
        return PageHeads()

    def meta(*names: str) -> str | None:
        for el in tree.iter("meta"):
            key = (el.get("property") or el.get("name") or "").strip().lower()
            if key in names:
                value = squash(el.get("content") or "")
                if value:
                    return value
        return None

    # the article's own <h1> first: a page's first one is often its logo
    h1 = None
    for path in ("//article//h1", "//main//h1", "//h1"):
        for el in tree.xpath(path):
            h1 = squash(el.text_content()) or None
            if h1:
                break
        if h1:
            break
    return PageHeads(
        og_title=meta("og:title"),
        twitter_title=meta("twitter:title"),
        ld_headline=_ld_headline(tree),
        h1=h1,
        site_name=meta("og:site_name", "application-name"),
        canonical=_canonical(tree) or meta("og:url"),
    )


def _canonical(tree: Any) -> str | None:
    for el in tree.iter("link"):
        if "canonical" in (el.get("rel") or "").lower().split():
            href = squash(el.get("href") or "")
            if href:
                return href
    return None


def _ld_headline(tree: Any) -> str | None:
    for script in tree.iter("script"):
        if (script.get("type") or "").strip().lower() != "application/ld+json":
            continue
        try:
            data = json.loads(script.text_content() or "")
        except ValueError:
            continue
        items = _ld_items(data, depth=0)
        # an article's headline first; a bare WebPage's only if no article says one
        for webpage in (False, True):
            for item in items:
                kinds = item.get("@type")
                kinds = kinds if isinstance(kinds, list) else [kinds]
                headline = item.get("headline")
                if (
                    isinstance(headline, str)
                    and squash(headline)
                    and any(isinstance(k, str) and k in _LD_ARTICLE_TYPES for k in kinds)
                    and ("WebPage" in kinds) == webpage
                ):
                    return squash(headline)
    return None


def _ld_items(data: Any, depth: int) -> list[dict[str, Any]]:
    """Objects in a JSON-LD document: top level, lists and ``@graph``, a few levels deep."""
    if depth > 4:
        return []
    if isinstance(data, list):
        return [item for value in data for item in _ld_items(value, depth + 1)]
    if isinstance(data, dict):
        return [data, *_ld_items(data.get("@graph"), depth + 1)]
    return []
