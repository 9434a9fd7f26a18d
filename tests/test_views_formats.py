"""Views and every render format, checked by structure (issue 4).

Views must contain exactly the expected organisations and flows; the legend
exactly the styles used; Mermaid must have a flowchart's shape; GraphML must
round-trip through networkx; the register's CSV through the csv module; and
hostile strings must stay inert in every format.
"""

from __future__ import annotations

import csv
import io
import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner

from flowmap.cli import main
from flowmap.render.theme import THEMES
from tests.svgflows import drawn_flows, edge_of

WriteMap = Callable[..., Path]
SVG = "{http://www.w3.org/2000/svg}"

#: a chain a → b → c → d plus x → b; 'b-c' has no basis (unjustified);
#: 'x-b' carries health information, the rest benefit information
CHAIN = """\
map: {id: chain, title: Chain, as_of: 2024-01-01}
organisations:
  - {id: a, name: Org A, kind: ngo}
  - {id: b, name: Org B, kind: government-department}
  - {id: c, name: Org C, kind: crown-entity}
  - {id: d, name: Org D, kind: other}
  - {id: x, name: Org X, kind: health-provider}
information:
  - {id: ben, name: Benefit record, category: personal.benefit}
  - {id: notes, name: Clinical notes, category: personal.health.mental-health}
authorities:
  - {id: law, title: A law, type: statute, url: "https://example.org/law?a=1&b=2"}
flows:
  - {id: a-b, from: a, to: b, information: [ben], basis: [law]}
  - {id: b-c, from: b, to: c, information: [ben]}
  - {id: c-d, from: c, to: d, information: [ben], basis: [law], status: proposed}
  - {id: x-b, from: x, to: b, information: [notes], basis: [law]}
  - {id: x-b-2, from: x, to: b, information: [ben], basis: [law]}
"""


def run(*args: str | Path) -> str:
    result = CliRunner().invoke(main, [*map(str, args)])
    assert result.exit_code == 0, result.output
    return result.output


def drawn(svg: Path) -> tuple[set[str], set[str]]:
    root = ET.parse(svg).getroot()
    ids = [g.get("id", "") for g in root.iter(f"{SVG}g")]
    return ({i[4:] for i in ids if i.startswith("org-")}, set(drawn_flows(root)))


@pytest.mark.parametrize(("options", "orgs", "flows"), [
    ([], {"a", "b", "c", "d", "x"}, {"a-b", "b-c", "c-d", "x-b", "x-b-2"}),
    (["--focus", "a"], {"a", "b"}, {"a-b"}),
    (["--focus", "a", "--depth", "2"], {"a", "b", "c", "x"}, {"a-b", "b-c", "x-b", "x-b-2"}),
    (["--focus", "d", "--depth", "0"], {"d"}, set()),
    (["--information", "notes"], {"x", "b"}, {"x-b"}),
    (["--information", "personal.health"], {"x", "b"}, {"x-b"}),
    (["--information", "personal"], {"a", "b", "c", "d", "x"},
     {"a-b", "b-c", "c-d", "x-b", "x-b-2"}),
    (["--status", "unjustified"], {"b", "c"}, {"b-c"}),
    (["--basis", "law", "--focus", "x"], {"x", "b"}, {"x-b", "x-b-2"}),
    (["--focus", "b", "--status", "justified", "--information", "ben"], {"a", "b", "x"},
     {"a-b", "x-b-2"}),
])
def test_views_draw_exactly_the_expected_nodes_and_edges(
        write_map: WriteMap, tmp_path: Path, options: list[str], orgs: set[str],
        flows: set[str]) -> None:
    out = tmp_path / "view.svg"
    run("render", write_map(CHAIN), "-o", out, *options)
    assert drawn(out) == (orgs, flows)


@pytest.mark.parametrize("options", [["--focus", "nobody"], ["--information", "nothing"],
                                     ["--basis", "no-law"], ["--status", "bad"]])
def test_a_view_of_something_missing_is_a_usage_error(write_map: WriteMap, tmp_path: Path,
                                                      options: list[str]) -> None:
    result = CliRunner().invoke(main, ["render", str(write_map(CHAIN)), "-o",
                                       str(tmp_path / "x.svg"), *options])
    assert result.exit_code == 2
    assert not (tmp_path / "x.svg").exists()


def legend_text(svg: Path) -> str:
    root = ET.parse(svg).getroot()
    legend = next(g for g in root.iter(f"{SVG}g") if g.get("id") == "legend")
    return " ".join(t.text or "" for t in legend.iter(f"{SVG}text"))


