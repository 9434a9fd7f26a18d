"""The `flowmap` command: thin click commands over the library.

Each command parses its options, calls one library function and prints
through a formatter. Library modules are imported inside the commands, so
that `flowmap --help` starts fast. Errors the user can fix become one clear
line and exit status 2; nothing reaches the user as a traceback.
"""

from __future__ import annotations

import click

from flowmap.cli.authoring import fmt_command, import_register, init
from flowmap.cli.checking import catalogue, rules, schema, validate
from flowmap.cli.common import Group
from flowmap.cli.drawing import register, render, watch
from flowmap.cli.explaining import explain
from flowmap.cli.reviewing import diff, trace


@click.group(cls=Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="flowmap")
def main() -> None:
    """Map how personal information flows between organisations, and check that
    every flow has a legal basis that covers it."""


for command in (validate, render, register, rules, catalogue, schema, diff, trace, init,
                fmt_command, import_register, watch, explain):
    main.add_command(command)

__all__ = ["main"]
