"""The register of flows: one row per flow, for a publication's appendix.

Rows are plain values (:class:`Row`); Markdown, CSV and XLSX are written from
them, each escaping for its own format: Markdown table cells lose their power
to break the table or inject HTML, and CSV and XLSX cells that a spreadsheet
would run as a formula are prefixed with an apostrophe. CSV and XLSX have the
columns `flowmap import` reads back; their modules (the round-trip columns, the
workbook writer) are imported only by them, so the default Markdown register does
not pay for them.
"""

from __future__ import annotations

import csv
import functools
import io
import re
import urllib.parse
from collections.abc import Iterable
from dataclasses import dataclass, fields
from operator import attrgetter
from typing import TYPE_CHECKING

from pydantic import BaseModel

from flowmap.model.mapdata import Map
from flowmap.model.entities import Flow
from flowmap.check.rules.registry import BY_CODE
from flowmap.check.validate import Result

if TYPE_CHECKING:
    from flowmap.author.roundtrip import Column


@dataclass(frozen=True, slots=True)  # slots: a frozen row is made 3x as fast
class Row:
    flow: str
    discloser: str
    recipient: str
    information: str
    category: str
    purpose: str
    basis: str
    links: str
    identifiability: str
    lifecycle: str
    frequency: str
    notes: str
    status: str
    findings: str
    #: the round-trip columns (flowmap.author.roundtrip): the flow's other keys
    extra: tuple[str, ...] = ()


HEADINGS = {
    "flow": "Flow", "discloser": "From", "recipient": "To", "information": "Information",
    "category": "Category", "purpose": "Purpose", "basis": "Legal basis", "links": "Links",
    "identifiability": "Identifiability", "lifecycle": "Lifecycle", "frequency": "Frequency",
    "notes": "Notes", "status": "Status", "findings": "Findings",
}
#: columns of the CSV and XLSX registers (the layout `flowmap import` reads) that the
#: Markdown table leaves out (links are shown beside the basis instead)
NOT_IN_MARKDOWN = ("links", "category", "frequency", "notes", "extra")


def rows(result: Result, flows: Iterable[str] | None = None, *,
         round_trip: bool = False) -> list[Row]:
    """One row per flow (all, or the given ids), sorted by discloser, recipient, id;
    with ``round_trip``, each row's :attr:`Row.extra` holds the round-trip columns
    (the CSV and XLSX registers; Markdown and HTML do not show them)."""
    m = result.map
    texts = _Texts(result)
    name = texts.name
    ids = sorted(flows if flows is not None else m.flows,
                 key=lambda f: (name(m.flows[f].from_), name(m.flows[f].to), f))
    own = own_keys(result) if round_trip else None
    return [_row(result, fid, own, texts) for fid in ids]


def own_keys(result: Result) -> list[str]:
    """The agency's own keys (``x-...``) on the map's flows: a column each."""
    from flowmap.author import roundtrip

    return roundtrip.own_keys(f.own for f in result.map.flows.values())


def _name(m: Map, oid: str) -> str:
    org = m.organisations.get(oid)
    return org.name if org else oid


class _Texts:
    """The cells flows share (the same organisations, information, bases and
    findings come back row after row), each made once per register."""

    def __init__(self, result: Result) -> None:
        self.map = result.map
        self.names = {oid: org.name for oid, org in self.map.organisations.items()}
        self.information = functools.cache(self._information)
        self.category = functools.cache(self._category)
        self.basis = functools.cache(self._basis)
        self.links = functools.cache(self._links)
        self.findings = functools.cache(self._findings)

    def name(self, oid: str) -> str:
        return self.names.get(oid, oid)

    def _information(self, ids: tuple[str, ...]) -> str:
        info = self.map.information
        return "; ".join(info[i].name if i in info else i for i in ids)

    def _category(self, ids: tuple[str, ...]) -> str:
        info = self.map.information
        return "; ".join(", ".join(info[i].categories) if i in info else "" for i in ids)

    def _basis(self, ids: tuple[str, ...]) -> str:
        auths = [self.map.authorities.get(a) for a in ids]
        return "; ".join(a.citation + ("" if a.verified else " (unverified)") if a else aid
                         for a, aid in zip(auths, ids, strict=True)) or "none cited"

    def _links(self, ids: tuple[str, ...]) -> str:
        auths = [self.map.authorities.get(a) for a in ids]
        return " ".join(a.url for a in auths if a and a.url)

    def _findings(self, found: tuple[tuple[str, bool], ...]) -> str:
        return "; ".join(dict.fromkeys(
            f"{code} {BY_CODE[code].title}{' (accepted)' if accepted else ''}"
            for code, accepted in found))


