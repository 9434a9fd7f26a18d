"""Formatters: a checked map's findings as text, JSON, SARIF, GitHub annotations.

Each formatter's module is imported when its format is first asked for: `validate
--format json` does not pay for SARIF's or GitHub's (which read the rules' docs),
and importing one writer (``flowmap.report.register``) does not import them all.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from importlib import import_module
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from flowmap.check.validate import Result

Formatter = Callable[["Result"], str]

#: format → the module whose ``format_result`` writes it
_MODULES = {"text": "flowmap.report.text", "json": "flowmap.report.json_report",
            "sarif": "flowmap.report.sarif", "github": "flowmap.report.github"}


class _Formatters(Mapping[str, Formatter]):
    """format → formatter, each imported on first use."""

    def __getitem__(self, fmt: str) -> Formatter:
        formatter: Formatter = import_module(_MODULES[fmt]).format_result
        return formatter

    def __iter__(self) -> Iterator[str]:
        return iter(_MODULES)

    def __len__(self) -> int:
        return len(_MODULES)


FORMATTERS: Mapping[str, Formatter] = _Formatters()
