"""Every key of every section survives `flowmap register --format xlsx` then `flowmap import`.

The map is generated from the models (`flowmap.author.roundtrip.columns`, which reads
the format's JSON Schema): every key of the `map:` block, of organisations, information,
purposes, authorities, classes and flows gets a value that is not its default, and every
item that may carry an agency's own (`x-`) keys gets some of each kind. A key added to
the format later is in this map automatically; one whose kind of value the generator does
not know fails here until it does.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from pathlib import Path
from typing import Any

import yaml
from click.testing import CliRunner

from flowmap.author import roundtrip
from flowmap.check.validate import Result, check
from flowmap.cli import main
from flowmap.model.entities import SECTIONS, MapInfo

TODAY = dt.date(2026, 1, 1)
ITEMS = ("organisations", "information", "purposes", "authorities", "classes")
#: keys whose value refers to items the generated map declares
REFERENCES = {"from": "ngo", "to": "ministry", "information": ["client"], "purpose": "help",
              "basis": ["own-act"]}
#: a list of mappings is not a leaf value: one sample each (a new one fails below)
MAPPINGS: dict[str, list[dict[str, Any]]] = {
    "legs": [{"id": "give", "title": "The NGO gives client records to the Ministry",
              "provision": "s 2(1)", "scope": {"from": ["ngo"], "to": ["msd"]},
              "onward": "forbidden", "verified": False, "notes": "the first leg"}],
    "versions": [{"id": "v2020", "in_force": {"from": dt.date(2020, 1, 1)},
                  "title": "Own Act as amended", "provision": "s 2A"}],
    "review": [{"code": "FM203", "reason": "accepted by the privacy officer",
                "by": "Jo Smith", "until": dt.date(2027, 6, 30)}],
}
#: text keys the model checks further
TEXTS = {"privacy.officer.email": "privacy@ngo.example.nz"}
#: an agency's own keys, one of each kind of value a cell holds
OWN = {"x-contract": "C-2024-17", "x-ref": "00123", "x-records": 1200, "x-ok": True,
       "x-due": dt.date(2025, 1, 1), "x-teams": ["Intake", "Case management"],
       "x-blank": "", "x-none": None, "x-null-text": "null", "x-formula": "=SUM(A1)"}


def sample(column: roundtrip.Column, days: itertools.count[int]) -> Any:
    """A value for a column that is not its key's default."""
    value = column.value.replace(" (at least 1)", "")
    if value.startswith("list of ") and value != "list of mappings":
        one = roundtrip.Column(column.path, value.removeprefix("list of "))
        return [sample(one, days)] if value != "list of text" else ["one", "two; three"]
    choices = re.findall(r"`([^`]+)`", value) if value.startswith("one of") else []
    simple = {"id": "ngo", "text": f"Text of {column.path}: with #, quotes ' and \"",
              "URL": f"https://example.org/{column.path}", "country": "AU",
              "category": "personal.health", "text or date": "at enrolment",
              "date": dt.date(2020, 1, 1) + dt.timedelta(days=next(days)),
              "true/false": column.default is not True}
    if column.path in TEXTS:
        return TEXTS[column.path]
    if choices:
        return next(c for c in choices if c != column.default)
    assert value in simple, f"no sample for {column.path} ({column.value}): add one"
    return simple[value]


def item(section: str, item_id: str) -> dict[str, Any]:
    """An item of ``section`` with every key given."""
    days = itertools.count(0, 30)  # later keys later dates: `from` before `until`
    data: dict[str, Any] = {}
    for column in roundtrip.columns(section, frozenset()):
        top = column.path.split(".")[0]
        if column.value == "list of mappings":
            assert column.path in MAPPINGS, f"no sample for {section} {column.path}: add one"
            roundtrip.put(data, column.path, MAPPINGS[column.path])
        elif section == "flows" and top in REFERENCES:
            data[top] = REFERENCES[top]
        else:
            roundtrip.put(data, column.path, sample(column, days))
    data["id"] = item_id
    model = MapInfo if section == "map" else SECTIONS[section][0]
    if "own" in model.model_fields:
        data.update(OWN)
    return data


