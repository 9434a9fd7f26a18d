"""Benchmarks: flowmap against the limits it is measured by, and against a peer.

    .venv/bin/python benchmarks/run.py                 # the full run (about 10 minutes)
    .venv/bin/python benchmarks/run.py --quick         # smaller maps, fewer repeats, no peer
    .venv/bin/python benchmarks/run.py --json out.json # also keep the raw numbers

Prints Markdown tables (BENCHMARKS.md is made from them). Every comparison is
measured side by side in one run, as medians of repeated runs:

  a. validation: `flowmap validate --format json` against a plain parse of the same
     files with PyYAML's C loader, both as fresh processes (so interpreter start-up is
     on both sides) and in-process, at 200 / 2,000 / 20,000 flows;
  b. rendering: `flowmap render --format svg` against Graphviz alone (the engine
     flowmap chose) on the DOT flowmap emits with the same options, 50-500 organisations;
  c. start-up: `flowmap --help` and `--version` against `python -c "import click"`;
  d. peak resident memory at 20,000 flows;
  e. the peer: OWASP pytm's DFD for an equivalent model (200 elements, 2,000 flows),
     installed from PyPI into a separate virtual environment under the temp directory.

This is a script, not a test: nothing here fails on a slow machine.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import io
import json
import os
import platform
import pstats
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import generate  # noqa: E402  (benchmarks/generate.py, beside this file)

PYTHON = sys.executable
FLOWMAP = str(Path(PYTHON).parent / "flowmap")
#: flows per organisation in every synthetic map
FLOWS_PER_ORG = 10
VALIDATION_SIZES = (200, 2_000, 20_000)
RENDER_ORGS = (50, 100, 200, 500)
#: also drawn flow by flow with dot, where Graphviz does most of the work
RENDER_UNMERGED = (50, 100)
PEER_FLOWS = 2_000
FILES = 6

PARSE_SCRIPT = """\
import sys, yaml
for name in sys.argv[1:]:
    with open(name, encoding="utf-8") as handle:
        yaml.load(handle.read(), Loader=yaml.CSafeLoader)
