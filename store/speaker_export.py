"""The reviewer's speaker decisions (merge, split, rename, kind) in the JSON-LD and CSV
exports, and back in from JSON-LD: the Markdown export lists them too
(``identities.decisions_markdown``).

In JSON-LD a decision is a Web Annotation with motivation ``editing`` whose target is the
speaker (``urn:saidwho:speaker:<name>``), its body the decision in words, and the decision
itself under ``saidwho:speakerDecision`` so that an import restores it exactly.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from saidwho.store import records
from saidwho.store.identities import describe
from saidwho.store.shape import from_doc
from saidwho.store.validate import NOTES_SCHEMAS, problem

if TYPE_CHECKING:
    from saidwho.store.library import Library

SPEAKER_URN = "urn:saidwho:speaker:"
DECISION_KEY = "saidwho:speakerDecision"


def subject(decision: Mapping[str, Any]) -> str:
    """The speaker a decision is about (a merge: the name it merges into)."""
    return str(decision.get("into") or decision.get("name") or "")


def jsonld_items(decisions: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    return [
        {
            "id": f"urn:uuid:{d.get('id')}",
            "type": "Annotation",
            "motivation": "editing",
            "created": d.get("at"),
            "body": [{"type": "TextualBody", "value": describe(d), "purpose": "editing"}],
            "target": {"source": SPEAKER_URN + subject(d)},
            DECISION_KEY: dict(d),
        }
        for d in decisions
    ]


def is_speaker_annotation(annotation: Mapping[str, Any]) -> bool:
    target = annotation.get("target")
    source = target.get("source") if isinstance(target, Mapping) else None
    return isinstance(source, str) and source.startswith(SPEAKER_URN)


def import_decision(library: Library, annotation: Mapping[str, Any]) -> bool:
    """Restore the decision an exported annotation holds; False when the library has it.
    ValueError when the annotation holds no well-formed decision."""
    doc = annotation.get(DECISION_KEY)
    if not isinstance(doc, Mapping):
        raise ValueError(f"a speaker annotation without {DECISION_KEY}")
    wrong = problem(dict(doc), NOTES_SCHEMAS["speakers"])
    if wrong:
        raise ValueError(f"not a speaker decision: {wrong}")
    return library.restore_speaker_decision(from_doc(records.SpeakerDecision, doc))


def csv_rows(decisions: Iterable[Mapping[str, Any]], columns: tuple[str, ...]) -> list[list[str]]:
    """One row per decision: type ``speaker``, the speaker, the decision in words (as the
    note), when and its id; the other columns empty."""
    rows = []
    for d in decisions:
        values = {
            "type": "speaker",
            "speaker": subject(d),
            "note": describe(d),
            "created": str(d.get("at") or ""),
            "note_id": str(d.get("id") or ""),
        }
        rows.append([values.get(column, "") for column in columns])
    return rows
