"""Progress on long operations, shown only when standard error is a terminal.

Nothing is printed when stderr is a pipe or a file (tests, CI, redirected
output), and nothing for operations that finish quickly: the spinner appears
only after :data:`SPINNER_DELAY` seconds, and is wiped when the work is done.
"""

from __future__ import annotations

import itertools
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import click

#: seconds an operation runs before a spinner appears
SPINNER_DELAY = 0.5
_FRAMES = "|/-\\"


def interactive() -> bool:
    """True when standard error is a terminal a person is watching."""
    return sys.stderr.isatty()


@contextmanager
def spinner(label: str, *, enabled: bool | None = None) -> Iterator[None]:
    """Show ``label`` with a spinner on stderr while the block runs (terminals only)."""
    if not (interactive() if enabled is None else enabled):
        yield
        return
    done = threading.Event()

    def spin() -> None:
        if done.wait(SPINNER_DELAY):
            return
        for frame in itertools.cycle(_FRAMES):
            click.echo(f"\r{label} {frame}", err=True, nl=False)
            if done.wait(0.1):
                break
        click.echo("\r" + " " * (len(label) + 2) + "\r", err=True, nl=False)

    thread = threading.Thread(target=spin, daemon=True)
    thread.start()
    try:
        yield
    finally:
        done.set()
        thread.join()
