"""Writing outputs safely: atomically, and never over a file of the map."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable
from pathlib import Path


class OutputError(Exception):
    """An output cannot be written where the user asked (a usage error)."""


def write_atomic(path: Path, data: bytes, *, protect: Iterable[Path] = ()) -> None:
    """Write ``data`` to ``path`` all at once: a failure leaves any old file intact.

    ``protect`` lists files (the map's own) that must never be overwritten.
    """
    target = path.resolve()
    if any(target == p.resolve() for p in protect):
        raise OutputError(f"refusing to overwrite {path}: it is a file of the map")
    if target.is_dir():
        raise OutputError(f"{path} is a directory; give a file name")
    if target.exists() and not target.is_file():
        _write_into(path, data)  # a pipe or a device: write into it, never replace it
        return
    parent = target.parent
    if not parent.is_dir():
        raise OutputError(f"directory {parent} does not exist")
    try:
        fd, tmp = tempfile.mkstemp(dir=parent, prefix=f".{target.name}.", suffix=".tmp")
    except OSError as exc:
        raise OutputError(f"cannot write to {parent}: {exc.strerror}") from exc
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise OutputError(f"cannot write {path}: {exc.strerror}") from exc


def _write_into(path: Path, data: bytes) -> None:
    try:
        with path.open("wb") as handle:
            handle.write(data)
    except OSError as exc:
        raise OutputError(f"cannot write {path}: {exc.strerror}") from exc
