"""`validate --format text`: one line a finding, grouped by file, like a linter."""

from __future__ import annotations

from itertools import groupby

from flowmap.common.findings import Finding, summary
from flowmap.report.catalogue import one_line
from flowmap.check.validate import Result


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
