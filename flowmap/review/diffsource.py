"""The two sides of a diff: a map on disk, or a map at a git revision (``REV:PATH``).

A side written ``REV:PATH`` is read through git without a checkout: the map's
YAML files at that revision (``git ls-tree`` + ``git cat-file``), and those of
the maps their ``include:`` names, are written into a temporary directory
that mirrors their paths in the repository, and loaded from there with the
normal loader. Every file name the findings carry
is then shown as ``REV:path``, so that ``file:line`` locations still point at
the right place. ``PATH`` is relative to the repository's root, as in
``git show REV:PATH``; ``REV:./PATH`` is relative to the working directory.
"""

from __future__ import annotations

import datetime as dt
import os
import posixpath
import subprocess
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from flowmap.common.findings import Finding, Location
from flowmap.load.loader import MAP_SUFFIXES, MapPathError
from flowmap.check.validate import Result, check
from flowmap.read.yamlsource import parse_document

#: git tree entry modes that are not regular files (symbolic links, submodules)
_NOT_FILES = ("120000", "160000")


class SourceError(Exception):
    """A side of a diff cannot be read: no such path, not a repository, bad revision."""


@dataclass(frozen=True)
class Side:
    """One side of a diff: what the user wrote, and the checked map it names."""

    label: str
    result: Result
    #: files of the map on disk (never overwritten by an output); none for git
    files: tuple[Path, ...] = ()
    #: temporary directory prefix → how to show it (``REV:``), for a side read from git
    shown_as: tuple[tuple[str, str], ...] = ()

    def display(self, file: str) -> str:
        """A file name as the user should see it (``REV:path`` for a git side)."""
        for prefix, label in self.shown_as:
            if file.startswith(prefix):
                return label + file[len(prefix):]
        return file


def read_side(spec: str, *, today: dt.date | None = None) -> Side:
    """The map ``spec`` names: a path on disk, else ``REV:PATH`` in the git repository
    of the working directory."""
    path = Path(spec)
    if spec and _exists(path):
        try:
            result = check(path, today=today)
        except MapPathError as exc:
            raise SourceError(str(exc)) from exc
        files = tuple(Path(f) for c in result.map.components for f in c.files)
        return Side(spec, result, files)
    rev, sep, inner = spec.partition(":")
    if not sep or not rev:
        raise SourceError(f"no such file or directory: {spec} (a map in git is "
                          "written REV:PATH, e.g. HEAD~1:flows/acc)")
    return _read_git(spec, rev, inner, today)


def _exists(path: Path) -> bool:
    try:
        return path.exists()
    except OSError as exc:  # e.g. a name too long for the file system
        raise SourceError(f"cannot read {str(path)[:80]}…: {exc.strerror}") from exc


# -- git -----------------------------------------------------------------------

def _git(args: Sequence[str], *, cwd: Path | None = None) -> subprocess.CompletedProcess[bytes]:
    try:
        return subprocess.run(["git", *args], cwd=cwd, capture_output=True, check=False)
    except FileNotFoundError as exc:
        raise SourceError("REV:PATH needs git, which is not installed") from exc


def _git_text(args: Sequence[str], *, cwd: Path | None = None) -> str | None:
    """git's output as text, or None when git fails."""
    done = _git(args, cwd=cwd)
    return done.stdout.decode("utf-8", "replace").strip() if done.returncode == 0 else None


def _repository() -> tuple[Path, str]:
    """The repository's root and the working directory's path inside it."""
    top = _git_text(["rev-parse", "--show-toplevel"])
    prefix = _git_text(["rev-parse", "--show-prefix"])
    if top is None or prefix is None:
        raise SourceError(f"REV:PATH needs a git repository, and {Path.cwd()} is not in one")
    return Path(top), prefix


def _commit(top: Path, rev: str, spec: str) -> str:
    if rev.startswith("-"):
        raise SourceError(f"{spec}: {rev!r} is not a git revision")
    sha = _git_text(["rev-parse", "--verify", "--quiet", "--end-of-options", f"{rev}^{{commit}}"],
                    cwd=top)
    if not sha:
        raise SourceError(f"{spec}: unknown git revision {rev!r}")
    return sha


