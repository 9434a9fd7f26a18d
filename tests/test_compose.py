"""Composing maps: several paths on the command line, and `include:` (issue 6, part 1)."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from flowmap.cli import main
from flowmap.load.loader import load
from tests.svgflows import drawn_flows

IRD = """\
map: {id: ird-map, title: IR's map, owner: ird, as_of: 2024-01-01}
organisations:
  - {id: ird, name: Inland Revenue, kind: government-department}
  - {id: acc, name: ACC, kind: crown-entity}
information:
  - {id: earnings, name: Earnings, category: personal.tax}
authorities:
  - {id: law, title: A law, type: statute, scope: {from: [ird], to: [acc]}}
flows:
  - {id: ird-sends-earnings, from: ird, to: acc, information: [earnings], basis: [law]}
"""
ACC = """\
map: {id: acc-map, title: ACC's map, owner: acc, as_of: 2025-01-01}
organisations:
  - {id: acc, name: ACC, kind: crown-entity}
  - {id: ird, name: Inland Revenue, kind: government-department}
information:
  - {id: earnings, name: Earnings, category: personal.tax}
flows:
  - {id: acc-gets-earnings, from: ird, to: acc, information: [earnings], basis: [law]}
"""


def write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def validate_json(*args: str | Path) -> tuple[int, dict[str, object]]:
    result = CliRunner().invoke(main, ["validate", "--format", "json", *map(str, args)])
    assert result.exit_code in (0, 1), result.output
    return result.exit_code, json.loads(result.output)


def test_several_maps_on_the_command_line_compose(tmp_path: Path) -> None:
    write(tmp_path, {"ird/map.yaml": IRD, "acc/map.yaml": ACC})
    code, report = validate_json(tmp_path / "ird", tmp_path / "acc")
    assert code == 0, report
    assert report["map"] == "ird-map-acc-map"
    loaded = load([tmp_path / "ird", tmp_path / "acc"]).map
    assert set(loaded.flows) == {"ird-sends-earnings", "acc-gets-earnings"}
    assert loaded.info.title == "IR's map + ACC's map"
    assert loaded.as_of.isoformat() == "2025-01-01"  # the latest of the maps' dates
    assert [c.owner for c in loaded.components] == ["ird", "acc"]


def test_include_composes_and_names_both_files_on_conflict(tmp_path: Path) -> None:
    write(tmp_path, {
        "ird/map.yaml": IRD,
        "acc/map.yaml": ACC.replace("kind: crown-entity", "kind: other"),
        "sector/map.yaml": "map: {id: sector, title: Sector, as_of: 2024-06-01}\n"
                           "include: [../ird, ../acc]\n",
    })
    code, report = validate_json(tmp_path / "sector", "--root", tmp_path)
    findings = report["findings"]
    assert isinstance(findings, list)
    conflict = [f for f in findings if f["code"] == "FM501"]
    assert len(conflict) == 1 and code == 1
    assert conflict[0]["location"]["file"].endswith("acc/map.yaml")
    assert "ird/map.yaml" in conflict[0]["message"]
    assert report["map"] == "sector"


def test_flow_ids_clash_across_maps(tmp_path: Path) -> None:
    write(tmp_path, {"ird/map.yaml": IRD,
                     "acc/map.yaml": ACC.replace("acc-gets-earnings", "ird-sends-earnings")})
    code, report = validate_json(tmp_path / "ird", tmp_path / "acc")
    findings = report["findings"]
    assert isinstance(findings, list)
    clash = [f for f in findings if f["code"] == "FM101"]
    assert code == 1 and len(clash) == 1
    assert "ird/map.yaml" in clash[0]["message"]


def test_include_cycles_and_overlaps_read_each_file_once(tmp_path: Path) -> None:
    write(tmp_path, {
        "a/map.yaml": "map: {id: a, title: A, as_of: 2024-01-01}\ninclude: [../b]\n" + IRD[
            IRD.index("organisations"):],
        "b/map.yaml": "map: {id: b, title: B, as_of: 2024-01-01}\ninclude: [../a]\n",
    })
    code, report = validate_json(tmp_path / "a", tmp_path / "a" / "map.yaml",
                                 "--root", tmp_path)
    assert code == 0, report
    loaded = load(tmp_path / "a", tree=tmp_path).map
    assert [c.id for c in loaded.components] == ["a", "b"]


def test_render_never_overwrites_an_included_file(tmp_path: Path) -> None:
    write(tmp_path, {"ird/map.yaml": IRD,
                     "sector/map.yaml": "map: {id: s, title: S}\ninclude: [../ird]\n"})
    before = (tmp_path / "ird" / "map.yaml").read_bytes()
    result = CliRunner().invoke(main, ["render", str(tmp_path / "sector"), "-o",
                                       str(tmp_path / "ird" / "map.yaml"), "--format", "dot",
                                       "--root", str(tmp_path)])
    assert result.exit_code != 0
    assert (tmp_path / "ird" / "map.yaml").read_bytes() == before


def test_every_command_takes_several_maps(tmp_path: Path) -> None:
    write(tmp_path, {"ird/map.yaml": IRD, "acc/map.yaml": ACC})
    out = tmp_path / "both.svg"
    runner = CliRunner()
    render = runner.invoke(main, ["render", str(tmp_path / "ird"), str(tmp_path / "acc"),
                                  "-o", str(out)])
    assert render.exit_code == 0, render.output
    assert "acc-gets-earnings" in drawn_flows(out)
    register = runner.invoke(main, ["register", str(tmp_path / "ird"), str(tmp_path / "acc"),
                                    "--format", "csv"])
    assert register.exit_code == 0 and "acc-gets-earnings" in register.output


def test_catalogue_organisation_redeclared_as_the_catalogue_has_it_is_no_conflict(
        tmp_path: Path) -> None:
    """Issue 14 item 2: a value left out compares as its default, not as different."""
    org = "organisations:\n  - {id: ird, name: Inland Revenue, kind: government-department}\n"
    write(tmp_path, {
        "a/map.yaml": "map: {id: a, title: A, as_of: 2024-01-01, catalogues: [nz]}\n" + org,
        "b/map.yaml": "map: {id: b, title: B, as_of: 2024-01-01, catalogues: [nz]}\n" + org,
        "c/map.yaml": "map: {id: c, title: C, as_of: 2024-01-01}\norganisations:\n"
                      "  - {id: ngo, name: N, kind: ngo, country: NZ}\n",
        "d/map.yaml": "map: {id: d, title: D, as_of: 2024-01-01}\norganisations:\n"
                      "  - {id: ngo, name: N, kind: ngo}\n",
        "e/map.yaml": "map: {id: e, title: E, as_of: 2024-01-01}\norganisations:\n"
                      "  - {id: ngo, name: N, kind: ngo, country: AU}\n",
    })
    _, report = validate_json(tmp_path / "a", tmp_path / "b", tmp_path / "c", tmp_path / "d")
    findings = report["findings"]
    assert isinstance(findings, list)
    assert "FM501" not in {f["code"] for f in findings}, findings
    _, report = validate_json(tmp_path / "d", tmp_path / "e")
    findings = report["findings"]
    assert isinstance(findings, list)
    assert [f["code"] for f in findings if f["code"] == "FM501"] == ["FM501"]
