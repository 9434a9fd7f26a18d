"""Checked map → Graphviz DOT source.

Node and edge ids come from the map's ids and everything is emitted in
sorted order, so the same map always gives the same bytes. Every string from
the map passes through :mod:`flowmap.render.dotstr` before it reaches DOT.
How the default was chosen, by measurement, is docs/layout.md.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

from flowmap.model.entities import Authority, Flow, Organisation
from flowmap.render.dotsource import Digraph
from flowmap.render.dotstr import html_text, link, node_tooltip, text, wrap
from flowmap.render.edges import SYMBOL, Edge, frequent_item, group_edges, item_names
from flowmap.render.labels import accepted_note, basis_lines, short_citation
from flowmap.render.lens import LEGEND_LENS, lens_colour, lens_line, lensed
from flowmap.render.layout import Plan
from flowmap.render.legend import (
    LEGEND_AGENT,
    LEGEND_BOTH_WAYS,
    LEGEND_MERGED,
    key_cell,
    kind_rows,
    legend_cell,
    legend_rows,
    sector_rows,
)
from flowmap.render.theme import DEFAULT, Theme
from flowmap.check.validate import Result
from flowmap.review.views import View, select

Labels = Literal["full", "basis", "numbers", "none"]
LABEL_CHOICES: tuple[Labels, ...] = ("full", "basis", "numbers", "none")
Grouping = Literal["fill", "cluster"]
Direction = Literal["LR", "TB"]
Lens = Literal["dpup"]
#: top to bottom, ranks sit closer: labels lie between them, not beside them
DIRECTION_ATTRS: dict[str, dict[str, str]] = {"LR": {}, "TB": {"rankdir": "TB",
                                                                "ranksep": "0.3"}}
#: edge labels are wrapped near this many characters (measured: docs/layout.md)
EDGE_LABEL_WIDTH = 24
NODE_LABEL_WIDTH = 22

__all__ = ["LABEL_CHOICES", "Drawing", "Labels", "flow_details", "flow_label",
           "organisation_details", "short_citation", "to_dot"]


@dataclass(frozen=True)
class Drawing:
    """Everything that decides how a map is drawn, besides the map itself."""

    view: View
    theme: Theme = DEFAULT
    plan: Plan = field(default_factory=lambda: Plan(merge=True, engine="dot"))
    labels: Labels = "full"
    dpi: int | None = None
    #: written across the picture when part of the map could not be read
    stamp: str = ""
    #: sectors as a fill colour (default) or as boxes around their organisations
    grouping: Grouping = "fill"
    #: the organisation in the middle (the agency's own map), if any
    hub: str | None = None
    #: the page the drawing is sized for, and the graph attributes that size it
    #: (see flowmap.render.page)
    page: str | None = None
    page_attrs: Mapping[str, str] = field(default_factory=dict)
    #: ranks left to right, or top to bottom (chosen by measurement: flowmap.render.page)
    direction: Direction = "LR"
    #: "dpup": flows with Data Protection and Use Policy findings are marked beside
    #: their legal status (flowmap.render.lens)
    lens: Lens | None = None
    #: the merged edges :func:`flowmap.render.drawing_for` grouped to count them, with the
    #: view and lens they were grouped for: :func:`edges_of` uses them while these hold
    grouped: tuple[View, Lens | None, tuple[Edge, ...]] | None = field(
        default=None, compare=False, repr=False)

    @property
    def edge_labels(self) -> Labels:
        return self.labels if self.plan.edge_labels else "none"


def edges_of(result: Result, drawing: Drawing) -> list[Edge]:
    """The edges ``drawing`` draws, hub-side first for the agency's own map."""
    grouped = drawing.grouped
    if drawing.plan.merge and grouped and grouped[0] is drawing.view \
            and grouped[1] == drawing.lens:
        edges = list(grouped[2])
    else:
        flows = [result.map.flows[f] for f in drawing.view.flows]
        apart = lensed(result, drawing.view.flows) if drawing.lens else {}
        edges = group_edges(result, flows, merge=drawing.plan.merge, apart=apart)
    return _around_hub(edges, drawing.hub) if drawing.hub else edges


