"""FM6xx: the Data Protection and Use Policy lens: lawful is not always right.

Each rule asks one of the policy's questions of the map's privacy-review facts
(flowmap/model/privacyfacts.py): is identified information needed (Purpose Matters),
are people told and given a choice (Transparency and Choice), can they reach
someone to see and correct it (Access to Information), does value return to
those who give (Sharing Value), and is Māori data governed with Māori
(Mahitahitanga). The pages read are listed in docs/dpup.md.
"""

from __future__ import annotations

from collections.abc import Iterator

from flowmap.check.dpup import (
    FUNDER_KINDS,
    GUIDELINES,
    PROVIDER_KINDS,
    choice_of,
    compelled,
    identifiable,
    insight_flows,
    insight_index,
    keeps_privacy_facts,
    live,
    told,
)
from flowmap.common.findings import Finding, Severity
from flowmap.model.privacyfacts import consent_choice
from flowmap.model.entities import Flow
from flowmap.common.rule import Rule, rule
from flowmap.check.rules.context import Context

W, I = Severity.WARNING, Severity.INFO


def _see(page: str, kind: str = "Guideline") -> str:
    return f" See the {page} {kind}: {GUIDELINES[page]}"


def _at_flow(found: Rule, ctx: Context, flow: Flow, message: str,
             severity: Severity | None = None) -> Finding:
    """A finding of ``found`` about ``flow``, located at the flow."""
    return found.finding("flow", flow.id, message, ctx.map.where("flows", flow.id), severity)


def _recorded(ctx: Context) -> tuple[Flow, ...]:
    """The flows the record-keeping rules ask about: none until the map keeps any
    privacy-review fact (a `privacy:` block on a flow or an organisation)."""
    return ctx.reviewed if keeps_privacy_facts(ctx.map) else ()


@rule(
    "FM601", W, "Identified information for analysis, with no necessity stated",
    what="A flow carries identified (or pseudonymised) personal information for research, "
    "statistics, monitoring, funding or evaluation, without each person's consent, and its "
    "`privacy.necessity` does not say why de-identified or aggregate information would not "
    "do.",
    why="Purpose Matters: be clear about the purpose and collect only what is needed. "
    "Counting, monitoring and evaluating rarely need to know who each person is; the 2017 "
    "inquiry into MSD's client-level data requirement found identified data for funding "
    "excessive.",
    fix="Send de-identified or aggregate information (`identifiability:`), or write in "
    "`privacy.necessity:` why identified information is needed for this purpose."
    + _see("Purpose Matters"),
)
def necessity_not_stated(ctx: Context) -> Iterator[Finding]:
    for flow in ctx.for_analysis:
        if not (flow.privacy and flow.privacy.necessity) and choice_of(flow) != "consent":
            yield _at_flow(
                necessity_not_stated, ctx, flow,
                f"flow {flow.id!r} ({ctx.map.ends(flow)}) carries identified personal "
                f"information for {flow.purpose!r} with no `privacy.necessity`; send "
                "de-identified or aggregate information, or say why identified is needed")


@rule(
    "FM602", W, "Secondary collection of client-level data by a funder",
    what="A government agency collects identified information about a provider's clients "
    "(from an NGO or iwi/Māori organisation) for monitoring, funding or evaluation, and no "
    "privacy impact assessment (`privacy.pia`) is recorded.",
    why="Purpose Matters: an agency collecting from the providers that collect from service "
    "users must tell them what it needs and why, and check that it is appropriate; the "
    "provider's clients did not come to the funder. This is the 2017 ICLD case, which the "
    "Privacy Commissioner found put the trust between service users and NGOs at risk.",
    fix="Ask for de-identified or aggregate information instead, or assess the collection "
    "with the providers and record the assessment in `privacy.pia:`." + _see("Purpose Matters"),
)
def funder_collects_client_data(ctx: Context) -> Iterator[Finding]:
    for flow in ctx.for_analysis:
        giver, taker = ctx.map.organisations.get(flow.from_), ctx.map.organisations.get(flow.to)
        if (giver is None or taker is None or giver.kind not in PROVIDER_KINDS
                or taker.kind not in FUNDER_KINDS):
            continue
        if flow.privacy is None or not flow.privacy.pia:
            yield _at_flow(
                funder_collects_client_data, ctx, flow,
                f"{taker.label} collects identified information about the clients of "
                f"{giver.label} for {flow.purpose!r} (flow {flow.id!r}) with no privacy impact "
                "assessment; ask for aggregate information, or record `privacy.pia`")


