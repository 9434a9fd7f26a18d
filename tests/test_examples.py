"""The example maps under flows/: they load cleanly and render every flow they declare.

The examples are written alongside the code; these tests take whatever maps
exist and skip (saying why) when there are none.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from click.testing import CliRunner

from flowmap.cli import main
from flowmap.check.validate import Result, check
from tests.conftest import EXAMPLES, TODAY
from tests.svgflows import drawn_flows

SVG = "{http://www.w3.org/2000/svg}"
STATUSES = {"unjustified", "accepted", "warning", "justified"}
ICLD = EXAMPLES / "icld-2017"


def _examples() -> list[Path]:
    if not EXAMPLES.is_dir():
        return []
    return sorted(p for p in EXAMPLES.iterdir()
                  if p.is_dir() and any(p.rglob("*.yaml")) or p.suffix in (".yaml", ".yml"))


EXAMPLE_PARAMS = [pytest.param(p, id=p.name) for p in _examples()] or [
    pytest.param(None, id="none", marks=pytest.mark.skip(
        reason=f"no example maps under {EXAMPLES} yet"))]


def _flow_groups(svg: Path) -> dict[str, set[str]]:
    return drawn_flows(svg)


def _render(example: Path, out: Path) -> None:
    result = CliRunner().invoke(main, ["render", str(example), "-o", str(out)])
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize("example", EXAMPLE_PARAMS)
def test_example_has_no_file_or_reference_findings(example: Path) -> None:
    result = check(example, today=TODAY)
    bad = [f"{f.location}: {f.code} {f.message}" for f in result.findings
           if f.code.startswith(("FM0", "FM1")) and f.code != "FM014"]
    assert not bad, "\n".join(bad)
    assert result.map.flows, "the example declares no flows"
    assert result.map.map_origin is not None, "the example has no `map:` block"


@pytest.mark.parametrize("example", EXAMPLE_PARAMS)
def test_example_renders_every_flow(example: Path, tmp_path: Path) -> None:
    result = check(example, today=TODAY)
    out = tmp_path / f"{example.name}.svg"
    _render(example, out)
    flows = _flow_groups(out)
    assert set(flows) == set(result.map.flows)
    for fid, classes in flows.items():
        assert {"flow", "flows"} & classes and len(STATUSES & classes) == 1, (fid, classes)
    root = ET.parse(out).getroot()
    orgs = {g.get("id", "")[len("org-"):] for g in root.iter(f"{SVG}g")
            if g.get("id", "").startswith("org-")}
    ends = {end for f in result.map.flows.values() for end in (f.from_, f.to)}
    assert ends <= orgs
    assert result.map.info.title in {t.text for t in root.iter(f"{SVG}title")}


def _statuses(result: Result) -> dict[str, str]:
    return {fid: result.flow_status(fid) for fid in result.map.flows}


@pytest.mark.skipif(not ICLD.is_dir(), reason=f"{ICLD} has not been written yet")
def test_icld_2017_has_an_unjustified_flow_and_fails_validation(tmp_path: Path) -> None:
    out = tmp_path / "icld.svg"
    _render(ICLD, out)
    assert any("unjustified" in classes for classes in _flow_groups(out).values())
    assert "unjustified" in _statuses(check(ICLD, today=TODAY)).values()
    validated = CliRunner().invoke(main, ["validate", str(ICLD)])
    assert validated.exit_code == 1, validated.output
