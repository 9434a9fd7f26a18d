"""Formatters: a checked map's findings as text, JSON, SARIF, GitHub annotations."""

from __future__ import annotations

from collections.abc import Callable

from flowmap.report import github, json_report, sarif, text
from flowmap.check.validate import Result

Formatter = Callable[[Result], str]

FORMATTERS: dict[str, Formatter] = {
    "text": text.format_result,
    "json": json_report.format_result,
    "sarif": sarif.format_result,
    "github": github.format_result,
}
