"""Renderers: a checked map drawn as DOT, or laid out by Graphviz as SVG, PNG, PDF."""

from __future__ import annotations

import graphviz

from flowmap.render.dot import to_dot
from flowmap.render.theme import DEFAULT, THEMES, Theme
from flowmap.validate import Result
from flowmap.views import View

GRAPHVIZ_FORMATS = ("svg", "png", "pdf")
FORMATS = ("svg", "png", "pdf", "dot")
PNG_DPI = 150


class RenderError(Exception):
    """Rendering failed for a reason the user can fix (e.g. Graphviz is missing)."""


def render(result: Result, fmt: str = "svg", *, view: View | None = None,
           theme: Theme = DEFAULT) -> bytes:
    """The map (or a view of it) drawn in ``fmt``: DOT source, or Graphviz's layout."""
    source = to_dot(result, view=view, theme=theme, dpi=PNG_DPI if fmt == "png" else None)
    if fmt == "dot":
        return source.encode("utf-8")
    if fmt not in GRAPHVIZ_FORMATS:
        raise RenderError(f"unknown format {fmt!r}; use one of: {', '.join(FORMATS)}")
    return layout(source, fmt)


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
