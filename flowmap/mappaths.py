"""Where a map's files are, and what a map may read: only its own tree.

A map is a file or every regular ``.yaml``/``.yml`` file below a directory.
Nothing in /proc, /sys or /dev is ever read, and a map and its includes stay
inside one tree (docs/trust.md): ``--root``, else the git working tree that
holds the map, else the current directory if it holds it, else its folder.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

MAP_SUFFIXES = (".yaml", ".yml")


#: directories of the running system, never part of a map: reading them never ends
#: (/proc/self/root), blocks (devices) or discloses the machine (/proc/self/status)
SYSTEM_DIRS = (Path("/proc"), Path("/sys"), Path("/dev"))


class MapPathError(Exception):
    """The map path does not exist or cannot be listed (a usage error)."""


def real(path: Path) -> Path:
    """``path`` with every symbolic link followed (never raising on a loop)."""
    return Path(os.path.realpath(path))


def is_system(path: Path) -> bool:
    """True for a path inside /proc, /sys or /dev (as written, or with links followed)."""
    return any(p.is_relative_to(d) for p in (Path(os.path.abspath(path)), real(path))
               for d in SYSTEM_DIRS)


def tree_of(path: Path) -> Path:
    """What a map may read by default: the git working tree that holds it (so that
    composed maps in one repository can include each other), else the current
    directory if it holds the map, else the map's own directory."""
    start = real(path)
    folder = start if start.is_dir() else start.parent
    for candidate in (folder, *folder.parents):
        if (candidate / ".git").exists():
            return candidate
    here = real(Path.cwd())
    return here if folder.is_relative_to(here) and here != Path("/") else folder


def discover(path: Path) -> list[Path]:
    """The YAML files of a map: the file itself, or every one below a directory
    (only regular files; links to directories and system directories are not followed)."""
    try:
        if is_system(path):
            raise MapPathError(f"{path} is in a directory of the running system "
                               "(/proc, /sys, /dev), not a map")
        if path.is_file():
            return [path]
        if path.is_dir():
            return _walk(path)
        if path.exists():
            raise MapPathError(f"{path} is not a file or directory (a device, pipe or "
                               "socket); give the map's folder or a .yaml file")
    except OSError as exc:
        raise MapPathError(f"cannot read {path}: {exc.strerror}") from exc
    raise MapPathError(f"no such file or directory: {path}")


def _walk(folder: Path) -> list[Path]:
    return [p for p in _named_as_maps(folder) if p.is_file()]


def _named_as_maps(folder: Path) -> list[Path]:
    """Every entry below ``folder`` named like a map file (.yaml, .yml), sorted;
    system directories and links to directories are not entered."""
    found: list[Path] = []
    for here, dirs, names in os.walk(folder):
        dirs[:] = [d for d in dirs if not is_system(Path(here, d))]
        found.extend(Path(here, n) for n in names if Path(n).suffix.lower() in MAP_SUFFIXES)
    return sorted(found)


def not_regular(folder: Path) -> list[Path]:
    """Entries below ``folder`` named like map files that are not regular files (pipes,
    devices, sockets, broken links): never read, since reading them may never end."""
    if not folder.is_dir() or is_system(folder):
        return []
    return [p for p in _named_as_maps(folder) if not p.is_file() and not p.is_dir()]


def map_files(paths: Path | Sequence[Path]) -> list[Path]:
    """Every file of the maps at ``paths`` (not following includes)."""
    return [f for p in as_list(paths) for f in discover(p)]


def as_list(paths: Path | Sequence[Path]) -> list[Path]:
    """One path or several, as a list."""
    return [paths] if isinstance(paths, Path) else list(paths)


def trees_for(roots: list[Path], tree: Path | None) -> tuple[Path, ...]:
    """The directories the maps at ``roots`` may read: ``tree`` (which must hold them),
    else the tree of each (:func:`tree_of`)."""
    if tree is None:
        return tuple(dict.fromkeys(tree_of(r) for r in roots))
    if not tree.is_dir():
        raise MapPathError(f"--root {tree}: not a directory")
    inside = real(tree)
    for root in roots:
        if not real(root).is_relative_to(inside):
            raise MapPathError(f"{root} is not inside --root {tree}")
    return (inside,)
