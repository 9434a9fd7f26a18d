"""Drawing within a time budget: Graphviz's time limit and the overview it falls back to.

A layered ``dot`` layout of a big map can take minutes, so Graphviz is given
:data:`LAYOUT_SECONDS`. When a layout does not finish in time the picture is drawn
again as the overview ``sfdp`` makes in about a second, and a note says so. Every
layout a drawing needs goes through :func:`in_time`: measuring it for a page, and
writing it as SVG, PNG or PDF, for a map's own drawing and for the drawings of
`diff` and `trace`.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import TypeVar

from flowmap.render import LayoutTimeout, RenderError
from flowmap.render.layout import OVERVIEW_ENGINE

#: seconds Graphviz may spend laying a map out before the overview is drawn instead;
#: the environment variable FLOWMAP_LAYOUT_SECONDS changes it (0: no limit)
LAYOUT_SECONDS = 20.0
#: what a map's own drawing can do instead of the overview
VIEWS_HINT = "draw a view with --focus, --information or --status"
WAIT_HINT = "set FLOWMAP_LAYOUT_SECONDS=0 to wait as long as it takes"

T = TypeVar("T")
D = TypeVar("D")


def layout_seconds() -> float | None:
    """The time limit for Graphviz (None: no limit)."""
    given = os.environ.get("FLOWMAP_LAYOUT_SECONDS", "").strip()
    try:
        seconds = float(given) if given else LAYOUT_SECONDS
    except ValueError as exc:
        raise RenderError(f"FLOWMAP_LAYOUT_SECONDS must be a number of seconds (0: no "
                          f"limit), not {given!r}") from exc
    return seconds if seconds > 0 else None


def in_time(lay_out: Callable[[D, float | None], T], drawing: D, engine: Callable[[D], str],
            overview: Callable[[D], D], note: Callable[[str], None],
            hint: str | None = VIEWS_HINT) -> tuple[T, D]:
    """``lay_out(drawing, seconds)`` within the time limit, and the drawing it was made
    from: when Graphviz runs out of time, the note says so and ``overview(drawing)``
    (the same drawing laid out by :data:`OVERVIEW_ENGINE`) is laid out instead. An
    overview that runs out of time is an error that says what to do."""
    limit = layout_seconds()
    try:
        return lay_out(drawing, limit), drawing
    except LayoutTimeout as exc:
        if engine(drawing) == OVERVIEW_ENGINE:
            raise RenderError(f"{exc}; {hint + ', or ' if hint else ''}{WAIT_HINT}") from exc
        instead = f"{hint} for a layered picture, or " if hint else ""
        note(f"{exc}: drawn as an overview with {OVERVIEW_ENGINE} instead ({instead}"
             f"{WAIT_HINT})")
        drawing = overview(drawing)
        return lay_out(drawing, limit), drawing
