"""`flowmap catalogue`: a built-in catalogue's authorities as text or JSON."""

from __future__ import annotations

import json
import textwrap
from collections.abc import Callable, Iterable, Mapping
from functools import partial
from typing import Any

from flowmap.load.catalogue import Catalogue
from flowmap.common.findings import Location
from flowmap.model.entities import Authority, InForce, Leg, OrgClass, Organisation, Purpose, Scope
from flowmap.report.json_report import finding_dict
from flowmap.report.text import one_line

#: width of the label column of `show`, and the width notes are wrapped to
LABEL_WIDTH = 24
WRAP_WIDTH = 88


def in_force_text(in_force: InForce) -> str:
    start, end = in_force.from_, in_force.until
    if start and end:
        return f"{start} to {end}"
    if start:
        return f"from {start}"
    if end:
        return f"until {end}"
    return "not given"


def _yes(value: bool) -> str:
    return "yes" if value else "no"


# -- list ----------------------------------------------------------------------

LIST_COLUMNS = ("ID", "TYPE", "IN FORCE", "VERIFIED", "CITATION")


def list_text(catalogue: Catalogue) -> str:
    rows = [LIST_COLUMNS] + [
        (a.id, a.type, in_force_text(a.in_force), _yes(a.verified), one_line(a.citation))
        for a in catalogue.authorities.values()
    ]
    widths = [max(len(row[i]) for row in rows) for i in range(len(LIST_COLUMNS) - 1)]
    lines = ["  ".join([*(c.ljust(w) for c, w in zip(row, widths)), row[-1]]).rstrip()
             for row in rows]
    lines.append(_footer(catalogue))
    lines += _unsettled(catalogue)
    return "\n".join(lines) + "\n"


def _footer(catalogue: Catalogue) -> str:
    count = len(catalogue.authorities)
    verified = sum(a.verified for a in catalogue.authorities.values())
    noun = "authority" if count == 1 else "authorities"
    rest = count - verified
    check = f"; {rest} not verified (check before relying on them)" if rest else ""
    return (f"{count} {noun} in catalogue {catalogue.name!r}: {verified} verified{check}; "
            "`flowmap catalogue show ID` shows one in full")


def _unsettled(catalogue: Catalogue) -> list[str]:
    """What is unsettled in each entry that is not verified."""
    rows = [(a.id, "; ".join(one_line(u) for u in a.unsettled) or
             "not recorded (see its notes)")
            for a in catalogue.authorities.values() if not a.verified]
    if not rows:
        return []
    lines = ["", "Not verified, and what is unsettled:"]
    for aid, what in rows:
        lines += textwrap.wrap(f"{aid}: {what}", WRAP_WIDTH, initial_indent="  ",
                               subsequent_indent="      ")
    return lines


#: `catalogue list --section`: the sections besides authorities, with their columns
ENTRY_SECTIONS = ("authorities", "organisations", "purposes", "classes")


def entries_text(catalogue: Catalogue, section: str) -> str:
    """Organisations, purposes or classes of a catalogue, one line each."""
    entries: Mapping[str, Organisation | Purpose | OrgClass] = getattr(catalogue, section)
    rows = [("ID", "NAME", "DETAIL")] + [
        (e.id, one_line(e.name), _entry_detail(e)) for e in entries.values()]
    widths = [max(len(row[i]) for row in rows) for i in range(2)]
    lines = [f"{r[0].ljust(widths[0])}  {r[1].ljust(widths[1])}  {r[2]}".rstrip() for r in rows]
    lines.append(f"{len(entries)} {section} in catalogue {catalogue.name!r}")
    return "\n".join(lines) + "\n"


def _entry_detail(entry: Organisation | Purpose | OrgClass) -> str:
    if isinstance(entry, Organisation):
        return entry.kind + (f", classes: {', '.join(entry.classes)}" if entry.classes else "")
    if isinstance(entry, OrgClass):
        members = [*entry.members, *(f"any {k}" for k in entry.kinds)]
        return "members: " + (", ".join(members) or "none listed")
    return one_line(entry.description) if entry.description else ""


def entries_json(catalogue: Catalogue, section: str) -> str:
    entries: Mapping[str, Any] = getattr(catalogue, section)
    return _dumps({"catalogue": catalogue.name,
                   section: [_entry_dict(catalogue, section, e) for e in entries.values()]})


def list_json(catalogue: Catalogue) -> str:
    document = {
        "catalogue": catalogue.name,
        "authorities": [authority_dict(catalogue, a) for a in catalogue.authorities.values()],
        "organisations": [_entry_dict(catalogue, "organisations", o)
                          for o in catalogue.organisations.values()],
        "purposes": [_entry_dict(catalogue, "purposes", p) for p in catalogue.purposes.values()],
        "classes": [_entry_dict(catalogue, "classes", c) for c in catalogue.classes.values()],
        "summary": {"authorities": len(catalogue.authorities),
                    "verified": sum(a.verified for a in catalogue.authorities.values())},
        "problems": [finding_dict(f) for f in catalogue.problems],
    }
    return _dumps(document)


# -- show ----------------------------------------------------------------------

