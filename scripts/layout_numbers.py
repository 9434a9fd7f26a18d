"""Print the layout measurements of every example map as a Markdown table.

    .venv/bin/python scripts/layout_numbers.py [--no-merge ...render options]

Each map in flows/ is rendered to DOT with `flowmap render` (and any options
given), laid out by Graphviz, and measured by flowmap.render.measure. `bash
scripts/dev render` writes the table to output/layout-numbers.md.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

from flowmap.render import layout
from flowmap.render.measure import measure_json

REPO = Path(__file__).resolve().parent.parent
#: this tree's flowmap, whichever one is installed
FLOWMAP = [sys.executable, "-m", "flowmap"]


def main(options: list[str]) -> None:
    print("| map | edges | crossings | label overlaps | edges through organisations "
          "| size (in) | smallest text on A4 / A3 (pt) |")
    print("| --- | ---: | ---: | ---: | ---: | --- | --- |")
    with tempfile.TemporaryDirectory() as tmp:
        for example in sorted(p for p in (REPO / "flows").iterdir() if p.is_dir()):
            out = Path(tmp) / f"{example.name}.dot"
            subprocess.run([*FLOWMAP, "render", str(example), "-o", str(out), *options],
                           check=True, capture_output=True, cwd=REPO)
            m = measure_json(layout(out.read_text(encoding="utf-8"), "json"))
            print(f"| {example.name} | {m.edges} | {m.crossings} | "
                  f"{m.label_overlaps + m.labels_on_nodes} | {m.edges_through_nodes} | "
                  f"{m.width_in} × {m.height_in} | {m.a4_min_font} / {m.a3_min_font} |")


if __name__ == "__main__":
    main(sys.argv[1:])
