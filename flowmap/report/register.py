"""The register of flows: one row per flow, for a publication's appendix.

Rows are plain values (:class:`Row`); Markdown, CSV and XLSX are written from
them, each escaping for its own format: Markdown table cells lose their power
to break the table or inject HTML, and CSV and XLSX cells that a spreadsheet
would run as a formula are prefixed with an apostrophe. CSV and XLSX have the
columns `flowmap import` reads back.
"""

from __future__ import annotations

import csv
import io
import re
import urllib.parse
from collections.abc import Iterable
from dataclasses import astuple, dataclass, fields

from flowmap.author import roundtrip
from flowmap.model.mapdata import Map
from flowmap.check.rules.registry import BY_CODE
from flowmap.common.sheet import formula_safe, xlsx_bytes, xml_text
from flowmap.check.validate import Result


@dataclass(frozen=True)
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


def rows(result: Result, flows: Iterable[str] | None = None) -> list[Row]:
    """One row per flow (all, or the given ids), sorted by discloser, recipient, id."""
    m = result.map
    ids = sorted(flows if flows is not None else m.flows,
                 key=lambda f: (_name(m, m.flows[f].from_), _name(m, m.flows[f].to), f))
    own = own_keys(result)
    return [_row(result, fid, own) for fid in ids]


def own_keys(result: Result) -> list[str]:
    """The agency's own keys (``x-...``) on the map's flows: a column each."""
    return roundtrip.own_keys(f.own for f in result.map.flows.values())


def _name(m: Map, oid: str) -> str:
    org = m.organisations.get(oid)
    return org.name if org else oid


def _row(result: Result, fid: str, own: list[str]) -> Row:
    m = result.map
    flow = m.flows[fid]
    auths = [m.authorities.get(a) for a in flow.basis]
    basis = "; ".join(a.citation + ("" if a.verified else " (unverified)") if a else aid
                      for a, aid in zip(auths, flow.basis, strict=True))
    purpose = m.purposes.get(flow.purpose) if flow.purpose else None
    findings = result.for_flow(fid)
    data = flow.model_dump(by_alias=True, mode="json")
    return Row(
        flow=fid,
        discloser=_name(m, flow.from_),
        recipient=_name(m, flow.to),
        information="; ".join(m.information[i].name if i in m.information else i
                              for i in flow.information),
        category="; ".join(", ".join(m.information[i].categories) if i in m.information else ""
                           for i in flow.information),
        purpose=purpose.name if purpose else (flow.purpose or ""),
        basis=basis or "none cited",
        links=" ".join(a.url for a in auths if a and a.url),
        identifiability=flow.identifiability,
        lifecycle=flow.status,
        frequency=flow.frequency or "",
        notes=flow.description or "",
        status=result.flow_status(fid),
        findings="; ".join(dict.fromkeys(
            f"{f.code} {BY_CODE[f.code].title}{' (accepted)' if f.accepted else ''}"
            for f in findings)),
        extra=(*(roundtrip.cell(data, c) for c in roundtrip.columns()),
               *(roundtrip.own_cell(flow.own.get(k)) for k in own)),
    )


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
    for oid in sorted({e for f in m.flows.values() for e in (f.from_, f.to)},
                      key=lambda o: (_name(m, o).lower(), o)):
        out = [r for r in all_rows if m.flows[r.flow].from_ == oid]
        into = [r for r in all_rows if m.flows[r.flow].to == oid]
        lines += [f"## {md_cell(_name(m, oid))}", ""]
        for heading, chosen in (("Discloses", out), ("Receives", into)):
            if chosen:
                lines += [f"### {heading}", "", *_md_table(chosen), ""]
    return "\n".join(lines).rstrip("\n") + "\n"


def _md_table(chosen: list[Row]) -> list[str]:
    names = [f.name for f in fields(Row) if f.name not in NOT_IN_MARKDOWN]
    lines = ["| " + " | ".join(HEADINGS[n] for n in names) + " |",
             "|" + " --- |" * len(names)]
    for row in chosen:
        cells = []
        for name in names:
            value = getattr(row, name)
            if name == "basis" and row.links:
                links = " ".join(f"<{md_url(url)}>" for url in row.links.split())
                cells.append(f"{md_cell(value)} {links}")
            else:
                cells.append(md_cell(value))
        lines.append("| " + " | ".join(cells) + " |")
    return lines


# -- CSV -------------------------------------------------------------------------

def csv_cell(value: str) -> str:
    """A cell a spreadsheet shows as text, never runs as a formula; control characters
    (which terminals and spreadsheets would act on or drop) are shown as U+FFFD."""
    return formula_safe(xml_text(value))


def headings(own: Iterable[str] = ()) -> list[str]:
    """The CSV and XLSX register's headings: the named columns, then the round-trip ones,
    then the agency's own keys."""
    return [*(HEADINGS[f.name] for f in fields(Row) if f.name != "extra"),
            *(c.path for c in roundtrip.columns()), *own]


def cells(row: Row) -> list[str]:
    return [*astuple(row)[:-1], *row.extra]


def to_csv(result: Result, *, bom: bool = False) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(headings(own_keys(result)))
    for row in rows(result):
        writer.writerow([csv_cell(v) for v in cells(row)])
    return ("\ufeff" if bom else "") + buffer.getvalue()


# -- XLSX ------------------------------------------------------------------------

def to_xlsx(result: Result) -> bytes:
    """The CSV's columns as a workbook of one sheet; every cell text, never a formula."""
    return xlsx_bytes(headings(own_keys(result)), [cells(row) for row in rows(result)],
                      more=item_sheets(result))


#: the sections whose own items (not a catalogue's) an XLSX register carries, each on a
#: sheet named after it, so that importing the register gives the same map back
ITEM_SHEETS = ("organisations", "information", "purposes", "authorities")


def item_sheets(result: Result) -> list[tuple[str, list[str], list[list[str]]]]:
    """A sheet per section of the map's own items: a column per key of the format."""
    m = result.map
    found = []
    for section in ITEM_SHEETS:
        items = getattr(m, section)
        own = [items[i] for i in sorted(items) if not m.from_catalogue(section, i)]
        if not own:
            continue
        keys = roundtrip.columns(section, frozenset())
        found.append((section.capitalize(), [k.path for k in keys],
                      [[roundtrip.cell(i.model_dump(by_alias=True, mode="json"), k)
                        for k in keys] for i in own]))
    return found
