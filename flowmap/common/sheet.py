"""Spreadsheets as plain tables of text: reading CSV and XLSX, writing XLSX.

Reading keeps where every cell was (sheet, row and column as a spreadsheet
numbers them), so that whatever is wrong with a cell can be reported there.
Writing stores every cell as text, never as a formula: a value a spreadsheet
would run (``=``, ``+``, ``-``, ``@`` ...) is prefixed with an apostrophe, as
the register's CSV does, and :func:`unprefix` takes the apostrophe off again.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import warnings
import zipfile
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

#: what makes a spreadsheet treat a cell as a formula
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
TABLE_SUFFIXES = (".csv", ".xlsx")
_CSV_DELIMITERS = (",", ";", "\t")
#: characters XML 1.0 (so XLSX) cannot hold
_XML_ILLEGAL = {c for c in range(0x20) if chr(c) not in "\t\n\r"}
_TO_REPLACEMENT = dict.fromkeys(_XML_ILLEGAL, "\ufffd")


class SheetError(Exception):
    """The file cannot be read as a table (a usage error)."""


@dataclass(frozen=True)
class Table:
    """The rows of one sheet: (row number, cells) with every cell as text."""

    source: str
    rows: tuple[tuple[int, tuple[str, ...]], ...]
    #: (row, column, message) about cells read on the way; row 0 for the whole file
    notes: tuple[tuple[int, int, str], ...] = ()


def formula_safe(value: str) -> str:
    """A cell a spreadsheet shows as text, never runs as a formula."""
    return "'" + value if value.startswith(FORMULA_START) else value


def unprefix(value: str) -> str:
    """The text :func:`formula_safe` protected, without its apostrophe."""
    if value.startswith("'") and value[1:].startswith(FORMULA_START):
        return value[1:]
    return value


def column_letter(column: int) -> str:
    """1 → A, 27 → AA."""
    letters = ""
    while column > 0:
        column, rest = divmod(column - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def read_tables(path: Path, sheet: str | None = None) -> list[Table]:
    """The tables of a CSV file (one) or of an XLSX workbook (the sheet named, or each
    sheet in order)."""
    suffix = path.suffix.lower()
    if suffix == ".csv":
        if sheet is not None:
            raise SheetError("--sheet is for XLSX workbooks; a CSV file has one table")
        return [read_csv(path)]
    if suffix == ".xlsx":
        return read_xlsx(path, sheet)
    raise SheetError(f"cannot import {path.name}: give a .csv or .xlsx file "
                     "(save other spreadsheets as one of these)")


# -- CSV -------------------------------------------------------------------------

def read_csv(path: Path) -> Table:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise SheetError(f"cannot read {path}: {exc.strerror}") from exc
    notes: list[tuple[int, int, str]] = []
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252", errors="replace")
        notes.append((0, 0, f"{path.name} is not UTF-8; read it as Windows-1252 (save it "
                            "as \"CSV UTF-8\" to be sure of accented letters and macrons)"))
    first = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = max(_CSV_DELIMITERS, key=first.count)
    try:
        records = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as exc:
        raise SheetError(f"cannot read {path.name} as CSV: {exc}") from exc
    rows = tuple((n, tuple(cells)) for n, cells in enumerate(records, start=1))
    return Table(path.name, rows, tuple(notes))


# -- XLSX ------------------------------------------------------------------------

def read_xlsx(path: Path, sheet: str | None = None) -> list[Table]:
    """The sheet named ``sheet``, or every sheet, as tables of text."""
    with warnings.catch_warnings(record=True) as warned:
        warnings.simplefilter("always")
        try:
            tables = _read_workbook(path, sheet)
        except SheetError:
            raise
        except Exception as exc:  # noqa: BLE001 - whatever openpyxl fails on, said plainly
            raise SheetError(_unreadable(path, exc)) from exc
    if not tables:
        raise SheetError(f"{path.name} has no sheet that can be read; save it again from the "
                         "spreadsheet program")
    said = tuple(dict.fromkeys(f"{path.name}: {w.message}" for w in warned))
    return [Table(t.source, t.rows, tuple((0, 0, s) for s in said) + t.notes) for t in tables]


def _unreadable(path: Path, exc: Exception) -> str:
    """Why a workbook cannot be read: a damaged or cut-off file, or XML a workbook never
    holds (entity declarations: flowmap expands none and reads no external file)."""
    detail = str(exc) or type(exc).__name__
    if isinstance(exc, (ElementTree.ParseError, zipfile.BadZipFile, EOFError, zlib.error)):
        return (f"cannot read {path.name} as an XLSX workbook: it is damaged or cut off "
                f"({detail}); save it again from the spreadsheet program")
    return (f"cannot read {path.name} as an XLSX workbook ({type(exc).__name__}: {detail}); "
            "save it again from the spreadsheet program, or as CSV")


def _refuse_doctypes(path: Path) -> None:
    """Refuse a workbook whose XML declares a DOCTYPE: spreadsheet programs never write
    one, and it is how entity bombs and external entities (XXE) are made."""
    with zipfile.ZipFile(path) as workbook:
        for member in workbook.infolist():
            if not member.filename.endswith((".xml", ".rels", ".vml")):
                continue
            with workbook.open(member) as part:
                start = part.read(_PROLOGUE_BYTES)
            if b"<!DOCTYPE" in start or b"<!ENTITY" in start:
                raise SheetError(f"cannot read {path.name}: its part {member.filename} declares "
                                 "XML entities (a DOCTYPE), which no spreadsheet program "
                                 "writes; flowmap expands none and reads no file it names, "
                                 "so the workbook is refused")


#: how far into an XML part a DOCTYPE could be (it must come before the root element)
_PROLOGUE_BYTES = 4096


def _read_workbook(path: Path, sheet: str | None) -> list[Table]:
    import openpyxl

    _refuse_doctypes(path)
    values = openpyxl.load_workbook(path, read_only=True, data_only=True)
    formulas = openpyxl.load_workbook(path, read_only=True, data_only=False)
    try:
        names = values.sheetnames
        if sheet is not None and sheet not in names:
            raise SheetError(f"{path.name} has no sheet {sheet!r}; sheets: {', '.join(names)}")
        return [_xlsx_table(f"{path.name}[{name}]", values[name], formulas[name])
                for name in ([sheet] if sheet is not None else names)]
    finally:
        values.close()
        formulas.close()


def _xlsx_table(source: str, values: Any, formulas: Any) -> Table:
    notes = []
    rows = []
    for (number, cells), formula_row in zip(
            enumerate(values.iter_rows(values_only=True), start=1),
            formulas.iter_rows(values_only=True), strict=False):
        texts = []
        for column, (value, formula) in enumerate(zip(cells, formula_row, strict=False),
                                                  start=1):
            if value is None and isinstance(formula, str) and formula.startswith("="):
                notes.append((number, column, "the cell holds a formula with no saved value, "
                              "so it reads as empty; open and save the workbook in a "
                              "spreadsheet program, or paste values"))
            texts.append(_text(value))
        rows.append((number, tuple(texts)))
    return Table(source, tuple(rows), tuple(notes))


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    return str(value)


#: one sheet to write: (title, headings, rows)
SheetData = tuple[str, Sequence[str], Sequence[Sequence[str]]]


def xlsx_bytes(headings: Sequence[str], rows: Sequence[Sequence[str]], *,
               title: str = "Register", more: Sequence[SheetData] = ()) -> bytes:
    """A workbook: a sheet of bold headings, then ``rows``, every cell text; then the
    sheets ``more`` gives, the same way."""
    import openpyxl

    book = openpyxl.Workbook()
    first = book.active
    assert first is not None
    for number, (name, heads, body) in enumerate([(title, headings, rows), *more]):
        _fill_sheet(first if number == 0 else book.create_sheet(), name, heads, body)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _fill_sheet(sheet: Any, title: str, headings: Sequence[str],
                rows: Sequence[Sequence[str]]) -> None:
    from openpyxl.styles import Font

    sheet.title = title
    sheet.append([xml_text(h) for h in headings])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([xml_text(formula_safe(v)) for v in row])
    for row_cells in sheet.iter_rows(min_row=2):
        for cell in row_cells:
            cell.data_type = "s"  # text, whatever it looks like
    sheet.freeze_panes = "A2"
    for index, heading in enumerate(headings, start=1):
        longest = max([len(heading), *(len(r[index - 1]) for r in rows if len(r) >= index)])
        sheet.column_dimensions[column_letter(index)].width = min(60, max(10, longest + 2))


def xml_text(value: str) -> str:
    """Text XLSX can hold: control characters become U+FFFD."""
    return value.translate(_TO_REPLACEMENT)  # in C: every register cell passes here
