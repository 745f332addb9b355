"""The one home of whitespace folding and clipping (every layer's labels, names, titles)."""

from __future__ import annotations


def squash(text: str | None) -> str:
    """Every run of whitespace made one space, the ends stripped (``None`` is empty)."""
    return " ".join((text or "").split())


def clip(text: str | None, limit: int) -> str:
    """``squash``ed, then cut to at most ``limit`` characters with an ellipsis when cut."""
    flat = squash(text)
    if len(flat) <= limit:
        return flat
    return flat[: max(0, limit - 1)].rstrip() + "…"
