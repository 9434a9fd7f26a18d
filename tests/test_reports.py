"""`validate --format sarif|github`: the reports a CI pipeline reads.

The map below has an error, a warning, an info finding and an accepted one;
tests run the command the way a user does (in the map's directory) and
check the parsed output, SARIF against the published OASIS schema.
"""

from __future__ import annotations

import dataclasses
import json
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jsonschema  # type: ignore[import-untyped]
import pytest
from click.testing import CliRunner

from flowmap.cli import main
from flowmap.cli.common import VALIDATE_FORMATS
from flowmap.common.findings import Finding, Location, Severity, Subject
from flowmap.report import FORMATTERS, github, sarif
from flowmap.check.rules.registry import RULES
from flowmap.check.validate import Result, check
from tests.conftest import TODAY

SCHEMA = Path(__file__).parent / "fixtures" / "sarif-schema-2.1.0.json"

REASON = "Interim letter, 50% agreed:\nsee file; ::error::not a command"

MAP = """\
    map: {id: reports, title: Reports, as_of: 2024-01-01}
    organisations:
      - {id: ngo, name: "An NGO, with: commas", kind: ngo}
      - {id: msd, name: Ministry, kind: government-department}
      - {id: lonely, name: Lonely Org, kind: ngo}
    information:
      - {id: client, name: Client record, category: personal.benefit}
    authorities:
      - {id: letter, title: A letter, type: other, verified: false}
    flows:
      - {id: icld, from: ngo, to: msd, information: [client]}
      - id: back
        from: msd
        to: ngo
        information: [client]
        review:
          - code: FM201
            reason: "Interim letter, 50% agreed:\\nsee file; ::error::not a command"
      - {id: lettered, from: msd, to: ngo, information: [client], basis: [letter]}
    """

LEVEL = {"error": "error", "warning": "warning", "info": "note"}


@pytest.fixture
def map_file(write_map: Callable[..., Path], monkeypatch: pytest.MonkeyPatch) -> Path:
    """The map, written to tmp_path, which is also the working directory."""
    path = write_map(MAP)
    monkeypatch.chdir(path.parent)
    return path


def run_cli(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result.exit_code, result.stdout


def schema_errors(document: Any) -> list[str]:
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    validator_class = jsonschema.validators.validator_for(schema)
    validator_class.check_schema(schema)
    validator = validator_class(schema)
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
            for e in validator.iter_errors(document)]


def with_extra_findings(result: Result, *extra: Finding) -> Result:
    return dataclasses.replace(result, findings=(*result.findings, *extra))


UNLOCATED = Finding("FM305", Severity.WARNING, "purpose 'x' is not used",
                    Subject("purpose", "x"), None)
NO_LINE = Finding("FM011", Severity.ERROR, "no files", Subject("map", "reports"),
                  Location("reports"))
IN_CATALOGUE = Finding("FM005", Severity.ERROR, "bad value", Subject("authority", "a.b"),
                       Location("catalogue:nz/aisas.yaml", 7, 3))


def test_every_validate_format_has_a_formatter() -> None:
    assert set(VALIDATE_FORMATS) == set(FORMATTERS)


# -- SARIF ---------------------------------------------------------------------

def test_sarif_from_the_command_is_valid_and_maps_every_finding(map_file: Path) -> None:
    code, out = run_cli("validate", map_file.name, "--format", "sarif")
    assert code == 1
    log = json.loads(out)
    assert schema_errors(log) == []
    assert log["version"] == "2.1.0"
    [run] = log["runs"]
    results = run["results"]
    assert {(r["ruleId"], r["level"]) for r in results} == {
        ("FM201", "error"), ("FM201", "note"), ("FM303", "warning"), ("FM210", "note")}
    [accepted] = [r for r in results if "suppressions" in r]
    assert accepted["suppressions"] == [
        {"kind": "inSource", "status": "accepted", "justification": REASON}]
    assert accepted["locations"][0]["logicalLocations"][0]["fullyQualifiedName"] == "flow/back"
    [error] = [r for r in results if r["level"] == "error"]
    physical = error["locations"][0]["physicalLocation"]
    assert physical["artifactLocation"] == {"uri": "map.yaml", "uriBaseId": "%SRCROOT%"}
    assert physical["region"] == {"startLine": 11, "startColumn": 5}
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == map_file.parent.as_uri() + "/"


