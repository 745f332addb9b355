"""Markdown: the article text is the plain text a reader sees, not the Markdown source.

Headings, paragraphs, list items, blockquote paragraphs, code blocks and table rows each
become a paragraph, separated by a blank line. Inline markup is dropped: emphasis keeps
its text, links their text, images their alt text, code spans their code; raw HTML tags
are dropped (block HTML keeps its visible text). Soft line breaks become spaces, so a
hard-wrapped paragraph reads as one.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

import yaml
from markdown_it import MarkdownIt
from markdown_it.token import Token

from saidwho.readers.article import Article
from saidwho.readers.common import (
    ReadError,
    clip_title,
    find_byline,
    guess_subtitle,
    join_blocks,
    squash,
)
from saidwho.readers.html import visible_text

# Jekyll/Hugo style: a first line of ---, YAML, then a line of --- (or ...).
_FRONT_MATTER = re.compile(
    r"\A---[ \t]*\r?\n(?:(?P<yaml>.*?)\r?\n)?(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)", re.DOTALL
)
_KEY_VALUE = re.compile(r"^(?P<key>[A-Za-z_][\w-]*)[ \t]*:[ \t]*(?P<value>.*?)\s*$")
_BR_TAG = re.compile(r"<br\s*/?>", re.IGNORECASE)

# Front matter keys for each Article field, first match wins (keys compared lowercased).
_META_KEYS: dict[str, tuple[str, ...]] = {
    "title": ("title", "headline"),
    "subtitle": ("subtitle", "subhead", "dek", "description", "summary"),
    "author": ("author", "authors", "byline"),
    "date": ("date", "published", "pubdate", "published_at", "date_published"),
    "url": ("url", "link", "canonical_url", "canonical"),
    "source": ("source", "publisher", "publication", "site_name", "sitename", "site"),
}


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    # CommonMark plus the two GFM extensions news copy uses; raw HTML is allowed (and
    # reduced to its text below).
    return MarkdownIt("commonmark").enable(["table", "strikethrough"])


def split_front_matter(source: str) -> tuple[dict[str, Any], str]:
    """(metadata, markdown body). No front matter, or YAML that is not a mapping: ({}, source).

    YAML is loaded with BaseLoader (every scalar a string: dates stay as written, no
    surprises from ``yes`` or ``1e3``). Front matter that is not valid YAML (an unquoted
    ``title: Foo: Bar``) is still removed, and read line by line as ``key: value``.
    """
    match = _FRONT_MATTER.match(source)
    if match is None:
        return {}, source
    raw = match["yaml"] or ""
    try:
        data = yaml.load(raw, Loader=yaml.BaseLoader)  # BaseLoader: only str/list/dict
    except (yaml.YAMLError, RecursionError, ValueError):
        data = {}
        for line in raw.splitlines():
            kv = _KEY_VALUE.match(line)
            if kv:
                data.setdefault(kv["key"], kv["value"].strip("\"'"))
    if data is None:
        data = {}
    if not isinstance(data, dict):
        return {}, source  # "---\nsome text\n---" is a rule, a paragraph and a heading
    return data, source[match.end() :]


def _meta_value(value: Any, *, top: bool = True) -> str | None:
    """A string, ``{name: ...}``, or (at the top only) a list of those, joined by commas.

    Nothing deeper: YAML aliases can make a small file a huge nested list."""
    if isinstance(value, str):
        return squash(value[:1000]) or None
    if isinstance(value, dict):
        name = value.get("name")
        return (squash(name[:1000]) or None) if isinstance(name, str) else None
    if top and isinstance(value, list):
        names = [name for name in (_meta_value(v, top=False) for v in value[:20]) if name]
        return ", ".join(names) or None
    return None


def _front_matter_fields(data: dict[str, Any]) -> dict[str, str | None]:
    lowered = {str(key).lower(): value for key, value in data.items()}
    fields: dict[str, str | None] = {}
    for name, keys in _META_KEYS.items():
        fields[name] = next((v for v in (_meta_value(lowered.get(k)) for k in keys) if v), None)
    return fields


def _inline_text(children: list[Token]) -> str:
    parts: list[str] = []
    for tok in children:
        kind = tok.type
        if kind in ("text", "text_special", "code_inline"):
            parts.append(tok.content)
        elif kind == "softbreak":
            parts.append(" ")
        elif kind == "hardbreak":
            parts.append("\n")
        elif kind == "image":
            parts.append(_inline_text(tok.children or []))
        elif kind == "html_inline" and _BR_TAG.fullmatch(tok.content.strip()):
            parts.append("\n")
        # em/strong/s/link open and close, other inline HTML: markup only, no text
    # no stray spaces around line breaks ("a  \nb" is a hard break in Markdown)
    return "\n".join(line.strip() for line in "".join(parts).split("\n"))


def _blocks(tokens: list[Token]) -> tuple[list[str], str | None]:
    """(plain-text blocks, text of the first heading)."""
    blocks: list[str] = []
    first_heading: str | None = None
    in_heading = False
    table: list[str] | None = None
    row: list[str] | None = None
    for tok in tokens:
        kind = tok.type
        if kind == "inline":
            text = _inline_text(tok.children or [])
            if row is not None:
                row.append(squash(text))
                continue
            if in_heading and first_heading is None and text.strip():
                first_heading = text
            blocks.append(text)
        elif kind == "heading_open":
            in_heading = True
        elif kind == "heading_close":
            in_heading = False
        elif kind in ("fence", "code_block"):
            blocks.append(tok.content)
        elif kind == "html_block":
            blocks.extend(visible_text(tok.content).blocks)
        elif kind == "table_open":
            table = []
        elif kind == "tr_open":
            row = []
        elif kind == "tr_close" and row is not None:
            if table is not None and any(row):
                table.append(" | ".join(row))
            row = None
        elif kind == "table_close" and table is not None:
            blocks.append("\n".join(table))
            table = None
    return blocks, first_heading


def parse_markdown(source: str) -> Article:
    data, body = split_front_matter(source)
    meta = _front_matter_fields(data)
    try:
        tokens = _parser().parse(body)
    except RecursionError:
        raise ReadError("Markdown nested too deeply") from None
    blocks, first_heading = _blocks(tokens)
    text, spans = join_blocks(blocks)
    if not text:
        raise ReadError("no article text found")
    paragraphs = [text[start:end] for start, end in spans[:5]]

    first = squash(paragraphs[0])
    if meta["title"]:
        title = meta["title"]
    elif first_heading is not None:
        title = first_heading
    else:
        title = paragraphs[0].splitlines()[0]
    title = squash(title)
    # The title paragraph leads the text (so the next short paragraph may be a dek).
    title_first = first == title
    title = clip_title(title)
    subtitle = meta["subtitle"] or guess_subtitle(paragraphs, title_first=title_first)
    author = meta["author"] or (find_byline(paragraphs) if title_first else None)
    return Article(
        text=text,
        title=title,
        subtitle=subtitle,
        author=author,
        date=meta["date"],
        source=meta["source"],
        url=meta["url"],
        paragraphs=spans,
    )