def _in_repository(inner: str, prefix: str, spec: str) -> str:
    """PATH of ``REV:PATH`` relative to the repository's root ("" for the root)."""
    relative_to_cwd = inner in (".", "..") or inner.startswith(("./", "../"))
    joined = posixpath.normpath(posixpath.join(prefix, inner) if relative_to_cwd else inner or ".")
    if joined == ".." or joined.startswith("../") or posixpath.isabs(joined):
        raise SourceError(f"{spec}: {inner!r} is outside the repository")
    return "" if joined == "." else joined


def _listing(top: Path, sha: str, where: str) -> tuple[bool, list[str]] | None:
    """Whether ``where`` is a directory in commit ``sha``, and its YAML files
    (None when it does not exist there)."""
    kind = _git_text(["cat-file", "-t", f"{sha}:{where}"], cwd=top)
    if kind == "blob":
        return False, [where]
    if kind != "tree":
        return None
    listing = _git(["ls-tree", "-r", "-z", sha, "--", *([where] if where else [])], cwd=top)
    names = []
    for entry in listing.stdout.decode("utf-8", "surrogateescape").split("\0"):
        meta, _, name = entry.partition("\t")
        mode = meta.split(" ")[0]
        if name and mode not in _NOT_FILES and name.lower().endswith(MAP_SUFFIXES):
            names.append(name)
    return True, sorted(names)


def _includes(top: Path, name: str, raw: bytes) -> list[str]:
    """The repository paths a map file's ``include:`` names (relative to the file, or
    absolute inside the repository); those leading out of it are left to the loader,
    which reports them."""
    data = parse_document(raw, name).data
    value = data.get("include") if isinstance(data, dict) else None
    found = []
    for entry in value if isinstance(value, list) else [value]:
        if not isinstance(entry, str) or not entry.strip() or "\x00" in entry:
            continue  # reported by the loader
        if posixpath.isabs(entry):
            absolute = Path(os.path.normpath(entry))
            if not absolute.is_relative_to(top):
                continue
            joined = absolute.relative_to(top).as_posix()
        else:
            joined = posixpath.normpath(posixpath.join(posixpath.dirname(name), entry))
        if joined != ".." and not joined.startswith("../"):
            found.append("" if joined == "." else joined)
    return found


def _materialise(top: Path, sha: str, root: Path, names: list[str], spec: str) -> None:
    """Write ``names`` at commit ``sha`` under ``root``, and every map they include."""
    pending = list(names)
    written: set[str] = set()
    listed: set[str] = set()
    while pending:
        name = pending.pop()
        if name in written:
            continue
        written.add(name)
        blob = _git(["cat-file", "blob", f"{sha}:{name}"], cwd=top)
        if blob.returncode != 0:
            raise SourceError(f"{spec}: cannot read {name!r}")
        target = root.joinpath(*name.split("/"))
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(blob.stdout)
        for included in set(_includes(top, name, blob.stdout)) - listed:
            listed.add(included)
            found = _listing(top, sha, included)
            if found is not None:
                if found[0]:
                    root.joinpath(*included.split("/")).mkdir(parents=True, exist_ok=True)
                pending.extend(found[1])


def _read_git(spec: str, rev: str, inner: str, today: dt.date | None) -> Side:
    top, prefix = _repository()
    sha = _commit(top, rev, spec)
    where = _in_repository(inner, prefix, spec)
    found = _listing(top, sha, where)
    if found is None:
        raise SourceError(f"{spec}: {where or '.'!r} does not exist at {rev}")
    is_tree, names = found
    with tempfile.TemporaryDirectory(prefix="flowmap-diff-") as tmp:
        root = Path(tmp) / (top.name or "repository")
        map_path = root.joinpath(*where.split("/")) if where else root
        if is_tree:
            map_path.mkdir(parents=True)
        _materialise(top, sha, root, names, spec)
        # confined to the revision's tree: an include that leads out of it (an absolute
        # path, or above the repository) is reported, never read from the working tree
        result = check(map_path, today=today, tree=root, moved=(top, root))
    shown_as = ((str(root) + os.sep, f"{rev}:"), (str(root), f"{rev}:."))
    side = Side(spec, result, (), shown_as)
    return replace(side, result=replace(result, findings=tuple(
        _relabel(f, side) for f in result.findings)))


def _relabel(finding: Finding, side: Side) -> Finding:
    """A finding with the temporary directory shown as ``REV:`` in its file and message."""
    message = finding.message
    for prefix, label in side.shown_as:
        message = message.replace(prefix, label)
    loc = finding.location
    where = Location(side.display(loc.file), loc.line, loc.column) if loc else None
    return replace(finding, message=message, location=where)
