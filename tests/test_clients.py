"""Every output, read by the program people read it with.

- the HTML report: axe-core, the accessibility engine, in headless Chromium;
- Mermaid: the real Mermaid library rendering the `.mmd` output in Chromium;
- SARIF: Microsoft's SARIF multitool, which validates a log against the
  standard and its own rules for what code-scanning viewers need;
- GraphML: networkx and igraph; node-link JSON: networkx and d3-force, the
  JavaScript library that format was made for.

The JavaScript clients are the npm packages locked in tests/clients, which
`bash scripts/dev test` installs into tests/clients/node_modules. A missing
client skips its tests on a developer's machine and fails them on CI (CI=true).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
import yaml
from click.testing import CliRunner

from flowmap.cli import main
from tests.conftest import CLEAN, EXAMPLES, REPO
from tests.test_html import HOSTILE, driver, hostile_map  # noqa: F401  (driver: a fixture)

WriteMap = Callable[..., Path]
NODE_MODULES = REPO / "tests" / "clients" / "node_modules"
MAPS = sorted(p.name for p in EXAMPLES.iterdir() if p.is_dir())


def client(relative: str) -> Path:
    """A file of an installed client, or a skip (a failure on CI) that says how to get it."""
    path = NODE_MODULES / relative
    if not path.exists():
        message = (f"tests/clients/node_modules/{relative} is missing: `bash scripts/dev test` "
                   "installs the test clients with npm")
        if os.environ.get("CI"):
            pytest.fail(f"CI must run every output's client, but {message}")
        pytest.skip(message)
    return path


def node() -> str:
    found = shutil.which("node")
    if found is None:
        message = "node is missing: `bash scripts/dev test` installs Debian's nodejs"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return found


def render(source: Path, out: Path, *options: str) -> Path:
    run = CliRunner().invoke(main, ["render", str(source), "-o", str(out), *options],
                             catch_exceptions=False)
    assert run.exit_code == 0, run.output
    return out


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("hostile") / "map.yaml"
    path.write_text(hostile_map(), encoding="utf-8")
    return path


# -- the HTML report: axe-core -------------------------------------------------------

def axe_violations(driver: Any, page: Path) -> list[dict[str, Any]]:
    """axe-core's violations on the page as it stands (every rule axe runs by default:
    WCAG 2.x A and AA and its best practices)."""
    driver.execute_script(client("axe-core/axe.min.js").read_text(encoding="utf-8"))
    found = driver.execute_async_script("""
        const done = arguments[arguments.length - 1];
        axe.run(document).then(
          r => done(r.violations.map(v => ({id: v.id, impact: v.impact,
                       nodes: v.nodes.map(n => n.target.join(' ') + ': ' + n.failureSummary)}))),
          e => done([{id: 'axe-failed', impact: 'critical', nodes: [String(e)]}]));""")
    assert isinstance(found, list)
    return found


def describe(violations: list[dict[str, Any]]) -> str:
    return "\n".join(f"{v['id']} ({v['impact']}, {len(v['nodes'])} nodes): {v['nodes'][:3]}"
                     for v in violations)


@pytest.mark.parametrize("name", MAPS)
def test_html_report_has_no_accessibility_violations(driver: Any, tmp_path: Path,  # noqa: F811
                                                     name: str) -> None:
    page = render(EXAMPLES / name, tmp_path / f"{name}.html")
    driver.get(page.as_uri())
    violations = axe_violations(driver, page)
    assert violations == [], describe(violations)


def test_html_report_with_a_flow_open_and_hostile_text_has_none(
        driver: Any, hostile: Path, tmp_path: Path) -> None:  # noqa: F811
    page = render(hostile, tmp_path / "hostile.html")
    driver.get(page.as_uri())
    driver.execute_script("document.querySelector('#fm-svg .flow.fm-item')"
                          ".dispatchEvent(new MouseEvent('click', {bubbles: true}))")
    assert "Select a flow" not in driver.find_element("id", "fm-details-body").text
    violations = axe_violations(driver, page)
    assert violations == [], describe(violations)


@pytest.mark.parametrize("name", MAPS)
def test_explain_page_has_no_accessibility_violations(driver: Any, tmp_path: Path,  # noqa: F811
                                                      name: str) -> None:
    """The plain-language page for service users, for the first discloser of the map."""
    if "explain" not in main.commands:
        pytest.skip("this version of flowmap has no explain command")
    from flowmap.check.validate import check

    flows = check(EXAMPLES / name).map.flows
    org = flows[sorted(flows)[0]].from_
    page = tmp_path / "explain.html"
    run = CliRunner().invoke(main, ["explain", str(EXAMPLES / name), "--for", org,
                                    "--format", "html", "-o", str(page)])
    assert run.exit_code == 0, run.output
    driver.get(page.as_uri())
    violations = axe_violations(driver, page)
    assert violations == [], describe(violations)


# -- Mermaid: the real library -------------------------------------------------------

@pytest.fixture(scope="module")
def mermaid_page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    library = client("mermaid/dist/mermaid.min.js")
    page = tmp_path_factory.mktemp("mermaid") / "mermaid.html"
    page.write_text('<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>m</title>'
                    f'<script src="{library.as_uri()}"></script></head>'
                    '<body><div id="out"></div></body></html>', encoding="utf-8")
    return page


def mermaid_render(driver: Any, page: Path, text: str) -> dict[str, Any]:
    """What Mermaid (strict security, as GitHub uses it) draws: the title, the text of
    every node and edge label, or its parse error."""
    driver.get(page.as_uri())
    drawn = driver.execute_async_script("""
        const [text, done] = arguments;
        mermaid.initialize({startOnLoad: false, securityLevel: 'strict'});
        mermaid.render('fm', text).then(r => {
            const out = document.getElementById('out');
            out.innerHTML = r.svg;
            const texts = s => [...out.querySelectorAll(s)].map(e => e.textContent.trim());
            done({title: texts('.flowchartTitleText'), nodes: texts('g.node'),
                  edges: texts('g.edgeLabel'), pwned: window.pwned || null});
          }, e => done({error: String(e && e.message || e)}));""", text)
    assert isinstance(drawn, dict)
    return drawn


def organisation_labels(mmd: str) -> list[str]:
    """What flowmap meant each node to read, from the map it drew."""
    return [line for line in mmd.splitlines() if line.startswith("    o")]


@pytest.mark.parametrize("name", MAPS)
def test_mermaid_draws_every_example(driver: Any, mermaid_page: Path, tmp_path: Path,  # noqa: F811
                                     name: str) -> None:
    out = render(EXAMPLES / name, tmp_path / f"{name}.mmd")
    data = json.loads(render(EXAMPLES / name, tmp_path / f"{name}.json").read_text("utf-8"))
    drawn = mermaid_render(driver, mermaid_page, out.read_text(encoding="utf-8"))
    assert "error" not in drawn, drawn.get("error")
    assert sorted(drawn["nodes"]) == sorted(n["label"] for n in data["nodes"])
    assert len(drawn["edges"]) == len(data["links"])
    assert drawn["title"] == [data["graph"]["title"]]
    assert not any("#" in t and ";" in t for t in drawn["nodes"] + drawn["edges"] + drawn["title"])


def test_mermaid_shows_hostile_text_as_written(driver: Any, mermaid_page: Path,  # noqa: F811
                                               hostile: Path, tmp_path: Path) -> None:
    source = yaml.safe_load(hostile.read_text(encoding="utf-8"))
    source["map"]["title"] = 'Flows: A < B & C > D #1 "q" `x` | y --- #lt;'
    hostile.with_name("titled.yaml").write_text(yaml.safe_dump(source), encoding="utf-8")
    out = render(hostile.with_name("titled.yaml"), tmp_path / "hostile.mmd")
    drawn = mermaid_render(driver, mermaid_page, out.read_text(encoding="utf-8"))
    assert "error" not in drawn, drawn.get("error")
    assert drawn["pwned"] is None
    assert sorted(drawn["nodes"]) == sorted(HOSTILE)
    assert sorted(drawn["edges"]) == sorted(HOSTILE)
    # the title's < > & are drawn as their full-width forms: Mermaid would show "&lt;"
    assert drawn["title"] == ['Flows: A \uff1c B \uff06 C \uff1e D #1 "q" `x` | y --- #lt;']


def test_mermaid_shows_what_an_incomplete_map_is_missing(
        driver: Any, mermaid_page: Path, tmp_path: Path) -> None:  # noqa: F811
    source = tmp_path / "map.yaml"
    source.write_text(CLEAN + "  - {id: lost, from: Ministry, to: ngo, information: [client]}\n",
                      encoding="utf-8")
    out = render(source, tmp_path / "map.mmd", "--allow-errors")
    drawn = mermaid_render(driver, mermaid_page, out.read_text(encoding="utf-8"))
    assert "error" not in drawn, drawn.get("error")
    assert len(drawn["title"]) == 1
    assert "INCOMPLETE: 1 flow refused (lost)" in drawn["title"][0]
    assert len(drawn["edges"]) == 1  # the rest is drawn, the comment line is not


# -- SARIF: Microsoft's SARIF multitool ------------------------------------------------

def multitool(log: Path, tmp_path: Path) -> list[dict[str, Any]]:
    """The multitool's findings on a SARIF log: every level, errors and warnings included."""
    binary = client("@microsoft/sarif-multitool-linux/Sarif.Multitool")
    out = log.with_name(log.stem + ".validation.sarif")
    env = {**os.environ, "DOTNET_SYSTEM_GLOBALIZATION_INVARIANT": "1",
           "DOTNET_CLI_TELEMETRY_OPTOUT": "1", "DOTNET_BUNDLE_EXTRACT_BASE_DIR": str(tmp_path)}
    run = subprocess.run([str(binary), "validate", str(log), "--output", str(out),
                          "--level", "Error;Warning;Note"],
                         capture_output=True, text=True, env=env, check=False, timeout=120)
    assert run.returncode == 0 and out.exists(), run.stdout + run.stderr
    results: list[dict[str, Any]] = json.loads(out.read_text(encoding="utf-8"))["runs"][0].get(
        "results", [])
    return results


