"""Drawings in which every organisation and flow carries a mark.

`flowmap diff` marks each flow and organisation added, removed, changed or
unchanged; `flowmap trace` marks them traced or dimmed. Both are drawn here:
a :class:`MarkedMap` → DOT → SVG (or a small self-contained HTML page).

They are drawn as a map's own drawing is (docs/layout.md): sectors as fill
colours, the legend in the graph's label under the title, and flows merged into
one edge per pair of organisations, but only flows that carry the same mark (and
note, e.g. the hops of a trace), so a merged edge never hides a change or a path.
Measured with scripts/marked_numbers.py: the sector map's diff went from 169 edge
crossings (clusters, one edge per flow) to 5.

A mark's name becomes a class on the SVG group (``id="flow-<id>"``, classes
``flow <status> <mark>``; a merged edge ``id="flows-<a>--<b>"``, or
``flows-<a>--<b>--<mark>`` when one pair has edges of several marks, classes
``flows <worst status> <mark>`` and ``data-flows`` naming its flows;
``id="org-<id>"``, classes ``org kind-<kind> <mark>``), so the drawing keeps the
SVG contract of docs/svg.md. A mark's colour
replaces the status colour, but an unjustified flow stays a double line with
a marked label, so the status survives in every mark. Every string from a
map passes through :mod:`flowmap.render.dotstr`, or is escaped for XML/HTML.
"""

from __future__ import annotations

import html
import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from flowmap.model.entities import Flow, Organisation
from flowmap.render import NUMBER_LABELS_ABOVE, PNG_DPI
from flowmap.render import layout as graphviz_layout
from flowmap.render.dot import (
    DIRECTION_ATTRS,
    EDGE_LABEL_WIDTH,
    NODE_LABEL_WIDTH,
    Direction,
    flow_details,
    flow_label,
    organisation_details,
    sector_palette,
)
from flowmap.render.dotsource import Digraph
from flowmap.render.dotstr import html_text, link, node_tooltip, text, wrap
from flowmap.render.edges import Edge, item_names, own_edge, worst_status
from flowmap.render.layout import OVERVIEW_ENGINE, Plan, plan
from flowmap.render.legend import (
    LEGEND_BOTH_WAYS,
    LEGEND_MERGED,
    kind_rows,
    legend_cell,
    sector_rows,
)
from flowmap.render.page import (
    CHOOSE_DIRECTION_UP_TO_EDGES,
    Note,
    choose_direction,
    draw_in_time,
    fit_to_page,
)
from flowmap.render.theme import DEFAULT, Theme
from flowmap.check.validate import Result

_LINE_STYLES = {"dashed", "dotted", "solid"}


@dataclass(frozen=True)
class Mark:
    """How a marked thing is drawn; ``name`` is its class in SVG."""

    name: str
    colour: str | None = None
    fontcolor: str | None = None
    penwidth: str | None = None
    style: str | None = None
    fill: str | None = None
    prefix: str = ""


@dataclass(frozen=True)
class MarkedFlow:
    result: Result  # the checked map the flow is drawn from
    flow: Flow
    mark: Mark
    note: str = ""  # appended to the label
    classes: tuple[str, ...] = ()


@dataclass(frozen=True)
class MarkedOrg:
    result: Result
    org: Organisation
    mark: Mark
    classes: tuple[str, ...] = ()


@dataclass(frozen=True)
class MarkedMap:
    id: str  # a slug (the map's id)
    title: str
    subtitle: str
    summary: str
    organisations: tuple[MarkedOrg, ...]
    flows: tuple[MarkedFlow, ...]
    #: legend rows: (glyph, colour, meaning)
    legend: tuple[tuple[str, str, str], ...]
    theme: Theme = DEFAULT
    #: how it is laid out, settled by :func:`arranged` as for a map's own drawing
    #: (flowmap.render.page): the engine, ranks left to right or top to bottom, the
    #: page it is sized for and the graph attributes that size it, a PNG's resolution
    plan: Plan = field(default_factory=lambda: Plan(merge=True, engine="dot"))
    direction: Direction = "LR"
    page: str | None = None
    page_attrs: Mapping[str, str] = field(default_factory=dict)
    dpi: int | None = None


# -- DOT -------------------------------------------------------------------------

@dataclass(frozen=True)
class MarkedEdge:
    """One drawn edge: marked flows with the same mark (and note) between one pair."""

    id: str
    edge: Edge
    flows: tuple[MarkedFlow, ...]

    @property
    def mark(self) -> Mark:
        return self.flows[0].mark


