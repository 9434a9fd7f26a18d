"""Commands that draw a map or tabulate its flows: render, register, watch."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from flowmap.cli.common import (
    RENDER_FORMATS,
    as_of_option,
    check_map,
    drawing_options,
    files_of,
    map_argument,
    view_options,
)
from flowmap.cli.common import OneLineUsageError, map_root, print_or_write

if TYPE_CHECKING:
    from flowmap.render import Drawing
    from flowmap.check.validate import Result
    from flowmap.review.views import View


@click.command()
@map_argument
@click.option("-o", "--output", type=click.Path(), required=True,
              help="File to write, or a directory to write one file per format into.")
@click.option("--format", "formats", type=click.Choice(RENDER_FORMATS), multiple=True,
              help="Output format, repeatable with a directory "
                   "(default: from the output's extension, else svg).")
@click.option("--allow-errors", is_flag=True,
              help="Draw a map whose files or items could not all be read, stamped with "
                   "what is missing (without it, such a map is not drawn: exit 1).")
@view_options
@drawing_options
@as_of_option
def render(map_path: tuple[Path, ...], output: str, formats: tuple[str, ...],
           allow_errors: bool, focus: str | None, depth: int, information: str | None,
           statuses: tuple[str, ...], basis: str | None, findings: tuple[str, ...], theme: str,
           labels: str, merge: bool | None, engine: str | None, page: str | None,
           hub: str | None, group: str, lens: str | None) -> None:
    """Draw the map; unjustified flows are drawn so that nobody can miss them.

    A map whose files failed to load or whose items were refused is not drawn
    (exit 1, with the findings) unless --allow-errors, and then the picture says
    what is missing."""
    from flowmap.common.output import OutputError
    from flowmap.render import RenderError
    from flowmap.render.files import write_renders
    from flowmap.review.views import ViewError, ViewOptions, select

    result = check_map(map_path)
    stamp = refuse_incomplete(result, allow_errors)
    try:
        view = select(result, ViewOptions(focus, depth, information, statuses, basis,
                                          findings))
    except ViewError as exc:
        raise click.UsageError(str(exc)) from exc
    try:  # choosing the direction and fitting a page lay the map out: Graphviz may fail
        drawing, notes = _drawing(result, view, theme, labels, merge, engine, page, hub,
                                  group, stamp, lens)
    except RenderError as exc:
        raise click.ClickException(str(exc)) from exc
    for note in notes:
        click.echo(f"note: {note}", err=True)
    from flowmap.common.progress import spinner

    try:
        with spinner("rendering"):
            written = write_renders(result, drawing, output, formats, protect=files_of(result))
    except OutputError as exc:
        raise OneLineUsageError(str(exc)) from exc
    except RenderError as exc:
        raise click.ClickException(str(exc)) from exc
    for fmt, path in written:
        click.echo(f"wrote {path} ({fmt}: {len(view.organisations)} organisations, "
                   f"{len(view.flows)} flows)", err=True)


def _drawing(result: Result, view: View, theme: str, labels: str, merge: bool | None,
             engine: str | None, page: str | None, hub: str | None, group: str,
             stamp: str, lens: str | None = None) -> tuple[Drawing, list[str]]:
    """The drawing the options ask for, and notes on what was chosen for the user."""
    from flowmap.render import THEMES, drawing_for
    from flowmap.render.page import arranged

    if hub is not None and hub not in view.organisations:
        raise click.UsageError(f"--hub {hub}: no organisation {hub!r} in the drawing")
    drawing = drawing_for(result, view, theme=THEMES[theme], labels=labels,  # type: ignore[arg-type]
                          merge=merge, engine=engine, stamp=stamp, hub=hub,
                          grouping=group, lens=lens)  # type: ignore[arg-type]
    notes: list[str] = []
    return arranged(result, drawing, page, notes.append), notes


def refuse_incomplete(result: Result, allow_errors: bool) -> str:
    """Exit 1 with the loader's findings when part of the map could not be read, unless
    ``allow_errors``; then return the stamp for the picture ('' for a whole map)."""
    from flowmap.render.missing import missing
    from flowmap.report.text import format_result
    from flowmap.check.validate import Result as Checked

    lost = missing(result)
    if not lost:
        return ""
    if allow_errors:
        click.echo(f"warning: {lost.stamp()}", err=True)
        return lost.stamp()
    click.echo(format_result(Checked(result.map, lost.findings)), nl=False,
               err=True)
    click.echo(f"flowmap: not drawn: {lost.summary()}; fix the errors above, or draw the "
               "rest with --allow-errors (the picture is then stamped INCOMPLETE)", err=True)
    sys.exit(1)


@click.command()
@map_argument
@click.option("--format", "fmt", type=click.Choice(["markdown", "csv", "xlsx"]),
              default="markdown", show_default=True,
              help="markdown, or csv / xlsx: the layout `flowmap import` reads back.")
@click.option("-o", "--output", type=click.Path(path_type=Path), default=None,
              help="File to write (default: standard output; xlsx needs a file).")
@click.option("--bom/--no-bom", default=False,
              help="CSV: start with a UTF-8 byte order mark (for Excel).")
@click.option("--by", type=click.Choice(["flow", "organisation"]), default="flow",
              show_default=True,
              help="Markdown: one table of flows, or a section per organisation.")
def register(map_path: tuple[Path, ...], fmt: str, output: Path | None, bom: bool,
             by: str) -> None:
    """The register of flows: a table for a publication's appendix."""
    from flowmap.report.register import to_csv, to_markdown, to_xlsx

    if fmt == "xlsx" and output is None:
        raise click.UsageError("--format xlsx needs -o FILE (a workbook is not text)")
    if by == "organisation" and fmt != "markdown":
        raise click.UsageError(f"--by organisation is for the Markdown register; the {fmt} "
                               "register has one row per flow, the layout flowmap import "
                               "reads (sort or filter it by From and To)")
    result = check_map(map_path)
    if result.map.incomplete:
        click.echo(f"flowmap: warning: not the whole map: {result.map.completeness_note()}",
                   err=True)
    if fmt != "markdown":
        from flowmap.report.registerloss import losses

        for lost in losses(result.map, fmt):  # nothing the user wrote lost without a word
            click.echo(f"flowmap: warning: {lost}", err=True)
    if fmt == "xlsx":
        data = to_xlsx(result)
    else:
        text = to_markdown(result, by=by) if fmt == "markdown" else to_csv(result, bom=bom)
        data = text.encode("utf-8")
    print_or_write(data, output, files_of(result))


