"""Map → findings: run every rule, apply reviews, select what to report."""

from __future__ import annotations

import datetime as dt
import gc
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from flowmap.common.findings import Finding, Severity, Subject, SubjectKind, sorted_findings
from flowmap.load.loader import Loaded, Map, load
from flowmap.check.rules.context import Context
from flowmap.check.rules.registry import RULES
from flowmap.check.rules.review import apply_reviews
from flowmap.read.yamlsource import paused_gc

if TYPE_CHECKING:
    import networkx as nx

FlowStatus = Literal["unjustified", "accepted", "warning", "justified"]
FLOW_STATUSES: tuple[FlowStatus, ...] = ("unjustified", "accepted", "warning", "justified")


@dataclass(frozen=True)
class Result:
    """A checked map: the map and every finding, in a stable order; its graph on demand."""

    map: Map
    findings: tuple[Finding, ...]

    @cached_property
    def graph(self) -> nx.MultiDiGraph:
        """The map as a networkx graph (:func:`flowmap.check.graph.build_graph`), built when an
        output first asks for it: checking needs none, so `validate` never imports
        networkx nor builds a graph it would not use."""
        from flowmap.check.graph import build_graph

        return build_graph(self.map)

    def for_flow(self, flow_id: str) -> list[Finding]:
        """The findings about one flow, in the result's order."""
        return self.about("flow", flow_id)

    def about(self, kind: SubjectKind, id: str) -> list[Finding]:
        """The findings about one subject (a flow, an organisation, ...), in order."""
        return list(self._by_subject.get(Subject(kind, id), ()))

    def flow_status(self, flow_id: str) -> FlowStatus:
        """How a flow is drawn: the contract's four classes (FORMAT.md, SVG contract)."""
        return self._statuses.get(flow_id, "justified")

    @cached_property
    def _by_subject(self) -> dict[Subject, list[Finding]]:
        """Every subject's findings, indexed once: outputs ask per flow and per
        organisation, and a scan of every finding per question would make drawing
        and the register quadratic in the size of the map."""
        index: dict[Subject, list[Finding]] = {}
        for f in self.findings:
            index.setdefault(f.subject, []).append(f)
        return index

    @cached_property
    def _statuses(self) -> dict[str, FlowStatus]:
        """The status of every flow that has a finding (the others are justified)."""
        return {s.id: _status(found) for s, found in self._by_subject.items()
                if s.kind == "flow"}

    def select(self, select: Sequence[str] = (), ignore: Sequence[str] = ()) -> Result:
        """Only the findings whose code starts with one of ``select`` and none of ``ignore``."""
        kept = tuple(
            f for f in self.findings
            if (not select or f.code.startswith(tuple(select)))
            and not f.code.startswith(tuple(ignore))
        )
        return _sharing_graph(Result(self.map, kept), self)


def _sharing_graph(result: Result, built: Result) -> Result:
    """``result``, with the graph ``built`` already has (if any) rather than another."""
    if "graph" in built.__dict__:
        result.__dict__["graph"] = built.__dict__["graph"]
    return result


def _status(findings: list[Finding]) -> FlowStatus:
    # the DPUP lens (FM6xx) has its own view; it does not change the legal status
    found = [f for f in findings if not f.code.startswith("FM6")]
    if any(f.severity is Severity.ERROR for f in found):
        return "unjustified"
    if any(f.accepted for f in found):
        return "accepted"
    if any(f.severity is Severity.WARNING for f in found):
        return "warning"
    return "justified"


def validate(loaded: Loaded, graph: nx.MultiDiGraph | None = None, *,
             today: dt.date | None = None) -> Result:
    """Run every rule over a loaded map and apply the reviewers' acceptances
    (``graph``: the map's graph if the caller has built it, kept as ``Result.graph``)."""
    ctx = Context(loaded.map, today or dt.date.today())
    found: list[Finding] = list(loaded.findings)
    for r in RULES:
        if r.check is not None:
            found.extend(r.check(ctx))
    result = Result(loaded.map, tuple(sorted_findings(apply_reviews(ctx, found))))
    if graph is not None:
        result.__dict__["graph"] = graph
    return result


def check(path: Path | Sequence[Path], *, today: dt.date | None = None,
          tree: Path | None = None, moved: tuple[Path, Path] | None = None) -> Result:
    """Load, build the graph and validate the map at ``path`` (or compose several),
    reading nothing outside ``tree`` (default: each map's own tree; ``moved``: see
    :func:`flowmap.load.loader.load`).

    The cyclic garbage collector is paused while the map is read and checked, and
    what was made is then frozen (``gc.freeze``): a map makes hundreds of thousands
    of objects and almost no cycles, and the collector would walk all of them again
    and again, while checking and then while writing every output (at 20,000 flows
    it cost about a sixth of the run). Objects frozen by an earlier check are
    unfrozen first, so a long-running ``watch`` can still collect old results.
    """
    gc.unfreeze()
    with paused_gc():
        result = validate(load(path, today=today, tree=tree, moved=moved), today=today)
    gc.freeze()
    return result

