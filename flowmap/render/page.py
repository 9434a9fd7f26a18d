"""Sizing a drawing for a page: A4, A3 or a slide, turned to suit the drawing's shape.

The drawing is laid out once to learn its shape, then scaled (up or down) to fill
the printable area of the page (15 mm margins; a slide is always landscape). What
a reader most needs to know about the result is the size of its smallest text.
"""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

from flowmap.render import LayoutTimeout, RenderError, layout
from flowmap.render.dot import Drawing, to_dot
from flowmap.render.measure import PAGES, extent, page_scale, smallest_font
from flowmap.validate import Result

PAGE_CHOICES = tuple(PAGES)
#: top to bottom is chosen only when it gains this much text size (pt) on A4
DIRECTION_MARGIN = 0.3


#: the direction is chosen by measurement only up to this many edges (two more layouts)
CHOOSE_DIRECTION_UP_TO_EDGES = 120


def choose_direction(result: Result, drawing: Drawing) -> Drawing:
    """Left to right, unless top to bottom gives larger text on an A4 page.

    A map whose flows form a long chain (MSD → Stats NZ → researchers → NGOs → …)
    is one rank per link wide from left to right, and reads better folded top to
    bottom; most maps are shallow and wide, and stay left to right. The agency's own
    map stays left to right, its owner in the middle."""
    if (drawing.hub or drawing.plan.engine != "dot"
            or len(drawing.view.flows) > CHOOSE_DIRECTION_UP_TO_EDGES):
        return drawing

    def text_on_a4(candidate: Drawing) -> float:
        laid = laid_out(result, candidate)
        return smallest_font(laid) * page_scale(*extent(laid), "a4")

    across = replace(drawing, direction="LR")
    down = replace(drawing, direction="TB")
    try:
        return down if text_on_a4(down) > text_on_a4(across) + DIRECTION_MARGIN else across
    except LayoutTimeout:  # the drawing itself then runs out of time, and says so
        return across


def laid_out(result: Result, drawing: Drawing) -> dict[str, Any]:
    """Graphviz's layout of ``drawing`` as JSON, within the layout time limit."""
    from flowmap.render.files import layout_seconds

    data = layout(to_dot(result, drawing), "json", drawing.plan.engine, layout_seconds())
    try:
        laid: dict[str, Any] = json.loads(data)
    except ValueError as exc:
        raise RenderError(f"Graphviz's {drawing.plan.engine} gave no layout to measure "
                          f"({exc})") from exc
    return laid


def page_attrs(width: float, height: float, page: str) -> dict[str, str]:
    """Graph attributes that scale a ``width`` × ``height`` (pt) drawing to fill ``page``."""
    short, long = PAGES[page]
    landscape = page == "slide" or width > height
    across, down = (long, short) if landscape else (short, long)
    scale = min(across / width, down / height)
    return {"size": f"{width * scale / 72:.2f},{height * scale / 72:.2f}!"}


def fit_to_page(result: Result, drawing: Drawing, page: str) -> tuple[Drawing, str]:
    """``drawing`` sized for ``page``, and a note of its smallest text there."""
    laid = laid_out(result, drawing)
    width, height = extent(laid)
    scale = page_scale(width, height, page)
    turned = "landscape" if page == "slide" or width > height else "portrait"
    note = (f"drawn on {page.upper() if page != 'slide' else 'a slide'} ({turned}): "
            f"smallest text {smallest_font(laid) * scale:.1f} pt")
    return replace(drawing, page_attrs=page_attrs(width, height, page)), note
