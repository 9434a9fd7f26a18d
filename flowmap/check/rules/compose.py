"""FM5xx: composed maps: agencies' own maps must agree with each other.

When several maps are composed (given together, or by `include:`), the map
whose `map:` block names an `owner` is that organisation's own account of
its flows. A flow between two owners should appear in both owners' maps,
carrying the same information, under the same basis and purpose.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from flowmap.common.findings import Finding, Severity
from flowmap.model.mapdata import Component
from flowmap.model.entities import Flow
from flowmap.common.rule import rule

if TYPE_CHECKING:
    from flowmap.check.rules.context import Context

W = Severity.WARNING

# FM501 is found by the loader while it composes maps: declared in flowmap/common/loadcodes.py


def _component_flows(ctx: Context) -> dict[str, list[tuple[Flow, Component]]]:
    """Flows of each owned component, keyed by the component's owner: none unless two
    owners' maps are composed (only then can one map miss what the other declares)."""
    owned: dict[str, list[tuple[Flow, Component]]] = {}
    owners = {c.owner for c in ctx.map.components if c.owner}
    if len(owners) < 2:
        return owned
    for flow in ctx.flows():
        component = ctx.map.component_of(ctx.map.where("flows", flow.id))
        if component is not None and component.owner in owners:
            owned.setdefault(component.owner, []).append((flow, component))
    return owned


def _between(owned: dict[str, list[tuple[Flow, Component]]]
             ) -> dict[tuple[str, str, str], list[tuple[Flow, Component]]]:
    """Each owner's flows by (owner, from, to), so that finding a flow's counterpart
    in the other party's map is a look-up, not a scan of that map."""
    index: dict[tuple[str, str, str], list[tuple[Flow, Component]]] = {}
    for owner, flows in owned.items():
        for flow, component in flows:
            index.setdefault((owner, flow.from_, flow.to), []).append((flow, component))
    return index


def _matches(a: Flow, b: Flow) -> bool:
    return a.from_ == b.from_ and a.to == b.to and set(a.information) == set(b.information)


def _missing(ctx: Context, side: str) -> Iterator[tuple[Flow, Component, Component, str]]:
    """Flows declared by one party's map with no matching flow in the other party's map.

    ``side`` is "discloser" (the flow's map is the discloser's) or "recipient".
    Yields (flow, its map, the other party's map, what the other map has instead).
    """
    owned = _component_flows(ctx)
    components = {c.owner: c for c in ctx.map.components if c.owner}
    between = _between(owned)
    for owner, flows in sorted(owned.items()):
        for flow, component in flows:
            mine, theirs = (flow.from_, flow.to) if side == "discloser" else \
                (flow.to, flow.from_)
            if mine != owner or theirs not in components or theirs == owner:
                continue
            others = [f for f, _ in between.get((theirs, flow.from_, flow.to), [])]
            if not any(_matches(flow, other) for other in others):
                instead = "; it has " + ", ".join(
                    f"{o.id!r} carrying {', '.join(o.information)}" for o in others) \
                    if others else ""
                yield flow, component, components[theirs], instead


def _files(component: Component) -> str:
    return component.source or component.id


@rule(
    "FM502", W, "Disclosure missing from the recipient's map",
    what="A flow in the discloser's own map has no matching flow (same from, to and "
    "information) in the recipient's own map.",
    why="Either the recipient does not know what it receives, or the discloser sends "
    "something the recipient never asked for: both maps are the record of the flow.",
    fix="Add the flow to the recipient's map, or correct the information it carries "
    "in one of the two maps.",
)
def missing_at_recipient(ctx: Context) -> Iterator[Finding]:
    for flow, mine, theirs, instead in _missing(ctx, "discloser"):
        yield missing_at_recipient.finding(
            "flow", flow.id,
            f"{mine.id!r} (the discloser's map) declares flow {flow.id!r} to {flow.to!r}, "
            f"but {theirs.id!r} (the recipient's map, {_files(theirs)}) has no flow from "
            f"{flow.from_!r} carrying {', '.join(flow.information)}{instead}",
            ctx.map.where("flows", flow.id))


@rule(
    "FM503", W, "Receipt missing from the discloser's map",
    what="A flow in the recipient's own map has no matching flow (same from, to and "
    "information) in the discloser's own map.",
    why="The discloser's map is where its legal basis for disclosing is checked; a flow "
    "only the recipient records escapes that check.",
    fix="Add the flow to the discloser's map, or correct the information it carries "
    "in one of the two maps.",
)
def missing_at_discloser(ctx: Context) -> Iterator[Finding]:
    for flow, mine, theirs, instead in _missing(ctx, "recipient"):
        yield missing_at_discloser.finding(
            "flow", flow.id,
            f"{mine.id!r} (the recipient's map) declares flow {flow.id!r} from "
            f"{flow.from_!r}, but {theirs.id!r} (the discloser's map, {_files(theirs)}) has "
            f"no flow to {flow.to!r} carrying {', '.join(flow.information)}{instead}",
            ctx.map.where("flows", flow.id))


@rule(
    "FM504", W, "The two parties' maps disagree about a flow",
    what="The discloser's and the recipient's maps both declare the flow, but cite "
    "different legal bases or state different purposes.",
    why="Both parties must be relying on the same authority for the same purpose; a "
    "mismatch usually means one of them has it wrong.",
    fix="Agree the basis and purpose between the two agencies and record the same in "
    "both maps.",
)
def parties_disagree(ctx: Context) -> Iterator[Finding]:
    owned = _component_flows(ctx)
    between = _between(owned)
    for flow, component in [x for owner in sorted(owned) for x in owned[owner]]:
        if component.owner != flow.from_ or flow.to not in owned or flow.to == flow.from_:
            continue
        counterparts = [(o, c) for o, c in between.get((flow.to, flow.from_, flow.to), [])
                        if _matches(flow, o)]
        if not counterparts or any(not _differences(flow, o) for o, _ in counterparts):
            continue  # missing (FM502), or one of the recipient's flows agrees
        other, theirs = counterparts[0]
        yield parties_disagree.finding(
            "flow", flow.id,
            f"flow {flow.id!r} in {component.id!r} and {other.id!r} in {theirs.id!r} "
            f"({ctx.map.where('flows', other.id)}) are the same flow but disagree: "
            f"{'; '.join(_differences(flow, other))}",
            ctx.map.where("flows", flow.id))


def _differences(flow: Flow, other: Flow) -> list[str]:
    differ = []
    if set(flow.basis) != set(other.basis):
        differ.append(f"basis {sorted(flow.basis)} here, {sorted(other.basis)} there")
    if flow.purpose != other.purpose:
        differ.append(f"purpose {flow.purpose!r} here, {other.purpose!r} there")
    return differ
