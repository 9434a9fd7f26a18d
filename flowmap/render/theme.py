"""Themes: how organisations and flows are drawn, as data.

Colours are the Okabe-Ito palette (safe for the common colour-vision
deficiencies). Status never rests on colour alone: an unjustified flow is a
heavy double line with a marked label, which survives greyscale printing.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

Attrs = Mapping[str, str]

FONT = "DejaVu Sans"


@dataclass(frozen=True)
class Theme:
    name: str
    graph: Attrs
    node: Attrs
    edge: Attrs
    cluster: Attrs
    kinds: Mapping[str, Attrs]
    statuses: Mapping[str, Attrs]
    lifecycle: Mapping[str, Attrs]
    overseas: Attrs
    status_marks: Mapping[str, str] = field(default_factory=dict)
    #: how a flow's identifiability shows: its arrowhead
    identifiability: Mapping[str, Attrs] = field(default_factory=lambda: IDENTIFIABILITY)
    #: light fill colours for organisations, one per sector (docs/layout.md)
    sector_fills: tuple[str, ...] = ()
    #: custody by an agent (Privacy Act 2020 s 11): not a disclosure, drawn apart
    agent: Attrs = field(default_factory=lambda: AGENT)


_KIND_SHAPES: dict[str, dict[str, str]] = {
    "government-department": {"shape": "box", "fillcolor": "#dcebf7"},
    "crown-entity": {"shape": "box", "style": "rounded,filled", "fillcolor": "#dcebf7"},
    "local-government": {"shape": "box", "style": "filled,diagonals", "fillcolor": "#e8eef4"},
    "ngo": {"shape": "ellipse", "fillcolor": "#fdf0d5"},
    "iwi-maori-organisation": {"shape": "octagon", "fillcolor": "#f4e3ef"},
    "health-provider": {"shape": "cylinder", "fillcolor": "#dff2ea"},
    "education-provider": {"shape": "tab", "fillcolor": "#eef3d9"},
    "private-sector": {"shape": "component", "fillcolor": "#eeeeee"},
    "international": {"shape": "doubleoctagon", "fillcolor": "#f7e1d7"},
    "individual": {"shape": "ellipse", "style": "filled,dashed", "fillcolor": "#ffffff"},
    "other": {"shape": "hexagon", "fillcolor": "#f2f2f2"},
}

#: tints of the Okabe-Ito colours, light enough for black text
SECTOR_FILLS = ("#dcebf7", "#fdf0d5", "#dff2ea", "#f4e3ef", "#eef3d9", "#f7e1d7",
                "#e6f4f7", "#ebe6f4", "#f2f2f2")

AGENT: dict[str, str] = {"style": "dashed", "arrowhead": "odiamond", "color": "#666666",
                         "fontcolor": "#444444"}

IDENTIFIABILITY: dict[str, dict[str, str]] = {
    "identified": {},
    "pseudonymised": {"arrowhead": "onormal"},
    "de-identified": {"arrowhead": "empty"},
    "aggregate": {"arrowhead": "odot"},
}

DEFAULT = Theme(
    name="default",
    graph={
        "rankdir": "LR",
        "fontname": FONT,
        "fontsize": "20",
        "labelloc": "t",
        "labeljust": "l",
        "nodesep": "0.2",
        "ranksep": "0.5",
        "pad": "0.3",
        "bgcolor": "#ffffff",
        "newrank": "true",
        "splines": "true",
    },
    node={"fontname": FONT, "fontsize": "12", "style": "filled", "color": "#333333",
          "margin": "0.15,0.06"},
    edge={"fontname": FONT, "fontsize": "10", "color": "#0072B2", "fontcolor": "#1a1a1a",
          "arrowsize": "0.8"},
    cluster={"style": "rounded,filled", "fillcolor": "#fafafa", "color": "#bbbbbb",
             "fontname": FONT, "fontsize": "13", "fontcolor": "#444444", "labeljust": "l"},
    kinds=_KIND_SHAPES,
    statuses={
        "unjustified": {"color": "#D55E00:#ffffff:#D55E00", "penwidth": "2.2",
                        "fontcolor": "#A33C00", "style": "bold", "arrowsize": "1.1"},
        "accepted": {"color": "#CC79A7", "penwidth": "1.6", "fontcolor": "#7A3A63"},
        "warning": {"color": "#E69F00", "penwidth": "1.6", "fontcolor": "#7A5200"},
        "justified": {"color": "#0072B2", "penwidth": "1.2"},
    },
    lifecycle={"active": {}, "proposed": {"style": "dashed"}, "historical": {"style": "dotted"}},
    overseas={"peripheries": "2"},
    status_marks={"unjustified": "✗ NO VALID BASIS: ", "accepted": "✓ accepted: ",
                  "warning": "! "},
    sector_fills=SECTOR_FILLS,
)

PRINT = Theme(
    name="print",
    graph={**DEFAULT.graph, "bgcolor": "#ffffff", "fontsize": "22"},
    node={**DEFAULT.node, "fontsize": "13"},
    edge={**DEFAULT.edge, "fontsize": "11"},
    cluster={**DEFAULT.cluster, "fillcolor": "#ffffff"},
    kinds=_KIND_SHAPES,
    statuses=DEFAULT.statuses,
    lifecycle=DEFAULT.lifecycle,
    overseas=DEFAULT.overseas,
    status_marks=DEFAULT.status_marks,
    sector_fills=SECTOR_FILLS,
)

MONO = Theme(
    name="mono",
    graph=DEFAULT.graph,
    node={**DEFAULT.node, "fillcolor": "#ffffff", "color": "#000000"},
    edge={**DEFAULT.edge, "color": "#000000"},
    cluster={**DEFAULT.cluster, "fillcolor": "#ffffff", "color": "#000000"},
    kinds={k: {**v, "fillcolor": "#ffffff"} for k, v in _KIND_SHAPES.items()},
    statuses={
        "unjustified": {"color": "#000000:#ffffff:#000000", "penwidth": "2.4", "style": "bold"},
        "accepted": {"color": "#000000", "penwidth": "1.4"},
        "warning": {"color": "#000000", "penwidth": "1.4"},
        "justified": {"color": "#555555", "penwidth": "1"},
    },
    lifecycle=DEFAULT.lifecycle,
    overseas=DEFAULT.overseas,
    status_marks=DEFAULT.status_marks,
)

THEMES: dict[str, Theme] = {t.name: t for t in (DEFAULT, PRINT, MONO)}
