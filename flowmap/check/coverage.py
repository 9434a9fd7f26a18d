"""Does a flow's legal basis really cover it? The semantics of FORMAT.md §2.

A flow is justified when, for every personal information item it carries,
at least one cited *basis* covers it: in force on the right date, and one of
its legs (the directions the provision allows) admits the discloser, the
recipient, the item's category and the flow's purpose, allows an overseas
recipient where there is one (alone, or with a cited condition such as
IPP 12 met), and the conditions it sets (consent, justification) are met.
Where an authority has versions, the version in force on the day that
matters is used; a period spanning versions must be covered by each.

A *condition* (``role: condition``) authorises nothing alone; a flow resting
only on conditions is uncovered. Custody by an agent (``transfer: agent``) is
not a disclosure and needs no basis.

:func:`assess` records, for every (item, authority) pair, each part of the
scope that failed on the leg that came closest, so that the FM2xx rules can
say exactly why.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Literal

from flowmap.model.mapdata import Map
from flowmap.model.entities import Authority, Flow, InForce, Leg, Scope, Version

Aspect = Literal[
    "in-force", "parties", "category", "purpose", "cross-border", "consent", "justification",
    "condition",
]
NO_BASIS_NEEDED = frozenset({"de-identified", "aggregate"})
#: a period: first day, last day, and how to describe it in a message
Period = tuple[dt.date, dt.date, str]


@dataclass(frozen=True)
class Failure:
    aspect: Aspect
    detail: str  # completes "… cites 'x' but that authority …"


@dataclass(frozen=True)
class Check:
    """One cited authority tried against one information item.

    ``leg`` and ``version`` say which part of the authority covered the item
    or, when it is not covered, came closest (None: the authority as a whole).
    """

    item: str
    authority: str
    failures: tuple[Failure, ...]
    leg: Leg | None = None
    version: Version | None = None
    #: whether the authority has versions (so the one tried is worth naming)
    amended: bool = False

    @property
    def covers(self) -> bool:
        return not self.failures

    @property
    def part(self) -> str:
        """' (leg …, version from …)': which part of the authority was tried, or ''."""
        parts = []
        if self.leg is not None:
            parts.append(f"leg {self.leg.id!r}: {self.leg.title}")
        if self.version is not None:
            parts.append(f"as amended from {self.version.in_force.from_} "
                         f"(version {self.version.id!r})")
        elif self.amended:
            parts.append("as first made, before its amendments")
        return f" ({'; '.join(parts)})" if parts else ""


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

    def covering_checks(self, item: str) -> list[Check]:
        return [c for c in self.checks if c.item == item and c.covers]

    @cached_property
    def explaining(self) -> tuple[Check, ...]:
        """The checks that say why each uncovered item is uncovered.

        An authority that fails an item only on its category, while covering another
        item of the flow, was cited for that other item and is left out, unless no
        other cited authority is left to explain the item: every uncovered item must
        be reported.
        """
        covering = {c.authority for c in self.checks if c.covers}
        result: list[Check] = []
        for item in self.uncovered:
            checks = [c for c in self.checks if c.item == item]
            meant = [c for c in checks if not (c.authority in covering and _only_category(c))]
            result.extend(meant or checks)
        return tuple(result)

    @cached_property
    def failing(self) -> dict[Aspect, dict[tuple[str, str, str], list[str]]]:
        """For each part of a scope, (authority, part tried, detail) → the items that
        fail on it, among the checks :attr:`explaining` the uncovered items; worked out
        once for the FM2xx rules, each of which reports one part."""
        grouped: dict[Aspect, dict[tuple[str, str, str], list[str]]] = {}
        for check in self.explaining:
            for failure in check.failures:
                grouped.setdefault(failure.aspect, {}).setdefault(
                    (check.authority, check.part, failure.detail), []).append(check.item)
        return grouped


def _only_category(check: Check) -> bool:
    return {f.aspect for f in check.failures} == {"category"}


def category_covers(scope: str, category: str) -> bool:
    """True when ``scope`` is ``category`` or one of its ancestors."""
    return category == scope or category.startswith(scope + ".")


def personal_items(m: Map, flow: Flow) -> list[str]:
    """The declared information items of a flow that are personal."""
    return [i for i in flow.information if i in m.information and m.information[i].is_personal]


def needs_basis(m: Map, flow: Flow) -> bool:
    """Identified personal information disclosed (not merely held by an agent)."""
    return (flow.transfer == "disclosure" and flow.identifiability not in NO_BASIS_NEEDED
            and bool(personal_items(m, flow)))


def check_period(m: Map, flow: Flow) -> Period | None:
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
    """Try every cited basis against every personal item of ``flow``."""
    return Assessor(m).assess(flow)


#: the versions of an authority in force over a period, each with its legs
Spans = list[tuple[Version | None, tuple[Leg, ...]]]


class Assessor:
    """Assessing the flows of one map, reusing what flows have in common.

    Most parts of an assessment depend on far fewer inputs than the whole flow:
    whether an authority is in force (and which of its versions and legs apply)
    depends only on the authority and the period; whether a leg admits the
    parties, only on the leg and the two organisations; whether it covers an item,
    only on the leg and the item. Each part is worked out once per map and shared
    by every flow that needs it, so a map of 20,000 flows is assessed from a few
    thousand such parts. The parts are plain values (failures are frozen), so a
    shared one is the same as one made again.
    """

    def __init__(self, m: Map) -> None:
        self.m = m
        #: declared items of personal information
        self.personal = frozenset(i for i, info in m.information.items() if info.is_personal)
        #: organisations outside the map's jurisdiction
        self.abroad = frozenset(o for o, org in m.organisations.items()
                                if m.country(org) != m.info.jurisdiction)
        self._cited: dict[tuple[str, ...], tuple[list[Authority], list[Authority]]] = {}
        self._dated: dict[tuple[str, Period | None], tuple[tuple[Failure, ...], Spans]] = {}
        self._parties: dict[tuple[int, str, str], list[Failure]] = {}
        #: each declared item's categories
        self.categories = {i: info.categories for i, info in m.information.items()}
        self._category: dict[tuple[tuple[str, ...], tuple[str, ...]], Failure | None] = {}

    def assess(self, flow: Flow) -> Assessment:
        """Try every cited basis against every personal item of ``flow``."""
        items = [i for i in flow.information if i in self.personal]
        if (flow.transfer != "disclosure" or flow.identifiability in NO_BASIS_NEEDED
                or not items):  # needs_basis
            return Assessment(flow, False, (), ())
        bases, conditions = self.cited(flow.basis)
        period = check_period(self.m, flow)
        if bases:
            tried = _Tried(self, flow, period, conditions)
            checks = tuple([tried.check(auth, item) for item in items for auth in bases])
        else:  # resting on conditions alone: each says what it still needs
            checks = tuple(Check(item, c.id, (_alone(self.m, c),)) for item in items
                           for c in conditions)
        covered = {c.item for c in checks if not c.failures}
        if len(bases) > 1:  # only several bases can cover an item in turn
            covered |= _covered_in_turn(checks, {a.id: a for a in bases}, period)
        return Assessment(flow, True, checks, tuple(i for i in items if i not in covered))

    def cited(self, basis: tuple[str, ...]) -> tuple[list[Authority], list[Authority]]:
        """The declared bases and conditions among ``basis``, each once, in order."""
        found = self._cited.get(basis)
        if found is None:
            authorities = self.m.authorities
            cited = [authorities[a] for a in dict.fromkeys(basis) if a in authorities]
            found = self._cited[basis] = ([a for a in cited if a.role == "basis"],
                                          [a for a in cited if a.role == "condition"])
        return found

    def dated(self, auth: Authority, period: Period | None) -> tuple[tuple[Failure, ...], Spans]:
        """Why ``auth`` is not in force over ``period`` (nothing if it is), and the
        versions in force over it with their legs."""
        key = (auth.id, period)
        found = self._dated.get(key)
        if found is None:
            in_force = tuple(_in_force(auth.in_force, period))
            found = self._dated[key] = (in_force, [] if in_force else _spans(auth, period))
        return found

    def shared(self, flow: Flow, auth: Authority, scope: Scope, conditions: list[Authority],
               period: Period | None) -> list[Failure]:
        """Why a leg with ``scope`` does not admit ``flow``, whatever the item (nothing
        if it does): parties, purpose, disclosure overseas and what the authority
        requires of each flow."""
        key = (id(scope), flow.from_, flow.to)
        failures = self._parties.get(key)
        if failures is None:
            failures = self._parties[key] = _parties(self.m, flow, scope)
        if scope.purposes is not None and flow.purpose not in scope.purposes:
            failures = [*failures, *_purpose(flow, scope)]
        if flow.to in self.abroad and not scope.cross_border:
            failures = [*failures, *_cross_border(self.m, flow, auth, scope, conditions,
                                                  period)]
        if auth.requires_consent or auth.needs_justification:
            failures = [*failures, *_requirements(flow, auth)]
        return failures

    def category(self, scope: Scope, item: str) -> Failure | None:
        """Why ``scope`` does not cover the categories of ``item`` (None if it does)."""
        allowed = scope.information
        if allowed is None:
            return None
        key = (allowed, self.categories[item])
        if key not in self._category:
            self._category[key] = _category(*key)
        return self._category[key]


def _category(allowed: tuple[str, ...], categories: tuple[str, ...]) -> Failure | None:
    """Why a scope covering only ``allowed`` does not cover ``categories`` (None if it
    does)."""
    missing = [c for c in categories if not any(category_covers(a, c) for a in allowed)]
    if not missing:
        return None
    return Failure(
        "category",
        f"covers only {words(allowed)}, not {words(missing)}" if allowed else
        f"covers no information yet, so not {words(missing)}",
    )


def _alone(m: Map, condition: Authority) -> Failure:
    named = [m.authorities[a].citation if a in m.authorities else a for a in condition.applies_to]
    return Failure(
        "condition",
        f"is a condition on disclosures under {_listed(named)} and authorises nothing alone",
    )


@dataclass
class _Tried:
    """Trying cited bases against one flow's items; failures that do not depend on the
    item are worked out once per (authority, version, leg)."""

    assessor: Assessor
    flow: Flow
    period: Period | None
    conditions: list[Authority]

    def __post_init__(self) -> None:
        self._shared: dict[tuple[str, int, int], list[Failure]] = {}

    def check(self, auth: Authority, item: str) -> Check:
        in_force, spans = self.assessor.dated(auth, self.period)
        if in_force:
            return Check(item, auth.id, in_force)
        covering: Check | None = None
        amended = bool(auth.versions)
        for version, legs in spans:
            tried = [(leg, self._failures(auth, version, index, leg, item))
                     for index, leg in enumerate(legs)]
            fits = [leg for leg, failures in tried if not failures]
            if fits:
                covering = Check(item, auth.id, (), _explicit(auth, version, fits[0]), version,
                                 amended)
                continue
            leg, failures = min(tried, key=_closeness)
            return Check(item, auth.id, tuple(failures), _explicit(auth, version, leg), version,
                         amended)
        assert covering is not None
        return covering

    def _failures(self, auth: Authority, version: Version | None, index: int, leg: Leg,
                  item: str) -> list[Failure]:
        key = (auth.id, id(version), index)
        shared = self._shared.get(key)
        if shared is None:
            shared = self._shared[key] = self.assessor.shared(
                self.flow, auth, leg.scope, self.conditions, self.period)
        category = self.assessor.category(leg.scope, item)
        return shared if category is None else [category, *shared]


def _closeness(tried: tuple[Leg, list[Failure]]) -> tuple[bool, int]:
    """The leg meant is the one whose parties fit; then the one with fewest failures."""
    failures = tried[1]
    return any(f.aspect == "parties" for f in failures), len(failures)


def legs_of(auth: Authority, version: Version | None = None) -> tuple[Leg, ...]:
    """The legs in force under ``version`` (or the authority as first made): its own legs,
    else one leg standing for the whole scope."""
    if version is not None and version.legs is not None:
        return version.legs
    if version is not None and version.scope is not None:
        return (_whole(auth, version.scope),)
    return auth.legs if auth.legs is not None else (_whole(auth, auth.scope),)


def named_legs(auth: Authority) -> list[Leg]:
    """Every leg the authority names, in any of its versions."""
    return [*(auth.legs or ()), *(leg for v in auth.versions for leg in v.legs or ())]


def _whole(auth: Authority, scope: Scope) -> Leg:
    return Leg(id="whole", title=auth.title, scope=scope)


def _explicit(auth: Authority, version: Version | None, leg: Leg) -> Leg | None:
    """``leg`` when the authority names its legs (so a message should name it)."""
    named = version.legs if version is not None and version.legs is not None else auth.legs
    return leg if named is not None else None


def _spans(auth: Authority, period: Period | None) -> list[tuple[Version | None, tuple[Leg, ...]]]:
    """The versions in force over ``period``, each with its legs (None: the authority as
    first made, for days no version covers)."""
    if period is None or not auth.versions:
        return [(None, legs_of(auth))]
    start, end = period[0], period[1]
    current = [v for v in auth.versions if _overlaps(v.in_force, start, end)]
    spans: list[tuple[Version | None, tuple[Leg, ...]]] = []
    if not current or not in_force_throughout([v.in_force for v in current], start, end):
        spans.append((None, legs_of(auth)))
    spans += [(v, legs_of(auth, v)) for v in sorted(current, key=lambda v: v.in_force.from_
                                                    or dt.date.min)]
    return spans


def _overlaps(span: InForce, start: dt.date, end: dt.date) -> bool:
    return (span.from_ is None or span.from_ <= end) and (span.until is None or span.until >= start)


def _covered_in_turn(checks: tuple[Check, ...], authorities: dict[str, Authority],
                     period: Period | None) -> set[str]:
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
            if len(found) > 1 and in_force_throughout(found, period[0], period[1])}


def in_force_throughout(spans: Sequence[InForce], start: dt.date, end: dt.date) -> bool:
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


def _in_force(span: InForce, period: Period | None) -> list[Failure]:
    if period is None or span.covers(period[0], period[1]):
        return []
    if span.from_ and span.until:
        when = f"is in force only from {span.from_} until {span.until}"
    elif span.from_:
        when = f"is in force only from {span.from_}"
    else:
        when = f"ceased to be in force after {span.until}"
    return [Failure("in-force", f"{when}, which does not cover {period[2]}")]


def _parties(m: Map, flow: Flow, scope: Scope) -> list[Failure]:
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
    for side, classes, org_id in (("disclosers", scope.from_classes, flow.from_),
                                  ("recipients", scope.to_classes, flow.to)):
        org = m.organisations.get(org_id)
        if classes is not None and org is not None and not any(
                m.in_class(org, c) for c in classes):
            failures.append(Failure(
                "parties", f"only admits {side} in the class {_classes(m, classes)}, and "
                           f"{org_id!r} is not in it (if it is, list the class under the "
                           "organisation's `classes:`)"))
    return failures


def _classes(m: Map, classes: tuple[str, ...]) -> str:
    named = [f"{c!r} ({m.classes[c].name})" if c in m.classes else repr(c) for c in classes]
    return _listed(named, "or")


def _purpose(flow: Flow, scope: Scope) -> list[Failure]:
    allowed = scope.purposes
    if allowed is None or flow.purpose in allowed:
        return []
    stated = f"the flow's purpose is {flow.purpose!r}" if flow.purpose else \
        "the flow states no purpose"
    noun = "purpose" if len(allowed) == 1 else "purposes"
    return [Failure("purpose", f"covers only the {noun} {words(allowed)}, and {stated}")]


def _cross_border(m: Map, flow: Flow, auth: Authority, scope: Scope,
                  conditions: list[Authority], period: Period | None) -> list[Failure]:
    recipient = m.organisations.get(flow.to)
    if recipient is None or scope.cross_border:
        return []
    country = m.country(recipient)
    if country == m.info.jurisdiction:
        return []
    where = f"{flow.to!r} is in {country}, outside {m.info.jurisdiction}"
    cited = [c for c in conditions if auth.id in c.applies_to and c.scope.cross_border]
    for condition in cited:
        unmet = [*_in_force(condition.in_force, period), *_parties(m, flow, condition.scope),
                 *_requirements(flow, condition)]
        if not unmet:
            return []
        return [Failure(
            unmet[0].aspect if unmet[0].aspect in ("consent", "justification")
            else "cross-border",
            f"may go overseas ({where}) only under {condition.id!r}, which "
            f"{unmet[0].detail}")]
    known = sorted(c.id for c in m.authorities.values()
                   if c.role == "condition" and auth.id in c.applies_to and c.scope.cross_border)
    if known:
        return [Failure(
            "cross-border",
            f"does not authorise disclosure overseas on its own, and {where}: cite "
            f"{words(known)} as well and meet its conditions")]
    return [Failure("cross-border", f"does not authorise disclosure overseas, and {where}")]


def _requirements(flow: Flow, auth: Authority) -> list[Failure]:
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
    return _listed([repr(i) for i in ids])


def _listed(parts: Sequence[str], conjunction: str = "and") -> str:
    if len(parts) <= 1:
        return "".join(parts) or "nothing"
    return ", ".join(parts[:-1]) + f" {conjunction} " + parts[-1]
