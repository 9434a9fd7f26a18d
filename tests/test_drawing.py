"""What `render` draws and when it refuses to (issue 11): never a wrong picture in silence,
merged edges that name their flows, labels that say what was accepted and on what basis,
a legend of everything drawn, the agency's own map and page sizes."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from flowmap.cli import main
from tests.svgflows import SVG, drawn_flows

WriteMap = Callable[..., Path]

#: one flow of each status, a pair with flows both ways, and an owner
MAP = """\
map: {id: mixed, title: Mixed map, as_of: 2024-01-01, owner: msd}
organisations:
  - {id: ngo, name: An NGO, kind: ngo, sector: community}
  - {id: msd, name: Ministry, kind: government-department, sector: social}
  - {id: clinic, name: Clinic, kind: health-provider, sector: health}
  - {id: ird, name: Revenue, kind: government-department, sector: revenue}
information:
  - {id: client, name: Client record, category: personal.benefit}
  - {id: tax, name: Tax record, category: personal.financial}
authorities:
  - {id: ipp11, title: Privacy Act 2020 IPP 11, type: privacy-principle,
     instrument: Privacy Act 2020, provision: s 22 IPP 11(1)(e)}
  - {id: taa, title: Tax Administration Act 1994 s 18D, type: statute,
     instrument: Tax Administration Act 1994, provision: s 18D}
  - {id: aisa, title: AISA, type: statute, short: AISA IR-MSD 2017,
     instrument: Privacy (Information Sharing Agreement between Inland Revenue and
       Ministry of Social Development) Order 2017}
flows:
  - {id: bad, from: ngo, to: msd, information: [client]}
  - id: waived
    from: clinic
    to: msd
    information: [client]
    review:
      - {code: FM201, reason: Interim arrangement, by: Privacy Officer, until: 2099-12-31}
  - {id: to-ird, from: msd, to: ird, information: [client], basis: [aisa]}
  - {id: to-msd, from: ird, to: msd, information: [tax], basis: [taa]}
  - {id: to-msd-2, from: ird, to: msd, information: [client], basis: [aisa]}
