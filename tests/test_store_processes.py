"""Real processes: SIGKILL mid-write loses nothing acknowledged; concurrent writers lose nothing.

The process drivers live in benchmarks/ (which run them at full size); these run them small.
"""

from __future__ import annotations

import importlib.util
import os
import sys
from pathlib import Path
from types import ModuleType

import pytest

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"


def load(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, BENCHMARKS / f"{name}.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


@pytest.mark.slow
@pytest.mark.skipif(os.name == "nt", reason="SIGKILL is POSIX")
def test_sigkill_while_adding_notes_loses_nothing(tmp_path: Path) -> None:
    kill_test = load("store_kill_test")
    result = kill_test.run(tmp_path / "lib", kills=8, seed=1234, max_delay=0.25)
    assert result.kills == 8
    assert result.acknowledged > 8  # the child really was writing when it died
    assert result.lost == 0


@pytest.mark.slow
def test_two_note_writers_and_an_ingester(tmp_path: Path) -> None:
    concurrency = load("store_concurrency")
    result = concurrency.run(tmp_path / "lib", notes=100, articles=20)
    assert result.notes_found == result.notes_expected == 200
    assert result.articles_found == result.articles_expected == 21
    assert result.problems == []
