"""A bad optional value never hides a flow, and one mistake gives one error (issues 13, 14).

A flow (or any item) whose optional fields are wrong is kept without them, and the
wrong field is reported where it is written; only a wrong id, from, to or
information refuses a flow. No output claims a complete, justified map while
part of it could not be read.
"""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path
from typing import Any

from click.testing import CliRunner, Result

from flowmap.cli import main

WriteMap = Callable[..., Path]

MAP = """\
map: {{id: t, title: T, as_of: 2024-01-01}}
organisations:
  - {{id: ngo, name: An NGO, kind: ngo}}
  - {{id: msd, name: Ministry, kind: government-department}}
information:
  - {{id: client, name: Client record, category: personal.benefit}}
authorities:
  - {{id: ipp11, title: Privacy Act 2020 IPP 11, type: privacy-principle}}
flows:
  - {{id: referral, from: ngo, to: msd, information: [client], basis: [ipp11]}}
  - {{id: {flow}, from: msd, to: ngo, information: [client], basis: [ipp11], {bad}}}
"""


def invoke(*args: str | Path) -> Result:
    return CliRunner().invoke(main, [str(a) for a in args])


def findings(path: Path) -> list[dict[str, Any]]:
    result = invoke("validate", "--format", "json", path)
    return list(json.loads(result.stdout)["findings"])


def test_a_flow_with_a_bad_optional_value_is_drawn_registered_and_unjustified(
        write_map: WriteMap, tmp_path: Path) -> None:
    path = write_map(MAP.format(flow="hidden", bad="frequency: fortnightly"))
    found = findings(path)
    assert [(f["code"], f["subject"]["id"], f["location"]["line"]) for f in found] == [
        ("FM005", "hidden", 11)]
    register = invoke("register", path, "--format", "csv")
    assert register.exit_code == 0
    rows = {r["Flow"]: r for r in csv.DictReader(io.StringIO(register.stdout))}
    assert rows["hidden"]["Status"] == "unjustified"
    assert rows["hidden"]["Frequency"] == ""
    out = tmp_path / "map.svg"
    invoke("render", path, "-o", out)
    drawn = {g.get("id"): (g.get("class") or "").split()
             for g in ET.parse(out).getroot().iter("{http://www.w3.org/2000/svg}g")}
    assert "unjustified" in drawn["flow-hidden"]


def test_a_malformed_review_code_keeps_the_flow(write_map: WriteMap) -> None:
    path = write_map(MAP.format(flow="reviewed",
                                bad="review: [{code: FM2O1, reason: Interim}]"))
    assert {(f["code"], f["subject"]["id"]) for f in findings(path)} == {("FM006", "reviewed")}
    register = invoke("register", path, "--format", "csv")
    assert "reviewed" in {r["Flow"] for r in csv.DictReader(io.StringIO(register.stdout))}


def test_the_html_banner_never_says_all_justified_when_an_item_was_not_read(
        write_map: WriteMap, tmp_path: Path) -> None:
    path = write_map(MAP.format(flow="refused", bad="until: 2024-01-01").replace(
        "from: msd, to: ngo", "from: Ministry, to: ngo"))
    out = tmp_path / "report.html"
    invoke("render", path, "-o", out)
    page = out.read_text()
    assert "No flow in this view lacks a valid legal basis" not in page
    assert "Not the whole map" in page and "1 part was not read" in page


def test_the_markdown_register_says_the_map_is_incomplete(write_map: WriteMap) -> None:
    path = write_map(MAP.format(flow="Bad Id", bad="until: 2024-01-01"))
    text = invoke("register", path).stdout
    assert "Not the whole map" in text
    complete = write_map(MAP.format(flow="good", bad="until: 2024-01-01"))
    assert "Not the whole map" not in invoke("register", complete).stdout


def test_a_wrong_scope_never_lets_its_authority_cover_everything(write_map: WriteMap) -> None:
    path = write_map(MAP.format(flow="second", bad="until: 2024-01-01").replace(
        "type: privacy-principle}", "type: privacy-principle, scope: {from: ngo}}"))
    found = findings(path)
    assert {f["code"] for f in found} == {"FM005", "FM111"}
    result = invoke("register", path, "--format", "csv")
    statuses = {r["Flow"]: r["Status"] for r in csv.DictReader(io.StringIO(result.stdout))}
    assert statuses == {"referral": "unjustified", "second": "unjustified"}


def test_a_flow_ending_before_it_starts_is_refused_field_reported(write_map: WriteMap) -> None:
    path = write_map(MAP.format(flow="backwards", bad="since: 2023-05-01, until: 2022-01-01"))
    found = findings(path)
    assert [(f["code"], f["location"]["line"]) for f in found] == [("FM005", 11)]
    assert "before it starts" in found[0]["message"]


# -- one error for one mistake (issue 13) ------------------------------------------------

def test_a_malformed_as_of_is_one_finding_and_keeps_the_catalogue(write_map: WriteMap) -> None:
    path = write_map(MAP.format(flow="second", bad="until: 2024-01-01").replace(
        "as_of: 2024-01-01}", "as_of: 2024-13-01, catalogues: [nz]}").replace(
        "basis: [ipp11]}", "basis: [privacy-act-2020.ipp11-1-a]}", 1))
    found = findings(path)
    # the rest of the `map:` block is kept: the catalogue is loaded and cited
    assert [f["code"] for f in found if f["code"] < "FM200"] == ["FM007"], found
    assert "no month 13" in found[0]["message"]


def test_a_tab_in_one_file_adds_no_unused_warnings(write_map: WriteMap) -> None:
    text = MAP.format(flow="second", bad="until: 2024-01-01")
    head, flows = text.split("flows:\n")
    path = write_map({"map.yaml": head, "flows.yaml": "flows:\n" + flows.replace(
        "  - {id: second", "\t- {id: second")})
    assert [f["code"] for f in findings(path)] == ["FM002"]


def test_an_impossible_date_says_it_does_not_exist(write_map: WriteMap) -> None:
    path = write_map(MAP.format(flow="second", bad="since: 2019-02-30"))
    [found] = findings(path)
    assert found["code"] == "FM007"
    assert "does not exist" in found["message"] and "February 2019 has 28 days" in \
        found["message"]


def test_everyday_words_name_the_vocabulary_value(write_map: WriteMap) -> None:
    path = write_map(MAP.format(flow="second", bad="identifiability: Anonymised"))
    [found] = findings(path)
    assert "'de-identified'" in found["message"]
    path = write_map(MAP.format(flow="second", bad="frequency: fortnightly"))
    [found] = findings(path)
    assert "'weekly' or 'monthly'" in found["message"]

