"""Pydantic validation errors → the finding code, message and place to report."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel

from flowmap.model.entities import nested_model
from flowmap.common import loadcodes as codes
from flowmap.common.rule import Rule
from flowmap.common.suggest import suggest
from flowmap.common.vocabulary import meant
from flowmap.read.yamlsource import PathKey


_DATE_ERRORS = {"date_type", "date_parsing", "date_from_datetime_parsing",
                "date_from_datetime_inexact", "date_past", "date_future"}


def schema_error(model: type[BaseModel], error: Mapping[str, Any]) -> tuple[Rule, str, PathKey]:
    """The rule, message and path (inside the item) of one validation error."""
    loc: PathKey = tuple(error["loc"])
    kind = error["type"]
    key = str(loc[-1]) if loc else ""
    value = error.get("input")
    if kind == "extra_forbidden":
        allowed = _allowed_keys(model, loc[:-1])
        comma = (" (inside {...} a comma starts a new key: quote a value that holds a comma)"
                 if " " in key.strip() else "")
        return codes.UNKNOWN_KEY, (
            f"unknown key {key!r}{suggest(key, allowed)}{comma}; "
            f"allowed keys: {', '.join(allowed)}"
        ), loc
    if kind == "missing":
        return codes.SCHEMA, f"missing required key {key!r}", loc[:-1]
    if kind == "string_pattern_mismatch":
        what = "category" if _is_category_field(loc) else "id"
        return codes.BAD_ID, (
            f"{what} {value!r} is malformed: use lower-case letters, digits, '.', '_' and '-'"
            + (" (dotted, e.g. personal.health)" if what == "category" else "")
            if key not in ("country", "jurisdiction", "code")
            else f"{value!r} is malformed: "
            + ("write a two-letter ISO country code such as NZ" if key != "code"
               else "write a finding code such as FM203")
        ), loc
    if kind in _DATE_ERRORS:
        return codes.BAD_DATE, _date_message(key, value), loc
    if kind == "url":
        return codes.BAD_URL, f"{key}: {error['msg']}", loc
    if kind == "literal_error":
        expected = re.findall(r"'([^']*)'", str(error.get("ctx", {}).get("expected", "")))
        hint = meant(str(value), expected) or suggest(str(value), expected)
        return codes.SCHEMA, (
            f"{key} {value!r} is not allowed{hint}; use one of: {', '.join(expected)}"
        ), loc
    if kind in ("tuple_type", "list_type"):
        return codes.SCHEMA, f"{key} must be a list, e.g. [a, b]; found {kind_of(value)}", loc
    if kind in ("bool_type", "bool_parsing"):
        return codes.SCHEMA, f"{key} must be true or false (unquoted), not {value!r}", loc
    if kind == "string_too_long":
        limit = error.get("ctx", {}).get("max_length")
        return codes.BAD_ID, (f"{key} is {len(str(value)):,} characters long; keep it to "
                              f"{limit} or fewer"), loc
    if kind == "string_too_short":
        return codes.SCHEMA, f"{key} must not be empty", loc
    if kind == "too_short":
        return codes.SCHEMA, f"{key} must list at least one item", loc
    return codes.SCHEMA, f"{key}: {error['msg'][0].lower()}{error['msg'][1:]}", loc


def follows_from_item_errors(error: Mapping[str, Any]) -> bool:
    """A "too short" error on a list whose items were each refused (already reported)."""
    value, ctx = error.get("input"), error.get("ctx", {})
    return (error["type"] == "too_short" and isinstance(value, (list, tuple))
            and len(value) >= ctx.get("min_length", 1))


def _date_message(key: str, value: Any) -> str:
    if isinstance(value, dt.datetime):
        return (f"{key} {value.isoformat()} has a time of day; write the date alone "
                f"as YYYY-MM-DD (e.g. {value.date()})")
    if isinstance(value, str) and _is_iso_date(value):
        return (f"{key} {value!r} is quoted, so YAML reads it as text; "
                f"write it without quotes: {value}")
    shown = repr(value) if isinstance(value, str) else str(value)
    missing = _no_such_day(value) if isinstance(value, str) else ""
    if missing:
        return f"{key} {value} does not exist ({missing}); correct the day or the month"
    return f"{key} {shown} is not a valid date; write YYYY-MM-DD (e.g. 2020-12-01)"


def _no_such_day(text: str) -> str:
    """Why YYYY-MM-DD ``text`` is no day of the calendar ('February 2019 has 28 days'),
    or '' when it is not written that way or is a real day."""
    match = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", text.strip())
    if not match or _is_iso_date(text.strip()):
        return ""
    year, month, day = (int(g) for g in match.groups())
    if not 1 <= month <= 12:
        return f"there is no month {month}"
    if day == 0:
        return "days start at 01"
    last = calendar.monthrange(max(year, 1), month)[1]
    return f"{calendar.month_name[month]} {year} has {last} days"


def _is_iso_date(text: str) -> bool:
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return False
    try:
        dt.date.fromisoformat(text)
    except ValueError:
        return False
    return True


def _is_category_field(loc: PathKey) -> bool:
    return "category" in loc or ("information" in loc and "scope" in loc)


def _allowed_keys(model: type[BaseModel], loc: PathKey) -> list[str]:
    current: type[BaseModel] = model
    for part in loc:
        if isinstance(part, int):
            continue
        field_info = _field_by_alias(current, str(part))
        nested = nested_model(field_info.annotation) if field_info else None
        if nested is None:
            break
        current = nested
    return [f.alias or name for name, f in current.model_fields.items()]


def _field_by_alias(model: type[BaseModel], key: str) -> Any:
    for name, f in model.model_fields.items():
        if key in (name, f.alias):
            return f
    return None


def shown(value: Any) -> str:
    """A value as it would be written in YAML (true, not True)."""
    return str(value).lower() if isinstance(value, bool) else repr(value)


def kind_of(value: Any) -> str:
    """What a value is, with its article: "a list", "an empty value", "text"."""
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    if value is None:
        return "an empty value"
    if isinstance(value, bool):
        return "a true/false value"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, dt.date):
        return "a date"
    return "text"
