"""`flowmap diff --format svg|html`: the union of both maps, each flow and
organisation marked added, removed, changed or unchanged.

Flows are drawn from the side they exist on (the new one, unless removed).
A flow counts as changed when any of its fields changed or its status did
(e.g. an authority it cites changed and it is now unjustified).
"""

from __future__ import annotations

import html

from flowmap.model.entities import Flow
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
from flowmap.review.diff import Diff, ItemChange
from flowmap.report.diff import DIFF_FORMATTERS, describe, one_line
from flowmap.review.views import select

ADDED = Mark("added", colour="#009E73", fontcolor="#00664A", penwidth="2.6", style="bold",
             prefix="+ added: ")
REMOVED = Mark("removed", colour="#9A9A9A", fontcolor="#6E6E6E", penwidth="1.4",
               style="dashed", fill="#F2F2F2", prefix="− removed: ")
CHANGED = Mark("changed", colour="#CC79A7", fontcolor="#7A3A63", penwidth="2.2", style="bold",
               prefix="~ changed: ")
UNCHANGED = Mark("unchanged", colour="#B8B8B8", fontcolor="#666666", penwidth="1")
MARKS = {m.name: m for m in (ADDED, REMOVED, CHANGED, UNCHANGED)}
LEGEND = (("━━━", ADDED.colour or "", "added"),
          ("╌╌╌", REMOVED.colour or "", "removed"),
          ("━━━", CHANGED.colour or "", "changed (fields or status)"),
          ("───", UNCHANGED.colour or "", "unchanged"))
UNJUSTIFIED_ROW = ("═══", "#333333", "no valid legal basis (double line)")


def marked_map(diff: Diff) -> MarkedMap:
    old, new = diff.old.result, diff.new.result
    old_view, new_view = select(old), select(new)
    orgs = []
    for oid in sorted(set(old_view.organisations) | set(new_view.organisations)):
        result = new if oid in new.map.organisations else old
        change = diff.item("organisations", oid)
        orgs.append(MarkedOrg(result, result.map.organisations[oid],
                              MARKS[change.kind if change else "unchanged"]))
    flows = [_flow(diff, new.map.flows[f], f in old.map.flows) for f in new_view.flows]
    flows += [MarkedFlow(old, old.map.flows[f], REMOVED) for f in old_view.flows
              if f not in new.map.flows]
    flows.sort(key=lambda f: f.flow.id)
    used = {f.mark.name for f in flows} | {o.mark.name for o in orgs}
    legend = [row for row in LEGEND if row[2].split(" ")[0] in used]
    if any(f.result.flow_status(f.flow.id) == "unjustified" for f in flows):
        legend.append(UNJUSTIFIED_ROW)
    return MarkedMap(
        id=new.map.info.id,
        title=f"Changes: {new.map.info.title}",
        subtitle=f"{diff.old.label} → {diff.new.label} (as of {new.map.as_of})",
        summary=one_line(diff),
        organisations=tuple(orgs),
        flows=tuple(flows),
        legend=tuple(legend),
    )


def _flow(diff: Diff, flow: Flow, existed: bool) -> MarkedFlow:
    result = diff.new.result
    if not existed:
        return MarkedFlow(result, flow, ADDED)
    change = diff.item("flows", flow.id)
    status = diff.status(flow.id)
    what = [f.field for f in change.fields] if change else []
    if status:
        what.append(f"status {status.old} → {status.new}")
    if not what:
        return MarkedFlow(result, flow, UNCHANGED)
    return MarkedFlow(result, flow, CHANGED, note=f" ({', '.join(what)})")


def _table(diff: Diff) -> str:
    """The HTML page's summary and table of changes, above the drawing."""
    rows = "".join(_row(diff, c) for c in diff.items)
    body = f"<p>{html.escape(one_line(diff))}.</p>\n"
    if rows:
        body += ("<table>\n<thead><tr><th>Change</th><th>Section</th><th>Id</th>"
                 f"<th>What</th></tr></thead>\n<tbody>\n{rows}</tbody>\n</table>")
    return body


def _row(diff: Diff, change: ItemChange) -> str:
    fields = "; ".join(f.field for f in change.fields)
    what = describe(diff, change) + (f" (changed: {fields})" if fields else "")
    cells = (change.kind, change.section, change.id, what)
    return "<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in cells) + "</tr>\n"


#: every format `flowmap diff` writes
DIFF_FORMATS = ("text", "json", "markdown", "svg", "html", "pdf", "png")


def diff_output(diff: Diff, fmt: str, page: str | None = None,
                note: Note = lambda said: None) -> bytes:
    """The diff in ``fmt`` (one of :data:`DIFF_FORMATS`); a drawing sized for ``page``
    if given, and ``note`` told what was chosen for it."""
    if fmt == "html" or fmt in GRAPHVIZ_FORMATS:
        drawing = arranged(marked_map(diff), page, note)
        return to_html(drawing, _table(diff), note) if fmt == "html" else draw(
            drawing, fmt, note)
    return DIFF_FORMATTERS[fmt](diff).encode("utf-8")
