"""Commands for writing maps: init, fmt, import."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from flowmap.cli.common import OneLineUsageError, check_map, map_argument


@click.command()
@click.argument("directory", metavar="DIR", type=click.Path(path_type=Path))
@click.option("--catalogue", "catalogue_name", metavar="NAME", default=None,
              help="Start from a built-in catalogue (nz): cite its authorities and "
                   "agencies by id.")
def init(directory: Path, catalogue_name: str | None) -> None:
    """Write a small, valid, commented starter map into DIR (a new or empty directory)."""
    import shlex

    from flowmap.author.scaffold import ScaffoldError, init_map

    try:
        written = init_map(directory, catalogue_name)
    except ScaffoldError as exc:
        raise OneLineUsageError(str(exc)) from exc
    shown = shlex.quote(str(directory))
    click.echo(f"wrote {', '.join(p.name for p in written)} into {directory}")
    click.echo(f"next: edit the files, then\n  flowmap validate {shown}\n"
               f"  flowmap render {shown} -o {shlex.quote(directory.resolve().name)}.svg")


@click.command("fmt")
@map_argument
@click.option("--check", is_flag=True,
              help="Change nothing: list the files that would change and exit 1 (for CI).")
@click.option("--diff", "show_diff", is_flag=True,
              help="Change nothing: print how each file would change, as a unified diff "
                   "(implies --check).")
def fmt_command(map_path: tuple[Path, ...], check: bool, show_diff: bool) -> None:
    """Rewrite map files in canonical key order and layout, keeping every comment."""
    from flowmap.author.fmt import format_paths
    from flowmap.load.loader import MapPathError

    check = check or show_diff
    try:
        outcomes = format_paths(map_path, check=check)
    except MapPathError as exc:
        raise click.UsageError(str(exc)) from exc
    for outcome in outcomes:
        if outcome.error is not None:
            click.echo(f"flowmap: {outcome.describe(check)}", err=True)
        elif outcome.changed and show_diff:
            click.echo(_format_diff(outcome.path), nl=False)
        elif outcome.changed:
            click.echo(outcome.describe(check))
    changed = sum(o.changed and not o.held for o in outcomes)
    failed = sum(o.error is not None for o in outcomes)
    verb = "would be reformatted" if check else "reformatted"
    click.echo(f"{changed} of {len(outcomes)} files {verb}"
               + (f", {failed} could not be formatted" if failed else ""), err=True)
    if failed or (check and changed):
        sys.exit(1)


def _column_options(given: tuple[str, ...]) -> dict[str, str]:
    """--column 'Legislation / authority=basis' → {heading: field}; a usage error for a
    field flowmap does not read."""
    from flowmap.author.importer import COLUMNS, IGNORE
    from flowmap.common.suggest import suggest

    found: dict[str, str] = {}
    for option in given:
        heading, sep, name = option.rpartition("=")
        name = name.strip().casefold()
        if not sep or not heading.strip():
            raise OneLineUsageError(f"--column {option!r}: write HEADING=FIELD, for example "
                                    "--column 'Legislation / authority=basis'")
        if name not in COLUMNS and name != IGNORE:
            raise OneLineUsageError(f"--column {option!r}: no field {name!r}"
                                    f"{suggest(name, [*COLUMNS, IGNORE])}; fields: "
                                    f"{', '.join([*COLUMNS, IGNORE])}")
        found[heading.strip()] = name
    return found


def _format_diff(path: Path) -> str:
    """How fmt would change a file, as a unified diff (line ends shown as they are
    read, so a file fmt would only re-end shows no line changed)."""
    import difflib

    from flowmap.author.fmt import format_text

    before = path.read_bytes().decode("utf-8-sig").replace("\r\n", "\n")
    after = format_text(before)
    return "".join(difflib.unified_diff(before.splitlines(keepends=True),
                                        after.splitlines(keepends=True),
                                        f"{path} (now)", f"{path} (formatted)"))


@click.command("import")
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
@click.option("--column", "columns", metavar="HEADING=FIELD", multiple=True,
              help="Read the column headed HEADING as FIELD (from, to, information, basis, "
                   "...; 'ignore' to leave it out). Repeatable.")
def import_register(register_file: Path, output: Path, sheet: str | None,
                    catalogue_name: str | None, title: str | None, force: bool,
                    columns: tuple[str, ...]) -> None:
    """Make a map from a register of flows (CSV or XLSX, one row per flow)."""
    from flowmap.author.importmap import import_register as run_import
    from flowmap.load.loader import available_catalogues
    from flowmap.author.scaffold import ScaffoldError
    from flowmap.common.sheet import SheetError

    if catalogue_name is not None and catalogue_name not in available_catalogues():
        raise OneLineUsageError(f"no built-in catalogue {catalogue_name!r}; available: "
                                 f"{', '.join(available_catalogues())}")
    from flowmap.common.progress import spinner

    mapping = _column_options(columns)
    try:
        with spinner("importing"):
            imported = run_import(register_file, output, sheet=sheet,
                                  catalogue=catalogue_name, title=title, force=force,
                                  columns=mapping)
    except (SheetError, ScaffoldError) as exc:
        raise OneLineUsageError(str(exc)) from exc
    for problem in imported.problems:
        click.echo(str(problem), err=True)
    if not imported.files:
        click.echo(f"flowmap: nothing imported from {register_file}", err=True)
        sys.exit(1)
    counts = ", ".join(f"{n} {name}" for name, n in imported.counts.items())
    skipped = f"; {imported.skipped} rows not imported" if imported.skipped else ""
    click.echo(f"wrote {output}: {counts}{skipped}", err=True)
    with spinner("checking"):
        checked = check_map(output)
    from flowmap.common.findings import summary

    totals = summary(list(checked.findings))
    click.echo(f"flowmap validate {output}: {totals['error']} errors, "
               f"{totals['warning']} warnings, {totals['info']} info", err=True)
    if imported.errors:
        sys.exit(1)
