"""Sizing a drawing for a page: A4, A3 or a slide, turned to suit the drawing's shape.

The drawing is laid out once to learn its shape, then scaled (up or down) to fill
the printable area of the page (15 mm margins; a slide is always landscape). What
a reader most needs to know about the result is the size of its smallest text.

The output is then the whole sheet, the drawing centred on it: Graphviz's
``viewport`` (the output's size in points, a zoom and the point of the drawing at
its centre) with ``margin=0`` gives a PDF of exactly that size (A4: 842 × 595 pt,
as cairo rounds to whole points), and SVG and PNG of the same. ``size`` cannot:
it leaves the graph's own label (title and legend) out of what it fits.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import replace
from typing import Any

from flowmap.render import LayoutTimeout, RenderError, layout
from flowmap.render.budget import OVERVIEW_ENGINE, in_time, layout_seconds
from flowmap.render.dot import Drawing, to_dot
from flowmap.render.measure import POINTS_PER_MM, PAGES, extent, page_scale, smallest_font
from flowmap.validate import Result

PAGE_CHOICES = tuple(PAGES)
#: top to bottom is chosen only when it gains this much text size (pt) on A4
DIRECTION_MARGIN = 0.3


#: the direction is chosen by measurement only up to this many edges (two more layouts)
CHOOSE_DIRECTION_UP_TO_EDGES = 120


def choose_direction(result: Result, drawing: Drawing,
                     note: Callable[[str], None]) -> Drawing:
    """Left to right, unless top to bottom gives larger text on an A4 page.

    A map whose flows form a long chain (MSD → Stats NZ → researchers → NGOs → …)
    is one rank per link wide from left to right, and reads better folded top to
    bottom; most maps are shallow and wide, and stay left to right. The agency's own
    map stays left to right, its owner in the middle. A drawing whose layout runs out
    of time becomes the overview (:func:`overview`), and ``note`` says so."""
    if (drawing.hub or drawing.plan.engine != "dot"
            or len(drawing.view.flows) > CHOOSE_DIRECTION_UP_TO_EDGES):
        return drawing

    def text_on_a4(laid: Mapping[str, Any]) -> float:
        return smallest_font(laid) * page_scale(*extent(laid), "a4")

    across, chosen = in_time(lambda d, seconds: laid_out(result, d, seconds),
                             replace(drawing, direction="LR"), engine, overview, note)
    if chosen.plan.engine != "dot":
        return chosen
    down = replace(drawing, direction="TB")
    try:
        better = text_on_a4(laid_out(result, down)) > text_on_a4(across) + DIRECTION_MARGIN
    except LayoutTimeout:  # left to right was laid out in time
        return chosen
    return down if better else chosen


def engine(drawing: Drawing) -> str:
    return drawing.plan.engine


def overview(drawing: Drawing) -> Drawing:
    """``drawing`` as the overview that :data:`OVERVIEW_ENGINE` lays out in about a
    second (without labels on its edges: it has no room for them), on no page yet."""
    return replace(drawing, plan=replace(drawing.plan, engine=OVERVIEW_ENGINE),
                   page=None, page_attrs={})


def laid_out(result: Result, drawing: Drawing,
             seconds: float | None = None) -> dict[str, Any]:
    """Graphviz's layout of ``drawing`` as JSON, stopped after ``seconds``
    (default: the layout time limit)."""
    seconds = layout_seconds() if seconds is None else seconds
    data = layout(to_dot(result, drawing), "json", drawing.plan.engine, seconds)
    try:
        laid: dict[str, Any] = json.loads(data)
    except ValueError as exc:
        raise RenderError(f"Graphviz's {drawing.plan.engine} gave no layout to measure "
                          f"({exc})") from exc
    return laid


#: each page's whole sheet, in points: (short side, long side); PAGES is the part
#: of it a drawing may fill
SHEETS: dict[str, tuple[float, float]] = {
    "a4": (210 * POINTS_PER_MM, 297 * POINTS_PER_MM),
    "a3": (297 * POINTS_PER_MM, 420 * POINTS_PER_MM),
    "slide": (7.5 * 72, 13.333 * 72),
}


def landscape(width: float, height: float, page: str) -> bool:
    """Whether a ``width`` × ``height`` drawing is turned landscape on ``page``."""
    return page == "slide" or width > height


def page_attrs(laid: Mapping[str, Any], page: str) -> dict[str, str]:
    """Graph attributes that scale a laid-out drawing (``-Tjson``), with its pad, to
    fill ``page``'s printable area, centred on the whole sheet."""
    width, height = extent(laid)
    x0, y0, x1, y1 = (float(v) for v in str(laid["bb"]).split(","))
    short, long = SHEETS[page]
    across, down = (long, short) if landscape(width, height, page) else (short, long)
    return {"viewport": f"{across:.2f},{down:.2f},{page_scale(width, height, page):.4f},"
                        f"{(x0 + x1) / 2:.2f},{(y0 + y1) / 2:.2f}",
            "margin": "0"}


def fit_to_page(result: Result, drawing: Drawing, page: str,
                note: Callable[[str], None]) -> Drawing:
    """``drawing`` sized for ``page``; ``note`` says its smallest text there. A layout
    that runs out of time is drawn as the overview on that page, and said so."""
    laid, drawing = in_time(lambda d, seconds: laid_out(result, d, seconds), drawing,
                            engine, overview, note)
    note(page_note(laid, page))
    return replace(drawing, page=page, page_attrs=page_attrs(laid, page))


def page_note(laid: Mapping[str, Any], page: str) -> str:
    """Which page a laid-out drawing is drawn on, turned which way, and its smallest
    text there."""
    width, height = extent(laid)
    turned = "landscape" if landscape(width, height, page) else "portrait"
    return (f"drawn on {page.upper() if page != 'slide' else 'a slide'} ({turned}): "
            f"smallest text {smallest_font(laid) * page_scale(width, height, page):.1f} pt")