def show_text(catalogue: Catalogue, authority: Authority) -> str:
    a = authority
    where = catalogue.where("authorities", a.id)
    lines = [a.id]
    lines += _fields([
        ("title", one_line(a.title)),
        ("type", a.type),
        ("role", "basis" if a.role == "basis" else
         "condition on " + ", ".join(a.applies_to) + " (authorises nothing alone)"),
        ("citation", one_line(a.citation)),
        ("short", one_line(a.short)),
        ("instrument", one_line(a.instrument)),
        ("provision", one_line(a.provision)),
        ("url", one_line(a.url)),
        ("in force", in_force_text(a.in_force)),
    ])
    lines += _legs_lines(catalogue, a.scope, a.legs, "  ")
    for version in a.versions:
        lines.append(f"  version {version.id}: {in_force_text(version.in_force)}")
        lines += _fields([(label, one_line(value)) for label, value in (
            ("title", version.title), ("instrument", version.instrument),
            ("provision", version.provision), ("url", version.url),
            ("notes", version.notes)) if value], indent="    ")
        if version.scope is not None or version.legs is not None:
            lines += _legs_lines(catalogue, version.scope or Scope(), version.legs, "    ")
    lines += _fields([
        ("onward disclosure", a.onward),
        ("needs justification", _yes(a.needs_justification)),
        ("needs consent", _yes(a.requires_consent)),
        ("verified", "yes" if a.verified else "no: check the citation before relying on it"),
        ("defined in", str(where) if where else "-"),
    ])
    lines += _list_lines("use limits", a.use_limits)
    if a.not_for:
        lines += _fields([("not to be used for", ", ".join(
            _named(catalogue.purposes, p) for p in a.not_for))])
    lines += _list_lines("unsettled", a.unsettled)
    if a.provenance is not None:
        lines.append(f"  provenance (checked {a.provenance.checked}):")
        lines += [f"    read: {one_line(source)}" for source in a.provenance.read]
    else:
        lines += _fields([("provenance", "none recorded")])
    lines.append("  notes:")
    notes = one_line(a.notes)
    lines += textwrap.wrap(notes, WRAP_WIDTH, initial_indent="    ", subsequent_indent="    ")
    return "\n".join(lines) + "\n"


def _legs_lines(catalogue: Catalogue, scope: Scope, legs: tuple[Leg, ...] | None,
                indent: str) -> list[str]:
    if legs is None:
        return [f"{indent}scope:", *_scope_lines(catalogue, scope, indent + "  ")]
    lines = []
    for leg in legs:
        lines.append(f"{indent}leg {leg.id}: {one_line(leg.title)}")
        extra = [(label, value) for label, value in (
            ("provision", one_line(leg.provision) if leg.provision else None),
            ("onward disclosure", leg.onward),
            ("verified", None if leg.verified is None else _yes(leg.verified)),
            ("notes", one_line(leg.notes) if leg.notes else None)) if value]
        lines += _fields(extra, indent=indent + "  ")
        lines += _scope_lines(catalogue, leg.scope, indent + "  ")
    return lines


def _list_lines(label: str, values: tuple[str, ...]) -> list[str]:
    if not values:
        return []
    lines = [f"  {label}:"]
    for value in values:
        lines += textwrap.wrap(one_line(value), WRAP_WIDTH, initial_indent="    - ",
                               subsequent_indent="      ")
    return lines


def _fields(pairs: Iterable[tuple[str, str]], indent: str = "  ") -> list[str]:
    width = LABEL_WIDTH - len(indent)
    return [f"{indent}{(label + ':').ljust(width)}{value}" for label, value in pairs]


def _scope_lines(catalogue: Catalogue, scope: Scope, indent: str = "    ") -> list[str]:
    named = partial(_named, catalogue.organisations)
    purpose = partial(_named, catalogue.purposes)
    classes = partial(_named, catalogue.classes)
    restrictions: list[tuple[str, tuple[str, ...] | None, Callable[[str], str]]] = [
        ("from", scope.from_, named),
        ("to", scope.to, named),
        ("parties", scope.parties, named),
        ("from kinds", scope.from_kinds, str),
        ("to kinds", scope.to_kinds, str),
        ("from classes", scope.from_classes, classes),
        ("to classes", scope.to_classes, classes),
        ("information", scope.information, str),
        ("purposes", scope.purposes, purpose),
    ]
    pairs = [(label, ", ".join(show(v) for v in values))
             for label, values, show in restrictions if values is not None]
    if not pairs:
        pairs.append(("restricts", "nothing: any parties, information and purposes"))
    pairs.append(("cross border", _yes(scope.cross_border)))
    return _fields(pairs, indent=indent)


def _named(entries: Mapping[str, Organisation | Purpose | OrgClass], id: str) -> str:
    entry = entries.get(id)
    return f"{id} ({one_line(entry.name)})" if entry is not None else id


def show_json(catalogue: Catalogue, authority: Authority) -> str:
    return _dumps(authority_dict(catalogue, authority))


# -- JSON helpers --------------------------------------------------------------

def authority_dict(catalogue: Catalogue, a: Authority) -> dict[str, Any]:
    result = _entry_dict(catalogue, "authorities", a)
    result["citation"] = a.citation
    return result


def _entry_dict(catalogue: Catalogue, section: str, entry: Any) -> dict[str, Any]:
    result: dict[str, Any] = entry.model_dump(mode="json", by_alias=True)
    result["location"] = _location_dict(catalogue.where(section, entry.id))
    return result


def _location_dict(loc: Location | None) -> dict[str, Any] | None:
    if loc is None:
        return None
    return {"file": loc.file, "line": loc.line or None, "column": loc.column or None}


def _dumps(document: Any) -> str:
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