def _around_hub(edges: list[Edge], hub: str) -> list[Edge]:
    """Partners that only send to the hub drawn before it, those that only receive after
    it, the others shared out: the hub lands in the middle of a layered layout."""
    before = after = 0
    placed = []
    for edge in edges:
        if hub not in (edge.tail, edge.head):
            placed.append(edge)
            continue
        partner = edge.head if edge.tail == hub else edge.tail
        sends = any(f.from_ == partner for f in edge.flows)
        receives = any(f.to == partner for f in edge.flows)
        to_hub = sends and (not receives or before <= after)
        before, after = before + to_hub, after + (not to_hub)
        tail, head = (partner, hub) if to_hub else (hub, partner)
        placed.append(Edge(tail, head, edge.flows, edge.status))
    return placed


def to_dot(result: Result, drawing: Drawing | None = None) -> str:
    """DOT source for the map, or for the view ``drawing`` names."""
    drawing = drawing or Drawing(select(result), hub=result.map.info.owner)
    m = result.map
    theme = drawing.theme
    edges = edges_of(result, drawing)
    lens = lensed(result, drawing.view.flows) if drawing.lens else {}
    fills = sector_fills(result, drawing)
    legend = legend_rows(theme, {e.status for e in edges},
                         {f.status for e in edges for f in e.flows},
                         any(_overseas(result, m.organisations[o])
                             for o in drawing.view.organisations),
                         {f.identifiability for e in edges for f in e.flows})
    if any(f.transfer == "agent" for e in edges for f in e.flows):
        legend.append(LEGEND_AGENT)
    if any(e.both_ways for e in edges):
        legend.append(LEGEND_BOTH_WAYS)
    if any(len(e.flows) > 1 for e in edges):
        legend.append(LEGEND_MERGED)
    symbol = frequent_item(result, edges) if drawing.edge_labels == "full" else None
    if symbol:
        legend.append((SYMBOL, "#1a1a1a", symbol))
    if drawing.lens and any(f.id in lens for e in edges for f in e.flows):
        legend.append(LEGEND_LENS)
    legend += kind_rows({m.organisations[o].kind for o in drawing.view.organisations})
    legend += sector_rows(fills)
    dot = Digraph(
        m.info.id,  # a slug: Graphviz copies the name raw into SVG comments
        graph_attr={**theme.graph, **DIRECTION_ATTRS[drawing.direction],
                    **drawing.plan.engine_attrs,
                    **({"dpi": str(drawing.dpi)} if drawing.dpi else {}),
                    **({"root": drawing.hub} if drawing.hub and drawing.plan.engine == "twopi"
                       else {}),
                    **drawing.page_attrs,
                    "tooltip": text(m.info.description or m.info.title)},
        node_attr=dict(theme.node),
        edge_attr=dict(theme.edge),
    )
    _organisations(dot, result, drawing, fills)
    keyed = drawing.edge_labels == "numbers"  # only numbered edges have a key to write
    key = []
    for number, edge in enumerate(edges, start=1):
        _edge(dot, result, edge, drawing, number, symbol, lens)
        if keyed:
            key.append((number, _ends(result, edge),
                        _key_text(result, edge, drawing) + _declared_in(result, edge)))
    cells = [legend_cell(legend, "Legend")] if edges else []
    if key:
        cells.append(key_cell(key))
    dot.attr(label=_graph_label(result, drawing.stamp, cells))
    source: str = dot.source
    return source


def _graph_label(result: Result, stamp: str, cells: Sequence[str]) -> str:
    """Title, date checked as of, the stamp of an incomplete map, legend and key."""
    m = result.map
    rows = [f'<TD ALIGN="LEFT"><FONT POINT-SIZE="20"><B>{html_text(m.info.title)}</B></FONT>'
            '</TD>',
            f'<TD ALIGN="LEFT"><FONT POINT-SIZE="12">as of {m.as_of}</FONT></TD>']
    if stamp:
        rows.append(f'<TD ALIGN="LEFT"><FONT POINT-SIZE="14" COLOR="#A33C00"><B>'
                    f'{html_text(stamp)}</B></FONT></TD>')
    rows.extend(cells)
    body = "".join(f"<TR>{row}</TR>" for row in rows)
    return f'<<TABLE BORDER="0" CELLSPACING="2" CELLPADDING="0">{body}</TABLE>>'