def serious(results: list[dict[str, Any]]) -> list[str]:
    """Errors and warnings (SARIF's default level is warning); notes are advice, such as
    'no network to check that this URI is reachable'."""
    return [f"{r['ruleId']} {r.get('level', 'warning')}: {r['message']}" for r in results
            if r.get("level", "warning") in ("error", "warning")]


def sarif_of(source: Path, into: Path) -> Path:
    run = CliRunner().invoke(main, ["validate", str(source), "--format", "sarif"],
                             catch_exceptions=False)
    assert run.exit_code in (0, 1), run.output
    into.write_text(run.stdout, encoding="utf-8")
    return into


@pytest.mark.parametrize("name", MAPS)
def test_sarif_multitool_finds_no_error_or_warning(tmp_path: Path, name: str) -> None:
    results = multitool(sarif_of(EXAMPLES / name, tmp_path / f"{name}.sarif"), tmp_path)
    assert serious(results) == []


def test_sarif_multitool_on_hostile_text_and_no_findings(tmp_path: Path, hostile: Path,
                                                         write_map: WriteMap) -> None:
    for source in (hostile, write_map(CLEAN)):
        log = sarif_of(source, tmp_path / f"{source.parent.name}.sarif")
        assert serious(multitool(log, tmp_path)) == []


