"""Drawing within a budget: a layout that runs out of time gives the overview, with a
note, and a bitmap Graphviz had to shrink is never shrunk silently.

Graphviz's slowness and cairo's size limit are produced on purpose by small
stand-in programs put first on PATH, which wrap the real Graphviz: the maps stay
small, and the test measures no time.
"""

from __future__ import annotations

import os
import re
import shutil
import stat
import subprocess
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import CLEAN, EXAMPLES, FLOWMAP
from tests.genmap import write_generated

pytestmark = pytest.mark.skipif(shutil.which("dot") is None, reason="needs Graphviz")


def stand_in(bin_dir: Path, name: str, script: str) -> None:
    """A program ``name`` in ``bin_dir`` that runs ``script`` (sh) before the real one."""
    real = shutil.which(name)
    assert real is not None
    path = bin_dir / name
    path.write_text(f"#!/bin/sh\n{script}\nexec {real} \"$@\"\n", encoding="utf-8")
    path.chmod(path.stat().st_mode | stat.S_IEXEC)


def run_render(map_path: Path, out: Path, bin_dir: Path, seconds: str,
               *options: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}",
           "FLOWMAP_LAYOUT_SECONDS": seconds}
    return subprocess.run([str(FLOWMAP), "render", str(map_path), "-o", str(out), *options],
                          capture_output=True, text=True, env=env, timeout=120)


def test_a_layout_out_of_time_is_drawn_as_the_overview(
        tmp_path: Path, write_map: Callable[..., Path]) -> None:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    stand_in(bin_dir, "dot", "exec sleep 30")  # a layered layout that takes too long
    out = tmp_path / "map.svg"
    proc = run_render(write_map(CLEAN), out, bin_dir, "1")
    assert proc.returncode == 0, proc.stderr
    assert "did not finish within 1 s" in proc.stderr
    assert "overview with sfdp" in proc.stderr
    svg = ET.parse(out).getroot()
    ids = {g.get("id") for g in svg.iter("{http://www.w3.org/2000/svg}g")}
    assert {"org-ngo", "org-msd"} <= ids  # the overview still shows the map


def sheet(pdf: Path) -> list[int]:
    """The PDF's one page size in points, short side first."""
    boxes = re.findall(rb"/MediaBox\s*\[\s*0\s+0\s+([0-9.]+)\s+([0-9.]+)\s*\]",
                       pdf.read_bytes())
    assert len(boxes) == 1, boxes
    return sorted(round(float(v)) for v in boxes[0])


@pytest.mark.parametrize("slow", ["", "-Tpdf"])
def test_a_page_layout_out_of_time_is_the_overview_on_that_page(
        tmp_path: Path, slow: str) -> None:
    """Out of time while measuring the map for the page (every `dot` run is slow), or
    only while drawing it (`dot -Tpdf`): either way the overview is drawn on A4."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    stand_in(bin_dir, "dot", f'case "$*" in *{slow}*) exec sleep 30;; esac')
    out = tmp_path / "map.pdf"
    proc = run_render(EXAMPLES / "social-sector", out, bin_dir, "1", "--page", "a4")
    assert proc.returncode == 0, proc.stderr
    notes = proc.stderr.splitlines()
    assert sum("did not finish within 1 s" in n and "overview with sfdp" in n
               for n in notes) == 1, notes
    assert any("drawn on A4" in n and "smallest text" in n for n in notes), notes
    assert sheet(out) == [595, 842]


def test_an_overview_on_a_page_is_the_whole_sheet(tmp_path: Path) -> None:
    out = tmp_path / "map.svg"
    proc = run_render(EXAMPLES / "sector", out, tmp_path, "0", "--engine", "sfdp",
                      "--page", "a3")
    assert proc.returncode == 0, proc.stderr
    assert "drawn on A3" in proc.stderr
    root = ET.parse(out).getroot()
    size = sorted(round(float(root.get(k, "0").removesuffix("pt")))
                  for k in ("width", "height"))
    assert size == [842, 1191]
    ids = {g.get("id") for g in root.iter("{http://www.w3.org/2000/svg}g")}
    assert {"org-msd", "org-ird"} <= ids


def test_an_overview_out_of_time_is_a_clear_error(
        tmp_path: Path, write_map: Callable[..., Path]) -> None:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    stand_in(bin_dir, "sfdp", "exec sleep 30")
    out = tmp_path / "map.svg"
    proc = run_render(write_map(CLEAN), out, bin_dir, "1", "--engine", "sfdp")
    assert proc.returncode == 1
    assert "did not finish within 1 s" in proc.stderr and "--focus" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert not out.exists()


def test_a_shrunk_bitmap_is_said(tmp_path: Path, write_map: Callable[..., Path]) -> None:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    stand_in(bin_dir, "neato", "echo 'Warning: graph is too large for cairo-renderer "
                               "bitmaps. Scaling by 0.5 to fit' >&2")
    out = tmp_path / "map.png"
    proc = run_render(write_map(CLEAN), out, bin_dir, "0")
    assert proc.returncode == 0, proc.stderr
    assert "shrank the bitmap to 50%" in proc.stderr and "SVG and PDF" in proc.stderr
    assert out.read_bytes().startswith(b"\x89PNG")


def test_a_bad_time_limit_is_a_clear_error(
        tmp_path: Path, write_map: Callable[..., Path]) -> None:
    out = tmp_path / "map.svg"
    proc = run_render(write_map(CLEAN), out, tmp_path, "soon")
    assert proc.returncode == 1
    assert "FLOWMAP_LAYOUT_SECONDS must be a number" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_a_big_bitmap_is_drawn_at_a_resolution_that_fits() -> None:
    from flowmap.render import PNG_MAX_PIXELS, PNG_MAX_SIDE, GraphvizNote, fit_bitmap

    # a laid-out map 400 x 300 inches: 60,000 x 45,000 px at 150 dpi
    laid = 'digraph m {\n\tgraph [bb="0,0,28800,21600",\n\t\tdpi=150,\n\t];\n}\n'
    with pytest.warns(GraphvizNote, match="drawn at [0-9]+ dpi instead of 150") as said:
        fitted = fit_bitmap(laid)
    dpi = int(fitted.split("dpi=")[1].split(",")[0])
    assert 400 * dpi <= PNG_MAX_SIDE and 400 * 300 * dpi * dpi <= PNG_MAX_PIXELS
    assert 400 * 300 * (dpi + 1) ** 2 > PNG_MAX_PIXELS  # and no smaller than it must be
    assert said[0].message.scale == pytest.approx(dpi / 150)  # type: ignore[union-attr]
    small = laid.replace("28800,21600", "720,360")  # 10 x 5 inches: kept as asked
    assert fit_bitmap(small) == small


def test_a_trace_drawing_out_of_time_is_the_overview_on_its_page(tmp_path: Path) -> None:
    """`trace` (and `diff`) draw within the same time limit as `render`."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    stand_in(bin_dir, "dot", "exec sleep 30")
    out = tmp_path / "trace.pdf"
    env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}",
           "FLOWMAP_LAYOUT_SECONDS": "1"}
    proc = subprocess.run([str(FLOWMAP), "trace", str(EXAMPLES / "social-sector"), "--from",
                           "ngo-providers", "--format", "pdf", "--page", "a3", "-o", str(out)],
                          capture_output=True, text=True, env=env, timeout=120)
    assert proc.returncode == 0, proc.stderr
    notes = proc.stderr.splitlines()
    assert sum("did not finish within 1 s" in n and "overview with sfdp" in n
               for n in notes) == 1, notes
    assert not any("--focus" in n for n in notes)  # trace has no views to offer
    assert any("drawn on A3" in n for n in notes)
    assert sheet(out) == [842, 1191]


