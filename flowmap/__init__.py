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
          "Map": "flowmap.load.loader",
          "Result": "flowmap.check.validate", "validate": "flowmap.check.validate"}


def __getattr__(name: str) -> Any:
    if name not in _HOMES:
        raise AttributeError(f"module 'flowmap' has no attribute {name!r}")
    value = getattr(import_module(_HOMES[name]), name)
    globals()[name] = value
    return value


def _function_of_stage(name: str, home: str) -> property:
    """A package attribute that stays the stage's main function ``name`` (defined in
    ``home``) although a subpackage of the same name exists: importing the subpackage
    sets the attribute, and the setter keeps the function."""

    def get(self: types.ModuleType) -> Any:
        return getattr(import_module(home), name)

    def keep(self: types.ModuleType, submodule: Any) -> None:
        """Importing the subpackage sets it here; the function keeps the name."""

    return property(get, keep)


class _Package(types.ModuleType):
    """`check`, `load` and `render` name both a stage's subpackage and its main
    function: the package attribute stays the function, whichever is imported first."""

    check = _function_of_stage("check", "flowmap.check.validate")
    load = _function_of_stage("load", "flowmap.load.loader")
    render = _function_of_stage("render", "flowmap.render")


sys.modules[__name__].__class__ = _Package

__all__ = ["Loaded", "Map", "Result", "build_graph", "check", "load", "render", "validate"]