def marked_edges(drawing: MarkedMap) -> list[MarkedEdge]:
    """The edges of ``drawing``: as a map's own drawing merges them (one per unordered
    pair of organisations), but only flows with the same mark, note and classes; a flow
    whose line or label is its own (flowmap.render.edges) keeps an edge of its own."""
    groups: dict[tuple[str, ...], list[MarkedFlow]] = {}
    for marked in drawing.flows:
        flow = marked.flow
        if own_edge(marked.result, flow):
            key: tuple[str, ...] = (flow.from_, flow.to, "", flow.id)
        else:
            key = (*sorted((flow.from_, flow.to)), marked.mark.name, marked.note,
                   *marked.classes)
        groups.setdefault(key, []).append(marked)
    edges = []
    for key in sorted(groups):
        group = tuple(groups[key])
        first = group[0].flow
        tail = first.from_
        edge = Edge(tail, first.to, tuple(m.flow for m in group),
                    worst_status([m.result.flow_status(m.flow.id) for m in group]))
        edges.append(MarkedEdge(edge.id, edge, group))
    return _unique_ids(edges)


def _unique_ids(edges: list[MarkedEdge]) -> list[MarkedEdge]:
    """Merged edges of one pair with different marks: 'flows-a--b--<mark>' (and a number
    if a mark's flows with different notes make several), so every SVG id is unique."""
    pairs = Counter(e.id for e in edges)
    named: list[MarkedEdge] = []
    seen: Counter[str] = Counter()
    for e in edges:
        if pairs[e.id] == 1:
            named.append(e)
            continue
        base = f"{e.id}--{e.mark.name}"
        seen[base] += 1
        name = base if seen[base] == 1 else f"{base}-{seen[base]}"
        named.append(MarkedEdge(name, e.edge, e.flows))
    return named


#: what a diff or trace drawing that runs out of time can do instead of the overview
#: (they have no views): None, only waiting longer
HINT = None


def arranged(drawing: MarkedMap, page: str | None = None,
             note: Note = lambda said: None) -> MarkedMap:
    """``drawing`` laid out as a map's own drawing is: the engine chosen by its size,
    top to bottom where that prints larger on A4 (a long chain of traced flows), and
    sized for ``page``; ``note`` says what was chosen."""
    organisations, flows = len(drawing.organisations), len(drawing.flows)
    edges = len(marked_edges(drawing))
    chosen = plan(organisations, flows, edges)
    if chosen.engine == "dot" and edges > NUMBER_LABELS_ABOVE:  # as a map's own drawing
        chosen = replace(chosen, engine=OVERVIEW_ENGINE)
    drawing = replace(drawing, plan=chosen)
    if chosen.engine != "dot":
        note(f"{organisations} organisations and {edges} edges are too many to write what "
             f"each carries on one page: drawn as the overview with {chosen.engine}, each "
             "edge's flows in its tooltip")
    if flows <= CHOOSE_DIRECTION_UP_TO_EDGES:
        drawing = choose_direction(drawing, to_dot, note, HINT)
    return fit_to_page(drawing, to_dot, page, note, HINT) if page else drawing


def to_dot(drawing: MarkedMap) -> str:
    """DOT for ``drawing``, as :func:`arranged` laid it out."""
    theme = drawing.theme
    edges = marked_edges(drawing)
    fills = _fills(drawing)
    dot = Digraph(
        drawing.id,
        graph_attr={**theme.graph, **DIRECTION_ATTRS[drawing.direction],
                    **drawing.plan.engine_attrs,
                    **({"dpi": str(drawing.dpi)} if drawing.dpi else {}),
                    **drawing.page_attrs, "tooltip": text(drawing.summary)},
        node_attr=dict(theme.node),
        edge_attr=dict(theme.edge),
    )
    for marked in drawing.organisations:
        _node(dot, marked, theme, fills.get(marked.org.sector or "")
              if marked.mark.fill is None else None)
    for edge in edges:
        _edge(dot, edge, theme, labelled=drawing.plan.edge_labels)
    legend = list(drawing.legend)
    if any(e.edge.both_ways for e in edges):
        legend.append(LEGEND_BOTH_WAYS)
    if any(len(e.flows) > 1 for e in edges):
        legend.append(LEGEND_MERGED)
    legend += kind_rows({o.org.kind for o in drawing.organisations})
    legend += sector_rows(fills)
    dot.attr(label=_title(drawing, legend_cell(legend, "Legend") if legend else ""))
    return dot.source


def _fills(drawing: MarkedMap) -> dict[str, str]:
    """Sector → light fill colour, as in a map's own drawing, for the organisations
    whose mark keeps it (a removed or dimmed one is greyed, whatever its sector)."""
    return sector_palette(drawing.theme, [o.org.sector for o in drawing.organisations
                                          if o.mark.fill is None])


