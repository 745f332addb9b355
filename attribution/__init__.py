"""Who said what: quotes and reported speech from a spaCy Doc.

Pure NLP: no I/O, no storage, no UI. Every span is a ``[start, end)`` str index pair into
``doc.text``.
"""

from __future__ import annotations

from .extract import extract_quotes
from .pipeline import ModelNotFoundError, load_pipeline, resolve_model_name
from .quote import ACTS, KINDS, Act, Quote, QuoteKind, Segment, quote_id

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
