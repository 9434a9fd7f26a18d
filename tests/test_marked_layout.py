"""The diff and trace drawings are laid out as a map's own drawing is (issue 11): sectors
as fill colours, the legend under the title, flows merged where their marks allow; and
they are measured."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from flowmap.cli import main
from flowmap.render import layout
from flowmap.render.marked import arranged, to_dot
from flowmap.render.measure import measure_json
from flowmap.render.trace import marked_map
from flowmap.review.trace import trace
from flowmap.check.validate import check
from tests.conftest import EXAMPLES
from tests.genmap import write_generated
from tests.svgflows import SVG, drawn_flows, edge_of

WriteMap = Callable[..., Path]

HEAD = """\
map: {id: m, title: Marked, as_of: 2024-01-01}
organisations:
  - {id: a, name: Agency, kind: government-department, sector: social}
  - {id: b, name: Board, kind: crown-entity, sector: health}
  - {id: c, name: Charity, kind: ngo, sector: social}
  - {id: gone, name: Gone Ltd, kind: private-sector, sector: health}
information:
  - {id: x, name: Client record, category: personal.benefit}
  - {id: y, name: Contact details, category: personal.contact}
authorities:
  - {id: ipp11, title: Privacy Act 2020 IPP 11, type: privacy-principle}
flows:
  - {id: f1, from: a, to: b, information: [x], basis: [ipp11]}
  - {id: f2, from: a, to: b, information: [y], basis: [ipp11]}
  - {id: f4, from: a, to: c, information: [x], basis: [ipp11]}
"""
OLD = HEAD + """\
  - {id: f3, from: b, to: a, information: [x], basis: [ipp11]}
  - {id: f5, from: a, to: gone, information: [x], basis: [ipp11]}
"""
NEW = HEAD.replace("  - {id: gone, name: Gone Ltd, kind: private-sector, sector: health}\n",
                   "") + """\
  - {id: f3, from: b, to: a, information: [x, y], basis: [ipp11]}
  - {id: f6, from: a, to: b, information: [x, y], basis: [ipp11], frequency: daily}
  - {id: f7, from: c, to: a, information: [y]}
"""


def invoke(*args: str | Path) -> Result:
    return CliRunner().invoke(main, [str(a) for a in args])


@pytest.fixture
def diff_svg(tmp_path: Path) -> ET.Element:
    (tmp_path / "old.yaml").write_text(OLD, encoding="utf-8")
    (tmp_path / "new.yaml").write_text(NEW, encoding="utf-8")
    out = tmp_path / "changes.svg"
    result = invoke("diff", tmp_path / "old.yaml", tmp_path / "new.yaml", "--format", "svg",
                    "-o", out)
    assert result.exit_code == 0, result.output
    return ET.parse(out).getroot()


def _fill(root: ET.Element, gid: str) -> str:
    group = next(g for g in root.iter(f"{SVG}g") if g.get("id") == gid)
    shape = next(e for e in group.iter() if e.tag in (f"{SVG}polygon", f"{SVG}ellipse",
                                                 f"{SVG}path"))
    return shape.get("fill", "")


def test_diff_merges_flows_only_with_the_same_mark(diff_svg: ET.Element) -> None:
    flows = drawn_flows(diff_svg)
    edges = edge_of(diff_svg)
    marks = {"added", "removed", "changed", "unchanged"}
    assert {f: c & marks for f, c in flows.items()} == {
        "f1": {"unchanged"}, "f2": {"unchanged"}, "f4": {"unchanged"}, "f3": {"changed"},
        "f5": {"removed"}, "f6": {"added"}, "f7": {"added"}}
    assert edges["f1"] == edges["f2"] and edges["f1"].startswith("flows-a--b")
    # a change or an addition between the same pair is never folded into that edge
    assert len({edges["f1"], edges["f3"], edges["f6"]}) == 3
    ids = [g.get("id") for g in diff_svg.iter(f"{SVG}g") if g.get("id")]
    assert len(ids) == len(set(ids))
    merged = next(g for g in diff_svg.iter(f"{SVG}g") if g.get("id") == edges["f1"])
    assert merged.get("data-flows") == "f1 f2"
    desc = merged.find(f"{SVG}desc")
    assert desc is not None and "unchanged" in (desc.text or "")


def test_an_unjustified_flow_keeps_its_own_double_line(diff_svg: ET.Element) -> None:
    flows = drawn_flows(diff_svg)
    assert {"flow", "unjustified", "added"} <= flows["f7"]
    edge = next(g for g in diff_svg.iter(f"{SVG}g") if g.get("id") == "flow-f7")
    strokes = [p.get("stroke", "") for p in edge.iter(f"{SVG}path")]
    assert len(strokes) == 3  # Graphviz draws a colour list "c:#fff:c" as three lines


def test_diff_fills_sectors_and_puts_the_legend_under_the_title(
        diff_svg: ET.Element) -> None:
    classes = Counter(c for g in diff_svg.iter(f"{SVG}g")
                      for c in g.get("class", "").split())
    assert classes["cluster"] == 0  # no sector boxes
    assert _fill(diff_svg, "org-a") == _fill(diff_svg, "org-c")  # the same sector
    assert _fill(diff_svg, "org-a") != _fill(diff_svg, "org-b")
    assert _fill(diff_svg, "org-gone") == "#f2f2f2"  # removed: greyed, whatever its sector
    legend = next(g for g in diff_svg.iter(f"{SVG}g") if g.get("id") == "legend")
    assert "node" not in (legend.get("class") or "")
    said = " ".join(t.text or "" for t in legend.iter(f"{SVG}text"))
    for row in ("added", "removed", "changed", "unchanged", "several flows, one edge",
                "sector: social", "sector: health", "no valid legal basis"):
        assert row in said, row
    title_y = min(float(t.get("y", "0")) for t in diff_svg.iter(f"{SVG}text")
                  if t.text and t.text.startswith("Changes:"))
    legend_y = [float(t.get("y", "0")) for t in legend.iter(f"{SVG}text")]
    orgs_y = [float(t.get("y", "0")) for g in diff_svg.iter(f"{SVG}g")
              if g.get("id", "").startswith("org-") for t in g.iter(f"{SVG}text")]
    assert title_y < min(legend_y) and max(legend_y) < min(orgs_y)


@pytest.mark.parametrize(("example", "origin", "information", "crossings", "a4"), [
    ("social-sector", "ngo-providers", "personal.child-welfare", 3, 5.5),
    ("sector", "msd", None, 10, 4.5),
])
def test_trace_drawings_are_measured(example: str, origin: str, information: str | None,
                                     crossings: int, a4: float) -> None:
    """Thresholds near the measured numbers (docs/layout.md): 0 and 7 crossings, 6.1 and
    5.0 pt on A4 (the first drawn top to bottom: left to right it was 4.0 pt), where
    sector boxes and one edge per flow gave 14 and 174 crossings, 4.1 and 3.7 pt."""
    found = trace(check(EXAMPLES / example), origin, direction="from",
                  information=information, max_hops=6)
    measured = measure_json(layout(to_dot(arranged(marked_map(found))), "json"))
    assert measured.crossings <= crossings and measured.a4_min_font >= a4
    assert measured.label_overlaps + measured.labels_on_nodes == 0
    assert measured.edges_through_nodes <= 1


# -- pages: --page for diff and trace, as for render -----------------------------------

#: each page's whole sheet in points (short side, long side), as every PDF writer
#: rounds it, and in pixels at a PNG's 150 dpi
SHEETS = {"a4": [595, 842], "a3": [842, 1191], "slide": [540, 960]}


def pdf_sheet(pdf: Path) -> list[int]:
    """The PDF's one page size in points, short side first."""
    boxes = re.findall(rb"/MediaBox\s*\[\s*0\s+0\s+([0-9.]+)\s+([0-9.]+)\s*\]",
                       pdf.read_bytes())
    assert len(boxes) == 1, boxes
    return sorted(round(float(v)) for v in boxes[0])


