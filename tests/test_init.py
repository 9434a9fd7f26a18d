"""`flowmap init`, editor support and the pre-commit hooks: a new user's first steps.

The starter map must validate with no finding at all, render, be in `fmt`'s
canonical form, and validate against the JSON Schema written beside it (the
one yaml-language-server loads through each file's `$schema` modeline).
"""

from __future__ import annotations

import json
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from click.testing import CliRunner, Result

from flowmap.cli import main
from flowmap.author.scaffold import SCHEMA_FILE
from tests.conftest import REPO

FLOWMAP = Path(sys.executable).parent / "flowmap"
FILES = ["map.yaml", "organisations.yaml", "information.yaml", "purposes.yaml",
         "authorities.yaml", "flows.yaml"]
CATALOGUES = [pytest.param(None, id="plain"), pytest.param("nz", id="nz")]


def invoke(*args: str | Path) -> Result:
    return CliRunner().invoke(main, [str(a) for a in args])


def flow_groups(svg: Path) -> set[str]:
    groups = ET.parse(svg).getroot().iter("{http://www.w3.org/2000/svg}g")
    return {g.get("id", "") for g in groups if g.get("id", "").startswith("flow-")}


def init(directory: Path, catalogue: str | None) -> Result:
    return invoke("init", directory, *(["--catalogue", catalogue] if catalogue else []))


@pytest.mark.parametrize("catalogue", CATALOGUES)
def test_starter_validates_with_no_finding_at_all(tmp_path: Path,
                                                  catalogue: str | None) -> None:
    target = tmp_path / "our-map"
    result = init(target, catalogue)
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in target.iterdir()) == sorted([*FILES, SCHEMA_FILE])
    checked = invoke("validate", target, "--format", "json", "--fail-on", "warning")
    assert checked.exit_code == 0, checked.output
    document = json.loads(checked.stdout)
    assert document["findings"] == []
    assert document["map"] == "our-map"


@pytest.mark.parametrize("catalogue", CATALOGUES)
def test_starter_renders_and_is_already_formatted(tmp_path: Path,
                                                  catalogue: str | None) -> None:
    target = tmp_path / "map"
    init(target, catalogue)
    out = tmp_path / "map.svg"
    result = invoke("render", target, "-o", out)
    assert result.exit_code == 0, result.output
    assert len(flow_groups(out)) == 2
    assert invoke("fmt", "--check", target).exit_code == 0


@pytest.mark.parametrize("catalogue", CATALOGUES)
def test_every_file_names_the_schema_an_editor_can_load_offline(
        tmp_path: Path, catalogue: str | None) -> None:
    target = tmp_path / "map"
    init(target, catalogue)
    schema = json.loads((target / SCHEMA_FILE).read_text(encoding="utf-8"))
    assert schema == json.loads(invoke("schema").stdout)
    validator = jsonschema.Draft202012Validator(schema)
    for name in FILES:
        text = (target / name).read_text(encoding="utf-8")
        first = text.splitlines()[0]
        assert first == f"# yaml-language-server: $schema={SCHEMA_FILE}", name
        assert (target / first.split("=", 1)[1]).is_file()  # relative to the file
        data: Any = json.loads(json.dumps(yaml.safe_load(text), default=str))
        assert list(validator.iter_errors(data)) == [], name


def test_starter_is_commented(tmp_path: Path) -> None:
    init(tmp_path / "map", None)
    for name in FILES:
        text = (tmp_path / "map" / name).read_text(encoding="utf-8")
        assert sum(line.startswith("#") for line in text.splitlines()) >= 3, name


def test_refuses_a_directory_that_is_not_empty(tmp_path: Path) -> None:
    target = tmp_path / "map"
    target.mkdir()
    (target / "flows.yaml").write_text("flows: []  # mine\n", encoding="utf-8")
    result = init(target, None)
    assert result.exit_code == 2
    assert result.stderr.startswith(f"flowmap: {target} is not empty")
    assert len(result.stderr.splitlines()) == 1
    assert [p.name for p in target.iterdir()] == ["flows.yaml"]
    assert (target / "flows.yaml").read_text(encoding="utf-8") == "flows: []  # mine\n"


def test_an_empty_directory_is_fine_but_a_file_is_not(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    assert init(tmp_path / "empty", None).exit_code == 0
    (tmp_path / "file").write_text("x", encoding="utf-8")
    result = init(tmp_path / "file", None)
    assert result.exit_code == 2 and "is a file" in result.stderr


def test_unknown_catalogue_is_a_usage_error(tmp_path: Path) -> None:
    result = init(tmp_path / "map", "au")
    assert result.exit_code == 2
    assert "no starter for catalogue 'au'" in result.stderr
    assert not (tmp_path / "map").exists()


def test_init_edit_validate_render_as_the_readme_says(tmp_path: Path) -> None:
    def flowmap(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([str(FLOWMAP), *args], cwd=tmp_path, capture_output=True,
                              text=True, timeout=120)

    made = flowmap("init", "my-map", "--catalogue", "nz")
    assert made.returncode == 0, made.stderr
    assert "flowmap validate my-map" in made.stdout
    flows = tmp_path / "my-map" / "flows.yaml"
    flows.write_text(flows.read_text(encoding="utf-8") + """
  - id: us-ird-client-details
    from: our-organisation
    to: ird
    information: [client-contact]
""", encoding="utf-8")
    checked = flowmap("validate", "my-map")
    assert checked.returncode == 1
    assert "FM201" in checked.stdout and "flows.yaml" in checked.stdout
    drawn = flowmap("render", "my-map", "-o", "my-map.svg")
    assert drawn.returncode == 0, drawn.stderr
    assert "flow-us-ird-client-details" in flow_groups(tmp_path / "my-map.svg")


def test_pre_commit_hooks_run_flowmap_on_a_map() -> None:
    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    by_id = {h["id"]: h for h in hooks}
    validate = by_id["flowmap-validate"]
    assert validate["entry"] == "flowmap validate"
    assert validate["language"] == "python" and validate["pass_filenames"] is False
    for hook in hooks:
        # what pre-commit runs: the entry, then the args the user gives (a map path)
        command = [str(FLOWMAP), *hook["entry"].split()[1:], str(REPO / "flows" / "icld-2017")]
        run = subprocess.run(command, capture_output=True, text=True, timeout=120)
        assert run.returncode in (0, 1), run.stderr
        assert "Traceback" not in run.stderr