def test_sarif_driver_describes_every_rule(map_file: Path) -> None:
    driver = json.loads(run_cli("validate", str(map_file), "--format", "sarif")[1])[
        "runs"][0]["tool"]["driver"]
    assert driver["name"] == "flowmap"
    assert driver["version"]
    assert driver["informationUri"].startswith(("file:///", "https://"))
    assert all(r["helpUri"].startswith(driver["informationUri"] + "#fm") for r in driver["rules"])
    assert [r["id"] for r in driver["rules"]] == [r.code for r in RULES]
    for descriptor, rule in zip(driver["rules"], RULES):
        assert descriptor["defaultConfiguration"]["level"] == LEVEL[rule.severity.value]
        assert descriptor["shortDescription"]["text"] == rule.title
        assert descriptor["help"]["text"] == rule.help_text
        assert rule.fix in descriptor["help"]["markdown"]


def test_sarif_rule_index_points_at_the_rule(map_file: Path) -> None:
    run = json.loads(run_cli("validate", "map.yaml", "--format", "sarif")[1])["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    for r in run["results"]:
        assert rules[r["ruleIndex"]]["id"] == r["ruleId"]


def test_sarif_findings_without_a_place_or_in_a_catalogue(map_file: Path) -> None:
    result = with_extra_findings(check(map_file, today=TODAY), UNLOCATED, NO_LINE, IN_CATALOGUE)
    log = sarif.sarif_document(result, root=map_file.parent)
    assert schema_errors(log) == []
    by_code = {r["ruleId"]: r for r in log["runs"][0]["results"]}
    assert by_code["FM305"]["locations"] == [{"logicalLocations": [
        {"name": "x", "fullyQualifiedName": "purpose/x", "kind": "purpose"}]}]
    assert by_code["FM011"]["locations"][0]["physicalLocation"] == {
        "artifactLocation": {"uri": "reports", "uriBaseId": "%SRCROOT%"}}
    assert by_code["FM005"]["locations"][0]["physicalLocation"] == {
        "artifactLocation": {"uri": "nz/aisas.yaml", "uriBaseId": "FLOWMAP_CATALOGUE"},
        "region": {"startLine": 7, "startColumn": 3}}
    assert "FLOWMAP_CATALOGUE" in log["runs"][0]["originalUriBaseIds"]


def test_sarif_file_outside_the_root_is_an_absolute_uri(map_file: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    log = sarif.sarif_document(check(map_file, today=TODAY), root=elsewhere)
    assert schema_errors(log) == []
    uris = {loc["physicalLocation"]["artifactLocation"]["uri"]
            for r in log["runs"][0]["results"] for loc in r["locations"]}
    assert uris == {map_file.absolute().as_uri()}


def test_sarif_uri_of_a_file_with_spaces_is_encoded(
        write_map: Callable[..., Path], monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    folder = write_map({"my flows/map.yaml": MAP})
    monkeypatch.chdir(tmp_path)
    log = json.loads(run_cli("validate", folder.name, "--format", "sarif")[1])
    assert schema_errors(log) == []
    uris = {loc["physicalLocation"]["artifactLocation"]["uri"]
            for r in log["runs"][0]["results"] for loc in r["locations"]}
    assert uris == {"map/my%20flows/map.yaml"}


def test_sarif_is_byte_stable(map_file: Path) -> None:
    assert run_cli("validate", "map.yaml", "--format", "sarif") == \
        run_cli("validate", "map.yaml", "--format", "sarif")


def test_sarif_from_a_real_process(map_file: Path) -> None:
    run = subprocess.run(
        [sys.executable, "-m", "flowmap", "validate", "map.yaml", "--format", "sarif",
         "--fail-on", "never"],
        cwd=map_file.parent, capture_output=True, text=True, encoding="utf-8", check=False,
    )
    assert run.returncode == 0, run.stderr
    log = json.loads(run.stdout)
    assert schema_errors(log) == []
    assert len(log["runs"][0]["results"]) == 4


# -- GitHub workflow commands ----------------------------------------------------

COMMAND = re.compile(r"^::(error|warning|notice) ([^:]*)::(.*)$")


def unescape(text: str) -> str:
    for code, char in (("%0D", "\r"), ("%0A", "\n"), ("%3A", ":"), ("%2C", ","), ("%25", "%")):
        text = text.replace(code, char)
    return text


def parse_commands(out: str) -> tuple[list[tuple[str, dict[str, str], str]], str]:
    *lines, summary = out.splitlines()
    commands = []
    for line in lines:
        match = COMMAND.match(line)
        assert match, line
        props = dict(p.split("=", 1) for p in match.group(2).split(","))
        commands.append((match.group(1), {k: unescape(v) for k, v in props.items()},
                         unescape(match.group(3))))
    return commands, summary


def test_escaping_follows_the_runner() -> None:
    assert github.escape_data("50%\r\nnext: a, b") == "50%25%0D%0Anext: a, b"
    assert github.escape_property("50%\r\nnext: a, b") == "50%25%0D%0Anext%3A a%2C b"


def test_github_one_command_per_finding_then_a_summary(map_file: Path) -> None:
    code, out = run_cli("validate", "map.yaml", "--format", "github")
    assert code == 1
    commands, summary = parse_commands(out)
    assert sorted((kind, props["title"].split()[0]) for kind, props, _ in commands) == [
        ("error", "FM201"), ("notice", "FM201"), ("notice", "FM210"), ("warning", "FM303")]
    for _, props, _ in commands:
        assert props["file"] == "map.yaml"
        assert props["line"].isdigit() and props["col"].isdigit()
    [error] = [c for c in commands if c[0] == "error"]
    assert error[1]["title"] == "FM201 Flow has no legal basis"
    assert error[1]["line"] == "11"
    [accepted] = [c for c in commands if c[0] == "notice" and c[1]["title"].startswith("FM201")]
    assert REASON in accepted[2]
    assert summary.startswith("flowmap: reports: 1 error, 1 warning, 2 info (1 accepted)")


def test_github_properties_with_commas_and_colons(
        write_map: Callable[..., Path], monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    write_map({"a,b:c/map.yaml": MAP})
    monkeypatch.chdir(tmp_path)
    out = run_cli("validate", "map", "--format", "github")[1]
    assert "file=map/a%2Cb%3Ac/map.yaml," in out
    commands, _ = parse_commands(out)
    assert {props["file"] for _, props, _ in commands} == {"map/a,b:c/map.yaml"}


def test_github_places_what_it_cannot_attach_in_the_message(map_file: Path) -> None:
    result = with_extra_findings(check(map_file, today=TODAY), UNLOCATED, NO_LINE, IN_CATALOGUE)
    commands, _ = parse_commands(github.format_result(result, root=map_file.parent))
    by_title = {props["title"].split()[0]: (props, message) for _, props, message in commands}
    assert "file" not in by_title["FM305"][0]
    assert by_title["FM011"][0]["file"] == "reports" and "line" not in by_title["FM011"][0]
    catalogue_props, catalogue_message = by_title["FM005"]
    assert "file" not in catalogue_props
    assert catalogue_message.startswith("catalogue:nz/aisas.yaml:7:3: ")


def test_github_from_the_console_script(map_file: Path) -> None:
    script = Path(sys.executable).with_name("flowmap")
    run = subprocess.run([str(script), "validate", "map.yaml", "--format", "github"],
                         cwd=map_file.parent, capture_output=True, text=True,
                         encoding="utf-8", check=False)
    assert run.returncode == 1, run.stderr
    commands, summary = parse_commands(run.stdout)
    assert len(commands) == 4
    assert summary.startswith("flowmap: reports:")
