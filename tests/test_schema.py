"""`flowmap schema`: a Draft 2020-12 JSON Schema that agrees with the loader."""

from __future__ import annotations

import datetime as dt
import json
import sys
import subprocess
import textwrap
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from click.testing import CliRunner

from flowmap.cli import main
from flowmap.load.loader import load
from tests.conftest import EXAMPLES, TODAY

FLOWMAP = Path(sys.executable).parent / "flowmap"

SMALL_MAP = """\
flowmap: 1
map:
  id: small
  title: A small map
  description: Everything optional written out once.
  as_of: 2024-01-01
  jurisdiction: NZ
  catalogues: []
organisations:
  - {id: ird, name: Inland Revenue, short: IR, kind: government-department,
     sector: government, country: NZ, url: "https://www.ird.govt.nz", description: Tax}
  - {id: acc, name: ACC, kind: crown-entity}
information:
  - {id: earnings, name: Earnings, category: personal.tax, description: Pay}
purposes:
  - {id: compensation, name: Compensation, description: Paying claims}
authorities:
  - id: taa-s18e
    title: Tax Administration Act 1994, s 18E
    type: statute
    instrument: Tax Administration Act 1994
    provision: s 18E
    url: https://www.legislation.govt.nz/act/public/1994/0166/latest/
    in_force: {from: 2019-04-18, until: null}
    scope: {from: [ird], to: [acc], information: [personal.tax], purposes: [compensation],
            cross_border: false}
    onward: forbidden
    needs_justification: false
    verified: true
    notes: Checked.
flows:
  - id: ird-acc
    from: ird
    to: acc
    information: [earnings]
    purpose: compensation
    basis: [taa-s18e]
    identifiability: identified
    status: active
    frequency: daily
    channel: api
    since: 2019-04-18
    until: null
    consent: {obtained: at-claim-lodgement, opt_out: false}
    justification: Required by statute.
    review:
      - {code: FM210, reason: Not applicable, by: Privacy Officer, until: 2099-01-01}
"""


def _schema() -> dict[str, Any]:
    result = CliRunner().invoke(main, ["schema"])
    assert result.exit_code == 0, result.output
    schema: dict[str, Any] = json.loads(result.stdout)
    return schema


@pytest.fixture(scope="module")
def validator() -> jsonschema.protocols.Validator:
    schema = _schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)


def _as_json(text: str) -> Any:
    """YAML as a JSON document would hold it: dates become ISO strings."""
    def convert(value: Any) -> Any:
        if isinstance(value, dict):
            return {str(k): convert(v) for k, v in value.items()}
        if isinstance(value, list):
            return [convert(v) for v in value]
        if isinstance(value, dt.date):
            return value.isoformat()
        return value
    return convert(yaml.safe_load(text))


def _errors(validator: jsonschema.protocols.Validator, text: str) -> list[str]:
    return [e.message for e in validator.iter_errors(_as_json(text))]


def test_schema_is_a_draft_2020_12_schema() -> None:
    schema = _schema()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(schema)
    assert jsonschema.validators.validator_for(schema) is jsonschema.Draft202012Validator


def test_console_script_prints_the_same_schema() -> None:
    proc = subprocess.run([str(FLOWMAP), "schema"], capture_output=True, text=True,
                          timeout=60)
    assert proc.returncode == 0
    assert json.loads(proc.stdout) == _schema()


def test_small_map_is_valid_for_the_schema_and_the_loader(
        validator: jsonschema.protocols.Validator, tmp_path: Path) -> None:
    assert _errors(validator, SMALL_MAP) == []
    path = tmp_path / "small.yaml"
    path.write_text(SMALL_MAP, encoding="utf-8")
    assert [f.code for f in load(path, today=TODAY).findings] == []


