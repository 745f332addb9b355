"""Who said what: quotes and reported speech from a spaCy Doc.

Pure NLP: no I/O but its own word lists, no storage, no UI. Every span is a
``[start, end)`` str index pair into ``doc.text``.

``extract_quotes`` and the pipeline loaders are imported on first use, so the light parts
(``saidwho.core.quote``, ``saidwho.core.marks``) load without spaCy.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from saidwho.core.quote import ACTS, KINDS, Act, Quote, QuoteKind, Segment, quote_id

if TYPE_CHECKING:
    from .extract import MAX_CANDIDATES, NotEnglishError, explain_quotes, extract_quotes
    from .pipeline import ModelNotFoundError, load_pipeline, resolve_model_name

_LAZY = {
    "extract_quotes": "extract",
    "explain_quotes": "extract",
    "MAX_CANDIDATES": "extract",
    "NotEnglishError": "extract",
    "ModelNotFoundError": "pipeline",
    "load_pipeline": "pipeline",
    "resolve_model_name": "pipeline",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from importlib import import_module

    value = getattr(import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


__all__ = [
    "ACTS",
    "KINDS",
    "MAX_CANDIDATES",
    "Act",
    "ModelNotFoundError",
    "NotEnglishError",
    "Quote",
    "QuoteKind",
    "Segment",
    "explain_quotes",
    "extract_quotes",
    "load_pipeline",
    "quote_id",
    "resolve_model_name",
]
