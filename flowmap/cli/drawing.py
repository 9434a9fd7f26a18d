"""Commands that draw a map or tabulate its flows: render, register, watch."""

from __future__ import annotations

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

if TYPE_CHECKING:
    from flowmap.validate import Result


@click.command()
@map_argument
@click.option("-o", "--output", type=click.Path(), required=True,
              help="File to write, or a directory to write one file per format into.")
@click.option("--format", "formats", type=click.Choice(RENDER_FORMATS), multiple=True,
              help="Output format, repeatable with a directory "
                   "(default: from the output's extension, else svg).")
@view_options
@drawing_options
@as_of_option
def render(map_path: tuple[Path, ...], output: str, formats: tuple[str, ...],
           focus: str | None, depth: int, information: str | None, statuses: tuple[str, ...],
           basis: str | None, theme: str, labels: str, merge: bool | None,
           engine: str | None) -> None:
    """Draw the map; unjustified flows are drawn so that nobody can miss them."""
    from flowmap.output import OutputError
    from flowmap.render import THEMES, RenderError, drawing_for
    from flowmap.render.files import write_renders
    from flowmap.views import ViewError, ViewOptions, select

    result = check_map(map_path)
    try:
        view = select(result, ViewOptions(focus, depth, information, statuses, basis))
    except ViewError as exc:
        raise click.UsageError(str(exc)) from exc
    drawing = drawing_for(result, view, theme=THEMES[theme], labels=labels,  # type: ignore[arg-type]
                          merge=merge, engine=engine)
    for note in drawing.plan.notes:
        click.echo(f"note: {note}", err=True)
    from flowmap.progress import spinner

    try:
        with spinner("rendering"):
            written = write_renders(result, drawing, output, formats, protect=files_of(result))
    except (RenderError, OutputError) as exc:
        raise click.ClickException(str(exc)) from exc
    for fmt, path in written:
        click.echo(f"wrote {path} ({fmt}: {len(view.organisations)} organisations, "
                   f"{len(view.flows)} flows)", err=True)


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
    from flowmap.output import OutputError, write_atomic
    from flowmap.report.register import to_csv, to_markdown, to_xlsx

    if fmt == "xlsx" and output is None:
        raise click.UsageError("--format xlsx needs -o FILE (a workbook is not text)")
    result = check_map(map_path)
    if fmt == "xlsx":
        data = to_xlsx(result)
    else:
        text = to_markdown(result, by=by) if fmt == "markdown" else to_csv(result, bom=bom)
        if output is None:
            click.echo(text, nl=False)
            return
        data = text.encode("utf-8")
    assert output is not None
    try:
        write_atomic(output, data, protect=files_of(result))
    except OutputError as exc:
        raise click.ClickException(str(exc)) from exc


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
          basis: str | None, theme: str, labels: str, merge: bool | None,
          engine: str | None) -> None:
    """Check and render the map again each time one of its files is saved (Ctrl-C stops)."""
    from collections.abc import Sequence

    from flowmap.render import THEMES, RenderError, drawing_for
    from flowmap.render.files import write_renders
    from flowmap.views import ViewError, ViewOptions, select
    from flowmap.watch import watch_map

    where = Path(output)
    if not output.endswith(("/", "\\")) and not where.is_dir() and not where.parent.is_dir():
        raise click.UsageError(f"directory {where.parent} does not exist")

    def render_once(result: Result) -> Sequence[tuple[str, Path]]:
        try:
            view = select(result, ViewOptions(focus, depth, information, statuses, basis))
        except ViewError as exc:
            raise RenderError(str(exc)) from exc
        drawing = drawing_for(result, view, theme=THEMES[theme], labels=labels,  # type: ignore[arg-type]
                              merge=merge, engine=engine)
        return write_renders(result, drawing, output, formats, protect=files_of(result))

    import logging

    # Ctrl-C ends the watch: say "stopped", not the library's warning about it
    logging.getLogger("watchfiles").setLevel(logging.ERROR)
    try:
        watch_map(map_path, render_once, click.echo)
    except KeyboardInterrupt:
        pass
    click.echo("stopped")
