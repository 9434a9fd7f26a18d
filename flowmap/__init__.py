"""flowmap: declarative, checkable maps of personal information flows.

The stages, each taking the previous one's value, each a package of its own
(``common`` holds what every stage shares; ``review``, ``author``, ``render``,
``report`` and ``docs`` are outputs; ``cli`` drives them all)::

    load(path) -> Loaded        files → Map (with located FM0xx/FM1xx findings)
    build_graph(map) -> graph   Map → networkx MultiDiGraph keyed by ids
    validate(loaded) -> Result  every rule, reviews applied
    render(result, "svg")       drawn by Graphviz

Each name is imported when it is first used, so that `flowmap --help` does not
pay for pydantic, networkx and Graphviz: each command imports what it needs.
"""

from __future__ import annotations

import sys
import types
from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from flowmap.check.graph import build_graph
    from flowmap.check.validate import Result, check, validate
    from flowmap.load.loader import Loaded, Map, load
    from flowmap.render import render

#: public name → the module that defines it
_HOMES = {"build_graph": "flowmap.check.graph", "Loaded": "flowmap.load.loader",
          "Map": "flowmap.load.loader", "load": "flowmap.load.loader",
          "Result": "flowmap.check.validate", "check": "flowmap.check.validate",
          "validate": "flowmap.check.validate"}


def __getattr__(name: str) -> Any:
    if name not in _HOMES:
        raise AttributeError(f"module 'flowmap' has no attribute {name!r}")
    value = getattr(import_module(_HOMES[name]), name)
    globals()[name] = value
    return value


class _Package(types.ModuleType):
    """`render` names both a subpackage and its main function: the package
    attribute stays the function, whichever is imported first."""

    @property
    def render(self) -> Any:
        return import_module("flowmap.render").render

    @render.setter
    def render(self, submodule: Any) -> None:
        """Importing the submodule sets it here; the function keeps the name."""


sys.modules[__name__].__class__ = _Package

__all__ = ["Loaded", "Map", "Result", "build_graph", "check", "load", "render", "validate"]
