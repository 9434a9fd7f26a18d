"""DOT source text, written directly: the subset of the ``graphviz`` library's
``Digraph`` that flowmap's drawings use (:mod:`flowmap.render.dot` and
:mod:`flowmap.render.marked`), with the same bytes.

The library quotes every attribute through argument-checking wrappers, which was
most of ``render --format dot``'s own time on a big map (docs/performance.md), and
importing it cost every drawing command start-up time. :func:`quote` keeps its
rules exactly: a string of the form ``<...>`` is an HTML-like label unless it is a
:class:`NoHtml` string (what :func:`flowmap.render.dotstr.text` makes of map text);
a DOT id or number is written as it is; anything else is quoted, its quotes
escaped. Attributes are written sorted by name (a node's or edge's label first) and
``None`` values left out, as the library does.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from contextlib import contextmanager

__all__ = ["Digraph", "NoHtml", "quote"]


class NoHtml(str):
    """Text that is never an HTML-like label, even when it reads ``<...>`` (the
    library's ``graphviz.nohtml``)."""

    __slots__ = ()

#: the ``graphviz`` library's own patterns (graphviz.quoting), kept to give its bytes
_HTML = re.compile(r"<.*>$", re.DOTALL).match
_ID = re.compile(r"([a-zA-Z_][a-zA-Z0-9_]*|-?(\.[0-9]+|[0-9]+(\.[0-9]*)?))$").match
_QUOTE = re.compile(r'(?P<escaped_backslashes>(?:\\{2})*)\\?(?P<literal_quote>")')
_KEYWORDS = frozenset({"node", "edge", "graph", "digraph", "subgraph", "strict"})


def quote(value: str) -> str:
    """``value`` as a DOT id: raw when it is an id, a number or an HTML-like label,
    else in double quotes (a quote inside, escaped or not, becomes ``\\"``)."""
    if not isinstance(value, NoHtml) and _HTML(value):
        return value
    if not _ID(value) or value.lower() in _KEYWORDS:
        if '"' in value:
            value = _QUOTE.sub(r'\g<escaped_backslashes>\\\g<literal_quote>', value)
        return f'"{value}"'
    return value


def attributes(attrs: Mapping[str, str | None]) -> str:
    """``a=1 b="x y"``: sorted by name, ``None`` left out."""
    return " ".join(f"{_name(k)}={quote(v)}" for k, v in sorted(attrs.items())
                    if v is not None)


#: attribute names, quoted once each: a drawing uses a few dozen, on every statement
_NAMES: dict[str, str] = {}


def _name(name: str) -> str:
    """An attribute's name as :func:`quote` writes it."""
    quoted = _NAMES.get(name)
    if quoted is None:
        quoted = _NAMES[name] = quote(name)
    return quoted


def _bracketed(attrs: Mapping[str, str | None], label: str | None = None) -> str:
    """`` [label=... a=1 b=2]``: a node's or edge's label first, as the library puts it."""
    listed = attributes(attrs)
    if label is not None:
        listed = f"label={quote(label)} {listed}" if listed else f"label={quote(label)}"
    return f" [{listed}]" if listed else ""


def _end(name: str) -> str:
    """An edge's end: ``node[:port[:compass]]``, each part quoted as needed."""
    node, _, rest = name.partition(":")
    if not rest:
        return quote(node)
    port, _, compass = rest.partition(":")
    return ":".join([quote(node), quote(port), *([compass] if compass else [])])


class Digraph:
    """A directed graph's DOT source, statement by statement."""

    def __init__(self, name: str | None = None, *,
                 graph_attr: Mapping[str, str] | None = None,
                 node_attr: Mapping[str, str] | None = None,
                 edge_attr: Mapping[str, str] | None = None) -> None:
        self.name = name
        self.graph_attr = dict(graph_attr or {})
        self.node_attr = dict(node_attr or {})
        self.edge_attr = dict(edge_attr or {})
        self.body: list[str] = []

    def node(self, name: str, label: str | None = None, **attrs: str | None) -> None:
        self.body.append(f"\t{quote(name)}{_bracketed(attrs, label)}\n")

    def edge(self, tail: str, head: str, label: str | None = None,
             **attrs: str | None) -> None:
        self.body.append(f"\t{_end(tail)} -> {_end(head)}{_bracketed(attrs, label)}\n")

    def attr(self, **attrs: str | None) -> None:
        """Attributes of the graph (or subgraph) itself, as a statement in its body."""
        if attrs:
            self.body.append(f"\t{attributes(attrs)}\n")

    @contextmanager
    def subgraph(self, name: str) -> Iterator[Digraph]:
        """A subgraph, added to this graph's body when the ``with`` block ends."""
        sub = Digraph(name)
        yield sub
        self.body.extend(f"\t{line}" for line in sub.lines("subgraph "))

    def lines(self, head: str = "digraph ") -> Iterator[str]:
        yield f"{head}{quote(self.name) + ' ' if self.name else ''}{{\n"
        for kind, attrs in (("graph", self.graph_attr), ("node", self.node_attr),
                            ("edge", self.edge_attr)):
            if attrs:
                yield f"\t{kind}{_bracketed(attrs)}\n"
        yield from self.body
        yield "}\n"

    @property
    def source(self) -> str:
        return "".join(self.lines())
