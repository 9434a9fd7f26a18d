"""`flowmap trace` as text (a tree, hop by hop) and JSON (the same tree as data).

The JSON shape (``"format": "flowmap-trace", "version": 1``) is stable: keys
are only ever added. See README.md, "flowmap trace".
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from flowmap.model.entities import Authority
from flowmap.report.diff import plain
from flowmap.review.trace import Hop, Trace

JSON_VERSION = 1
UNJUSTIFIED = "✗ UNJUSTIFIED: no valid legal basis covers this hop"


def _org(trace: Trace, oid: str) -> str:
    org = trace.result.map.organisations.get(oid)
    return f"{org.label} ({oid})" if org else oid


def _items(trace: Trace, hop: Hop) -> str:
    m = trace.result.map
    return ", ".join(m.information[i].name if i in m.information else i for i in hop.information)


def _bases(trace: Trace, hop: Hop) -> list[Authority | str]:
    m = trace.result.map
    return [m.authorities.get(a) or a for a in hop.flow.basis]


def _basis_text(trace: Trace, hop: Hop) -> str:
    cited = [b if isinstance(b, str) else b.citation + ("" if b.verified else " (unverified)")
             for b in _bases(trace, hop)]
    return "; ".join(cited) if cited else "none cited"


def heading(trace: Trace) -> str:
    what = f"information in {trace.wanted!r}" if trace.wanted else "any information"
    verb = "can travel from" if trace.direction == "from" else "can have come from, to"
    hops = f"up to {trace.max_hops} hop{'s' if trace.max_hops != 1 else ''}"
    return f"Where {what} {verb} {_org(trace, trace.origin)}, {hops}"


# -- text ------------------------------------------------------------------------------

def _hop_lines(trace: Trace, hop: Hop) -> list[str]:
    flow = hop.flow
    arrow = f"{_org(trace, flow.from_)} → {_org(trace, flow.to)}"
    lines = [f"[{hop.depth}] {flow.id}: {arrow}  [{hop.status}]",
             f"    carries {_items(trace, hop)} · {flow.identifiability}"
             + ("" if flow.status == "active" else f" · {flow.status}")
             + f" · basis: {_basis_text(trace, hop)}"]
    lines.extend(f"    {note}" for note in _notes(trace, hop))
    return lines


def _notes(trace: Trace, hop: Hop) -> list[str]:
    notes = []
    if hop.status == "unjustified":
        notes.append(UNJUSTIFIED)
    if hop.change:
        where = "" if trace.direction == "from" else " on the next hop"
        notes.append(f"◐ identifiability changes{where}: {hop.change[0]} → {hop.change[1]}")
    if hop.reidentification:
        r = hop.reidentification
        notes.append(f"⚠ RE-IDENTIFICATION: carried more identified by {r.later} than "
                     f"earlier by {r.earlier}")
    end = hop.reaches(trace.direction)
    if hop.cycle:
        notes.append(f"↺ cycle: {_org(trace, end)} is already on this chain")
    if hop.seen:
        notes.append(f"= already traced from {_org(trace, end)} above")
    if hop.truncated:
        notes.append(f"… more flows go on beyond --max-hops {trace.max_hops}")
    return notes


def _tree(trace: Trace, hops: tuple[Hop, ...], indent: str) -> list[str]:
    lines = []
    for index, hop in enumerate(hops):
        last = index == len(hops) - 1
        first, *rest = _hop_lines(trace, hop)
        lines.append(f"{indent}{'└── ' if last else '├── '}{first}")
        below = indent + ("    " if last else "│   ")
        lines.extend(f"{below}{line}" for line in rest)
        lines.extend(_tree(trace, hop.next, below))
    return lines


def summary_line(trace: Trace) -> str:
    hops = list(trace.walk())
    unjustified = sorted({h.flow.id for h in hops if h.status == "unjustified"})
    reids = sorted({h.flow.id for h in hops if h.reidentification})
    noun = "organisation" if len(trace.reached) == 1 else "organisations"
    return (f"{len(trace.reached)} {noun} reached through {len(trace.flows)} flows; "
            f"{len(unjustified)} unjustified, {len(reids)} re-identifying"
            + ("; stopped at --max-hops" if trace.truncated else ""))


def to_text(trace: Trace) -> str:
    lines = [heading(trace), "", _org(trace, trace.origin)]
    lines.extend(_tree(trace, trace.hops, ""))
    if not trace.hops:
        lines.append("    (no flow carries it)")
    lines.append("")
    label = "Reached" if trace.direction == "from" else "Sources"
    for r in trace.reached:
        lines.append(f"{label}: {_org(trace, r.organisation)} at hop {r.hops}: "
                     f"{', '.join(r.information)} ({', '.join(r.identifiability)})")
    lines.append(summary_line(trace))
    return "\n".join(plain(line) for line in lines) + "\n"


# -- JSON ------------------------------------------------------------------------------

def _basis_json(trace: Trace, hop: Hop) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    for b in _bases(trace, hop):
        if isinstance(b, str):
            found.append({"id": b, "citation": None, "verified": None, "url": None})
        else:
            found.append({"id": b.id, "citation": b.citation, "verified": b.verified,
                          "url": b.url})
    return found


def hop_json(trace: Trace, hop: Hop) -> dict[str, Any]:
    flow, r = hop.flow, hop.reidentification
    return {
        "hop": hop.depth,
        "flow": flow.id,
        "from": flow.from_,
        "to": flow.to,
        "information": list(hop.information),
        "identifiability": flow.identifiability,
        "lifecycle": flow.status,
        "purpose": flow.purpose,
        "basis": _basis_json(trace, hop),
        "status": hop.status,
        "unjustified": hop.status == "unjustified",
        "identifiability_change": ({"from": hop.change[0], "to": hop.change[1]}
                                   if hop.change else None),
        "reidentification": {"earlier": r.earlier, "later": r.later} if r else None,
        "cycle": hop.cycle,
        "seen": hop.seen,
        "truncated": hop.truncated,
        "next": [hop_json(trace, h) for h in hop.next],
    }


def to_json(trace: Trace) -> str:
    hops = list(trace.walk())
    document = {
        "format": "flowmap-trace",
        "version": JSON_VERSION,
        "map": trace.result.map.info.id,
        "direction": trace.direction,
        "origin": trace.origin,
        "information": trace.wanted,
        "max_hops": trace.max_hops,
        "hops": [hop_json(trace, h) for h in trace.hops],
        "reached": [{"organisation": r.organisation, "hops": r.hops,
                     "information": list(r.information), "flows": list(r.flows),
                     "identifiability": list(r.identifiability)} for r in trace.reached],
        "flows": trace.flows,
        "summary": {
            "organisations": len(trace.reached),
            "flows": len(trace.flows),
            "unjustified": sorted({h.flow.id for h in hops if h.status == "unjustified"}),
            "reidentifications": [{"earlier": e, "later": later} for e, later in sorted(
                {(h.reidentification.earlier, h.reidentification.later)
                 for h in hops if h.reidentification})],
            "truncated": trace.truncated,
        },
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


TRACE_FORMATTERS: dict[str, Callable[[Trace], str]] = {"text": to_text, "json": to_json}