def test_legend_lists_exactly_the_styles_used(write_map: WriteMap, tmp_path: Path) -> None:
    out = tmp_path / "map.svg"
    run("render", write_map(CHAIN), "-o", out)
    text = legend_text(out)
    assert "no valid legal basis" in text and "legal basis covers the flow" in text
    assert "proposed" in text
    assert "accepted" not in text and "warnings" not in text and "historical" not in text
    run("render", write_map(CHAIN), "-o", out, "--status", "justified", "--focus", "a")
    text = legend_text(out)
    assert "legal basis covers the flow" in text
    assert "no valid legal basis" not in text and "proposed" not in text


def test_parallel_flows_share_an_edge_that_names_them(write_map: WriteMap,
                                                      tmp_path: Path) -> None:
    """x → b twice: one edge whose data-flows names both; the unjustified b → c and the
    proposed c → d keep edges of their own (docs/svg.md)."""
    out = tmp_path / "merged.svg"
    run("render", write_map(CHAIN), "-o", out)
    root = ET.parse(out).getroot()
    merged = {g.get("id"): g for g in root.iter(f"{SVG}g")
              if g.get("id", "").startswith("flows-")}
    assert set(merged) == {"flows-b--x"}
    assert merged["flows-b--x"].get("data-flows", "").split() == ["x-b", "x-b-2"]
    assert merged["flows-b--x"].get("class", "").split() == ["edge", "flows", "justified"]
    assert edge_of(root) == {"a-b": "flow-a-b", "b-c": "flow-b-c", "c-d": "flow-c-d",
                             "x-b": "flows-b--x", "x-b-2": "flows-b--x"}
    run("render", write_map(CHAIN), "-o", out, "--no-merge")
    assert set(edge_of(out).values()) == {f"flow-{f}" for f in drawn(out)[1]}
    assert len(drawn(out)[1]) == 5


def test_flows_both_ways_share_an_edge_with_a_line_per_direction(
        write_map: WriteMap, tmp_path: Path) -> None:
    text = CHAIN.replace("  - {id: x-b-2, from: x, to: b,",
                         "  - {id: b-x, from: b, to: x, information: [notes], basis: [law]}\n"
                         "  - {id: x-b-2, from: x, to: b,")
    out = tmp_path / "both.svg"
    run("render", write_map(text), "-o", out, "--format", "dot")
    source = out.read_text(encoding="utf-8")
    edge = next(line for line in source.splitlines() if 'id="flows-b--x"' in line)
    assert "dir=both" in edge and "to Org B:" in edge and "to Org X:" in edge


def test_numbered_labels_come_with_a_key(write_map: WriteMap, tmp_path: Path) -> None:
    out = tmp_path / "numbered.svg"
    run("render", write_map(CHAIN), "-o", out, "--labels", "numbers")
    root = ET.parse(out).getroot()
    key = next(g for g in root.iter(f"{SVG}g") if g.get("id") == "key")
    text = [t.text for t in key.iter(f"{SVG}text")]
    edges = set(edge_of(root).values())
    assert len(edges) == 4  # x → b twice is one edge
    for number in range(1, len(edges) + 1):
        assert str(number) in text
    assert "Org B → Org C" in text


def test_output_directory_gets_one_file_per_format(write_map: WriteMap, tmp_path: Path) -> None:
    out = tmp_path / "out"
    run("render", write_map(CHAIN), "-o", f"{out}/", "--format", "svg", "--format", "dot",
        "--format", "json", "--format", "mermaid", "--format", "graphml")
    assert sorted(p.name for p in out.iterdir()) == [
        "chain.dot", "chain.graphml", "chain.json", "chain.mmd", "chain.svg"]


def test_several_formats_into_one_file_is_a_usage_error(write_map: WriteMap,
                                                        tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["render", str(write_map(CHAIN)), "-o",
                                       str(tmp_path / "one.svg"), "--format", "svg",
                                       "--format", "dot"])
    assert result.exit_code != 0 and "directory" in result.output


def test_graphml_round_trips_through_networkx(write_map: WriteMap, tmp_path: Path) -> None:
    out = tmp_path / "map.graphml"
    run("render", write_map(CHAIN), "-o", out)
    graph = nx.read_graphml(out, force_multigraph=True)
    assert set(graph.nodes) == {"a", "b", "c", "d", "x"}
    edges = {k: d for _, _, k, d in graph.edges(keys=True, data=True)}
    assert set(edges) == {"a-b", "b-c", "c-d", "x-b", "x-b-2"}
    assert edges["b-c"]["status"] == "unjustified"
    assert edges["x-b"]["categories"] == "personal.health.mental-health"
    assert graph.nodes["x"]["kind"] == "health-provider"


