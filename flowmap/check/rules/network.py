"""FM3xx: the map as a graph: onward disclosure, re-identification, loose ends."""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterator
from typing import Any

from flowmap.check.coverage import NO_BASIS_NEEDED, category_covers, named_legs
from flowmap.common.findings import Finding, Severity
from flowmap.model.entities import Authority, Flow, Leg
from flowmap.common.rule import rule
from flowmap.check.rules.basis import describe
from flowmap.check.rules.context import Context

W = Severity.WARNING


def _forbidding(ctx: Context, flow: Flow, item: str) -> str | None:
    """The authority under which ``item`` arrived that forbids passing it on, if any.

    Only identified (or pseudonymised) personal items are restricted. Among the
    cited authorities that cover the item (or all cited ones, when none covers
    it), the item is restricted if every one forbids onward use, on the leg it
    came under where the authority has legs.
    """
    assessment = ctx.assessments[flow.id]
    info = ctx.map.information.get(item)
    if not assessment.needs_basis or info is None or not info.is_personal:
        return None
    covering = assessment.covering_checks(item)
    if covering:
        onward = [(c.authority, _onward(ctx.map.authorities[c.authority], c.leg))
                  for c in covering]
    else:
        onward = [(a, ctx.map.authorities[a].onward) for a in flow.basis
                  if a in ctx.map.authorities and ctx.map.authorities[a].role == "basis"]
    if onward and all(o == "forbidden" for _, o in onward):
        return onward[0][0]
    return None


def _onward(auth: Authority, leg: Leg | None) -> str:
    return leg.onward if leg is not None and leg.onward is not None else auth.onward


def _onward_chains(ctx: Context, flow: Flow, item: str) -> Iterator[list[str]]:
    """Each chain of flows passing ``item`` on from ``flow``'s recipient, breadth first.

    A hop back to the original discloser (who held the item already) and a
    de-identified or aggregate hop (which passes on no personal information)
    are not onward disclosures, and the chain is not followed past them.
    """
    queue = deque([(flow.to, [flow.id])])
    seen = {flow.to, flow.from_}
    while queue:
        org, chain = queue.popleft()
        for onward in ctx.leaving.get(org, ()):
            nxt, next_id = onward.to, onward.id
            if (item not in onward.information or next_id in chain or nxt == flow.from_
                    or not ctx.assessments[next_id].needs_basis):
                continue
            yield [*chain, next_id]
            if nxt not in seen:
                seen.add(nxt)
                queue.append((nxt, [*chain, next_id]))


#: (onward flow id, item) → the shortest chain reaching it, its first flow, the authority
Breaches = dict[tuple[str, str], tuple[list[str], Flow, str]]


def _breaches(ctx: Context, restrictions: Callable[[Flow, str], list[tuple[str, Any]]],
              breached: Callable[[Flow, Any], bool]) -> Breaches:
    """Every onward flow that breaks a restriction on what its item arrived under.

    ``restrictions(flow, item)`` gives (authority, restriction) for the item on that
    flow; ``breached(onward, restriction)`` says whether an onward flow breaks it. Each
    onward flow and item is reported once, with the shortest chain that reaches it.
    """
    found: Breaches = {}
    for fid in sorted(ctx.map.flows):
        flow = ctx.map.flows[fid]
        for item in flow.information:
            for aid, restriction in restrictions(flow, item):
                for chain in _onward_chains(ctx, flow, item):
                    key = (chain[-1], item)
                    if breached(ctx.map.flows[chain[-1]], restriction) and (
                            key not in found or len(chain) < len(found[key][0])):
                        found[key] = (chain, flow, aid)
    return found


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
    if not any(a.onward == "forbidden" or any(leg.onward == "forbidden" for leg in named_legs(a))
               for a in ctx.map.authorities.values()):
        return  # nothing in the map forbids onward disclosure: no chain to follow

    def forbidding(flow: Flow, item: str) -> list[tuple[str, Any]]:
        aid = _forbidding(ctx, flow, item)
        return [] if aid is None else [(aid, None)]

    for (fid, item), (chain, origin, aid) in sorted(
            _breaches(ctx, forbidding, lambda onward, _: True).items()):
        onward = ctx.map.flows[fid]
        yield onward_disclosure.finding(
            "flow", fid,
            f"{describe(ctx, onward)} passes on {item!r}, which {origin.from_!r} disclosed "
            f"under {aid!r}, an authority forbidding onward disclosure "
            f"(chain: {' → '.join(chain)}); stop this flow, or record a reviewer's "
            "acceptance if the restriction does not apply",
            ctx.map.where("flows", fid, "information", onward.information.index(item)))


@rule(
    "FM307", Severity.ERROR, "Used for a purpose the law excludes",
    what="An organisation passes on information it received under an authority that bars "
    "its use for some purposes (`not_for`), in a flow for one of those purposes (followed "
    "along every chain of flows carrying the item).",
    why="Some provisions let information be shared only on condition that it is not used "
    "for certain ends: information an Oranga Tamariki Act s 66 request obtains must not be "
    "used to investigate any offence (s 66(3)(a)).",
    fix="Stop the flow, or obtain the information for that purpose under a basis that "
    "allows it (and draw that flow from its source).",
)
def excluded_purpose(ctx: Context) -> Iterator[Finding]:
    if not any(a.not_for for a in ctx.map.authorities.values()):
        return  # nothing in the map bars a purpose: no chain to follow

    def excluding(flow: Flow, item: str) -> list[tuple[str, Any]]:
        """(authority, barred purposes) for each authority covering the item."""
        auths = [ctx.map.authorities[c.authority]
                 for c in ctx.assessments[flow.id].covering_checks(item)]
        return [(a.id, a.not_for) for a in auths if a.not_for]

    for (fid, item), (chain, origin, aid) in sorted(
            _breaches(ctx, excluding, lambda onward, barred: onward.purpose in barred).items()):
        onward = ctx.map.flows[fid]
        yield excluded_purpose.finding(
            "flow", fid,
            f"{describe(ctx, onward)} uses {item!r} for {onward.purpose!r}, which "
            f"{origin.from_!r} disclosed under {aid!r}, an authority that bars that purpose "
            f"(chain: {' → '.join(chain)}); stop this flow, or obtain the information for "
            "this purpose under a basis that allows it",
            ctx.map.where("flows", fid, "purpose"))


