"""Does a flow's legal basis really cover it? The semantics of FORMAT.md §2.

A flow is justified when, for every personal information item it carries,
at least one cited authority covers it: in force on the right date, its
scope admits the discloser, the recipient, the item's category and the
flow's purpose, allows an overseas recipient where there is one, and the
conditions it sets (consent, justification) are met.

:func:`assess` records, for every (item, authority) pair, each part of the
scope that failed, so that the FM2xx rules can say exactly why.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

from flowmap.mapdata import Map
from flowmap.model import Authority, Flow, InForce

Aspect = Literal[
    "in-force", "parties", "category", "purpose", "cross-border", "consent", "justification"
]
NO_BASIS_NEEDED = frozenset({"de-identified", "aggregate"})


@dataclass(frozen=True)
class Failure:
    aspect: Aspect
    detail: str  # completes "… cites 'x' but that authority …"


@dataclass(frozen=True)
class Check:
    """One cited authority tried against one information item."""

    item: str
    authority: str
    failures: tuple[Failure, ...]

    @property
    def covers(self) -> bool:
        return not self.failures


@dataclass(frozen=True)
class Assessment:
    flow: Flow
    needs_basis: bool
    checks: tuple[Check, ...]
    uncovered: tuple[str, ...]

    @property
    def justified(self) -> bool:
        return not self.needs_basis or not self.uncovered

    def covering(self, item: str) -> list[str]:
        """Ids of the cited authorities that cover ``item``."""
        return [c.authority for c in self.checks if c.item == item and c.covers]


def category_covers(scope: str, category: str) -> bool:
    """True when ``scope`` is ``category`` or one of its ancestors."""
    return category == scope or category.startswith(scope + ".")


def personal_items(m: Map, flow: Flow) -> list[str]:
    """The declared information items of a flow that are personal."""
    return [i for i in flow.information if i in m.information and m.information[i].is_personal]


def needs_basis(m: Map, flow: Flow) -> bool:
    return flow.identifiability not in NO_BASIS_NEEDED and bool(personal_items(m, flow))


def check_period(m: Map, flow: Flow) -> tuple[dt.date, dt.date, str] | None:
    """The days on which the basis must be in force, and how to describe them."""
    if flow.status == "historical":
        start, end = flow.since or flow.until, flow.until or flow.since
        if start is None or end is None:
            return None
        return start, end, f"the flow's dates ({start} to {end})"
    if flow.status == "proposed" and flow.since and flow.since > m.as_of:
        return flow.since, flow.since, f"the flow's planned start ({flow.since})"
    return m.as_of, m.as_of, f"the map's date ({m.as_of})"


def assess(m: Map, flow: Flow) -> Assessment:
    """Try every cited authority against every personal item of ``flow``."""
    if not needs_basis(m, flow):
        return Assessment(flow, False, (), ())
    items = personal_items(m, flow)
    authorities = [m.authorities[a] for a in dict.fromkeys(flow.basis) if a in m.authorities]
    shared = _flow_failures(m, flow)
    checks = tuple(
        Check(item, auth.id, tuple(_item_failures(m, flow, auth, item, shared)))
        for item in items
        for auth in authorities
    )
    covered = {c.item for c in checks if c.covers}
    covered |= _covered_in_turn(checks, {a.id: a for a in authorities}, check_period(m, flow))
    return Assessment(flow, True, checks, tuple(i for i in items if i not in covered))


def _covered_in_turn(checks: tuple[Check, ...], authorities: dict[str, Authority],
                     period: tuple[dt.date, dt.date, str] | None) -> set[str]:
    """Items covered by authorities in force one after another over the period.

    A historical flow may have run under one Act and then under the Act that
    replaced it (the Privacy Act 1993, then 2020): no single authority is in
    force on every day it ran, yet on every day one of them was. Such an item
    is covered when each of those authorities fails it only on being in force.
    """
    if period is None:
        return set()
    spans: dict[str, list[InForce]] = {}
    for check in checks:
        if check.failures and all(f.aspect == "in-force" for f in check.failures):
            spans.setdefault(check.item, []).append(authorities[check.authority].in_force)
    return {item for item, found in spans.items()
            if len(found) > 1 and _in_force_throughout(found, period[0], period[1])}


def _in_force_throughout(spans: list[InForce], start: dt.date, end: dt.date) -> bool:
    """True when, on every day from ``start`` to ``end``, one of ``spans`` is in force."""
    day = start
    for span in sorted(spans, key=lambda s: s.from_ or dt.date.min):
        if span.from_ is not None and span.from_ > day:
            return False
        if span.until is None:
            return True
        if span.until >= day:
            day = span.until + dt.timedelta(days=1)
        if day > end:
            return True
    return False


def _flow_failures(m: Map, flow: Flow) -> dict[str, list[Failure]]:
    """Failures that depend on the flow and the authority but not on the item."""
    period = check_period(m, flow)
    result: dict[str, list[Failure]] = {}
    for aid in dict.fromkeys(flow.basis):
        auth = m.authorities.get(aid)
        if auth is None:
            continue
        failures = [
            *_in_force(auth, period),
            *_parties(m, flow, auth),
            *_purpose(flow, auth),
            *_cross_border(m, flow, auth),
            *_conditions(flow, auth),
        ]
        result[aid] = failures
    return result


def _item_failures(m: Map, flow: Flow, auth: Authority, item: str,
                   shared: dict[str, list[Failure]]) -> list[Failure]:
    failures = list(shared.get(auth.id, ()))
    allowed = auth.scope.information
    category = m.information[item].category
    if allowed is not None and not any(category_covers(c, category) for c in allowed):
        failures.insert(0, Failure(
            "category",
            f"covers only {words(allowed)}, not {category!r}" if allowed else
            f"covers no information yet, so not {category!r}",
        ))
    return failures


def _in_force(auth: Authority, period: tuple[dt.date, dt.date, str] | None) -> list[Failure]:
    if period is None or auth.in_force.covers(period[0], period[1]):
        return []
    span = auth.in_force
    if span.from_ and span.until:
        when = f"is in force only from {span.from_} until {span.until}"
    elif span.from_:
        when = f"is in force only from {span.from_}"
    else:
        when = f"ceased to be in force after {span.until}"
    return [Failure("in-force", f"{when}, which does not cover {period[2]}")]


def _parties(m: Map, flow: Flow, auth: Authority) -> list[Failure]:
    scope = auth.scope
    failures: list[Failure] = []
    if scope.parties is not None and not (
        flow.from_ in scope.parties and flow.to in scope.parties
    ):
        failures.append(Failure(
            "parties", f"only admits disclosure between {words(scope.parties)}"))
    if scope.from_ is not None and flow.from_ not in scope.from_:
        to = f" to {words(scope.to)}" if scope.to else ""
        failures.append(Failure(
            "parties", f"only admits disclosure from {words(scope.from_)}{to}"))
    elif scope.to is not None and flow.to not in scope.to:
        failures.append(Failure("parties", f"only admits disclosure to {words(scope.to)}"))
    for side, kinds, org_id in (("disclosers", scope.from_kinds, flow.from_),
                                ("recipients", scope.to_kinds, flow.to)):
        org = m.organisations.get(org_id)
        if kinds is not None and org is not None and org.kind not in kinds:
            failures.append(Failure(
                "parties", f"only admits {side} of kind {words(kinds)}, "
                           f"and {org_id!r} is of kind {org.kind!r}"))
    return failures


def _purpose(flow: Flow, auth: Authority) -> list[Failure]:
    allowed = auth.scope.purposes
    if allowed is None or flow.purpose in allowed:
        return []
    stated = f"the flow's purpose is {flow.purpose!r}" if flow.purpose else \
        "the flow states no purpose"
    noun = "purpose" if len(allowed) == 1 else "purposes"
    return [Failure("purpose", f"covers only the {noun} {words(allowed)}, and {stated}")]


def _cross_border(m: Map, flow: Flow, auth: Authority) -> list[Failure]:
    recipient = m.organisations.get(flow.to)
    if recipient is None or auth.scope.cross_border:
        return []
    country = m.country(recipient)
    if country == m.info.jurisdiction:
        return []
    return [Failure(
        "cross-border",
        f"does not authorise disclosure overseas, and {flow.to!r} is in {country}, "
        f"outside {m.info.jurisdiction}",
    )]


def _conditions(flow: Flow, auth: Authority) -> list[Failure]:
    failures = []
    if auth.requires_consent and flow.consent is None:
        failures.append(Failure(
            "consent", "rests on the individual's consent, and the flow has no `consent` record"))
    if auth.needs_justification and not (flow.justification or "").strip():
        failures.append(Failure(
            "justification",
            "needs each flow to state why it applies, and the flow has no `justification`"))
    return failures


def words(ids: tuple[str, ...] | list[str]) -> str:
    """'a', 'a' and 'b', 'a', 'b' and 'c': quoted ids joined for a sentence."""
    quoted = [repr(i) for i in ids]
    if len(quoted) <= 1:
        return "".join(quoted) or "nothing"
    return ", ".join(quoted[:-1]) + " and " + quoted[-1]
