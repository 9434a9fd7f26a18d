"""A checked map (or a view) as a plain graph: scalar attributes only.

This is what the data formats share: node-link JSON and GraphML (which
Gephi and yEd open) are written from it by networkx. A map drawn although part of
it could not be read says so in the graph's own attributes: ``incomplete`` (true)
and ``missing`` (what was not read, as the pictures' "INCOMPLETE: …" stamp says it).
"""

from __future__ import annotations

import io
import json

import networkx as nx

from flowmap.render.dotstr import printable
from flowmap.check.validate import Result
from flowmap.review.views import View


def plain_graph(result: Result, view: View, stamp: str = "") -> nx.MultiDiGraph:
    """The view as a graph; ``stamp`` says what of the map is missing ('' for none)."""
    m = result.map
    graph = nx.MultiDiGraph(id=m.info.id, title=m.info.title, as_of=str(m.as_of),
                            jurisdiction=m.info.jurisdiction, incomplete=bool(stamp),
                            missing=stamp)
    for oid in view.organisations:
        org = m.organisations[oid]
        graph.add_node(oid, name=org.name, label=org.label, kind=org.kind,
                       sector=org.sector or "", country=m.country(org), url=org.url or "")
    for fid in view.flows:
        flow = m.flows[fid]
        findings = result.for_flow(fid)
        graph.add_edge(
            flow.from_, flow.to, key=fid,
            information=", ".join(flow.information),
            categories=", ".join(m.information[i].category for i in flow.information
                                 if i in m.information),
            purpose=flow.purpose or "",
            basis=", ".join(flow.basis),
            status=result.flow_status(fid),
            lifecycle=flow.status,
            identifiability=flow.identifiability,
            findings=", ".join(sorted({f.code for f in findings})),
        )
    return graph


def to_json(result: Result, view: View, stamp: str = "") -> bytes:
    data = nx.node_link_data(plain_graph(result, view, stamp), edges="links")
    return (json.dumps(data, indent=2, ensure_ascii=False, sort_keys=True) + "\n").encode()


def to_graphml(result: Result, view: View, stamp: str = "") -> bytes:
    buffer = io.BytesIO()
    nx.write_graphml(plain_graph(result, view, stamp), buffer, encoding="utf-8", prettyprint=True)
    return printable(buffer.getvalue().decode("utf-8")).encode("utf-8")  # valid XML
