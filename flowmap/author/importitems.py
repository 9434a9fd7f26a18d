"""The item sheets of a register workbook: the `map:` block and the map's own
organisations, information, purposes, authorities and classes, a column per key of the
format and one per own (``x-``) key (as `flowmap register --format xlsx` writes them),
read back as the items they were.
"""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from flowmap.author import roundtrip
from flowmap.author.importer import Problem, Reading, normalise_heading
from flowmap.model.entities import SECTIONS, MapInfo
from flowmap.common.sheet import Table, unprefix

#: the sections a workbook may carry on sheets of their own, by the sheet's name
ITEM_SECTIONS = ("map", "organisations", "information", "purposes", "authorities", "classes")


def item_tables(tables: list[Table]) -> dict[str, Table]:
    """section → its sheet, for the sheets named after a section ("Organisations")."""
    found = {}
    for table in tables:
        name = table.source.rsplit("[", 1)[-1].rstrip("]").strip().casefold()
        if name in ITEM_SECTIONS:
            found[name] = table
    return found


def read_items(section: str, table: Table, reading: Reading) -> list[dict[str, Any]]:
    """The valid items of a section's sheet; each invalid one is an error at its row."""
    if not table.rows:
        return []
    first, headings = table.rows[0]
    columns = {normalise_heading(c.path): c for c in roundtrip.columns(section, frozenset())}
    by_column = {n: columns[normalise_heading(h)] for n, h in enumerate(headings)
                 if normalise_heading(h) in columns}
    own = {n: h.strip() for n, h in enumerate(headings) if h.strip().startswith("x-")}
    found = {c.path for c in by_column.values()}
    if section == "map" and not {"id", "title"} <= found:
        return []  # a sheet of the workbook's own called Map, not a register's `map:` block
    if "id" not in found:
        reading.problems.append(_problem(table, first, 0, f"the {section} sheet has no id "
                                         "column, so its items are not imported"))
        return []
    model = MapInfo if section == "map" else SECTIONS[section][0]
    items = []
    for number, cells in table.rows[1:]:
        if not any(c.strip() for c in cells):
            continue
        data: dict[str, Any] = {}
        try:
            for index, column in by_column.items():
                text = unprefix(cells[index].strip()) if index < len(cells) else ""
                if text:
                    roundtrip.put(data, column.path, roundtrip.parse(column, text))
            for index, key in own.items():
                text = unprefix(cells[index].strip()) if index < len(cells) else ""
                if text:
                    data[key] = roundtrip.own_value(text)
            model.model_validate(data)
        except (roundtrip.CellError, ValidationError) as exc:
            reading.problems.append(_problem(table, number, 0, f"{section} item not "
                                             f"imported: {_first_error(exc)}"))
            continue
        items.append(data)
    return items


def _first_error(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        error = exc.errors()[0]
        where = ".".join(str(p) for p in error["loc"])
        return f"{where}: {error['msg']}" if where else str(error["msg"])
    return str(exc)


def _problem(table: Table, row: int, column: int, message: str) -> Problem:
    return Problem(table.source, row, column, "error", message)
