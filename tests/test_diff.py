"""`flowmap diff` as a user runs it: two versions of a map committed to a real
git repository (read back as REV:PATH), or two directories; each format; the
exit status for CI; usage errors."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import textwrap
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from flowmap.cli import main

FLOWMAP = Path(sys.executable).parent / "flowmap"
SVG = "{http://www.w3.org/2000/svg}"

MAP = """\
map: {id: x, title: Example map, as_of: 2024-01-01}
"""
ORGS = """\
organisations:
  - {id: ngo, name: An NGO, kind: ngo, sector: community}
  - {id: msd, name: Ministry, kind: government-department}
  - {id: ird, name: Inland Revenue, kind: government-department}
"""
INFO = """\
information:
  - {id: client, name: Client record, category: personal.benefit}
  - {id: contact, name: Contact details, category: personal.contact}
  - {id: stats, name: Statistics, category: non-personal.aggregate}
  - {id: spare, name: Notes, category: personal.contact}
"""
AUTHS = """\
authorities:
  - {id: ipp11, title: Privacy Act 2020 IPP 11, type: privacy-principle}
  - id: tax-act
    title: Tax disclosure
    type: statute
    scope: {to: [ird], information: [personal]}
"""
FLOWS_V1 = """\
flows:
  - {id: referral, from: ngo, to: msd, information: [client, contact], basis: [ipp11]}
  - {id: tax, from: msd, to: ird, information: [client], basis: [tax-act]}
  - {id: gone, from: ngo, to: ird, information: [stats], identifiability: aggregate}
"""
#: v2: 'referral' moved to another file, its list reordered, a frequency added;
#: 'tax' loses its basis; 'gone' removed; 'back' added (carrying 'spare');
#: ird renamed; identifiability written out at its default (no change)
FLOWS_V2 = """\
flows:
  - {id: tax, from: msd, to: ird, information: [client], identifiability: identified}
  - {id: back, from: msd, to: ngo, information: [spare], basis: [ipp11]}
"""
MOVED_V2 = """\
flows:
  - id: referral
    from: ngo
    to: msd
    information: [contact, client]
    basis: [ipp11]
    frequency: monthly
"""


def _git(repo: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.name=Test", "-c", "user.email=test@example.invalid",
                    "-c", "commit.gpgsign=false", *args],
                   cwd=repo, check=True, capture_output=True)


def _write(folder: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")


V1 = {"map.yaml": MAP, "organisations.yaml": ORGS, "information.yaml": INFO,
      "authorities.yaml": AUTHS, "flows.yaml": FLOWS_V1}
V2 = {**V1, "organisations.yaml": ORGS.replace("Inland Revenue", "Te Tari Taake"),
      "flows.yaml": FLOWS_V2, "more/flows-moved.yaml": MOVED_V2}


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A git repository holding flows/x at two commits (v1, then v2); cwd is its root."""
    root = tmp_path / "repo"
    root.mkdir()
    _git(root, "init", "-q")
    _write(root / "flows" / "x", V1)
    (root / "README.md").write_text("not a map\n", encoding="utf-8")
    _git(root, "add", "-A")
    _git(root, "commit", "-q", "-m", "v1")
    (root / "flows" / "x" / "flows.yaml").unlink()
    _write(root / "flows" / "x", V2)
    _git(root, "add", "-A")
    _git(root, "commit", "-q", "-m", "v2")
    monkeypatch.chdir(root)
    return root


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(main, ["diff", *(str(a) for a in args)])


def diff_json(*args: str | Path) -> dict[str, Any]:
    result = run(*args, "--format", "json")
    assert result.exit_code == 0, result.output + result.stderr
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def ids(section: dict[str, list[dict[str, Any]]], kind: str) -> list[str]:
    return [entry["id"] for entry in section[kind]]


def keys(findings: list[dict[str, Any]]) -> set[tuple[str, str, str]]:
    return {(f["code"], f["subject"]["kind"], f["subject"]["id"]) for f in findings}


# -- git revisions -------------------------------------------------------------------