INVALID = {
    "unknown-top-level-key": "flowz: []\n",
    "unknown-flow-key": "flows:\n  - {id: f, from: a, to: b, information: [i], bassis: [x]}\n",
    "unknown-scope-key": "authorities:\n  - {id: x, title: X, type: statute,"
                         " scope: {form: [a]}}\n",
    "unknown-map-key": "map: {id: m, title: M, as-of: 2024-01-01}\n",
    "bad-id": "organisations:\n  - {id: Upper Case, name: A, kind: ngo}\n",
    "bad-kind": "organisations:\n  - {id: a, name: A, kind: charity}\n",
    "ftp-url": "organisations:\n  - {id: a, name: A, kind: ngo, url: 'ftp://x.org'}\n",
    "javascript-url": "organisations:\n  - {id: a, name: A, kind: ngo,"
                      " url: 'javascript:x()'}\n",
    "version-2": "flowmap: 2\n",
    "name-not-text": "purposes:\n  - {id: p, name: [a]}\n",
    "flow-without-information": "flows:\n  - {id: f, from: a, to: b, information: []}\n",
    "bad-review-code": "flows:\n  - {id: f, from: a, to: b, information: [i],"
                       " review: [{code: W1, reason: r}]}\n",
}


@pytest.mark.parametrize("text", INVALID.values(), ids=INVALID.keys())
def test_invalid_files_are_rejected_by_the_schema_and_the_loader(
        validator: jsonschema.protocols.Validator, tmp_path: Path, text: str) -> None:
    assert _errors(validator, text), "the schema accepts it"
    path = tmp_path / "bad.yaml"
    path.write_text(text, encoding="utf-8")
    codes = {f.code for f in load(path, today=TODAY).findings}
    assert codes & {"FM004", "FM005", "FM006", "FM008", "FM009"}, codes


def test_unknown_key_error_names_the_key(validator: jsonschema.protocols.Validator) -> None:
    errors = _errors(validator, textwrap.dedent("""\
        flows:
          - {id: f, from: a, to: b, information: [i], bassis: [x]}
        """))
    assert any("bassis" in e for e in errors)


def _example_files() -> list[Path]:
    if not EXAMPLES.is_dir():
        return []
    return sorted(p for p in EXAMPLES.rglob("*") if p.suffix in (".yaml", ".yml"))


@pytest.mark.parametrize(
    "path",
    _example_files() or [pytest.param(None, marks=pytest.mark.skip(
        reason=f"no example maps under {EXAMPLES} yet"))],
    ids=lambda p: str(p.relative_to(EXAMPLES)) if isinstance(p, Path) else "none",
)
def test_every_example_file_is_valid_for_the_schema(
        validator: jsonschema.protocols.Validator, path: Path) -> None:
    errors = _errors(validator, path.read_text(encoding="utf-8"))
    assert errors == [], errors[:5]


AGREE = {
    "empty-list-section": ("flows: []\n", True),
    "null-description": ("map: {id: m, title: M, description: null}\n", True),
    "bool-word": ("organisations:\n  - {id: a, name: A, kind: ngo, health_agency: yes}\n",
                  True),
    "date-in-consent": ("flows:\n  - {id: f, from: a, to: b, information: [i],"
                        " consent: {obtained: 2020-01-01}}\n", True),
    "date-as-words": ("map: {id: m, title: M, as_of: next tuesday}\n", False),
}
DISAGREE = {
    # a section key with nothing under it is an empty section, for both
    "empty-section": pytest.param("flows:\n", True, id="empty-section"),
    # booleans are true/false only: quoted words and numbers are refused by both
    "quoted-boolean": pytest.param(
        "authorities:\n  - {id: a, title: A, type: statute, verified: 'false'}\n", False,
        id="quoted-boolean"),
}


@pytest.mark.parametrize(
    ("text", "valid"),
    [pytest.param(t, v, id=k) for k, (t, v) in AGREE.items()] + list(DISAGREE.values()))
def test_schema_and_loader_agree(validator: jsonschema.protocols.Validator, tmp_path: Path,
                                 text: str, valid: bool) -> None:
    path = tmp_path / "case.yaml"
    path.write_text(text, encoding="utf-8")
    loader_errors = [f.code for f in load(path, today=TODAY).findings if f.code < "FM1"
                     and f.severity.value == "error"]
    schema_errors = _errors(validator, text)
    assert (loader_errors == []) == valid, loader_errors
    assert (schema_errors == []) == valid, schema_errors
