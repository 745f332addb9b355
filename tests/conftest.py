"""Shared fixtures: one spaCy pipeline per test session, the seed article, a fresh library."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "hamas-releases-israeli-american-soldier.txt"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def pytest_xdist_auto_num_workers(config: pytest.Config) -> int | None:
    """``-n auto`` (pyproject addopts): two xdist workers per core, at most 8. The TUI tests
    wait about half their time (Pilot key presses, workers), which a second worker per core
    fills: on 2 cores -n 2 took ~110 s, 3 ~90 s, 4 ~84 s, 6 ~93 s. Each worker pays ~5 s of
    CPU to start (collection, spaCy), hence the cap. PYTEST_XDIST_AUTO_NUM_WORKERS wins."""
    if os.environ.get("PYTEST_XDIST_AUTO_NUM_WORKERS"):
        return None  # xdist's own hook reads it
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return min(2 * (cores or 1), 8)


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
