"""Golden snapshots of the example maps, compared by meaning, not bytes.

A snapshot holds what a reviewer cares about: every finding (code, severity,
subject, accepted) and every drawn organisation and flow with its status. DOT
and SVG bytes change with Graphviz versions; these do not.

    .venv/bin/python -m tests.golden      # rewrite tests/golden/*.json from flows/
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from flowmap.render.plain import plain_graph
from flowmap.check.validate import check
from flowmap.review.views import select
from tests.conftest import EXAMPLES, TODAY

GOLDEN = Path(__file__).parent / "golden"


def examples() -> list[Path]:
    return sorted(p for p in EXAMPLES.iterdir() if p.is_dir() and any(p.rglob("*.yaml")))


def snapshot(example: Path) -> dict[str, Any]:
    result = check(example, today=TODAY)
    graph = plain_graph(result, select(result))
    return {
        "map": result.map.info.id,
        "findings": sorted(
            f"{f.code} {f.severity.value} {f.subject.kind}/{f.subject.id}"
            + (" accepted" if f.accepted else "") for f in result.findings),
        "organisations": sorted(graph.nodes),
        "flows": {k: d["status"] for _, _, k, d in sorted(graph.edges(keys=True, data=True),
                                                         key=lambda e: e[2])},
    }


def golden_path(example: Path) -> Path:
    return GOLDEN / f"{example.name}.json"


def main() -> None:
    GOLDEN.mkdir(exist_ok=True)
    for example in examples():
        text = json.dumps(snapshot(example), indent=1, sort_keys=True) + "\n"
        golden_path(example).write_text(text, encoding="utf-8")
        print(f"wrote {golden_path(example)}", file=sys.stderr)


if __name__ == "__main__":
    main()