def sector_fills(result: Result, drawing: Drawing) -> dict[str, str]:
    """Sector → light fill colour, for the sectors drawn (none when they are clusters)."""
    if drawing.grouping != "fill":
        return {}
    return sector_palette(drawing.theme, [result.map.organisations[o].sector
                                          for o in drawing.view.organisations])


def sector_palette(theme: Theme, sectors: Sequence[str | None]) -> dict[str, str]:
    """Sector → the theme's fill colour: the largest sectors (by organisations drawn)
    get a colour each; past the palette, the rest share its last."""
    palette = theme.sector_fills
    if not palette:
        return {}
    counts = Counter(s for s in sectors if s)
    ranked = sorted(counts, key=lambda s: (-counts[s], s))
    return {s: palette[min(i, len(palette) - 1)] for i, s in enumerate(ranked)}


def _organisations(dot: Digraph, result: Result, drawing: Drawing,
                   fills: Mapping[str, str]) -> None:
    """The organisations: filled by sector, or clustered by it (``drawing.grouping``)."""
    m = result.map
    by_sector: dict[str, list[Organisation]] = {}
    for oid in drawing.view.organisations:
        org = m.organisations[oid]
        key = org.sector or "" if drawing.grouping == "cluster" else ""
        by_sector.setdefault(key, []).append(org)
    for index, sector in enumerate(sorted(by_sector)):
        if not sector:
            for org in by_sector[sector]:
                _node(dot, result, org, drawing.theme, fills.get(org.sector or ""))
            continue
        with dot.subgraph(name=f"cluster_{index}") as sub:
            sub.attr(label=text(sector), id=f"sector-{index}", **drawing.theme.cluster)
            for org in by_sector[sector]:
                _node(sub, result, org, drawing.theme, None)


def _overseas(result: Result, org: Organisation) -> bool:
    return result.map.country(org) != result.map.info.jurisdiction


