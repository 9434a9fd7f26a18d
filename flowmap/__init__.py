"""flowmap: declarative, checkable maps of personal information flows.

The stages, each taking the previous one's value::

    load(path) -> Loaded        files → Map (with located FM0xx/FM1xx findings)
    build_graph(map) -> graph   Map → networkx MultiDiGraph keyed by ids
    validate(loaded) -> Result  every rule, reviews applied
    render(result, "svg")       drawn by Graphviz
"""

from __future__ import annotations

from flowmap.graph import build_graph
from flowmap.loader import Loaded, Map, load
from flowmap.render import render
from flowmap.validate import Result, check, validate

__all__ = ["Loaded", "Map", "Result", "build_graph", "check", "load", "render", "validate"]