# -- a big map: the overview, and views small enough to label ----------------------------

SVG = "{http://www.w3.org/2000/svg}"


def svg_of(path: Path) -> dict[str, ET.Element]:
    """The SVG's groups by id."""
    return {g.get("id", ""): g for g in ET.parse(path).getroot().iter(f"{SVG}g")}


def test_a_map_past_80_edges_is_the_overview_with_views_to_draw(tmp_path: Path) -> None:
    """120 flows, 105 edges: numbered with a key, its text was 1.9 pt on A3 (the key
    wider than the drawing); the overview has none, and the note names views small
    enough to label, which then draw as labelled layered pictures."""
    map_path = write_generated(tmp_path / "big", 120)
    out = tmp_path / "map.svg"
    proc = run_render(map_path, out, tmp_path, "0")
    assert proc.returncode == 0, proc.stderr
    assert "105 edges are too many" in proc.stderr and "overview with sfdp" in proc.stderr
    groups = svg_of(out)
    assert "key" not in groups
    edges = [g for gid, g in groups.items() if gid.startswith(("flow-", "flows-"))]
    assert len(edges) == 105 and not any(list(g.iter(f"{SVG}text")) for g in edges)
    views = re.search(r"views small enough .*?: (.*)", proc.stderr)
    assert views, proc.stderr
    focus = re.search(r"--focus (\S+) \((\d+) flows\)", views.group(1))
    assert focus and int(focus.group(2)) <= 80
    view = tmp_path / "view.svg"
    proc = run_render(map_path, view, tmp_path, "0", "--focus", focus.group(1))
    assert proc.returncode == 0 and "overview" not in proc.stderr, proc.stderr
    assert f"organisations, {focus.group(2)} flows)" in proc.stderr  # the count said
    labelled = [g for gid, g in svg_of(view).items() if gid.startswith(("flow-", "flows-"))]
    assert labelled and all(any(t.text for t in g.iter(f"{SVG}text")) for g in labelled)


def test_a_layered_drawing_of_a_big_map_is_still_there_when_asked_for(
        tmp_path: Path) -> None:
    map_path = write_generated(tmp_path / "big", 120)
    out = tmp_path / "map.svg"
    proc = run_render(map_path, out, tmp_path, "0", "--engine", "dot")
    assert proc.returncode == 0, proc.stderr
    assert "numbered, with a key" in proc.stderr and "overview" not in proc.stderr
    key = svg_of(out)["key"]
    numbers = {t.text for t in key.iter(f"{SVG}text") if (t.text or "").isdigit()}
    assert numbers == {str(n) for n in range(1, 106)}
