"""`validate --format github`: findings as GitHub Actions workflow commands.

Each finding becomes one ``::error`` / ``::warning`` / ``::notice`` line that
GitHub shows as an annotation on the file and line it names; a plain summary
line ends the output. Every value is escaped the way the runner expects, so
that nothing taken from a map can end a command or start another one.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from flowmap.common.findings import Finding, Severity, summary
from flowmap.report.paths import relative_to
from flowmap.report.text import show_controls
from flowmap.check.rules.registry import BY_CODE

if TYPE_CHECKING:
    from flowmap.check.validate import Result

COMMANDS: dict[Severity, str] = {
    Severity.ERROR: "error",
    Severity.WARNING: "warning",
    Severity.INFO: "notice",
}


def escape_data(text: str) -> str:
    """Escape a command's message (what follows ``::``); other control characters
    (ESC, BEL: the log is also read in terminals) are shown as ``\\xNN``."""
    escaped = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return show_controls(escaped)


def escape_property(text: str) -> str:
    """Escape a property value (``file=``, ``title=`` ...)."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def _title(f: Finding) -> str:
    rule = BY_CODE.get(f.code)
    return f"{f.code} {rule.title}" if rule else f.code


def _properties(f: Finding, root: Path) -> list[tuple[str, str]]:
    loc = f.location
    props: list[tuple[str, str]] = []
    relative = relative_to(loc.file, root) if loc and loc.file else None
    if loc is not None and relative is not None:
        props.append(("file", relative))
        if loc.line:
            props.append(("line", str(loc.line)))
            if loc.column:
                props.append(("col", str(loc.column)))
    props.append(("title", _title(f)))
    return props


def _message(f: Finding, root: Path) -> str:
    """The finding's message; where GitHub cannot place it on a file, it says where."""
    text = f.message
    loc = f.location
    if loc is not None and loc.file and relative_to(loc.file, root) is None:
        text = f"{loc}: {text}"
    if f.accepted:
        text += f" [accepted: {f.review_reason}]" if f.review_reason else " [accepted]"
    return text


def annotation(f: Finding, root: Path) -> str:
    """One workflow command for one finding."""
    props = ",".join(f"{key}={escape_property(value)}" for key, value in _properties(f, root))
    return f"::{COMMANDS[f.severity]} {props}::{escape_data(_message(f, root))}"


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 or word == 'info' else 's'}"


def summary_line(result: Result) -> str:
    findings = list(result.findings)
    counts = summary(findings)
    accepted = sum(f.accepted for f in findings)
    parts = ", ".join(_plural(counts[s], s) for s in ("error", "warning", "info"))
    tail = f" ({accepted} accepted)" if accepted else ""
    return (f"flowmap: {result.map.info.id}: {parts}{tail}; "
            f"{_plural(len(result.map.flows), 'flow')} checked as of {result.map.as_of}")


def format_result(result: Result, *, root: Path | None = None) -> str:
    root = Path.cwd() if root is None else root
    lines = [annotation(f, root) for f in result.findings]
    lines.append(summary_line(result))
    return "\n".join(lines) + "\n"
