"""The register's columns for what its named columns do not hold, so that a map
written as a register and imported again comes back the same.

The named columns (From, To, Information, Legal basis, ...) hold what people
read. Every other key of a flow (`since`, `consent.obtained`, `justification`,
`review`, and any key added to the model later) gets a column headed by its
path in the format, found from the models' JSON Schema: a scalar per cell, a
list of values joined by `; `, a list of mappings (`review`) one YAML mapping
per line. An agency's own keys (``x-...``) get a column each, headed by the key.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import yaml

from flowmap.docs.keys import keys_of
from flowmap.model.schema import map_schema

#: flow keys the register's named columns hold ("basis" has a round-trip column too: its
#: ids, for citations that several authorities share)
NAMED = frozenset({"id", "from", "to", "information", "purpose", "identifiability",
                   "status", "frequency", "description"})


@dataclass(frozen=True)
class Column:
    path: str   # consent.obtained: the key's path in a flow, and the column's heading
    value: str  # what it takes, as the format reference says (text, date, true/false...)
    #: an empty list is the default, so it is an empty cell (else it is written "[]")
    empty_by_default: bool = True
    #: a value that is the key's default is an empty cell, so it stays a default
    default: Any = None

    @functools.cached_property
    def parts(self) -> tuple[str, ...]:
        """The keys of :attr:`path`, outermost first (asked for every row's cell)."""
        return tuple(self.path.split("."))


@functools.cache
def columns(section: str = "flows", named: frozenset[str] = NAMED) -> tuple[Column, ...]:
    """The round-trip columns of a section's items: every leaf key (or list of
    mappings) not among ``named``. Worked out once: the models do not change while
    flowmap runs, and a register asks for every row."""
    schema = map_schema()
    keys = keys_of(section, schema["properties"][section], schema)
    found: list[Column] = []
    whole: list[str] = []  # lists of mappings: one column, not one per key inside
    parents = {k.label.rsplit(".", 1)[0] for k in keys if "." in k.label}
    for key in keys:
        top = key.label.split(".")[0]
        if top in named or any(key.label.startswith(w + ".") for w in whole):
            continue
        if key.value == "list of mappings":
            whole.append(key.label)
        elif key.label in parents:
            continue  # a mapping: its keys have columns of their own
        found.append(Column(key.label, key.value, key.empty_by_default or
                            not key.value.startswith("list of"), key.default))
    return tuple(found)


def cell(item: Mapping[str, Any], column: Column) -> str:
    """The text of one round-trip cell for an item (its data as the format writes it)."""
    value: Any = item
    for part in column.parts:
        value = value.get(part) if isinstance(value, Mapping) else None
    if value in ([], ()) and not column.empty_by_default:
        return "[]"  # a list that says "none" (a scope covering no information)
    if value is None or value == [] or value == () or value == column.default:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        if all(isinstance(v, Mapping) for v in value):
            return "\n".join(_flow_yaml(dict(v)) for v in value)
        if any(";" in str(v) or "\n" in str(v) or str(v).startswith("[") for v in value):
            return json.dumps([str(v) for v in value], ensure_ascii=False)  # kept whole
        return "; ".join(str(v) for v in value)
    return str(value)


def _flow_yaml(item: dict[str, Any]) -> str:
    data = _plain({k: v for k, v in item.items() if v is not None})
    return yaml.safe_dump(data, default_flow_style=True, allow_unicode=True,
                          width=1 << 20, sort_keys=False).strip()


def _plain(value: Any) -> Any:
    """A model's dump as YAML writes it: tuples as lists, and dates left dates (so that
    they are read back as dates, not as text that looks like one)."""
    if isinstance(value, Mapping):
        return {k: _plain(v) for k, v in value.items() if v is not None}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


class CellError(ValueError):
    """A round-trip cell that does not hold what its column takes."""


def parse(column: Column, text: str) -> Any:
    """A round-trip cell's text as the value its key takes."""
    text = text.strip()
    if column.value == "text":
        return text
    if column.value.startswith("list of") and text == "[]":
        return []
    if column.value == "list of mappings":
        return [_mapping(line) for line in text.splitlines() if line.strip()]
    if column.value.startswith("list of"):
        return _whole_list(text) or [p.strip() for p in re.split(r"[;\n]", text) if p.strip()]
    if column.value == "true/false":
        word = text.casefold()
        if word not in ("true", "false"):
            raise CellError(f"{text!r} is not true or false")
        return word == "true"
    if "date" in column.value:
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            if column.value == "date":
                raise CellError(f"{text!r} is not a date; write YYYY-MM-DD") from None
            return text  # text or date
    return text


def _whole_list(text: str) -> list[str] | None:
    """A list written whole (``["one", "two; three"]``, as :func:`cell` writes a list
    whose values hold ``;``), else None."""
    if not text.startswith("["):
        return None
    try:
        value = json.loads(text)
    except ValueError:
        return None
    return value if isinstance(value, list) and all(isinstance(v, str) for v in value) \
        else None


def _mapping(line: str) -> dict[str, Any]:
    try:
        value = yaml.safe_load(line)
    except yaml.YAMLError as exc:
        raise CellError(f"{line[:60]!r} is not a YAML mapping ({exc.__class__.__name__})") \
            from None
    if not isinstance(value, dict):
        raise CellError(f"{line[:60]!r} is not a mapping such as {{code: FM203, reason: ...}}")
    return value


def put(item: dict[str, Any], path: str, value: Any) -> None:
    """Set ``value`` at ``path`` (consent.obtained) in an item's data."""
    *parents, last = path.split(".")
    for part in parents:
        item = item.setdefault(part, {})
    item[last] = value


# -- an agency's own (`x-`) keys: a column each, headed by the key --------------------

def own_keys(items: Iterable[Mapping[str, Any]]) -> list[str]:
    """The own keys (``x-...``) the items carry, sorted: the register's columns for them."""
    return sorted({key for own in items for key in own})


def own_cells(own: Mapping[str, Any], keys: Iterable[str]) -> list[str]:
    """An item's own keys' cells, in the columns ``keys``: empty where it has not the key."""
    return [own_cell(own[k]) if k in own else "" for k in keys]


def own_cell(value: Any) -> str:
    """An own key's value as a cell: a scalar as the round-trip columns write it, a list or
    mapping as one line of YAML (``[a, b]``), and text that would read back as something
    else (``12``, ``true``) in double quotes, so that :func:`own_value` gives it back."""
    if value is None:
        return "null"  # given empty (`x-key:`); an empty cell is a key not given
    if isinstance(value, bool):
        return "true" if value else "false"
    if value == "":
        return '""'  # an empty cell is a key not given
    if isinstance(value, str):
        plain = value == value.strip() and own_value(value) == value
        return value if plain else json.dumps(value, ensure_ascii=False)
    if isinstance(value, (list, tuple, Mapping)):
        return yaml.safe_dump(value if isinstance(value, Mapping) else list(value),
                              default_flow_style=True, allow_unicode=True, width=1 << 20,
                              sort_keys=False).strip()
    return str(value)


def own_value(text: str) -> Any:
    """An own key's cell as its value: what :func:`own_cell` writes is read back as it was
    (a number, true/false, a date, a list, quoted text); any other text is kept as text."""
    try:
        value = yaml.safe_load(text)
    except yaml.YAMLError:
        return text
    if isinstance(value, str):
        return value if text[:1] in ("'", '"') else text
    if value is None:
        return None if text == "null" else text
    return value if own_cell(value) == text else text
