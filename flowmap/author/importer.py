"""`flowmap import`: a register of flows (CSV or XLSX, one row per flow) → rows.

This module reads the register: it finds the heading row (headings matched
ignoring case, spacing and punctuation, with synonyms), and turns each row
into a :class:`FlowRow`, or into problems located by sheet, row and column.
:mod:`flowmap.author.importmap` makes the map from the rows. Nothing is dropped
silently: an unreadable row is an error, an ignored column or cell a warning.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Literal

from flowmap.author import roundtrip
from flowmap.common.headings import NO, YES, heading_field, looks_like_basis, yes_no
from flowmap.model.entities import CATEGORY_PATTERN, CATEGORY_ROOTS
from flowmap.model.privacyfacts import OWN_PREFIX
from flowmap.common.sheet import Table, column_letter, unprefix
from flowmap.common.suggest import suggest

Severity = Literal["error", "warning", "note"]
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
    "country": ("country", "recipient country", "overseas"),
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
NO_BASIS = ("none cited", "none", "n/a", "-", "nil", "na", "n.a.", "not applicable")
#: a Legal basis cell that says the basis is not known: no basis, and a warning
UNKNOWN_BASIS = ("tbc", "tbd", "tba", "unknown", "not known", "to be confirmed",
                 "to be determined", "?", "??", "unsure", "check")
#: a --column that reads nothing from its column
IGNORE = "ignore"
#: countries a register may name in words (others: their two-letter ISO code)
COUNTRIES = {
    "new zealand": "NZ", "aotearoa": "NZ", "aotearoa new zealand": "NZ",
    "australia": "AU", "united states": "US", "united states of america": "US", "usa": "US",
    "united kingdom": "GB", "uk": "GB", "great britain": "GB", "england": "GB",
    "canada": "CA", "ireland": "IE", "singapore": "SG", "india": "IN", "philippines": "PH",
    "fiji": "FJ", "samoa": "WS", "tonga": "TO", "cook islands": "CK", "niue": "NU",
    "japan": "JP", "china": "CN", "germany": "DE", "france": "FR", "netherlands": "NL",
}
#: the country of a recipient a register says is overseas without saying where
#: (ISO 3166's code for an unknown country), so the cross-border check still applies
UNKNOWN_COUNTRY = "ZZ"
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
    #: the recipient's country (ISO code), when the register says
    country: str | None = None
    #: (key path, cell text) of the round-trip columns (flowmap.author.roundtrip) and own keys
    extra: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Header:
    row: int
    #: field → column (1-based)
    columns: Mapping[str, int]
    #: every column with text under its heading that is read (the others are reported)
    width: int
    #: field → (what a yes means, what a no means), for a column that asks a question
    yes_no: Mapping[str, tuple[str, str]] = field(default_factory=dict)
    #: key path → column, for the round-trip columns (and own keys: `x-...` → column)
    extra: Mapping[str, int] = field(default_factory=dict)


@dataclass
class Reading:
    """The rows read from a register, and what was wrong on the way."""

    source: str
    header: Header | None = None
    rows: list[FlowRow] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    skipped: int = 0
    #: a title written above the heading row (a merged title row), if any
    title: str = ""
    #: normalised heading → field (or IGNORE), as --column gives them
    overrides: Mapping[str, str] = field(default_factory=dict)

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


def own_key(heading: str) -> bool:
    """True for a heading that is an agency's own key (``x-contract-number``): its cells
    are imported as that key of each flow."""
    key = heading.strip()
    return key.startswith(OWN_PREFIX) and len(key) > len(OWN_PREFIX)


def _label(field_name: str, header: Header) -> str:
    column = header.columns[field_name]
    return f"column {column_letter(column)} ({COLUMNS[field_name][0].title()})"


# -- the heading row -------------------------------------------------------------

def field_of(heading: str, overrides: Mapping[str, str] | None = None) -> str | None:
    """The field a heading names: as --column says, else a known heading, else by its
    words (:mod:`flowmap.common.headings`)."""
    key = normalise_heading(heading)
    if overrides and key in overrides:
        return overrides[key]
    if key in ("status", *DERIVED):
        return None
    return _BY_HEADING.get(key) or heading_field(heading)


def has_header(table: Table, search_rows: int = 20,
               overrides: Mapping[str, str] | None = None) -> bool:
    """True when one of the first rows names at least the From and To columns."""
    return any({"from", "to"} <= {field_of(c, overrides) for c in cells}
               for _, cells in table.rows[:search_rows])


def find_header(table: Table, reading: Reading, search_rows: int = 20) -> Header | None:
    """The first row (of the first ``search_rows``) with From and To headings; a row
    above it with one cell of text is the register's title."""
    best: tuple[int, int, tuple[str, ...]] | None = None
    for number, cells in table.rows[:search_rows]:
        names = [field_of(c, reading.overrides) for c in cells]
        if "from" in names and "to" in names:
            return _read_header(number, cells, reading)
        texts = [c.strip() for c in cells if c.strip()]
        if len(texts) == 1 and not reading.title:
            reading.title = texts[0]
        understood = sum(1 for n in names if n and n != IGNORE)
        if len(texts) > 1 and (best is None or understood > best[0]):
            best = (understood, number, cells)
    wanted = ", ".join(COLUMNS[name][0].title() for name in REQUIRED)
    near = ""
    if best is not None:
        _, number, cells = best
        unread = [c.strip() for c in cells if c.strip() and field_of(c, reading.overrides)
                  is None]
        found = sorted({n for n in (field_of(c, reading.overrides) for c in cells) if n})
        near = (f"; the nearest is row {number}, where " +
                (f"{', '.join(COLUMNS[f][0].title() for f in found if f in COLUMNS)} were "
                 "understood but " if found else "") +
                (f"{', '.join(repr(u) for u in unread)} were not" if unread else
                 "no From or To column was found") +
                " (name a column with --column 'Heading=from')")
    reading.add(1, 0, "error",
                f"no heading row: one of the first {search_rows} rows must name the "
                f"columns, at least {wanted} (headings are read by their words: "
                f"'Disclosing agency', 'Recipient', 'Information shared' work too){near}")
    return None


