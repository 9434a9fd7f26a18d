"""python -m flowmap.docs [--check]: rewrite docs/format.md, or say whether it is stale."""

from __future__ import annotations

import sys

from flowmap.docs import REFERENCE
from flowmap.docs.reference import format_reference, write


def main(argv: list[str]) -> int:
    if argv == ["--check"]:
        current = REFERENCE.read_text(encoding="utf-8") if REFERENCE.is_file() else ""
        if current != format_reference():
            print(f"{REFERENCE} is stale: run python -m flowmap.docs", file=sys.stderr)
            return 1
        return 0
    if argv:
        print("usage: python -m flowmap.docs [--check]", file=sys.stderr)
        return 2
    print(f"{'wrote' if write() else 'unchanged'} {REFERENCE}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
