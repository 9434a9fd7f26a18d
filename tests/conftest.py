"""Shared fixtures: writing small maps to disk and running the CLI on them."""

from __future__ import annotations

import datetime as dt
import sys
import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
EXAMPLES = REPO / "flows"
#: the date tests check maps on (acceptances expire relative to it)
TODAY = dt.date(2026, 1, 1)
#: the installed console script, as a user runs it
FLOWMAP = Path(sys.executable).parent / "flowmap"

#: a small map with no findings at all
CLEAN = """\
map: {id: clean, title: Clean map, as_of: 2024-01-01}
organisations:
  - {id: ngo, name: An NGO, kind: ngo}
  - {id: msd, name: Ministry, kind: government-department}
information:
  - {id: client, name: Client record, category: personal.benefit}
authorities:
  - {id: ipp11, title: Privacy Act 2020 IPP 11, type: privacy-principle}
flows:
  - {id: referral, from: ngo, to: msd, information: [client], basis: [ipp11]}
"""


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


@pytest.fixture(autouse=True, scope="session")
def _own_cache_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """The tests keep flowmap's cache (the built-in catalogue's parse) in a directory of
    their own, never in the user's ~/.cache; commands run as subprocesses inherit it."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("cache")))
        yield