def test_git_revisions_report_exactly_the_changes(repo: Path) -> None:
    data = diff_json("HEAD~1:flows/x", "HEAD:flows/x")
    flows = data["sections"]["flows"]
    assert (ids(flows, "added"), ids(flows, "removed"), ids(flows, "changed")) == (
        ["back"], ["gone"], ["referral", "tax"])
    changed = {c["id"]: c["fields"] for c in flows["changed"]}
    # the reordered list and the move to another file are no change
    assert changed["referral"] == [{"field": "frequency", "old": None, "new": "monthly"}]
    assert changed["tax"] == [{"field": "basis", "old": ["tax-act"], "new": [],
                               "added": [], "removed": ["tax-act"]}]
    orgs = data["sections"]["organisations"]
    assert ids(orgs, "changed") == ["ird"] and not orgs["added"] and not orgs["removed"]
    assert orgs["changed"][0]["fields"] == [
        {"field": "name", "old": "Inland Revenue", "new": "Te Tari Taake"}]
    for section in ("information", "purposes", "authorities"):
        assert data["sections"][section] == {"added": [], "removed": [], "changed": []}
    assert data["map"] == []
    assert data["flow_status"] == [{"flow": "tax", "old": "justified", "new": "unjustified"}]
    assert keys(data["findings"]["appeared"]) == {("FM201", "flow", "tax"),
                                                  ("FM306", "authority", "tax-act"),
                                                  ("FM304", "information", "stats")}
    assert keys(data["findings"]["resolved"]) == {("FM304", "information", "spare")}
    assert data["findings"]["severity_changed"] == []
    assert data["summary"]["flows"] == {"added": 1, "removed": 1, "changed": 2}
    assert data["summary"]["findings"]["appeared"] == {"error": 1, "warning": 2, "info": 0}
    assert (data["old"]["source"], data["new"]["source"]) == ("HEAD~1:flows/x", "HEAD:flows/x")
    assert data["format"] == "flowmap-diff" and data["version"] == 1 and data["changed"]


def test_git_locations_name_the_revision_and_the_file(repo: Path) -> None:
    data = diff_json("HEAD~1:flows/x", "HEAD:flows/x")
    flows = data["sections"]["flows"]
    assert flows["added"][0]["location"] == {"file": "HEAD:flows/x/flows.yaml", "line": 3,
                                             "column": 5}
    assert flows["removed"][0]["location"]["file"] == "HEAD~1:flows/x/flows.yaml"
    moved = next(c for c in flows["changed"] if c["id"] == "referral")
    assert moved["location"]["file"] == "HEAD:flows/x/more/flows-moved.yaml"
    resolved = data["findings"]["resolved"][0]
    assert resolved["location"]["file"] == "HEAD~1:flows/x/information.yaml"
    assert "flowmap-diff-" not in json.dumps(data)  # no temporary path leaks out


def test_text_reads_like_a_stat_and_a_linter(repo: Path) -> None:
    result = run("HEAD~1:flows/x", "HEAD:flows/x")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "flowmap diff HEAD~1:flows/x → HEAD:flows/x"
    assert re.match(r" flows +\+1 -1 ~2$", lines[1])
    assert re.match(r" organisations +~1$", lines[2])
    assert "HEAD:flows/x/flows.yaml:3:5: + flow back: Ministry → An NGO: Notes [justified]" \
        in lines
    assert any(line.startswith("HEAD~1:flows/x/flows.yaml:") and "- flow gone" in line
               for line in lines)
    assert "    basis: -'tax-act'" in lines
    assert any(re.match(r"HEAD:flows/x/flows\.yaml:\d+:\d+: \+ FM201 error: ", line)
               for line in lines)
    assert lines[-1].startswith("x → x: flows: 1 added, 1 removed, 2 changed;")


def test_the_same_revision_twice_is_no_change(repo: Path) -> None:
    result = run("HEAD:flows/x", "HEAD:flows/x", "--fail-on-new", "warning")
    assert result.exit_code == 0
    assert result.stdout.splitlines()[-1] == "x → x: no changes"
    data = diff_json("HEAD:flows/x", "flows/x")  # the revision against the working tree
    assert data["changed"] is False


@pytest.mark.parametrize(("threshold", "status"), [("never", 0), ("error", 1), ("warning", 1)])
def test_fail_on_new(repo: Path, threshold: str, status: int) -> None:
    assert run("HEAD~1:flows/x", "HEAD:flows/x", "--fail-on-new", threshold).exit_code == status