def _row(result: Result, fid: str, own: list[str] | None, texts: _Texts) -> Row:
    """The row of flow ``fid``; its round-trip cells only when ``own`` (the agency's
    keys) is given."""
    m = result.map
    flow = m.flows[fid]
    purpose = m.purposes.get(flow.purpose) if flow.purpose else None
    information, basis = tuple(flow.information), tuple(flow.basis)
    return Row(
        flow=fid,
        discloser=texts.name(flow.from_),
        recipient=texts.name(flow.to),
        information=texts.information(information),
        category=texts.category(information),
        purpose=purpose.name if purpose else (flow.purpose or ""),
        basis=texts.basis(basis),
        links=texts.links(basis),
        identifiability=flow.identifiability,
        lifecycle=flow.status,
        frequency=flow.frequency or "",
        notes=flow.description or "",
        status=result.flow_status(fid),
        findings=texts.findings(tuple((f.code, f.accepted) for f in result.for_flow(fid))),
        extra=() if own is None else _round_trip(flow, own),
    )


def _round_trip(flow: Flow, own: list[str]) -> tuple[str, ...]:
    from flowmap.author import roundtrip

    data = flow.model_dump(by_alias=True, exclude_defaults=True)
    return (*(roundtrip.cell(data, c) for c in roundtrip.columns()),
            *roundtrip.own_cells(flow.own, own))


# -- Markdown ------------------------------------------------------------------

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>|#!])")


def md_cell(value: str) -> str:
    """Text that stays literal inside a Markdown table cell (control characters,
    such as a terminal's escape sequences, shown as U+FFFD)."""
    return _MD_SPECIAL.sub(r"\\\1", " ".join(_CONTROL.sub("\ufffd", value).split()))


#: C0 and C1 control characters (ESC, BEL, NUL, CSI ...) but not whitespace
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def md_url(url: str) -> str:
    """A URL safe inside Markdown's <...> autolink: anything but printable ASCII
    (spaces, angle brackets, control characters, NUL) percent-encoded."""
    return urllib.parse.quote(url, safe="!#$&'()*+,/:;=?@[]~%-._")


def to_markdown(result: Result, *, by: str = "flow") -> str:
    """The register as Markdown: one table of every flow, or (``by="organisation"``)
    a section per organisation with the flows it discloses and receives."""
    m = result.map
    lines = [f"# {md_cell(m.info.title)}: register of flows", "",
             f"As of {m.as_of}. {len(m.flows)} flows.", ""]
    if m.incomplete:
        lines += [f"**Not the whole map:** {md_cell(m.completeness_note())}.", ""]
    all_rows = rows(result)
    if by != "organisation":
        return "\n".join(lines + _md_table(all_rows)) + "\n"
    out: dict[str, list[Row]] = {}  # each organisation's rows, found in one pass
    into: dict[str, list[Row]] = {}
    for row in all_rows:
        flow = m.flows[row.flow]
        out.setdefault(flow.from_, []).append(row)
        into.setdefault(flow.to, []).append(row)
    for oid in sorted(out.keys() | into.keys(), key=lambda o: (_name(m, o).lower(), o)):
        lines += [f"## {md_cell(_name(m, oid))}", ""]
        for heading, chosen in (("Discloses", out.get(oid, [])),
                                ("Receives", into.get(oid, []))):
            if chosen:
                lines += [f"### {heading}", "", *_md_table(chosen), ""]
    return "\n".join(lines).rstrip("\n") + "\n"


