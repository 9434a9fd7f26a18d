"""Renderers: a checked map as DOT, laid out by Graphviz (SVG, PNG, PDF), or as data.

The writers of the other formats (HTML, SVG's accessibility pass, Mermaid, JSON,
GraphML) are imported when their format is asked for: `render --format dot` does
not pay for them.
"""

from __future__ import annotations

import re
import subprocess
import time
import warnings
from collections import Counter
from dataclasses import replace
from typing import Literal

from flowmap.render.dot import LABEL_CHOICES, Drawing, Grouping, Labels, Lens, to_dot
from flowmap.render.edges import group_edges
from flowmap.render.layout import OVERVIEW_ENGINE, Plan, plan
from flowmap.render.lens import lensed
from flowmap.render.missing import missing
from flowmap.render.theme import DEFAULT, THEMES, Theme
from flowmap.check.validate import Result
from flowmap.review.views import View, focus_sizes, select

GRAPHVIZ_FORMATS = ("svg", "png", "pdf")
DATA_FORMATS = ("mermaid", "json", "graphml")
FORMATS = ("svg", "png", "pdf", "dot", "html", *DATA_FORMATS)
#: the file extension each format is written with
EXTENSIONS = {"svg": "svg", "png": "png", "pdf": "pdf", "dot": "dot", "html": "html",
              "mermaid": "mmd", "json": "json", "graphml": "graphml"}
PNG_DPI = 150


class RenderError(Exception):
    """Rendering failed for a reason the user can fix (e.g. Graphviz is missing)."""


class LayoutTimeout(RenderError):
    """Graphviz did not finish laying the map out in the time it was given."""


class GraphvizNote(UserWarning):
    """Graphviz made the picture but changed it: cairo shrank a bitmap past its
    32,767-pixel limit (``scale`` is the factor)."""

    def __init__(self, message: str, scale: float) -> None:
        super().__init__(message)
        self.scale = scale


#: what Graphviz writes to standard error when cairo shrinks a bitmap to fit
_CAIRO_SCALED = re.compile(r"too large for cairo-renderer bitmaps\. Scaling by ([0-9.]+)")
#: a PNG is drawn at a lower resolution rather than pass these: cairo's largest side,
#: and a pixel count that cairo draws in a few seconds (and 80 MB) on a small machine
PNG_MAX_SIDE = 32_767
PNG_MAX_PIXELS = 20_000_000
_BOUNDING_BOX = re.compile(r'\bbb="([0-9.]+),([0-9.]+),([0-9.]+),([0-9.]+)"')
_DPI = re.compile(r"\bdpi=([0-9.]+)")


#: with --labels auto, a drawing of more edges than this is the sfdp overview (edges
#: numbered with a key only when the engine is given). Measured on generated maps of
#: 50-60 flows (41-53 edges), written labels still gave larger text on A3 (6.6-7.5 pt)
#: than numbers with a key (3.0-6.2 pt); past 80 edges the key alone is wider than
#: the drawing (75-149 edges: 1.6-0.8 pt on A3) and the overview gives 5.7-7.6 pt
#: (docs/layout.md)
NUMBER_LABELS_ABOVE = 80


