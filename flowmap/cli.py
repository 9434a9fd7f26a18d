"""The `flowmap` command: thin click commands over the library.

Each command parses its options, calls one library function and prints
through a formatter. Library modules are imported inside the commands, so
that `flowmap --help` starts fast. Errors the user can fix become one clear
line and exit status 2; nothing reaches the user as a traceback.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

if TYPE_CHECKING:
    from flowmap.validate import Result

F = TypeVar("F", bound=Callable[..., Any])

VALIDATE_FORMATS = ("text", "json", "sarif", "github")
RENDER_FORMATS = ("svg", "png", "pdf", "dot", "html", "mermaid", "json", "graphml")
EXIT_USAGE = 2
EXIT_INTERNAL = 70


class _Group(click.Group):
    """Turns any unexpected exception into one line (set FLOWMAP_DEBUG=1 for the trace)."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (click.exceptions.ClickException, click.exceptions.Exit,
                click.exceptions.Abort, SystemExit):
            raise
        except Exception as exc:
            if os.environ.get("FLOWMAP_DEBUG"):
                raise
            click.echo(f"flowmap: internal error: {type(exc).__name__}: {exc} "
                       "(please report it; FLOWMAP_DEBUG=1 shows the trace)", err=True)
            ctx.exit(EXIT_INTERNAL)


def map_argument(func: F) -> F:
    """One or more maps (files or directories); several are composed into one."""
    return click.argument(
        "map_path", metavar="MAP...", nargs=-1, required=True,
        type=click.Path(exists=True, path_type=Path),
    )(func)


def _codes(value: str | None) -> tuple[str, ...]:
    return tuple(c.strip().upper() for c in (value or "").split(",") if c.strip())


def _check(map_path: Path | tuple[Path, ...]) -> Result:
    from flowmap.loader import MapPathError
    from flowmap.validate import check

    try:
        return check(map_path)
    except MapPathError as exc:
        raise click.UsageError(str(exc)) from exc


def _files_of(result: Result) -> list[Path]:
    """Every file the map was read from (outputs must never overwrite one)."""
    return [Path(f) for c in result.map.components for f in c.files]


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="flowmap")
def main() -> None:
    """Map how personal information flows between organisations, and check that
    every flow has a legal basis that covers it."""


@main.command()
@map_argument
@click.option("--format", "fmt", type=click.Choice(VALIDATE_FORMATS), default="text",
              show_default=True, help="How to print the findings.")
@click.option("--fail-on", type=click.Choice(["error", "warning", "never"]), default="error",
              show_default=True, help="Exit 1 when a finding at or above this severity remains.")
@click.option("--select", metavar="CODES", help="Only these codes or prefixes (e.g. FM2,FM301).")
@click.option("--ignore", metavar="CODES", help="Leave out these codes or prefixes.")
def validate(map_path: tuple[Path, ...], fmt: str, fail_on: str, select: str | None,
             ignore: str | None) -> None:
    """Check the map at MAP (a file or a directory) and print its findings."""
    from flowmap.findings import Severity
    from flowmap.report import FORMATTERS

    if fmt not in FORMATTERS:
        raise click.UsageError(f"format {fmt!r} is not available yet")
    result = _check(map_path).select(_codes(select), _codes(ignore))
    click.echo(FORMATTERS[fmt](result), nl=False)
    if fail_on != "never":
        threshold = Severity(fail_on).rank
        if any(f.severity.rank >= threshold for f in result.findings):
            sys.exit(1)


def _apply(options: list[Callable[[F], F]], func: F) -> F:
    for option in reversed(options):
        func = option(func)
    return func


def view_options(func: F) -> F:
    """The options that choose what part of a map to draw (FORMAT.md §3)."""
    return _apply([
        click.option("--focus", metavar="ORG", help="Only this organisation's neighbourhood."),
        click.option("--depth", type=click.IntRange(min=0), default=1, show_default=True,
                     help="With --focus: how many flows away to reach."),
        click.option("--information", metavar="ID",
                     help="Only flows carrying this information id or category."),
        click.option("--status", "statuses", multiple=True,
                     type=click.Choice(["justified", "unjustified", "warning", "accepted"]),
                     help="Only flows with this status (repeatable)."),
        click.option("--basis", metavar="AUTHORITY", help="Only flows citing this authority."),
    ], func)


