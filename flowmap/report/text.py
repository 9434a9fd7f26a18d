"""`validate --format text`: one line a finding, grouped by file, like a linter."""

from __future__ import annotations

import re
from itertools import groupby
from typing import TYPE_CHECKING

from flowmap.common.findings import Finding, summary

if TYPE_CHECKING:
    from flowmap.check.validate import Result

#: the control characters (Unicode category Cc: C0, DEL and C1)
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")


def show_controls(text: str) -> str:
    """``text`` with each control character (ESC, BEL, NUL ...) written as ``\\xNN``."""
    return _CONTROL.sub(lambda c: f"\\x{ord(c.group()):02x}", text)


def one_line(text: str | None) -> str:
    """Text for one terminal line: whitespace collapsed, control characters made visible."""
    if not text:
        return "-"
    return show_controls(" ".join(text.split()))


def _line(f: Finding) -> str:
    where = str(f.location) if f.location else "(map)"
    accepted = f" [accepted: {f.review_reason}]" if f.accepted else ""
    # one line, whatever the map holds: no newline or terminal escape from it gets out
    return one_line(f"{where}: {f.code} {f.severity.value}: {f.message}{accepted}")


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 or word == 'info' else 's'}"


def format_result(result: Result) -> str:
    lines: list[str] = []
    findings = list(result.findings)
    for _, group in groupby(findings, key=lambda f: f.location.file if f.location else ""):
        lines.extend(_line(f) for f in group)
        lines.append("")
    counts = summary(findings)
    accepted = sum(f.accepted for f in findings)
    parts = [_plural(counts[s], s) for s in ("error", "warning", "info")]
    tail = f" ({accepted} accepted)" if accepted else ""
    flows = _plural(len(result.map.flows), "flow")
    lines.append(
        f"{result.map.info.id}: {', '.join(parts)}{tail}; {flows} checked as of "
        f"{result.map.as_of}"
    )
    return "\n".join(lines) + "\n"
