"""`flowmap trace --format svg|html`: the whole map, the traced chains highlighted.

Traced flows and organisations carry the class ``traced`` (the starting
organisation also ``origin``; re-identifying hops also ``reidentification``);
everything else is drawn dimmed with the class ``dimmed``. Each traced flow's
label starts with the hops at which it is reached.
"""

from __future__ import annotations

import html

from flowmap.render.marked import (
    GRAPHVIZ_FORMATS,
    Mark,
    MarkedFlow,
    MarkedMap,
    MarkedOrg,
    arranged,
    draw,
    to_html,
)
from flowmap.render.page import Note
from flowmap.report.trace import TRACE_FORMATTERS, heading, summary_line
from flowmap.review.trace import Trace
from flowmap.review.views import select

TRACED = Mark("traced", colour="#0072B2", fontcolor="#003D66", penwidth="3", style="bold")
ORIGIN = Mark("traced", colour="#000000", penwidth="3", style="bold")
DIMMED = Mark("dimmed", colour="#D0D0D0", fontcolor="#9A9A9A", penwidth="1", fill="#F7F7F7")
UNJUSTIFIED_ROW = ("═══", TRACED.colour or "", "traced, with no valid legal basis")
LEGEND = (("━━━", TRACED.colour or "", "traced: the information can travel here"),
          UNJUSTIFIED_ROW,
          ("───", DIMMED.colour or "", "not on a traced chain"))
#: the formats `flowmap trace` writes
TRACE_FORMATS = ("text", "json", "svg", "html", "pdf", "png")


def marked_map(trace: Trace) -> MarkedMap:
    result = trace.result
    view = select(result)
    depths = trace.depths()
    traced_flows = set(depths)
    reached = {r.organisation for r in trace.reached} | {trace.origin}
    reidentifying = {h.flow.id for h in trace.walk() if h.reidentification}
    orgs = []
    for oid in sorted(set(view.organisations) | reached):
        org = result.map.organisations[oid]
        if oid == trace.origin:
            orgs.append(MarkedOrg(result, org, ORIGIN, ("origin",)))
        else:
            orgs.append(MarkedOrg(result, org, TRACED if oid in reached else DIMMED))
    flows = []
    for fid in sorted(set(view.flows) | traced_flows):
        flow = result.map.flows[fid]
        if fid not in traced_flows:
            flows.append(MarkedFlow(result, flow, DIMMED))
            continue
        hops = depths[fid]
        note = f" [hop{'s' if len(hops) > 1 else ''} {', '.join(map(str, hops))}]"
        extra = ("reidentification",) if fid in reidentifying else ()
        flows.append(MarkedFlow(result, flow, TRACED, note, extra))
    unjustified = any(h.status == "unjustified" for h in trace.walk())
    return MarkedMap(
        id=result.map.info.id,
        title=f"Trace: {result.map.info.title}",
        subtitle=heading(trace),
        summary=f"{heading(trace)}: {summary_line(trace)}.",
        organisations=tuple(orgs),
        flows=tuple(flows),
        legend=tuple(row for row in LEGEND if unjustified or row is not UNJUSTIFIED_ROW),
    )


def trace_output(trace: Trace, fmt: str, page: str | None = None,
                 note: Note = lambda said: None) -> bytes:
    """The trace in ``fmt`` (one of :data:`TRACE_FORMATS`); a drawing sized for
    ``page`` if given, and ``note`` told what was chosen for it."""
    if fmt == "html" or fmt in GRAPHVIZ_FORMATS:
        drawing = arranged(marked_map(trace), page, note)
        if fmt != "html":
            return draw(drawing, fmt, note)
        text = TRACE_FORMATTERS["text"](trace)
        return to_html(drawing, f"<pre>{html.escape(text)}</pre>", note)
    return TRACE_FORMATTERS[fmt](trace).encode("utf-8")
