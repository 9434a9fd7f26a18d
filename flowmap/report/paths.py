"""Finding files as reports name them: relative to a root, with forward slashes."""

from __future__ import annotations

import functools
import os
from pathlib import Path

#: how the loader names the files of a built-in catalogue: "catalogue:nz/aisas.yaml"
CATALOGUE_PREFIX = "catalogue:"


def relative_to(file: str, root: Path) -> str | None:
    """``file`` (as the loader wrote it, relative to the working directory or absolute)
    relative to ``root`` with forward slashes, or None when it lies outside ``root``
    (a file of a built-in catalogue always does)."""
    if is_catalogue(file):
        return None
    return _relative(file, root, os.getcwd())


@functools.lru_cache(maxsize=1024)
def _relative(file: str, root: Path, cwd: str) -> str | None:
    """:func:`relative_to`, worked out once per file: a report asks for every finding,
    and a map's findings lie in a few files. (``cwd`` is part of the key: a relative
    ``file`` names another file when the working directory changes.)"""
    absolute = absolute_path(file)
    base = Path(os.path.normpath(root.absolute()))
    try:
        return absolute.relative_to(base).as_posix()
    except ValueError:
        return None


def absolute_path(file: str) -> Path:
    """``file`` made absolute against the working directory, with no '..' left in it."""
    return Path(os.path.normpath(Path(file).absolute()))


def is_catalogue(file: str) -> bool:
    return file.startswith(CATALOGUE_PREFIX)
