"""Accessible SVG: a title and description for the map, each organisation and flow.

Graphviz writes a ``<title>`` per group (the node name); this adds a
``<desc>`` beside it with the details a screen reader should read, and a
title and description on the root element with ``role="img"``. It works on
Graphviz's own, stable output format, and escapes every inserted string.
"""

from __future__ import annotations

import html
import re

from flowmap.render.dot import Drawing, edges_of, flow_details, organisation_details
from flowmap.render.dotstr import printable
from flowmap.check.validate import FLOW_STATUSES, Result

_GROUP = re.compile(r'(<g id="((?:org|flows?)&#45;[^"]*)" class="[^"]*")(>\n<title>[^<]*</title>)')
_ROOT = re.compile(r"<svg\b([^>]*)>")
#: Graphviz draws a cell of an HTML-like label as a group 'a_<ID>' only if it is a link:
#: the legend and key are linked to themselves to get one, which is unwrapped here
_LABEL_CELLS = re.compile(r'<g id="a_(legend|key)"><a [^>]*>\n(.*?)</a>\n</g>', re.S)


def _xml(value: str) -> str:
    return html.escape(printable(value), quote=True)


def summary(result: Result, drawing: Drawing) -> str:
    """One paragraph describing the whole drawing."""
    m = result.map
    statuses = [result.flow_status(f) for f in drawing.view.flows]
    counts = ", ".join(f"{statuses.count(s)} {s}" for s in FLOW_STATUSES if s in statuses)
    return (f"Map of {len(drawing.view.flows)} flows of information between "
            f"{len(drawing.view.organisations)} organisations as of {m.as_of}"
            + (f": {counts}." if counts else "."))


def make_accessible(svg: bytes, result: Result, drawing: Drawing) -> bytes:
    """The SVG with titles and descriptions for assistive technology."""
    m = result.map
    details: dict[str, str] = {}
    for oid in drawing.view.organisations:
        details[f"org-{oid}"] = " ".join(organisation_details(result, m.organisations[oid]))
    carried: dict[str, str] = {}
    for edge in edges_of(result, drawing):
        details[edge.id] = " ".join(line for f in edge.flows
                                    for line in flow_details(result, f))
        if len(edge.flows) > 1:
            carried[edge.id] = " ".join(f.id for f in edge.flows)

    def add_desc(match: re.Match[str]) -> str:
        name = html.unescape(match.group(2))
        desc = details.get(name)
        flows = f' data-flows="{_xml(carried[name])}"' if name in carried else ""
        return (match.group(1) + flows + match.group(3)
                + (f"\n<desc>{_xml(desc)}</desc>" if desc else ""))

    text = _GROUP.sub(add_desc, svg.decode("utf-8"))
    text = _LABEL_CELLS.sub(r'<g id="\1" class="\1">\n\2</g>', text)
    root = (f'<svg\\1 role="img" aria-labelledby="map-title map-desc">\n'
            f'<title id="map-title">{_xml(m.info.title)}</title>\n'
            f'<desc id="map-desc">{_xml(summary(result, drawing))}</desc>')
    text = _ROOT.sub(lambda mt: root.replace("\\1", mt.group(1)), text, count=1)
    return text.encode("utf-8")
