"""`validate --format json`: the shape FORMAT.md §3 publishes."""

from __future__ import annotations

import io
import json
from typing import Any

from flowmap.common.findings import Finding, summary
from flowmap.check.validate import Result


def finding_dict(f: Finding) -> dict[str, Any]:
    loc = f.location
    result: dict[str, Any] = {
        "code": f.code,
        "severity": f.severity.value,
        "message": f.message,
        "subject": {"kind": f.subject.kind, "id": f.subject.id},
        "location": (
            {"file": loc.file, "line": loc.line or None, "column": loc.column or None}
            if loc else None
        ),
        "accepted": f.accepted,
    }
    if f.review_reason:
        result["review"] = f.review_reason
    return result


def format_result(result: Result) -> str:
    document = {
        "map": result.map.info.id,
        "findings": [finding_dict(f) for f in result.findings],
        "summary": summary(list(result.findings)),
    }
    # json.dumps(indent=2) would list every piece before joining them (about 200,000
    # at 20,000 flows); written into one buffer instead, the same bytes take less memory
    out = io.StringIO()
    for piece in json.JSONEncoder(indent=2, ensure_ascii=False).iterencode(document):
        out.write(piece)
    out.write("\n")
    return out.getvalue()
