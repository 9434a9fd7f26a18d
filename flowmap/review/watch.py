"""`flowmap watch`: re-validate and re-render a map each time one of its files is saved.

The first run prints every finding; each later run prints only what changed
since the run before: the findings that are new and the ones resolved. A
finding is the same finding when its code, severity, subject and message are
the same, wherever it moved to in the file. Changes are collected for a short
while (:data:`DEBOUNCE_MS`) so that an editor's several writes for one save
make one run.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path

from flowmap.common.findings import Finding, summary
from flowmap.load.loader import MAP_SUFFIXES, MapPathError
from flowmap.common.output import OutputError
from flowmap.render import RenderError
from flowmap.report.text import one_line
from flowmap.check.validate import Result, check

#: milliseconds of quiet after a change before the map is checked again
DEBOUNCE_MS = 300
#: how a run renders the map: the (format, path) of each file written
Renderer = Callable[[Result], Sequence[tuple[str, Path]]]
Echo = Callable[[str], None]
FindingKey = tuple[str, str, str, str, str, bool]


def finding_key(f: Finding) -> FindingKey:
    """What makes a finding the same one from run to run (its location may move)."""
    return (f.code, f.severity.value, f.subject.kind, f.subject.id, f.message, f.accepted)


def describe(f: Finding) -> str:
    where = str(f.location) if f.location else "(map)"
    accepted = " [accepted]" if f.accepted else ""
    return one_line(f"{where}: {f.code} {f.severity.value}: {f.message}{accepted}")


def difference(before: Mapping[FindingKey, Finding], after: Mapping[FindingKey, Finding]
               ) -> tuple[list[Finding], list[Finding]]:
    """The findings that are new in ``after``, and those resolved since ``before``; a
    finding that is still there with other words (its message or severity changed) is
    neither (see :func:`changes`)."""
    new, resolved, _ = changes(before, after)
    return new, resolved


def changes(before: Mapping[FindingKey, Finding], after: Mapping[FindingKey, Finding]
            ) -> tuple[list[Finding], list[Finding], list[Finding]]:
    """(new, resolved, changed): a finding with the same code about the same thing on
    both sides is one finding that changed, never one new and one resolved."""
    new = [f for k, f in after.items() if k not in before]
    gone: dict[tuple[str, str, str], list[Finding]] = {}
    for k, f in before.items():
        if k not in after:
            gone.setdefault(_identity(f), []).append(f)
    changed = []
    for f in list(new):
        if gone.get(_identity(f)):
            gone[_identity(f)].pop(0)
            new.remove(f)
            changed.append(f)
    resolved = [f for fs in gone.values() for f in fs]
    return (sorted(new, key=Finding.sort_key), sorted(resolved, key=Finding.sort_key),
            sorted(changed, key=Finding.sort_key))


def _identity(f: Finding) -> tuple[str, str, str]:
    return (f.code, f.subject.kind, f.subject.id)


def watched_roots(paths: Iterable[Path], result: Result | None) -> list[Path]:
    """The directories to watch: the maps given (a file's own directory) and every
    directory a file of the map was read from (maps it includes)."""
    roots = {(p if p.is_dir() else p.parent).resolve() for p in paths}
    if result is not None:
        for component in result.map.components:
            roots.update(Path(f).resolve().parent for f in component.files
                         if not f.startswith("catalogue:"))
    ordered = sorted(roots)
    return [r for r in ordered if not any(o != r and o in r.parents for o in ordered)]


def _is_map_file(_change: object, path: str) -> bool:
    return path.lower().endswith(MAP_SUFFIXES)


class Watcher:
    """One map, checked and rendered again on each change; remembers the last findings."""

    def __init__(self, paths: Sequence[Path], render: Renderer, echo: Echo,
                 tree: Path | None = None) -> None:
        self.paths = tuple(paths)
        self.tree = tree
        self.render = render
        self.echo = echo
        self.previous: dict[FindingKey, Finding] | None = None
        self.result: Result | None = None

    def run(self) -> None:
        """Check and render once, printing what changed since the last run."""
        try:
            result = check(self.paths, tree=self.tree)
        except MapPathError as exc:
            self.echo(f"error: {exc}")
            return
        self.result = result
        current = {finding_key(f): f for f in result.findings}
        if self.previous is None:
            for f in sorted(current.values(), key=Finding.sort_key):
                self.echo(describe(f))
        else:
            new, resolved, changed = changes(self.previous, current)
            for f in new:
                self.echo(f"new: {describe(f)}")
            for f in changed:
                self.echo(f"changed: {describe(f)}")
            for f in resolved:
                self.echo(f"resolved: {describe(f)}")
        self.previous = current
        counts = summary(list(result.findings))
        totals = ", ".join(f"{counts[s]} {s}{'s' if counts[s] != 1 and s != 'info' else ''}"
                           for s in ("error", "warning", "info"))
        try:
            written = self.render(result)
        except (OutputError, RenderError) as exc:
            self.echo(f"[{_now()}] {result.map.info.id}: {totals}; cannot render: {exc}")
            return
        files = ", ".join(str(p) for _, p in written)
        self.echo(f"[{_now()}] {result.map.info.id}: {totals}; wrote {files}")


def _now() -> str:
    return dt.datetime.now().strftime("%H:%M:%S")


def watch_map(paths: Sequence[Path], render: Renderer, echo: Echo, *,
              stop: threading.Event | None = None, debounce_ms: int = DEBOUNCE_MS,
              tree: Path | None = None) -> None:
    """Check and render the map now, then after every change, until ``stop`` is set or
    the user presses Ctrl-C (which ends the watch quietly)."""
    import watchfiles

    watcher = Watcher(paths, render, echo, tree)
    watcher.run()
    roots = watched_roots(paths, watcher.result)
    echo(f"watching {', '.join(str(r) for r in roots)} (Ctrl-C to stop)")
    for _changes in watchfiles.watch(*roots, watch_filter=_is_map_file, debounce=debounce_ms,
                                     stop_event=stop, raise_interrupt=False):
        watcher.run()
