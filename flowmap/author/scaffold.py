"""`flowmap init`: a small, valid, commented starter map in a new directory.

The starter's files are package data (``flowmap/templates/init/``): the
``common`` files, and the ``plain`` or catalogue-specific (``nz``) versions of
the organisations, authorities and flows. Every file starts with a
yaml-language-server modeline that points at the JSON Schema written beside
them, so that an editor completes keys and underlines mistakes offline.
"""

from __future__ import annotations

import datetime as dt
import re
import shlex
import unicodedata
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

from flowmap.common.output import OutputError, write_atomic

#: the JSON Schema written beside the map's files, for editors
SCHEMA_FILE = "flowmap.model.schema.json"
#: the starter without a catalogue
PLAIN = "plain"
_TEMPLATES = "templates/init"


class ScaffoldError(Exception):
    """The starter cannot be written where the user asked (a usage error)."""


def _template_root() -> Traversable:
    return resources.files("flowmap").joinpath(_TEMPLATES)


def starters() -> list[str]:
    """The catalogues a starter exists for (``flowmap init --catalogue``)."""
    return sorted(p.name for p in _template_root().iterdir()
                  if p.is_dir() and p.name not in ("common", PLAIN))


def modeline(schema_path: str = SCHEMA_FILE) -> str:
    """The comment that tells yaml-language-server (VS Code's YAML extension) the schema."""
    return f"# yaml-language-server: $schema={schema_path}"


def starter_files(directory: Path, catalogue: str | None = None,
                  today: dt.date | None = None) -> dict[str, str]:
    """File name → text of the starter map for ``directory``."""
    variant = catalogue or PLAIN
    root = _template_root()
    if variant != PLAIN and variant not in starters():
        raise ScaffoldError(f"no starter for catalogue {variant!r}; "
                            f"available: {', '.join(starters())}")
    name = directory.resolve().name
    values = {
        "schema": SCHEMA_FILE,
        "dir": shlex.quote(str(directory)).replace("\n", " "),
        "map_id": slugify(name) or "my-map",
        "as_of": (today or dt.date.today()).isoformat(),
        "catalogues": f"[{catalogue}]" if catalogue else "[]",
    }
    files: dict[str, str] = {}
    for folder in ("common", variant):
        for template in sorted(root.joinpath(folder).iterdir(), key=lambda t: t.name):
            if template.name.endswith(".yaml"):
                files[template.name] = _fill(template.read_text(encoding="utf-8"), values)
    return dict(sorted(files.items(), key=lambda kv: _FILE_ORDER.get(kv[0], 99)))


_FILE_ORDER = {n: i for i, n in enumerate(
    ("map.yaml", "organisations.yaml", "information.yaml", "purposes.yaml",
     "authorities.yaml", "flows.yaml"))}


def _fill(text: str, values: dict[str, str]) -> str:
    for key, value in values.items():
        text = text.replace("{{" + key + "}}", value)
    if "{{" in text:
        raise ScaffoldError(f"template placeholder left unfilled: {text[text.index('{{'):][:30]}")
    return text


def slugify(text: str) -> str:
    """An id made from a name: "Whānau Ora (North)" → "whanau-ora-north"."""
    plain = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in plain if not unicodedata.combining(c))
    return re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-")


def check_directory(directory: Path, hint: str | None = "") -> None:
    """``directory`` may receive new files: it does not exist, or is an empty directory
    (or, with ``hint=None``, any directory). ``hint`` ends the message when it is not."""
    if directory.exists() and not directory.is_dir():
        raise ScaffoldError(f"{directory} is a file, not a directory")
    if hint is not None and directory.is_dir() and any(directory.iterdir()):
        raise ScaffoldError(f"{directory} is not empty; flowmap writes a new map only into a "
                            "new or empty directory, so that no file of yours is overwritten"
                            + (f" ({hint})" if hint else ""))


def prepare_directory(directory: Path) -> None:
    """Create ``directory`` for new files: it must not exist, or be empty."""
    check_directory(directory)
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ScaffoldError(f"cannot create directory {directory}: {exc.strerror}") from exc


def write_schema(directory: Path) -> Path:
    """Write the map schema beside the map's files, for editors; return its path."""
    from flowmap.model.schema import schema_json

    target = directory / SCHEMA_FILE
    _write(target, (schema_json() + "\n").encode("utf-8"))
    return target


def _write(path: Path, data: bytes) -> None:
    try:
        write_atomic(path, data)
    except OutputError as exc:
        raise ScaffoldError(str(exc)) from exc


def init_map(directory: Path, catalogue: str | None = None,
             today: dt.date | None = None) -> list[Path]:
    """Write the starter map into ``directory`` (new or empty); return the files written."""
    files = starter_files(directory, catalogue, today)
    prepare_directory(directory)
    written = []
    for name, text in files.items():
        _write(directory / name, text.encode("utf-8"))
        written.append(directory / name)
    written.append(write_schema(directory))
    return written
