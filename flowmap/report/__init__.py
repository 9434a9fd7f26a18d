"""Formatters: a checked map's findings as text, JSON, SARIF, GitHub annotations."""

from __future__ import annotations

from collections.abc import Callable

from flowmap.report import json_report, text
from flowmap.validate import Result

Formatter = Callable[[Result], str]

FORMATTERS: dict[str, Formatter] = {
    "text": text.format_result,
    "json": json_report.format_result,
}