def drawing_for(result: Result, view: View | None = None, *, theme: Theme = DEFAULT,
                labels: Labels | Literal["auto"] = "auto", merge: bool | None = None,
                engine: str | None = None, stamp: str | None = None,
                grouping: Grouping = "fill", hub: str | None = None,
                lens: Lens | None = None) -> Drawing:
    """How to draw ``view``: merging, engine and labels chosen by its size unless given.
    The hub is ``hub``, else the map's owner when the view shows it. The stamp (what
    of the map is missing) is ``stamp``, else what :func:`missing` finds."""
    stamp = missing(result).stamp() if stamp is None else stamp
    view = view or select(result)
    flows = [result.map.flows[f] for f in view.flows]
    merged = tuple(group_edges(result, flows, merge=True,
                               apart=lensed(result, view.flows) if lens else ()))
    pairs = len(merged)
    chosen = plan(len(view.organisations), len(view.flows), pairs,
                  merge=merge, engine=engine)
    owner = result.map.info.owner
    hub = hub or (owner if owner in view.organisations else None)
    if labels == "auto":
        edges = pairs if chosen.merge else len(view.flows)
        labels = "numbers" if edges > NUMBER_LABELS_ABOVE else "full"
        if labels == "numbers" and engine is None and chosen.engine == "dot":
            chosen = replace(chosen, engine=OVERVIEW_ENGINE, notes=(*chosen.notes,
                             f"{edges} edges are too many to write what each carries on "
                             f"one page: drawn as the overview with {OVERVIEW_ENGINE}, each "
                             "edge's flows in its tooltip (draw a view with --focus, "
                             "--information or --status for a labelled picture, or "
                             "--engine dot for a layered one with numbered edges and a "
                             "key)"))
        elif labels == "numbers" and chosen.edge_labels:
            chosen = replace(chosen, notes=(*chosen.notes,
                             f"{edges} edges: numbered, with a key (--labels full to "
                             "write what each carries on it)"))
    views = views_to_draw(result, view) if engine is None and chosen.engine == OVERVIEW_ENGINE \
        else None
    if views:
        chosen = replace(chosen, notes=(*chosen.notes, views))
    return Drawing(view, theme, chosen, labels, stamp=stamp, grouping=grouping, hub=hub,
                   lens=lens, grouped=(view, lens, merged))


#: the busiest organisations whose neighbourhood is offered as a view beside an overview
SUGGESTED_FOCUS = 3


def views_to_draw(result: Result, view: View) -> str | None:
    """A note on views to draw beside the overview of ``view``: the neighbourhoods of its
    busiest organisations and its unjustified flows, those small enough to be drawn
    with what each flow carries written on it (None: none is)."""
    m = result.map
    ends = Counter(end for f in view.flows for end in (m.flows[f].from_, m.flows[f].to))
    fits = []
    busiest = sorted(ends, key=lambda org: (-ends[org], org))[:SUGGESTED_FOCUS]
    for org, around in focus_sizes(result, busiest).items():
        if around <= NUMBER_LABELS_ABOVE:
            fits.append(f"--focus {org} ({around} flows)")
    unjustified = sum(result.flow_status(f) == "unjustified" for f in view.flows)
    if 0 < unjustified <= NUMBER_LABELS_ABOVE:
        fits.append(f"--status unjustified ({unjustified} flows)")
    if not fits:
        return None
    return ("views small enough to say what each flow carries, to draw beside the "
            f"overview: {', '.join(fits)}")


def render(result: Result, fmt: str = "svg", drawing: Drawing | None = None, *,
           timeout: float | None = None) -> bytes:
    """The map in ``fmt``: DOT source, Graphviz's layout of it, or data. Graphviz is
    stopped after ``timeout`` seconds (:class:`LayoutTimeout`)."""
    drawing = drawing or drawing_for(result)
    if fmt in DATA_FORMATS:
        return _data(result, fmt, drawing)
    if fmt == "html":
        from flowmap.render.html import to_html

        return to_html(result, drawing, render(result, "svg", drawing, timeout=timeout))
    if fmt == "png":
        drawing = replace(drawing, dpi=PNG_DPI)
    source = to_dot(result, drawing)
    if fmt == "dot":
        return source.encode("utf-8")
    if fmt not in GRAPHVIZ_FORMATS:
        raise RenderError(f"unknown format {fmt!r}; use one of: {', '.join(FORMATS)}")
    data = layout(source, fmt, drawing.plan.engine, timeout)
    if fmt != "svg":
        return data
    from flowmap.render.svg import make_accessible

    return make_accessible(data, result, drawing)


