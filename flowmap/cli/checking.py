"""Commands that check a map and describe the rules: validate, rules, schema, catalogue."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from flowmap.cli.common import (
    VALIDATE_FORMATS,
    F,
    OneLineUsageError,
    as_of_option,
    check_map,
    map_argument,
    split_codes,
)


@click.command()
@map_argument
@click.option("--format", "fmt", type=click.Choice(VALIDATE_FORMATS), default="text",
              show_default=True, help="How to print the findings.")
@click.option("--fail-on", type=click.Choice(["error", "warning", "never"]), default="error",
              show_default=True, help="Exit 1 when a finding at or above this severity remains.")
@click.option("--select", metavar="CODES", help="Only these codes or prefixes (e.g. FM2,FM301).")
@click.option("--ignore", metavar="CODES", help="Leave out these codes or prefixes.")
@as_of_option
def validate(map_path: tuple[Path, ...], fmt: str, fail_on: str, select: str | None,
             ignore: str | None) -> None:
    """Check the map at MAP (a file or a directory) and print its findings."""
    from flowmap.common.findings import Severity
    from flowmap.report import FORMATTERS

    if fmt not in FORMATTERS:
        raise click.UsageError(f"format {fmt!r} is not available yet")
    codes = split_codes(select), split_codes(ignore, "--ignore")
    result = check_map(map_path).select(*codes)
    click.echo(FORMATTERS[fmt](result), nl=False)
    if fail_on != "never":
        threshold = Severity(fail_on).rank
        if any(f.severity.rank >= threshold for f in result.findings):
            sys.exit(1)


@click.command()
@click.option("--format", "fmt", type=click.Choice(["text", "json", "markdown"]),
              default="text", show_default=True)
def rules(fmt: str) -> None:
    """List every finding code with its meaning."""
    from flowmap.report.rules import RULE_FORMATTERS

    click.echo(RULE_FORMATTERS[fmt](), nl=False)


@click.command()
def schema() -> None:
    """Print the JSON Schema of a map file (for editors and other tools)."""
    from flowmap.model.schema import schema_json

    click.echo(schema_json())

if TYPE_CHECKING:
    from flowmap.load.catalogue import Catalogue

CATALOGUE_FORMATS = ("text", "json")


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
    from flowmap.load.catalogue import DEFAULT_CATALOGUE, CatalogueError, load_catalogue

    try:
        found = load_catalogue(_catalogue_setting(ctx, "catalogue_name", name,
                                                  DEFAULT_CATALOGUE))
    except CatalogueError as exc:
        raise OneLineUsageError(str(exc)) from exc
    for problem in found.problems:
        click.echo(f"flowmap: warning: {problem.location}: {problem.code} {problem.message}",
                   err=True)
    return found


@click.group(invoke_without_command=True)
@catalogue_options
@click.pass_context
def catalogue(ctx: click.Context, catalogue_name: str | None, fmt: str | None) -> None:
    """List the built-in legal authorities (`list`, the default) or show one (`show ID`)."""
    if ctx.invoked_subcommand is None:
        ctx.invoke(catalogue_list, catalogue_name=catalogue_name, fmt=fmt)


@catalogue.command("list")
@catalogue_options
@click.option("--section", type=click.Choice(("authorities", "organisations", "purposes",
                                               "classes")), default="authorities",
              show_default=True, help="Which entries to list.")
@click.pass_context
def catalogue_list(ctx: click.Context, catalogue_name: str | None, fmt: str | None,
                   section: str = "authorities") -> None:
    """List the authorities (or organisations, purposes, classes), one line each, and
    what is unsettled in the authorities not verified."""
    from flowmap.report.catalogue import entries_json, entries_text, list_json, list_text

    found = _read_catalogue(ctx, catalogue_name)
    as_json = _catalogue_setting(ctx, "fmt", fmt, "text") == "json"
    if section == "authorities":
        click.echo(list_json(found) if as_json else list_text(found), nl=False)
    else:
        click.echo(entries_json(found, section) if as_json else entries_text(found, section),
                   nl=False)


@catalogue.command("show")
@click.argument("authority_id", metavar="ID")
@catalogue_options
@click.pass_context
def catalogue_show(ctx: click.Context, authority_id: str, catalogue_name: str | None,
                   fmt: str | None) -> None:
    """Every field of the authority ID: citation, dates, scope, URL, notes."""
    from flowmap.load.catalogue import CatalogueError
    from flowmap.report.catalogue import show_json, show_text

    found = _read_catalogue(ctx, catalogue_name)
    try:
        authority = found.authority(authority_id)
    except CatalogueError as exc:
        raise OneLineUsageError(str(exc)) from exc
    as_json = _catalogue_setting(ctx, "fmt", fmt, "text") == "json"
    click.echo(show_json(found, authority) if as_json else show_text(found, authority),
               nl=False)


# -- flowmap diff and flowmap trace
