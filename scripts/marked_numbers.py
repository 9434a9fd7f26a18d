"""Print the layout measurements of the diff and trace drawings as a Markdown table.

    .venv/bin/python scripts/marked_numbers.py

The drawings measured: `flowmap diff` of the composed sector map from the commit
that added it to the working tree, and `flowmap trace` on the social-sector map (from
the NGO providers, child-welfare information) and on the sector map (from MSD). Each
is laid out by Graphviz and measured by flowmap.render.measure (docs/layout.md).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from flowmap.review.diff import compare
from flowmap.review.diffsource import read_side
from flowmap.render import diff, layout, trace
from flowmap.render.marked import MarkedMap, arranged, to_dot
from flowmap.render.measure import measure_json
from flowmap.review.trace import trace as trace_map
from flowmap.check.validate import check

REPO = Path(__file__).resolve().parent.parent
#: the commit that first composed the sector map
SECTOR_ADDED = "f299f38"


def drawings() -> list[tuple[str, Callable[[], MarkedMap]]]:
    def sector_diff() -> MarkedMap:
        old = read_side(f"{SECTOR_ADDED}:flows/sector")
        return diff.marked_map(compare(old, read_side(str(REPO / "flows" / "sector"))))

    def traced(name: str, origin: str, information: str | None) -> Callable[[], MarkedMap]:
        def draw() -> MarkedMap:
            found = trace_map(check(REPO / "flows" / name), origin, direction="from",
                              information=information, max_hops=6)
            return trace.marked_map(found)
        return draw

    return [("diff: sector, since it was composed", sector_diff),
            ("trace: social-sector from ngo-providers (child welfare)",
             traced("social-sector", "ngo-providers", "personal.child-welfare")),
            ("trace: sector from msd", traced("sector", "msd", None))]


def main() -> None:
    print("| drawing | edges | crossings | label overlaps | edges through organisations "
          "| size (in) | smallest text on A4 / A3 (pt) |")
    print("| --- | ---: | ---: | ---: | ---: | --- | --- |")
    for name, draw in drawings():
        source = to_dot(arranged(draw()))
        m = measure_json(layout(source, "json"))
        print(f"| {name} | {m.edges} | {m.crossings} | "
              f"{m.label_overlaps + m.labels_on_nodes} | {m.edges_through_nodes} | "
              f"{m.width_in} × {m.height_in} | {m.a4_min_font} / {m.a3_min_font} |")


if __name__ == "__main__":
    main()
