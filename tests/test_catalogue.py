"""`flowmap catalogue`: listing and showing the built-in legal authorities.

Tests on the shipped catalogue assume nothing about what it holds (it grows);
they check that what is listed can be shown, parses, and is complete. The
fixture catalogue under tests/fixtures/catalogue pins the details.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from flowmap.load.catalogue import DEFAULT_CATALOGUE, Catalogue, CatalogueError, load_catalogue
from flowmap.cli import main
from flowmap.load.loader import available_catalogues
from flowmap.report.catalogue import list_json, list_text, one_line, show_json, show_text

FIXTURE = Path(__file__).parent / "fixtures" / "catalogue"


def invoke(*args: str) -> Result:
    result = CliRunner().invoke(main, ["catalogue", *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result


def listed() -> dict[str, Any]:
    result = invoke("list", "--format", "json")
    assert result.exit_code == 0, result.stderr
    document: dict[str, Any] = json.loads(result.stdout)
    return document


def text_ids(out: str) -> list[str]:
    """The ids of a text listing: first word of each row between header and footer."""
    table = out.split("\n\n", 1)[0]  # the table and footer, before what is unsettled
    header, *rows, footer = table.splitlines()
    assert header.split()[:2] == ["ID", "TYPE"]
    assert "catalogue" in footer
    return [row.split()[0] for row in rows]


# -- the shipped catalogue, whatever it holds -----------------------------------

def test_default_catalogue_is_shipped() -> None:
    assert DEFAULT_CATALOGUE in available_catalogues()


def test_list_json_parses_and_is_complete() -> None:
    document = listed()
    assert document["catalogue"] == DEFAULT_CATALOGUE
    assert document["problems"] == []
    ids = [a["id"] for a in document["authorities"]]
    assert ids == sorted(ids) and len(ids) == len(set(ids))
    for authority in document["authorities"]:
        assert authority["url"], f"{authority['id']} has no url"
        assert authority["url"].startswith(("https://", "http://"))
        assert authority["citation"] and authority["title"]
        assert authority["location"]["file"].startswith(f"catalogue:{DEFAULT_CATALOGUE}/")


def test_text_list_has_one_line_per_authority() -> None:
    result = invoke("list")
    assert result.exit_code == 0
    assert text_ids(result.stdout) == [a["id"] for a in listed()["authorities"]]


def test_bare_command_lists() -> None:
    assert invoke().stdout == invoke("list").stdout
    assert json.loads(invoke("--format", "json").stdout) == listed()


def test_every_listed_authority_can_be_shown() -> None:
    for authority in listed()["authorities"]:
        text = invoke("show", authority["id"])
        assert text.exit_code == 0, text.stderr
        assert text.stdout.splitlines()[0] == authority["id"]
        assert authority["url"] in text.stdout
        shown = json.loads(invoke("show", authority["id"], "--format", "json").stdout)
        assert shown == authority


def test_options_before_the_subcommand_apply_to_it() -> None:
    ids = [a["id"] for a in listed()["authorities"]]
    if not ids:
        pytest.skip("the shipped catalogue is empty")
    after = invoke("show", ids[0], "--format", "json", "--catalogue", DEFAULT_CATALOGUE)
    before = invoke("--format", "json", "--catalogue", DEFAULT_CATALOGUE, "show", ids[0])
    assert json.loads(before.stdout) == json.loads(after.stdout)


def test_unknown_id_is_one_line_with_a_suggestion() -> None:
    ids = [a["id"] for a in listed()["authorities"]]
    if not ids:
        pytest.skip("the shipped catalogue is empty")
    result = invoke("show", ids[0] + "x")
    assert result.exit_code == 2
    assert result.stdout == ""
    [line] = result.stderr.splitlines()
    assert f"did you mean {ids[0]!r}" in line


def test_unknown_catalogue_is_one_line_with_a_suggestion() -> None:
    result = invoke("list", "--catalogue", DEFAULT_CATALOGUE + "z")
    assert result.exit_code == 2
    [line] = result.stderr.splitlines()
    assert f"did you mean {DEFAULT_CATALOGUE!r}" in line
    assert "available:" in line


def test_unknown_catalogue_cannot_reach_outside_the_catalogues() -> None:
    result = invoke("list", "--catalogue", "../report")
    assert result.exit_code == 2


def test_list_from_a_real_process() -> None:
    run = subprocess.run([sys.executable, "-m", "flowmap", "catalogue", "list", "--format",
                          "json"], capture_output=True, text=True, encoding="utf-8", check=False)
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout)["catalogue"] == DEFAULT_CATALOGUE


def test_show_unknown_from_the_console_script() -> None:
    script = Path(sys.executable).with_name("flowmap")
    run = subprocess.run([str(script), "catalogue", "show", "no-such-authority"],
                         capture_output=True, text=True, encoding="utf-8", check=False)
    assert run.returncode == 2
    assert run.stdout == ""
    assert len(run.stderr.splitlines()) == 1
    assert "Traceback" not in run.stderr


# -- the fixture catalogue: details ----------------------------------------------

@pytest.fixture
def fixture_catalogue() -> Catalogue:
    return load_catalogue("test", folder=FIXTURE)


def test_fixture_entries_are_read_sorted_with_their_places(fixture_catalogue: Catalogue) -> None:
    assert list(fixture_catalogue.authorities) == [
        "act.s1", "condition.overseas", "matching.s9", "sharing.order-2019"]
    assert list(fixture_catalogue.classes) == ["test-class"]
    assert list(fixture_catalogue.organisations) == ["agency-a", "agency-b"]
    assert list(fixture_catalogue.purposes) == ["checking"]
    where = fixture_catalogue.where("authorities", "sharing.order-2019")
    assert where is not None
    assert (where.file, where.line) == ("catalogue:test/authorities.yaml", 4)


def test_fixture_problems_are_findings_not_exceptions(fixture_catalogue: Catalogue) -> None:
    codes = {(f.code, f.subject.id) for f in fixture_catalogue.problems}
    assert ("FM101", "act.s1") in codes  # declared twice: the first is kept
    assert ("FM005", "broken") in codes  # type: statue
    assert ("FM004", "test") in codes  # flows: in a catalogue
    assert fixture_catalogue.authorities["act.s1"].title == "Test Act, s 1"


def test_fixture_list_text(fixture_catalogue: Catalogue) -> None:
    out = list_text(fixture_catalogue)
    assert text_ids(out) == ["act.s1", "condition.overseas", "matching.s9", "sharing.order-2019"]
    row = out.splitlines()[4]
    assert "2019-05-20 to 2024-05-19" in row and "Test Sharing Order 2019, cl 4" in row
    header, act = out.splitlines()[:2]
    column = header.index("VERIFIED")
    assert act[column:column + len("VERIFIED")].strip() == "no"  # act.s1 is not verified
    footer = out.split("\n\n", 1)[0].splitlines()[-1]
    assert "4 authorities" in footer and "2 verified" in footer and "2 not verified" in footer
    unsettled = out.split("what is unsettled:\n", 1)[1]
    assert "matching.s9: whether s 9(2) extends to Agency B's contractors" in unsettled
    assert "act.s1: not recorded" in unsettled


def test_fixture_show_text_has_every_field(fixture_catalogue: Catalogue) -> None:
    authority = fixture_catalogue.authority("sharing.order-2019")
    assert authority.url is not None and authority.notes is not None
    out = show_text(fixture_catalogue, authority)
    for expected in ("title:", "Test information sharing order", "type:", "aisa",
                     "instrument:", "provision:", "cl 4", authority.url,
                     "2019-05-20 to 2024-05-19", "scope:",
                     "agency-a (Agency A)", "agency-b (Agency B)", "personal.identity",
                     "checking (Checking eligibility)", "cross border:", "onward disclosure:",
                     "needs justification:", "verified:", "yes",
                     "catalogue:test/authorities.yaml:4"):
        assert expected in out, expected
    notes = out.split("  notes:\n", 1)[1]
    assert len(notes.splitlines()) > 1
    assert " ".join(notes.split()) == " ".join(authority.notes.split())


def test_fixture_show_json_round_trips(fixture_catalogue: Catalogue) -> None:
    authority = fixture_catalogue.authority("sharing.order-2019")
    shown = json.loads(show_json(fixture_catalogue, authority))
    assert shown["in_force"] == {"from": "2019-05-20", "until": "2024-05-19"}
    assert shown["scope"]["from"] == ["agency-a"]
    assert shown["location"] == {"file": "catalogue:test/authorities.yaml", "line": 4,
                                 "column": 5}
    whole = json.loads(list_json(fixture_catalogue))
    assert [a["id"] for a in whole["authorities"]] == [
        "act.s1", "condition.overseas", "matching.s9", "sharing.order-2019"]
    assert whole["summary"] == {"authorities": 4, "verified": 2}
    assert [c["id"] for c in whole["classes"]] == ["test-class"]
    assert {p["code"] for p in whole["problems"]} >= {"FM101", "FM005"}


def test_fixture_unknown_ids(fixture_catalogue: Catalogue) -> None:
    with pytest.raises(CatalogueError, match="did you mean 'act.s1'"):
        fixture_catalogue.authority("act.s2")
    with pytest.raises(CatalogueError, match="'agency-a' is an organisation"):
        fixture_catalogue.authority("agency-a")


def test_missing_folder_is_a_catalogue_error(tmp_path: Path) -> None:
    with pytest.raises(CatalogueError):
        load_catalogue("x", folder=tmp_path / "missing")


def test_one_line_makes_control_characters_visible() -> None:
    assert one_line("a\n  b\x1b[31m") == "a b\\x1b[31m"
    assert one_line(None) == "-"


def test_fixture_show_text_has_legs_versions_provenance(fixture_catalogue: Catalogue) -> None:
    out = show_text(fixture_catalogue, fixture_catalogue.authority("matching.s9"))
    lines = [" ".join(line.split()) for line in out.splitlines()]
    for expected in (
        "short: TMA s 9",
        "leg a-to-b: Agency A gives Agency B identity details",
        "provision: s 9(1)",
        "leg b-to-a: Agency B gives Agency A travel movements",
        "onward disclosure: forbidden",
        "verified: no",
        "from classes: test-class (Test class of agencies)",
        "version amended-2022: from 2022-07-01",
        "provision: s 9 (as amended)",
        "parties: agency-a (Agency A), agency-b (Agency B)",
        "- Agency A may use the movements only to check eligibility (s 9(3))",
        "- whether s 9(2) extends to Agency B's contractors",
        "provenance (checked 2026-12-01):",
        "read: nz-facts:T1",
    ):
        assert expected in lines, expected


def test_fixture_show_text_of_a_condition(fixture_catalogue: Catalogue) -> None:
    out = show_text(fixture_catalogue, fixture_catalogue.authority("condition.overseas"))
    assert "role: condition on act.s1 (authorises nothing alone)" in [
        " ".join(line.split()) for line in out.splitlines()]
    assert "provenance: none recorded" in " ".join(out.split())


@pytest.mark.parametrize("section", ["organisations", "purposes", "classes"])
def test_list_other_sections(section: str) -> None:
    result = invoke("list", "--section", section)
    assert result.exit_code == 0, result.output
    rows = result.stdout.splitlines()
    assert rows[0].split()[:2] == ["ID", "NAME"]
    shipped = getattr(load_catalogue(), section)
    assert [r.split()[0] for r in rows[1:-1]] == list(shipped)
    document = json.loads(invoke("list", "--section", section, "--format", "json").stdout)
    assert [e["id"] for e in document[section]] == list(shipped)
