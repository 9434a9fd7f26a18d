"""Renderers: a checked map as DOT, laid out by Graphviz (SVG, PNG, PDF), or as data."""

from __future__ import annotations

from dataclasses import replace
from typing import Literal

import graphviz

from flowmap.render.dot import LABEL_CHOICES, Drawing, Grouping, Labels, to_dot
from flowmap.render.edges import group_edges
from flowmap.render.html import to_html
from flowmap.render.layout import Plan, plan
from flowmap.render.mermaid import to_mermaid
from flowmap.render.plain import to_graphml, to_json
from flowmap.render.svg import make_accessible
from flowmap.render.theme import DEFAULT, THEMES, Theme
from flowmap.validate import Result
from flowmap.views import View, select

GRAPHVIZ_FORMATS = ("svg", "png", "pdf")
DATA_FORMATS = ("mermaid", "json", "graphml")
FORMATS = ("svg", "png", "pdf", "dot", "html", *DATA_FORMATS)
#: the file extension each format is written with
EXTENSIONS = {"svg": "svg", "png": "png", "pdf": "pdf", "dot": "dot", "html": "html",
              "mermaid": "mmd", "json": "json", "graphml": "graphml"}
PNG_DPI = 150


class RenderError(Exception):
    """Rendering failed for a reason the user can fix (e.g. Graphviz is missing)."""


#: with --labels auto, edges are numbered (with a key) past this many. Measured on
#: generated maps of 50-60 flows (41-53 edges), written labels still gave larger
#: text on A3 (6.6-7.5 pt) than numbers with a key (3.0-6.2 pt): docs/layout.md
NUMBER_LABELS_ABOVE = 80


def drawing_for(result: Result, view: View | None = None, *, theme: Theme = DEFAULT,
                labels: Labels | Literal["auto"] = "auto", merge: bool | None = None,
                engine: str | None = None, stamp: str = "", grouping: Grouping = "fill",
                hub: str | None = None) -> Drawing:
    """How to draw ``view``: merging, engine and labels chosen by its size unless given.
    The hub is ``hub``, else the map's owner when the view shows it."""
    view = view or select(result)
    flows = [result.map.flows[f] for f in view.flows]
    pairs = len(group_edges(result, flows, merge=True))
    chosen = plan(len(view.organisations), len(view.flows), pairs,
                  merge=merge, engine=engine)
    owner = result.map.info.owner
    hub = hub or (owner if owner in view.organisations else None)
    if labels == "auto":
        edges = pairs if chosen.merge else len(view.flows)
        labels = "numbers" if edges > NUMBER_LABELS_ABOVE else "full"
        if labels == "numbers" and chosen.edge_labels:
            chosen = replace(chosen, notes=(*chosen.notes,
                             f"{edges} edges: numbered, with a key (--labels full to "
                             "write what each carries on it)"))
    return Drawing(view, theme, chosen, labels, stamp=stamp, grouping=grouping, hub=hub)


def render(result: Result, fmt: str = "svg", drawing: Drawing | None = None) -> bytes:
    """The map in ``fmt``: DOT source, Graphviz's layout of it, or data."""
    drawing = drawing or drawing_for(result)
    if fmt == "mermaid":
        return to_mermaid(result, drawing.view, drawing.theme)
    if fmt == "json":
        return to_json(result, drawing.view)
    if fmt == "graphml":
        return to_graphml(result, drawing.view)
    if fmt == "html":
        return to_html(result, drawing, render(result, "svg", drawing))
    if fmt == "png":
        drawing = replace(drawing, dpi=PNG_DPI)
    source = to_dot(result, drawing)
    if fmt == "dot":
        return source.encode("utf-8")
    if fmt not in GRAPHVIZ_FORMATS:
        raise RenderError(f"unknown format {fmt!r}; use one of: {', '.join(FORMATS)}")
    data = layout(source, fmt, drawing.plan.engine)
    return make_accessible(data, result, drawing) if fmt == "svg" else data


def layout(source: str, fmt: str, engine: str = "dot") -> bytes:
    """Graphviz's layout of DOT ``source`` in ``fmt``."""
    try:
        data: bytes = graphviz.pipe(engine, fmt, source.encode("utf-8"), quiet=True)
    except graphviz.ExecutableNotFound as exc:
        raise RenderError(
            f"Graphviz's {engine!r} program is not installed; install Graphviz "
            "(Debian: apt-get install graphviz) or run the README's set-up command"
        ) from exc
    except graphviz.CalledProcessError as exc:
        detail = (exc.stderr or b"").decode("utf-8", "replace").strip().splitlines()
        raise RenderError(f"Graphviz failed: {detail[-1] if detail else exc}") from exc
    return data


__all__ = ["EXTENSIONS", "FORMATS", "LABEL_CHOICES", "Drawing", "Plan", "RenderError",
           "THEMES", "drawing_for", "render"]