"""
MAXRSS_SCRIPT = """\
import resource, subprocess, sys
code = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL).returncode
print(code, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
"""


# -- measuring -------------------------------------------------------------------------

def run_once(cmd: Sequence[str], *, ok: Sequence[int] = (0,),
             timeout: float | None = None) -> tuple[float, str]:
    """Wall time of one run of ``cmd`` and its standard error."""
    start = time.perf_counter()
    proc = subprocess.run(list(cmd), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                          text=True, timeout=timeout)
    elapsed = time.perf_counter() - start
    if proc.returncode not in ok:
        raise SystemExit(f"benchmark command failed ({proc.returncode}): {' '.join(cmd)}\n"
                         f"{proc.stderr[-2000:]}")
    return elapsed, proc.stderr


def median_run(cmd: Sequence[str], repeats: int, *, ok: Sequence[int] = (0,)) -> float:
    """Median wall time of ``repeats`` runs after one unmeasured warm-up run."""
    run_once(cmd, ok=ok)
    return statistics.median(run_once(cmd, ok=ok)[0] for _ in range(repeats))


def median_call(func: Callable[[], Any], repeats: int) -> float:
    func()  # warm-up: imports, caches
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def peak_rss_mb(cmd: Sequence[str]) -> float:
    """Peak resident set of ``cmd`` (a child of a small watcher process), in MB."""
    out = subprocess.run([PYTHON, "-c", MAXRSS_SCRIPT, *cmd], capture_output=True,
                         text=True, check=True).stdout.split()
    return int(out[1]) / 1024


# -- the maps -----------------------------------------------------------------------------

def make_map(root: Path, flows: int, organisations: int | None = None) -> Path:
    orgs = organisations or max(2, flows // FLOWS_PER_ORG)
    folder = root / f"map-{orgs}-{flows}"
    if not folder.exists():
        generate.write(folder, generate.generate(orgs, flows, FILES))
    return folder


def map_files(folder: Path) -> list[str]:
    return [str(p) for p in sorted(folder.glob("*.yaml"))]


def megabytes(folder: Path) -> float:
    return sum(p.stat().st_size for p in folder.glob("*.yaml")) / 1e6


# -- a. validation --------------------------------------------------------------------------

def bench_validation(root: Path, sizes: Sequence[int], repeats: int) -> list[dict[str, Any]]:
    from flowmap.loader import load
    from flowmap.validate import check
    from flowmap.yamlsource import read_document

    rows = []
    for flows in sizes:
        folder = make_map(root, flows)
        files = map_files(folder)
        n = max(1, repeats if flows < 20_000 else repeats // 2 + 1)
        validate_s = median_run([FLOWMAP, "validate", str(folder), "--format", "json"], n,
                                ok=(0, 1))
        parse_s = median_run([PYTHON, "-c", PARSE_SCRIPT, *files], n)
        texts = [Path(f).read_text(encoding="utf-8") for f in files]
        row = {
            "flows": flows, "organisations": max(2, flows // FLOWS_PER_ORG),
            "mb": megabytes(folder), "repeats": n,
            "validate_s": validate_s, "parse_s": parse_s,
            "in_parse_s": median_call(
                lambda: [yaml.load(t, Loader=yaml.CSafeLoader) for t in texts], n),
            "in_parse_nogc_s": median_call(lambda: _without_gc(
                lambda: [yaml.load(t, Loader=yaml.CSafeLoader) for t in texts]), n),
            "in_compose_s": median_call(lambda: _without_gc(  # as flowmap composes
                lambda: [yaml.compose(t, Loader=yaml.CSafeLoader) for t in texts]), n),
            "in_read_s": median_call(
                lambda: [read_document(Path(f), f) for f in files], n),
            "in_load_s": median_call(lambda: load(folder), n),
            "in_check_s": median_call(lambda: check(folder), n),
        }
        rows.append(row)
    return rows


def _without_gc(func: Callable[[], Any]) -> Any:
    gc.disable()
    try:
        return func()
    finally:
        gc.enable()


def profile_check(folder: Path, top: int = 14) -> str:
    """Where in-process validation spends its time (cProfile, by own time)."""
    from flowmap.validate import check

    profiler = cProfile.Profile()
    profiler.enable()
    check(folder)
    profiler.disable()
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(top)
    lines = [line for line in out.getvalue().splitlines() if line.strip()]
    start = next(i for i, line in enumerate(lines) if "ncalls" in line)
    return "\n".join(lines[start:start + top + 1])


# -- b. rendering ---------------------------------------------------------------------------

ENGINE_NOTE = re.compile(r"laid out with (\w+)")


def bench_render(root: Path, orgs_list: Sequence[int], unmerged: Sequence[int],
                 repeats: int) -> list[dict[str, Any]]:
    from flowmap.render import drawing_for
    from flowmap.render import layout as graphviz_layout
    from flowmap.render.dot import to_dot
    from flowmap.validate import check

    rows = []
    cases = [(orgs, False) for orgs in orgs_list] + [(orgs, True) for orgs in unmerged]
    for orgs, flow_by_flow in cases:
        folder = make_map(root, orgs * FLOWS_PER_ORG, orgs)
        options = ["--no-merge", "--engine", "dot"] if flow_by_flow else []
        out = root / f"render-{orgs}{'-unmerged' if flow_by_flow else ''}"
        out.mkdir(exist_ok=True)
        svg, dot = out / "map.svg", out / "map.dot"
        _, note = run_once([FLOWMAP, "render", str(folder), "-o", str(dot), *options])
        chosen = ENGINE_NOTE.search(note)  # flowmap says when it chose another engine
        engine = chosen.group(1) if chosen else "dot"
        n = repeats if orgs < 500 and not flow_by_flow else max(1, repeats // 2)
        flowmap_s = median_run([FLOWMAP, "render", str(folder), "-o", str(svg), *options], n)
        graphviz_s = median_run([engine, "-Tsvg", str(dot), "-o", str(out / "plain.svg")], n)
        result = check(folder)
        merge = False if flow_by_flow else None
        drawing = drawing_for(result, merge=merge, engine="dot" if flow_by_flow else None)
        source = to_dot(result, drawing)
        in_total = median_call(lambda: _render_in_process(folder, merge), n)
        in_layout = median_call(lambda: graphviz_layout(source, "svg", engine), n)
        rows.append({
            "organisations": orgs, "flows": orgs * FLOWS_PER_ORG, "engine": engine,
            "flow_by_flow": flow_by_flow,
            "merged": drawing.plan.merge, "edges": source.count(" -> "), "repeats": n,
            "flowmap_s": flowmap_s, "graphviz_s": graphviz_s,
            "in_total_s": in_total, "in_layout_s": in_layout,
            "svg_kb": svg.stat().st_size / 1024,
        })
    return rows


def _render_in_process(folder: Path, merge: bool | None) -> bytes:
    from flowmap.render import drawing_for, render
    from flowmap.validate import check

    result = check(folder)
    engine = "dot" if merge is False else None
    return render(result, "svg", drawing_for(result, merge=merge, engine=engine))


# -- c. start-up ----------------------------------------------------------------------------

def bench_startup(repeats: int) -> dict[str, float]:
    n = max(repeats * 2, 5)
    return {
        "help_s": median_run([FLOWMAP, "--help"], n),
        "version_s": median_run([FLOWMAP, "--version"], n),
        "click_s": median_run([PYTHON, "-c", "import click"], n),
        "python_s": median_run([PYTHON, "-c", "pass"], n),
        "validate_small_s": median_run([FLOWMAP, "validate", str(HERE.parent / "flows" / "acc"),
                                        "--format", "json"], n, ok=(0, 1)),
    }


# -- d. memory ------------------------------------------------------------------------------

def bench_memory(root: Path, flows: int) -> dict[str, float]:
    folder = make_map(root, flows)
    files = map_files(folder)
    return {
        "flows": flows,
        "validate_mb": peak_rss_mb([FLOWMAP, "validate", str(folder), "--format", "json"]),
        "parse_mb": peak_rss_mb([PYTHON, "-c", PARSE_SCRIPT, *files]),
        "render_svg_mb": peak_rss_mb([FLOWMAP, "render", str(folder), "-o",
                                      str(root / "memory.svg")]),
        "python_mb": peak_rss_mb([PYTHON, "-c", "pass"]),
    }


# -- e. the peer: OWASP pytm ------------------------------------------------------------------

def pytm_python(cache: Path) -> str:
    """A Python with pytm from PyPI, in its own virtual environment (made once)."""
    venv = cache / "pytm-venv"
    python = venv / "bin" / "python"
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        subprocess.run([str(python), "-m", "pip", "install", "--quiet", "pytm"], check=True)
    return str(python)


def pytm_model(folder: Path, target: Path) -> None:
    """The synthetic map as a hand-written-style pytm script: one line per element,
    organisations as processes inside a boundary per sector, flows as dataflows that
    carry the same information items."""
    docs = [yaml.safe_load(Path(f).read_text(encoding="utf-8")) for f in map_files(folder)]
    orgs = [o for d in docs for o in d.get("organisations", [])]
    info = [i for d in docs for i in d.get("information", [])]
    flows = [f for d in docs for f in d.get("flows", [])]
    py = ["from pytm import TM, Boundary, Data, Dataflow, Process", "",
          f"tm = TM({docs[0]['map']['title']!r})", "boundaries = {}", "data = {}",
          "elements = {}"]
    for sector in sorted({o["sector"] for o in orgs}):
        py.append(f"boundaries[{sector!r}] = Boundary({sector!r})")
    for item in info:
        py.append(f"data[{item['id']!r}] = Data({item['name']!r}, "
                  f"isPII={not item['category'].startswith('non-personal')})")
    for org in orgs:
        py.append(f"elements[{org['id']!r}] = Process({org['name']!r}, "
                  f"inBoundary=boundaries[{org['sector']!r}])")
    for flow in flows:
        items = ", ".join(f"data[{i!r}]" for i in flow["information"])
        py.append(f"Dataflow(elements[{flow['from']!r}], elements[{flow['to']!r}], "
                  f"{flow['id']!r}, data=[{items}])")
    py += ["", "tm.process()", ""]
    target.write_text("\n".join(py), encoding="utf-8")


def bench_peer(root: Path, cache: Path, repeats: int) -> dict[str, Any]:
    python = pytm_python(cache)
    version = subprocess.run([python, "-c", "import importlib.metadata as m; "
                              "print(m.version('pytm'))"], capture_output=True, text=True,
                             check=True).stdout.strip()
    folder = make_map(root, PEER_FLOWS)
    model = root / "pytm_model.py"
    pytm_model(folder, model)
    n = max(1, repeats - 2)
    out = root / "peer"
    out.mkdir(exist_ok=True)
    dfd = out / "pytm.dot"
    with dfd.open("w", encoding="utf-8") as handle:
        subprocess.run([python, str(model), "--dfd"], stdout=handle, check=True)
    sfdp = None
    try:
        sfdp = run_once(["sfdp", "-Tsvg", str(dfd), "-o", str(out / "pytm.svg")],
                        timeout=300)[0]
    except subprocess.TimeoutExpired:
        pass
    return {
        "pytm_version": version, "flows": PEER_FLOWS,
        "organisations": max(2, PEER_FLOWS // FLOWS_PER_ORG), "repeats": n,
        "pytm_dfd_s": median_run([python, str(model), "--dfd"], n),
        "pytm_dfd_mb": peak_rss_mb([python, str(model), "--dfd"]),
        "pytm_sfdp_s": sfdp,
        "flowmap_validate_s": median_run([FLOWMAP, "validate", str(folder), "--format", "json"],
                                         n, ok=(0, 1)),
        "flowmap_dot_s": median_run([FLOWMAP, "render", str(folder), "-o",
                                     str(out / "flowmap.dot")], n),
        "flowmap_svg_s": median_run([FLOWMAP, "render", str(folder), "-o",
                                     str(out / "flowmap.svg")], n),
        "flowmap_svg_mb": peak_rss_mb([FLOWMAP, "render", str(folder), "-o",
                                       str(out / "flowmap.svg")]),
        "model_lines": len(model.read_text(encoding="utf-8").splitlines()),
        "map_lines": sum(len(Path(f).read_text(encoding="utf-8").splitlines())
                         for f in map_files(folder)),
    }


# -- rapidyaml (report only) ------------------------------------------------------------------

def bench_rapidyaml(root: Path, cache: Path, flows: int, repeats: int) -> dict[str, Any]:
    """Parse time of the same files with rapidyaml (its own venv; never a dependency)."""
    venv = cache / "ryml-venv"
    python = venv / "bin" / "python"
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        subprocess.run([str(python), "-m", "pip", "install", "--quiet", "rapidyaml", "PyYAML"],
                       check=True)
    files = map_files(make_map(root, flows))
    script = (
        "import sys, time, statistics, ryml, yaml\n"
        "texts = [open(f, 'rb').read() for f in sys.argv[2:]]\n"
        "def ryml_tree():\n"
        "    return [ryml.parse_in_arena(t) for t in texts]\n"
        "def libyaml_compose():\n"
        "    return [yaml.compose(t.decode(), Loader=yaml.CSafeLoader) for t in texts]\n"
        "import gc; gc.disable()  # as flowmap composes\n"
        "out = {}\n"
        "for name, f in (('ryml_tree_s', ryml_tree), ('libyaml_compose_s', libyaml_compose)):\n"
        "    f(); ts = []\n"
        "    for _ in range(int(sys.argv[1])):\n"
        "        t = time.perf_counter(); f(); ts.append(time.perf_counter() - t)\n"
        "    out[name] = statistics.median(ts)\n"
        "print(__import__('json').dumps(out))\n")
    proc = subprocess.run([str(python), "-c", script, str(repeats), *files],
                          capture_output=True, text=True, check=True)
    return {"flows": flows, **json.loads(proc.stdout)}


# -- the machine --------------------------------------------------------------------------------

def machine() -> dict[str, str]:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    dot = subprocess.run(["dot", "-V"], capture_output=True, text=True).stderr.strip()
    from importlib.metadata import version

    return {
        "date": time.strftime("%Y-%m-%d"),
        "cores": str(os.cpu_count()),
        "cpu": cpu,
        "memory": _memory(),
        "python": platform.python_version(),
        "graphviz": dot.replace("dot - graphviz version ", ""),
        "pyyaml": f"{yaml.__version__} (libyaml: {'yes' if yaml.__with_libyaml__ else 'no'})",
        "flowmap": version("flowmap"),
        "os": platform.platform(),
    }


def _memory() -> str:
    try:
        kb = int(next(line.split()[1] for line in Path("/proc/meminfo").read_text().splitlines()
                      if line.startswith("MemTotal")))
        return f"{kb / 1024 / 1024:.0f} GiB"
    except (OSError, StopIteration, ValueError):
        return "unknown"


# -- the tables ------------------------------------------------------------------------------------

def table(headings: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    lines = ["| " + " | ".join(headings) + " |", "|" + "|".join(" --- " for _ in headings) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def s(seconds: float | None) -> str:
    if seconds is None:
        return "> 300 s"
    return f"{seconds * 1000:.0f} ms" if seconds < 1 else f"{seconds:.2f} s"


def met(ok: bool) -> str:
    return "met" if ok else "**not met**"


def report(results: dict[str, Any]) -> str:
    out = [f"## Machine\n\n" + table(["what", "value"], [[k, v] for k, v in
                                                       results["machine"].items()])]
    rows = results["validation"]
    if rows:
        out.append("## a. Validation against a plain parse (PyYAML C loader)\n\n" + table(
            ["flows", "orgs", "YAML", "runs", "`flowmap validate`", "parse (process)",
             "ratio", "in-process check", "in-process parse", "ratio",
             "parse, GC paused"],
            [[f"{r['flows']:,}", f"{r['organisations']:,}", f"{r['mb']:.2f} MB",
              str(r["repeats"]), s(r["validate_s"]), s(r["parse_s"]),
              f"{r['validate_s'] / r['parse_s']:.2f}×", s(r["in_check_s"]),
              s(r["in_parse_s"]), f"{r['in_check_s'] / r['in_parse_s']:.2f}×",
              s(r["in_parse_nogc_s"])]
             for r in rows]))
        out.append("Where in-process validation goes:\n\n" + table(
            ["flows", "compose (libyaml, GC paused)", "→ values + positions",
             "→ models, merge",
             "→ graph, rules", "total"],
            [[f"{r['flows']:,}", s(r["in_compose_s"]), s(r["in_read_s"] - r["in_compose_s"]),
              s(r["in_load_s"] - r["in_read_s"]), s(r["in_check_s"] - r["in_load_s"]),
              s(r["in_check_s"])] for r in rows]))
        last = rows[-1]
        growth = ""
        if len(rows) > 1:
            prev = rows[-2]
            factor = last["flows"] / prev["flows"]
            growth = (f"growth from {prev['flows']:,} to {last['flows']:,} flows "
                      f"({factor:.0f}× the flows): validate {last['validate_s'] / prev['validate_s']:.1f}×, "
                      f"in-process check {last['in_check_s'] / prev['in_check_s']:.1f}×, "
                      f"parse {last['parse_s'] / prev['parse_s']:.1f}×")
        ratio = last["validate_s"] / last["parse_s"]
        out.append(f"Target (validation ≤ 2× the parse at {last['flows']:,} flows): "
                   f"{ratio:.2f}× as processes, "
                   f"{last['in_check_s'] / last['in_parse_s']:.2f}× in-process: "
                   f"{met(ratio <= 2)}. {growth}.")
    if results.get("profile"):
        out.append("cProfile of in-process validation at the largest size, by own time:\n\n"
                   "```\n" + results["profile"] + "\n```")
    rows = results["render"]
    if rows:
        out.append("## b. Rendering: `flowmap render` (SVG) against Graphviz alone\n\n" + table(
            ["orgs", "flows", "engine", "edges", "runs", "`flowmap render`", "Graphviz alone",
             "overhead", "in-process render", "in-process layout", "overhead"],
            [[str(r["organisations"]), f"{r['flows']:,}", r["engine"]
              + (" (merged)" if r["merged"] else " (each flow)"), f"{r['edges']:,}",
              str(r["repeats"]),
              s(r["flowmap_s"]), s(r["graphviz_s"]),
              f"{(r['flowmap_s'] - r['graphviz_s']) / r['graphviz_s']:+.0%}",
              s(r["in_total_s"]), s(r["in_layout_s"]),
              f"{(r['in_total_s'] - r['in_layout_s']) / r['in_layout_s']:+.0%}"]
             for r in rows]))
        default = [r for r in rows if not r["flow_by_flow"]]
        worst = max((r["flowmap_s"] - r["graphviz_s"]) / r["graphviz_s"] for r in default)
        out.append(f"Target (overhead ≤ 15% for 50-500 organisations): worst {worst:+.0%} "
                   f"as processes with the default drawing: {met(worst <= 0.15)}.")
    st = results.get("startup")
    if st:
        help_ratio = st["help_s"] / st["click_s"]
        version_ratio = st["version_s"] / st["click_s"]
        out.append("## c. Start-up\n\n" + table(
            ["command", "median", "against `import click`"],
            [["`python -c pass`", s(st["python_s"]), f"{st['python_s'] / st['click_s']:.2f}×"],
             ["`python -c \"import click\"`", s(st["click_s"]), "1.00×"],
             ["`flowmap --help`", s(st["help_s"]), f"{help_ratio:.2f}×"],
             ["`flowmap --version`", s(st["version_s"]), f"{version_ratio:.2f}×"],
             ["`flowmap validate flows/acc --format json`", s(st["validate_small_s"]),
              f"{st['validate_small_s'] / st['click_s']:.2f}×"]]))
        out.append(f"Target (≤ 2×): --help {help_ratio:.2f}×, --version {version_ratio:.2f}×: "
                   f"{met(max(help_ratio, version_ratio) <= 2)}.")
    mem = results.get("memory")
    if mem:
        out.append(f"## d. Peak resident memory at {mem['flows']:,} flows\n\n" + table(
            ["process", "peak RSS"],
            [["`python -c pass`", f"{mem['python_mb']:.0f} MB"],
             ["parse only (PyYAML C loader)", f"{mem['parse_mb']:.0f} MB"],
             ["`flowmap validate --format json`", f"{mem['validate_mb']:.0f} MB"],
             ["`flowmap render -o map.svg`", f"{mem['render_svg_mb']:.0f} MB"]]))
    peer = results.get("peer")
    if peer:
        fm_total = peer["flowmap_validate_s"] + peer["flowmap_dot_s"] + peer["flowmap_svg_s"]
        out.append(f"## e. The peer: OWASP pytm {peer['pytm_version']}, "
                   f"{peer['organisations']} elements / {peer['flows']:,} flows\n\n" + table(
                       ["tool and step", "median", "peak RSS"],
                       [[f"pytm `--dfd` (DOT text; model of {peer['model_lines']:,} lines)",
                         s(peer["pytm_dfd_s"]), f"{peer['pytm_dfd_mb']:.0f} MB"],
                        ["`sfdp -Tsvg` on pytm's DOT", s(peer["pytm_sfdp_s"]), ""],
                        [f"flowmap `validate` (map of {peer['map_lines']:,} YAML lines)",
                         s(peer["flowmap_validate_s"]), ""],
                        ["flowmap `render --format dot`", s(peer["flowmap_dot_s"]), ""],
                        ["flowmap `render --format svg`", s(peer["flowmap_svg_s"]),
                         f"{peer['flowmap_svg_mb']:.0f} MB"],
                        ["flowmap validate + DOT + SVG", s(fm_total), ""]]))
    ry = results.get("rapidyaml")
    if ry:
        out.append(f"## rapidyaml (report only) at {ry['flows']:,} flows\n\n" + table(
            ["parser", "median"],
            [["libyaml `yaml.compose` (nodes with marks)", s(ry["libyaml_compose_s"])],
             ["rapidyaml `parse_in_arena` (tree with locations available)",
              s(ry["ryml_tree_s"])]]))
    return "\n\n".join(out) + "\n"


# -- main ---------------------------------------------------------------------------------------

def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true",
                        help="smaller maps, 3 repeats, no peer, no memory at 20,000 flows")
    parser.add_argument("--repeats", type=int, default=5, help="runs per median (default 5)")
    parser.add_argument("--no-peer", action="store_true", help="skip OWASP pytm")
    parser.add_argument("--sections", default="abcde",
                        help="which to run, e.g. 'ac' (default: abcde)")
    parser.add_argument("--rapidyaml", action="store_true",
                        help="also time rapidyaml's parse (installed in its own venv)")
    parser.add_argument("--workdir", type=Path, default=None,
                        help="where to write the maps (default: a temporary directory)")
    parser.add_argument("--cache", type=Path,
                        default=Path(tempfile.gettempdir()) / "flowmap-bench",
                        help="where the peer's virtual environment is kept")
    parser.add_argument("--json", type=Path, default=None, help="also write raw numbers here")
    args = parser.parse_args()
    if shutil.which("dot") is None or not Path(FLOWMAP).exists():
        raise SystemExit("run from the project's venv with Graphviz installed: "
                         "bash scripts/dev test, then .venv/bin/python benchmarks/run.py")
    repeats = 3 if args.quick else args.repeats
    sizes = VALIDATION_SIZES[:2] if args.quick else VALIDATION_SIZES
    render_orgs = RENDER_ORGS[:2] if args.quick else RENDER_ORGS
    work = args.workdir or Path(tempfile.mkdtemp(prefix="flowmap-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    args.cache.mkdir(parents=True, exist_ok=True)

    def step(name: str) -> None:
        print(f"[{time.strftime('%H:%M:%S')}] {name}", file=sys.stderr, flush=True)

    results: dict[str, Any] = {"machine": machine(), "validation": [], "render": []}
    if "c" in args.sections:
        step("c. start-up")
        results["startup"] = bench_startup(repeats)
    if "a" in args.sections:
        step("a. validation")
        results["validation"] = bench_validation(work, sizes, repeats)
        results["profile"] = profile_check(make_map(work, sizes[-1]))
    if "b" in args.sections:
        step("b. rendering")
        results["render"] = bench_render(work, render_orgs,
                                         () if args.quick else RENDER_UNMERGED, repeats)
    if "d" in args.sections and not args.quick:
        step("d. memory")
        results["memory"] = bench_memory(work, VALIDATION_SIZES[-1])
    if "e" in args.sections and not (args.quick or args.no_peer):
        step("e. peer: OWASP pytm")
        results["peer"] = bench_peer(work, args.cache, repeats)
    if args.rapidyaml:
        step("rapidyaml")
        results["rapidyaml"] = bench_rapidyaml(work, args.cache, sizes[-1], repeats)
    print(report(results))
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    if args.workdir is None:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