"""


def render(*args: str | Path) -> tuple[int, str]:
    result = CliRunner().invoke(main, [str(a) for a in args])
    return result.exit_code, result.output


def dot_edge(source: str, edge_id: str) -> str:
    return next(line for line in source.splitlines() if f'id="{edge_id}"' in line)


# -- never a wrong picture in silence ------------------------------------------------

def test_a_map_with_a_refused_flow_is_not_drawn_without_leave(write_map: WriteMap,
                                                              tmp_path: Path) -> None:
    broken = MAP + "  - {id: lost, from: ngo, to: msd, information: client, basis: 7}\n"
    source, out = write_map(broken), tmp_path / "map.svg"
    code, output = render("render", source, "-o", out)
    assert code == 1 and not out.exists()
    assert "FM005" in output and "map.yaml:" in output  # the findings, located
    assert "not drawn: 1 flow refused (lost)" in output and "--allow-errors" in output
    code, output = render("render", source, "-o", out, "--allow-errors")
    assert code == 0 and "INCOMPLETE: 1 flow refused (lost)" in output
    texts = [t.text or "" for t in ET.parse(out).getroot().iter(f"{SVG}text")]
    assert any("INCOMPLETE: 1 flow refused (lost)" in t for t in texts)
    assert set(drawn_flows(out)) == {"bad", "waived", "to-ird", "to-msd", "to-msd-2"}


def test_a_file_that_fails_to_load_stops_the_drawing(write_map: WriteMap,
                                                     tmp_path: Path) -> None:
    source = write_map({"map.yaml": MAP, "more.yaml": "flows:\n  - {id: x, from: [\n"})
    code, output = render("render", source, "-o", tmp_path / "map.png")
    assert code == 1 and "FM002" in output and "more.yaml" in output
    assert "1 file not read in full" in output and not (tmp_path / "map.png").exists()


def test_a_whole_map_is_drawn_without_a_stamp(write_map: WriteMap, tmp_path: Path) -> None:
    out = tmp_path / "map.svg"
    code, output = render("render", write_map(MAP), "-o", out)
    assert code == 0, output
    assert "INCOMPLETE" not in out.read_text(encoding="utf-8")


@pytest.mark.parametrize("name", ["map.jpg", "map.SVGZ", "map.yaml.bak"])
def test_an_unknown_output_extension_is_an_error(name: str, write_map: WriteMap,
                                                 tmp_path: Path) -> None:
    code, output = render("render", write_map(MAP), "-o", tmp_path / name)
    assert code == 2 and "cannot tell the format" in output and "--format" in output
    assert not (tmp_path / name).exists()


# -- edges and their labels ----------------------------------------------------------

def test_edges_name_the_flows_they_carry_with_the_worst_status(write_map: WriteMap,
                                                               tmp_path: Path) -> None:
    out = tmp_path / "map.svg"
    render("render", write_map(MAP), "-o", out)
    root = ET.parse(out).getroot()
    merged = [g for g in root.iter(f"{SVG}g") if g.get("id", "").startswith("flows-")]
    assert [(g.get("id"), g.get("data-flows")) for g in merged] == [
        ("flows-ird--msd", "to-ird to-msd to-msd-2")]
    flows = drawn_flows(root)
    assert flows["bad"] >= {"flow", "unjustified"}  # never merged
    assert flows["waived"] >= {"flow", "accepted"}


def test_flows_both_ways_get_one_line_per_direction(write_map: WriteMap,
                                                    tmp_path: Path) -> None:
    out = tmp_path / "map.dot"
    render("render", write_map(MAP), "-o", out)
    edge = dot_edge(out.read_text(encoding="utf-8"), "flows-ird--msd")
    assert "dir=both" in edge
    assert "to Revenue: Client record" in edge.replace("\\n", " ")
    assert "to Ministry: Tax record, Client record" in edge.replace("\\n", " ")


def test_an_accepted_flow_says_what_was_accepted_and_until_when(write_map: WriteMap,
                                                                tmp_path: Path) -> None:
    out = tmp_path / "map.dot"
    render("render", write_map(MAP), "-o", out)
    label = dot_edge(out.read_text(encoding="utf-8"), "flow-waived").replace("\\n", " ")
    assert "no legal basis — accepted until 2099-12-31" in label


def test_basis_labels_give_short_citations(write_map: WriteMap, tmp_path: Path) -> None:
    out = tmp_path / "map.dot"
    render("render", write_map(MAP), "-o", out, "--labels", "basis")
    source = out.read_text(encoding="utf-8")
    both = dot_edge(source, "flows-ird--msd").replace("\\n", " ")
    assert "AISA IR-MSD 2017" in both  # the authority's own short form
    assert "TAA 1994 s 18D" in both  # made from instrument and provision
    assert "NO VALID BASIS" in dot_edge(source, "flow-bad")


# -- legend, hub, page ---------------------------------------------------------------

def test_the_legend_names_every_style_and_shape_drawn(write_map: WriteMap,
                                                      tmp_path: Path) -> None:
    out = tmp_path / "map.svg"
    render("render", write_map(MAP), "-o", out)
    legend = next(g for g in ET.parse(out).getroot().iter(f"{SVG}g")
                  if g.get("id") == "legend")
    text = " ".join(t.text or "" for t in legend.iter(f"{SVG}text"))
    for shown in ("no valid legal basis", "accepted", "legal basis covers the flow",
                  "flows both ways", "several flows, one edge",
                  "box: government department", "ellipse: ngo",
                  "cylinder: health provider", "sector: community", "sector: health"):
        assert shown in text, shown
    assert "crown entity" not in text and "proposed" not in text


def test_the_owner_is_the_hub_in_the_middle(write_map: WriteMap, tmp_path: Path) -> None:
    out = tmp_path / "map.dot"
    render("render", write_map(MAP), "-o", out)
    source = out.read_text(encoding="utf-8")
    # partners that only send to the hub are drawn before it, so it lands in the middle
    assert "ngo -> msd" in source and "clinic -> msd" in source
    code, _ = render("render", write_map(MAP), "-o", out, "--hub", "ngo", "--engine", "twopi")
    assert code == 0 and "root=ngo" in out.read_text(encoding="utf-8")
    code, output = render("render", write_map(MAP), "-o", out, "--hub", "nobody")
    assert code == 2 and "nobody" in output


#: each page's whole sheet and the part a drawing may fill (15 mm margins), in points
SHEETS = {"a4": ((595, 842), (510, 757)), "a3": ((842, 1191), (757, 1106)),
          "slide": ((540, 960), (504, 922))}


@pytest.mark.parametrize("page", ["a4", "a3", "slide"])
def test_a_page_sizes_the_drawing(page: str, write_map: WriteMap, tmp_path: Path) -> None:
    """The SVG is the whole sheet, the drawing scaled to fill its printable area."""
    out = tmp_path / "map.svg"
    code, output = render("render", write_map(MAP), "-o", out, "--page", page)
    assert code == 0 and "smallest text" in output
    root = ET.parse(out).getroot()
    width, height = (float(root.get(k, "0").removesuffix("pt")) for k in ("width", "height"))
    (short, long), (inner_short, inner_long) = SHEETS[page]
    assert sorted((width, height)) == [pytest.approx(short, abs=1), pytest.approx(long, abs=1)]
    assert (width > height) == (page == "slide" or "landscape" in output)
    # the drawing, at the scale the page gives it, fills the printable area
    graph = next(g for g in root.iter(f"{SVG}g") if g.get("class") == "graph")
    scale = float(graph.get("transform", "").split("scale(")[1].split()[0])
    render("render", write_map(MAP), "-o", tmp_path / "own.svg")
    own = ET.parse(tmp_path / "own.svg").getroot()
    drawn = [float(own.get(k, "0").removesuffix("pt")) * scale for k in ("width", "height")]
    across, down = (inner_long, inner_short) if width > height else (inner_short, inner_long)
    assert max(drawn[0] / across, drawn[1] / down) == pytest.approx(1, abs=0.02)


@pytest.mark.parametrize(("page", "box"), [("a4", [842, 595]), ("a3", [1191, 842]),
                                           ("slide", [960, 540])])
def test_a_pdf_is_the_whole_sheet(page: str, box: list[int], write_map: WriteMap,
                                  tmp_path: Path) -> None:
    """A4 and A3 as every PDF writer rounds them to whole points (842 × 595 pt is
    297 × 210 mm), turned to suit the drawing, which is wider than tall."""
    out = tmp_path / "map.pdf"
    code, output = render("render", write_map(MAP), "-o", out, "--page", page)
    assert code == 0 and "(landscape)" in output
    found = re.findall(rb"/MediaBox\s*\[\s*0\s+0\s+([0-9.]+)\s+([0-9.]+)\s*\]",
                       out.read_bytes())
    assert [[round(float(v)) for v in pair] for pair in found] == [box]


def test_a_radial_map_writes_labels_on_its_spokes(write_map: WriteMap, tmp_path: Path) -> None:
    """twopi places edge labels where they collide: each label is a small text node on
    its spoke, and the edge itself keeps its id and classes."""
    out = tmp_path / "map.svg"
    code, output = render("render", write_map(MAP), "-o", out, "--engine", "twopi")
    assert code == 0, output
    groups = {g.get("id", ""): g for g in ET.parse(out).getroot().iter(f"{SVG}g")}
    edges = {gid for gid in groups if gid.startswith(("flow-", "flows-"))}
    assert len(edges) == 3 and set(drawn_flows(out)) == {
        "bad", "waived", "to-ird", "to-msd", "to-msd-2"}
    for edge in edges:
        label = groups[f"label-{edge}"]
        assert "".join(t.text or "" for t in label.iter(f"{SVG}text"))
