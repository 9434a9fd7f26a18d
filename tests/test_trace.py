"""`flowmap trace` as a user runs it: on the social-sector example (where a
child-welfare report can travel) and on small maps built for exact answers:
chains, per-item tracking, cycles, --max-hops, identifiability, --to."""

from __future__ import annotations

import json
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from flowmap.cli import main
from tests.svgflows import drawn_flows

from .conftest import EXAMPLES

FLOWMAP = Path(sys.executable).parent / "flowmap"
SOCIAL = EXAMPLES / "social-sector"
SVG = "{http://www.w3.org/2000/svg}"
WriteMap = Callable[..., Path]
Hop = dict[str, Any]

HEAD = """\
map: {id: t, title: Trace fixture, as_of: 2024-01-01}
organisations:
  - {id: a, name: Org A, kind: ngo}
  - {id: b, name: Org B, kind: ngo}
  - {id: c, name: Org C, kind: ngo}
  - {id: d, name: Org D, kind: ngo}
  - {id: e, name: Org E, kind: ngo}
information:
  - {id: x, name: Item X, category: personal.benefit}
  - {id: y, name: Item Y, category: personal.benefit}
  - {id: w, name: Item W, category: personal.child-welfare}
authorities:
  - {id: ok, title: Privacy Act 2020 IPP 11, type: privacy-principle}
flows:
"""
#: a → b → c → d → e carrying x (d → e has no basis); a → b also carries y;
#: b → e carries w, which never reached b
CHAIN = HEAD + """\
  - {id: ab, from: a, to: b, information: [x, y], basis: [ok]}
  - {id: bc, from: b, to: c, information: [x], basis: [ok]}
  - {id: be, from: b, to: e, information: [w], basis: [ok]}
  - {id: cd, from: c, to: d, information: [x], basis: [ok]}
  - {id: de, from: d, to: e, information: [x]}
"""
CYCLE = HEAD + """\
  - {id: ab, from: a, to: b, information: [x], basis: [ok]}
  - {id: ba, from: b, to: a, information: [x], basis: [ok]}
  - {id: bc, from: b, to: c, information: [x], basis: [ok]}
  - {id: cb, from: c, to: b, information: [x], basis: [ok]}
"""
DIAMOND = HEAD + """\
  - {id: ab, from: a, to: b, information: [x], basis: [ok]}
  - {id: ac, from: a, to: c, information: [x], basis: [ok]}
  - {id: bd, from: b, to: d, information: [x], basis: [ok]}
  - {id: cd, from: c, to: d, information: [x], basis: [ok]}
  - {id: de, from: d, to: e, information: [x], basis: [ok]}
"""
#: identified, then de-identified, then identified again
REIDENTIFY = HEAD + """\
  - {id: ab, from: a, to: b, information: [x], basis: [ok]}
  - {id: bc, from: b, to: c, information: [x], identifiability: de-identified}
  - {id: cd, from: c, to: d, information: [x], basis: [ok]}
"""


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(main, ["trace", *(str(a) for a in args)])


def trace_json(*args: str | Path) -> dict[str, Any]:
    result = run(*args, "--format", "json")
    assert result.exit_code == 0, result.output + result.stderr
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def walk(hops: list[Hop]) -> Iterator[Hop]:
    for hop in hops:
        yield hop
        yield from walk(hop["next"])


def shape(hops: list[Hop]) -> list[Any]:
    """The tree as nested (flow, [children]) pairs."""
    return [(h["flow"], shape(h["next"])) for h in hops]


def reached(data: dict[str, Any]) -> dict[str, int]:
    return {r["organisation"]: r["hops"] for r in data["reached"]}


# -- the social-sector example ----------------------------------------------------------

CHILD_WELFARE = {"child-concern", "child-wellbeing-information"}


def test_where_a_child_welfare_report_can_travel() -> None:
    data = trace_json(SOCIAL, "--from", "ngo-providers", "--information", "personal.child-welfare")
    assert shape(data["hops"]) == [
        ("ngo-ot-information-on-request", [("ot-police-child-safety", [])]),
        ("ngo-ot-safety-concern", []),
        ("ngo-police-immediate-danger", []),
    ]
    assert reached(data) == {"oranga-tamariki": 1, "police": 1}
    hops = {h["flow"]: h for h in walk(data["hops"])}
    second = hops["ot-police-child-safety"]
    assert (second["hop"], second["from"], second["to"]) == (2, "oranga-tamariki", "police")
    assert second["information"] == ["child-wellbeing-information"]
    assert [b["citation"] for b in hops["ngo-ot-safety-concern"]["basis"]] == [
        "Oranga Tamariki Act 1989, s 15"]
    assert [b["id"] for b in hops["ngo-police-immediate-danger"]["basis"]] == [
        "ot-act-1989.s15", "privacy-act-2020.ipp11-1-f"]
    for hop in hops.values():
        assert set(hop["information"]) <= CHILD_WELFARE
        assert hop["status"] == "justified" and hop["unjustified"] is False
        assert hop["identifiability"] == "identified" and hop["identifiability_change"] is None
    # the family violence flow to the Police carries no child-welfare item
    assert "ngo-police-family-violence" not in data["flows"]
    assert data["summary"] == {"organisations": 2, "flows": 4, "unjustified": [],
                               "reidentifications": [], "truncated": False}