def _md_table(chosen: list[Row]) -> list[str]:
    names = [f.name for f in fields(Row) if f.name not in NOT_IN_MARKDOWN]
    basis = names.index("basis")
    values_of = attrgetter(*names)
    cell = functools.cache(md_cell)  # cells repeat (names, citations, statuses)
    lines = ["| " + " | ".join(HEADINGS[n] for n in names) + " |",
             "|" + " --- |" * len(names)]
    for row in chosen:
        cells = [cell(value) for value in values_of(row)]
        if row.links:
            cells[basis] += " " + " ".join(f"<{md_url(url)}>" for url in row.links.split())
        lines.append("| " + " | ".join(cells) + " |")
    return lines


# -- CSV -------------------------------------------------------------------------

def csv_cell(value: str) -> str:
    """A cell a spreadsheet shows as text, never runs as a formula; control characters
    (which terminals and spreadsheets would act on or drop) are shown as U+FFFD."""
    from flowmap.common.sheet import formula_safe, xml_text

    return formula_safe(xml_text(value))


def headings(own: Iterable[str] = ()) -> list[str]:
    """The CSV and XLSX register's headings: the named columns, then the round-trip ones,
    then the agency's own keys."""
    from flowmap.author import roundtrip

    return [*(HEADINGS[f.name] for f in fields(Row) if f.name != "extra"),
            *(c.path for c in roundtrip.columns()), *own]


#: a row's named cells, in order (a shallow read: dataclasses.astuple deep-copies)
_NAMED_CELLS = attrgetter(*(f.name for f in fields(Row) if f.name != "extra"))


def cells(row: Row) -> list[str]:
    return [*_NAMED_CELLS(row), *row.extra]


def to_csv(result: Result, *, bom: bool = False) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(headings(own_keys(result)))
    cell = functools.cache(csv_cell)  # cells repeat (names, statuses, empty ones)
    for row in rows(result, round_trip=True):
        writer.writerow([cell(v) for v in cells(row)])
    return ("\ufeff" if bom else "") + buffer.getvalue()


# -- XLSX ------------------------------------------------------------------------

def to_xlsx(result: Result) -> bytes:
    """The CSV's columns as a workbook of one sheet; every cell text, never a formula."""
    from flowmap.common.sheet import xlsx_bytes

    return xlsx_bytes(headings(own_keys(result)),
                      [cells(row) for row in rows(result, round_trip=True)],
                      more=item_sheets(result))


#: the sections whose own items (not a catalogue's) an XLSX register carries, each on a
#: sheet named after it, so that importing the register gives the same map back
ITEM_SHEETS = ("organisations", "information", "purposes", "authorities", "classes")
#: the sheet holding the `map:` block (its id, description, as_of, catalogues, owner...)
MAP_SHEET = "Map"


def item_sheets(result: Result) -> list[tuple[str, list[str], list[list[str]]]]:
    """A sheet for the `map:` block, then one per section of the map's own items: a
    column per key of the format, then one per own (``x-``) key the items carry."""
    from flowmap.author import roundtrip

    m = result.map
    keys = roundtrip.columns("map", frozenset())
    info = m.info.model_dump(by_alias=True, exclude_defaults=True)
    found = [(MAP_SHEET, [k.path for k in keys], [[roundtrip.cell(info, k) for k in keys]])]
    for section in ITEM_SHEETS:
        items = getattr(m, section)
        own = [items[i] for i in sorted(items) if not m.from_catalogue(section, i)]
        if not own:
            continue
        keys = roundtrip.columns(section, frozenset())
        extra = roundtrip.own_keys(getattr(i, "own", {}) for i in own)
        found.append((section.capitalize(), [*(k.path for k in keys), *extra],
                      [_item_cells(i, keys, extra) for i in own]))
    return found


def _item_cells(item: BaseModel, keys: Iterable[Column], extra: list[str]) -> list[str]:
    """An item's cells on its section's sheet: its keys, then its own (``x-``) keys."""
    from flowmap.author import roundtrip

    data = item.model_dump(by_alias=True, exclude_defaults=True)
    own = getattr(item, "own", {})
    return [*(roundtrip.cell(data, k) for k in keys), *roundtrip.own_cells(own, extra)]
