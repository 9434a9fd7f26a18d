"""Two checked maps → what changed between them.

What is compared, and how:

- **Items** of the five sections (flows, organisations, information,
  purposes, authorities) are matched by id. An item counts when the map's
  own files declare it on at least one side; items that come only from a
  built-in catalogue on both sides are left out (switching a catalogue on or
  off shows as a change of the ``map`` block's ``catalogues``).
- **Fields** are compared on the pydantic models' dumps by alias (``from``,
  not ``from_``), with defaults filled in, so writing a default out is no
  change. Nested blocks are compared key by key (``scope.from``,
  ``in_force.until``, ``consent.opt_out``). Every list in the format is a
  set (a flow's information and basis, a scope's lists, the catalogues, the
  reviews): lists are compared ignoring order and report the elements added
  and removed.
- **Findings** are matched by (code, subject kind, subject id), never by
  message or line, so moving a flow or rewording a message is no change.
  When one key has several findings, they are paired by identical message
  first, then in order. A matched finding whose severity changed (an
  acceptance added, or expired) is reported as such.
- **Flow status** (justified, warning, accepted, unjustified) is derived
  from the findings; flows on both sides whose status changed are listed.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import Any, Literal

from flowmap.review.diffsource import Side
from flowmap.common.findings import Finding, Severity
from flowmap.load.loader import Map
from flowmap.model.entities import Item
from flowmap.check.validate import FlowStatus

#: the sections compared, in the order reports show them
SECTIONS = ("flows", "organisations", "information", "purposes", "authorities")
#: the subject kind a section's items have in findings
SECTION_KIND = {"flows": "flow", "organisations": "organisation",
                "information": "information", "purposes": "purpose",
                "authorities": "authority"}
ChangeKind = Literal["added", "removed", "changed"]
CHANGE_KINDS: tuple[ChangeKind, ...] = ("added", "removed", "changed")
JSON = Any


@dataclass(frozen=True)
class FieldChange:
    """One field that differs: its dotted name (by alias) and both values (as JSON)."""

    field: str
    old: JSON
    new: JSON

    @property
    def is_list(self) -> bool:
        return isinstance(self.old, list) or isinstance(self.new, list)

    @property
    def added(self) -> list[JSON]:
        """For a list field: the elements only the new side has."""
        return _only_in(self.new, self.old)

    @property
    def removed(self) -> list[JSON]:
        """For a list field: the elements only the old side has."""
        return _only_in(self.old, self.new)


@dataclass(frozen=True)
class ItemChange:
    """An item added, removed or changed (with the fields that changed)."""

    section: str
    id: str
    kind: ChangeKind
    old: Item | None = None
    new: Item | None = None
    fields: tuple[FieldChange, ...] = ()


@dataclass(frozen=True)
class StatusChange:
    flow: str
    old: FlowStatus
    new: FlowStatus


@dataclass(frozen=True)
class SeverityChange:
    """A finding on both sides whose severity changed (e.g. an acceptance expired)."""

    old: Finding
    new: Finding


@dataclass(frozen=True)
class Diff:
    """Everything that differs between two checked maps."""

    old: Side
    new: Side
    map_fields: tuple[FieldChange, ...]
    items: tuple[ItemChange, ...]
    statuses: tuple[StatusChange, ...]
    appeared: tuple[Finding, ...]
    resolved: tuple[Finding, ...]
    severities: tuple[SeverityChange, ...]

    def section(self, name: str, kind: ChangeKind | None = None) -> list[ItemChange]:
        return [c for c in self.items if c.section == name and kind in (None, c.kind)]

    def item(self, section: str, id: str) -> ItemChange | None:
        return self._items.get((section, id))

    def status(self, flow_id: str) -> StatusChange | None:
        """How the flow's status changed, if it did."""
        return self._statuses.get(flow_id)

    @cached_property
    def _items(self) -> dict[tuple[str, str], ItemChange]:
        return {(c.section, c.id): c for c in self.items}

    @cached_property
    def _statuses(self) -> dict[str, StatusChange]:
        return {s.flow: s for s in self.statuses}

    @property
    def is_empty(self) -> bool:
        return not (self.map_fields or self.items or self.statuses or self.appeared
                    or self.resolved or self.severities)

    def new_at_or_above(self, severity: Severity) -> list[Finding]:
        """Findings that appeared at ``severity`` or above, or rose to it from below."""
        rank = severity.rank
        rose = [c.new for c in self.severities
                if c.new.severity.rank >= rank > c.old.severity.rank]
        return [f for f in self.appeared if f.severity.rank >= rank] + rose


def compare(old: Side, new: Side) -> Diff:
    """What changed from ``old`` to ``new``."""
    a, b = old.result.map, new.result.map
    items = tuple(c for s in SECTIONS for c in _section_changes(a, b, s))
    appeared, resolved, severities = match_findings(old.result.findings, new.result.findings)
    return Diff(
        old=old,
        new=new,
        map_fields=tuple(field_changes(a.info.model_dump(mode="json", by_alias=True),
                                       b.info.model_dump(mode="json", by_alias=True))),
        items=items,
        statuses=tuple(_status_changes(old, new)),
        appeared=appeared,
        resolved=resolved,
        severities=severities,
    )