def test_resolving_findings_does_not_fail(repo: Path) -> None:
    """Going back from v2 to v1 only resolves the error; a new warning (FM304) appears."""
    assert run("HEAD:flows/x", "HEAD~1:flows/x", "--fail-on-new", "error").exit_code == 0
    assert run("HEAD:flows/x", "HEAD~1:flows/x", "--fail-on-new", "warning").exit_code == 1


def test_single_file_and_paths_relative_to_the_working_directory(
        repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = diff_json("HEAD~1:flows/x/organisations.yaml", "HEAD:flows/x/organisations.yaml")
    assert ids(data["sections"]["organisations"], "changed") == ["ird"]
    monkeypatch.chdir(repo / "flows")
    data = diff_json("HEAD~1:./x", "HEAD:./x")
    assert ids(data["sections"]["flows"], "added") == ["back"]
    assert data["sections"]["flows"]["added"][0]["location"]["file"] == \
        "HEAD:flows/x/flows.yaml"


def test_the_installed_command_in_a_subprocess(repo: Path) -> None:
    proc = subprocess.run([str(FLOWMAP), "diff", "HEAD~1:flows/x", "HEAD:flows/x",
                           "--format", "json", "--fail-on-new", "error"],
                          cwd=repo, capture_output=True, text=True, check=False,
                          env={**os.environ, "COLUMNS": "80"})
    assert proc.returncode == 1, proc.stderr
    data = json.loads(proc.stdout)
    assert ids(data["sections"]["flows"], "added") == ["back"]
    assert keys(data["findings"]["appeared"]) >= {("FM201", "flow", "tax")}


# -- usage errors ----------------------------------------------------------------------

@pytest.mark.parametrize(("old", "message"), [
    ("HEAD~5:flows/x", "HEAD~5:flows/x: unknown git revision 'HEAD~5'"),
    ("HEAD:flows/nope", "HEAD:flows/nope: 'flows/nope' does not exist at HEAD"),
    ("HEAD:../outside", "HEAD:../outside: '../outside' is outside the repository"),
    ("-x:flows/x", "-x:flows/x: '-x' is not a git revision"),  # after --
    ("no/such/map", "no such file or directory: no/such/map"),
])
def test_bad_revision_or_path_is_a_one_line_usage_error(repo: Path, old: str,
                                                        message: str) -> None:
    result = run("--", old, "HEAD:flows/x")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert len(result.stderr.strip().splitlines()) == 1
    assert result.stderr.startswith(f"flowmap: {message}")


def test_rev_path_outside_a_repository(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path.parent))
    result = run("HEAD:flows/x", "HEAD:flows/x")
    assert result.exit_code == 2
    assert "needs a git repository" in result.stderr


# -- directories -----------------------------------------------------------------------

WriteDirs = Callable[[dict[str, str], dict[str, str]], tuple[Path, Path]]


@pytest.fixture
def two_maps(tmp_path: Path) -> WriteDirs:
    def write(old: dict[str, str], new: dict[str, str]) -> tuple[Path, Path]:
        _write(tmp_path / "old", old)
        _write(tmp_path / "new", new)
        return tmp_path / "old", tmp_path / "new"
    return write


def test_directory_against_directory(two_maps: WriteDirs) -> None:
    old, new = two_maps(V1, V2)
    data = diff_json(old, new)
    assert ids(data["sections"]["flows"], "changed") == ["referral", "tax"]
    assert data["old"]["source"] == str(old)
    assert data["findings"]["appeared"][0]["location"]["file"].startswith(str(new))