def test_sarif_multitool_does_report_a_broken_log(tmp_path: Path) -> None:
    """The check would see a fault: a result pointing at a rule index that does not exist."""
    log = json.loads(sarif_of(EXAMPLES / "icld-2017", tmp_path / "bad.sarif").read_text("utf-8"))
    log["runs"][0]["results"][0]["ruleIndex"] = 10_000
    (tmp_path / "bad.sarif").write_text(json.dumps(log), encoding="utf-8")
    assert serious(multitool(tmp_path / "bad.sarif", tmp_path))


# -- GraphML and node-link JSON: networkx, igraph, d3-force --------------------------

@pytest.mark.parametrize("source", [*MAPS, "hostile"])
def test_graphml_reads_back_in_networkx_and_igraph(tmp_path: Path, hostile: Path,
                                                   source: str) -> None:
    import igraph

    path = hostile if source == "hostile" else EXAMPLES / source
    data = json.loads(render(path, tmp_path / "map.json").read_text(encoding="utf-8"))
    graphml = render(path, tmp_path / "map.graphml")
    ours = {n["id"]: n["name"] for n in data["nodes"]}
    flows = sorted(link["key"] for link in data["links"])

    read = nx.read_graphml(graphml, force_multigraph=True)
    assert {n: read.nodes[n]["name"] for n in read.nodes} == ours
    assert sorted(k for _, _, k in read.edges(keys=True)) == flows

    other = igraph.Graph.Read_GraphML(str(graphml))  # igraph keeps no edge ids: compare edges
    assert other.is_directed()
    assert dict(zip(other.vs["id"], other.vs["name"])) == ours
    assert sorted((other.vs[e.source]["id"], other.vs[e.target]["id"], e["information"],
                   e["basis"], e["status"]) for e in other.es) == \
        sorted((link["source"], link["target"], link["information"], link["basis"],
                link["status"]) for link in data["links"])


D3_READ = """
import(process.argv[1]).then(({forceSimulation, forceLink}) => {
  const data = JSON.parse(require('fs').readFileSync(0, 'utf8'));
  const links = forceLink(data.links).id(d => d.id);   // throws on a link to no node
  forceSimulation(data.nodes).force('link', links).stop().tick(5);
  process.stdout.write(JSON.stringify(data.links.map(l => [l.source.id, l.target.id, l.key])));
});
"""


@pytest.mark.parametrize("source", [*MAPS, "hostile"])
def test_node_link_json_reads_back_in_networkx_and_d3(tmp_path: Path, hostile: Path,
                                                      source: str) -> None:
    path = hostile if source == "hostile" else EXAMPLES / source
    text = render(path, tmp_path / "map.json").read_text(encoding="utf-8")
    data = json.loads(text)
    pairs = sorted([link["source"], link["target"], link["key"]] for link in data["links"])

    read = nx.node_link_graph(data, edges="links")
    assert read.is_multigraph() and read.is_directed()
    assert sorted([u, v, k] for u, v, k in read.edges(keys=True)) == pairs

    d3 = client("d3-force/src/index.js")
    run = subprocess.run([node(), "-e", D3_READ, d3.as_uri()], input=text, capture_output=True,
                         text=True, check=False, timeout=60)
    assert run.returncode == 0, run.stderr
    assert sorted(json.loads(run.stdout)) == pairs