@rule(
    "FM603", I, "No record of how people are told",
    what="In a map that keeps privacy-review facts (any `privacy:` block), a flow of "
    "identified personal information has no `privacy.notice` (how people are "
    "told), no consent or opt-out they are asked about, and its discloser has no privacy "
    "statement (`privacy.statement` on the organisation).",
    why="Transparency and Choice: help people understand what happens to their information, "
    "why, and what rights they have. A flow nobody can point to a notice for is one the "
    "people it is about probably do not know of.",
    fix="Record under the flow's `privacy.notice:` how people are told (`how:`) and the "
    "privacy statement that says so (`statement:`), or give the discloser a "
    "`privacy.statement`." + _see("Transparency and Choice"),
)
def not_told(ctx: Context) -> Iterator[Finding]:
    for flow in _recorded(ctx):
        if not told(ctx.map, flow):
            yield _at_flow(
                not_told, ctx, flow,
                f"flow {flow.id!r} ({ctx.map.ends(flow)}) records no way people are told of "
                "it; add `privacy.notice` (how, and the privacy statement)")


@rule(
    "FM604", I, "No stated choice where one is plausible",
    what="In a map that keeps privacy-review facts, a flow of identified personal "
    "information that no statute, regulation, approved "
    "agreement, matching programme or court order compels states no choice: no "
    "`privacy.choice` and no `consent:` record.",
    why="Transparency and Choice (and the Mana Whakahaere principle): give people choices "
    "whenever possible, and take extra care when deciding not to. Where the law does not "
    "decide, someone decided whether people could say no, and the map should say what.",
    fix="Record `privacy.choice:` with `offered:` consent, opt-out, none (with `why:`) or "
    "not-needed, and `how:` a person uses it." + _see("Transparency and Choice"),
)
def no_choice_stated(ctx: Context) -> Iterator[Finding]:
    for flow in _recorded(ctx):
        if choice_of(flow) is None and not compelled(ctx.map, flow):
            yield _at_flow(
                no_choice_stated, ctx, flow,
                f"flow {flow.id!r} ({ctx.map.ends(flow)}) states no choice, and no law "
                "compels it; record `privacy.choice` (consent, opt-out, or none and why)")


@rule(
    "FM605", W, "Māori data with no governance recorded",
    what="A flow marked as carrying Māori data (`privacy.maori_data`) names no one who "
    "governs it (`governed_by:`); or (info) a flow of identified personal information from an "
    "iwi or Māori organisation does not say whether it is Māori data.",
    why="The Mahitahitanga principle: work with iwi and other Māori groups as Treaty partners "
    "in relation to personal data, and involve them in decisions over data that affect them. "
    "Māori data sovereignty and governance were among the concerns the policy's engagement "
    "heard.",
    fix="Write `privacy.maori_data: {governed_by: ..., arrangement: ...}`, or "
    "`maori_data: false` when it is not Māori data." + _see("Mahitahitanga", "principle"),
)
def maori_data_ungoverned(ctx: Context) -> Iterator[Finding]:
    iwi = {o for o, org in ctx.map.organisations.items() if org.kind == "iwi-maori-organisation"}
    for flow in ctx.flows():
        if (flow.privacy is None and flow.from_ not in iwi) or not live(flow):
            continue  # nothing said about Māori data, and not from an iwi or Māori organisation
        maori = flow.privacy.maori if flow.privacy else None
        if maori is not None and not maori.governed_by:
            yield _at_flow(
                maori_data_ungoverned, ctx, flow,
                f"flow {flow.id!r} carries Māori data with no governance recorded; name who "
                "governs it in `privacy.maori_data.governed_by`")
            continue
        giver = ctx.map.organisations.get(flow.from_)
        unsaid = flow.privacy is None or flow.privacy.maori_data is None
        if (giver is not None and giver.kind == "iwi-maori-organisation" and unsaid
                and identifiable(ctx.map, flow)):
            yield _at_flow(
                maori_data_ungoverned, ctx, flow,
                f"flow {flow.id!r} carries identified information from {giver.label} (an "
                "iwi or Māori organisation) and does not say whether it is Māori data; "
                "record `privacy.maori_data`", I)


