"""The saidwho library on disk: the only package that touches TinyDB and file locks.

from saidwho.store import Library, LibraryError, NotFoundError, default_library_dir
"""

from saidwho.store.doctor import DoctorReport, doctor
from saidwho.store.errors import (
    CorruptFileError,
    LibraryError,
    NoteConflictError,
    NotFoundError,
    SchemaError,
)
from saidwho.store.library import Library, default_library_dir
from saidwho.store.notes import draft_edit, draft_note
from saidwho.store.reviews import default_reviewer
from saidwho.store.schema import SCHEMA_VERSION
from saidwho.store.views import (
    REVIEW_STATES,
    UNSET,
    ArticleSummary,
    Note,
    QuoteView,
    ReviewState,
    SpeakerSummary,
    preview_review,
)

__all__ = [
    "REVIEW_STATES",
    "SCHEMA_VERSION",
    "UNSET",
    "ArticleSummary",
    "CorruptFileError",
    "DoctorReport",
    "Library",
    "LibraryError",
    "Note",
    "NoteConflictError",
    "NotFoundError",
    "QuoteView",
    "ReviewState",
    "SchemaError",
    "SpeakerSummary",
    "default_library_dir",
    "default_reviewer",
    "doctor",
    "draft_edit",
    "draft_note",
    "preview_review",
]