def every_key_map() -> dict[str, Any]:
    orgs = [item("organisations", "ngo"), item("organisations", "ministry")]
    orgs[1]["name"] = "The Ministry"  # two organisations may not share a name
    orgs[1]["short"] = "Min"
    info = {**item("map", "every-key"), "catalogues": ["nz"]}
    return {"flowmap": 1, "map": info, "organisations": orgs,
            "information": [item("information", "client")],
            "purposes": [item("purposes", "help")],
            "authorities": authorities(),
            "classes": [item("classes", "carers")],
            "flows": [item("flows", "referral")]}


def authorities() -> list[dict[str, Any]]:
    """An authority gives either a scope or legs: one of each, between them every key."""
    scoped, in_legs = item("authorities", "own-act"), item("authorities", "own-act-legs")
    del scoped["legs"], in_legs["scope"]
    in_legs["title"] = "Own Act, by legs"
    return [scoped, in_legs]


def everything(result: Result) -> dict[str, Any]:
    """The loaded map's own content: the `map:` block, and every item the map declares
    (not the catalogue's), with its own keys."""
    m = result.map
    found: dict[str, Any] = {"map": m.info.model_dump()}
    for section in (*ITEMS, "flows"):
        found[section] = {i: (x.model_dump(), getattr(x, "own", {}))
                          for i, x in getattr(m, section).items()
                          if not m.from_catalogue(section, i)}
    return found


def written(directory: Path) -> dict[str, Any]:
    """The sections an import wrote, as their YAML says (items by id)."""
    found: dict[str, Any] = {}
    for path in sorted(directory.glob("*.yaml")):
        for section, value in yaml.safe_load(path.read_text(encoding="utf-8")).items():
            if section != "flowmap":
                found[section] = value
    return by_id(found)


def by_id(sections: dict[str, Any]) -> dict[str, Any]:
    return {s: {i["id"]: i for i in v} if isinstance(v, list) else v
            for s, v in sections.items() if s != "flowmap"}


def register_then_import(tmp_path: Path, fmt: str) -> tuple[dict[str, Any], Path, Path]:
    """The generated map, the map file it was written to, and the directory that
    `flowmap import` made from its ``fmt`` register."""
    original = every_key_map()
    source = tmp_path / "map.yaml"
    source.write_text(yaml.safe_dump(original, sort_keys=False), encoding="utf-8")
    exported = tmp_path / f"register.{fmt}"
    result = CliRunner().invoke(main, ["register", str(source), "--format", fmt,
                                       "-o", str(exported)])
    assert result.exit_code in (0, 1), result.output
    back = tmp_path / "back"
    result = CliRunner().invoke(main, ["import", str(exported), "-o", str(back)])
    assert result.exit_code == 0, result.output
    return original, source, back


def test_every_key_of_every_section_comes_back_through_xlsx(tmp_path: Path) -> None:
    original, source, back = register_then_import(tmp_path, "xlsx")
    before = check(source, today=TODAY)
    assert before.map.flows and not before.map.incomplete, "the generated map must load whole"
    assert written(back) == by_id(original)  # what the user wrote, key for key
    after = check(back, today=TODAY)
    assert everything(after) == everything(before)
    assert sorted((f.code, f.subject.id) for f in after.findings) == \
        sorted((f.code, f.subject.id) for f in before.findings)


def test_every_key_of_a_flow_comes_back_through_csv(tmp_path: Path) -> None:
    """A CSV register is one table of flows: every key of a flow comes back (the items
    it names are made again from their names, so their ids may differ)."""
    original, _, back = register_then_import(tmp_path, "csv")
    named = {"from", "to", "information", "purpose"}
    flow = {k: v for k, v in original["flows"][0].items() if k not in named}
    assert {k: v for k, v in written(back)["flows"]["referral"].items()
            if k not in named} == flow
