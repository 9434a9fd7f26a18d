"""`flowmap import`: a register of flows (CSV or XLSX, one row per flow) → rows.

This module reads the register: it finds the heading row (headings matched
ignoring case, spacing and punctuation, with synonyms), and turns each row
into a :class:`FlowRow`, or into problems located by sheet, row and column.
:mod:`flowmap.importmap` makes the map from the rows. Nothing is dropped
silently: an unreadable row is an error, an ignored column or cell a warning.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Literal

from flowmap.model import CATEGORY_PATTERN, CATEGORY_ROOTS
from flowmap.sheet import Table, column_letter, unprefix
from flowmap.suggest import suggest

Severity = Literal["error", "warning"]
#: how a row reports an error in one of its cells: (field, message)
_Error = Callable[[str, str], None]

#: field → the headings it is read from (compared after :func:`normalise_heading`)
COLUMNS: dict[str, tuple[str, ...]] = {
    "flow": ("flow", "flow id", "id", "flow ref", "reference", "ref"),
    "from": ("from", "discloser", "disclosing agency", "disclosing organisation",
             "disclosing organization", "source", "sender", "shared by"),
    "to": ("to", "recipient", "receiving agency", "receiving organisation",
           "receiving organization", "receiver", "destination", "shared with"),
    "information": ("information", "information items", "information shared",
                    "personal information", "data", "data items"),
    "category": ("category", "categories", "information category", "information categories"),
    "purpose": ("purpose", "purpose of sharing", "purpose of disclosure"),
    "basis": ("legal basis", "legal bases", "basis", "legal authority", "authority",
              "authorities"),
    "links": ("links", "link", "url", "urls"),
    "identifiability": ("identifiability", "identifiable", "identification"),
    "status": ("lifecycle", "flow status", "state"),
    "frequency": ("frequency", "how often"),
    "channel": ("channel", "method", "how shared", "mechanism"),
    "notes": ("notes", "note", "description", "comments", "comment"),
}
REQUIRED = ("from", "to", "information")
#: columns `flowmap register` writes that are worked out by validation, not data:
#: read past without a warning ("status" only when a lifecycle column is present)
DERIVED = ("findings",)

IDENTIFIABILITY = {
    "identified": "identified", "identifiable": "identified", "named": "identified",
    "pseudonymised": "pseudonymised", "pseudonymized": "pseudonymised",
    "pseudonymous": "pseudonymised", "coded": "pseudonymised",
    "de-identified": "de-identified", "deidentified": "de-identified",
    "anonymised": "de-identified", "anonymized": "de-identified",
    "anonymous": "de-identified", "non-identifiable": "de-identified",
    "aggregate": "aggregate", "aggregated": "aggregate", "statistical": "aggregate",
}
STATUS = {
    "active": "active", "current": "active", "live": "active", "ongoing": "active",
    "proposed": "proposed", "planned": "proposed", "draft": "proposed",
    "historical": "historical", "historic": "historical", "ceased": "historical",
    "ended": "historical", "stopped": "historical", "former": "historical",
}
#: what `flowmap register` writes under "Status" (each flow's check result)
CHECK_STATUS = ("justified", "unjustified", "warning", "accepted")
FREQUENCY = {
    "real-time": "real-time", "realtime": "real-time", "continuous": "real-time",
    "daily": "daily", "weekly": "weekly", "monthly": "monthly",
    "yearly": "yearly", "annually": "yearly", "annual": "yearly",
    "on-request": "on-request", "on-demand": "on-request", "as-requested": "on-request",
    "ad-hoc": "ad-hoc", "adhoc": "ad-hoc", "as-needed": "ad-hoc", "occasional": "ad-hoc",
    "one-off": "one-off", "once": "one-off", "one-time": "one-off",
}
#: a Legal basis cell that means "no basis" (as `flowmap register` writes it)
NO_BASIS = ("none cited", "none", "n/a", "-", "nil")
UNVERIFIED = re.compile(r"\s*\(unverified\)\s*$", re.I)
_CATEGORY = re.compile(CATEGORY_PATTERN)


@dataclass(frozen=True)
class Problem:
    """Something wrong in the register, located as a spreadsheet shows it."""

    source: str
    row: int
    column: int
    severity: Severity
    message: str

    def __str__(self) -> str:
        where = self.source + (f":{self.row}" if self.row else "") + (
            f":{self.column}" if self.row and self.column else "")
        return f"{where}: {self.severity}: {self.message}"


@dataclass(frozen=True)
class FlowRow:
    """One readable row of the register, its cells split and its words normalised."""

    row: int
    flow_id: str
    discloser: str
    recipient: str
    information: tuple[str, ...]
    categories: tuple[str, ...]
    purpose: str
    basis: tuple[str, ...]
    unverified: frozenset[str]
    links: tuple[str, ...]
    identifiability: str | None
    status: str | None
    frequency: str | None
    channel: str
    notes: str
    #: field → the column (1-based) it was read from
    columns: Mapping[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class Header:
    row: int
    #: field → column (1-based)
    columns: Mapping[str, int]
    #: every column with text under its heading that is read (the others are reported)
    width: int


@dataclass
class Reading:
    """The rows read from a register, and what was wrong on the way."""

    source: str
    header: Header | None = None
    rows: list[FlowRow] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    skipped: int = 0

    def add(self, row: int, column: int, severity: Severity, message: str) -> None:
        self.problems.append(Problem(self.source, row, column, severity, message))

    def has(self, name: str) -> bool:
        return self.header is not None and name in self.header.columns


def normalise_heading(text: str) -> str:
    """ "  Legal  Basis (optional):" → "legal basis"."""
    text = re.sub(r"\([^)]*\)", " ", text.replace("\ufeff", ""))
    text = re.sub(r"[\s_\-]+", " ", text.casefold())
    return text.strip(" :*.?#")


_BY_HEADING = {h: name for name, headings in COLUMNS.items() for h in headings}


def _word(text: str) -> str:
    return re.sub(r"[\s_]+", "-", text.strip().casefold())


def split_cell(text: str) -> tuple[str, ...]:
    """The entries of a cell that lists several: separated by ';' or new lines."""
    return tuple(p.strip() for p in re.split(r"[;\n]", text) if p.strip())


def _label(field_name: str, header: Header) -> str:
    column = header.columns[field_name]
    return f"column {column_letter(column)} ({COLUMNS[field_name][0].title()})"


# -- the heading row -------------------------------------------------------------

def has_header(table: Table, search_rows: int = 20) -> bool:
    """True when one of the first rows names at least the From and To columns."""
    return any({"from", "to"} <= {_BY_HEADING.get(normalise_heading(c)) for c in cells}
               for _, cells in table.rows[:search_rows])


def find_header(table: Table, reading: Reading, search_rows: int = 20) -> Header | None:
    """The first row (of the first ``search_rows``) with From and To headings."""
    for number, cells in table.rows[:search_rows]:
        names = [_BY_HEADING.get(normalise_heading(c)) for c in cells]
        if "from" in names and "to" in names:
            return _read_header(number, cells, reading)
    wanted = ", ".join(COLUMNS[name][0].title() for name in REQUIRED)
    reading.add(1, 0, "error",
                f"no heading row: one of the first {search_rows} rows must name the "
                f"columns, at least {wanted} (headings are matched ignoring case and "
                "spacing; synonyms such as Discloser and Recipient work too)")
    return None


def _read_header(number: int, cells: tuple[str, ...], reading: Reading) -> Header | None:
    columns: dict[str, int] = {}
    normalised = [normalise_heading(c) for c in cells]
    has_lifecycle = any(_BY_HEADING.get(n) == "status" for n in normalised)
    width = 0
    for column, heading in enumerate(normalised, start=1):
        if not heading:
            continue
        width = column
        name = _BY_HEADING.get(heading)
        if heading == "status":
            name = None if has_lifecycle else "status"
            if name is None:
                continue  # the register's check result, beside its Lifecycle column
        if heading in DERIVED:
            continue
        if name is None:
            reading.add(number, column, "warning",
                        f"column {column_letter(column)} ({cells[column - 1].strip()!r}) is "
                        "not a register column, so its values are not imported"
                        f"{suggest(heading, _BY_HEADING)}; columns: "
                        + ", ".join(h[0].title() for h in COLUMNS.values()))
            continue
        if name in columns:
            reading.add(number, column, "warning",
                        f"column {column_letter(column)} repeats the "
                        f"{COLUMNS[name][0].title()} column "
                        f"({column_letter(columns[name])}); only the first is imported")
            continue
        columns[name] = column
    missing = [COLUMNS[n][0].title() for n in REQUIRED if n not in columns]
    if missing:
        reading.add(number, 0, "error",
                    f"the heading row has no {' or '.join(missing)} column; "
                    "each row needs From, To and Information")
        return None
    return Header(number, columns, width)


# -- the rows --------------------------------------------------------------------

def read_rows(table: Table) -> Reading:
    """Every row below the heading row: readable ones as FlowRows, the rest as problems."""
    reading = Reading(table.source)
    for row, column, note in table.notes:
        reading.add(row, column, "warning", note)
    header = find_header(table, reading)
    if header is None:
        return reading
    reading.header = header
    if "category" not in header.columns:
        reading.add(header.row, 0, "warning",
                    "no Category column: every information item is given the category "
                    "`personal`; set the right one (personal.health, personal.tax, ...) "
                    "in information.yaml")
    for number, cells in table.rows:
        if number <= header.row:
            continue
        values = tuple(unprefix(c.strip()) for c in cells)
        if not any(values):
            continue  # an empty row holds nothing to import
        flow = _read_row(reading, header, number, values)
        if flow is None:
            reading.skipped += 1
        else:
            reading.rows.append(flow)
    return reading


def _read_row(reading: Reading, header: Header, number: int,
              values: tuple[str, ...]) -> FlowRow | None:
    cols = header.columns
    before = len([p for p in reading.problems if p.severity == "error"])

    def cell(name: str) -> str:
        column = cols.get(name)
        return values[column - 1] if column and column <= len(values) else ""

    def error(name: str, message: str) -> None:
        reading.add(number, cols.get(name, 0), "error",
                    f"{_label(name, header)}: {message}; row not imported")

    for column in range(header.width + 1, len(values) + 1):
        if values[column - 1]:
            reading.add(number, column, "warning",
                        f"cell {column_letter(column)}{number} has no heading, so "
                        f"{values[column - 1][:40]!r} is not imported")
    for name, what in (("from", "the discloser"), ("to", "the recipient"),
                       ("information", "what information flows")):
        if not cell(name):
            error(name, f"empty; every flow needs {what}")
    information = split_cell(cell("information"))
    categories = _categories(cell("category"), len(information), error)
    identifiability = _vocabulary(cell("identifiability"), IDENTIFIABILITY, "identifiability",
                                  error)
    frequency = _vocabulary(cell("frequency"), FREQUENCY, "frequency", error)
    status = None
    if cell("status") and _word(cell("status")) not in CHECK_STATUS:
        status = _vocabulary(cell("status"), STATUS, "status", error)
    if len([p for p in reading.problems if p.severity == "error"]) > before:
        return None
    entries = [] if cell("basis").strip().casefold() in NO_BASIS else split_cell(cell("basis"))
    basis = tuple(UNVERIFIED.sub("", e) for e in entries)
    return FlowRow(
        row=number, flow_id=cell("flow"), discloser=cell("from"), recipient=cell("to"),
        information=information, categories=categories, purpose=cell("purpose"),
        basis=basis,
        unverified=frozenset(UNVERIFIED.sub("", e) for e in entries if UNVERIFIED.search(e)),
        links=tuple(u for u in re.split(r"[\s;,]+", cell("links")) if u),
        identifiability=identifiability, status=status, frequency=frequency,
        channel=cell("channel"), notes=cell("notes"), columns=dict(cols),
    )


def _vocabulary(text: str, words: Mapping[str, str], name: str,
                error: _Error) -> str | None:
    if not text:
        return None
    found = words.get(_word(text))
    if found is None:
        allowed = sorted(set(words.values()))
        error(name, f"{text!r} is not a word flowmap knows for {name}"
                    f"{suggest(_word(text), list(words))}; use one of: {', '.join(allowed)}")
    return found


def _categories(text: str, items: int, error: _Error) -> tuple[str, ...]:
    given = split_cell(text)
    if not given:
        return ()
    if len(given) not in (1, items):
        error("category", f"{items} information items but {len(given)} categories; give "
                          "one category for all, or one per item in the same order")
        return ()
    found = []
    for text_item in given:
        category = normalise_category(text_item)
        if category is None:
            error("category", f"{text_item!r} is not a category; write a dotted one such as "
                              "personal.health or non-personal.aggregate")
            return ()
        found.append(category)
    return tuple(found * items if len(found) == 1 else found)


def normalise_category(text: str) -> str | None:
    """ "Personal . Health" → "personal.health"; "health" → "personal.health"."""
    words = [re.sub(r"\s+", "-", w.strip().casefold()) for w in text.split(".")]
    category = ".".join(words)
    if not _CATEGORY.match(category):
        return None
    if words[0] in CATEGORY_ROOTS:
        return category
    for root, children in CATEGORY_ROOTS.items():
        if words[0] in children:
            return f"{root}.{category}"
    return category
