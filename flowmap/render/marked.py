"""Drawings in which every organisation and flow carries a mark.

`flowmap diff` marks each flow and organisation added, removed, changed or
unchanged; `flowmap trace` marks them traced or dimmed. Both are drawn here:
a :class:`MarkedMap` → DOT → SVG (or a small self-contained HTML page).

A mark's name becomes a class on the SVG group (``id="flow-<id>"``, classes
``flow <status> <mark>``; ``id="org-<id>"``, classes ``org kind-<kind> <mark>``),
so the drawing keeps the SVG contract of FORMAT.md §3. A mark's colour
replaces the status colour, but an unjustified flow stays a double line with
a marked label, so the status survives in every mark. Every string from a
map passes through :mod:`flowmap.render.dotstr`, or is escaped for XML/HTML.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from dataclasses import dataclass

import graphviz

from flowmap.model import Flow, Organisation
from flowmap.render import layout as graphviz_layout
from flowmap.render.dot import flow_details, flow_label, organisation_details
from flowmap.render.dotstr import html_text, link, node_tooltip, text, wrap
from flowmap.render.layout import Plan, plan
from flowmap.render.legend import add_legend
from flowmap.render.theme import DEFAULT, Theme
from flowmap.validate import Result

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


# -- DOT -------------------------------------------------------------------------

def to_dot(drawing: MarkedMap) -> str:
    theme = drawing.theme
    chosen = _plan(drawing)
    dot = graphviz.Digraph(
        name=drawing.id,
        graph_attr={**theme.graph, "label": _title(drawing), **chosen.engine_attrs,
                    "tooltip": text(drawing.summary)},
        node_attr=dict(theme.node),
        edge_attr=dict(theme.edge),
    )
    by_sector: dict[str, list[MarkedOrg]] = {}
    for marked in drawing.organisations:
        by_sector.setdefault(marked.org.sector or "", []).append(marked)
    for index, sector in enumerate(sorted(by_sector)):
        if not sector:
            for marked in by_sector[sector]:
                _node(dot, marked, theme)
            continue
        with dot.subgraph(name=f"cluster_{index}") as sub:
            sub.attr(label=text(sector), id=f"sector-{index}", **theme.cluster)
            for marked in by_sector[sector]:
                _node(sub, marked, theme)
    for flow in drawing.flows:
        _edge(dot, flow, theme, labelled=chosen.edge_labels)
    if drawing.legend:
        add_legend(dot, drawing.legend, merged=False)
    source: str = dot.source
    return source


def _plan(drawing: MarkedMap) -> Plan:
    pairs = {(f.flow.from_, f.flow.to) for f in drawing.flows}
    return plan(len(drawing.organisations), len(drawing.flows), len(pairs), merge=False)


def _title(drawing: MarkedMap) -> str:
    return (f'<<FONT POINT-SIZE="20"><B>{html_text(drawing.title)}</B></FONT>'
            f'<BR ALIGN="LEFT"/><FONT POINT-SIZE="12">{html_text(drawing.subtitle)}</FONT>'
            '<BR ALIGN="LEFT"/>>')


def _classes(*names: str) -> str:
    return " ".join(n for n in names if n)


def _node(dot: graphviz.Digraph, marked: MarkedOrg, theme: Theme) -> None:
    org, mark, m = marked.org, marked.mark, marked.result.map
    overseas = m.country(org) != m.info.jurisdiction
    label = wrap(mark.prefix + org.label, 22)
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


def _edge(dot: graphviz.Digraph, marked: MarkedFlow, theme: Theme, *, labelled: bool) -> None:
    flow, mark, result = marked.flow, marked.mark, marked.result
    status = result.flow_status(flow.id)
    attrs = dict(theme.statuses[status])
    lifecycle = theme.lifecycle.get(flow.status, {})
    if "style" in lifecycle:
        attrs["style"] = ",".join(s for s in (attrs.get("style"), lifecycle["style"]) if s)
    _apply(attrs, mark, node=False, double=status == "unjustified")
    what = flow_label(result, flow) + ("" if flow.status == "active" else f" ({flow.status})")
    label = mark.prefix + theme.status_marks.get(status, "") + what + marked.note
    attrs.update({
        "id": f"flow-{flow.id}",
        "class": _classes("flow", status, f"lifecycle-{flow.status}", flow.identifiability,
                          mark.name, *marked.classes),
        "label": text(*wrap(label)) if labelled else "",
        "tooltip": text(mark.prefix + mark.name + marked.note, *flow_details(result, flow)),
    })
    dot.edge(flow.from_, flow.to, **attrs)


# -- SVG and HTML ----------------------------------------------------------------------

_GROUP = re.compile(r'(<g id="((?:org|flow)&#45;[^"]*)" class="[^"]*">\n<title>[^<]*</title>)')
_ROOT = re.compile(r"<svg\b([^>]*)>")
_PROLOGUE = re.compile(r"\A(?:<\?xml[^>]*\?>|<!DOCTYPE[^>]*>|<!--.*?-->|\s)+", re.S)


def _xml(value: str) -> str:
    return html.escape(value, quote=True)


def to_svg(drawing: MarkedMap) -> bytes:
    """The drawing laid out by Graphviz, with titles and descriptions for screen readers."""
    svg = graphviz_layout(to_dot(drawing), "svg", _plan(drawing).engine).decode("utf-8")
    details = _details(drawing)

    def add_desc(match: re.Match[str]) -> str:
        desc = details.get(html.unescape(match.group(2)))
        return match.group(1) + (f"\n<desc>{_xml(desc)}</desc>" if desc else "")

    svg = _GROUP.sub(add_desc, svg)
    heading = (f'<title id="map-title">{_xml(drawing.title)}</title>\n'
               f'<desc id="map-desc">{_xml(drawing.summary)}</desc>')
    svg = _ROOT.sub(lambda mt: f'<svg{mt.group(1)} role="img" '
                    f'aria-labelledby="map-title map-desc">\n{heading}', svg, count=1)
    return svg.encode("utf-8")


def _details(drawing: MarkedMap) -> Mapping[str, str]:
    found = {f"org-{o.org.id}": " ".join([f"{o.mark.name}:",
                                          *organisation_details(o.result, o.org)])
             for o in drawing.organisations}
    found.update({f"flow-{f.flow.id}": " ".join([f"{f.mark.name}{f.note}:",
                                                 *flow_details(f.result, f.flow)])
                  for f in drawing.flows})
    return found


HTML_STYLE = (
    "body{font-family:'DejaVu Sans',Arial,sans-serif;margin:1.5rem;color:#1a1a1a}"
    "h1{font-size:1.4rem}figure{margin:1rem 0;overflow:auto}"
    "svg{max-width:100%;height:auto}table{border-collapse:collapse}"
    "td,th{border:1px solid #ccc;padding:.2rem .5rem;text-align:left;vertical-align:top}"
    "@media print{figure{overflow:visible}}"
)


def to_html(drawing: MarkedMap, body: str = "") -> bytes:
    """A self-contained page: heading, ``body`` (already escaped HTML), the SVG inline.
    It makes no network requests (its content security policy forbids them)."""
    svg = _PROLOGUE.sub("", to_svg(drawing).decode("utf-8"))
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
