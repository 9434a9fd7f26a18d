"""What the Data Protection and Use Policy (DPUP) lens asks of a map, as plain facts.

The FM6xx rules, the `explain` page and the per-organisation summary all read
the map through these functions, so that they agree on what a flow gives,
whether it is for analysis, and whether a choice or an insight goes with it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from flowmap.model.mapdata import Map
from flowmap.model.entities import Flow
from flowmap.model.privacyfacts import ChoiceKind, effective_choice

#: the policy's four Guidelines and its principles pages, as read (docs/dpup.md)
GUIDELINES: dict[str, str] = {
    "Purpose Matters": "https://www.digital.govt.nz/standards-and-guidance/privacy-security-"
    "and-risk/privacy/data-protection-and-use-policy-dpup/read-the-dpup-guidelines/"
    "purpose-matters-guideline",
    "Transparency and Choice": "https://dpup.swa.govt.nz/guidelines/transparency-and-choice/",
    "Access to Information": "https://www.digital.govt.nz/standards-and-guidance/privacy-"
    "security-and-risk/privacy/data-protection-and-use-policy-dpup/read-the-dpup-guidelines/"
    "access-to-information-guideline/access-to-information-help-people-understand-their-"
    "rights/",
    "Sharing Value": "https://dpup.swa.govt.nz/guidelines/sharing-value/about-the-sharing-"
    "value-guideline/when-to-use-the-sharing-value-guideline/",
    "Mahitahitanga": "https://dpup.swa.govt.nz/principles/mahitahitanga/",
}

#: words in a purpose's id or name that mark research, statistics, monitoring,
#: funding or evaluation: uses where de-identified or aggregate data usually serve
ANALYTIC_WORDS: tuple[str, ...] = (
    "research", "statistic", "monitor", "funding", "evaluat", "analys", "analytic",
    "reporting", "planning", "insight", "accountab", "measur", "idi",
)
#: authority types under which the law, not the person, decides (choice is not plausible)
COMPULSORY_TYPES: frozenset[str] = frozenset(
    {"statute", "regulation", "aisa", "information-matching", "court-order"})
#: kinds of organisation that collect from service users and pass on to a funder
PROVIDER_KINDS: frozenset[str] = frozenset({"ngo", "iwi-maori-organisation"})
FUNDER_KINDS: frozenset[str] = frozenset({"government-department", "crown-entity"})


#: the code prefix of the lens's findings: they do not change a flow's legal status
LENS_PREFIX = "FM6"


def keeps_privacy_facts(m: Map) -> bool:
    """The map records privacy-review facts somewhere: its keepers have started the review,
    so the record-keeping rules (notice, choice, contact) ask them of every flow."""
    return any(f.privacy is not None for f in m.flows.values()) or any(
        o.privacy is not None for o in m.organisations.values())


def live(flow: Flow) -> bool:
    """A flow that happens now or is proposed (historical flows are not reviewed)."""
    return flow.status != "historical"


def between_agencies(m: Map, flow: Flow) -> bool:
    """Neither end is the person the information is about (kind ``individual``)."""
    return all(o is None or o.kind != "individual"
               for o in (m.organisations.get(flow.from_), m.organisations.get(flow.to)))


#: the identifiability of a flow whose people can be identified
IDENTIFYING: frozenset[str] = frozenset({"identified", "pseudonymised"})


def identifiable(m: Map, flow: Flow) -> bool:
    """The flow carries personal information about people who can be identified."""
    if flow.identifiability not in IDENTIFYING:
        return False
    return any(m.information[i].is_personal for i in flow.information if i in m.information)


def reviewed(m: Map, flows: Iterable[Flow]) -> list[Flow]:
    """The flows the lens asks about, in the order given: live flows of identifiable
    personal information between agencies (:func:`live`, :func:`identifiable`,
    :func:`between_agencies`; a flow to or from the person themselves is not a sharing
    of their information). Which items are personal and which organisations are
    people is worked out once, not per flow."""
    personal = {i for i, info in m.information.items() if info.is_personal}
    people = {o for o, org in m.organisations.items() if org.kind == "individual"}
    return [f for f in flows if live(f) and f.identifiability in IDENTIFYING
            and f.from_ not in people and f.to not in people
            and not personal.isdisjoint(f.information)]


def returns_insight(m: Map, flow: Flow) -> bool:
    """The flow carries no one's identity: aggregate, de-identified or non-personal."""
    return not identifiable(m, flow)


