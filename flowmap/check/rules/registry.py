"""Every rule, collected from the modules of each code family, in code order."""

from __future__ import annotations

from types import ModuleType

from flowmap.check.rules import basis, compose, dpup, network, references, review
from flowmap.common import loadcodes
from flowmap.common.rule import Rule

FAMILIES: tuple[ModuleType, ...] = (loadcodes, references, basis, network, review, compose,
                                     dpup)


def _collect(modules: tuple[ModuleType, ...]) -> tuple[Rule, ...]:
    found = {v.code: v for m in modules for v in vars(m).values() if isinstance(v, Rule)}
    return tuple(found[code] for code in sorted(found))


RULES: tuple[Rule, ...] = _collect(FAMILIES)
BY_CODE: dict[str, Rule] = {r.code: r for r in RULES}
