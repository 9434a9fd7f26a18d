"""The `flowmap` command as a user runs it: exit codes, options and JSON output.

Most tests call ``flowmap.cli.main`` through click's CliRunner; the ones about
what a user sees in a terminal run the installed console script (and
``python -m flowmap``) in real subprocesses.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from flowmap.cli import main
from tests.conftest import CLEAN, FLOWMAP

WriteMap = Callable[..., Path]
SEVERITIES = ("error", "warning", "info")


#: CLEAN plus a purpose no flow states: one warning (FM305), no error
WARNINGS_ONLY = CLEAN + """\
purposes:
  - {id: unused, name: Never stated}
"""

#: an error (FM201 on flow 'bad'), a warning (FM304 on 'spare'), an accepted FM201
ERRORS = """\
map: {id: errs, title: Errors, as_of: 2024-01-01}
organisations:
  - {id: ngo, name: An NGO, kind: ngo}
  - {id: msd, name: Ministry, kind: government-department}
information:
  - {id: client, name: Client record, category: personal.benefit}
  - {id: spare, name: Never sent, category: personal.contact}
flows:
  - {id: bad, from: ngo, to: msd, information: [client]}
  - id: waived
    from: msd
    to: ngo
    information: [client]
    review:
      - {code: FM201, reason: Interim arrangement, by: Privacy Officer, until: 2099-12-31}
