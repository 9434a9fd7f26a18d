"""Map → networkx MultiDiGraph, keyed by declared ids.

One node per organisation (attribute ``org``), one edge per flow whose ends
are both declared, keyed by the flow id, with the resolved model objects:
``flow``, ``information`` (the declared items it carries), ``purpose`` and
``bases`` (the declared authorities it cites). Nodes and edges are added in
id order, so everything iterating the graph is deterministic.
"""

from __future__ import annotations

import networkx as nx

from flowmap.model.mapdata import Map


def build_graph(m: Map) -> nx.MultiDiGraph:
    graph = nx.MultiDiGraph(id=m.info.id, title=m.info.title)
    for oid in sorted(m.organisations):
        graph.add_node(oid, org=m.organisations[oid])
    for fid in sorted(m.flows):
        flow = m.flows[fid]
        if flow.from_ not in graph or flow.to not in graph:
            continue  # reported as FM102; nothing to draw between
        graph.add_edge(
            flow.from_,
            flow.to,
            key=fid,
            flow=flow,
            information=tuple(m.information[i] for i in flow.information if i in m.information),
            purpose=m.purposes.get(flow.purpose) if flow.purpose else None,
            bases=tuple(m.authorities[a] for a in flow.basis if a in m.authorities),
        )
    return graph
