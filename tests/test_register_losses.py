"""`flowmap register` says what a register will not give back, before anyone relies on it.

A CSV register is one table of flows: the map's `map:` block, its own items' other keys
(an organisation's privacy facts and `x-` keys, an authority's scope) and items that no
flow names are not in it, so `flowmap import` cannot give them back. The register is still
written, with a warning on stderr naming what is lost and pointing at `--format xlsx`,
which keeps them. A composed map comes back as one map either way: said too.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import yaml
from click.testing import CliRunner, Result

from flowmap.cli import main

MAP = """\
map: {id: own, title: Own map, as_of: 2024-01-01, owner: ngo}
organisations:
  - id: ngo
    name: An NGO
    kind: ngo
    privacy: {statement: "https://ngo.example.nz/privacy"}
    x-contract: C-17
  - {id: ministry, name: Ministry, kind: government-department}
information:
  - {id: client, name: Client record, category: personal.benefit}
authorities:
  - id: ipp11
    title: Privacy Act 2020 IPP 11
    type: privacy-principle
    scope: {information: [personal]}
  - {id: spare-act, title: An Act no flow cites, type: statute}
flows:
  - {id: referral, from: ngo, to: ministry, information: [client], basis: [ipp11],
     x-ticket: T-9}
"""


def run(*args: str | Path) -> Result:
    result = CliRunner().invoke(main, [str(a) for a in args])
    assert result.exit_code in (0, 1), result.output
    return result


def warnings(result: Result) -> list[str]:
    return [line for line in result.stderr.splitlines() if "warning:" in line]


def register(tmp_path: Path, fmt: str, text: str = MAP) -> tuple[Path, Result]:
    source = tmp_path / "map.yaml"
    source.write_text(text, encoding="utf-8")
    out = tmp_path / f"register.{fmt}"
    return out, run("register", source, "--format", fmt, "-o", out)


def imported(tmp_path: Path, register_file: Path) -> dict[str, dict[str, dict[str, object]]]:
    """The sections `flowmap import` wrote from a register, items by id."""
    back = tmp_path / "back"
    result = CliRunner().invoke(main, ["import", str(register_file), "-o", str(back)])
    assert result.exit_code == 0, result.output
    found = {}
    for path in back.glob("*.yaml"):
        for section, items in yaml.safe_load(path.read_text(encoding="utf-8")).items():
            if isinstance(items, list):
                found[section] = {i["id"]: i for i in items}
    return found


def test_csv_register_names_what_it_will_not_give_back(tmp_path: Path) -> None:
    out, result = register(tmp_path, "csv")
    said = warnings(result)
    assert all("--format xlsx" in line for line in said)
    lost = " ".join(said)
    for what in ("as_of", "owner", "privacy", "x-contract", "scope", "spare-act"):
        assert what in lost, what
    # the register is still written, and its flows carry their own keys
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert [r["Flow"] for r in rows] == ["referral"] and rows[0]["x-ticket"] == "T-9"
    # and what it said is what an import of it indeed lacks
    back = imported(tmp_path, out)
    ngo = next(o for o in back["organisations"].values() if o["name"] == "An NGO")
    assert "privacy" not in ngo and "x-contract" not in ngo
    assert "spare-act" not in back["authorities"]
    assert back["flows"]["referral"]["x-ticket"] == "T-9"


def test_xlsx_register_of_the_same_map_loses_nothing_and_says_nothing(tmp_path: Path) -> None:
    out, result = register(tmp_path, "xlsx")
    assert warnings(result) == []
    back = imported(tmp_path, out)
    assert back["organisations"]["ngo"]["x-contract"] == "C-17"
    assert back["organisations"]["ngo"]["privacy"] == {
        "statement": "https://ngo.example.nz/privacy"}
    assert back["authorities"]["ipp11"]["scope"] == {"information": ["personal"]}
    assert "spare-act" in back["authorities"]


def test_a_map_csv_keeps_whole_is_written_without_a_warning(tmp_path: Path) -> None:
    plain = """\
map: {id: plain, title: Plain}
organisations:
  - {id: an-ngo, name: An NGO, kind: other}
  - {id: ministry, name: Ministry, kind: other}
information:
  - {id: client-record, name: Client record, category: personal.benefit}
flows:
  - {id: referral, from: an-ngo, to: ministry, information: [client-record]}
"""
    _, result = register(tmp_path, "csv", plain)
    assert warnings(result) == []


def test_a_composed_map_says_its_owners_are_not_reconciled_after_import(
        tmp_path: Path) -> None:
    agency = tmp_path / "agency"
    agency.mkdir()
    (agency / "map.yaml").write_text(MAP.replace("id: own,", "id: agency,"),
                                     encoding="utf-8")
    (tmp_path / "sector.yaml").write_text(
        "map: {id: sector, title: Sector, as_of: 2024-01-01}\ninclude: [agency]\n",
        encoding="utf-8")
    for fmt in ("csv", "xlsx"):
        result = run("register", tmp_path / "sector.yaml", "--format", fmt,
                     "-o", tmp_path / f"sector.{fmt}")
        composed = [line for line in warnings(result) if "composed" in line]
        assert len(composed) == 1 and "FM503" in composed[0] and "FM504" in composed[0]


def test_a_workbooks_own_sheet_called_map_is_left_alone(tmp_path: Path) -> None:
    import openpyxl

    book = openpyxl.Workbook()
    flows = book.active
    assert flows is not None
    flows.append(["From", "To", "Information"])
    flows.append(["An NGO", "Ministry", "Client record"])
    picture = book.create_sheet("Map")
    picture.append(["Region", "Office"])
    picture.append(["Auckland", "Central"])
    book.save(tmp_path / "register.xlsx")
    result = CliRunner().invoke(main, ["import", str(tmp_path / "register.xlsx"),
                                       "-o", str(tmp_path / "back")])
    assert result.exit_code == 0, result.output
    data = yaml.safe_load((tmp_path / "back" / "map.yaml").read_text(encoding="utf-8"))
    assert data["map"]["id"] == "back" and not [
        line for line in result.stderr.splitlines() if "Map" in line]