def drawing_options(func: F) -> F:
    """The options that choose how a map is drawn."""
    return _apply([
        click.option("--theme", type=click.Choice(["default", "print", "mono"]),
                     default="default", show_default=True, help="Colours and fonts."),
        click.option("--labels", type=click.Choice(["auto", "full", "numbers", "none"]),
                     default="auto", show_default=True,
                     help="Flow labels: what they carry, numbers with a key table, none, "
                     "or auto (numbers for busy maps)."),
        click.option("--merge/--no-merge", default=None,
                     help="Draw parallel flows as one edge (default: when the map is large)."),
        click.option("--engine", type=click.Choice(["dot", "sfdp", "neato"]), default=None,
                     help="Graphviz layout engine (default: dot, sfdp for large maps)."),
    ], func)


@main.command()
@map_argument
@click.option("-o", "--output", type=click.Path(), required=True,
              help="File to write, or a directory to write one file per format into.")
@click.option("--format", "formats", type=click.Choice(RENDER_FORMATS), multiple=True,
              help="Output format, repeatable with a directory "
                   "(default: from the output's extension, else svg).")
@view_options
@drawing_options
def render(map_path: tuple[Path, ...], output: str, formats: tuple[str, ...],
           focus: str | None, depth: int, information: str | None, statuses: tuple[str, ...],
           basis: str | None, theme: str, labels: str, merge: bool | None,
           engine: str | None) -> None:
    """Draw the map; unjustified flows are drawn so that nobody can miss them."""
    from flowmap.output import OutputError
    from flowmap.render import THEMES, RenderError, drawing_for
    from flowmap.render.files import write_renders
    from flowmap.views import ViewError, ViewOptions, select

    result = _check(map_path)
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
            written = write_renders(result, drawing, output, formats, protect=_files_of(result))
    except (RenderError, OutputError) as exc:
        raise click.ClickException(str(exc)) from exc
    for fmt, path in written:
        click.echo(f"wrote {path} ({fmt}: {len(view.organisations)} organisations, "
                   f"{len(view.flows)} flows)", err=True)


@main.command()
@map_argument
@click.option("--format", "fmt", type=click.Choice(["markdown", "csv", "xlsx"]),
              default="markdown", show_default=True,
              help="markdown, or csv / xlsx: the layout `flowmap import` reads back.")
@click.option("-o", "--output", type=click.Path(path_type=Path), default=None,
              help="File to write (default: standard output; xlsx needs a file).")
@click.option("--bom/--no-bom", default=False,
              help="CSV: start with a UTF-8 byte order mark (for Excel).")
def register(map_path: tuple[Path, ...], fmt: str, output: Path | None, bom: bool) -> None:
    """The register of flows: a table for a publication's appendix."""
    from flowmap.output import OutputError, write_atomic
    from flowmap.report.register import to_csv, to_markdown, to_xlsx

    if fmt == "xlsx" and output is None:
        raise click.UsageError("--format xlsx needs -o FILE (a workbook is not text)")
    result = _check(map_path)
    if fmt == "xlsx":
        data = to_xlsx(result)
    else:
        text = to_markdown(result) if fmt == "markdown" else to_csv(result, bom=bom)
        if output is None:
            click.echo(text, nl=False)
            return
        data = text.encode("utf-8")
    assert output is not None
    try:
        write_atomic(output, data, protect=_files_of(result))
    except OutputError as exc:
        raise click.ClickException(str(exc)) from exc


@main.command()
@click.option("--format", "fmt", type=click.Choice(["text", "json", "markdown"]),
              default="text", show_default=True)
