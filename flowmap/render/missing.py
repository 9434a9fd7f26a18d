"""What a drawing of a checked map would leave out: files not read, items refused.

A picture drawn from part of a map looks exactly like a picture of the whole
one. So `render` refuses to draw it (exit 1, with the findings that explain
why), unless the user allows it, and then the picture says what is missing.
"""

from __future__ import annotations

from dataclasses import dataclass

from flowmap.common.findings import Finding, Severity
from flowmap.check.validate import Result

#: map-level loader errors after which nothing is lost: an empty file, a second map block
NOTHING_LOST = frozenset({"FM011", "FM013"})
#: how many names of refused items a stamp lists before "and N more"
STAMP_NAMES = 6


@dataclass(frozen=True)
class Missing:
    """Files of a map that were not read and items that were refused."""

    #: errors after which a file, a section or an included map was not read
    files: tuple[Finding, ...]
    #: (section, id) of each item declared but not read
    refused: tuple[tuple[str, str], ...]
    #: the findings that explain both (loader errors)
    findings: tuple[Finding, ...]

    def __bool__(self) -> bool:
        return bool(self.files or self.refused)

    def summary(self) -> str:
        """'1 file not read, 2 flows refused (a, b)'."""
        parts = []
        unread = sorted({f.location.file if f.location else f.subject.id for f in self.files})
        if unread:
            parts.append(f"{_count(len(unread), 'file')} not read in full ({_names(unread)})")
        by_section: dict[str, list[str]] = {}
        for section, name in self.refused:
            by_section.setdefault(section, []).append(name)
        for section, names in sorted(by_section.items()):
            noun = {"authorities": "authority", "information": "information item"}.get(
                section, section.removesuffix("s"))
            parts.append(f"{_count(len(names), noun)} refused ({_names(sorted(names))})")
        return ", ".join(parts)

    def stamp(self) -> str:
        """The line written across an incomplete picture ('' for a whole map)."""
        if not self:
            return ""
        return f"INCOMPLETE: {self.summary()}; run flowmap validate for the errors"


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" + ("" if n == 1 else "s")


def _names(names: list[str]) -> str:
    shown = ", ".join(names[:STAMP_NAMES])
    return shown + (f" and {len(names) - STAMP_NAMES} more" if len(names) > STAMP_NAMES else "")


def missing(result: Result) -> Missing:
    """What of ``result``'s map could not be read."""
    loader = tuple(f for f in result.findings
                   if f.code.startswith("FM0") and f.severity is Severity.ERROR)
    files = tuple(f for f in loader
                  if f.subject.kind == "map" and f.code not in NOTHING_LOST)
    refused = tuple(sorted(result.map.refused))
    return Missing(files, refused, loader)
