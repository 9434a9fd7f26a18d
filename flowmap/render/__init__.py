"""Renderers: a checked map drawn as DOT, or laid out by Graphviz as SVG, PNG, PDF."""

from __future__ import annotations

import graphviz

from flowmap.render.dot import to_dot
from flowmap.render.layout import Plan, plan
from flowmap.render.mermaid import to_mermaid
from flowmap.render.plain import to_graphml, to_json
from flowmap.render.theme import DEFAULT, THEMES, Theme
from flowmap.validate import Result
from flowmap.views import View, select

GRAPHVIZ_FORMATS = ("svg", "png", "pdf")
DATA_FORMATS = ("mermaid", "json", "graphml")
FORMATS = ("svg", "png", "pdf", "dot", *DATA_FORMATS)
#: the file extension each format is written with
EXTENSIONS = {"svg": "svg", "png": "png", "pdf": "pdf", "dot": "dot", "mermaid": "mmd",
              "json": "json", "graphml": "graphml"}
PNG_DPI = 150


class RenderError(Exception):
    """Rendering failed for a reason the user can fix (e.g. Graphviz is missing)."""


def render(result: Result, fmt: str = "svg", *, view: View | None = None,
           theme: Theme = DEFAULT, layout_plan: Plan | None = None) -> bytes:
    """The map (or a view of it) in ``fmt``: DOT source, Graphviz's layout, or data."""
    view = view or select(result)
    if fmt == "mermaid":
        return to_mermaid(result, view, theme)
    if fmt == "json":
        return to_json(result, view)
    if fmt == "graphml":
        return to_graphml(result, view)
    chosen = layout_plan or plan_for(result, view)
    source = to_dot(result, view=view, theme=theme, dpi=PNG_DPI if fmt == "png" else None,
                    merge=chosen.merge, engine_attrs=chosen.engine_attrs,
                    edge_labels=chosen.edge_labels)
    if fmt == "dot":
        return source.encode("utf-8")
    if fmt not in GRAPHVIZ_FORMATS:
        raise RenderError(f"unknown format {fmt!r}; use one of: {', '.join(FORMATS)}")
    return layout(source, fmt, chosen.engine)


def plan_for(result: Result, view: View, *, merge: bool | None = None,
             engine: str | None = None) -> Plan:
    """The layout plan for drawing ``view`` (merging and engine chosen by size)."""
    pairs = {(result.map.flows[f].from_, result.map.flows[f].to) for f in view.flows}
    return plan(len(view.organisations), len(view.flows), len(pairs),
                merge=merge, engine=engine)


def layout(source: str, fmt: str, engine: str = "dot") -> bytes:
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


__all__ = ["FORMATS", "RenderError", "THEMES", "render"]
