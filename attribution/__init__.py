"""Who said what: quotes and reported speech from a spaCy Doc.

Pure NLP: no I/O, no storage, no UI. Every span is a ``[start, end)`` str index pair into
``doc.text``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .quote import ACTS, KINDS, Act, Quote, QuoteKind, Segment, quote_id

# The extractor and the pipeline loader import spaCy (~1.5 s): they load on first use, so
# that the store and the TUI can import ``saidwho.attribution.quote`` and ``.marks`` cheaply.
if TYPE_CHECKING:
    from .extract import extract_quotes
    from .pipeline import ModelNotFoundError, load_pipeline, resolve_model_name

_LAZY = {
    "extract_quotes": "extract",
    "ModelNotFoundError": "pipeline",
    "load_pipeline": "pipeline",
    "resolve_model_name": "pipeline",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        value = getattr(importlib.import_module(f".{_LAZY[name]}", __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "ACTS",
    "KINDS",
    "Act",
    "ModelNotFoundError",
    "Quote",
    "QuoteKind",
    "Segment",
    "extract_quotes",
    "load_pipeline",
    "quote_id",
    "resolve_model_name",
]
