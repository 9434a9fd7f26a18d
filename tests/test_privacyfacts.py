"""Privacy-review facts and an agency's own `x-` keys, read and kept as a user writes them."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from flowmap.cli import main

FACTS = """\
map: {id: facts, title: Facts, as_of: 2024-01-01}
organisations:
  - id: ngo
    name: An NGO
    kind: ngo
    x-crm-id: ORG-17
  - id: msd
    name: Ministry
    kind: government-department
    privacy:
      officer: {name: Privacy Officer, email: privacy@msd.govt.nz}
      statement: https://www.msd.govt.nz/privacy
      access: Ask any case manager, or write to the Privacy Officer.
information:
  - {id: client, name: Client record, category: personal.benefit}
authorities:
  - {id: ipp11, title: Privacy Act 2020 IPP 11, type: privacy-principle}
flows:
  - id: referral
    from: ngo
    to: msd
    information: [client]
    basis: [ipp11]
    privacy:
      notice: {how: Told at intake, statement: https://ngo.org.nz/privacy}
      choice: {offered: opt-out, how: Tell your worker}
      pia: PIA-2024-03
      agreement: Referral MOU 2023
      safeguards: [Sent by secure email, Only the case manager reads it]
      retention: Seven years
      maori_data: false
    x-owner: Service design team
    x-review-date: 2025-01-01
"""


def _validate(path: Path) -> tuple[int, dict[str, object]]:
    result = CliRunner().invoke(main, ["validate", str(path), "--format", "json"])
    return result.exit_code, json.loads(result.output)


def _codes(document: dict[str, object]) -> list[tuple[str, str]]:
    findings = document["findings"]
    assert isinstance(findings, list)
    return [(f["code"], f["message"]) for f in findings]


def test_every_fact_and_own_key_reads_with_no_finding(tmp_path: Path) -> None:
    path = tmp_path / "map.yaml"
    path.write_text(FACTS, encoding="utf-8")
    status, document = _validate(path)
    assert (status, _codes(document)) == (0, [])


def test_fmt_keeps_own_keys_and_facts(tmp_path: Path) -> None:
    path = tmp_path / "map.yaml"
    path.write_text(FACTS, encoding="utf-8")
    result = CliRunner().invoke(main, ["fmt", str(path)])
    assert result.exit_code == 0, result.output
    text = path.read_text(encoding="utf-8")
    for kept in ("x-crm-id: ORG-17", "x-owner: Service design team", "x-review-date: 2025-01-01",
                 "pia: PIA-2024-03", "maori_data: false"):
        assert kept in text
    assert _validate(path)[0] == 0


def test_bad_facts_are_located_errors(tmp_path: Path) -> None:
    path = tmp_path / "map.yaml"
    bad = (FACTS.replace("privacy@msd.govt.nz", "privacy at msd")
           .replace("{offered: opt-out, how: Tell your worker}", "{offered: none}")
           .replace("retention: Seven years", "retension: Seven years"))
    path.write_text(bad, encoding="utf-8")
    status, document = _validate(path)
    assert status == 1
    schema_errors = [f for f in document["findings"]  # type: ignore[attr-defined]
                     if f["code"] in ("FM004", "FM005")]
    messages = " | ".join(f["message"] for f in schema_errors)
    assert "not an email address: privacy at msd" in messages
    assert "choice `none` needs `why:`" in messages
    assert "unknown key 'retension'" in messages and "did you mean 'retention'" in messages
    assert len({f["location"]["line"] for f in schema_errors}) == 3


def test_choice_must_agree_with_the_consent_record(tmp_path: Path) -> None:
    path = tmp_path / "map.yaml"
    path.write_text(FACTS.replace("    privacy:\n      notice", "    consent: {obtained: at intake}"
                                  "\n    privacy:\n      notice"), encoding="utf-8")
    status, document = _validate(path)
    assert status == 1
    assert any("consent record says consent" in m for _, m in _codes(document))


def test_schema_allows_own_keys_and_describes_facts() -> None:
    schema = json.loads(CliRunner().invoke(main, ["schema"]).output)
    flow = schema["$defs"]["Flow"]
    assert "^x-" in flow["patternProperties"]
    assert "privacy" in flow["properties"] and "x-" not in flow["properties"]
    assert "^x-" in schema["$defs"]["Organisation"]["patternProperties"]