def _title(drawing: MarkedMap, legend: str) -> str:
    """Title, subtitle and legend, in the graph's own label (as in a map's drawing)."""
    rows = [f'<TD ALIGN="LEFT"><FONT POINT-SIZE="20"><B>{html_text(drawing.title)}</B>'
            '</FONT></TD>',
            f'<TD ALIGN="LEFT"><FONT POINT-SIZE="12">{html_text(drawing.subtitle)}</FONT></TD>']
    if legend:
        rows.append(legend)
    body = "".join(f"<TR>{row}</TR>" for row in rows)
    return f'<<TABLE BORDER="0" CELLSPACING="2" CELLPADDING="0">{body}</TABLE>>'


def _classes(*names: str) -> str:
    return " ".join(n for n in names if n)


def _node(dot: Digraph, marked: MarkedOrg, theme: Theme, fill: str | None) -> None:
    org, mark, m = marked.org, marked.mark, marked.result.map
    overseas = m.country(org) != m.info.jurisdiction
    label = wrap(mark.prefix + org.label, NODE_LABEL_WIDTH)
    if overseas:
        label.append(f"[{m.country(org)}]")
    attrs: dict[str, str] = {
        "id": f"org-{org.id}",
        "class": _classes("org", f"kind-{org.kind}", "overseas" if overseas else "",
                          mark.name, *marked.classes),
        "label": text(*label),
        "tooltip": node_tooltip([mark.prefix + mark.name,
                                 *organisation_details(marked.result, org)]),
        **theme.kinds.get(org.kind, {}),
        **(theme.overseas if overseas else {}),
        **({"fillcolor": fill} if fill else {}),
    }
    _apply(attrs, mark, node=True)
    if org.url:
        attrs["URL"] = link(org.url)
        attrs["target"] = "_top"
    dot.node(org.id, **attrs)


def _apply(attrs: dict[str, str], mark: Mark, *, node: bool, double: bool = False) -> None:
    """The mark's colours and style over the attributes already chosen."""
    if mark.colour:
        attrs["color"] = f"{mark.colour}:#ffffff:{mark.colour}" if double else mark.colour
    if mark.fontcolor:
        attrs["fontcolor"] = mark.fontcolor
    if mark.penwidth:
        attrs["penwidth"] = mark.penwidth
    if mark.fill and node:
        attrs["fillcolor"] = mark.fill
    if mark.style:
        styles = [s for s in attrs.get("style", "filled" if node else "").split(",") if s]
        if _LINE_STYLES & set(mark.style.split(",")):
            styles = [s for s in styles if s not in _LINE_STYLES]
        attrs["style"] = ",".join(dict.fromkeys([*styles, *mark.style.split(",")]))


def _edge(dot: Digraph, marked: MarkedEdge, theme: Theme, *, labelled: bool) -> None:
    edge, mark, first = marked.edge, marked.mark, marked.flows[0]
    single = len(marked.flows) == 1
    attrs = dict(theme.statuses[edge.status])
    lifecycle = theme.lifecycle.get(first.flow.status, {}) if single else {}
    if "style" in lifecycle:
        attrs["style"] = ",".join(s for s in (attrs.get("style"), lifecycle["style"]) if s)
    _apply(attrs, mark, node=False, double=edge.status == "unjustified")
    label = (mark.prefix + theme.status_marks.get(edge.status, "") + _what(marked)
             + first.note)
    flow = first.flow
    classes = (("flow", edge.status, f"lifecycle-{flow.status}", flow.identifiability)
               if single else ("flows", edge.status))
    attrs.update({
        "id": marked.id,
        "class": _classes(*classes, mark.name, *first.classes),
        "label": text(*wrap(label, EDGE_LABEL_WIDTH)) if labelled else "",
        "tooltip": text(*(line for m in marked.flows
                          for line in (mark.prefix + mark.name + m.note,
                                       *flow_details(m.result, m.flow)))),
    })
    if edge.both_ways:
        attrs["dir"] = "both"
        attrs["arrowtail"] = attrs.get("arrowhead", "normal")
    dot.edge(edge.tail, edge.head, **attrs)


def _what(marked: MarkedEdge) -> str:
    """What an edge carries: its items, 'to X: …' for each direction when both ways."""
    edge, result = marked.edge, marked.flows[0].result
    if len(marked.flows) == 1:
        flow = edge.flows[0]
        return flow_label(result, flow) + ("" if flow.status == "active"
                                           else f" ({flow.status})")
    said = {to: ", ".join(item_names(result, edge.going(to)))
            for to in ([edge.head, edge.tail] if edge.both_ways else [edge.head])}
    if len(set(said.values())) == 1:
        return said[edge.head]
    return "; ".join(f"to {result.map.label(to)}: {what}" for to, what in said.items())


