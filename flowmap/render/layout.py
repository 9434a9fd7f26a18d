"""Choosing how to lay a map out, by its size.

Measured on a 2-core machine with Graphviz 2.42 (benchmarks/): `dot` takes
0.4 s for 100 organisations and 800 edges, 1.8 s for 150 and 1,200 edges,
and 12 s for 200 and 2,000, growing far faster than the map; `sfdp` lays
the 2,000-edge map out in 0.5 s. So past a size, parallel flows are merged
into one edge per pair of organisations, and past a larger one the layout
engine becomes `sfdp`. Both are reported, and the user can override either.

Parallel flows are merged at every size (flowmap.render.edges says which ones
never are): measured on the example maps, merging took the composed sector map
from 85 edge crossings to under 10 (docs/layout.md).
"""

from __future__ import annotations

from dataclasses import dataclass

#: switch to sfdp when a drawing still has more edges (or organisations) than this
SFDP_ABOVE_EDGES = 300  # dot on 365 labelled edges: 108 s (docs/performance.md)
SFDP_ABOVE_ORGANISATIONS = 150
ENGINES = ("dot", "sfdp", "neato", "twopi")
#: the engine of the overview: a big map, or one whose layout runs out of time
OVERVIEW_ENGINE = "sfdp"
#: graph attributes each engine needs to give a readable picture
ENGINE_ATTRS: dict[str, dict[str, str]] = {
    "dot": {},
    "sfdp": {"overlap": "prism", "splines": "false", "outputorder": "edgesfirst",
             "K": "1.2"},
    "neato": {"overlap": "prism", "splines": "true", "outputorder": "edgesfirst"},
    # the agency's own map as spokes around it (the root is the hub)
    "twopi": {"overlap": "prism", "splines": "true", "ranksep": "2.2",
              "outputorder": "edgesfirst"},
}


@dataclass(frozen=True)
class Plan:
    merge: bool
    engine: str
    notes: tuple[str, ...] = ()

    @property
    def engine_attrs(self) -> dict[str, str]:
        return ENGINE_ATTRS[self.engine]

    @property
    def edge_labels(self) -> bool:
        """Edge labels only where the layout has room for them (tooltips keep them)."""
        return self.engine in ("dot", "twopi")


def plan(organisations: int, flows: int, pairs: int, *, merge: bool | None = None,
         engine: str | None = None) -> Plan:
    """How to draw ``flows`` between ``organisations`` (``pairs`` distinct ends).

    ``merge`` and ``engine`` are the user's choices; None means merge, and choose the
    engine by size.
    """
    notes = []
    merge = True if merge is None else merge
    edges = pairs if merge else flows
    if engine is None:
        engine = "dot"
        if edges > SFDP_ABOVE_EDGES or organisations > SFDP_ABOVE_ORGANISATIONS:
            engine = OVERVIEW_ENGINE
            notes.append(f"{organisations} organisations and {edges} edges are too many for "
                         "a layered layout; laid out with sfdp (--engine dot to insist, or "
                         "draw a view with --focus, --information or --status)")
    return Plan(merge, engine, tuple(notes))
