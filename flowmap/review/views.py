"""Views: which organisations and flows of a checked map to draw.

Every filter narrows the set of flows; filters compose (their intersection).
A view always keeps the organisations at both ends of its flows, the focus
organisation, and, for the whole map, every organisation the map declares.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from flowmap.check.coverage import category_covers
from flowmap.check.validate import FLOW_STATUSES, Result
from flowmap.common.suggest import suggest
from flowmap.model.entities import Flow


class ViewError(ValueError):
    """A view names something the map does not have (a usage error)."""


@dataclass(frozen=True)
class ViewOptions:
    focus: str | None = None
    depth: int = 1
    information: str | None = None
    statuses: Sequence[str] = ()
    basis: str | None = None
    #: only flows with a finding whose code starts with one of these (FM6: the policy lens)
    findings: Sequence[str] = ()

    @property
    def is_whole_map(self) -> bool:
        return not (self.focus or self.information or self.statuses or self.basis
                    or self.findings)


@dataclass(frozen=True)
class View:
    organisations: tuple[str, ...]
    flows: tuple[str, ...]


def select(result: Result, options: ViewOptions = ViewOptions()) -> View:
    """The organisations and flows that ``options`` keep, in id order."""
    m = result.map
    flows = drawable(result)
    keep_orgs: set[str] = set()
    if options.focus is not None:
        _require(options.focus, m.organisations, "organisation")
        near = _neighbourhood(result, flows, options.focus, options.depth)
        flows = {f for f in flows if m.flows[f].from_ in near and m.flows[f].to in near}
        keep_orgs.add(options.focus)
    if options.information is not None:
        flows &= _carrying(result, flows, options.information)
    if options.statuses:
        for status in options.statuses:
            if status not in FLOW_STATUSES:
                raise ViewError(f"unknown status {status!r}{suggest(status, FLOW_STATUSES)}; "
                                f"use one of: {', '.join(FLOW_STATUSES)}")
        flows = {f for f in flows if result.flow_status(f) in options.statuses}
    if options.basis is not None:
        _require(options.basis, m.authorities, "authority")
        flows = {f for f in flows if options.basis in m.flows[f].basis}
    if options.findings:
        prefixes = tuple(options.findings)
        flows = {f for f in flows if any(x.code.startswith(prefixes) for x in result.for_flow(f))}
    ends = {end for f in flows for end in (m.flows[f].from_, m.flows[f].to)}
    if options.is_whole_map:
        keep_orgs |= {o for o in m.organisations if not m.from_catalogue("organisations", o)}
    return View(tuple(sorted(ends | keep_orgs)), tuple(sorted(flows)))


def _require(id: str, known: Iterable[str], noun: str) -> None:
    names = list(known)
    if id not in names:
        raise ViewError(f"the map has no {noun} {id!r}{suggest(id, names)}")


def drawable(result: Result) -> set[str]:
    """The flows a drawing can show: those whose two ends are organisations of the
    map (the edges of ``result.graph``; worked out without building the graph, which
    only a focus needs)."""
    orgs = result.map.organisations
    return {fid for fid, f in result.map.flows.items() if f.from_ in orgs and f.to in orgs}


def _neighbourhood(result: Result, flows: Iterable[str], org: str, depth: int) -> set[str]:
    """Organisations within ``depth`` of ``flows`` from ``org``, in either direction: a
    breadth-first walk over them (the graph's edges, undirected)."""
    if depth < 0:
        raise ViewError("--depth must be 0 or more")
    return _within(_adjacency([result.map.flows[f] for f in flows]), org, depth)


def focus_sizes(result: Result, orgs: Iterable[str], depth: int = 1) -> dict[str, int]:
    """How many flows ``--focus ORG`` draws, for each of ``orgs`` (what
    ``len(select(result, ViewOptions(focus=org, depth=depth)).flows)`` says), with the
    drawable flows and their adjacency worked out once for all of them."""
    flows = [result.map.flows[f] for f in drawable(result)]
    near = _adjacency(flows)
    sizes = {}
    for org in orgs:
        found = _within(near, org, depth)
        sizes[org] = sum(f.from_ in found and f.to in found for f in flows)
    return sizes


def _adjacency(flows: Iterable[Flow]) -> dict[str, set[str]]:
    """Organisation → the organisations it shares one of ``flows`` with, either way."""
    near: dict[str, set[str]] = {}
    for flow in flows:
        near.setdefault(flow.from_, set()).add(flow.to)
        near.setdefault(flow.to, set()).add(flow.from_)
    return near


def _within(near: dict[str, set[str]], org: str, depth: int) -> set[str]:
    """Organisations within ``depth`` steps of ``org`` in ``near``: breadth first."""
    found, ring = {org}, {org}
    for _ in range(depth):
        ring = {n for o in ring for n in near.get(o, ())} - found
        if not ring:
            break
        found |= ring
    return found


def _carrying(result: Result, flows: set[str], wanted: str) -> set[str]:
    """Flows carrying information ``wanted``: an information id or a category prefix."""
    m = result.map
    categories = {c for i in m.information.values() for c in i.categories}
    is_category = any(category_covers(wanted, c) for c in categories)
    if wanted not in m.information and not is_category:
        raise ViewError(f"the map has no information or category {wanted!r}"
                        f"{suggest(wanted, [*m.information, *sorted(categories)])}")
    return {
        fid for fid in flows
        if any(i == wanted or (i in m.information
                               and any(category_covers(wanted, c)
                                       for c in m.information[i].categories))
               for i in m.flows[fid].information)
    }
