"""What every check receives: the map, and shared derived facts.

Rules read the map through indexes built once per check (flows in id order, each
flow's assessment, the flows leaving and reaching each organisation), so that no
rule walks the whole map per flow or per organisation. The check stage needs no
networkx graph: outputs that draw the map build one (``Result.graph``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cached_property
from operator import attrgetter

from flowmap.check.coverage import Assessment, Assessor
from flowmap.check.dpup import analytic, reviewed
from flowmap.model.mapdata import Map
from flowmap.model.entities import Flow


@dataclass(frozen=True)
class Context:
    map: Map
    today: dt.date = field(default_factory=dt.date.today)

    @cached_property
    def assessments(self) -> dict[str, Assessment]:
        """The coverage assessment of every flow, by flow id (in id order)."""
        assessor = Assessor(self.map)
        return {flow.id: assessor.assess(flow) for flow in self._flows}

    @cached_property
    def uncovered(self) -> tuple[Assessment, ...]:
        """The assessments of flows that need a basis and have an item no basis covers,
        in flow id order: the only ones the FM2xx rules have anything to say about."""
        return tuple(a for a in self.assessments.values() if a.uncovered)

    @cached_property
    def ends(self) -> frozenset[str]:
        """The organisations the map's flows start or end at."""
        return frozenset(f.from_ for f in self._flows) | frozenset(f.to for f in self._flows)

    @cached_property
    def carried(self) -> frozenset[str]:
        """The information the map's flows carry."""
        return frozenset().union(*(f.information for f in self._flows))

    @cached_property
    def cited(self) -> frozenset[str]:
        """The authorities the map's flows cite."""
        return frozenset().union(*(f.basis for f in self._flows))

    @cached_property
    def stated(self) -> frozenset[str | None]:
        """The purposes the map's flows state (None: a flow states none)."""
        return frozenset(f.purpose for f in self._flows)

    def flows(self) -> tuple[Flow, ...]:
        """The map's flows in id order."""
        return self._flows

    @cached_property
    def _flows(self) -> tuple[Flow, ...]:
        return tuple(self.map.flows[k] for k in sorted(self.map.flows))

    @cached_property
    def leaving(self) -> dict[str, list[Flow]]:
        """The flows between two declared organisations (the edges of the map's graph)
        leaving each organisation, by recipient then id; none for an organisation
        without such flows."""
        return _index(self._drawn, attrgetter("from_"), attrgetter("to", "id"))

    @cached_property
    def reaching(self) -> dict[str, list[Flow]]:
        """The flows between two declared organisations reaching each organisation, by
        discloser then id; none for an organisation without such flows."""
        return _index(self._drawn, attrgetter("to"), attrgetter("from_", "id"))

    @cached_property
    def linked(self) -> frozenset[str]:
        """The organisations with a flow to or from another declared organisation."""
        if self._all_drawn:
            return self.ends
        drawn = self._drawn
        return frozenset(f.from_ for f in drawn) | frozenset(f.to for f in drawn)

    @cached_property
    def _drawn(self) -> tuple[Flow, ...]:
        """The flows between two declared organisations, in id order."""
        if self._all_drawn:
            return self._flows
        orgs = self.map.organisations
        return tuple(f for f in self._flows if f.from_ in orgs and f.to in orgs)

    @cached_property
    def _all_drawn(self) -> bool:
        """Every flow starts and ends at a declared organisation (as in a map without
        FM102 findings)."""
        return self.ends.issubset(self.map.organisations)

    @cached_property
    def reviewed(self) -> tuple[Flow, ...]:
        """Live flows of identifiable personal information between agencies, in id order:
        the flows the DPUP lens (FM6xx) asks about (a flow to or from the person
        themselves is not a sharing of their information)."""
        return tuple(reviewed(self.map, self._flows))

    @cached_property
    def for_analysis(self) -> tuple[Flow, ...]:
        """The reviewed flows whose purpose is research, statistics, monitoring, funding or
        evaluation (worked out once per purpose), in id order."""
        by_purpose: dict[str | None, bool] = {}
        for flow in self.reviewed:
            if flow.purpose not in by_purpose:
                by_purpose[flow.purpose] = analytic(self.map, flow)
        return tuple(f for f in self.reviewed if by_purpose[f.purpose])

    def declared(self, section: str) -> list[str]:
        """Ids of a section declared by the map itself (not by a catalogue), sorted."""
        items = getattr(self.map, section)
        return sorted(i for i in items if not self.map.from_catalogue(section, i))


def _index(flows: Iterable[Flow], by: Callable[[Flow], str],
           order: Callable[[Flow], tuple[str, str]]) -> dict[str, list[Flow]]:
    index: dict[str, list[Flow]] = {}
    for flow in sorted(flows, key=order):
        index.setdefault(by(flow), []).append(flow)
    return index
