"""Each example map still gives exactly the findings and drawing recorded for it.

When a change to the rules or the examples is meant to change them, rewrite the
snapshots with `.venv/bin/python -m tests.golden` and review the diff.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.golden import examples, golden_path, snapshot


@pytest.mark.parametrize("example", examples(), ids=lambda p: p.name)
def test_example_matches_its_golden_snapshot(example: Path) -> None:
    expected = json.loads(golden_path(example).read_text(encoding="utf-8"))
    actual = json.loads(json.dumps(snapshot(example)))
    assert actual["findings"] == expected["findings"]
    assert actual["flows"] == expected["flows"]
    assert actual["organisations"] == expected["organisations"]
    assert actual["map"] == expected["map"]


def test_every_golden_snapshot_has_its_example() -> None:
    names = {p.name for p in examples()}
    stale = [p.name for p in golden_path(Path("x")).parent.glob("*.json")
             if p.stem not in names]
    assert not stale, f"snapshots without an example: {stale}"
