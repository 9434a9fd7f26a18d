"""`flowmap diff` as text (for a terminal), JSON (for tools) and Markdown (for a
pull-request comment).

Text reads like ``git diff --stat`` crossed with a linter: a count per section,
then one ``file:line:col:`` line per item added (+), removed (-) or changed (~),
then the findings that appeared or were resolved. Control characters from a
map are shown escaped in text; Markdown passes every map string through
:func:`flowmap.report.register.md_cell`.

The JSON shape (``"format": "flowmap-diff", "version": 1``) is stable: keys are
only ever added. See README.md, "flowmap diff".
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

from flowmap.review.diff import CHANGE_KINDS, SECTION_KIND, SECTIONS, Diff, FieldChange, ItemChange
from flowmap.review.diffsource import Side
from flowmap.common.findings import Finding, Location, summary
from flowmap.model.entities import Authority, Flow, Information, Item, Organisation, Purpose
from flowmap.render.dot import flow_label
from flowmap.report.json_report import finding_dict
from flowmap.report.register import md_cell

JSON_VERSION = 1
#: longest value shown in text and Markdown (JSON always has the whole value)
SHOWN_WIDTH = 72
MARKS = {"added": "+", "removed": "-", "changed": "~"}
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


# -- what an item is, in a few words ----------------------------------------------

def side_of(diff: Diff, change: ItemChange) -> tuple[Side, Item]:
    """The side an item is described from (the new one unless it was removed)."""
    if change.new is not None:
        return diff.new, change.new
    assert change.old is not None
    return diff.old, change.old


def describe(diff: Diff, change: ItemChange) -> str:
    side, item = side_of(diff, change)
    m = side.result.map
    if isinstance(item, Flow):
        return (f"{m.ends(item)}: {flow_label(side.result, item)} "
                f"[{side.result.flow_status(item.id)}]")
    if isinstance(item, Organisation):
        return f"{item.name} ({item.kind})"
    if isinstance(item, Information):
        return f"{item.name} ({item.category})"
    if isinstance(item, Authority):
        return f"{item.citation} ({item.type})"
    assert isinstance(item, Purpose)
    return item.name


def where(diff: Diff, change: ItemChange) -> str:
    side, item = side_of(diff, change)
    loc = side.result.map.where(change.section, item.id)
    return side.display(str(loc)) if loc else "(map)"


def shown(value: Any, width: int = SHOWN_WIDTH) -> str:
    """A field's value in a few words: lists joined, text quoted and shortened."""
    if value is None:
        return "(none)"
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, list):
        return "[" + ", ".join(shown(v, width) for v in value) + "]"
    if isinstance(value, dict):
        return json.dumps(value, sort_keys=True, ensure_ascii=False)
    text = " ".join(str(value).split())
    if len(text) > width:
        text = text[:width - 1] + "…"
    return f"'{text}'" if isinstance(value, str) else text


def field_text(change: FieldChange) -> str:
    """'basis: +a -b' for a list, "title: 'old' → 'new'" otherwise."""
    if change.is_list:
        parts = [f"+{shown(v)}" for v in change.added] + [f"-{shown(v)}" for v in change.removed]
        return f"{change.field}: {' '.join(parts)}"
    return f"{change.field}: {shown(change.old)} → {shown(change.new)}"


def counts(diff: Diff, section: str) -> dict[str, int]:
    return {k: len(diff.section(section, k)) for k in CHANGE_KINDS}


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def findings_summary(diff: Diff) -> str:
    new = summary(list(diff.appeared))
    detail = ", ".join(f"{n} {s}" for s, n in new.items() if n)
    text = f"{len(diff.appeared)} new" + (f" ({detail})" if detail else "")
    text += f", {len(diff.resolved)} resolved"
    if diff.severities:
        text += f", {len(diff.severities)} changed severity"
    return text


