"""A map written as a register and imported again is the same map.

XLSX carries everything: the flows sheet (with a column for every flow key the
named columns do not hold) and a sheet per section of the map's own items. CSV
is one table: the flows and all their keys come back; organisations, information
and purposes are made from their names again.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from flowmap.cli import main
from flowmap.author.roundtrip import NAMED, columns
from flowmap.check.validate import Result, check
from tests.conftest import EXAMPLES

TODAY = dt.date(2026, 1, 1)
MAPS = sorted(p for p in EXAMPLES.iterdir() if p.is_dir())
#: findings about composed maps' owners (a register is one table, not the maps it came from)
COMPOSITION = "FM5"


def run(*args: str | Path) -> str:
    result = CliRunner().invoke(main, [str(a) for a in args])
    assert result.exit_code in (0, 1), result.output
    return result.stdout


def through(example: Path, tmp_path: Path, fmt: str) -> Path:
    exported = tmp_path / f"register.{fmt}"
    run("register", example, "--format", fmt, "-o", exported)
    result = CliRunner().invoke(main, ["import", str(exported), "-o", str(tmp_path / "back"),
                                       "--catalogue", "nz"])
    assert result.exit_code == 0, result.output
    return tmp_path / "back"


def own(result: Result, section: str) -> dict[str, dict[str, Any]]:
    m = result.map
    return {i: item.model_dump() for i, item in getattr(m, section).items()
            if not m.from_catalogue(section, i)}


def findings(result: Result) -> list[tuple[str, str, str]]:
    return sorted((f.code, f.subject.kind, f.subject.id) for f in result.findings
                  if not f.code.startswith(COMPOSITION))


@pytest.mark.parametrize("example", MAPS, ids=lambda p: p.name)
def test_xlsx_register_gives_back_the_same_map(tmp_path: Path, example: Path) -> None:
    before = check(example, today=TODAY)
    after = check(through(example, tmp_path, "xlsx"), today=TODAY)
    for section in ("flows", "organisations", "information", "purposes", "authorities"):
        assert own(after, section) == own(before, section), section
    assert findings(after) == findings(before)


def flow_keys(result: Result) -> dict[str, dict[str, Any]]:
    """What a CSV register carries of each flow besides names: every key but the ids of
    the items it names (which an import makes from the names again)."""
    kept = {c.path.split(".")[0] for c in columns()} | {"identifiability", "status",
                                                          "frequency", "description"}
    return {fid: {k: v for k, v in flow.model_dump(by_alias=True).items() if k in kept}
            for fid, flow in result.map.flows.items()}


@pytest.mark.parametrize("example", MAPS, ids=lambda p: p.name)
def test_csv_register_gives_back_the_same_flows(tmp_path: Path, example: Path) -> None:
    before = check(example, today=TODAY)
    after = check(through(example, tmp_path, "csv"), today=TODAY)
    assert flow_keys(after) == flow_keys(before)

    def rows(path: Path) -> list[dict[str, str]]:
        text = run("register", path, "--format", "csv")
        return [{k: v for k, v in r.items() if k not in ("Status", "Findings", "basis")}
                for r in csv.DictReader(io.StringIO(text))]

    strip = [{**r, "Legal basis": r["Legal basis"].replace(" (unverified)", "")}
             for r in rows(tmp_path / "back")]
    assert strip == [{**r, "Legal basis": r["Legal basis"].replace(" (unverified)", "")}
                     for r in rows(example)]


def test_every_flow_key_has_a_column() -> None:
    """Every key the format gives a flow (in the schema the models publish) has a
    column, so a key added to the model gets one without more code."""
    from flowmap.model.schema import map_schema

    have = NAMED | {c.path.split(".")[0] for c in columns()}
    assert set(map_schema()["$defs"]["Flow"]["properties"]) <= have


def test_a_changed_legal_basis_wins_over_the_ids_beside_it(tmp_path: Path) -> None:
    """The register's basis ids only name what its Legal basis cell says: a person who
    rewrites the citation is believed."""
    exported = tmp_path / "register.csv"
    run("register", EXAMPLES / "ird", "--format", "csv", "-o", exported)
    rows = list(csv.DictReader(io.StringIO(exported.read_text(encoding="utf-8-sig"))))
    rows[0]["Legal basis"] = "Privacy Act 2020, s 22, IPP 12"
    with exported.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    result = CliRunner().invoke(main, ["import", str(exported), "-o", str(tmp_path / "m"),
                                       "--catalogue", "nz"])
    assert result.exit_code == 0, result.output
    flow = check(tmp_path / "m", today=TODAY).map.flows[rows[0]["Flow"]]
    assert flow.basis == ("privacy-act-2020.ipp12",)
