"""Shared pieces of the commands: the map argument, view and drawing options, errors."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

if TYPE_CHECKING:
    from flowmap.check.validate import Result

F = TypeVar("F", bound=Callable[..., Any])

VALIDATE_FORMATS = ("text", "json", "sarif", "github")
RENDER_FORMATS = ("svg", "png", "pdf", "dot", "html", "mermaid", "json", "graphml")
#: exit statuses (docs/trust.md): 0 done, nothing at or above --fail-on (also when
#: standard output was closed early, as by `| head`); 1 findings at or above it (or
#: files fmt would change); 2 the command could not do what was asked (a usage error,
#: a path that cannot be read or written); 70 a bug in flowmap
EXIT_FINDINGS = 1
EXIT_USAGE = 2
EXIT_INTERNAL = 70


class Group(click.Group):
    """Turns any unexpected exception into one line (set FLOWMAP_DEBUG=1 for the trace):
    an input or output failure is exit status 2, anything else an internal error (70)."""

    def invoke(self, ctx: click.Context) -> Any:
        from flowmap.common.output import OutputError

        try:
            return super().invoke(ctx)
        except (click.exceptions.ClickException, click.exceptions.Exit,
                click.exceptions.Abort, SystemExit):
            raise
        except BrokenPipeError:
            raise  # the reader stopped reading (`| head`): click ends quietly
        except (OSError, OutputError) as exc:
            if os.environ.get("FLOWMAP_DEBUG"):
                raise
            _quiet_stdout()
            click.echo(f"flowmap: {_io_message(exc)}", err=True)
            ctx.exit(EXIT_USAGE)
        except Exception as exc:
            if os.environ.get("FLOWMAP_DEBUG"):
                raise
            click.echo(f"flowmap: internal error: {type(exc).__name__}: {exc} "
                       "(please report it; FLOWMAP_DEBUG=1 shows the trace)", err=True)
            ctx.exit(EXIT_INTERNAL)


def _io_message(exc: Exception) -> str:
    if not isinstance(exc, OSError):
        return str(exc)
    name = str(exc.filename) if exc.filename is not None else "standard output"
    if len(name) > 160:
        name = f"{name[:80]}…{name[-60:]}"
    return f"cannot read or write {name}: {exc.strerror or exc}"


def _quiet_stdout() -> None:
    """Standard output failed (closed, full): point it at /dev/null, so that Python's
    last flush at exit does not fail again with a second message."""
    import sys

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass


class OneLineUsageError(click.ClickException):
    """A usage error shown as one line (no usage text), exit status 2."""

    exit_code = EXIT_USAGE

    def show(self, file: Any = None) -> None:
        click.echo(f"flowmap: {self.format_message()}", err=True)


_ROOT = "flowmap.root"


def _remember_root(ctx: click.Context, _param: click.Parameter, value: Path | None) -> None:
    ctx.meta[_ROOT] = value


def map_argument(func: F) -> F:
    """One or more maps (files or directories); several are composed into one;
    ``--root``: the directory the maps and their includes must stay inside."""
    func = click.option(
        "--root", type=click.Path(file_okay=False, path_type=Path), expose_value=False,
        callback=_remember_root, is_eager=True,
        help="Read nothing outside this directory (default: the git working tree "
        "holding the map, else the map's own directory).")(func)
    return click.argument(
        "map_path", metavar="MAP...", nargs=-1, required=True,
        type=click.Path(exists=True, path_type=Path),
    )(func)


def map_root() -> Path | None:
    """The ``--root`` of the running command, if given."""
    ctx = click.get_current_context(silent=True)
    return ctx.meta.get(_ROOT) if ctx is not None else None


def _did_you_mean(code: str, known: list[str]) -> str:
    """FM2O1 (a letter O) → FM201; else the nearest code."""
    from flowmap.common.suggest import suggest

    digits = code[:2] + code[2:].translate(str.maketrans("OILS", "0115"))
    return f" (did you mean {digits!r}?)" if digits in known else suggest(code, known)


def split_codes(value: str | None, option: str = "--select") -> tuple[str, ...]:
    """The codes or prefixes of ``--select``/``--ignore``; one that names no finding
    code (a typo such as FM2O1) is a usage error, never a filter that hides everything."""
    import re

    from flowmap.check.rules.registry import BY_CODE

    if value is None:
        return ()
    codes = tuple(c.strip().upper() for c in value.split(",") if c.strip())
    if not codes:
        raise OneLineUsageError(f"{option} {value!r} names no finding code; write codes or "
                                "prefixes separated by commas, e.g. FM2,FM301")
    for code in codes:
        if not re.fullmatch(r"FM[0-9]{0,3}", code) or not any(k.startswith(code)
                                                               for k in BY_CODE):
            raise OneLineUsageError(
                f"{option}: {code!r} is not a finding code or the start of one"
                f"{_did_you_mean(code, list(BY_CODE))}; `flowmap rules` lists them")
    return codes


AS_OF_KEY = "flowmap.as_of"


def as_of_option(func: F) -> F:
    """--as-of DATE: check (and draw, and explain) the map as on another date."""
    def remember(ctx: click.Context, _: click.Parameter, value: Any) -> None:
        if value is not None:
            ctx.meta[AS_OF_KEY] = value.date()

    return click.option("--as-of", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
                        expose_value=False, callback=remember, metavar="YYYY-MM-DD",
                        help="Check the map as on this date (agreements ended, Acts in "
                        "force, acceptances expired by then).")(func)


def check_map(map_path: Path | tuple[Path, ...]) -> Result:
    from flowmap.check.asof import check_as_of
    from flowmap.load.loader import MapPathError
    from flowmap.check.validate import check

    ctx = click.get_current_context(silent=True)
    as_of = ctx.meta.get(AS_OF_KEY) if ctx is not None else None
    try:
        return (check_as_of(map_path, as_of, tree=map_root()) if as_of
                else check(map_path, tree=map_root()))
    except MapPathError as exc:
        raise click.UsageError(str(exc)) from exc


def files_of(result: Result) -> list[Path]:
    """Every file the map was read from (outputs must never overwrite one)."""
    return [Path(f) for c in result.map.components for f in c.files]


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
        click.option("--finding", "findings", metavar="CODES", callback=_codes_option,
                     help="Only flows with a finding of these codes or prefixes (e.g. FM6, "
                     "the Data Protection and Use Policy lens)."),
    ], func)


def _codes_option(_: click.Context, __: click.Parameter, value: str | None) -> tuple[str, ...]:
    return split_codes(value)


#: --page, for every command that draws
page_option = click.option(
    "--page", type=click.Choice(["a4", "a3", "slide"]), default=None,
    help="Scale the drawing to this page, turned to suit its shape, and report its "
    "smallest text (a PDF is then that sheet, e.g. A4 842 × 595 pt).")


def drawing_options(func: F) -> F:
    """The options that choose how a map is drawn."""
    return _apply([
        click.option("--theme", type=click.Choice(["default", "print", "mono"]),
                     default="default", show_default=True, help="Colours and fonts."),
        click.option("--labels", type=click.Choice(["auto", "full", "basis", "numbers",
                                                    "none"]),
                     default="auto", show_default=True,
                     help="Flow labels: what they carry, the legal basis (short citations), "
                     "numbers with a key table, none, or auto (numbers for busy maps)."),
        click.option("--merge/--no-merge", default=None,
                     help="Draw the flows between two organisations as one edge (default), "
                     "or each flow as its own."),
        click.option("--engine", type=click.Choice(["dot", "sfdp", "neato", "twopi"]),
                     default=None,
                     help="Graphviz layout engine (default: dot, sfdp for large maps; "
                     "twopi draws the hub's map as spokes)."),
        page_option,
        click.option("--hub", metavar="ORG", default=None,
                     help="Draw ORG in the middle, its partners around it (default: the "
                     "map's owner)."),
        click.option("--group", type=click.Choice(["fill", "cluster"]), default="fill",
                     show_default=True,
                     help="Show sectors as a fill colour, or as boxes around their "
                     "organisations."),
        click.option("--lens", type=click.Choice(["dpup"]), default=None,
                     help="Also mark the flows with Data Protection and Use Policy findings "
                     "(purple, beside their legal status; with --finding FM6, only them)."),
    ], func)


def print_or_write(data: bytes, output: Path | None, protect: list[Path],
                   what: str = "") -> None:
    """``data`` to standard output (also ``-o -``), or written atomically to ``output``
    and said so on stderr (``what`` says what it holds)."""
    from flowmap.common.output import OutputError, write_atomic

    if output is None:
        click.echo(data, nl=False)
        return
    try:
        write_atomic(output, data, protect=protect)
    except OutputError as exc:
        raise OneLineUsageError(str(exc)) from exc
    if output.is_file() and not str(output).startswith("/dev/"):  # not a pipe or terminal
        click.echo(f"wrote {output}" + (f" ({what})" if what else ""), err=True)
