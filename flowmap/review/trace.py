"""Where information can travel from an organisation (or where it can have come from).

The rule, per information item: a flow from organisation X passes item *i* on
only if *i* reached X along the chain (the starting organisation holds
everything it sends). With ``--information`` (an id, or a category prefix as
in ``render --information``), the chains start with the flows carrying a
matching item; without it, with every flow. Each item is tracked by its own
id: a different item of the same category sent on by a recipient is not
assumed to be the same information.

Every flow is followed whatever its lifecycle (active, proposed, historical);
each hop says which. Chains are explored breadth first, so each organisation
is first reached at its fewest hops; a hop whose items have all been traced
from its organisation before is shown once more, marked ``seen``, and not
followed again; a hop back to an organisation already on its chain is marked
``cycle``; a hop at ``max_hops`` with flows going on is marked ``truncated``.

Identifiability along a chain (in the direction the information moves):
identified < pseudonymised < de-identified < aggregate. A hop where it
differs from the previous hop records the change; a hop that carries the
information *more* identified than any earlier hop of the chain did is a
re-identification, recorded with the two flows (earlier, later). With
``direction="to"`` chains are followed upstream, and the same pair is found
on the upstream hop.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from typing import Literal

from flowmap.check.coverage import category_covers
from flowmap.model.entities import Flow
from flowmap.common.suggest import suggest
from flowmap.check.validate import FlowStatus, Result

Direction = Literal["from", "to"]
DEFAULT_MAX_HOPS = 6
#: how far from identified each level is
LEVELS = {"identified": 0, "pseudonymised": 1, "de-identified": 2, "aggregate": 3}


class TraceError(ValueError):
    """The trace names an organisation or information the map does not have."""


@dataclass(frozen=True)
class Reidentification:
    """Information carried less identified by ``earlier`` and more by ``later``."""

    earlier: str
    later: str


@dataclass(frozen=True)
class Hop:
    """One flow on a chain, and the hops that follow it."""

    depth: int
    flow: Flow
    #: the items of the flow carried along this chain
    information: tuple[str, ...]
    status: FlowStatus
    change: tuple[str, str] | None = None  # identifiability (before, after) in moving order
    reidentification: Reidentification | None = None
    cycle: bool = False
    seen: bool = False
    truncated: bool = False
    next: tuple[Hop, ...] = ()

    def reaches(self, direction: Direction) -> str:
        """The organisation this hop leads to in the direction traced."""
        return self.flow.to if direction == "from" else self.flow.from_


@dataclass(frozen=True)
class Reached:
    """An organisation the trace reaches, with the fewest hops it takes."""

    organisation: str
    hops: int
    information: tuple[str, ...]
    flows: tuple[str, ...]
    identifiability: tuple[str, ...]


@dataclass(frozen=True)
class Trace:
    result: Result
    direction: Direction
    origin: str
    wanted: str | None
    max_hops: int
    hops: tuple[Hop, ...]

    def walk(self) -> Iterator[Hop]:
        """Every hop, depth first in the order shown."""
        stack = list(reversed(self.hops))
        while stack:
            hop = stack.pop()
            yield hop
            stack.extend(reversed(hop.next))

    @property
    def flows(self) -> list[str]:
        return sorted({h.flow.id for h in self.walk()})

    def depths(self) -> dict[str, list[int]]:
        """Each traced flow → the hops at which it is taken."""
        found: dict[str, set[int]] = {}
        for hop in self.walk():
            found.setdefault(hop.flow.id, set()).add(hop.depth)
        return {flow: sorted(depths) for flow, depths in sorted(found.items())}

    @property
    def reached(self) -> list[Reached]:
        """The organisations reached (not the origin), nearest first."""
        found: dict[str, list[Hop]] = {}
        for hop in self.walk():
            org = hop.reaches(self.direction)
            if org != self.origin:
                found.setdefault(org, []).append(hop)
        return sorted((_reached(org, hops) for org, hops in found.items()),
                      key=lambda r: (r.hops, r.organisation))

    @property
    def truncated(self) -> bool:
        return any(h.truncated for h in self.walk())


def _reached(org: str, hops: list[Hop]) -> Reached:
    levels = {h.flow.identifiability for h in hops}
    return Reached(org, min(h.depth for h in hops),
                   tuple(sorted({i for h in hops for i in h.information})),
                   tuple(sorted({h.flow.id for h in hops})),
                   tuple(sorted(levels, key=LEVELS.__getitem__)))


def matching_items(result: Result, wanted: str) -> list[str]:
    """Information ids that ``wanted`` names: the id itself, or a category prefix."""
    m = result.map
    found = sorted(i for i, info in m.information.items()
                   if i == wanted or category_covers(wanted, info.category))
    if not found:
        categories = sorted({i.category for i in m.information.values()})
        raise TraceError(f"the map has no information or category {wanted!r}"
                         f"{suggest(wanted, [*m.information, *categories])}")
    return found


def trace(result: Result, origin: str, *, direction: Direction = "from",
          information: str | None = None, max_hops: int = DEFAULT_MAX_HOPS) -> Trace:
    """Every chain of flows carrying information from (or to) ``origin``."""
    m = result.map
    if origin not in m.organisations:
        raise TraceError(f"the map has no organisation {origin!r}"
                         f"{suggest(origin, m.organisations)}")
    if max_hops < 1:
        raise TraceError("--max-hops must be 1 or more")
    wanted = set(matching_items(result, information)) if information is not None else None
    hops = _Tracer(result, direction, max_hops).run(origin, wanted)
    return Trace(result, direction, origin, information, max_hops, hops)


# -- the search ----------------------------------------------------------------------

@dataclass
class _Node:
    """A hop while the tree is built."""

    depth: int
    flow: Flow
    carried: tuple[str, ...]
    onward: tuple[str, ...]  # items not traced from its organisation before
    extreme: tuple[int, str]  # (level, flow) most (from) / least (to) de-identified so far
    path: frozenset[str]
    hop: Hop
    children: list[_Node] = field(default_factory=list)


class _Tracer:
    def __init__(self, result: Result, direction: Direction, max_hops: int) -> None:
        self.result, self.direction, self.max_hops = result, direction, max_hops
        self.forward = direction == "from"
        self.seen: set[tuple[str, str, int]] = set()

    def run(self, origin: str, wanted: set[str] | None) -> tuple[Hop, ...]:
        start = (-1, "") if self.forward else (len(LEVELS), "")
        roots = list(self._children(origin, wanted, None, start, frozenset({origin}), 1))
        order: list[_Node] = []
        queue = deque(roots)
        while queue:
            node = queue.popleft()
            order.append(node)
            if node.onward and not node.hop.cycle and node.depth < self.max_hops:
                node.children = list(self._children(
                    node.hop.reaches(self.direction), set(node.onward),
                    node.flow.identifiability, node.extreme, node.path, node.depth + 1))
                queue.extend(node.children)
        return _freeze(order, roots)

    def _flows(self, org: str) -> list[Flow]:
        graph = self.result.graph
        edges = (graph.out_edges(org, keys=True) if self.forward
                 else graph.in_edges(org, keys=True))
        return [self.result.map.flows[k] for k in sorted(k for _, _, k in edges)]

    def _children(self, org: str, items: set[str] | None, before: str | None,
                  extreme: tuple[int, str], path: frozenset[str], depth: int) -> Iterator[_Node]:
        for flow in self._flows(org):
            carried = tuple(i for i in flow.information if items is None or i in items)
            if carried:
                yield self._node(flow, carried, before, extreme, path, depth)

    def _node(self, flow: Flow, carried: tuple[str, ...], before: str | None,
              extreme: tuple[int, str], path: frozenset[str], depth: int) -> _Node:
        far = flow.to if self.forward else flow.from_
        level = LEVELS[flow.identifiability]
        reid, extreme = self._extreme(flow, level, extreme)
        change = None
        if before is not None and before != flow.identifiability:
            change = (before, flow.identifiability) if self.forward else (flow.identifiability,
                                                                           before)
        cycle = far in path
        onward = () if cycle else tuple(i for i in carried if (far, i, extreme[0]) not in self.seen)
        self.seen.update((far, i, extreme[0]) for i in onward)
        hop = Hop(depth, flow, carried, self.result.flow_status(flow.id), change, reid,
                  cycle=cycle, seen=not cycle and not onward,
                  truncated=bool(onward) and depth >= self.max_hops
                  and any(set(onward) & set(f.information) for f in self._flows(far)))
        return _Node(depth, flow, carried, onward, extreme, path | {far}, hop)

    def _extreme(self, flow: Flow, level: int,
                 extreme: tuple[int, str]) -> tuple[Reidentification | None, tuple[int, str]]:
        """Whether this hop re-identifies, and the chain's new extreme level."""
        if self.forward:
            reid = Reidentification(extreme[1], flow.id) if level < extreme[0] else None
            return reid, (level, flow.id) if level > extreme[0] else extreme
        reid = Reidentification(flow.id, extreme[1]) if level > extreme[0] else None
        return reid, (level, flow.id) if level < extreme[0] else extreme


def _freeze(order: list[_Node], roots: list[_Node]) -> tuple[Hop, ...]:
    """The finished hops: ``order`` lists every node, parents before children."""
    frozen: dict[int, Hop] = {}
    for node in reversed(order):
        frozen[id(node)] = replace(node.hop, next=tuple(frozen[id(c)] for c in node.children))
    return tuple(frozen[id(r)] for r in roots)
