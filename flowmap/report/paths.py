"""Finding files as reports name them: relative to a root, with forward slashes."""

from __future__ import annotations

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