def test_json_is_node_link_data(write_map: WriteMap, tmp_path: Path) -> None:
    out = tmp_path / "map.json"
    run("render", write_map(CHAIN), "-o", out)
    graph = nx.node_link_graph(json.loads(out.read_text()), edges="links")
    assert graph.is_directed() and graph.is_multigraph()
    assert {k for _, _, k in graph.edges(keys=True)} == {"a-b", "b-c", "c-d", "x-b", "x-b-2"}


MERMAID_LINE = re.compile(
    r'^    (o\d+\["[^"]*"\]:::\w+'
    r'|o\d+ (-->|==>)\|"[^"|]*"\| o\d+'
    r"|linkStyle \d+ [\w:#,.\- ]+"
    r"|classDef \w+ [\w:#,]+"
    r"|%% [^\n]*)$")


def check_mermaid_shape(text: str) -> list[str]:
    lines = text.splitlines()
    assert lines[:4] == ["---", lines[1], "---", "flowchart LR"]
    assert lines[1].startswith('title: "')
    body = lines[4:]
    bad = [line for line in body if not MERMAID_LINE.match(line)]
    assert not bad, bad
    return body


def test_mermaid_has_a_flowcharts_shape(write_map: WriteMap, tmp_path: Path) -> None:
    out = tmp_path / "map.mmd"
    run("render", write_map(CHAIN), "-o", out, "--format", "mermaid")
    body = check_mermaid_shape(out.read_text())
    edges = [line for line in body if "-->" in line or "==>" in line]
    assert len(edges) == 5
    assert sum("==>" in e for e in edges) == 1  # the unjustified flow is thick
    assert len([line for line in body if line.lstrip().startswith("linkStyle")]) == 5


def test_register_csv_round_trips_through_the_csv_module(write_map: WriteMap) -> None:
    done = CliRunner().invoke(main, ["register", str(write_map(CHAIN)), "--format", "csv"])
    assert done.exit_code == 0, done.output
    rows = list(csv.DictReader(io.StringIO(done.stdout)))  # (what CSV loses is on stderr)
    assert [r["Flow"] for r in rows] == ["a-b", "b-c", "c-d", "x-b", "x-b-2"]
    assert {r["Flow"]: r["Status"] for r in rows}["b-c"] == "unjustified"
    assert rows[0]["Links"] == "https://example.org/law?a=1&b=2"


def test_register_csv_with_bom_opens_in_excel(write_map: WriteMap, tmp_path: Path) -> None:
    target = tmp_path / "register.csv"
    run("register", write_map(CHAIN), "--format", "csv", "--bom", "-o", target)
    raw = target.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    assert next(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))[0] == "Flow"


HOSTILE = '=HYPERLINK("http://evil") <script>alert(1)</script> | `x` "q" \\N \\G ]; evil ['
HOSTILE_MAP = f"""\
map: {{id: hostile, title: {json.dumps(HOSTILE)}, as_of: 2024-01-01}}
organisations:
  - {{id: a, name: {json.dumps(HOSTILE)}, kind: ngo, sector: {json.dumps(HOSTILE)}}}
  - {{id: b, name: "+cmd|' /C calc'!A0", kind: ngo, description: {json.dumps(HOSTILE)}}}
information:
  - {{id: i, name: {json.dumps(HOSTILE)}, category: personal.identity}}
purposes:
  - {{id: p, name: "@SUM(1+1)"}}
flows:
  - {{id: f, from: a, to: b, information: [i], purpose: p}}
"""


def test_hostile_strings_stay_inert_in_every_format(write_map: WriteMap,
                                                    tmp_path: Path) -> None:
    source = write_map(HOSTILE_MAP)
    out = tmp_path / "out"
    run("render", source, "-o", f"{out}/", *[a for f in ("svg", "dot", "json", "mermaid",
                                                          "graphml")
                                              for a in ("--format", f)])
    root = ET.parse(out / "hostile.svg").getroot()  # well-formed
    assert not list(root.iter(f"{SVG}script"))
    texts = " ".join(t.text or "" for t in root.iter(f"{SVG}text"))
    assert "<script>" in texts  # shown literally, as text
    assert HOSTILE in (root.findtext(f"{SVG}title") or "")
    json.loads((out / "hostile.json").read_text())
    nx.read_graphml(out / "hostile.graphml")
    check_mermaid_shape((out / "hostile.mmd").read_text())
    rows = list(csv.reader(io.StringIO(run("register", source, "--format", "csv"))))
    for row in rows[1:]:
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@")), cell
    markdown = run("register", source)
    table = [line for line in markdown.splitlines() if line.startswith("| f ")]
    assert len(table) == 1
    assert table[0].count(" | ") == 9  # no cell broke out of its column
    assert "<script>" not in markdown


