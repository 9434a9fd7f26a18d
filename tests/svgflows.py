"""Reading the SVG contract back: which flows each drawn edge carries (docs/svg.md)."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

SVG = "{http://www.w3.org/2000/svg}"


def drawn_flows(svg: Path | ET.Element) -> dict[str, set[str]]:
    """Flow id → the classes of the edge that draws it: a ``flow-<id>`` group of its own,
    or a ``flows-<a>--<b>`` group whose ``data-flows`` names it."""
    root = ET.parse(svg).getroot() if isinstance(svg, Path) else svg
    found: dict[str, set[str]] = {}
    for g in root.iter(f"{SVG}g"):
        gid, classes = g.get("id", ""), set(g.get("class", "").split())
        if gid.startswith("flow-"):
            found[gid[len("flow-"):]] = classes
        elif gid.startswith("flows-"):
            found.update(dict.fromkeys(g.get("data-flows", "").split(), classes))
    return found


def edge_of(svg: Path | ET.Element) -> dict[str, str]:
    """Flow id → the id of the SVG group that draws it."""
    root = ET.parse(svg).getroot() if isinstance(svg, Path) else svg
    found: dict[str, str] = {}
    for g in root.iter(f"{SVG}g"):
        gid = g.get("id", "")
        if gid.startswith("flow-"):
            found[gid[len("flow-"):]] = gid
        elif gid.startswith("flows-"):
            found.update(dict.fromkeys(g.get("data-flows", "").split(), gid))
    return found
