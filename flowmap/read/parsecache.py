"""The built-in catalogue's files, parsed once and kept between runs.

Every map that names a built-in catalogue (``catalogues: [nz]``) reads its YAML
files; they are flowmap's own and change only with flowmap, so their parse (a
:class:`~flowmap.read.yamlsource.Document`: values and the position of every item)
is kept in the user's cache directory and read back instead of parsed again.
Nothing is ever kept of a user's file, nor written beside one.
"""

from __future__ import annotations

import functools
import hashlib
import io
import os
import pickle
import sys
from contextlib import suppress
from pathlib import Path
from typing import Any

from flowmap.read import yamlsource
from flowmap.read.yamlsource import Document, Layout, parse_document, read_document


def cache_dir() -> Path | None:
    """Where parsed built-in files are kept between runs: ``$XDG_CACHE_HOME/flowmap``,
    else ``~/.cache/flowmap`` (None when there is no home); never beside anything the
    user wrote."""
    base = os.environ.get("XDG_CACHE_HOME", "")
    try:
        root = Path(base) if os.path.isabs(base) else Path.home() / ".cache"
    except RuntimeError:  # no home directory to be found
        return None
    return root / "flowmap" / "parsed"


@functools.cache
def _reader_version() -> bytes | None:
    """What makes a kept parse stale besides the file: the reader's source and this
    module's (how files are read, what a Document holds) and the Python that
    pickled it."""
    try:
        sources = [Path(m.__file__).read_bytes() for m in (yamlsource, sys.modules[__name__])
                   if m.__file__]
    except OSError:
        return None
    return f"{sys.version_info[:2]}\n".encode() + b"\n".join(sources)


def read_cached(path: Path, display: str) -> Document:
    """:func:`read_document` for a file that ships with flowmap (the built-in
    catalogue, read on every run): its parse is kept in :func:`cache_dir`, under the
    hash of its content, its name and :func:`_reader_version`, and read from there
    next time (about 2 ms instead of 20 for the whole catalogue). A cache that cannot
    be read or written is passed over silently: the file is parsed as before."""
    folder, version = cache_dir(), _reader_version()
    try:
        raw = path.read_bytes()
    except OSError:
        folder = None
    if folder is None or version is None:
        return read_document(path, display)
    key = hashlib.sha256(version + f"\n{display}\n".encode() + raw).hexdigest()
    kept = folder / f"{key}.pickle"
    try:
        found = _Unpickler(io.BytesIO(kept.read_bytes())).load()
    except (OSError, pickle.UnpicklingError, ValueError, EOFError, TypeError, IndexError,
            AttributeError, KeyError):  # unreadable, or not what was kept
        found = None
    if isinstance(found, Document) and found.file == display:
        return found
    doc = parse_document(raw, display)
    if not doc.problems:
        _keep(kept, doc)
    return doc


def _keep(kept: Path, doc: Document) -> None:
    """Write ``doc`` to the cache file ``kept`` atomically, or not at all."""
    partial = kept.with_name(f"{kept.stem}.{os.getpid()}.tmp")
    try:
        kept.parent.mkdir(parents=True, exist_ok=True)
        partial.write_bytes(pickle.dumps(doc, protocol=pickle.HIGHEST_PROTOCOL))
        os.replace(partial, kept)
    except (OSError, pickle.PicklingError):
        with suppress(OSError):
            partial.unlink(missing_ok=True)


class _Unpickler(pickle.Unpickler):
    """Reads back only what a Document is made of: no other class or function named
    in a cache file is ever looked up, so reading one cannot run code."""

    ALLOWED = frozenset({(Document.__module__, "Document"), (Layout.__module__, "Layout"),
                         ("array", "array"), ("array", "_array_reconstructor"),
                         ("datetime", "date"), ("datetime", "datetime"),
                         ("datetime", "timedelta"), ("datetime", "timezone")})

    def find_class(self, module: str, name: str) -> Any:
        if (module, name) not in self.ALLOWED:
            raise pickle.UnpicklingError(f"{module}.{name} is not part of a parsed file")
        return super().find_class(module, name)