def contrast(foreground: str, background: str) -> float:
    """WCAG 2 contrast ratio of two #rrggbb colours."""
    def luminance(colour: str) -> float:
        channels = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
                  for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
    lighter, darker = sorted((luminance(foreground), luminance(background)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


@pytest.mark.parametrize("theme", sorted(THEMES))
def test_theme_text_has_enough_contrast(theme: str) -> None:
    t = THEMES[theme]
    text_colours = [t.edge.get("fontcolor", "#000000")] + [
        s.get("fontcolor", t.edge.get("fontcolor", "#000000")) for s in t.statuses.values()]
    for colour in text_colours:
        assert contrast(colour, "#ffffff") >= 4.5, colour
    for kind in t.kinds.values():
        fill = kind.get("fillcolor", t.node.get("fillcolor", "#ffffff"))
        assert contrast(t.node.get("fontcolor", "#000000"), fill) >= 4.5, fill
    assert contrast(t.cluster.get("fontcolor", "#000000"), t.cluster.get("fillcolor",
                                                                         "#ffffff")) >= 4.5


def test_register_by_organisation_has_a_section_per_party(write_map: WriteMap) -> None:
    out = run("register", write_map(CHAIN), "--by", "organisation")
    sections = re.findall(r"^## (.+)$", out, re.M)
    assert sections == ["Org A", "Org B", "Org C", "Org D", "Org X"]
    org_b = out.split("## Org B")[1].split("## Org C")[0]
    discloses = org_b.split("### Receives")[0]
    receives = org_b.split("### Receives")[1]
    assert re.findall(r"^\| (\S+) \|", discloses, re.M)[2:] == ["b-c"]
    assert sorted(re.findall(r"^\| (\S+) \|", receives, re.M)[2:]) == ["a-b", "x-b", "x-b-2"]


def test_organisations_named_legend_or_key_stay_organisations(write_map: WriteMap,
                                                              tmp_path: Path) -> None:
    text = CHAIN.replace("id: a,", "id: legend,").replace("from: a,", "from: legend,") \
        .replace("id: d,", "id: key,").replace("to: d,", "to: key,")
    out = tmp_path / "names.svg"
    run("render", write_map(text), "-o", out, "--labels", "numbers")
    orgs, flows = drawn(out)
    assert {"legend", "key"} <= orgs and len(flows) == 5
    root = ET.parse(out).getroot()
    ids = [g.get("id") for g in root.iter(f"{SVG}g")]
    assert ids.count("legend") == 1 and ids.count("key") == 1


def test_terminal_escapes_cannot_turn_a_register_cell_into_a_formula(
        write_map: WriteMap) -> None:
    """click strips ANSI sequences from output that is not a terminal: a description of
    '\\x1b[31m=' printed raw would reach the spreadsheet as '=' (found by fuzzing)."""
    text = CHAIN.replace("name: Benefit record", "name: \"\\e[31m=SUM(1)\"")
    for fmt in ("csv", "markdown"):
        out = run("register", write_map(text), "--format", fmt)
        assert "\x1b" not in out and "\ufffd[31m=SUM(1)" in out.replace("\\", "")
        if fmt == "csv":
            for row in list(csv.reader(io.StringIO(out)))[1:]:
                assert not any(cell.startswith(("=", "+", "-", "@")) for cell in row)


@pytest.mark.parametrize("seed", [1, 2])
def test_a_focus_keeps_what_the_graph_says_is_within_depth(tmp_path: Path, seed: int) -> None:
    """A focus view's organisations are found without building the graph; on
    generated maps they are exactly networkx's undirected shortest paths of at most
    ``depth`` flows from the focus, at every depth, for every organisation."""
    from flowmap import check
    from flowmap.review.views import ViewOptions, select
    from tests.genmap import write_generated

    result = check(write_generated(tmp_path, 60, seed=seed))
    undirected = result.graph.to_undirected(as_view=True)
    for org in sorted(result.map.organisations):
        for depth in range(4):
            near = set(nx.single_source_shortest_path_length(undirected, org, cutoff=depth))
            want = sorted(k for u, v, k in result.graph.edges(keys=True)
                          if u in near and v in near)
            assert list(select(result, ViewOptions(focus=org, depth=depth)).flows) == want


def test_the_public_names_stay_functions_beside_their_stage_packages() -> None:
    """`flowmap.check` and `flowmap.render` are both a stage's package and its main
    function: importing the packages first does not change what the names are."""
    import importlib

    importlib.import_module("flowmap.check.validate")
    importlib.import_module("flowmap.render.dot")
    from flowmap import check, load, render, validate

    assert all(callable(f) for f in (check, load, render, validate))
    assert check is importlib.import_module("flowmap.check.validate").check
