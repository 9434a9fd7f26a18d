"""Which flows share a drawn edge, and what each edge says.

Measured on the example maps (docs/layout.md): one edge per unordered pair of
organisations and drawing style, at every size, took the composed sector map
from 85 edge crossings to under 10. A flow that must be read on its own keeps
an edge of its own: an unjustified flow (its label says so), an accepted one
(its label says what was accepted, and until when), and proposed, historical
or non-identifying flows (their line or arrowhead differs).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Sequence
from dataclasses import dataclass

from flowmap.model.entities import Flow
from flowmap.check.validate import FLOW_STATUSES, Result

#: an item on at least this share of the edges (and on MIN_SYMBOL_EDGES of them)
#: is written as a symbol with one row in the key, never in an unjustified flow's label
SYMBOL_SHARE = 0.5
MIN_SYMBOL_EDGES = 5
SYMBOL = "◆"


@dataclass(frozen=True)
class Edge:
    """One drawn edge: the flows it carries, drawn from ``tail`` to ``head``."""

    tail: str
    head: str
    flows: tuple[Flow, ...]
    status: str  # the worst status among its flows

    @property
    def id(self) -> str:
        """SVG id: 'flow-<id>' for one flow, 'flows-<a>--<b>' (ids sorted) for several."""
        if len(self.flows) == 1:
            return f"flow-{self.flows[0].id}"
        a, b = sorted((self.tail, self.head))
        return f"flows-{a}--{b}"

    @property
    def both_ways(self) -> bool:
        return any(f.from_ != self.tail for f in self.flows)

    def going(self, to: str) -> list[Flow]:
        """The flows this edge carries to ``to``."""
        return [f for f in self.flows if f.to == to]


def own_edge(result: Result, flow: Flow) -> bool:
    """Whether ``flow`` is drawn alone: its style or its label is its own."""
    return (flow.status != "active" or flow.identifiability != "identified"
            or flow.transfer != "disclosure"
            or result.flow_status(flow.id) in ("unjustified", "accepted"))


def worst_status(statuses: Sequence[str]) -> str:
    """The most serious of flow statuses (unjustified first)."""
    return min(statuses, key=FLOW_STATUSES.index)


def group_edges(result: Result, flows: Sequence[Flow], *, merge: bool,
                apart: Collection[str] = ()) -> list[Edge]:
    """The edges that draw ``flows``: merged by unordered pair when ``merge``; the flows
    named in ``apart`` (e.g. those a lens marks) keep an edge of their own."""
    groups: dict[tuple[str, ...], list[Flow]] = {}
    for flow in flows:
        if merge and not own_edge(result, flow) and flow.id not in apart:
            key: tuple[str, ...] = tuple(sorted((flow.from_, flow.to)))
        else:
            key = (flow.from_, flow.to, flow.id)
        groups.setdefault(key, []).append(flow)
    edges = []
    for key in sorted(groups):
        group = tuple(groups[key])
        if len(group) == 1:  # most edges, on a big map: drawn the way the flow goes
            edges.append(Edge(group[0].from_, group[0].to, group,
                              result.flow_status(group[0].id)))
            continue
        ahead = Counter(f.from_ for f in group)
        # drawn the way most of its flows go; a tie goes the way its first flow goes
        tail = max(ahead, key=lambda o: (ahead[o], o == group[0].from_))
        head = next((f.to for f in group if f.from_ == tail), group[0].to)
        edges.append(Edge(tail, head, group,
                          worst_status([result.flow_status(f.id) for f in group])))
    return edges


def edge_ids(result: Result, flows: Sequence[Flow], *, merge: bool) -> dict[str, str]:
    """Flow id → the SVG id of the edge that draws it."""
    return {f.id: e.id for e in group_edges(result, flows, merge=merge) for f in e.flows}


def item_names(result: Result, flows: Sequence[Flow]) -> list[str]:
    """Names of the information the flows carry, each once, in order."""
    info = result.map.information
    return list(dict.fromkeys(info[i].name if i in info else i
                              for f in flows for i in f.information))


def frequent_item(result: Result, edges: Sequence[Edge]) -> str | None:
    """An item name carried on most edges, worth a symbol (None when none is)."""
    counts: Counter[str] = Counter()
    for edge in edges:
        counts.update(set(item_names(result, edge.flows)))
    if not counts:
        return None
    name, count = max(counts.items(), key=lambda kv: (kv[1], kv[0]))
    if count >= MIN_SYMBOL_EDGES and count >= SYMBOL_SHARE * len(edges):
        return name
    return None
