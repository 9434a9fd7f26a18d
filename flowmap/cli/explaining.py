"""`flowmap explain`: what happens to a person's information, as a page they can read."""

from __future__ import annotations

from pathlib import Path

import click

from flowmap.cli.common import (
    OneLineUsageError,
    as_of_option,
    check_map,
    files_of,
    map_argument,
    print_or_write,
)

EXPLAIN_SUFFIXES = {".html": "html", ".htm": "html", ".md": "markdown", ".markdown": "markdown"}


@click.command()
@map_argument
@click.option("--for", "subject", metavar="ID", required=True,
              help="The organisation, or the service (a purpose id), to explain.")
@click.option("--format", "fmt", type=click.Choice(["markdown", "html"]), default=None,
              help="Page format (default: from the output's extension, else markdown).")
@click.option("-o", "--output", type=click.Path(path_type=Path), default=None,
              help="File to write (default: standard output).")
@as_of_option
def explain(map_path: tuple[Path, ...], subject: str, fmt: str | None,
            output: Path | None) -> None:
    """Write a plain-language page for service users: where their information goes, why,
    under which law, what choices they have, how to see and correct it, whom to contact."""
    from flowmap.review.explain import ExplainError, subjects
    from flowmap.review.explain import explain as make_page
    from flowmap.report.explain import EXPLAIN_FORMATS
    from flowmap.common.suggest import suggest

    result = check_map(map_path)
    try:
        page = make_page(result, subject)
    except ExplainError as exc:
        raise OneLineUsageError(f"{exc}{suggest(subject, subjects(result.map))}") from exc
    chosen = fmt or EXPLAIN_SUFFIXES.get(output.suffix.lower() if output else "", "markdown")
    print_or_write(EXPLAIN_FORMATS[chosen](page).encode("utf-8"), output, files_of(result))