def rules(fmt: str) -> None:
    """List every finding code with its meaning."""
    from flowmap.report.rules import RULE_FORMATTERS

    click.echo(RULE_FORMATTERS[fmt](), nl=False)


@main.command()
def schema() -> None:
    """Print the JSON Schema of a map file (for editors and other tools)."""
    from flowmap.schema import schema_json

    click.echo(schema_json())


# -- flowmap catalogue -----------------------------------------------------------

if TYPE_CHECKING:
    from flowmap.catalogue import Catalogue

CATALOGUE_FORMATS = ("text", "json")


class _OneLineUsageError(click.ClickException):
    """A usage error shown as one line (no usage text), exit status 2."""

    exit_code = EXIT_USAGE

    def show(self, file: Any = None) -> None:
        click.echo(f"flowmap: {self.format_message()}", err=True)


def catalogue_options(func: F) -> F:
    """--catalogue and --format, accepted before or after `list` / `show`."""
    func = click.option("--format", "fmt", type=click.Choice(CATALOGUE_FORMATS), default=None,
                        help="Output format: text (default) or json.")(func)
    return click.option("--catalogue", "catalogue_name", metavar="NAME", default=None,
                        help="Built-in catalogue to read (default: nz).")(func)


def _catalogue_setting(ctx: click.Context, key: str, value: str | None, default: str) -> str:
    """An option given to the subcommand, else to `catalogue` itself, else the default."""
    if value is not None:
        return value
    parent = ctx.parent.params.get(key) if ctx.parent is not None else None
    return str(parent) if parent is not None else default


def _read_catalogue(ctx: click.Context, name: str | None) -> Catalogue:
    from flowmap.catalogue import DEFAULT_CATALOGUE, CatalogueError, load_catalogue

    try:
        found = load_catalogue(_catalogue_setting(ctx, "catalogue_name", name,
                                                  DEFAULT_CATALOGUE))
    except CatalogueError as exc:
        raise _OneLineUsageError(str(exc)) from exc
    for problem in found.problems:
        click.echo(f"flowmap: warning: {problem.location}: {problem.code} {problem.message}",
                   err=True)
    return found


@main.group(invoke_without_command=True)
@catalogue_options
@click.pass_context
def catalogue(ctx: click.Context, catalogue_name: str | None, fmt: str | None) -> None:
    """List the built-in legal authorities (`list`, the default) or show one (`show ID`)."""
    if ctx.invoked_subcommand is None:
        ctx.invoke(catalogue_list, catalogue_name=catalogue_name, fmt=fmt)


@catalogue.command("list")
@catalogue_options
@click.pass_context
def catalogue_list(ctx: click.Context, catalogue_name: str | None, fmt: str | None) -> None:
    """List the authorities, one line each."""
    from flowmap.report.catalogue import list_json, list_text

    found = _read_catalogue(ctx, catalogue_name)
    as_json = _catalogue_setting(ctx, "fmt", fmt, "text") == "json"
    click.echo(list_json(found) if as_json else list_text(found), nl=False)


@catalogue.command("show")
@click.argument("authority_id", metavar="ID")
@catalogue_options
@click.pass_context
def catalogue_show(ctx: click.Context, authority_id: str, catalogue_name: str | None,
                   fmt: str | None) -> None:
    """Every field of the authority ID: citation, dates, scope, URL, notes."""
    from flowmap.catalogue import CatalogueError
    from flowmap.report.catalogue import show_json, show_text

    found = _read_catalogue(ctx, catalogue_name)
    try:
        authority = found.authority(authority_id)
    except CatalogueError as exc:
        raise _OneLineUsageError(str(exc)) from exc
    as_json = _catalogue_setting(ctx, "fmt", fmt, "text") == "json"
    click.echo(show_json(found, authority) if as_json else show_text(found, authority),
               nl=False)


# -- flowmap diff and flowmap trace ------------------------------------------------

