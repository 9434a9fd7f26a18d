"""Data-driven rule tests: each case under tests/cases states the codes it must produce.

A case is a map file (or a directory holding a map and an ``expect.txt``) whose
header says::

    # expect: FM201, FM303      (exactly these codes, as a set; "# expect:" alone = none)
    # today: 2026-01-01         (optional: the date reviews expire against)

Cases live in a folder named after the rule they are about (tests/cases/FM201/).
Every rule must have a case that produces its code and one in its folder that
does not (a near miss), so each rule is tested both ways.

The Data Protection and Use Policy lens (FM6xx) asks of every flow what the
law does not; a case about another family is compared without FM6xx codes
unless its folder is FM6xx or its header names one.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from flowmap.check.rules.registry import RULES
from flowmap.check.validate import check
from tests.conftest import TODAY

CASES = Path(__file__).parent / "cases"
LENS = "FM6"


def _cases() -> list[Path]:
    found = []
    for folder in sorted(p for p in CASES.iterdir() if p.is_dir()):
        for case in sorted(folder.iterdir()):
            if case.suffix in (".yaml", ".yml") or (case / "expect.txt").exists():
                found.append(case)
    return found


def _header(case: Path) -> tuple[set[str], dt.date]:
    source = (case / "expect.txt") if case.is_dir() else case
    text = source.read_bytes().decode("utf-8", "replace")
    expect = re.search(r"^#\s*expect:(.*)$", text, re.M)
    if expect is None:
        raise AssertionError(f"{case}: no '# expect:' line")
    today = re.search(r"^#\s*today:\s*(\S+)", text, re.M)
    codes = {c.strip() for c in expect.group(1).split(",") if c.strip()}
    return codes, dt.date.fromisoformat(today.group(1)) if today else TODAY


@pytest.mark.parametrize("case", _cases(), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_case_produces_exactly_its_codes(case: Path) -> None:
    expected, today = _header(case)
    result = check(case, today=today)
    produced = {f.code for f in result.findings}
    if not case.parent.name.startswith(LENS) and not any(c.startswith(LENS) for c in expected):
        produced = {c for c in produced if not c.startswith(LENS)}
    detail = "\n".join(f"{f.location}: {f.code} {f.message}" for f in result.findings)
    assert produced == expected, f"{case}\n{detail}"


def test_every_rule_has_a_case_that_triggers_it_and_one_that_does_not() -> None:
    missing = []
    for rule in RULES:
        folder = CASES / rule.code
        cases = [c for c in _cases() if c.parent == folder]
        codes = [_header(c)[0] for c in cases]
        if not any(rule.code in c for c in codes):
            missing.append(f"{rule.code}: no case producing it in {folder.name}/")
        if not any(rule.code not in c for c in codes):
            missing.append(f"{rule.code}: no near-miss case in {folder.name}/")
    assert not missing, "\n".join(missing)


def test_every_rule_is_documented() -> None:
    for rule in RULES:
        assert re.fullmatch(r"FM\d{3}", rule.code)
        assert rule.title and rule.what and rule.why and rule.fix, rule.code
    assert len({r.code for r in RULES}) == len(RULES)