# -- items -----------------------------------------------------------------------

def _declared(m: Map, section: str) -> set[str]:
    items: Mapping[str, Item] = getattr(m, section)
    return {i for i in items if not m.from_catalogue(section, i)}


def _section_changes(a: Map, b: Map, section: str) -> Iterator[ItemChange]:
    old: Mapping[str, Item] = getattr(a, section)
    new: Mapping[str, Item] = getattr(b, section)
    changes: dict[ChangeKind, list[ItemChange]] = {k: [] for k in CHANGE_KINDS}
    for id in sorted(_declared(a, section) | _declared(b, section)):
        before, after = old.get(id), new.get(id)
        if before is None and after is not None:
            changes["added"].append(ItemChange(section, id, "added", new=after))
        elif after is None and before is not None:
            changes["removed"].append(ItemChange(section, id, "removed", old=before))
        elif before is not None and after is not None:
            fields = tuple(field_changes(_dump(before), _dump(after)))
            if fields:
                changes["changed"].append(ItemChange(section, id, "changed", before, after,
                                                     fields))
    for kind in CHANGE_KINDS:
        yield from changes[kind]


def _dump(item: Item) -> dict[str, JSON]:
    dumped: dict[str, JSON] = item.model_dump(mode="json", by_alias=True)
    # an agency's own `x-` fields (flows and organisations) are compared too
    dumped.update(json.loads(json.dumps(getattr(item, "own", {}), default=str)))
    return dumped


def field_changes(old: Mapping[str, JSON], new: Mapping[str, JSON],
                  prefix: str = "") -> Iterator[FieldChange]:
    """The fields that differ between two dumps, nested blocks key by key."""
    for key in sorted(set(old) | set(new)):
        a, b = old.get(key), new.get(key)
        name = f"{prefix}{key}"
        if isinstance(a, dict) and isinstance(b, dict):
            yield from field_changes(a, b, f"{name}.")
        elif _canonical(a) != _canonical(b):
            yield FieldChange(name, _sorted_if_list(a), _sorted_if_list(b))


def _canonical(value: JSON) -> str:
    """A value as text, lists in a fixed order (every list of the format is a set)."""
    return json.dumps(_sorted_if_list(value), sort_keys=True, ensure_ascii=False)


def _sorted_if_list(value: JSON) -> JSON:
    if isinstance(value, list):
        return sorted(value, key=lambda v: json.dumps(v, sort_keys=True, ensure_ascii=False))
    return value


def _only_in(these: JSON, those: JSON) -> list[JSON]:
    if not isinstance(these, list):
        return []
    theirs = {_canonical(v) for v in those} if isinstance(those, list) else set()
    return [v for v in these if _canonical(v) not in theirs]


def _status_changes(old: Side, new: Side) -> Iterator[StatusChange]:
    a, b = old.result, new.result
    for fid in sorted(set(a.map.flows) & set(b.map.flows)):
        before, after = a.flow_status(fid), b.flow_status(fid)
        if before != after:
            yield StatusChange(fid, before, after)


# -- findings --------------------------------------------------------------------

FindingKey = tuple[str, str, str]


def finding_key(f: Finding) -> FindingKey:
    return (f.code, f.subject.kind, f.subject.id)


def _by_key(findings: Iterable[Finding]) -> dict[FindingKey, list[Finding]]:
    grouped: dict[FindingKey, list[Finding]] = {}
    for f in findings:
        grouped.setdefault(finding_key(f), []).append(f)
    return grouped


def _pair(old: list[Finding], new: list[Finding]) -> tuple[
        list[tuple[Finding, Finding]], list[Finding], list[Finding]]:
    """Pair one key's findings: same message first, then in order.
    Returns (pairs, only old, only new)."""
    left, right = list(old), list(new)
    pairs = []
    for f in list(right):
        twin = next((g for g in left if g.message == f.message), None)
        if twin is not None:
            pairs.append((twin, f))
            left.remove(twin)
            right.remove(f)
    count = min(len(left), len(right))
    pairs.extend(zip(left[:count], right[:count], strict=True))
    return pairs, left[count:], right[count:]


def match_findings(old: Iterable[Finding], new: Iterable[Finding]) -> tuple[
        tuple[Finding, ...], tuple[Finding, ...], tuple[SeverityChange, ...]]:
    """(appeared, resolved, severity changed), each in a stable order."""
    a, b = _by_key(old), _by_key(new)
    appeared: list[Finding] = []
    resolved: list[Finding] = []
    severities: list[SeverityChange] = []
    for key in sorted(set(a) | set(b)):
        pairs, gone, came = _pair(a.get(key, []), b.get(key, []))
        appeared.extend(came)
        resolved.extend(gone)
        severities.extend(SeverityChange(x, y) for x, y in pairs
                          if (x.severity, x.accepted) != (y.severity, y.accepted))
    order = Finding.sort_key
    return (tuple(sorted(appeared, key=order)), tuple(sorted(resolved, key=order)),
            tuple(sorted(severities, key=lambda c: c.new.sort_key())))
