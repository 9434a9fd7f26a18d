"""`--as-of DATE`: check, draw and explain a map as on another date."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from click.testing import CliRunner

from flowmap.cli import main

WriteMap = Callable[..., Path]

#: an agreement in force for 2015-2019, and an acceptance until the end of 2018
ENDING = """\
map: {id: ending, title: An agreement that ends, as_of: 2017-01-01}
organisations:
  - {id: ird, name: Inland Revenue, kind: government-department}
  - {id: police, name: Police, kind: government-department}
information:
  - {id: tax, name: Tax records, category: personal.tax}
authorities:
  - {id: aisa, title: An AISA, type: aisa, in_force: {from: 2015-01-01, until: 2019-12-31}}
  - {id: ipp11, title: A privacy principle, type: privacy-principle}
flows:
  - {id: ird-police, from: ird, to: police, information: [tax], basis: [aisa]}
  - id: police-ird
    from: police
    to: ird
    information: [tax]
    review:
      - {code: FM201, reason: Interim, until: 2018-12-31}
"""


def findings(path: Path, *options: str) -> dict[str, set[str]]:
    run = CliRunner().invoke(main, ["validate", str(path), "--format", "json", *options])
    found: dict[str, set[str]] = {}
    for f in json.loads(run.output)["findings"]:
        if f["code"].startswith(("FM2", "FM4")):
            state = "accepted" if f.get("accepted") else f["severity"]
            found.setdefault(f["subject"]["id"], set()).add(f"{f['code']} {state}")
    return found


def test_validate_as_of_judges_dates_and_acceptances_on_that_day(write_map: WriteMap) -> None:
    path = write_map(ENDING)
    before = findings(path, "--as-of", "2018-06-01")
    after = findings(path, "--as-of", "2021-06-01")
    assert "ird-police" not in before
    assert any(c.startswith("FM202") for c in after["ird-police"]), after
    assert before["police-ird"] == {"FM201 accepted"}
    assert "FM201 error" in after["police-ird"] and "FM401 warning" in after["police-ird"]


def test_as_of_is_shown_where_the_date_is(write_map: WriteMap, tmp_path: Path) -> None:
    path = write_map(ENDING)
    run = CliRunner().invoke(main, ["validate", str(path), "--as-of", "2021-06-01"])
    assert "as of 2021-06-01" in run.output
    svg = tmp_path / "map.svg"
    run = CliRunner().invoke(main, ["render", str(path), "-o", str(svg), "--as-of", "2021-06-01"])
    assert run.exit_code == 0, run.output
    assert "as of 2021-06-01" in svg.read_text(encoding="utf-8")


def test_a_bad_date_is_a_usage_error(write_map: WriteMap) -> None:
    run = CliRunner().invoke(main, ["validate", str(write_map(ENDING)), "--as-of", "2021-13-01"])
    assert run.exit_code == 2 and "--as-of" in run.output
