"""Golden files: expected output kept under tests/golden/, compared whole.

`VODJOBS_UPDATE_GOLDEN=1 python -m pytest …` rewrites them; review the diff before committing.
"""

from __future__ import annotations

import difflib
import os
from pathlib import Path

GOLDEN_DIR = Path(__file__).resolve().parents[1] / "golden"


def assert_matches_golden(actual: str, name: str) -> None:
    path = GOLDEN_DIR / name
    if os.environ.get("VODJOBS_UPDATE_GOLDEN") == "1":
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(actual, encoding="utf-8")
        return
    assert path.is_file(), f"no golden file {path}; run with VODJOBS_UPDATE_GOLDEN=1 to write it, then review it"
    expected = path.read_text(encoding="utf-8")
    if actual != expected:
        diff = "".join(difflib.unified_diff(expected.splitlines(True), actual.splitlines(True), f"golden/{name}", "actual"))
        raise AssertionError(f"output differs from tests/golden/{name} (VODJOBS_UPDATE_GOLDEN=1 rewrites it):\n{diff}")
