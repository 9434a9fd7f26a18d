"""FM2xx: the legal basis of each flow (coverage semantics in flowmap.check.coverage)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from flowmap.check.coverage import (
    Aspect, Period, category_covers, check_period, named_legs, words,
)
from flowmap.common.findings import Finding, Severity
from flowmap.model.entities import Authority, Flow, InForce
from flowmap.common.rule import Rule, rule
from flowmap.check.rules.context import Context

E = Severity.ERROR


def describe(ctx: Context, flow: Flow) -> str:
    """"flow 'x' (IR → ACC)" with the organisations' short labels."""
    return f"flow {flow.id!r} ({ctx.map.ends(flow)})"


@rule(
    "FM201", E, "Flow has no legal basis",
    what="A flow carries identified (or pseudonymised) personal information and cites "
    "no authority at all.",
    why="Personal information may be shared only where the law requires or allows it; "
    "an edge with no basis is exactly what a reviewer must see (the 2017 ICLD inquiry).",
    fix="Cite the authority that allows the disclosure under `basis:`; or, if the flow "
    "does not need identities, make it de-identified or aggregate.",
)
def no_basis(ctx: Context) -> Iterator[Finding]:
    for a in ctx.uncovered:  # a flow that needs a basis and cites none covers nothing
        if not a.flow.basis:
            fid = a.flow.id
            items = ", ".join(repr(i) for i in a.uncovered)
            yield no_basis.finding(
                "flow", fid,
                f"{describe(ctx, a.flow)} carries personal information ({items}) "
                "but cites no legal basis; cite the authority that allows it under `basis:`, "
                "or send it de-identified or aggregate",
                ctx.map.where("flows", fid))


#: how to fix each part of a scope that fails, ending each FM2xx message
HINTS: dict[Aspect, str] = {
    "in-force": "cite the provision in force at the time, or correct the dates",
    "parties": "cite an authority that binds these organisations",
    "category": "cite an authority that covers it, or stop sending it",
    "purpose": "state a purpose it covers, or cite an authority for this purpose",
    "cross-border": "cite a basis that allows disclosure overseas (`cross_border: true`), or "
                    "the condition under which this one may (such as IPP 12), and meet it",
    "consent": "add `consent: {obtained: <when/how>, opt_out: <true|false>}` to the flow",
    "justification": "add `justification:` saying why the authority applies to this flow",
    "condition": "cite the basis the disclosure rests on as well",
}


def _scope_findings(ctx: Context, this: Rule, aspect: Aspect) -> Iterator[Finding]:
    """One finding per (flow, authority, part) whose ``aspect`` keeps an item uncovered."""
    for a in ctx.uncovered:
        fid = a.flow.id
        for (aid, part, detail), items in a.failing.get(aspect, {}).items():
            index = a.flow.basis.index(aid)
            yield this.finding(
                "flow", fid,
                f"{describe(ctx, a.flow)} cites {aid!r}{part} but that authority {detail} "
                f"(for {', '.join(repr(i) for i in items)}); {HINTS[aspect]}",
                ctx.map.where("flows", fid, "basis", index))


@rule(
    "FM202", E, "Basis not in force",
    what="The cited authority was not in force on the map's `as_of` date (or, for a "
    "historical flow, on the dates it ran).",
    why="A repealed Act or an agreement not yet approved authorises nothing.",
    fix="Cite the provision in force at the time (e.g. the Privacy Act 1993 before "
    "1 December 2020), or correct the flow's dates or the map's `as_of`.",
)
def basis_not_in_force(ctx: Context) -> Iterator[Finding]:
    yield from _scope_findings(ctx, basis_not_in_force, "in-force")


@rule(
    "FM203", E, "Basis does not admit the parties",
    what="The cited authority's scope does not admit this discloser or recipient "
    "(`from`/`to`, `parties`, `from_kinds`/`to_kinds`).",
    why="An information sharing provision binds named agencies; it does not let anyone "
    "else share under it.",
    fix="Cite the authority that binds these two organisations, or correct the flow's "
    "`from`/`to`.",
)
def basis_excludes_parties(ctx: Context) -> Iterator[Finding]:
    yield from _scope_findings(ctx, basis_excludes_parties, "parties")


