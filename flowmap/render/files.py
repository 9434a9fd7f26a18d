"""Writing rendered maps to files: one file, or one per format into a directory."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

from flowmap.output import OutputError, write_atomic
from flowmap.render import EXTENSIONS, FORMATS, Drawing, render
from flowmap.validate import Result


def targets(where: str, formats: Sequence[str], map_id: str) -> list[tuple[str, Path]]:
    """(format, path) for each output: ``where`` itself, or files named after the map
    inside it when it is a directory (an existing one, or a path ending in '/')."""
    output = Path(where)
    as_directory = output.is_dir() or where.endswith(("/", "\\"))
    if as_directory:
        return [(fmt, output / f"{map_id}.{EXTENSIONS[fmt]}") for fmt in formats or ("svg",)]
    if len(formats) > 1:
        raise OutputError(f"{len(formats)} formats need a directory for -o, not {output}")
    if formats:
        return [(formats[0], output)]
    suffix = output.suffix.lstrip(".").lower()
    by_suffix = {ext: fmt for fmt, ext in EXTENSIONS.items()}
    if not suffix:
        return [("svg", output)]
    fmt = by_suffix.get(suffix, suffix if suffix in FORMATS else None)
    if fmt is None:
        raise OutputError(f"cannot tell the format of {output} from '.{suffix}': name it "
                          f".{', .'.join(sorted(set(EXTENSIONS.values())))}, or give --format")
    return [(fmt, output)]


def write_renders(result: Result, drawing: Drawing, output: str, formats: Sequence[str],
                  *, protect: Iterable[Path] = ()) -> list[tuple[str, Path]]:
    """Render every requested format and write each file atomically."""
    written = targets(output, formats, result.map.info.id)
    if output.endswith(("/", "\\")):
        try:
            Path(output).mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise OutputError(f"cannot create directory {output}: {exc.strerror}") from exc
    protected = list(protect)
    for fmt, path in written:
        write_atomic(path, render(result, fmt, drawing), protect=protected)
    return written