@pytest.fixture
def versions(tmp_path: Path) -> tuple[Path, Path]:
    (tmp_path / "old.yaml").write_text(OLD, encoding="utf-8")
    (tmp_path / "new.yaml").write_text(NEW, encoding="utf-8")
    return tmp_path / "old.yaml", tmp_path / "new.yaml"


@pytest.mark.parametrize("page", ["a4", "a3", "slide"])
def test_a_diff_pdf_is_the_whole_sheet(page: str, versions: tuple[Path, Path],
                                       tmp_path: Path) -> None:
    out = tmp_path / "changes.pdf"
    result = invoke("diff", *versions, "--format", "pdf", "--page", page, "-o", out)
    assert result.exit_code == 0, result.output
    assert pdf_sheet(out) == SHEETS[page]
    shown = "a slide" if page == "slide" else page.upper()
    assert f"note: drawn on {shown} (" in result.output and "smallest text" in result.output


def test_a_trace_on_a_page_keeps_its_marks(tmp_path: Path) -> None:
    """SVG: the sheet in points, every traced flow still named; PNG: that sheet at
    150 dpi."""
    out = tmp_path / "trace.svg"
    result = invoke("trace", EXAMPLES / "social-sector", "--from", "ngo-providers",
                    "--format", "svg", "--page", "a3", "-o", out)
    assert result.exit_code == 0, result.output
    root = ET.parse(out).getroot()
    size = sorted(round(float(root.get(k, "0").removesuffix("pt")))
                  for k in ("width", "height"))
    assert size == SHEETS["a3"]
    flows = drawn_flows(root)
    assert flows and any("traced" in classes for classes in flows.values())
    png = tmp_path / "trace.png"
    result = invoke("trace", EXAMPLES / "social-sector", "--from", "ngo-providers",
                    "--format", "png", "--page", "a4", "-o", png)
    assert result.exit_code == 0, result.output
    data = png.read_bytes()
    assert data.startswith(b"\x89PNG")
    pixels = sorted(int.from_bytes(data[at:at + 4], "big") for at in (16, 20))
    assert pixels == [pytest.approx(p * 150 / 72, abs=2) for p in SHEETS["a4"]]


def test_a_page_on_text_or_a_bitmap_on_a_terminal_is_a_usage_error(
        versions: tuple[Path, Path]) -> None:
    result = invoke("diff", *versions, "--page", "a4")
    assert result.exit_code == 2 and "--page sizes a drawing" in result.output
    result = invoke("trace", EXAMPLES / "acc", "--from", "acc", "--format", "pdf")
    assert result.exit_code == 2 and "needs -o FILE" in result.output


def test_a_big_trace_is_the_overview_as_a_big_map_is(tmp_path: Path) -> None:
    """Past 80 edges, as `render` does: the overview, no labels, every flow still
    marked and named."""
    out = tmp_path / "trace.svg"
    result = invoke("trace", write_generated(tmp_path / "big", 120), "--from", "org-0",
                    "--format", "svg", "-o", out)
    assert result.exit_code == 0, result.output
    assert "drawn as the overview with sfdp" in result.output
    root = ET.parse(out).getroot()
    edges = [g for g in root.iter(f"{SVG}g") if g.get("id", "").startswith(("flow-", "flows-"))]
    assert len(edges) > 80 and not any(list(g.iter(f"{SVG}text")) for g in edges)
    flows = drawn_flows(root)
    assert len(flows) == 120 and any("traced" in c for c in flows.values())
