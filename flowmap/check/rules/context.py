"""What every check receives: the map, its graph, and shared derived facts."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

from flowmap.check.coverage import Assessment, assess
from flowmap.model.mapdata import Map
from flowmap.model.entities import Flow

if TYPE_CHECKING:
    import networkx as nx


@dataclass(frozen=True)
class Context:
    map: Map
    graph: nx.MultiDiGraph
    today: dt.date = field(default_factory=dt.date.today)

    @cached_property
    def assessments(self) -> dict[str, Assessment]:
        """The coverage assessment of every flow, by flow id."""
        return {fid: assess(self.map, flow) for fid, flow in sorted(self.map.flows.items())}

    def flows(self) -> list[Flow]:
        """The map's flows in id order."""
        return [self.map.flows[k] for k in sorted(self.map.flows)]

    def declared(self, section: str) -> list[str]:
        """Ids of a section declared by the map itself (not by a catalogue), sorted."""
        items = getattr(self.map, section)
        return sorted(i for i in items if not self.map.from_catalogue(section, i))
