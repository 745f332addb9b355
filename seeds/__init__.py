"""Bundled sample articles: an empty library is filled from these on first run."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

SUFFIXES = (".txt", ".md", ".html")


def seed_paths() -> list[Path]:
    """The seed files, installed as package data, so this works from any directory."""
    root = Path(str(files(__name__)))
    return sorted(p for p in root.iterdir() if p.suffix in SUFFIXES)


BUNDLED = "the bundled sample"  # how a citation names a seed, not by its path in the venv


def is_seed(path: str | None) -> bool:
    """True for the path of a bundled seed file, wherever the package is installed."""
    if not path:
        return False
    try:
        return Path(path).resolve() in {p.resolve() for p in seed_paths()}
    except (OSError, ValueError):
        return False
