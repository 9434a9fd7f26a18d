"""Shared fixtures: writing small maps to disk and running the CLI on them."""

from __future__ import annotations

import datetime as dt
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
EXAMPLES = REPO / "flows"
#: the date tests check maps on (acceptances expire relative to it)
TODAY = dt.date(2026, 1, 1)


@pytest.fixture
def write_map(tmp_path: Path) -> Callable[..., Path]:
    """Write ``files`` (name → YAML text, dedented) under tmp_path and return the dir;
    a single string is written as map.yaml and its path returned."""

    def write(files: dict[str, str] | str) -> Path:
        if isinstance(files, str):
            path = tmp_path / "map.yaml"
            path.write_text(textwrap.dedent(files), encoding="utf-8")
            return path
        for name, text in files.items():
            path = tmp_path / "map" / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(textwrap.dedent(text), encoding="utf-8")
        return tmp_path / "map"

    return write
