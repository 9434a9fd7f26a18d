"""Map + graph → findings: run every rule, apply reviews, select what to report."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import networkx as nx

from flowmap.findings import Finding, Severity, sorted_findings
from flowmap.graph import build_graph
from flowmap.loader import Loaded, Map, load
from flowmap.rules.context import Context
from flowmap.rules.registry import RULES
from flowmap.rules.review import apply_reviews

FlowStatus = Literal["unjustified", "accepted", "warning", "justified"]
FLOW_STATUSES: tuple[FlowStatus, ...] = ("unjustified", "accepted", "warning", "justified")


@dataclass(frozen=True)
class Result:
    """A checked map: the map, its graph and every finding, in a stable order."""

    map: Map
    graph: nx.MultiDiGraph
    findings: tuple[Finding, ...]

    def for_flow(self, flow_id: str) -> list[Finding]:
        return [f for f in self.findings if f.subject.kind == "flow" and f.subject.id == flow_id]

    def flow_status(self, flow_id: str) -> FlowStatus:
        """How a flow is drawn: the contract's four classes (FORMAT.md, SVG contract)."""
        found = self.for_flow(flow_id)
        if any(f.severity is Severity.ERROR for f in found):
            return "unjustified"
        if any(f.accepted for f in found):
            return "accepted"
        if any(f.severity is Severity.WARNING for f in found):
            return "warning"
        return "justified"

    def select(self, select: Sequence[str] = (), ignore: Sequence[str] = ()) -> Result:
        """Only the findings whose code starts with one of ``select`` and none of ``ignore``."""
        kept = tuple(
            f for f in self.findings
            if (not select or f.code.startswith(tuple(select)))
            and not f.code.startswith(tuple(ignore))
        )
        return Result(self.map, self.graph, kept)


def validate(loaded: Loaded, graph: nx.MultiDiGraph | None = None, *,
             today: dt.date | None = None) -> Result:
    """Run every rule over a loaded map and apply the reviewers' acceptances."""
    graph = build_graph(loaded.map) if graph is None else graph
    ctx = Context(loaded.map, graph, today or dt.date.today())
    found: list[Finding] = list(loaded.findings)
    for r in RULES:
        if r.check is not None:
            found.extend(r.check(ctx))
    return Result(loaded.map, graph, tuple(sorted_findings(apply_reviews(ctx, found))))


def check(path: Path | Sequence[Path], *, today: dt.date | None = None,
          tree: Path | None = None, moved: tuple[Path, Path] | None = None) -> Result:
    """Load, build the graph and validate the map at ``path`` (or compose several),
    reading nothing outside ``tree`` (default: each map's own tree; ``moved``: see
    :func:`flowmap.loader.load`)."""
    return validate(load(path, today=today, tree=tree, moved=moved), today=today)

