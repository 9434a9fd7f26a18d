"""Commands for reviewers: diff between versions, trace where information goes."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

import click

from flowmap.cli.common import (
    OneLineUsageError,
    check_map,
    files_of,
    map_argument,
    page_option,
    print_or_write,
)

#: the formats of `diff` and `trace` that are drawings (the others are text)
DRAWN = ("svg", "html", "pdf", "png")


@click.command()
@click.argument("old", metavar="OLD")
@click.argument("new", metavar="NEW")
@click.option("--format", "fmt",
              type=click.Choice(["text", "json", "markdown", *DRAWN]),
              default="text", show_default=True,
              help="text, json, markdown (a pull-request comment), or the union map drawn.")
@click.option("-o", "--output", type=click.Path(path_type=Path), default=None,
              help="File to write (default: standard output).")
@click.option("--fail-on-new", type=click.Choice(["error", "warning", "never"]),
              default="never", show_default=True,
              help="Exit 1 when a finding at or above this severity appeared (or rose to it).")
@page_option
def diff(old: str, new: str, fmt: str, output: Path | None, fail_on_new: str,
         page: str | None) -> None:
    """Compare two versions of a map. OLD and NEW are each a map path or REV:PATH,
    read through git without a checkout (e.g. HEAD~1:flows/acc)."""
    from flowmap.review.diff import compare
    from flowmap.review.diffsource import SourceError, read_side
    from flowmap.common.findings import Severity
    from flowmap.render.diff import diff_output

    check_drawn(fmt, output, page)
    try:
        sides = read_side(old), read_side(new)
    except SourceError as exc:
        raise OneLineUsageError(str(exc)) from exc
    changes = compare(*sides)
    print_or_write(drawn(lambda: diff_output(changes, fmt, page, _note)), output, [*sides[0].files, *sides[1].files],
                   f"diff as {fmt}: {len(changes.items)} items changed, "
                   f"{len(changes.appeared)} new findings, {len(changes.resolved)} resolved")
    if fail_on_new != "never" and changes.new_at_or_above(Severity(fail_on_new)):
        sys.exit(1)


@click.command()
@map_argument
@click.option("--from", "from_org", metavar="ORG",
              help="Where information from this organisation can travel.")
@click.option("--to", "to_org", metavar="ORG",
              help="Where this organisation's information can have come from.")
@click.option("--information", metavar="ID", help="Only this information id or category.")
@click.option("--max-hops", type=click.IntRange(min=1), default=6, show_default=True,
              help="Follow chains of at most this many flows.")
@click.option("--format", "fmt", type=click.Choice(["text", "json", *DRAWN]),
              default="text", show_default=True,
              help="A tree (text), JSON, or the map with the traced flows highlighted.")
@click.option("-o", "--output", type=click.Path(path_type=Path), default=None,
              help="File to write (default: standard output).")
@page_option
def trace(map_path: tuple[Path, ...], from_org: str | None, to_org: str | None,
          information: str | None, max_hops: int, fmt: str, output: Path | None,
          page: str | None) -> None:
    """Follow information through chains of flows, hop by hop: each hop's basis and
    status, unjustified hops, and where identifiability changes."""
    from flowmap.render.trace import trace_output
    from flowmap.review.trace import TraceError
    from flowmap.review.trace import trace as trace_map

    if (from_org is None) == (to_org is None):
        raise OneLineUsageError("give exactly one of --from ORG and --to ORG")
    check_drawn(fmt, output, page)
    result = check_map(map_path)
    try:
        found = trace_map(result, from_org or to_org or "",
                          direction="from" if from_org else "to",
                          information=information, max_hops=max_hops)
    except TraceError as exc:
        raise OneLineUsageError(str(exc)) from exc
    print_or_write(drawn(lambda: trace_output(found, fmt, page, _note)), output,
                   files_of(result),
                   f"trace as {fmt}: {len(found.flows)} flows {found.direction} "
                   f"{found.origin}")


def check_drawn(fmt: str, output: Path | None, page: str | None) -> None:
    """A usage error for --page on a text format, or a PDF or PNG with no file to go to."""
    if page and fmt not in DRAWN:
        raise OneLineUsageError(f"--page sizes a drawing: give --format "
                                f"{', '.join(DRAWN[:-1])} or {DRAWN[-1]}, not {fmt}")
    if fmt in ("pdf", "png") and output is None:
        raise OneLineUsageError(f"--format {fmt} needs -o FILE (a {fmt.upper()} is not text)")


def drawn(output: Callable[[], bytes]) -> bytes:
    """``output()``, a Graphviz failure (not installed, out of time) said in one line."""
    from flowmap.render import RenderError

    try:
        return output()
    except RenderError as exc:
        raise click.ClickException(str(exc)) from exc


def _note(text: str) -> None:
    click.echo(f"note: {text}", err=True)


# -- authoring: init, fmt, import, watch