def analytic(m: Map, flow: Flow) -> bool:
    """The flow's purpose is research, statistics, monitoring, funding or evaluation."""
    purpose = m.purposes.get(flow.purpose) if flow.purpose else None
    text = " ".join(t for t in (flow.purpose, purpose.name if purpose else None) if t)
    words = re.split(r"[^a-z]+", text.lower())
    return any(w.startswith(ANALYTIC_WORDS) for w in words)


def compelled(m: Map, flow: Flow) -> bool:
    """Every cited authority is one under which the law decides (statute, AISA, ...)."""
    types = [m.authorities[a].type for a in flow.basis if a in m.authorities]
    return bool(types) and all(t in COMPULSORY_TYPES for t in types)


def choice_of(flow: Flow) -> ChoiceKind | None:
    return effective_choice(flow.privacy, flow.consent)


def told(m: Map, flow: Flow) -> bool:
    """People are told: a notice on the flow, a choice they are asked about, or the
    discloser's privacy statement."""
    if flow.privacy is not None and flow.privacy.notice is not None:
        return True
    if choice_of(flow) in ("consent", "opt-out"):
        return True
    org = m.organisations.get(flow.from_)
    return org is not None and org.privacy is not None and org.privacy.statement is not None


#: live flows that identify no one, by (the organisation they go back to, where they come from)
InsightIndex = dict[tuple[str, str], list[Flow]]


def insight_index(m: Map) -> InsightIndex:
    """Every insight flow of the map, found in one pass (asking per flow or per
    organisation would be quadratic in the size of the map)."""
    index: InsightIndex = {}
    for f in m.flows.values():
        if live(f) and returns_insight(m, f):
            index.setdefault((f.to, f.from_), []).append(f)
    return index


def insight_flows(index: InsightIndex, giver: str, receiver: str) -> list[Flow]:
    """Live flows from ``receiver`` back to ``giver`` that identify no one."""
    return index.get((giver, receiver), [])


@dataclass(frozen=True)
class OrganisationSummary:
    """One organisation's part in the map, as the policy looks at it."""

    id: str
    gives: tuple[str, ...]
    receives: tuple[str, ...]
    choices: tuple[tuple[str, ChoiceKind], ...]
    insights_returned: tuple[str, ...]
    insights_missing: tuple[str, ...]


def summaries(m: Map, oids: Iterable[str]) -> dict[str, OrganisationSummary]:
    """What each of ``oids`` gives and receives, the choices offered and the insights
    returned, from one pass over the flows."""
    gives: dict[str, list[Flow]] = {}
    receives: dict[str, list[Flow]] = {}
    for f in sorted((f for f in m.flows.values() if live(f)), key=lambda f: f.id):
        gives.setdefault(f.from_, []).append(f)
        receives.setdefault(f.to, []).append(f)
    index = insight_index(m)
    return {oid: _summary(m, oid, gives.get(oid, []), receives.get(oid, []), index)
            for oid in oids}


def _summary(m: Map, oid: str, gives: list[Flow], receives: list[Flow],
             index: InsightIndex) -> OrganisationSummary:
    choices = tuple((f.id, c) for f in gives if (c := choice_of(f)) is not None)
    returned: list[str] = []
    missing: list[str] = []
    for f in gives:
        if identifiable(m, f) and analytic(m, f):
            back = insight_flows(index, oid, f.to)
            returned.extend(b.id for b in back)
            if not back:
                missing.append(f.id)
    return OrganisationSummary(oid, tuple(f.id for f in gives), tuple(f.id for f in receives),
                               choices, tuple(sorted(set(returned))), tuple(missing))
