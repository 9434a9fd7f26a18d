"""Checked map → Graphviz DOT source.

Node and edge ids come from the map's ids and everything is emitted in
sorted order, so the same map always gives the same bytes. Every string
from the map passes through :func:`text` (backslashes and HTML-like labels
disarmed) before it reaches DOT.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

import graphviz

from flowmap.findings import Finding
from flowmap.model import Flow, Organisation
from flowmap.render.theme import DEFAULT, Theme
from flowmap.validate import FLOW_STATUSES, Result
from flowmap.views import View, select

LABEL_WIDTH = 28


def text(*lines: str) -> str:
    """Map strings as one DOT escString: literal text, lines joined by DOT newlines."""
    joined: str = graphviz.nohtml("\\n".join(graphviz.escape(line) for line in lines))
    return joined


def _wrap(words: str, width: int = LABEL_WIDTH) -> list[str]:
    lines: list[str] = []
    for word in words.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines or [""]


def to_dot(result: Result, *, view: View | None = None, theme: Theme = DEFAULT,
           dpi: int | None = None, merge: bool = False,
           engine_attrs: dict[str, str] | None = None, edge_labels: bool = True) -> str:
    """DOT source for the map, or for a view of it.

    With ``merge``, the flows between two organisations are drawn as one edge
    labelled with their count and coloured by their worst status.
    """
    m = result.map
    view = view or select(result)
    drawn = [m.flows[f] for f in view.flows]
    title = m.info.title
    dot = graphviz.Digraph(
        name=text(title),
        graph_attr={**theme.graph, "label": _title_label(result),
                    **({"dpi": str(dpi)} if dpi else {}), **(engine_attrs or {}),
                    "tooltip": text(m.info.description or title)},
        node_attr=dict(theme.node),
        edge_attr=dict(theme.edge),
    )
    by_sector: dict[str, list[str]] = {}
    for oid in view.organisations:
        by_sector.setdefault(m.organisations[oid].sector or "", []).append(oid)
    for index, sector in enumerate(sorted(by_sector)):
        if not sector:
            for oid in by_sector[sector]:
                _node(dot, result, m.organisations[oid], theme)
            continue
        with dot.subgraph(name=f"cluster_{index}") as sub:
            sub.attr(label=text(sector), **theme.cluster)
            for oid in by_sector[sector]:
                _node(sub, result, m.organisations[oid], theme)
    if merge:
        for group in merged(drawn):
            _merged_edge(dot, result, group, theme, edge_labels)
    else:
        for flow in drawn:
            _edge(dot, result, flow, theme, edge_labels)
    if drawn:
        _legend(dot, result, drawn, theme)
    source: str = dot.source
    return source


def _title_label(result: Result) -> str:
    """The map's title, and the date it is checked as of, as an HTML-like label."""
    m = result.map
    return (f'<<FONT POINT-SIZE="20"><B>{html.escape(m.info.title)}</B></FONT>'
            f'<BR ALIGN="LEFT"/><FONT POINT-SIZE="12">as of {m.as_of}</FONT>'
            '<BR ALIGN="LEFT"/>>')


#: legend rows: (status, sample glyphs, meaning)
LEGEND_STATUSES = (
    ("unjustified", "═══", "no valid legal basis"),
    ("accepted", "───", "finding accepted by a reviewer"),
    ("warning", "───", "basis valid, with warnings"),
    ("justified", "───", "legal basis covers the flow"),
)
LEGEND_LIFECYCLE = (("proposed", "╌╌╌", "proposed"), ("historical", "┈┈┈", "historical"))


def _legend(dot: graphviz.Digraph, result: Result, drawn: list[Flow], theme: Theme) -> None:
    """A key to exactly the line styles the drawing uses."""
    used = {result.flow_status(f.id) for f in drawn}
    lifecycles = {f.status for f in drawn}
    rows = []
    for status, glyph, meaning in LEGEND_STATUSES:
        if status in used:
            colour = theme.statuses[status].get("color", "black").split(":")[0]
            rows.append(_legend_row(glyph, colour, meaning))
    for status, glyph, meaning in LEGEND_LIFECYCLE:
        if status in lifecycles:
            rows.append(_legend_row(glyph, "#333333", meaning))
    label = ('<<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="2">'
             '<TR><TD COLSPAN="2" ALIGN="LEFT"><B>Flows</B></TD></TR>'
             + "".join(rows) + "</TABLE>>")
    with dot.subgraph(name="cluster_legend") as sub:
        sub.attr(label="", style="rounded", color="#999999")
        sub.node("legend", id="legend", label=label, shape="plaintext",
                 style="", tooltip="Legend", **{"class": "legend"})


