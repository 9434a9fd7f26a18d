"""The legend (a key to exactly the styles a drawing uses) and the numbered-flow key."""

from __future__ import annotations

from collections.abc import Collection, Sequence

import graphviz

from flowmap.render.dotstr import html_text
from flowmap.render.theme import Theme

#: legend rows: (status, sample glyphs, meaning)
LEGEND_STATUSES = (
    ("unjustified", "═══", "no valid legal basis"),
    ("accepted", "───", "finding accepted by a reviewer"),
    ("warning", "───", "basis valid, with warnings"),
    ("justified", "───", "legal basis covers the flow"),
)
LEGEND_LIFECYCLE = (("proposed", "╌╌╌", "proposed"), ("historical", "┈┈┈", "historical"))
#: DOT names of the legend and key: organisation ids are lower-case slugs, so these
#: can never be one
LEGEND_NODE = "_Legend"
KEY_NODE = "_Key"
BOX = {"shape": "box", "style": "rounded", "color": "#999999", "margin": "0.1,0.05"}
LEGEND_OVERSEAS = "outside the map's jurisdiction (double border)"
LEGEND_IDENTIFIABILITY = (
    ("pseudonymised", "──▷", "pseudonymised (open arrowhead)"),
    ("de-identified", "──▷", "de-identified (hollow arrowhead)"),
    ("aggregate", "──○", "aggregate, no individual records (circle)"),
)


def legend_rows(theme: Theme, statuses: Collection[str], lifecycles: Collection[str],
                overseas: bool, identifiability: Collection[str] = ()) -> list[
                    tuple[str, str, str]]:
    """(glyph, colour, meaning) for each style used, in a fixed order."""
    rows = []
    for status, glyph, meaning in LEGEND_STATUSES:
        if status in statuses:
            colour = theme.statuses[status].get("color", "#000000").split(":")[0]
            rows.append((glyph, colour, meaning))
    for status, glyph, meaning in LEGEND_LIFECYCLE:
        if status in lifecycles:
            rows.append((glyph, "#333333", meaning))
    for kind, glyph, meaning in LEGEND_IDENTIFIABILITY:
        if kind in identifiability:
            rows.append((glyph, "#333333", meaning))
    if overseas:
        rows.append(("▣", "#333333", LEGEND_OVERSEAS))
    return rows


def add_legend(dot: graphviz.Digraph, rows: Sequence[tuple[str, str, str]],
               merged: bool) -> None:
    heading = "Pairs of organisations (worst flow)" if merged else "Flows"
    cells = "".join(
        f'<TR><TD ALIGN="LEFT"><FONT COLOR="{colour}"><B>{glyph}</B></FONT></TD>'
        f'<TD ALIGN="LEFT">{html_text(meaning)}</TD></TR>'
        for glyph, colour, meaning in rows
    )
    label = ('<<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="2">'
             f'<TR><TD COLSPAN="2" ALIGN="LEFT"><B>{heading}</B></TD></TR>{cells}</TABLE>>')
    dot.node(LEGEND_NODE, id="legend", label=label, **BOX, tooltip="Legend",
             **{"class": "legend"})


def add_key(dot: graphviz.Digraph, entries: Sequence[tuple[int, str, str]]) -> None:
    """A table of numbered edges: (number, 'From → To', what the edge carries)."""
    cells = "".join(
        f'<TR><TD ALIGN="RIGHT"><B>{n}</B></TD><TD ALIGN="LEFT">{html_text(ends)}</TD>'
        f'<TD ALIGN="LEFT">{html_text(what)}</TD></TR>'
        for n, ends, what in entries
    )
    label = ('<<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="1">'
             f'<TR><TD COLSPAN="3" ALIGN="LEFT"><B>Key to numbered flows</B></TD></TR>'
             f"{cells}</TABLE>>")
    dot.node(KEY_NODE, id="key", label=label, **BOX, tooltip="Key to numbered flows",
             **{"class": "key"})

