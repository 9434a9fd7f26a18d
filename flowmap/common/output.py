"""Writing outputs safely: atomically, and never over a file of the map.

- A regular file is replaced all at once (a temporary file beside it, then a
  rename): a failure or a kill leaves the old file intact. The new file keeps
  the old one's permissions, or is created as the umask says (registers
  describe personal information: a 0600 file stays 0600).
- ``-`` is standard output; ``/dev/stdout``, ``/dev/stderr`` and ``/dev/fd/N``
  are written through the descriptor the command already holds, so a shell's
  ``>>`` still appends and a pipe stays a pipe; other devices and named pipes
  are written into, never replaced.
- Temporary files left behind by a killed write (named after the process that
  made them) are removed by the next write beside them.
"""

from __future__ import annotations

import contextlib
import os
import re
import stat
import sys
import tempfile
from collections.abc import Iterable
from pathlib import Path


class OutputError(Exception):
    """An output cannot be written where the user asked (exit status 2)."""


#: how a temporary file is named: ``.NAME.flowmap-PID-RANDOM.tmp``
_TEMP = re.compile(r"\.(?P<name>.+)\.flowmap-(?P<pid>\d+)-[^.]+\.tmp")
_DESCRIPTOR = re.compile(r"/dev/(?:fd/(?P<fd>\d+)|(?P<std>stdout|stderr))"
                         r"|/proc/(?:self|(?P<pid>\d+))/fd/(?P<procfd>\d+)")


def write_atomic(path: Path, data: bytes, *, protect: Iterable[Path] = ()) -> None:
    """Write ``data`` to ``path`` all at once: a failure leaves any old file intact.

    ``protect`` lists files (the map's own) that must never be overwritten.
    """
    if str(path) == "-":
        _write_descriptor(1, data, "standard output")
        return
    fd = _descriptor_of(path)
    if fd is not None:
        _write_descriptor(fd, data, str(path))
        return
    try:
        _write_path(path, data, protect)
    except RuntimeError as exc:  # Path.resolve on a loop of symbolic links
        raise OutputError(f"cannot write {_short(path)}: {exc}") from exc
    except OSError as exc:
        raise OutputError(f"cannot write {_short(path)}: {exc.strerror}") from exc


def _write_path(path: Path, data: bytes, protect: Iterable[Path]) -> None:
    target = path.resolve(strict=False)
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
    mode = _mode_for(target)
    _remove_stale_temporaries(parent, target.name)
    try:
        fd, tmp = tempfile.mkstemp(dir=parent, prefix=f".{target.name}.flowmap-{os.getpid()}-",
                                   suffix=".tmp")
    except OSError as exc:
        raise OutputError(f"cannot write to {parent}: {exc.strerror}") from exc
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(tmp, mode)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _mode_for(target: Path) -> int:
    """The permissions of the file being replaced, else what the umask allows."""
    try:
        return stat.S_IMODE(target.stat().st_mode)
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def _remove_stale_temporaries(parent: Path, name: str) -> None:
    """Remove the temporary files of writes to ``name`` whose process is gone."""
    with contextlib.suppress(OSError):
        for entry in os.scandir(parent):
            match = _TEMP.fullmatch(entry.name)
            if match and match["name"] == name and not _running(int(match["pid"])):
                with contextlib.suppress(OSError):
                    os.unlink(entry.path)


def _running(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # another user's process
    except OverflowError:
        return False
    return True


def _descriptor_of(path: Path) -> int | None:
    """The open descriptor ``path`` names (/dev/stdout, /dev/fd/N, /proc/self/fd/N)."""
    match = _DESCRIPTOR.fullmatch(os.path.normpath(os.path.abspath(path)))
    if match is None or (match["pid"] and int(match["pid"]) != os.getpid()):
        return None
    if match["std"]:
        return 1 if match["std"] == "stdout" else 2
    return int(match["fd"] or match["procfd"])


def _write_descriptor(fd: int, data: bytes, shown: str) -> None:
    """Write through an open descriptor as it is (appending if opened to append);
    standard output and error through Python's own streams."""
    stream = {1: sys.stdout, 2: sys.stderr}.get(fd)
    try:
        if stream is not None:
            stream.flush()
            stream.buffer.write(data)
            stream.flush()
            return
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view):]
    except BrokenPipeError:
        raise  # the reader stopped reading (`| head`): ended quietly by the command line
    except OSError as exc:
        raise OutputError(f"cannot write {shown}: {exc.strerror}") from exc


def _write_into(path: Path, data: bytes) -> None:
    try:
        with path.open("wb") as handle:
            handle.write(data)
    except OSError as exc:
        raise OutputError(f"cannot write {path}: {exc.strerror}") from exc


def _short(path: Path) -> str:
    """A path as shown in a message: a very long one shortened in the middle."""
    text = str(path)
    return text if len(text) <= 160 else f"{text[:80]}…{text[-60:]}"