def _legend_row(glyph: str, colour: str, meaning: str) -> str:
    return (f'<TR><TD ALIGN="LEFT"><FONT COLOR="{colour}"><B>{glyph}</B></FONT></TD>'
            f'<TD ALIGN="LEFT">{html.escape(meaning)}</TD></TR>')


def _node(dot: graphviz.Digraph, result: Result, org: Organisation, theme: Theme) -> None:
    m = result.map
    country = m.country(org)
    overseas = country != m.info.jurisdiction
    label = _wrap(org.label, 22)
    if overseas:
        label.append(f"[{country}]")
    attrs: dict[str, str] = {
        "id": f"org-{org.id}",
        "class": f"org kind-{org.kind}" + (" overseas" if overseas else ""),
        "label": text(*label),
        "tooltip": text(*_org_tooltip(result, org)),
        **theme.kinds.get(org.kind, {}),
        **(theme.overseas if overseas else {}),
    }
    if org.url:
        attrs["URL"] = text(org.url)
        attrs["target"] = "_top"
    dot.node(org.id, **attrs)


def _org_tooltip(result: Result, org: Organisation) -> list[str]:
    lines = [f"{org.name} ({org.kind.replace('-', ' ')})"]
    if org.description:
        lines.append(org.description)
    lines.extend(f"{f.code}: {f.message}" for f in _findings(result, "organisation", org.id))
    return lines


def _findings(result: Result, kind: str, id: str) -> list[Finding]:
    return [f for f in result.findings if f.subject.kind == kind and f.subject.id == id]


def flow_label(result: Result, flow: Flow) -> str:
    names = [result.map.information[i].name if i in result.map.information else i
             for i in flow.information]
    return ", ".join(names)


def _edge(dot: graphviz.Digraph, result: Result, flow: Flow, theme: Theme,
          with_label: bool = True) -> None:
    status = result.flow_status(flow.id)
    style = dict(theme.statuses[status])
    lifecycle = theme.lifecycle.get(flow.status, {})
    if "style" in lifecycle:
        style["style"] = ",".join(s for s in (style.get("style"), lifecycle["style"]) if s)
    label = theme.status_marks.get(status, "") + flow_label(result, flow)
    if flow.status != "active":
        label += f" ({flow.status})"
    dot.edge(
        flow.from_, flow.to,
        id=f"flow-{flow.id}",
        **{"class": f"flow {status} lifecycle-{flow.status} {flow.identifiability}"},
        label=text(*_wrap(label)) if with_label else "",
        tooltip=text(*_flow_tooltip(result, flow)),
        **style,
    )


def merged(flows: Sequence[Flow]) -> list[list[Flow]]:
    """Flows grouped by (from, to), in order."""
    groups: dict[tuple[str, str], list[Flow]] = {}
    for flow in flows:
        groups.setdefault((flow.from_, flow.to), []).append(flow)
    return [groups[k] for k in sorted(groups)]


def _merged_edge(dot: graphviz.Digraph, result: Result, group: list[Flow],
                 theme: Theme, with_label: bool) -> None:
    statuses = [result.flow_status(f.id) for f in group]
    status = worst_status(statuses)
    first = group[0]
    counts = [f"{statuses.count(s)} {s}" for s in FLOW_STATUSES if s in statuses and
              s != "justified"]
    label = f"{len(group)} flow{'s' if len(group) > 1 else ''}"
    if counts:
        label += f" ({', '.join(counts)})"
    dot.edge(
        first.from_, first.to,
        id=f"flows-{first.from_}--{first.to}",
        **{"class": f"flow-group {status}"},
        label=text(theme.status_marks.get(status, "") + label) if with_label else "",
        tooltip=text(*(f"{f.id}: {flow_label(result, f)} [{s}]"
                       for f, s in zip(group, statuses, strict=True))),
        **theme.statuses[status],
    )


def worst_status(statuses: Sequence[str]) -> str:
    """The most serious of flow statuses (unjustified first)."""
    return min(statuses, key=FLOW_STATUSES.index)


def _flow_tooltip(result: Result, flow: Flow) -> list[str]:
    m = result.map
    lines = [f"{flow.id}: {flow_label(result, flow)} ({flow.identifiability}, {flow.status})"]
    if flow.purpose:
        purpose = m.purposes.get(flow.purpose)
        lines.append(f"Purpose: {purpose.name if purpose else flow.purpose}")
    for aid in flow.basis:
        auth = m.authorities.get(aid)
        lines.append(f"Basis: {auth.citation if auth else aid}"
                     + ("" if auth is None or auth.verified else " (unverified)"))
    if not flow.basis:
        lines.append("Basis: none cited")
    for f in result.for_flow(flow.id):
        mark = " (accepted)" if f.accepted else ""
        lines.append(f"{f.code} {f.severity.value}{mark}: {f.message}")
    return lines
