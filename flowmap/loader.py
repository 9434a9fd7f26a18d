"""Files → Map: read every file of a map, validate each item, merge the sections.

Everything wrong in the files becomes a located finding (FM0xx, and FM1xx
for ids declared twice); the items that are valid are kept, so that later
stages can still check the rest of the map.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from flowmap.findings import Finding, Location, Severity, SubjectKind
from flowmap.model import (
    FORMAT_VERSION,
    SECTIONS,
    TOP_LEVEL_KEYS,
    Authority,
    Flow,
    Information,
    Item,
    MapInfo,
    Organisation,
    Purpose,
)
from flowmap.rules import files as codes
from flowmap.rules import references as refcodes
from flowmap.rules.base import Rule
from flowmap.suggest import suggest
from flowmap.yamlsource import Document, PathKey, read_document

CATALOGUE_DIR = Path(__file__).parent / "catalogues"
#: what a map may not change when it redeclares a catalogue organisation:
#: authorities admit organisations by these
_CATALOGUE_KEEPS = ("kind", "country", "health_agency")
MAP_SUFFIXES = (".yaml", ".yml")


class MapPathError(Exception):
    """The map path does not exist or cannot be listed (a usage error)."""


@dataclass(frozen=True)
class Origin:
    """Where an item was declared: its file and its path within the file."""

    document: Document
    path: PathKey

    def at(self, *sub: str | int) -> Location:
        """Location of a key or list item inside the item (or of the item itself)."""
        return self.document.location((*self.path, *sub))

    @property
    def location(self) -> Location:
        return self.document.location(self.path)


@dataclass(frozen=True)
class Map:
    """A whole map: every section merged over its files and catalogues."""

    info: MapInfo
    as_of: dt.date
    organisations: Mapping[str, Organisation]
    information: Mapping[str, Information]
    purposes: Mapping[str, Purpose]
    authorities: Mapping[str, Authority]
    flows: Mapping[str, Flow]
    origins: Mapping[tuple[str, str], Origin]
    catalogued: frozenset[tuple[str, str]] = frozenset()
    map_origin: Origin | None = None
    #: items declared with an id but not read because of errors: (section, id) → where
    refused: Mapping[tuple[str, str], Location] = field(default_factory=dict)

    def origin(self, section: str, id: str) -> Origin | None:
        return self.origins.get((section, id))

    def where(self, section: str, id: str, *sub: str | int) -> Location | None:
        origin = self.origins.get((section, id))
        return origin.at(*sub) if origin else None

    def from_catalogue(self, section: str, id: str) -> bool:
        return (section, id) in self.catalogued

    def country(self, org: Organisation) -> str:
        return org.country or self.info.jurisdiction


@dataclass(frozen=True)
class Loaded:
    """What loading returns: the map and every problem found on the way."""

    map: Map
    findings: tuple[Finding, ...]


def discover(path: Path) -> list[Path]:
    """The YAML files of a map: the file itself, or every one below a directory."""
    if path.is_file():
        return [path]
    if path.is_dir():
        return sorted(
            p for p in path.rglob("*") if p.suffix.lower() in MAP_SUFFIXES and p.is_file()
        )
    raise MapPathError(f"no such file or directory: {path}")


def catalogue_files(name: str) -> list[Path]:
    folder = CATALOGUE_DIR / name
    return sorted(folder.glob("*.yaml")) if folder.is_dir() else []


def available_catalogues() -> list[str]:
    return sorted(p.name for p in CATALOGUE_DIR.iterdir() if p.is_dir())


def load(path: Path, *, today: dt.date | None = None) -> Loaded:
    """Read the map at ``path`` (a file or a directory)."""
    files = discover(path)
    collector = _Collector()
    if not files:
        collector.add(codes.EMPTY, "map", path.name or str(path),
                      f"no .yaml or .yml files in {path}; point flowmap at the folder "
                      "that holds the map", Location(str(path)))
    documents = [read_document(f, str(f)) for f in files]
    for doc in documents:
        collector.read(doc)
    collector.load_catalogues()
    for doc in documents:
        collector.merge(doc)
    return Loaded(collector.build(path, today or dt.date.today()), tuple(collector.findings))


@dataclass
class _Parsed:
    """The valid items of one document, in order, with their paths."""

    items: list[tuple[str, Item, PathKey]] = field(default_factory=list)


class _Collector:
    def __init__(self) -> None:
        self.findings: list[Finding] = []
        self.parsed: dict[int, _Parsed] = {}
        self.info: MapInfo | None = None
        self.info_origin: Origin | None = None
        self.sections: dict[str, dict[str, Item]] = {s: {} for s in SECTIONS}
        self.origins: dict[tuple[str, str], Origin] = {}
        self.catalogued: set[tuple[str, str]] = set()
        #: items declared with an id but refused for errors: (section, id) → where
        self.refused: dict[tuple[str, str], Location] = {}
        #: a file that was not read, or a `map:` block that was invalid, may
        #: hold the map block: then "no `map:` block" would be misleading
        self.map_block_unknown = False

    def add(self, rule: Rule, kind: SubjectKind, id: str, message: str,
            location: Location | None, severity: Severity | None = None) -> None:
        self.findings.append(rule.finding(kind, id, message, location, severity))

    # -- reading one document ------------------------------------------------

    def read(self, doc: Document) -> None:
        subject = Path(doc.file).stem
        for p in doc.problems:
            self.add(p.rule, "map", subject, p.message, p.location)
        parsed = self.parsed.setdefault(id(doc), _Parsed())
        if doc.problems and doc.data is None:
            self.map_block_unknown = True
            return
        data = doc.data
        if data is None:
            self.add(codes.EMPTY, "map", subject, "file is empty; add sections or delete it",
                     Location(doc.file, 1, 1))
            return
        if not isinstance(data, dict):
            self.add(codes.NOT_A_MAPPING, "map", subject,
                     f"the top level is {_kind_of(data)}, not a mapping of sections "
                     "(organisations:, information:, purposes:, authorities:, flows:)",
                     doc.location(()))
            return
        version = data.get("flowmap", FORMAT_VERSION)
        if version != FORMAT_VERSION or isinstance(version, bool):
            self.add(codes.BAD_VERSION, "map", subject,
                     f"format version {_shown(version)} is not supported (this flowmap reads "
                     f"version {FORMAT_VERSION}); file skipped: write `flowmap: "
                     f"{FORMAT_VERSION}`, unquoted, or remove the key",
                     doc.location(("flowmap",)))
            self.map_block_unknown = True
            return
        for key, value in data.items():
            if key == "flowmap":
                continue
            if key == "map":
                self._read_map_block(doc, value)
            elif key in SECTIONS:
                self._read_section(doc, key, value, parsed)
            else:
                self.add(codes.UNKNOWN_KEY, "map", subject,
                         f"unknown section {key!r}{suggest(key, TOP_LEVEL_KEYS)}; "
                         f"sections are: {', '.join(TOP_LEVEL_KEYS)}",
                         doc.location((key,)))

    def _read_map_block(self, doc: Document, value: Any) -> None:
        name = value["id"] if isinstance(value, dict) and isinstance(value.get("id"), str) \
            else "map"
        info = self._validate(doc, MapInfo, value, ("map",), "map", name or "map")
        if info is None:
            self.map_block_unknown = True
            return
        assert isinstance(info, MapInfo)
        if self.info is not None and self.info_origin is not None:
            self.add(codes.SECOND_MAP_BLOCK, "map", info.id,
                     f"a second `map:` block; the first is at {self.info_origin.location}",
                     doc.location(("map",)))
            return
        self.info, self.info_origin = info, Origin(doc, ("map",))

    def _read_section(self, doc: Document, section: str, value: Any, parsed: _Parsed) -> None:
        model, kind = SECTIONS[section]
        if value is None:
            return
        if not isinstance(value, list):
            self.add(codes.SCHEMA, "map", Path(doc.file).stem,
                     f"`{section}:` must be a list of items (each starting with '- '), "
                     f"not {_kind_of(value)}", doc.location((section,)))
            return
        for index, raw in enumerate(value):
            path = (section, index)
            name = _item_name(section, index, raw)
            item = self._validate(doc, model, raw, path, kind, name)
            if item is not None:
                parsed.items.append((section, item, path))  # type: ignore[arg-type]
            elif name != f"{section}[{index}]":
                self.refused.setdefault((section, name), doc.location(path))

    def _validate(self, doc: Document, model: type[BaseModel], raw: Any, path: PathKey,
                  kind: str, name: str) -> BaseModel | None:
        if not isinstance(raw, dict):
            self.add(codes.SCHEMA, kind, name,  # type: ignore[arg-type]
                     f"expected a mapping of keys (id:, name:, ...), found {_kind_of(raw)}",
                     doc.location(path))
            return None
        try:
            return model.model_validate(raw)
        except ValidationError as exc:
            for error in exc.errors():
                if _follows_from_item_errors(error):
                    continue
                rule, message, loc = schema_error(model, error)
                self.add(rule, kind, name, message, doc.location((*path, *loc)))  # type: ignore[arg-type]
            return None

    # -- catalogues and merging ------------------------------------------------

    def load_catalogues(self) -> None:
        if self.info is None:
            return
        for index, name in enumerate(self.info.catalogues):
            paths = catalogue_files(name)
            if not paths:
                where = self.info_origin.at("catalogues", index) if self.info_origin else None
                self.add(refcodes.UNKNOWN_CATALOGUE, "map", self.info.id,
                         f"no built-in catalogue {name!r}"
                         f"{suggest(name, available_catalogues())}; "
                         f"available: {', '.join(available_catalogues())}", where)
                continue
            for path in paths:
                doc = read_document(path, f"catalogue:{name}/{path.name}")
                self.read(doc)
                self.merge(doc, catalogue=True)

    def merge(self, doc: Document, *, catalogue: bool = False) -> None:
        for section, item, path in self.parsed.get(id(doc), _Parsed()).items:
            self._merge_item(section, item, Origin(doc, path), catalogue)

    def _merge_item(self, section: str, item: Item, origin: Origin, catalogue: bool) -> None:
        key = (section, item.id)
        existing = self.sections[section].get(item.id)
        kind = SECTIONS[section][1]
        if existing is None:
            self.sections[section][item.id] = item
            self.origins[key] = origin
            if catalogue:
                self.catalogued.add(key)
            return
        first = self.origins[key]
        if key not in self.catalogued or catalogue:
            self.add(refcodes.DUPLICATE_ID, kind, item.id,  # type: ignore[arg-type]
                     f"{kind} id {item.id!r} is declared twice; the first is at "
                     f"{first.location}; rename or remove one", origin.location)
            return
        if isinstance(item, Authority):
            self.add(refcodes.CATALOGUE_CLASH, kind, item.id,  # type: ignore[arg-type]
                     f"authority {item.id!r} is already defined by the built-in catalogue "
                     f"({first.location}); cite it without declaring it, or give yours "
                     "another id", origin.location)
            return
        if isinstance(item, Organisation):
            assert isinstance(existing, Organisation)
            item = self._reconcile_organisation(existing, item, origin)
        self.sections[section][item.id] = item
        self.origins[key] = origin
        self.catalogued.discard(key)

    def _reconcile_organisation(self, cat: Organisation, org: Organisation,
                                origin: Origin) -> Organisation:
        kept: dict[str, Any] = {}
        for field_name in _CATALOGUE_KEEPS:
            mine, theirs = getattr(org, field_name), getattr(cat, field_name)
            if mine is not None and theirs is not None and mine != theirs:
                self.add(refcodes.CATALOGUE_DISAGREES, "organisation", org.id,
                         f"organisation {org.id!r} has {field_name} {_shown(mine)} but the "
                         f"built-in catalogue says {_shown(theirs)}; use {_shown(theirs)} "
                         "or another id",
                         origin.at(field_name))
            kept[field_name] = theirs if theirs is not None else mine
        return org.model_copy(update=kept)

    def build(self, path: Path, today: dt.date) -> Map:
        info = self.info
        if info is None:
            name = slug(path.stem if path.is_file() else path.name) or "map"
            info = MapInfo(id=name, title=path.stem if path.is_file() else path.name or name)
            if not self.map_block_unknown:
                self.add(codes.NO_MAP_BLOCK, "map", info.id,
                         f"no `map:` block; using title {info.title!r} and as_of {today}",
                         Location(str(path)))
        s = self.sections
        return Map(
            info=info,
            as_of=info.as_of or today,
            organisations=s["organisations"],  # type: ignore[arg-type]
            information=s["information"],  # type: ignore[arg-type]
            purposes=s["purposes"],  # type: ignore[arg-type]
            authorities=s["authorities"],  # type: ignore[arg-type]
            flows=s["flows"],  # type: ignore[arg-type]
            origins=self.origins,
            catalogued=frozenset(self.catalogued),
            map_origin=self.info_origin,
            refused=self.refused,
        )


# -- turning pydantic errors into findings -------------------------------------

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
        return codes.SCHEMA, (
            f"{key} {value!r} is not allowed{suggest(str(value), expected)}; "
            f"use one of: {', '.join(expected)}"
        ), loc
    if kind in ("tuple_type", "list_type"):
        return codes.SCHEMA, f"{key} must be a list, e.g. [a, b]; found {_kind_of(value)}", loc
    if kind in ("bool_type", "bool_parsing"):
        return codes.SCHEMA, f"{key} must be true or false (unquoted), not {value!r}", loc
    if kind == "string_too_short":
        return codes.SCHEMA, f"{key} must not be empty", loc
    if kind == "too_short":
        return codes.SCHEMA, f"{key} must list at least one item", loc
    return codes.SCHEMA, f"{key}: {error['msg'][0].lower()}{error['msg'][1:]}", loc


def _follows_from_item_errors(error: Mapping[str, Any]) -> bool:
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
    return f"{key} {shown} is not a valid date; write YYYY-MM-DD (e.g. 2020-12-01)"


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
        nested = _model_in(field_info.annotation) if field_info else None
        if nested is None:
            break
        current = nested
    return [f.alias or name for name, f in current.model_fields.items()]


def _field_by_alias(model: type[BaseModel], key: str) -> Any:
    for name, f in model.model_fields.items():
        if key in (name, f.alias):
            return f
    return None


def _model_in(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()):
        found = _model_in(arg)
        if found is not None:
            return found
    return None


# -- small helpers -------------------------------------------------------------

def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9._-]+", "-", text.lower()).strip("-._")


def _item_name(section: str, index: int, raw: Any) -> str:
    if isinstance(raw, dict) and isinstance(raw.get("id"), str) and raw["id"]:
        return str(raw["id"])
    return f"{section}[{index}]"


def _shown(value: Any) -> str:
    """A value as it would be written in YAML (true, not True)."""
    return str(value).lower() if isinstance(value, bool) else repr(value)


def _kind_of(value: Any) -> str:
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


__all__ = ["Loaded", "Map", "MapPathError", "Origin", "discover", "load"]