"""


def invoke(*args: str | Path) -> Result:
    return CliRunner().invoke(main, [str(a) for a in args])


def validate_json(*args: str | Path) -> tuple[int, dict[str, Any]]:
    result = invoke("validate", "--format", "json", *args)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result.exit_code, json.loads(result.stdout)


def codes(document: dict[str, Any]) -> set[str]:
    return {f["code"] for f in document["findings"]}


def run(*args: str | Path, module: bool = False,
        env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    program = [sys.executable, "-m", "flowmap"] if module else [str(FLOWMAP)]
    return subprocess.run([*program, *map(str, args)], capture_output=True, text=True,
                          timeout=120, env=env)


def assert_no_traceback(text: str) -> None:
    assert "Traceback" not in text
    assert not re.search(r'File "[^"]+", line \d+', text), text
    assert "internal error" not in text, text


# -- exit codes --------------------------------------------------------------------------

def test_clean_map_exits_0_with_no_findings(write_map: WriteMap) -> None:
    status, document = validate_json(write_map(CLEAN))
    assert status == 0
    assert document["findings"] == []
    assert document["summary"] == {"error": 0, "warning": 0, "info": 0}


def test_text_format_is_the_default_and_exits_0(write_map: WriteMap) -> None:
    result = invoke("validate", write_map(CLEAN))
    assert result.exit_code == 0
    assert result.stdout.strip()


def test_errors_exit_1(write_map: WriteMap) -> None:
    status, document = validate_json(write_map(ERRORS))
    assert status == 1
    assert "FM201" in codes(document)


@pytest.mark.parametrize(("text", "fail_on", "expected"), [
    (WARNINGS_ONLY, None, 0),
    (WARNINGS_ONLY, "error", 0),
    (WARNINGS_ONLY, "warning", 1),
    (WARNINGS_ONLY, "never", 0),
    (ERRORS, "warning", 1),
    (ERRORS, "never", 0),
    (CLEAN, "warning", 0),
])
def test_fail_on(write_map: WriteMap, text: str, fail_on: str | None, expected: int) -> None:
    options = ["--fail-on", fail_on] if fail_on else []
    status, document = validate_json(write_map(text), *options)
    assert status == expected
    if text == WARNINGS_ONLY:
        assert codes(document) == {"FM305"}


@pytest.mark.parametrize(("options", "expected_codes", "expected_status"), [
    (["--select", "FM201"], {"FM201"}, 1),
    (["--select", "FM2"], {"FM201"}, 1),
    (["--select", "fm2"], {"FM201"}, 1),
    (["--select", "FM3"], {"FM304"}, 0),
    (["--select", "FM304,FM201"], {"FM201", "FM304"}, 1),
    (["--ignore", "FM201"], {"FM304"}, 0),
    (["--ignore", "FM2"], {"FM304"}, 0),
    (["--ignore", "FM2,FM3"], set(), 0),
    (["--select", "FM", "--ignore", "FM201"], {"FM304"}, 0),
    (["--select", "FM3", "--fail-on", "warning"], {"FM304"}, 1),
])
def test_select_and_ignore_by_code_and_prefix(write_map: WriteMap, options: list[str],
                                              expected_codes: set[str],
                                              expected_status: int) -> None:
    status, document = validate_json(write_map(ERRORS), *options)
    assert codes(document) == expected_codes
    assert status == expected_status
    assert document["summary"] == _count(document["findings"])


@pytest.mark.parametrize("args", [
    ["validate", "{missing}"],
    ["validate", "{missing}", "--format", "json"],
    ["render", "{missing}", "-o", "{out}"],
    ["validate", "{map}", "--fail-on", "sometimes"],
    ["validate", "{map}", "--format", "xml"],
    ["validate", "{map}", "--frobnicate"],
    ["validate"],
    ["render", "{map}"],
    ["render", "{map}", "-o", "{out}", "--format", "bmp"],
    ["no-such-command"],
])
def test_usage_errors_exit_2(write_map: WriteMap, tmp_path: Path, args: list[str]) -> None:
    names = {"missing": str(tmp_path / "no-such-map"), "map": str(write_map(CLEAN)),
             "out": str(tmp_path / "out.svg")}
    result = invoke(*(a.format(**names) for a in args))
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    assert result.stderr.strip()
    assert_no_traceback(result.output)
    assert not (tmp_path / "out.svg").exists()


def test_missing_path_is_named_in_the_error(tmp_path: Path) -> None:
    proc = run("validate", tmp_path / "no-such-map")
    assert proc.returncode == 2
    assert "no-such-map" in proc.stderr
    assert proc.stdout == ""
    assert_no_traceback(proc.stderr)


# -- JSON output (FORMAT.md §3) -------------------------------------------------------

def _count(findings: list[dict[str, Any]]) -> dict[str, int]:
    counted = Counter(f["severity"] for f in findings)
    return {s: counted.get(s, 0) for s in SEVERITIES}


def test_json_output_shape(write_map: WriteMap) -> None:
    path = write_map(ERRORS)
    status, document = validate_json(path)
    assert status == 1
    assert set(document) == {"map", "findings", "summary"}
    assert document["map"] == "errs"
    assert set(document["summary"]) == set(SEVERITIES)
    assert document["summary"] == _count(document["findings"])
    for finding in document["findings"]:
        # FORMAT.md lets formats add optional keys; "review" is the reviewer's reason
        assert set(finding) - {"review"} == {"code", "severity", "message", "subject",
                                             "location", "accepted"}
        assert re.fullmatch(r"FM\d{3}", finding["code"])
        assert finding["severity"] in SEVERITIES
        assert isinstance(finding["message"], str) and finding["message"]
        assert set(finding["subject"]) == {"kind", "id"}
        assert finding["subject"]["kind"] in ("flow", "organisation", "information",
                                              "authority", "purpose", "map")
        assert set(finding["location"]) == {"file", "line", "column"}
        assert isinstance(finding["accepted"], bool)

    by_subject = {(f["code"], f["subject"]["id"]): f for f in document["findings"]}
    assert set(by_subject) == {("FM201", "bad"), ("FM201", "waived"), ("FM304", "spare")}
    bad = by_subject["FM201", "bad"]
    assert bad["severity"] == "error" and bad["accepted"] is False
    assert bad["subject"] == {"kind": "flow", "id": "bad"}
    assert bad["location"] == {"file": str(path), "line": 9, "column": 5}
    waived = by_subject["FM201", "waived"]
    assert waived["severity"] == "info" and waived["accepted"] is True
    assert waived["location"] == {"file": str(path), "line": 10, "column": 5}
    spare = by_subject["FM304", "spare"]
    assert spare["severity"] == "warning" and spare["accepted"] is False
    assert spare["subject"] == {"kind": "information", "id": "spare"}
    assert spare["location"] == {"file": str(path), "line": 7, "column": 5}
    assert document["summary"] == {"error": 1, "warning": 1, "info": 1}


def test_json_locations_of_a_directory_map_name_each_file(write_map: WriteMap) -> None:
    folder = write_map({
        "map.yaml": "map: {id: dir, title: Dir, as_of: 2024-01-01}\n",
        "orgs/all.yml": "organisations:\n  - {id: a, name: A, kind: ngo}\n",
        "flows.yaml": "flows:\n  - {id: f, from: a, to: b, information: [i]}\n",
    })
    _, document = validate_json(folder)
    files = {(f["code"], f["location"]["file"]) for f in document["findings"]}
    assert ("FM102", str(folder / "flows.yaml")) in files
    assert ("FM303", str(folder / "orgs" / "all.yml")) in files


# -- the real program ------------------------------------------------------------------

def test_console_script_and_python_m_agree(write_map: WriteMap) -> None:
    path = write_map(ERRORS)
    script = run("validate", "--format", "json", path)
    module = run("validate", "--format", "json", path, module=True)
    assert script.returncode == module.returncode == 1
    assert json.loads(script.stdout) == json.loads(module.stdout)
    assert codes(json.loads(script.stdout)) == {"FM201", "FM304"}


def test_console_script_version_and_help() -> None:
    assert run("--version").returncode == 0
    helped = run("--help")
    assert helped.returncode == 0
    for command in ("validate", "render", "rules", "schema"):
        assert command in helped.stdout


def test_rules_lists_every_code_the_loader_emits() -> None:
    result = invoke("rules", "--format", "json")
    assert result.exit_code == 0
    listed = {r["code"] for r in json.loads(result.stdout)}
    seen_in_these_tests = {"FM001", "FM002", "FM003", "FM004", "FM005", "FM006", "FM007",
                           "FM008", "FM009", "FM010", "FM011", "FM012", "FM101", "FM102",
                           "FM103", "FM104", "FM105", "FM201", "FM209", "FM304", "FM305"}
    assert seen_in_these_tests <= listed


#: bad inputs, as the bytes of one file (or a directory of files)
BAD_FILES: dict[str, bytes | dict[str, bytes]] = {
    "tabs": b"organisations:\n  - id: a\n\tname: A\n",
    "wrong-type": b"organisations:\n  - {id: a, name: [a], kind: ngo}\n",
    "unknown-key": b"organisations:\n  - {id: a, nmae: A, kind: ngo}\n",
    "bad-id": b"organisations:\n  - {id: Upper Case, name: A, kind: ngo}\n",
    "impossible-date": b"map: {id: t, title: T, as_of: 2019-02-30}\n",
    "non-date": b"map: {id: t, title: T, as_of: soon}\n",
    "datetime": b"map: {id: t, title: T, as_of: 2020-01-01 10:00:00}\n",
    "bad-url": b"organisations:\n  - {id: a, name: A, kind: ngo, url: 'javascript:x()'}\n",
    "ftp-url": b"organisations:\n  - {id: a, name: A, kind: ngo, url: 'ftp://x.org'}\n",
    "latin-1": b"map: {id: t, title: \"caf\xe9\"}\n",
    "utf-16": "map: {id: t, title: T}\n".encode("utf-16"),
    "nul": b"map: {id: t}\n\x00",
    "empty": b"",
    "list": b"- a\n- b\n",
    "scalar": b"42\n",
    "version-2": b"flowmap: 2\n",
    "duplicate-keys": b"map: {id: t, title: T}\nmap: {id: u, title: U}\n",
    "unknown-refs": b"flows:\n  - {id: f, from: a, to: b, information: [x], basis: [y],"
                    b" purpose: z}\n",
    "python-tag": b'map: !!python/object/apply:os.system ["echo hi"]\n',
    "alias-bomb": b"a: &a [1,1,1,1,1,1,1,1,1,1]\n" + b"".join(
        f"{n}: &{n} [{','.join([f'*{p}'] * 10)}]\n".encode()
        for p, n in zip("abcdefg", "bcdefgh")),
    "alias-cycle": b"a: &a [*a]\n",
    "deep": b"flows: " + b"[" * 200 + b"]" * 200 + b"\n",
    "complex-key": b"? [a]\n: x\n",
    "unclosed": b'map: {id: t, title: "T}\n',
    "items-not-mappings": b"flows: [1, null, [a]]\norganisations: x\n",
    "unknown-catalogue": b"map: {id: t, title: T, catalogues: [zz]}\n",
    "huge-int": b"map: {id: t, title: T, as_of: 99999999999999999999999}\n",
    "historical-no-dates": b"map: {id: t, title: T, as_of: 2024-01-01}\n"
                           b"organisations: [{id: a, name: A, kind: ngo},"
                           b" {id: b, name: B, kind: ngo}]\n"
                           b"information: [{id: i, name: I, category: personal.health}]\n"
                           b"authorities: [{id: x, title: X, type: statute,"
                           b" in_force: {from: 2030-01-01, until: 2020-01-01}}]\n"
                           b"flows: [{id: f, from: a, to: b, information: [i, i], basis: [x, x],"
                           b" status: historical}, {id: g, from: b, to: b, information: [i],"
                           b" review: [{code: FM999, reason: r, until: 2000-01-01}]}]\n",
    "duplicate-ids": {
        "a.yaml": b"organisations:\n  - {id: a, name: A, kind: ngo}\n",
        "sub/b.yml": b"organisations:\n  - {id: a, name: A, kind: ngo}\n"
                     b"information: [{id: a, name: A, category: unknown.root}]\n",
    },
    "empty-directory": {},
}


def _materialise(root: Path, name: str, content: bytes | dict[str, bytes]) -> Path:
    if isinstance(content, bytes):
        path = root / f"{name}.yaml"
        path.write_bytes(content)
        return path
    folder = root / name
    folder.mkdir()
    for rel, data in content.items():
        (folder / rel).parent.mkdir(parents=True, exist_ok=True)
        (folder / rel).write_bytes(data)
    return folder


def _run_all(commands: list[list[str]]) -> list[subprocess.CompletedProcess[str]]:
    """Run the installed program once per command, a few at a time."""
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    env.pop("FLOWMAP_DEBUG", None)
    width = max(2, os.cpu_count() or 2)
    done: list[subprocess.CompletedProcess[str]] = []
    for start in range(0, len(commands), width):
        batch = [(args, subprocess.Popen([str(FLOWMAP), *args], stdout=subprocess.PIPE,
                                         stderr=subprocess.PIPE, text=True, env=env))
                 for args in commands[start:start + width]]
        for args, proc in batch:
            out, err = proc.communicate(timeout=120)
            done.append(subprocess.CompletedProcess(args, proc.returncode, out, err))
    return done


def test_no_traceback_for_any_bad_input(tmp_path: Path) -> None:
    """Every bad input through the installed program: exit 1 with an error finding in
    JSON, never a traceback; and `render` of each draws what it can, without a trace."""
    paths = {name: _materialise(tmp_path, name, content)
             for name, content in BAD_FILES.items()}
    failures = []
    runs = _run_all([["validate", "--format", "json", str(p)] for p in paths.values()])
    for name, proc in zip(paths, runs):
        problem = None
        if "Traceback" in proc.stdout + proc.stderr or "internal error" in proc.stderr:
            problem = "traceback or internal error"
        elif proc.returncode != 1:
            problem = f"exited {proc.returncode}, expected 1"
        elif not any(f["severity"] == "error" for f in json.loads(proc.stdout)["findings"]):
            problem = "no error finding"
        if problem:
            failures.append(f"validate {name}: {problem}\n{proc.stdout[-600:]}{proc.stderr[-600:]}")
    for name, path in paths.items():
        result = invoke("render", path, "-o", tmp_path / f"{name}.svg")
        if result.exit_code not in (0, 1) or "Traceback" in result.output \
                or "internal error" in result.output or result.exception is not None \
                and not isinstance(result.exception, SystemExit):
            failures.append(f"render {name}: exit {result.exit_code}\n{result.output[-600:]}")
    assert not failures, "\n\n".join(failures)