@rule(
    "FM606", I, "Information given for analysis, no insight returned",
    what="An organisation gives identified personal information to another for research, "
    "statistics, monitoring, funding or evaluation, and the map has no flow back from that "
    "recipient that identifies no one (aggregate, de-identified or non-personal insights).",
    why="Sharing Value (and the Mahitahitanga principle): make sure there is a two-way street "
    "of sharing de-identified data, analysis and findings; agencies that own insights should "
    "plan to share them, or explain why not.",
    fix="Map the insights returned (a flow from the recipient back with "
    "`identifiability: aggregate` or non-personal information), or accept the finding under "
    "`review:` with the reason insights are not shared." + _see("Sharing Value"),
)
def no_insight_returned(ctx: Context) -> Iterator[Finding]:
    if not ctx.for_analysis:
        return  # nothing is given for analysis: no insight is owed
    index = insight_index(ctx.map)
    for flow in ctx.for_analysis:
        if not insight_flows(index, flow.from_, flow.to):
            yield _at_flow(
                no_insight_returned, ctx, flow,
                f"{ctx.map.label(flow.from_)} gives identified information to "
                f"{ctx.map.label(flow.to)} for {flow.purpose!r} (flow {flow.id!r}) and the "
                "map shows no insight returned; map the insights that come back")


@rule(
    "FM607", I, "No privacy contact for an organisation that receives personal information",
    what="In a map that keeps privacy-review facts, an organisation declared in the map "
    "receives identified personal information, and "
    "has no privacy officer contact (`privacy.officer` on the organisation).",
    why="Access to Information: people should be able to see what is held about them and ask "
    "for it to be corrected; the first step is the organisation's Privacy Officer. A page "
    "telling people where their information goes must say whom to contact.",
    fix="Add `privacy: {officer: {name: ..., email: ...}, access: how to see and correct}` to "
    "the organisation." + _see("Access to Information"),
)
def no_privacy_contact(ctx: Context) -> Iterator[Finding]:
    receivers = {f.to for f in _recorded(ctx)}
    for oid in ctx.declared("organisations"):
        org = ctx.map.organisations[oid]
        if oid in receivers and org.kind != "individual" and (
                org.privacy is None or org.privacy.officer is None):
            yield no_privacy_contact.finding(
                "organisation", oid,
                f"{org.label} receives identified personal information and has no privacy "
                "officer contact; add `privacy.officer`",
                ctx.map.where("organisations", oid))


@rule(
    "FM608", W, "Stated choice contradicts the consent record",
    what="A flow's `privacy.choice` says one thing and its `consent:` record another (a "
    "consent record means people are asked, or with `opt_out: true` that they can opt out).",
    why="Transparency and Choice: what people are told about their choice must be what "
    "happens. Two answers in one map mean one of them is wrong, and a page made from the map "
    "would tell people the wrong one.",
    fix="Make `privacy.choice.offered` agree with the consent record, or leave it out: the "
    "consent record implies it." + _see("Transparency and Choice"),
)
def choice_contradicts_consent(ctx: Context) -> Iterator[Finding]:
    for flow in ctx.flows():
        choice = flow.privacy.choice if flow.privacy else None
        if choice is None or flow.consent is None:
            continue
        implied = consent_choice(flow.consent)
        if choice.offered != implied:
            yield choice_contradicts_consent.finding(
                "flow", flow.id,
                f"flow {flow.id!r} states the choice {choice.offered!r}, but its consent "
                f"record means {implied!r}; make them agree, or leave out `privacy.choice`",
                ctx.map.where("flows", flow.id, "privacy", "choice"))
