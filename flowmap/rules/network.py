"""FM3xx: the map as a graph: onward disclosure, re-identification, loose ends."""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator

from flowmap.coverage import NO_BASIS_NEEDED
from flowmap.findings import Finding, Severity
from flowmap.model import Flow
from flowmap.rules.base import rule
from flowmap.rules.basis import describe
from flowmap.rules.context import Context

W = Severity.WARNING


def _forbidding(ctx: Context, flow: Flow, item: str) -> str | None:
    """The authority under which ``item`` arrived that forbids passing it on, if any.

    Among the cited authorities that cover the item (or all cited ones, when
    none covers it), the item is restricted if every one forbids onward use.
    """
    assessment = ctx.assessments[flow.id]
    ids = assessment.covering(item) or [a for a in flow.basis if a in ctx.map.authorities]
    auths = [ctx.map.authorities[a] for a in ids]
    if auths and all(a.onward == "forbidden" for a in auths):
        return auths[0].id
    return None


@rule(
    "FM301", Severity.ERROR, "Onward disclosure forbidden",
    what="An organisation passes on information it received under an authority that "
    "forbids onward disclosure (followed along every chain of flows carrying the item).",
    why="Information shared for a narrow purpose must not travel further; each hop after "
    "the restricted one repeats the breach.",
    fix="Stop the onward flow, or cite a basis for it and record a reviewer's acceptance "
    "explaining why the restriction does not apply.",
)
def onward_disclosure(ctx: Context) -> Iterator[Finding]:
    graph = ctx.graph
    for _, receiver, fid, data in sorted(graph.edges(keys=True, data=True), key=lambda e: e[2]):
        flow: Flow = data["flow"]
        for item in flow.information:
            aid = _forbidding(ctx, flow, item)
            if aid is None:
                continue
            queue = deque([(receiver, [flow.id])])
            seen = {receiver}
            while queue:
                org, chain = queue.popleft()
                for _, nxt, next_id, next_data in sorted(graph.out_edges(org, keys=True,
                                                                         data=True)):
                    onward: Flow = next_data["flow"]
                    if item not in onward.information or next_id in chain:
                        continue
                    path = " → ".join([*chain, next_id])
                    yield onward_disclosure.finding(
                        "flow", next_id,
                        f"{describe(ctx, onward)} passes on {item!r}, which {flow.from_!r} "
                        f"disclosed under {aid!r} forbidding onward disclosure (chain: {path})",
                        ctx.map.where("flows", next_id, "information",
                                      onward.information.index(item)))
                    if nxt not in seen:
                        seen.add(nxt)
                        queue.append((nxt, [*chain, next_id]))


@rule(
    "FM302", W, "Re-identification risk",
    what="One organisation receives identified and de-identified flows of the same "
    "category of information.",
    why="De-identified data held beside identified data of the same kind can often be "
    "linked back to people.",
    fix="Keep the two apart (separate recipients or controls), and record the safeguards "
    "in the flows' descriptions; accept the finding in `review` once assessed.",
)
def reidentification_risk(ctx: Context) -> Iterator[Finding]:
    for org in sorted(ctx.graph.nodes):
        identified: dict[str, list[str]] = {}
        deidentified: dict[str, list[str]] = {}
        for _, _, fid, data in sorted(ctx.graph.in_edges(org, keys=True, data=True)):
            flow: Flow = data["flow"]
            bucket = deidentified if flow.identifiability in NO_BASIS_NEEDED else identified
            for info in data["information"]:
                if info.is_personal:
                    bucket.setdefault(info.category, []).append(fid)
        for category in sorted(identified.keys() & deidentified.keys()):
            yield reidentification_risk.finding(
                "organisation", org,
                f"{org!r} receives {category!r} both identified "
                f"({', '.join(sorted(set(identified[category])))}) and de-identified "
                f"({', '.join(sorted(set(deidentified[category])))}): re-identification risk",
                ctx.map.where("organisations", org))


@rule(
    "FM303", W, "Organisation with no flows",
    what="The map declares an organisation that no flow starts or ends at.",
    why="Either a flow is missing from the map or the organisation is clutter.",
    fix="Add its flows, or remove the organisation.",
)
def isolated_organisation(ctx: Context) -> Iterator[Finding]:
    for oid in ctx.declared("organisations"):
        if oid in ctx.graph and ctx.graph.degree(oid) == 0:
            yield isolated_organisation.finding(
                "organisation", oid, f"organisation {oid!r} has no flows",
                ctx.map.where("organisations", oid))


@rule(
    "FM304", W, "Unused information",
    what="An information item that no flow carries.",
    why="A declared item nobody sends suggests a missing flow or a stale map.",
    fix="Add the flow that carries it, or remove the item.",
)
def unused_information(ctx: Context) -> Iterator[Finding]:
    used = {i for f in ctx.map.flows.values() for i in f.information}
    for iid in ctx.declared("information"):
        if iid not in used:
            yield unused_information.finding(
                "information", iid, f"information {iid!r} is carried by no flow",
                ctx.map.where("information", iid))


@rule(
    "FM305", W, "Unused purpose",
    what="A purpose that no flow states.",
    why="A declared purpose nobody uses suggests a flow without its purpose.",
    fix="State it on the flows it belongs to, or remove it.",
)
def unused_purpose(ctx: Context) -> Iterator[Finding]:
    used = {f.purpose for f in ctx.map.flows.values()}
    for pid in ctx.declared("purposes"):
        if pid not in used:
            yield unused_purpose.finding(
                "purpose", pid, f"purpose {pid!r} is stated by no flow",
                ctx.map.where("purposes", pid))


@rule(
    "FM306", W, "Unused authority",
    what="An authority declared in the map (not a catalogue one) that no flow cites.",
    why="A basis nobody relies on suggests a flow that forgot to cite it.",
    fix="Cite it on the flows it justifies, or remove it.",
)
def unused_authority(ctx: Context) -> Iterator[Finding]:
    used = {a for f in ctx.map.flows.values() for a in f.basis}
    for aid in ctx.declared("authorities"):
        if aid not in used:
            yield unused_authority.finding(
                "authority", aid, f"authority {aid!r} is cited by no flow",
                ctx.map.where("authorities", aid))