def test_sets_defaults_and_nested_fields(two_maps: WriteDirs) -> None:
    auth_v1 = AUTHS + """\
  - id: aisa
    title: An agreement
    type: aisa
    scope: {from: [msd, ngo], to: [ird]}
    in_force: {from: 2020-01-01}
"""
    auth_v2 = AUTHS + """\
  - id: aisa
    title: An agreement
    type: aisa
    onward: allowed
    scope: {from: [ngo, msd, ird], to: [ird]}
    in_force: {from: 2020-01-01, until: 2030-06-30}
"""
    flows = FLOWS_V1 + "  - {id: shared, from: msd, to: ird, information: [client], " \
                       "basis: [aisa, tax-act]}\n"
    flows_v2 = FLOWS_V1 + "  - {id: shared, from: msd, to: ird, information: [client], " \
                          "basis: [tax-act, aisa], status: active}\n"
    old, new = two_maps({**V1, "authorities.yaml": auth_v1, "flows.yaml": flows},
                        {**V1, "authorities.yaml": auth_v2, "flows.yaml": flows_v2})
    data = diff_json(old, new)
    assert ids(data["sections"]["flows"], "changed") == []  # reordered, default written out
    [aisa] = data["sections"]["authorities"]["changed"]
    assert aisa["fields"] == [
        {"field": "in_force.until", "old": None, "new": "2030-06-30"},
        {"field": "scope.from", "old": ["msd", "ngo"], "new": ["ird", "msd", "ngo"],
         "added": ["ird"], "removed": []},
    ]


def test_catalogue_items_are_not_listed_one_by_one(two_maps: WriteDirs) -> None:
    with_catalogue = MAP.replace("as_of: 2024-01-01", "as_of: 2024-01-01, catalogues: [nz]")
    old, new = two_maps(V1, {**V1, "map.yaml": with_catalogue})
    data = diff_json(old, new)
    assert data["map"] == [{"field": "catalogues", "old": [], "new": ["nz"],
                            "added": ["nz"], "removed": []}]
    for section in ("organisations", "authorities", "purposes"):
        assert data["sections"][section]["added"] == []


def test_an_acceptance_changes_severity_and_its_expiry_fails(two_maps: WriteDirs) -> None:
    unjustified = FLOWS_V1.replace("basis: [tax-act]", "basis: []")
    accepted = unjustified.replace(
        "basis: []}", "basis: [], review: [{code: FM201, reason: Interim letter, "
                      "until: 2999-01-01}]}")
    expired = accepted.replace("2999-01-01", "2001-01-01")
    old, new = two_maps({**V1, "flows.yaml": unjustified}, {**V1, "flows.yaml": accepted})
    data = diff_json(old, new)
    assert data["findings"]["appeared"] == [] and data["findings"]["resolved"] == []
    [change] = data["findings"]["severity_changed"]
    assert (change["old"]["severity"], change["new"]["severity"]) == ("error", "info")
    assert change["new"]["accepted"] is True
    assert run(old, new, "--fail-on-new", "error").exit_code == 0

    _write(old, {"flows.yaml": accepted})
    _write(new, {"flows.yaml": expired})
    data = diff_json(old, new)
    [change] = data["findings"]["severity_changed"]
    assert (change["old"]["severity"], change["new"]["severity"]) == ("info", "error")
    assert run(old, new, "--fail-on-new", "error").exit_code == 1


# -- markdown --------------------------------------------------------------------------

HOSTILE = "Evil | col <script>alert(1)</script> [x](http://e.invalid) `tick` # *b*"


def test_markdown_escapes_hostile_text(two_maps: WriteDirs) -> None:
    hostile_orgs = ORGS.replace("name: An NGO", f"name: '{HOSTILE}'")
    hostile_flows = FLOWS_V1 + "  - id: evil\n    from: ngo\n    to: msd\n" \
        f"    information: [client]\n    description: '{HOSTILE}\n\n      | a | b |'\n"
    old, new = two_maps(V1, {**V1, "organisations.yaml": hostile_orgs,
                             "flows.yaml": hostile_flows})
    result = run(old, new, "--format", "markdown")
    assert result.exit_code == 0, result.output
    text = result.stdout
    assert text.startswith("## flowmap diff: Example map\n")
    assert "<script>" not in text
    assert not re.search(r"(?<!\\)\[x\]\(", text)  # no live link
    assert "\\<script\\>" in text and "\\[x\\]" in text
    for table in re.findall(r"(?:^\|.*\n)+", text, re.M):
        widths = {len(re.split(r"(?<!\\)\|", row)) for row in table.splitlines()}
        assert len(widths) == 1, table  # no cell broke out of its column
    assert "### Organisations" in text and "### New findings" in text


