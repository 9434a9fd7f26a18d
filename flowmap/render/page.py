"""Laying a drawing out for print: its direction, a page (A4, A3 or a slide, turned to
suit the drawing's shape), and the overview when Graphviz runs out of time.

The drawing is laid out once to learn its shape, then scaled (up or down) to fill
the printable area of the page (15 mm margins; a slide is always landscape). What
a reader most needs to know about the result is the size of its smallest text.

The output is then the whole sheet, the drawing centred on it: Graphviz's
``viewport`` (the output's size in points, a zoom and the point of the drawing at
its centre) with ``margin=0`` gives a PDF of exactly that size (A4: 842 × 595 pt,
as cairo rounds to whole points), and SVG and PNG of the same. ``size`` cannot:
it leaves the graph's own label (title and legend) out of what it fits.

The same steps serve a map's own drawing (:class:`flowmap.render.dot.Drawing`) and
the drawings of `diff` and `trace` (:class:`flowmap.render.marked.MarkedMap`): each
is a frozen dataclass with the fields of :class:`Laid`, and each step is given the
function that writes its DOT.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import replace
from typing import Any, ClassVar, Protocol, TypeVar

from flowmap.check.validate import Result
from flowmap.render import LayoutTimeout, RenderError, layout
from flowmap.render.budget import VIEWS_HINT, in_time, layout_seconds
from flowmap.render.dot import Drawing, to_dot
from flowmap.render.layout import OVERVIEW_ENGINE, Plan
from flowmap.render.measure import POINTS_PER_MM, PAGES, extent, page_scale, smallest_font

PAGE_CHOICES = tuple(PAGES)
#: top to bottom is chosen only when it gains this much text size (pt) on A4
DIRECTION_MARGIN = 0.3
#: the direction is chosen by measurement only up to this many edges (two more layouts)
CHOOSE_DIRECTION_UP_TO_EDGES = 120

Note = Callable[[str], None]


class Laid(Protocol):
    """A drawing as these steps see it: a dataclass with an engine (its plan), ranks
    left to right or top to bottom, and the page it is sized for."""

    __dataclass_fields__: ClassVar[dict[str, Any]]

    @property
    def plan(self) -> Plan: ...

    @property
    def direction(self) -> str: ...

    @property
    def page(self) -> str | None: ...


D = TypeVar("D", bound=Laid)
#: the function that writes a drawing's DOT source
Source = Callable[[D], str]


def arranged(result: Result, drawing: Drawing, page: str | None, note: Note) -> Drawing:
    """A map's own drawing laid out for print: what its plan chose said, top to bottom
    where that prints larger (not the agency's own map, its owner in the middle, nor
    past :data:`CHOOSE_DIRECTION_UP_TO_EDGES` flows), and sized for ``page``."""
    for said in drawing.plan.notes:
        note(said)

    def dot(drawing: Drawing) -> str:
        return to_dot(result, drawing)

    if not drawing.hub and len(drawing.view.flows) <= CHOOSE_DIRECTION_UP_TO_EDGES:
        drawing = choose_direction(drawing, dot, note)
    return fit_to_page(drawing, dot, page, note) if page else drawing


def choose_direction(drawing: D, dot: Source[D], note: Note,
                     hint: str | None = VIEWS_HINT) -> D:
    """Left to right, unless top to bottom gives larger text on an A4 page.

    A map whose flows form a long chain (MSD → Stats NZ → researchers → NGOs → …)
    is one rank per link wide from left to right, and reads better folded top to
    bottom; most maps are shallow and wide, and stay left to right. A drawing whose
    layout runs out of time becomes the overview (:func:`overview`), and ``note``
    says so (``hint``: what the user can draw instead)."""
    if drawing.plan.engine != "dot":
        return drawing
    across, chosen = in_time(lambda d, seconds: laid_out(d, dot, seconds),
                             replace(drawing, direction="LR"), engine, overview, note, hint)
    if chosen.plan.engine != "dot":
        return chosen
    down = replace(chosen, direction="TB")
    try:
        better = text_on_a4(laid_out(down, dot)) > text_on_a4(across) + DIRECTION_MARGIN
    except LayoutTimeout:  # left to right was laid out in time
        return chosen
    if not better:
        return chosen
    note("drawn top to bottom: its chain of flows is too long to read across a page")
    return down


def text_on_a4(laid: Mapping[str, Any]) -> float:
    return smallest_font(laid) * page_scale(*extent(laid), "a4")


def engine(drawing: Laid) -> str:
    return drawing.plan.engine


def overview(drawing: D) -> D:
    """``drawing`` as the overview that :data:`OVERVIEW_ENGINE` lays out in about a
    second (without labels on its edges: it has no room for them), on no page yet."""
    return replace(drawing, plan=replace(drawing.plan, engine=OVERVIEW_ENGINE),
                   page=None, page_attrs={})


def laid_out(drawing: D, dot: Source[D], seconds: float | None = None) -> dict[str, Any]:
    """Graphviz's layout of ``drawing`` as JSON, stopped after ``seconds``
    (default: the layout time limit)."""
    seconds = layout_seconds() if seconds is None else seconds
    data = layout(dot(drawing), "json", drawing.plan.engine, seconds)
    try:
        laid: dict[str, Any] = json.loads(data)
    except ValueError as exc:
        raise RenderError(f"Graphviz's {drawing.plan.engine} gave no layout to measure "
                          f"({exc})") from exc
    return laid


def fit_to_page(drawing: D, dot: Source[D], page: str, note: Note,
                hint: str | None = VIEWS_HINT) -> D:
    """``drawing`` sized for ``page``; ``note`` says its smallest text there. A layout
    that runs out of time is drawn as the overview on that page, and said so."""
    laid, drawing = in_time(lambda d, seconds: laid_out(d, dot, seconds), drawing,
                            engine, overview, note, hint)
    note(page_note(laid, page))
    return replace(drawing, page=page, page_attrs=page_attrs(laid, page))


def draw_in_time(draw: Callable[[D, float | None], bytes], drawing: D, dot: Source[D],
                 note: Note, hint: str | None = VIEWS_HINT) -> tuple[bytes, D]:
    """``draw(drawing, seconds)`` within the time limit, and the drawing it was made
    with: when the layout runs out of time, the overview is drawn, on the same page."""

    def instead(drawing: D) -> D:
        page = drawing.page
        drawing = overview(drawing)
        return fit_to_page(drawing, dot, page, note, hint) if page else drawing

    return in_time(draw, drawing, engine, instead, note, hint)


def page_note(laid: Mapping[str, Any], page: str) -> str:
    """Which page a laid-out drawing is drawn on, turned which way, and its smallest
    text there."""
    width, height = extent(laid)
    turned = "landscape" if landscape(width, height, page) else "portrait"
    return (f"drawn on {page.upper() if page != 'slide' else 'a slide'} ({turned}): "
            f"smallest text {smallest_font(laid) * page_scale(width, height, page):.1f} pt")


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
