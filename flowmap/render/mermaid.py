"""A checked map (or a view) as a Mermaid `flowchart`, which GitHub renders.

Mermaid ids are generated (o1, o2, ...) in id order, so no map string is
ever parsed as Mermaid syntax; every label is quoted with Mermaid's entity
escapes.
"""

from __future__ import annotations

from flowmap.render.dot import flow_label
from flowmap.render.theme import DEFAULT, Theme
from flowmap.validate import Result
from flowmap.views import View

_ENTITIES = {'"': "#quot;", "<": "#lt;", ">": "#gt;", "#": "#35;", "&": "#amp;",
             "|": "#124;", "`": "#96;", "\n": " ", "\r": " "}


#: control characters (ESC, BEL, which a terminal showing the file would act on)
_CONTROLS = {c: "\ufffd" for c in (*range(0x20), *range(0x7F, 0xA0))}


def escape(text: str) -> str:
    """Text safe inside a quoted Mermaid label; control characters drawn as U+FFFD."""
    return "".join(_ENTITIES.get(c, c) for c in text).translate(_CONTROLS)


def to_mermaid(result: Result, view: View, theme: Theme = DEFAULT) -> bytes:
    m = result.map
    ids = {oid: f"o{n}" for n, oid in enumerate(view.organisations, start=1)}
    lines = ["---", f'title: "{escape(m.info.title)}"', "---", "flowchart LR"]
    for oid in view.organisations:
        org = m.organisations[oid]
        lines.append(f'    {ids[oid]}["{escape(org.label)}"]:::{org.kind.replace("-", "_")}')
    styles = []
    for index, fid in enumerate(view.flows):
        flow = m.flows[fid]
        status = result.flow_status(fid)
        arrow = "==>" if status == "unjustified" else "-->"
        mark = "✗ " if status == "unjustified" else ""
        label = escape(mark + flow_label(result, flow))
        lines.append(f'    {ids[flow.from_]} {arrow}|"{label}"| {ids[flow.to]}')
        colour = theme.statuses[status].get("color", "#333333").split(":")[0]
        width = "4px" if status == "unjustified" else "1.5px"
        dash = ",stroke-dasharray:6 4" if flow.status != "active" else ""
        styles.append(f"    linkStyle {index} stroke:{colour},stroke-width:{width}{dash}")
    lines.extend(styles)
    for kind in sorted({m.organisations[o].kind for o in view.organisations}):
        fill = theme.kinds.get(kind, {}).get("fillcolor", "#ffffff")
        lines.append(f"    classDef {kind.replace('-', '_')} fill:{fill},stroke:#333333")
    return ("\n".join(lines) + "\n").encode("utf-8")
