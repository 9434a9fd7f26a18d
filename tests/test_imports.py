"""The import contract: flowmap's modules form a ladder, with no cycle.

A map goes through stages: YAML is read with positions, turned into the model,
loaded and merged, checked, then written out, and the command line drives it
all. A module may import its own stage and the stages below it, never one above:
so finding codes (data every stage uses) live apart from the rules that run in
the check stage. Every import counts, including those under ``TYPE_CHECKING``
and inside functions, as a reader of the code sees them.

A new module must be given its stage in ``STAGES``: the test says so by name.
"""

from __future__ import annotations

import ast
from pathlib import Path

import flowmap

PACKAGE = Path(flowmap.__file__).parent

#: each stage, lowest first, with the packages that make it up: a package is its
#: stage's modules, so the tree itself shows the ladder (``flowmap/common`` …
#: ``flowmap/cli``) and a new module takes its package's stage
STAGES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("codes and helpers", ("flowmap.common",)),
    ("read", ("flowmap.read",)),
    ("model", ("flowmap.model",)),
    ("load", ("flowmap.load",)),
    ("check", ("flowmap.check",)),
    ("outputs", ("flowmap.review", "flowmap.author", "flowmap.render", "flowmap.report",
                 "flowmap.docs")),
    ("command line", ("flowmap", "flowmap.__main__", "flowmap.cli")),
)

#: the only modules directly under flowmap/: everything else lives in a stage's package
TOP_LEVEL = {"flowmap", "flowmap.__main__"}


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules() -> dict[str, Path]:
    return {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def stage_of(module: str) -> int | None:
    """The stage of a module: the stage of the package it is in (or is)."""
    for rank, (_, names) in enumerate(STAGES):
        if module in names or any(module.startswith(f"{name}.") for name in names
                                  if name not in TOP_LEVEL):
            return rank
    return None


def imports(path: Path, known: set[str]) -> set[str]:
    """The flowmap modules ``path`` imports (``from a import b`` counts as a.b when
    a.b is a module)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.split(".")[0] == "flowmap")
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            if node.module.split(".")[0] != "flowmap":
                continue
            for alias in node.names:
                name = f"{node.module}.{alias.name}"
                found.add(name if name in known else node.module)
    return found


def graph() -> dict[str, set[str]]:
    found = modules()
    known = set(found)
    return {name: imports(path, known) - {name} for name, path in found.items()}


def test_every_module_has_a_stage() -> None:
    unplaced = [m for m in modules() if stage_of(m) is None]
    assert not unplaced, f"give these modules a stage in tests/test_imports.py: {unplaced}"


def test_the_top_level_shows_the_stages() -> None:
    """No loose modules beside the stage packages: a reader of the tree sees the
    ladder without opening a file."""
    loose = sorted(m for m in modules() if m.count(".") == 1 and m not in TOP_LEVEL
                   and not (PACKAGE / m.split(".")[1]).is_dir())
    assert not loose, f"move these modules into their stage's package: {loose}"


def test_no_module_imports_a_later_stage() -> None:
    names = [name for name, _ in STAGES]
    broken = []
    for module, targets in graph().items():
        own = stage_of(module)
        for target in sorted(targets):
            theirs = stage_of(target)
            if own is not None and theirs is not None and theirs > own:
                broken.append(f"{module} ({names[own]}) imports {target} ({names[theirs]})")
    assert not broken, "imports up the ladder:\n" + "\n".join(broken)


def find_cycle(edges: dict[str, set[str]]) -> list[str] | None:
    """One import cycle (a → b → ... → a), or None when the graph has none."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(module: str) -> list[str] | None:
        state[module] = 1
        path.append(module)
        for target in sorted(edges.get(module, ())):
            if state.get(target) == 1:
                return path[path.index(target):] + [target]
            if target not in state and (cycle := visit(target)):
                return cycle
        state[module] = 2
        path.pop()
        return None

    for module in sorted(edges):
        if module not in state and (cycle := visit(module)):
            return cycle
    return None


def test_no_import_cycle() -> None:
    cycle = find_cycle(graph())
    assert cycle is None, "import cycle: " + " → ".join(cycle or [])


def test_the_contract_sees_cycles_and_every_kind_of_import(tmp_path: Path) -> None:
    """The checks above catch what they are for, read from real files the way the
    contract reads flowmap's: imports nested in blocks count, and a cycle is named."""
    a = tmp_path / "a.py"
    a.write_text("from flowmap.check.validate import check\n", encoding="utf-8")
    b = tmp_path / "b.py"
    b.write_text("if True:\n    import flowmap.cli\n", encoding="utf-8")
    known = {"flowmap.check.validate", "flowmap.cli"}
    assert imports(a, known) == {"flowmap.check.validate"}
    assert imports(b, known) == {"flowmap.cli"}
    assert find_cycle({"x": {"y"}, "y": {"z"}, "z": {"x"}}) == ["x", "y", "z", "x"]
    assert find_cycle({"x": {"y"}, "y": set()}) is None
    assert stage_of("flowmap.render.svg") == stage_of("flowmap.render")
    assert stage_of("flowmap.check.rules.basis") == stage_of("flowmap.check") == 4
    assert stage_of("flowmap.somewhere") is None
