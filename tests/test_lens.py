"""The Data Protection and Use Policy lens on the static picture (issue 12): `--finding
FM6` draws only the flows with policy findings, and `--lens dpup` marks them in purple
beside their legal status, which it never replaces."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path

from click.testing import CliRunner

from flowmap.cli import main
from flowmap.render.lens import LENS_COLOUR
from tests.conftest import CLEAN
from tests.svgflows import SVG, drawn_flows, edge_of

WriteMap = Callable[..., Path]

#: 'told' records notice and choice; 'untold' does not (FM603, FM604); 'nobasis' has
#: no legal basis as well as the policy findings
MAP = CLEAN.split("flows:")[0] + """\
flows:
  - id: told
    from: ngo
    to: msd
    information: [client]
    basis: [ipp11]
    privacy: {notice: {how: Told at intake}, choice: {offered: consent}}
  - {id: untold, from: ngo, to: msd, information: [client], basis: [ipp11]}
  - {id: nobasis, from: msd, to: ngo, information: [client]}
"""


def draw(source: Path, out: Path, *options: str) -> ET.Element:
    result = CliRunner().invoke(main, ["render", str(source), "-o", str(out), *options])
    assert result.exit_code == 0, result.output
    return ET.parse(out).getroot()


def group(root: ET.Element, gid: str) -> ET.Element:
    return next(g for g in root.iter(f"{SVG}g") if g.get("id") == gid)


def strokes(element: ET.Element) -> list[str]:
    return [p.get("stroke", "").lower() for p in element.iter(f"{SVG}path")]


def words(element: ET.Element) -> str:
    return " ".join(t.text or "" for t in element.iter(f"{SVG}text"))


def test_the_lens_marks_policy_findings_beside_the_legal_status(write_map: WriteMap,
                                                                tmp_path: Path) -> None:
    root = draw(write_map(MAP), tmp_path / "map.svg", "--lens", "dpup")
    flows, edges = drawn_flows(root), edge_of(root)
    # a flow the lens marks keeps an edge of its own, beside the one it would share
    assert edges["untold"] == "flow-untold" and edges["told"] == "flow-told"
    assert "dpup" in flows["untold"] and "dpup" not in flows["told"]
    untold = group(root, "flow-untold")
    assert LENS_COLOUR in strokes(untold) and len(set(strokes(untold))) == 2  # status too
    assert "policy: FM603, FM604" in words(untold)
    assert LENS_COLOUR not in strokes(group(root, "flow-told"))
    # no legal basis: still the heavy double line, never purple; the label names the codes
    nobasis = group(root, "flow-nobasis")
    assert {"unjustified", "dpup"} <= flows["nobasis"]
    assert len(strokes(nobasis)) == 3 and LENS_COLOUR not in strokes(nobasis)
    assert "NO VALID BASIS" in words(nobasis) and "policy: FM603, FM604" in words(nobasis)
    assert "Data Protection and Use Policy finding" in words(group(root, "legend"))


def test_without_the_lens_nothing_is_purple(write_map: WriteMap, tmp_path: Path) -> None:
    root = draw(write_map(MAP), tmp_path / "map.svg")
    assert all(LENS_COLOUR not in strokes(g) for g in root.iter(f"{SVG}g"))
    assert "policy:" not in words(root)
    assert edge_of(root)["told"] == edge_of(root)["untold"]  # merged, as by default


def test_finding_fm6_draws_only_the_flows_with_policy_findings(write_map: WriteMap,
                                                               tmp_path: Path) -> None:
    root = draw(write_map(MAP), tmp_path / "map.svg", "--finding", "FM6", "--lens", "dpup")
    assert set(drawn_flows(root)) == {"untold", "nobasis"}
    only = draw(write_map(MAP), tmp_path / "only.svg", "--finding", "FM201")
    assert set(drawn_flows(only)) == {"nobasis"}


def test_the_lens_reaches_the_html_report_and_png(write_map: WriteMap,
                                                  tmp_path: Path) -> None:
    source = write_map(MAP)
    page = CliRunner().invoke(main, ["render", str(source), "-o", str(tmp_path / "r.html"),
                                     "--lens", "dpup"])
    assert page.exit_code == 0, page.output
    text = (tmp_path / "r.html").read_text(encoding="utf-8")
    # the page selects the flow on the edge the lens gave it
    assert 'id="flow&#45;untold"' in text and '"edge":"flow-untold"' in text
    assert LENS_COLOUR in text
    png = CliRunner().invoke(main, ["render", str(source), "-o", str(tmp_path / "m.png"),
                                    "--lens", "dpup"])
    assert png.exit_code == 0 and (tmp_path / "m.png").read_bytes()[:4] == b"\x89PNG"