def test_child_welfare_text_tree() -> None:
    result = run(SOCIAL, "--from", "ngo-providers", "--information", "personal.child-welfare")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == ("Where information in 'personal.child-welfare' can travel from "
                        "NGO providers (ngo-providers), up to 6 hops")
    assert ("├── [1] ngo-ot-information-on-request: NGO providers (ngo-providers) → "
            "Oranga Tamariki (oranga-tamariki)  [justified]") in lines
    assert ("│   └── [2] ot-police-child-safety: Oranga Tamariki (oranga-tamariki) → "
            "Police (police)  [justified]") in lines
    assert any("basis: Oranga Tamariki Act 1989, s 66C" in line for line in lines)
    assert lines[-1] == ("2 organisations reached through 4 flows; 0 unjustified, "
                         "0 re-identifying")


def test_where_the_polices_child_welfare_information_came_from() -> None:
    data = trace_json(SOCIAL, "--to", "police", "--information", "personal.child-welfare")
    assert data["direction"] == "to"
    assert shape(data["hops"]) == [
        ("ngo-police-immediate-danger", []),
        ("ot-police-child-safety", [("ngo-ot-information-on-request", [])]),
    ]
    assert reached(data) == {"ngo-providers": 1, "oranga-tamariki": 1}


def test_entering_the_idi_de_identifies() -> None:
    data = trace_json(SOCIAL, "--from", "msd", "--information", "benefit-records")
    hops = {h["flow"]: h for h in walk(data["hops"])}
    idi = hops["stats-nz-idi-researchers"]
    assert idi["hop"] == 2
    assert idi["identifiability_change"] == {"from": "identified", "to": "de-identified"}
    assert idi["reidentification"] is None
    assert reached(data)["idi-researchers"] == 2