def _node(dot: Digraph, result: Result, org: Organisation, theme: Theme,
          fill: str | None) -> None:
    overseas = _overseas(result, org)
    label = wrap(org.label, NODE_LABEL_WIDTH)
    if overseas:
        label.append(f"[{result.map.country(org)}]")
    attrs: dict[str, str] = {
        "id": f"org-{org.id}",
        "class": f"org kind-{org.kind}" + (" overseas" if overseas else ""),
        "label": text(*label),
        "tooltip": node_tooltip(organisation_details(result, org)),
        **theme.kinds.get(org.kind, {}),
        **(theme.overseas if overseas else {}),
        **({"fillcolor": fill} if fill else {}),
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
    return ", ".join(item_names(result, [flow]))


def _ends(result: Result, edge: Edge) -> str:
    arrow = " ↔ " if edge.both_ways else " → "
    return result.map.label(edge.tail) + arrow + result.map.label(edge.head)


def _declared_in(result: Result, edge: Edge) -> str:
    """' — in <map>' for a flow of a composed map (each party may declare it)."""
    if len(result.map.components) < 2 or len(edge.flows) != 1:
        return ""
    component = result.map.component_of(result.map.where("flows", edge.flows[0].id))
    return f" — in {component.id}" if component else ""


def _items(result: Result, flows: Sequence[Flow], symbol: str | None) -> str:
    names = item_names(result, flows)
    if symbol in names:
        return " ".join([SYMBOL, ", ".join(n for n in names if n != symbol)]).strip()
    return ", ".join(names)


def _what(result: Result, edge: Edge, theme: Theme, labels: Labels,
          symbol: str | None) -> list[str]:
    """The lines of an edge's label: one per direction when its flows go both ways."""
    if edge.status == "unjustified":
        symbol = None  # an unjustified flow's label names everything it carries
    directions = [edge.head, edge.tail] if edge.both_ways else [edge.head]
    said = {}
    for to in directions:
        flows = edge.going(to)
        if labels == "basis":
            said[to] = "; ".join(basis_lines(result, flows))
        else:
            said[to] = _items(result, flows, symbol)
        lifecycle = flows[0].status if len(edge.flows) == 1 else "active"
        said[to] += "" if lifecycle == "active" else f" ({lifecycle})"
        if len(edge.flows) == 1 and flows[0].transfer == "agent":
            said[to] = f"held for {result.map.label(flows[0].from_)} as agent: {said[to]}"
    if len(set(said.values())) == 1:  # the same both ways: said once
        lines = [said[edge.head]]
    else:
        lines = [f"to {result.map.label(to)}: {what}" for to, what in said.items()]
    mark = theme.status_marks.get(edge.status, "")
    if edge.status == "accepted":
        mark = f"✓ {accepted_note(result, edge.flows[0])}: "
    return [mark + lines[0], *lines[1:]]


def _edge(dot: Digraph, result: Result, edge: Edge, drawing: Drawing, number: int,
          symbol: str | None, lens: Mapping[str, list[str]]) -> None:
    """Draw one edge."""
    theme, labels = drawing.theme, drawing.edge_labels
    style = dict(theme.statuses[edge.status])
    first = edge.flows[0]
    single = len(edge.flows) == 1
    lifecycle = theme.lifecycle.get(first.status, {}) if single else {}
    if "style" in lifecycle:
        style["style"] = ",".join(s for s in (style.get("style"), lifecycle["style"]) if s)
    codes = lens.get(first.id, []) if single else []
    if labels in ("numbers", "none"):
        label = text(str(number)) if labels == "numbers" else ""
    else:
        lines = _what(result, edge, theme, labels, symbol)
        label = text(*(piece for line in (*lines, *lens_line(codes))
                       for piece in wrap(line, EDGE_LABEL_WIDTH)))
    forward = any(f.from_ == edge.tail for f in edge.flows)
    attrs = {
        "id": edge.id,
        "class": (f"flow {edge.status} lifecycle-{first.status} {first.identifiability}"
                  + (" agent" if first.transfer == "agent" else "")
                  if single else f"flows {edge.status}") + (" dpup" if codes else ""),
        "label": label,
        "tooltip": text(*(line for f in edge.flows for line in flow_details(result, f))),
        **style,
        **(theme.identifiability.get(first.identifiability, {}) if single else {}),
        **(theme.agent if single and first.transfer == "agent" else {}),
        **({} if forward and not edge.both_ways
           else {"dir": "both" if edge.both_ways else "back"}),
    }
    if edge.both_ways or not forward:
        attrs["arrowtail"] = attrs.get("arrowhead", "normal")
    if codes:
        attrs["color"] = lens_colour(attrs.get("color", theme.edge.get("color", "#000000")))
    url = next((a.url for f in edge.flows for a in _bases(result, f) if a.url), None)
    if url and single:
        attrs["URL"] = link(url)
        attrs["target"] = "_top"
    if drawing.plan.engine == "twopi" and label:
        _spoke_label(dot, edge, attrs.pop("label"), attrs.get("fontcolor"))
        attrs["weight"] = "0"  # the spoke is laid out through its label
    dot.edge(edge.tail, edge.head, **attrs)


def _key_text(result: Result, edge: Edge, drawing: Drawing) -> str:
    """What a numbered edge's key entry says of it."""
    labels: Labels = "basis" if drawing.edge_labels == "basis" else "full"
    return " / ".join(_what(result, edge, drawing.theme, labels, None)) + f" [{edge.status}]"


def _spoke_label(dot: Digraph, edge: Edge, label: str, colour: str | None) -> None:
    """A radial layout places edge labels where they collide: the label becomes a small
    text node half way along the spoke, which the layout then places on a ring."""
    name = f"_label_{edge.id}"  # organisation ids never start with '_'
    dot.node(name, label=label, id=f"label-{edge.id}", shape="plaintext", style="",
             fontsize=dot.edge_attr.get("fontsize", "10"), margin="0",
             **({"fontcolor": colour} if colour else {}))
    dot.edge(edge.tail, name, style="invis", arrowhead="none")
    dot.edge(name, edge.head, style="invis", arrowhead="none")


def _bases(result: Result, flow: Flow) -> list[Authority]:
    return [result.map.authorities[a] for a in flow.basis if a in result.map.authorities]


def flow_details(result: Result, flow: Flow) -> list[str]:
    """Lines describing a flow: items, purpose, every basis, every finding."""
    m = result.map
    lines = [f"{result.map.ends(flow)}: {flow_label(result, flow)}",
             f"{flow.identifiability}, {flow.status}"
             + (f", {flow.frequency}" if flow.frequency else "")
             + (", held by an agent for the discloser (not a disclosure)"
                if flow.transfer == "agent" else "")]
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
