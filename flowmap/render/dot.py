"""Checked map → Graphviz DOT source.

Node and edge ids come from the map's ids and everything is emitted in
sorted order, so the same map always gives the same bytes. Every string from
the map passes through :mod:`flowmap.render.dotstr` before it reaches DOT.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

import graphviz

from flowmap.model import Authority, Flow, Organisation
from flowmap.render.dotstr import html_text, link, node_tooltip, text, wrap
from flowmap.render.layout import Plan
from flowmap.render.legend import add_key, add_legend, legend_rows
from flowmap.render.theme import DEFAULT, Theme
from flowmap.validate import FLOW_STATUSES, Result
from flowmap.views import View, select

Labels = Literal["full", "numbers", "none"]
LABEL_CHOICES: tuple[Labels, ...] = ("full", "numbers", "none")


@dataclass(frozen=True)
class Drawing:
    """Everything that decides how a map is drawn, besides the map itself."""

    view: View
    theme: Theme = DEFAULT
    plan: Plan = field(default_factory=lambda: Plan(merge=False, engine="dot"))
    labels: Labels = "full"
    dpi: int | None = None

    @property
    def edge_labels(self) -> Labels:
        return self.labels if self.plan.edge_labels else "none"


def to_dot(result: Result, drawing: Drawing | None = None) -> str:
    """DOT source for the map, or for the view ``drawing`` names."""
    drawing = drawing or Drawing(select(result))
    m = result.map
    theme = drawing.theme
    dot = graphviz.Digraph(
        name=m.info.id,  # a slug: Graphviz copies the name raw into SVG comments
        graph_attr={**theme.graph, "label": _title_label(result),
                    **({"dpi": str(drawing.dpi)} if drawing.dpi else {}),
                    **drawing.plan.engine_attrs,
                    "tooltip": text(m.info.description or m.info.title)},
        node_attr=dict(theme.node),
        edge_attr=dict(theme.edge),
    )
    _organisations(dot, result, drawing)
    flows = [m.flows[f] for f in drawing.view.flows]
    groups = merged(flows) if drawing.plan.merge else [[f] for f in flows]
    key = []
    for number, group in enumerate(groups, start=1):
        if drawing.plan.merge:
            what = _merged_edge(dot, result, group, theme, drawing.edge_labels, number)
        else:
            what = _edge(dot, result, group[0], theme, drawing.edge_labels, number)
        key.append((number, result.map.ends(group[0]), what + _declared_in(result, group)))
    if flows:
        overseas = any(_overseas(result, m.organisations[o]) for o in drawing.view.organisations)
        statuses = {result.flow_status(f.id) for f in flows}
        kinds = set() if drawing.plan.merge else {f.identifiability for f in flows}
        add_legend(dot, legend_rows(theme, statuses, {f.status for f in flows}, overseas,
                                    kinds), drawing.plan.merge)
    if drawing.edge_labels == "numbers" and key:
        add_key(dot, key)
    source: str = dot.source
    return source


def _title_label(result: Result) -> str:
    """The map's title, and the date it is checked as of, as an HTML-like label."""
    m = result.map
    return (f'<<FONT POINT-SIZE="20"><B>{html_text(m.info.title)}</B></FONT>'
            f'<BR ALIGN="LEFT"/><FONT POINT-SIZE="12">as of {m.as_of}</FONT>'
            '<BR ALIGN="LEFT"/>>')


def _organisations(dot: graphviz.Digraph, result: Result, drawing: Drawing) -> None:
    """The organisations, clustered by sector (those without one stand alone)."""
    m = result.map
    by_sector: dict[str, list[Organisation]] = {}
    for oid in drawing.view.organisations:
        org = m.organisations[oid]
        by_sector.setdefault(org.sector or "", []).append(org)
    for index, sector in enumerate(sorted(by_sector)):
        if not sector:
            for org in by_sector[sector]:
                _node(dot, result, org, drawing.theme)
            continue
        with dot.subgraph(name=f"cluster_{index}") as sub:
            sub.attr(label=text(sector), id=f"sector-{index}", **drawing.theme.cluster)
            for org in by_sector[sector]:
                _node(sub, result, org, drawing.theme)


def _overseas(result: Result, org: Organisation) -> bool:
    return result.map.country(org) != result.map.info.jurisdiction


