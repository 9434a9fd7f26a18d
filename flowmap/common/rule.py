"""What a rule is: a code, a severity, its documentation and (usually) a check.

A rule is declared where it lives, with the ``@rule`` decorator, which turns
the check function into a :class:`Rule` value. Nothing is registered in a
global: ``flowmap.check.rules`` collects the Rule values of its modules.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from flowmap.common.findings import Finding, Location, Severity, Subject, SubjectKind

#: a check is given the check stage's ``rules.context.Context``; rule values are data
#: that the loader declares its codes with, so this module does not import that stage
#: (each check function names its own parameter's type)
Check = Callable[[Any], Iterable[Finding]]


@dataclass(frozen=True)
class Rule:
    """A finding code with its documentation and the function that finds it.

    ``check`` is ``None`` for codes the loader emits while reading files.
    """

    code: str
    severity: Severity
    name: str
    title: str
    what: str
    why: str
    fix: str
    check: Check | None = None

    def finding(
        self,
        kind: SubjectKind,
        id: str,
        message: str,
        location: Location | None,
        severity: Severity | None = None,
    ) -> Finding:
        return Finding(
            code=self.code,
            severity=severity or self.severity,
            message=message,
            subject=Subject(kind, id),
            location=location,
        )

    @property
    def help_text(self) -> str:
        return f"{self.what}\n\nWhy: {self.why}\n\nHow to fix: {self.fix}"


def declare(
    code: str, severity: Severity, name: str, title: str, *, what: str, why: str, fix: str
) -> Rule:
    """A rule whose findings come from the loader, not from a check function."""
    return Rule(code, severity, name, title, what.strip(), why.strip(), fix.strip())


def rule(
    code: str, severity: Severity, title: str, *, what: str, why: str, fix: str
) -> Callable[[Check], Rule]:
    """Turn a check function into a :class:`Rule` with its documentation."""

    def wrap(check: Check) -> Rule:
        return Rule(
            code,
            severity,
            check.__name__.replace("_", "-"),
            title,
            what.strip(),
            why.strip(),
            fix.strip(),
            check,
        )

    return wrap