def test_the_installed_command_in_a_subprocess() -> None:
    proc = subprocess.run([str(FLOWMAP), "trace", str(SOCIAL), "--from", "ngo-providers",
                           "--information", "personal.child-welfare", "--format", "json"],
                          capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stderr
    assert reached(json.loads(proc.stdout)) == {"oranga-tamariki": 1, "police": 1}


# -- small maps, exact answers ---------------------------------------------------------

def test_chain_follows_only_what_each_organisation_received(write_map: WriteMap) -> None:
    data = trace_json(write_map(CHAIN), "--from", "a")
    assert shape(data["hops"]) == [("ab", [("bc", [("cd", [("de", [])])])])]
    assert reached(data) == {"b": 1, "c": 2, "d": 3, "e": 4}
    assert [h["information"] for h in walk(data["hops"])] == [["x", "y"], ["x"], ["x"], ["x"]]
    assert "be" not in data["flows"]  # w never reached b


def test_unjustified_hops_are_marked(write_map: WriteMap) -> None:
    path = write_map(CHAIN)
    data = trace_json(path, "--from", "a")
    last = list(walk(data["hops"]))[-1]
    assert (last["flow"], last["status"], last["unjustified"]) == ("de", "unjustified", True)
    assert data["summary"]["unjustified"] == ["de"]
    text = run(path, "--from", "a").stdout
    assert "✗ UNJUSTIFIED" in text and "1 unjustified" in text


def test_information_filter_narrows_the_chains(write_map: WriteMap) -> None:
    data = trace_json(write_map(CHAIN), "--from", "a", "--information", "y")
    assert shape(data["hops"]) == [("ab", [])]
    assert data["hops"][0]["information"] == ["y"]
    data = trace_json(write_map(CHAIN), "--from", "b", "--information", "personal.child-welfare")
    assert shape(data["hops"]) == [("be", [])]


def test_max_hops_truncates(write_map: WriteMap) -> None:
    path = write_map(CHAIN)
    data = trace_json(path, "--from", "a", "--max-hops", "2")
    assert shape(data["hops"]) == [("ab", [("bc", [])])]
    assert data["hops"][0]["next"][0]["truncated"] is True
    assert reached(data) == {"b": 1, "c": 2} and data["summary"]["truncated"] is True
    assert "beyond --max-hops 2" in run(path, "--from", "a", "--max-hops", "2").stdout
    assert trace_json(path, "--from", "a", "--max-hops", "4")["summary"]["truncated"] is False


def test_cycles_end_the_chain(write_map: WriteMap) -> None:
    data = trace_json(write_map(CYCLE), "--from", "a")
    assert shape(data["hops"]) == [("ab", [("ba", []), ("bc", [("cb", [])])])]
    cycles = {h["flow"]: h["cycle"] for h in walk(data["hops"])}
    assert cycles == {"ab": False, "ba": True, "bc": False, "cb": True}
    assert reached(data) == {"b": 1, "c": 2}  # the origin is not "reached"


def test_an_organisation_is_followed_once(write_map: WriteMap) -> None:
    data = trace_json(write_map(DIAMOND), "--from", "a")
    assert shape(data["hops"]) == [("ab", [("bd", [("de", [])])]), ("ac", [("cd", [])])]
    seen = {h["flow"]: h["seen"] for h in walk(data["hops"])}
    assert seen["cd"] is True and seen["bd"] is False
    assert reached(data) == {"b": 1, "c": 1, "d": 2, "e": 3}


def test_identifiability_changes_and_reidentification(write_map: WriteMap) -> None:
    path = write_map(REIDENTIFY)
    data = trace_json(path, "--from", "a")
    hops = {h["flow"]: h for h in walk(data["hops"])}
    assert hops["ab"]["identifiability_change"] is None
    assert hops["bc"]["identifiability_change"] == {"from": "identified", "to": "de-identified"}
    assert hops["cd"]["identifiability_change"] == {"from": "de-identified", "to": "identified"}
    assert [h["reidentification"] for h in hops.values()] == [
        None, None, {"earlier": "bc", "later": "cd"}]
    assert data["summary"]["reidentifications"] == [{"earlier": "bc", "later": "cd"}]
    assert "⚠ RE-IDENTIFICATION" in run(path, "--from", "a").stdout


def test_upstream_trace_finds_the_same_reidentification(write_map: WriteMap) -> None:
    data = trace_json(write_map(REIDENTIFY), "--to", "d")
    assert shape(data["hops"]) == [("cd", [("bc", [("ab", [])])])]
    hops = {h["flow"]: h for h in walk(data["hops"])}
    # changes are given in the order the information moves
    assert hops["bc"]["identifiability_change"] == {"from": "de-identified", "to": "identified"}
    assert hops["ab"]["identifiability_change"] == {"from": "identified", "to": "de-identified"}
    assert hops["bc"]["reidentification"] == {"earlier": "bc", "later": "cd"}
    assert hops["ab"]["reidentification"] is None
    assert reached(data) == {"c": 1, "b": 2, "a": 3}


def test_an_organisation_without_flows_reaches_nothing(write_map: WriteMap) -> None:
    result = run(write_map(CHAIN), "--from", "e")
    assert result.exit_code == 0
    assert "(no flow carries it)" in result.stdout
    assert "0 organisations reached" in result.stdout


# -- usage errors ------------------------------------------------------------------------

@pytest.mark.parametrize(("args", "message"), [
    (["--from", "zz"], "the map has no organisation 'zz'"),
    (["--from", "a", "--information", "personal.heath"],
     "the map has no information or category 'personal.heath'"),
    ([], "give exactly one of --from ORG and --to ORG"),
    (["--from", "a", "--to", "b"], "give exactly one of --from ORG and --to ORG"),
])
def test_usage_errors_are_one_line(write_map: WriteMap, args: list[str], message: str) -> None:
    result = run(write_map(CHAIN), *args)
    assert result.exit_code == 2
    assert result.stderr.startswith(f"flowmap: {message}")
    assert len(result.stderr.strip().splitlines()) == 1


def test_max_hops_must_be_positive(write_map: WriteMap) -> None:
    assert run(write_map(CHAIN), "--from", "a", "--max-hops", "0").exit_code == 2


# -- drawing -----------------------------------------------------------------------------

def test_svg_highlights_the_traced_subgraph(tmp_path: Path) -> None:
    out = tmp_path / "trace.svg"
    result = run(SOCIAL, "--from", "ngo-providers", "--information", "personal.child-welfare",
                 "--format", "svg", "-o", out)
    assert result.exit_code == 0, result.output
    root = ET.fromstring(out.read_bytes())
    groups = {g.get("id", ""): set(g.get("class", "").split()) for g in root.iter(f"{SVG}g")}
    flows = drawn_flows(root)  # each flow's edge, merged or its own (docs/svg.md)
    traced = {f"org-{k[4:]}" for k, v in groups.items() if k.startswith("org-")
              and "traced" in v} | {f"flow-{f}" for f, v in flows.items() if "traced" in v}
    assert traced == {"org-ngo-providers", "org-oranga-tamariki", "org-police",
                      "flow-ngo-ot-information-on-request", "flow-ngo-ot-safety-concern",
                      "flow-ngo-police-immediate-danger", "flow-ot-police-child-safety"}
    assert "origin" in groups["org-ngo-providers"]
    # dimmed, whatever its verdict (it rests on the Family Violence Act s 20, whose classes
    # the example's organisations do not name)
    assert "dimmed" in flows["ngo-police-family-violence"]
    assert {"org", "dimmed"} <= groups["org-msd"]
    for flow, classes in flows.items():
        assert len(classes & {"traced", "dimmed"}) == 1, flow


def test_html_wraps_the_drawing(write_map: WriteMap) -> None:
    result = run(write_map(REIDENTIFY), "--from", "a", "--format", "html")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("<!DOCTYPE html>") and "<svg" in result.stdout
    assert 'class="edge flow' in result.stdout and "reidentification" in result.stdout
