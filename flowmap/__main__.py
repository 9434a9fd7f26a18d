"""`python -m flowmap`."""

from flowmap.cli import main

main(prog_name="flowmap")
