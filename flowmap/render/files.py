"""Writing rendered maps to files: one file, or one per format into a directory.

Graphviz is given a time limit (:mod:`flowmap.render.budget`): a layered ``dot``
layout of a big map can take minutes, so when it does not finish in time the map is
drawn as the overview ``sfdp`` makes in about a second (on the page asked for, if
any), and a note says so.
"""

from __future__ import annotations

import sys
import warnings
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from flowmap.common.output import OutputError, write_atomic
from flowmap.render import (
    EXTENSIONS,
    FORMATS,
    Drawing,
    GraphvizNote,
    render,
)
from flowmap.check.validate import Result
from flowmap.render.dot import to_dot
from flowmap.render.page import draw_in_time


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
                  *, protect: Iterable[Path] = (),
                  note: Callable[[str], None] | None = None) -> list[tuple[str, Path]]:
    """Render every requested format and write each file atomically; what the user
    should know about a picture (drawn as an overview, shrunk) goes to ``note``
    (default: standard error)."""
    written = targets(output, formats, result.map.info.id)
    if output.endswith(("/", "\\")):
        try:
            Path(output).mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise OutputError(f"cannot create directory {output}: {exc.strerror}") from exc
    protected = list(protect)
    for fmt, path in written:
        data, drawing = render_in_time(result, fmt, drawing, note or _note)
        write_atomic(path, data, protect=protected)
    return written


def render_in_time(result: Result, fmt: str, drawing: Drawing,
                   note: Callable[[str], None]) -> tuple[bytes, Drawing]:
    """``fmt`` rendered within the time limit, and the drawing it was made with: when
    the layout runs out of time, the map is drawn again as an overview, on the same
    page."""
    with warnings.catch_warnings(record=True) as said:
        warnings.simplefilter("always", GraphvizNote)
        data, drawing = draw_in_time(
            lambda d, seconds: render(result, fmt, d, timeout=seconds), drawing,
            lambda d: to_dot(result, d), note)
    for warning in said:
        if isinstance(warning.message, GraphvizNote):
            note(f"{warning.message}; SVG and PDF keep every detail, or draw a view "
                 "(--focus, --information, --status)")
    return data, drawing


def _note(text: str) -> None:
    print(f"note: {text}", file=sys.stderr)
