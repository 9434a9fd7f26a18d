"""The loaded map as a value: every section merged, with where each item came from."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field

from flowmap.common.findings import Finding, Location
from flowmap.model.entities import (
    Authority, Flow, Information, MapInfo, OrgClass, Organisation, Purpose,
)
from flowmap.read.yamlsource import Document, PathKey


#: the class of agencies bound by a health information code (the HIPC binds health agencies only)
HEALTH_AGENCY_CLASS = "health-agency"


@dataclass(frozen=True, slots=True)
class Origin:
    """Where an item was declared: its file and its path within the file."""

    document: Document
    path: PathKey

    def at(self, *sub: str | int) -> Location:
        """Location of a key or list item inside the item (or of the item itself)."""
        return self.document.location((*self.path, *sub))

    @property
    def location(self) -> Location:
        return self.document.location(self.path)


@dataclass(frozen=True)
class Component:
    """One of the maps a composed map was made from (an agency's own map)."""

    id: str
    title: str
    owner: str | None
    files: tuple[str, ...]
    #: where the map was given or included: its directory or file
    source: str = ""
    #: where its `owner:` is written
    owner_location: Location | None = None


@dataclass(frozen=True)
class Map:
    """A whole map: every section merged over its files and catalogues."""

    info: MapInfo
    as_of: dt.date
    organisations: Mapping[str, Organisation]
    information: Mapping[str, Information]
    purposes: Mapping[str, Purpose]
    authorities: Mapping[str, Authority]
    flows: Mapping[str, Flow]
    origins: Mapping[tuple[str, str], Origin]
    catalogued: frozenset[tuple[str, str]] = frozenset()
    map_origin: Origin | None = None
    #: items declared with an id but not read because of errors: (section, id) → where
    refused: Mapping[tuple[str, str], Location] = field(default_factory=dict)
    #: the maps this one was composed from (one, unless several were given or included)
    components: tuple[Component, ...] = ()
    #: classes of organisations that authorities' scopes can name
    classes: Mapping[str, OrgClass] = field(default_factory=dict)
    #: items kept without some of their fields, which were wrong and are reported:
    #: (section, id) → the keys left out
    partial: Mapping[tuple[str, str], tuple[str, ...]] = field(default_factory=dict)
    #: where each item, file or included map that could not be read at all was written
    #: (named or not), so that no output claims a complete map
    not_read: tuple[Location, ...] = ()

    @property
    def incomplete(self) -> bool:
        """True when part of the map was not read, or read without some fields."""
        return bool(self.not_read or self.partial)

    def completeness_note(self) -> str:
        """'2 items could not be read and 1 was read in part: ...', or '' when complete."""
        if not self.incomplete:
            return ""
        parts = []
        if self.not_read:
            n = len(self.not_read)
            parts.append(f"{n} part{' was' if n == 1 else 's were'} not read (an item, "
                         "a section, a file or an included map)")
        if self.partial:
            n = len(self.partial)
            parts.append(f"{n} item{' was' if n == 1 else 's were'} read without "
                         "a wrong field")
        return (" and ".join(parts) + "; the map may have more flows, or other findings, "
                "than shown: fix the errors reported first")

    def origin(self, section: str, id: str) -> Origin | None:
        return self.origins.get((section, id))

    def where(self, section: str, id: str, *sub: str | int) -> Location | None:
        origin = self.origins.get((section, id))
        return origin.at(*sub) if origin else None

    def from_catalogue(self, section: str, id: str) -> bool:
        return (section, id) in self.catalogued

    def country(self, org: Organisation) -> str:
        return org.country or self.info.jurisdiction

    def in_class(self, org: Organisation, class_id: str) -> bool:
        """True when ``org`` belongs to class ``class_id``: named by the class or by the
        organisation, or of a kind the class takes. An organisation's `health_agency`
        flag decides its membership of the class ``health-agency`` when given."""
        if class_id == HEALTH_AGENCY_CLASS and org.health_agency is not None:
            return org.health_agency
        if class_id in org.classes:
            return True
        found = self.classes.get(class_id)
        return found is not None and (org.id in found.members or org.kind in found.kinds)

    def is_health_agency(self, org: Organisation) -> bool:
        """A health agency: in the class ``health-agency`` where the map has it, else by
        kind (health-provider) or the organisation's own `health_agency` flag."""
        if HEALTH_AGENCY_CLASS in self.classes:
            return self.in_class(org, HEALTH_AGENCY_CLASS)
        return org.is_health_agency

    def label(self, oid: str) -> str:
        """An organisation's short label for drawings and messages (its id if unknown)."""
        org = self.organisations.get(oid)
        return org.label if org else oid

    def ends(self, flow: Flow) -> str:
        """'IR → ACC': a flow's discloser and recipient, by their labels."""
        return f"{self.label(flow.from_)} → {self.label(flow.to)}"

    def component_of(self, location: Location | None) -> Component | None:
        """The component map whose files hold ``location``."""
        if location is None:
            return None
        return next((c for c in self.components if location.file in c.files), None)


@dataclass(frozen=True)
class Loaded:
    """What loading returns: the map and every problem found on the way."""

    map: Map
    findings: tuple[Finding, ...]
