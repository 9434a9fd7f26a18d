"""Findings: what validation reports, as frozen values."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field, replace
from typing import Literal

SubjectKind = Literal[
    "flow", "organisation", "information", "authority", "purpose", "class", "map"
]


class Severity(enum.Enum):
    """How serious a finding is; ordered so that ``ERROR > WARNING > INFO``."""

    INFO = "info"
    WARNING = "warning"
    ERROR = "error"

    @property
    def rank(self) -> int:
        return _RANK[self]

    def __str__(self) -> str:
        return self.value


_RANK = {Severity.INFO: 0, Severity.WARNING: 1, Severity.ERROR: 2}


@dataclass(frozen=True, order=True)
class Location:
    """Where in a source file something was written (1-based line and column)."""

    file: str
    line: int = 0
    column: int = 0

    def __str__(self) -> str:
        if not self.line:
            return self.file
        return f"{self.file}:{self.line}:{self.column}"


@dataclass(frozen=True)
class Subject:
    """The thing a finding is about: a kind and its declared id."""

    kind: SubjectKind
    id: str


@dataclass(frozen=True)
class Finding:
    """One problem found in a map."""

    code: str
    severity: Severity
    message: str
    subject: Subject
    location: Location | None = None
    accepted: bool = False
    review_reason: str | None = field(default=None, compare=False)

    def sort_key(self) -> tuple[str, int, int, str, str, str]:
        loc = self.location or Location("")
        return (loc.file, loc.line, loc.column, self.code, self.subject.id, self.message)

    def accept(self, reason: str) -> Finding:
        """The same finding, accepted by a reviewer: reported as info."""
        return replace(self, severity=Severity.INFO, accepted=True, review_reason=reason)


def sorted_findings(findings: list[Finding]) -> list[Finding]:
    """Findings in a stable order: by file, line, column, then code."""
    return sorted(set(findings), key=Finding.sort_key)


def summary(findings: list[Finding]) -> dict[str, int]:
    """Count of findings per severity, every severity present."""
    counts = {s.value: 0 for s in sorted(Severity, key=lambda s: -s.rank)}
    for f in findings:
        counts[f.severity.value] += 1
    return counts
