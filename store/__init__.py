"""The saidwho library on disk: the only package that touches TinyDB and file locks.

from saidwho.store import Library, LibraryError, NotFoundError, default_library_dir
"""

from saidwho.store.doctor import DoctorReport, doctor
from saidwho.store.errors import CorruptFileError, LibraryError, NotFoundError, SchemaError
from saidwho.store.library import UNSET, Library, default_library_dir
from saidwho.store.schema import SCHEMA_VERSION
from saidwho.store.views import ArticleSummary, Note, QuoteView, SpeakerSummary

__all__ = [
    "SCHEMA_VERSION",
    "UNSET",
    "ArticleSummary",
    "CorruptFileError",
    "DoctorReport",
    "Library",
    "LibraryError",
    "Note",
    "NotFoundError",
    "QuoteView",
    "SchemaError",
    "SpeakerSummary",
    "default_library_dir",
    "doctor",
]