def _node(dot: graphviz.Digraph, result: Result, org: Organisation, theme: Theme) -> None:
    overseas = _overseas(result, org)
    label = wrap(org.label, 22)
    if overseas:
        label.append(f"[{result.map.country(org)}]")
    attrs: dict[str, str] = {
        "id": f"org-{org.id}",
        "class": f"org kind-{org.kind}" + (" overseas" if overseas else ""),
        "label": text(*label),
        "tooltip": node_tooltip(organisation_details(result, org)),
        **theme.kinds.get(org.kind, {}),
        **(theme.overseas if overseas else {}),
    }
    if org.url:
        attrs["URL"] = link(org.url)
        attrs["target"] = "_top"
    dot.node(org.id, **attrs)


def organisation_details(result: Result, org: Organisation) -> list[str]:
    """Lines describing an organisation (tooltips, accessible descriptions)."""
    lines = [f"{org.name} ({org.kind.replace('-', ' ')}, {result.map.country(org)})"]
    if org.description:
        lines.append(org.description)
    lines.extend(f"{f.code}: {f.message}" for f in result.about("organisation", org.id))
    return lines


def flow_label(result: Result, flow: Flow) -> str:
    """What a flow carries: its information items' names."""
    names = [result.map.information[i].name if i in result.map.information else i
             for i in flow.information]
    return ", ".join(names)


def _declared_in(result: Result, group: list[Flow]) -> str:
    """' — in <map>' for a flow of a composed map (each party may declare it)."""
    if len(result.map.components) < 2 or len(group) != 1:
        return ""
    component = result.map.component_of(result.map.where("flows", group[0].id))
    return f" — in {component.id}" if component else ""


def _edge_label(labels: Labels, number: int, full: str) -> str:
    if labels == "numbers":
        return text(str(number))
    if labels == "none":
        return ""
    return text(*wrap(full))


def _edge(dot: graphviz.Digraph, result: Result, flow: Flow, theme: Theme,
          labels: Labels, number: int) -> str:
    """Draw one flow; return what its key entry says."""
    status = result.flow_status(flow.id)
    style = dict(theme.statuses[status])
    lifecycle = theme.lifecycle.get(flow.status, {})
    if "style" in lifecycle:
        style["style"] = ",".join(s for s in (style.get("style"), lifecycle["style"]) if s)
    what = flow_label(result, flow) + ("" if flow.status == "active" else f" ({flow.status})")
    attrs = {
        "id": f"flow-{flow.id}",
        "class": f"flow {status} lifecycle-{flow.status} {flow.identifiability}",
        "label": _edge_label(labels, number, theme.status_marks.get(status, "") + what),
        "tooltip": text(*flow_details(result, flow)),
        **style,
        **theme.identifiability.get(flow.identifiability, {}),
    }
    url = next((a.url for a in _bases(result, flow) if a.url), None)
    if url:
        attrs["URL"] = link(url)
        attrs["target"] = "_top"
    dot.edge(flow.from_, flow.to, **attrs)
    return f"{what} [{status}]"


def _bases(result: Result, flow: Flow) -> list[Authority]:
    return [result.map.authorities[a] for a in flow.basis if a in result.map.authorities]


def flow_details(result: Result, flow: Flow) -> list[str]:
    """Lines describing a flow: items, purpose, every basis, every finding."""
    m = result.map
    lines = [f"{result.map.ends(flow)}: {flow_label(result, flow)}",
             f"{flow.identifiability}, {flow.status}"
             + (f", {flow.frequency}" if flow.frequency else "")]
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


def merged(flows: Sequence[Flow]) -> list[list[Flow]]:
    """Flows grouped by (from, to), in order."""
    groups: dict[tuple[str, str], list[Flow]] = {}
    for flow in flows:
        groups.setdefault((flow.from_, flow.to), []).append(flow)
    return [groups[k] for k in sorted(groups)]


def worst_status(statuses: Sequence[str]) -> str:
    """The most serious of flow statuses (unjustified first)."""
    return min(statuses, key=FLOW_STATUSES.index)


def _merged_edge(dot: graphviz.Digraph, result: Result, group: list[Flow], theme: Theme,
                 labels: Labels, number: int) -> str:
    statuses = [result.flow_status(f.id) for f in group]
    status = worst_status(statuses)
    first = group[0]
    counts = [f"{statuses.count(s)} {s}" for s in FLOW_STATUSES
              if s in statuses and s != "justified"]
    what = f"{len(group)} flow{'s' if len(group) > 1 else ''}"
    if counts:
        what += f" ({', '.join(counts)})"
    dot.edge(
        first.from_, first.to,
        id=f"flows-{first.from_}--{first.to}",
        label=_edge_label(labels, number, theme.status_marks.get(status, "") + what),
        tooltip=text(*(f"{f.id}: {flow_label(result, f)} [{s}]"
                       for f, s in zip(group, statuses, strict=True))),
        **{"class": f"flow-group {status}"},
        **theme.statuses[status],
    )
    return what
