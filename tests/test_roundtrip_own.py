"""An agency's own `x-` keys on flows survive `flowmap register` then `flowmap import`.

The register writes a column per own key, headed by the key; the import reads any
column headed `x-...` back into that key, with the value it had (text, a number,
true/false, a date, a list, text that looks like a number)."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from flowmap.cli import main
from tests.conftest import CLEAN

MAP = CLEAN.split("flows:\n")[0] + """\
flows:
  - id: referral
    from: ngo
    to: msd
    information: [client]
    basis: [ipp11]
    x-contract-number: C-2024-17
    x-review-date: 2025-01-01
    x-records: 1200
    x-ok: true
    x-ref: '00123'
    x-count-text: '12'
    x-teams: [Intake, Case management]
  - id: report
    from: msd
    to: ngo
    information: [client]
    basis: [ipp11]
    x-contract-number: "=HYPERLINK(\\"http://bad\\")"
"""


def own_keys(directory: Path) -> dict[str, dict[str, Any]]:
    """Each flow's own keys, as the map's flows.yaml says."""
    text = (directory / "flows.yaml").read_text(encoding="utf-8")
    flows = yaml.safe_load(text)["flows"]
    return {f["id"]: {k: v for k, v in f.items() if k.startswith("x-")} for f in flows}


def register_then_import(tmp_path: Path, fmt: str) -> Path:
    source = tmp_path / "map.yaml"
    source.write_text(MAP, encoding="utf-8")
    exported = tmp_path / f"register.{fmt}"
    result = CliRunner().invoke(main, ["register", str(source), "--format", fmt,
                                       "-o", str(exported)])
    assert result.exit_code == 0, result.output
    back = tmp_path / "back"
    result = CliRunner().invoke(main, ["import", str(exported), "-o", str(back)])
    assert result.exit_code == 0, result.output
    assert "x-" not in result.output  # no warning about the own columns
    return back


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_own_keys_come_back_as_they_were(tmp_path: Path, fmt: str) -> None:
    back = register_then_import(tmp_path, fmt)
    written = yaml.safe_load(MAP)["flows"]
    assert own_keys(back) == {f["id"]: {k: v for k, v in f.items() if k.startswith("x-")}
                              for f in written}
    result = CliRunner().invoke(main, ["validate", str(back)])  # (a CSV's bases are stubs)
    assert result.exit_code in (0, 1) and "x-" not in result.output, result.output


def test_the_csv_register_has_a_column_per_own_key(tmp_path: Path) -> None:
    source = tmp_path / "map.yaml"
    source.write_text(MAP, encoding="utf-8")
    result = CliRunner().invoke(main, ["register", str(source), "--format", "csv"])
    rows = list(csv.DictReader(io.StringIO(result.stdout.lstrip("\ufeff"))))
    referral = next(r for r in rows if r["Flow"] == "referral")
    assert {k: v for k, v in referral.items() if k.startswith("x-")} == {
        "x-contract-number": "C-2024-17", "x-count-text": '"12"', "x-ok": "true",
        "x-records": "1200", "x-ref": "00123", "x-review-date": "2025-01-01",
        "x-teams": "[Intake, Case management]"}
    report = next(r for r in rows if r["Flow"] == "report")
    assert report["x-records"] == ""  # a key the flow does not carry is an empty cell
    assert report["x-contract-number"].startswith("'=")  # never a formula


def test_an_own_column_a_person_added_is_imported(tmp_path: Path) -> None:
    register = tmp_path / "register.csv"
    register.write_text("From,To,Information,x-owner,x-ticket\n"
                        "An NGO,Ministry,Client record,Service design team,\n"
                        "Ministry,An NGO,Client record,,42\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["import", str(register), "-o", str(tmp_path / "m")])
    assert result.exit_code == 0, result.output
    assert list(own_keys(tmp_path / "m").values()) == [  # in the order of the rows
        {"x-owner": "Service design team"}, {"x-ticket": 42}]
