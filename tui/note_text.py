"""A note's Markdown as compact styled text for the notes panel.

Notes are untrusted text. They go through markdown-it (HTML off) and every piece becomes a
``Content`` built from plain strings, so ``[@click=app.quit]`` stays text: Textual markup is
never parsed. Inline styles (bold, italic, code, strike, links), bullets, numbers and quote
bars are kept; headings are bold lines, not the boxed banners of a Markdown widget, because
an option in a 40-column list has no room for them (and an ``OptionList`` option cannot hold
a ``Markdown`` widget anyway).
"""

from __future__ import annotations

from functools import lru_cache

from markdown_it import MarkdownIt
from markdown_it.token import Token
from textual.content import Content

from saidwho.core.safe_text import inert
from saidwho.tui.model import MUTED

INLINE_STYLES = {"strong": "bold", "em": "italic", "s": "strike"}


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": False}).enable("strikethrough")


def _inline(children: list[Token], base: str) -> list[Content]:
    out: list[Content] = []
    styles: list[str] = [base] if base else []
    links: list[str] = []
    for tok in children:
        kind = tok.type
        if kind.endswith("_open") and kind[:-5] in INLINE_STYLES:
            styles.append(INLINE_STYLES[kind[:-5]])
        elif kind.endswith("_close") and kind[:-6] in INLINE_STYLES:
            if INLINE_STYLES[kind[:-6]] in styles:
                styles.remove(INLINE_STYLES[kind[:-6]])
        elif kind == "link_open":
            links.append(str(tok.attrs.get("href") or ""))
            styles.append("underline")
        elif kind == "link_close":
            if "underline" in styles:
                styles.remove("underline")
            href = links.pop() if links else ""
            if href:
                out.append(Content.styled(f" ({href})", MUTED))
        elif kind == "code_inline":
            out.append(Content.styled(tok.content, "$text-accent"))
        elif kind in ("softbreak", "hardbreak"):
            out.append(Content("\n"))  # a note's line breaks are the writer's, keep them
        elif kind == "image":
            out.append(Content.styled(f"[image: {tok.content}]", MUTED))
        else:  # text, html_inline (shown as typed)
            out.append(Content.styled(tok.content, " ".join(styles)))
    return out


def note_content(source: str) -> Content:
    """Render ``source`` (a note's Markdown) as one ``Content``."""
    source = inert(source)  # before parsing: every piece built below is then inert
    lines: list[Content] = []
    prefix: list[str] = []  # bullets, numbers and quote bars of the open blocks
    lists: list[int | None] = []  # per open list: the next number, None for bullets
    pending = ""  # the marker of a list item, shown before its first line
    heading = False
    for tok in _parser().parse(source):
        kind = tok.type
        if kind == "bullet_list_open":
            lists.append(None)
        elif kind == "ordered_list_open":
            lists.append(int(tok.attrs.get("start") or 1))
        elif kind in ("bullet_list_close", "ordered_list_close"):
            lists.pop()
        elif kind == "list_item_open":
            number = lists[-1] if lists else None
            if number is None:
                pending = "• "
            else:
                pending = f"{number}. "
                lists[-1] = number + 1
            prefix.append("  ")
        elif kind == "list_item_close":
            prefix.pop()
        elif kind == "blockquote_open":
            prefix.append("▎ ")
        elif kind == "blockquote_close":
            prefix.pop()
        elif kind == "heading_open":
            heading = True
        elif kind == "heading_close":
            heading = False
        elif kind == "hr":
            lines.append(Content.styled("─" * 12, MUTED))
        elif kind in ("fence", "code_block"):
            for line in tok.content.rstrip("\n").split("\n"):
                lines.append(Content.styled("".join(prefix) + line, "$text-accent"))
        elif kind == "inline":
            body = Content("").join(_inline(tok.children or [], "bold" if heading else ""))
            for i, row in enumerate(body.split("\n")):
                lead = "".join(prefix)
                if i == 0 and pending:
                    lead = lead[:-2] + pending if len(lead) >= 2 else pending
                    pending = ""
                lines.append(Content.assemble(Content.styled(lead, MUTED), row))
    return Content("\n").join(lines) if lines else Content(source)
