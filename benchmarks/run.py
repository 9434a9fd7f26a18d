"""Benchmarks: flowmap against the plain parse, the peer (OWASP pytm) and its own targets.

    .venv/bin/python benchmarks/run.py --write BENCHMARKS.md   # the full run, the file
    .venv/bin/python benchmarks/run.py --quick                 # smaller maps, fewer runs

Prints Markdown (``--write`` also writes it as BENCHMARKS.md, with its explanations).
Every comparison is measured side by side in one run, as medians of runs that
alternate between the commands compared, so a busy machine slows both sides alike:

  a. at 1,000 / 5,000 / 20,000 / 50,000 flows: a plain parse of the same files with
     PyYAML's C loader (the limit), `flowmap validate`, `flowmap render --format dot`,
     `flowmap register`, and OWASP pytm's `--dfd` on the same map written as a pytm
     model (the peer), each as a fresh process;
  b. drawing: `flowmap render` to SVG and PNG, wall time and peak memory, on the maps
     issue 15 measured;
  c. start-up: `flowmap --help` and `--version` against `python -c "import click"`;
  d. peak resident memory at 20,000 flows against the plain parse;
  e. no quadratic path: benchmarks/scaling.py's table (each stage's CPU time when
     the map doubles).

pytm is installed from PyPI into its own virtual environment under the temporary
directory the first time it is needed: it is never a dependency of flowmap.
Synthetic maps (benchmarks/generate.py) have organisations = flows / 10, and spread
their flows over many pairs of organisations. This is a script, not a test: only
section e fails (exit 1) when a stage grows faster than linear.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
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
SIZES = (1_000, 5_000, 20_000, 50_000)
#: (flows, organisations) drawn in section b: the cases issue 15 measured
DRAWINGS = ((1_000, 100), (1_500, 100), (700, 150), (5_000, 500))
MEMORY_FLOWS = 20_000
FILES = 6
TIMEOUT = 900

PARSE_SCRIPT = """\
import sys, yaml
for name in sys.argv[1:]:
    with open(name, encoding="utf-8") as handle:
        yaml.load(handle.read(), Loader=yaml.CSafeLoader)
"""
MAXRSS_SCRIPT = """\
import resource, subprocess, sys, time
start = time.perf_counter()
code = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL,
                      stderr=subprocess.DEVNULL).returncode
print(code, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss,
      time.perf_counter() - start)
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


def paired(commands: dict[str, tuple[Sequence[str], Sequence[int]]], repeats: int,
           warm_up: bool = True) -> dict[str, float]:
    """Median wall time of each command, the commands run in turn ``repeats`` times
    (after one unmeasured round when ``warm_up``), so noise falls on all of them."""
    if warm_up:
        for cmd, ok in commands.values():
            run_once(cmd, ok=ok, timeout=TIMEOUT)
    times: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(repeats):
        for name, (cmd, ok) in commands.items():
            times[name].append(run_once(cmd, ok=ok, timeout=TIMEOUT)[0])
    return {name: statistics.median(values) for name, values in times.items()}


def peak_rss_mb(cmd: Sequence[str]) -> float:
    """Peak resident set of ``cmd`` (a child of a small watcher process), in MB."""
    return timed_rss(cmd)[1]


def timed_rss(cmd: Sequence[str]) -> tuple[float, float, int]:
    """Wall seconds, peak resident MB and exit status of one run of ``cmd``."""
    out = subprocess.run([PYTHON, "-c", MAXRSS_SCRIPT, *cmd], capture_output=True,
                         text=True, check=True).stdout.split()
    return float(out[2]), int(out[1]) / 1024, int(out[0])