def _print_or_write(data: bytes, output: Path | None, protect: list[Path]) -> None:
    """``data`` to standard output, or written atomically to ``output``."""
    from flowmap.output import OutputError, write_atomic

    if output is None:
        click.echo(data, nl=False)
        return
    try:
        write_atomic(output, data, protect=protect)
    except OutputError as exc:
        raise click.ClickException(str(exc)) from exc


@main.command()
@click.argument("old", metavar="OLD")
@click.argument("new", metavar="NEW")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "markdown", "svg", "html"]),
              default="text", show_default=True,
              help="text, json, markdown (a pull-request comment), or the union map drawn.")
@click.option("-o", "--output", type=click.Path(path_type=Path), default=None,
              help="File to write (default: standard output).")
@click.option("--fail-on-new", type=click.Choice(["error", "warning", "never"]),
              default="never", show_default=True,
              help="Exit 1 when a finding at or above this severity appeared (or rose to it).")
def diff(old: str, new: str, fmt: str, output: Path | None, fail_on_new: str) -> None:
    """Compare two versions of a map. OLD and NEW are each a map path or REV:PATH,
    read through git without a checkout (e.g. HEAD~1:flows/acc)."""
    from flowmap.diff import compare
    from flowmap.diffsource import SourceError, read_side
    from flowmap.findings import Severity
    from flowmap.render.diff import diff_output

    try:
        sides = read_side(old), read_side(new)
    except SourceError as exc:
        raise _OneLineUsageError(str(exc)) from exc
    changes = compare(*sides)
    _print_or_write(diff_output(changes, fmt), output, [*sides[0].files, *sides[1].files])
    if fail_on_new != "never" and changes.new_at_or_above(Severity(fail_on_new)):
        sys.exit(1)


@main.command()
@map_argument
@click.option("--from", "from_org", metavar="ORG",
              help="Where information from this organisation can travel.")
@click.option("--to", "to_org", metavar="ORG",
              help="Where this organisation's information can have come from.")
@click.option("--information", metavar="ID", help="Only this information id or category.")
@click.option("--max-hops", type=click.IntRange(min=1), default=6, show_default=True,
              help="Follow chains of at most this many flows.")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "svg", "html"]),
              default="text", show_default=True,
              help="A tree (text), JSON, or the map with the traced flows highlighted.")
@click.option("-o", "--output", type=click.Path(path_type=Path), default=None,
              help="File to write (default: standard output).")
def trace(map_path: tuple[Path, ...], from_org: str | None, to_org: str | None,
          information: str | None,
          max_hops: int, fmt: str, output: Path | None) -> None:
    """Follow information through chains of flows, hop by hop: each hop's basis and
    status, unjustified hops, and where identifiability changes."""
    from flowmap.render.trace import trace_output
    from flowmap.trace import TraceError
    from flowmap.trace import trace as trace_map

    if (from_org is None) == (to_org is None):
        raise _OneLineUsageError("give exactly one of --from ORG and --to ORG")
    result = _check(map_path)
    try:
        found = trace_map(result, from_org or to_org or "",
                          direction="from" if from_org else "to",
                          information=information, max_hops=max_hops)
    except TraceError as exc:
        raise _OneLineUsageError(str(exc)) from exc
    _print_or_write(trace_output(found, fmt), output, _files_of(result))


# -- authoring: init, fmt, import, watch -------------------------------------------

@main.command()
@click.argument("directory", metavar="DIR", type=click.Path(path_type=Path))
@click.option("--catalogue", "catalogue_name", metavar="NAME", default=None,
              help="Start from a built-in catalogue (nz): cite its authorities and "
                   "agencies by id.")
def init(directory: Path, catalogue_name: str | None) -> None:
    """Write a small, valid, commented starter map into DIR (a new or empty directory)."""
    import shlex

    from flowmap.scaffold import ScaffoldError, init_map

    try:
        written = init_map(directory, catalogue_name)
    except ScaffoldError as exc:
        raise _OneLineUsageError(str(exc)) from exc
    shown = shlex.quote(str(directory))
    click.echo(f"wrote {', '.join(p.name for p in written)} into {directory}")
    click.echo(f"next: edit the files, then\n  flowmap validate {shown}\n"
               f"  flowmap render {shown} -o {shlex.quote(directory.resolve().name)}.svg")


