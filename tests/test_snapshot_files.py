"""Every stored SVG snapshot belongs to a snapshot test that still exists. Syrupy reports
unused snapshots only when the whole snapshot module runs in one process; under xdist each
worker sees a share, so the check is made here from the files and the test module itself."""

from __future__ import annotations

import ast
from pathlib import Path

TESTS = Path(__file__).resolve().parent
MODULE = TESTS / "test_tui_snapshots.py"
STORED = TESTS / "__snapshots__" / MODULE.stem


def _snapshot_tests() -> set[str]:
    """``Class.test_name`` (or ``test_name``) of every test in the snapshot module that
    takes ``snap_compare``."""
    names: set[str] = set()
    for node in ast.parse(MODULE.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.ClassDef):
            names.update(f"{node.name}.{f.name}" for f in node.body if _takes_snapshot(f))
        elif _takes_snapshot(node):
            names.add(node.name)  # type: ignore[attr-defined]
    return names


def _takes_snapshot(node: ast.stmt) -> bool:
    return isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and any(
        arg.arg == "snap_compare" for arg in node.args.args
    )


def test_every_stored_snapshot_has_its_test() -> None:
    stored = {path.stem for path in STORED.glob("*.svg")}
    tests = _snapshot_tests()
    assert tests, "no snapshot tests found: has the module moved?"
    orphans = sorted(name for name in stored if name.split("[")[0] not in tests)
    assert not orphans, f"snapshots without a test (delete them): {orphans}"