def compile_flowmap() -> None:
    """Compile flowmap's modules to bytecode first, as installing it from a wheel does
    (and as pip did for pytm's environment): an editable install run with
    PYTHONDONTWRITEBYTECODE set would otherwise compile all of flowmap on every run
    (about 45 ms of CPU a command), which no installed user pays."""
    subprocess.run([PYTHON, "-m", "compileall", "-q", str(HERE.parent / "flowmap")],
                   check=True, stdout=subprocess.DEVNULL)


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


# -- a. sizes: the parse, flowmap's commands and the peer, side by side ----------------

def bench_sizes(root: Path, sizes: Sequence[int], repeats: int,
                pytm: str | None) -> list[dict[str, Any]]:
    rows = []
    for flows in sizes:
        folder = make_map(root, flows)
        files = map_files(folder)
        out = root / f"out-{flows}"
        out.mkdir(exist_ok=True)
        commands: dict[str, tuple[Sequence[str], Sequence[int]]] = {
            "parse": ([PYTHON, "-c", PARSE_SCRIPT, *files], (0,)),
            "validate": ([FLOWMAP, "validate", str(folder), "--format", "json"], (0, 1)),
            "dot": ([FLOWMAP, "render", str(folder), "-o", str(out / "map.dot")], (0,)),
            "register": ([FLOWMAP, "register", str(folder), "-o", str(out / "reg.md")], (0,)),
        }
        model_lines = 0
        if pytm:
            model = root / f"pytm-{flows}.py"
            pytm_model(folder, model)
            model_lines = len(model.read_text(encoding="utf-8").splitlines())
            commands["pytm"] = ([pytm, str(model), "--dfd"], (0,))
        big = flows >= 20_000
        times = paired(commands, repeats if not big else max(1, repeats - 1), warm_up=not big)
        rows.append({"flows": flows, "organisations": max(2, flows // FLOWS_PER_ORG),
                     "mb": megabytes(folder), "model_lines": model_lines,
                     "repeats": repeats if not big else max(1, repeats - 1),
                     **{f"{k}_s": v for k, v in times.items()}})
    return rows


# -- b. drawing ------------------------------------------------------------------------------

def bench_drawing(root: Path, cases: Sequence[tuple[int, int]],
                  repeats: int) -> list[dict[str, Any]]:
    rows = []
    for flows, orgs in cases:
        folder = make_map(root, flows, orgs)
        for fmt in ("svg", "png"):
            target = root / f"draw-{flows}-{orgs}.{fmt}"
            cmd = [FLOWMAP, "render", str(folder), "-o", str(target)]
            _, note = run_once(cmd)
            runs = [timed_rss(cmd) for _ in range(repeats)]
            size = ""
            if fmt == "png" and target.exists():
                head = target.read_bytes()[16:24]
                size = f"{int.from_bytes(head[:4], 'big'):,} × {int.from_bytes(head[4:], 'big'):,}"
            rows.append({"flows": flows, "organisations": orgs, "format": fmt,
                         "seconds": statistics.median(r[0] for r in runs),
                         "mb": max(r[1] for r in runs), "repeats": repeats,
                         "engine": "sfdp" if "sfdp" in note else "dot", "png_px": size,
                         "notes": [line[6:] for line in note.splitlines()
                                   if line.startswith("note: ")]})
    return rows


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


# -- the peer: OWASP pytm --------------------------------------------------------------------

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


def ratio(a: float, b: float) -> str:
    return f"{a / b:.2f}×"


INTRO = """\
# Benchmarks

How fast flowmap is, against the limit (a plain parse of the same YAML with PyYAML's
C loader), the peer (OWASP pytm's data-flow diagram of the same map) and the targets
of issue 15. **Every figure below was written by `benchmarks/run.py --write
BENCHMARKS.md` on {date}**, on the machine described at the end; re-run it before
relying on one.

```sh
bash scripts/dev test                                    # Graphviz, .venv and flowmap
.venv/bin/python benchmarks/run.py --write BENCHMARKS.md  # the full run
.venv/bin/python benchmarks/scaling.py                    # only the linearity check
```

`--json FILE` keeps the raw numbers, `--sections` runs only some sections, and
`--from-json FILE --write BENCHMARKS.md` writes the file again from kept numbers.

**The maps.** `benchmarks/generate.py` writes seeded synthetic maps: N flows among
N/10 organisations in 7 sectors, 40 information items, 20 purposes and N/40
authorities. Each authority names six organisations drawn from the whole map, and
flows run mostly between the parties of the authority they cite, so flows spread over
many pairs of organisations (1,000 flows: about 600 pairs) rather than a few hubs;
about 90% are covered by their basis. Six files: one with everything but the flows.

**How the figures are taken.** Commands run as fresh processes, so start-up counts
on both sides. The commands compared at one size run in turn, round after round,
and each figure is the median of its rounds, so the machine's load falls on all of
them alike. The machine is shared (other people's test suites and browsers run on
its 2 cores), so the seconds can be several times a quiet machine's and vary from
row to row: read the ratios, which are steadier. Peak memory is `ru_maxrss`.
"""


def report(results: dict[str, Any], *, document: bool = False) -> str:
    out = [INTRO.format(date=results["machine"]["date"]).strip()] if document else []
    rows = results.get("sizes") or []
    if rows:
        peer = all("pytm_s" in r for r in rows)
        headings = ["flows", "orgs", "YAML", "runs", "parse (C loader)", "`validate`",
                    "validate / parse", "`render --format dot`", "`register`"]
        if peer:
            headings += ["pytm `--dfd`", "dot / pytm"]
        body = []
        for r in rows:
            line = [f"{r['flows']:,}", f"{r['organisations']:,}", f"{r['mb']:.1f} MB",
                    str(r["repeats"]), s(r["parse_s"]), s(r["validate_s"]),
                    ratio(r["validate_s"], r["parse_s"]), s(r["dot_s"]), s(r["register_s"])]
            if peer:
                line += [s(r["pytm_s"]), ratio(r["dot_s"], r["pytm_s"])]
            body.append(line)
        out.append("## a. Every size: the parse, flowmap and the peer\n\n" + table(headings, body))
        first, last = rows[0], rows[-1]
        growth = last["flows"] / first["flows"]
        text = [f"From {first['flows']:,} to {last['flows']:,} flows ({growth:.0f}× the "
                f"map), `validate` took {last['validate_s'] / first['validate_s']:.1f}× "
                f"as long, `render --format dot` {last['dot_s'] / first['dot_s']:.1f}×, "
                f"`register` {last['register_s'] / first['register_s']:.1f}× and the plain "
                f"parse {last['parse_s'] / first['parse_s']:.1f}×."]
        worst_register = max(r["register_s"] / r["validate_s"] for r in rows)
        text.append(f"`register` takes at most {worst_register:.2f}× the time of "
                    f"`validate` (target: ≤ 1×, "
                    f"{met(worst_register <= 1.05)}; it checks the map, then writes it).")
        at20 = [r for r in rows if r["flows"] == 20_000]
        if at20:
            r = at20[0]
            text.append(f"At 20,000 flows `validate` takes {ratio(r['validate_s'], r['parse_s'])} "
                        "the plain parse (target ≤ 1.25×: "
                        f"{met(r['validate_s'] / r['parse_s'] <= 1.25)}).")
        if peer:
            worst = max(r["dot_s"] / r["pytm_s"] for r in rows)
            text.append(f"`render --format dot` takes at most {worst:.2f}× pytm's `--dfd` "
                        f"at the same size (targets: ≤ 1× at 1,000 and 5,000 flows, ≤ 0.5× at "
                        f"20,000: "
                        + ", ".join(f"{r['flows']:,}: {ratio(r['dot_s'], r['pytm_s'])}"
                                    for r in rows) + "). flowmap also validates the map "
                        "with a location for every finding and checks every flow's legal "
                        "basis; pytm only builds its objects and prints DOT (no threat "
                        "rules run for `--dfd`).")
        out.append(" ".join(text))
    draws = results.get("drawing") or []
    if draws:
        body = [[f"{r['flows']:,}", f"{r['organisations']:,}", r["format"].upper(),
                 r["engine"], str(r["repeats"]), s(r["seconds"]), f"{r['mb']:.0f} MB",
                 r["png_px"] or ""] for r in draws]
        worst_s = max(r["seconds"] for r in draws)
        worst_mb = max(r["mb"] for r in draws)
        out.append("## b. Drawing\n\n`flowmap render MAP -o map.svg` (or `.png`) with the "
                   "default choices, wall time and peak memory of the whole command:\n\n"
                   + table(["flows", "orgs", "format", "engine", "runs", "time",
                            "peak RSS", "PNG pixels"], body)
                   + f"\n\nTarget (any map ≤ 5,000 flows, SVG and PNG, < 30 s and < 1 GB): "
                   f"slowest {s(worst_s)}, largest {worst_mb:.0f} MB: "
                   f"{met(worst_s < 30 and worst_mb < 1024)}.")
        notes = sorted({n for r in draws for n in r["notes"]
                        if "dpi" in n or "did not finish" in n})
        if notes:
            out.append("What flowmap said while drawing them:\n\n"
                       + "\n".join(f"- {n}" for n in notes))
    st = results.get("startup")
    if st:
        help_ratio = st["help_s"] / st["click_s"]
        version_ratio = st["version_s"] / st["click_s"]
        out.append("## c. Start-up\n\n" + table(
            ["command", "median", "against `import click`"],
            [["`python -c pass`", s(st["python_s"]), ratio(st["python_s"], st["click_s"])],
             ["`python -c \"import click\"`", s(st["click_s"]), "1.00×"],
             ["`flowmap --help`", s(st["help_s"]), f"{help_ratio:.2f}×"],
             ["`flowmap --version`", s(st["version_s"]), f"{version_ratio:.2f}×"],
             ["`flowmap validate flows/acc --format json`", s(st["validate_small_s"]),
              ratio(st["validate_small_s"], st["click_s"])]]))
    mem = results.get("memory")
    if mem:
        times = mem["validate_mb"] / mem["parse_mb"]
        out.append(f"## d. Peak resident memory at {mem['flows']:,} flows\n\n" + table(
            ["process", "peak RSS"],
            [["`python -c pass`", f"{mem['python_mb']:.0f} MB"],
             ["parse only (PyYAML C loader)", f"{mem['parse_mb']:.0f} MB"],
             ["`flowmap validate --format json`", f"{mem['validate_mb']:.0f} MB"],
             ["`flowmap render -o map.svg`", f"{mem['render_svg_mb']:.0f} MB"]])
            + f"\n\n`validate` peaks at {times:.1f}× the plain parse (target ≤ 3×: "
            f"{met(times <= 3)}).")
    scaling = results.get("scaling")
    if scaling:
        body = [[name, s(a), s(b), ratio(b, a)] for name, a, b in scaling["rows"]]
        worst = max(b / a for _, a, b in scaling["rows"])
        out.append(f"## e. No quadratic path\n\n`benchmarks/scaling.py`: least CPU time (of 5 runs) of each "
                   f"stage flowmap runs itself (Graphviz's layout excluded), in one process, "
                   f"on a map of {scaling['flows']:,} flows and on one of twice that; "
                   "linear work gives about 2×, quadratic about 4×. The script fails "
                   "above 2.3×.\n\n" + table(["stage", f"{scaling['flows']:,} flows",
                                              f"{2 * scaling['flows']:,} flows", "ratio"], body)
                   + f"\n\nLargest ratio {worst:.2f}×: {met(worst <= 2.3)}.")
    if document:
        out.append(outro(results))
    out.append("## The machine\n\n" + table(["what", "value"],
                                              [[k, v] for k, v in results["machine"].items()]))
    return "\n\n".join(out) + "\n"


def outro(results: dict[str, Any]) -> str:
    """What limits the figures above, and what is left: the measured reasons."""
    text = ["## What limits these figures, and what is left"]
    rows = {r["flows"]: r for r in results.get("sizes") or []}
    if 20_000 in rows:
        r = rows[20_000]
        text.append(
            f"- **Validation against the parse** ({ratio(r['validate_s'], r['parse_s'])} at "
            "20,000 flows; target ≤ 1.25×: "
            f"{met(r['validate_s'] / r['parse_s'] <= 1.25)}). `validate` does what a plain "
            "parse does not: the position of every key and list item (so each finding has a "
            "file, line and column), a pydantic model per item, every flow's legal basis and "
            "the rules. What makes that fit: positions kept as one array of ints per file "
            "with layouts shared by items written alike, text interned as it is read, the "
            "garbage collector paused while checking, no networkx graph while checking "
            "(only the outputs that draw build one), legal-basis assessments that share "
            "their parts between flows, rules that share one pass and skip what a map does "
            "not need, and JSON written without the pure-Python indenter. How each was "
            "measured, and what was measured and not kept: docs/performance.md.")
    if rows and all("pytm_s" in r for r in rows.values()):
        parts = []
        for flows in sorted(rows):
            r = rows[flows]
            parts.append(f"{flows:,} flows: `validate` alone {ratio(r['validate_s'], r['pytm_s'])}"
                         f" of pytm, DOT {s(max(r['dot_s'] - r['validate_s'], 0))} more")
        text.append(
            "- **DOT against pytm.** `render --format dot` checks the map (every flow's "
            "legal basis, with a location for every finding), then writes DOT with every "
            "flow's details in its edge's tooltip; pytm only builds its objects and prints "
            "DOT. So `render --format dot` cannot take less than `validate`, which is "
            "bounded by the parse (the row above): " + "; ".join(parts) + "."
            + (f" At 20,000 flows ≤ 0.5× would leave "
               f"{s(max(rows[20_000]['pytm_s'] / 2 - rows[20_000]['validate_s'], 0))} for "
               f"writing DOT, which takes "
               f"{s(max(rows[20_000]['dot_s'] - rows[20_000]['validate_s'], 0))}: one "
               "edge with its tooltip per pair of organisations, and the views to suggest "
               "beside the overview." if 20_000 in rows else ""))
    if rows:
        worst = max(r["register_s"] / r["validate_s"] for r in rows.values())
        text.append(
            f"- **The register against `validate`** (at most {worst:.2f}×; target ≤ 1×: "
            f"{met(worst <= 1)}). `register` checks the map before it writes the table, "
            "since each flow's status is a column, so it cannot take less than `validate`; "
            "what it adds is one row per flow, linear in the flows (section e).")
    mem = results.get("memory")
    if mem:
        times = mem["validate_mb"] / mem["parse_mb"]
        text.append(
            f"- **Memory** ({times:.1f}× the parse; target ≤ 3×: {met(times <= 3)}). Each "
            "file's positions are one array of ints, repeated text is stored once, items "
            "that gave the same keys share one set of them, `validate` imports no networkx, "
            "and a file's raw values are freed once read into models. What is left is "
            "mostly the models themselves and the imports (docs/performance.md).")
    scaling = results.get("scaling")
    if scaling and any(b / a > 2.3 for _, a, b in scaling["rows"]):
        grown = ", ".join(name for name, a, b in scaling["rows"] if b / a > 2.3)
        text.append(
            f"- **Not linear: {grown}** (section e). Profile the stage on the two maps "
            "(`python -m cProfile`) to find the work done per pair of items.")
    text.append(
        "- **The package's shape.** Each stage of the import ladder is a package: "
        "`flowmap/common` (codes and helpers) → `read` → `model` → `load` → `check` → "
        "the outputs (`review`, `author`, `render`, `report`, `docs`) → `cli`. "
        "`tests/test_imports.py` fails on an import cycle, an import up the ladder or a "
        "module left outside a stage's package.")
    return "\n".join(text)


# -- main ---------------------------------------------------------------------------------------

def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true",
                        help="maps of 1,000 and 5,000 flows, 2 runs, no drawing or memory")
    parser.add_argument("--repeats", type=int, default=3, help="runs per median (default 3)")
    parser.add_argument("--no-peer", action="store_true", help="skip OWASP pytm")
    parser.add_argument("--sections", default="abcde",
                        help="which to run, e.g. 'ac' (default: abcde)")
    parser.add_argument("--workdir", type=Path, default=None,
                        help="where to write the maps (default: a temporary directory)")
    parser.add_argument("--cache", type=Path,
                        default=Path(tempfile.gettempdir()) / "flowmap-bench",
                        help="where the peer's virtual environment is kept")
    parser.add_argument("--json", type=Path, default=None, help="also write raw numbers here")
    parser.add_argument("--write", type=Path, default=None,
                        help="also write the whole document here (BENCHMARKS.md)")
    parser.add_argument("--from-json", type=Path, default=None,
                        help="measure nothing: write the report of numbers kept by --json")
    args = parser.parse_args()
    if args.from_json:
        kept = json.loads(args.from_json.read_text(encoding="utf-8"))
        print(report(kept))
        if args.write:
            args.write.write_text(report(kept, document=True), encoding="utf-8")
        return
    if shutil.which("dot") is None or not Path(FLOWMAP).exists():
        raise SystemExit("run from the project's venv with Graphviz installed: "
                         "bash scripts/dev test, then .venv/bin/python benchmarks/run.py")
    repeats = 2 if args.quick else args.repeats
    sizes = SIZES[:2] if args.quick else SIZES
    work = args.workdir or Path(tempfile.mkdtemp(prefix="flowmap-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    args.cache.mkdir(parents=True, exist_ok=True)

    def step(name: str) -> None:
        print(f"[{time.strftime('%H:%M:%S')}] {name}", file=sys.stderr, flush=True)

    results: dict[str, Any] = {"machine": machine()}
    compile_flowmap()
    if "a" in args.sections:
        pytm = None
        if not args.no_peer:
            step("installing OWASP pytm (first time only)")
            pytm = pytm_python(args.cache)
            results["machine"]["pytm"] = subprocess.run(
                [pytm, "-c", "import importlib.metadata as m; print(m.version('pytm'))"],
                capture_output=True, text=True, check=True).stdout.strip()
        step(f"a. sizes {', '.join(f'{n:,}' for n in sizes)}")
        results["sizes"] = bench_sizes(work, sizes, repeats, pytm)
    if "b" in args.sections and not args.quick:
        step("b. drawing")
        results["drawing"] = bench_drawing(work, DRAWINGS, repeats)
    if "c" in args.sections:
        step("c. start-up")
        results["startup"] = bench_startup(repeats)
    if "d" in args.sections and not args.quick:
        step("d. memory")
        results["memory"] = bench_memory(work, MEMORY_FLOWS)
    if "e" in args.sections:
        step("e. scaling")
        import scaling  # benchmarks/scaling.py, beside this file

        flows = 1_000 if args.quick else 2_500
        results["scaling"] = {"flows": flows, "rows": scaling.measure(flows, max(5, repeats))}
    print(report(results))
    if args.write:
        args.write.write_text(report(results, document=True), encoding="utf-8")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    if args.workdir is None:
        shutil.rmtree(work, ignore_errors=True)
    if results.get("scaling") and any(b / a > 2.3 for _, a, b in results["scaling"]["rows"]):
        raise SystemExit("a stage grows faster than linear (section e)")


if __name__ == "__main__":
    main()