def one_line(diff: Diff) -> str:
    """The whole diff in one sentence."""
    if diff.is_empty:
        return "no changes"
    parts = []
    for section in SECTIONS:
        c = counts(diff, section)
        if any(c.values()):
            parts.append(f"{section}: " + ", ".join(f"{n} {k}" for k, n in c.items() if n))
    if diff.map_fields:
        parts.append(f"map: {_plural(len(diff.map_fields), 'field')} changed")
    parts.append(f"findings: {findings_summary(diff)}")
    return "; ".join(parts)


# -- text --------------------------------------------------------------------------

def plain(value: str) -> str:
    """Map text for a terminal: control and bidirectional characters shown escaped."""
    return _CONTROL.sub(lambda m: f"\\u{ord(m.group()):04x}", value)


def _stat(diff: Diff) -> list[str]:
    rows = []
    for section in SECTIONS:
        c = counts(diff, section)
        if any(c.values()):
            rows.append((section, " ".join(f"{MARKS[k]}{n}" for k, n in c.items() if n)))
    if diff.map_fields:
        rows.append(("map", f"~{len(diff.map_fields)}"))
    rows.append(("findings", findings_summary(diff)))
    width = max(len(name) for name, _ in rows)
    return [f" {name.ljust(width)}  {value}" for name, value in rows]


def _finding_line(f: Finding, mark: str, note: str = "") -> str:
    loc = str(f.location) if f.location else "(map)"
    accepted = " (accepted)" if f.accepted else ""
    return f"{loc}: {mark} {f.code} {f.severity.value}{accepted}{note}: {f.message}"


def to_text(diff: Diff) -> str:
    head = [f"flowmap diff {diff.old.label} → {diff.new.label}", *_stat(diff), ""]
    lines: list[str] = []
    for field in diff.map_fields:
        lines.append(f"map: ~ {field_text(field)}")
    for change in diff.items:
        lines.append(f"{where(diff, change)}: {MARKS[change.kind]} "
                     f"{SECTION_KIND[change.section]} {change.id}: "
                     f"{describe(diff, change)}")
        lines.extend(f"    {field_text(f)}" for f in change.fields)
    for status in diff.statuses:
        lines.append(f"status of flow {status.flow}: {status.old} → {status.new}")
    lines.extend(_finding_line(f, "+") for f in diff.appeared)
    lines.extend(_finding_line(f, "-") for f in diff.resolved)
    for sc in diff.severities:
        before = sc.old.severity.value + (" (accepted)" if sc.old.accepted else "")
        lines.append(_finding_line(sc.new, "~", f" (was {before})"))
    if lines:
        lines.append("")
    lines.append(f"{diff.old.result.map.info.id} → {diff.new.result.map.info.id}: "
                 f"{one_line(diff)}")
    return "\n".join(plain(line) for line in head + lines) + "\n"


# -- JSON --------------------------------------------------------------------------

def _side_json(side: Side) -> dict[str, Any]:
    m = side.result.map
    return {"source": side.label, "map": m.info.id, "title": m.info.title,
            "as_of": m.as_of.isoformat(),
            "summary": summary(list(side.result.findings))}


def field_json(change: FieldChange) -> dict[str, Any]:
    shape: dict[str, Any] = {"field": change.field, "old": change.old, "new": change.new}
    if change.is_list:
        shape["added"], shape["removed"] = change.added, change.removed
    return shape


def _item_json(diff: Diff, change: ItemChange) -> dict[str, Any]:
    side, item = side_of(diff, change)
    loc = side.result.map.where(change.section, item.id)
    shape: dict[str, Any] = {"id": change.id, "location": _location_json(side, loc)}
    if change.kind == "changed":
        shape["fields"] = [field_json(f) for f in change.fields]
    else:
        shape["item"] = item.model_dump(mode="json", by_alias=True)
    if isinstance(item, Flow):
        shape["status"] = side.result.flow_status(item.id)
    return shape


def _location_json(side: Side, loc: Location | None) -> dict[str, Any] | None:
    if loc is None:
        return None
    return {"file": side.display(loc.file), "line": loc.line or None,
            "column": loc.column or None}