def _read_header(number: int, cells: tuple[str, ...], reading: Reading) -> Header | None:
    columns: dict[str, int] = {}
    normalised = [normalise_heading(c) for c in cells]
    has_lifecycle = any(field_of(c, reading.overrides) == "status" for c in cells)
    width = 0
    yes_no_columns: dict[str, tuple[str, str]] = {}
    unread: list[tuple[int, str]] = []
    extra: dict[str, int] = {}
    round_trip = {normalise_heading(c.path): c.path for c in roundtrip.columns()}
    for column, heading in enumerate(normalised, start=1):
        if not heading:
            continue
        width = column
        if heading in round_trip and heading not in reading.overrides:
            extra.setdefault(round_trip[heading], column)
            continue
        if own_key(cells[column - 1]) and heading not in reading.overrides:
            extra.setdefault(cells[column - 1].strip(), column)
            continue
        name = field_of(cells[column - 1], reading.overrides)
        if name == IGNORE:
            continue
        if heading == "status" and heading not in reading.overrides:
            name = None if has_lifecycle else "status"
            if name is None:
                continue  # the register's check result, beside its Lifecycle column
        if heading in DERIVED:
            continue
        if name is None:
            unread.append((column, cells[column - 1].strip()))
            continue
        if name in columns:
            reading.add(number, column, "warning",
                        f"column {column_letter(column)} repeats the "
                        f"{COLUMNS[name][0].title()} column "
                        f"({column_letter(columns[name])}); only the first is imported")
            continue
        columns[name] = column
        asks = yes_no(name, cells[column - 1])
        if asks:
            yes_no_columns[name] = asks
    if "basis" not in columns and any(looks_like_basis(text) for _, text in unread):
        column, text = next((c, t) for c, t in unread if looks_like_basis(t))
        reading.add(number, column, "error",
                    f"column {column_letter(column)} ({text!r}) looks like the legal basis "
                    "but its heading is not understood, and there is no Legal basis column: "
                    f"say which it is with --column '{text}=basis' (or --column "
                    f"'{text}=ignore' to import every flow without a basis)")
        return None
    for column, text in unread:
        reading.add(number, column, "warning",
                    f"column {column_letter(column)} ({text!r}) is not a register column, "
                    f"so its values are not imported{suggest(normalise_heading(text), _BY_HEADING)}"
                    f"; name its field with --column '{text}=FIELD' (fields: "
                    + ", ".join(COLUMNS) + ")")
    missing = [COLUMNS[n][0].title() for n in REQUIRED if n not in columns]
    if missing:
        reading.add(number, 0, "error",
                    f"the heading row has no {' or '.join(missing)} column; "
                    "each row needs From, To and Information")
        return None
    return Header(number, columns, width, yes_no_columns, extra)


