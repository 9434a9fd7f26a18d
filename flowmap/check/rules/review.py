"""FM4xx: reviewers' acceptances (`review:` on a flow) applied to the findings."""

from __future__ import annotations

from collections.abc import Iterable

from flowmap.common.findings import Finding, Severity
from flowmap.common.rule import declare
from flowmap.check.rules.context import Context

W = Severity.WARNING

EXPIRED = declare(
    "FM401", W, "acceptance-expired", "Acceptance expired",
    what="A reviewer accepted a finding on a flow until a date that has passed.",
    why="Acceptances are temporary by design; the finding is live again until re-reviewed.",
    fix="Resolve the finding, or review it again and move `until` forward.",
)
STALE = declare(
    "FM402", W, "acceptance-unmatched", "Acceptance of a finding the flow does not have",
    what="A `review` entry names a code the flow does not have (any more).",
    why="Stale acceptances hide what was decided, and would silently accept a future finding.",
    fix="Remove the entry, or correct its code.",
)


def apply_reviews(ctx: Context, findings: Iterable[Finding]) -> list[Finding]:
    """Accept the findings that reviewers accepted; report expired and stale acceptances."""
    result: list[Finding] = []
    by_flow: dict[str, set[str]] = {}
    for f in findings:
        if f.subject.kind == "flow":
            by_flow.setdefault(f.subject.id, set()).add(f.code)
        review = _acceptance(ctx, f)
        if review is None:
            result.append(f)
        else:
            result.append(f.accept(review))
    for flow in ctx.flows():
        for index, entry in enumerate(flow.review):
            where = ctx.map.where("flows", flow.id, "review", index)
            if entry.code not in by_flow.get(flow.id, set()):
                result.append(STALE.finding(
                    "flow", flow.id,
                    f"flow {flow.id!r} accepts {entry.code}, but has no {entry.code} finding; "
                    "remove the acceptance", where))
            elif entry.until is not None and entry.until < ctx.today:
                result.append(EXPIRED.finding(
                    "flow", flow.id,
                    f"the acceptance of {entry.code} on flow {flow.id!r} expired on "
                    f"{entry.until}; the finding is reported again: resolve it, or review it "
                    "again and move `until` forward", where))
    return result


def _acceptance(ctx: Context, f: Finding) -> str | None:
    if f.subject.kind != "flow" or f.code.startswith("FM4"):
        return None
    flow = ctx.map.flows.get(f.subject.id)
    if flow is None:
        return None
    for entry in flow.review:
        if entry.code == f.code and (entry.until is None or entry.until >= ctx.today):
            by = f" ({entry.by})" if entry.by else ""
            return f"{entry.reason}{by}"
    return None