@main.command("fmt")
@map_argument
@click.option("--check", is_flag=True,
              help="Change nothing: list the files that would change and exit 1 (for CI).")
def fmt_command(map_path: tuple[Path, ...], check: bool) -> None:
    """Rewrite map files in canonical key order and layout, keeping every comment."""
    from flowmap.fmt import format_paths

    outcomes = format_paths(map_path, check=check)
    for outcome in outcomes:
        if outcome.error is not None:
            click.echo(f"flowmap: {outcome.describe(check)}", err=True)
        elif outcome.changed:
            click.echo(outcome.describe(check))
    changed = sum(o.changed for o in outcomes)
    failed = sum(o.error is not None for o in outcomes)
    verb = "would be reformatted" if check else "reformatted"
    click.echo(f"{changed} of {len(outcomes)} files {verb}"
               + (f", {failed} could not be formatted" if failed else ""), err=True)
    if failed or (check and changed):
        sys.exit(1)


@main.command("import")
@click.argument("register_file", metavar="REGISTER",
                type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("-o", "--output", type=click.Path(path_type=Path), required=True,
              help="Directory to write the map into (new or empty).")
@click.option("--sheet", metavar="NAME",
              help="XLSX: the sheet to read (default: the first with a heading row).")
@click.option("--catalogue", "catalogue_name", metavar="NAME", default=None,
              help="Match organisations, purposes and legal bases against a built-in "
                   "catalogue (nz).")
@click.option("--title", help="The map's title (default: from the register's file name).")
@click.option("--force", is_flag=True,
              help="Replace the files a previous import wrote into the directory.")
def import_register(register_file: Path, output: Path, sheet: str | None,
                    catalogue_name: str | None, title: str | None, force: bool) -> None:
    """Make a map from a register of flows (CSV or XLSX, one row per flow)."""
    from flowmap.importmap import import_register as run_import
    from flowmap.loader import available_catalogues
    from flowmap.scaffold import ScaffoldError
    from flowmap.sheet import SheetError

    if catalogue_name is not None and catalogue_name not in available_catalogues():
        raise _OneLineUsageError(f"no built-in catalogue {catalogue_name!r}; available: "
                                 f"{', '.join(available_catalogues())}")
    from flowmap.progress import spinner

    try:
        with spinner("importing"):
            imported = run_import(register_file, output, sheet=sheet,
                                  catalogue=catalogue_name, title=title, force=force)
    except (SheetError, ScaffoldError) as exc:
        raise _OneLineUsageError(str(exc)) from exc
    for problem in imported.problems:
        click.echo(str(problem))
    if not imported.files:
        click.echo(f"flowmap: nothing imported from {register_file}", err=True)
        sys.exit(1)
    counts = ", ".join(f"{n} {name}" for name, n in imported.counts.items())
    skipped = f"; {imported.skipped} rows not imported" if imported.skipped else ""
    click.echo(f"wrote {output}: {counts}{skipped}", err=True)
    with spinner("checking"):
        checked = _check(output)
    from flowmap.findings import summary

    totals = summary(list(checked.findings))
    click.echo(f"flowmap validate {output}: {totals['error']} errors, "
               f"{totals['warning']} warnings, {totals['info']} info", err=True)
    if imported.errors:
        sys.exit(1)


@main.command()
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
        return write_renders(result, drawing, output, formats, protect=_files_of(result))

    import logging

    # Ctrl-C ends the watch: say "stopped", not the library's warning about it
    logging.getLogger("watchfiles").setLevel(logging.ERROR)
    try:
        watch_map(map_path, render_once, click.echo)
    except KeyboardInterrupt:
        pass
    click.echo("stopped")


if __name__ == "__main__":  # pragma: no cover
    main()