# -- the rows --------------------------------------------------------------------

def read_rows(table: Table, overrides: Mapping[str, str] | None = None) -> Reading:
    """Every row below the heading row: readable ones as FlowRows, the rest as problems.
    ``overrides`` maps headings to fields, as --column gives them."""
    reading = Reading(table.source,
                      overrides={normalise_heading(h): f for h, f in (overrides or {}).items()})
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
    notes_from = _trailing_notes(table, header)
    for number, cells in table.rows:
        if number <= header.row:
            continue
        values = tuple(unprefix(c.strip()) for c in cells)
        if not any(values):
            continue  # an empty row holds nothing to import
        if number >= notes_from:
            text = next(v for v in values if v)
            reading.add(number, 0, "note", f"read as a note below the table, not a flow: "
                                           f"{text[:60]!r}")
            continue
        flow = _read_row(reading, header, number, values)
        if flow is None:
            reading.skipped += 1
        else:
            reading.rows.append(flow)
    return reading


def _trailing_notes(table: Table, header: Header) -> int:
    """The first row of the notes under the table: rows after the last flow that hold
    one cell of text and no From or To."""
    cols = header.columns
    start = 1 << 30
    for number, cells in reversed(table.rows):
        if number <= header.row:
            break
        texts = [c for c in cells if c.strip()]
        if not texts:
            continue
        ends = [cells[cols[f] - 1].strip() if cols[f] <= len(cells) else ""
                for f in ("from", "to")]
        if len(texts) != 1 or all(ends):
            break
        start = number
    return start


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
    identifiability = _vocabulary(_answer(header, "identifiability", cell("identifiability")),
                                  IDENTIFIABILITY, "identifiability", error)
    country = _country(_answer(header, "country", cell("country")), error)
    frequency = _vocabulary(cell("frequency"), FREQUENCY, "frequency", error)
    status = None
    if cell("status") and _word(cell("status")) not in CHECK_STATUS:
        status = _vocabulary(cell("status"), STATUS, "status", error)
    if len([p for p in reading.problems if p.severity == "error"]) > before:
        return None
    said = cell("basis").strip().casefold()
    if said in UNKNOWN_BASIS:
        reading.add(number, cols["basis"], "warning",
                    f"legal basis {cell('basis')!r} is read as no basis: the flow is reported "
                    "as unjustified until its basis is cited")
    entries = [] if said in NO_BASIS or said in UNKNOWN_BASIS else split_cell(cell("basis"))
    basis = tuple(UNVERIFIED.sub("", e) for e in entries)
    return FlowRow(
        row=number, flow_id=cell("flow"), discloser=cell("from"), recipient=cell("to"),
        information=information, categories=categories, purpose=cell("purpose"),
        basis=basis,
        unverified=frozenset(UNVERIFIED.sub("", e) for e in entries if UNVERIFIED.search(e)),
        links=tuple(u for u in re.split(r"[\s;,]+", cell("links")) if u),
        identifiability=identifiability, status=status, frequency=frequency,
        channel=cell("channel"), notes=cell("notes"), columns=dict(cols), country=country,
        extra=tuple((path, values[c - 1]) for path, c in header.extra.items()
                    if c <= len(values) and values[c - 1]),
    )


def _answer(header: Header, name: str, text: str) -> str:
    """A yes or no under a heading that asks a question, as the word it means."""
    meanings = header.yes_no.get(name)
    word = text.strip().casefold().rstrip(".")
    if meanings and word in YES:
        return meanings[0]
    if meanings and word in NO:
        return meanings[1]
    return text


def _country(text: str, error: _Error) -> str | None:
    """An ISO code from a Country cell: a code, a country's name, or an overseas answer."""
    word = " ".join(text.replace(".", " ").split()).casefold()
    if not word or word == "home":
        return None
    if word == "overseas":
        return UNKNOWN_COUNTRY
    found = COUNTRIES.get(word)
    if found is None and re.fullmatch(r"[a-z]{2}", word):
        return word.upper()
    if found is None:
        error("country", f"{text!r} is not a country flowmap knows; write its two-letter "
                         f"ISO code (AU, US, GB, ...){suggest(word, COUNTRIES)}")
    return found


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
