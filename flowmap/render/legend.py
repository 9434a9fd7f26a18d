"""The legend (a key to exactly the styles a drawing uses) and the numbered-flow key.

A map's legend and key sit in the graph's own label, under the title, in columns:
as a node beside the drawing, the key widened the composed sector map by a third
(docs/layout.md). In SVG each is a group, ``id="legend"`` and ``id="key"``.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Mapping, Sequence

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
LEGEND_OVERSEAS = "outside the map's jurisdiction (double border)"
LEGEND_AGENT = ("╌╌◇", "#666666", "held by an agent for the discloser: not a disclosure")
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


#: how each organisation kind's shape is named in the legend: (glyph, shape)
KIND_SHAPES = {
    "government-department": ("▭", "box"),
    "crown-entity": ("▢", "rounded box"),
    "local-government": ("▧", "box with diagonals"),
    "ngo": ("◯", "ellipse"),
    "iwi-maori-organisation": ("⬡", "octagon"),
    "health-provider": ("⛁", "cylinder"),
    "education-provider": ("▭", "tab"),
    "private-sector": ("▭", "component box"),
    "international": ("⬡", "double octagon"),
    "individual": ("◯", "dashed ellipse"),
    "other": ("⬡", "hexagon"),
}
#: rows in each column of the legend (at least; at most LEGEND_COLUMNS columns), and
#: of the numbered key: a legend wider than a small map widens the picture
LEGEND_ROWS = 5
LEGEND_COLUMNS = 3
KEY_ROWS = 14
LEGEND_FONT = "10"
LEGEND_BOTH_WAYS = ("⟷", "#333333", "flows both ways: one label line per direction")
LEGEND_MERGED = ("═", "#333333", "several flows, one edge: worst colour")


def kind_rows(kinds: Collection[str]) -> list[tuple[str, str, str]]:
    """A legend row for each organisation kind drawn: its shape."""
    return [(KIND_SHAPES[k][0], "#333333", f"{KIND_SHAPES[k][1]}: {k.replace('-', ' ')}")
            for k in KIND_SHAPES if k in kinds]


def sector_rows(fills: Mapping[str, str]) -> list[tuple[str, str, str]]:
    """A legend row for each sector's fill colour (none when all share one colour)."""
    if len(set(fills.values())) < 2:
        return []
    sectors: dict[str, list[str]] = {}
    for sector, colour in fills.items():
        sectors.setdefault(colour, []).append(sector)
    return [("■", colour, ("sector: " if len(names) == 1 else "sectors: ") + ", ".join(names))
            for colour, names in sectors.items()]


def _columns(cells: Sequence[str], rows: int) -> str:
    """Table rows laying ``cells`` (each a run of <TD>s) out in columns, top to bottom."""
    count = max(1, math.ceil(len(cells) / rows))
    height = math.ceil(len(cells) / count)
    out = []
    for r in range(height):
        row = [cells[c * height + r] for c in range(count) if c * height + r < len(cells)]
        out.append("<TR>" + "".join(row) + "</TR>")
    return "".join(out)


def legend_cell(rows: Sequence[tuple[str, str, str]], heading: str) -> str:
    """The legend as a cell of the graph's label (``rows``: glyph, colour, meaning)."""
    cells = [f'<TD ALIGN="RIGHT"><FONT COLOR="{colour}"><B>{html_text(glyph)}</B></FONT></TD>'
             f'<TD ALIGN="LEFT">{html_text(meaning)}</TD>'
             for glyph, colour, meaning in rows]
    return (f'<TD ALIGN="LEFT" ID="legend" HREF="#legend" TOOLTIP="Legend">'
            f'<FONT POINT-SIZE="{LEGEND_FONT}">'
            f'<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="1" CELLPADDING="1">'
            f'<TR><TD COLSPAN="2" ALIGN="LEFT"><B>{html_text(heading)}</B></TD></TR>'
            f'{_columns(cells, max(LEGEND_ROWS, math.ceil(len(cells) / LEGEND_COLUMNS)))}'
            '</TABLE></FONT></TD>')


def key_cell(entries: Sequence[tuple[int, str, str]]) -> str:
    """The numbered key as a cell of the graph's label: (number, 'A → B', what)."""
    cells = [f'<TD ALIGN="RIGHT"><B>{n}</B></TD><TD ALIGN="LEFT">{html_text(ends)}</TD>'
             f'<TD ALIGN="LEFT">{html_text(what)}</TD>' for n, ends, what in entries]
    return (f'<TD ALIGN="LEFT" ID="key" HREF="#key" TOOLTIP="Key to numbered flows">'
            f'<FONT POINT-SIZE="{LEGEND_FONT}">'
            f'<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="1" CELLPADDING="1">'
            f'<TR><TD COLSPAN="3" ALIGN="LEFT"><B>Key to numbered flows</B></TD></TR>'
            f'{_columns(cells, KEY_ROWS)}</TABLE></FONT></TD>')
