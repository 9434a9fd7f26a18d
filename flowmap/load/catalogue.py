"""Built-in catalogues: the legal authorities flowmap ships, with their parties and purposes.

A catalogue is a folder of YAML files (``flowmap/catalogues/<name>/*.yaml``)
in the map format, holding only ``authorities``, ``organisations`` and
``purposes``. :func:`load_catalogue` reads one with the same YAML reader and
models as maps, keeps every valid item with where it was written, and
returns whatever is wrong with the files as findings instead of raising.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from flowmap.common.findings import Finding, Location, SubjectKind
from flowmap.load.loader import available_catalogues, catalogue_files
from flowmap.load.schemaerrors import schema_error
from flowmap.model.entities import Authority, OrgClass, Organisation, Purpose
from flowmap.common import loadcodes as codes
from flowmap.common.suggest import suggest
from flowmap.read.yamlsource import Document, read_cached, read_document

DEFAULT_CATALOGUE = "nz"

#: the sections a catalogue may hold: section → (model, subject kind)
CATALOGUE_SECTIONS: dict[str, tuple[type[BaseModel], SubjectKind]] = {
    "authorities": (Authority, "authority"),
    "organisations": (Organisation, "organisation"),
    "purposes": (Purpose, "purpose"),
    "classes": (OrgClass, "class"),
}


class CatalogueError(Exception):
    """A catalogue or an entry that does not exist (a usage error)."""


@dataclass(frozen=True)
class Catalogue:
    """One catalogue's entries, each section sorted by id, and the problems of its files."""

    name: str
    authorities: Mapping[str, Authority]
    organisations: Mapping[str, Organisation]
    purposes: Mapping[str, Purpose]
    classes: Mapping[str, OrgClass]
    locations: Mapping[tuple[str, str], Location]
    problems: tuple[Finding, ...] = ()

    def where(self, section: str, id: str) -> Location | None:
        return self.locations.get((section, id))

    def authority(self, id: str) -> Authority:
        """The authority ``id``, or a :class:`CatalogueError` that says what was meant."""
        found = self.authorities.get(id)
        if found is not None:
            return found
        hint = suggest(id, self.authorities)
        for section, kind in (("organisations", "an organisation"), ("purposes", "a purpose")):
            if not hint and (section, id) in self.locations:
                hint = f" ({id!r} is {kind} in it, not an authority)"
        option = "" if self.name == DEFAULT_CATALOGUE else f" --catalogue {self.name}"
        raise CatalogueError(
            f"no authority {id!r} in catalogue {self.name!r}{hint}; "
            f"`flowmap catalogue list{option}` lists them"
        )


def load_catalogue(name: str = DEFAULT_CATALOGUE, *, folder: Path | None = None) -> Catalogue:
    """Read the built-in catalogue ``name`` (or the catalogue files in ``folder``)."""
    read = read_cached  # a built-in catalogue's parse is kept between runs
    if folder is None:
        paths = _builtin_files(name)
    elif folder.is_dir():
        paths, read = sorted(folder.glob("*.yaml")), read_document
    else:
        raise CatalogueError(f"no catalogue folder {folder}")
    reader = _Reader(name)
    for path in paths:
        reader.read(read(path, f"catalogue:{name}/{path.name}"))
    return reader.build()


def _builtin_files(name: str) -> list[Path]:
    available = available_catalogues()
    if name not in available:
        raise CatalogueError(
            f"no built-in catalogue {name!r}{suggest(name, available)}; "
            f"available: {', '.join(available) or '(none)'}"
        )
    return catalogue_files(name)


@dataclass
class _Reader:
    name: str
    items: dict[str, dict[str, Any]] = field(
        default_factory=lambda: {s: {} for s in CATALOGUE_SECTIONS})
    locations: dict[tuple[str, str], Location] = field(default_factory=dict)
    problems: list[Finding] = field(default_factory=list)

    def read(self, doc: Document) -> None:
        for p in doc.problems:
            self.problems.append(p.rule.finding("map", self.name, p.message, p.location))
        if doc.data is None:
            return
        if not isinstance(doc.data, dict):
            self.problems.append(codes.NOT_A_MAPPING.finding(
                "map", self.name, "the top level of a catalogue file must be a mapping of "
                "sections", doc.location(())))
            return
        for key, value in doc.data.items():
            if key in CATALOGUE_SECTIONS:
                self._section(doc, key, value)
            elif key != "flowmap":
                self.problems.append(codes.UNKNOWN_KEY.finding(
                    "map", self.name, f"a catalogue holds only "
                    f"{', '.join(CATALOGUE_SECTIONS)}; {key!r} is not read",
                    doc.location((key,))))

    def _section(self, doc: Document, section: str, value: Any) -> None:
        if not isinstance(value, list):
            if value is not None:
                self.problems.append(codes.SCHEMA.finding(
                    "map", self.name, f"`{section}:` must be a list of items",
                    doc.location((section,))))
            return
        model, kind = CATALOGUE_SECTIONS[section]
        for index, raw in enumerate(value):
            item = self._validate(doc, model, kind, raw, (section, index))
            if item is not None:
                self._add(section, kind, item, doc.location((section, index)))

    def _validate(self, doc: Document, model: type[BaseModel], kind: SubjectKind, raw: Any,
                  path: tuple[str, int]) -> Any:
        name = _item_name(raw, path)
        if not isinstance(raw, dict):
            self.problems.append(codes.SCHEMA.finding(
                kind, name, "expected a mapping of keys (id:, ...)", doc.location(path)))
            return None
        try:
            return model.model_validate(raw)
        except ValidationError as exc:
            for error in exc.errors():
                rule, message, loc = schema_error(model, error)
                self.problems.append(
                    rule.finding(kind, name, message, doc.location((*path, *loc))))
            return None

    def _add(self, section: str, kind: SubjectKind, item: Any, where: Location) -> None:
        first = self.locations.get((section, item.id))
        if first is not None:
            self.problems.append(codes.DUPLICATE_ID.finding(
                kind, item.id, f"{kind} id {item.id!r} is declared twice in catalogue "
                f"{self.name!r}; the first is at {first}", where))
            return
        self.items[section][item.id] = item
        self.locations[(section, item.id)] = where

    def build(self) -> Catalogue:
        def ordered(section: str) -> dict[str, Any]:
            return dict(sorted(self.items[section].items()))

        return Catalogue(
            name=self.name,
            authorities=ordered("authorities"),
            organisations=ordered("organisations"),
            purposes=ordered("purposes"),
            classes=ordered("classes"),
            locations=self.locations,
            problems=tuple(self.problems),
        )


def _item_name(raw: Any, path: tuple[str, int]) -> str:
    if isinstance(raw, dict) and isinstance(raw.get("id"), str) and raw["id"]:
        return str(raw["id"])
    return f"{path[0]}[{path[1]}]"


__all__ = ["DEFAULT_CATALOGUE", "Catalogue", "CatalogueError", "load_catalogue"]
