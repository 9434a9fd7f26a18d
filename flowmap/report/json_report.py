"""`validate --format json`: the shape FORMAT.md §3 publishes."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from json.encoder import encode_basestring
from typing import TYPE_CHECKING, Any

from flowmap.common.findings import Finding, summary

if TYPE_CHECKING:
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
    return indented_json(document) + "\n"


def indented_json(value: Any) -> str:
    """``json.dumps(value, indent=2, ensure_ascii=False)``, the same text, about four
    times as fast: with an indent, the json module encodes in pure Python, each piece
    passed up through a generator per level. Here each piece is written straight into
    one buffer (which also takes less memory than json.dumps's list of every piece);
    strings are escaped by json's own C function. A value this does not write (a float,
    a key that is not text, an object json cannot encode) is left to json.dumps."""
    out = io.StringIO()
    try:
        _write(value, out.write, "\n")
    except TypeError:
        return json.dumps(value, indent=2, ensure_ascii=False)
    return out.getvalue()


def _write(value: Any, write: Callable[[str], int], newline: str) -> None:
    """Write ``value`` as json.dumps would, ``newline`` being a line break and the
    indent of the line ``value`` starts on."""
    if isinstance(value, str):
        write(encode_basestring(value))
    elif value is None or value is True or value is False:
        write("null" if value is None else "true" if value else "false")
    elif isinstance(value, int) and not isinstance(value, bool):
        write(int.__repr__(value))
    elif isinstance(value, dict):
        if not value:
            write("{}")
            return
        inner = newline + "  "
        separator = "{" + inner
        for key, item in value.items():
            if not isinstance(key, str):
                raise TypeError(key)
            write(separator + encode_basestring(key) + ": ")
            _write(item, write, inner)
            separator = "," + inner
        write(newline + "}")
    elif isinstance(value, (list, tuple)):
        if not value:
            write("[]")
            return
        inner = newline + "  "
        separator = "[" + inner
        for item in value:
            write(separator)
            _write(item, write, inner)
            separator = "," + inner
        write(newline + "]")
    else:
        raise TypeError(value)  # floats and anything else: json.dumps decides
