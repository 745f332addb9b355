"""Shared fixtures: one spaCy pipeline per test session, the seed article, a fresh library."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import settings

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "hamas-releases-israeli-american-soldier.txt"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(scope="session")
def nlp():
    from saidwho.attribution import load_pipeline

    return load_pipeline(None)


@pytest.fixture(scope="session")
def seed_path() -> Path:
    return SEED


@pytest.fixture(scope="session")
def seed_text() -> str:
    # newline="" keeps the file's text exactly (offsets match the file)
    with open(SEED, encoding="utf-8", newline="") as fh:
        return fh.read()


# Hypothesis keeps no example database in the working directory: parallel workers (xdist)
# and other checkouts share nothing; a failure still prints the example that reproduces it.
settings.register_profile("saidwho", database=None)
settings.load_profile("saidwho")
