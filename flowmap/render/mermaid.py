"""A checked map (or a view) as a Mermaid `flowchart`, which GitHub renders.

Mermaid ids are generated (o1, o2, ...) in id order, so no map string is
ever parsed as Mermaid syntax; every label is quoted with Mermaid's entity
escapes, and the title is a YAML string in the front matter. A map drawn
although part of it could not be read carries the pictures' "INCOMPLETE: …"
stamp in its title (shown above the chart) and in a comment line.
"""

from __future__ import annotations

import json
import unicodedata

from flowmap.render.dot import flow_label
from flowmap.render.theme import DEFAULT, Theme
from flowmap.check.validate import Result
from flowmap.review.views import View

_ENTITIES = {'"': "#quot;", "<": "#lt;", ">": "#gt;", "#": "#35;", "&": "#amp;",
             "|": "#124;", "`": "#96;", "\n": " ", "\r": " "}


#: control characters (ESC, BEL, which a terminal showing the file would act on)
_CONTROLS = {c: "\ufffd" for c in (*range(0x20), *range(0x7F, 0xA0))}


def escape(text: str) -> str:
    """Text safe inside a quoted Mermaid label; control characters drawn as U+FFFD."""
    return "".join(_ENTITIES.get(c, c) for c in text).translate(_CONTROLS)


#: Mermaid shows the title's <, > and & as the entities its sanitiser writes for them
#: ("&lt;"), whatever the quoting, so the title has their full-width forms instead.
_TITLE_LOOKALIKES = str.maketrans({"<": "\uff1c", ">": "\uff1e", "&": "\uff06"})


def title_string(text: str) -> str:
    """The title as a one-line double-quoted YAML scalar, for the front matter, which
    Mermaid reads as YAML (its #-entities would be shown literally there); control,
    format and line-separator characters are written as escapes."""
    quoted = json.dumps(text.translate(_TITLE_LOOKALIKES), ensure_ascii=False)
    return "".join(c if unicodedata.category(c) not in _UNSEEN
                   else f"\\u{ord(c):04x}" if ord(c) <= 0xFFFF else f"\\U{ord(c):08x}"
                   for c in quoted)


_UNSEEN = {"Cc", "Cf", "Zl", "Zp", "Cs", "Co", "Cn"}


def comment(text: str) -> str:
    """A Mermaid comment line: ``%%`` and the text on one line, with no ``%%`` in it."""
    flat = " ".join("".join(c if unicodedata.category(c) not in _UNSEEN else " "
                            for c in text).split())
    return "%% " + flat.replace("%%", "% %")


def to_mermaid(result: Result, view: View, theme: Theme = DEFAULT, stamp: str = "") -> bytes:
    """The view as a flowchart; ``stamp`` says what of the map is missing ('' for none)."""
    m = result.map
    ids = {oid: f"o{n}" for n, oid in enumerate(view.organisations, start=1)}
    title = f"{m.info.title} — {stamp}" if stamp else m.info.title
    lines = ["---", f"title: {title_string(title)}", "---", "flowchart LR"]
    if stamp:
        lines.append(f"    {comment(stamp)}")
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
