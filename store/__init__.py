"""The saidwho library on disk: the only package that touches TinyDB and file locks.

from store import Library, LibraryError, NotFoundError, default_library_dir
"""

from store.doctor import DoctorReport, doctor
from store.errors import CorruptFileError, LibraryError, NotFoundError, SchemaError
from store.library import UNSET, Library, default_library_dir
from store.schema import SCHEMA_VERSION

__all__ = [
    "SCHEMA_VERSION",
    "UNSET",
    "CorruptFileError",
    "DoctorReport",
    "Library",
    "LibraryError",
    "NotFoundError",
    "SchemaError",
    "default_library_dir",
    "doctor",
]
