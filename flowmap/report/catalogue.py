"""`flowmap catalogue`: a built-in catalogue's authorities as text or JSON."""

from __future__ import annotations

import json
import textwrap
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from functools import partial
from typing import Any

from flowmap.catalogue import Catalogue
from flowmap.findings import Location
from flowmap.model import Authority, InForce, Organisation, Purpose, Scope
from flowmap.report.json_report import finding_dict

#: width of the label column of `show`, and the width notes are wrapped to
LABEL_WIDTH = 24
WRAP_WIDTH = 88


def one_line(text: str | None) -> str:
    """Text for one terminal line: whitespace collapsed, control characters made visible."""
    if not text:
        return "-"
    cleaned = " ".join(text.split())
    return "".join(
        c if unicodedata.category(c) != "Cc" else f"\\x{ord(c):02x}" for c in cleaned
    )


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
    return "\n".join(lines) + "\n"


def _footer(catalogue: Catalogue) -> str:
    count = len(catalogue.authorities)
    unverified = sum(not a.verified for a in catalogue.authorities.values())
    noun = "authority" if count == 1 else "authorities"
    check = f", {unverified} not verified (check before relying on them)" if unverified else ""
    return (f"{count} {noun} in catalogue {catalogue.name!r}{check}; "
            "`flowmap catalogue show ID` shows one in full")


def list_json(catalogue: Catalogue) -> str:
    document = {
        "catalogue": catalogue.name,
        "authorities": [authority_dict(catalogue, a) for a in catalogue.authorities.values()],
        "organisations": [_entry_dict(catalogue, "organisations", o)
                          for o in catalogue.organisations.values()],
        "purposes": [_entry_dict(catalogue, "purposes", p) for p in catalogue.purposes.values()],
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
        ("citation", one_line(a.citation)),
        ("instrument", one_line(a.instrument)),
        ("provision", one_line(a.provision)),
        ("url", one_line(a.url)),
        ("in force", in_force_text(a.in_force)),
    ])
    lines.append("  scope:")
    lines += _scope_lines(catalogue, a.scope)
    lines += _fields([
        ("onward disclosure", a.onward),
        ("needs justification", _yes(a.needs_justification)),
        ("needs consent", _yes(a.requires_consent)),
        ("verified", "yes" if a.verified else "no: check the citation before relying on it"),
        ("defined in", str(where) if where else "-"),
    ])
    lines.append("  notes:")
    notes = one_line(a.notes)
    lines += textwrap.wrap(notes, WRAP_WIDTH, initial_indent="    ", subsequent_indent="    ")
    return "\n".join(lines) + "\n"


def _fields(pairs: Iterable[tuple[str, str]], indent: str = "  ") -> list[str]:
    width = LABEL_WIDTH - len(indent)
    return [f"{indent}{(label + ':').ljust(width)}{value}" for label, value in pairs]


def _scope_lines(catalogue: Catalogue, scope: Scope) -> list[str]:
    named = partial(_named, catalogue.organisations)
    purpose = partial(_named, catalogue.purposes)
    restrictions: list[tuple[str, tuple[str, ...] | None, Callable[[str], str]]] = [
        ("from", scope.from_, named),
        ("to", scope.to, named),
        ("parties", scope.parties, named),
        ("from kinds", scope.from_kinds, str),
        ("to kinds", scope.to_kinds, str),
        ("information", scope.information, str),
        ("purposes", scope.purposes, purpose),
    ]
    pairs = [(label, ", ".join(show(v) for v in values))
             for label, values, show in restrictions if values is not None]
    if not pairs:
        pairs.append(("restricts", "nothing: any parties, information and purposes"))
    pairs.append(("cross border", _yes(scope.cross_border)))
    return _fields(pairs, indent="    ")


def _named(entries: Mapping[str, Organisation | Purpose], id: str) -> str:
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