@rule(
    "FM204", E, "Basis does not cover the information",
    what="No cited authority covers the category of an information item the flow carries.",
    why="Authority to share tax information is not authority to share health information.",
    fix="Cite an authority that covers the category, or stop sending the item.",
)
def basis_excludes_information(ctx: Context) -> Iterator[Finding]:
    for a in ctx.uncovered:
        fid = a.flow.id
        by_item: dict[str, list[str]] = {}
        for (aid, part, detail), items in a.failing.get("category", {}).items():
            for item in items:
                by_item.setdefault(item, []).append(f"{aid!r}{part} {detail}")
        for item, reasons in by_item.items():
            categories = ctx.map.information[item].categories
            category = f"of category {categories[0]!r}" if len(categories) == 1 else \
                f"of categories {words(categories)}"
            yield basis_excludes_information.finding(
                "flow", fid,
                f"{describe(ctx, a.flow)} carries {item!r}, {category}, which "
                f"no cited authority covers ({'; '.join(reasons)}); {HINTS['category']}",
                ctx.map.where("flows", fid, "information", a.flow.information.index(item)))


@rule(
    "FM205", E, "Basis does not cover the purpose",
    what="The cited authority covers only certain purposes, and the flow's purpose is "
    "another one (or the flow states none).",
    why="Information shared for one purpose may not be used for another (purpose limitation).",
    fix="State the flow's `purpose`, or cite an authority that covers it.",
)
def basis_excludes_purpose(ctx: Context) -> Iterator[Finding]:
    yield from _scope_findings(ctx, basis_excludes_purpose, "purpose")


@rule(
    "FM206", E, "Overseas recipient not authorised",
    what="The recipient is outside the map's jurisdiction and the cited authority does "
    "not authorise disclosure overseas (`cross_border`).",
    why="Disclosure outside New Zealand is allowed only where the basis allows it: under "
    "the Privacy Act 2020, a disclosure overseas under IPP 11(1)(a), (c), (e), (f), (h) or "
    "(i) must also meet IPP 12 (a condition, `role: condition`, cited beside the basis).",
    fix="Cite the condition that lets the basis go overseas (e.g. IPP 12) and meet it, or a "
    "basis with `cross_border: true`.",
)
def overseas_not_authorised(ctx: Context) -> Iterator[Finding]:
    yield from _scope_findings(ctx, overseas_not_authorised, "cross-border")


@rule(
    "FM207", E, "Consent basis without a consent record",
    what="The flow relies on consent (a `consent` authority, or one with "
    "`needs_consent`) and has no `consent` record.",
    why="Consent that nobody recorded cannot be shown to exist.",
    fix="Add `consent: {obtained: <when/how>, opt_out: <true|false>}` to the flow.",
)
def consent_not_recorded(ctx: Context) -> Iterator[Finding]:
    yield from _scope_findings(ctx, consent_not_recorded, "consent")


@rule(
    "FM208", E, "Justification missing",
    what="The cited authority needs each flow to say why it applies "
    "(`needs_justification`), and the flow has no `justification`.",
    why="Exceptions such as 'serious threat' hold only on the agency's reasonable belief, "
    "which must be written down.",
    fix="Add `justification:` saying why the exception applies to this flow.",
)
def justification_missing(ctx: Context) -> Iterator[Finding]:
    yield from _scope_findings(ctx, justification_missing, "justification")


@rule(
    "FM209", Severity.WARNING, "General principle used where a health code applies",
    what="A health agency (kind health-provider, or `health_agency: true`) discloses "
    "identified health information citing a general privacy principle and no code, while "
    "a code of practice (declared or from a catalogue) in force at the time names a "
    "category covering that information.",
    why="For health agencies the Health Information Privacy Code replaces the general "
    "principles for health information.",
    fix="Cite the code's rule (e.g. HIPC 2020 rule 11) instead of the privacy principle.",
)
def health_code_applies(ctx: Context) -> Iterator[Finding]:
    codes_of_practice = [a for a in ctx.map.authorities.values()
                         if a.type == "code-of-practice"]
    if not codes_of_practice:
        return  # no code of practice in the map: none can apply
    covering: dict[tuple[str, Period | None], list[str]] = {}
    for flow in ctx.flows():
        org = ctx.map.organisations.get(flow.from_)
        if (org is None or not ctx.map.is_health_agency(org)
                or not ctx.assessments[flow.id].needs_basis):
            continue
        health = [i for i in flow.information if i in ctx.map.information
                  and any(category_covers("personal.health", c)
                          for c in ctx.map.information[i].categories)]
        period = check_period(ctx.map, flow)
        for i in health:  # the same codes cover an item on the same days for every flow
            if (i, period) not in covering:
                covering[i, period] = [c.id for c in _codes_covering(
                    ctx, codes_of_practice, i, period)]
        codes = sorted({c for i in health for c in covering[i, period]})
        if not codes or any(aid in codes for aid in flow.basis):
            continue
        for index, aid in enumerate(flow.basis):
            auth = ctx.map.authorities.get(aid)
            if auth is not None and auth.type == "privacy-principle":
                yield health_code_applies.finding(
                    "flow", flow.id,
                    f"{describe(ctx, flow)}: health agency {org.id!r} discloses health "
                    f"information ({', '.join(map(repr, health))}) under general principle "
                    f"{aid!r}, but a code of practice applies to it ({_some(codes)}); "
                    "cite the code's rule instead",
                    ctx.map.where("flows", flow.id, "basis", index))