def _data(result: Result, fmt: str, drawing: Drawing) -> bytes:
    """The map as data: Mermaid, JSON or GraphML."""
    if fmt == "mermaid":
        from flowmap.render.mermaid import to_mermaid

        return to_mermaid(result, drawing.view, drawing.theme, drawing.stamp)
    from flowmap.render.plain import to_graphml, to_json

    return (to_json if fmt == "json" else to_graphml)(result, drawing.view, drawing.stamp)


def layout(source: str, fmt: str, engine: str = "dot", timeout: float | None = None) -> bytes:
    """Graphviz's layout of DOT ``source`` in ``fmt``, stopped after ``timeout`` seconds.
    A picture drawn smaller than asked comes with a :class:`GraphvizNote` warning.

    A PNG is laid out first, so that its resolution can be chosen to fit
    (:func:`fit_bitmap`) before cairo draws it from the positions found."""
    if fmt == "png":
        start = time.monotonic()
        laid = _graphviz([engine, "-Tdot"], source, engine, timeout).decode("utf-8")
        left = None if timeout is None else max(0.1, timeout - (time.monotonic() - start))
        return _graphviz(["neato", "-n2", "-Tpng"], fit_bitmap(laid), engine, left)
    return _graphviz([engine, f"-T{fmt}"], source, engine, timeout)


def fit_bitmap(laid: str) -> str:
    """Laid-out DOT with its ``dpi`` lowered, where needed, so that the bitmap stays
    within :data:`PNG_MAX_SIDE` pixels a side and :data:`PNG_MAX_PIXELS` in all."""
    box, dpi = _BOUNDING_BOX.search(laid), _DPI.search(laid)
    if box is None or dpi is None:
        return laid
    asked = float(dpi.group(1))
    width, height = (float(box.group(3)) / 72, float(box.group(4)) / 72)  # inches
    fits = min(asked, PNG_MAX_SIDE / max(width, height, 1e-9),
               (PNG_MAX_PIXELS / max(width * height, 1e-9)) ** 0.5)
    if fits >= asked:
        return laid
    chosen = max(1, int(fits))
    warnings.warn(GraphvizNote(
        f"the PNG is drawn at {chosen} dpi instead of {asked:g}: at {asked:g} dpi this map "
        f"would be {width * asked:,.0f} × {height * asked:,.0f} px, past the "
        f"{PNG_MAX_PIXELS // 1_000_000} megapixels (and {PNG_MAX_SIDE:,} px a side) "
        "a bitmap is kept within", chosen / asked), stacklevel=3)
    return laid[:dpi.start(1)] + str(chosen) + laid[dpi.end(1):]


def _graphviz(command: list[str], source: str, engine: str,
              timeout: float | None) -> bytes:
    """Run a Graphviz program on ``source``; what it printed becomes an error or a note."""
    try:
        proc = subprocess.run(command, input=source.encode("utf-8"),
                              capture_output=True, timeout=timeout, check=False)
    except FileNotFoundError as exc:
        raise RenderError(
            f"Graphviz's {command[0]!r} program is not installed; install Graphviz "
            "(Debian: apt-get install graphviz) or run the README's set-up command"
        ) from exc
    except subprocess.TimeoutExpired as exc:
        raise LayoutTimeout(f"Graphviz's {engine} did not finish within {timeout:g} s") from exc
    said = proc.stderr.decode("utf-8", "replace")
    if proc.returncode != 0:
        detail = said.strip().splitlines()
        raise RenderError("Graphviz failed: "
                          + (detail[-1] if detail else f"exit status {proc.returncode}"))
    scaled = _CAIRO_SCALED.search(said)
    if scaled:
        factor = float(scaled.group(1))
        warnings.warn(GraphvizNote(f"Graphviz shrank the bitmap to {factor:.0%}: at full "
                                   f"size it would pass cairo's {PNG_MAX_SIDE:,}-pixel limit",
                                   factor), stacklevel=3)
    data: bytes = proc.stdout
    return data


__all__ = ["EXTENSIONS", "FORMATS", "LABEL_CHOICES", "Drawing", "GraphvizNote", "LayoutTimeout",
           "Plan", "RenderError", "THEMES", "drawing_for", "render"]
