"""Print, as a Markdown table, how a big map reads on a page drawn each way: layered
(`dot`) with its edges numbered and a key, layered with what each edge carries
written on it, and the `sfdp` overview (docs/layout.md, "Big maps").

    .venv/bin/python scripts/overview_numbers.py [FLOWS ...]

The maps are tests/genmap.py's (shaped like real ones: a few agencies in most
flows), seed 0. Each layout's time is Graphviz's alone (the machine is shared:
read the times as rough); its size and smallest text on A3 come from
flowmap.render.measure.
"""

from __future__ import annotations

import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from flowmap.check.validate import Result, check  # noqa: E402
from flowmap.render import LayoutTimeout, drawing_for, layout  # noqa: E402
from flowmap.render.dot import Drawing, edges_of, to_dot  # noqa: E402
from flowmap.render.measure import measure_json  # noqa: E402
from tests.genmap import write_generated  # noqa: E402

#: a layout is given up after this many seconds
GIVE_UP = 60.0


def cell(result: Result, drawing: Drawing) -> str:
    """Graphviz's time for ``drawing``, its size and its smallest text on A3."""
    start = time.monotonic()
    try:
        data = layout(to_dot(result, drawing), "json", drawing.plan.engine, GIVE_UP)
    except LayoutTimeout:
        return f"> {GIVE_UP:.0f} s"
    seconds = time.monotonic() - start
    m = measure_json(data)
    return f"{seconds:.1f} s, {m.width_in} × {m.height_in} in, {m.a3_min_font} pt"


def main() -> None:
    sizes = [int(a) for a in sys.argv[1:]] or [60, 100, 120, 200, 300]
    print("| flows | edges | `dot`, numbered with a key | `dot`, labels written "
          "| `sfdp` overview |")
    print("| ---: | ---: | --- | --- | --- |")
    with tempfile.TemporaryDirectory() as tmp:
        for flows in sizes:
            result = check(write_generated(Path(tmp) / str(flows), flows))
            layered = drawing_for(result, engine="dot")
            edges = len(edges_of(result, layered))
            cells = [cell(result, replace(layered, labels="numbers")),
                     cell(result, replace(layered, labels="full")),
                     cell(result, drawing_for(result, engine="sfdp"))]
            print(f"| {flows} | {edges} | {' | '.join(cells)} |", flush=True)


if __name__ == "__main__":
    main()
