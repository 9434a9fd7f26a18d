"""flowmap writes DOT text itself (flowmap.render.dotsource): the same bytes as the
``graphviz`` library it replaced, for any string a map can hold."""

from __future__ import annotations

from collections.abc import Callable

import graphviz
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from flowmap.render import dotsource
from flowmap.render.dotstr import text

HOSTILE = ["", "a", "node", "Graph", "-4.2", ".5", "4.", "1-2", 'say "hi"', 'x\\"y',
           "\\\\\"", "<b>bold</b>", "<x", "a b", "é", "line\n", "back\\", "a:b", "a:b:n",
           "<<TABLE></TABLE>>"]
strings = st.one_of(st.sampled_from(HOSTILE), st.text(max_size=30))
#: attribute values as flowmap passes them: map text through text(), or its own constants
values = st.one_of(strings.map(lambda s: text(s)), strings)
names = st.sampled_from(["id", "class", "tooltip", "color", "URL", "weight", "style"])


@pytest.mark.filterwarnings("ignore:expect syntax error")  # the library's, on 'back\\'
@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(strings, st.dictionaries(names, values, max_size=4),
                          st.one_of(st.none(), values)), max_size=4),
       st.lists(st.tuples(strings, strings, st.dictionaries(names, values, max_size=4),
                          st.one_of(st.none(), values)), max_size=4),
       st.dictionaries(names, values, max_size=3), st.dictionaries(names, values, max_size=3))
def test_the_same_source_as_the_graphviz_library(
        nodes: list[tuple[str, dict[str, str], str | None]],
        edges: list[tuple[str, str, dict[str, str], str | None]],
        graph_attr: dict[str, str], cluster_attr: dict[str, str]) -> None:
    ours = dotsource.Digraph("map-1", graph_attr=graph_attr, node_attr={"shape": "box"})
    theirs = graphviz.Digraph(name="map-1", graph_attr=_each(_library, graph_attr),
                              node_attr={"shape": "box"})
    for dot, same in ((ours, _ours), (theirs, _library)):
        for name, attrs, label in nodes:
            dot.node(name, label=same(label), **_each(same, attrs))
        with dot.subgraph(name="cluster_0") as sub:
            sub.attr(**_each(same, cluster_attr))
            for tail, head, attrs, label in edges:
                sub.edge(tail, head, label=same(label), **_each(same, attrs))
        dot.attr(label="<<B>title</B>>")
    assert ours.source == theirs.source


def _ours(value: str | None) -> str | None:
    return value


def _library(value: str | None) -> str | None:
    """Map text as the library marks it: its own ``nohtml`` string."""
    return graphviz.nohtml(value) if isinstance(value, dotsource.NoHtml) else value


def _each(same: Callable[[str | None], str | None], attrs: dict[str, str]) -> dict[str, str]:
    return {k: v for k, v in ((k, same(v)) for k, v in attrs.items()) if v is not None}


def test_text_from_a_map_is_never_an_html_label() -> None:
    assert dotsource.quote(text("<b>x</b>")) == '"<b>x</b>"'
    assert dotsource.quote("<<B>ours</B>>") == "<<B>ours</B>>"