def _codes_covering(ctx: Context, codes: list[Authority], item: str,
                    period: Period | None) -> list[Authority]:
    """The ``codes`` of practice that name a category covering ``item`` and were in force
    over ``period`` (while the flow ran)."""
    categories = ctx.map.information[item].categories
    return [a for a in codes
            if any(category_covers(c, category) for _, scope in a.scopes()
                   for c in scope.information or () for category in categories)
            and (period is None or _overlaps(a.in_force, period[0], period[1]))]


def _overlaps(span: InForce, start: dt.date, end: dt.date) -> bool:
    return (span.from_ is None or span.from_ <= end) and (span.until is None or span.until >= start)


def _some(ids: list[str], shown: int = 3) -> str:
    """The first few ids, and how many more."""
    more = len(ids) - shown
    if more <= 0:
        return words(ids)
    return ", ".join(map(repr, ids[:shown])) + f" and {more} more"


@rule(
    "FM210", Severity.INFO, "Basis not verified",
    what="The flow cites an authority marked `verified: false`: its citation still needs "
    "checking against the legislation.",
    why="A map is only as trustworthy as its citations; unverified ones are shown to reviewers.",
    fix="Check the provision on legislation.govt.nz and set `verified: true`, or cite another.",
)
def basis_unverified(ctx: Context) -> Iterator[Finding]:
    # a verified authority is reported only for a leg marked unverified that covers a flow
    unsure = {a.id for a in ctx.map.authorities.values()
              if not a.verified or any(leg.verified is False for leg in named_legs(a))}
    for flow in ctx.flows():
        for index, aid in enumerate(flow.basis):
            if aid not in unsure:
                continue
            auth = ctx.map.authorities[aid]
            legs = sorted({c.leg.id for c in ctx.assessments[flow.id].checks
                           if c.authority == aid and c.covers and c.leg is not None
                           and c.leg.verified is False})
            if auth.verified and not legs:
                continue
            what = f"whose leg {words(legs)} is" if auth.verified else "whose citation is"
            if ctx.map.from_catalogue("authorities", aid):
                how = f"`flowmap catalogue show {aid}` says what is unverified"
            else:
                how = ("check it against the legislation (its notes say what is "
                       f"unverified, {ctx.map.where('authorities', aid)}), then set "
                       "`verified: true`")
            yield basis_unverified.finding(
                "flow", flow.id,
                f"{describe(ctx, flow)} cites {aid!r}, {what} not verified; {how}",
                ctx.map.where("flows", flow.id, "basis", index))


@rule(
    "FM211", E, "Condition cited without a basis",
    what="The flow cites only authorities that are conditions on other bases "
    "(`role: condition`, such as IPP 12 on disclosures overseas), and no basis.",
    why="IPP 12 adds conditions to a disclosure overseas made under IPP 11(1)(a), (c), (e), "
    "(f), (h) or (i); it authorises nothing alone. A flow resting on it alone has no basis.",
    fix="Cite the basis the disclosure rests on (e.g. the IPP 11 exception) beside the "
    "condition, and meet the condition.",
)
def condition_alone(ctx: Context) -> Iterator[Finding]:
    yield from _scope_findings(ctx, condition_alone, "condition")


@rule(
    "FM212", Severity.INFO, "Class membership asserted by the map",
    what="The map puts an organisation in a class of a built-in catalogue (under the "
    "organisation's `classes:`) that the catalogue's own list of members does not include.",
    why="Where a provision is open only to a defined class (family violence agencies, child "
    "welfare and protection agencies), whether an organisation is in it decides whether its "
    "flows are covered. The catalogue lists only the members its sources name; the rest is "
    "the map's word, which a reviewer should check against the provision.",
    fix="Check the provision's definition of the class (`flowmap catalogue list --section "
    "classes` gives its address); if the organisation is not in it, remove the class.",
)
def class_asserted(ctx: Context) -> Iterator[Finding]:
    for oid in ctx.declared("organisations"):
        org = ctx.map.organisations[oid]
        for index, cid in enumerate(org.classes):
            found = ctx.map.classes.get(cid)
            if (found is None or not ctx.map.from_catalogue("classes", cid)
                    or oid in found.members or org.kind in found.kinds):
                continue
            yield class_asserted.finding(
                "organisation", oid,
                f"organisation {oid!r} is put in class {cid!r} ({found.name}) by this map, "
                f"not by the catalogue; check it against the definition"
                + (f" ({found.url})" if found.url else ""),
                ctx.map.where("organisations", oid, "classes", index))
