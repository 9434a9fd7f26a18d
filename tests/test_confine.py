"""What a map may read (issue 14, items 7 and 8): only its own tree.

A map validated in CI from an untrusted pull request must not read outside its
tree: includes and linked files that lead out of it, system directories,
devices and pipes are each one located finding, never read, never the end of
the run; `diff REV:PATH` reads includes from the revision, never the working tree.
"""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from flowmap.cli import main

WriteMap = Callable[..., Path]

MAP = """\
map: {{id: m, title: M, as_of: 2024-01-01}}
include: [{include}]
organisations:
  - {{id: a, name: A, kind: ngo}}
  - {{id: b, name: B, kind: ngo}}
information:
  - {{id: i, name: I, category: non-personal.aggregate}}
flows:
  - {{id: f, from: a, to: b, information: [i], identifiability: aggregate}}
"""
OTHER = """\
organisations:
  - {id: secret-org, name: Secret, kind: ngo}
"""


def invoke(*args: str | Path) -> Result:
    return CliRunner().invoke(main, [str(a) for a in args])


def validate(*args: str | Path) -> tuple[int, list[dict[str, Any]]]:
    result = invoke("validate", "--format", "json", *args)
    assert "internal error" not in result.output, result.output
    if result.exit_code == 2:
        return 2, []
    return result.exit_code, list(json.loads(result.stdout)["findings"])


def one_map(tmp_path: Path, include: str) -> Path:
    folder = tmp_path / "tree" / "m"
    folder.mkdir(parents=True)
    (folder / "map.yaml").write_text(MAP.format(include=include), encoding="utf-8")
    return folder


@pytest.mark.parametrize("include", ["/", "/proc/self/root", "/etc/shadow", "/etc/passwd",
                                     "/proc/self/status", "/dev/null", "/dev/zero",
                                     "../../outside", "x" * 300])
def test_an_include_outside_the_tree_is_one_located_finding(tmp_path: Path,
                                                             include: str) -> None:
    (tmp_path / "outside").mkdir()
    (tmp_path / "outside" / "map.yaml").write_text(OTHER, encoding="utf-8")
    folder = one_map(tmp_path, json.dumps(include))
    status, found = validate(folder)
    assert status == 1
    assert [(f["code"], f["location"]["line"]) for f in found] == [("FM015", 2)], found
    assert "secret-org" not in json.dumps(found) and "root:" not in json.dumps(found)


def test_root_widens_the_tree_for_sibling_maps(tmp_path: Path) -> None:
    (tmp_path / "tree" / "other").mkdir(parents=True)
    (tmp_path / "tree" / "other" / "map.yaml").write_text(OTHER, encoding="utf-8")
    folder = one_map(tmp_path, "../other")
    assert [f["code"] for f in validate(folder)[1]] == ["FM015"]
    status, found = validate(folder, "--root", tmp_path / "tree")
    assert "FM015" not in {f["code"] for f in found}
    assert ("FM303", "secret-org") in {(f["code"], f["subject"]["id"]) for f in found}


def test_a_map_inside_a_git_tree_may_include_its_siblings(tmp_path: Path) -> None:
    subprocess.run(["git", "init", "-q", str(tmp_path / "tree")], check=True)
    (tmp_path / "tree" / "other").mkdir(parents=True)
    (tmp_path / "tree" / "other" / "map.yaml").write_text(OTHER, encoding="utf-8")
    folder = one_map(tmp_path, "../other")
    assert "FM015" not in {f["code"] for f in validate(folder)[1]}


def test_a_linked_file_leading_out_of_the_tree_is_not_read(tmp_path: Path) -> None:
    folder = one_map(tmp_path, "")
    (folder / "evil.yaml").symlink_to("/etc/passwd")
    status, found = validate(folder)
    assert [(f["code"], Path(f["location"]["file"]).name) for f in found] == [
        ("FM001", "evil.yaml")]
    assert "root:" not in json.dumps(found)


def test_a_pipe_in_the_map_is_reported_not_read(tmp_path: Path) -> None:
    folder = one_map(tmp_path, "")
    os.mkfifo(folder / "pipe.yaml")
    status, found = validate(folder)  # reading the pipe would block for ever
    assert [(f["code"], Path(f["location"]["file"]).name) for f in found] == [
        ("FM001", "pipe.yaml")]


@pytest.mark.parametrize("path", ["/dev/null", "/proc/self/root", "/proc/self/status"])
def test_a_system_path_as_the_map_is_a_usage_error(path: str) -> None:
    result = invoke("validate", path)
    assert result.exit_code == 2
    assert "running system" in result.output


# -- diff REV:PATH ---------------------------------------------------------------------

def _git(repo: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.name=T", "-c", "user.email=t@example.invalid",
                    "-c", "commit.gpgsign=false", *args], cwd=repo, check=True,
                   capture_output=True)


def test_diff_reads_includes_from_the_revision_never_the_working_tree(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    repo = tmp_path / "repo"
    (repo / "flows" / "y").mkdir(parents=True)
    _git(repo, "init", "-q")
    y = repo / "flows" / "y" / "map.yaml"
    x = repo / "flows" / "x" / "map.yaml"
    x.parent.mkdir()
    # one include absolute (inside the repository), one leading out of it
    x.write_text(MAP.format(include=f"{json.dumps(str(repo / 'flows' / 'y'))}, ../../../out"),
                 encoding="utf-8")
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "map.yaml").write_text(OTHER, encoding="utf-8")
    orgs = "organisations:\n" + "".join(f"  - {{id: {o}, name: {o}, kind: ngo}}\n"
                                         for o in ("c", "d"))
    y.write_text(orgs.split("  - {id: d")[0], encoding="utf-8")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "-m", "one")
    y.write_text(orgs, encoding="utf-8")
    _git(repo, "commit", "-q", "-am", "two: d added to the included map")
    y.write_text("organisations:\n  - {id: working-tree-only, name: W, kind: ngo}\n",
                 encoding="utf-8")
    monkeypatch.chdir(repo)
    result = CliRunner().invoke(main, ["diff", "HEAD~1:flows/x", "HEAD:flows/x",
                                       "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert [a["id"] for a in data["sections"]["organisations"]["added"]] == ["d"]
    assert "working-tree-only" not in result.stdout and "secret-org" not in result.stdout


def test_an_include_holding_a_nul_is_a_finding(tmp_path: Path) -> None:
    folder = one_map(tmp_path, '"a\\0b"')
    status, found = validate(folder)
    assert [(f["code"], f["location"]["line"]) for f in found] == [("FM005", 2)]


def test_watch_reports_a_long_include_added_by_a_save(tmp_path: Path) -> None:
    from flowmap.review.watch import Watcher

    folder = one_map(tmp_path, "")
    said: list[str] = []
    watcher = Watcher([folder], lambda result: [], said.append)
    watcher.run()
    (folder / "map.yaml").write_text(MAP.format(include=json.dumps("y" * 300)),
                                     encoding="utf-8")
    watcher.run()  # the save adds an include whose name is too long for the file system
    assert any(line.startswith("new: ") and "FM015" in line for line in said), said
    assert not any("internal error" in line for line in said)