# -- SVG and HTML ----------------------------------------------------------------------

_GROUP = re.compile(r'(<g id="((?:org|flows?)&#45;[^"]*)" class="[^"]*")(>\n<title>[^<]*</title>)')
#: the legend cell, linked to itself so that Graphviz gives it a group (as in svg.py)
_LEGEND = re.compile(r'<g id="a_legend"><a [^>]*>\n(.*?)</a>\n</g>', re.S)
_ROOT = re.compile(r"<svg\b([^>]*)>")
_PROLOGUE = re.compile(r"\A(?:<\?xml[^>]*\?>|<!DOCTYPE[^>]*>|<!--.*?-->|\s)+", re.S)


def _xml(value: str) -> str:
    return html.escape(value, quote=True)


#: the formats a marked drawing is written in, besides HTML
GRAPHVIZ_FORMATS = ("svg", "png", "pdf")


def draw(drawing: MarkedMap, fmt: str, note: Note = lambda said: None) -> bytes:
    """``drawing`` (:func:`arranged`) laid out by Graphviz as SVG, PNG or PDF, within
    the time limit: past it, drawn as the overview, on the same page."""
    def lay_out(drawing: MarkedMap, seconds: float | None) -> bytes:
        return graphviz_layout(to_dot(drawing), fmt, drawing.plan.engine, seconds)

    if fmt == "png":
        drawing = replace(drawing, dpi=PNG_DPI)
    data, drawing = draw_in_time(lay_out, drawing, to_dot, note, HINT)
    return _accessible(data, drawing) if fmt == "svg" else data


def _accessible(data: bytes, drawing: MarkedMap) -> bytes:
    """Graphviz's SVG of ``drawing`` with titles and descriptions for screen readers."""
    svg = data.decode("utf-8")
    edges = marked_edges(drawing)
    details = _details(drawing, edges)
    carried = {e.id: " ".join(m.flow.id for m in e.flows) for e in edges if len(e.flows) > 1}

    def add_desc(match: re.Match[str]) -> str:
        name = html.unescape(match.group(2))
        desc = details.get(name)
        flows = f' data-flows="{_xml(carried[name])}"' if name in carried else ""
        return (match.group(1) + flows + match.group(3)
                + (f"\n<desc>{_xml(desc)}</desc>" if desc else ""))

    svg = _GROUP.sub(add_desc, svg)
    svg = _LEGEND.sub(r'<g id="legend" class="legend">\n\1</g>', svg)
    heading = (f'<title id="map-title">{_xml(drawing.title)}</title>\n'
               f'<desc id="map-desc">{_xml(drawing.summary)}</desc>')
    svg = _ROOT.sub(lambda mt: f'<svg{mt.group(1)} role="img" '
                    f'aria-labelledby="map-title map-desc">\n{heading}', svg, count=1)
    return svg.encode("utf-8")


def _details(drawing: MarkedMap, edges: list[MarkedEdge]) -> Mapping[str, str]:
    found = {f"org-{o.org.id}": " ".join([f"{o.mark.name}:",
                                          *organisation_details(o.result, o.org)])
             for o in drawing.organisations}
    found.update({e.id: " ".join(word for f in e.flows
                                 for word in (f"{f.mark.name}{f.note}:",
                                              *flow_details(f.result, f.flow)))
                  for e in edges})
    return found


HTML_STYLE = (
    "body{font-family:'DejaVu Sans',Arial,sans-serif;margin:1.5rem;color:#1a1a1a}"
    "h1{font-size:1.4rem}figure{margin:1rem 0;overflow:auto}"
    "svg{max-width:100%;height:auto}table{border-collapse:collapse}"
    "td,th{border:1px solid #ccc;padding:.2rem .5rem;text-align:left;vertical-align:top}"
    "@media print{figure{overflow:visible}}"
)


def to_html(drawing: MarkedMap, body: str = "", note: Note = lambda said: None) -> bytes:
    """A self-contained page: heading, ``body`` (already escaped HTML), the SVG inline.
    It makes no network requests (its content security policy forbids them)."""
    svg = _PROLOGUE.sub("", draw(drawing, "svg", note).decode("utf-8"))
    page = (
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
        "style-src 'unsafe-inline'; img-src data:\">\n"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        f"<title>{_xml(drawing.title)}</title>\n<style>{HTML_STYLE}</style>\n</head>\n"
        f"<body>\n<h1>{_xml(drawing.title)}</h1>\n<p>{_xml(drawing.subtitle)}</p>\n"
        f"{body}\n<figure>\n{svg}\n</figure>\n</body>\n</html>\n"
    )
    return page.encode("utf-8")
