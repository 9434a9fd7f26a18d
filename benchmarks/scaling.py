"""No quadratic path: each stage's time when the map doubles.

    .venv/bin/python benchmarks/scaling.py            # 2,500 → 5,000 flows
    .venv/bin/python benchmarks/scaling.py --flows 5000 --repeats 5

Generates two maps (N and 2N flows, organisations = flows/10, flows spread over
many pairs), then times every stage flowmap runs itself, in one process: the check,
each report and each output writer (DOT, the accessible-SVG pass, HTML, Mermaid,
JSON, GraphML, the register). Graphviz's own layout is run once per map and not
timed: its growth is Graphviz's, and is bounded by the drawing budget instead.

Each figure is the least CPU time of a few runs (a busy machine only ever adds
time: other processes evict the caches), and runs of the two sizes alternate. Exits with status 1 when any stage takes more than
``--limit`` (default 2.3) times as long for twice the flows: linear work gives
about 2×, quadratic about 4×.
"""

from __future__ import annotations

import argparse
import gc
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import generate  # noqa: E402  (benchmarks/generate.py, beside this file)


def stages(folder: Path) -> dict[str, Callable[[], Any]]:
    """Every stage to time on the map in ``folder``, each a function of no argument."""
    from flowmap.render import drawing_for, layout
    from flowmap.render.dot import to_dot
    from flowmap.render.html import to_html
    from flowmap.render.mermaid import to_mermaid
    from flowmap.render.plain import to_graphml, to_json
    from flowmap.render.svg import make_accessible
    from flowmap.report import json_report, sarif, text
    from flowmap.report.register import to_csv, to_markdown
    from flowmap.check.validate import check

    result = check(folder)
    drawing = drawing_for(result)
    svg = layout(to_dot(result, drawing), "svg", drawing.plan.engine)
    return {
        "check (load + rules)": lambda: check(folder),
        "report: text": lambda: text.format_result(result),
        "report: JSON": lambda: json_report.format_result(result),
        "report: SARIF": lambda: sarif.format_result(result),
        "register: Markdown": lambda: to_markdown(result),
        "register: CSV": lambda: to_csv(result),
        "DOT": lambda: to_dot(result, drawing),
        "SVG pass (after Graphviz)": lambda: make_accessible(svg, result, drawing),
        "HTML (after Graphviz)": lambda: to_html(result, drawing, svg),
        "Mermaid": lambda: to_mermaid(result, drawing.view, drawing.theme),
        "JSON graph": lambda: to_json(result, drawing.view),
        "GraphML": lambda: to_graphml(result, drawing.view),
    }


def timed(func: Callable[[], Any]) -> float:
    """CPU seconds of one call: the machine is shared, and CPU time is what a
    quadratic path multiplies (waiting for the processor is the neighbours')."""
    gc.collect()
    start = time.process_time()
    func()
    return time.process_time() - start


def measure(flows: int, repeats: int) -> list[tuple[str, float, float]]:
    """(stage, CPU seconds at ``flows``, at twice ``flows``) for every stage."""
    sizes = (flows, 2 * flows)
    with tempfile.TemporaryDirectory(prefix="flowmap-scaling-") as tmp:
        folders = []
        for n in sizes:
            folder = Path(tmp) / f"map-{n}"
            generate.write(folder, generate.generate(max(2, n // 10), n))
            folders.append(folder)
        small, large = (stages(f) for f in folders)
        times: dict[str, tuple[list[float], list[float]]] = {k: ([], []) for k in small}
        for name in small:
            small[name](), large[name]()  # warm-up
            for _ in range(repeats):  # alternate, so noise falls on both sides
                times[name][0].append(timed(small[name]))
                times[name][1].append(timed(large[name]))
    return [(name, min(a), min(b)) for name, (a, b) in times.items()]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--flows", type=int, default=2_500, help="the smaller map (default 2500)")
    parser.add_argument("--repeats", type=int, default=5, help="runs of each (default 5)")
    parser.add_argument("--limit", type=float, default=2.3,
                        help="largest time ratio allowed for twice the flows (default 2.3)")
    args = parser.parse_args()
    print(f"| stage | {args.flows:,} flows | {2 * args.flows:,} flows | ratio |")
    print("| --- | --- | --- | --- |")
    failed = []
    for name, ta, tb in measure(args.flows, args.repeats):
        ratio = tb / ta if ta else float("inf")
        print(f"| {name} | {ta * 1000:.0f} ms | {tb * 1000:.0f} ms | {ratio:.2f}× |")
        if ratio > args.limit:
            failed.append(f"{name} ({ratio:.2f}×)")
    if failed:
        print(f"\nworse than linear (> {args.limit}× for twice the flows): "
              + ", ".join(failed), file=sys.stderr)
        return 1
    print(f"\nevery stage within {args.limit}× for twice the flows")
    return 0


if __name__ == "__main__":
    sys.exit(main())