def to_json(diff: Diff) -> str:
    document = {
        "format": "flowmap-diff",
        "version": JSON_VERSION,
        "old": _side_json(diff.old),
        "new": _side_json(diff.new),
        "changed": not diff.is_empty,
        "map": [field_json(f) for f in diff.map_fields],
        "sections": {
            s: {k: [_item_json(diff, c) for c in diff.section(s, k)] for k in CHANGE_KINDS}
            for s in SECTIONS
        },
        "flow_status": [{"flow": s.flow, "old": s.old, "new": s.new} for s in diff.statuses],
        "findings": {
            "appeared": [finding_dict(f) for f in diff.appeared],
            "resolved": [finding_dict(f) for f in diff.resolved],
            "severity_changed": [{"old": finding_dict(c.old), "new": finding_dict(c.new)}
                                 for c in diff.severities],
        },
        "summary": {
            **{s: counts(diff, s) for s in SECTIONS},
            "findings": {"appeared": summary(list(diff.appeared)),
                         "resolved": summary(list(diff.resolved)),
                         "severity_changed": len(diff.severities)},
        },
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


# -- Markdown ------------------------------------------------------------------------

def _table(headings: list[str], rows: list[list[str]]) -> list[str]:
    """A Markdown table; every cell must already be escaped."""
    return ["| " + " | ".join(headings) + " |", "|" + " --- |" * len(headings),
            *("| " + " | ".join(row) + " |" for row in rows), ""]


def _summary_table(diff: Diff) -> list[str]:
    rows = []
    for section in SECTIONS:
        c = counts(diff, section)
        if any(c.values()):
            rows.append([section.capitalize(), *(str(c[k]) for k in CHANGE_KINDS)])
    if diff.map_fields:
        rows.append(["Map", "", "", str(len(diff.map_fields))])
    return _table(["", "Added", "Removed", "Changed"], rows) if rows else []


def _section_md(diff: Diff, section: str) -> list[str]:
    changes = diff.section(section)
    if not changes:
        return []
    rows = []
    for change in changes:
        detail = "<br>".join(md_cell(field_text(f)) for f in change.fields)
        rows.append([change.kind, md_cell(change.id), md_cell(describe(diff, change)),
                     detail or md_cell(where(diff, change))])
    return [f"### {section.capitalize()}", "",
            *_table(["Change", "Id", "What", "Fields changed / where"], rows)]


def _findings_md(title: str, findings: list[Finding]) -> list[str]:
    if not findings:
        return []
    rows = [[md_cell(f.severity.value + (" (accepted)" if f.accepted else "")),
             md_cell(f.code), md_cell(f"{f.subject.kind} {f.subject.id}"),
             md_cell(f.message), md_cell(str(f.location) if f.location else "")]
            for f in findings]
    return [f"### {title}", "", *_table(["Severity", "Code", "Subject", "Message", "Where"],
                                        rows)]


def to_markdown(diff: Diff) -> str:
    title = diff.new.result.map.info.title
    lines = [f"## flowmap diff: {md_cell(title)}", "",
             f"{md_cell(diff.old.label)} → {md_cell(diff.new.label)}: "
             f"{md_cell(one_line(diff))}.", ""]
    lines.extend(_summary_table(diff))
    if diff.map_fields:
        lines.extend(["### Map", "", *(f"- {md_cell(field_text(f))}" for f in diff.map_fields),
                      ""])
    for section in SECTIONS:
        lines.extend(_section_md(diff, section))
    if diff.statuses:
        rows = [[md_cell(s.flow), md_cell(s.old), md_cell(s.new)] for s in diff.statuses]
        lines.extend(["### Flow status", "", *_table(["Flow", "Was", "Now"], rows)])
    lines.extend(_findings_md("New findings", list(diff.appeared)))
    lines.extend(_findings_md("Resolved findings", list(diff.resolved)))
    lines.extend(_findings_md("Findings whose severity changed",
                              [c.new for c in diff.severities]))
    return "\n".join(lines).rstrip("\n") + "\n"


DIFF_FORMATTERS: dict[str, Callable[[Diff], str]] = {
    "text": to_text,
    "json": to_json,
    "markdown": to_markdown,
}