# -- drawings --------------------------------------------------------------------------

def _groups(svg: bytes) -> dict[str, set[str]]:
    root = ET.fromstring(svg)
    return {g.get("id", ""): set(g.get("class", "").split())
            for g in root.iter(f"{SVG}g") if g.get("id", "").startswith(("flow-", "org-"))}


def test_svg_marks_every_flow_and_organisation(repo: Path, tmp_path: Path) -> None:
    out = tmp_path / "changes.svg"
    result = run("HEAD~1:flows/x", "HEAD:flows/x", "--format", "svg", "-o", out)
    assert result.exit_code == 0, result.output
    groups = _groups(out.read_bytes())
    marks = {"added", "removed", "changed", "unchanged"}
    expected = {"flow-back": "added", "flow-gone": "removed", "flow-referral": "changed",
                "flow-tax": "changed", "org-ird": "changed", "org-ngo": "unchanged",
                "org-msd": "unchanged"}
    assert {k: (v & marks) for k, v in groups.items()} == {k: {v} for k, v in expected.items()}
    assert "unjustified" in groups["flow-tax"] and "flow" in groups["flow-tax"]
    assert "org" in groups["org-ird"]
    title = ET.fromstring(out.read_bytes()).find(f"{SVG}title")
    assert title is not None and title.text == "Changes: Example map"
    again = tmp_path / "again.svg"
    run("HEAD~1:flows/x", "HEAD:flows/x", "--format", "svg", "-o", again)
    assert again.read_bytes() == out.read_bytes()


def test_html_is_one_self_contained_page(repo: Path) -> None:
    result = run("HEAD~1:flows/x", "HEAD:flows/x", "--format", "html")
    assert result.exit_code == 0, result.output
    page = result.stdout
    assert page.startswith("<!DOCTYPE html>") and "Content-Security-Policy" in page
    assert "<svg" in page and "<?xml" not in page
    assert not re.search(r"""(src|href)=["']https?:""", page)
    assert "<td>added</td><td>flows</td><td>back</td>" in page


def test_output_never_overwrites_a_file_of_the_map(repo: Path) -> None:
    target = repo / "flows" / "x" / "flows.yaml"
    before = target.read_bytes()
    result = run("HEAD~1:flows/x", "flows/x", "-o", target)
    assert result.exit_code == 2 and "refusing to overwrite" in result.stderr
    assert target.read_bytes() == before


def test_text_shows_control_characters_escaped(two_maps: WriteDirs) -> None:
    old, new = two_maps(V1, {**V1, "organisations.yaml": ORGS.replace(
        "name: An NGO", 'name: "NGO \\e[31mred\\u202e"')})
    result = run(old, new)
    assert result.exit_code == 0, result.output
    assert "\x1b" not in result.stdout and "\u202e" not in result.stdout
    assert "NGO \\u001b[31mred\\u202e" in result.stdout


def test_maps_a_revision_includes_are_read_at_that_revision(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = tmp_path / "repo"
    root.mkdir()
    _git(root, "init", "-q")
    base = {"map.yaml": "map: {id: base, title: Base, as_of: 2024-01-01}\n",
            "organisations.yaml": ORGS}
    _write(root / "flows" / "base", base)
    _write(root / "flows" / "x", {k: v for k, v in V1.items() if k != "organisations.yaml"})
    (root / "flows" / "x" / "map.yaml").write_text(MAP + "include: [../base]\n", "utf-8")
    _git(root, "add", "-A")
    _git(root, "commit", "-q", "-m", "v1")
    _write(root / "flows" / "base", {"organisations.yaml": ORGS.replace("Ministry", "MSD")})
    _git(root, "commit", "-q", "-am", "v2")
    monkeypatch.chdir(root)
    same = diff_json("HEAD:flows/x", "flows/x")
    assert same["changed"] is False, same  # the included map was read from git too
    data = diff_json("HEAD~1:flows/x", "HEAD:flows/x")
    [change] = data["sections"]["organisations"]["changed"]
    assert (change["id"], change["fields"][0]["new"]) == ("msd", "MSD")
    assert change["location"]["file"] == "HEAD:flows/base/organisations.yaml"