@click.command()
@map_argument
@click.option("-o", "--output", type=click.Path(), required=True,
              help="File to render to on every change (or a directory, as for render).")
@click.option("--format", "formats", type=click.Choice(RENDER_FORMATS), multiple=True,
              help="Output format, as for render.")
@view_options
@drawing_options
def watch(map_path: tuple[Path, ...], output: str, formats: tuple[str, ...],
          focus: str | None, depth: int, information: str | None, statuses: tuple[str, ...],
          basis: str | None, findings: tuple[str, ...], theme: str, labels: str,
          merge: bool | None, engine: str | None, page: str | None, hub: str | None,
          group: str, lens: str | None) -> None:
    """Check and render the map again each time one of its files is saved (Ctrl-C stops)."""
    from collections.abc import Sequence

    from flowmap.render import RenderError
    from flowmap.render.files import write_renders
    from flowmap.render.missing import missing
    from flowmap.review.views import ViewError, ViewOptions, select
    from flowmap.review.watch import watch_map

    where = Path(output)
    if not output.endswith(("/", "\\")) and not where.is_dir() and not where.parent.is_dir():
        raise click.UsageError(f"directory {where.parent} does not exist")

    def render_once(result: Result) -> Sequence[tuple[str, Path]]:
        try:
            view = select(result, ViewOptions(focus, depth, information, statuses, basis,
                                              findings))
        except ViewError as exc:
            raise RenderError(str(exc)) from exc
        try:
            drawing, _ = _drawing(result, view, theme, labels, merge, engine, page, hub, group,
                                  missing(result).stamp(), lens)
        except click.UsageError as exc:
            raise RenderError(exc.message) from exc
        return write_renders(result, drawing, output, formats, protect=files_of(result))

    import logging

    # Ctrl-C ends the watch: say "stopped", not the library's warning about it
    logging.getLogger("watchfiles").setLevel(logging.ERROR)
    try:
        watch_map(map_path, render_once, click.echo, tree=map_root())
    except KeyboardInterrupt:
        pass
    click.echo("stopped")