@rule(
    "FM302", W, "Re-identification risk",
    what="One organisation receives identified and de-identified (or aggregate) flows of "
    "the same category of information, or of a category and one of its sub-categories. "
    "Reported on each de-identified flow.",
    why="De-identified data held beside identified data of the same kind can often be "
    "linked back to people.",
    fix="Keep the two apart (separate recipients or controls), and record the safeguards "
    "in the flows' descriptions; accept the finding in the de-identified flow's `review` "
    "once assessed.",
)
def reidentification_risk(ctx: Context) -> Iterator[Finding]:
    # only an organisation that receives a de-identified or aggregate flow can be at risk
    receivers = {f.to for f in ctx.flows() if f.identifiability in NO_BASIS_NEEDED}
    for org in sorted(receivers & ctx.reaching.keys()) if receivers else ():
        identified: list[tuple[str, str]] = []  # (category, flow id)
        deidentified: list[tuple[str, Flow]] = []
        for flow in ctx.reaching[org]:
            for iid in flow.information:
                info = ctx.map.information.get(iid)
                if info is None or not info.is_personal:
                    continue
                for category in info.categories:
                    if flow.identifiability in NO_BASIS_NEEDED:
                        deidentified.append((category, flow))
                    else:
                        identified.append((category, flow.id))
        for flow in sorted({f.id: f for _, f in deidentified}.values(), key=lambda f: f.id):
            linked = sorted({(c, fid) for own, f in deidentified if f.id == flow.id
                             for c, fid in identified if _related(own, c)})
            if linked:
                yield reidentification_risk.finding(
                    "flow", flow.id, _risk_message(ctx, org, flow, linked),
                    ctx.map.where("flows", flow.id, "identifiability"))


def _related(a: str, b: str) -> bool:
    return category_covers(a, b) or category_covers(b, a)


def _risk_message(ctx: Context, org: str, flow: Flow, linked: list[tuple[str, str]]) -> str:
    categories = sorted({c for c, _ in linked})
    flows = sorted({fid for _, fid in linked})
    return (f"{describe(ctx, flow)} is {flow.identifiability}, but {org!r} also receives "
            f"{', '.join(map(repr, categories))} identified ({', '.join(map(repr, flows))}): "
            "re-identification risk; keep them apart, or record the safeguards and accept "
            "this finding in the flow's `review`")


def _named_by_scopes(ctx: Context, *keys: str) -> set[str]:
    """Ids named under ``keys`` of the scope of an authority the map declares.

    FM102/FM104 require these to be declared, so they are not clutter.
    """
    scopes = [scope for a in ctx.declared("authorities")
              for _, scope in ctx.map.authorities[a].scopes()]
    return {i for scope in scopes for key in keys for i in getattr(scope, key) or ()}


@rule(
    "FM303", W, "Organisation with no flows",
    what="The map declares an organisation that no flow starts or ends at (and that no "
    "authority's scope names).",
    why="Either a flow is missing from the map or the organisation is clutter.",
    fix="Add its flows, or remove the organisation.",
)
def isolated_organisation(ctx: Context) -> Iterator[Finding]:
    if ctx.map.incomplete:
        return  # its users may be in what could not be read
    named = _named_by_scopes(ctx, "from_", "to", "parties")
    named |= {m for c in ctx.map.classes.values() for m in c.members}
    for oid in ctx.declared("organisations"):
        if oid not in ctx.linked and oid not in named:
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
    if ctx.map.incomplete:
        return  # its users may be in what could not be read
    used = ctx.carried
    for iid in ctx.declared("information"):
        if iid not in used:
            yield unused_information.finding(
                "information", iid, f"information {iid!r} is carried by no flow",
                ctx.map.where("information", iid))


@rule(
    "FM305", W, "Unused purpose",
    what="A purpose that no flow states and no authority's scope names.",
    why="A declared purpose nobody uses suggests a flow without its purpose.",
    fix="State it on the flows it belongs to, or remove it.",
)
def unused_purpose(ctx: Context) -> Iterator[Finding]:
    if ctx.map.incomplete:
        return  # its users may be in what could not be read
    used = ctx.stated | _named_by_scopes(ctx, "purposes")
    used |= {p for a in ctx.map.authorities.values() for p in a.not_for}
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
    if ctx.map.incomplete:
        return  # its users may be in what could not be read
    used = set(ctx.cited)
    used |= {b for a in ctx.map.authorities.values() for b in a.applies_to}
    for aid in ctx.declared("authorities"):
        if aid not in used:
            yield unused_authority.finding(
                "authority", aid, f"authority {aid!r} is cited by no flow",
                ctx.map.where("authorities", aid))
