"""`flowmap rules`: the rule registry as text, JSON or Markdown."""

from __future__ import annotations

import json
from collections.abc import Callable

from flowmap.check.rules.registry import RULES


def rules_text() -> str:
    lines = []
    for r in RULES:
        lines.append(f"{r.code}  {r.severity.value:<7}  {r.name}: {r.title}")
        lines.append(f"    {r.what}")
        lines.append(f"    Fix: {r.fix}")
    return "\n".join(lines) + "\n"


def rules_json() -> str:
    return json.dumps([
        {"code": r.code, "severity": r.severity.value, "name": r.name, "title": r.title,
         "what": r.what, "why": r.why, "fix": r.fix,
         "emitted_by": "checks" if r.check else "loader"}
        for r in RULES
    ], indent=2, ensure_ascii=False) + "\n"


def rules_markdown() -> str:
    lines = ["| code | severity | rule | what | how to fix |", "| --- | --- | --- | --- | --- |"]
    for r in RULES:
        cells = [r.code, r.severity.value, f"{r.name}: {r.title}", r.what, r.fix]
        lines.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
    return "\n".join(lines) + "\n"


RULE_FORMATTERS: dict[str, Callable[[], str]] = {
    "text": rules_text, "json": rules_json, "markdown": rules_markdown,
}
